"""``context.Background()``/``TODO()`` passed on where a context is at hand (the
context-not-inherited rule's site): what the callee no longer sees.

``Background`` and ``TODO`` return contexts that are never canceled and have no deadline and
no values (``Done`` returns nil: docs/runtime-facts.md §1.2), so work given one keeps running
after the caller's context ends. ``r.Context()`` of a server request ends when the client goes
away or ``ServeHTTP`` returns (§14). ``WithoutCancel`` (Go 1.21+) keeps the values and drops the
cancellation (§1.8).
"""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import unparen
from ctx_lsp.hover.apis import api_info
from ctx_lsp.hover.site.common import Subject, call_receiving, code_span
from ctx_lsp.hover.site.rule_findings import finding_on
from ctx_lsp.knowledge import versions
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES
from ctx_lsp.knowledge.context_at_hand import ContextAtHand, context_at_hand

Node = tree_sitter.Node

_ROOT_NAMES = frozenset({"Background", "TODO"})

_ENDS = {
    "context": "When `{0}` is canceled or its deadline passes, the work this call starts (requests, queries, "
               "goroutines) keeps running.",
    "request": "`{0}` is canceled when the client's connection closes or the handler returns; the work this "
               "call starts keeps running after that.",
    "testing": "`{0}` is canceled just before the test's Cleanup functions run; the work this call starts does "
               "not see that.",
}


def detached_context_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    call = _root_call(ctx, node)
    if call is None or finding_on(ctx, "context-not-inherited", call) is None:
        return None
    hand = context_at_hand(ctx, call, ctx.top_level_of(call))
    if hand is None:
        return None
    root = code_span(ctx, call)
    receiver = _receiving_call(call)
    if receiver is not None:
        title = (f"**{code_span(ctx, receiver)} gets {root}, not `{hand.expression}`: it ignores the caller's "
                 "cancellation and deadline.**")
    else:
        title = (f"**A new root context, passed on while `{hand.expression}` is at hand: the calls that get it "
                 "ignore the caller's cancellation and deadline.**")
    facts = [f"{root} is never canceled and has no deadline and no values: its `Done()` is nil.",
             _ENDS[hand.kind].format(hand.expression),
             _fix(ctx, hand)]
    name = ctx.pkg_ref(call.child_by_field_name("function"))
    api = api_info(*name) if name is not None else None
    return Subject(call.start_byte, call.end_byte, title, tuple(facts), api)


def _fix(ctx: FileContext, hand: ContextAtHand) -> str:
    expression = hand.expression
    if versions.at_least(ctx.go_version, versions.CONTEXT_AFTER_FUNC):
        assumed = f"; {versions.describe(ctx.go_version)}" if ctx.go_version is None else ""
        return (f"Pass `{expression}`; where the work must outlive the caller, `context.WithoutCancel({expression})` "
                f"keeps its values and drops its cancellation (Go 1.21+{assumed}).")
    return (f"Pass `{expression}` (`context.WithoutCancel`, which keeps the values and drops the cancellation, "
            f"needs Go 1.21; this module declares {versions.describe(ctx.go_version)}).")


def _root_call(ctx: FileContext, node: Node) -> Node | None:
    """The ``context.Background()``/``TODO()`` call that ``node`` is, or names (its package or function)."""
    candidates: list[Node | None] = [node]
    parent = node.parent
    if parent is not None and parent.type == "selector_expression":
        candidates.append(parent.parent)
    elif parent is not None and parent.type == "call_expression":
        candidates.append(parent)
    for candidate in candidates:
        if candidate is None or candidate.type != "call_expression":
            continue
        ref = ctx.call_ref(candidate)
        if ref is not None and ref[0] in CONTEXT_PACKAGES and ref[1] in _ROOT_NAMES:
            return candidate
    return None


def _receiving_call(root: Node) -> Node | None:
    """The function expression of the call that gets ``root`` directly as an argument."""
    call = call_receiving(root)
    function = call.child_by_field_name("function") if call is not None else None
    return unparen(function) if function is not None else None
