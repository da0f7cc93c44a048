"""finalizer-prefer-cleanup: suggest runtime.AddCleanup over runtime.SetFinalizer (Go 1.24+).

Reported only when the module's go.mod says go 1.24 or later. The quick fix rewrites
``runtime.SetFinalizer(x, func(p *T) { ...p.f... })`` into
``runtime.AddCleanup(x, func(f F) { ...f... }, x.f)`` when that is mechanical: the literal
uses its parameter only as ``p.f`` for one field ``f`` declared in the package's struct
``T`` (which gives ``F``), never as an assignment target or address, and never mentions
``x``; and no other function of the package calls SetFinalizer (a ``SetFinalizer(x, nil)``
in ``Close`` would no longer disarm the cleanup).
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.package import register_fact_call_names
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import expression_list_items, unparen, walk
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.knowledge.finalizer_calls import (
    SET_FINALIZER,
    Registration,
    is_method_expression,
    is_nil,
    literal_parameters,
    mentions,
    registrations,
    unary_operand,
)
from ctx_lsp.knowledge.finalizer_checks import invalid_arguments
from ctx_lsp.rules._corpora import FINALIZER_REVIEW_CORPUS, fresh_review

Node = tree_sitter.Node

ID = "finalizer-prefer-cleanup"
MINIMUM_GO = (1, 24)
MESSAGE = ("prefer runtime.AddCleanup (Go 1.24+) to runtime.SetFinalizer: a cleanup does not resurrect the "
           "object, so objects in reference cycles can still be collected, and one object can have several "
           "cleanups; pass what the cleanup needs as arg, never the object itself")
PREDECLARED = frozenset(
    "bool byte complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string uint uint8 "
    "uint16 uint32 uint64 uintptr any comparable true false iota nil append cap clear close complex copy "
    "delete imag len make max min new panic print println real recover".split()
)
NAME_KINDS = frozenset({"identifier", "type_identifier", "package_identifier"})

DOC = """\
# finalizer-prefer-cleanup: use runtime.AddCleanup instead of runtime.SetFinalizer

A hint on every valid `runtime.SetFinalizer(x, f)` with a non-nil `f`, **only when the
module's go.mod says `go 1.24` or later** (AddCleanup does not exist before Go 1.24; without
a go.mod the version is unknown and nothing is reported). Calls that finalizer-invalid
reports are skipped. Range: the `runtime.SetFinalizer` name.

## Why

(The `runtime` package documentation and the Go 1.24 release notes.) Since Go 1.24 the
SetFinalizer documentation says new code should consider AddCleanup, and the release notes
say new code should prefer it:

- a finalizer receives the object and so **resurrects** it: the memory is freed at the next
  collection at the earliest, and an object with a finalizer in a reference cycle may never
  be collected. A cleanup receives a separate `arg`, does not resurrect the object, and
  objects in a cycle become eligible together;
- one object can have several cleanups (a second SetFinalizer is a fatal error), and
  `Cleanup.Stop` cancels one;
- the compiler checks the cleanup's type against `arg`; SetFinalizer's arguments are only
  checked at run time.

AddCleanup has its own rule, which finalizer-self-reference checks: if `ptr` is reachable
from `cleanup` or `arg`, it is never collected, and AddCleanup panics when `arg == ptr`.
Cleanups run on the finalizer goroutine in Go 1.24 and may run concurrently from Go 1.25.

## Quick fix

Offered only when the rewrite is mechanical:

```go
runtime.SetFinalizer(t, func(t *tempFile) { log.Printf("leaked %s", t.path) })
// becomes
runtime.AddCleanup(t, func(path string) { log.Printf("leaked %s", path) }, t.path)
```

Conditions: the finalizer is a function literal written in the call, with one named
parameter of type `*T`, no results, using that parameter only as `p.f` for a single field
`f` that the package's declaration of struct `T` gives a type `F` (not generic, and any
package it names is imported by this file under the same name); never assigning `p.f`,
taking `&p.f` or calling a method of `p`; the body never mentions the object variable (the
cleanup must not keep it alive); the object is a variable `x` or `&v`. The cleanup's
parameter is named after the field, or keeps the finalizer's parameter name when the field
name is already used in the body.

No fix is offered when this file contains a `SetFinalizer(x, nil)`, or when a function in
another file of the package calls `runtime.SetFinalizer` at all (package facts record only
the names a function calls, so any such call may be a `SetFinalizer(x, nil)`). A
`SetFinalizer(x, nil)` in `Close` would no longer stop the cleanup, and the resource would be
released twice. Disarm a cleanup with the `Cleanup` value that AddCleanup returns and
`Cleanup.Stop`.

Review the result: `x.f` is evaluated when AddCleanup is called, not when the object dies.
If the field is assigned later (a descriptor opened after construction, set to -1 by
`Close`), the cleanup sees the old value; keep such state behind a pointer or stop the
cleanup in `Close`.

## Not reported

- `SetFinalizer(x, nil)` (it removes a finalizer; there is nothing to replace).
- An object held in a variable declared `any` or `interface{}` (a pass-through wrapper such
  as `func SetFinalizer(obj, f any)`): AddCleanup needs the pointer's static type `*T`.
- A method expression as the finalizer (`(*T).Close`, `(*os.File).Close`): it takes the
  object itself, and AddCleanup's `arg` must not be the object (the cleanup would keep it
  reachable), so AddCleanup cannot express it.
- Modules before Go 1.24 and files without a go.mod.
- Calls finalizer-invalid reports.

## Precision review

""" + FINALIZER_REVIEW_CORPUS + """

- 15 hints in the modules whose go.mod says 1.24 or later; reviewed all 15: **15 true
  positives**. Each call could be written with AddCleanup. Two findings seen during the review
  are no longer reported: pass-through wrappers taking the object as `any` (pebble's
  `invariants.SetFinalizer`, rclone's `PinUntilFinalized`).
- With go 1.24 pretended, the standard library gets 45 hints.
- Quick fix: in the whole corpus only 3 calls have the mechanical shape, and no fix is offered
  for any of them:
  - wasmtime-go's `Trap`: its `Close` disarms the finalizer with `SetFinalizer(t, nil)`, and
    after a rewrite that call would no longer stop the cleanup, so blocking the fix is
    correct;
  - a go-eden/routine call is blocked conservatively, because other files of its package call
    SetFinalizer;
  - the third is in wasmtime-go's reftypes_test.go.
"""
DOC += fresh_review("""\
3 hints (a hint is not shown by default), **0 agreed**: istio's `SetFinalizer(ns,
closeNetns)` and two finalizers `func(x *os.File) { x.Close() }` need the object itself, as
a method expression does, and AddCleanup's `arg` cannot be the object. Method expressions
are no longer hinted (four such hints in moby before the change); functions and literals
that use their parameter as a whole still are, so the hint keeps its default severity and
its low precision on such code is recorded here.
""")


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    version = ctx.go_version
    if version is None or version < MINIMUM_GO:
        return
    for registration in registrations(ctx, decl):
        if registration.api != SET_FINALIZER or is_nil(ctx, registration.callback):
            continue
        if invalid_arguments(ctx, registration) or _object_is_interface(ctx, registration.obj):
            continue
        if is_method_expression(ctx, registration.callback):
            continue  # (*T).Close needs the object itself, which AddCleanup's arg cannot be
        fix = _rewrite(ctx, registration)
        if fix is not None and _may_be_disarmed(ctx):
            fix = None
        function = registration.function
        yield Finding(ID, function.start_byte, function.end_byte, MESSAGE, fixes=(fix,) if fix else ())


def _object_is_interface(ctx: FileContext, obj: Node) -> bool:
    """An object held in an ``any``/``interface{}`` variable (a pass-through wrapper such as
    ``func SetFinalizer(obj, f any)``): AddCleanup needs the pointer's static type."""
    node = unparen(obj)
    if node.type != "identifier":
        return False
    written = ctx.declared_type_of(node)
    if written is None:
        return False
    return written.type == "interface_type" or (written.type == "type_identifier" and written.text == b"any")


def _may_be_disarmed(ctx: FileContext) -> bool:
    """Whether the package may call ``SetFinalizer(x, nil)`` somewhere: such a call in this
    file, or any SetFinalizer call in a function of another file (its facts keep only the
    called names). After the rewrite that call would no longer stop the cleanup.

    Two file inputs: only declarations that offer the rewrite depend on them, and they are
    checked again when an answer changes. This file's part depends only on declarations
    mentioning SetFinalizer (its needle), so typing elsewhere never recomputes it."""
    return bool(ctx.file_input(f"{ID}.disarmed-here", _disarmed_here, needle=b"SetFinalizer")
                or ctx.file_input(f"{ID}.disarmed-elsewhere", _disarmed_elsewhere))


def _disarmed_here(ctx: FileContext) -> bool:
    # Only the declarations that mention SetFinalizer are looked at, each answer kept by text.
    return any(ctx.decl_summary(f"{ID}.disarms", decl, _disarms_in)
               for decl in ctx.declarations_containing(b"SetFinalizer"))


def _disarmed_elsewhere(ctx: FileContext) -> bool:
    return any("SetFinalizer" in function.calls for facts in ctx.sibling_facts for function in facts.functions)


def _disarms_in(ctx: FileContext, decl: Node) -> bool:
    return any(registration.api == SET_FINALIZER and is_nil(ctx, registration.callback)
               for registration in registrations(ctx, decl))


# -- the rewrite ----------------------------------------------------------------------------
def _rewrite(ctx: FileContext, registration: Registration) -> Fix | None:
    literal = unparen(registration.callback)
    if literal.type != "func_literal" or literal.child_by_field_name("result") is not None:
        return None
    body = literal.child_by_field_name("body")
    parameter_list = literal.child_by_field_name("parameters")
    object_name = _object_variable(registration.obj)
    if body is None or parameter_list is None or object_name is None:
        return None
    parameters, variadic = literal_parameters(literal)
    if variadic or len(parameters) != 1 or parameters[0][0] is None or parameters[0][1] is None:
        return None
    parameter, type_node = parameters[0]
    assert parameter is not None and type_node is not None
    struct_name = _pointed_struct(type_node)
    parameter_decl = ctx.resolve(parameter)
    if struct_name is None or parameter_decl is None or _mentions_object(ctx, body, object_name):
        return None
    selectors = _field_selectors(ctx, body, parameter_decl)
    if not selectors:
        return None
    field = selectors[0].child_by_field_name("field")
    assert field is not None
    field_name = ctx.src.text(field)
    field_type = _field_type(ctx, struct_name, field_name)
    if field_type is None:
        return None
    new_name = field_name
    if new_name in PREDECLARED or _name_used(ctx, body, new_name):
        new_name = parameter_decl.name
    callee = registration.function
    name_node = callee.child_by_field_name("field") if callee.type == "selector_expression" else callee
    assert name_node is not None
    arg_text = f"{ctx.src.text(object_name)}.{field_name}"
    edits = [TextEdit(name_node.start_byte, name_node.end_byte, "AddCleanup"),
             TextEdit(parameter_list.start_byte, parameter_list.end_byte, f"({new_name} {field_type})")]
    edits.extend(TextEdit(s.start_byte, s.end_byte, new_name) for s in selectors)
    edits.append(TextEdit(literal.end_byte, literal.end_byte, f", {arg_text}"))
    return Fix(f"Replace with runtime.AddCleanup, passing {arg_text} as arg", tuple(edits), preferred=True)


def _object_variable(obj: Node) -> Node | None:
    """The identifier ``x`` of an object written ``x`` or ``&x``."""
    node = unparen(obj)
    operand = unary_operand(node, b"&")
    if operand is not None:
        node = unparen(operand)
    return node if node.type == "identifier" else None


def _pointed_struct(type_node: Node) -> str | None:
    if type_node.type != "pointer_type" or type_node.named_child_count != 1:
        return None
    inner = type_node.named_children[0]
    return (inner.text or b"").decode("utf-8", "surrogateescape") if inner.type == "type_identifier" else None


def _mentions_object(ctx: FileContext, body: Node, object_name: Node) -> bool:
    """Whether the body refers to the object's variable (local or package-level)."""
    target = ctx.resolve(object_name)
    encoded = object_name.text
    for node in walk(body):
        if node.type == "identifier" and node.text == encoded and ctx.resolve(node) == target:
            return True
    return False


def _field_selectors(ctx: FileContext, body: Node, parameter: LocalDecl) -> list[Node]:
    """The ``p.f`` selectors through which the body uses the parameter, all naming one field
    and only read; empty when the body uses it any other way (or not at all)."""
    selectors: list[Node] = []
    field_name: bytes | None = None
    for use in mentions(ctx, body, parameter):
        selector = use.parent
        if selector is None or selector.type != "selector_expression" or \
                selector.child_by_field_name("operand") != use:
            return []
        field = selector.child_by_field_name("field")
        if field is None or (field_name is not None and field.text != field_name):
            return []
        field_name = field.text
        if _written_or_addressed(selector):
            return []
        selectors.append(selector)
    return selectors


def _written_or_addressed(selector: Node) -> bool:
    parent = selector.parent
    if parent is None:
        return True
    if unary_operand(parent, b"&") == selector:
        return True
    if parent.type in ("inc_statement", "dec_statement"):
        return True
    if parent.type == "expression_list":
        statement = parent.parent
        if statement is not None and statement.type == "assignment_statement":
            return selector in expression_list_items(statement.child_by_field_name("left"))
    return False


def _field_type(ctx: FileContext, struct_name: str, field_name: str) -> str | None:
    """The declared type text of ``struct_name.field_name``, when this file can spell it."""
    fields = ctx.package_outline.structs.get(struct_name)
    if fields is None:
        return None
    field = next((f for f in fields if f.name == field_name), None)
    if field is None or field.broken or "\n" in field.type_text or not field.type_text:
        return None
    for qualifier in _qualifiers(field.type_text):
        if ctx.imports.path_for(qualifier) is None:
            return None
    return field.type_text


def _qualifiers(type_text: str) -> list[str]:
    """Package names in a type's text: ``q`` of every ``q.Name``."""
    found = []
    word = ""
    for index, char in enumerate(type_text):
        if char.isalnum() or char == "_":
            word += char
            continue
        if char == "." and word and index + 1 < len(type_text) and type_text[index + 1] != ".":
            found.append(word)
        word = ""
    return found


def _name_used(ctx: FileContext, body: Node, name: str) -> bool:
    encoded = name.encode()
    return any(node.type in NAME_KINDS and node.text == encoded for node in walk(body))



register_fact_call_names(["SetFinalizer"])  # the names this rule reads from package facts

RULE = Rule(
    id=ID,
    severity=Severity.HINT,
    title="prefer runtime.AddCleanup to runtime.SetFinalizer (Go 1.24+)",
    doc=DOC,
    url="https://pkg.go.dev/runtime#AddCleanup",
    check=check,
    decl_needles=(b"SetFinalizer", b"AddCleanup"),  # check's first test
    imports=frozenset({"runtime"}),
    exports=exports_of("runtime"),
)
