"""Whether a package reads a name: a field through any selector (``x.cancel``, ``x.cancel()``)
or a package-level variable, anywhere in the files of its directory, other than by assigning
to it. Sibling files are scanned as bytes (no parse), cached by file stamp; a mention in a
comment or string counts as a read, which only makes a check more cautious.
"""

from __future__ import annotations

import re

from ctx_lsp.engine.files import Stamp, StampedCache, sibling_go_files

_PACKAGE = re.compile(rb"^package[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def _summarise(path: str, data: bytes) -> tuple[str, bytes]:
    package = _PACKAGE.search(data)
    return (package.group(1).decode() if package else ""), data


# path -> (stamp, (package name, data))
_FILES: StampedCache[tuple[str, bytes]] = StampedCache(_summarise)

# (path, stamp, question, name) -> answer: the server asks again on every keystroke.
_ANSWERS: dict[tuple[str, Stamp, str, str], bool] = {}


def siblings_read_field(path: str, package: str, name: str) -> bool:
    """Some sibling file (test files included) reads field ``name`` (``reads_field``) or
    stores a variable it calls in it (``stored_value_called``)."""
    return _ask(path, package, "field", name)


def siblings_read_variable(path: str, package: str, name: str) -> bool:
    """Some sibling file (test files included) reads the variable ``name``."""
    return _ask(path, package, "variable", name)


def _ask(path: str, package: str, question: str, name: str) -> bool:
    for sibling, stamp, data in _siblings(path, package, True):
        key = (sibling, stamp, question, name)
        answer = _ANSWERS.get(key)
        if answer is None:
            if question == "field":
                answer = reads_field(data, name) or stored_value_called(data, name)
            else:
                answer = reads_variable(data, name)
            _ANSWERS[key] = answer
        if answer:
            return True
    return False


def _siblings(path: str, package: str, include_tests: bool) -> list[tuple[str, Stamp, bytes]]:
    """(path, stamp, bytes) of the other .go files of ``package`` in ``path``'s directory."""
    found: list[tuple[str, Stamp, bytes]] = []
    for sibling in sibling_go_files(path, include_tests):
        loaded = _FILES.load(sibling)
        if loaded is not None and loaded[1][0] == package:
            found.append((sibling, loaded[0], loaded[1][1]))
    return found


def _not_assigned(name: bytes) -> bytes:
    # Not followed by `=` (but `==` is a read), `:=`, or a `, b =` list of targets.
    return re.escape(name) + rb"\b(?!\s*(?:=(?!=)|:=|,[\w\s.,]*:?=(?!=)))"


def reads_field(data: bytes, name: str) -> bool:
    """``data`` mentions ``.name`` other than as an assignment target."""
    return re.search(rb"\." + _not_assigned(name.encode()), data) is not None


def reads_variable(data: bytes, name: str) -> bool:
    """``data`` mentions the identifier ``name`` (not after a dot) other than as an
    assignment target."""
    return re.search(rb"(?<![\w.])" + _not_assigned(name.encode()), data) is not None


def stored_value_called(data: bytes, name: str) -> bool:
    """``data`` stores a variable V into the field ``name`` (``name: V`` in a composite
    literal, ``x.name = V``) and calls V itself somewhere (``V()``, ``defer V()``): the
    stored copy may go unused while the function it holds is called all the same."""
    field = re.escape(name.encode())
    pattern = rb"(?:(?<![\w.])" + field + rb"\s*:|\." + field + rb"\s*=)(?!=)\s*([A-Za-z_]\w*)\b(?!\s*[.(\[])"
    for match in re.finditer(pattern, data):
        value = re.escape(match.group(1))
        if re.search(rb"(?<![\w.])" + value + rb"\s*\(", data):
            return True
    return False
