"""Column conversions between bytes and LSP characters, including invalid UTF-8."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctx_lsp.lsp.positions import byte_column, client_column

ENCODINGS = ("utf-8", "utf-16", "utf-32")


@pytest.mark.parametrize(
    ("line", "byte", "expected"),
    [
        # "é" is 2 bytes, 1 utf-16 unit, 1 code point; "😋" is 4 bytes, 2 units, 1 code point.
        ("aé😋b".encode(), 7, {"utf-8": 7, "utf-16": 4, "utf-32": 3}),
        ("aé😋b".encode(), 3, {"utf-8": 3, "utf-16": 2, "utf-32": 2}),
        (b"plain", 5, {"utf-8": 5, "utf-16": 5, "utf-32": 5}),
    ],
)
def test_client_columns(line: bytes, byte: int, expected: dict[str, int]) -> None:
    assert {encoding: client_column(line, byte, encoding) for encoding in ENCODINGS} == expected  # type: ignore[arg-type]


def test_invalid_bytes_count_as_one_character_each() -> None:
    line = b"a\xff\xfeb"  # two invalid bytes between a and b
    for encoding in ENCODINGS:
        assert client_column(line, 3, encoding) == 3  # type: ignore[arg-type]
        assert byte_column(line, 3, encoding) == 3  # type: ignore[arg-type]


def test_columns_past_the_end_mean_the_end() -> None:
    line = "é".encode()
    for encoding in ENCODINGS:
        assert byte_column(line, 50, encoding) == 2  # type: ignore[arg-type]


def test_columns_inside_a_character_snap_back() -> None:
    line = "a😋b".encode()
    assert byte_column(line, 2, "utf-16") == 1  # between the surrogate halves
    assert byte_column(line, 3, "utf-8") == 1  # inside the 4-byte sequence
    assert byte_column(line, 2, "utf-32") == 5  # code points cannot be split


@given(text=st.text(max_size=30), data=st.data())
def test_round_trip_at_character_boundaries(text: str, data: st.DataObject) -> None:
    line = text.encode("utf-8", "surrogatepass")
    if "\r" in text or "\n" in text:
        return
    # Every character boundary maps to a column and back to the same byte.
    boundaries = [len(text[:i].encode("utf-8", "surrogatepass")) for i in range(len(text) + 1)]
    encoding = data.draw(st.sampled_from(ENCODINGS))
    for boundary in boundaries:
        column = client_column(line, boundary, encoding)
        assert byte_column(line, column, encoding) == boundary
