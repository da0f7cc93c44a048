"""A struct field that holds a context.Context."""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import ASSIGNMENTS_ONLY, identifier_selectors, is_left_hand, walk
from ctx_lsp.hover.site.common import Subject, join, line_of
from ctx_lsp.knowledge import finalizer_calls as finalizers
from ctx_lsp.knowledge.contexts import Holding, context_holding

Node = tree_sitter.Node



def struct_field_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    field = _field_declaration_of(node)
    if field is None:
        return None
    type_node = field.child_by_field_name("type")
    if type_node is None or context_holding(ctx, type_node) is Holding.NONE:
        return None
    names = field.children_by_field_name("name")
    hovered = next((name for name in names if name.start_byte <= offset < name.end_byte), None)
    if names and hovered is None:
        return None  # hovering the type of a named field: leave that to other hovers
    embedded = not names
    anchor = type_node if embedded else hovered
    assert anchor is not None
    field_name = "Context" if embedded else ctx.src.text(anchor)
    struct_name = _struct_name(field)
    facts = []
    if struct_name is None:
        facts.append("An anonymous struct: no methods can read this field.")
    else:
        facts += _field_access_facts(ctx, struct_name, field_name, embedded)
    # The parent's map holds the child, not the other way round (issue 15): what the struct
    # keeps is the context itself and what it references (docs/runtime-facts.md §1.1, §1.4).
    facts.append("The struct keeps the context reachable, and with it its values and its parent chain, as "
                 "long as the struct value is.")
    facts.append("A stored context hides its lifetime from callers and mixes the scopes of separate calls: "
                  "pass `ctx` as the first parameter of each method that needs it instead.")
    owner = f" of `{struct_name}`" if struct_name else ""
    title = f"**Field `{field_name}`{owner} holds a `context.Context`**"
    return Subject(anchor.start_byte, anchor.end_byte, title, tuple(facts))


def _field_declaration_of(node: Node) -> Node | None:
    current: Node | None = node
    for _ in range(4):  # field_identifier, or a type node nested a little inside the declaration
        if current is None:
            return None
        if current.type == "field_declaration":
            return current
        current = current.parent
    return None


def _struct_name(field: Node) -> str | None:
    field_list = field.parent
    struct = field_list.parent if field_list is not None else None
    spec = struct.parent if struct is not None else None
    if struct is None or struct.type != "struct_type" or spec is None or spec.type != "type_spec":
        return None
    name = spec.child_by_field_name("name")
    return (name.text or b"").decode("utf-8", "surrogateescape") if name is not None else None


def _field_access_facts(ctx: FileContext, struct_name: str, field_name: str, embedded: bool) -> list[str]:
    readers: list[str] = []
    writers: list[str] = []
    data = ctx.src.data
    type_bytes = struct_name.encode()
    for decl in ctx.src.root.named_children:
        # A cheap byte search first: walking every function of a large file costs milliseconds.
        if data.find(type_bytes, decl.start_byte, decl.end_byte) < 0:
            continue
        if decl.type == "method_declaration":
            receiver = _receiver(decl)
            if receiver is not None and receiver[1] == struct_name:
                reads, writes = _accesses(ctx, decl, receiver[0], field_name, embedded)
                label = f"`{_method_label(ctx, decl, struct_name)}` (line {line_of(ctx, decl.start_byte)})"
                if reads:
                    readers.append(label)
                if writes:
                    writers.append(label)
        if decl.type in ("function_declaration", "method_declaration"):
            if _constructs_with_field(ctx, decl, struct_name, field_name):
                writers.append(f"`{_method_label(ctx, decl, struct_name)}` (line {line_of(ctx, decl.start_byte)})")
    facts = []
    if readers:
        facts.append(f"Read in this file by {join(readers)}.")
    else:
        facts.append(f"No method of `{struct_name}` in this file reads it.")
    if writers:
        facts.append(f"Set by {join(sorted(set(writers), key=writers.index))}.")
    return facts


def _receiver(method: Node) -> tuple[Node | None, str] | None:
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return None
    for declaration in receiver.named_children:
        if declaration.type != "parameter_declaration":
            continue
        type_name = finalizers.base_type_name(declaration.child_by_field_name("type"))
        if type_name is None:
            return None
        names = declaration.children_by_field_name("name")
        return (names[0] if names else None), type_name
    return None


def _method_label(ctx: FileContext, decl: Node, struct_name: str) -> str:
    name = decl.child_by_field_name("name")
    text = ctx.src.text(name) if name is not None else "?"
    if decl.type != "method_declaration":
        return text
    receiver = decl.child_by_field_name("receiver")
    pointer = receiver is not None and any(n.type == "pointer_type" for n in walk(receiver))
    return f"({'*' if pointer else ''}{struct_name}).{text}"


def _accesses(ctx: FileContext, method: Node, receiver: Node | None, field_name: str,
              embedded: bool) -> tuple[bool, bool]:
    """Whether ``method`` reads / writes ``receiver.field_name`` (for an embedded Context, a
    promoted ``Done``/``Err``/``Value``/``Deadline`` call reads it too)."""
    if receiver is None or receiver.text == b"_":
        return False, False
    receiver_decl = ctx.resolve(receiver)
    body = method.child_by_field_name("body")
    if receiver_decl is None or body is None:
        return False, False
    wanted = {field_name}
    if embedded:
        wanted |= {"Done", "Err", "Value", "Deadline"}
    reads = writes = False
    for node, operand, field in identifier_selectors(body):
        if ctx.src.text(field) not in wanted or ctx.resolve(operand) != receiver_decl:
            continue
        if is_left_hand(node, ASSIGNMENTS_ONLY):
            writes = True
        else:
            reads = True
    return reads, writes


def _constructs_with_field(ctx: FileContext, decl: Node, struct_name: str, field_name: str) -> bool:
    """Whether ``decl`` builds ``struct_name{field_name: ...}`` (or ``&struct_name{...}``)."""
    for node in walk(decl):
        if node.type != "composite_literal":
            continue
        if finalizers.base_type_name(node.child_by_field_name("type")) != struct_name:
            continue
        body = node.child_by_field_name("body")
        if body is None:
            continue
        for element in body.named_children:
            if element.type != "keyed_element" or not element.named_children:
                continue
            key = element.named_children[0]
            if ctx.src.text(key).strip() == field_name:
                return True
    return False
