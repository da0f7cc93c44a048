"""context-not-inherited: the test-context hint, the version-gated WithoutCancel fix."""

from __future__ import annotations

from ctx_lsp.engine.findings import Severity
from tests.rules._family3 import findings_for, severity_of

RULE = "context-not-inherited"
HANDLER = b"""package p

import (
	"context"
	"net/http"
)

func work(ctx context.Context) {}

func handler(w http.ResponseWriter, r *http.Request) {
	work(context.Background())
}
"""
TEST = b"""package p

import (
	"context"
	"testing"
)

func work(ctx context.Context) {}

func TestWork(t *testing.T) {
	work(context.TODO())
}
"""


def test_without_cancel_is_offered_from_go_1_21() -> None:
    old = findings_for(RULE, HANDLER, go_version=(1, 20))
    new = findings_for(RULE, HANDLER, go_version=(1, 21))
    assert [fix.edits[0].new_text for fix in old[0].fixes] == ["r.Context()"]
    assert [fix.edits[0].new_text for fix in new[0].fixes] == ["r.Context()", "context.WithoutCancel(r.Context())"]
    assert new[0].preferred_fix is new[0].fixes[0]


def test_a_test_context_counts_from_go_1_24_and_only_as_a_hint() -> None:
    assert findings_for(RULE, TEST, path="p_test.go", go_version=(1, 23)) == []
    found = findings_for(RULE, TEST, path="p_test.go", go_version=(1, 24))
    assert [severity_of(f) for f in found] == [Severity.HINT]
    assert found[0].fixes[0].edits[0].new_text == "t.Context()"


def test_a_request_context_finding_has_the_rule_severity() -> None:
    found = findings_for(RULE, HANDLER, go_version=(1, 22))
    assert [severity_of(f) for f in found] == [Severity.INFORMATION]
