"""cancel-never-called: a cancel function kept in a struct field or a package-level variable
that no code of the package ever calls or passes on."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.syntax import expression_list_items, left_hand_statement, unparen, walk
from ctx_lsp.knowledge.contexts import CANCELABLE_CONSTRUCTORS, CONTEXT_PACKAGES
from ctx_lsp.knowledge.package_reads import siblings_read_field, siblings_read_variable, stored_value_called
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.rules._corpora import SECOND_FRESH_REVIEW_CORPUS

Node = tree_sitter.Node

ID = "cancel-never-called"
CANCEL_TYPES = frozenset((path, name) for path in CONTEXT_PACKAGES for name in ("CancelFunc", "CancelCauseFunc"))

DOC = """\
# cancel-never-called: a stored cancel function that nothing calls

Reported: a struct field declared `context.CancelFunc` or `context.CancelCauseFunc`, or a
package-level variable of that type (declared with it, or the second name of
`var ctx, cancel = context.WithCancel(...)`), that no code in the package's files ever reads:
never called (`s.cancel()`), deferred, passed on (`go watch(s.cancel)`), returned or copied.
Assigning to it does not count. The package is every `.go` file of the directory with the
same package clause, test files included (a helper type may be closed only by tests).

Range: the field's or variable's name.

## Why it matters

The cancel function is the only way to end the derived context early. Stored and never
called, the context ends only when its parent does (or at its deadline, for
`WithTimeout`/`WithDeadline`): under a long-lived parent such as `context.Background()`,
everything waiting on it (goroutines selecting on `Done`, requests made with it) runs for
the life of the process, and a `WithCancel` child of a cancelable parent stays registered in
the parent until the parent is canceled. Usually the owner's `Close`/`Stop` was meant to
call it and does not.

## What to do instead

Call the stored function where the owner's life ends (`Close`, `Stop`, `Shutdown`), or
`defer` it where the context's work ends. If it really is never needed, do not store it.

## Not reported

- A field or variable that any file of the package reads under that name other than by
  assignment: `x.cancel` for a field (whatever `x` is: without types, the same field name in
  another struct counts too), the bare name for a package-level variable (a local variable
  of the same name in another file counts too). Mentions in comments of other files count.
  Both only make the rule quieter.
- A field stored from a variable that is called too (`r := &run{cancel: cancel}` with
  `cancel()` in a cleanup, in the same function or in another file of the package): the
  stored copy goes unused, but the function is called.
- Slices, maps, pointers and other containers of cancel functions, embedded fields, `_`.
- Exported fields and variables (`Cancel`): other packages may call them.
- Fields and variables declared `func()` that hold a cancel function: the written type is all
  the rule has to go by.

## Precision review

Corpora (stored snapshots, vendor directories left out): moby/moby, goharbor/harbor,
helm/helm, dgraph-io/dgraph, seaweedfs/seaweedfs, juicedata/juicefs, hashicorp/packer,
aquasecurity/trivy, moby/buildkit, cortexproject/cortex, grafana/tempo, anchore/syft (14,367
files, about 65 unexported fields declared `context.CancelFunc`/`CancelCauseFunc`), and the
Go 1.19 standard library.

- No finding in the final version: every stored cancel function of these corpora is called
  or passed on somewhere in its package. Precision could not be measured; the rule ships
  as information.
- A first version reported 2, both false positives, which led to two exclusions: seaweedfs's
  `TestCluster.cancel` (declared in `setup.go`, called only by the package's test files:
  test files now count), and a test harness's `runningSubscribe.cancel` (stored from a local
  `cancel` that a `t.Cleanup` calls: the stored copy is unused, but the context is
  canceled).

## Fresh review

""" + SECOND_FRESH_REVIEW_CORPUS + """

- **No finding** in the nine repositories, so precision is still unmeasured and the
  severity stays information.
- What the rule had to look at: 59 declaration lines of struct fields or package variables
  typed `context.CancelFunc`/`CancelCauseFunc` outside test files (a line-based search, which
  misses `var ctx, cancel = context.WithCancel(...)` forms). Each name was searched for in
  its package's non-test files (a call `name(`, or the name passed as an argument, returned
  or assigned on): 58 are called or passed on there. The one the search did not find was
  read by hand: boundary's exported `base.Command.ContextCancel`, called from another
  package (`internal/daemon/controller/testing.go`); exported names are not reported by
  design.
- Disagreements: none (no finding to disagree with, and no declaration that should have
  been reported).
"""


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    text = ctx.decl_text(decl)
    if b"CancelFunc" not in text and b"CancelCauseFunc" not in text and decl.type != "var_declaration":
        return
    if decl.type == "type_declaration":
        for name_node in _cancel_fields(ctx, decl):
            name = ctx.src.text(name_node)
            if not _exported(name) and not _field_read(ctx, name):
                yield _finding(name_node, f"field {name}", ctx.package_name)
    elif decl.type == "var_declaration":
        for name_node in _cancel_variables(ctx, decl):
            name = ctx.src.text(name_node)
            if not _exported(name) and not _variable_read(ctx, name):
                yield _finding(name_node, f"package-level variable {name}", ctx.package_name)


def _exported(name: str) -> bool:
    return name[:1].isupper()


def _cancel_fields(ctx: FileContext, decl: Node) -> Iterator[Node]:
    for field in walk(decl):
        if field.type != "field_declaration":
            continue
        type_node = field.child_by_field_name("type")
        if type_node is None or ctx.pkg_ref(type_node) not in CANCEL_TYPES:
            continue
        for name in field.children_by_field_name("name"):
            if name.text != b"_":
                yield name


def _cancel_variables(ctx: FileContext, decl: Node) -> Iterator[Node]:
    for spec in walk(decl):
        if spec.type != "var_spec":
            continue
        names = [n for n in spec.children_by_field_name("name") if n.text != b"_"]
        type_node = spec.child_by_field_name("type")
        if type_node is not None:
            if ctx.pkg_ref(type_node) in CANCEL_TYPES:
                yield from names
            continue
        values = expression_list_items(spec.child_by_field_name("value"))
        all_names = spec.children_by_field_name("name")
        if len(values) == 1 and len(all_names) == 2 and unparen(values[0]).type == "call_expression" \
                and ctx.call_ref(unparen(values[0])) in CANCELABLE_CONSTRUCTORS and all_names[1].text != b"_":
            yield all_names[1]


def _field_read(ctx: FileContext, name: str) -> bool:
    own = ctx.file_input(f"{ID}.field-own:{name}", functools.partial(_field_read_here, name=name),
                         needle=name.encode())
    return bool(own or ctx.file_input(f"{ID}.field-siblings:{name}",
                                      functools.partial(_field_read_in_siblings, name=name)))


def _variable_read(ctx: FileContext, name: str) -> bool:
    own = ctx.file_input(f"{ID}.var-own:{name}", functools.partial(_variable_read_here, name=name),
                         needle=name.encode())
    return bool(own or ctx.file_input(f"{ID}.var-siblings:{name}",
                                      functools.partial(_variable_read_in_siblings, name=name)))


def _field_read_here(ctx: FileContext, name: str) -> bool:
    """Read in this file, or stored from a local that the same declaration calls (a local
    lives in one top-level declaration, which then contains the field's name)."""
    for decl in ctx.declarations_containing(name.encode()):
        if stored_value_called(ctx.src.data[decl.start_byte:decl.end_byte], name):
            return True
        for node in _occurrences(ctx, decl, name, "field_identifier"):
            selector = node.parent
            if selector is not None and selector.type == "selector_expression" and \
                    selector.child_by_field_name("field") == node and not _assignment_target(selector):
                return True
    return False


def _occurrences(ctx: FileContext, decl: Node, name: str, kind: str) -> Iterator[Node]:
    """The ``kind`` nodes in ``decl`` whose text is exactly ``name``, found from the text's
    occurrences of the name (a walk of every node of every declaration that mentions a
    "cancel" cost milliseconds per keystroke)."""
    needle, data = name.encode(), ctx.src.data
    position = data.find(needle, decl.start_byte, decl.end_byte)
    while position >= 0:
        end = position + len(needle)
        node = decl.descendant_for_byte_range(position, end)
        if node is not None and node.type == kind and node.start_byte == position and node.end_byte == end:
            yield node
        position = data.find(needle, position + 1, decl.end_byte)


def _variable_read_here(ctx: FileContext, name: str) -> bool:
    for decl in ctx.declarations_containing(name.encode()):
        for node in _occurrences(ctx, decl, name, "identifier"):
            parent = node.parent
            if parent is not None and parent.type in ("var_spec", "const_spec", "parameter_declaration"):
                continue  # a declaration, not a use
            if _assignment_target(node) or (decl.type != "var_declaration" and ctx.is_local(node)):
                continue
            if parent is not None and parent.type == "selector_expression" and \
                    parent.child_by_field_name("operand") != node:
                continue
            return True
    return False


def _field_read_in_siblings(ctx: FileContext, name: str) -> bool:
    return siblings_read_field(ctx.path, ctx.package_name, name)


def _variable_read_in_siblings(ctx: FileContext, name: str) -> bool:
    return siblings_read_variable(ctx.path, ctx.package_name, name)


def _assignment_target(node: Node) -> bool:
    """``node`` is written to by ``=``/``:=`` (directly one of the left-hand expressions)."""
    statement = left_hand_statement(node)
    if statement is None:
        return False
    operator = statement.child_by_field_name("operator")
    return operator is None or operator.text in (b"=", b":=")  # `x += 1` reads x too


def _finding(name_node: Node, what: str, package: str) -> Finding:
    message = (f"the cancel function kept in {what} is never called or passed on in package {package}: the context "
               "it controls is canceled only when its parent is (or at its deadline); call it where the owner's "
               "work ends (Close, Stop) or do not store it")
    return Finding(ID, name_node.start_byte, name_node.end_byte, message)


RULE = Rule(
    id=ID,
    severity=Severity.INFORMATION,
    title="stored cancel function never called",
    doc=DOC,
    url="https://pkg.go.dev/context#CancelFunc",
    check=check,
    decl_needles=(b"CancelFunc", b"CancelCauseFunc", b"var"),  # check's first test
    imports=CONTEXT_PACKAGES,
    exports=exports_of("context"),
)
