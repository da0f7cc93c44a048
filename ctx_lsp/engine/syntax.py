"""Small tree-sitter helpers. All traversals are iterative: Go code may nest thousands deep."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import tree_sitter

Node = tree_sitter.Node

FUNCTION_KINDS = frozenset({"function_declaration", "method_declaration", "func_literal"})


def walk(node: Node, *, enter: Callable[[Node], bool] | None = None) -> Iterator[Node]:
    """Pre-order walk over named descendants of ``node`` (itself included).

    ``enter(n)`` decides whether to descend into ``n``'s children (default: always).
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if enter is None or enter(current):
            children = current.named_children
            if children:
                stack.extend(reversed(children))


def walk_skipping_functions(node: Node) -> Iterator[Node]:
    """Pre-order walk that does not enter function literals below ``node``."""
    return walk(node, enter=lambda n: n is node or n.type != "func_literal")


def ancestors(node: Node) -> Iterator[Node]:
    current = node.parent
    while current is not None:
        yield current
        current = current.parent


def enclosing_function(node: Node) -> Node | None:
    for ancestor in ancestors(node):
        if ancestor.type in FUNCTION_KINDS:
            return ancestor
    return None


def unparen(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def call_arguments(call: Node) -> list[Node]:
    """Argument expressions of a call_expression (comments excluded)."""
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return []
    return [child for child in arguments.named_children if child.type != "comment"]


def expression_list_items(node: Node | None) -> list[Node]:
    if node is None:
        return []
    if node.type == "expression_list":
        return [child for child in node.named_children if child.type != "comment"]
    return [node]


def is_blank(node: Node) -> bool:
    return node.type == "identifier" and node.text == b"_"


def statements_of_block(block: Node) -> list[Node]:
    """Statements directly inside a block or case clause (via tree-sitter-go's statement_list)."""
    statements: list[Node] = []
    for child in block.named_children:
        if child.type == "statement_list":
            statements.extend(c for c in child.named_children if c.type != "comment")
        elif child.type != "comment" and block.type != "block":
            continue
    return statements


def statement_list_of(node: Node) -> Node | None:
    for child in node.named_children:
        if child.type == "statement_list":
            return child
    return None


def function_body(function: Node) -> Node | None:
    return function.child_by_field_name("body")


def contains_error(node: Node) -> bool:
    return node.has_error
