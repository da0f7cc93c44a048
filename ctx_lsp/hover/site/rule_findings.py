"""A rule's own analysis of the declaration under the cursor, for the site facts of its rule.

The hover of a rule's site (a blocked send, a ``nil`` context, a stored cancel function...) states
what the runtime does there only when the rule's analysis finds the shape, so the hover and the
diagnostic never disagree. The rule runs on the one top-level declaration that holds the cursor,
whatever the user's settings (a hover explains the runtime even for a rule switched off or below
``minSeverity``), reading the same file-wide facts as during analysis.
"""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding
from ctx_lsp.rules import RULES_BY_ID

Node = tree_sitter.Node


def findings_within(ctx: FileContext, rule_id: str, node: Node) -> list[Finding]:
    """The findings of rule ``rule_id`` in the top-level declaration holding ``node`` that lie
    inside ``node``. The rule comes from the registry (hover imports no rule module)."""
    decl = ctx.top_level_of(node)
    if decl == ctx.src.root:
        return []  # not inside a declaration: nothing a per-declaration rule reports
    found = ctx.memo(f"hover.{rule_id}@{decl.start_byte}", lambda: _run(ctx, rule_id, decl))
    return [finding for finding in found if node.start_byte <= finding.start and finding.end <= node.end_byte]


def _run(ctx: FileContext, rule_id: str, decl: Node) -> tuple[Finding, ...]:
    """The rule's findings for one declaration, once per analysis (the context's text never
    changes: repeated hovers in the declaration reuse them)."""
    try:
        return tuple(RULES_BY_ID[rule_id].check(ctx, decl))
    except Exception:  # noqa: BLE001 - a failing rule is reported by the analysis; the hover goes on without it
        return ()


def finding_on(ctx: FileContext, rule_id: str, node: Node) -> Finding | None:
    """The finding of rule ``rule_id`` whose range is exactly ``node``, or None."""
    for finding in findings_within(ctx, rule_id, node):
        if finding.start == node.start_byte and finding.end == node.end_byte:
            return finding
    return None


def related_line(ctx: FileContext, finding: Finding, prefix: str) -> int | None:
    """1-based line of the first related location whose message starts with ``prefix``."""
    for related in finding.related:
        if related.message.startswith(prefix):
            return ctx.src.line_of(related.start) + 1
    return None
