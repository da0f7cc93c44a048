"""Keep gofmt's column of trailing ``//`` comments when a fix edits the lines around them.

gofmt prints through ``text/tabwriter``: each line is a row of cells ended by tabs, and the
trailing comment of a line follows a tab, so it starts a new column. A column block is a run
of consecutive rows that all have a cell in that column; its width is its widest cell (in
runes) plus one space of padding. For the statements a fix touches this means (each claim
checked against gofmt 1.19, see tests/engine/test_align.py):

- the leading indentation tabs are empty cells of their own, so for a line indented ``n`` tabs
  the code is cell ``n`` and a run of such lines that each end in a ``//`` comment puts all their
  comments one space after the widest code (``gap = widest - width + 1`` spaces);
- widths count runes (``"日本"`` is 2 wide, a tab inside a string literal is 1);
- a line without a trailing comment, a blank line, a comment on its own line and a line indented
  less have no cell ``n``: the run ends there;
- go/printer ends every block with a form feed before the first statement of a block, before a
  statement that follows a multi-line one, and after a block's opening ``{``: so a one-line
  statement after ``}`` or ``)`` starts a new run, and ``if x {  // c`` ends one (it joins the
  lines above it).

The aligner models only what it can prove with the parse tree: runs made of one-line
statements directly in a statement list (``ctx, cancel := ...``, ``defer cancel()``,
``return``, ...), optionally ended by the first line of an ``if``/``for``/``switch``/``select``
or of a statement whose function literal opens there. Struct fields, composite literal
elements, ``var (...)`` groups, top-level declarations, ``/* */`` comments and multi-line
expressions have cells of their own; when a fix changes a run that has (or may border on) such
a line, or whose present layout is not what the model predicts, the fix is left as it was.

Two fixes that re-pad the same run would each assume the other's lines keep their width, so a
fix claims the gap of every line of every run it changes (an edit, even where the padding
stays): applied together they overlap and ``select_compatible_fixes`` keeps only one.

Cost: only the lines an edit touches, the runs next to them and one line of context either side
are looked at; a fix none of whose lines (or their neighbours) holds ``//`` costs two searches.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

import attrs
import tree_sitter

from ctx_lsp.engine.findings import Finding, Fix, TextEdit

Node = tree_sitter.Node

# What a line is to the tabwriter, as far as comment columns go.
_PLAIN = 0  # no cell after its indentation: blank, no trailing comment, or a comment alone
_CELL = 1  # a modelled statement line: indentation, one code cell, a trailing // comment
_OTHER = 2  # anything else (may have cells we do not model)

# The two statement lines a run may hold.
_SIMPLE = 1  # a whole one-line statement
_OPENER = 2  # the first line of a statement, ending with the `{` of its body (ends a run)

# Whether two adjacent lines are in one run of the column of interest.
_JOIN = 0
_BREAK = 1
_UNKNOWN = 2

# One-line statements whose gofmt layout has no tab or vertical tab inside: the code is one cell.
_SIMPLE_STATEMENTS = frozenset({
    "expression_statement", "send_statement", "inc_statement", "dec_statement",
    "assignment_statement", "short_var_declaration", "return_statement", "go_statement",
    "defer_statement", "break_statement", "continue_statement", "goto_statement",
    "fallthrough_statement", "var_declaration", "const_declaration",
})
# Statements whose header line ends with the `{` of their own body.
_BODY_STATEMENTS = frozenset({
    "if_statement", "for_statement", "expression_switch_statement", "type_switch_statement",
    "select_statement",
})
# Between a statement and a function literal opening on its first line (`defer func() {`,
# `cancel := func() {`): only these, so that no argument list or composite literal (which
# have alignment cells of their own when they span lines) is involved.
_FUNC_LITERAL_PATH = frozenset({"call_expression", "expression_list"})

_BRACE_THEN_COMMENT = re.compile(rb"\{[ \t]*//")


@attrs.define(slots=True)
class _Line:
    """One line, of the original file or of the fixed window. Offsets are in that text."""

    kind: int
    indent: int  # leading tabs (0 for a blank line)
    origin: int = -1  # start of the original line it comes from (-1: inserted or a mix of lines)
    origin_break: int = -1  # offset of that original line's \n
    role: int = 0  # _SIMPLE or _OPENER, for cells
    parent: int = -1  # id of the statement list holding a cell's statement
    fresh: bool = False  # gofmt starts a new section (form feed) right before this line
    code_end: int = 0  # where a cell's code ends (its gap to the comment starts)
    comment: int = 0  # where a cell's // comment starts
    width: int = 0  # runes of a cell's code


@attrs.frozen
class _Piece:
    """A stretch of the fixed window: original text, or the new text of one of the fix's edits."""

    new_start: int
    new_end: int
    orig_start: int
    orig_end: int
    edit: int  # index into the fix's edits, -1 for original text


# -- the public entry points ------------------------------------------------------------------------
def aligned_findings(findings: list[Finding], data: bytes, root: Node) -> list[Finding]:
    """``findings`` with every fix re-padding the trailing comments it disturbs; findings
    whose fixes need nothing stay the same objects (the server reuses their diagnostics)."""
    result = []
    for finding in findings:
        fixes = finding.fixes
        if fixes:
            aligned = aligned_fixes(fixes, data, root)
            if aligned is not fixes:
                finding = attrs.evolve(finding, fixes=aligned)
        result.append(finding)
    return result


def aligned_fixes(fixes: Sequence[Fix], data: bytes, root: Node) -> tuple[Fix, ...] | Sequence[Fix]:
    """The fixes, each with its comment re-padding (``fixes`` itself when none needs any)."""
    aligned = [aligned_fix(fix, data, root) for fix in fixes]
    if all(new is old for new, old in zip(aligned, fixes)):
        return fixes
    return tuple(aligned)


def aligned_fix(fix: Fix, data: bytes, root: Node) -> Fix:
    edits = align_edits(data, fix.edits, root)
    return fix if edits is fix.edits else attrs.evolve(fix, edits=edits)


def align_edits(data: bytes, edits: Sequence[TextEdit], root: Node) -> Sequence[TextEdit]:
    """The fix's ``edits`` (byte offsets into ``data``, whose parse tree is ``root``) plus
    whitespace edits that give the trailing comments of the runs they change the padding gofmt
    would print. An edit's own gap is merged into it rather than overlapped. Returns ``edits``
    itself when nothing is to be added (or nothing can be proved)."""
    if not edits:
        return edits
    source = _Source(data, root)
    windows = _windows(source, edits)
    if not windows:
        return edits
    result: list[TextEdit] = list(edits)
    added: list[TextEdit] = []
    for top, bottom in windows:
        end = source.line_break(bottom)
        inside = [index for index, edit in enumerate(edits) if top <= edit.start and edit.end <= end]
        plan = _realign(source, top, bottom, [(index, edits[index]) for index in inside])
        if plan is None:
            continue  # this window cannot be proved; its edits stay as they are
        merged, padding = plan
        for index, edit in merged.items():
            result[index] = edit
        added.extend(padding)
    if not added and result == list(edits):
        return edits
    return tuple(result + added)


# -- the original file ------------------------------------------------------------------------------
class _Source:
    """The original bytes and tree, with the few lines asked about classified once."""

    def __init__(self, data: bytes, root: Node) -> None:
        self.data = data
        self.root = root
        self._lines: dict[int, _Line] = {}

    def line_start(self, offset: int) -> int:
        return self.data.rfind(b"\n", 0, offset) + 1

    def line_break(self, start: int) -> int:
        """Offset of the \\n ending the line that starts at ``start`` (len(data) on the last)."""
        found = self.data.find(b"\n", start)
        return len(self.data) if found < 0 else found

    def previous(self, start: int) -> int | None:
        return None if start == 0 else self.line_start(start - 1)

    def next(self, start: int) -> int | None:
        brk = self.line_break(start)
        return None if brk >= len(self.data) else brk + 1

    def content_end(self, start: int) -> int:
        brk = self.line_break(start)
        return brk - 1 if brk > start and self.data[brk - 1] == 0x0D else brk

    def has_comment_marker(self, first: int, last: int) -> bool:
        return self.data.find(b"//", first, self.line_break(last)) >= 0

    def line(self, start: int) -> _Line:
        known = self._lines.get(start)
        if known is None:
            known = self._lines[start] = self._classify(start)
        return known

    def _classify(self, start: int) -> _Line:
        end = self.content_end(start)
        kind, indent = _text_kind(self.data[start:end])
        line = _Line(kind, indent, origin=start, origin_break=self.line_break(start))
        if kind == _OTHER:
            self._as_cell(line, start + indent, end)
        return line

    def _as_cell(self, line: _Line, code_start: int, end: int) -> None:
        """Make ``line`` a cell if it is a statement line the model covers."""
        statement = _statement_at(self.root, code_start)
        if statement is None or statement.has_error:
            return
        data = self.data
        if statement.end_byte <= end:
            if statement.type not in _SIMPLE_STATEMENTS or _grouped(statement):
                return
            role, code_end = _SIMPLE, statement.end_byte
        else:
            brace = self._opening_brace(statement, code_start, end)
            if brace is None:
                return
            role, code_end = _OPENER, brace + 1
        rest = data[code_end:end]
        comment = end - len(rest.lstrip(b" \t"))
        if not data.startswith(b"//", comment) or b"/*" in data[code_start:code_end]:
            return  # another token or an inline /* */ comment: not a single code cell
        width = _runes(data[code_start:code_end])
        if width is None:
            return
        line.kind, line.role, line.code_end, line.comment, line.width = _CELL, role, code_end, comment, width
        parent = statement.parent
        line.parent = parent.id if parent is not None else -1
        line.fresh = _starts_section(data, statement)

    def _opening_brace(self, statement: Node, code_start: int, end: int) -> int | None:
        """Offset of the `{` ending the statement's first line, if it opens the statement's own
        body or a function literal the statement is made of."""
        for match in _BRACE_THEN_COMMENT.finditer(self.data, code_start, end):
            brace = match.start()
            token = self.root.descendant_for_byte_range(brace, brace + 1)
            if token is not None and token.type == "{" and _opens_body(token, statement):
                return brace
        return None


def _text_kind(text: bytes) -> tuple[int, int]:
    """A first look at a line's bytes: (kind, indentation). _OTHER lines may turn out cells."""
    body = text.lstrip(b"\t")
    indent = len(text) - len(body)
    if not body.strip():
        return _PLAIN, 0
    if b"//" not in body and b"/*" not in body:
        return _PLAIN, indent  # no comment at all (a // inside a string makes it _OTHER)
    if body.startswith(b"//"):
        return _PLAIN, indent  # a comment on its own line: gofmt breaks the columns before it
    return _OTHER, indent


def _runes(code: bytes) -> int | None:
    """Width as tabwriter counts it; None for invalid UTF-8 (gofmt rejects the file)."""
    try:
        return len(code.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def _statement_at(root: Node, offset: int) -> Node | None:
    """The statement directly in a statement list that starts exactly at ``offset``."""
    node: Node | None = root.descendant_for_byte_range(offset, offset + 1)
    while node is not None and node.start_byte == offset:
        parent = node.parent
        if parent is None:
            return None
        if parent.type == "statement_list":
            return node
        node = parent
    return None


def _grouped(declaration: Node) -> bool:
    """``var ( ... )`` on one line: its specs would be cells of their own."""
    return declaration.type in ("var_declaration", "const_declaration") and any(
        child.type == "(" for child in declaration.children)


def _opens_body(token: Node, statement: Node) -> bool:
    holder = token.parent
    if holder is None:
        return False
    if statement.type in _BODY_STATEMENTS:
        return holder == statement or (holder.type == "block" and holder.parent == statement)
    if statement.type not in _SIMPLE_STATEMENTS or holder.type != "block":
        return False
    literal = holder.parent
    if literal is None or literal.type != "func_literal":
        return False
    node = literal.parent
    while node is not None and node != statement:
        if node.type not in _FUNC_LITERAL_PATH:
            return False
        node = node.parent
    return node is not None


def _starts_section(data: bytes, statement: Node) -> bool:
    """go/printer's stmtList breaks with a form feed before the first statement of a list and
    before a statement whose predecessor spans more than one line."""
    previous = statement.prev_named_sibling
    while previous is not None and previous.type == "comment":
        previous = previous.prev_named_sibling
    if previous is None:
        return True
    return data.find(b"\n", previous.start_byte, previous.end_byte) >= 0


# -- which lines to look at ---------------------------------------------------------------------------
def _windows(source: _Source, edits: Sequence[TextEdit]) -> list[tuple[int, int]]:
    """(first, last) line starts of the stretches of lines a fix can disturb: the lines its
    edits touch, the whole runs next to them, and one line of context above and below."""
    runs = _touched_runs(source, edits)
    new_comment = any("//" in edit.new_text for edit in edits)
    windows: list[tuple[int, int]] = []
    for first, last in runs:
        above, below = source.previous(first), source.next(last)
        probe_first = first if above is None else above
        probe_last = last if below is None else below
        if not new_comment and not source.has_comment_marker(probe_first, probe_last):
            continue  # no trailing comment anywhere near: nothing to re-pad
        top, bottom = _extend(source, first, up=True), _extend(source, last, up=False)
        if windows and _lines_apart(source, windows[-1][1], top) <= 1:
            windows[-1] = (windows[-1][0], bottom)  # adjacent or overlapping: one window
        else:
            windows.append((top, bottom))
    return windows


def _touched_runs(source: _Source, edits: Sequence[TextEdit]) -> list[tuple[int, int]]:
    """Runs of consecutive lines that the edits change, or insert lines between."""
    spans = []
    for edit in edits:
        first, last = source.line_start(edit.start), source.line_start(edit.end)
        if edit.start == first and first > 0:
            first = source.line_start(first - 1)  # a line inserted above this one: the one above too
        if edit.end == source.content_end(last):
            following = source.next(last)  # a line inserted below this one: the one below too
            last = following if following is not None else last
        spans.append((first, last))
    spans.sort()
    runs: list[tuple[int, int]] = []
    for first, last in spans:
        if runs and first <= (source.next(runs[-1][1]) or runs[-1][1]):
            runs[-1] = (runs[-1][0], max(runs[-1][1], last))
        else:
            runs.append((first, last))
    return runs


def _extend(source: _Source, start: int, up: bool) -> int:
    """From a touched line outwards: the neighbouring line if it is a cell, then the rest of
    its run, then one line of context."""
    step = source.previous if up else source.next
    current = start
    neighbour = step(current)
    if neighbour is not None and source.line(neighbour).kind == _CELL:
        current = neighbour
        while True:
            beyond = step(current)
            if beyond is None:
                return current
            upper, lower = (source.line(beyond), source.line(current)) if up else \
                (source.line(current), source.line(beyond))
            if _between(upper, lower, source.line(current).indent) != _JOIN:
                break
            current = beyond
    context = step(current)
    return current if context is None else context


def _lines_apart(source: _Source, upper: int, lower: int) -> int:
    """0 when ``lower`` starts at or above ``upper``, 1 when it is the next line, else 2."""
    if lower <= upper:
        return 0
    return 1 if source.next(upper) == lower else 2


# -- runs of aligned comments -------------------------------------------------------------------------
def _between(upper: _Line, lower: _Line, column: int) -> int:
    """Whether the run of code cells in tabwriter column ``column`` (the cells of lines indented
    ``column`` tabs) goes on from ``upper`` to the adjacent ``lower``."""
    neighbours = upper.origin >= 0 and lower.origin >= 0 and upper.origin_break + 1 == lower.origin
    if upper.kind == _CELL and upper.role == _OPENER:
        return _BREAK  # form feed before the first statement of the body
    if lower.kind == _CELL and lower.fresh and neighbours:
        return _BREAK  # form feed: first statement of its list, or after a multi-line one
    if not _has_column(upper, column) or not _has_column(lower, column):
        return _BREAK
    if (upper.kind == lower.kind == _CELL and upper.indent == lower.indent == column and neighbours
            and upper.parent == lower.parent):
        return _JOIN
    return _UNKNOWN


def _has_column(line: _Line, column: int) -> bool:
    """Whether the line can have a cell (empty or not) in ``column``: indentation tabs are empty
    cells, a line's last text (its code, or its comment) is no cell."""
    return line.indent > column or (line.indent == column and line.kind != _PLAIN)


@attrs.frozen
class _Run:
    members: tuple[int, ...]  # indices of the lines
    certain: bool  # both ends proved (not the window's edge, not an unknown neighbour)


def _runs(lines: Sequence[_Line]) -> list[_Run]:
    runs: list[_Run] = []
    index = 0
    while index < len(lines):
        if lines[index].kind != _CELL:
            index += 1
            continue
        column = lines[index].indent
        members = [index]
        while index + 1 < len(lines) and _between(lines[index], lines[index + 1], column) == _JOIN:
            index += 1
            members.append(index)
        first, last = members[0], members[-1]
        certain = (first > 0 and _between(lines[first - 1], lines[first], column) == _BREAK
                   and last + 1 < len(lines) and _between(lines[last], lines[last + 1], column) == _BREAK)
        runs.append(_Run(tuple(members), certain))
        index += 1
    return runs


# -- one window -----------------------------------------------------------------------------------------
def _realign(source: _Source, top: int, bottom: int,
             edits: list[tuple[int, TextEdit]]) -> tuple[dict[int, TextEdit], list[TextEdit]] | None:
    """Padding for the runs of one window that the edits change: (merged edits by index, new
    edits), or None when a changed run cannot be proved."""
    starts = [top]
    while starts[-1] != bottom:
        following = source.next(starts[-1])
        assert following is not None
        starts.append(following)
    original = [source.line(start) for start in starts]
    window_start, window_end = top, source.line_break(bottom)
    new_text, pieces = _apply(source.data, window_start, window_end, edits)
    fixed = _fixed_lines(source, starts, new_text, pieces, window_start)
    old_runs = {tuple(original[i].origin for i in run.members): run for run in _runs(original)}
    old_run_of = {original[i].origin: run for run in old_runs.values() for i in run.members}
    merged: dict[int, TextEdit] = {}
    padding: list[TextEdit] = []
    for run in _runs(fixed):
        members = [fixed[i] for i in run.members]
        old = old_runs.get(tuple(line.origin for line in members))
        if old is not None and old.certain and all(
                (line.width, line.indent) == (original[i].width, original[i].indent)
                for line, i in zip(members, old.members)):
            continue  # the same run with the same widths: its padding stands
        if not run.certain:
            return None
        if not all(_consistent(source, original, old_run_of[line.origin]) for line in members):
            return None  # today's layout is not what the model predicts: do not guess
        widest = max(line.width for line in members)
        for line in members:
            gap = " " * (widest - line.width + 1)
            if not _place(gap, line.code_end, line.comment, new_text, pieces, edits, merged, padding):
                return None
    return merged, padding


def _consistent(source: _Source, original: Sequence[_Line], run: _Run) -> bool:
    """Whether the original run's gaps are exactly the model's (gofmt-formatted, modelled)."""
    members = [original[i] for i in run.members]
    widest = max(line.width for line in members)
    return all(source.data[line.code_end:line.comment] == b" " * (widest - line.width + 1) for line in members)


def _apply(data: bytes, start: int, end: int, edits: list[tuple[int, TextEdit]]) -> tuple[bytes, list[_Piece]]:
    """The window ``data[start:end]`` with the edits applied, and where each stretch came from."""
    out = bytearray()
    pieces: list[_Piece] = []
    position = start
    for index, edit in sorted(edits, key=lambda item: (item[1].start, item[1].end)):
        if edit.start > position:
            pieces.append(_Piece(len(out), len(out) + edit.start - position, position, edit.start, -1))
            out += data[position:edit.start]
        text = edit.new_text.encode("utf-8", "surrogateescape")
        pieces.append(_Piece(len(out), len(out) + len(text), edit.start, edit.end, index))
        out += text
        position = max(position, edit.end)
    if end > position:
        pieces.append(_Piece(len(out), len(out) + end - position, position, end, -1))
        out += data[position:end]
    return bytes(out), pieces


def _fixed_lines(source: _Source, starts: list[int], new_text: bytes, pieces: list[_Piece],
                 window_start: int) -> list[_Line]:
    """The window's lines after the fix, each tied to the original line its text comes from."""
    lines = []
    line_start = 0
    while True:
        brk = new_text.find(b"\n", line_start)
        line_break = len(new_text) if brk < 0 else brk
        end = line_break - 1 if line_break > line_start and new_text[line_break - 1] == 0x0D else line_break
        lines.append(_fixed_line(source, starts, new_text, pieces, line_start, end))
        if brk < 0:
            return lines
        line_start = brk + 1


def _fixed_line(source: _Source, starts: list[int], new_text: bytes, pieces: list[_Piece],
                start: int, end: int) -> _Line:
    text = new_text[start:end]
    kind, indent = _text_kind(text)
    origins = {starts[bisect.bisect_right(starts, piece.orig_start + max(0, start - piece.new_start)) - 1]
               for piece in pieces
               if piece.edit < 0 and piece.new_start < end and piece.new_end > start}
    if len(origins) != 1:
        return _Line(kind if kind == _PLAIN else _OTHER, indent)  # inserted, or a mix of lines
    origin = origins.pop()
    original = source.line(origin)
    line = _Line(kind, indent, origin=origin, origin_break=original.origin_break)
    if original.kind != _CELL:
        return line
    comment = _new_offset(pieces, original.comment)
    if comment is None or not start <= comment < end or not _edits_inside_code(pieces, start, end, origin, original):
        line.kind = _OTHER if kind != _PLAIN else _PLAIN
        return line
    head = new_text[start:comment]
    body = head.lstrip(b"\t")
    code = body.rstrip(b" \t")
    width = _runes(code)
    if not code or code[:1] in b" \x0b\x0c" or width is None or b"/*" in code:
        line.kind = _OTHER
        return line
    indent = len(head) - len(body)
    return _Line(_CELL, indent, origin=origin, origin_break=original.origin_break, role=original.role,
                 parent=original.parent, fresh=original.fresh, code_end=start + indent + len(code),
                 comment=comment, width=width)


def _new_offset(pieces: list[_Piece], offset: int) -> int | None:
    """Where original ``offset`` is in the fixed window, if no edit replaced it."""
    for piece in pieces:
        if piece.edit < 0 and piece.orig_start <= offset < piece.orig_end:
            return piece.new_start + offset - piece.orig_start
    return None


def _edits_inside_code(pieces: list[_Piece], start: int, end: int, origin: int, original: _Line) -> bool:
    """Whether every edit that reaches into this fixed line replaced only bytes of the original
    line's code and gap (so the line is still that one statement, and its comment is intact)."""
    for piece in pieces:
        if piece.edit < 0:
            continue
        overlaps = piece.new_start < end and piece.new_end > start
        empty_inside = piece.new_start == piece.new_end and start <= piece.new_start < end
        if not (overlaps or empty_inside):
            continue
        if piece.orig_start < origin or piece.orig_end > original.comment:
            return False
        if piece.orig_start == piece.orig_end == original.comment:
            return False  # text inserted right before the comment: code or gap, we cannot tell
    return True


def _place(gap: str, code_end: int, comment: int, new_text: bytes, pieces: list[_Piece],
           edits: list[tuple[int, TextEdit]], merged: dict[int, TextEdit], padding: list[TextEdit]) -> bool:
    """Turn the wanted gap between ``code_end`` and ``comment`` (fixed-window offsets) into an
    edit of the original: its own edit when the gap is original text, else merged into the one
    fix edit that reaches it. False when the gap touches more than one edit."""
    touching = [piece for piece in pieces if piece.edit >= 0 and piece.new_start <= comment and piece.new_end >= code_end]
    if not touching:
        holder = next(p for p in pieces if p.edit < 0 and p.new_start <= code_end and comment <= p.new_end)
        shift = holder.orig_start - holder.new_start
        padding.append(TextEdit(code_end + shift, comment + shift, gap))
        return True
    if len(touching) > 1 or touching[0].edit in merged:
        return False
    piece = touching[0]
    edit = dict(edits)[piece.edit]
    new_start, new_end = min(piece.new_start, code_end), max(piece.new_end, comment)
    orig_start = edit.start if piece.new_start <= code_end else _orig_offset(pieces, code_end)
    orig_end = edit.end if piece.new_end >= comment else _orig_offset(pieces, comment)
    text = new_text[new_start:code_end] + gap.encode() + new_text[comment:new_end]
    merged[piece.edit] = TextEdit(orig_start, orig_end, text.decode("utf-8", "surrogateescape"))
    return True


def _orig_offset(pieces: list[_Piece], offset: int) -> int:
    """The original offset of a fixed-window offset inside original text."""
    for piece in pieces:
        if piece.edit < 0 and piece.new_start <= offset <= piece.new_end:
            return piece.orig_start + offset - piece.new_start
    raise AssertionError("offset inside an edit")


def _unused(_: Iterable[object]) -> None:  # pragma: no cover - keeps Iterable imported for typing
    return None
