"""context-in-loop: the graph questions behind it (``Flow.reaches``), and inputs testdata does
not hold: broken code and deep nesting."""

from __future__ import annotations

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.syntax import path_between, walk
from ctx_lsp.rules._loops import Flow
from tests.support import rule_findings

RULE = "context-in-loop"


def findings_for(source: str) -> list[Finding]:
    return rule_findings(RULE, source)


def flow_of(body: str) -> tuple[Flow, dict[str, object]]:
    """The flow of ``func f() { body }`` and its call statements by called name."""
    src = SourceFile.parse("p.go", f"package p\n\nfunc f() {{\n{body}\n}}\n".encode())
    function = src.root.named_children[-1]
    flow = Flow(FileContext(src, go_version=None).cfg(function))
    calls = {}
    for node in walk(function):
        if node.type == "expression_statement":
            calls[src.text(node).rstrip("()")] = node
    return flow, calls


def test_straight_line_goes_forward_only() -> None:
    flow, s = flow_of("a()\nb()")
    assert flow.reaches(s["a"], s["b"])
    assert not flow.reaches(s["b"], s["a"])
    assert not flow.reaches(s["a"], s["a"])


def test_a_loop_comes_back_unless_a_stop_is_in_the_way() -> None:
    flow, s = flow_of("for {\n\ta()\n\tb()\n\tc()\n}")
    assert flow.reaches(s["a"], s["a"])
    assert flow.reaches(s["c"], s["b"])
    stop_at_b = lambda node: node == s["b"]  # noqa: E731 - a tiny stop test
    assert not flow.reaches(s["a"], s["a"], stop_at_b)
    assert flow.reaches(s["c"], s["a"], lambda node: node == s["a"])  # the target itself is no stop
    assert flow.reaches(s["c"], s["a"], stop_at_b)


def test_a_stop_on_one_branch_leaves_the_other_open() -> None:
    flow, s = flow_of("for {\n\ta()\n\tif x {\n\t\tb()\n\t}\n}")
    assert flow.reaches(s["a"], s["a"], lambda node: node == s["b"])


def test_a_body_that_always_returns_runs_once() -> None:
    flow, s = flow_of("for {\n\ta()\n\treturn\n}")
    assert not flow.reaches(s["a"], s["a"])


def test_statement_on_finds_the_statement_holding_a_closure() -> None:
    src = SourceFile.parse("p.go", b"package p\n\nfunc f() {\n\tfor {\n\t\trun(func() { use(v) })\n\t}\n}\n")
    function = src.root.named_children[-1]
    flow = Flow(FileContext(src, go_version=None).cfg(function))
    use = next(n for n in walk(function) if n.type == "identifier" and n.text == b"v")
    statement = flow.statement_on(path_between(function, use))
    assert statement is not None and src.text(statement) == "run(func() { use(v) })"


def test_broken_code_does_not_crash() -> None:
    source = ("package p\n\nimport \"context\"\n\nfunc f(ctx context.Context, xs []int) {\n"
              "\tfor _, x := range xs {\n\t\tctx = context.WithValue(ctx, k, x\n\t\tuse(ctx)\n")
    findings_for(source)  # must not raise (analyze reports a rule's exception as an error)


def test_deep_nesting_inside_the_loop() -> None:
    depth = 1500
    opening = "".join("\t" * (2 + i) + "if x {\n" for i in range(depth))
    closing = "".join("\t" * (2 + i) + "}\n" for i in reversed(range(depth)))
    inner = "\t" * (2 + depth)
    source = ("package p\n\nimport \"context\"\n\nfunc f(ctx context.Context, x bool) {\n\tfor {\n"
              f"{opening}{inner}ctx = context.WithValue(ctx, 1, 2)\n{inner}use(ctx)\n{closing}\t}}\n}}\n")
    assert len(findings_for(source)) == 1
