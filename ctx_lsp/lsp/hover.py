"""``textDocument/hover``: a thin handler over :func:`ctx_lsp.hover.site.hover_at`.

The hover text is the hover layer's; this module only brings the document's analysis up to
date (a hover always describes the text the client has now) and converts byte offsets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types as T

from ctx_lsp.hover.site import hover_at
from ctx_lsp.lsp import convert
from ctx_lsp.lsp.document import DocumentChangeError
from ctx_lsp.lsp.handler_support import guarded, open_document_or_log

if TYPE_CHECKING:
    from ctx_lsp.lsp.server import CtxLanguageServer


def register(server: CtxLanguageServer) -> None:
    server.feature(T.TEXT_DOCUMENT_HOVER)(on_hover)


@guarded(default=None)
async def on_hover(ls: CtxLanguageServer, params: T.HoverParams) -> T.Hover | None:
    open_document = open_document_or_log(ls, params.text_document.uri, "textDocument/hover")
    if open_document is None:
        return None
    results = await ls.scheduler.results_of(open_document)
    if results is None or results.analysis.context is None:
        return None
    try:
        offset = results.snapshot.offset(params.position.line, params.position.character)
    except DocumentChangeError:
        return None
    markdown = ls.features.markdown_hover
    found = hover_at(results.analysis.context, offset, results.analysis.findings, markdown)
    return to_hover(results.snapshot, found, markdown)


def to_hover(document: convert.TextView, found: Any, markdown: bool) -> T.Hover | None:
    """Accepts what ``hover_at`` returns: None, text, or an object with ``text`` and
    optionally ``start``/``end`` byte offsets."""
    if found is None:
        return None
    text = found if isinstance(found, str) else getattr(found, "text", None)
    if not text:
        return None
    kind = T.MarkupKind.Markdown if markdown else T.MarkupKind.PlainText
    start, end = getattr(found, "start", None), getattr(found, "end", None)
    hover_range = convert.lsp_range(document, start, end) if isinstance(start, int) and isinstance(end, int) else None
    return T.Hover(contents=T.MarkupContent(kind=kind, value=text), range=hover_range)
