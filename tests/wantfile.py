"""Parsing go/analysis-style ``// want "regexp"`` expectations out of Go testdata files."""

from __future__ import annotations

import re

import attrs

from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.syntax import walk

_WANT = re.compile(r"^(?://|/\*)\s*want\s+(?P<rest>.*?)(?:\*/)?\s*$", re.DOTALL)
_DIRECTIVE = re.compile(r"//\s*ctxlsp:testdata\s+(?P<settings>.*)$", re.MULTILINE)


@attrs.define
class Expectation:
    line: int  # 1-based
    pattern: re.Pattern[str]
    matched: bool = False


def _go_string(text: str, index: int) -> tuple[str, int]:
    """Decode a Go interpreted ("...") or raw (`...`) string literal starting at ``index``."""
    quote = text[index]
    if quote == "`":
        end = text.index("`", index + 1)
        return text[index + 1 : end], end + 1
    out: list[str] = []
    position = index + 1
    while position < len(text):
        char = text[position]
        if char == "\\" and position + 1 < len(text):
            following = text[position + 1]
            out.append({"n": "\n", "t": "\t"}.get(following, following))
            position += 2
            continue
        if char == '"':
            return "".join(out), position + 1
        out.append(char)
        position += 1
    raise ValueError(f"unterminated string in want comment: {text!r}")


def parse_patterns(rest: str) -> list[str]:
    patterns: list[str] = []
    position = 0
    while position < len(rest):
        char = rest[position]
        if char in "\"`":
            pattern, position = _go_string(rest, position)
            patterns.append(pattern)
        elif char.isspace() or char == ",":
            position += 1
        else:
            break  # trailing prose after the patterns
    return patterns


def expectations(src: SourceFile) -> list[Expectation]:
    found: list[Expectation] = []
    for node in walk(src.root):
        if node.type != "comment":
            continue
        match = _WANT.match(src.text(node))
        if match is None:
            continue
        line = src.line_of(node.start_byte) + 1
        for pattern in parse_patterns(match.group("rest")):
            found.append(Expectation(line, re.compile(pattern)))
    return found


def directives(data: bytes) -> dict[str, str]:
    """``// ctxlsp:testdata go.mod=1.24 path=x_test.go`` settings of a testdata file."""
    settings: dict[str, str] = {}
    for match in _DIRECTIVE.finditer(data.decode("utf-8", "replace")):
        for item in match.group("settings").split():
            key, _, value = item.partition("=")
            settings[key] = value
    return settings
