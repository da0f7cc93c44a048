"""cancel-deferred-in-loop: ``defer cancel()`` of a context created in the same loop body.

A deferred call runs when the surrounding function returns, not at the end of the iteration,
so every iteration's context stays alive until then. The loop is found on the control-flow
graph: the defer must be able to run again after the context's creation runs again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.syntax import FUNCTION_KINDS, expression_list_items, path_between, walk
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.rules._corpora import CONTEXT_REVIEW_CORPUS, fresh_review
from ctx_lsp.rules._loops import Flow, function_index, inside_nested_function, loops_on, may_repeat

Node = tree_sitter.Node

ID = "cancel-deferred-in-loop"

# What a constructor's cancel function releases, by (import path, name).
_CANCEL = "cancel"
_TIMER = "timer"
_SIGNAL = "signal"
CONSTRUCTORS: dict[tuple[str, str], str] = {
    **{(path, name): _CANCEL for path in CONTEXT_PACKAGES for name in ("WithCancel", "WithCancelCause")},
    **{(path, name): _TIMER for path in CONTEXT_PACKAGES
       for name in ("WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause")},
    ("os/signal", "NotifyContext"): _SIGNAL,
}
_CONSTRUCTOR_NAMES = frozenset(name for _path, name in CONSTRUCTORS)

# What stays alive until the function returns (docs/runtime-facts.md §1.2, §1.4, §1.6; the
# NotifyContext registration and goroutine are in os/signal/signal.go NotifyContext).
_HELD: dict[str, str] = {
    _CANCEL: "every iteration's context stays alive, still registered with its parent when the "
             "parent can be cancelled",
    _TIMER: "every iteration's context stays alive, and its timer and its registration with the "
            "parent until the deadline passes",
    _SIGNAL: "every iteration's context, signal registration and watcher goroutine stay alive",
}

DOC = """\
# cancel-deferred-in-loop: a context's cancel function deferred inside a loop

Reports `defer cancel()` (or any deferred call that mentions the cancel function, such as
`defer func() { cancel() }()`) when the cancel function comes from `context.WithCancel`,
`WithCancelCause`, `WithTimeout`, `WithTimeoutCause`, `WithDeadline`, `WithDeadlineCause`
or `signal.NotifyContext` called in the same loop body.

```go
for _, ep := range endpoints {
    ctx, cancel := context.WithTimeout(parent, ep.timeout)
    defer cancel() // runs when the function returns, not when the iteration ends
    probe(ctx, ep)
}
```

## What happens at run time

A deferred call runs when the surrounding **function** returns. Each iteration pushes one
more deferred call, and each deferred call holds its cancel function and through it its
context. Until the function returns:

- every iteration's context stays reachable, with its values and its parent chain;
- a context whose parent can be cancelled stays registered in the parent (its `children`
  map, see `propagateCancel` in `src/context/context.go`) until the parent is cancelled or,
  for `WithTimeout`/`WithDeadline`, its own deadline passes — under a long-lived parent that
  map grows by one entry per iteration;
- `WithTimeout`/`WithDeadline`: each context's `time.AfterFunc` timer stays pending in the
  runtime until its deadline passes;
- `signal.NotifyContext`: each call also registers for the signals (released only by
  `stop`) and starts a watcher goroutine (which ends at `stop`, a signal, or the parent's
  cancellation).

In a long or endless loop (a worker, a poller, a retry loop that keeps failing) this is an
unbounded leak; in a short loop it is still work held for no reason.

## What to do instead

Call `cancel()` at the end of each iteration (and before every `continue`), or move the
body into a function so the defer runs once per iteration:

```go
for _, ep := range endpoints {
    func() {
        ctx, cancel := context.WithTimeout(parent, ep.timeout)
        defer cancel()
        probe(ctx, ep)
    }()
}
```

## Quick fix

*Run the loop body in a function literal*: wraps the body in `func() { ... }()`, adding one
level of indentation (lines inside multi-line raw strings and comments are left as they
are). Offered only when wrapping keeps every jump meaning the same: not when the body
contains a `return`, a `break` or `continue` of this loop or an outer one, or a `goto` to a
label outside the body (jumps inside nested loops, switches, selects and function literals
are fine), and only when the body's braces sit on their own lines.

## How loops are recognised

On the function's control-flow graph: the defer must be able to run again after the
context's creation runs again. So `for`, `range` and `goto` loops count, a defer in an
`if`/`switch`/`select` inside the loop body counts, and a body that always returns or breaks
after the defer (it runs once) does not.

## Not reported

- A defer inside a function literal called per iteration (the recommended shape) or inside a
  goroutine started per iteration: it runs when that literal returns.
- A cancel function created before the loop and deferred inside it: one context, not one per
  iteration (deferring it repeatedly is odd, but leaks nothing per iteration).
- Deferred calls of anything else (`t.Stop()`, `mu.Unlock()`), and a local variable named
  `context` that shadows the package.

## Precision review

""" + CONTEXT_REVIEW_CORPUS + """
**34,757 files**, tests and vendored code included.

| | count |
|---|---|
| findings | 49 (8 standard library, 31 grpc-go, 3 etcd, 3 nats-server, 1 each loki, minio, nomad, prometheus) |
| reviewed | 49 (all) |
| true positives | **48/49** |

True positives include long-running loops where the leak is unbounded — minio's report
cleanup loop (`cmd/batch-handlers.go`), nomad's lock-leader loop (`api/locks.go`), a grpc-go
example that defers 100 timeouts and then blocks in `select {}` forever — a `b.Loop()`
benchmark in loki, retry loops in `net.(*sysDialer).dialSerial` and the DNS client, and many
test loops. The false positive is `net.(*sysDialer).dialParallel` (Go 1.19 `net/dial.go`):
the `defer` sits in a `select` case on a timer that fires at most once, so it runs at most
once — a fact of the program's logic, not of its control flow.
"""
DOC += fresh_review("""\
14 findings (warnings), **14 agreed (100%)**: every one defers a timeout's cancel inside a
loop that can run again before the function returns (moby's state and Windows networking
tests and its test daemon's start-up polling loop; dgraph's Raft test, the two retry loops of
`upsertGuardianAndGroot` under a closer, a vector test, and three retry loops of its upgrade
tool; linkerd2's multicluster check, whose own comment asks for "a new ctx for each call").
The retry loops stop early on success, but each failed attempt keeps its timer until the
function returns.
""")



@attrs.frozen
class _Creation:
    """A statement that assigns a new cancel function to a tracked variable."""

    statement: Node = attrs.field(eq=False)
    kind: str


@attrs.frozen
class _Defer:
    statement: Node = attrs.field(eq=False)
    loops: tuple[Node, ...] = attrs.field(eq=False)  # for statements around it, outermost first


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    if ctx.src.data.find(b"defer", decl.start_byte, decl.end_byte) < 0:
        return  # skip the tree search in the many declarations without a defer
    by_function: dict[int, tuple[Node, list[_Defer]]] = {}
    for defer in ctx.nodes_of_kind(decl, "defer_statement"):
        path = path_between(decl, defer)
        index = function_index(path)
        if index is None:
            continue
        function, loops = path[index], loops_on(path, index)
        if may_repeat(ctx, loops, function):
            by_function.setdefault(function.start_byte, (function, []))[1].append(_Defer(defer, tuple(loops)))
    for function, defers in by_function.values():
        yield from _check_function(ctx, function, defers)


def _check_function(ctx: FileContext, function: Node, defers: list[_Defer]) -> Iterator[Finding]:
    body = function.child_by_field_name("body")
    if body is None:
        return
    creations: dict[int, list[_Creation]] = defaultdict(list)  # keyed by the declaring identifier
    for call in ctx.calls_named(body, _CONSTRUCTOR_NAMES):
        if inside_nested_function(path_between(function, call)):
            continue  # a literal's calls belong to the literal's own graph
        created = _creation(ctx, call)
        if created is not None:
            key, creation = created
            creations[key].append(creation)
    if not creations:
        return
    flow = Flow(ctx.cfg(function))
    for defer in defers:
        finding = _finding_for(ctx, flow, defer, creations)
        if finding is not None:
            yield finding


def _creation(ctx: FileContext, call: Node) -> tuple[int, _Creation] | None:
    """(key of the cancel variable, creation) when ``call`` is a constructor whose cancel
    function is assigned to a local variable."""
    kind = CONSTRUCTORS.get(ctx.call_ref(call) or ("", ""))
    parent = call.parent
    if kind is None or parent is None or parent.type != "expression_list":
        return None
    spec = parent.parent
    if spec is None:
        return None
    if spec.type in ("short_var_declaration", "assignment_statement"):
        if spec.child_by_field_name("right") != parent:
            return None
        targets = expression_list_items(spec.child_by_field_name("left"))
        statement = spec
    elif spec.type == "var_spec":
        targets = spec.children_by_field_name("name")
        statement = _var_declaration_of(spec)
    else:
        return None
    if len(targets) != 2 or targets[1].type != "identifier" or targets[1].text == b"_":
        return None
    decl = ctx.resolve(targets[1])
    if decl is None:
        return None
    return decl.ident.start_byte, _Creation(statement, kind)


def _var_declaration_of(spec: Node) -> Node:
    node: Node | None = spec
    while node is not None and node.type != "var_declaration":
        node = node.parent
    return node if node is not None else spec


def _finding_for(ctx: FileContext, flow: Flow, defer: _Defer,
                 creations: dict[int, list[_Creation]]) -> Finding | None:
    statement = defer.statement
    for ident in walk(statement):
        if ident.type != "identifier":
            continue
        decl = ctx.resolve(ident)
        if decl is None:
            continue
        for creation in creations.get(decl.ident.start_byte, ()):
            # One context per iteration: the defer runs again after the creation runs again.
            if flow.reaches(creation.statement, statement) and flow.reaches(statement, creation.statement):
                name = decl.name
                message = (f"{name} is deferred inside a loop and runs only when the function returns: "
                           f"until then {_HELD[creation.kind]}; call {name} at the end of each iteration, "
                           f"or move the loop body into a function of its own")
                fix = _wrap_fix(ctx, _loop_around(defer, creation.statement))
                return Finding(ID, statement.start_byte, statement.end_byte, message, fixes=(fix,) if fix else ())
    return None


def _loop_around(defer: _Defer, creation: Node) -> Node | None:
    """The innermost ``for`` around the defer whose body also holds the creation."""
    for loop in reversed(defer.loops):
        if loop.start_byte <= creation.start_byte and creation.end_byte <= loop.end_byte:
            return loop
    return None


# -- the wrap-in-a-function-literal fix -------------------------------------------------------
def _wrap_fix(ctx: FileContext, loop: Node | None) -> Fix | None:
    body = loop.child_by_field_name("body") if loop is not None else None
    if body is None or body.has_error or not _jumps_stay_inside(body):
        return None
    src, lines, data = ctx.src, ctx.src.lines, ctx.src.data
    open_line = src.line_of(body.start_byte)
    close_line = src.line_of(body.end_byte - 1)
    if close_line <= open_line + 1:
        return None
    after_open = data[body.start_byte + 1 : lines.line_end(open_line, data)].strip()
    if after_open and not after_open.startswith(b"//"):
        return None  # code after `{` on its line: no gofmt-shaped place for `func() {`
    if data[lines.line_start(close_line) : body.end_byte - 1].strip():
        return None  # code before `}` on its line
    indent = src.indentation_of_line(close_line)  # the loop statement's own indentation
    line_end = lines.line_end(open_line, data)
    newline = "\r\n" if data[line_end : line_end + 2] == b"\r\n" else "\n"
    verbatim = _multiline_literals(ctx, body)
    edits = [TextEdit(line_end, line_end, f"{newline}{indent}\tfunc() {{")]
    for line in range(open_line + 1, close_line):
        start = lines.line_start(line)
        if not data[start : lines.line_end(line, data)].strip():
            continue  # blank lines stay blank (gofmt strips trailing tabs)
        if any(first < start < last for first, last in verbatim):
            continue  # inside a raw string or block comment: content must not change
        edits.append(TextEdit(start, start, "\t"))
    close_start = lines.line_start(close_line)
    edits.append(TextEdit(close_start, close_start, f"{indent}\t}}(){newline}"))
    return Fix("Run the loop body in a function literal so the defer runs every iteration",
               tuple(edits), preferred=True)


def _multiline_literals(ctx: FileContext, body: Node) -> list[tuple[int, int]]:
    """Byte spans of raw strings and comments in ``body`` that cover more than one line."""
    line_of = ctx.src.line_of
    return [(node.start_byte, node.end_byte) for node in walk(body)
            if node.type in ("raw_string_literal", "comment") and line_of(node.start_byte) != line_of(node.end_byte)]


def _jumps_stay_inside(body: Node) -> bool:
    """Whether wrapping ``body`` in a function literal keeps every return, break, continue
    and goto meaning the same thing."""
    labels: set[bytes] = set()
    labelled_jumps: list[bytes] = []
    # (node, enclosing breakable statements inside body, enclosing loops inside body)
    stack: list[tuple[Node, int, int]] = [(child, 0, 0) for child in body.named_children]
    while stack:
        node, breakable, loops = stack.pop()
        kind = node.type
        if kind in FUNCTION_KINDS:
            continue  # jumps inside a nested literal belong to it
        if kind == "return_statement":
            return False
        if kind in ("break_statement", "continue_statement", "goto_statement"):
            label = next((c.text for c in node.named_children if c.type == "label_name"), None)
            if label is not None:
                labelled_jumps.append(label)
            elif kind == "break_statement" and breakable == 0:
                return False
            elif kind == "continue_statement" and loops == 0:
                return False
            continue
        if kind == "labeled_statement":
            label_node = node.child_by_field_name("label")
            if label_node is not None and label_node.text is not None:
                labels.add(label_node.text)
        if kind == "for_statement":
            breakable, loops = breakable + 1, loops + 1
        elif kind in ("expression_switch_statement", "type_switch_statement", "select_statement"):
            breakable += 1
        stack.extend((child, breakable, loops) for child in node.named_children)
    return all(label in labels for label in labelled_jumps)


RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="cancel function deferred inside a loop",
    doc=DOC,
    url="https://go.dev/ref/spec#Defer_statements",
    check=check,
    decl_needles=(b"defer",),  # check's first test
    imports=frozenset(CONTEXT_PACKAGES | {"os/signal"}),
    exports=exports_of("context", "os/signal"),
)
