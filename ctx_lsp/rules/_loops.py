"""Shared helpers of the loop rules (cancel-deferred-in-loop, context-in-loop,
goroutine-ignores-context): "can control get from here back to there" questions on the
engine's control-flow graph, and where a node sits (its function, the loops around it).

A loop is not recognised by its syntax but by the graph: a statement runs again when the
graph leads from it back to itself. That covers ``for``, ``range`` and ``goto`` loops alike,
and it knows that a loop body ending in ``return`` or ``break`` on every path runs only once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import tree_sitter

from ctx_lsp.engine.cfg import CFG, Block
from ctx_lsp.engine.syntax import FUNCTION_KINDS

if TYPE_CHECKING:
    from ctx_lsp.engine.context import FileContext

Node = tree_sitter.Node
StopTest = Callable[[Node], bool]


def _never(_node: Node) -> bool:
    return False


def function_index(path: list[Node]) -> int | None:
    """Index in ``path`` (from ``path_between``) of the innermost function above its last node."""
    for index in range(len(path) - 2, -1, -1):
        if path[index].type in FUNCTION_KINDS:
            return index
    return None


def loops_on(path: list[Node], start: int) -> list[Node]:
    """The ``for`` statements strictly between ``path[start]`` and the last node, outermost
    first (``start`` is normally the function's index, so loops of enclosing functions are
    left out)."""
    return [node for node in path[start + 1 : -1] if node.type == "for_statement"]


def inside_nested_function(path: list[Node]) -> bool:
    """Whether a function literal lies between ``path[0]`` (a function) and the last node."""
    return any(node.type in FUNCTION_KINDS for node in path[1:-1])


def may_repeat(ctx: FileContext, loops: list[Node], function: Node) -> bool:
    """Cheap syntactic precondition for running more than once per call of ``function``: a
    ``for`` around the node inside ``function``, or a label (a ``goto`` loop) in ``function``."""
    return bool(loops) or bool(ctx.nodes_of_kind(function, "labeled_statement"))


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

    def statement_on(self, path: list[Node]) -> Node | None:
        """The deepest graph node on ``path`` (from ``path_between(function, node)``): the
        statement or header that holds ``node`` — for a mention inside a nested function
        literal, the statement holding the literal."""
        return next((node for node in reversed(path) if self.locate(node) is not None), None)

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
