"""context-in-global: a package-level variable that holds contexts."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.syntax import call_arguments, expression_list_items, unparen
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES, Holding, context_holding, is_context_type
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.knowledge.text import compact
from ctx_lsp.rules._corpora import fresh_review

Node = tree_sitter.Node

ID = "context-in-global"

# Constructors of derived contexts; the context is always the first result.
DERIVING = frozenset(
    [(path, name) for path in CONTEXT_PACKAGES
     for name in ("WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline",
                  "WithDeadlineCause", "WithValue", "WithoutCancel")]
    + [("os/signal", "NotifyContext")]
)
# Roots: never cancelled, no values. A package-level copy of one is a shorthand, not storage.
ROOTS = frozenset((path, name) for path in CONTEXT_PACKAGES for name in ("Background", "TODO"))

INTEGER_TYPES = frozenset(
    "int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr byte rune".split()
)

ADVICE = "pass ctx as the first parameter of each function that needs it instead"
SHARED = (
    "a global context is shared by every goroutine and outlives each request, so one caller's "
    "cancellation, deadline and values leak into every other call"
)
GLS = (
    "an integer-keyed package-level map of contexts is how goroutine-local storage is emulated "
    "(contexts looked up by goroutine ID), which Go deliberately does not have (Go FAQ), and it "
    "keeps every stored context reachable until its entry is deleted"
)


@attrs.frozen
class _Verdict:
    """What one package-level name holds."""

    holding: Holding
    type_text: str | None = None  # the written or literal type
    derived_by: str | None = None  # "context.WithCancel" for derived contexts
    integer_key: bool = False


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    if decl.type != "var_declaration" or ctx.is_test_file:
        return  # test files: suite-wide fixtures and example placeholders live as long as the test
    for spec in _specs(decl):
        yield from _check_spec(ctx, spec)


def _specs(decl: Node) -> Iterator[Node]:
    """The var_specs of a top-level declaration (not those of function literals inside it)."""
    for child in decl.named_children:
        if child.type == "var_spec":
            yield child
        elif child.type == "var_spec_list":
            yield from (spec for spec in child.named_children if spec.type == "var_spec")


def _check_spec(ctx: FileContext, spec: Node) -> Iterator[Finding]:
    names = spec.children_by_field_name("name")
    values = expression_list_items(spec.child_by_field_name("value"))
    type_node = spec.child_by_field_name("type")
    for index, name in enumerate(names):
        if name.text == b"_":
            continue
        value = _value_for(values, index, len(names))
        verdict = _verdict(ctx, type_node, value, index, len(values) == 1 and len(names) > 1)
        if verdict is not None:
            yield Finding(rule=ID, start=name.start_byte, end=name.end_byte,
                          message=_message(ctx.src.text(name), verdict))


def _value_for(values: list[Node], index: int, name_count: int) -> Node | None:
    if len(values) == name_count:
        return values[index]
    if len(values) == 1:
        return values[0]  # one call with several results: `var ctx, cancel = context.WithCancel(...)`
    return None


def _verdict(ctx: FileContext, type_node: Node | None, value: Node | None, index: int,
             multi_result: bool) -> _Verdict | None:
    derived = _derived_by(ctx, value) if value is not None else None
    if derived is not None:
        # Only the first result of a constructor is the context (the others are cancel funcs).
        return _Verdict(Holding.CONTEXT, derived_by=derived) if index == 0 or not multi_result else None
    if type_node is not None:
        if value is not None and not multi_result and _is_plain_context(ctx, type_node) and _is_root(ctx, value):
            return None  # `var base context.Context = context.Background()`
        return _typed(ctx, type_node, context_holding(ctx, type_node))
    if value is None or multi_result:
        return None
    literal_type = _type_of_value(ctx, value)
    if literal_type is None:
        return None
    return _typed(ctx, literal_type, context_holding(ctx, literal_type), pointer=_is_new(value))


def _typed(ctx: FileContext, type_node: Node, holding: Holding, pointer: bool = False) -> _Verdict | None:
    if holding is Holding.NONE:
        return None
    text = compact(ctx.src.text(type_node))
    return _Verdict(holding, type_text=("*" + text) if pointer else text,
                    integer_key=_integer_keyed_map(ctx, type_node))


def _is_plain_context(ctx: FileContext, type_node: Node) -> bool:
    node: Node | None = type_node
    while node is not None and node.type == "parenthesized_type":
        children = [c for c in node.named_children if c.type != "comment"]
        node = children[0] if len(children) == 1 else None
    return node is not None and is_context_type(ctx, node)


def _derived_by(ctx: FileContext, value: Node) -> str | None:
    value = unparen(value)
    ref = ctx.call_ref(value) if value.type == "call_expression" else None
    if ref is None or ref not in DERIVING:
        return None
    package = "signal" if ref[0] == "os/signal" else "context"
    return f"{package}.{ref[1]}"


def _is_root(ctx: FileContext, value: Node) -> bool:
    value = unparen(value)
    return value.type == "call_expression" and ctx.call_ref(value) in ROOTS


def _type_of_value(ctx: FileContext, value: Node) -> Node | None:
    """The type given by a composite literal, ``make(T, ...)`` or ``new(T)`` initialiser."""
    value = unparen(value)
    if value.type == "composite_literal":
        return value.child_by_field_name("type")
    if value.type == "call_expression":
        function = value.child_by_field_name("function")
        arguments = call_arguments(value)
        if function is not None and function.type == "identifier" and function.text in (b"make", b"new") \
                and arguments and function.text.decode() not in ctx.package_outline.names:
            return arguments[0]
    return None


def _is_new(value: Node) -> bool:
    value = unparen(value)
    function = value.child_by_field_name("function") if value.type == "call_expression" else None
    return function is not None and function.text == b"new"


def _integer_keyed_map(ctx: FileContext, type_node: Node) -> bool:
    """``map[uint64]context.Context`` and the like (through pointers and parentheses)."""
    node: Node | None = type_node
    while node is not None and node.type in ("pointer_type", "parenthesized_type"):
        children = [c for c in node.named_children if c.type != "comment"]
        node = children[0] if len(children) == 1 else None
    if node is None or node.type != "map_type":
        return False
    key = node.child_by_field_name("key")
    return key is not None and key.type == "type_identifier" and ctx.src.text(key) in INTEGER_TYPES \
        and ctx.src.text(key) not in ctx.package_outline.names


def _message(name: str, verdict: _Verdict) -> str:
    if verdict.derived_by is not None:
        return f"package-level variable {name} holds a context derived with {verdict.derived_by}: {SHARED}; {ADVICE}"
    what = "a context" if verdict.holding is Holding.CONTEXT else "contexts"
    head = f"package-level variable {name} holds {what} (type {verdict.type_text})"
    if verdict.integer_key:
        return f"{head}: {GLS}; {ADVICE}"
    return f"{head}: {SHARED}; {ADVICE}"


DOC = """\
# context-in-global: a package-level variable holds contexts

Reports a package-level variable that holds contexts:

- its written type is `context.Context`, `*context.Context`, or a slice, array, map or
  channel of contexts (`var current context.Context`, `var pending []context.Context`);
- it has no written type and its initialiser gives one: a composite literal
  (`var m = map[uint64]context.Context{}`), `make(map[int64]context.Context)` or
  `new(context.Context)`;
- it is initialised with a derived context: `context.WithCancel`, `WithCancelCause`,
  `WithTimeout`, `WithTimeoutCause`, `WithDeadline`, `WithDeadlineCause`, `WithValue`,
  `WithoutCancel` or `signal.NotifyContext` (the context result only, not the cancel
  function beside it).

Messages:

    package-level variable current holds a context (type context.Context): a global context
    is shared by every goroutine and outlives each request, so one caller's cancellation,
    deadline and values leak into every other call; pass ctx as the first parameter of each
    function that needs it instead

    package-level variable appCtx holds a context derived with context.WithCancel: a global
    context is shared by every goroutine ...

and, when the variable is a map keyed by an integer type (`int`, `int64`, `uint64`,
`uintptr`...), which is how goroutine-ID tables are built:

    package-level variable byGoroutine holds contexts (type map[uint64]context.Context): an
    integer-keyed package-level map of contexts is how goroutine-local storage is emulated
    (contexts looked up by goroutine ID), which Go deliberately does not have (Go FAQ), and it
    keeps every stored context reachable until its entry is deleted; pass ctx as the first
    parameter of each function that needs it instead

The range is the variable's name (one finding per name).

## Why it matters

A context carries one operation's deadline, cancellation and request-scoped values. The
context package says to pass it explicitly, as the first parameter, to each function that
needs it. A package-level context is the same value for every goroutine: whichever caller
last assigned it decides everyone's deadline and values, a cancelled global context fails
every later call, and a derived global context (`WithCancel` of Background at package level)
is cancelled only if some code remembers to call the package-level cancel function.

Goroutine-keyed maps of contexts (`map[goid]context.Context` plus a goroutine-ID hack) try
to recreate thread-local storage. Go has no goroutine IDs by design (Go FAQ, "Why is there no
goroutine ID?"): a goroutine that hands work to another goroutine silently loses "its"
context, and entries nobody deletes keep their contexts and values reachable forever.

## What to do instead

Pass `ctx context.Context` as the first parameter down the call chain. Program-wide
shutdown belongs in `main`: create the context there (`signal.NotifyContext`) and pass it
on. A package-level `context.Background()` or `context.TODO()` is not reported (see below).

## Not reported

- `_test.go` files: package-level contexts there are suite fixtures (`var testCtx, cancel =
  context.WithCancel(...)` stopped in `TestMain` or an `AfterSuite`) and example placeholders
  (`var ctx context.Context` so that an example compiles); they live as long as the test;
- `var root = context.Background()` / `context.TODO()`, also with an explicit
  `context.Context` type: roots are never cancelled and carry no values, so the variable is
  a shorthand; assigning another context to it later is not tracked (only declarations are
  read, one at a time);
- function-typed variables (`var newCtx = func() context.Context {...}`,
  `var handler func(context.Context) error`) and `context.CancelFunc` variables;
- package-level variables of struct type with a context field: `context-in-struct` reports
  the field;
- local variables, `sync.Map` and other containers whose element type is not written out,
  and generic instantiations (`atomic.Pointer[context.Context]`).

A map keyed by a named integer type (`map[goid]context.Context` with `type goid int64`) is
reported with the plain message: the key's underlying type is not known without type
checking.

## Precision review

`ctx-lsp check --select context-in-global` over the same 19,044 files as context-in-struct's
review (the Go 1.19 standard library and 40 repositories; vendor, testdata and generated files
skipped) reports nothing: well-maintained libraries do not keep package-level contexts. Before
`_test.go` files were exempted it reported two, both in tests (a placeholder in
`database/sql/example_test.go`, a suite fixture in go-grpc-middleware), neither worth a change.

Targeted sample: 17 real files found by code search for package-level context declarations
(`var globalCtx context.Context`, `var ctx, cancel = context.WithCancel(...)`,
`map[int64]context.Context`, `map[uint64]context.Context`...), reduced to their imports and
the declarations, all reviewed with the surrounding code. 15 findings, **14 agreed (93%)**:
global application contexts set in `init`/`PersistentPreRun` or derived at package level in
CLIs and servers (cobra already provides `cmd.Context()`), a context used as a one-shot latch,
an unsynchronised global map of running tasks' contexts, and a real goroutine-keyed context
table (`map[uint64]context.Context` bound per goroutine ID). Disagreed: a cgo handle table
mapping integer IDs to contexts for Python callers, where a global map is the only option
(the integer-key message mentions goroutine IDs; there the key is a handle). Not reported, as
designed: `var ctx context.Context = context.TODO()`, and a `sync.Map` used as a goroutine-ID
table (goroutine-local-storage reports its `runtime.Stack` parsing instead).
"""
DOC += fresh_review("""\
No findings on these 12,998 files.
""")

RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="package-level variable holds a context.Context",
    doc=DOC,
    url="https://pkg.go.dev/context",
    check=check,
    decl_needles=(b"var",),  # check's first test
    imports=CONTEXT_PACKAGES,
    exports=exports_of("context", "os/signal"),
)
