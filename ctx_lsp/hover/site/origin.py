"""Where a context comes from: the parent of a derived context, context variables in scope."""

from __future__ import annotations

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import call_arguments, expression_list_items, unparen, walk
from ctx_lsp.hover.site.common import code_span, display, line_of
from ctx_lsp.knowledge.contexts import (
    CANCELABLE_CONSTRUCTORS,
    MAX_PARENT_HOPS,
    ROOTS,
    WITH_VALUE,
    WITHOUT_CANCEL,
    is_context_type,
    value_of,
)

Node = tree_sitter.Node

CONTEXT_MAKERS = CANCELABLE_CONSTRUCTORS | ROOTS | {WITHOUT_CANCEL, WITH_VALUE}


@attrs.frozen
class Parent:
    """What the parent argument of a context constructor is.

    kind: ``root`` (Background/TODO), ``no-cancel`` (WithoutCancel), ``cancelable`` (made by
    a cancelable constructor at ``line``), ``parameter`` (a function parameter: up to the
    caller) or ``unknown``. ``text`` describes it in markdown; ``via`` mentions WithValue
    layers it was followed through.
    """

    kind: str
    text: str
    line: int | None = None
    via: tuple[int, ...] = ()


def describe_parent(ctx: FileContext, expression: Node) -> Parent:
    via: list[int] = []
    current, use = expression, expression
    for _ in range(MAX_PARENT_HOPS):
        current = unparen(current)
        if current.type == "call_expression":
            ref = ctx.call_ref(current)
            line = line_of(ctx, current.start_byte)
            if ref in ROOTS:
                return Parent("root", f"`{display(ref)}()`", line, tuple(via))
            if ref == WITHOUT_CANCEL:
                return Parent("no-cancel", f"a `context.WithoutCancel` context (line {line})", line, tuple(via))
            if ref == WITH_VALUE:
                arguments = call_arguments(current)
                if not arguments:
                    break
                via.append(line)
                current, use = arguments[0], current
                continue
            if ref in CANCELABLE_CONSTRUCTORS:
                return Parent("cancelable", f"the context made by `{display(ref)}` on line {line}",
                               line, tuple(via))
            return Parent("unknown", f"the result of {code_span(ctx, current)}", line, tuple(via))
        if current.type == "identifier":
            decl = ctx.resolve(current)
            if decl is None:
                return Parent("unknown", f"`{ctx.src.text(current)}`, declared outside this function",
                               via=tuple(via))
            value = value_of(ctx, current, use)
            if value is not None:
                current, use = value, value
                continue
            if decl.kind in ("param", "receiver", "result") and not _assigned_before(ctx, decl, use):
                return Parent("parameter", f"the parameter `{decl.name}`", line_of(ctx, decl.start), tuple(via))
            return Parent("unknown", f"`{decl.name}`, whose value here ctx-lsp cannot follow", via=tuple(via))
        break
    return Parent("unknown", code_span(ctx, expression), via=tuple(via))


def _assigned_before(ctx: FileContext, decl: LocalDecl, use: Node) -> bool:
    for reference in ctx.scopes(decl.ident).references(decl):
        if reference.start_byte >= use.start_byte:
            continue
        holder = reference.parent
        statement = holder.parent if holder is not None and holder.type == "expression_list" else None
        if statement is not None and statement.type in ("assignment_statement", "short_var_declaration") \
                and statement.child_by_field_name("left") == holder:
            if statement.start_byte <= use.start_byte < statement.end_byte:
                continue  # `ctx, cancel := WithX(ctx)`: the right side reads ctx before the assignment
            return True
    return False


def context_variables_visible_at(ctx: FileContext, node: Node) -> list[LocalDecl]:
    """Local contexts (parameters typed ``context.Context`` and variables holding the result
    of a context constructor or of a ``.Context()`` method) visible at ``node``."""
    top = ctx.top_level_of(node)
    position = node.start_byte
    candidates: list[LocalDecl] = []
    for declaring in walk(top):
        if declaring.start_byte > position:
            continue
        for ident in context_declarations(ctx, declaring):
            decl = ctx.resolve(ident)
            if decl is not None and decl.scope.start_byte <= position < decl.scope.end_byte \
                    and decl.visible_from <= position:
                candidates.append(decl)
    # Shadowing: keep the innermost declaration of each name.
    innermost: dict[str, LocalDecl] = {}
    for decl in candidates:
        known = innermost.get(decl.name)
        if known is None or decl.scope.end_byte - decl.scope.start_byte < known.scope.end_byte - known.scope.start_byte \
                or decl.visible_from > known.visible_from:
            innermost[decl.name] = decl
    return sorted(innermost.values(), key=lambda decl: decl.start)


def context_declarations(ctx: FileContext, node: Node) -> list[Node]:
    """Identifiers that ``node`` declares as contexts."""
    kind = node.type
    if kind == "parameter_declaration":
        type_node = node.child_by_field_name("type")
        if type_node is not None and is_context_type(ctx, type_node):
            return node.children_by_field_name("name")
        return []
    if kind == "var_spec":
        type_node = node.child_by_field_name("type")
        names = node.children_by_field_name("name")
        if type_node is not None:
            return names if is_context_type(ctx, type_node) else []
        values = expression_list_items(node.child_by_field_name("value"))
    elif kind == "short_var_declaration":
        names = expression_list_items(node.child_by_field_name("left"))
        values = expression_list_items(node.child_by_field_name("right"))
    else:
        return []
    if len(values) == 1 and len(names) >= 1 and makes_context(ctx, values[0]):
        return [names[0]] if names[0].type == "identifier" else []
    if len(values) == len(names):
        return [name for name, value in zip(names, values) if name.type == "identifier" and makes_context(ctx, value)]
    return []


def makes_context(ctx: FileContext, value: Node) -> bool:
    value = unparen(value)
    if value.type != "call_expression":
        return False
    if ctx.call_ref(value) in CONTEXT_MAKERS:
        return True
    # r.Context(), t.Context(): by convention a method named Context returns the context.
    function = value.child_by_field_name("function")
    return function is not None and function.type == "selector_expression" and \
        ctx.pkg_ref(function) is None and \
        (field := function.child_by_field_name("field")) is not None and field.text == b"Context" and \
        not call_arguments(value)


def is_context_variable(ctx: FileContext, ident: Node) -> bool:
    decl = ctx.resolve(ident)
    if decl is None:
        return False
    holder = decl.ident.parent
    if holder is not None and holder.type == "expression_list":
        holder = holder.parent
    if holder is None:
        return False
    return any(declared.start_byte == decl.ident.start_byte for declared in context_declarations(ctx, holder))


def refers_to_any(ctx: FileContext, expression: Node, decls: list[LocalDecl]) -> bool:
    return any(node.type == "identifier" and ctx.resolve(node) in decls for node in walk(expression))
