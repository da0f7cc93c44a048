"""GoDocument: the server's own model of one open Go buffer.

pygls keeps a ``TextDocument`` too, but it splits lines with ``str.splitlines`` (which breaks
at form feeds, U+2028 and more, unlike LSP) and has already applied a change when our handler
runs, so it cannot give us the old text that ``Tree.edit`` needs. GoDocument keeps:

- ``data``: the UTF-8 bytes of the buffer;
- ``lines``: an LSP line index (``\\n``, ``\\r\\n`` and lone ``\\r`` end lines);
- ``tree``: the tree-sitter tree, re-parsed incrementally after every change;
- ``version``: the client's version of the text.

Text with syntax errors: tree-sitter's incremental error recovery can settle on a different
tree than a fresh parse of the same text (hypothesis found one: an ERROR node ending 14
bytes earlier), and the analysis must equal the CLI's. By default such text is parsed afresh
after every change. With ``verify_lazily`` (the server) the incremental tree is kept as
*provisional* instead, so a keystroke costs an incremental parse (about 0.5 ms on a
3,000-line file instead of a 10 ms fresh parse); :func:`check_tree` compares it with a fresh
parse afterwards (the server: on a thread of its own once typing pauses, or before a
request that needs exact results) and :meth:`GoDocument.adopt_check` replaces it when the
two differ.

Changes are applied atomically: every change of one ``didChange`` is validated and applied to
new values first; only when all succeed are they committed. A bad change (range outside the
document, start after end, version older than the current one) raises
:class:`DocumentChangeError` and leaves the document exactly as it was.

This module does not import pygls or lsprotocol; the server converts protocol objects to
:class:`TextChange`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import attrs
import tree_sitter

from ctx_lsp.engine.parse import parse
from ctx_lsp.engine.source import LineIndex, SourceFile
from ctx_lsp.engine.textdiff import changed_region
from ctx_lsp.lsp.line_update import updated_line_index
from ctx_lsp.lsp.positions import UTF16, Encoding, byte_column, client_column

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class DocumentChangeError(ValueError):
    """A change that cannot be applied; the document keeps its previous state."""


@attrs.frozen
class TextChange:
    """One ``TextDocumentContentChangeEvent``: a range replacement, or the whole text when
    ``start`` is None. Positions are (line, character) in the document's encoding."""

    text: str
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None


@attrs.frozen
class ByteEdit:
    """Bytes [start, old_end) of the previous buffer became bytes [start, new_end)."""

    start: int
    old_end: int
    new_end: int


def encode_client_text(text: str) -> bytes:
    """UTF-8 bytes of client text.

    JSON can carry lone UTF-16 surrogates (``"\\ud800"``) that UTF-8 cannot encode. Each is
    replaced by U+FFFD, which has the same length as a lone surrogate in utf-16 and utf-32
    units, so the client's later positions still line up.
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub("\ufffd", text).encode("utf-8")


def tree_points(
    old: bytes, new: bytes, edit: ByteEdit
) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    """tree-sitter's (row, byte column) of the edit's start and old end in ``old`` and of its
    new end in ``new``. Rows start only after ``\\n`` (a lone ``\\r`` is no row break to
    tree-sitter); the rows before the start are counted once, over the whole buffer."""
    row = old.count(b"\n", 0, edit.start)
    start = (row, edit.start - (old.rfind(b"\n", 0, edit.start) + 1))
    old_end = (row + old.count(b"\n", edit.start, edit.old_end),
               edit.old_end - (old.rfind(b"\n", 0, edit.old_end) + 1))
    new_end = (row + new.count(b"\n", edit.start, edit.new_end),
               edit.new_end - (new.rfind(b"\n", 0, edit.new_end) + 1))
    return start, old_end, new_end


def minimal_edit(old: bytes, new: bytes) -> ByteEdit:
    """The smallest single replacement turning ``old`` into ``new`` (common prefix and suffix
    removed), so that a whole-document change still re-parses incrementally."""
    return ByteEdit(*changed_region(old, new))


class GoDocument:
    """An open Go buffer: bytes, LSP line index, tree and version (see the module doc)."""

    def __init__(
        self,
        uri: str,
        text: str | bytes,
        *,
        path: str = "",
        version: int | None = None,
        encoding: Encoding = UTF16,
        verify_lazily: bool = False,
    ) -> None:
        self.uri = uri
        # Keep incremental trees of text with syntax errors until check_tree has compared
        # them with a fresh parse (see the module docstring).
        self.verify_lazily = verify_lazily
        self._provisional = False  # the current tree is such a tree, not yet checked
        self.path = path
        self.encoding: Encoding = encoding
        self.version = version
        self.data = text if isinstance(text, bytes) else encode_client_text(text)
        self.lines = LineIndex(self.data)
        self._tree: tree_sitter.Tree | None = parse(self.data)

    # -- the tree ----------------------------------------------------------------------

    @property
    def tree(self) -> tree_sitter.Tree:
        """The current parse tree, re-parsed if it was released."""
        if self._tree is None:
            self._tree, self._provisional = parse(self.data), False
        return self._tree

    @property
    def provisional(self) -> bool:
        """Whether the current tree is an unchecked incremental parse of text with errors."""
        return self._tree is not None and self._provisional

    def is_exact(self, snapshot: DocumentSnapshot) -> bool:
        """Whether ``snapshot``'s tree is known to equal a fresh parse of its text."""
        return not snapshot.provisional or (snapshot.tree is self._tree and not self._provisional)

    def adopt_check(self, check: TreeCheck) -> bool:
        """Take the result of :func:`check_tree` (on the event loop thread, which alone
        changes the document). Returns True when the tree was replaced by the fresh one:
        the text's analysis must be redone. Nothing happens when the document moved on."""
        if check.snapshot.tree is not self._tree:
            return False
        self._provisional = False
        if check.same:
            return False
        self._tree = check.fresh
        return True

    @property
    def has_tree(self) -> bool:
        return self._tree is not None

    @property
    def parsed_tree(self) -> tree_sitter.Tree | None:
        """The current tree if it is kept, without parsing (safe from another thread)."""
        return self._tree

    def release_tree(self) -> None:
        """Forget the parse tree (the largest part of an open document's memory: about
        1.6 MB for 2,000 lines). The next change or snapshot parses the text again, in full."""
        self._tree = None

    # -- positions ---------------------------------------------------------------------

    @property
    def line_count(self) -> int:
        return self.lines.line_count

    def position(self, offset: int) -> tuple[int, int]:
        """LSP (line, character) of byte ``offset`` in this document's encoding."""
        return _position_in(self.data, self.lines, self.encoding, offset)

    def offset(self, line: int, character: int) -> int:
        """Byte offset of an LSP position, validated.

        A character past the end of its line means the end of that line (LSP). Line
        ``line_count`` at character 0 is accepted as the end of the document, as several
        clients address it that way. Anything else outside the document raises
        :class:`DocumentChangeError`.
        """
        return _offset_in(self.data, self.lines, self.encoding, line, character)

    # -- changes -----------------------------------------------------------------------

    def apply_changes(
        self, changes: Iterable[TextChange], version: int | None = None
    ) -> list[ByteEdit]:
        """Apply one ``didChange``'s events in order, then re-parse once, incrementally.

        Returns the byte edits applied (in order, each relative to the buffer produced by the
        previous one). Raises :class:`DocumentChangeError` without changing anything when a
        change is invalid or ``version`` is older than the current version.
        """
        if version is not None and self.version is not None and version < self.version:
            raise DocumentChangeError(
                f"version {version} is older than the current version {self.version}"
            )
        data, lines = self.data, self.lines
        staged: list[tuple[ByteEdit, tuple[int, int], tuple[int, int], tuple[int, int]]] = []
        for change in changes:
            edit, inserted = _resolve(data, lines, self.encoding, change)
            if edit.start == edit.old_end == edit.new_end:
                continue  # nothing changes; skipping keeps identical resends free
            new_data = data[: edit.start] + inserted + data[edit.old_end :]
            points = tree_points(data, new_data, edit)
            staged.append((edit, *points))
            lines = updated_line_index(lines, new_data, edit.start, edit.old_end, edit.new_end)
            data = new_data
        self._commit(data, lines, staged)
        if version is not None:
            self.version = version
        return [edit for edit, *_ in staged]

    def replace_text(self, text: str, version: int | None = None) -> list[ByteEdit]:
        """Replace the whole text (a full-document change)."""
        return self.apply_changes([TextChange(text)], version)

    def _commit(
        self,
        data: bytes,
        lines: LineIndex,
        staged: Sequence[tuple[ByteEdit, tuple[int, int], tuple[int, int], tuple[int, int]]],
    ) -> None:
        if not staged:
            return
        if self._tree is None:  # released: a full parse of the new text
            self.data, self.lines, self._tree, self._provisional = data, lines, parse(data), False
            return
        # Edit a copy: a failure while parsing leaves the current tree usable, and snapshots
        # taken earlier (an analysis may be reading one on another thread) never change.
        tree = self._tree.copy()
        for edit, start_point, old_end_point, new_end_point in staged:
            tree.edit(
                start_byte=edit.start,
                old_end_byte=edit.old_end,
                new_end_byte=edit.new_end,
                start_point=start_point,
                old_end_point=old_end_point,
                new_end_point=new_end_point,
            )
        new_tree = parse(data, tree)
        # Where the text has syntax errors, tree-sitter's error recovery can settle on a
        # different tree when it reuses subtrees of the old one than a fresh parse finds
        # (see the module docstring): such a tree is parsed afresh, or kept as provisional.
        # Typing inside valid code keeps the cheap incremental parse, whose trees equal
        # fresh ones.
        provisional = new_tree.root_node.has_error
        if provisional and not self.verify_lazily:
            new_tree, provisional = parse(data), False
        self.data, self.lines, self._tree, self._provisional = data, lines, new_tree, provisional

    # -- engine view -------------------------------------------------------------------

    def source_file(self) -> SourceFile:
        """The engine's view of the current text; shares bytes, tree and line index."""
        return SourceFile(path=self.path, data=self.data, tree=self.tree, lines=self.lines)

    def snapshot(self) -> DocumentSnapshot:
        """The current text, frozen. Cheap: a change replaces ``data``, ``lines`` and
        ``tree`` with new objects (the tree is edited as a copy), so a snapshot taken
        before a change keeps seeing the text it was taken from."""
        tree = self.tree
        return DocumentSnapshot(self.uri, self.path, self.version, self.encoding, self.data, self.lines, tree,
                                self._provisional)


@attrs.frozen(eq=False)
class DocumentSnapshot:
    """One version of a document: what an analysis and the positions of its results refer to."""

    uri: str
    path: str
    version: int | None
    encoding: Encoding
    data: bytes
    lines: LineIndex
    tree: tree_sitter.Tree
    # The tree is an incremental parse of text with syntax errors, not yet compared with a
    # fresh parse (GoDocument.verify_lazily).
    provisional: bool = False

    def position(self, offset: int) -> tuple[int, int]:
        return _position_in(self.data, self.lines, self.encoding, offset)

    def offset(self, line: int, character: int) -> int:
        return _offset_in(self.data, self.lines, self.encoding, line, character)

    def source_file(self) -> SourceFile:
        return SourceFile(path=self.path, data=self.data, tree=self.tree, lines=self.lines)


def _position_in(data: bytes, lines: LineIndex, encoding: Encoding, offset: int) -> tuple[int, int]:
    offset = max(0, min(offset, len(data)))
    line = lines.line_of(offset)
    start = lines.line_start(line)
    end = lines.line_end(line, data)
    if offset > end:  # inside a CRLF pair: the position is the end of the line
        offset = end
    return line, client_column(data[start:end], offset - start, encoding)


def _offset_in(
    data: bytes, lines: LineIndex, encoding: Encoding, line: int, character: int
) -> int:
    if line < 0 or character < 0:
        raise DocumentChangeError(f"negative position ({line}, {character})")
    if line >= lines.line_count:
        if line == lines.line_count and character == 0:
            return len(data)
        raise DocumentChangeError(
            f"position ({line}, {character}) is past the end of the document "
            f"({lines.line_count} lines)"
        )
    start = lines.line_start(line)
    end = lines.line_end(line, data)
    return start + byte_column(data[start:end], character, encoding)


def _resolve(
    data: bytes, lines: LineIndex, encoding: Encoding, change: TextChange
) -> tuple[ByteEdit, bytes]:
    """The byte edit of ``change`` against ``data`` and the bytes it inserts."""
    inserted = encode_client_text(change.text)
    if change.start is None:
        edit = minimal_edit(data, inserted)
        return edit, inserted[edit.start : edit.new_end]
    if change.end is None:
        raise DocumentChangeError("a range change without an end position")
    start = _offset_in(data, lines, encoding, *change.start)
    old_end = _offset_in(data, lines, encoding, *change.end)
    if start > old_end:
        raise DocumentChangeError(f"range start {change.start} is after its end {change.end}")
    return ByteEdit(start, old_end, start + len(inserted)), inserted


# -- checking a provisional tree against a fresh parse -------------------------------------------
@attrs.frozen(eq=False)
class TreeCheck:
    """A provisional snapshot's tree compared with a fresh parse of its text."""

    snapshot: DocumentSnapshot
    fresh: tree_sitter.Tree
    same: bool


def check_tree(snapshot: DocumentSnapshot, cancelled: Callable[[], bool] = lambda: False) -> TreeCheck | None:
    """Compare ``snapshot``'s tree with a fresh parse of its text; None when ``cancelled()``
    became true during the comparison. Top-level nodes without syntax errors are compared
    by kind and range (their text decides their parse, as the engine's cache assumes);
    those with errors node by node.

    The parse takes about 10 ms for 3,000 lines, more for broken text; py-tree-sitter holds
    the GIL meanwhile (docs/engineering-notes.md §1.5). The server runs checks on a thread
    of their own (Scheduler.tree_check), so a check does not wait behind an analysis."""
    fresh = parse(snapshot.data)
    same = _same_trees(snapshot.tree, fresh, cancelled)
    return None if same is None else TreeCheck(snapshot, fresh, same)


def _same_trees(old: tree_sitter.Tree, new: tree_sitter.Tree, cancelled: Callable[[], bool]) -> bool | None:
    a, b = old.root_node, new.root_node
    if (a.kind_id, a.start_byte, a.end_byte, a.has_error, a.child_count) != (
            b.kind_id, b.start_byte, b.end_byte, b.has_error, b.child_count):
        return False
    for x, y in zip(a.children, b.children):
        if (x.kind_id, x.start_byte, x.end_byte, x.has_error, x.is_missing) != (
                y.kind_id, y.start_byte, y.end_byte, y.has_error, y.is_missing):
            return False
        if x.has_error:
            if cancelled():
                return None
            same = _same_subtrees(x, y, cancelled)
            if not same:
                return same
    return True


def _same_subtrees(x: tree_sitter.Node, y: tree_sitter.Node, cancelled: Callable[[], bool]) -> bool | None:
    """Whether two subtrees have the same nodes (kind, range, field, missing) in the same
    shape: a walk of both in step, iterative (broken code nests deep)."""
    a, b = x.walk(), y.walk()
    steps = 0
    while True:
        steps += 1
        if steps % 4096 == 0 and cancelled():
            return None
        na, nb = a.node, b.node
        if na is None or nb is None or a.field_id != b.field_id or (
                na.kind_id, na.start_byte, na.end_byte, na.is_missing) != (
                nb.kind_id, nb.start_byte, nb.end_byte, nb.is_missing):
            return False
        if a.goto_first_child():
            if not b.goto_first_child():
                return False
            continue
        if b.goto_first_child():
            return False
        while not a.goto_next_sibling():
            if b.goto_next_sibling():
                return False
            if not a.goto_parent():
                return True
            b.goto_parent()
        if not b.goto_next_sibling():
            return False
