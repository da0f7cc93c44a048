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

A request whose params cannot be decoded is dropped by pygls without an answer, leaving the
client waiting forever; we answer it with an InvalidParams error first.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections.abc import Generator
from typing import Any

from lsprotocol import types as T
from pygls.exceptions import JsonRpcException, JsonRpcInternalError
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

logger = logging.getLogger(__name__)
INVALID_PARAMS = -32602


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

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException:
            if isinstance(data, dict) and "method" in data and isinstance(data.get("id"), (int, str)):
                self._answer_undecodable(data["id"], str(data["method"]))
            raise  # pygls logs and drops the message

    def _answer_undecodable(self, message_id: int | str, method: str) -> None:
        try:
            error = T.ResponseError(code=INVALID_PARAMS, message=f"{method}: the params could not be decoded")
            self._send_response(message_id, error=error)
        except Exception:  # never let the answer to a bad message become a second failure
            logger.exception("could not answer the undecodable %s request", method)

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

    def notify_encoded(self, method: str, params_json: str) -> None:
        """Send a notification whose params are JSON text already.

        pygls's ``notify`` runs cattrs and json.dumps over the whole message on every call:
        about 2 ms for the hundred diagnostics of a large file, on every keystroke, though
        nearly all of them were encoded before (open_document._diagnostics keeps each
        diagnostic's JSON text). This mirrors pygls's ``_send_data`` for a ready body: the
        same headers, writer and error handling."""
        body = f'{{"jsonrpc":"2.0","method":{json.dumps(method)},"params":{params_json}}}'
        if self.writer is None:
            logger.error("Unable to send %s: no transport", method)
            return
        if self._include_headers:
            body = (f"Content-Length: {len(body.encode(self.CHARSET))}\r\n"
                    f"Content-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n{body}")
        try:
            written = self.writer.write(body.encode(self.CHARSET))
            if inspect.isawaitable(written):
                asyncio.ensure_future(written)
        except BrokenPipeError:
            logger.exception("Error sending data. BrokenPipeError")
            raise
        except Exception as error:
            logger.exception("Error sending data")
            self._server._report_server_error(error, JsonRpcInternalError)

    def _forward(self, method: str, params: Any) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(method)
        if handler is not None:
            yield handler, (params,), None
