"""Local name resolution inside a function, without type information.

Go's block scoping is followed closely: parameters and results belong to the function,
``:=``/``var``/``const`` names are visible from the end of their statement to the end of the
innermost block, case clause or if/for/switch header that contains them; ``:=`` only
declares names not already declared in the same scope; range/receive/type-switch variables
belong to their statement or clause. Package-level and imported names resolve to None.
"""

from __future__ import annotations

from collections import defaultdict

import attrs
import tree_sitter

from ctx_lsp.engine.decl_index import DeclIndex
from ctx_lsp.engine.parse import GO_LANGUAGE
from ctx_lsp.engine.syntax import expression_list_items

Node = tree_sitter.Node

_CLAUSE_KINDS = frozenset({"expression_case", "default_case", "type_case", "communication_case"})
_HEADER_OWNERS = frozenset(
    {"if_statement", "for_statement", "expression_switch_statement", "type_switch_statement"}
)
_FUNCTIONS = frozenset({"function_declaration", "method_declaration", "func_literal"})
_IDENTIFIERS_QUERY = tree_sitter.Query(GO_LANGUAGE, "(identifier) @identifier")
# The kinds of node that declare locals, functions aside.
_DECLARING_KINDS = ("short_var_declaration", "var_spec", "const_spec", "range_clause", "receive_statement",
                    "type_switch_statement")


@attrs.frozen
class LocalDecl:
    """A local variable/constant/parameter declaration."""

    name: str
    ident: Node = attrs.field(eq=False, repr=False)  # the declaring identifier
    kind: str  # param | result | receiver | var | const | short | range | receive | alias
    scope: Node = attrs.field(eq=False, repr=False)
    visible_from: int

    @property
    def start(self) -> int:
        return self.ident.start_byte


def _scope_of_statement(statement: Node) -> Node:
    """The scope a declaration statement adds its names to."""
    parent = statement.parent
    while parent is not None and parent.type == "labeled_statement":
        # `again: x := 1` declares x in the block around the label, not in the label
        statement, parent = parent, parent.parent
    if parent is None:
        return statement
    if parent.type == "for_clause":
        return parent.parent or parent
    if parent.type in _HEADER_OWNERS:
        return parent  # an if/switch initializer
    if parent.type == "statement_list":
        owner = parent.parent
        return owner if owner is not None else parent
    return parent


def _has_operator(node: Node, operator: bytes) -> bool:
    return any(not child.is_named and child.text == operator for child in node.children)


class Scopes:
    """Declarations and references of one top-level declaration (function or var block)."""

    def __init__(self, decl: Node, index: DeclIndex) -> None:
        """``index``: the declaration's node index (``FileContext.index``)."""
        self.decl = decl
        self._by_name: dict[str, list[LocalDecl]] = defaultdict(list)
        self._declaring: set[int] = set()  # start bytes of declaring identifiers
        # Indexes for the queries: a broken brace can turn the rest of a file into one huge
        # declaration with hundreds of same-named locals, where scanning every identifier
        # and re-resolving it for every declaration was cubic. Built on first use: most
        # declarations are only asked to resolve a name or two.
        self._identifiers_by_text: dict[bytes, list[Node]] | None = None
        self._identifiers_named: dict[bytes, list[Node]] = {}
        self._text: bytes | None = None
        self._resolved: dict[tuple[int, int, int], LocalDecl | None] = {}
        self._function_of_body: dict[tuple[int, int], Node] = {}
        self._collect(index)

    # -- building -------------------------------------------------------------------------
    def _declare(self, ident: Node, kind: str, scope: Node, visible_from: int) -> None:
        if ident.type != "identifier" or ident.text == b"_":
            return
        name = (ident.text or b"").decode("utf-8", "surrogateescape")
        self._by_name[name].append(LocalDecl(name, ident, kind, scope, visible_from))
        self._declaring.add(ident.start_byte)

    def _declared_in_scope(self, name: str, scope: Node) -> bool:
        # A function body shares its scope with the parameters and results: `ctx, err := f()`
        # at the top of the body assigns the parameter ctx, it does not declare a new one.
        function = self._function_of_body.get((scope.start_byte, scope.end_byte))
        return any(d.scope == scope or (function is not None and d.scope == function)
                   for d in self._by_name.get(name, ()))

    def _declaring_nodes(self, index: DeclIndex) -> dict[str, list[Node]]:
        """The nodes that declare something, by kind (``function`` for the three kinds of
        function), from the declaration's index: found by a query in C, where a Python walk
        over every node of the declaration cost four times as much."""
        found = {kind: index.nodes_of_kind(self.decl, kind) for kind in _DECLARING_KINDS}
        found["function"] = [node for kind in _FUNCTIONS for node in index.nodes_of_kind(self.decl, kind)]
        return found

    def _collect(self, index: DeclIndex) -> None:
        # Sorted into pre-order (start, then the larger node first), the order in which
        # declarations become visible.
        captures = self._declaring_nodes(index)
        found = sorted(((node.start_byte, -node.end_byte, kind, node)
                        for kind, nodes in captures.items() for node in nodes), key=lambda item: item[:2])
        for _, _, kind, node in found:
            if kind == "function":
                self._collect_signature(node)
                body = node.child_by_field_name("body")
                if body is not None:
                    self._function_of_body[(body.start_byte, body.end_byte)] = node
            elif kind == "short_var_declaration":
                scope = _scope_of_statement(node)
                for ident in expression_list_items(node.child_by_field_name("left")):
                    name = (ident.text or b"").decode("utf-8", "surrogateescape")
                    if not self._declared_in_scope(name, scope):
                        self._declare(ident, "short", scope, node.end_byte)
            elif kind in ("var_spec", "const_spec"):
                statement = node.parent
                if statement is not None and statement.type in ("var_spec_list", "const_spec_list"):
                    statement = statement.parent
                if statement is None or statement.parent is None or statement.parent.type == "source_file":
                    continue  # package level: not local
                scope = _scope_of_statement(statement)
                decl_kind = "var" if kind == "var_spec" else "const"
                for ident in node.children_by_field_name("name"):
                    self._declare(ident, decl_kind, scope, node.end_byte)
            elif kind == "range_clause" and _has_operator(node, b":="):
                scope = node.parent or node
                for ident in expression_list_items(node.child_by_field_name("left")):
                    self._declare(ident, "range", scope, node.end_byte)
            elif kind == "receive_statement" and _has_operator(node, b":="):
                scope = node.parent or node  # the communication_case
                for ident in expression_list_items(node.child_by_field_name("left")):
                    self._declare(ident, "receive", scope, node.end_byte)
            elif kind == "type_switch_statement":
                for ident in expression_list_items(node.child_by_field_name("alias")):
                    self._declare(ident, "alias", node, ident.end_byte)

    def _identifier_index(self) -> dict[bytes, list[Node]]:
        if self._identifiers_by_text is None:
            index: dict[bytes, list[Node]] = defaultdict(list)
            identifiers = tree_sitter.QueryCursor(_IDENTIFIERS_QUERY).captures(self.decl).get("identifier", [])
            for node in sorted(identifiers, key=lambda n: n.start_byte):
                index[node.text or b""].append(node)
            self._identifiers_by_text = index
        return self._identifiers_by_text

    def identifiers_named(self, text: bytes) -> list[Node]:
        """The declaration's identifiers whose text is ``text``, in source order. Found by a
        byte search, each occurrence checked against the tree (an identifier node exactly
        there, not part of a longer word, a string or a comment): cheaper than the query
        over every identifier of the declaration, which ``references`` needed once per
        function. With syntax errors the query's index answers (error recovery can make
        odd nodes)."""
        if self.decl.has_error or not text:
            return self._identifier_index().get(text, [])
        found = self._identifiers_named.get(text)
        if found is None:
            found = []
            if self._text is None:
                self._text = self.decl.text or b""
            data, base, size = self._text, self.decl.start_byte, len(text)
            position = data.find(text)
            while position >= 0:
                start = base + position
                node = self.decl.descendant_for_byte_range(start, start + size)
                if node is not None and node.type == "identifier" and node.start_byte == start \
                        and node.end_byte == start + size:
                    found.append(node)
                position = data.find(text, position + 1)
            self._identifiers_named[text] = found
        return found

    def _collect_signature(self, function: Node) -> None:
        for field, kind in (("receiver", "receiver"), ("parameters", "param"), ("result", "result")):
            parameters = function.child_by_field_name(field)
            if parameters is None or parameters.type != "parameter_list":
                continue
            for parameter in parameters.named_children:
                for ident in parameter.children_by_field_name("name"):
                    self._declare(ident, kind, function, function.start_byte)

    # -- queries --------------------------------------------------------------------------
    def is_declaring(self, ident: Node) -> bool:
        return ident.start_byte in self._declaring

    def resolve(self, ident: Node) -> LocalDecl | None:
        """The local declaration ``ident`` refers to, or None (package-level, import, builtin)."""
        key = (ident.start_byte, ident.end_byte, ident.kind_id)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(ident)
        return self._resolved[key]

    def _resolve(self, ident: Node) -> LocalDecl | None:
        name = (ident.text or b"").decode("utf-8", "surrogateescape")
        candidates = self._by_name.get(name)
        if not candidates:
            return None
        position = ident.start_byte
        best: LocalDecl | None = None
        for candidate in candidates:
            if candidate.ident.start_byte == position:
                return candidate
            scope = candidate.scope
            if not (scope.start_byte <= position < scope.end_byte):
                continue
            if candidate.visible_from > position:
                continue
            if best is None or _narrower(candidate, best):
                best = candidate
        return best

    def declarations(self, name: str) -> list[LocalDecl]:
        return list(self._by_name.get(name, ()))

    def references(self, decl: LocalDecl) -> list[Node]:
        """Identifiers (not the declaring one) that resolve to ``decl``."""
        found = []
        for ident in self.identifiers_named(decl.ident.text or b""):
            if ident.start_byte != decl.ident.start_byte and self.resolve(ident) == decl:
                found.append(ident)
        return found


def _narrower(a: LocalDecl, b: LocalDecl) -> bool:
    """True when ``a``'s scope is nested inside ``b``'s (or is the later declaration of the
    same scope, which only happens for redeclarations across nested function literals)."""
    a_size = a.scope.end_byte - a.scope.start_byte
    b_size = b.scope.end_byte - b.scope.start_byte
    if a_size != b_size:
        return a_size < b_size
    return a.visible_from > b.visible_from
