"""cancel-deferred-in-loop: the wrap-in-a-literal fix on inputs testdata cannot hold (CRLF line
ends, whitespace-only lines), the jump analysis behind it, and deep nesting."""

from __future__ import annotations

import pytest

from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.fixes import apply_preferred_fixes
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.syntax import walk
from ctx_lsp.rules.cancel_deferred_in_loop import _jumps_stay_inside
from tests.support import parse, rule_findings

RULE = "cancel-deferred-in-loop"

LOOP = """package p

import "context"

func f(parent context.Context, names []string) {
	for range names {
		ctx, cancel := context.WithCancel(parent)
		defer cancel()
{extra}		_ = ctx
	}
}
"""


def findings_for(source: str) -> tuple[SourceFile, list[Finding]]:
    src = parse(source)
    return src, rule_findings(RULE, src)


def fixed(source: str) -> str:
    src, findings = findings_for(source)
    assert len(findings) == 1
    data, applied = apply_preferred_fixes(src.data, findings)
    assert applied == 1
    return data.decode()


def test_wrap_keeps_crlf_line_ends() -> None:
    source = LOOP.replace("{extra}", "")
    expected = fixed(source).replace("\n", "\r\n")
    assert fixed(source.replace("\n", "\r\n")) == expected
    assert "\r\n\t\tfunc() {\r\n" in expected


def test_wrap_leaves_whitespace_only_lines_alone() -> None:
    result = fixed(LOOP.replace("{extra}", "  \n"))
    assert "\n  \n" in result  # not "\t  "
    assert "\t\t\tdefer cancel()\n" in result


def test_wrap_does_not_reindent_block_comment_lines() -> None:
    result = fixed(LOOP.replace("{extra}", "\t\t/* first\n   second */\n"))
    assert "\t\t\t/* first\n   second */\n" in result


def test_reported_but_not_fixed_when_the_body_has_a_syntax_error() -> None:
    _src, findings = findings_for(LOOP.replace("{extra}", "\t\tx := := 1\n"))
    assert [f.fixes for f in findings] == [()]


def _body_of_first_loop(go_body: str) -> SourceFile:
    return SourceFile.parse("p.go", f"package p\n\nfunc f() {{\n{go_body}\n}}\n".encode())


@pytest.mark.parametrize(("body", "expected"), [
    ("for {\n\tselect {\n\tcase <-c:\n\t\tbreak\n\t}\n}", True),
    ("for {\n\tswitch {\n\tcase a:\n\t\tfallthrough\n\tdefault:\n\t\tbreak\n\t}\n}", True),
    ("for {\n\tfor {\n\t\tcontinue\n\t}\n}", True),
    ("for {\n\tf := func() int { return 1 }\n\t_ = f\n}", True),
    ("for {\n\tgoto inner\ninner:\n\tx()\n}", True),
    ("for {\nscan:\n\tfor {\n\t\tbreak scan\n\t}\n}", True),
    ("for {\n\treturn\n}", False),
    ("for {\n\tif a {\n\t\tbreak\n\t}\n}", False),
    ("for {\n\tselect {\n\tdefault:\n\t\tcontinue\n\t}\n}", False),
    ("outer:\n\tfor {\n\t\tfor {\n\t\t\tbreak outer\n\t\t}\n\t}", False),
    ("for {\n\tgoto done\n}\ndone:\n\tx()", False),
])
def test_jumps_that_wrapping_would_change(body: str, expected: bool) -> None:
    src = _body_of_first_loop(body)
    loops = [n for n in walk(src.root) if n.type == "for_statement"]
    loop_body = loops[0].child_by_field_name("body")
    assert loop_body is not None
    assert _jumps_stay_inside(loop_body) is expected


def test_deeply_nested_defer_is_found_without_recursion() -> None:
    depth = 1500
    opening = "".join("\t" * (2 + i) + "if x {\n" for i in range(depth))
    closing = "".join("\t" * (2 + i) + "}\n" for i in reversed(range(depth)))
    inner = "\t" * (2 + depth)
    source = ("package p\n\nimport \"context\"\n\nfunc f(parent context.Context, x bool) {\n\tfor {\n"
              f"{opening}{inner}ctx, cancel := context.WithCancel(parent)\n{inner}defer cancel()\n"
              f"{inner}_ = ctx\n{closing}\t}}\n}}\n")
    _src, findings = findings_for(source)
    assert len(findings) == 1
