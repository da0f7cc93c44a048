"""Byte-level edits behind the server's code actions (no LSP types here).

- :func:`suppress_edit`: a ``//ctxlsp:ignore RULE`` comment that silences one finding;
- :func:`fix_all_edits`: every finding's preferred fix that does not collide with another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from ctx_lsp.engine.findings import Finding, Fix, TextEdit
from ctx_lsp.engine.fixes import select_compatible_fixes
from ctx_lsp.engine.source import SourceFile

_IGNORE_LINE = re.compile(rb"^[ \t]*//ctxlsp:ignore[ \t]+(?P<rules>[\w\-]+(?:,[\w\-]+)*)")
_ENCLOSING_KINDS = frozenset({"comment", "raw_string_literal", "interpreted_string_literal"})


def suppress_edit(src: SourceFile, finding: Finding) -> TextEdit | None:
    """An edit that suppresses ``finding`` with a ``//ctxlsp:ignore`` comment.

    The directive goes on its own line above the reported line, indented like it (the
    suppression contract accepts the line above). When that line already holds a
    ``//ctxlsp:ignore`` directive, the rule is appended to its list instead. Returns None
    when the reported line starts inside a comment or string literal that spans lines,
    where an inserted line would not be a comment, and where the engine offers no fixes
    either (see :func:`edits_are_safe`).
    """
    line = src.line_of(finding.start)
    if line > 0:
        directive = _IGNORE_LINE.match(src.line_text(line - 1).encode("utf-8", "surrogateescape"))
        if directive is not None:
            return _extend_directive(src, line - 1, directive, finding.rule)
    line_start = src.lines.line_start(line)
    if not edits_are_safe(src, line_start) or _inside_multiline_token(src, line_start):
        return None
    indent = src.indentation_of_line(line)
    comment = f"{indent}//ctxlsp:ignore {finding.rule}{_line_break_of(src, line)}"
    return TextEdit(line_start, line_start, comment)


def _extend_directive(src: SourceFile, line: int, directive: re.Match[bytes], rule: str) -> TextEdit | None:
    if rule in directive.group("rules").decode().split(","):
        return None  # the rule is listed already: nothing left to suppress it with
    end = src.lines.line_start(line) + directive.end("rules")
    return TextEdit(end, end, f",{rule}") if edits_are_safe(src, end) else None


_LONE_CARRIAGE_RETURN = re.compile(rb"\r(?!\n)")


def edits_are_safe(src: SourceFile, offset: int) -> bool:
    """Whether an edit at ``offset`` lands where the user expects, by the engine's policy
    for fixes: never in a file with a lone ``\r`` (an LSP line break that Go does not see,
    so an inserted ``//`` comment would swallow the code after it), never inside a
    top-level declaration with syntax errors (its statement boundaries are the parser's
    recovery guesses)."""
    if _LONE_CARRIAGE_RETURN.search(src.data) is not None:
        return False
    if not src.root.has_error:
        return True
    return not any(node.has_error and node.start_byte <= offset <= node.end_byte for node in src.root.children)


def _inside_multiline_token(src: SourceFile, offset: int) -> bool:
    node = src.root.descendant_for_byte_range(offset, offset)
    while node is not None:
        if node.type in _ENCLOSING_KINDS and node.start_byte < offset < node.end_byte:
            return True
        node = node.parent
    return False


def _line_break_of(src: SourceFile, line: int) -> str:
    """The break ending ``line`` (a file's own style is kept: CRLF files stay CRLF)."""
    end = src.lines.line_end(line, src.data)
    if src.data[end : end + 2] == b"\r\n":
        return "\r\n"
    if src.data[end : end + 1] == b"\r":
        return "\r"
    return "\n"


def fix_all_edits(findings: Iterable[Finding], preferred_fix_of: Callable[[Finding], Fix | None]) -> list[TextEdit]:
    """The edits of every preferred fix that can be applied together with the others
    (``preferred_fix_of``: ``Analysis.preferred_fix_of``, which pads comment columns)."""
    preferred = [preferred_fix_of(finding) for finding in findings]
    kept = select_compatible_fixes(fix for fix in preferred if fix is not None)
    return [edit for fix in kept for edit in fix.edits]
