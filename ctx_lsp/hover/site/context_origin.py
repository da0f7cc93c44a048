"""What can cancel a context variable: where its value comes from, followed far enough to say
whether anything can ever cancel it.

Sources: docs/runtime-facts.md §1.2 step 2 (a nil ``Done`` is never canceled), §1.8
(``WithoutCancel``), §13 (errgroup), §14 (``Request.Context``).
"""

from __future__ import annotations

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import call_arguments, expression_list_items, targets_and_values, unparen
from ctx_lsp.hover.site.cancel_function import is_discarded
from ctx_lsp.hover.site.common import display, line_of
from ctx_lsp.hover.site.origin import describe_parent
from ctx_lsp.knowledge.contexts import (
    CANCELABLE_CONSTRUCTORS,
    ERRGROUP_WITH_CONTEXT,
    ROOTS,
    TIMER_CONSTRUCTORS,
    WITH_VALUE,
    WITHOUT_CANCEL,
    is_context_accessor,
    is_context_type,
)

Node = tree_sitter.Node


@attrs.frozen
class Origin:
    """``text`` says where the context comes from; ``cancelable`` is False when nothing can
    ever cancel it, True when something here can, None when it depends on a caller."""

    text: str
    cancelable: bool | None
    cancel_by: str = ""


def declaring_statement(decl: LocalDecl) -> tuple[Node, list[Node], list[Node]] | None:
    """The statement declaring ``decl`` with its targets and values."""
    holder = decl.ident.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else holder
    if statement is None:
        return None
    if statement.type not in ("var_spec", "short_var_declaration", "assignment_statement"):
        return None
    return statement, *targets_and_values(statement)


def context_origin(ctx: FileContext, decl: LocalDecl, at: Node | None = None) -> Origin | None:
    """Where the context in ``decl`` comes from (as seen at the identifier ``at``, when given),
    or None when ``decl`` is not a context."""
    if at is not None and at.start_byte != decl.ident.start_byte:
        assigned = _assigned_origin(ctx, decl, at)
        if assigned is not None:
            return assigned
    holder = decl.ident.parent
    if holder is not None and holder.type == "parameter_declaration":
        type_node = holder.child_by_field_name("type")
        if type_node is not None and is_context_type(ctx, type_node):
            return Origin(f"the parameter `{decl.name}`: the caller's context", None, "the caller")
        return None
    return _statement_origin(ctx, decl.ident, declaring_statement(decl))


def _assigned_origin(ctx: FileContext, decl: LocalDecl, at: Node) -> Origin | None:
    """``g, ctx := errgroup.WithContext(ctx)`` reassigning a parameter: the origin is the
    statement that assigns ``at`` (when ``at`` is its target) or the last value reaching it."""
    holder = at.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else None
    if statement is not None and statement.type in ("short_var_declaration", "assignment_statement") \
            and statement.child_by_field_name("left") == holder:
        return _statement_origin(ctx, at, (statement, expression_list_items(holder),
                                            expression_list_items(statement.child_by_field_name("right"))))
    latest: Origin | None = None
    for reference in ctx.scopes(decl.ident).references(decl):
        # The last assignment before ``at`` in source order (a loop or a branch may differ at
        # run time; this is a hover, not a proof).
        if reference.start_byte >= at.start_byte or reference.start_byte == decl.ident.start_byte:
            continue
        origin = _assigned_origin_of_target(ctx, reference)
        if origin is not None:
            latest = origin
    return latest


def _assigned_origin_of_target(ctx: FileContext, reference: Node) -> Origin | None:
    holder = reference.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else None
    if statement is None or statement.type not in ("short_var_declaration", "assignment_statement") \
            or statement.child_by_field_name("left") != holder:
        return None
    return _statement_origin(ctx, reference, (statement, expression_list_items(holder),
                                              expression_list_items(statement.child_by_field_name("right"))))


def _statement_origin(ctx: FileContext, ident: Node,
                      declared: tuple[Node, list[Node], list[Node]] | None) -> Origin | None:
    if declared is None:
        return None
    _statement, targets, values = declared
    index = next((i for i, target in enumerate(targets) if target.start_byte == ident.start_byte), None)
    if index is None or len(values) != 1:
        return None
    call = unparen(values[0])
    if call.type != "call_expression":
        return None
    ref = ctx.call_ref(call)
    line = line_of(ctx, call.start_byte)
    if ref == ERRGROUP_WITH_CONTEXT and index == 1:
        return Origin(f"`errgroup.WithContext` on line {line}", True,
                      "the first error returned by a function passed to `Go`, or the first return of `Wait`")
    if index != 0:
        return None
    if ref in ROOTS:
        return Origin(f"`{display(ref)}()` on line {line}", False)
    if ref == WITHOUT_CANCEL:
        return Origin(f"`context.WithoutCancel` on line {line}", False)
    if ref == WITH_VALUE or ref in CANCELABLE_CONSTRUCTORS:
        return _derived_origin(ctx, call, ref, targets, line)
    if ref is None and is_context_accessor(call):
        return Origin(f"`{ctx.src.text(call)}` on line {line}", True,
                      "the request's end (client gone, request canceled, or the handler returned)"
                      if _is_request_accessor(ctx, call) else "its owner")
    return None


def _derived_origin(ctx: FileContext, call: Node, ref: tuple[str, str], targets: list[Node],
                    line: int) -> Origin:
    arguments = call_arguments(call)
    parent = describe_parent(ctx, arguments[0]) if arguments else None
    parent_can = parent is None or parent.kind not in ("root", "no-cancel")
    name = display(ref)
    if ref == WITH_VALUE:
        return Origin(f"`{name}` on line {line}", None if parent_can else False, "its parent")
    reasons = []
    if parent_can:
        reasons.append("its parent")
    if ref in TIMER_CONSTRUCTORS:
        reasons.append("its deadline")
    if ref[0] == "os/signal":
        reasons.append("a signal")
    releaser = targets[1] if len(targets) > 1 else None
    if releaser is not None and releaser.text != b"_" and not _only_discarded(ctx, releaser):
        reasons.append(f"`{ctx.src.text(releaser)}()`")
    cancelable = bool(reasons)
    return Origin(f"`{name}` on line {line}", cancelable, " or ".join(reasons))


def _only_discarded(ctx: FileContext, releaser: Node) -> bool:
    decl = ctx.resolve(releaser)
    if decl is None:
        return False
    uses = [ref for ref in ctx.scopes(decl.ident).references(decl) if ref.start_byte != decl.ident.start_byte]
    return bool(uses) and all(is_discarded(use) for use in uses)


def _is_request_accessor(ctx: FileContext, call: Node) -> bool:
    function = call.child_by_field_name("function")
    operand = function.child_by_field_name("operand") if function is not None else None
    return operand is not None and operand.type == "identifier" and is_request_variable(ctx, operand)


def is_request_variable(ctx: FileContext, ident: Node) -> bool:
    """A parameter declared ``*http.Request``."""
    decl = ctx.resolve(ident)
    holder = decl.ident.parent if decl is not None else None
    if holder is None or holder.type != "parameter_declaration":
        return False
    type_node = holder.child_by_field_name("type")
    if type_node is None or type_node.type != "pointer_type" or not type_node.named_children:
        return False
    return ctx.pkg_ref(type_node.named_children[0]) == ("net/http", "Request")


def request_parameters(ctx: FileContext, function: Node) -> list[LocalDecl]:
    """Parameters of ``function`` declared ``*http.Request``."""
    parameters = function.child_by_field_name("parameters")
    found = []
    for declaration in parameters.named_children if parameters is not None else ():
        for ident in declaration.children_by_field_name("name"):
            if is_request_variable(ctx, ident):
                decl = ctx.resolve(ident)
                if decl is not None:
                    found.append(decl)
    return found
