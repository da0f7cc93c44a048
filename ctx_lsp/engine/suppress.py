"""Suppression comments: ``//nolint[:RULE,...]`` and ``//ctxlsp:ignore RULE[,RULE...] [reason]``
on the reported line or on the line above (golangci-lint habits: ``nolint:govet`` also
silences ``lostcancel``; a bare ``//nolint`` or ``//nolint:all`` silences everything)."""

from __future__ import annotations

import re

from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.source import SourceFile

_DIRECTIVE = re.compile(rb"//(?:nolint(?P<nolint>:[\w\-, ]+)?|ctxlsp:ignore[ \t]+(?P<ignore>[\w\-,]+))")
_ALIASES = {"govet": {"lostcancel"}}
ALL = "*"


def _rules_of(match: re.Match[bytes]) -> set[str]:
    if match.group("ignore"):
        names = match.group("ignore").decode().split(",")
    elif match.group("nolint"):
        names = match.group("nolint")[1:].decode().split(" ")[0].split(",")
    else:
        return {ALL}
    rules: set[str] = set()
    for name in (n.strip() for n in names):
        if not name:
            continue
        if name == "all":
            rules.add(ALL)
        rules.add(name)
        rules.update(_ALIASES.get(name, ()))
    return rules


class Suppressions:
    """Suppression directives of one file, parsed lazily per line."""

    def __init__(self, src: SourceFile) -> None:
        self.src = src
        self._per_line: dict[int, set[str]] = {}
        # Most files have no directive at all: two byte searches spare a look per finding.
        self._any = b"//nolint" in src.data or b"ctxlsp:ignore" in src.data

    def rules_on_line(self, line: int) -> set[str]:
        cached = self._per_line.get(line)
        if cached is not None:
            return cached
        rules: set[str] = set()
        if 0 <= line < self.src.lines.line_count:
            start = self.src.lines.line_start(line)
            end = self.src.lines.line_end(line, self.src.data)
            text = self.src.data[start:end]
            if b"//" in text:
                for match in _DIRECTIVE.finditer(text):
                    if self._in_comment(start + match.start()):
                        rules |= _rules_of(match)
        self._per_line[line] = rules
        return rules

    def _in_comment(self, offset: int) -> bool:
        node = self.src.root.descendant_for_byte_range(offset, offset + 2)
        return node is not None and node.type == "comment"

    def is_suppressed(self, finding: Finding) -> bool:
        if not self._any:
            return False
        if finding.suppressed_with is not None and self._suppressed_at(finding.rule, finding.suppressed_with):
            return True
        return self._suppressed_at(finding.rule, finding.start)

    def _suppressed_at(self, rule: str, offset: int) -> bool:
        line = self.src.line_of(offset)
        for candidate in (line, line - 1):
            rules = self.rules_on_line(candidate)
            if rules and (ALL in rules or rule in rules):
                return True
        return False
