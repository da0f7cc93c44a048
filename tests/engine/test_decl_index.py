"""DeclIndex answers exactly what a query of its own would, on every declaration of the
testdata, the benchmark corpus and half-typed code; and package facts computed through the
index equal those computed by their own query (the server caches facts by declaration text,
whichever way they were computed)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.decl_index import INDEXED_KINDS, DeclIndex, nodes_of_kind_by_query
from ctx_lsp.engine.package import decl_facts
from ctx_lsp.engine.parse import GO_LANGUAGE, parse
from ctx_lsp.engine.source import SourceFile

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "bench"))
from gen_corpus import generate  # noqa: E402

Node = tree_sitter.Node

# The question each rule used to ask with a query of its own, for comparison.
_CALLS_QUERY = tree_sitter.Query(GO_LANGUAGE, """
    (call_expression function: (identifier) @name) @call
    (call_expression function: (selector_expression field: (field_identifier) @name)) @call
    (call_expression function: (parenthesized_expression (selector_expression
        field: (field_identifier) @name))) @call
""")

HALF_TYPED = b"""package p

import "context"

func unlockLater(mu *sync.Mutex) {
	defer (mu.Unlock)() // parenthesized: not a call the package facts record
	mu.Lock()
}

func broken(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx
	for {
		defer cancel()
		go func() { return }(
	}
	x := (a.WithTimeout)(ctx, 1)
	f(x).WithCancel(g(x))
}

func (t *T) next() { return
"""


def _sources() -> Iterator[tuple[str, bytes]]:
    for path in sorted((ROOT / "testdata").rglob("*.go")):
        yield str(path.relative_to(ROOT)), path.read_bytes()
    yield "corpus", generate(1_500, 3).encode()
    yield "half-typed", HALF_TYPED


SOURCES = list(_sources())


def _calls_by_query(node: Node) -> dict[tuple[int, int], str]:
    found: dict[tuple[int, int], str] = {}
    for _, captures in tree_sitter.QueryCursor(_CALLS_QUERY).matches(node):
        call, name = captures["call"][0], captures["name"][0]
        found[(call.start_byte, call.end_byte)] = (name.text or b"").decode("utf-8", "surrogateescape")
    return found


def _ranges(nodes: list[Node]) -> list[tuple[int, int]]:
    return [(node.start_byte, node.end_byte) for node in nodes]


@pytest.mark.parametrize(("name", "data"), SOURCES, ids=[name for name, _ in SOURCES])
def test_index_answers_like_a_query(name: str, data: bytes) -> None:
    root = parse(data).root_node
    tops = root.named_children
    checked = 0
    for top in tops:
        index = DeclIndex(top)
        # Ask about the declaration itself and about every function and block inside it.
        subjects = [top, *index.nodes_of_kind(top, "func_literal"),
                    *(n for n in nodes_of_kind_by_query(top, "block"))]
        for subject in subjects:
            for kind in INDEXED_KINDS:
                assert _ranges(index.nodes_of_kind(subject, kind)) == _ranges(nodes_of_kind_by_query(subject, kind)), \
                    (name, kind, subject.start_point)
            expected = _calls_by_query(subject)
            got = {(call.start, call.end): call.name for call in index.calls_in(subject)}
            assert got == expected, (name, subject.start_point)
            names = frozenset(list(expected.values())[:2])
            assert _ranges(index.calls_named(subject, names)) == sorted(
                (span for span, callee in expected.items() if callee in names), key=lambda s: (s[0], -s[1]))
            checked += 1
    assert checked >= len(tops)


@pytest.mark.parametrize(("name", "data"), SOURCES, ids=[name for name, _ in SOURCES])
def test_facts_through_the_index_equal_facts_by_query(name: str, data: bytes) -> None:
    src = SourceFile.parse("p.go", data)
    ctx = FileContext(src, go_version=None)
    for top in src.root.named_children:
        assert decl_facts(top, "p.go", ctx.index) == decl_facts(top, "p.go"), (name, top.start_point)


def test_a_kind_outside_the_index_is_still_answered() -> None:
    src = SourceFile.parse("p.go", b"package p\n\nfunc f() {\n\tif a { b() }\n\tif c { d() }\n}\n")
    ctx = FileContext(src, go_version=None)
    function = src.root.named_children[1]
    assert "if_statement" not in INDEXED_KINDS
    assert len(ctx.nodes_of_kind(function, "if_statement")) == 2


def test_nested_calls_that_start_together_are_both_found() -> None:
    # f(x).WithCancel(...) and f(x) start at the same byte; the old per-rule query kept one.
    src = SourceFile.parse("p.go", b"package p\n\nfunc g() {\n\tf(x).WithCancel(y)\n}\n")
    ctx = FileContext(src, go_version=None)
    function = src.root.named_children[1]
    calls = ctx.calls_named(function, frozenset({"f", "WithCancel"}))
    assert [src.text(call) for call in calls] == ["f(x).WithCancel(y)", "f(x)"]
