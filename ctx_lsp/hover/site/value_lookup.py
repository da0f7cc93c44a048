"""A ``ctx.Value(key)`` lookup whose key can never equal a stored one (the
context-value-key-mismatch rule's site).

``(*valueCtx).Value`` compares ``c.key == key``: two interface values are equal only when their
dynamic types and values are, so a ``string`` key never finds a value stored under a named
string type with the same text; without a match the lookup returns nil (docs/runtime-facts.md
§18, every Go version).
"""

from __future__ import annotations

import re

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.syntax import call_arguments, unparen
from ctx_lsp.hover.site.common import Subject, code_span
from ctx_lsp.hover.site.rule_findings import finding_on

Node = tree_sitter.Node

# "... looks up a key of type string, but this package stores that value only under type
# contextKey (traceIDKey): ..."
_TYPES = re.compile(r"key of type (\S+), but this package stores that value only under (.+?) \((.+?)\):")
_MAX_DEPTH = 4


def value_lookup_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    key = _lookup_key(ctx, node)
    if key is None:
        return None
    finding = finding_on(ctx, "context-value-key-mismatch", key)
    if finding is None:
        return None
    found = _TYPES.search(finding.message)
    if found is None:
        return None
    looked_up, stored_types, stored = found.groups()
    stored_types = stored_types.replace("type ", "")
    title = (f"**This lookup never finds what this package stored: its key is a `{looked_up}`, and the value is "
             f"stored only under `{stored_types}` keys (`{stored}`).**")
    facts = [f"`Value` compares keys with `==` on interface values: the dynamic types must be equal too, so "
             f"{code_span(ctx, key)} never equals `{stored}`, however alike they print.",
             "Unless other code stored a value under this exact key, the lookup returns nil: a comma-ok type "
             "assertion on it yields the zero value, a plain one panics.",
             f"Use the stored key `{stored}`."]
    return Subject(key.start_byte, key.end_byte, title, tuple(facts))


def _lookup_key(ctx: FileContext, node: Node) -> Node | None:
    """The key argument of the ``X.Value(key)`` call that ``node`` is part of (the key itself, or
    the ``Value`` name)."""
    current: Node | None = node
    for _ in range(_MAX_DEPTH):
        if current is None:
            return None
        if current.type == "call_expression":
            function = current.child_by_field_name("function")
            field = function.child_by_field_name("field") if function is not None else None
            if field is not None and function is not None and function.type == "selector_expression" \
                    and ctx.src.text(field) == "Value":
                arguments = call_arguments(current)
                if len(arguments) != 1:
                    return None
                key = unparen(arguments[0])
                hovered_inside = key.start_byte <= node.start_byte and node.end_byte <= key.end_byte
                return key if hovered_inside or node == field else None
        current = current.parent
    return None
