"""Shared helpers of the loop rules (cancel-deferred-in-loop, context-in-loop,
goroutine-ignores-context): "can control get from here back to there" questions on the
engine's control-flow graph, and small syntax helpers.

A loop is not recognised by its syntax but by the graph: a statement runs again when the
graph leads from it back to itself. That covers ``for``, ``range`` and ``goto`` loops alike,
and it knows that a loop body ending in ``return`` or ``break`` on every path runs only once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import tree_sitter

from ctx_lsp.engine.cfg import CFG, Block
from ctx_lsp.engine.parse import GO_LANGUAGE
from ctx_lsp.engine.syntax import FUNCTION_KINDS

Node = tree_sitter.Node
StopTest = Callable[[Node], bool]


def _never(_node: Node) -> bool:
    return False


@functools.cache
def _kind_query(kind: str) -> tree_sitter.Query:
    return tree_sitter.Query(GO_LANGUAGE, f"({kind}) @node")


def nodes_of_kind(node: Node, kind: str) -> list[Node]:
    """Every ``kind`` node in ``node``'s subtree, in source order. A tree-sitter query does
    the search in C: much cheaper than a Python walk when the kind is rare."""
    found = tree_sitter.QueryCursor(_kind_query(kind)).captures(node).get("node", [])
    return sorted(found, key=lambda n: n.start_byte)


def may_repeat(node: Node, function: Node) -> bool:
    """Cheap syntactic precondition for running more than once per call of ``function``: a
    ``for`` around ``node`` inside ``function``, or a label (``goto`` loops) in ``function``."""
    return enclosing_loop(node, function) is not None or bool(nodes_of_kind(function, "labeled_statement"))


def callee_name(call: Node) -> bytes | None:
    """``WithCancel`` for ``context.WithCancel(...)`` and for a dot-imported ``WithCancel(...)``:
    a cheap filter before resolving the package with ``FileContext.call_ref``."""
    function = call.child_by_field_name("function")
    if function is not None and function.type == "selector_expression":
        function = function.child_by_field_name("field")
    return function.text if function is not None else None


class Flow:
    """Reachability questions on one function's control-flow graph.

    Statement-level nodes are located through an index built once, so each question costs
    one walk over the graph's blocks at most."""

    def __init__(self, graph: CFG) -> None:
        self.graph = graph
        self._where: dict[tuple[int, int, str], tuple[Block, int]] = {}
        for block in graph.blocks:
            for index, node in enumerate(block.nodes):
                self._where.setdefault((node.start_byte, node.end_byte, node.type), (block, index))

    def locate(self, node: Node) -> tuple[Block, int] | None:
        return self._where.get((node.start_byte, node.end_byte, node.type))

    def statement_of(self, node: Node) -> Node | None:
        """The graph node that holds ``node``: itself or its nearest ancestor in the graph
        (for a mention inside a nested function literal, the statement holding the literal)."""
        current: Node | None = node
        function = self.graph.function
        while current is not None and current != function:
            if self.locate(current) is not None:
                return current
            current = current.parent
        return None

    def reaches(self, source: Node, target: Node, stops: StopTest = _never) -> bool:
        """Whether control can get from just after ``source`` to ``target`` (both graph nodes)
        without executing a node for which ``stops`` is true.

        ``reaches(s, s)`` asks whether ``s`` can run again, i.e. lies on a loop."""
        located_source = self.locate(source)
        located_target = self.locate(target)
        if located_source is None or located_target is None:
            return False
        source_block, source_index = located_source
        target_block, target_index = located_target
        if source_block is target_block and target_index > source_index:
            return not any(stops(n) for n in source_block.nodes[source_index + 1 : target_index])
        if any(stops(n) for n in source_block.nodes[source_index + 1 :]):
            return False
        seen: set[int] = set()
        work = list(source_block.succs)
        while work:
            block = work.pop()
            if block.index in seen:
                continue
            seen.add(block.index)
            if block is target_block:
                if not any(stops(n) for n in block.nodes[:target_index]):
                    return True
                continue  # every path through this block meets the stop first
            if any(stops(n) for n in block.nodes):
                continue
            work.extend(block.succs)
        return False


def enclosing_loop(node: Node, function: Node) -> Node | None:
    """The innermost ``for`` statement of ``function`` (not of a nested literal) around ``node``."""
    current = node.parent
    while current is not None and current != function:
        if current.type == "for_statement":
            return current
        if current.type in FUNCTION_KINDS:
            return None
        current = current.parent
    return None


def assignment_operator(statement: Node) -> Node | None:
    """The ``=``/``:=``/``+=``... token of an assignment or short variable declaration."""
    left = statement.child_by_field_name("left")
    right = statement.child_by_field_name("right")
    if left is None or right is None:
        return None
    for child in statement.children:
        if not child.is_named and left.end_byte <= child.start_byte < right.start_byte:
            return child
    return None


def root_identifier(expression: Node) -> Node | None:
    """``s`` for ``s``, ``s.f``, ``s.f[0].g``, ``(s).f``; None for anything else."""
    current: Node | None = expression
    while current is not None:
        kind = current.type
        if kind == "identifier":
            return current
        if kind in ("selector_expression", "index_expression"):
            current = current.child_by_field_name("operand")
        elif kind == "parenthesized_expression" and current.named_child_count == 1:
            current = current.named_children[0]
        else:
            return None
    return None


def package_display(ref: tuple[str, str]) -> str:
    """``context.WithValue`` for ("context", "WithValue"); the last path element otherwise."""
    path, name = ref
    return f"{path.rsplit('/', 1)[-1]}.{name}"
