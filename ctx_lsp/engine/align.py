"""Fixes keep gofmt's column of trailing ``//`` comments.

A quick fix that renames ``_`` to ``cancel`` or inserts ``defer cancel()`` inside a run of
lines whose trailing comments gofmt lines up leaves the comments out of line, and ``gofmt -l``
lists the file. :func:`align_edits` adds to a fix's edits the whitespace edits that re-pad the
runs it changes exactly as gofmt would.

How gofmt lays these out (go/printer writing through text/tabwriter; every rule below was
checked against gofmt 1.19, and tests/engine/test_align.py checks the model against gofmt on
generated code):

- A line is a row of cells ended by tabs; a line's last text is no cell. Each leading
  indentation tab is an empty cell, so for a line indented ``n`` tabs the code is cell ``n`` and
  the trailing comment follows it. Consecutive rows with a cell in column ``n`` form a block whose
  width is its widest cell plus one space: the comments of a run of commented lines start one
  space after the widest code (``gap = widest - width + 1`` spaces).
- Widths count runes: ``"日本"`` is 4 wide, ``"é"`` 3, a tab inside a string literal 1.
- A blank line, a line without a trailing comment, a comment alone on its line and a line
  indented less have no cell ``n``: the run ends there.
- A form feed ends every block, and go/printer writes one before the first statement of a list,
  before a statement that follows a multi-line one (so after ``}``, ``}()``, ``x)``) and before
  a block's closing ``}``. So ``if x {  // c`` ends the run of the one-line statements above it,
  and ``}  // c`` is a run of its own.

The model covers lines it can prove with the parse tree: one-line statements directly in a
statement list, the first line of an ``if``/``for``/``switch``/``select`` or of a statement
opening a function literal (``defer func() {``), and the ``}`` line closing such a statement.
Everything else (composite literal elements, struct fields, ``var (...)`` groups, ``case``
lines, multi-line expressions, ``/* */`` comments, raw strings spanning lines) may have
alignment cells of its own. When a fix changes a run that ends next to such a line, changes or
moves such a line, or meets a run whose present layout is not what the model predicts, the fix
is returned exactly as its rule made it: all or nothing, never a guess.

Two fixes re-padding one run would each assume the other's lines keep their width, so a fix
claims the gap of every line of every run it changes, with an edit even where the padding stays:
together they overlap and ``select_compatible_fixes`` applies one of them.

Cost: only the lines an edit touches, the runs next to them and one line of context either side
are looked at; a fix with no ``//`` on or next to its lines costs a few byte searches.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

import attrs
import tree_sitter

from ctx_lsp.engine.findings import Finding, Fix, TextEdit

Node = tree_sitter.Node

# What a line is to the tabwriter, as far as the comment column goes.
_PLAIN = 0  # no cell after its indentation: blank, no trailing comment, or a comment alone
_CELL = 1  # a modelled statement line: indentation, one code cell, a trailing // comment
_OTHER = 2  # anything else: it may have cells we do not model

# The statement lines a run may hold (the role of a _CELL line).
_SIMPLE = 1  # a whole one-line statement
_OPENER = 2  # a statement's first line, ending with the `{` of its body: the last line of a run
_CLOSER = 3  # a statement's last line, starting with the `}` of its body: a run of its own

# Whether two adjacent lines belong to one run of the column of interest.
_JOIN = 0
_BREAK = 1
_UNKNOWN = 2

# One-line statements that go/printer prints without a tab or vertical tab inside: one cell.
_SIMPLE_STATEMENTS = frozenset({
    "expression_statement", "send_statement", "inc_statement", "dec_statement",
    "assignment_statement", "short_var_declaration", "return_statement", "go_statement",
    "defer_statement", "break_statement", "continue_statement", "goto_statement",
    "fallthrough_statement", "var_declaration", "const_declaration",
    "select_statement",  # only `select {}` is printed on one line
})
# Statements whose first line ends with the `{` of their own body.
_BODY_STATEMENTS = frozenset({
    "if_statement", "for_statement", "expression_switch_statement", "type_switch_statement",
    "select_statement",
})
# What may lie between a statement and a function literal opening on its first line
# (`defer func() {`, `stop := func() {`): no argument list or composite literal, which have
# alignment cells of their own when they span lines.
_FUNC_LITERAL_PATH = frozenset({"call_expression", "expression_list"})

_BRACE_THEN_COMMENT = re.compile(rb"\{[ \t]*//")


@attrs.define(slots=True)
class _Line:
    """One line of the original file, or of a window of it with the fix applied. Offsets are
    into that text."""

    kind: int
    indent: int  # leading tabs (0 for a blank line)
    origin: int = -1  # start of the original line its text comes from (-1: inserted, or a mix)
    origin_break: int = -1  # offset of the \n ending that original line
    edited: bool = False  # (fixed window) the text differs from the original line's
    # A _CELL line only:
    role: int = 0
    parent: int = -1  # id of the statement list holding the statement
    statement: Node | None = attrs.field(default=None, eq=False)  # in the original tree
    fresh: bool = False  # gofmt puts a form feed between the line at ``fresh_after`` and this one
    fresh_after: int = -1  # origin of the line above that ``fresh`` is about
    code_end: int = 0  # where the code ends and the gap starts
    comment: int = 0  # where the // comment starts
    width: int = 0  # runes of the code
    gap: bytes = b""


@attrs.frozen
class _Piece:
    """A stretch of a fixed window: original text, or the new text of one of the fix's edits."""

    new_start: int
    new_end: int
    orig_start: int
    orig_end: int
    edit: int  # index into the fix's edits, -1 for original text


@attrs.frozen
class _Run:
    """Lines (indices into a list of lines) whose comments gofmt puts in one column."""

    members: tuple[int, ...]
    certain: bool  # both ends proved (not the window's edge, not a line we cannot judge)


# -- entry points -----------------------------------------------------------------------------------------
def aligned_findings(findings: list[Finding], data: bytes, root: Node) -> list[Finding]:
    """``findings`` with every fix re-padding the trailing comments it disturbs. A finding whose
    fixes need nothing stays the same object (the server reuses its diagnostic by identity)."""
    result = []
    for finding in findings:
        fixes = finding.fixes
        if fixes and isinstance(fixes, tuple):  # DeferredFixes align themselves when computed
            aligned = aligned_fixes(fixes, data, root)
            if aligned is not fixes:
                finding = attrs.evolve(finding, fixes=aligned)
        result.append(finding)
    return result


def aligned_fixes(fixes: tuple[Fix, ...], data: bytes, root: Node) -> tuple[Fix, ...]:
    """The fixes, each re-padding what it disturbs (``fixes`` itself when none needs to)."""
    aligned = tuple(aligned_fix(fix, data, root) for fix in fixes)
    return fixes if all(new is old for new, old in zip(aligned, fixes)) else aligned


def aligned_fix(fix: Fix, data: bytes, root: Node) -> Fix:
    edits = align_edits(data, fix.edits, root)
    return fix if edits is fix.edits else attrs.evolve(fix, edits=tuple(edits))


def align_edits(data: bytes, edits: Sequence[TextEdit], root: Node) -> Sequence[TextEdit]:
    """A fix's ``edits`` (byte offsets into ``data``, whose parse tree is ``root``) plus the
    whitespace edits between code and comment that give every run of aligned trailing comments
    they change gofmt's padding. A gap an edit reaches into is merged into that edit, so the
    result never overlaps. Returns ``edits`` itself when nothing is to be added, or when some
    change cannot be proved."""
    if not edits or any(not 0 <= edit.start <= edit.end <= len(data) for edit in edits):
        return edits  # nothing to do, or not a fix apply_edits would accept
    source = _Source(data, root)
    result: list[TextEdit] = list(edits)
    added: list[TextEdit] = []
    for top, bottom in _windows(source, edits):
        end = source.line_break(bottom)
        inside = [(index, edit) for index, edit in enumerate(edits) if top <= edit.start and edit.end <= end]
        if any(edit.start < end and edit.end > top for edit in edits if not top <= edit.start <= edit.end <= end):
            return edits  # (cannot happen: every edit's lines are in one window; never pad half a fix)
        plan = _realign(source, top, bottom, inside)
        if plan is None:
            return edits  # all or nothing: a fix is either gofmt-shaped or what its rule made
        merged, padding = plan
        for index, edit in merged.items():
            result[index] = edit
        added.extend(padding)
    if not added and not any(new is not old for new, old in zip(result, edits)):
        return edits
    return tuple(result + added)


# -- the original file -------------------------------------------------------------------------------------
class _Source:
    """The original bytes and tree; the few lines asked about are classified once."""

    def __init__(self, data: bytes, root: Node) -> None:
        self.data = data
        self.root = root
        self._lines: dict[int, _Line] = {}

    def line_start(self, offset: int) -> int:
        return self.data.rfind(b"\n", 0, offset) + 1

    def line_break(self, start: int) -> int:
        """Offset of the \\n ending the line that starts at ``start`` (len(data) for the last)."""
        found = self.data.find(b"\n", start)
        return len(self.data) if found < 0 else found

    def content_end(self, start: int) -> int:
        """End of the line's text (before a \\r\\n)."""
        line_break = self.line_break(start)
        return line_break - 1 if line_break > start and self.data[line_break - 1] == 0x0D else line_break

    def previous(self, start: int) -> int | None:
        return None if start == 0 else self.line_start(start - 1)

    def next(self, start: int) -> int | None:
        line_break = self.line_break(start)
        return None if line_break >= len(self.data) else line_break + 1

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
        """Make ``line`` a _CELL if it is a statement line the model covers."""
        data = self.data
        if data.startswith(b"}", code_start):
            statement, role = _closed_statement(self.root, code_start, end), _CLOSER
            code_end = statement.end_byte if statement is not None else 0
        else:
            statement = _statement_at(self.root, code_start)
            role, code_end = self._role(statement, code_start, end, line) if statement is not None else (0, 0)
        if statement is None or role == 0 or statement.has_error:
            return
        rest = data[code_end:end]
        comment = end - len(rest.lstrip(b" \t"))
        if not data.startswith(b"//", comment) or b"/*" in data[code_start:code_end]:
            return  # more code, or an inline /* */ comment: not a single code cell
        width = _runes(data[code_start:code_end])
        if width is None:
            return
        parent = statement.parent
        line.kind, line.role, line.statement = _CELL, role, statement
        line.parent = parent.id if parent is not None else -1
        line.code_end, line.comment, line.width, line.gap = code_end, comment, width, data[code_end:comment]
        above = self.previous(line.origin)
        if above is not None:
            line.fresh, line.fresh_after = self.starts_section(statement, above), above

    def _role(self, statement: Node, code_start: int, end: int, line: _Line) -> tuple[int, int]:
        """(_SIMPLE or _OPENER, where the code ends) for a statement starting the line, or
        (0, 0) when the model does not cover it."""
        if statement.end_byte <= end:
            if statement.type not in _SIMPLE_STATEMENTS or _grouped(statement):
                return 0, 0
            if not self.data[statement.end_byte:end].strip():
                line.kind = _PLAIN  # its // was inside a string: no trailing comment after all
                return 0, 0
            return _SIMPLE, statement.end_byte
        for match in _BRACE_THEN_COMMENT.finditer(self.data, code_start, end):
            brace = match.start()
            token = self.root.descendant_for_byte_range(brace, brace + 1)
            if token is not None and token.type == "{" and _opens_body(token, statement):
                return _OPENER, brace + 1
        return 0, 0

    def starts_section(self, statement: Node, above: int) -> bool:
        """Whether go/printer writes a form feed between the line starting at ``above`` and
        ``statement`` right below it (also once a fix deleted the statements between them):
        it does before the first statement of a list and after one spanning lines."""
        line_break = self.line_break(above)
        previous = statement.prev_named_sibling
        while previous is not None and (previous.type == "comment" or previous.start_byte > line_break):
            previous = previous.prev_named_sibling  # comments, and statements a fix deleted
        if previous is None:
            return True
        return previous.end_byte >= above and self.data.find(b"\n", previous.start_byte, previous.end_byte) >= 0


def _text_kind(text: bytes) -> tuple[int, int]:
    """A first look at a line's bytes: (kind, indentation). An _OTHER line may prove a cell."""
    body = text.lstrip(b"\t")
    indent = len(text) - len(body)
    if not body.strip():
        return _PLAIN, 0
    if b"//" not in body and b"/*" not in body:
        return _PLAIN, indent  # no comment anywhere
    if body.startswith(b"//"):
        return _PLAIN, indent  # a comment on its own line: gofmt breaks the columns before it
    return _OTHER, indent


def _runes(code: bytes) -> int | None:
    """Width as tabwriter counts it; None for invalid UTF-8 (gofmt rejects such a file)."""
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


def _closed_statement(root: Node, brace: int, end: int) -> Node | None:
    """The statement of a statement list ending on this line whose body's `}` starts the line
    (`}`, `}()`)."""
    token = root.descendant_for_byte_range(brace, brace + 1)
    if token is None or token.type != "}":
        return None
    node: Node | None = token.parent
    if node is None or node.type not in ("block", *_BODY_STATEMENTS):
        return None  # not a composite literal, struct type or the like
    while node is not None and node.end_byte <= end:
        parent = node.parent
        if parent is not None and parent.type == "statement_list":
            return node
        node = parent
    return None


def _grouped(declaration: Node) -> bool:
    """``var (x = 1)`` on one line: its specs would be cells of their own."""
    return declaration.type in ("var_declaration", "const_declaration") and any(
        child.type == "(" for child in declaration.children)


def _opens_body(token: Node, statement: Node) -> bool:
    """Whether the `{` ``token`` opens the body of ``statement``, or of a function literal that
    ``statement`` calls, defers or assigns."""
    holder = token.parent
    if holder is None:
        return False
    if statement.type in _BODY_STATEMENTS:
        return holder == statement or (holder.type == "block" and holder.parent == statement)
    literal = holder.parent if holder.type == "block" else None
    if statement.type not in _SIMPLE_STATEMENTS or literal is None or literal.type != "func_literal":
        return False
    node = literal.parent
    while node is not None and node != statement:
        if node.type not in _FUNC_LITERAL_PATH:
            return False
        node = node.parent
    return node is not None


# -- which lines to look at --------------------------------------------------------------------------------
def _windows(source: _Source, edits: Sequence[TextEdit]) -> list[tuple[int, int]]:
    """(first, last) line starts of the stretches of lines the fix can disturb: the lines its
    edits touch, the whole runs next to them, and one line of context above and below. Every
    edit lies wholly in one window, or in none (then there is no comment near it)."""
    new_comment = any("//" in edit.new_text for edit in edits)
    spans: list[tuple[int, int, bool]] = []  # (first, last, has a comment near)
    for first, last in _touched(source, edits):
        above, below = source.previous(first), source.next(last)
        probe_end = source.line_break(last if below is None else below)
        near = new_comment or source.data.find(b"//", first if above is None else above, probe_end) >= 0
        if near:
            first, last = _extend(source, first, up=True), _extend(source, last, up=False)
        spans.append((first, last, near))
    spans.sort()
    windows: list[tuple[int, int, bool]] = []
    for first, last, near in spans:
        if windows and (first <= windows[-1][1] or source.next(windows[-1][1]) == first):
            top, bottom, was_near = windows[-1]  # overlapping or adjacent: one window
            windows[-1] = (top, max(bottom, last), was_near or near)
        else:
            windows.append((first, last, near))
    return [(first, last) for first, last, near in windows if near]


def _touched(source: _Source, edits: Sequence[TextEdit]) -> list[tuple[int, int]]:
    """(first, last) line starts of the runs of consecutive lines that the edits change, or
    insert lines between."""
    spans = []
    for edit in edits:
        first, last = source.line_start(edit.start), source.line_start(edit.end)
        if edit.start == first and first > 0:
            first = source.line_start(first - 1)  # a line inserted above: the one above changes company
        following = source.next(last)
        if edit.end == source.content_end(last) and following is not None:
            last = following  # a line inserted below: so does the one below
        spans.append((first, last))
    spans.sort()
    runs: list[tuple[int, int]] = []
    for first, last in spans:
        if runs and (first <= runs[-1][1] or source.next(runs[-1][1]) == first):
            runs[-1] = (runs[-1][0], max(runs[-1][1], last))
        else:
            runs.append((first, last))
    return runs


def _extend(source: _Source, start: int, up: bool) -> int:
    """From a touched line outwards: the neighbouring line if it is a cell and the rest of its
    run, then one line of context."""
    step = source.previous if up else source.next
    current = start
    neighbour = step(current)
    if neighbour is not None and source.line(neighbour).kind == _CELL:
        current = neighbour
        while (beyond := step(current)) is not None:
            inner, outer = source.line(current), source.line(beyond)
            upper, lower = (outer, inner) if up else (inner, outer)
            if _between(upper, lower, inner.indent) != _JOIN:
                break
            current = beyond
    context = step(current)
    return current if context is None else context


# -- runs of aligned comments -------------------------------------------------------------------------------
def _between(upper: _Line, lower: _Line, column: int) -> int:
    """Whether the run of code cells in tabwriter column ``column`` (the code of lines indented
    ``column`` tabs) goes on from ``upper`` to the adjacent ``lower``."""
    if upper.kind == _CELL and upper.role in (_OPENER, _CLOSER):
        return _BREAK  # a form feed after a block's `{`, and after a statement ending in `}`
    if lower.kind == _CELL and lower.role == _CLOSER:
        return _BREAK  # a form feed before a block's `}`
    if lower.kind == _CELL and lower.fresh and lower.fresh_after == upper.origin >= 0:
        return _BREAK  # a form feed before the statement (first of its list, or after a long one)
    if not _has_column(upper, column) or not _has_column(lower, column):
        return _BREAK
    if upper.kind == lower.kind == _CELL and upper.indent == lower.indent == column and upper.parent == lower.parent:
        # Two statements of one list, the upper one a one-liner: a plain newline between them
        # (also when the fix deleted whole statements between them: it is the predecessor now).
        return _JOIN
    return _UNKNOWN


def _has_column(line: _Line, column: int) -> bool:
    """Whether the line may have a cell, empty or not, in ``column`` (indentation tabs are
    empty cells; a line's last text, its code or its comment, is no cell)."""
    return line.indent > column or (line.indent == column and line.kind != _PLAIN)


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


# -- one window ---------------------------------------------------------------------------------------------
def _realign(source: _Source, top: int, bottom: int,
             edits: list[tuple[int, TextEdit]]) -> tuple[dict[int, TextEdit], list[TextEdit]] | None:
    """For one window: (fix edits with a gap merged in, by index; padding edits), or None when
    a change cannot be proved."""
    starts = [top]
    while starts[-1] != bottom:
        following = source.next(starts[-1])
        assert following is not None
        starts.append(following)
    original = [source.line(start) for start in starts]
    applied = _apply(source.data, top, source.line_break(bottom), edits)
    if applied is None:
        return None
    new_text, pieces = applied
    fixed = _fixed_lines(source, starts, new_text, pieces)
    if not _unmodelled_lines_stay(starts, fixed):
        return None
    old_runs = {tuple(original[i].origin for i in run.members): run for run in _runs(original)}
    old_run_of = {original[i].origin: run for run in old_runs.values() for i in run.members}
    kept: set[int] = set()
    merged: dict[int, TextEdit] = {}
    padding: list[TextEdit] = []
    for run in _runs(fixed):
        members = [fixed[i] for i in run.members]
        old = old_runs.get(tuple(line.origin for line in members))
        if old is not None and _unchanged(run, fixed, old, original):
            kept.add(id(old))
            continue  # the same lines, widths and gaps, ending the same way: its padding stands
        old_members = [old_run_of[line.origin] for line in members]
        if not run.certain or not all(old.certain for old in old_members):
            return None  # the run may go on into a line we cannot judge, which may move too
        if not all(_consistent(source.data, original, old) for old in old_members):
            return None  # today's layout is not what the model predicts
        widest = max(line.width for line in members)
        for line in members:
            gap = " " * (widest - line.width + 1)
            if not _place(gap, line.code_end, line.comment, new_text, pieces, edits, merged, padding):
                return None
    if not all(old.certain for old in old_runs.values() if id(old) not in kept):
        return None  # a run the fix shortened or removed may have gone on into a line we cannot judge
    return merged, padding


def _unmodelled_lines_stay(starts: list[int], fixed: Sequence[_Line]) -> bool:
    """Whether every line we do not model keeps its text and its neighbours: otherwise gofmt
    may re-pad it, and we cannot."""
    index_of = {start: index for index, start in enumerate(starts)}
    for index, line in enumerate(fixed):
        if line.kind != _OTHER:
            continue
        if line.origin < 0 or line.edited:
            return False
        old_index = index_of[line.origin]
        for step in (-1, 1):
            if not 0 <= index + step < len(fixed):
                continue  # the window's edge: the line beyond it is untouched
            neighbour = fixed[index + step]
            if (not 0 <= old_index + step < len(starts) or neighbour.origin != starts[old_index + step]
                    or neighbour.edited):
                return False
    return True


def _unchanged(run: _Run, fixed: Sequence[_Line], old: _Run, original: Sequence[_Line]) -> bool:
    """Whether a run of the fixed window is an original run as it was: the same lines with the
    same widths and gaps (a line edited to the same width keeps the padding, and no other fix
    can disagree about it), ending the same way on both sides."""
    if any(_shape(fixed[i])[:-1] != _shape(original[j])[:-1] or fixed[i].gap != original[j].gap
           for i, j in zip(run.members, old.members)):
        return False
    column = fixed[run.members[0]].indent
    return (_same_end(fixed, run.members[0], -1, original, old.members[0], column)
            and _same_end(fixed, run.members[-1], 1, original, old.members[-1], column))


def _same_end(fixed: Sequence[_Line], member: int, step: int, original: Sequence[_Line], old_member: int,
              column: int) -> bool:
    """Whether a run ends the same way before and after the fix on one side (``step`` -1: above):
    provably in both, or next to a line that is the same to the model (or the window's edge)."""
    relations: list[int | None] = []
    neighbours: list[tuple[int, ...] | None] = []
    for lines, index in ((fixed, member), (original, old_member)):
        other = index + step
        if not 0 <= other < len(lines):
            relations.append(None)
            neighbours.append(None)
            continue
        upper, lower = (lines[other], lines[index]) if step < 0 else (lines[index], lines[other])
        relations.append(_between(upper, lower, column))
        neighbours.append(_shape(lines[other]))
    return relations[0] == relations[1] == _BREAK or neighbours[0] == neighbours[1]


def _shape(line: _Line) -> tuple[int, ...]:
    """What the model knows about a line, apart from where it is; ``edited`` last."""
    return (line.kind, line.indent, line.origin, line.role, line.parent, int(line.fresh), line.width,
            int(line.edited))


def _consistent(data: bytes, original: Sequence[_Line], run: _Run) -> bool:
    """Whether an original run's gaps are exactly the model's: gofmt-formatted and modelled."""
    members = [original[i] for i in run.members]
    widest = max(line.width for line in members)
    return all(data[line.code_end:line.comment] == b" " * (widest - line.width + 1) for line in members)


# -- the window with the fix applied ----------------------------------------------------------------------
def _apply(data: bytes, start: int, end: int,
           edits: list[tuple[int, TextEdit]]) -> tuple[bytes, list[_Piece]] | None:
    """``data[start:end]`` with the edits applied, and where each stretch of it came from; None
    when edits overlap (apply_edits refuses such a fix anyway)."""
    out = bytearray()
    pieces: list[_Piece] = []
    position = start
    for index, edit in sorted(edits, key=lambda item: (item[1].start, item[1].end)):
        if edit.start < position:
            return None
        if edit.start > position:
            pieces.append(_Piece(len(out), len(out) + edit.start - position, position, edit.start, -1))
            out += data[position:edit.start]
        text = edit.new_text.encode("utf-8", "surrogateescape")
        pieces.append(_Piece(len(out), len(out) + len(text), edit.start, edit.end, index))
        out += text
        position = edit.end
    if end > position:
        pieces.append(_Piece(len(out), len(out) + end - position, position, end, -1))
        out += data[position:end]
    return bytes(out), pieces


def _fixed_lines(source: _Source, starts: list[int], new_text: bytes, pieces: list[_Piece]) -> list[_Line]:
    """The lines of the fixed window, each tied to the original line its text comes from."""
    lines: list[_Line] = []
    start = 0
    while True:
        found = new_text.find(b"\n", start)
        line_break = len(new_text) if found < 0 else found
        end = line_break - 1 if line_break > start and new_text[line_break - 1] == 0x0D else line_break
        line = _fixed_line(source, starts, new_text, pieces, start, end)
        line.edited = line.origin < 0 or new_text[start:end] != source.data[
            line.origin:source.content_end(line.origin)]
        upper = lines[-1] if lines else None
        if line.statement is not None and upper is not None and 0 <= upper.origin != line.fresh_after:
            # the fix deleted the lines between them: the statement follows another one now
            line.fresh, line.fresh_after = source.starts_section(line.statement, upper.origin), upper.origin
        lines.append(line)
        if found < 0:
            return lines
        start = found + 1


def _fixed_line(source: _Source, starts: list[int], new_text: bytes, pieces: list[_Piece],
                start: int, end: int) -> _Line:
    text = new_text[start:end]
    kind, indent = _text_kind(text)
    origins = {starts[bisect.bisect_right(starts, piece.orig_start + max(0, start - piece.new_start)) - 1]
               for piece in pieces if piece.edit < 0 and piece.new_start < end and piece.new_end > start}
    if len(origins) != 1:
        return _Line(kind if kind == _PLAIN else _OTHER, indent)  # inserted, or joined from lines
    origin = origins.pop()
    original = source.line(origin)
    line = _Line(kind, indent, origin=origin, origin_break=original.origin_break)
    if original.kind != _CELL:
        reaching = [piece for piece in pieces if piece.edit >= 0 and piece.new_start < end and piece.new_end > start]
        if not reaching or (original.kind == _PLAIN and all(
                origin <= piece.orig_start and piece.orig_end <= original.origin_break
                and not _may_comment(new_text[piece.new_start:piece.new_end]) for piece in reaching)):
            line.kind = original.kind  # untouched, or edited without adding a comment: as we knew it
        return line
    comment = _new_offset(pieces, original.comment)
    if comment is None or not start <= comment < end or not _edits_in_code(pieces, new_text, start, end, original):
        line.kind = _PLAIN if kind == _PLAIN else _OTHER
        return line
    head = new_text[start:comment]
    body = head.lstrip(b"\t")
    code = body.rstrip(b" \t")
    width = _runes(code)
    if not code or code[:1].isspace() or width is None or b"/*" in code:
        line.kind = _OTHER
        return line
    indent = len(head) - len(body)
    code_end = start + indent + len(code)
    return _Line(_CELL, indent, origin=origin, origin_break=original.origin_break, role=original.role,
                 parent=original.parent, statement=original.statement, fresh=original.fresh,
                 fresh_after=original.fresh_after, code_end=code_end, comment=comment, width=width,
                 gap=new_text[code_end:comment])


def _may_comment(text: bytes) -> bool:
    return b"//" in text or b"/*" in text or b"\n" in text


def _new_offset(pieces: list[_Piece], offset: int) -> int | None:
    """Where the original ``offset`` is in the fixed window, unless an edit replaced it."""
    for piece in pieces:
        if piece.edit < 0 and piece.orig_start <= offset < piece.orig_end:
            return piece.new_start + offset - piece.orig_start
    return None


def _edits_in_code(pieces: list[_Piece], new_text: bytes, start: int, end: int, original: _Line) -> bool:
    """Whether every edit reaching into this fixed line replaced only bytes of the original
    line's code and gap, with no line break: the line is still that one statement."""
    for piece in pieces:
        if piece.edit < 0:
            continue
        overlaps = piece.new_start < end and piece.new_end > start
        # (a deletion right at the line's start that ends where the line began removed lines above)
        deletes_inside = (piece.new_start == piece.new_end and start <= piece.new_start < end
                          and piece.orig_end > original.origin)
        if not (overlaps or deletes_inside):
            continue
        if piece.orig_start < original.origin or piece.orig_end > original.comment:
            return False
        if piece.orig_start == piece.orig_end == original.comment:
            return False  # text inserted right before the comment: code or gap, we cannot tell
        if b"\n" in new_text[piece.new_start:piece.new_end]:
            return False  # the statement was split, or joined with another line
    return True


def _place(gap: str, code_end: int, comment: int, new_text: bytes, pieces: list[_Piece],
           edits: list[tuple[int, TextEdit]], merged: dict[int, TextEdit], padding: list[TextEdit]) -> bool:
    """Turn the wanted gap between ``code_end`` and ``comment`` (fixed-window offsets) into an
    edit of the original: an edit of its own when the gap is original text, else merged into
    the one fix edit that reaches it. False when it reaches more than one."""
    touching = [piece for piece in pieces
                if piece.edit >= 0 and piece.new_start <= comment and piece.new_end >= code_end]
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
    """The original offset of a fixed-window offset in original text."""
    for piece in pieces:
        if piece.edit < 0 and piece.new_start <= offset <= piece.new_end:
            return piece.orig_start + offset - piece.new_start
    raise AssertionError("the offset is inside an edit")
