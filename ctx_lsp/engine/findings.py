"""What a check reports: findings with byte ranges, related locations and fixes.

Offsets are byte offsets into the analyzed file's UTF-8 data. Nothing here knows about LSP:
the language server converts these to positions in the negotiated encoding.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence

import attrs


class Severity(enum.IntEnum):
    """Ordered so that ``severity >= minimum`` filters as users expect."""

    HINT = 1
    INFORMATION = 2
    WARNING = 3
    ERROR = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """``"warning"``, ``"Warning"``, ``"info"`` ... -> Severity; ValueError otherwise."""
        normalised = text.strip().lower()
        if normalised in ("info", "information"):
            return cls.INFORMATION
        return cls[normalised.upper()]


@attrs.frozen
class TextEdit:
    """Replace bytes ``[start, end)`` with ``new_text``."""

    start: int
    end: int
    new_text: str

    # The shifted() methods call the constructors directly: the server moves every finding
    # after an edit on every keystroke, and attrs.evolve costs several times as much.
    def shifted(self, delta: int) -> TextEdit:
        return TextEdit(self.start + delta, self.end + delta, self.new_text)


@attrs.frozen
class Fix:
    title: str
    edits: tuple[TextEdit, ...]
    preferred: bool = False

    def shifted(self, delta: int) -> Fix:
        return Fix(self.title, tuple([edit.shifted(delta) for edit in self.edits]), self.preferred)


@attrs.frozen
class Related:
    """Another location that explains the finding (e.g. a leaking return)."""

    start: int
    end: int
    message: str

    def shifted(self, delta: int) -> Related:
        return Related(self.start + delta, self.end + delta, self.message)


@attrs.frozen
class Finding:
    """One diagnostic. ``severity`` None means the rule's default severity.

    ``suppressed_with`` ties a secondary finding (a leaking return) to its primary one (the
    definition): a suppression comment at the primary finding silences both.

    ``line_refs`` are byte offsets whose 1-based line numbers appear in ``message`` in the
    order of the ``{}`` placeholders of ``message_template``; they let a cached finding be
    moved to a new position without re-running its check (see ``shifted``).
    """

    rule: str
    start: int
    end: int
    message: str
    severity: Severity | None = None
    related: tuple[Related, ...] = ()
    fixes: Sequence[Fix] = ()  # a tuple, or analyze.DeferredFixes computing them on first use
    tags: tuple[str, ...] = ()
    message_template: str | None = None
    line_refs: tuple[int, ...] = ()
    suppressed_with: int | None = None  # offset of the primary finding whose suppression covers this one
    # The rule left its fixes out (``FileContext.defer_fixes``): they read the whole file, and
    # its Rule.resolve_fixes computes them when asked. Not part of equality: a finding is the
    # same whether its fixes were computed at once or later.
    deferred_fixes: bool = attrs.field(default=False, eq=False)

    def shifted(self, delta: int, line_of: LineOf | None = None) -> Finding:
        """The same finding moved by ``delta`` bytes; messages quoting line numbers are redone
        (even for ``delta == 0``: an edit before the finding can change lines, not bytes)."""
        if delta == 0 and (self.message_template is None or line_of is None):
            return self
        refs = tuple(ref + delta for ref in self.line_refs)
        message = self.message
        if self.message_template is not None and line_of is not None:
            message = self.message_template.format(*(line_of(ref) + 1 for ref in refs))
        if delta == 0 and message == self.message:
            return self  # nothing moved (the common case of a cached finding)
        return Finding(
            self.rule,
            self.start + delta,
            self.end + delta,
            message,
            self.severity,
            tuple([r.shifted(delta) for r in self.related]),
            tuple([f.shifted(delta) for f in self.fixes]),
            self.tags,
            self.message_template,
            refs,
            None if self.suppressed_with is None else self.suppressed_with + delta,
            self.deferred_fixes,
        )

    def with_severity(self, severity: Severity) -> Finding:
        """The same finding with ``severity`` (a direct construction, like ``shifted``)."""
        return Finding(self.rule, self.start, self.end, self.message, severity, self.related, self.fixes, self.tags,
                       self.message_template, self.line_refs, self.suppressed_with, self.deferred_fixes)

    @property
    def preferred_fix(self) -> Fix | None:
        for fix in self.fixes:
            if fix.preferred:
                return fix
        return None


# Maps a byte offset to its 0-based line (SourceFile.line_of).
LineOf = Callable[[int], int]


def sort_key(finding: Finding) -> tuple[int, int, str]:
    return (finding.start, finding.end, finding.rule)


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=sort_key)
