"""errgroup-context-after-wait: which uses are after Wait, and when the fix is offered."""

from __future__ import annotations

import pytest

from tests.rules._family3 import findings_for, go_testdata

RULE = "errgroup-context-after-wait"
TEMPLATE = """package p

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func use(ctx context.Context) error {{ return nil }}

func f(ctx context.Context, cond bool) error {{
	g, gctx := errgroup.WithContext(ctx)
{body}
	return nil
}}
"""


@pytest.mark.parametrize(("body", "reported"), [
    ("\t_ = g.Wait()\n\t_ = use(gctx)", 1),
    ("\t_ = use(gctx)\n\t_ = g.Wait()", 0),
    ("\tif cond {\n\t\t_ = g.Wait()\n\t}\n\t_ = use(gctx)", 0),
    ("\tif err := g.Wait(); err != nil {\n\t\treturn use(gctx)\n\t}\n\t_ = use(gctx)", 2),
    ("\tfor cond {\n\t\t_ = g.Wait()\n\t\t_ = use(gctx)\n\t}", 1),
    ("\t_ = g.Wait()\n\t_ = context.Cause(gctx)", 0),
    ("\tdefer g.Wait()\n\t_ = use(gctx)", 0),
])
def test_only_uses_that_follow_a_wait_are_reported(body: str, reported: int) -> None:
    assert len(findings_for(RULE, TEMPLATE.format(body=body).encode())) == reported


def test_the_fix_is_left_out_when_the_parent_is_not_a_stable_variable() -> None:
    go_file = go_testdata(RULE, "no_fix.go")
    found = findings_for(RULE, go_file.read_bytes(), path=str(go_file))
    assert len(found) == 2
    assert all(f.fixes == () for f in found)
    overwritten = go_testdata(RULE, "overwritten_parent.go")
    found = findings_for(RULE, overwritten.read_bytes(), path=str(overwritten))
    assert [bool(f.fixes) for f in found] == [False, True]


def test_the_message_follows_the_wait_line_when_lines_move() -> None:
    source = TEMPLATE.format(body="\t_ = g.Wait()\n\t_ = use(gctx)").encode()
    finding = findings_for(RULE, source)[0]
    assert "on line 13 " in finding.message
    moved = finding.shifted(0, lambda offset: source.count(b"\n", 0, offset) + 2)
    assert "on line 15 " in moved.message
