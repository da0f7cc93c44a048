"""errgroup-context-after-wait: the context of errgroup.WithContext used after g.Wait()
returned, when Wait has already canceled it."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import (ASSIGNMENTS_ONLY, FUNCTION_KINDS, expression_list_items, is_left_hand, path_between,
                                   unparen)
from ctx_lsp.knowledge.context_at_hand import visible_at
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES, ERRGROUP_WITH_CONTEXT, ROOTS
from ctx_lsp.knowledge.text import compact
from ctx_lsp.knowledge.exports import exports_of

Node = tree_sitter.Node

ID = "errgroup-context-after-wait"
ERRGROUP = ERRGROUP_WITH_CONTEXT[0]
CAUSE = frozenset((path, "Cause") for path in CONTEXT_PACKAGES)
# Statements whose Wait call does not run (or not now) where it is written.
_NOT_NOW = frozenset({"defer_statement", "go_statement"})

DOC = """\
# errgroup-context-after-wait: the group's context used after Wait

Reported (warning): `g, gctx := errgroup.WithContext(ctx)` (or `=`), then, in the same
function, a use of `gctx` that runs after `g.Wait()` has returned: after a statement that
calls `g.Wait()` in the same block or an enclosing one (`g.Wait()`, `err := g.Wait()`,
`if err := g.Wait(); err != nil {...}`), or inside that `if`'s branches. A use is any mention
of `gctx`: passing it to a call, `gctx.Err()`, `<-gctx.Done()`, starting a goroutine that
captures it.

Range: the use of `gctx` (each one). With `eg, ctx := errgroup.WithContext(ctx)` the parent
variable itself now holds the group's context: the message says so, and there is no fix.

## Why it matters

`Wait` cancels the group's context when it returns: the derived context is canceled the
first time a function passed to `Go` returns an error **or the first time `Wait` returns**,
whichever comes first (golang.org/x/sync/errgroup, `Wait` calls the group's cancel function
after all goroutines have returned). So after `Wait`, `gctx.Err()` is always non-nil,
`gctx.Done()` is closed, and any request, query or goroutine that checks `gctx` fails or
stops at once, typically with "context canceled" on a path that is hard to see in tests
(the first phase succeeded, the second fails). The shape to look for: a function that runs
two phases with one `gctx` variable, or `eg, ctx := errgroup.WithContext(ctx)` that replaces
the parent and keeps using `ctx` after `Wait`.

## What to do instead

After `Wait`, use the parent context (`ctx` in `errgroup.WithContext(ctx)`): the quick fix
replaces the use with the parent expression when that is a variable still visible at the
use, or `context.Background()`/`context.TODO()`. For a second concurrent phase, make a new
group: `g2, gctx2 := errgroup.WithContext(ctx)`.

## Not reported

- `context.Cause(gctx)` after `Wait`: reading why the group stopped is what the cause is
  for.
- `gctx` given to a call that only reads its values: `log.G(gctx)`, `log.L`,
  `zerolog.Ctx(gctx)`, any `...FromContext(gctx)`, log/slog's `InfoContext`-style methods
  and `LogAttrs`. Values survive cancellation, so these work.
- A `Wait` of an earlier group held by the same variable (`eg, ctx2 := errgroup.WithContext
  (ctx)` ... `eg.Wait()` ... `eg, egCtx := errgroup.WithContext(ctx)`): only the Waits between
  the `WithContext` call and the next assignment to the group variable count.
- A `g.Wait()` in a `defer` or `go` statement, in a function literal, or in a branch that
  the use does not follow (`if x { g.Wait() }; use(gctx)`): the use may run before Wait.
- Uses in a loop before the `Wait` of the same iteration (the next iteration would see a
  canceled context only if the group is not made anew; not followed).
- A `gctx` assigned again anywhere in the function (`gctx = ctx`).
- A group or context variable named `_`, and groups not made by `errgroup.WithContext` (a
  zero `errgroup.Group` has no context).

## Precision review

Corpora (stored snapshots, vendor directories left out): moby/moby (2,203 files),
goharbor/harbor (1,578), helm/helm (539), dgraph-io/dgraph (582), seaweedfs/seaweedfs
(2,878), juicedata/juicefs (315), hashicorp/packer (504), aquasecurity/trivy (1,624),
moby/buildkit (1,009), cortexproject/cortex (967), grafana/tempo (978), anchore/syft
(1,190): 14,367 files, 97 of which call `errgroup.WithContext`.

- 10 findings, all in buildkit, all read: **10 agreed (10/10)**.
  - 7 are `eg, ctx := errgroup.WithContext(ctx)` followed, after `eg.Wait()`, by a call
    given `ctx`, which now is the group's canceled context: `computeChainMetadata(ctx, ...)`
    (cache/blobs.go), `solver.NewCacheManager(ctx, ...)` in three cache importers (it walks
    the cache store with that context), `resetCacheStore(ctx, ...)` (client/solve.go),
    `container.NewContainer(ctx, ...)` (gateway forwarder), `inBuilderContext(ctx, ...)`
    (llbsolver/export.go). They work today only where the callee never checks the
    context; any callee that does fails with "context canceled".
  - 3 are in cache/manager_test.go: a second phase reuses the group and its `egctx` after
    the first `Wait`, so every `GetRemotes(egctx, ...)` of the second phase gets a canceled
    context.
- Two exclusions come from this review: calls that only read values (buildkit's
  `bklog.G(ctx)` after `Wait`, 3 findings, harmless: cancellation keeps values), and the
  `Wait` of an earlier group held by the same variable (llbsolver/solver.go reuses `eg`
  for a second group; 2 findings pointed at the first group's Wait: false positives).
- Default severity: warning (10/10 agreed).
"""


# Calls that only read a context's values (loggers, trace spans): a canceled context serves
# them as well as a live one. By callee name: log.G/L (containerd, buildkit), zerolog.Ctx,
# anything ending in FromContext, and log/slog's *Context methods.
_VALUE_READERS = frozenset({"G", "L", "Ctx", "DebugContext", "InfoContext", "WarnContext", "ErrorContext",
                            "LogAttrs"})


@attrs.frozen
class _Group:
    group: LocalDecl
    context: LocalDecl
    parent: Node = attrs.field(eq=False)
    function: Node = attrs.field(eq=False)
    call: Node = attrs.field(eq=False)  # the errgroup.WithContext call


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    text = ctx.decl_text(decl)
    if b"WithContext" not in text or b"Wait" not in text:
        return
    for call in ctx.calls_named(decl, frozenset({"WithContext"})):
        if ctx.call_ref(call) != ERRGROUP_WITH_CONTEXT:
            continue
        group = _declared_group(ctx, call, decl)
        if group is not None:
            yield from _uses_after_wait(ctx, group)


def _declared_group(ctx: FileContext, call: Node, decl: Node) -> _Group | None:
    holder = call.parent
    if holder is not None and holder.type == "expression_list":
        holder = holder.parent
    if holder is None or holder.type not in ("short_var_declaration", "assignment_statement"):
        return None
    targets = expression_list_items(holder.child_by_field_name("left"))
    values = expression_list_items(holder.child_by_field_name("right"))
    arguments = call.child_by_field_name("arguments")
    if len(targets) != 2 or len(values) != 1 or arguments is None or arguments.named_child_count != 1:
        return None
    if any(target.type != "identifier" or target.text == b"_" for target in targets):
        return None
    scopes = ctx.scopes(call)
    group, context = scopes.resolve(targets[0]), scopes.resolve(targets[1])
    functions = [step for step in path_between(decl, call) if step.type in FUNCTION_KINDS]
    if group is None or context is None or not functions:
        return None
    return _Group(group, context, arguments.named_children[0], functions[-1], call)


def _uses_after_wait(ctx: FileContext, group: _Group) -> Iterator[Finding]:
    scopes = ctx.scopes(group.function)
    context_references = scopes.references(group.context)
    statement = group.call.parent
    if statement is not None and statement.type == "expression_list":
        statement = statement.parent
    assert statement is not None  # _declared_group found the assignment
    # Assigned anywhere but by the WithContext statement itself (`g, gctx = errgroup...`).
    if any(is_left_hand(ref, ASSIGNMENTS_ONLY) and not statement.start_byte <= ref.start_byte < statement.end_byte
           for ref in context_references):
        return
    group_references = scopes.references(group.group)
    # This group's Waits: after the WithContext call, before the variable holds another group.
    start = group.call.end_byte
    end = min([ref.start_byte for ref in group_references if ref.start_byte > start and is_left_hand(ref)],
              default=group.function.end_byte)
    waits = [call for ref in group_references if start < ref.start_byte < end
             if (call := _waits_here(ref, group.function)) is not None]
    reported: set[int] = set()
    for wait_call in waits:
        block_end = _dominated_until(wait_call, group.function)
        for use in context_references:
            if use.start_byte in reported or not (wait_call.end_byte <= use.start_byte < block_end):
                continue
            if _reads_cause(ctx, use) or _reads_values_only(ctx, use):
                continue
            reported.add(use.start_byte)
            yield _finding(ctx, group, wait_call, use)


def _waits_here(group_ref: Node, function: Node) -> Node | None:
    """The ``g.Wait()`` call of which ``group_ref`` is the operand, when it runs in
    ``function`` itself, where it is written (not deferred, not in a goroutine or literal)."""
    selector = group_ref.parent
    if selector is None or selector.type != "selector_expression":
        return None
    field = selector.child_by_field_name("field")
    call = selector.parent
    if field is None or field.text != b"Wait" or call is None or call.type != "call_expression":
        return None
    for step in path_between(function, call)[1:]:
        if step.type in FUNCTION_KINDS or step.type in _NOT_NOW:
            return None
    return call


def _dominated_until(wait_call: Node, function: Node) -> int:
    """The end of the block in which everything after ``wait_call`` runs after it: the
    block holding the statement that makes the call (an ``if`` whose header calls Wait
    counts as that statement, its branches included)."""
    statement = wait_call
    for step in reversed(path_between(function, wait_call)):
        if step.parent is not None and step.parent.type == "statement_list":
            statement = step
            break
    block = statement.parent.parent if statement.parent is not None else None
    if statement.type == "if_statement":
        condition_or_init = [statement.child_by_field_name("initializer"), statement.child_by_field_name("condition")]
        if not any(part is not None and part.start_byte <= wait_call.start_byte < part.end_byte
                   for part in condition_or_init):
            return wait_call.end_byte  # Wait inside a branch: only that branch would follow
    elif statement.type not in ("expression_statement", "short_var_declaration", "assignment_statement",
                                "var_declaration", "return_statement"):
        return wait_call.end_byte  # Wait nested in a loop header, switch, select...: not followed
    return block.end_byte if block is not None else wait_call.end_byte


def _reads_cause(ctx: FileContext, use: Node) -> bool:
    arguments = use.parent
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    return call is not None and ctx.call_ref(call) in CAUSE


def _reads_values_only(ctx: FileContext, use: Node) -> bool:
    """``log.G(gctx)``, ``zerolog.Ctx(gctx)``, ``trace.SpanFromContext(gctx)``,
    ``logger.InfoContext(gctx, ...)``: the callee reads values, which cancellation keeps."""
    arguments = use.parent
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    if call is None or call.type != "call_expression":
        return False
    function = unparen(call.child_by_field_name("function") or call)
    if function.type == "selector_expression":
        function = function.child_by_field_name("field") or function
    name = ctx.src.text(function)
    return name in _VALUE_READERS or name.endswith("FromContext")


def _finding(ctx: FileContext, group: _Group, wait_call: Node, use: Node) -> Finding:
    name = group.context.name
    wait_text = compact(ctx.src.text(wait_call))
    parent_text = compact(ctx.src.text(group.parent))
    line = ctx.src.line_of(wait_call.start_byte) + 1
    template = (f"{name} is already canceled here: {wait_text} on line {{}} canceled it when it returned "
                f"(errgroup.WithContext's context ends when Wait returns), so anything that checks it fails at "
                f"once; use the parent context {parent_text}, or a new group for a second phase")
    parent = unparen(group.parent)
    if parent.type == "identifier" and ctx.scopes(use).resolve(parent) == group.context:
        # `eg, ctx := errgroup.WithContext(ctx)`: the parent variable now holds the group's.
        template = (f"{name} is already canceled here: {wait_text} on line {{}} canceled it when it returned, and "
                    f"errgroup.WithContext({parent_text}) replaced the parent context in {name}; keep the parent in its "
                    f"own variable (g, gctx := errgroup.WithContext({parent_text})) and use {parent_text} after Wait")
    replacement = _replacement(ctx, group, use)
    fixes: tuple[Fix, ...] = ()
    if replacement is not None:
        fixes = (Fix(f"Use the parent context {replacement}", (TextEdit(use.start_byte, use.end_byte, replacement),),
                     preferred=True),)
    return Finding(ID, use.start_byte, use.end_byte, template.format(line), fixes=fixes,
                   message_template=template, line_refs=(wait_call.start_byte,))


def _replacement(ctx: FileContext, group: _Group, use: Node) -> str | None:
    """The parent expression, when writing it at ``use`` means the same context: a variable
    visible there as at the WithContext call, or a Background()/TODO() call."""
    parent = unparen(group.parent)
    if parent.type == "call_expression":
        if ctx.call_ref(parent) in ROOTS and not (parent.child_by_field_name("arguments") or parent).named_child_count:
            return compact(ctx.src.text(parent))
        return None
    if parent.type != "identifier":
        return None
    scopes = ctx.scopes(use)
    at_call = scopes.resolve(parent)
    if at_call is None or at_call == group.context:
        return None  # a package-level variable (it may have changed), or the parent was overwritten
    if any(is_left_hand(ref, ASSIGNMENTS_ONLY) for ref in scopes.references(at_call)):
        return None
    at_use = visible_at(scopes, at_call.name, use.start_byte)
    return at_call.name if at_use is not None and at_use.ident.start_byte == at_call.ident.start_byte else None


RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="errgroup context used after Wait canceled it",
    doc=DOC,
    url="https://pkg.go.dev/golang.org/x/sync/errgroup#WithContext",
    check=check,
    decl_needles=(b"WithContext",),  # check's first test
    imports=frozenset({ERRGROUP}),
    exports=exports_of("context", "golang.org/x/sync/errgroup"),
)
