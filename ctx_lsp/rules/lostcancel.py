"""lostcancel: cancel functions of derived contexts that are discarded or not called on all paths.

go vet's analyzer of the same name is the reference: same messages, same lines on its own
test suite. Beyond vet: the Cause variants and ``signal.NotifyContext``, every leaking return
(vet reports one), a cancel overwritten before use, a result dropped entirely, no-return
calls known without type information, and no false positive on a local named ``context``.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import tree_sitter

from ctx_lsp.engine.cfg import CFG, Block
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, Related, Severity, TextEdit
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import expression_list_items, innermost_function, path_between, walk, walk_skipping_functions
from ctx_lsp.knowledge.contexts import CANCELABLE_CONSTRUCTORS
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.rules._corpora import fresh_review

Node = tree_sitter.Node

ID = "lostcancel"

DOC = """\
# lostcancel: the cancel function of a derived context is not called

`context.WithCancel`, `WithCancelCause`, `WithTimeout`, `WithTimeoutCause`, `WithDeadline`,
`WithDeadlineCause` and `signal.NotifyContext` return a function that must be called when
the work the context covers is finished. This rule reports, with go vet's own messages:

- a cancel function assigned to `_` (*should be called, not discarded*);
- a cancel variable not used on every path from its definition to a `return` (vet reports
  the first such return; ctx-lsp reports **every** one and links them to the definition);
- (beyond vet) a cancel variable overwritten by another assignment before it is used, and a
  call whose results are dropped entirely so the cancel function can never be called.

## What happens at run time

What a forgotten cancel retains depends on the parent (`propagateCancel` in the
context package's `context.go`):

- parent is (or wraps) a cancelable standard context: the child is registered in the
  parent's `children` map and stays there, with its values and subtree, **until the parent
  is canceled** (or the child's own deadline fires). Under a long-lived parent that is
  forever, and the map keeps growing;
- `WithTimeout`/`WithDeadline`: the runtime timer holds the context until the deadline fires,
  whatever the parent; calling cancel stops the timer (Go 1.23's timer collection applies to
  channel timers, not to this `AfterFunc` timer);
- parent whose `Done()` is nil (`Background`, `TODO`, `WithoutCancel`): nothing registers a
  `WithCancel` child, so it is garbage once unreferenced. vet still reports it, and so do we:
  the rule is "always call cancel", and the code stays correct when the parent changes;
- a custom parent type the context package does not recognise: one watcher goroutine per
  child, alive until parent or child is canceled.

Calling cancel is idempotent and safe from several goroutines; it removes the child from its
parent's map, stops its timer and closes `Done`, but it does not wait for work to stop.

## What counts as a use

Any reference to the variable other than being the target of a later assignment: a call,
`defer`, `go`, passing it, returning it, storing it, comparing it, `_ = cancel`, or a mention
inside a function literal. A naked `return` uses a named result. Only plain local variables
are tracked: assigning the cancel function to a struct field, map element or package-level
variable hands the responsibility elsewhere and is not reported.

Paths end without a return at calls that never return: `panic`, `os.Exit`, `syscall.Exit`,
`runtime.Goexit`, `log.Fatal*`/`log.Panic*` (also on a `*log.Logger` parameter), klog/glog
`Fatal*`/`Exit*`, `Fatal*`/`FailNow`/`Skip*` on a `*testing.T`/`B`/`F` or `testing.TB`
parameter (or `new(testing.T)`), and functions of the same file whose body has no `return`
and always ends in such a call, `for {}` or `select {}`. `func main()` of package main is
exempt from the path check, as in vet: returning from it ends the process.

## What to do instead

Call the cancel function on every path, normally with `defer cancel()` right after the
call. When the context outlives the function (it is returned or handed to a goroutine),
return or hand over the cancel function with it, and call it before every early return.

```go
ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
defer cancel()
```

## Quick fixes

- discarded `_`: rename it to a fresh name (`cancel`, `cancel2`...) and add `defer cancel()`
  on the next line (not offered when the derived context escapes the function, or for a
  plain `=` whose other targets are not declared in the same block);
- dropped result: assign it (`_, cancel := ...`) and defer it;
- path leak, cancel only ever called: add `defer cancel()` after the definition (moving an
  existing later `defer cancel()` of the same block up);
- path leak, cancel escapes (returned, stored, passed, used in a closure): add `cancel()`
  before every leaking return, when those returns do not call anything or mention the context.

## Not reported

A local variable or parameter named `context` is not the package (vet's heuristic would
report it). A cancel variable declared outside the analyzed function (an enclosing function
or the package) is not tracked, as in vet.

A cancel assigned with `=` inside a loop whose path comes back round to the same assignment
is not reported as overwritten: whether the path really repeats is usually decided by state
syntax cannot see (`if !s.started { runCtx, runCancel = context.WithCancel(ctx); s.started =
true }`), and the finding used to quote the same line twice. vet and staticcheck are silent
there too; the return paths that skip the cancel are still reported as vet reports them
(`testdata/lostcancel/loop_back.go`).
"""
DOC += fresh_review("""\
No findings on these 12,998 files. go vet parity after the changes: every case of vet's
suite as before (`tests/test_vet_oracle.py`). On the Debian Go corpus described in
context-key-type's doc (26,062 files, `scripts/debian_sa1029_corpus.sh`),
`scripts/debian_vet_lostcancel_compare.py` runs Go 1.19's `go vet -lostcancel` (GOPATH mode,
one package per run, tests included) on the 322 package directories that call a cancelable
context constructor: vet reports 13 lines, ctx-lsp reproduces all 13 and reports 8 more,
none of them a parity difference:

- 1 finding vet does not make by design: etcdctl's `ctlv3/command/snapshot_command.go:106`,
  a `WithCancel` cancel overwritten on line 108 (under `if isCommandTimeoutFlagSet(cmd)`)
  before the `defer cancel()` (its parent is `Background`, so nothing is retained at run
  time; the rule, like vet, does not look at the parent);
- 5 lines in files the current build excludes, which vet does not compile: etcd's
  `integration/cluster_proxy.go:55` and `:58` (`//go:build cluster_proxy`; `go vet -tags
  cluster_proxy` reports the same two lines) and containerd's
  `contrib/fuzz/metadata_fuzzer.go:42`, `:47` and `:52` (`//go:build gofuzz`; with the tag
  the package does not type-check, go-fuzz-headers is not packaged);
- 2 lines in a test file vet could not type-check: pgconn's `pgconn_test.go:2030` and `:2033`
  (`ctx, _ := context.WithCancel(...)`, vet's own discarded-cancel shape; the test imports
  `github.com/jackc/pgmock`, which Debian does not ship).

vet could not check 18 of the 322 directories (13 miss a dependency Debian does not ship, 5
have no file in the current build or only tests that do not type-check) and checked 12
others without their tests; ctx-lsp's only lines in files vet did not compile are the 7
above. The 3 lines of the earlier comparison (11,730 files, 78 directories: grpc-gateway's
`runtime/context.go:111`, x/tools' `internal/testenv/exec.go:89` and `:141`) are among the 13.
""")


# Definition, classify, search, is_main_main and assignment_target_of are shared with the
# hover (ctx_lsp/hover/site.py), which explains a cancel variable with the rule's own analysis.
@attrs.frozen
class Definition:
    """One call of a constructor whose cancel function is assigned to a tracked variable."""

    statement: Node  # the CFG-level statement that performs the assignment
    spec: Node  # the short_var_declaration / assignment_statement / var_spec
    call: Node
    ident: Node
    decl: LocalDecl
    constructor: str


def _subject(constructor: tuple[str, str]) -> str:
    if constructor[0] == "os/signal":
        return "stop function returned by signal.NotifyContext"
    return f"cancel function returned by context.{constructor[1]}"


CONSTRUCTOR_NAMES = frozenset(name for _, name in CANCELABLE_CONSTRUCTORS)


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    # Group candidate calls by the function literal or declaration that directly contains
    # them: each function is analyzed on its own, as in vet.
    text = ctx.decl_text(decl)
    if b"With" not in text and b"NotifyContext" not in text:
        return  # every constructor name contains one of these: skip the query
    by_function: dict[tuple[int, int], tuple[Node, list[Node]]] = {}
    for call in ctx.calls_named(decl, CONSTRUCTOR_NAMES):
        constructor = ctx.call_ref(call)
        if constructor not in CANCELABLE_CONSTRUCTORS or _deferred_right_after(call):
            continue  # the idiom: nothing can leak, and no scopes or graph are needed for it
        function = innermost_function(call, decl)
        if function is None or function.child_by_field_name("body") is None:
            continue
        key = (function.start_byte, function.end_byte)
        by_function.setdefault(key, (function, []))[1].append(call)
    for function, calls in by_function.values():
        yield from _check_function(ctx, function, calls)


def _check_function(ctx: FileContext, function: Node, calls: list[Node]) -> Iterator[Finding]:
    definitions: list[Definition] = []
    for call in calls:  # the idiom (_deferred_right_after) is left out already
        constructor = ctx.call_ref(call)
        assert constructor is not None
        finding, definition = classify(ctx, function, call, constructor)
        if finding is not None:
            yield finding
        if definition is not None:
            definitions.append(definition)
    if not definitions or is_main_main(ctx, function):
        return
    graph = ctx.cfg(function)
    for definition in definitions:
        yield from _path_findings(ctx, function, graph, definition)


# -- finding the definitions ----------------------------------------------------------------
def classify(ctx: FileContext, function: Node, call: Node,
              constructor: tuple[str, str]) -> tuple[Finding | None, Definition | None]:
    parent = call.parent
    if parent is None:
        return None, None
    if parent.type == "expression_statement":
        return _dropped(ctx, parent, call, constructor), None
    if parent.type != "expression_list":
        return None, None
    spec = parent.parent
    if spec is None:
        return None, None
    if spec.type in ("short_var_declaration", "assignment_statement"):
        if spec.child_by_field_name("right") != parent:
            return None, None
        targets = expression_list_items(spec.child_by_field_name("left"))
    elif spec.type == "var_spec":
        targets = spec.children_by_field_name("name")
    else:
        return None, None
    if len(targets) < 2 or targets[1].type != "identifier":
        return None, None
    ident = targets[1]
    statement = _statement_of(spec)
    if ident.text == b"_":
        return _discarded(ctx, function, statement, spec, ident, targets, constructor), None
    decl = ctx.resolve(ident)
    if decl is None or not (function.start_byte <= decl.ident.start_byte < function.end_byte):
        return None, None  # package-level or declared in an enclosing function: not ours
    if _declared_in_nested_function(function, decl):
        return None, None
    return None, Definition(statement, spec, call, ident, decl, constructor[1])


def _deferred_right_after(call: Node) -> bool:
    """``ctx, cancel := context.WithX(...)`` (or ``=``) whose next statement in the same
    statement list is ``defer cancel()``: the defer runs on every path that leaves the
    function after the definition, so there is nothing to report. Checked on the syntax
    alone, before the scopes and the control-flow graph that the general case needs (most
    definitions in real code are this idiom)."""
    items = call.parent
    spec = items.parent if items is not None and items.type == "expression_list" else None
    if spec is None or spec.type not in ("short_var_declaration", "assignment_statement") \
            or spec.child_by_field_name("right") != items:
        return False
    targets = expression_list_items(spec.child_by_field_name("left"))
    if len(targets) < 2 or targets[1].type != "identifier" or targets[1].text == b"_":
        return False
    if spec.parent is None or spec.parent.type != "statement_list":
        return False  # an if/for/switch header, a label...: the general analysis decides
    following = spec.next_named_sibling
    while following is not None and following.type == "comment":
        following = following.next_named_sibling
    if following is None or following.type != "defer_statement":
        return False
    deferred = following.named_children[0] if following.named_child_count == 1 else None
    if deferred is None or deferred.type != "call_expression":
        return False
    callee, arguments = deferred.child_by_field_name("function"), deferred.child_by_field_name("arguments")
    return (callee is not None and callee.type == "identifier" and callee.text == targets[1].text
            and arguments is not None and arguments.named_child_count == 0)


def _declared_in_nested_function(function: Node, decl: LocalDecl) -> bool:
    return any(step.type == "func_literal" for step in path_between(function, decl.ident)[1:])


def _statement_of(spec: Node) -> Node:
    """The node the CFG records for a definition (var specs live in a var_declaration)."""
    if spec.type == "var_spec":
        node = spec.parent
        while node is not None and node.type != "var_declaration":
            node = node.parent
        return node if node is not None else spec
    return spec


def is_main_main(ctx: FileContext, function: Node) -> bool:
    if function.type != "function_declaration" or ctx.package_name != "main":
        return False
    name = function.child_by_field_name("name")
    return name is not None and name.text == b"main"


# -- discarded and dropped ------------------------------------------------------------------
def _discarded(ctx: FileContext, function: Node, statement: Node, spec: Node, ident: Node,
               targets: list[Node], constructor: tuple[str, str]) -> Finding:
    message = f"the {_subject(constructor)} should be called, not discarded, to avoid a context leak"
    fix = _discarded_fix(ctx, function, statement, spec, ident, targets, constructor)
    return Finding(ID, ident.start_byte, ident.end_byte, message, fixes=(fix,) if fix else ())


def _dropped(ctx: FileContext, statement: Node, call: Node, constructor: tuple[str, str]) -> Finding:
    message = f"the {_subject(constructor)} is never assigned, so it can never be called (context leak)"
    fixes: tuple[Fix, ...] = ()
    function = _enclosing_function(ctx, statement)
    if function is not None and _directly_in_block(statement) and _alone_on_its_lines(ctx, statement):
        name = _fresh_name(ctx, function, _base_name(constructor))
        edits = (TextEdit(call.start_byte, call.start_byte, f"_, {name} := "),
                 _insert_after(ctx, statement, f"defer {_call_text(name, constructor)}"))
        fixes = (Fix(f"Assign the {_kind(constructor)} function and defer {name}()", edits, preferred=True),)
    return Finding(ID, call.start_byte, call.end_byte, message, fixes=fixes)


def _discarded_fix(ctx: FileContext, function: Node, statement: Node, spec: Node, ident: Node,
                   targets: list[Node], constructor: tuple[str, str]) -> Fix | None:
    if not _directly_in_block(statement) or not _alone_on_its_lines(ctx, statement):
        return None
    if spec.type == "var_spec" and spec.parent is not None and spec.parent.type != "var_declaration":
        return None  # a var ( ... ) group: the defer would land inside the group
    if _context_escapes(ctx, targets[0]):
        return None  # defer cancel() would cancel a context the caller or a goroutine still uses
    name = _fresh_name(ctx, function, _base_name(constructor))
    edits = [TextEdit(ident.start_byte, ident.end_byte, name)]
    if spec.type == "assignment_statement":
        operator = next((c for c in spec.children if not c.is_named and c.text == b"="), None)
        if operator is None or not _all_declared_in_scope_of(ctx, spec, targets):
            return None
        edits.append(TextEdit(operator.start_byte, operator.end_byte, ":="))
    edits.append(_insert_after(ctx, statement, f"defer {_call_text(name, constructor)}"))
    return Fix(f"Name the {_kind(constructor)} function {name} and defer it", tuple(edits), preferred=True)


def _all_declared_in_scope_of(ctx: FileContext, spec: Node, targets: list[Node]) -> bool:
    """For ``a, _ = ...`` -> ``a, cancel := ...``: every other target must already be declared
    in the statement's own scope, or ``:=`` would shadow it."""
    from ctx_lsp.engine.scopes import _scope_of_statement

    scope = _scope_of_statement(spec)
    for target in targets:
        if target.type != "identifier":
            return False
        if target.text == b"_":
            continue
        decl = ctx.resolve(target)
        if decl is None or decl.scope != scope:
            return False
    return True


def _context_escapes(ctx: FileContext, target: Node) -> bool:
    """Whether the derived context variable may outlive the function: returned, stored,
    sent, aliased, or mentioned in a goroutine or closure. Passing it to a call
    (``doWork(ctx)``, ``ctx.Err()``) is an ordinary use."""
    if target.type != "identifier" or target.text == b"_":
        return False
    decl = ctx.resolve(target)
    if decl is None:
        return True  # assigned to something we do not track: be careful
    return any(_escapes_at(reference) for reference in ctx.scopes(target).references(decl))


_VALUE_WRAPPERS = frozenset({"parenthesized_expression", "unary_expression", "expression_list"})
_STORES = frozenset({"literal_element", "keyed_element", "literal_value", "composite_literal"})


def _escapes_at(reference: Node) -> bool:
    node, parent = reference, reference.parent
    while parent is not None and parent.type in _VALUE_WRAPPERS:
        node, parent = parent, parent.parent
    if parent is None:
        return False
    if parent.type in _STORES or parent.type in ("return_statement", "send_statement"):
        return True
    if parent.type in ("assignment_statement", "short_var_declaration", "var_spec") \
            and parent.child_by_field_name("left") != node and _stores(parent, reference):
        return True
    return _inside_goroutine_or_closure(reference)


def _inside_goroutine_or_closure(node: Node) -> bool:
    current = node.parent
    while current is not None and current.type not in ("statement_list", "source_file"):
        if current.type in ("go_statement", "func_literal"):
            return True
        current = current.parent
    return False


def _stores(assignment: Node, reference: Node) -> bool:
    """``x = ctx`` stores the context somewhere, unless every target is ``_``."""
    right = assignment.child_by_field_name("right") or assignment.child_by_field_name("value")
    if right is None or right.start_byte > reference.start_byte:
        return False
    targets = expression_list_items(assignment.child_by_field_name("left")) or \
        assignment.children_by_field_name("name")
    return not all(target.type == "identifier" and target.text == b"_" for target in targets)


# -- path analysis ----------------------------------------------------------------------------
@attrs.frozen
class Outcome:
    returns: tuple[tuple[int, int], ...]  # byte ranges of leaking returns
    overwrites: tuple[Node, ...]


def _path_findings(ctx: FileContext, function: Node, graph: CFG, definition: Definition) -> Iterator[Finding]:
    outcome = search(ctx, graph, definition)
    if outcome is None:
        return
    name = definition.decl.name
    spec = definition.spec
    constructor = ctx.call_ref(definition.call) or ("context", definition.constructor)
    if outcome.overwrites:
        first = min(outcome.overwrites, key=lambda n: n.start_byte)
        template = (f"the {_subject(constructor)} on line {{}} is overwritten on line {{}} "
                    f"before it is used (context leak)")
        refs = (spec.start_byte, first.start_byte)
        yield Finding(ID, spec.start_byte, spec.end_byte,
                      template.format(*(ctx.src.line_of(r) + 1 for r in refs)),
                      related=(Related(first.start_byte, first.end_byte, f"{name} is overwritten here"),),
                      message_template=template, line_refs=refs)
    if not outcome.returns:
        return
    defined_line = ctx.src.line_of(spec.start_byte) + 1
    return_template = f"this return statement may be reached without using the {name} var defined on line {{}}"
    fix = _path_fix(ctx, function, graph, definition, outcome)
    yield Finding(
        ID, spec.start_byte, spec.end_byte,
        f"the {name} function is not used on all paths (possible context leak)",
        related=tuple(Related(start, end, f"this return may be reached without using {name}")
                      for start, end in outcome.returns),
        fixes=(fix,) if fix else (),
    )
    for start, end in outcome.returns:
        yield Finding(ID, start, end, return_template.format(defined_line),
                      related=(Related(spec.start_byte, spec.end_byte, f"{name} is defined here"),),
                      message_template=return_template, line_refs=(spec.start_byte,),
                      suppressed_with=spec.start_byte)


class _Uses:
    """Where a cancel variable is used or overwritten, by byte offset."""

    def __init__(self, ctx: FileContext, definition: Definition, function: Node) -> None:
        self.uses: list[int] = []
        self.overwrites: list[tuple[int, Node]] = []
        self.named_result = definition.decl.kind == "result"
        scopes = ctx.scopes(definition.ident)
        for reference in scopes.references(definition.decl):
            if reference.start_byte == definition.ident.start_byte:
                continue
            assignment = assignment_target_of(reference, function)
            if assignment is not None:
                self.overwrites.append((reference.start_byte, assignment))
            else:
                self.uses.append(reference.start_byte)

    def event(self, node: Node) -> tuple[str, Node | None] | None:
        start, end = node.start_byte, node.end_byte
        if any(start <= use < end for use in self.uses):
            return "use", None
        if self.named_result and _has_naked_return(node):
            return "use", None
        for offset, assignment in self.overwrites:
            if start <= offset < end:
                return "overwrite", assignment
        return None


def _has_naked_return(node: Node) -> bool:
    return any(n.type == "return_statement" and n.named_child_count == 0 for n in walk_skipping_functions(node))


def assignment_target_of(reference: Node, function: Node) -> Node | None:
    """The assignment statement when ``reference`` is a direct target of ``=``/``:=`` in
    ``function`` (not inside a nested function literal, where any mention is a use)."""
    parent = reference.parent
    if parent is None or parent.type != "expression_list":
        return None
    statement = parent.parent
    if statement is None or statement.type not in ("assignment_statement", "short_var_declaration"):
        return None
    if statement.child_by_field_name("left") != parent:
        return None
    operator = next((c for c in statement.children if not c.is_named and c.text in (b"=", b":=")), None)
    if operator is None:
        return None
    if any(step.type == "func_literal" for step in path_between(function, statement)[1:]):
        return None
    return statement


def search(ctx: FileContext, graph: CFG, definition: Definition) -> Outcome | None:
    located = graph.block_of(definition.statement)
    if located is None:
        return None
    def_block, index = located
    uses = _Uses(ctx, definition, graph.function)
    returns: list[tuple[int, int]] = []
    overwrites: list[Node] = []

    def scan(nodes: list[Node]) -> str | None:
        for node in nodes:
            event = uses.event(node)
            if event is None:
                continue
            kind, assignment = event
            if kind == "overwrite" and assignment is not None:
                if assignment.start_byte == definition.spec.start_byte:
                    continue  # the defining statement itself (reached again through a loop)
                overwrites.append(assignment)
            return kind
        return None

    def leak_at(block: Block) -> None:
        if block.return_stmt is not None:
            returns.append((block.return_stmt.start_byte, block.return_stmt.end_byte))
        elif block.implicit_return:
            brace = graph.closing_brace()
            returns.append((brace, brace + 1))

    first = scan(def_block.nodes[index + 1 :])
    if first is None:
        if def_block.returns:
            leak_at(def_block)
        seen: set[int] = set()
        stack = list(reversed(def_block.succs))
        while stack:
            block = stack.pop()
            if block.index in seen:
                continue
            seen.add(block.index)
            if block.index == def_block.index:
                # Back at the definition through a loop. With ``:=`` a fresh variable is
                # declared each iteration (the path simply goes on, as in vet). With ``=`` the
                # same variable would be overwritten, but whether the path really comes round
                # is often decided by state syntax cannot see (``if !s.started { ...;
                # s.started = true }``): go vet and staticcheck say nothing, and neither do we.
                continue
            if scan(block.nodes) is not None:
                continue
            if block.returns:
                leak_at(block)
            stack.extend(reversed(block.succs))
    if not returns and not overwrites:
        return None
    return Outcome(tuple(sorted(set(returns))), tuple(overwrites))


# -- path-leak fixes --------------------------------------------------------------------------
def _path_fix(ctx: FileContext, function: Node, graph: CFG, definition: Definition,
              outcome: Outcome) -> Fix | None:
    if outcome.overwrites or not _directly_in_block(definition.statement) \
            or not _alone_on_its_lines(ctx, definition.statement):
        return None
    name = definition.decl.name
    call_text = _call_text(name, ("context", definition.constructor))
    scopes = ctx.scopes(definition.ident)
    references = [r for r in scopes.references(definition.decl) if r.start_byte != definition.ident.start_byte]
    if all(_is_plain_call(ctx, r, function) for r in references) and not _inside_loop(definition.statement, function):
        edits = [_insert_after(ctx, definition.statement, f"defer {call_text}")]
        existing = _later_defer_in_same_block(definition.statement, references)
        if existing is not None:
            edits.append(_delete_line(ctx, existing))
        return Fix(f"Add defer {call_text} after the definition", tuple(edits), preferred=True)
    return _call_before_returns_fix(ctx, graph, definition, outcome, call_text)


def _call_before_returns_fix(ctx: FileContext, graph: CFG, definition: Definition, outcome: Outcome,
                             call_text: str) -> Fix | None:
    context_names = {t.text for t in _targets(definition.spec)[:1] if t.type == "identifier"}
    edits: list[TextEdit] = []
    brace = graph.closing_brace()
    scope = definition.decl.scope
    for start, _end in outcome.returns:
        if not scope.start_byte <= start < scope.end_byte:
            return None  # e.g. a cancel declared in a loop body leaking at the function's end
        if start < definition.statement.end_byte:
            # Reached only round a loop, before the definition: there a ``:=`` variable is not
            # in scope yet, and an ``=`` one is still nil on the first iteration.
            return None
        if start == brace:
            line = ctx.src.line_of(brace)
            indent = ctx.src.indentation_of_line(line) + "\t"
            line_start = ctx.src.lines.line_start(line)
            if ctx.src.data[line_start:brace].strip():
                return None  # closing brace shares its line with code: no gofmt-safe spot
            edits.append(TextEdit(line_start, line_start, f"{indent}{call_text}\n"))
            continue
        statement = ctx.src.root.descendant_for_byte_range(start, _end)
        while statement is not None and statement.type != "return_statement":
            statement = statement.parent
        if statement is None or not _directly_in_block(statement) or not _alone_on_its_lines(ctx, statement):
            return None
        if any(n.type == "func_literal" or (n.type == "identifier" and n.text in context_names)
               for n in walk(statement)):
            return None  # calling cancel first could cancel work the return still does
        line = ctx.src.line_of(statement.start_byte)
        line_start = ctx.src.lines.line_start(line)
        if ctx.src.data[line_start:statement.start_byte].strip():
            return None
        indent = ctx.src.indentation_of_line(line)
        edits.append(TextEdit(line_start, line_start, f"{indent}{call_text}\n"))
    if not edits:
        return None
    return Fix(f"Call {call_text} before every return that skips it", tuple(edits), preferred=True)


def _targets(spec: Node) -> list[Node]:
    if spec.type == "var_spec":
        return spec.children_by_field_name("name")
    return expression_list_items(spec.child_by_field_name("left"))


def _is_plain_call(ctx: FileContext, reference: Node, function: Node) -> bool:
    """``cancel()`` / ``cancel(err)`` called or deferred by ``function`` itself (a call inside
    a closure or goroutine may run after the function returns, so it does not count)."""
    parent = reference.parent
    if parent is None or parent.type != "call_expression" or parent.child_by_field_name("function") != reference:
        return False
    statement = parent.parent
    if statement is None or statement.type not in ("expression_statement", "defer_statement"):
        return False
    return _enclosing_function(ctx, statement) == function


def _inside_loop(statement: Node, function: Node) -> bool:
    """A ``defer`` added inside a loop body would pile up one deferred call per iteration."""
    return any(step.type == "for_statement" for step in path_between(function, statement)[1:])


def _later_defer_in_same_block(statement: Node, references: list[Node]) -> Node | None:
    for reference in references:
        call = reference.parent
        defer = call.parent if call is not None else None
        if defer is not None and defer.type == "defer_statement" and defer.parent == statement.parent \
                and defer.start_byte > statement.end_byte:
            return defer
    return None


# -- editing helpers --------------------------------------------------------------------------
def _alone_on_its_lines(ctx: FileContext, statement: Node) -> bool:
    """Nothing but indentation before the statement and at most a comment after it: only
    then can a new line go right after it (``if ok { ctx, cancel := ...; use() }`` would get
    a defer below the closing brace, outside the variable's scope)."""
    data = ctx.src.data
    start_line = ctx.src.line_of(statement.start_byte)
    if data[ctx.src.lines.line_start(start_line) : statement.start_byte].strip():
        return False
    end_line = ctx.src.line_of(statement.end_byte)
    rest = data[statement.end_byte : ctx.src.lines.line_end(end_line, data)].strip()
    return not rest or rest.startswith(b"//")


def _directly_in_block(statement: Node) -> bool:
    parent = statement.parent
    return parent is not None and parent.type == "statement_list"


def _enclosing_function(ctx: FileContext, node: Node) -> Node | None:
    return innermost_function(node, ctx.top_level_of(node))


def _insert_after(ctx: FileContext, statement: Node, text: str) -> TextEdit:
    """Insert ``text`` as a new line after ``statement``, at the statement's indentation."""
    line = ctx.src.line_of(statement.start_byte)
    indent = ctx.src.indentation_of_line(line)
    end_line = ctx.src.line_of(statement.end_byte)
    line_end = ctx.src.lines.line_end(end_line, ctx.src.data)
    newline = "\r\n" if ctx.src.data[line_end : line_end + 2] == b"\r\n" else "\n"
    return TextEdit(line_end, line_end, f"{newline}{indent}{text}")


def _delete_line(ctx: FileContext, statement: Node) -> TextEdit:
    line = ctx.src.line_of(statement.start_byte)
    start = ctx.src.lines.line_start(line)
    end_line = ctx.src.line_of(statement.end_byte)
    end = ctx.src.lines.line_start(end_line + 1) if end_line + 1 < ctx.src.lines.line_count else len(ctx.src.data)
    return TextEdit(start, end, "")


def _base_name(constructor: tuple[str, str]) -> str:
    return "stop" if constructor[0] == "os/signal" else "cancel"


def _kind(constructor: tuple[str, str]) -> str:
    return _base_name(constructor)


def _call_text(name: str, constructor: tuple[str, str]) -> str:
    return f"{name}(nil)" if constructor[1] == "WithCancelCause" else f"{name}()"


def _fresh_name(ctx: FileContext, function: Node, base: str) -> str:
    scopes = ctx.scopes(function)
    used = {(ident.text or b"").decode("utf-8", "replace") for ident in walk(function) if ident.type == "identifier"}
    candidate, counter = base, 1
    while candidate in used or scopes.declarations(candidate):
        counter += 1
        candidate = f"{base}{counter}"
    return candidate


RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="cancel function of a derived context is not called on all paths",
    doc=DOC,
    url="https://pkg.go.dev/golang.org/x/tools/go/analysis/passes/lostcancel",
    check=check,
    decl_needles=(b"With", b"NotifyContext"),  # check's first test
    imports=frozenset({"context", "os/signal"}),
    exports=exports_of("context", "os/signal"),
)
