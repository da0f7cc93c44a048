"""Every citation in the repository can be followed inside the repository.

(a) A ``docs/<file>.md §N[.M]`` citation names an existing file under ``docs/`` and an
    existing numbered heading in it. A ``§`` later on the same line (``... §6 #3; §1.6``)
    cites the same file; inside ``docs/`` a ``§`` with no file before it on its line cites
    the file it is written in.
(b) Nothing cites the original specification outside the repository (its three file names,
    or the ``RF §`` shorthand for the runtime facts); ``scripts/rewrite_citations.py``
    rewrites such citations into form (a).

The docs' rule table also has to agree with the rule registry.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from ctx_lsp.rules import ALL_RULES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

def _load_rewrite_script() -> ModuleType:
    """scripts/rewrite_citations.py (not a package): its file walk and text reading are the
    ones this test checks with, so the script and the test agree on what the repository is."""
    spec = importlib.util.spec_from_file_location("rewrite_citations", ROOT / "scripts" / "rewrite_citations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_REWRITE = _load_rewrite_script()
CITING_SUFFIXES = frozenset({".py", ".ts", ".lua", ".md", ".txt", ".json", ".toml"})
# This test and the rewrite script name the external files on purpose: that is their job.
NAMING_ON_PURPOSE = frozenset({Path("tests/test_citations.py"), Path("scripts/rewrite_citations.py")})

DOC_MENTION = re.compile(r"(?<![\w/.-])docs/(?P<name>[\w-]+)\.md")
SECTION = re.compile(r"§\s?(?P<number>\d+(?:\.\d+)*)")
NUMBERED_HEADING = re.compile(r"^#{1,6}\s+(?P<number>\d+(?:\.\d+)*)\.?\s", re.MULTILINE)
EXTERNAL_CITATION = re.compile(r"RULES\\?\.md|RUNTIME_FACTS|ENGINEERING_NOTES|(?<![\w-])RF §")


def _repository_files() -> Iterator[Path]:
    return _REWRITE.repository_files(ROOT)


def _text(path: Path) -> str | None:
    return _REWRITE.read_text(path)


def _heading_numbers(doc: Path) -> frozenset[str]:
    return frozenset(match["number"] for match in NUMBERED_HEADING.finditer(doc.read_text(encoding="utf-8")))


def _citations(path: Path, text: str) -> Iterator[tuple[int, str, str | None]]:
    """(line number, cited doc name, section number or None) for each citation in ``text``."""
    own_doc = path.stem if path.parent == DOCS and path.suffix == ".md" else None
    for line_number, line in enumerate(text.splitlines(), start=1):
        mentions = list(DOC_MENTION.finditer(line))
        for mention in mentions:
            yield line_number, mention["name"], None
        for section in SECTION.finditer(line):
            earlier = [m for m in mentions if m.end() <= section.start()]
            cited = earlier[-1]["name"] if earlier else own_doc
            if cited is not None:
                yield line_number, cited, section["number"]


def test_the_citation_parser_attributes_sections_to_the_file_before_them(tmp_path: Path) -> None:
    line = 'note = "docs/runtime-facts.md §1.6 table row 2; §6 #3; docs/engineering-notes.md §2.4"'
    found = list(_citations(tmp_path / "x.py", line))
    assert (1, "runtime-facts", "1.6") in found
    assert (1, "runtime-facts", "6") in found
    assert (1, "engineering-notes", "2.4") in found
    assert (1, "runtime-facts", "2.4") not in found
    assert list(_citations(tmp_path / "x.py", "a bare §4 outside docs/ cites nothing")) == []


def test_every_docs_citation_names_an_existing_file_and_section() -> None:
    headings = {doc.stem: _heading_numbers(doc) for doc in DOCS.glob("*.md")}
    assert {"rules", "runtime-facts", "engineering-notes", "architecture"} <= headings.keys()
    broken: list[str] = []
    checked = 0
    for path in _repository_files():
        if path.suffix not in CITING_SUFFIXES:
            continue
        text = _text(path)
        if text is None:
            continue
        for line_number, name, number in _citations(path, text):
            checked += 1
            where = f"{path.relative_to(ROOT)}:{line_number}"
            if name not in headings:
                broken.append(f"{where}: docs/{name}.md does not exist")
            elif number is not None and number not in headings[name]:
                broken.append(f"{where}: docs/{name}.md has no section {number}")
    assert checked > 0, "no citation found at all: the scan is broken"
    assert not broken, "citations that cannot be followed:\n" + "\n".join(broken)


# The numbering of the specification the docs came from, which the code's citations use.
CITED_NUMBERING = {
    "runtime-facts": {"0", "1", *(f"1.{n}" for n in range(1, 7)), "2", *(f"2.{n}" for n in range(1, 6)),
                      "3", *(f"3.{n}" for n in range(1, 7)), "4", "5", "6", "7", "8", "9"},
    "engineering-notes": {"0", "1", *(f"1.{n}" for n in range(1, 11)), "2", *(f"2.{n}" for n in range(1, 6)),
                          "3", *(f"3.{n}" for n in range(1, 5)), "4", "4.1", "4.2", "4.3", "5", "5.1", "5.2", "6"},
}


@pytest.mark.parametrize("doc_name", sorted(CITED_NUMBERING))
def test_the_docs_keep_the_numbering_the_code_cites(doc_name: str) -> None:
    present = _heading_numbers(DOCS / f"{doc_name}.md")
    missing = CITED_NUMBERING[doc_name] - present
    assert not missing, f"docs/{doc_name}.md lost sections {sorted(missing)}"


def test_the_rules_doc_covers_every_registered_rule_with_its_severity() -> None:
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^## ([a-z][a-z0-9-]*)$", text, re.MULTILINE))
    registered = {rule.id for rule in ALL_RULES}
    assert registered <= sections, sorted(registered - sections)
    at_a_glance = text.split("## Rules at a glance", 1)[1].split("\n## ", 1)[0]
    table = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (\w+)", at_a_glance, re.MULTILINE))
    assert table.keys() == registered
    for rule in ALL_RULES:
        assert table[rule.id] == rule.severity.label, rule.id


def test_no_citation_points_outside_the_repository() -> None:
    offending: list[str] = []
    for path in _repository_files():
        relative = path.relative_to(ROOT)
        if relative in NAMING_ON_PURPOSE:
            continue
        text = _text(path)
        if text is None:
            continue
        for line_number, line in enumerate(text.splitlines(), start=1):
            if EXTERNAL_CITATION.search(line):
                offending.append(f"{relative}:{line_number}: {line.strip()[:100]}")
    assert not offending, (
        "citations of files outside the repository (run scripts/rewrite_citations.py):\n" + "\n".join(offending))
