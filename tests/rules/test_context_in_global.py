"""context-in-global: which name of a multi-name declaration is the context, messages, and the
doc. The shapes are covered by testdata/context-in-global."""

from __future__ import annotations

import pytest

from ctx_lsp.engine.findings import Finding
from ctx_lsp.rules.context_in_global import DOC
from tests.support import rule_findings

RULE = "context-in-global"


def findings_for(body: str, path: str = "p.go") -> list[Finding]:
    return rule_findings(RULE, f'package p\n\nimport "context"\n\n{body}\n', path)


def names(findings: list[Finding], body: str) -> list[str]:
    data = f'package p\n\nimport "context"\n\n{body}\n'.encode()
    return [data[f.start:f.end].decode() for f in findings]


@pytest.mark.parametrize(("body", "expected"), [
    ("var ctx, cancel = context.WithCancel(context.Background())", ["ctx"]),
    ("var _, cancel = context.WithCancel(context.Background())", []),
    ("var a, b = context.WithValue(context.TODO(), 1, 2), context.Background()", ["a"]),
    ("var a, b context.Context = context.Background(), context.WithoutCancel(context.TODO())", ["b"]),
    ("var a, b context.Context", ["a", "b"]),
    ("var f = func() { var inner context.Context; _ = inner }", []),
    ("var m = map[int]func(context.Context){}", []),
])
def test_which_names_are_reported(body: str, expected: list[str]) -> None:
    assert names(findings_for(body), body) == expected


def test_integer_keys_get_the_goroutine_local_storage_message() -> None:
    integer, = findings_for("var byID = map[uint32]context.Context{}")
    named, = findings_for("type goid int64\n\nvar byID = map[goid]context.Context{}")
    assert "goroutine-local storage is emulated" in integer.message
    assert "goroutine-local storage" not in named.message  # the key's underlying type is unknown
    assert named.message.endswith("pass ctx as the first parameter of each function that needs it instead")


def test_a_local_type_named_like_an_integer_is_not_one() -> None:
    finding, = findings_for("type uint64 struct{}\n\nvar byID = map[uint64]context.Context{}")
    assert "goroutine-local storage" not in finding.message


def test_test_files_are_not_reported() -> None:
    assert findings_for("var ctx context.Context", path="x_test.go") == []


def test_doc_quotes_real_messages() -> None:
    flat_doc = " ".join(DOC.split())
    for body in ("var current context.Context", "var byGoroutine = map[uint64]context.Context{}",
                 "var appCtx, stop = context.WithCancel(context.Background())"):
        finding, = findings_for(body)
        assert " ".join(finding.message.split()[:14]) in flat_doc, finding.message
    assert "PLACEHOLDER" not in DOC
