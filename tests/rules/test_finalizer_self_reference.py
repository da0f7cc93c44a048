"""finalizer-self-reference, plus robustness of the whole finalizer family (shared code):
broken and deeply nested sources must not crash any of the five rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules._family3 import findings_for

FAMILY = ("finalizer-resource", "finalizer-self-reference", "finalizer-invalid", "finalizer-prefer-cleanup",
          "forced-gc")
TESTDATA = Path(__file__).resolve().parents[2] / "testdata"


def _family_files() -> list[Path]:
    return sorted(p for rule in FAMILY for p in (TESTDATA / rule).glob("*.go"))


@pytest.mark.parametrize("go_file", _family_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_truncated_sources_do_not_crash_the_family(go_file: Path) -> None:
    """Cutting a file anywhere leaves ERROR and MISSING nodes; every rule must cope."""
    data = go_file.read_bytes()
    for cut in range(0, len(data), max(1, len(data) // 40)):
        for rule in FAMILY:
            findings_for(rule, data[:cut], path=str(go_file), go_version=(1, 24))  # asserts no rule error


def test_deep_nesting_does_not_exhaust_the_stack() -> None:
    depth = 3000
    body = "{" * depth + "runtime.SetFinalizer(x, func(*T) { println(x) })" + "}" * depth
    source = f"package p\n\nimport \"runtime\"\n\ntype T struct{{}}\n\nfunc f(x *T) {{\n{body}\n}}\n".encode()
    for rule in FAMILY:
        findings_for(rule, source, go_version=(1, 24))
    assert len(findings_for("finalizer-self-reference", source)) == 1


def test_the_object_reached_through_a_field_names_the_variable() -> None:
    source = b"""package p

import "runtime"

type inner struct{}
type outer struct{ in *inner }

func f(o *outer) {
	runtime.SetFinalizer(o.in, func(*inner) { println(o != nil) })
}
"""
    [finding] = findings_for("finalizer-self-reference", source)
    assert "closes over o, which holds the finalized object o.in" in finding.message


def test_a_var_declared_closure_is_followed() -> None:
    source = b"""package p

import "runtime"

type T struct{ n int }

func f() *T {
	x := &T{}
	var (
		other = 1
		fin   = func(*T) { println(x.n, other) }
	)
	runtime.SetFinalizer(x, fin)
	return x
}
"""
    [finding] = findings_for("finalizer-self-reference", source)
    assert finding.message.startswith("the finalizer closes over x")


def test_a_callback_variable_whose_address_is_taken_is_not_followed() -> None:
    source = b"""package p

import "runtime"

type T struct{ n int }

func f(replace func(*func(*T))) *T {
	x := &T{}
	fin := func(*T) { println(x.n) }
	replace(&fin)
	runtime.SetFinalizer(x, fin)
	return x
}
"""
    assert findings_for("finalizer-self-reference", source) == []
    assert len(findings_for("finalizer-self-reference", source.replace(b"\treplace(&fin)\n", b""))) == 1
