"""afterfunc-not-stopped: ``context.AfterFunc`` registrations that pile up in a loop.

``context.AfterFunc(ctx, f)`` registers ``f`` with ``ctx`` until ``ctx`` is done or the
returned ``stop`` is called (docs/runtime-facts.md §1.7). Discarding ``stop`` inside a loop,
on a context declared outside the loop, adds one registration per iteration that stays, with
``f`` and everything ``f`` captures, until that longer-lived context ends.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.rule import Rule
from ctx_lsp.knowledge.contexts import never_done
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.engine.syntax import call_arguments, is_blank, path_between, unparen
from ctx_lsp.rules._loops import Flow, function_index, loops_on
from ctx_lsp.rules._corpora import LEAK_REVIEW_CORPUS

Node = tree_sitter.Node

ID = "afterfunc-not-stopped"
AFTER_FUNC = ("context", "AfterFunc")

SITE = ("context.AfterFunc(ctx, f) registers f with ctx: the context keeps f, and everything f captures, "
        "until ctx is done (then f runs in its own goroutine) or the returned stop function is called. "
        "stop does not wait for f to finish.")

DOC = """\
# afterfunc-not-stopped: context.AfterFunc registrations that pile up

Reported (hint: the precision review below found nothing to measure) on a `context.AfterFunc(ctx, f)`
call whose `stop` function is discarded (the call is a statement of its own, or `stop` is
assigned to `_`) when

- the call runs again and again: it is inside a `for`/`range` loop (or a `goto` loop) of the
  function that holds it, and control can come back to it; and
- the context outlives the iteration: `ctx` is a parameter or a variable declared before the
  loop, not reassigned inside it.

Range: the call. Renamed and dot imports of `context` are recognised. `AfterFunc` is Go 1.21+.

## What happens at run time

`AfterFunc` registers `f` with the context; the registration holds `f` and everything `f`
captures until the context is done (then `f` runs in its own goroutine) or the returned
`stop` is called. Discarding `stop` in a loop over a long-lived context (a server's base
context, a connection's context) adds one registration per iteration: memory grows with the
number of iterations, and when the context is finally cancelled every accumulated `f` runs
at once, each in its own goroutine, long after the iteration it belonged to. Under a custom
context type the context package does not recognise, each registration also starts a
goroutine that waits for the context (or for `stop`).

A context that can never be done (`context.Background()`, `TODO()`, `WithoutCancel(...)`)
registers nothing: `f` never runs and nothing is kept. The rule says nothing when the
argument visibly holds such a context (the call itself, or a local variable that holds only
its result, through `WithValue` layers). Without type information it cannot tell a
parameter holding one from others; a finding there is harmless but wrong (and `f` never
running is probably a bug of its own).

## What to do instead

Keep `stop` and call it when the iteration's work is done:

```go
for _, job := range jobs {
    stop := context.AfterFunc(ctx, job.abort)
    err := job.run()
    stop() // unregister: job.abort is no longer needed
    ...
}
```

Or derive a per-iteration context (`ctx, cancel := context.WithCancel(parent)`, with
`cancel()` at the end of the iteration) and register on that. `stop` does not wait for a
running `f`; if `f` may already be running, synchronise with it separately.

No automatic fix: where the iteration's work ends is for a person to decide (a `defer` inside
the loop would run only when the function returns).

## Not reported

- A kept `stop` (assigned to a variable), whether or not it is called: lostcancel-style path
  tracking for `stop` is not done.
- Calls outside loops: one registration per call of the function, ended by the context.
- A context declared inside the loop (a per-iteration context ends with the iteration when
  it is cancelled) or reassigned in it, and contexts that are not plain identifiers
  (`r.Context()`, `s.ctx`): their lifetime is not visible.

## Precision review

PRECISION_REVIEW
"""

PRECISION_REVIEW = LEAK_REVIEW_CORPUS + """

**No finding, so the precision is unmeasured.** `context.AfterFunc` (Go 1.21) is still rare:
the corpus calls it twice (grpc-go's callback serializers, once per serializer, not in a
loop), the held-out go-libp2p four times (per connection, per ping, per listener; none in a
loop with a discarded `stop`), and the Go 1.19 standard library predates it. A search of other public code found the
loop shape only with a per-item context (`context.AfterFunc(prompt.Ctx, ...)` in a loop over
prompts), which the rule leaves alone because the context is not a plain identifier. The rule
therefore ships as a **hint** (hidden at the default minimum severity), to be raised when a
review on code that uses `AfterFunc` more widely supports it."""


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    if ctx.src.data.find(b"AfterFunc", decl.start_byte, decl.end_byte) < 0:
        return
    for call in ctx.calls_named(decl, frozenset({"AfterFunc"})):
        if ctx.call_ref(call) != AFTER_FUNC or not _stop_discarded(call):
            continue
        path = path_between(decl, call)
        index = function_index(path)
        if index is None:
            continue
        function = path[index]
        region = _repeating_region(ctx, function, call, loops_on(path, index))
        if region is None:
            continue
        statement = _statement_of(call)
        if statement is None or not Flow(ctx.cfg(function)).reaches(statement, statement):
            continue
        context_name = _long_lived_context(ctx, call, region)
        if context_name is None or never_done(ctx, call_arguments(call)[0]):
            continue  # a context that is never done registers nothing (docs/runtime-facts.md §1.7)
        yield Finding(ID, call.start_byte, call.end_byte,
                      f"the stop function of context.AfterFunc is discarded inside a loop: every iteration leaves "
                      f"one more registration on {context_name}, which keeps its function and everything that "
                      f"function captures until {context_name} is done; keep stop and call it when the "
                      f"iteration's work is finished")


def _stop_discarded(call: Node) -> bool:
    parent = call.parent
    if parent is not None and parent.type == "expression_statement":
        return True
    if parent is not None and parent.type == "expression_list":
        statement = parent.parent
        if statement is not None and statement.type in ("assignment_statement", "short_var_declaration") \
                and statement.child_by_field_name("right") == parent:
            left = statement.child_by_field_name("left")
            items = [c for c in left.named_children if c.type != "comment"] if left is not None else []
            return len(items) == 1 and is_blank(items[0])
    return False


def _repeating_region(ctx: FileContext, function: Node, call: Node, loops: list[Node]) -> tuple[int, int] | None:
    """Byte range of the code that can run again around ``call``: the innermost ``for``, or for
    a ``goto`` loop everything from the last label before the call to the end of the function."""
    if loops:
        return loops[-1].start_byte, loops[-1].end_byte
    labels = [label for label in ctx.nodes_of_kind(function, "labeled_statement") if label.start_byte < call.start_byte]
    if not labels:
        return None
    return labels[-1].start_byte, function.end_byte


def _statement_of(call: Node) -> Node | None:
    parent = call.parent
    if parent is not None and parent.type == "expression_statement":
        return parent
    if parent is not None and parent.type == "expression_list":
        return parent.parent
    return None


def _long_lived_context(ctx: FileContext, call: Node, region: tuple[int, int]) -> str | None:
    """The name of the context argument when it is declared before the repeating ``region``
    and not assigned inside it (a per-iteration context would end with the iteration)."""
    start, end = region
    arguments = call_arguments(call)
    if len(arguments) != 2:
        return None
    argument = unparen(arguments[0])
    if argument.type != "identifier":
        return None
    variable = ctx.resolve(argument)
    if variable is None or variable.ident.start_byte >= start:
        return None  # package-level contexts are rare and their lifetime unknown; per-iteration ones end
    for reference in ctx.scopes(argument).references(variable):
        if not (start <= reference.start_byte < end):
            continue
        holder = reference.parent
        if holder is not None and holder.type == "expression_list" and holder.parent is not None \
                and holder.parent.type in ("assignment_statement", "short_var_declaration", "receive_statement") \
                and holder.parent.child_by_field_name("left") == holder:
            return None
    return ctx.src.text(argument)


RULE = Rule(
    id=ID,
    severity=Severity.HINT,  # no finding in the precision review: unmeasured
    title="context.AfterFunc stop function discarded in a loop",
    doc=DOC.replace("PRECISION_REVIEW", PRECISION_REVIEW),
    url="https://pkg.go.dev/context#AfterFunc",
    check=check,
    decl_needles=(b"AfterFunc",),  # check's first test
    imports=frozenset({"context"}),
    exports=exports_of("context"),
)
