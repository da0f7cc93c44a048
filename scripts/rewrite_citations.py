"""Rewrite citations of the original, external specification into citations of docs/.

    python scripts/rewrite_citations.py [--check] [ROOT]

- ``RF §1.5``                      -> ``docs/runtime-facts.md §1.5`` (a second ``RF §`` on the
                                       same line becomes a bare ``§``, which cites the same file)
- ``RUNTIME_FACTS.md``, ``RUNTIME_FACTS`` -> ``docs/runtime-facts.md``
- ``ENGINEERING_NOTES.md §1.3``    -> ``docs/engineering-notes.md §1.3``
- ``RULES.md``                     -> ``docs/rules.md`` (``RULES\\.md`` in a regular expression
                                       keeps its backslash)

A directory in front of a name (``/work/shared/RULES.md``) is dropped, and a few phrasings
that would read wrongly after a plain substitution are rewritten as a whole first. Running
it again changes nothing (the rewritten forms contain none of the old names). ``--check``
only lists the files it would change and exits 1 if there are any.

Files under .git, .venv and node_modules, binary files, and this script and
tests/test_citations.py (which name the old files on purpose) are left alone, except that the
``xfail`` marker of the test that no citation points outside the repository is removed: once
the citations are rewritten, that test must pass.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

SKIPPED_DIRECTORIES = frozenset({".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".ruff_cache",
                                 ".mypy_cache", ".hypothesis"})
LEFT_ALONE = frozenset({Path("scripts/rewrite_citations.py"), Path("tests/test_citations.py")})

RUNTIME_FACTS = "docs/runtime-facts.md"
ENGINEERING_NOTES = "docs/engineering-notes.md"
RULES = "docs/rules.md"

# An optional directory in front of one of the old names (/work/shared/RULES.md).
_DIRECTORY = r"(?:(?<![\w/.-])[\w.~-]*(?:/[\w.~-]+)*/)?"

Replacement = str | Callable[[re.Match[str]], str]

# Whole phrasings first: a plain substitution would leave them reading wrongly.
PHRASES: tuple[tuple[re.Pattern[str], Replacement], ...] = (
    # README: "is `RULES.md` of the project's specification"
    (re.compile(r"`RULES\.md` of the project's specification"), f"`{RULES}`"),
    # hover/apis.py module docstring: "``RF §x`` means a section of ``RUNTIME_FACTS.md``"
    (re.compile(r"``RF §x`` means a section of(\s+)``RUNTIME_FACTS\.md``"),
     rf"``{RUNTIME_FACTS} §x`` means a section of\1that file"),
)

NAMES: tuple[tuple[re.Pattern[str], Replacement], ...] = (
    (re.compile(_DIRECTORY + r"RUNTIME_FACTS(?:\.md)?(?![\w])"), RUNTIME_FACTS),
    (re.compile(_DIRECTORY + r"ENGINEERING_NOTES(?:\.md)?(?![\w])"), ENGINEERING_NOTES),
    (re.compile(_DIRECTORY + r"RULES(\\?)\.md"), lambda match: f"docs/rules{match[1]}.md"),
)

RF_SHORTHAND = re.compile(r"(?<![\w-])RF §")
# Text that cites another file: a bare "§" after it would no longer cite the runtime facts.
OTHER_FILE = re.compile(r"RULES\\?\.md|ENGINEERING_NOTES|docs/(?!runtime-facts\.md)[\w-]+\.md")


def rewrite_line(line: str) -> str:
    """The RF shorthand of one line rewritten: the first one names the file, later ones on the
    same line become a bare "§" (it cites the file named before it), unless another file is
    named in between."""
    previous_end: int | None = None

    def replace(match: re.Match[str]) -> str:
        nonlocal previous_end
        bare = previous_end is not None and not OTHER_FILE.search(line, previous_end, match.start())
        previous_end = match.end()
        return "§" if bare else f"{RUNTIME_FACTS} §"

    return RF_SHORTHAND.sub(replace, line)


def rewrite(text: str) -> str:
    for pattern, replacement in PHRASES:
        text = pattern.sub(replacement, text)
    text = "".join(rewrite_line(line) for line in text.splitlines(keepends=True))
    for pattern, replacement in NAMES:
        text = pattern.sub(replacement, text)
    return text


CITATION_TEST = Path("tests/test_citations.py")
XFAIL_MARKER = '@pytest.mark.xfail(strict=True, reason="citations rewritten by the coordinator")\n'


def repository_files(root: Path) -> Iterator[Path]:
    """Regular files below ``root`` (no symlinks), without VCS, tool and dependency folders."""
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if SKIPPED_DIRECTORIES.intersection(relative.parts) or not path.is_file() or path.is_symlink():
            continue
        yield path


def candidate_files(root: Path) -> Iterator[Path]:
    """The files whose citations this script rewrites (all but the two that name the old
    files on purpose)."""
    return (path for path in repository_files(root) if path.relative_to(root) not in LEFT_ALONE)


def read_text(path: Path) -> str | None:
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Rewrite citations of the external specification into docs/ citations.")
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parent.parent),
                        help="repository to rewrite (default: this one)")
    parser.add_argument("--check", action="store_true", help="list files that would change; change nothing")
    arguments = parser.parse_args(argv)
    root = Path(arguments.root).resolve()
    changed: list[Path] = []
    for path in candidate_files(root):
        text = read_text(path)
        if text is None:
            continue
        new_text = rewrite(text)
        if new_text == text:
            continue
        changed.append(path.relative_to(root))
        if not arguments.check:
            # newline="" keeps the file's own line endings (splitlines(keepends=True) kept them).
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(new_text)
    test = root / CITATION_TEST
    if test.is_file() and XFAIL_MARKER in test.read_text(encoding="utf-8"):
        changed.append(CITATION_TEST)
        if not arguments.check:
            test.write_text(test.read_text(encoding="utf-8").replace(XFAIL_MARKER, ""), encoding="utf-8")
    for relative in changed:
        print(relative)
    return 1 if arguments.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
