"""Text synchronisation: ``didOpen``, ``didChange`` and ``didClose``.

Sync is incremental and handled by :class:`~ctx_lsp.lsp.document.GoDocument` (own byte buffer,
LSP line index, incremental re-parse). These handlers are synchronous, so they are never
reordered with later requests; they only update the buffer and tell the scheduler. A change
that cannot be applied (a range past the end, an older version) is logged and the last good
state is kept: nothing a client sends may corrupt a buffer.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from lsprotocol import types as T

from ctx_lsp.lsp import diagnostics
from ctx_lsp.lsp.document import DocumentChangeError, GoDocument, TextChange
from ctx_lsp.lsp.handler_support import guarded, path_of
from ctx_lsp.lsp.open_document import OpenDocument

if TYPE_CHECKING:
    from ctx_lsp.lsp.server import CtxLanguageServer

logger = logging.getLogger("ctx_lsp.server")


def register(server: CtxLanguageServer) -> None:
    server.feature(T.TEXT_DOCUMENT_DID_OPEN)(on_did_open)
    server.feature(T.TEXT_DOCUMENT_DID_CHANGE)(on_did_change)
    server.feature(T.TEXT_DOCUMENT_DID_CLOSE)(on_did_close)


def _is_go_document(item: T.TextDocumentItem) -> bool:
    return item.language_id == "go" or item.uri.endswith(".go")


def _text_change(change: T.TextDocumentContentChangeEvent) -> TextChange:
    if isinstance(change, T.TextDocumentContentChangePartial):
        start, end = change.range.start, change.range.end
        return TextChange(change.text, (start.line, start.character), (end.line, end.character))
    return TextChange(change.text)


@guarded()
def on_did_open(ls: CtxLanguageServer, params: T.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    if not _is_go_document(item):
        logger.info("ignoring non-Go document %s (%s)", item.uri, item.language_id)
        return
    document = GoDocument(item.uri, item.text, path=path_of(item.uri), version=item.version,
                          encoding=ls.features.encoding)
    open_document = OpenDocument(document)
    ls.add_document(open_document)
    ls.scheduler.opened(open_document)
    ls.warm_module_index(document.path)


@guarded()
def on_did_change(ls: CtxLanguageServer, params: T.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    open_document = ls.documents.get(uri)
    if open_document is None:
        ls.log_warning(f"didChange for {uri}, which is not open; ignored")
        return
    try:
        open_document.document.apply_changes(
            [_text_change(change) for change in params.content_changes], params.text_document.version)
    except DocumentChangeError as error:
        ls.log_warning(f"didChange for {uri} (version {params.text_document.version}) ignored, "
                           f"keeping version {open_document.document.version}: {error}")
        return
    open_document.changed()
    ls.scheduler.changed(open_document)


@guarded()
def on_did_close(ls: CtxLanguageServer, params: T.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    if not ls.remove_document(uri):
        ls.log_warning(f"didClose for {uri}, which is not open; ignored")
        return
    diagnostics.clear(ls, uri)
    ls.scheduler.return_memory_soon()
    # The buffer is gone: what other packages see of this file is its text on disk again.
    ls.loader.modules.file_changed(path_of(uri))
