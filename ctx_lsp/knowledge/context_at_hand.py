"""The context a function has at hand at a given point: a ``context.Context`` parameter, an
``*http.Request`` parameter (``r.Context()``, docs/runtime-facts.md §14) or, from Go 1.24, a
``*testing.T``/``B``/``F`` or ``testing.TB`` parameter (``t.Context()``), of the innermost
enclosing function or of an enclosing one whose parameter a function literal captures.

Only parameters count: a local context may have been derived from anything, and a parameter
is what the caller controls.
"""

from __future__ import annotations

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.scopes import LocalDecl, Scopes
from ctx_lsp.engine.syntax import FUNCTION_KINDS, path_between
from ctx_lsp.knowledge.contexts import is_context_type
from ctx_lsp.knowledge.versions import GoVersion, at_least

Node = tree_sitter.Node

# testing.T.Context and friends: api/go1.24.txt.
TESTING_CONTEXT: GoVersion = (1, 24)
_TESTING_TYPES = frozenset({("testing", "T"), ("testing", "B"), ("testing", "F"), ("testing", "TB")})
_REQUEST = ("net/http", "Request")


@attrs.frozen
class ContextAtHand:
    """``expression`` is how code at the point spells the context (``ctx``, ``r.Context()``);
    ``function`` is the function whose parameter provides it; ``parameter`` the parameter."""

    expression: str
    function: Node = attrs.field(eq=False, repr=False)
    parameter: LocalDecl = attrs.field(eq=False, repr=False)
    kind: str  # "context" | "request" | "testing"


def enclosing_functions(node: Node, top: Node) -> list[Node]:
    """Functions containing ``node`` within the top-level ``top``, innermost first."""
    return [step for step in reversed(path_between(top, node)[:-1]) if step.type in FUNCTION_KINDS]


def context_at_hand(ctx: FileContext, node: Node, top: Node) -> ContextAtHand | None:
    """The context visible at ``node`` (see the module docstring), innermost function first,
    and within a function a context parameter before a request before a test."""
    scopes = ctx.scopes(node)
    for function in enclosing_functions(node, top):
        found = _from_parameters(ctx, scopes, function, node.start_byte)
        if found is not None:
            return found
    return None


def visible_at(scopes: Scopes, name: str, position: int) -> LocalDecl | None:
    """The local declaration ``name`` refers to at ``position`` (as ``Scopes.resolve`` would
    for an identifier written there)."""
    best: LocalDecl | None = None
    for candidate in scopes.declarations(name):
        scope = candidate.scope
        if not (scope.start_byte <= position < scope.end_byte) or candidate.visible_from > position:
            continue
        if best is None or _narrower(candidate, best):
            best = candidate
    return best


def _narrower(a: LocalDecl, b: LocalDecl) -> bool:
    a_size = a.scope.end_byte - a.scope.start_byte
    b_size = b.scope.end_byte - b.scope.start_byte
    if a_size != b_size:
        return a_size < b_size
    return a.visible_from > b.visible_from


def _from_parameters(ctx: FileContext, scopes: Scopes, function: Node, position: int) -> ContextAtHand | None:
    parameters = function.child_by_field_name("parameters")
    if parameters is None:
        return None
    found: dict[str, ContextAtHand] = {}
    for declaration in parameters.named_children:
        if declaration.type != "parameter_declaration":
            continue
        declared = declaration.child_by_field_name("type")
        if declared is None:
            continue
        kind = _parameter_kind(ctx, declared)
        if kind is None or kind in found:
            continue
        for ident in declaration.children_by_field_name("name"):
            name = ctx.src.text(ident)
            local = visible_at(scopes, name, position)
            if name == "_" or local is None or local.ident.start_byte != ident.start_byte:
                continue  # blank, or shadowed at the point
            expression = name if kind == "context" else f"{name}.Context()"
            found[kind] = ContextAtHand(expression, function, local, kind)
            break
    for kind in ("context", "request", "testing"):
        if kind in found:
            return found[kind]
    return None


def _parameter_kind(ctx: FileContext, declared: Node) -> str | None:
    if is_context_type(ctx, declared):
        return "context"
    pointer = declared.type == "pointer_type"
    target = declared.named_children[0] if pointer and declared.named_child_count else declared
    ref = ctx.pkg_ref(target)
    if pointer and ref == _REQUEST:
        return "request"
    if ref in _TESTING_TYPES and (pointer or ref == ("testing", "TB")) and at_least(ctx.go_version, TESTING_CONTEXT):
        return "testing"
    return None
