"""cancel-never-called: what counts as reading a stored cancel function, across files."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctx_lsp.knowledge.package_reads import reads_field, reads_variable, stored_value_called
from tests.rules._family3 import findings_for

RULE = "cancel-never-called"
HOLDER = b"""package p

import "context"

type holder struct {
\tcancel context.CancelFunc
}

func build(parent context.Context) *holder {
\t_, stop := context.WithCancel(parent)
\th := &holder{}
\th.cancel = stop
\treturn h
}
"""


@pytest.mark.parametrize(("text", "read"), [
    (b"h.cancel()", True),
    (b"defer h.cancel()", True),
    (b"go run(h.cancel)", True),
    (b"if h.cancel == nil {", True),
    (b"h.cancel = stop", False),
    (b"h.cancel, h.ctx = stop, ctx", False),
    (b"h.cancel := 1", False),
    (b"cancel()", False),
])
def test_reads_field(text: bytes, read: bool) -> None:
    assert reads_field(text, "cancel") is read


def test_reads_variable_ignores_selectors_and_assignments() -> None:
    assert reads_variable(b"stopAll()", "stopAll")
    assert not reads_variable(b"x.stopAll()", "stopAll")
    assert not reads_variable(b"stopAll = c", "stopAll")


def test_a_stored_local_that_is_called_counts() -> None:
    assert stored_value_called(b"r := &run{cancel: stop}\n\tdefer stop()", "cancel")
    assert not stored_value_called(b"r := &run{cancel: stop}\n\t_ = r", "cancel")


def test_a_call_in_a_sibling_test_file_counts(tmp_path: Path) -> None:
    path = str(tmp_path / "holder.go")
    assert len(findings_for(RULE, HOLDER, path=path)) == 1
    (tmp_path / "holder_test.go").write_text("package p\n\nfunc closeIt(h *holder) { h.cancel() }\n")
    assert findings_for(RULE, HOLDER, path=path) == []
