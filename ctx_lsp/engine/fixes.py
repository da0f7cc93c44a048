"""Applying fixes to source bytes, safely: overlapping edits are refused, never merged."""

from __future__ import annotations

from collections.abc import Iterable

from ctx_lsp.engine.findings import Finding, Fix, TextEdit


class OverlappingEdits(ValueError):
    pass


def apply_edits(data: bytes, edits: Iterable[TextEdit]) -> bytes:
    """Apply non-overlapping edits (byte offsets into ``data``) all at once."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    pieces: list[bytes] = []
    position = 0
    for edit in ordered:
        if edit.start < position or edit.end < edit.start or edit.end > len(data):
            raise OverlappingEdits(f"edit {edit} overlaps a previous edit or leaves the file")
        pieces.append(data[position : edit.start])
        pieces.append(edit.new_text.encode("utf-8", "surrogateescape"))
        position = edit.end
    pieces.append(data[position:])
    return b"".join(pieces)


def _overlaps(a: TextEdit, b: TextEdit) -> bool:
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one point: their order would be arbitrary
    return a.start < b.end and b.start < a.end


def select_compatible_fixes(fixes: Iterable[Fix]) -> list[Fix]:
    """Greedily keep fixes (in the given order) whose edits overlap no kept edit."""
    kept: list[Fix] = []
    taken: list[TextEdit] = []
    for fix in fixes:
        if any(_overlaps(edit, other) for edit in fix.edits for other in taken):
            continue
        kept.append(fix)
        taken.extend(fix.edits)
    return kept


def apply_preferred_fixes(data: bytes, findings: Iterable[Finding]) -> tuple[bytes, int]:
    """Apply every finding's preferred fix that does not conflict with another; returns the
    new bytes and how many fixes were applied."""
    preferred = [f.preferred_fix for f in findings if f.preferred_fix is not None]
    kept = select_compatible_fixes(fix for fix in preferred if fix is not None)
    return apply_edits(data, [edit for fix in kept for edit in fix.edits]), len(kept)
