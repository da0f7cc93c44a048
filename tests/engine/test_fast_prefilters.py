"""Fast byte prefilters must answer exactly as the slower tests they replace.

Each fast form exists only for speed (tests/bench/compare_findings.py checks whole runs);
these pin the equivalence on generated text built from the bytes that matter, where a
whole-corpus comparison would rarely meet the corner cases (word boundaries, ``==``,
names inside longer words).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ctx_lsp.engine import decl_extras
from ctx_lsp.rules import context_in_loop

# Pieces that make the patterns match or nearly match.
_PIECES = [
    "append(", "xappend(", "Push(", "PushBack(", "_Push(", "9Put(", "new(", "renew(", "_new(", "new (",
    "= ", "=", "==", ":", ",", "(", ")", "{", "}", "&", "T", "T{", "x.y", "s.ctx", " ", "\t", "\n", "<-", "chan",
    "ctx", "f(", "wrap(", "wrap2(", "Wrap(", "With", "WithCancel", "WithValue", "NotifyContext", "Context",
    "ContextWithSpan", "NewOutgoingContext", "é", "x",
]
texts = st.lists(st.sampled_from(_PIECES), max_size=30).map(lambda parts: "".join(parts).encode())


@settings(max_examples=400, deadline=None)
@given(texts)
def test_queue_call_and_composite_tests_match_the_regular_expressions(data: bytes) -> None:
    assert decl_extras._has_queue_call(data) == (decl_extras._QUEUE_CALL.search(data) is not None)
    assert decl_extras._has_composite(data) == (decl_extras._COMPOSITE.search(data) is not None)


@settings(max_examples=400, deadline=None)
@given(texts, st.integers(0, 5), st.integers(0, 5))
def test_context_in_loop_prefilters(data: bytes, cut_start: int, cut_end: int) -> None:
    start, end = min(cut_start, len(data)), max(min(len(data), len(data) - cut_end), 0)
    start = min(start, end)
    expected = any(data.find(name, start, end) >= 0 for name in context_in_loop._DERIVER_NAMES)
    assert context_in_loop._names_a_deriver(data, start, end) == expected
    candidates = frozenset({"wrap", "f", "Wrap"})
    if not context_in_loop._self_called(data, start, end).isdisjoint(candidates):
        assert context_in_loop._may_self_call(data, start, end, candidates)


def test_the_prefilters_see_their_examples() -> None:
    """The cases the equivalence arguments turn on, spelled out."""
    assert decl_extras._has_queue_call(b"q = append(q, x)")
    assert not decl_extras._has_queue_call(b"q = xappend(q, x)")
    assert decl_extras._has_queue_call(b"xappend(q); Push(x)")
    assert decl_extras._has_composite(b"v := new(T)")
    assert not decl_extras._has_composite(b"v := renew(T)")
    assert decl_extras._has_composite(b"f(T{})")
    assert context_in_loop._may_self_call(b"ctx = wrap(ctx)", 0, 15, frozenset({"wrap"}))
    assert not context_in_loop._may_self_call(b"ctx == wrap(ctx)", 0, 16, frozenset({"other"}))
    assert context_in_loop._names_a_deriver(b"signal.NotifyContext(", 0, 21)
    assert not context_in_loop._names_a_deriver(b"context.Background()", 0, 20)


def test_checks_find_nothing_in_declarations_without_their_decl_needles() -> None:
    """``Rule.decl_needles`` lets the engine skip a check: called anyway on every top-level
    declaration of the testdata that contains none of them, each check reports nothing."""
    from pathlib import Path

    from ctx_lsp.engine.context import FileContext
    from ctx_lsp.engine.source import SourceFile
    from ctx_lsp.rules import ALL_RULES

    with_needles = [rule for rule in ALL_RULES if rule.decl_needles]
    assert len(with_needles) >= 15
    skipped = 0
    root = Path(__file__).resolve().parents[2] / "testdata"
    for path in sorted(root.rglob("*.go")):
        src = SourceFile.parse(str(path), path.read_bytes())
        ctx = FileContext(src, go_version=(1, 24))
        for node in ctx.top_level:
            text = src.data[node.start_byte : node.end_byte]
            for rule in with_needles:
                if not any(needle in text for needle in rule.decl_needles):
                    skipped += 1
                    assert list(rule.check(ctx, node)) == [], (rule.id, path, node.start_point)
    assert skipped > 1000
