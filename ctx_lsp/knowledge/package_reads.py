"""Whether a package reads a name: a field through any selector (``x.cancel``, ``x.cancel()``)
or a package-level variable, anywhere in the files of its directory, other than by assigning
to it. Sibling files are scanned as bytes (no parse), cached by file stamp; a mention in a
comment or string counts as a read, which only makes a check more cautious.
"""

from __future__ import annotations

import os
import re
import stat

_MAX_BYTES = 10_000_000
_PACKAGE = re.compile(rb"^package[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
# path -> (stamp, package name, data)
_FILES: dict[str, tuple[tuple[int, int], str, bytes]] = {}


# (path, stamp, question, name) -> answer: the server asks again on every keystroke.
_ANSWERS: dict[tuple[str, tuple[int, int], str, str], bool] = {}


def siblings_read_field(path: str, package: str, name: str) -> bool:
    """Some sibling file (test files included) reads field ``name`` (``reads_field``) or
    stores a variable it calls in it (``stored_value_called``)."""
    return _ask(path, package, "field", name)


def siblings_read_variable(path: str, package: str, name: str) -> bool:
    """Some sibling file (test files included) reads the variable ``name``."""
    return _ask(path, package, "variable", name)


def _ask(path: str, package: str, question: str, name: str) -> bool:
    for sibling, data in _siblings(path, package, True):
        stamp = _FILES[sibling][0]
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


def _siblings(path: str, package: str, include_tests: bool) -> list[tuple[str, bytes]]:
    """(path, bytes) of the other .go files of ``package`` in ``path``'s directory."""
    if not path:
        return []
    directory = os.path.dirname(os.path.abspath(path))
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    me = os.path.basename(path)
    found: list[tuple[str, bytes]] = []
    for name in names:
        if not name.endswith(".go") or name == me or name.startswith((".", "_")):
            continue
        if name.endswith("_test.go") and not include_tests:
            continue
        sibling = os.path.join(directory, name)
        loaded = _load(sibling)
        if loaded is not None and loaded[0] == package:
            found.append((sibling, loaded[1]))
    return found


def _load(path: str) -> tuple[str, bytes] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode) or status.st_size > _MAX_BYTES:
        return None
    stamp = (status.st_mtime_ns, status.st_size)
    cached = _FILES.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1], cached[2]
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    package = _PACKAGE.search(data)
    name = package.group(1).decode() if package else ""
    _FILES[path] = (stamp, name, data)
    return name, data


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
