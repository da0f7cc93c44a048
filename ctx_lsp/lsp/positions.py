"""Column conversions between byte offsets and LSP characters in utf-8, utf-16 or utf-32.

The engine works in UTF-8 byte offsets; an LSP ``Position.character`` counts units of the
negotiated encoding within one line. Conversions happen per line, so only the line's bytes
are decoded. Invalid UTF-8 (possible in files read from disk, never in text sent by a client)
is decoded with ``surrogateescape``: every invalid byte counts as one character of its own in
every encoding, which keeps the conversion reversible and total.

A client column that falls inside a character (the middle of a UTF-8 sequence or between the
halves of a UTF-16 surrogate pair) is undefined by the protocol; we snap it back to the start
of that character so that an edit can never split a character. A column past the end of the
line means the end of the line (LSP 3.17, ``Position``).
"""

from __future__ import annotations

from typing import Final, Literal

Encoding = Literal["utf-8", "utf-16", "utf-32"]

UTF8: Final = "utf-8"
UTF16: Final = "utf-16"
UTF32: Final = "utf-32"
ENCODINGS: Final[tuple[Encoding, ...]] = (UTF8, UTF16, UTF32)

_DECODE_ERRORS: Final = "surrogateescape"


def _decode(line: bytes) -> str:
    return line.decode("utf-8", _DECODE_ERRORS)


def _utf8_length(text: str) -> int:
    return len(text.encode("utf-8", _DECODE_ERRORS))


def _utf16_length(text: str) -> int:
    # surrogatepass keeps surrogate escapes (invalid input bytes) at one code unit each.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def units(text: str, encoding: Encoding) -> int:
    """Length of ``text`` in client units of ``encoding``."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF16:
        return _utf16_length(text)
    return _utf8_length(text)


def client_column(line: bytes, byte_column: int, encoding: Encoding) -> int:
    """The LSP character of ``byte_column`` within ``line`` (the line's bytes without its break)."""
    byte_column = max(0, min(byte_column, len(line)))
    if encoding == UTF8 or line.isascii():
        return byte_column
    boundary = _snap_back_to_boundary(line, byte_column)
    return units(_decode(line[:boundary]), encoding)


def byte_column(line: bytes, character: int, encoding: Encoding) -> int:
    """The byte offset within ``line`` of LSP ``character`` (clamped and snapped, see module doc)."""
    character = max(0, character)
    if line.isascii():
        return min(character, len(line))
    if encoding == UTF8:
        return _snap_back_to_boundary(line, min(character, len(line)))
    text = _decode(line)
    if encoding == UTF32:
        return _utf8_length(text[:character])
    return _utf8_length(_utf16_prefix(text, character))


def _utf16_prefix(text: str, code_units: int) -> str:
    encoded = text.encode("utf-16-le", "surrogatepass")[: 2 * code_units]
    if len(encoded) >= 2 and 0xD8 <= encoded[-1] <= 0xDB:
        # The cut fell between the halves of a surrogate pair: keep the whole character out.
        encoded = encoded[:-2]
    return encoded.decode("utf-16-le", "surrogatepass")


def _snap_back_to_boundary(line: bytes, column: int) -> int:
    """The start of the character containing byte ``column`` (``column`` itself if it is one).

    A byte that is not a UTF-8 continuation byte always starts a character (possibly an
    invalid one of length 1); only continuation bytes need the slow path.
    """
    if column >= len(line) or not 0x80 <= line[column] <= 0xBF:
        return column
    position = 0
    for char in _decode(line):
        width = _utf8_length(char)
        if position + width > column:
            return position
        position += width
    return column
