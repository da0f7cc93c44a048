"""A deliberately naive reference model of an LSP text buffer, for checking GoDocument.

It works on ``str`` and code points with no cleverness at all: lines are found by scanning
for ``\\r\\n``, ``\\r`` and ``\\n``; LSP columns are obtained by encoding the line prefix.
"""

from __future__ import annotations

import re

import tree_sitter

from ctx_lsp.engine.parse import parse

_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Code-point offsets where LSP lines start."""
    return [0] + [match.end() for match in _BREAK.finditer(text)]


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def lsp_position(text: str, offset: int, encoding: str) -> tuple[int, int]:
    """LSP (line, character) of a code-point offset that is not inside a CRLF pair."""
    starts = line_starts(text)
    line = max(index for index, start in enumerate(starts) if start <= offset)
    return line, units(text[starts[line] : offset], encoding)


def inside_crlf(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n"


def node_signature(tree: tree_sitter.Tree) -> list[tuple[object, ...]]:
    """Every node of the tree in pre-order with its kind, byte range, points and flags."""
    signature: list[tuple[object, ...]] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        signature.append(
            (
                node.type,
                node.start_byte,
                node.end_byte,
                tuple(node.start_point),
                tuple(node.end_point),
                node.is_missing,
                node.is_error,
                node.is_named,
            )
        )
        stack.extend(reversed(node.children))
    return signature


def fresh_signature(data: bytes) -> list[tuple[object, ...]]:
    return node_signature(parse(data))


def offset_of(text: str, line: int, character: int, encoding: str) -> int:
    """Code-point offset of an LSP position (character clamped to the line, as LSP says)."""
    starts = line_starts(text)
    if line >= len(starts):
        return len(text)
    start = starts[line]
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    content_end = end
    while content_end > start and text[content_end - 1] in "\r\n":
        content_end -= 1
    offset = start
    while offset < content_end and units(text[start : offset + 1], encoding) <= character:
        offset += 1
    return offset
