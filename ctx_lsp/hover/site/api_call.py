"""A reference to a known API (a call or a name): the API text plus the facts of this call."""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.hover.apis import ApiInfo, api_info
from ctx_lsp.hover.site.common import Subject, call_of
from ctx_lsp.hover.site.context_call import after_func_facts, constructor_facts
from ctx_lsp.hover.site.nil_argument import nil_parent_fact
from ctx_lsp.hover.site.finalizer import finalizer_facts, keep_alive_facts
from ctx_lsp.hover.site.timer import timer_facts
from ctx_lsp.knowledge import finalizer_calls as finalizers
from ctx_lsp.knowledge.contexts import AFTER_FUNC, CANCELABLE_CONSTRUCTORS
from ctx_lsp.knowledge.timers import TIMER_CALLS

Node = tree_sitter.Node

_FORCED_GC = frozenset({("runtime", "GC"), ("runtime/debug", "FreeOSMemory"), ("runtime/debug", "SetGCPercent")})


def _api_reference(ctx: FileContext, node: Node) -> tuple[Node, ApiInfo] | None:
    """The expression naming a known API (``context.WithTimeout``, a renamed or dot-imported
    name) that ``node`` is part of."""
    candidates = [node]
    parent = node.parent
    if parent is not None and parent.type in ("selector_expression", "qualified_type"):
        candidates.insert(0, parent)
    for candidate in candidates:
        if candidate.type not in ("selector_expression", "identifier", "qualified_type", "type_identifier"):
            continue
        ref = ctx.pkg_ref(candidate)
        if ref is None:
            continue
        api = api_info(*ref)
        if api is not None:
            return candidate, api
    return None


def api_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    found = _api_reference(ctx, node)
    if found is None:
        return None
    reference, api = found
    call = call_of(reference)
    facts: list[str] = []
    if call is not None:
        facts = _call_facts(ctx, call, (api.import_path, api.name))
    if not facts:
        facts = [_default_title(api, call is not None)]
    return Subject(reference.start_byte, reference.end_byte, f"**{facts[0]}**", tuple(facts[1:]), api)


def _default_title(api: ApiInfo, called: bool) -> str:
    """The first line when this call has no site facts of its own: what the API is."""
    return f"{'Calls' if called else 'Refers to'} `{api.qualified_name}`."


def _call_facts(ctx: FileContext, call: Node, ref: tuple[str, str]) -> list[str]:
    nil_parent = nil_parent_fact(ctx, call)
    if nil_parent is not None:
        return [nil_parent]  # the call fails: what it would register does not matter
    if ref in CANCELABLE_CONSTRUCTORS:
        return constructor_facts(ctx, call, ref)
    if ref == AFTER_FUNC:
        return after_func_facts(ctx, call)
    if ref[0] == finalizers.RUNTIME and ref[1] in (finalizers.SET_FINALIZER, finalizers.ADD_CLEANUP):
        return finalizer_facts(ctx, call)
    if ref == ("runtime", "KeepAlive"):
        return keep_alive_facts(ctx, call)
    if ref[0] == "time" and ref[1] in TIMER_CALLS:
        return timer_facts(ctx, call, ref[1])
    if ref in _FORCED_GC:
        return forced_gc_facts(ctx)
    return []


def forced_gc_facts(ctx: FileContext) -> list[str]:
    if ctx.is_test_file:
        return ["This is a `_test.go` file: forcing or tuning collection in tests is normal "
                "(the `forced-gc` rule reports it only outside tests)."]
    return []
