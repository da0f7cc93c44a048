"""pygls protocol adjustments: our own document sync and UTF-8 position encoding first.

pygls's built-in ``didOpen``/``didChange``/``didClose`` handlers update pygls's own
``TextDocument`` before our handlers run. We keep every open Go buffer in a
:class:`~ctx_lsp.lsp.document.GoDocument` instead, so these overrides only forward to our
handlers. That saves a second copy of every edit (about 1 ms per keystroke on a 10,000-line
file, see docs/engineering-notes.md §1.3) and, more importantly, a ``KeyError`` or an ``IndexError``
inside pygls for a change to an unknown document or a range past the end, which would
bypass our handler's "log and keep the last good state" policy.

pygls picks the *first* position encoding the client lists. We prefer utf-8 whenever the
client offers it (an LSP column then equals a byte column), and otherwise follow pygls.

Every request gets an answer (issue 21 items 2 and 4); pygls leaves these unanswered, and the
client waits forever:

- a request whose params cannot be decoded: InvalidParams (-32602);
- a request whose body is not UTF-8: ParseError (-32700), with the request's id when it can
  be read (see :mod:`.framing`, which swaps such a body for :data:`UNDECODABLE_REQUEST`);
- a notification method sent with an id (a request to a method that is not one): InvalidRequest
  (-32600), and the notification is not acted on: the error tells the client it was not done;
- any request after ``shutdown``: InvalidRequest (-32600), as the LSP specification says.

``exit`` ends the process with the code the specification gives (0 after ``shutdown``, else
1) through :class:`~ctx_lsp.lsp.lifecycle.Lifecycle`; pygls's own ``sys.exit`` is swallowed
by its ``start_io``, so every session used to end with 0.

pygls (2.1) files the future of every handler it runs under the message id in
``_request_futures``, and removes it only when it answers a request. A notification gets a
made-up id, and so does each step of a generator handler (every built-in handler, and our
``didOpen``/``didChange``/``didClose``): their futures, done, stayed there for the life of the
process, about 3.5 kB per keystroke (RSS 79 -> 151 MB over a 20,000-edit session).
:meth:`CtxLspProtocol._forget_done_futures` removes the done ones whenever the table has
doubled (at least 64 entries), so it stays small (docs/engineering-notes.md §1.11).
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

from ctx_lsp.lsp.framing import UNDECODABLE_NOTIFICATION, UNDECODABLE_REQUEST

logger = logging.getLogger(__name__)
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
INVALID_PARAMS = -32602
# pygls's table of handler futures is swept of done ones when it holds more than this many
# (CtxLspProtocol._forget_done_futures).
MIN_SWEEP = 64


class _Answered:
    """A message answered with an error while it was decoded: nothing more to do."""

    jsonrpc = None


def is_notification_method(method: object) -> bool:
    types = T.METHOD_TO_TYPES.get(method) if isinstance(method, str) else None
    if types is None:
        return False  # unknown to the protocol: pygls answers a request for it with MethodNotFound
    message_type, result_type = types[0], types[1]
    return result_type is None and not any(
        field.name == "id" for field in getattr(message_type, "__attrs_attrs__", ()))


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
        # json.loads calls this for every object, innermost first; only a message has "jsonrpc".
        if isinstance(data, dict) and "jsonrpc" in data and "method" in data and _is_request_id(data.get("id")):
            method = data["method"]
            if method == UNDECODABLE_REQUEST:
                original = (data.get("params") or {}).get("method")
                self._answer_error(data["id"], PARSE_ERROR, f"{original}: the message is not valid UTF-8 JSON")
                return _Answered()
            if is_notification_method(method):
                self._answer_error(data["id"], INVALID_REQUEST,
                                   f"{method} is a notification: send it without an id (not acted on)")
                return _Answered()
        try:
            return super().structure_message(data)
        except JsonRpcException:
            if isinstance(data, dict) and "method" in data and _is_request_id(data.get("id")):
                self._answer_error(data["id"], INVALID_PARAMS, f"{data['method']}: the params could not be decoded")
            raise  # pygls logs and drops the message

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Answered):
            return
        method = getattr(message, "method", None)
        if method == UNDECODABLE_NOTIFICATION:
            original = getattr(getattr(message, "params", None), "method", None)
            logger.warning("a %s notification that is not valid UTF-8 JSON was dropped", original or "(unknown)")
            return
        if self._shutdown and method is not None and method != T.EXIT and _is_request_id(getattr(message, "id", None)):
            self._answer_error(message.id, INVALID_REQUEST, f"{method}: the server is shut down; only exit is accepted")
            return
        super().handle_message(message)

    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any, args: tuple[Any, ...] | None = None,
                         kwargs: dict[str, Any] | None = None) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        if len(self._request_futures) > self._sweep_at:
            self._forget_done_futures()

    _sweep_at = MIN_SWEEP

    def _forget_done_futures(self) -> None:
        """Drop the done futures from pygls's table (see the module doc); pending ones stay, so
        ``$/cancelRequest`` still finds them. Not a done-callback per future: pygls's
        ``shutdown`` cancels pending futures while iterating over the table, and a
        concurrent future runs its callbacks inside ``cancel``. Sweeping when the table has
        doubled since the last sweep costs O(1) per message."""
        futures = self._request_futures
        for msg_id, future in list(futures.items()):  # a snapshot: pygls's threads pop too
            if future.done() and futures.get(msg_id) is future:
                futures.pop(msg_id, None)
        self._sweep_at = max(MIN_SWEEP, 2 * len(futures))

    def _answer_error(self, message_id: int | str, code: int, message: str) -> None:
        try:
            self._send_response(message_id, error=T.ResponseError(code=code, message=message))
        except Exception:  # never let the answer to a bad message become a second failure
            logger.exception("could not answer message %r with error %d", message_id, code)

    @lsp_method(T.EXIT)
    def lsp_exit(self, *args: Any) -> Generator[Any, Any, None]:
        lifecycle = getattr(self._server, "lifecycle", None)
        if lifecycle is None:  # not our server: pygls's behaviour
            return (yield from super().lsp_exit(*args))
        lifecycle.terminate(lifecycle.exit_code, "exit notification")
        return None
        yield  # a generator, like every pygls builtin handler

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


def _is_request_id(value: object) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)
