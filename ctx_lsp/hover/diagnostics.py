"""Diagnostics in a hover (one line naming the rule) and where a rule's documentation is.

The editor already shows the diagnostic's message in the same popup, so a hover adds only
which rule it is and how to read more. ``rule_doc_href`` is the ``codeDescription`` link the
LSP layer puts on each diagnostic.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ctx_lsp.engine.findings import Finding
from ctx_lsp.rules import RULES_BY_ID

# docs/rules.md of a source checkout (one ``## <rule id>`` section per rule). An installed
# package has no docs/ next to it: the rule's reference URL is used instead.
_RULES_DOC = Path(__file__).resolve().parent.parent.parent / "docs" / "rules.md"


def rule_doc_href(rule_id: str, fallback: str | None = None) -> str | None:
    """Where the documentation of ``rule_id`` is: docs/rules.md#<id> in a source checkout,
    else the rule's reference URL; ``fallback`` for a rule ctx-lsp does not ship."""
    rule = RULES_BY_ID.get(rule_id)
    if rule is None:
        return fallback
    if _RULES_DOC.is_file():
        return f"{_RULES_DOC.as_uri()}#{rule_id}"
    return rule.url or fallback


def diagnostic_lines(findings: Sequence[Finding], markdown: bool) -> list[str]:
    """One line per rule reporting at the cursor: the rule and ``ctx-lsp explain RULE``."""
    lines = []
    for rule_id in sorted({finding.rule for finding in findings}):
        rule = RULES_BY_ID.get(rule_id)
        title = f": {rule.title}" if rule is not None else ""
        if markdown:
            lines.append(f"ctx-lsp `{rule_id}`{title} · more: `ctx-lsp explain {rule_id}`")
        else:
            lines.append(f"ctx-lsp {rule_id}{title} · more: ctx-lsp explain {rule_id}")
    return lines
