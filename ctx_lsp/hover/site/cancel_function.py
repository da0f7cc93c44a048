"""The cancel (or stop) function of a derived context: where it goes, on which paths it is not called."""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import call_arguments, expression_list_items, targets_and_values, unparen
from ctx_lsp.hover.apis import api_info
from ctx_lsp.hover.site.common import (
    Subject,
    ancestors,
    code_span,
    enclosing_function,
    join,
    line_of,
    sentence,
)
from ctx_lsp.hover.site.origin import Parent, describe_parent
from ctx_lsp.knowledge.contexts import AFTER_FUNC, CANCELABLE_CONSTRUCTORS
from ctx_lsp.rules import lostcancel

Node = tree_sitter.Node


def release_name(ref: tuple[str, str]) -> str:
    return "stop" if ref[0] == "os/signal" else "cancel"


def release_facts(ctx: FileContext, call: Node, ref: tuple[str, str], parent: Parent | None) -> list[str]:
    function = enclosing_function(ctx, call)
    if function is None:
        return [f"At package level: the {release_name(ref)} function must be called by whoever owns it."]
    finding, definition = lostcancel.classify(ctx, function, call, ref)
    what = release_name(ref)
    if finding is not None:
        retained = retained_without_release(ctx, ref, parent)
        if "discarded" in finding.message:
            return [f"The {what} function is assigned to `_`, so it can never be called. {retained}"]
        return [f"The call's results are dropped, so the {what} function can never be called. {retained}"]
    if definition is None:
        return [_untracked_release(ctx, call, what)]
    return _definition_facts(ctx, function, definition, ref, parent)


def _untracked_release(ctx: FileContext, call: Node, what: str) -> str:
    holder = call.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else None
    if statement is not None and statement.type == "return_statement":
        return f"The {what} function is returned to the caller, which must call it."
    if statement is not None and statement.type in ("short_var_declaration", "assignment_statement", "var_spec"):
        targets = (statement.children_by_field_name("name") if statement.type == "var_spec"
                   else expression_list_items(statement.child_by_field_name("left")))
        if len(targets) >= 2:
            return (f"The {what} function is stored in {code_span(ctx, targets[1])}, outside this function's "
                    "local variables: whoever owns it must call it.")
    return f"ctx-lsp cannot follow the {what} function from here."


def retained_without_release(ctx: FileContext, ref: tuple[str, str], parent: Parent | None) -> str:
    api = api_info(*ref)
    assert api is not None
    pieces = []
    # A deadline context leaves its parent's map at the deadline at the latest: the timer
    # cancels it and (*timerCtx).cancel calls removeChild (docs/runtime-facts.md §1.3, §1.4;
    # issue 15, claim 1).
    until = "until that context is canceled or the deadline fires" if api.arms_timer \
        else "until that context is canceled"
    if parent is not None and parent.kind == "cancelable":
        pieces.append(f"the context stays in the `children` map of {parent.text} {until}")
    elif parent is not None and parent.kind == "parameter":
        pieces.append(f"if the caller's context is cancelable, the context stays in its `children` map {until}")
    elif parent is not None and parent.kind in ("root", "no-cancel"):
        if not api.arms_timer and ref[0] != "os/signal":
            pieces.append("nothing registers it (the parent's `Done()` is nil), so it is garbage once unreferenced")
    else:
        pieces.append(f"under a cancelable parent it stays in the parent's `children` map {until}")
    if api.arms_timer:
        pieces.append("its timer holds it until the deadline")
    if ref[0] == "os/signal":
        # Only signalCtx.stop calls signal.Stop (docs/runtime-facts.md §12; issue 15, claim 3).
        pieces.append("the signal registration stays for the life of the program, and its goroutine until a "
                      "signal arrives or the parent is canceled")
    return sentence("; ".join(pieces))


def _reference_role(ctx: FileContext, reference: Node, function: Node) -> str:
    """How a reference to the cancel variable uses it, for "deferred on line N"."""
    path = ancestors(ctx, reference)
    inner = [n for n in path if function.start_byte <= n.start_byte and n.end_byte <= function.end_byte]
    if any(n.type == "func_literal" and n != function for n in inner):
        return "used in a closure"
    parent = reference.parent
    if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == reference:
        outer = parent.parent
        if outer is not None and outer.type == "defer_statement":
            return "deferred"
        if outer is not None and outer.type == "go_statement":
            return "called in a new goroutine"
        return "called"
    container = parent.parent if parent is not None and parent.type == "expression_list" else parent
    if container is not None and container.type == "return_statement":
        return "returned"
    if is_discarded(reference):
        return "discarded"
    return "passed or stored"


def is_discarded(reference: Node) -> bool:
    """``_ = cancel`` (or ``_, _ = x, cancel``): the value is thrown away, never called."""
    holder = reference.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else None
    if statement is None or statement.type != "assignment_statement" or statement.child_by_field_name("right") != holder:
        return False
    values = expression_list_items(holder)
    targets = expression_list_items(statement.child_by_field_name("left"))
    index = next((i for i, value in enumerate(values) if value.start_byte == reference.start_byte), None)
    return index is not None and len(targets) == len(values) and targets[index].text == b"_"


def _definition_facts(ctx: FileContext, function: Node, definition: lostcancel.Definition,
                      ref: tuple[str, str], parent: Parent | None) -> list[str]:
    name = definition.decl.name
    uses = _use_summary(ctx, function, definition)
    facts = [f"`{name}` (line {line_of(ctx, definition.ident.start_byte)}): {uses}." if uses
             else f"`{name}` (line {line_of(ctx, definition.ident.start_byte)}) is never used."]
    if lostcancel.is_main_main(ctx, function):
        facts.append("In `func main` returning ends the process, so the paths are not checked (as in vet).")
        return facts
    if uses and all(piece.startswith("discarded") for piece in uses.split("; ")):
        # `_ = cancel` silences vet but calls nothing (issue 15, claim 7).
        api = api_info(*ref)
        deadline = " or the deadline" if api is not None and api.arms_timer else ""
        facts.append(f"`{name}` is only discarded, never called: only the parent{deadline} can end this "
                     f"context. {retained_without_release(ctx, ref, parent)}")
        return facts
    outcome = lostcancel.search(ctx, ctx.cfg(function), definition)
    if outcome is None:
        facts.append(f"Every path from here to a return uses `{name}`.")
        return facts
    if outcome.overwrites:
        first = min(outcome.overwrites, key=lambda node: node.start_byte)
        facts.append(f"`{name}` is overwritten on line {line_of(ctx, first.start_byte)} before it is used: this "
                     f"{release_name(ref)} function is lost.")
    if outcome.returns:
        brace = ctx.cfg(function).closing_brace()
        places = [f"the end of the function (line {line_of(ctx, start)})" if start == brace
                  else f"the return on line {line_of(ctx, start)}" for start, _end in outcome.returns]
        retained = retained_without_release(ctx, ref, parent)
        facts.append(f"**Not used** on the paths to {join(places)}. On those paths: {retained[:1].lower()}"
                     f"{retained[1:]}")
    return facts


def _use_summary(ctx: FileContext, function: Node, definition: lostcancel.Definition) -> str:
    scopes = ctx.scopes(definition.ident)
    by_role: dict[str, list[int]] = {}
    for reference in scopes.references(definition.decl):
        if reference.start_byte == definition.ident.start_byte:
            continue
        if lostcancel.assignment_target_of(reference, function) is not None:
            continue  # overwrites are reported by the path search
        by_role.setdefault(_reference_role(ctx, reference, function), []).append(line_of(ctx, reference.start_byte))
    pieces = []
    for role, lines in by_role.items():
        unique = sorted(set(lines))
        noun = "line" if len(unique) == 1 else "lines"
        pieces.append(f"{role} on {noun} {join([str(line) for line in unique])}")
    return "; ".join(pieces)


def cancel_variable_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    if node.type != "identifier" or node.text == b"_":
        return None
    decl = ctx.resolve(node)
    if decl is None:
        return None
    holder = decl.ident.parent
    spec = holder.parent if holder is not None and holder.type == "expression_list" else holder
    if spec is None or spec.type not in ("short_var_declaration", "var_spec", "assignment_statement"):
        return None
    targets, values = targets_and_values(spec)
    if len(values) != 1:
        return None
    call = unparen(values[0])
    if call.type != "call_expression":
        return None
    ref = ctx.call_ref(call)
    if ref == AFTER_FUNC and targets and targets[0].start_byte == decl.ident.start_byte:
        return _after_func_stop_subject(ctx, node, decl.name, call)
    if len(targets) < 2 or targets[1].start_byte != decl.ident.start_byte or ref not in CANCELABLE_CONSTRUCTORS:
        return None
    assert ref is not None
    api = api_info(*ref)
    assert api is not None
    arguments = call_arguments(call)
    parent = describe_parent(ctx, arguments[0]) if arguments else None
    what = release_name(ref)
    title = f"**`{decl.name}`: the {what} function of `{api.qualified_name}` on line {line_of(ctx, call.start_byte)}.**"
    facts = release_facts(ctx, call, ref, parent)
    calling = [fact.text for section in api.sections if section.title.startswith("Calling") for fact in section.facts]
    return Subject(node.start_byte, node.end_byte, title, tuple(facts + calling[:1]))


def _after_func_stop_subject(ctx: FileContext, node: Node, name: str, call: Node) -> Subject:
    """The stop function of ``context.AfterFunc`` (docs/runtime-facts.md §1.7)."""
    title = f"**`{name}`: the stop function of `context.AfterFunc` on line {line_of(ctx, call.start_byte)}.**"
    decl = ctx.resolve(node)
    function = enclosing_function(ctx, call)
    roles: dict[str, list[int]] = {}
    if decl is not None and function is not None:
        for reference in ctx.scopes(decl.ident).references(decl):
            if reference.start_byte != decl.ident.start_byte:
                roles.setdefault(_reference_role(ctx, reference, function), []).append(
                    line_of(ctx, reference.start_byte))
    uses = "; ".join(f"{role} on line {join([str(line) for line in sorted(set(lines))])}"
                     for role, lines in roles.items())
    facts = [f"`{name}`: {uses}." if uses else f"`{name}` is never used: the registration stays until the "
             "context is canceled."]
    facts.append("`stop()` removes the registration and returns true if that prevented `f` from running; it "
                 "does not wait for a running `f`.")
    return Subject(node.start_byte, node.end_byte, title, tuple(facts))
