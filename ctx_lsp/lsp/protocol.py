"""pygls protocol adjustments: our own document sync and UTF-8 position encoding first.

pygls's built-in ``didOpen``/``didChange``/``didClose`` handlers update pygls's own
``TextDocument`` before our handlers run. We keep every open Go buffer in a
:class:`~ctx_lsp.lsp.document.GoDocument` instead, so these overrides only forward to our
handlers. That saves a second copy of every edit (about 1 ms per keystroke on a 10,000-line
file, see ENGINEERING_NOTES.md) and, more importantly, a ``KeyError`` or an ``IndexError``
inside pygls for a change to an unknown document or a range past the end, which would
bypass our handler's "log and keep the last good state" policy.

pygls picks the *first* position encoding the client lists. We prefer utf-8 whenever the
client offers it (an LSP column then equals a byte column), and otherwise follow pygls.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from lsprotocol import types as T
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method


def prefer_utf8(capabilities: T.ClientCapabilities) -> None:
    """Move utf-8 to the front of the client's offered encodings (when offered at all)."""
    general = capabilities.general
    if general is None or not general.position_encodings:
        return
    offered = list(general.position_encodings)
    if T.PositionEncodingKind.Utf8 in offered:
        offered.remove(T.PositionEncodingKind.Utf8)
        general.position_encodings = [T.PositionEncodingKind.Utf8, *offered]


class CtxLspProtocol(LanguageServerProtocol):
    """LanguageServerProtocol without pygls's text document store (see the module doc)."""

    @lsp_method(T.INITIALIZE)
    def lsp_initialize(self, params: T.InitializeParams) -> Generator[Any, Any, T.InitializeResult]:
        prefer_utf8(params.capabilities)
        return (yield from super().lsp_initialize(params))

    @lsp_method(T.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: T.DidOpenTextDocumentParams) -> Generator[Any, Any, None]:
        yield from self._forward(T.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(T.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: T.DidChangeTextDocumentParams) -> Generator[Any, Any, None]:
        yield from self._forward(T.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(T.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: T.DidCloseTextDocumentParams) -> Generator[Any, Any, None]:
        yield from self._forward(T.TEXT_DOCUMENT_DID_CLOSE, params)

    def _forward(self, method: str, params: Any) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None
