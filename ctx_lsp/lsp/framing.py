"""The stdio transport around pygls's reader and writer.

**Reading: resynchronising.** Keeps pygls's stdio reader in step with the client after a wrong ``Content-Length``.

pygls reads a header line, then exactly ``Content-Length`` bytes of body. A client that
counts characters instead of bytes (non-ASCII text) announces too few bytes: the tail of
that body and the next header then arrive as one "line" that does not start with
``Content-Length:``, so pygls ignores it, reads the next body as header lines, and never
recovers. Splitting such a line right before ``Content-Length:`` loses the one broken
message and nothing after it.

**Reading: bodies that are not UTF-8.** JSON exchanged between systems must be UTF-8
(RFC 8259 §8.1); pygls fails to decode such a body, logs, and never answers, so the client
waits forever (issue 21 item 4). Such a body is invalid JSON, which JSON-RPC 2.0 answers
with ParseError (-32700). We answer it *with the request's id* when the id can be read from
the body with the bad bytes replaced, so the client can match the answer to its request (an
error with a null id matches nothing): the body is swapped for a request to
:data:`UNDECODABLE_REQUEST`, whose handler raises that ParseError. An undecodable
notification becomes the notification :data:`UNDECODABLE_NOTIFICATION`, which is logged;
it is not acted on (its text cannot be trusted).

**Writing: a lost client.** A write to a closed pipe (the editor died) calls ``on_lost``,
which ends the process (:class:`~ctx_lsp.lsp.lifecycle.Lifecycle`), instead of raising
BrokenPipeError into whichever handler happened to publish.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import BinaryIO

_HEADER = b"Content-Length:"
UNDECODABLE_REQUEST = "$/ctxLsp/undecodableRequest"
UNDECODABLE_NOTIFICATION = "$/ctxLsp/undecodableNotification"


class ResynchronisingReader:
    """A binary stream wrapper offering what pygls's reader uses: ``readline`` and ``read``."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._pending = b""

    def readline(self) -> bytes:
        line = self._pending or self._stream.readline()
        self._pending = b""
        header_at = line.find(_HEADER, 1)
        if header_at > 0:
            self._pending = line[header_at:]
            return line[:header_at]
        return line

    def read(self, size: int) -> bytes:
        """A message body (pygls reads nothing else with ``read``)."""
        if not self._pending:
            return _decodable(self._stream.read(size))
        data, self._pending = self._pending[:size], self._pending[size:]
        if len(data) < size:
            data += self._stream.read(size - len(data))
        return _decodable(data)


def _decodable(body: bytes) -> bytes:
    """``body``, or the stand-in message of the module doc when it is not UTF-8."""
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    try:
        message = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        message = None
    method = message.get("method") if isinstance(message, dict) else None
    method = method if isinstance(method, str) else None
    request_id = message.get("id") if isinstance(message, dict) else None
    stand_in: dict[str, object]
    if method is not None and isinstance(request_id, (int, str)) and not isinstance(request_id, bool):
        stand_in = {"jsonrpc": "2.0", "id": request_id, "method": UNDECODABLE_REQUEST, "params": {"method": method}}
    else:
        stand_in = {"jsonrpc": "2.0", "method": UNDECODABLE_NOTIFICATION, "params": {"method": method}}
    return json.dumps(stand_in).encode("utf-8")


class GuardedOutput:
    """The output stream given to pygls's writer: a broken pipe calls ``on_lost``."""

    def __init__(self, stream: BinaryIO, on_lost: Callable[[str], None]) -> None:
        self._stream = stream
        self._on_lost = on_lost

    def write(self, data: bytes) -> int:
        try:
            return self._stream.write(data)
        except (BrokenPipeError, ConnectionResetError, ValueError) as error:  # ValueError: closed
            self._on_lost(f"writing to the client failed: {error!r}")
            raise BrokenPipeError(str(error)) from error

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (BrokenPipeError, ConnectionResetError, ValueError) as error:
            self._on_lost(f"writing to the client failed: {error!r}")
            raise BrokenPipeError(str(error)) from error

    def close(self) -> None:
        try:
            self._stream.close()
        except OSError:
            pass
