"""The rule registry: every check's ``RULE``, in the order ``ctx-lsp rules`` lists them."""

from __future__ import annotations

from ctx_lsp.engine.rule import Rule
from ctx_lsp.rules import lostcancel

ALL_RULES: tuple[Rule, ...] = (
    lostcancel.RULE,
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
