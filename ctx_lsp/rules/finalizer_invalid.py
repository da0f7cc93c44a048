"""finalizer-invalid: runtime.SetFinalizer calls that stop the program with a fatal error.

The runtime checks the arguments when SetFinalizer is called and ``throw``s (an
unrecoverable fatal error) when the object is not a pointer or the finalizer is not a
function of exactly one non-variadic parameter that can receive the object.
:func:`invalid_argument` is shared with finalizer-prefer-cleanup, which stays quiet on calls
this rule reports.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.syntax import unparen
from ctx_lsp.rules._corpora import FINALIZER_REVIEW_CORPUS, fresh_review
from ctx_lsp.rules._finalizer_calls import (
    BASIC_LITERAL_KINDS,
    SET_FINALIZER,
    Callback,
    Registration,
    base_type_name,
    is_builtin_value_type,
    is_nil,
    literal_parameters,
    object_type_name,
    registrations,
    resolve_callback,
    short_text,
)

Node = tree_sitter.Node

ID = "finalizer-invalid"
FATAL = "stops the program with a fatal error (not a recoverable panic)"

DOC = """\
# finalizer-invalid: this runtime.SetFinalizer call stops the program

`runtime.SetFinalizer` validates its arguments when it is called. On a mistake it does not
return an error or panic: it calls the runtime's `throw`, a **fatal error that `recover`
cannot catch**, and the whole process exits. This rule reports (error) the mistakes visible
in the source:

- the object is not a pointer: a composite literal without `&` (`T{}`, `[]int{...}`), a
  basic literal (`"name"`, `42`), a function literal, or `nil`;
- the finalizer is a function literal with zero or several parameters, or a variadic one;
- the finalizer's only parameter has a type that can never receive a pointer: a builtin
  non-interface type (`int`, `string`...), a slice/array/map/channel/function/struct type
  literal, or a struct type declared in the package (`func(v T)` where `*T` was needed);
- the finalizer is a non-function constant (`"cleanup"`, `42`) or composite literal;
- the finalizer is a package function, method expression or method value whose declared
  parameter count is not one (`(*T).m` counts the receiver: `m` must take no parameters;
  a method value `x.m` needs `m` to take exactly one).

Range: the offending argument. When this rule fires, `finalizer-prefer-cleanup` is not
reported for the same call.

## What happens at run time

From `runtime.SetFinalizer` (its documentation, and the checks as written in Go 1.19's
`runtime/mfinal.go`): a nil or non-pointer first argument throws; a second argument that is not a function
throws; a function that is variadic or does not take exactly one argument throws; a
parameter type the object cannot be assigned to throws ("cannot pass *T to finalizer
func(T)"). `SetFinalizer(x, nil)` is valid and removes a finalizer.

## What to do instead

Pass the pointer you want finalized (`&T{...}`, `new(T)`, a pointer variable) and a function
of one parameter that receives it: `func(t *T)`, an interface it satisfies, `any`, or a
method expression `(*T).m` whose method takes no parameters. New code on Go 1.24+ should
consider `runtime.AddCleanup`, whose argument types the compiler checks.

## Not reported

- Pointers of every kind (`&T{}`, `new(T)`, variables, fields, calls): whether they point
  to the start of a heap allocation cannot be seen in the source.
- Parameter types that might accept the object: interfaces, `any`, named types of other
  packages, pointers of another type (the runtime would reject `*U` for a `*T` object, but
  without types we cannot tell `*U` from an alias or a named pointer type).
- `runtime.AddCleanup`: its misuse is a compile error, except `arg == ptr`, which
  finalizer-self-reference reports.

## Precision review

""" + FINALIZER_REVIEW_CORPUS + """

- 3 findings, all reviewed: **3 true positives**. All are `runtime.SetFinalizer(r, r.finalize)`
  in go/types, types2 and syntax test inputs. `finalize` takes no parameters, so the method
  value is a `func()` and SetFinalizer would throw "cannot pass *Receiver[T] to finalizer
  func()".
- Invalid calls are rare in code that runs, because the first execution crashes.
"""
DOC += fresh_review("""\
No findings on these 12,998 files.
""")


@attrs.frozen
class Invalid:
    node: Node = attrs.field(eq=False)
    message: str


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    for registration in registrations(ctx, decl):
        if registration.api != SET_FINALIZER:
            continue
        for problem in invalid_arguments(ctx, registration):
            yield Finding(ID, problem.node.start_byte, problem.node.end_byte, problem.message)


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
    if struct_name is not None and struct_name in ctx.package.structs and not is_builtin_value_type(type_node):
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


RULE = Rule(
    id=ID,
    severity=Severity.ERROR,
    title="runtime.SetFinalizer call that stops the program with a fatal error",
    doc=DOC,
    url="https://pkg.go.dev/runtime#SetFinalizer",
    check=check,
    imports=frozenset({"runtime"}),
)
