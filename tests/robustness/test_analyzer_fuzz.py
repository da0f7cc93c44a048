"""Half-typed and hostile code never breaks the analyzer.

Every testdata file is a seed; hypothesis mutates it the way an editor buffer or a damaged file
does (tokens deleted, duplicated or swapped, truncation, stray brackets, invalid UTF-8, NUL bytes,
mixed CR/CRLF/LF line breaks, code spliced in from another file) and checks that no rule
raises, that every reported offset lies inside the file, that every fix can be applied, and
that the language server's incremental path (per-declaration cache) reports exactly what a
fresh analysis reports.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ctx_lsp.engine.analyze import DeclCache, analyze
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import ALL_RULES
from tests.robustness._support import (
    ALL_SEVERITIES,
    BRACKETS,
    INVALID_UTF8,
    Seed,
    analyse_seed,
    comparable,
    corpus,
    describe,
    fuzz_settings,
    invariant_problems,
    mutate,
)

_POSITION = st.integers(min_value=0, max_value=1 << 20)
_INSERTED = st.sampled_from(INVALID_UTF8 + BRACKETS + (b"\0", b"\0" * 64, b"\r", b"\r\n", b"\n", b";", b":="))

OPERATIONS = st.one_of(
    st.tuples(st.just("delete"), _POSITION),
    st.tuples(st.just("duplicate"), _POSITION),
    st.tuples(st.just("swap"), _POSITION, _POSITION),
    st.tuples(st.just("truncate"), _POSITION),
    st.tuples(st.just("insert"), _POSITION, _INSERTED),
    st.tuples(st.just("line_breaks"), st.integers(min_value=0, max_value=(1 << 32) - 1)),
    st.tuples(st.just("splice"), _POSITION, _POSITION, _POSITION, st.integers(min_value=0, max_value=39)),
)
SEEDS = st.sampled_from(corpus())


def _check(seed: Seed, data: bytes, operations: list[tuple[object, ...]]) -> None:
    analysis = analyse_seed(seed, data)
    problems = invariant_problems(data, analysis)
    assert not problems, f"{seed.name} after {[describe(o) for o in operations]}:\n" + "\n".join(problems)


def test_seed_corpus_is_the_whole_testdata_tree() -> None:
    names = {seed.name for seed in corpus()}
    assert len(names) >= 90
    assert any(name.startswith("lostcancel/") for name in names)
    assert any(name.endswith(".go.golden") for name in names)


def test_unmutated_seeds_satisfy_the_invariants() -> None:
    for seed in corpus():
        _check(seed, seed.data, [])


@fuzz_settings(examples=150)
@given(seed=SEEDS, operations=st.lists(OPERATIONS, min_size=1, max_size=4))
def test_mutated_files_never_break_a_rule(seed: Seed, operations: list[tuple[object, ...]]) -> None:
    _check(seed, mutate(seed.data, operations), operations)


@fuzz_settings(examples=60)
@given(seed=SEEDS, cut=st.integers(min_value=0, max_value=1 << 20), step=st.integers(min_value=1, max_value=97))
def test_every_prefix_of_a_file_is_analysed_safely(seed: Seed, cut: int, step: int) -> None:
    """What an editor sees while a file is typed top to bottom: a few prefixes of it."""
    length = len(seed.data)
    for end in sorted({cut % (length + 1), (cut * step) % (length + 1), length // step}):
        _check(seed, seed.data[:end], [("truncate", end)])


@fuzz_settings(examples=60)
@given(seed=SEEDS, operations=st.lists(OPERATIONS, min_size=1, max_size=3))
def test_cached_incremental_analysis_equals_a_fresh_one(seed: Seed, operations: list[tuple[object, ...]]) -> None:
    """The server reuses findings of unchanged declarations (shifted to their new offset); after
    any edit that must give exactly what analyzing the new text from scratch gives."""
    data = mutate(seed.data, operations)
    cache = DeclCache()
    analyse_seed(seed, cache=cache)
    incremental = analyse_seed(seed, data, cache=cache)
    fresh = analyse_seed(seed, data)
    assert comparable(incremental.findings) == comparable(fresh.findings), [describe(o) for o in operations]


@fuzz_settings(examples=40)
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes_never_break_a_rule(data: bytes) -> None:
    seed = corpus()[0]
    _check(seed, data, [("replace", len(data))])


@fuzz_settings(examples=40)
@given(seed=SEEDS, prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\0", b"\xff\xfe", b"//go:build ignore\n\n"]))
def test_byte_order_marks_and_leading_junk(seed: Seed, prefix: bytes) -> None:
    _check(seed, prefix + seed.data, [("prefix", prefix)])


def test_cache_regenerates_line_numbers_when_only_lines_moved() -> None:
    """Regression (found by the cache fuzz test): an edit above a declaration that keeps the
    byte count but adds a line break (``b`` -> ``\\n``) left the cached message quoting the old
    line number, because findings were only regenerated when their offset moved."""
    body = (b'import "context"\n\n// ab\nfunc f(p context.Context, ok bool) error {\n'
            b"\tctx, cancel := context.WithCancel(p)\n\tif ok {\n\t\treturn nil\n\t}\n"
            b"\tcancel()\n\treturn ctx.Err()\n}\n")
    before = b"package p\n\n" + body
    after = before.replace(b"// ab\n", b"// a\n\n")
    assert len(after) == len(before)
    cache = DeclCache()
    analyze(SourceFile.parse("", before), ALL_SEVERITIES, rules=ALL_RULES, cache=cache, go_version=None)
    incremental = analyze(SourceFile.parse("", after), ALL_SEVERITIES, rules=ALL_RULES, cache=cache, go_version=None)
    fresh = analyze(SourceFile.parse("", after), ALL_SEVERITIES, rules=ALL_RULES, go_version=None)
    assert any("defined on line 8" in f.message for f in fresh.findings)
    assert [f.message for f in incremental.findings] == [f.message for f in fresh.findings]


def test_the_same_text_parsed_differently_is_not_taken_from_the_cache() -> None:
    """Regression (found by the cache fuzz test): a stray "(" after a function's closing
    brace made tree-sitter parse the *unchanged* bytes of a later method as an ERROR node.
    Its findings were served from the cache entry of the well-formed method with the same
    text. Declarations with syntax errors are never cached (DeclCache.facts)."""
    seed = next(s for s in corpus() if s.path.name == "forever.go" and s.path.parent.name == "goroutine-ignores-context")
    data = mutate(seed.data, [("splice", 50, 489, 156, 0)])  # inserts "(" after startTicker's "}"
    assert data != seed.data
    cache = DeclCache()
    analyse_seed(seed, cache=cache)
    incremental = analyse_seed(seed, data, cache=cache)
    assert comparable(incremental.findings) == comparable(analyse_seed(seed, data).findings)
