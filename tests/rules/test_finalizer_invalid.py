"""finalizer-invalid and finalizer-prefer-cleanup never report the same call."""

from __future__ import annotations

import pytest

from tests.rules._family3 import findings_for, go_testdata

RULE = "finalizer-invalid"


@pytest.mark.parametrize("name", ["not_a_pointer.go", "bad_finalizer.go"])
def test_prefer_cleanup_is_silent_on_invalid_calls(name: str) -> None:
    go_file = go_testdata(RULE, name)
    source = go_file.read_bytes()
    invalid = findings_for(RULE, source, path=str(go_file))
    hints = findings_for("finalizer-prefer-cleanup", source, path=str(go_file), go_version=(1, 24))
    assert invalid
    invalid_lines = {source.count(b"\n", 0, f.start) for f in invalid}
    hinted_lines = {source.count(b"\n", 0, f.start) for f in hints}
    assert hints, "valid calls in the same file still get the hint"
    assert invalid_lines.isdisjoint(hinted_lines)
