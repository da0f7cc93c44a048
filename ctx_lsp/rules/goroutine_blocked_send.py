"""goroutine-blocked-send: a goroutine sends on an unbuffered channel that its starter can stop
receiving from.

The function makes ``ch := make(chan T)``, starts ``go func() { ... ch <- v ... }()`` and can
return without receiving from ``ch`` (another ``select`` case wins, or an early return comes
first). The send then blocks forever, and a blocked goroutine is never collected
(docs/runtime-facts.md §3.5). The check is deliberately narrow: the channel is a local that
only that one goroutine sends on (plain sends, no ``select``) and only its starter receives
from, so every use is in sight.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, Related, Severity, TextEdit
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import (
    FUNCTION_KINDS,
    call_arguments,
    calls_named,
    expression_list_items,
    path_between,
)
from ctx_lsp.rules._loops import Flow, function_index, loops_on
from ctx_lsp.rules._corpora import LEAK_REVIEW_CORPUS

Node = tree_sitter.Node

ID = "goroutine-blocked-send"
# Calls that end a test (or the program) where ctx-lsp cannot prove it: Ginkgo's Fail, testify
# suites' and custom helpers' Fatal... A path through one is a failure path, not a leak report.
FAILURE_CALLS = frozenset({b"Fail", b"Failf", b"FailNow", b"Fatal", b"Fatalf", b"Skip", b"Skipf", b"SkipNow",
                           b"Exit", b"Panic", b"Panicf"})
# In _test.go files, also the calls that mark the test failed: a timeout path that reports an
# error is the test failing, not a leak worth a report.
TEST_FAILURE_CALLS = FAILURE_CALLS | {b"Error", b"Errorf"}

SITE = ("A send on an unbuffered channel blocks until another goroutine receives. If the function that "
        "started this goroutine has returned without receiving, nothing ever will: the goroutine stays "
        "blocked, and its stack and everything it references stay in memory for the life of the program "
        "(goroutines are never garbage collected). A buffer of one slot per send lets it finish.")

SITE_WAITING = ("A receive waits until another goroutine sends or closes the channel. If the function that "
                "started this goroutine can return without doing either, nothing ever will: the goroutine stays "
                "blocked, and its stack and everything it references stay in memory for the life of the program. "
                "Closing the channel on every path (defer close) releases it.")

DOC = """\
# goroutine-blocked-send: a goroutine left blocked on a send nobody will receive

Reported (warning, from the precision review below) on the send statement of code
shaped like this:

```go
func fetch(ctx context.Context) (Result, error) {
    ch := make(chan Result)          // unbuffered
    go func() {
        ch <- slowCall()             // reported: blocks forever once fetch has returned
    }()
    select {
    case r := <-ch:
        return r, nil
    case <-ctx.Done():               // fetch returns without receiving from ch
        return Result{}, ctx.Err()
    }
}
```

The mirror shape is reported too (as information, see the review): a goroutine that waits
on a plain receive `<-done` from a local channel (of any capacity) that only the function
sends on or closes, when the function can return without doing so — or never does:

```go
done := make(chan struct{})
go func() {
    <-done // reported: nothing closes done when prepare fails
    cleanup()
}()
if err := prepare(); err != nil {
    return err
}
close(done)
```

Its fix, *Close the channel when the function returns*, inserts `defer close(done)` after the
`make` when that is always safe: nothing else closes the channel, every receive in the
goroutine discards its value, and the `make` is not inside a loop.

For the send shape: a function makes an unbuffered channel (`make(chan T)` or `make(chan T, 0)`),
starts a goroutine whose function literal sends on it, and can reach a `return` (or the end
of its body) from the `go` statement without receiving from the channel: another `select`
case (`<-ctx.Done()`, `<-time.After(d)`, a `default`) or an early return on an error path
comes first. The related locations name the returns that skip the receive.

## What happens at run time

A send on an unbuffered channel completes only when another goroutine receives. Once the
function has returned, nothing can receive any more: the goroutine waits forever. A goroutine
is never garbage collected while it is blocked; its stack, and everything the stack
references (here `slowCall`'s result and whatever the literal captured), stay in memory for
the life of the program. A function called once per request leaks one goroutine per timed
out or failed request.

## Finding the same leaks at run time

- Go 1.26's experimental goroutine leak profile (`GOEXPERIMENT=goroutineleakprofile`, the
  `goroutineleak` profile of `runtime/pprof` and `/debug/pprof/goroutineleak`; standard in
  Go 1.27) reports goroutines blocked on a channel that no runnable goroutine can reach,
  which is exactly this goroutine after the function returned. It reports them; it does not
  free them.
- `go.uber.org/goleak` (`goleak.VerifyNone(t)`, `goleak.VerifyTestMain(m)`) fails a test
  that ends with extra goroutines still running.

Both see a leak only when a run takes the leaking path (the timeout, the error); this rule
sees the shape in the code, on every path, as it is typed.

## What to do instead

- Give the channel a buffer for every send, so the goroutine can always finish:
  `ch := make(chan Result, 1)`. The result is then dropped with the channel when nobody wants
  it.
- Or make the goroutine give up too: `select { case ch <- r: case <-ctx.Done(): }`.
- Or make sure the function receives on every path (for example, wait for the goroutine
  before an early return).

## Quick fix

*Buffer the channel*: `make(chan T)` becomes `make(chan T, N)`, N the number of send
statements on the channel in the goroutine. Offered only when that is always safe: no send
is inside a loop (so N covers every send), and after each send the goroutine only returns
(nothing runs after it, no deferred call), so no statement of the goroutine depended on the
receiver having taken the value.

## Not reported

The rule reports only what it can see completely, so all of these are left alone:

- channels that escape: passed to a function, stored, returned, sent on a channel, captured
  by another function literal, ranged over, or used in any other way than the plain sends in
  the one goroutine, `close` in that goroutine, and receives in the function itself;
- sends inside a `select` (the goroutine already has a way out), sends from more than one
  goroutine, or a `go` statement inside a loop;
- receives inside a `for` loop with a condition or a `range` clause (the loop may run any
  number of times, which the rule cannot count);
- `func main` of `package main` (returning from it ends the program);
- buffered channels, and channels with a non-constant size.

A receive from a channel that nothing will ever send on or close is covered only in the
waiting-goroutine shape above (a local channel whose every use is in sight): without type
information the rule cannot tell all the senders of a channel that escapes.

## Precision review

PRECISION_REVIEW
"""

PRECISION_REVIEW = LEAK_REVIEW_CORPUS + """

| | count |
|---|---|
| findings | 7 (all in nomad; none in the three held-out repositories) |
| reviewed | 7 |
| agreed | **7/7** (default severity: warning) |

- nomad `helper/raftutil/snapshot.go` (errCh, metaCh) and `command/operator_snapshot_inspect.go`
  (errCh, metaCh): the function returns early when reading the snapshot fails; the copying
  goroutine then fails on the closed pipe and blocks forever on its send. Four real leaks in
  production code.
- nomad `client/testing.go`: a test helper waits one minute for a client shutdown; after the
  timeout the goroutine's error send blocks forever.
- nomad `client/rpc_test.go` and `nomad/encrypter_test.go`: a timeout (or another timer case)
  lets the test end normally while the goroutine's send is still to come.

Exclusions designed on the first runs (29 findings before them, 22 removed by them):

- 11 whose only leaking path calls a failure function (8 go-redis Ginkgo tests calling
  `Fail(...)`, which panics; 3 nomad tests): calls named `Fail`, `Fatal`, `FailNow`, `Skip`,
  `Exit`, `Panic` (any receiver) end a path;
- 6 nomad goroutines that send in a loop (stream decoders) or on one of two channels
  exclusively: sends inside a loop are streams the rule cannot count;
- 5 nomad tests whose goroutine sends on one of two channels and the function receives the
  other (`errCh <- err; return` / `resultCh <- r`, or `if err != nil { errCh <- err }` before
  `volCh <- v`): a receive from a channel whose send cannot be followed by the reported one
  counts;
- in `_test.go` files, timeout paths that call `t.Error`/`t.Errorf` are failing runs (the
  Go 1.19 `bufio` test and 3 grpc-go tests, held out, were such paths).

The waiting-receiver shape (a goroutine blocked on `<-done` that the function can skip
closing) found one case, in the Go 1.19 `runtime/pprof` tests: a `select` whose other case
sends on a channel nobody ever receives from, so it can never be taken — a false positive
that led to the "never-ready case" exclusion; after it, no finding. Its precision is
unmeasured, so its findings are reported as **information**, not warning.

Leaks with the channel passed to a named function, sent on in a `select`,
or received in a counted loop are deliberately out of reach: the rule only reports what it
sees completely."""


@attrs.frozen
class _Channel:
    """An unbuffered channel made by a short variable declaration, and its uses."""

    name: str
    variable: LocalDecl
    make_call: Node = attrs.field(eq=False)
    go_statement: Node = attrs.field(eq=False)
    sends: tuple[Node, ...] = attrs.field(eq=False)
    receives: tuple[Node, ...] = attrs.field(eq=False)


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    data, start, end = ctx.src.data, decl.start_byte, decl.end_byte
    if data.find(b"make(chan", start, end) < 0 or data.find(b"go ", start, end) < 0:
        return  # byte searches first: most declarations start no goroutine
    if not ctx.nodes_of_kind(decl, "go_statement"):
        return
    by_function: dict[int, tuple[Node, list[_Channel]]] = {}
    for call in ctx.calls_named(decl, _MAKE):
        statement = _declaring_statement(call)
        if statement is None:
            continue
        made = _channel_make(ctx, statement)
        if made is None:
            continue
        make_call, unbuffered = made
        path = path_between(decl, statement)
        index = function_index(path)
        if index is None:
            continue
        function = path[index]
        if _is_main(ctx, function) or _ranged_over(ctx, statement, decl) or not _starts_one_goroutine(ctx, function):
            continue  # cheap syntactic rejections before any name resolution
        channel = _channel(ctx, statement, make_call, function) if unbuffered else None
        if channel is not None:
            by_function.setdefault(function.start_byte, (function, []))[1].append(channel)
            continue
        waiting = _waiting_channel(ctx, statement, make_call, function)
        if waiting is not None:
            finding = _waiting_leak(ctx, function, waiting)
            if finding is not None:
                yield finding
    for function, channels in by_function.values():
        for channel in channels:
            siblings = [c for c in channels if c is not channel and c.go_statement == channel.go_statement]
            finding = _leak(ctx, function, channel, siblings)
            if finding is not None:
                yield finding


_MAKE = frozenset({"make"})


def _ranged_over(ctx: FileContext, statement: Node, decl: Node) -> bool:
    """``range ch`` appears in the declaration: a stream the rule does not count."""
    left = expression_list_items(statement.child_by_field_name("left"))
    name = left[0].text if left else None
    return name is not None and ctx.src.data.find(b"range " + name, statement.end_byte, decl.end_byte) >= 0


def _starts_one_goroutine(ctx: FileContext, function: Node) -> bool:
    """``function`` has a ``go`` statement outside loops (a goroutine per iteration is a pool the
    rule does not count)."""
    return any(not loops_on(path_between(function, go), 0) for go in ctx.nodes_of_kind(function, "go_statement"))


def _declaring_statement(call: Node) -> Node | None:
    """``ch := make(...)``: the short variable declaration whose value ``call`` is."""
    values = call.parent
    statement = values.parent if values is not None and values.type == "expression_list" else None
    return statement if statement is not None and statement.type == "short_var_declaration" else None


def _channel_make(ctx: FileContext, statement: Node) -> tuple[Node, bool] | None:
    """``make(chan T[, size])`` as the only value of ``statement``, and whether it is
    unbuffered (no size, or 0); None when ``statement`` is anything else."""
    left = expression_list_items(statement.child_by_field_name("left"))
    right = expression_list_items(statement.child_by_field_name("right"))
    if len(left) != 1 or len(right) != 1 or left[0].type != "identifier" or left[0].text == b"_":
        return None
    call = right[0]
    if call.type != "call_expression":
        return None
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "identifier" or callee.text != b"make":
        return None
    arguments = call.child_by_field_name("arguments")
    items = [c for c in arguments.named_children if c.type != "comment"] if arguments is not None else []
    if not items or items[0].type != "channel_type" or not _bidirectional(items[0]) or len(items) > 2:
        return None
    unbuffered = len(items) == 1 or (items[1].type == "int_literal" and items[1].text == b"0")
    if not _mentioned_by_name(ctx, statement, left[0]):
        return None
    if _may_shadow_make(ctx, statement) and ctx.is_local(callee):
        return None  # the costly lookup last
    return call, unbuffered


def _mentioned_by_name(ctx: FileContext, statement: Node, ident: Node) -> bool:
    """Cheap filter before resolving names: ``ch <-`` or ``<-ch`` appears after the declaration."""
    top = ctx.top_level_of(statement)
    name, data = ident.text or b"", ctx.src.data
    return data.find(name + b" <-", statement.end_byte, top.end_byte) >= 0 \
        or data.find(b"<-" + name, statement.end_byte, top.end_byte) >= 0


def _may_shadow_make(ctx: FileContext, statement: Node) -> bool:
    """Whether the declaration may declare a local ``make``: some ``make`` is not followed by
    ``(`` (``make := ...``, ``make func()``). Spares building scopes for the builtin."""
    top = ctx.top_level_of(statement)
    data, start, end = ctx.src.data, top.start_byte, top.end_byte
    return data.count(b"make", start, end) != data.count(b"make(", start, end)


def _bidirectional(channel_type: Node) -> bool:
    return not any(child.type == "<-" for child in channel_type.children)


def _is_main(ctx: FileContext, function: Node) -> bool:
    if ctx.package_name != "main" or function.type != "function_declaration":
        return False
    name = function.child_by_field_name("name")
    return name is not None and name.text == b"main"


def _channel(ctx: FileContext, statement: Node, make_call: Node, function: Node) -> _Channel | None:
    """The channel's uses, when they are all in sight: plain sends (and ``close``) in one
    goroutine literal started directly by ``function``, and receives in ``function`` itself."""
    ident = expression_list_items(statement.child_by_field_name("left"))[0]
    variable = ctx.resolve(ident)
    if variable is None:
        return None
    go_statement: Node | None = None
    sends: list[Node] = []
    receives: list[Node] = []
    for reference in ctx.scopes(statement).references(variable):
        path = path_between(function, reference)
        literals = [i for i, node in enumerate(path) if i > 0 and node.type in FUNCTION_KINDS]
        if not literals:
            if not _is_receive(reference):
                return None
            receives.append(reference)
            continue
        if len(literals) != 1:
            return None
        started = _started_by(path[literals[0]])
        if started is None or (go_statement is not None and started != go_statement):
            return None
        go_statement = started
        send = reference.parent
        if send is not None and send.type == "send_statement" and send.child_by_field_name("channel") == reference \
                and send.parent is not None and send.parent.type == "statement_list":
            sends.append(send)
        elif not _is_close(ctx, reference):
            return None
    if go_statement is None or not sends or not receives:
        return None
    literal = go_statement.named_children[0].child_by_field_name("function")
    if literal is None or any(loops_on(path_between(literal, send), 0) for send in sends) \
            or ctx.nodes_of_kind(literal, "labeled_statement"):
        return None  # a stream of sends: the rule cannot count them
    return _Channel(ctx.src.text(ident), variable, make_call, go_statement, tuple(sends), tuple(receives))


@attrs.frozen
class _Waiting:
    """A channel that one goroutine only receives from and the function only sends on or
    closes (any capacity: a receive waits whatever the buffer)."""

    name: str
    make_call: Node = attrs.field(eq=False)
    go_statement: Node = attrs.field(eq=False)
    receives: tuple[Node, ...] = attrs.field(eq=False)  # the unary <-ch in the goroutine
    releases: tuple[Node, ...] = attrs.field(eq=False)  # sends and closes in the function
    closes: int


def _waiting_channel(ctx: FileContext, statement: Node, make_call: Node, function: Node) -> _Waiting | None:
    ident = expression_list_items(statement.child_by_field_name("left"))[0]
    variable = ctx.resolve(ident)
    if variable is None:
        return None
    go_statement: Node | None = None
    receives: list[Node] = []
    releases: list[Node] = []
    closes = 0
    for reference in ctx.scopes(statement).references(variable):
        path = path_between(function, reference)
        literals = [i for i, node in enumerate(path) if i > 0 and node.type in FUNCTION_KINDS]
        if literals:
            started = _started_by(path[literals[0]]) if len(literals) == 1 else None
            if started is None or (go_statement is not None and started != go_statement) \
                    or not _plain_receive(reference):
                return None
            go_statement = started
            receives.append(reference.parent)  # type: ignore[arg-type]
        elif _is_send(reference):
            releases.append(reference)
        elif _is_close(ctx, reference):
            call = reference.parent.parent  # type: ignore[union-attr]
            if call is None or call.parent is None or call.parent.type != "expression_statement":
                return None  # deferred or nested: the close may run at any exit
            releases.append(reference)
            closes += 1
        else:
            return None
    if go_statement is None or not receives:
        return None
    literal = go_statement.named_children[0].child_by_field_name("function")
    if literal is None or any(loops_on(path_between(literal, r), 0) for r in receives):
        return None  # a receiving loop: a stream the rule cannot count
    if any(_has_exit(loop) for r in releases for loop in loops_on(path_between(function, r), 0)):
        return None  # sends or closes in a counted loop
    return _Waiting(ctx.src.text(ident), make_call, go_statement, tuple(receives), tuple(releases), closes)


def _plain_receive(reference: Node) -> bool:
    """``<-ch`` as a statement, or as the whole value of ``v := <-ch`` / ``v, ok = <-ch``;
    not a ``select`` communication (that goroutine has a way out) nor a range."""
    if not _is_receive(reference):
        return False
    unary = reference.parent
    holder = unary.parent if unary is not None else None
    if holder is None:
        return False
    if holder.type == "expression_statement":
        return True
    if holder.type == "expression_list" and holder.parent is not None:
        statement = holder.parent
        return statement.type in ("short_var_declaration", "assignment_statement") \
            and statement.child_by_field_name("right") == holder and holder.named_child_count == 1 \
            and statement.parent is not None and statement.parent.type == "statement_list"
    return False


def _is_send(reference: Node) -> bool:
    send = reference.parent
    return send is not None and send.type == "send_statement" and send.child_by_field_name("channel") == reference


def _waiting_leak(ctx: FileContext, function: Node, channel: _Waiting) -> Finding | None:
    path = path_between(function, channel.go_statement)
    if loops_on(path, 0) or ctx.nodes_of_kind(function, "labeled_statement"):
        return None
    flow = Flow(ctx.cfg(function))
    failures = TEST_FAILURE_CALLS if ctx.is_test_file else FAILURE_CALLS
    exits = _exits_without(ctx, flow, channel.go_statement, list(channel.releases), failures)
    if not exits:
        return None
    receive = channel.receives[0]
    name = channel.name
    related = [Related(start, end, f"returns here without sending on or closing {name}") for start, end in exits]
    related.append(Related(channel.make_call.start_byte, channel.make_call.end_byte, f"{name} is made here"))
    nothing = "nothing sends on or closes" if not channel.releases else "the function that started the goroutine can return without sending on or closing"
    template = (f"this receive from {name} blocks forever: {nothing} {name} (line {{}}); a blocked goroutine is "
                f"never freed, nor anything it references; close {name} on every path (defer close({name})) or "
                f"let the receive give up in a select")
    fix = _defer_close_fix(ctx, function, channel)
    return Finding(ID, receive.start_byte, receive.end_byte, template.format(ctx.src.line_of(exits[0][0]) + 1),
                   severity=Severity.INFORMATION,  # unmeasured shape: see the precision review
                   related=tuple(related), fixes=(fix,) if fix is not None else (),
                   message_template=template, line_refs=(exits[0][0],))


def _defer_close_fix(ctx: FileContext, function: Node, channel: _Waiting) -> Fix | None:
    """``defer close(ch)`` after the make: always safe when nothing else closes ``ch`` (a
    second close panics), every send is in the function itself (none can follow the deferred
    close), every receive in the goroutine discards its value (a closed channel yields the
    zero value), and the make is not inside a loop (the defers would pile up)."""
    if channel.closes:
        return None
    if any(r.parent is None or r.parent.type != "expression_statement" for r in channel.receives):
        return None
    statement = channel.make_call.parent.parent  # type: ignore[union-attr]
    if statement is None or statement.parent is None or statement.parent.type != "statement_list" \
            or loops_on(path_between(function, statement), 0):
        return None
    end = ctx.src.data.find(b"\n", statement.end_byte)
    end = len(ctx.src.data) if end < 0 else end
    line_start = ctx.src.data.rfind(b"\n", 0, statement.start_byte) + 1
    indent_bytes = ctx.src.data[line_start:statement.start_byte]
    indent = indent_bytes[: len(indent_bytes) - len(indent_bytes.lstrip(b" \t"))].decode()
    return Fix(f"Close {channel.name} when the function returns (defer close({channel.name}))",
               (TextEdit(end, end, f"\n{indent}defer close({channel.name})"),), preferred=True)


def _is_receive(reference: Node) -> bool:
    parent = reference.parent
    return parent is not None and parent.type == "unary_expression" and parent.child(0) is not None \
        and parent.child(0).type == "<-"


def _is_close(ctx: FileContext, reference: Node) -> bool:
    """``close(ch)`` (also deferred) with the builtin ``close``."""
    arguments = reference.parent
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    if call is None or call.type != "call_expression" or len(call_arguments(call)) != 1:
        return False
    callee = call.child_by_field_name("function")
    return callee is not None and callee.type == "identifier" and callee.text == b"close" and not ctx.is_local(callee)


def _started_by(literal: Node) -> Node | None:
    """The ``go`` statement that starts ``literal`` (``go func() { ... }()``), else None."""
    call = literal.parent
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != literal:
        return None
    statement = call.parent
    return statement if statement is not None and statement.type == "go_statement" else None


def _leak(ctx: FileContext, function: Node, channel: _Channel, siblings: list[_Channel]) -> Finding | None:
    path = path_between(function, channel.go_statement)
    if loops_on(path, 0) or ctx.nodes_of_kind(function, "labeled_statement"):
        return None  # a goroutine per iteration: the rule cannot count sends and receives
    for receive in channel.receives:
        if any(_has_exit(loop) for loop in loops_on(path_between(function, receive), 0)):
            return None  # a receive in a counted loop: it may run any number of times
    graph = ctx.cfg(function)
    flow = Flow(graph)
    receives = list(channel.receives) + _later_receives(ctx, function, channel)
    failures = TEST_FAILURE_CALLS if ctx.is_test_file else FAILURE_CALLS
    exits = _exits_without(ctx, flow, channel.go_statement, receives, failures)
    if not exits:
        return None
    send = channel.sends[0]
    related = [Related(start, end, f"returns here without receiving from {channel.name}") for start, end in exits]
    related.append(Related(channel.make_call.start_byte, channel.make_call.end_byte,
                           f"{channel.name} is made unbuffered here"))
    template = (f"this send on unbuffered channel {channel.name} blocks forever if the function that started the "
                f"goroutine returns without receiving from it (line {{}}): a blocked goroutine is never freed, nor "
                f"anything it references; give {channel.name} a buffer (make(chan T, {len(channel.sends)})) or let "
                f"the send give up in a select")
    fix = _buffer_fix(ctx, channel)
    return Finding(ID, send.start_byte, send.end_byte, template.format(ctx.src.line_of(exits[0][0]) + 1),
                   related=tuple(related), fixes=(fix,) if fix is not None else (),
                   message_template=template, line_refs=(exits[0][0],))


def _has_exit(loop: Node) -> bool:
    """Whether a ``for`` statement has a condition or range clause (can end by itself)."""
    body = loop.child_by_field_name("body")
    return any(child.type != "comment" and child != body for child in loop.named_children)


def _exits_without(ctx: FileContext, flow: Flow, go_statement: Node, receives: list[Node],
                   failures: frozenset[bytes]) -> list[tuple[int, int]]:
    """Byte ranges of the returns (or the closing brace) reachable from the ``go`` statement
    without passing a node that holds one of ``receives`` (the operations that release the
    goroutine) or a failure call."""
    located = flow.locate(go_statement)
    if located is None:
        return []

    def receives_here(node: Node) -> bool:
        return any(node.start_byte <= r.start_byte < node.end_byte for r in receives) or calls_named(node, failures) \
            or _never_ready(ctx, node)

    block, index = located
    exits: list[tuple[int, int]] = []
    seen: set[int] = set()
    work = [(block, index + 1)]
    while work:
        current, start = work.pop()
        if any(receives_here(node) for node in current.nodes[start:]):
            continue
        if current.return_stmt is not None:
            exits.append((current.return_stmt.start_byte, current.return_stmt.end_byte))
            continue
        if current.implicit_return:
            brace = flow.graph.closing_brace()
            exits.append((brace, brace + 1))
            continue
        for successor in current.succs:
            if successor.index not in seen:
                seen.add(successor.index)
                work.append((successor, 0))
    return sorted(set(exits))


def _later_receives(ctx: FileContext, function: Node, channel: _Channel) -> list[Node]:
    """Receives in ``function`` from other channels the goroutine sends on, when no send on
    ``channel`` can follow a send on them in the goroutine: once the function has taken such a
    value, the goroutine is past every send on ``channel`` (``errCh <- err; return`` /
    ``resultCh <- r``, or ``if err != nil { errCh <- err }; volCh <- v``)."""
    literal = channel.go_statement.named_children[0].child_by_field_name("function")
    if literal is None:
        return []
    others: dict[int, tuple[LocalDecl, list[Node]]] = {}
    for send in ctx.nodes_of_kind(literal, "send_statement"):
        target = send.child_by_field_name("channel")
        if target is None or target.type != "identifier":
            continue
        variable = ctx.resolve(target)
        if variable is None or variable == channel.variable or variable.ident.start_byte >= literal.start_byte:
            continue
        others.setdefault(variable.ident.start_byte, (variable, []))[1].append(send)
    if not others:
        return []
    flow = Flow(ctx.cfg(literal))
    found: list[Node] = []
    for variable, sends in others.values():
        if any(flow.reaches(other, own) for other in sends for own in channel.sends):
            continue
        for reference in ctx.scopes(function).references(variable):
            if _is_receive(reference) and not any(
                    node.type in FUNCTION_KINDS for node in path_between(function, reference)[1:-1]):
                found.append(reference)
    return found


def _never_ready(ctx: FileContext, node: Node) -> bool:
    """A ``select`` case sending on a local unbuffered channel that nothing ever receives from
    (every mention of it is a send): that case can never be taken, so no path runs through it."""
    if node.type != "send_statement" or node.parent is None or node.parent.type != "communication_case":
        return False
    target = node.child_by_field_name("channel")
    if target is None or target.type != "identifier":
        return False
    variable = ctx.resolve(target)
    if variable is None:
        return False
    holder = variable.ident.parent
    statement = holder.parent if holder is not None else None
    if statement is None or statement.type != "short_var_declaration":
        return False
    made = _channel_make(ctx, statement)
    if made is None or not made[1]:
        return False
    return all(_is_send(reference) for reference in ctx.scopes(target).references(variable))


def _buffer_fix(ctx: FileContext, channel: _Channel) -> Fix | None:
    literal = channel.go_statement.named_children[0].child_by_field_name("function")
    if literal is None:
        return None
    for send in channel.sends:
        if loops_on(path_between(literal, send), 0):
            return None
    if ctx.nodes_of_kind(literal, "defer_statement") or ctx.nodes_of_kind(literal, "labeled_statement"):
        return None
    flow = Flow(ctx.cfg(literal))
    if not all(_only_returns_after(flow, send) for send in channel.sends):
        return None
    count = len(channel.sends)
    arguments = call_arguments(channel.make_call)
    if len(arguments) == 2:
        edit = TextEdit(arguments[1].start_byte, arguments[1].end_byte, str(count))
    else:
        edit = TextEdit(arguments[0].end_byte, arguments[0].end_byte, f", {count}")
    return Fix(f"Buffer {channel.name} (make(chan T, {count})) so the goroutine can always finish", (edit,),
               preferred=True)


def _only_returns_after(flow: Flow, send: Node) -> bool:
    """Whether nothing but bare ``return`` statements can run after ``send`` in the goroutine."""
    located = flow.locate(send)
    if located is None:
        return False
    block, index = located
    seen: set[int] = set()
    work = [(block, index + 1)]
    while work:
        current, start = work.pop()
        for node in current.nodes[start:]:
            if node.type != "return_statement" or node.named_child_count:
                return False
        for successor in current.succs:
            if successor.index not in seen:
                seen.add(successor.index)
                work.append((successor, 0))
    return True


RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="goroutine left blocked on a send nobody will receive",
    doc=DOC.replace("PRECISION_REVIEW", PRECISION_REVIEW),
    url="https://go.dev/ref/spec#Channel_types",
    check=check,
    decl_needles=(b"make(chan",),  # check's first test
    needles=frozenset({b"make(chan"}),
)
