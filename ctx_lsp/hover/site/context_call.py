"""A call that makes a context: its parent, what it registers, where its cancel function goes."""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import call_arguments
from ctx_lsp.hover.apis import api_info
from ctx_lsp.hover.site.cancel_function import release_facts, release_name
from ctx_lsp.hover.site.origin import Parent, describe_parent
from ctx_lsp.hover.site.rule_findings import finding_on

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
    if finding_on(ctx, "afterfunc-not-stopped", call) is not None:
        return _piling_up_facts(ctx, arguments[0], parent)
    if parent.kind in ("root", "no-cancel"):
        return [f"The context passed is {parent.text}: its `Done()` is nil, so it is never canceled and `f` "
                "never runs; nothing is registered."]
    if parent.kind == "cancelable":
        return [f"The context passed is {parent.text}: `f` is registered in its `children` map and runs when "
                "that context is canceled, unless `stop()` is called first."]
    return [f"The context passed is {parent.text}."]


def _piling_up_facts(ctx: FileContext, context_argument: Node, parent: Parent) -> list[str]:
    """A discarded ``stop`` inside a loop (the afterfunc-not-stopped rule's site): each iteration
    registers one more ``f`` that only the context's end releases (docs/runtime-facts.md §1.7).
    The go.mod version check is the API text's (``render_popup``)."""
    name = f"`{ctx.src.text(context_argument)}`" if context_argument.type == "identifier" else "the context"
    if parent.kind in ("root", "no-cancel"):
        # propagateCancel returns at once when Done() is nil: nothing piles up (§1.2, §1.7).
        return [f"`stop` is discarded inside a loop, but {name} is never canceled: its `Done()` is nil, so "
                "nothing is registered and `f` never runs.",
                f"The context passed is {parent.text}."]
    return [f"`stop` is discarded inside a loop: every iteration adds one more registration to {name}, which "
            f"keeps `f` and everything it captures until {name} is done.",
            _registration_fact(parent),
            "Keep `stop` and call it when the iteration's work is finished."]


def _registration_fact(parent: Parent) -> str:
    removal = "`stop()` removes one (it does not wait for a running `f`)."
    if parent.kind == "cancelable":
        return f"The context passed is {parent.text}: each registration sits in its `children` map; {removal}"
    if parent.kind in ("root", "no-cancel"):
        return f"The context passed is {parent.text}: its `Done()` is nil, so nothing is registered and `f` never runs."
    return (f"The context passed is {parent.text}: if it is a standard cancelable context, each registration sits "
            f"in its `children` map until it is canceled; {removal}")
