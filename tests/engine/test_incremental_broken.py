"""Declarations with syntax errors are never cached by text, but after an incremental
re-parse the very node tree-sitter reused keeps its outcome (engine/incremental.py,
invariant 8). The engine tests run with the debug checks on (conftest.py): every analysis
below is also compared with a fresh check of every declaration."""

from __future__ import annotations

import attrs
import tree_sitter

from ctx_lsp.engine import incremental
from ctx_lsp.engine.analyze import DeclCache, analyze
from ctx_lsp.engine.config import DEFAULT_SETTINGS
from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.parse import parse
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import ALL_RULES

EVERYTHING = attrs.evolve(DEFAULT_SETTINGS, min_severity=Severity.HINT)

BROKEN = """package p

import "context"

func broken(parent context.Context) {
\tctx, cancel := context.WithCancel(parent)
\t)
\t_ = ctx
}

func fine(parent context.Context) error {
\tctx, cancel := context.WithCancel(parent)
\tdefer cancel()
\treturn ctx.Err()
}
""" + "".join(f"\nfunc filler{n}() int {{ return {n} }}\n" for n in range(30))


def _edited(tree: tree_sitter.Tree, data: bytes, at: int, text: bytes) -> tuple[bytes, tree_sitter.Tree]:
    """``text`` inserted at byte ``at`` (on one line), re-parsed incrementally."""
    new = data[:at] + text + data[at:]
    row = data.count(b"\n", 0, at)
    column = at - (data.rfind(b"\n", 0, at) + 1)
    old = tree.copy()
    old.edit(start_byte=at, old_end_byte=at, new_end_byte=at + len(text), start_point=(row, column),
             old_end_point=(row, column), new_end_point=(row, column + len(text)))
    return new, parse(new, old)


def _counting_rules(counts: dict[int, int]) -> list[object]:
    """Every rule, counting the checks of declarations with syntax errors by start byte."""
    def wrap(rule):  # type: ignore[no-untyped-def]
        def check(ctx, decl):  # type: ignore[no-untyped-def]
            if decl.has_error:
                counts[decl.start_byte] = counts.get(decl.start_byte, 0) + 1
            return rule.check(ctx, decl)
        return attrs.evolve(rule, check=check)
    return [wrap(rule) for rule in ALL_RULES]


def test_a_broken_declaration_the_parser_reused_is_not_checked_again() -> None:
    incremental.set_debug_checks(False)  # they would check it again: counted here (fixture restores)
    data = BROKEN.encode()
    tree = parse(data)
    counts: dict[int, int] = {}
    rules = _counting_rules(counts)
    cache = DeclCache()
    first = analyze(SourceFile("p.go", data, tree), EVERYTHING, rules=rules, cache=cache, go_version=(1, 24))
    broken_start = data.index(b"func broken")
    assert counts.get(broken_start) and any(f.start >= broken_start for f in first.findings)
    checked_before = counts[broken_start]
    # Type in a declaration far below the broken one: tree-sitter reuses the broken node.
    data2, tree2 = _edited(tree, data, data.index(b"return 29") + len(b"return 29"), b"0")
    assert tree2.root_node.has_error
    second = analyze(SourceFile("p.go", data2, tree2), EVERYTHING, rules=rules, cache=cache, go_version=(1, 24))
    assert counts[broken_start] == checked_before  # taken over, not checked again
    fresh = analyze(SourceFile.parse("p.go", data2), EVERYTHING, rules=ALL_RULES, go_version=(1, 24))
    assert second.findings == fresh.findings
    # Type above it: the broken node moves and is re-checked or taken over, and still right.
    data3, tree3 = _edited(tree2, data2, data2.index(b"import"), b" ")
    third = analyze(SourceFile("p.go", data3, tree3), EVERYTHING, rules=rules, cache=cache, go_version=(1, 24))
    assert third.findings == analyze(SourceFile.parse("p.go", data3), EVERYTHING, rules=ALL_RULES,
                                     go_version=(1, 24)).findings


def test_a_fresh_tree_never_matches_nodes_of_the_previous_one() -> None:
    """Unrelated trees share no node: a fresh parse of the same text re-checks everything."""
    data = BROKEN.encode()
    counts: dict[int, int] = {}
    rules = _counting_rules(counts)
    cache = DeclCache()
    analyze(SourceFile.parse("p.go", data), EVERYTHING, rules=rules, cache=cache, go_version=(1, 24))
    before = dict(counts)
    analyze(SourceFile.parse("p.go", data + b"\n"), EVERYTHING, rules=rules, cache=cache, go_version=(1, 24))
    assert all(counts[start] > checked for start, checked in before.items())
