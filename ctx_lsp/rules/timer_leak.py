"""timer-leak: timers and tickers the runtime keeps, judged by the module's timer semantics.

Before Go 1.23 (or with ``asynctimerchan=1``) an unstopped Timer is kept until it fires and an
unstopped Ticker forever (docs/runtime-facts.md §4, §11): ``time.After`` in a loop's ``select``
piles up one timer per iteration, ``time.Tick`` in a function that returns leaks its ticker
(staticcheck SA1015), and a ``time.NewTicker`` that is never stopped is never freed. Under
Go 1.23 semantics unreferenced timers and tickers are collected, so only the per-iteration
allocation of ``time.After`` is left, as a hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.rule import Rule
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.knowledge.timers import OLD, timer_semantics
from ctx_lsp.engine.syntax import (
    FUNCTION_KINDS,
    call_arguments,
    calls_named,
    expression_list_items,
    path_between,
    unparen,
    walk,
)
from ctx_lsp.rules._corpora import LEAK_REVIEW_CORPUS
from ctx_lsp.rules._loops import Flow, function_index, loops_on

Node = tree_sitter.Node

ID = "timer-leak"
AFTER = ("time", "After")
TICK = ("time", "Tick")
NEW_TICKER = ("time", "NewTicker")
_CALL_NAMES = frozenset({"After", "Tick", "NewTicker"})
# Names for the timer the After fix declares, first unused one wins.
_TIMER_NAMES = ("timer", "timeout", "afterTimer", "loopTimer")


SITE = {
    "after": ("time.After(d) starts a new Timer each time it is evaluated. Before Go 1.23 semantics the runtime "
              "keeps each one, with its channel, until it fires; from Go 1.23 semantics an unreferenced one is "
              "collected at once."),
    "tick": ("time.Tick(d) starts a Ticker nobody can stop. Before Go 1.23 semantics the runtime keeps it, firing, "
             "for the life of the program; from Go 1.23 semantics it is collected once its channel is "
             "unreferenced."),
    "ticker": ("An unstopped Ticker keeps firing. Before Go 1.23 semantics it is never freed; from Go 1.23 "
               "semantics it is collected once unreferenced. time.AfterFunc timers are kept until they fire "
               "or are stopped in every version."),
}

DOC = """\
# timer-leak: timers and tickers kept alive after their last use

Reported, by the timer semantics of the module (see "Which Go version" below):

| shape | before Go 1.23 semantics | Go 1.23 semantics |
|---|---|---|
| `case <-time.After(d):` in a `select` that another case can loop back to | information (hint in `_test.go`) | hint |
| `time.Tick(d)` in a function that can return | warning | not reported |
| `t := time.NewTicker(d)` never stopped, in a function that can return | warning | not reported |
| `<-time.NewTicker(d).C` or `range time.NewTicker(d).C`, in a function that can return | warning | not reported |

Range: the `time.After`, `time.Tick` or `time.NewTicker` call. Renamed and dot imports of
`time` are recognised.

## What the runtime keeps

Before Go 1.23 semantics:

- `time.After(d)` is `time.NewTimer(d).C`. The timer stays in the runtime's timer heap, with
  its channel, **until it fires**, even when nothing can receive from it any more (the `After`
  documentation before Go 1.23: "The underlying Timer is not recovered by the garbage collector
  until the timer fires"). In a loop whose `select` usually takes another case, every
  iteration adds one more pending timer: memory grows with the iteration rate times `d` (a loop running
  10,000 times a second with a one-minute timeout holds 600,000 timers).
- `time.Tick(d)` is `time.NewTicker(d).C` without access to `Stop`. An unstopped Ticker is
  **never** freed and keeps firing for the life of the program; each call of a function that
  returns leaks one (the `Tick` documentation before Go 1.23 says the ticker "leaks").
  staticcheck reports the same as SA1015.
- `time.NewTicker(d)` that is never stopped: the same as `Tick`.

From Go 1.23 semantics, Timers and Tickers the program no longer references can be collected
even unstopped, and their channels are unbuffered. So `Tick` and an unstopped `NewTicker` are
no longer leaks, and `time.After` in a loop only allocates a timer and a channel per
iteration, which the collector reclaims (reported as a hint: a reused timer avoids the
garbage). What still holds in every version: a **pending `time.AfterFunc` timer** (and the
timer of every `context.WithTimeout`/`WithDeadline` context) is kept, with its function and
everything the function references, until it fires or is stopped; a Ticker that is still
referenced (stored in a struct, used by a running goroutine) keeps firing until stopped.

## Which Go version

Go 1.23 semantics apply only when the main module's go.mod says `go 1.23` or later and the
GODEBUG setting `asynctimerchan=1` is not in effect. ctx-lsp reads:

- the `go` line of the go.mod nearest to the file (standing in for the main module: a
  library's timers follow the go line of the program that builds it);
- `godebug asynctimerchan=1` (or `godebug default=go1.22` and older) in that go.mod, and a
  `//go:debug asynctimerchan=1` directive at the top of the file itself (a directive in
  another file of the package is not seen);
- from a `go 1.27` line on, `asynctimerchan` is ignored (Go 1.27 removed the setting).

Without a go.mod the rule assumes Go 1.23 semantics and reports at most hints.

## What to do instead

- `time.After` in a loop: create one timer before the loop, stop it when done, and reset it
  before each `select`:

  ```go
  timer := time.NewTimer(d)
  defer timer.Stop()
  for {
      if !timer.Stop() {
          select {
          case <-timer.C:
          default:
          }
      }
      timer.Reset(d)
      select {
      case v := <-work:
          handle(v)
      case <-timer.C:
          return errIdle
      }
  }
  ```

  The non-blocking drain keeps `Reset` correct under both timer semantics (before Go 1.23 a
  value sent before `Stop` could still be received after it).
- `time.Tick` in a function that returns: `t := time.NewTicker(d)` and `defer t.Stop()`.
- `time.NewTicker`: `defer t.Stop()` right after creating it, or stop it where its work ends.

## Quick fixes

- *Reuse one timer for the loop* (after): inserts the `NewTimer`/`defer Stop` lines before
  the loop and the stop-drain-reset lines before the `select`, and replaces `time.After(d)`
  with `timer.C`. Offered only when it is always safe: the `select` and the loop are
  statements of their own blocks, no other loop or label surrounds them in the function, the
  `select` has only this one `time.After`, and `d` is the same on every iteration (made of
  literals, `time` constants and conversions, package-level names, and locals declared
  before the loop and never assigned afterwards).
- *Stop the ticker when the function returns* (NewTicker): inserts `defer t.Stop()` after
  `t := time.NewTicker(d)`, when that statement is not inside a loop.

`time.Tick` gets no automatic fix: `time.NewTicker` panics for `d <= 0` where `Tick` returns
nil, so the rewrite is left to a person.

## Not reported

- Functions that never return (an endless `for` with no `break` or `return`): their ticker
  lives as long as the function anyway. A goroutine's function literal counts as its own
  function, as in SA1015.
- A `time.Tick` channel that is returned, put in a composite literal, or assigned to a field
  or a package-level variable (`s.tick = time.Tick(d)` in a constructor or `init`): its holder
  uses the ticker after the function returns (SA1015 reports these).
- `package main` and `_test.go` files for `Tick` and `NewTicker` (SA1015's "main-like"
  exemption: commands and tests usually run briefly or forever).
- A ticker variable that is stopped anywhere in the function (`defer t.Stop()`, `t.Stop()`),
  or that is used for anything but `t.C` and `t.Reset` (returned, stored, passed on, or used
  inside a function literal): it may be stopped elsewhere.
- `time.After` in a `select` whose other cases all leave the loop (only one pending timer per
  call), and outside loops.
- `time.NewTimer` and `time.AfterFunc`: a timer fires once and is then released; a pending
  `AfterFunc` is usually meant to run.

## staticcheck SA1015

SA1015's test cases are in `testdata/timer-leak/sa1015.go` (go 1.22) and
`testdata/timer-leak/sa1015_go123.go` (go 1.23), in ctx-lsp's own words: an endless
`for range time.Tick` is not reported, one that can `break` or `return` is, an endless
goroutine literal and endless methods are not, `package main` is not
(`sa1015_main.go`), and nothing is reported from Go 1.23 semantics. Deliberate differences:
ctx-lsp also honours `asynctimerchan=1` (SA1015 goes by the language version only), reports
`NewTicker` and `time.After` shapes, skips `_test.go` files by name (SA1015 skips
functions in tests), treats `for range` over a ticker channel as endless, and leaves alone a
`Tick` channel stored beyond the call (see "Not reported").

## Precision review

PRECISION_REVIEW
"""

PRECISION_REVIEW = LEAK_REVIEW_CORPUS + """

With each module's own go line, only two modules are before Go 1.23 (kit and nsq, go 1.17:
no finding) plus the standard library (go 1.19: 12 `time.After` findings, all in `_test.go`
files, so hints). The other modules are at go 1.24 or later: 107 `time.After` hints (9
outside tests), no `Tick` or `NewTicker` finding (Go 1.23 semantics). To judge the pre-1.23
shapes on more code, the rule was also run on the 13 repositories as if their go.mod said
`go 1.22`:

| shape (forced go 1.22) | findings | reviewed | agreed |
|---|---|---|---|
| `time.Tick` in a function that returns | 1 | 1 | 1 (caddy `cmd/main.go`, a config poller that returns on error; the authors silenced staticcheck's SA1015 there) |
| `NewTicker` never stopped | 2 | 2 | 2 (nomad `drivers/docker/progress.go`, a goroutine that returns without stopping its ticker; raft `raft-compat/utils/test_utils.go`) |
| `time.After` in a loop's `select` | 107 (9 outside tests) | seeded sample of 30 + the 9 | see below |

`time.After`: in every reviewed case the mechanism holds (another case wins and the loop
comes back while the timer is pending); the one sampled exception (prometheus
`discovery/file/file_test.go`, whose other case calls `t.Fatalf` on a wrapper type) led to
the failure-call exclusion below.
Whether the pile-up matters is another question: in about 8 of the 30 sampled (long or
fast loops: nats-server's long-running JetStream tests, a 150 ms busy loop with 500 ms timers
in grpc-go, raft's RPC-serving goroutine, sarama's message loops) it can hold many timers; in
the rest the loop runs a handful of times in a test. Outside tests, 3 of 9 can pile up
(go-redis' fault injector polls with `time.After(time.Until(deadline))`, nomad's eventer sends
every event with its own timeout, prometheus' block-reload loop starts a new timer on every
compaction signal); the other 6 are bounded retry, setup or confirmation waits (nomad's
client registration retries, nats-server's stream setup and route confirmations). Hence **information**
outside tests and **hint** in `_test.go` files for this shape, below the 9/10 warning
target; `Tick` and `NewTicker` (3/3) keep the rule's default **warning**.

Exclusions designed on this corpus: a case receiving from a cancellation channel
(`ctx.Done()`, `stopc`, `shutdownCh`: 10 findings whose loop ends once it wins) and a case
that calls `Fatal`/`Fail`-style functions (1 finding) do not count as coming back; 118
findings before them, 107 after. The counts above include grpc-go and caddy, added after
these exclusions were designed.

Held out (kafka-go, go-libp2p, syncthing; forced go 1.22): `time.After` 22 findings, 2 outside
tests (syncthing's relay server and relay listener start a 1 s and a 10 s timer per
invitation in their accept loops: agreed, they pile up under load); `NewTicker` 2 findings:
go-libp2p `p2p/protocol/autonatv2/autonat.go` (a background loop that returns on
`ctx.Done()` without stopping its ticker: agreed) and syncthing `lib/discover/local.go`
(`time.NewTicker(d).C` stored in a struct field: disagreed, the ticker is in use for the
struct's lifetime), which led to reporting `.C` only where it is received from at once.
Under their own go lines (1.23+) these modules get only the 22 hints.
`Tick`/`NewTicker` overall: 4 of 5 agreed before that change, 4 of 4 after."""


# -- which timer semantics apply ----------------------------------------------------------------
# -- the check ------------------------------------------------------------------------------------
def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    data, start, end = ctx.src.data, decl.start_byte, decl.end_byte
    if data.find(b"After(", start, end) < 0 and data.find(b"Tick", start, end) < 0:
        return  # byte searches first: no copy of the declaration's text
    calls = ctx.calls_named(decl, _CALL_NAMES)
    if not calls:
        return
    semantics, reason = timer_semantics(ctx)
    for call in calls:
        ref = ctx.call_ref(call)
        if ref not in (AFTER, TICK, NEW_TICKER):
            continue
        path = path_between(decl, call)
        index = function_index(path)
        if index is None:
            continue  # package level: one per program
        function = path[index]
        if ref == AFTER:
            finding = _after_in_loop(ctx, call, path, index, semantics, reason)
        elif semantics != OLD or ctx.is_test_file or ctx.package_name == "main":
            finding = None
        elif ref == TICK:
            finding = _tick(ctx, call, function, reason)
        else:
            finding = _new_ticker(ctx, call, path, index, reason)
        if finding is not None:
            yield finding


def _version_words(semantics: str, reason: str) -> str:
    return f"this module: {reason}"


# -- time.After in a loop's select -------------------------------------------------------------
def _after_in_loop(ctx: FileContext, call: Node, path: list[Node], index: int, semantics: str,
                   reason: str) -> Finding | None:
    receive = call.parent
    if receive is None or receive.type != "unary_expression" or receive.child(0) is None \
            or receive.child(0).type != "<-":
        return None
    communication = receive.parent
    if communication is not None and communication.type == "receive_statement":
        case = communication.parent
    else:
        case, communication = communication, receive
    if case is None or case.type != "communication_case" or case.child_by_field_name("communication") != communication:
        return None
    select = case.parent
    if select is None or select.type != "select_statement":
        return None
    function = path[index]
    loops = loops_on(path, index)
    if not loops and not ctx.nodes_of_kind(function, "labeled_statement"):
        return None
    flow = Flow(ctx.cfg(function))
    others = [c for c in select.named_children if c.type in ("communication_case", "default_case") and c != case]
    if not any(_case_loops_back(flow, other, communication) for other in others):
        return None  # every other case leaves the loop: one pending timer per call at most
    fix = _reuse_timer_fix(ctx, call, select, function, loops)
    if semantics == OLD:
        message = (f"time.After in a loop's select starts a new timer on every iteration, and before Go 1.23 "
                   f"({_version_words(semantics, reason)}) each one stays in memory until it fires, even when "
                   f"another case wins: memory grows with the iteration rate times the duration; create one "
                   f"time.NewTimer before the loop and Reset it each iteration")
        # information, hint in tests: the review found the pile-up real in every sampled case
        # but large enough to matter in only about a third (see the doc)
        severity = Severity.HINT if ctx.is_test_file else Severity.INFORMATION
    else:
        message = (f"time.After in a loop's select allocates a new timer and channel on every iteration; under "
                   f"Go 1.23 timer semantics ({_version_words(semantics, reason)}) they are collected once "
                   f"unreferenced, so this is garbage, not a leak; one time.NewTimer reset each iteration avoids it")
        severity = Severity.HINT
    return Finding(ID, call.start_byte, call.end_byte, message, severity=severity,
                   fixes=(fix,) if fix is not None else ())


_CANCELLATION_WORDS = re.compile(r"(?i)(done|stop|quit|shutdown|exit|clos|cancel|die|dying|kill|term|abort)")


def _case_loops_back(flow: Flow, case: Node, target: Node) -> bool:
    """Whether control can get from the start of ``case`` back to ``target`` (the After's
    communication, i.e. the select again). A cancellation case (``<-ctx.Done()``,
    ``<-s.shutdownCh``, ``<-stop``) does not count: it wins once the work is over, and the
    loop then ends (possibly a check later), so it cannot pile up timers."""
    start = case.child_by_field_name("communication") if case.type == "communication_case" else None
    if start is not None:
        if _is_cancellation(start):
            return False
        return flow.reaches(start, target, _fails)
    # default case: its first statement, or (empty) the select's done block: approximate by
    # asking whether the After communication lies on a loop at all
    statements = [c for c in case.named_children if c.type == "statement_list"]
    first = statements[0].named_children[0] if statements and statements[0].named_child_count else None
    if first is not None and flow.locate(first) is not None:
        return flow.reaches(first, target) or _is_target(first, target)
    return flow.reaches(target, target)


# Calls that end a test (or the program) without ctx-lsp being able to prove it: a case that
# makes one (``t.Fatalf`` on a wrapper, Ginkgo's ``Fail``) does not come back to the select.
_FAILURE_CALLS = frozenset({b"Fail", b"Failf", b"FailNow", b"Fatal", b"Fatalf", b"Skip", b"Skipf", b"SkipNow"})


def _fails(node: Node) -> bool:
    return calls_named(node, _FAILURE_CALLS)


def _is_cancellation(communication: Node) -> bool:
    """A receive from a channel named like a cancellation signal."""
    receive = communication
    if receive.type == "receive_statement":
        receive = receive.child_by_field_name("right") or receive
    if receive.type != "unary_expression":
        return False  # a send case
    operand = receive.child_by_field_name("operand")
    if operand is None:
        return False
    if operand.type == "call_expression":
        operand = operand.child_by_field_name("function") or operand
    name = operand.text or b""
    if operand.type == "selector_expression":
        field = operand.child_by_field_name("field")
        name = field.text if field is not None and field.text else name
    return _CANCELLATION_WORDS.search(name.decode("utf-8", "replace")) is not None


def _is_target(node: Node, target: Node) -> bool:
    return node.start_byte == target.start_byte and node.end_byte == target.end_byte


# -- time.Tick ------------------------------------------------------------------------------------
def can_return(ctx: FileContext, function: Node) -> bool:
    """Whether ``function`` can return, where a ``for range`` over ``time.Tick(...)`` or over a
    ``X.C`` timer channel never ends by itself (nothing closes those channels)."""
    graph = ctx.cfg(function)
    seen: set[int] = set()
    work = [graph.entry]
    while work:
        block = work.pop()
        if block.index in seen:
            continue
        seen.add(block.index)
        if block.returns:
            return True
        successors = block.succs
        if block.kind == "for.head" and block.nodes and _endless_range(ctx, block.nodes[0]):
            successors = [s for s in successors if s.kind != "for.done"]
        work.extend(successors)
    return False


def _endless_range(ctx: FileContext, clause: Node) -> bool:
    if clause.type != "range_clause":
        return False
    right = clause.child_by_field_name("right")
    if right is None:
        return False
    right = unparen(right)
    if right.type == "call_expression":
        return ctx.call_ref(right) == TICK
    if right.type == "selector_expression":
        field = right.child_by_field_name("field")
        return field is not None and field.text == b"C"
    return False


def _tick(ctx: FileContext, call: Node, function: Node, reason: str) -> Finding | None:
    if _kept_beyond_the_call(ctx, call):
        return None  # stored in a field, a package variable or returned: in use after return
    if not can_return(ctx, function):
        return None  # an endless function keeps its ticker in use anyway
    message = (f"time.Tick's ticker can never be stopped, and before Go 1.23 ({reason}) an unstopped ticker is "
               f"never freed: every call of this function, which returns, leaks one that keeps firing; use "
               f"time.NewTicker and defer its Stop (keep time.Tick for functions that run forever)")
    return Finding(ID, call.start_byte, call.end_byte, message)


# -- time.NewTicker -------------------------------------------------------------------------------
def _new_ticker(ctx: FileContext, call: Node, path: list[Node], index: int, reason: str) -> Finding | None:
    function = path[index]
    parent = call.parent
    if parent is not None and parent.type == "selector_expression" and parent.child_by_field_name("operand") == call:
        field = parent.child_by_field_name("field")
        if field is None or field.text != b"C" or not _used_at_once(parent) or not can_return(ctx, function):
            return None  # a stored channel keeps the ticker in use for as long as its holder
        message = (f"the ticker of time.NewTicker(...).C can never be stopped, and before Go 1.23 ({reason}) an "
                   f"unstopped ticker is never freed: every call of this function, which returns, leaks one; keep "
                   f"the ticker in a variable and defer its Stop")
        return Finding(ID, call.start_byte, call.end_byte, message)
    statement = parent.parent if parent is not None and parent.type == "expression_list" else None
    if statement is None or statement.type != "short_var_declaration":
        return None
    left = [c for c in (statement.child_by_field_name("left") or statement).named_children if c.type != "comment"]
    right = statement.child_by_field_name("right")
    if len(left) != 1 or right is None or right.named_child_count != 1 or left[0].type != "identifier" \
            or left[0].text == b"_":
        return None
    name = ctx.src.text(left[0])
    if ctx.src.data.find(f"{name}.Stop()".encode(), statement.end_byte, function.end_byte) >= 0:
        return None  # stopped (the usual case): no need to resolve names
    variable = ctx.resolve(left[0])
    if variable is None:
        return None
    for reference in ctx.scopes(statement).references(variable):
        use = _ticker_use(reference, function)
        if use != "keeps":
            return None  # stopped, or escapes where it may be stopped
    if not can_return(ctx, function):
        return None
    loops = loops_on(path_between(function, statement), 0)
    fix = None
    if not loops and statement.parent is not None and statement.parent.type == "statement_list" \
            and not ctx.nodes_of_kind(function, "labeled_statement"):
        fix = Fix(f"Stop the ticker when the function returns (defer {name}.Stop())",
                  (_line_after(ctx, statement, f"defer {name}.Stop()"),), preferred=True)
    message = (f"{name} (a time.NewTicker) is never stopped, and before Go 1.23 ({reason}) an unstopped ticker is never freed: "
               f"every call of this function, which returns, leaks one that keeps firing; defer {name}.Stop()")
    return Finding(ID, call.start_byte, call.end_byte, message, fixes=(fix,) if fix else ())


def _kept_beyond_the_call(ctx: FileContext, value: Node) -> bool:
    """Whether ``value`` is returned, put in a composite literal, or assigned to something
    other than a local variable (a field, a package-level variable): its holder keeps using
    the ticker after the function returns."""
    parent = value.parent
    if parent is None:
        return False
    if parent.type in ("literal_element", "keyed_element"):
        return True
    if parent.type == "expression_list":
        holder = parent.parent
        if holder is None:
            return False
        if holder.type == "return_statement":
            return True
        if holder.type == "assignment_statement" and holder.child_by_field_name("right") == parent:
            index = [c for c in parent.named_children if c.type != "comment"].index(value)
            targets = expression_list_items(holder.child_by_field_name("left"))
            if index < len(targets):
                target = targets[index]
                return target.type != "identifier" or ctx.resolve(target) is None
    return False


def _used_at_once(channel: Node) -> bool:
    """``<-time.NewTicker(d).C`` or ``for range time.NewTicker(d).C``: used where it is made,
    not stored in a variable or a struct for later."""
    parent = channel.parent
    if parent is None:
        return False
    if parent.type == "unary_expression":
        return True
    return parent.type == "range_clause" and parent.child_by_field_name("right") == channel


def _ticker_use(reference: Node, function: Node) -> str:
    """"keeps" for ``t.C`` and ``t.Reset(...)`` in ``function`` itself; "other" for anything
    else (a Stop, or an escape: returned, stored, passed, used in a function literal)."""
    parent = reference.parent
    if parent is None or parent.type != "selector_expression" or parent.child_by_field_name("operand") != reference:
        return "other"
    field = parent.child_by_field_name("field")
    if field is None or field.text not in (b"C", b"Reset"):
        return "other"
    if any(node.type in FUNCTION_KINDS for node in path_between(function, reference)[1:-1]):
        return "other"
    return "keeps"


# -- the After fix ----------------------------------------------------------------------------------
def _reuse_timer_fix(ctx: FileContext, call: Node, select: Node, function: Node, loops: list[Node]) -> Fix | None:
    if len(loops) != 1 or ctx.nodes_of_kind(function, "labeled_statement"):
        return None
    loop = loops[0]
    if not _statement_of_block(loop) or not _statement_of_block(select):
        return None
    if len(ctx.calls_named(select, frozenset({"After"}))) != 1:
        return None
    arguments = call_arguments(call)
    if len(arguments) != 1 or not _stable_duration(ctx, arguments[0], loop, function):
        return None
    name = _fresh_name(ctx, function)
    if name is None:
        return None
    callee = call.child_by_field_name("function")
    if callee is None:
        return None
    prefix = ctx.src.text(callee)[: -len("After")]  # "time." or "" (dot import) or "t."
    duration = ctx.src.text(arguments[0])
    if "\n" in duration:
        return None
    loop_indent = _indent_of(ctx, loop)
    select_indent = _indent_of(ctx, select)
    before_loop = f"{loop_indent}{name} := {prefix}NewTimer({duration})\n{loop_indent}defer {name}.Stop()\n"
    inner = select_indent + "\t"
    before_select = (f"{select_indent}if !{name}.Stop() {{\n{inner}select {{\n{inner}case <-{name}.C:\n"
                     f"{inner}default:\n{inner}}}\n{select_indent}}}\n{select_indent}{name}.Reset({duration})\n")
    edits = (
        TextEdit(_line_start(ctx, loop), _line_start(ctx, loop), before_loop),
        TextEdit(_line_start(ctx, select), _line_start(ctx, select), before_select),
        TextEdit(call.start_byte, call.end_byte, f"{name}.C"),
    )
    return Fix(f"Reuse one timer for the loop ({name} := {prefix}NewTimer(...) with Reset)", edits, preferred=True)


def _statement_of_block(node: Node) -> bool:
    parent = node.parent
    return parent is not None and parent.type == "statement_list"


def _stable_duration(ctx: FileContext, expression: Node, loop: Node, function: Node) -> bool:
    """Whether ``expression`` has the same value on every iteration of ``loop``: literals,
    ``time`` constants and conversions, package-level names, and locals declared before the
    loop that nothing assigns after their declaration."""
    for node in walk(expression):
        kind = node.type
        if kind in ("int_literal", "float_literal", "binary_expression", "parenthesized_expression",
                    "field_identifier", "argument_list", "unary_expression"):
            continue
        if kind == "selector_expression":
            ref = ctx.pkg_ref(node)
            if ref is None or ref[0] != "time":
                return False
            continue
        if kind == "call_expression":
            if ctx.call_ref(node) != ("time", "Duration"):
                return False
            continue
        if kind == "identifier":
            parent = node.parent
            if parent is not None and parent.type == "selector_expression":
                continue  # the package name of a time.X selector, checked above
            if not _stable_identifier(ctx, node, loop):
                return False
            continue
        return False
    return True


def _stable_identifier(ctx: FileContext, ident: Node, loop: Node) -> bool:
    variable = ctx.resolve(ident)
    if variable is None:
        return ident.text not in (b"iota", b"nil")  # package-level name
    if variable.ident.start_byte >= loop.start_byte:
        return False
    for reference in ctx.scopes(ident).references(variable):
        parent = reference.parent
        if parent is None:
            continue
        if parent.type in ("inc_statement", "dec_statement"):
            return False
        if parent.type == "unary_expression" and parent.child(0) is not None and parent.child(0).type == "&":
            return False
        if parent.type == "expression_list" and parent.parent is not None \
                and parent.parent.type in ("assignment_statement", "short_var_declaration", "receive_statement") \
                and parent.parent.child_by_field_name("left") == parent:
            return False
        if parent.type == "assignment_statement" and parent.child_by_field_name("left") == reference:
            return False
    return True


def _fresh_name(ctx: FileContext, function: Node) -> str | None:
    """A name no identifier of the function uses (a package-level one of that name that the
    function does not mention may be shadowed harmlessly)."""
    used = {node.text for node in walk(function) if node.type == "identifier"}
    for name in _TIMER_NAMES:
        if name.encode() not in used:
            return name
    return None


def _line_start(ctx: FileContext, node: Node) -> int:
    return ctx.src.data.rfind(b"\n", 0, node.start_byte) + 1


def _indent_of(ctx: FileContext, node: Node) -> str:
    start = _line_start(ctx, node)
    line = ctx.src.data[start : node.start_byte]
    return line[: len(line) - len(line.lstrip(b" \t"))].decode()


def _line_after(ctx: FileContext, statement: Node, text: str) -> TextEdit:
    end = ctx.src.data.find(b"\n", statement.end_byte)
    end = len(ctx.src.data) if end < 0 else end
    return TextEdit(end, end, f"\n{_indent_of(ctx, statement)}{text}")


RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="timer or ticker kept alive after its last use",
    doc=DOC.replace("PRECISION_REVIEW", PRECISION_REVIEW),
    url="https://pkg.go.dev/time#NewTicker",
    check=check,
    decl_needles=(b"After(", b"Tick"),  # check's first test
    exports=exports_of("time"),
    # needles, not imports={"time"}: most Go files import time, few call these
    needles=frozenset({b"After(", b"Tick(", b"Ticker("}),
)
