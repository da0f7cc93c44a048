"""What makes a finalizer or cleanup call wrong: arguments that make ``runtime.SetFinalizer``
throw, and callbacks or ``arg`` values that keep the registered object reachable so the
finalizer or cleanup never runs.

Shared by the finalizer-* rules (finalizer-invalid, finalizer-self-reference and the rules
that stay quiet on calls those report) and by hover. Sources: docs/runtime-facts.md §2.1
(SetFinalizer's checks and cycles) and §2.3 (AddCleanup panics when ``arg == ptr``; a
``ptr`` reachable from ``cleanup`` or ``arg`` is never collected).
"""

from __future__ import annotations

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import unparen
from ctx_lsp.knowledge.finalizer_calls import (
    BASIC_LITERAL_KINDS,
    SET_FINALIZER,
    Callback,
    ObjectRoot,
    Registration,
    assigned_after,
    base_type_name,
    holds_variable,
    is_builtin_value_type,
    is_nil,
    literal_parameters,
    mentions,
    object_root,
    object_type_name,
    resolve_callback,
    same_variable,
    short_text,
)

Node = tree_sitter.Node

FATAL = "stops the program with a fatal error (not a recoverable panic)"


@attrs.frozen
class Invalid:
    node: Node = attrs.field(eq=False)
    message: str


def invalid_arguments(ctx: FileContext, registration: Registration) -> list[Invalid]:
    """Problems of a SetFinalizer call that make the runtime throw (empty when none is seen)."""
    problems = []
    object_problem = _invalid_object(ctx, registration.obj)
    if object_problem is not None:
        problems.append(object_problem)
    finalizer_problem = _invalid_finalizer(ctx, registration)
    if finalizer_problem is not None:
        problems.append(finalizer_problem)
    return problems


def _opening(what: str) -> str:
    return (f"the first argument of runtime.SetFinalizer must be a pointer to a heap-allocated object; "
            f"{what}, so the call {FATAL}")


def _invalid_object(ctx: FileContext, obj: Node) -> Invalid | None:
    node = unparen(obj)
    kind = node.type
    if kind == "composite_literal":
        type_node = node.child_by_field_name("type")
        type_text = short_text(ctx, type_node, 32) if type_node is not None else "this composite literal"
        literal = f"{type_text}{{...}}"
        if type_node is not None and type_node.type in ("type_identifier", "qualified_type", "generic_type"):
            advice = f"pass &{literal} or a pointer variable"
        else:
            advice = "pass a pointer to a heap-allocated object"
        return Invalid(obj, f"{_opening(f'{literal} is a value')}: {advice}")
    if kind in BASIC_LITERAL_KINDS:
        return Invalid(obj, f"{_opening(f'{short_text(ctx, node, 32)} is a constant')}: "
                            f"pass a pointer to a heap-allocated object")
    if is_nil(ctx, node):
        return Invalid(obj, f"{_opening('nil is not')}: pass the pointer whose finalizer you want to set")
    if kind == "func_literal":
        return Invalid(obj, f"{_opening('a function literal is a value')}: pass a pointer to a heap-allocated object")
    return None


def _invalid_finalizer(ctx: FileContext, registration: Registration) -> Invalid | None:
    argument = registration.callback
    node = unparen(argument)
    if node.type in BASIC_LITERAL_KINDS or node.type == "composite_literal":
        what = short_text(ctx, node, 32) if node.type in BASIC_LITERAL_KINDS else "a composite literal"
        return Invalid(argument, f"the second argument of runtime.SetFinalizer must be a function or nil; "
                                 f"{what} is not, so the call {FATAL}")
    if node.type == "func_literal":
        return _invalid_literal(ctx, registration, node)
    callback = resolve_callback(ctx, argument, registration.call)
    return _invalid_declared(ctx, callback)


def _suggested_signature(ctx: FileContext, registration: Registration) -> str:
    type_name = object_type_name(ctx, registration.obj)
    if type_name is None:
        return "declare exactly one parameter that receives the object"
    return f"declare exactly one parameter, such as func({type_name[0].lower()} *{type_name})"


def _invalid_literal(ctx: FileContext, registration: Registration, literal: Node) -> Invalid | None:
    parameters, variadic = literal_parameters(literal)
    if len(parameters) != 1:
        return Invalid(registration.callback,
                       f"the finalizer must take exactly one parameter (the object); this one takes "
                       f"{len(parameters)}, so runtime.SetFinalizer {FATAL}: "
                       f"{_suggested_signature(ctx, registration)}")
    if variadic:
        return Invalid(registration.callback,
                       f"a variadic finalizer cannot receive the object, so runtime.SetFinalizer {FATAL}: "
                       f"declare one parameter that is not variadic")
    type_node = parameters[0][1]
    if type_node is None:
        return None
    struct_name = base_type_name(type_node) if type_node.type in ("type_identifier", "generic_type") else None
    if struct_name is not None and struct_name in ctx.package_outline.structs and not is_builtin_value_type(type_node):
        advice = f"declare the parameter as *{short_text(ctx, type_node, 32)}"
    elif is_builtin_value_type(type_node):
        advice = "declare it with the object's pointer type"
    else:
        return None
    return Invalid(registration.callback,
                   f"the finalizer's parameter type {short_text(ctx, type_node, 32)} cannot receive a pointer, "
                   f"so runtime.SetFinalizer {FATAL}: {advice}")


def _plural(count: int) -> str:
    return f"{count} parameter" if count == 1 else f"{count} parameters"


def _invalid_declared(ctx: FileContext, callback: Callback) -> Invalid | None:
    """Package functions, method expressions and method values with the wrong arity."""
    facts = callback.facts
    if facts is None:
        return None
    if callback.kind == "method_expression":
        count = facts.params + 1  # the receiver is the first parameter
    elif callback.kind in ("method_value", "function"):
        count = facts.params
    else:
        return None
    if count == 1:
        return None
    shown = short_text(ctx, callback.node)
    if callback.kind == "method_value" and count == 0 and callback.receiver_type is not None:
        advice = f"pass the method expression (*{callback.receiver_type}).{callback.name} instead"
    else:
        advice = "pass a function of one parameter that receives the object"
    return Invalid(callback.node,
                   f"the finalizer {shown} takes {_plural(count)}; runtime.SetFinalizer needs exactly one "
                   f"(the object), so the call {FATAL}: {advice}")


def self_reference(ctx: FileContext, registration: Registration) -> str | None:
    """The message for a call whose callback or arg keeps the object reachable, else None
    (shared with finalizer-resource, which stays quiet on such calls)."""
    if registration.api != SET_FINALIZER:
        arg = registration.arg
        assert arg is not None
        if same_variable(ctx, registration.obj, arg):
            return (f"runtime.AddCleanup panics when arg is the object itself ({short_text(ctx, arg)}), "
                    f"and the cleanup could never run anyway: pass only what the cleanup needs, "
                    f"such as a field value")
    root = object_root(ctx, registration.obj)
    if root is None:
        return None
    name = root.decl.name
    if registration.arg is not None and holds_variable(ctx, registration.arg, root.decl):
        return (f"arg keeps {name} reachable, so {name} is never collected and the cleanup never runs: "
                f"pass only the values the cleanup needs (for example a field), not {name}")
    callback = resolve_callback(ctx, registration.callback, registration.call)
    if root.how != "address" and assigned_after(ctx, root.decl, registration.call):
        # The captured variable may no longer hold the object when it matters. (For ``&v``
        # the variable's storage is the object: assignments change its content only.)
        return None
    if callback.kind == "literal" and callback.literal is not None:
        body = callback.literal.child_by_field_name("body")
        if body is not None and mentions(ctx, body, root.decl):
            return _closure_message(ctx, registration, root)
    if callback.kind == "method_value" and callback.receiver is not None \
            and ctx.resolve(callback.receiver) == root.decl:
        return _method_value_message(ctx, registration, callback, root)
    return None


def _closure_message(ctx: FileContext, registration: Registration, root: ObjectRoot) -> str:
    noun = registration.noun
    name = root.decl.name
    finalized = "finalized" if noun == "finalizer" else "registered"
    if root.how == "address":
        opening = (f"the {noun} closes over {name} (the variable whose address is {finalized}), "
                   f"so the object stays reachable and is never collected")
    elif root.how == "through":
        opening = (f"the {noun} closes over {name}, which holds the {finalized} object "
                   f"{short_text(ctx, registration.obj)}, so the object stays reachable and is never collected")
    else:
        opening = f"the {noun} closes over {name}, so {name} stays reachable and is never collected"
    if noun == "finalizer":
        return f"{opening}: the finalizer never runs; use the finalizer's parameter instead of {name}"
    return f"{opening}: the cleanup never runs; pass what it needs as arg and use the cleanup's parameter"


def _method_value_message(ctx: FileContext, registration: Registration, callback: Callback,
                          root: ObjectRoot) -> str:
    noun = registration.noun
    receiver = root.decl.name
    opening = (f"the {noun} {short_text(ctx, callback.node)} is a method value bound to {receiver}, "
               f"so {receiver} stays reachable and is never collected: the {noun} never runs")
    if noun == "finalizer":
        if callback.receiver_type is not None:
            return f"{opening}; pass the method expression (*{callback.receiver_type}).{callback.name} instead"
        return f"{opening}; pass a method expression such as (*T).{callback.name} instead"
    return f"{opening}; use a function that receives what it needs through arg"
