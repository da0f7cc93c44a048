"""Finishing the fixes rules make: deferred ones computed, unsafe ones dropped, the rest
padded to gofmt's trailing-comment column.

The CLI finishes every finding's fixes at once (``finished_findings``). The server finishes
them only when a code action asks (``finished_fixes`` for one finding, see
``Analysis.fixes_of``): a keystroke needs no fixes, and finishing them all cost about a third
of a keystroke's analysis.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence

import attrs

from ctx_lsp.engine.align import aligned_findings, aligned_fixes
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.source import SourceFile


class DeferredFixes(Sequence[Fix]):
    """The fixes of a finding marked ``deferred_fixes``: a tuple-like sequence that asks the
    rule's ``resolve_fixes`` on first use (the server needs them only for a code action),
    against the analysis the finding belongs to. Compares equal to the tuple it resolves to."""

    __slots__ = ("_compute", "_fixes")

    def __init__(self, compute: Callable[[], tuple[Fix, ...]]) -> None:
        self._compute: Callable[[], tuple[Fix, ...]] | None = compute
        self._fixes: tuple[Fix, ...] | None = None

    def _resolved(self) -> tuple[Fix, ...]:
        if self._fixes is None:
            assert self._compute is not None
            self._fixes, self._compute = tuple(self._compute()), None
        return self._fixes

    def __getitem__(self, index):
        return self._resolved()[index]

    def __len__(self) -> int:
        return len(self._resolved())

    def __iter__(self) -> Iterator[Fix]:
        return iter(self._resolved())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DeferredFixes):
            other = other._resolved()
        return isinstance(other, tuple) and self._resolved() == other

    def __hash__(self) -> int:
        return hash(self._resolved())

    def __repr__(self) -> str:
        return repr(self._resolved()) if self._fixes is not None else "DeferredFixes(<not computed yet>)"


def finished_findings(findings: list[Finding], ctx: FileContext, rules: Sequence[Rule]) -> list[Finding]:
    """``findings`` with every fix finished; deferred fixes are computed on first use."""
    src = ctx.src
    kept = without_unsafe_fixes(findings, src)
    kept = aligned_findings(kept, src.data, src.root)  # fixes keep gofmt's trailing-comment column
    if any(finding.deferred_fixes for finding in kept):
        by_id = {rule.id: rule for rule in rules}
        kept = [_with_deferred_fixes(finding, ctx, by_id) if finding.deferred_fixes else finding for finding in kept]
    return kept


def finished_fixes(finding: Finding, ctx: FileContext, rules: Mapping[str, Rule]) -> tuple[Fix, ...]:
    """What ``finished_findings`` makes of one finding's fixes: deferred ones computed,
    unsafe ones dropped, the rest padded to gofmt's comment column."""
    fixes = tuple(finding.fixes)
    rule = rules.get(finding.rule)
    if finding.deferred_fixes and rule is not None and rule.resolve_fixes is not None:
        fixes = tuple(rule.resolve_fixes(ctx, finding))
    safe = fix_safety(ctx.src)
    if safe is not None:
        fixes = tuple(fix for fix in fixes if safe(fix))
    return aligned_fixes(fixes, ctx.src.data, ctx.src.root) if fixes else fixes


def _with_deferred_fixes(finding: Finding, ctx: FileContext, rules: Mapping[str, Rule]) -> Finding:
    if rules[finding.rule].resolve_fixes is None:
        return finding
    return attrs.evolve(finding, fixes=DeferredFixes(lambda: finished_fixes(finding, ctx, rules)))


# Go ends a line only at \n; editors, and the LSP line model that fixes use to place their edits,
# also end one at a lone \r. In a file with a lone \r an edit "at the end of the line" can land
# inside a // comment (which runs on to the \n) or join two statements: offer no fixes there.
_LONE_CARRIAGE_RETURN = re.compile(rb"\r(?!\n)")


def without_unsafe_fixes(findings: list[Finding], src: SourceFile) -> list[Finding]:
    """Drop fixes that cannot be placed reliably: every fix in a file with a lone carriage
    return, and fixes that edit a top-level declaration with syntax errors (statement
    boundaries there are the parser's recovery guesses, and an edit can make the damage
    worse). The findings themselves stay."""
    safe = fix_safety(src)
    if safe is None:
        return findings
    return [attrs.evolve(f, fixes=tuple(x for x in f.fixes if safe(x))) if f.fixes else f for f in findings]


def fix_safety(src: SourceFile) -> Callable[[Fix], bool] | None:
    """Whether a fix of ``src`` can be placed reliably (None: every fix can)."""
    lone_carriage_return = b"\r" in src.data and _LONE_CARRIAGE_RETURN.search(src.data) is not None
    if not lone_carriage_return and not src.root.has_error:
        return None
    broken = [(node.start_byte, node.end_byte) for node in src.root.children if node.has_error]

    def safe(fix: Fix) -> bool:
        return not lone_carriage_return and not any(
            start <= edit.end and edit.start <= end for edit in fix.edits for start, end in broken)

    return safe
