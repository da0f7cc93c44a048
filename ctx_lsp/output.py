"""CLI output formats: text (go vet style), JSON (docs/rules.md), SARIF 2.1.0, GitHub annotations.

Lines and columns are 1-based; columns count bytes (go vet style) except in SARIF, whose
columns count Unicode code points (SARIF has no byte column kind).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import attrs

from ctx_lsp import __version__
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.source import LineIndex


@attrs.frozen
class Position:
    line: int  # 1-based
    column: int  # 1-based, bytes
    char_column: int  # 1-based, code points


@attrs.frozen
class Located:
    path: str
    start: Position
    end: Position
    finding: Finding

    @property
    def severity(self) -> Severity:
        assert self.finding.severity is not None
        return self.finding.severity


class Locator:
    """Byte offsets of one file -> 1-based positions."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.lines = LineIndex(data)

    def position(self, offset: int) -> Position:
        line, column = self.lines.position(offset)
        start = self.lines.line_start(line)
        chars = len(self.data[start:offset].decode("utf-8", "replace"))
        return Position(line + 1, column + 1, chars + 1)

    def locate(self, path: str, finding: Finding) -> Located:
        return Located(path, self.position(finding.start), self.position(finding.end), finding)


def sort_key(item: Located) -> tuple[str, int, int, str]:
    return (item.path, item.start.line, item.start.column, item.finding.rule)


# -- text ---------------------------------------------------------------------------------------
def format_text(items: Sequence[Located]) -> str:
    return "".join(f"{i.path}:{i.start.line}:{i.start.column}: {_one_line(i.finding.message)} [{i.finding.rule}]\n"
                   for i in items)


def _one_line(message: str) -> str:
    return " ".join(message.split())


# -- json ---------------------------------------------------------------------------------------
def _edit_json(locator: Locator, edit) -> dict[str, object]:
    start, end = locator.position(edit.start), locator.position(edit.end)
    return {"line": start.line, "column": start.column, "end_line": end.line, "end_column": end.column,
            "new_text": edit.new_text}


def format_json(items: Sequence[Located], locators: dict[str, Locator], files_checked: int,
                errors: Sequence[str]) -> str:
    diagnostics = []
    for item in items:
        locator = locators[item.path]
        diagnostics.append({
            "path": item.path,
            "line": item.start.line,
            "column": item.start.column,
            "end_line": item.end.line,
            "end_column": item.end.column,
            "rule": item.finding.rule,
            "severity": item.severity.label,
            "message": item.finding.message,
            "fixes": [{"title": fix.title, "preferred": fix.preferred,
                       "edits": [_edit_json(locator, e) for e in fix.edits]} for fix in item.finding.fixes],
        })
    document = {"version": 1, "diagnostics": diagnostics, "files_checked": files_checked, "errors": list(errors)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- sarif --------------------------------------------------------------------------------------
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "note",
                Severity.HINT: "note"}


def format_sarif(items: Sequence[Located], rules: Sequence[Rule], errors: Sequence[str]) -> str:
    results = []
    for item in items:
        results.append({
            "ruleId": item.finding.rule,
            "level": _SARIF_LEVEL[item.severity],
            "message": {"text": item.finding.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": item.path.replace("\\", "/")},
                "region": {"startLine": item.start.line, "startColumn": item.start.char_column,
                           "endLine": item.end.line, "endColumn": item.end.char_column},
            }}],
        })
    driver = {
        "name": "ctx-lsp",
        "version": __version__,
        "informationUri": "https://pkg.go.dev/context",
        "rules": [{
            "id": rule.id,
            "name": rule.id,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.title},
            "help": {"text": rule.doc, "markdown": rule.doc},
            "helpUri": rule.url,
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
        } for rule in rules],
    }
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [{"level": "warning", "message": {"text": e}} for e in errors],
        }],
    }
    document = {"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- github -------------------------------------------------------------------------------------
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "notice",
                 Severity.HINT: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(items: Sequence[Located]) -> str:
    lines = []
    for item in items:
        properties = ",".join([
            f"file={_escape_property(item.path)}", f"line={item.start.line}", f"col={item.start.column}",
            f"endLine={item.end.line}", f"endColumn={item.end.column}",
            f"title={_escape_property('ctx-lsp ' + item.finding.rule)}",
        ])
        lines.append(f"::{_GITHUB_LEVEL[item.severity]} {properties}::{_escape_data(item.finding.message)}\n")
    return "".join(lines)
