"""Keeps pygls's stdio reader in step with the client after a wrong ``Content-Length``.

pygls reads a header line, then exactly ``Content-Length`` bytes of body. A client that
counts characters instead of bytes (non-ASCII text) announces too few bytes: the tail of
that body and the next header then arrive as one "line" that does not start with
``Content-Length:``, so pygls ignores it, reads the next body as header lines, and never
recovers. Splitting such a line right before ``Content-Length:`` loses the one broken
message and nothing after it.
"""

from __future__ import annotations

from typing import BinaryIO

_HEADER = b"Content-Length:"


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
        if not self._pending:
            return self._stream.read(size)
        data, self._pending = self._pending[:size], self._pending[size:]
        if len(data) < size:
            data += self._stream.read(size - len(data))
        return data
