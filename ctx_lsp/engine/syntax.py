"""Small tree-sitter helpers. All traversals are iterative: Go code may nest thousands deep."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import tree_sitter

Node = tree_sitter.Node

FUNCTION_KINDS = frozenset({"function_declaration", "method_declaration", "func_literal"})


def walk(node: Node, *, enter: Callable[[Node], bool] | None = None) -> Iterator[Node]:
    """Pre-order walk over named descendants of ``node`` (itself included).

    ``enter(n)`` decides whether to descend into ``n``'s children (default: always).

    A TreeCursor, not ``named_children``: py-tree-sitter caches a node's child list on the
    node, so walking with ``named_children`` keeps a Python object for every visited node
    alive as long as anything holds the top node (a scope table, a cached context): about
    2 MB per 2,000-line file in the server. The cursor builds each node once and keeps
    nothing, and is as fast as a walk over already-cached lists. Anonymous tokens are
    stepped over, not entered, exactly as ``named_children`` would.
    """
    yield node  # the caller's own object first: `enter` may compare by identity
    if enter is not None and not enter(node):
        return
    cursor = node.walk()
    if not cursor.goto_first_child():
        return
    depth = 1
    while True:
        current = cursor.node
        assert current is not None  # a cursor on a child always has a node
        descend = False
        if current.is_named:
            yield current
            descend = enter is None or enter(current)
        if descend and cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            cursor.goto_parent()
            depth -= 1
            if depth == 0:
                return


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


def is_blank(node: Node) -> bool:
    """The blank identifier ``_``."""
    return node.type == "identifier" and node.text == b"_"


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


def callee_expression(call: Node) -> Node | None:
    """The function a call_expression calls, without parentheses or the type arguments of a
    generic instantiation (``run[int](nil, x)`` -> ``run``); None on broken syntax."""
    function = call.child_by_field_name("function")
    if function is None:
        return None
    function = unparen(function)
    if function.type == "index_expression":  # run[int](nil, x)
        operand = function.child_by_field_name("operand")
        return unparen(operand) if operand is not None else None
    return function


def expression_list_items(node: Node | None) -> list[Node]:
    if node is None:
        return []
    if node.type == "expression_list":
        return [child for child in node.named_children if child.type != "comment"]
    return [node]


def path_between(ancestor: Node, node: Node) -> list[Node]:
    """Nodes from ``ancestor`` (included) down to ``node`` (included). Descends with
    ``child_with_descendant``: climbing ``Node.parent`` costs O(depth) per step in
    tree-sitter, so a climb to the top is quadratic on deeply nested code."""
    path = [ancestor]
    current = ancestor
    while current != node:
        child = current.child_with_descendant(node)
        if child is None:
            break
        path.append(child)
        if child == node:
            break
        current = child
    return path


def innermost_function(node: Node, top: Node | None = None) -> Node | None:
    """The nearest function_declaration/method_declaration/func_literal containing ``node``,
    searching down from ``top`` (a top-level declaration; found by climbing when omitted)."""
    if top is None:
        top = node
        while top.parent is not None and top.parent.type != "source_file":
            top = top.parent
    found = None
    for step in path_between(top, node)[:-1]:
        if step.type in FUNCTION_KINDS:
            found = step
    return found


ASSIGNING_STATEMENTS = ("assignment_statement", "short_var_declaration")
ASSIGNMENTS_ONLY = ("assignment_statement",)  # `=` and `op=`, not `:=`


def left_hand_statement(node: Node, kinds: tuple[str, ...] = ASSIGNING_STATEMENTS) -> Node | None:
    """The statement of one of ``kinds`` (``x = ...``, ``x += ...``, ``x := ...``) that has
    ``node`` itself as one of its left-hand expressions (not inside one: ``x.f = ...`` does
    not assign ``x``), or None."""
    statement = node.parent
    if statement is not None and statement.type == "expression_list":
        statement = statement.parent
    if statement is None or statement.type not in kinds:
        return None
    left = statement.child_by_field_name("left")
    return statement if left is not None and left.start_byte <= node.start_byte < left.end_byte else None


def is_left_hand(node: Node, kinds: tuple[str, ...] = ASSIGNING_STATEMENTS) -> bool:
    """``node`` is one of the left-hand expressions of a statement of ``kinds``."""
    return left_hand_statement(node, kinds) is not None


def calls_named(statement: Node, names: frozenset[bytes]) -> bool:
    """``statement`` is a call, as a statement, of a function or method whose name is in
    ``names`` (``Fail("...")``, ``s.T().Fatal(err)``): without types a callee is known
    only by its name."""
    if statement.type != "expression_statement" or not statement.named_child_count:
        return False
    call = statement.named_children[0]
    if call.type != "call_expression":
        return False
    callee = call.child_by_field_name("function")
    if callee is not None and callee.type == "selector_expression":
        callee = callee.child_by_field_name("field")
    return callee is not None and callee.text in names


def targets_and_values(statement: Node) -> tuple[list[Node], list[Node]]:
    """The left-hand names and the values of a ``var_spec`` (``var a, b = x, y``), a ``:=``
    declaration or an ``=`` assignment (matched by position when the counts agree)."""
    if statement.type == "var_spec":
        return statement.children_by_field_name("name"), expression_list_items(statement.child_by_field_name("value"))
    return (expression_list_items(statement.child_by_field_name("left")),
            expression_list_items(statement.child_by_field_name("right")))


def identifier_selectors(root: Node) -> Iterator[tuple[Node, Node, Node]]:
    """Every ``x.f`` under ``root`` whose operand is a plain identifier, as (selector, x, f)."""
    for node in walk(root):
        if node.type != "selector_expression":
            continue
        operand = node.child_by_field_name("operand")
        field = node.child_by_field_name("field")
        if operand is not None and field is not None and operand.type == "identifier":
            yield node, operand, field
