"""context-key-type: key classification helpers, the "introduce a key type" fix (names, when
it is offered, which finding prefers it) and the read-by-name exemption."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.fixes import apply_preferred_fixes
from ctx_lsp.rules.context_key_type import DOC, key_type_name, string_value
from tests.support import rule_findings

RULE = "context-key-type"
TESTDATA = Path(__file__).resolve().parents[2] / "testdata" / RULE


def findings_for(source: str) -> list[Finding]:
    return rule_findings(RULE, source)


def program(body: str) -> str:
    return f'package p\n\nimport "context"\n\nfunc f(ctx context.Context) any {{\n{body}\n\treturn nil\n}}\n'


@pytest.mark.parametrize(("value", "name"), [
    ("request-id", "requestIDKey"),
    ("user", "userKey"),
    ("X-Tenant", "xTenantKey"),
    ("traceID", "traceIDKey"),
    ("URL", "urlKey"),
    ("api.version", "apiVersionKey"),
    ("session_key", "sessionKey"),
    ("key", "ctxKey"),
    ("1st", "key1stKey"),
    ("", "ctxKey"),
    ("日本", "ctxKey"),
])
def test_key_type_names(value: str, name: str) -> None:
    assert key_type_name(value) == name


@pytest.mark.parametrize(("text", "value"), [
    ('"user"', "user"),
    ("`user`", "user"),
    ('"a\\tb"', None),  # escapes are not decoded; no fix is offered for them
    ('"', None),
])
def test_string_value(text: str, value: str | None) -> None:
    assert string_value(text) == value


def test_fix_not_offered_when_the_string_is_also_used_elsewhere() -> None:
    source = (TESTDATA / "fix_literal_used_elsewhere.go").read_text()
    findings = findings_for(source)
    assert findings and all(f.fixes == () for f in findings)


def test_fix_not_offered_when_the_value_is_never_read_in_the_file() -> None:
    finding, = findings_for(program('\tctx = context.WithValue(ctx, "user", 1)\n\t_ = ctx'))
    assert finding.fixes == ()


def test_every_finding_of_a_literal_carries_the_fix_but_only_the_first_prefers_it() -> None:
    body = ('\tctx = context.WithValue(ctx, "user", 1)\n\tctx = context.WithValue(ctx, "user", 2)\n'
            '\treturn ctx.Value("user")')
    findings = findings_for(program(body))
    assert len(findings) == 2
    first, second = findings
    assert first.fixes[0].preferred and not second.fixes[0].preferred
    assert first.fixes[0].edits == second.fixes[0].edits
    fixed, applied = apply_preferred_fixes(program(body).encode(), findings)
    assert applied == 1
    assert fixed.decode().count("userKey{}") == 3
    assert "type userKey struct{}" in fixed.decode()


def test_two_literals_get_two_key_types() -> None:
    body = ('\tctx = context.WithValue(ctx, "user", 1)\n\tctx = context.WithValue(ctx, "tenant", 2)\n'
            '\t_ = ctx.Value("tenant")\n\treturn ctx.Value("user")')
    findings = findings_for(program(body))
    titles = sorted(f.fixes[0].title for f in findings)
    assert titles == ['Introduce key type tenantKey for "tenant" (rewrites all 2 uses in this file)',
                      'Introduce key type userKey for "user" (rewrites all 2 uses in this file)']


def test_read_by_name_needs_tag_or_template_delimiters() -> None:
    tagged = program('\ttype p struct {\n\t\tName string `ctx:"name"`\n\t}\n\t_ = p{}\n'
                     '\tctx = context.WithValue(ctx, "name", 1)\n\t_ = ctx')
    prose = program('\t_ = "set the name below"\n\tctx = context.WithValue(ctx, "name", 1)\n\t_ = ctx')
    assert findings_for(tagged) == []
    assert len(findings_for(prose)) == 1


@pytest.mark.parametrize(("key", "type_name"), [
    ("int8(1)", "int8"),
    ("(string)(\"k\")", "string"),
    ("any(any(3))", "int"),
    ("interface{}(1.5)", "float64"),
    ("'x'", "rune"),
    ("false", "bool"),
])
def test_key_types_in_messages(key: str, type_name: str) -> None:
    finding, = findings_for(program(f"\tctx = context.WithValue(ctx, {key}, 1)\n\t_ = ctx"))
    assert f"built-in type {type_name}," in finding.message


def test_keys_shadowed_or_of_unknown_type_are_not_reported() -> None:
    body = ('\ttype string int\n\tctx = context.WithValue(ctx, string(1), 1)\n'
            '\tvar k any = "x"\n\tctx = context.WithValue(ctx, k, 1)\n\t_ = ctx')
    assert findings_for(program(body)) == []


def test_doc_quotes_real_messages() -> None:
    flat_doc = " ".join(DOC.split())
    for key in ('"k"', "struct{}{}"):
        finding, = findings_for(program(f"\tctx = context.WithValue(ctx, {key}, 1)\n\t_ = ctx"))
        assert " ".join(finding.message.split()) in flat_doc, finding.message
    assert "PLACEHOLDER" not in DOC


def _literal_lookups_agree(source: bytes) -> int:
    """Every value's literals found by a byte search equal those of the query over all
    strings; returns how many values were compared."""
    from ctx_lsp.engine.context import FileContext
    from ctx_lsp.engine.source import SourceFile
    from ctx_lsp.rules.context_key_type import _FileStrings

    ctx = FileContext(SourceFile.parse("x.go", source))
    by_query = _FileStrings(ctx)
    by_query.delimited  # builds the query's index first: literals() then answers from it
    values = {value for value in by_query._index()[0] if value is not None}
    for value in sorted(values) + ["no such literal", ""]:
        by_search = _FileStrings(ctx).literals(value)
        assert [(n.start_byte, n.end_byte) for n in by_search] == [
            (n.start_byte, n.end_byte) for n in by_query.literals(value)], value
    return len(values)


def test_literals_found_by_search_equal_the_query_over_every_string() -> None:
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from gen_corpus import generate

    sources = [path.read_bytes() for path in sorted(Path(TESTDATA).parent.rglob("*.go"))]
    sources.append(generate(3000, 3).encode())
    sources.append(b'package p\n\nvar a, b, c, d = "k", `k`, "a\\"k", `"k"`\nvar e = """"\n')  # overlaps, nesting
    sources.append(b'package p\n\nfunc f() { g("k", `k` \n')  # broken text
    compared = sum(_literal_lookups_agree(source) for source in sources)
    assert compared > 500


def test_raw_literal_with_carriage_return_is_found() -> None:
    """A raw literal drops carriage returns from its value: the search cannot see it, so a
    file with one uses the query."""
    from ctx_lsp.engine.context import FileContext
    from ctx_lsp.engine.source import SourceFile
    from ctx_lsp.rules.context_key_type import _FileStrings

    ctx = FileContext(SourceFile.parse("x.go", b'package p\r\n\r\nvar a, b = `k\r`, "k"\r\n'))
    assert [n.start_byte for n in _FileStrings(ctx).literals("k")] == [24, 30]
