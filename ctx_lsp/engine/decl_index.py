"""One query per top-level declaration for the nodes that rules and the engine look up.

Every tree-sitter query execution walks the whole subtree it runs on, whatever it captures:
on a declaration-dense file the walk, not the captures, is most of a query's cost. Rules
used to run their own queries per declaration (calls to constructors, ``defer`` and ``go``
statements, assignments; the package facts their own; the scopes their own), three walks
per declaration on average. A :class:`DeclIndex` runs one query that captures all of those
node kinds and every call's callee name, and answers each lookup by filtering its lists
by byte range (``FileContext.index`` builds it once per declaration per analysis).

Answers equal the old per-question queries': the nodes of a kind below a node, in source
order (pre-order for nodes that start at the same byte). ``calls_named`` returns every
distinct matching call, where the old query kept one call per start byte.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable

import tree_sitter

from ctx_lsp.engine.parse import GO_LANGUAGE

Node = tree_sitter.Node

# The kinds some lookup asks for. A kind outside this set is answered by its own query.
INDEXED_KINDS: tuple[str, ...] = (
    "defer_statement", "go_statement", "assignment_statement", "labeled_statement", "goto_statement",
    "return_statement", "func_literal", "function_declaration", "method_declaration",
    "short_var_declaration", "var_spec", "const_spec", "range_clause", "receive_statement",
    "type_switch_statement", "for_statement", "select_statement",
)
# The three call patterns come first (the third is the parenthesized callee), then one
# pattern per indexed kind.
_PARENTHESIZED_CALL, _FIRST_KIND_PATTERN = 2, 3
_QUERY = tree_sitter.Query(GO_LANGUAGE, """
    (call_expression function: (identifier) @callee) @call
    (call_expression function: (selector_expression field: (field_identifier) @callee)) @call
    (call_expression function: (parenthesized_expression (selector_expression
        field: (field_identifier) @callee))) @call
""" + "\n".join(f"({kind}) @node" for kind in INDEXED_KINDS))


class Call:
    """A call whose function is ``name``, ``x.name`` or ``(x.name)``."""

    __slots__ = ("node", "name", "parenthesized", "start", "end")

    def __init__(self, node: Node, name: str, parenthesized: bool) -> None:
        self.node = node
        self.name = name
        self.parenthesized = parenthesized  # ``(x.name)(...)``: package facts leave these out
        self.start = node.start_byte
        self.end = node.end_byte


class DeclIndex:
    """The indexed nodes of one subtree (normally a top-level declaration), in source order."""

    __slots__ = ("calls", "_call_starts", "_kinds", "_kind_starts")

    def __init__(self, top: Node) -> None:
        calls: list[Call] = []
        call_starts: list[int] = []
        calls_sorted = True  # starts strictly increasing so far: then already in pre-order
        # By pattern index: the nodes and their starts, and whether those increase strictly.
        kinds: dict[int, tuple[list[Node], list[int]]] = {}
        unsorted: set[int] = set()
        for pattern, captures in tree_sitter.QueryCursor(_QUERY).matches(top):
            if pattern < _FIRST_KIND_PATTERN:
                callee = captures["callee"][0]
                name = (callee.text or b"").decode("utf-8", "surrogateescape")
                call = Call(captures["call"][0], name, pattern == _PARENTHESIZED_CALL)
                if call_starts and call.start <= call_starts[-1]:
                    calls_sorted = False
                call_starts.append(call.start)
                calls.append(call)
            else:
                node = captures["node"][0]
                start = node.start_byte
                found = kinds.get(pattern)
                if found is None:
                    kinds[pattern] = ([node], [start])
                else:
                    if start <= found[1][-1]:
                        unsorted.add(pattern)
                    found[0].append(node)
                    found[1].append(start)
        # Pre-order: by start, the enclosing node first. Matches of nested nodes complete
        # out of order, so sort when the starts do not increase strictly already (1.5% of
        # the benchmark's functions: sorting all by a key, or testing each list afterwards,
        # cost a quarter of the index).
        if not calls_sorted:
            calls.sort(key=lambda call: (call.start, -call.end))
            call_starts = [call.start for call in calls]
        self.calls = calls
        self._call_starts = call_starts
        self._kinds: dict[str, list[Node]] = {}
        self._kind_starts: dict[str, list[int]] = {}
        for pattern, (nodes, starts) in kinds.items():
            if pattern in unsorted:
                nodes.sort(key=_preorder)
                starts = [node.start_byte for node in nodes]
            kind = INDEXED_KINDS[pattern - _FIRST_KIND_PATTERN]
            self._kinds[kind] = nodes
            self._kind_starts[kind] = starts

    def nodes_of_kind(self, node: Node, kind: str) -> list[Node]:
        """Every ``kind`` node in ``node``'s subtree (``node`` included), in source order."""
        if kind not in INDEXED_KINDS:
            return nodes_of_kind_by_query(node, kind)
        nodes = self._kinds.get(kind)
        if not nodes:
            return []
        starts = self._kind_starts[kind]
        return _within(nodes, starts, node.start_byte, node.end_byte, lambda n: n.end_byte)

    def calls_in(self, node: Node) -> list[Call]:
        """The indexed calls in ``node``'s subtree, in source order."""
        return _within(self.calls, self._call_starts, node.start_byte, node.end_byte, lambda c: c.end)

    def calls_named(self, node: Node, names: Iterable[str]) -> list[Node]:
        """Calls in ``node``'s subtree whose function is ``Name``, ``X.Name`` or ``(X.Name)``
        with Name in ``names``, in source order."""
        wanted = names if isinstance(names, (set, frozenset)) else frozenset(names)
        return [call.node for call in self.calls_in(node) if call.name in wanted]


def _preorder(node: Node) -> tuple[int, int]:
    return node.start_byte, -node.end_byte


def _within(items: list, starts: list[int], start: int, end: int, end_of) -> list:
    """Items (sorted by start) lying in [start, end]: a node's subtree is exactly the nodes
    inside its byte range, zero-width ones at its edges aside, which no indexed kind is."""
    low = bisect.bisect_left(starts, start)
    high = bisect.bisect_right(starts, end)
    return [item for item in items[low:high] if end_of(item) <= end]


def nodes_of_kind_by_query(node: Node, kind: str) -> list[Node]:
    """``DeclIndex.nodes_of_kind`` for any kind, by a query of its own."""
    found = tree_sitter.QueryCursor(_kind_query(kind)).captures(node).get("node", [])
    return sorted(found, key=_preorder)


@functools.cache
def _kind_query(kind: str) -> tree_sitter.Query:
    return tree_sitter.Query(GO_LANGUAGE, f"({kind}) @node")
