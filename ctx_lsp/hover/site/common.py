"""Pieces every hover subject uses: the result and subject records, positions, code spans."""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import FUNCTION_KINDS
from ctx_lsp.hover.apis import ApiInfo
from ctx_lsp.knowledge import finalizer_calls as finalizers

Node = tree_sitter.Node

# A sentence that starts with Go code (``runtime.AddCleanup panics...``) keeps its case.
_STARTS_WITH_CODE = re.compile(r"^[a-z]\w*\.[A-Z]")


@attrs.frozen
class HoverResult:
    """Hover text and the byte range ``[start, end)`` of the hovered construct."""

    text: str
    start: int
    end: int


@attrs.frozen
class Subject:
    """What the hovered token is about: the one fact about this site (``title``, the popup's
    first line), a few more site facts, and the API whose signature and mechanism follow."""

    start: int
    end: int
    title: str
    facts: tuple[str, ...] = ()
    api: ApiInfo | None = None


def line_of(ctx: FileContext, offset: int) -> int:
    return ctx.src.line_of(offset) + 1


def code_span(ctx: FileContext, node: Node, limit: int = 40) -> str:
    """Source text as a markdown code span (a raw string's backticks need a longer fence)."""
    text = finalizers.short_text(ctx, node, limit)
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def ancestors(ctx: FileContext, node: Node) -> list[Node]:
    """The ancestors of ``node``, outermost first, from the root down. Found by descending
    (``child_with_descendant``) because tree-sitter's ``Node.parent`` costs O(depth): climbing
    parents is quadratic in deeply nested code."""
    path: list[Node] = []
    current = ctx.src.root
    for _ in range(1_000_000):
        if current == node:
            return path
        path.append(current)
        child = current.child_with_descendant(node)
        if child is None:
            break
        current = child
    return path


def enclosing_function(ctx: FileContext, node: Node) -> Node | None:
    for ancestor in reversed(ancestors(ctx, node)):
        if ancestor.type in FUNCTION_KINDS:
            return ancestor
    return None


def sentence(text: str) -> str:
    """``text`` as a sentence: capitalised (unless it starts with Go code) and ended with a period."""
    if not text:
        return ""
    first = text[:1] if _STARTS_WITH_CODE.match(text) else text[:1].upper()
    return first + text[1:] + ("" if text.endswith(".") else ".")


def display(ref: tuple[str, str]) -> str:
    """``context.WithTimeout``, ``signal.NotifyContext``."""
    return f"{ref[0].rsplit('/', 1)[-1]}.{ref[1]}"


def call_of(reference: Node) -> Node | None:
    parent = reference.parent
    if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == reference:
        return parent
    return None


def call_receiving(argument: Node) -> Node | None:
    """The call that gets ``argument`` directly as one of its arguments (parentheses around
    it allowed), or None (passed through a local, or not an argument)."""
    current = argument
    while current.parent is not None and current.parent.type == "parenthesized_expression":
        current = current.parent
    arguments = current.parent
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    return call if call is not None and call.type == "call_expression" else None
