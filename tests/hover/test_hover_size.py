"""Hover is a popup, not a page: bounds over every identifier position of the testdata and
of the realistic modules in tests/hover/data (go 1.22 and go 1.25).

The bounds are issue 15's: median <= 800 characters, maximum <= 2,000, and no hover with rule
documentation sections, review statistics, tables or headings deeper than h3.
"""

from __future__ import annotations

import re
import statistics
from functools import cache
from pathlib import Path

import pytest

from ctx_lsp.engine import gomod
from ctx_lsp.engine.analyze import analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.hover.site import hover_at
from ctx_lsp.rules import ALL_RULES

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
FILES = sorted([*(ROOT / "testdata").rglob("*.go"), *DATA.rglob("*.go")])
IDENTIFIERS = frozenset({"identifier", "field_identifier", "type_identifier", "package_identifier"})

MEDIAN_LIMIT = 800
MAX_LIMIT = 2000
# Headings below h3, tables, and the statistics and section titles of rule documentation.
_PAGE_MARKS = re.compile(r"^#{4,}\s|^\|.*\|\s*$|true positives?|false positives?|Precision review|"
                         r"^#{1,3} (What happens at run time|When it is reported|Examples?)\b", re.MULTILINE)


@cache
def _hovers(path: Path) -> tuple[tuple[int, str], ...]:
    """(offset, markdown text) of every non-empty hover at an identifier of ``path``."""
    src = SourceFile.parse(str(path), path.read_bytes())
    analysis = analyze(src, Settings(min_severity=Severity.HINT), rules=ALL_RULES, go_version=gomod.go_version_for(str(path)))
    assert analysis.context is not None
    found = []
    stack = [src.root]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type in IDENTIFIERS or node.type == "go":
            result = hover_at(analysis.context, node.start_byte, analysis.findings, True)
            if result is not None:
                found.append((node.start_byte, result.text))
    return tuple(found)


def _all_hovers() -> list[tuple[Path, int, str]]:
    return [(path, offset, text) for path in FILES for offset, text in _hovers(path)]


def test_the_realistic_modules_are_part_of_the_corpus() -> None:
    assert {p.parent.name for p in FILES if DATA in p.parents} == {"go122", "go125"}
    assert gomod.go_version_for(str(DATA / "go122" / "timers.go")) == (1, 22)
    assert gomod.go_version_for(str(DATA / "go125" / "pipeline.go")) == (1, 25)


def test_median_and_maximum_hover_length() -> None:
    lengths = [len(text) for _path, _offset, text in _all_hovers()]
    assert len(lengths) > 500, "the corpus should give many hovers"
    longest = max(_all_hovers(), key=lambda item: len(item[2]))
    assert statistics.median(lengths) <= MEDIAN_LIMIT
    assert len(longest[2]) <= MAX_LIMIT, f"{longest[0]} @{longest[1]}:\n{longest[2]}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_hover_is_a_page(path: Path) -> None:
    pages = [(offset, match.group(0)) for offset, text in _hovers(path)
             if (match := _PAGE_MARKS.search(text))]
    assert not pages, pages[:5]


def test_the_page_detector_finds_rule_documentation() -> None:
    """The bound must be able to fail: every rule's documentation trips the detector."""
    assert all(_PAGE_MARKS.search(rule.doc) for rule in ALL_RULES)
