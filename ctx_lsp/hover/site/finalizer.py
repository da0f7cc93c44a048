"""runtime.SetFinalizer, runtime.AddCleanup and runtime.KeepAlive calls."""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import call_arguments, unparen
from ctx_lsp.hover.site.common import sentence
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
        return f"The {noun} closure does not refer to {subject}, so it does not keep the object reachable."
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
