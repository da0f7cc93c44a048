"""goroutine-ignores-context: a goroutine that can never return, started where a context is
available, that never looks at the context.

"Can never return" comes from the function literal's control-flow graph: no path reaches a
``return`` or the end of the body, and no path ends in a call that ends the goroutine or the
program (``panic``, ``runtime.Goexit``, ``os.Exit``, ``log.Fatal``...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.cfg import CFG
from ctx_lsp.engine.context import NORETURN_FUNCTIONS, FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.scopes import LocalDecl, Scopes, _narrower
from ctx_lsp.engine.syntax import expression_list_items, innermost_function, unparen, walk
from ctx_lsp.knowledge.contexts import CONTEXT_RESULTS, context_parameters, is_context_accessor, is_context_type
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.rules._corpora import CONTEXT_REVIEW_CORPUS, fresh_review

Node = tree_sitter.Node

ID = "goroutine-ignores-context"
_GO_KEYWORD = re.compile(rb"\bgo\b")

DOC = """\
# goroutine-ignores-context: a goroutine that can never return and ignores the context

Reports a `go` statement whose function literal can never finish, started in a function
that has a `context.Context` at hand which the literal never mentions:

```go
func (w *Watcher) Start(ctx context.Context) {
    go func() {
        for {
            w.poll()
            time.Sleep(time.Second)
        }
    }()
}
```

*Can never finish* is decided on the literal's control-flow graph: no path reaches a
`return` or the end of the body — an unconditional `for { ... }` whose `break`s only leave
inner `select`/`switch` statements or inner loops, a `select {}`, a `goto` loop — and no path
ends in `panic`, `runtime.Goexit`, `os.Exit`, `log.Fatal*` or another call that ends the
goroutine or the program.

*A context at hand*: a parameter or local of the enclosing functions, visible at the `go`
statement and not shadowed, declared with type `context.Context` or initialised from
`context.Background`/`TODO`/`With*`, `signal.NotifyContext`, `errgroup.WithContext` or a
`.Context()` method call (`r.Context()`, `t.Context()`); or a `context.Context` parameter of
the literal itself (`go func(ctx context.Context) {...}(ctx)`).

## What happens at run time

A goroutine ends only by returning (or by `runtime.Goexit`, or with the program). The
garbage collector never collects a goroutine, running or blocked: at the start of every
cycle it takes each live goroutine's stack as a root (`runtime/mgcmark.go`), so everything
the goroutine references stays alive with it. Cancelling a context closes its `Done`
channel and releases the context's own resources; it stops no goroutine, and one that never
looks at the context cannot notice ("a CancelFunc does not wait for the work to stop", says
the `context` package). So each call of the enclosing function leaves one more goroutine
behind, for the rest of the program. (The goroutine leak profile — experimental in Go 1.26,
standard in Go 1.27 — can *report* some blocked goroutines; it does not free them.)

## What to do instead

Give the loop a way out that follows the context:

```go
go func() {
    ticker := time.NewTicker(time.Second)
    defer ticker.Stop()
    for {
        select {
        case <-ctx.Done():
            return
        case <-ticker.C:
            w.poll()
        }
    }
}()
```

For `select {}`, wait on `<-ctx.Done()` instead.

## Not reported

- Literals that mention the context at all (even without returning — the wiring is then
  the author's decision), that can return on some path, or that can end by `panic`,
  `runtime.Goexit`, `os.Exit` or `log.Fatal*`.
- Loops with a condition or a range clause (`for running() {}`, `for v := range ch {}`):
  they can end.
- `go f()` with a named function: only function literals are inspected.
- Goroutines started directly in `main` or `init` of package main: they live as long as the
  program anyway.
- Functions without a context in scope, and a context declared after the `go` statement.
- A call of a same-file function that never returns counts as a way out: that function may
  end the program rather than block.

## Precision review

""" + CONTEXT_REVIEW_CORPUS + """
**34,757 files**.

| | count |
|---|---|
| go statements with a function literal that can never finish | 39 |
| ... with no context at hand | 33 (not reported) |
| ... that mention a context | 2 (not reported) |
| ... started directly in `main`/`init` | 2 (not reported) |
| findings | 2 |
| reviewed | 2 |
| true positives | **2/2** |

The findings: etcd's `make-mirror` command (`etcdctl/ctlv3/command/make_mirror_command.go`)
starts a progress printer that loops forever beside a `ctx` it never looks at, and rclone's
cache backend (`backend/cache/cache.go`, `NewFs`) starts one `SIGHUP` handler goroutine per
file system that never returns. The graph's answer was checked by reading all 39 literals:
none of them can finish (the two that mention their context, in containerd and minio, keep
looping after using it). The sample is small because the shape is rare; the rule stays
narrow on purpose (a context must be at hand and ignored).
"""
DOC += fresh_review("""\
No findings on these 12,998 files.
""")


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    if _GO_KEYWORD.search(ctx.src.data, decl.start_byte, decl.end_byte) is None:
        return  # most declarations start no goroutine: skip the tree search
    literals = [(node, literal) for node in ctx.nodes_of_kind(decl, "go_statement")
                if (literal := _started_literal(node)) is not None]
    if not literals:
        return
    endless = _functions_that_may_run_forever(ctx, decl)
    contexts: list[LocalDecl] | None = None  # context variables of this declaration, computed once
    for node, literal in literals:
        if literal.start_byte not in endless or _in_main_or_init(ctx, decl, node):
            continue
        graph = ctx.cfg(literal)
        if _can_finish(ctx, graph):
            continue
        if contexts is None:
            contexts = _context_variables(ctx, decl)
        at_hand = context_parameters(ctx, literal) + _visible_at(ctx.scopes(node), contexts, node.start_byte)
        if not at_hand or _mentions_any(ctx, literal, at_hand):
            continue
        yield _finding(node, literal, graph, at_hand[0].name)


def _started_literal(go_statement: Node) -> Node | None:
    call = next((c for c in go_statement.named_children if c.type != "comment"), None)
    if call is None or call.type != "call_expression":
        return None
    function = call.child_by_field_name("function")
    if function is None:
        return None
    literal = unparen(function)
    return literal if literal.type == "func_literal" and literal.child_by_field_name("body") else None


def _in_main_or_init(ctx: FileContext, decl: Node, node: Node) -> bool:
    if ctx.package_name != "main" or decl.type != "function_declaration":
        return False
    name = decl.child_by_field_name("name")
    if name is None or name.text not in (b"main", b"init"):
        return False
    return innermost_function(node, decl) == decl  # directly in main, not in a literal of it


# -- can the literal finish? ----------------------------------------------------------------
def _functions_that_may_run_forever(ctx: FileContext, decl: Node) -> set[int]:
    """Start bytes of the functions in ``decl`` that hold a ``for`` without a condition, an
    empty ``select`` or a ``goto``: a cheap precondition for the graph question, since
    without them the end of the body (or a call that ends the goroutine) is always
    reachable. One pass over ``decl``, so nested literals cost no more than flat ones."""
    found: set[int] = set()
    for kind in ("for_statement", "select_statement", "goto_statement"):
        for node in ctx.nodes_of_kind(decl, kind):
            if kind == "for_statement" and not all(c.type in ("block", "comment") for c in node.named_children):
                continue  # has a condition or a range clause
            if kind == "select_statement" and any(
                    c.type in ("communication_case", "default_case") for c in node.named_children):
                continue
            function = innermost_function(node, decl)
            if function is not None:
                found.add(function.start_byte)
    return found


def _can_finish(ctx: FileContext, graph: CFG) -> bool:
    if graph.can_return():
        return True
    for block in graph.blocks:
        if not block.live or block.succs or not block.nodes:
            continue
        last = block.nodes[-1]
        if last.type == "expression_statement" and last.named_child_count:
            call = last.named_children[0]
            if call.type == "call_expression" and ctx.is_noreturn(call) and _ends_goroutine(ctx, call):
                return True
    return False


def _ends_goroutine(ctx: FileContext, call: Node) -> bool:
    """Whether a call that never returns ends the goroutine or the program (panic, Goexit,
    os.Exit, log.Fatal, t.FailNow), as opposed to blocking forever. A same-file function
    that never returns could do either: it counts as ending, so nothing is reported."""
    function = call.child_by_field_name("function")
    if function is None:
        return True
    ref = ctx.pkg_ref(function)
    if ref is not None:
        return ref in NORETURN_FUNCTIONS
    return True


def _empty_select_reachable(graph: CFG) -> bool:
    return any(block.live and not block.succs and block.nodes and block.nodes[-1].type == "select_statement"
               for block in graph.blocks)


# -- which contexts are at hand? ------------------------------------------------------------
def _context_variables(ctx: FileContext, decl: Node) -> list[LocalDecl]:
    scopes = ctx.scopes(decl)
    found = []
    for ident in walk(decl):
        if ident.type == "identifier" and scopes.is_declaring(ident):
            local = scopes.resolve(ident)
            if local is not None and _holds_context(ctx, local):
                found.append(local)
    return found


def _holds_context(ctx: FileContext, local: LocalDecl) -> bool:
    holder = local.ident.parent
    if holder is None:
        return False
    if holder.type in ("parameter_declaration", "var_spec"):
        declared = holder.child_by_field_name("type")
        if declared is not None:
            return is_context_type(ctx, declared)
        if holder.type == "var_spec":
            return _initialised_with_context(ctx, holder.children_by_field_name("name"),
                                             expression_list_items(holder.child_by_field_name("value")), local)
        return False
    if holder.type == "expression_list" and holder.parent is not None \
            and holder.parent.type == "short_var_declaration":
        statement = holder.parent
        return _initialised_with_context(ctx, expression_list_items(holder),
                                         expression_list_items(statement.child_by_field_name("right")), local)
    return False


def _initialised_with_context(ctx: FileContext, names: list[Node], values: list[Node], local: LocalDecl) -> bool:
    index = next((i for i, n in enumerate(names) if n.start_byte == local.ident.start_byte), None)
    if index is None or not values:
        return False
    if len(values) == len(names):
        value, result = unparen(values[index]), 0
    elif len(values) == 1:
        value, result = unparen(values[0]), index
    else:
        return False
    if value.type != "call_expression":
        return False
    ref = ctx.call_ref(value)
    if ref is not None:
        return CONTEXT_RESULTS.get(ref) == result
    return result == 0 and is_context_accessor(value)


def _visible_at(scopes: Scopes, candidates: list[LocalDecl], position: int) -> list[LocalDecl]:
    """Candidates in scope at ``position`` and not shadowed there, most recent first."""
    visible = []
    for candidate in candidates:
        if not _in_scope(candidate, position):
            continue
        shadowed = any(other.ident.start_byte != candidate.ident.start_byte and _in_scope(other, position)
                       and _narrower(other, candidate) for other in scopes.declarations(candidate.name))
        if not shadowed:
            visible.append(candidate)
    return sorted(visible, key=lambda d: d.visible_from, reverse=True)


def _in_scope(local: LocalDecl, position: int) -> bool:
    return local.scope.start_byte <= position < local.scope.end_byte and local.visible_from <= position


def _mentions_any(ctx: FileContext, literal: Node, contexts: list[LocalDecl]) -> bool:
    body = literal.child_by_field_name("body")
    if body is None:
        return False
    wanted = {(d.name, d.ident.start_byte) for d in contexts}
    names = {name for name, _start in wanted}
    for ident in walk(body):
        if ident.type != "identifier" or ctx.src.text(ident) not in names:
            continue
        local = ctx.resolve(ident)
        if local is not None and (local.name, local.ident.start_byte) in wanted:
            return True
    return False


# -- the finding --------------------------------------------------------------------------------
def _finding(go_statement: Node, literal: Node, graph: CFG, name: str) -> Finding:
    body = literal.child_by_field_name("body")
    end = body.start_byte + 1 if body is not None else go_statement.end_byte
    stays = (f"cancelling {name} cannot stop it, and a goroutine that never returns is never garbage "
             f"collected, so its stack and everything it references stay alive for the rest of the program")
    if _empty_select_reachable(graph):
        message = (f"this goroutine blocks forever in select {{}} and never uses {name}: {stays}; "
                   f"wait on <-{name}.Done() instead and return")
    else:
        message = (f"this goroutine can never return and never uses {name}: {stays}; "
                   f"select on {name}.Done() in its loop and return when it is closed")
    return Finding(ID, go_statement.start_byte, end, message)


RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="goroutine that can never return ignores the context",
    doc=DOC,
    url="https://go.dev/blog/pipelines",
    check=check,
    decl_needles=(b"go",),  # check's first test
    # A context at hand comes from one of these imports, or from a .Context() accessor.
    imports=frozenset(path for path, _name in CONTEXT_RESULTS),
    needles=frozenset({b".Context()"}),
    exports=exports_of("context", "os/signal", "runtime"),
)
