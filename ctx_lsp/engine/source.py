"""The source-file model: UTF-8 bytes, an LSP line index and the tree-sitter tree.

Lines follow the LSP definition (``\\n``, ``\\r\\n`` and a lone ``\\r`` all end a line), which
differs from tree-sitter's rows (only ``\\n`` starts a row). Everything in the engine works in
byte offsets; lines are derived from offsets with :class:`LineIndex`, never from
``node.start_point``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from array import array

import attrs
import tree_sitter

from ctx_lsp.engine.parse import parse

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


class LineIndex:
    """Byte offsets of line starts, with LSP line semantics."""

    __slots__ = ("starts", "size")

    def __init__(self, data: bytes) -> None:
        if b"\r" in data:
            starts = array("q", [0])
            starts.extend(match.end() for match in _LINE_BREAK.finditer(data))
        else:
            # Only \n breaks (nearly every Go file): line starts are running sums of line
            # lengths + 1, computed by C iterators; 2-3x faster than one regex match per line.
            starts = array("q", itertools.accumulate(map((1).__add__, map(len, data.split(b"\n"))), initial=0))
            starts.pop()  # the sum past the last line is not a line start
        self.starts = starts
        self.size = len(data)

    @classmethod
    def from_starts(cls, starts: array, size: int) -> LineIndex:
        """An index from line starts computed elsewhere (the server updates them per edit)."""
        index = cls.__new__(cls)
        index.starts, index.size = starts, size
        return index

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_of(self, offset: int) -> int:
        """0-based line containing ``offset`` (an offset at a line break belongs to its line)."""
        return bisect.bisect_right(self.starts, offset) - 1

    def line_start(self, line: int) -> int:
        return self.starts[line]

    def line_end(self, line: int, data: bytes) -> int:
        """Offset of the end of ``line``'s content, before its line break."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            if data[end - 1 : end] == b"\n":
                end -= 1
                if end > self.starts[line] and data[end - 1 : end] == b"\r":
                    end -= 1
            else:  # a lone \r
                end -= 1
            return end
        return self.size

    def position(self, offset: int) -> tuple[int, int]:
        """(0-based line, 0-based byte column) of ``offset``."""
        line = self.line_of(offset)
        return line, offset - self.starts[line]

    def offset(self, line: int, byte_column: int, data: bytes) -> int:
        """Offset of (line, byte column), clamped to the line's content and the file."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return self.size
        start = self.starts[line]
        return min(start + max(byte_column, 0), self.line_end(line, data))


@attrs.define(eq=False)
class SourceFile:
    """One Go file: its bytes, its parse tree and (lazily) its line index.

    ``path`` is the file's path as the caller knows it ("" for an untitled buffer); it is used
    for go.mod discovery, ``_test.go`` detection and sibling files of the same package.
    """

    path: str
    data: bytes
    tree: tree_sitter.Tree
    _lines: LineIndex | None = attrs.field(default=None, alias="lines")
    # One root node object: tree-sitter creates a new one on each ``tree.root_node``, and a
    # new node builds its ``named_children`` list again (a thousand objects in a big file).
    _root: tree_sitter.Node | None = attrs.field(default=None, init=False, repr=False)

    @classmethod
    def parse(cls, path: str, data: bytes) -> SourceFile:
        return cls(path=path, data=data, tree=parse(data))

    @property
    def root(self) -> tree_sitter.Node:
        if self._root is None:
            self._root = self.tree.root_node
        return self._root

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.data)
        return self._lines

    def text(self, node: tree_sitter.Node) -> str:
        """The node's source text; invalid UTF-8 is kept reversibly as surrogate escapes."""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "surrogateescape")

    def line_of(self, offset: int) -> int:
        return self.lines.line_of(offset)

    def line_text(self, line: int) -> str:
        start = self.lines.line_start(line)
        return self.data[start : self.lines.line_end(line, self.data)].decode("utf-8", "surrogateescape")

    def indentation_of_line(self, line: int) -> str:
        """The leading tabs and spaces of ``line`` (gofmt indents with tabs)."""
        text = self.line_text(line)
        return text[: len(text) - len(text.lstrip(" \t"))]
