"""Methods on values whose origin is known: ``ctx.Done()``/``Err()``, ``r.Context()``,
``Timer.Stop``/``Reset``, ``Ticker.Stop`` and ``Cleanup.Stop``."""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import unparen
from ctx_lsp.hover.apis import ApiInfo, api_info
from ctx_lsp.hover.site.common import Subject
from ctx_lsp.hover.site.context_origin import (
    context_origin,
    declaring_statement,
    is_request_variable,
)
from ctx_lsp.knowledge.timers import RESULT_TYPES

Node = tree_sitter.Node



def method_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    selector = node.parent
    if node.type != "field_identifier" or selector is None or selector.type != "selector_expression":
        return None
    operand = selector.child_by_field_name("operand")
    if operand is None or operand.type != "identifier":
        return None
    method = ctx.src.text(node)
    decl = ctx.resolve(operand)
    if decl is None:
        return None
    name = decl.name
    if method in ("Done", "Err"):
        origin = context_origin(ctx, decl, operand)
        if origin is None:
            return None
        api = api_info("context", f"Context.{method}")
        if origin.cancelable is False:
            title = f"**`{name}` can never be canceled (it comes from {origin.text}): " + (
                "`Done()` returns nil here, and receiving from it blocks forever.**" if method == "Done"
                else "`Err()` stays nil.**")
        elif origin.cancel_by:
            title = f"**`{name}` comes from {origin.text}: {method}() reports its cancellation by {origin.cancel_by}.**"
        else:
            title = f"**`{name}` comes from {origin.text}.**"
        return _subject(node, title, api)
    if method == "Context" and is_request_variable(ctx, operand):
        title = (f"**`{name}.Context()` is canceled when the client's connection closes, the request is "
                 "canceled (HTTP/2) or the handler returns.**")
        return _subject(node, title, api_info("net/http", "Request.Context"))
    receiver = _receiver_type(ctx, decl)
    if receiver is None:
        return None
    api = api_info(receiver[0], f"{receiver[1]}.{method}")
    if api is None:
        return None
    return _subject(node, f"**`{name}` is the `{receiver[0]}.{receiver[1]}` made on line "
                          f"{ctx.src.line_of(decl.ident.start_byte) + 1}.**", api)


def _subject(node: Node, title: str, api: ApiInfo | None) -> Subject:
    return Subject(node.start_byte, node.end_byte, title, (), api)


def _receiver_type(ctx: FileContext, decl: LocalDecl) -> tuple[str, str] | None:
    declared = declaring_statement(decl)
    if declared is None:
        return None
    _statement, targets, values = declared
    if len(values) != 1 or not targets or targets[0].start_byte != decl.ident.start_byte:
        return None
    call = unparen(values[0])
    if call.type != "call_expression":
        return None
    return RESULT_TYPES.get(ctx.call_ref(call) or ("", ""))
