"""finalizer-self-reference: a finalizer or cleanup that keeps its own object alive.

Covers staticcheck's SA5005 (a closure, inline or held in a variable, capturing the finalized
variable) and what it misses: ``&v`` objects whose closure mentions ``v``, objects reached
through a variable's field, method values bound to the object, and ``runtime.AddCleanup``
whose ``arg`` is or holds ``ptr`` or whose cleanup mentions it.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.rule import Rule
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.knowledge.finalizer_calls import registrations
from ctx_lsp.knowledge.finalizer_checks import self_reference
from ctx_lsp.rules._corpora import FINALIZER_REVIEW_CORPUS, fresh_review

Node = tree_sitter.Node

ID = "finalizer-self-reference"

DOC = """\
# finalizer-self-reference: the finalizer or cleanup keeps its own object alive

A finalizer or cleanup runs only once its object is unreachable. The runtime keeps the
finalizer function (and a cleanup's function and `arg`) alive as roots, so if they refer to
the object, it never becomes unreachable: it is never collected and the callback never runs.
The memory and whatever the callback was meant to release leak for the life of the process.

This rule reports (error):

- `runtime.SetFinalizer(x, f)` where `f` is a function literal, written inline or held in a
  local variable, whose body (nested closures included) mentions `x`; for `&v` the variable
  `v`; for an object reached through a variable's field (`h.buf`) the variable `h`;
- `runtime.SetFinalizer(x, x.m)`: a method value carries its receiver with it;
- `runtime.AddCleanup(ptr, cleanup, arg)` where `arg` is `ptr` itself (AddCleanup **panics**
  when `arg == ptr`), `arg` holds `ptr` (a composite literal containing it, `&ptr`, an
  `unsafe.Pointer`/`any` conversion of it, a closure mentioning it), or `cleanup` is a
  closure mentioning `ptr` or a method value bound to it.

Range: the SetFinalizer/AddCleanup call.

## What happens at run time

(The `runtime` package documentation and `runtime/mgcmark.go`.) During each collection the
GC marks everything reachable from an object that has a finalizer (but not the object
itself) and from the finalizer function itself (`markrootSpans`); a closure that captured
the object's variable therefore marks the object on every cycle. The AddCleanup
documentation says it directly: if `ptr` is reachable from `cleanup` or `arg`, `ptr` is
never collected and the cleanup never runs; as a guard, AddCleanup panics when
`arg == ptr`.

## What to do instead

Use the callback's parameter, never the outer variable:

```go
runtime.SetFinalizer(f, func(f *File) { f.report() }) // the parameter shadows the variable
```

For a method, pass a method expression, which takes the object as its argument:
`runtime.SetFinalizer(s, (*stream).finalize)` rather than `s.finalize`.

For `AddCleanup`, pass what the cleanup needs (a file descriptor, a handle, a path) as
`arg`, copied out of the object, and use the cleanup's parameter:

```go
runtime.AddCleanup(f, func(fd int) { syscall.Close(fd) }, f.fd)
```

## Not reported

- A parameter or local of the callback that shadows the object's name (the usual idiom).
- A callback variable whose value at the call is not certain: assigned in a branch, in a
  loop after the call, from a closure, or a parameter of unknown value.
- A variable assigned again after the call (`x = nil`): the captured variable may no longer
  hold the object when it matters.
- Range loop variables captured by the closure when the module's Go version is before 1.22
  (or unknown): one variable is then shared by all iterations and ends up holding only the
  last element. From Go 1.22 each iteration has its own variable and the capture is reported.
- Package-level variables: a closure does not capture them (the object is still reachable
  through the global, but that is not a closure problem).
- `arg` expressions that copy something out of the object: `f.fd`, `*f`, `len(f.buf)`, a
  call result, `uintptr(unsafe.Pointer(f))` (a uintptr does not keep anything reachable).
- A method value whose method name is also a struct field name somewhere in the package
  (it may be a func-typed field rather than a method).

## Precision review

""" + FINALIZER_REVIEW_CORPUS + """

- 3 findings, all reviewed: **3 true positives**. All are `runtime.SetFinalizer(r, r.finalize)`
  in the generics test inputs of go/types, types2 and syntax: the method value binds `r`.
- This bug is rare in maintained code, so the sample is small.
- Spot check on public code found through code search: a cgo binding with
  `runtime.AddCleanup(conn, func(_ any) { conn.Close() }, true)` is reported. Its own comment
  notes that the cleanup never ran in tests.
"""
DOC += fresh_review("""\
No findings on these 12,998 files.
""")


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    for registration in registrations(ctx, decl):
        message = self_reference(ctx, registration)
        if message is not None:
            call = registration.call
            yield Finding(ID, call.start_byte, call.end_byte, message)


RULE = Rule(
    id=ID,
    severity=Severity.ERROR,
    title="finalizer or cleanup keeps its own object reachable, so it never runs",
    doc=DOC,
    url="https://pkg.go.dev/runtime#AddCleanup",
    check=check,
    decl_needles=(b"SetFinalizer", b"AddCleanup"),  # check's first test
    imports=frozenset({"runtime"}),
    exports=exports_of("runtime"),
)
