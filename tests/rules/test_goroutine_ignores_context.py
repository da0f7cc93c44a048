"""goroutine-ignores-context: what testdata cannot show — a context from a package that is not
available offline, the finding's range, the cheap pre-check agreeing with the graph, and deep
nesting."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.decl_index import nodes_of_kind_by_query
from ctx_lsp.rules.goroutine_ignores_context import _can_finish, _functions_that_may_run_forever, _started_literal
from tests.support import rule_findings

RULE = "goroutine-ignores-context"
TESTDATA = Path(__file__).resolve().parents[2] / "testdata"


def findings_for(source: str) -> list[Finding]:
    return rule_findings(RULE, source)


ERRGROUP = """package p

import "golang.org/x/sync/errgroup"

func f(parent context.Context, work func()) {
	g, {name} := errgroup.WithContext(parent)
	_ = g
	go func() {
		for {
			work()
		}
	}()
}
"""


def test_errgroup_context_is_a_context_at_hand() -> None:
    # parent is typed with an unimported package here, so only the errgroup result counts.
    findings = findings_for(ERRGROUP.replace("{name}", "gctx"))
    assert [f.message.split(":")[0] for f in findings] == ["this goroutine can never return and never uses gctx"]


def test_errgroup_group_alone_is_not_a_context() -> None:
    source = ERRGROUP.replace("g, {name} :=", "g, _ :=")
    assert findings_for(source) == []


def test_range_runs_from_go_to_the_opening_brace() -> None:
    source = ("package p\n\nimport \"context\"\n\nfunc f(ctx context.Context) {\n"
              "\tgo func() {\n\t\tselect {}\n\t}()\n}\n")
    [finding] = findings_for(source)
    data = source.encode()
    assert data[finding.start : finding.end] == b"go func() {"


@pytest.mark.parametrize("go_file", sorted((TESTDATA / RULE).rglob("*.go")), ids=lambda p: p.name)
def test_cheap_precheck_never_hides_a_literal_that_cannot_finish(go_file: Path) -> None:
    """The pre-check skips the graph for most literals; it must never skip one the graph says
    cannot finish."""
    src = SourceFile.parse(str(go_file), go_file.read_bytes())
    ctx = FileContext(src, go_version=None)
    literals = 0
    for decl in src.root.named_children:
        endless = _functions_that_may_run_forever(ctx, decl)
        for statement in nodes_of_kind_by_query(decl, "go_statement"):
            literal = _started_literal(statement)
            if literal is None:
                continue
            literals += 1
            if literal.start_byte not in endless:
                assert _can_finish(ctx, ctx.cfg(literal)), src.text(literal)
    assert literals


def test_deep_nesting_inside_the_literal() -> None:
    depth = 1500
    opening = "".join("\t" * (3 + i) + "if x {\n" for i in range(depth))
    closing = "".join("\t" * (3 + i) + "}\n" for i in reversed(range(depth)))
    inner = "\t" * (3 + depth)
    source = ("package p\n\nimport \"context\"\n\nfunc f(ctx context.Context, x bool) {\n\tgo func() {\n"
              f"\t\tfor {{\n{opening}{inner}work()\n{closing}\t\t}}\n\t}}()\n}}\n")
    assert len(findings_for(source)) == 1
