"""The package outline (``FileContext.package_outline``) is computed from cheap per-declaration
outlines (``package.decl_outline``) unless the full facts exist. Both must give the same
outline: same ``outline_identity`` per declaration (the server's file-input value) and the
same tables, so a check sees the same answer whichever was computed first."""

from __future__ import annotations

import sys
from pathlib import Path

import attrs
import pytest

from ctx_lsp.engine.analyze import DeclCache, analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.package import PackageFacts, decl_facts, decl_outline, outline_key
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import ALL_RULES

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bench"))
from gen_corpus import generate  # noqa: E402

_TABLES = [field.name for field in attrs.fields(PackageFacts) if field.name not in ("functions", "_collected")]

BROKEN = b"""package p

type T struct{ a []int; b chan *Item }

func (t *T) Close() error { return nil }

func () orphan() {}

func run(ch chan *Item) { ch <- &Item{} ; q = append(q, &Job{})

var _ I = (*T)(nil)
"""


def _sources() -> list[SourceFile]:
    files = sorted((ROOT / "testdata").rglob("*.go"))[:200]
    sources = [SourceFile.parse(str(path), path.read_bytes()) for path in files]
    sources.append(SourceFile.parse("corpus.go", generate(1500, 3).encode()))
    sources.append(SourceFile.parse("broken.go", BROKEN))
    return sources


@pytest.mark.parametrize("src", _sources(), ids=lambda src: Path(src.path).name)
def test_outline_agrees_with_the_full_facts(src: SourceFile) -> None:
    top = src.root.named_children
    full = [decl_facts(decl, src.path) for decl in top]
    outline = [decl_outline(decl, src.path) for decl in top]
    assert [f.outline_identity for f in full] == [f.outline_identity for f in outline]
    merged_full, merged_outline = PackageFacts.merge(full), PackageFacts.merge(outline)
    for table in _TABLES:
        assert getattr(merged_full, table) == getattr(merged_outline, table), table
    assert outline_key(full) == outline_key(outline)


def test_package_outline_is_the_same_before_and_after_the_full_facts() -> None:
    src = SourceFile.parse("corpus.go", generate(1500, 5).encode())
    first = FileContext(src, go_version=(1, 24))
    from_stubs = first.package_outline
    assert first.computed_own_facts is None  # only the outlines were computed
    second = FileContext(src, go_version=(1, 24))
    second.package  # the full facts first
    from_full = second.package_outline
    for table in [*_TABLES, "functions"]:
        assert getattr(from_stubs, table) == getattr(from_full, table), table
    assert from_stubs.functions == {}  # a check reading functions through the outline sees none
    assert FileContext._outline_key(first) == FileContext._outline_key(second)
    # Shared with sibling files by the CLI: the full facts, computed on demand.
    assert first.own_facts_if_computed == second.computed_own_facts


def test_keystrokes_reuse_outlines_and_match_a_fresh_analysis() -> None:
    """The server path: outlines spliced from the previous analysis give the findings a
    fresh analysis gives (the engine tests also run the incremental debug checks)."""
    text = generate(1200, 2).encode()
    cache = DeclCache()
    settings = Settings()
    analyze(SourceFile.parse("c.go", text), settings, rules=ALL_RULES, cache=cache, go_version=(1, 24))
    assert cache.previous is not None and cache.previous.own_outline is not None
    position = text.index(b"func ", len(text) // 2) + len("func ")
    for edited in (text[:position] + b"x" + text[position:], text):
        incremental = analyze(SourceFile.parse("c.go", edited), settings, rules=ALL_RULES, cache=cache,
                              go_version=(1, 24))
        fresh = analyze(SourceFile.parse("c.go", edited), settings, rules=ALL_RULES, go_version=(1, 24))
        assert incremental.findings == fresh.findings
