"""The context package as the rules and hover see it: package names, constructors, which
calls return a context, and how a written type holds one.

Sources: docs/runtime-facts.md §1.5 (which version added what), §1.6 (what a forgotten cancel
retains) and §5 (the package's guidance); api/go1.N.txt in the Go repository.
"""

from __future__ import annotations

import enum

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import call_arguments, targets_and_values, unparen
from ctx_lsp.knowledge import finalizer_calls
from ctx_lsp.knowledge.versions import GoVersion

Node = tree_sitter.Node

# golang.org/x/net/context.Context has been an alias of the standard type since Go 1.9.
CONTEXT_PACKAGES = frozenset({"context", "golang.org/x/net/context"})

ROOTS = frozenset({("context", "Background"), ("context", "TODO")})
WITHOUT_CANCEL = ("context", "WithoutCancel")
WITH_VALUE = ("context", "WithValue")
AFTER_FUNC = ("context", "AfterFunc")
NOTIFY_CONTEXT = ("os/signal", "NotifyContext")
ERRGROUP_WITH_CONTEXT = ("golang.org/x/sync/errgroup", "WithContext")

# Calls that return a derived context and a function the caller must call to release it
# (the set vet's lostcancel checks, plus signal.NotifyContext whose stop works the same way).
CANCELABLE_CONSTRUCTORS: frozenset[tuple[str, str]] = frozenset(
    [("context", name) for name in ("WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause",
                                    "WithDeadline", "WithDeadlineCause")]
    + [NOTIFY_CONTEXT]
)
# Constructors whose context arms a runtime timer (docs/runtime-facts.md §1.4).
TIMER_CONSTRUCTORS = frozenset(("context", name) for name in
                               ("WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause"))

# The Go version that added each API (api/go1.N.txt; docs/runtime-facts.md §1.5).
SINCE: dict[tuple[str, str], GoVersion] = {
    **{("context", name): (1, 7) for name in ("Background", "TODO", "WithCancel", "WithTimeout",
                                              "WithDeadline", "WithValue")},
    ("context", "WithCancelCause"): (1, 20),
    ("context", "Cause"): (1, 20),
    ("context", "WithTimeoutCause"): (1, 21),
    ("context", "WithDeadlineCause"): (1, 21),
    ("context", "WithoutCancel"): (1, 21),
    ("context", "AfterFunc"): (1, 21),
    NOTIFY_CONTEXT: (1, 16),
}

# Calls whose result at a given index is a context, by (import path, name).
CONTEXT_RESULTS: dict[tuple[str, str], int] = {
    **{(path, name): 0 for path in CONTEXT_PACKAGES
       for name in ("Background", "TODO", "WithValue", "WithoutCancel", "WithCancel", "WithCancelCause",
                    "WithTimeout", "WithTimeoutCause", "WithDeadline", "WithDeadlineCause")},
    NOTIFY_CONTEXT: 0,
    ERRGROUP_WITH_CONTEXT: 1,
}


class Holding(enum.Enum):
    """How a type holds contexts."""

    NONE = 0
    CONTEXT = 1  # context.Context itself, or a pointer to it
    CONTAINER = 2  # a slice, array, map or channel whose values (or keys) are contexts


# Type nodes whose contents may hold a context directly: pointer and parenthesised types.
_TRANSPARENT_TYPES = frozenset({"pointer_type", "parenthesized_type"})
# Containers: a value of this type holds contexts in its elements, keys or channel buffer.
_CONTAINER_FIELDS = {
    "slice_type": ("element",),
    "array_type": ("element",),
    "map_type": ("key", "value"),
    "channel_type": ("value",),
}


def is_context_type(ctx: FileContext, node: Node) -> bool:
    """Whether ``node`` (a type) names context.Context: qualified, renamed or dot-imported."""
    if node.type not in ("qualified_type", "type_identifier"):
        return False
    ref = ctx.pkg_ref(node)
    return ref is not None and ref[0] in CONTEXT_PACKAGES and ref[1] == "Context"


def context_holding(ctx: FileContext, type_node: Node) -> Holding:
    """Classify a written type. Function, interface, struct and generic types are not
    descended into: they mention contexts in signatures or hold them in fields of their own
    (which are reported where the struct is declared)."""
    stack: list[tuple[Node, bool]] = [(type_node, False)]
    while stack:
        node, in_container = stack.pop()
        if is_context_type(ctx, node):
            return Holding.CONTAINER if in_container else Holding.CONTEXT
        if node.type in _TRANSPARENT_TYPES:
            stack.extend((child, in_container) for child in node.named_children if child.type != "comment")
            continue
        for field in _CONTAINER_FIELDS.get(node.type, ()):
            child = node.child_by_field_name(field)
            if child is not None:
                stack.append((child, True))
    return Holding.NONE


def is_context_accessor(call: Node) -> bool:
    """``r.Context()``, ``t.Context()``, ``cmd.Context()``: the conventional accessor of a
    context carried by a request, test or command."""
    function = call.child_by_field_name("function")
    arguments = call.child_by_field_name("arguments")
    if function is None or function.type != "selector_expression" or arguments is None:
        return False
    field = function.child_by_field_name("field")
    return field is not None and field.text == b"Context" and arguments.named_child_count == 0


def context_parameters(ctx: FileContext, function: Node) -> list[LocalDecl]:
    """Parameters of ``function`` (a declaration or literal) declared as context.Context."""
    parameters = function.child_by_field_name("parameters")
    if parameters is None:
        return []
    scopes = ctx.scopes(function)
    found = []
    for declaration in parameters.named_children:
        declared = declaration.child_by_field_name("type")
        if declared is None or not is_context_type(ctx, declared):
            continue
        for ident in declaration.children_by_field_name("name"):
            local = scopes.resolve(ident)
            if local is not None:
                found.append(local)
    return found


# Following a context through local variables and WithValue layers; real chains are short.
MAX_PARENT_HOPS = 12


def value_of(ctx: FileContext, ident: Node, use: Node) -> Node | None:
    """The expression a local variable certainly holds at ``use``: its last assignment, or
    the call of ``x, cancel := context.WithX(...)`` when ``x`` is its first target and is
    never assigned again."""
    value = finalizer_calls.value_reaching(ctx, ident, use)
    if value is not None:
        return value
    decl = ctx.resolve(ident)
    if decl is None or finalizer_calls.assigned_after(ctx, decl, decl.ident):
        return None
    holder = decl.ident.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else holder
    if statement is None or statement.type not in ("short_var_declaration", "var_spec"):
        return None
    targets, values = targets_and_values(statement)
    if len(values) == 1 and targets and targets[0].start_byte == decl.ident.start_byte:
        value = unparen(values[0])
        if value.type == "call_expression":
            return value
    return None


def never_done(ctx: FileContext, expression: Node) -> bool:
    """``expression`` certainly holds a context whose ``Done()`` is nil: ``Background()``,
    ``TODO()``, ``WithoutCancel(...)``, or ``WithValue`` layers over one of them, followed
    through local variables that hold nothing else (docs/runtime-facts.md §1.2, §1.8)."""
    current, use = expression, expression
    for _ in range(MAX_PARENT_HOPS):
        current = unparen(current)
        if current.type == "call_expression":
            ref = ctx.call_ref(current)
            if ref in ROOTS or ref == WITHOUT_CANCEL:
                return True
            arguments = call_arguments(current)
            if ref != WITH_VALUE or not arguments:
                return False
            current, use = arguments[0], current
            continue
        if current.type != "identifier":
            return False
        value = value_of(ctx, current, use)
        if value is None:
            return False
        current, use = value, value
    return False
