"""context-in-loop: a context variable re-derived from itself on every loop iteration.

``ctx = context.WithValue(ctx, k, v)`` inside a loop, with ``ctx`` declared outside it, makes
the chain one layer longer per iteration. The check works on the control-flow graph: the
assignment is reported when control can come back to it without passing a statement that
starts the chain afresh (a declaration of the variable, or an assignment whose right-hand
side does not mention it, such as ``ctx = context.Background()`` or ``ctx = base``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import (
    FUNCTION_KINDS,
    call_arguments,
    expression_list_items,
    path_between,
    unparen,
    walk,
)
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.rules._corpora import CONTEXT_REVIEW_CORPUS, fresh_review
from ctx_lsp.rules._loops import (
    Flow,
    function_index,
    inside_nested_function,
    loops_on,
    may_repeat,
)

Node = tree_sitter.Node

ID = "context-in-loop"

# Functions that return a new context layered on their first argument, by (import path,
# name); the value says whether the layer can be cancelled. Beyond the context package
# these are thin wrappers around context.WithValue.
_CANCELABLE = ("WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline",
               "WithDeadlineCause")
DERIVERS: dict[tuple[str, str], bool] = {
    **{(path, name): True for path in CONTEXT_PACKAGES for name in _CANCELABLE},
    **{(path, name): False for path in CONTEXT_PACKAGES for name in ("WithValue", "WithoutCancel")},
    ("os/signal", "NotifyContext"): True,
    ("runtime/pprof", "WithLabels"): False,
    ("net/http/httptrace", "WithClientTrace"): False,
    **{("google.golang.org/grpc/metadata", name): False
       for name in ("NewOutgoingContext", "NewIncomingContext", "AppendToOutgoingContext")},
    **{("go.opentelemetry.io/otel/trace", name): False
       for name in ("ContextWithSpan", "ContextWithSpanContext", "ContextWithRemoteSpanContext")},
    ("go.opentelemetry.io/otel/baggage", "ContextWithBaggage"): False,
}
_DERIVER_NAMES = frozenset(name.encode() for _path, name in DERIVERS)
# Every deriver name contains "With" or "Context": one byte search splits them (most
# declarations mention Context, fewer With).
_DERIVERS_WITH = tuple(sorted(name for name in _DERIVER_NAMES if b"With" in name))
_DERIVERS_WITHOUT = tuple(sorted(name for name in _DERIVER_NAMES if b"With" not in name))
assert all(b"Context" in name for name in _DERIVERS_WITHOUT)

DOC = """\
# context-in-loop: a context re-derived from itself on every loop iteration

Reports an assignment with plain `=` such as

```go
for msg := range messages {
    ctx = context.WithValue(ctx, msgKey{}, msg) // ctx declared before the loop
    handle(ctx, msg)
}
```

where the variable on the left is also the parent passed on the right, and control can come
back to the assignment (a `for`, `range` or `goto` loop) without the variable being started
afresh. Deriving functions: `context.WithValue`, `WithoutCancel`, `WithCancel`,
`WithCancelCause`, `WithTimeout`, `WithTimeoutCause`, `WithDeadline`, `WithDeadlineCause`
(also through `golang.org/x/net/context`), `signal.NotifyContext`, `pprof.WithLabels`,
`httptrace.WithClientTrace`, gRPC `metadata.NewOutgoingContext`/`NewIncomingContext`/
`AppendToOutgoingContext` and OpenTelemetry `trace.ContextWithSpan*`/
`baggage.ContextWithBaggage` (all of them add one `context.WithValue` layer). The variable
may be a local, a parameter, a package-level variable, or a field or element reached from
one (`s.ctx`, `items[0].ctx`).

Functions of the same package (any file of the directory) that return a context derived from
one of their parameters count too: every `return` of the function returns one of the calls
above applied to that parameter, directly or through a local
(`func wrap(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }`,
then `ctx = wrap(ctx)` in a loop). A function that returns its parameter unchanged on some
path, or another context, is not a wrapper.

## What happens at run time

Each call wraps its parent in a new context that points to it. Assigning the result back to
the same variable makes the chain one layer longer on every iteration:

- `Value` walks the chain from the newest layer to the oldest, so lookups (including the
  ones the standard library makes, such as finding the parent's cancel state) get slower with
  every iteration;
- every layer stays reachable from the newest one, with the values it holds, for as long as
  the variable is in use;
- with the cancelable constructors each layer is a child of the previous one; once one layer
  is cancelled or its deadline passes, every context derived from it afterwards is cancelled
  from the start (`propagateCancel` cancels the child of an already-cancelled parent at
  once), which turns a retry loop into one that can never succeed again.

## What to do instead

Declare a fresh variable per iteration, so every iteration starts from the same parent:

```go
for msg := range messages {
    ctx := context.WithValue(ctx, msgKey{}, msg)
    handle(ctx, msg)
}
```

If the loop means to attach many values to one context, store them in one value (a map or a
struct) under a single key instead of one layer per value.

## Quick fix

*Declare a per-iteration variable with `:=`*: turns the reported `=` into `:=`. Offered only
when that cannot change the program's meaning or break compilation: the assignment sits
directly in the loop body (not in a nested block, where `:=` would hide the new value from
the rest of the iteration), every variable on the left is a plain local whose value no code
after the loop (or in an enclosing loop, or in a function literal) reads, each of them is
read later in the same iteration, and each outer variable is still read somewhere else.
Later assignments in the same iteration then extend the per-iteration variable.

## What starts a fresh chain

Any assignment to the variable whose right-hand side does not mention it —
`ctx = context.Background()`, `context.TODO()`, `t.Context()`, `ctx = base` — and any
declaration of it. When every path around the loop passes one of those, nothing grows: a
reset at the top of the body and a restore at the end are both recognised. A reset on only
some paths does not count.

## Not reported

- `ctx := ...` (a new variable per iteration), and the same variable declared inside the
  loop (in the body, in an `if` header, as a range variable).
- Parents that are another variable: `ctx = context.WithValue(base, ...)`.
- Loops that cannot come back to the assignment: every path after it returns or breaks out.
- Loops that only build a context for later: nothing on the way around the loop reads the
  variable except as the parent of the next derivation (the range expression of a `range`
  loop counts as before the loop, since it is evaluated once). For example
  `for k, v := range values { ctx = context.WithValue(ctx, k, v) }; return ctx` accumulates
  on purpose, bounded by its data; the fat-context bug is an iteration that uses the context
  it just derived, and the next iteration building on it.
- Functions other than the ones listed and the package's own wrappers: without type
  information an arbitrary `ctx = wrap(ctx)` of another package may return its argument
  unchanged.
- A field of a struct copied inside the loop (`c := h; c.ctx = ...`), which is a fresh copy;
  this also hides the rare case of a pointer copied inside the loop (`c := p`), whose field
  is shared — a known limit without types.
- A function literal that re-derives a captured context once per call (a middleware shape):
  that is not a loop.
- Only the first growing assignment of a variable in one loop is reported: later ones extend
  the same chain, and fixing the first fixes them.

## Precision review

""" + CONTEXT_REVIEW_CORPUS + """
**34,757 files**.

| | count |
|---|---|
| findings | 1 (grpc-go `internal/xds/httpfilter/fault/fault_test.go`) |
| reviewed | 1 |
| true positives | **1/1** |

The finding re-derives `ctx = metadata.NewOutgoingContext(ctx, md)` once per RPC of an inner
loop, where a per-call context was meant. The sample is small because the shape is rare in
maintained code. Before the rule required a
use of the context in the iteration, it also reported five deliberate builders — four in the
standard library's own tests and benchmarks (`context/benchmark_test.go`,
`net/lookup_test.go`) and jaeger's `appendOutgoing` (a loop whose only other mention of the
context is the range expression) — all false positives, which shaped the "used every
iteration" and "range expression" rules above. fatcontext's test suite shapes are all in
ctx-lsp's testdata, with the `else` branch it misses, and the loop that always breaks after
one pass that it reports.

fatcontext's main test file expects 18 findings, 11 of them through a same-package wrapper
(`testdata/context-in-loop/fatcontext_shapes.go` restates the wrapper shapes). ctx-lsp now
follows the wrapper and reports the `range` loop that derives the context and then reads
it. The other 17 stay unreported by design: 9 loops that always `break` after one pass
(nothing grows), 2 function literals (`_ = func() {...}` and a middleware returning one:
one layer per call, not a loop), 5 loops whose only read of the context is the next
derivation (they build a context for later: two `WithValue` pairs, a wrapper in an
infinite loop, and the `r[0]`/`rp[0]` elements), and the field of a pointer copied inside
the loop (`c := pc`, a known limit without types).
"""
DOC += fresh_review("""\
No findings on these 12,998 files.
""")


@attrs.frozen
class _Variable:
    """The storage an assignment targets: its text and the local its root resolves to."""

    text: str
    root_name: str
    root_decl: LocalDecl | None = attrs.field(eq=False)
    root_start: int  # declaring identifier of the root, -1 for package-level names


@attrs.frozen
class _Growth:
    statement: Node = attrs.field(eq=False)
    target: Node = attrs.field(eq=False)
    call: Node = attrs.field(eq=False)
    loop: Node | None = attrs.field(eq=False)  # the innermost for statement around it
    variable: _Variable
    constructor: tuple[str, str]  # ("", name) for a wrapper function of the package
    parent_index: int = 0  # the argument the new context is layered on


# `x = f(x` / `s.ctx = f(s.ctx`: a self-assignment through a plain function call, the only
# shape where a wrapper of the package could grow a chain.
_SELF_CALL = re.compile(rb"(?<![\w.])([A-Za-z_][\w.]*)[ \t]*=[ \t]*([A-Za-z_]\w*)\(")
# A package-level function whose result is a context: `func wrap(...) context.Context {`.
_RETURNS_CONTEXT = re.compile(rb"func\s+([A-Za-z_]\w*)\s*(?:\[[^\]\n]*\])?\([^\n]*\)\s*(?:\w+\.)?Context \{")
_CANDIDATES: dict[str, tuple[tuple[tuple[str, int, int], ...], frozenset[str]]] = {}


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    wrappers: dict[str, int] = {}
    candidates = ctx.file_input(f"{ID}.wrapper-candidates", _wrapper_candidates)
    data, start, end = ctx.src.data, decl.start_byte, decl.end_byte
    if candidates and _may_self_call(data, start, end, candidates) \
            and not _self_called(data, start, end).isdisjoint(candidates):
        wrappers = _wrappers(ctx)
    if not wrappers and not _names_a_deriver(data, start, end):
        return  # no deriving function is even named here: skip the tree search
    by_function: dict[int, tuple[Node, list[_Growth]]] = {}
    for statement in ctx.nodes_of_kind(decl, "assignment_statement"):
        if not _may_derive(statement, wrappers):
            continue
        path = path_between(decl, statement)
        index = function_index(path)
        if index is None:
            continue
        function, loops = path[index], loops_on(path, index)
        if not may_repeat(ctx, loops, function):
            continue
        growth = _growth(ctx, statement, loops[-1] if loops else None, wrappers)
        if growth is not None:
            by_function.setdefault(function.start_byte, (function, []))[1].append(growth)
    for function, growths in by_function.values():
        yield from _check_function(ctx, function, growths)


def _names_a_deriver(data: bytes, start: int, end: int) -> bool:
    """Whether some name of ``_DERIVER_NAMES`` occurs between ``start`` and ``end``."""
    names = _DERIVERS_WITH if data.find(b"With", start, end) >= 0 else ()
    return any(data.find(name, start, end) >= 0 for name in (*names, *_DERIVERS_WITHOUT))


# `= f(`: what every match of _SELF_CALL contains around its group 2 (one `=` in it, so
# these spans never overlap and finditer sees each), found from a literal first byte.
_CALL_AFTER_EQUALS = re.compile(rb"=[ \t]*([A-Za-z_]\w*)\(")


def _may_self_call(data: bytes, start: int, end: int, candidates: frozenset[str]) -> bool:
    """False when ``_self_called`` cannot meet ``candidates``: no candidate is called right
    after an ``=`` (a superset of its matches, several times cheaper to find)."""
    return any(match.group(1).decode() in candidates for match in _CALL_AFTER_EQUALS.finditer(data, start, end))


def _self_called(data: bytes, start: int, end: int) -> set[str]:
    """Names of plain functions called as ``x = f(..., x, ...)`` between ``start`` and
    ``end``: the assigned name must appear before the call's closing parenthesis on the same
    line (a linear scan; a regular expression with a back-reference backtracked badly on
    long generated lines)."""
    found = set()
    for match in _SELF_CALL.finditer(data, start, end):
        line_end = data.find(b"\n", match.end(), end)
        arguments = data[match.end() : line_end if line_end >= 0 else end]
        if re.search(rb"(?<![\w.])" + re.escape(match.group(1)) + rb"(?![\w])", arguments):
            found.add(match.group(2).decode())
    return found


def _returning_context(data: bytes) -> set[str]:
    """Names of the ``func name(...) context.Context {`` lines of a file: a byte search for
    the result first (the server runs this on every analysis of the edited file), then the
    line it ends."""
    found = set()
    position = data.find(b"Context {")
    while position >= 0:
        line_start = data.rfind(b"\n", 0, position) + 1
        if data.startswith(b"func ", line_start):
            line_end = data.find(b"\n", position)
            match = _RETURNS_CONTEXT.match(data, line_start, line_end if line_end >= 0 else len(data))
            if match is not None:
                found.add(match.group(1).decode())
        position = data.find(b"Context {", position + 9)
    return found


def _wrapper_candidates(ctx: FileContext) -> frozenset[str]:
    """Names of package-level functions of this file and its directory whose signature line
    ends in a Context result: a byte search, so that a self-assignment through an ordinary
    call (``b = append(b, ...)``, ``n = clamp(n)``) does not cost parsing the package. The
    directory's scan is kept by the files' (name, mtime, size)."""
    own = _returning_context(ctx.src.data)
    if not ctx.path:
        return frozenset(own)
    directory = os.path.dirname(os.path.abspath(ctx.path))
    try:
        entries = sorted((entry.name, entry.stat().st_mtime_ns, entry.stat().st_size) for entry in os.scandir(directory)
                         if entry.name.endswith(".go") and entry.is_file())
    except OSError:
        return frozenset(own)
    stamp = tuple(entries)
    cached = _CANDIDATES.get(directory)
    if cached is None or cached[0] != stamp:
        names: set[str] = set()
        for name, _mtime, _size in entries:
            try:
                with open(os.path.join(directory, name), "rb") as handle:
                    names.update(_returning_context(handle.read()))
            except OSError:
                continue
        cached = _CANDIDATES[directory] = (stamp, frozenset(names))
    return cached[1] | own


def _wrappers(ctx: FileContext) -> dict[str, int]:
    """Functions of the package that return a context derived from one of their parameters
    (``func wrap(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }``),
    with that parameter's position. A file input: it reads every file of the package."""
    return dict(ctx.file_input(f"{ID}.wrappers", _package_wrappers))


def _package_wrappers(ctx: FileContext) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((name, function.derives_context_from) for name, function in ctx.package.functions.items()
                        if function.receiver_type is None and function.derives_context_from >= 0))


def _may_derive(statement: Node, wrappers: dict[str, int]) -> bool:
    """Cheap syntactic filter: a right-hand side calling a function named like a deriver, or
    a wrapper of the package."""
    right = statement.child_by_field_name("right")
    return right is not None and any(
        item.type == "call_expression" and (_callee_name(item) in _DERIVER_NAMES
                                            or (_callee_name(item) or b"").decode() in wrappers)
        for item in (unparen(i) for i in expression_list_items(right)))


def _callee_name(call: Node) -> bytes | None:
    """``WithCancel`` for ``context.WithCancel(...)`` and for a dot-imported ``WithCancel(...)``:
    a cheap filter before resolving the package with ``FileContext.call_ref``."""
    function = call.child_by_field_name("function")
    if function is not None and function.type == "selector_expression":
        function = function.child_by_field_name("field")
    return function.text if function is not None else None


def _check_function(ctx: FileContext, function: Node, growths: list[_Growth]) -> Iterator[Finding]:
    flow = Flow(ctx.cfg(function))
    reported: list[_Growth] = []
    for growth in growths:
        fresh = _FreshStart(ctx, growth.variable)
        if not flow.reaches(growth.statement, growth.statement, fresh):
            continue  # never comes back to the assignment without a fresh start
        if any(earlier.variable == growth.variable
               and flow.reaches(earlier.statement, growth.statement, fresh)
               and flow.reaches(growth.statement, earlier.statement, fresh) for earlier in reported):
            continue  # the same chain as an earlier report in this loop
        if not _used_every_iteration(ctx, flow, growth, growths, fresh):
            continue  # the loop only builds a context for later: deliberate accumulation
        reported.append(growth)
        yield _finding(ctx, function, growth)


def _used_every_iteration(ctx: FileContext, flow: Flow, growth: _Growth, growths: list[_Growth],
                          fresh: _FreshStart) -> bool:
    """Whether some read of the variable sees the grown chain and lies on the loop path back to
    the assignment: the iteration uses the context it just derived, so it meant a
    per-iteration one. Parents passed to growing assignments of the variable are not uses."""
    parents = {unparen(call_arguments(unparen(g.call))[g.parent_index]).start_byte for g in growths
               if g.variable == growth.variable}
    for mention in _mentions(ctx, flow.graph.function, growth.variable):
        if mention.start_byte in parents or _is_assignment_target(mention):
            continue
        path = path_between(flow.graph.function, mention)
        if _in_range_expression(path):
            continue
        statement = flow.statement_on(path)
        if statement is None:
            continue
        if statement == growth.statement or (flow.reaches(growth.statement, statement, fresh)
                                             and flow.reaches(statement, growth.statement, fresh)):
            return True
    return False


def _in_range_expression(path: list[Node]) -> bool:
    """``for ... := range f(ctx)``: the range expression is evaluated once, before the first
    iteration, although the graph keeps it in the loop head. ``path`` runs from the function
    down to the mention."""
    for index in range(len(path) - 2, 0, -1):
        node = path[index]
        if node.type in FUNCTION_KINDS:
            return False
        if node.type == "range_clause":
            return node.child_by_field_name("right") == path[index + 1]
    return False


def _mentions(ctx: FileContext, function: Node, variable: _Variable) -> Iterator[Node]:
    """Expressions in ``function`` (nested literals included) that denote ``variable``."""
    kinds = ("identifier",) if variable.text == variable.root_name else ("selector_expression", "index_expression")
    body = function.child_by_field_name("body")
    if body is None:
        return
    for node in walk(body):
        if node.type in kinds and _variable(ctx, node) == variable:
            yield node


# -- recognising a growing assignment ---------------------------------------------------------
def _growth(ctx: FileContext, node: Node, loop: Node | None, wrappers: dict[str, int]) -> _Growth | None:
    if node.type != "assignment_statement":
        return None
    operator = _assignment_operator(node)
    if operator is None or operator.text != b"=":
        return None
    left = expression_list_items(node.child_by_field_name("left"))
    right = expression_list_items(node.child_by_field_name("right"))
    if len(right) == 1:
        pairs = [(left[0], right[0])] if left else []  # the context is the first result
    elif len(right) == len(left):
        pairs = list(zip(left, right))
    else:
        return None
    for target, value in pairs:
        call = unparen(value)
        if call.type != "call_expression":
            continue
        constructor = ctx.call_ref(call)
        parent_index = 0
        if constructor is None:
            constructor, parent_index = _wrapper_call(ctx, call, wrappers)
        if constructor is None or (constructor[0] and constructor not in DERIVERS):
            continue
        arguments = call_arguments(call)
        variable = _variable(ctx, target)
        if variable is None or len(arguments) <= parent_index \
                or _variable(ctx, unparen(arguments[parent_index])) != variable:
            continue
        return _Growth(node, target, call, loop, variable, constructor, parent_index)
    return None


def _wrapper_call(ctx: FileContext, call: Node, wrappers: dict[str, int]) -> tuple[tuple[str, str] | None, int]:
    """(("", name), parameter position) for a call of a package wrapper function."""
    function = unparen(call.child_by_field_name("function") or call)
    if function.type != "identifier":
        return None, 0
    name = ctx.src.text(function)
    if name not in wrappers or ctx.is_local(function) or ctx.imports.dot_import_for(name, ctx.exports) is not None:
        return None, 0
    return ("", name), wrappers[name]


def _variable(ctx: FileContext, expression: Node) -> _Variable | None:
    root = _root_identifier(expression)
    if root is None or root.text == b"_":
        return None
    decl = ctx.resolve(root)
    text = "".join(ctx.src.text(expression).split())  # s.ctx and s. ctx are one variable
    return _Variable(text, ctx.src.text(root), decl, decl.ident.start_byte if decl is not None else -1)


class _FreshStart:
    """Stop test for graph searches: does this statement start the variable's chain afresh?

    It does when it declares the variable (or the root of a field path), or assigns the
    variable (or its root) from an expression that does not mention the root."""

    def __init__(self, ctx: FileContext, variable: _Variable) -> None:
        self.ctx = ctx
        self.variable = variable

    def __call__(self, node: Node) -> bool:
        decl = self.variable.root_decl
        if decl is not None and node.start_byte <= decl.ident.start_byte < node.end_byte:
            return True  # declares the variable: a new one from here on
        kind = node.type
        if kind in ("assignment_statement", "short_var_declaration", "receive_statement"):
            return self._reassigns(node)
        if kind == "range_clause":
            return any(self._is_variable_or_root(item)
                       for item in expression_list_items(node.child_by_field_name("left")))
        return False

    def _reassigns(self, statement: Node) -> bool:
        left = expression_list_items(statement.child_by_field_name("left"))
        right = expression_list_items(statement.child_by_field_name("right"))
        for index, item in enumerate(left):
            if not self._is_variable_or_root(item):
                continue
            value = right[index] if len(right) == len(left) else (right[0] if right else None)
            if value is None or not self._mentions_root(value):
                return True
        return False

    def _is_variable_or_root(self, item: Node) -> bool:
        found = _variable(self.ctx, item)
        if found is None or found.root_start != self.variable.root_start \
                or found.root_name != self.variable.root_name:
            return False
        return found.text in (self.variable.text, self.variable.root_name)

    def _mentions_root(self, expression: Node) -> bool:
        for ident in walk(expression):
            if ident.type != "identifier" or self.ctx.src.text(ident) != self.variable.root_name:
                continue
            decl = self.ctx.resolve(ident)
            if (decl.ident.start_byte if decl is not None else -1) == self.variable.root_start:
                return True
        return False


def _assignment_operator(statement: Node) -> Node | None:
    """The ``=``/``:=``/``+=``... token of an assignment or short variable declaration."""
    left = statement.child_by_field_name("left")
    right = statement.child_by_field_name("right")
    if left is None or right is None:
        return None
    for child in statement.children:
        if not child.is_named and left.end_byte <= child.start_byte < right.start_byte:
            return child
    return None


def _root_identifier(expression: Node) -> Node | None:
    """``s`` for ``s``, ``s.f``, ``s.f[0].g``, ``(s).f``; None for anything else."""
    current: Node | None = expression
    while current is not None:
        kind = current.type
        if kind == "identifier":
            return current
        if kind in ("selector_expression", "index_expression"):
            current = current.child_by_field_name("operand")
        elif kind == "parenthesized_expression" and current.named_child_count == 1:
            current = current.named_children[0]
        else:
            return None
    return None


def _package_display(ref: tuple[str, str]) -> str:
    """``context.WithValue`` for ("context", "WithValue"); the last path element otherwise."""
    path, name = ref
    if not path:
        return f"{name}, which returns a context derived from its argument"
    return f"{path.rsplit('/', 1)[-1]}.{name}"


# -- the finding --------------------------------------------------------------------------------
def _finding(ctx: FileContext, function: Node, growth: _Growth) -> Finding:
    name = growth.variable.text
    extra = ""
    if DERIVERS.get(growth.constructor, False):
        extra = "; once a layer is cancelled or times out, every context derived from it later is born cancelled"
    advice = "use := to derive a per-iteration context instead"
    if growth.constructor[1] == "WithValue":
        advice += " (to attach many values, store them under one key)"
    message = (f"{name} is re-derived from itself on every loop iteration ({_package_display(growth.constructor)}), "
               f"so the context chain grows by one layer per iteration: Value lookups walk every layer and "
               f"every layer stays reachable{extra}; {advice}")
    fix = _declare_fix(ctx, function, growth)
    statement = growth.statement
    return Finding(ID, statement.start_byte, statement.end_byte, message, fixes=(fix,) if fix else ())


def _declare_fix(ctx: FileContext, function: Node, growth: _Growth) -> Fix | None:
    statement = growth.statement
    loop = growth.loop
    body = loop.child_by_field_name("body") if loop is not None else None
    parent = statement.parent
    if loop is None or body is None or parent is None or parent.type != "statement_list" or parent.parent != body:
        return None  # only directly in the loop body: elsewhere := would hide the value
    if ctx.nodes_of_kind(function, "goto_statement"):
        return None  # a goto could run the loop again and read the outer variable
    scopes = ctx.scopes(statement)
    left = expression_list_items(statement.child_by_field_name("left"))
    if not any(item.type == "identifier" and item.text != b"_" for item in left):
        return None
    for item in left:
        if item.type != "identifier":
            return None
        if item.text == b"_":
            continue
        decl = ctx.resolve(item)
        if decl is None or decl.kind == "result":
            return None  # package-level variables and named results are read elsewhere
        if not _safe_to_redeclare(scopes.references(decl), decl, statement, loop, function):
            return None
    operator = _assignment_operator(statement)
    if operator is None:
        return None
    return Fix("Declare a per-iteration variable with :=",
               (TextEdit(operator.start_byte, operator.end_byte, ":="),), preferred=True)


def _safe_to_redeclare(references: list[Node], decl: LocalDecl, statement: Node, loop: Node,
                       function: Node) -> bool:
    """Whether ``=`` -> ``:=`` for ``decl`` keeps the program's meaning and compiles: the new
    variable is read later in the iteration, nothing after the loop (or around it again, or in
    a closure) reads the outer one, and the outer one is still read somewhere (unused locals do
    not compile)."""
    read_later_in_body = False
    outer_still_read = decl.kind in ("param", "receiver")
    for reference in references:
        if _is_assignment_target(reference):
            continue
        position = reference.start_byte
        inside_loop = loop.start_byte <= position < loop.end_byte
        if inside_loop and position >= statement.end_byte:
            read_later_in_body = True
            continue
        path = path_between(function, reference)
        if inside_nested_function(path):
            return False  # a closure may read it at any time
        if not inside_loop and (position >= loop.end_byte or any(
                node.start_byte <= loop.start_byte < node.end_byte for node in loops_on(path, 0))):
            return False  # read after the loop, or before it on a later pass of an outer loop
        outer_still_read = True
    return read_later_in_body and outer_still_read


def _is_assignment_target(reference: Node) -> bool:
    parent = reference.parent
    if parent is None or parent.type != "expression_list":
        return False
    statement = parent.parent
    return statement is not None and statement.type in ("assignment_statement", "short_var_declaration") \
        and statement.child_by_field_name("left") == parent


RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="context re-derived from itself on every loop iteration",
    doc=DOC,
    url="https://pkg.go.dev/context#WithValue",
    check=check,
    imports=frozenset(path for path, _name in DERIVERS),
    exports=exports_of("context", "os/signal"),
)
