"""The rule registry: every check's ``RULE``, in the order ``ctx-lsp rules`` lists them."""

from __future__ import annotations

from ctx_lsp.engine.rule import Rule
from ctx_lsp.rules import lostcancel
from ctx_lsp.rules import cancel_deferred_in_loop
from ctx_lsp.rules import context_in_loop
from ctx_lsp.rules import goroutine_ignores_context
from ctx_lsp.rules import context_in_global
from ctx_lsp.rules import context_in_struct
from ctx_lsp.rules import context_key_type
from ctx_lsp.rules import goroutine_local_storage
from ctx_lsp.rules import finalizer_resource
from ctx_lsp.rules import finalizer_self_reference
from ctx_lsp.rules import finalizer_invalid
from ctx_lsp.rules import finalizer_prefer_cleanup
from ctx_lsp.rules import forced_gc
from ctx_lsp.rules import goroutine_blocked_send
from ctx_lsp.rules import timer_leak
from ctx_lsp.rules import afterfunc_not_stopped
from ctx_lsp.rules import nil_context
from ctx_lsp.rules import context_not_inherited
from ctx_lsp.rules import errgroup_context_after_wait
from ctx_lsp.rules import cancel_never_called
from ctx_lsp.rules import context_value_key_mismatch

ALL_RULES: tuple[Rule, ...] = (
    lostcancel.RULE,
    cancel_deferred_in_loop.RULE,
    context_in_loop.RULE,
    goroutine_ignores_context.RULE,
    context_in_struct.RULE,
    context_in_global.RULE,
    goroutine_local_storage.RULE,
    context_key_type.RULE,
    finalizer_resource.RULE,
    finalizer_self_reference.RULE,
    finalizer_invalid.RULE,
    finalizer_prefer_cleanup.RULE,
    forced_gc.RULE,
    goroutine_blocked_send.RULE,
    timer_leak.RULE,
    afterfunc_not_stopped.RULE,
    nil_context.RULE,
    context_not_inherited.RULE,
    errgroup_context_after_wait.RULE,
    context_value_key_mismatch.RULE,
    cancel_never_called.RULE,
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in ALL_RULES}
