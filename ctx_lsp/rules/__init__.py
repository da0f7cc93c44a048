"""The rule registry: every check's ``RULE``, in the order ``ctx-lsp rules`` lists them."""

from __future__ import annotations

from ctx_lsp.engine.rule import Rule
from ctx_lsp.rules import lostcancel
from ctx_lsp.rules import context_in_global
from ctx_lsp.rules import context_in_struct
from ctx_lsp.rules import context_key_type
from ctx_lsp.rules import goroutine_local_storage

ALL_RULES: tuple[Rule, ...] = (
    lostcancel.RULE,
    context_in_struct.RULE,
    context_in_global.RULE,
    goroutine_local_storage.RULE,
    context_key_type.RULE,
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
