"""finalizer-resource: severity (the testdata harness checks messages only) and the
release names read from package facts."""

from __future__ import annotations

from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.package import FunctionFacts
from ctx_lsp.rules.finalizer_resource import _release_in_facts
from tests.rules._family3 import severity_of, go_testdata
from tests.test_testdata import run_rule_on

RULE = "finalizer-resource"


def _facts(*calls: str) -> FunctionFacts:
    return FunctionFacts(name="f", receiver_type=None, calls=frozenset(calls), params=1, has_body=True,
                         has_return=False, terminal_call=None)


def test_safety_nets_are_information_and_the_rest_warnings() -> None:
    _, safety = run_rule_on(RULE, go_testdata(RULE, "safety_net.go"))
    by_message = {("safety net" in f.message): severity_of(f) for f in safety}
    assert by_message == {True: Severity.INFORMATION, False: Severity.WARNING}
    _, plain = run_rule_on(RULE, go_testdata(RULE, "literal_callbacks.go"))
    assert plain and {severity_of(f) for f in plain} == {Severity.WARNING}


def test_release_names_from_facts_prefer_close_and_skip_ambiguous_ones() -> None:
    assert _release_in_facts(_facts("Flush", "Close", "log")) == "Close"
    assert _release_in_facts(_facts("close")) is None  # may be the builtin on a channel
    assert _release_in_facts(_facts("Remove")) is None  # os.Remove or a map helper: unknown
    assert _release_in_facts(_facts("Lock", "Unlock")) is None  # bookkeeping under a lock
    assert _release_in_facts(_facts("Unlock")) == "Unlock"
    assert _release_in_facts(_facts("RLock", "RUnlock", "Stop")) == "Stop"
    assert _release_in_facts(None) is None
