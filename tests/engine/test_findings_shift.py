"""Finding.shifted builds the moved finding field by field (for speed): it must move every
offset and keep every other field, whatever fields Finding gains later."""

from __future__ import annotations

import attrs

from ctx_lsp.engine.findings import Finding, Fix, Related, Severity, TextEdit

OFFSET_FIELDS = {"start", "end", "related", "fixes", "line_refs", "suppressed_with", "message"}


def _populated() -> Finding:
    return Finding(
        rule="lostcancel", start=10, end=20, message="leak at line 3", severity=Severity.ERROR,
        related=(Related(30, 35, "here"),), fixes=(Fix("fix it", (TextEdit(12, 14, "x"),), preferred=True),),
        tags=("unnecessary",), message_template="leak at line {}", line_refs=(30,), suppressed_with=10,
        deferred_fixes=True)


def test_shifted_moves_every_offset_and_keeps_the_rest() -> None:
    original = _populated()
    moved = original.shifted(5, line_of=lambda offset: offset // 10)
    assert (moved.start, moved.end, moved.suppressed_with, moved.line_refs) == (15, 25, 15, (35,))
    assert moved.related == (Related(35, 40, "here"),)
    assert moved.fixes == (Fix("fix it", (TextEdit(17, 19, "x"),), preferred=True),)
    assert moved.message == "leak at line 4"
    for field in attrs.fields(Finding):
        if field.name not in OFFSET_FIELDS:
            assert getattr(moved, field.name) == getattr(original, field.name), field.name


def test_every_finding_field_is_either_moved_or_kept() -> None:
    # A new field must be added to Finding.shifted (and to OFFSET_FIELDS if it holds offsets).
    known = OFFSET_FIELDS | {"rule", "severity", "tags", "message_template", "deferred_fixes"}
    assert {field.name for field in attrs.fields(Finding)} == known


def test_with_severity_changes_only_the_severity() -> None:
    original = _populated()
    changed = original.with_severity(Severity.HINT)
    assert changed.severity is Severity.HINT
    for field in attrs.fields(Finding):
        if field.name != "severity":
            assert getattr(changed, field.name) == getattr(original, field.name), field.name
