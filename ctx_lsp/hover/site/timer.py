"""Timers: the facts of a ``time.NewTimer``/``NewTicker``/``After``/``Tick``/``AfterFunc``
call for the module's Go version.

Sources: docs/runtime-facts.md §4 (the Go 1.23 change, only with go >= 1.23 in go.mod) and
§11 (each API's pre- and post-1.23 behaviour; AfterFunc timers in every version).
"""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import FUNCTION_KINDS
from ctx_lsp.engine.syntax import expression_list_items
from ctx_lsp.hover.site.common import ancestors
from ctx_lsp.hover.site.rule_findings import finding_on
from ctx_lsp.knowledge import versions
from ctx_lsp.knowledge.timers import CHANNEL_TIMERS, OLD, timer_semantics

Node = tree_sitter.Node

_REUSE = "One `time.NewTimer` made before the loop and `Reset` each iteration avoids the allocations."



def timer_facts(ctx: FileContext, call: Node, name: str) -> list[str]:
    if name == "AfterFunc":
        return _after_func_facts(call)
    what = CHANNEL_TIMERS[name]
    semantics, reason = timer_semantics(ctx)
    version = versions.describe(ctx.go_version)
    if " with " in reason:  # GODEBUG settings decide, not the go line alone
        version += " with " + reason.split(" with ", 1)[1]
    leak = finding_on(ctx, "timer-leak", call)
    if leak is not None:
        return _leak_facts(ctx, call, name, semantics == OLD, version)
    if semantics != OLD:
        facts = [f"With {version}, this {what} is collected once nothing references it, even if it is "
                 "never stopped, and its channel is unbuffered (no stale value after `Stop`/`Reset`)."]
    elif what == "ticker":
        facts = [f"With {version}, the pre-1.23 rules apply: a ticker that is not stopped is never "
                 "collected and keeps ticking."]
        if name == "Tick" and not _in_func_main(ctx, call):
            facts.append("`Tick` gives no way to stop it: each call of this function leaks one ticker.")
    else:
        facts = [f"With {version}, the pre-1.23 rules apply: this timer is not collected until it fires, "
                 "and a value sent before `Stop`/`Reset` can still be received afterwards."]
        if name == "After" and _in_loop(ctx, call):
            facts.append("Inside a loop, every iteration leaves one pending timer until its duration elapses.")
    return facts


def _leak_facts(ctx: FileContext, call: Node, name: str, old: bool, version: str) -> list[str]:
    """A call the timer-leak rule reports: what the runtime keeps here, and until when."""
    if name == "After":
        if old:
            return [f"Every iteration of this loop leaves one more pending timer: with {version}, the pre-1.23 "
                    "rules apply, and each timer stays in memory, with its channel, until its duration elapses.",
                    "Memory grows with the iteration rate times the duration, even when another case wins.",
                    _REUSE]
        return [f"Every iteration of this loop allocates a new timer and channel: with {version}, each is "
                "collected once unreferenced, so this is garbage, not a leak.",
                _REUSE]
    holder = _ticker_variable(ctx, call)
    subject = ("`time.Tick`'s ticker can never be stopped" if name == "Tick"
               else f"`{holder}` is never stopped" if holder is not None else "This ticker can never be stopped")
    return [f"{subject}: with {version}, the pre-1.23 rules apply, so it is never collected and keeps firing "
            "for the life of the program.",
            "Each call of this function that returns leaks one more ticker.",
            "`defer t.Stop()` on a `time.NewTicker` frees it; from Go 1.23 semantics an unreferenced ticker is "
            "collected even unstopped."]


def _ticker_variable(ctx: FileContext, call: Node) -> str | None:
    """``ticker`` in ``ticker := time.NewTicker(d)``."""
    holder = call.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else None
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement"):
        return None
    targets = expression_list_items(statement.child_by_field_name("left"))
    return ctx.src.text(targets[0]) if len(targets) == 1 and targets[0].type == "identifier" else None


def _after_func_facts(call: Node) -> list[str]:
    parent = call.parent
    if parent is not None and parent.type == "expression_statement":
        return ["The returned `*Timer` is dropped, so this call can never be stopped: `f` and everything it "
                "captures stay reachable until the timer fires."]
    return ["Until it fires or `Stop` is called, the runtime holds this function timer and `f` with "
            "everything `f` captures, in every Go version."]


def _in_loop(ctx: FileContext, node: Node) -> bool:
    for ancestor in reversed(ancestors(ctx, node)):
        if ancestor.type in FUNCTION_KINDS:
            return False
        if ancestor.type == "for_statement":
            return True
    return False


def _in_func_main(ctx: FileContext, node: Node) -> bool:
    for ancestor in reversed(ancestors(ctx, node)):
        if ancestor.type in FUNCTION_KINDS:
            name = ancestor.child_by_field_name("name")
            return ancestor.type == "function_declaration" and name is not None and name.text == b"main"
    return False
