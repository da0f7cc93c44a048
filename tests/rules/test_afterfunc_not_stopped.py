"""afterfunc-not-stopped: loops seen by the control-flow graph, imports, and severity."""

from __future__ import annotations

from ctx_lsp.engine.findings import Severity
from tests.rules._family3 import findings_for, severity_of

RULE = "afterfunc-not-stopped"

LOOP = b"""package p

import "context"

func register(ctx context.Context, jobs []func()) {
\tfor _, job := range jobs {
\t\tcontext.AfterFunc(ctx, job)
\t}
}
"""


def test_a_discarded_stop_in_a_loop_is_a_hint() -> None:
    (finding,) = findings_for(RULE, LOOP)
    assert severity_of(finding) == Severity.HINT
    assert "registration on ctx" in finding.message


def test_a_goto_loop_counts() -> None:
    source = b"""package p

import "context"

func retry(ctx context.Context, job func() bool) {
again:
\tcontext.AfterFunc(ctx, func() {})
\tif !job() {
\t\tgoto again
\t}
}
"""
    assert len(findings_for(RULE, source)) == 1


def test_dot_import_and_a_local_named_context() -> None:
    dotted = LOOP.replace(b'import "context"', b'import . "context"').replace(b"context.AfterFunc(ctx", b"AfterFunc(ctx") \
        .replace(b"ctx context.Context", b"ctx Context")
    assert len(findings_for(RULE, dotted)) == 1
    shadowed = LOOP.replace(b"func register(ctx context.Context, jobs []func()) {",
                            b"func register(ctx context.Context, jobs []func()) {\n\tcontext := registry{}")
    shadowed += b"\ntype registry struct{}\n\nfunc (registry) AfterFunc(context.Context, func()) func() bool { return nil }\n"
    assert findings_for(RULE, shadowed) == []


def test_a_function_literal_in_the_loop_is_its_own_function() -> None:
    source = LOOP.replace(b"\t\tcontext.AfterFunc(ctx, job)\n", b"\t\tgo func() { context.AfterFunc(ctx, job) }()\n")
    assert findings_for(RULE, source) == []
