"""goroutine-blocked-send: cases the testdata does not pin down (messages that follow edits,
the exits reported, lookalikes of make and main)."""

from __future__ import annotations

from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.fixes import apply_preferred_fixes
from ctx_lsp.engine.source import SourceFile
from tests.rules._family3 import findings_for, severity_of

RULE = "goroutine-blocked-send"

FETCH = b"""package p

import "context"

func fetch(ctx context.Context) int {
\tch := make(chan int)
\tgo func() {
\t\tch <- 1
\t}()
\tselect {
\tcase v := <-ch:
\t\treturn v
\tcase <-ctx.Done():
\t}
\treturn 0
}
"""


def test_reported_as_a_warning_on_the_send_with_every_skipping_exit() -> None:
    (finding,) = findings_for(RULE, FETCH)
    src = SourceFile.parse("p.go", FETCH)
    assert src.data[finding.start:finding.end] == b"ch <- 1"
    assert severity_of(finding) == Severity.WARNING
    exits = [src.data[r.start:r.end] for r in finding.related if "returns here" in r.message]
    assert exits == [b"return 0"]
    assert "(line 15)" in finding.message


def test_falling_off_the_end_is_an_exit_too() -> None:
    source = FETCH.replace(b"func fetch(ctx context.Context) int {", b"func fetch(ctx context.Context) {") \
        .replace(b"\t\treturn v\n", b"\t\t_ = v\n").replace(b"\treturn 0\n", b"")
    (finding,) = findings_for(RULE, source)
    (exit_,) = [r for r in finding.related if "returns here" in r.message]
    assert source[exit_.start:exit_.end] == b"}"


def test_the_quoted_line_follows_an_edit_above() -> None:
    (finding,) = findings_for(RULE, FETCH)
    moved = finding.shifted(0, lambda offset: FETCH.count(b"\n", 0, offset) + 1)  # one line inserted above
    assert "(line 16)" in moved.message


def test_fix_gives_one_slot_per_send() -> None:
    (finding,) = findings_for(RULE, FETCH)
    fixed, applied = apply_preferred_fixes(FETCH, [finding])
    assert applied and b"ch := make(chan int, 1)" in fixed
    assert findings_for(RULE, fixed) == []


def test_a_local_function_named_make_is_not_the_builtin() -> None:
    source = FETCH.replace(b"\tch := make(chan int)\n",
                           b"\tmake := func(chan int) chan int { return nil }\n\tch := make(chan int)\n")
    assert findings_for(RULE, source) == []


def test_main_is_exempt_only_in_package_main() -> None:
    body = FETCH.replace(b"func fetch(ctx context.Context) int {", b"func main() {") \
        .replace(b"\t\treturn v\n", b"\t\t_ = v\n").replace(b"\treturn 0\n", b"") \
        .replace(b"case <-ctx.Done():", b"case <-context.Background().Done():")
    assert len(findings_for(RULE, body)) == 1
    assert findings_for(RULE, body.replace(b"package p", b"package main")) == []


def test_half_typed_code_does_not_crash() -> None:
    source = FETCH.replace(b"\tcase <-ctx.Done():\n", b"\tcase <-ctx.Done(:\n")
    findings_for(RULE, source)  # no exception; findings may or may not survive the error


def test_a_send_inside_a_select_in_the_goroutine_is_not_reported() -> None:
    source = FETCH.replace(b"\t\tch <- 1\n", b"\t\tselect {\n\t\tcase ch <- 1:\n\t\tcase <-ctx.Done():\n\t\t}\n")
    assert findings_for(RULE, source) == []
