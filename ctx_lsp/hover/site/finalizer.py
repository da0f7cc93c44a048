"""runtime.SetFinalizer, runtime.AddCleanup and runtime.KeepAlive calls."""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import call_arguments, expression_list_items, unparen, walk
from ctx_lsp.hover.site.common import enclosing_function, sentence
from ctx_lsp.hover.site.origin import is_context_variable
from ctx_lsp.knowledge import finalizer_calls as finalizers
from ctx_lsp.knowledge.finalizer_checks import self_reference

Node = tree_sitter.Node



def _registration(ctx: FileContext, call: Node) -> finalizers.Registration | None:
    for registration in finalizers.registrations(ctx, call):
        if registration.call.start_byte == call.start_byte and registration.call.end_byte == call.end_byte:
            return registration
    return None


def finalizer_facts(ctx: FileContext, call: Node) -> list[str]:
    registration = _registration(ctx, call)
    if registration is None:
        return []
    noun = registration.noun
    facts = []
    problem = self_reference(ctx, registration)
    if problem is not None:
        facts.append(sentence(problem))
    else:
        callback = finalizers.resolve_callback(ctx, registration.callback, registration.call)
        facts.append(_callback_fact(ctx, registration, callback))
    cycle = _cycle_partner(ctx, registration)
    if cycle is not None and registration.api == finalizers.SET_FINALIZER:
        # runtime/mfinal.go: a cycle that contains a block with a finalizer may never be
        # collected, and the finalizer may never run (docs/runtime-facts.md §2.1; issue 15, claim 6).
        facts.insert(0, f"`{cycle[0]}` and `{cycle[1]}` point to each other: a reference cycle that contains "
                        "an object with a finalizer may never be collected, so this finalizer may never run. "
                        "`runtime.AddCleanup` has no such limit.")
    type_name = finalizers.object_type_name(ctx, registration.obj)
    if type_name is not None:
        release = finalizers.release_api(ctx, type_name)
        if release is not None:
            owner, method = release
            facts.append(f"`{owner}` has an explicit `{method}` method: the {noun} is only a safety net; "
                         f"callers should still call `{method}`.")
        else:
            facts.append(f"`{type_name}` has no `Close`/`Release`/`Stop`/`Shutdown` method in this package: "
                         f"if the {noun} releases a resource, callers have no deterministic way to release it.")
    return facts


def _callback_fact(ctx: FileContext, registration: finalizers.Registration,
                   callback: finalizers.Callback) -> str:
    noun = registration.noun
    root = finalizers.object_root(ctx, registration.obj)
    subject = f"`{root.decl.name}`" if root is not None else "the object"
    if callback.kind == "literal":
        return f"The {noun} closure does not refer to {subject}: it does not capture the object."
    if callback.kind == "function":
        return f"The {noun} is the package function `{callback.name}`; it captures nothing."
    if callback.kind == "method_expression":
        return f"The {noun} is a method expression: it receives the object as its argument and captures nothing."
    if callback.kind == "nil":
        return "A nil finalizer removes the object's finalizer."
    return f"ctx-lsp cannot see what the {noun} refers to."


def keep_alive_facts(ctx: FileContext, call: Node) -> list[str]:
    arguments = call_arguments(call)
    if len(arguments) != 1:
        return []
    argument = unparen(arguments[0])
    if argument.type == "identifier" and is_context_variable(ctx, argument):
        return [f"`{ctx.src.text(argument)}` is a context: `KeepAlive` does nothing useful here. A context in "
                "use is reachable, so it is never collected early, and contexts carry no finalizers."]
    return []


def _cycle_partner(ctx: FileContext, registration: finalizers.Registration) -> tuple[str, str] | None:
    """``(a, b)`` when the registered object ``a`` and a local ``b`` point to each other in the
    function: ``b`` is built from or assigned ``a`` and ``a.f = b`` (or ``a.f = a``)."""
    root = finalizers.object_root(ctx, registration.obj)
    function = enclosing_function(ctx, registration.call)
    if root is None or function is None:
        return None
    holders = {root.decl.name}  # locals whose value points to the object
    stores: list[tuple[str, Node]] = []  # (operand of `x.f = value`, value)
    for node in walk(function):
        if node.type not in ("short_var_declaration", "assignment_statement"):
            continue
        left = expression_list_items(node.child_by_field_name("left"))
        right = expression_list_items(node.child_by_field_name("right"))
        for target, value in zip(left, right, strict=False):
            mentions_root = finalizers.holds_variable(ctx, value, root.decl)
            if target.type == "identifier" and mentions_root:
                holders.add(ctx.src.text(target))
            elif target.type == "selector_expression":
                operand = target.child_by_field_name("operand")
                if operand is not None and operand.type == "identifier":
                    stores.append((ctx.src.text(operand), value))
                    if mentions_root:
                        holders.add(ctx.src.text(operand))
    for stored_in, value in stores:
        if stored_in != root.decl.name:
            continue
        for name in walk(value):
            if name.type == "identifier" and ctx.src.text(name) in holders:
                return root.decl.name, ctx.src.text(name)
    return None
