"""A goroutine's send or receive that goroutine-blocked-send finds can block forever, and the
``go`` statement that starts that goroutine: what the runtime keeps, and until when.

A blocked goroutine is a GC root and its ``g`` is freed only when its function returns, so its
stack and everything the stack references stay allocated (docs/runtime-facts.md §3.5). Only a
receive releases a blocked sender (closing the channel makes it panic); a receive, by a send or
a close (§3.7). Go 1.26's goroutine leak profile reports such goroutines but does not free them
(§3.6).
"""

from __future__ import annotations

import re

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding
from ctx_lsp.hover.site.common import Subject, ancestors, code_span, enclosing_function
from ctx_lsp.hover.site.rule_findings import finding_on, findings_within, related_line
from ctx_lsp.knowledge import versions

Node = tree_sitter.Node

# The goroutine leak profile: experimental in Go 1.26 (GOEXPERIMENT=goroutineleakprofile), on
# by default from Go 1.27 (docs/runtime-facts.md §3.6).
LEAK_PROFILE_EXPERIMENT: versions.GoVersion = (1, 26)
LEAK_PROFILE_DEFAULT: versions.GoVersion = (1, 27)

_BUFFER = re.compile(r"make\(chan T, \d+\)")
_KEPT = ("The runtime then keeps this goroutine, its stack and everything they reference for the life of "
         "the program: a blocked goroutine is never garbage collected.")


def blocked_channel_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    """The hovered ``<-`` (or channel name) of a send or receive the rule reports."""
    operation = _channel_operation(node)
    if operation is None:
        return None
    finding = finding_on(ctx, "goroutine-blocked-send", operation)
    if finding is None:
        return None
    channel = _channel_name(ctx, operation)
    starter = _starter(ctx, operation)
    exit_line = _exit_line(ctx, finding)
    if operation.type == "send_statement":
        title = f"**This send can block forever: {starter} can return{exit_line} without receiving from `{channel}`.**"
        facts = [_KEPT,
                 f"Only a receive from `{channel}` could release it, and none comes once {starter} has returned; "
                 f"closing `{channel}` would make this send panic.",
                 f"A buffer of one slot per send ({_buffer_hint(finding)}) lets the send complete and the "
                 "goroutine return."]
    else:
        nothing = "nothing sends on or closes" in finding.message
        why = (f"nothing sends on or closes `{channel}`" if nothing
               else f"{starter} can return{exit_line} without sending on or closing `{channel}`")
        title = f"**This receive can block forever: {why}.**"
        facts = [_KEPT,
                 f"It is released only when something sends on `{channel}` or closes it: `defer close({channel})` "
                 f"in {starter} releases it on every path."]
    facts += _leak_profile_facts(ctx)
    return Subject(operation.start_byte, operation.end_byte, title, tuple(facts))


def blocked_goroutine_fact(ctx: FileContext, go_statement: Node) -> str | None:
    """The first line of a ``go`` statement's hover when the rule finds its goroutine can block."""
    findings = findings_within(ctx, "goroutine-blocked-send", go_statement)
    if not findings:
        return None
    finding = findings[0]
    operation = ctx.src.root.named_descendant_for_byte_range(finding.start, finding.end)
    what = "send" if operation is not None and operation.type == "send_statement" else "receive"
    where = code_span(ctx, operation) if operation is not None else f"the {what}"
    line = ctx.src.line_of(finding.start) + 1
    return (f"It can block forever on {where} (line {line}), and a blocked goroutine is never freed: "
            f"{_starter(ctx, go_statement)} can return without the matching "
            f"{'receive' if what == 'send' else 'send or close'}.")


def _leak_profile_facts(ctx: FileContext) -> list[str]:
    version = versions.describe(ctx.go_version)
    if versions.at_least(ctx.go_version, LEAK_PROFILE_DEFAULT):
        return [f"With {version}, the `goroutineleak` profile of `runtime/pprof` can report this goroutine at run "
                "time; reporting does not free it."]
    if versions.at_least(ctx.go_version, LEAK_PROFILE_EXPERIMENT):
        return [f"With {version}, the experimental goroutine leak profile (`GOEXPERIMENT=goroutineleakprofile`) "
                "can report this goroutine at run time; reporting does not free it."]
    if ctx.go_version is None:  # say which version the (absent) leak-profile fact assumes
        return [f"With {version}, no goroutine leak profile can report it (Go 1.26 adds an experimental one); "
                "only a goroutine dump or a test helper such as goleak shows it."]
    return []


def _channel_operation(node: Node) -> Node | None:
    """The send statement or ``<-ch`` receive that ``node`` is (its operator) or names the channel of."""
    if node.type == "send_statement":
        return node
    if node.type == "unary_expression" and _is_receive(node):
        return node
    parent = node.parent
    if node.type == "identifier" and parent is not None:
        if parent.type == "send_statement" and parent.child_by_field_name("channel") == node:
            return parent
        if parent.type == "unary_expression" and _is_receive(parent) and parent.child_by_field_name("operand") == node:
            return parent
    return None


def _is_receive(unary: Node) -> bool:
    operator = unary.child_by_field_name("operator")
    return operator is not None and operator.type == "<-"


def _channel_name(ctx: FileContext, operation: Node) -> str:
    field = "channel" if operation.type == "send_statement" else "operand"
    channel = operation.child_by_field_name(field)
    return ctx.src.text(channel) if channel is not None else "the channel"


def _starter(ctx: FileContext, inner: Node) -> str:
    """The function that starts the goroutine: the one enclosing the ``go`` statement that holds
    (or is) ``inner``."""
    go_statement = inner if inner.type == "go_statement" else next(
        (step for step in reversed(ancestors(ctx, inner)) if step.type == "go_statement"), None)
    function = enclosing_function(ctx, go_statement) if go_statement is not None else None
    name = function.child_by_field_name("name") if function is not None else None
    if function is not None and function.type in ("function_declaration", "method_declaration") and name is not None:
        return f"`{ctx.src.text(name)}`"
    return "the function that started it"


def _buffer_hint(finding: Finding) -> str:
    """The rule's suggested capacity (``make(chan T, 2)``), from its message."""
    found = _BUFFER.search(finding.message)
    return f"`{found.group(0)}`" if found is not None else "`make(chan T, N)`"


def _exit_line(ctx: FileContext, finding: Finding) -> str:
    line = related_line(ctx, finding, "returns here")
    return f" (line {line})" if line is not None else ""
