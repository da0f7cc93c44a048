"""finalizer-invalid: runtime.SetFinalizer calls that stop the program with a fatal error.

The runtime checks the arguments when SetFinalizer is called and ``throw``s (an
unrecoverable fatal error) when the object is not a pointer or the finalizer is not a
function of exactly one non-variadic parameter that can receive the object.
:func:`ctx_lsp.knowledge.finalizer_checks.invalid_arguments` is shared with
finalizer-prefer-cleanup, which stays quiet on calls this rule reports.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.rule import Rule
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.knowledge.finalizer_calls import SET_FINALIZER, registrations
from ctx_lsp.knowledge.finalizer_checks import invalid_arguments
from ctx_lsp.rules._corpora import FINALIZER_REVIEW_CORPUS, fresh_review

Node = tree_sitter.Node

ID = "finalizer-invalid"

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


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    for registration in registrations(ctx, decl):
        if registration.api != SET_FINALIZER:
            continue
        for problem in invalid_arguments(ctx, registration):
            yield Finding(ID, problem.node.start_byte, problem.node.end_byte, problem.message)


RULE = Rule(
    id=ID,
    severity=Severity.ERROR,
    title="runtime.SetFinalizer call that stops the program with a fatal error",
    doc=DOC,
    url="https://pkg.go.dev/runtime#SetFinalizer",
    check=check,
    decl_needles=(b"SetFinalizer", b"AddCleanup"),  # check's first test
    imports=frozenset({"runtime"}),
    exports=exports_of("runtime"),
)
