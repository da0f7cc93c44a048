"""A call that makes a context: its parent, what it registers, where its cancel function goes."""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import call_arguments
from ctx_lsp.hover.apis import api_info
from ctx_lsp.hover.site.cancel_function import release_facts, release_name
from ctx_lsp.hover.site.origin import Parent, describe_parent

Node = tree_sitter.Node


def _parent_facts(parent: Parent, api: str, arms_timer: bool, release: str) -> list[str]:
    via = ""
    if parent.via:
        lines = ", ".join(str(line) for line in parent.via)
        via = f" (seen through the `WithValue` layer{'s' if len(parent.via) > 1 else ''} on line {lines}, " \
              "whose `Done` is the parent's)"
    if parent.kind in ("root", "no-cancel") and api == "signal.NotifyContext":
        # NotifyContext always registers its channel with the signal package and starts a
        # goroutine (unless already canceled): docs/runtime-facts.md §12 (issue 15, claim 2).
        return [f"Parent: {parent.text}{via}. Its `Done()` is nil, so no parent holds this context, but "
                "the call registers a channel with the signal package and starts a goroutine that waits "
                "for a signal.",
                f"The goroutine returns when a signal arrives or `{release}` is called; the channel stays "
                f"registered, and the signals diverted, until `{release}` is called."]
    if parent.kind in ("root", "no-cancel"):
        facts = [f"Parent: {parent.text}{via}. Its `Done()` is nil, so this context is **not registered "
                 "anywhere** and no goroutine is started for it."]
        if arms_timer:
            facts.append(f"Only the runtime timer holds it: if `{release}` is never called, the context, its "
                         "values and its parent chain stay reachable until the deadline.")
        else:
            facts.append("Nothing retains it once it is unreferenced; vet's lostcancel still wants "
                         f"`{release}` called, and it is still the right thing to do.")
        return facts
    # A timer context also leaves the parent's map when its deadline fires (timerCtx.cancel
    # calls removeChild): docs/runtime-facts.md §1.4, §6 #10.
    until = f"`{release}` is called, the parent is canceled or the deadline fires" if arms_timer \
        else f"`{release}` is called or the parent is canceled"
    if parent.kind == "cancelable":
        return [f"Parent: {parent.text}{via}. This context is added to that context's `children` map and "
                f"stays there until {until}."]
    if parent.kind == "parameter":
        return [f"Parent: {parent.text}{via}, so it depends on the caller. If the caller's context can be "
                f"canceled, this context is added to its `children` map until {until}; under "
                "`Background()` nothing is registered."]
    return [f"Parent: {parent.text}{via}. If it is a standard cancelable context, this context is added to "
            f"its `children` map until {until}; nothing is registered when its `Done()` is nil; an "
            "unrecognised custom parent gets a watcher goroutine."]


def constructor_facts(ctx: FileContext, call: Node, ref: tuple[str, str]) -> list[str]:
    api = api_info(*ref)
    assert api is not None
    arguments = call_arguments(call)
    facts: list[str] = []
    parent = describe_parent(ctx, arguments[0]) if arguments else None
    if parent is not None:
        facts += _parent_facts(parent, api.qualified_name, api.arms_timer, release_name(ref))
    facts += release_facts(ctx, call, ref, parent)
    return facts


def after_func_facts(ctx: FileContext, call: Node) -> list[str]:
    arguments = call_arguments(call)
    if not arguments:
        return []
    parent = describe_parent(ctx, arguments[0])
    if parent.kind in ("root", "no-cancel"):
        return [f"The context passed is {parent.text}: its `Done()` is nil, so it is never canceled and `f` "
                "never runs; nothing is registered."]
    if parent.kind == "cancelable":
        return [f"The context passed is {parent.text}: `f` is registered in its `children` map and runs when "
                "that context is canceled, unless `stop()` is called first."]
    return [f"The context passed is {parent.text}."]
