"""finalizer-prefer-cleanup: the rewrite is offered only when mechanical, and what it
produces never keeps the object alive."""

from __future__ import annotations

import pytest

from ctx_lsp.engine.fixes import apply_preferred_fixes
from ctx_lsp.rules.finalizer_prefer_cleanup import _qualifiers
from tests.rules._family3 import findings_for, go_testdata
from tests.test_testdata import run_rule_on

RULE = "finalizer-prefer-cleanup"


@pytest.mark.parametrize("name", ["no_fix.go", "disarmed.go", "cross_without_import.go"])
def test_no_rewrite_is_offered_when_it_is_not_mechanical(name: str) -> None:
    _, findings = run_rule_on(RULE, go_testdata(RULE, name))
    assert findings, "the hint itself must still be reported"
    assert [f for f in findings if f.fixes] == []


@pytest.mark.parametrize("name", ["rewrite.go", "renamed.go", "dot_import.go", "cross_with_import.go"])
def test_rewritten_cleanup_never_refers_to_the_object(name: str) -> None:
    go_file = go_testdata(RULE, name)
    src, findings = run_rule_on(RULE, go_file)
    fixed, applied = apply_preferred_fixes(src.data, findings)
    assert applied == len(findings)
    assert b"SetFinalizer(" not in fixed
    # The rewritten calls are AddCleanup calls now: finalizer-self-reference checks that
    # neither the cleanup nor arg refers to the registered object.
    assert findings_for("finalizer-self-reference", fixed, path=str(go_file), go_version=(1, 24)) == []


def test_a_rewrite_that_would_capture_the_object_is_refused() -> None:
    source = b"""package p

import "runtime"

type node struct{ name string }

func f() *node {
	n := &node{}
	runtime.SetFinalizer(n, func(p *node) { println(p.name, n != nil) })
	return n
}
"""
    findings = findings_for(RULE, source, go_version=(1, 24))
    assert len(findings) == 1 and not findings[0].fixes


def test_nothing_is_reported_before_go_1_24_or_without_go_mod() -> None:
    source = go_testdata(RULE, "rewrite.go").read_bytes()
    assert findings_for(RULE, source, go_version=(1, 23)) == []
    assert findings_for(RULE, source, go_version=None) == []
    assert len(findings_for(RULE, source, go_version=(1, 26))) == 5


@pytest.mark.parametrize(("type_text", "expected"), [
    ("int", []),
    ("*os.File", ["os"]),
    ("map[string]*bufio.Writer", ["bufio"]),
    ("func(a.B) c.D", ["a", "c"]),
    ("[]struct{ x int }", []),
])
def test_package_qualifiers_of_a_field_type(type_text: str, expected: list[str]) -> None:
    assert _qualifiers(type_text) == expected
