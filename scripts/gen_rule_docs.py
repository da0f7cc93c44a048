#!/usr/bin/env python3
"""Write the rule list and the settings defaults into the files that repeat them.

The rule registry (``ctx_lsp.rules.ALL_RULES``: ids, default severities, titles) and the
built-in settings (``ctx_lsp.engine.config``) are the one source of truth; this script copies
them, as gopls generates its settings and analyzer docs, into:

- ``editors/vscode/package.json``: the ``ctxLsp.rules`` and ``ctxLsp.minSeverity`` entries of
  the settings schema (only those two values are rewritten; the rest of the file is kept byte
  for byte);
- ``editors/nvim/doc/ctx_lsp.txt``: the settings list and rule list between the
  ``*ctx_lsp-settings*`` section header and the ``*ctx_lsp-empty-tables*`` tag;
- ``editors/vscode/package.json``: also the ``ctxLsp.debounceMs`` entry (default and maximum);
- ``editors/vscode/src/config.ts``: the ``MAX_DEBOUNCE_MS`` and ``SERVER_DEFAULTS`` constants;
- ``editors/vscode/README.md``: the default column of the ``minSeverity`` and ``debounceMs``
  rows of its settings table;
- ``README.md``: the rule table between ``<!-- rules:begin -->`` and ``<!-- rules:end -->``.

Usage: ``python scripts/gen_rule_docs.py`` rewrites the files; ``--check`` changes nothing and
exits 1 when a file is stale. The output depends only on the registry and the settings
defaults (deterministic), and a second run changes nothing (idempotent). ``tests/test_generated_docs.py`` runs it in memory.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

from ctx_lsp.engine.config import DEFAULT_MIN_SEVERITY, DEFAULT_SETTINGS  # noqa: E402
from ctx_lsp.engine.findings import Severity  # noqa: E402
from ctx_lsp.engine.rule import Rule  # noqa: E402
from ctx_lsp.lsp.settings_store import MAX_DEBOUNCE_MS  # noqa: E402
from ctx_lsp.rules import ALL_RULES  # noqa: E402

COMMAND = "python scripts/gen_rule_docs.py"
PACKAGE_JSON = "editors/vscode/package.json"
NVIM_HELP = "editors/nvim/doc/ctx_lsp.txt"
README = "README.md"
VSCODE_CONFIG = "editors/vscode/src/config.ts"
VSCODE_README = "editors/vscode/README.md"

# The values a rule's setting takes (engine.config: on, off or a severity, highest first) and
# what each does, in the order the schema lists them.
RULE_STATES: tuple[tuple[str, str], ...] = (
    ("on", "Report with the rule's default severity."),
    ("off", "Do not report."),
    ("error", "Report as an error."),
    ("warning", "Report as a warning."),
    ("information", "Report as information."),
    ("hint", "Report as a hint."),
)
# Lowest first: the order in which a minimum severity reads naturally.
SEVERITIES = tuple(severity.label for severity in sorted(Severity))


class StaleRegionError(ValueError):
    """A file lacks the markers or entries the generator rewrites."""


# -- VS Code settings schema -----------------------------------------------------------------
def _rule_schema(rule: Rule) -> dict[str, object]:
    states = [name for name, _ in RULE_STATES]
    descriptions = [text for _, text in RULE_STATES]
    descriptions[0] = f"Report with the rule's default severity ({rule.severity.label})."
    return {
        "type": "string",
        "enum": states,
        "enumDescriptions": descriptions,
        "markdownDescription": f"{_sentence(rule.title)} Default severity: `{rule.severity.label}`. "
                               f"`ctx-lsp explain {rule.id}` prints its documentation.",
    }


def rules_schema(rules: Sequence[Rule]) -> dict[str, object]:
    """The value of the ``ctxLsp.rules`` setting in package.json."""
    return {
        "type": "object",
        "default": {},
        "scope": "window",
        "markdownDescription": "Per-rule overrides, keyed by rule id (for example `\"lostcancel\": \"error\"` or "
                               "`\"forced-gc\": \"off\"`). `on` keeps the rule's default severity, `off` disables "
                               "it, and a severity name reports the rule with that severity. Rules not listed here "
                               "keep the setting from the project's `.ctx-lsp.toml`, or their default.",
        "additionalProperties": {
            "type": "string",
            "enum": [name for name, _ in RULE_STATES],
            "enumDescriptions": [text for _, text in RULE_STATES],
        },
        "properties": {rule.id: _rule_schema(rule) for rule in rules},
    }


def min_severity_schema(default: Severity) -> dict[str, object]:
    """The value of the ``ctxLsp.minSeverity`` setting in package.json."""
    return {
        "type": "string",
        "enum": list(SEVERITIES),
        "default": default.label,
        "scope": "window",
        "markdownDescription": "Findings below this severity are not shown. When not set, the project's "
                               f"`.ctx-lsp.toml` (`min-severity`) or the default (`{default.label}`"
                               f"{_default_note(default)}) applies; `ctx-lsp check` has the same default.",
    }


def _default_note(default: Severity) -> str:
    return ": show everything" if default == min(Severity) else ""


def debounce_schema(default_ms: int, maximum_ms: int) -> dict[str, object]:
    """The value of the ``ctxLsp.debounceMs`` setting in package.json."""
    return {
        "type": "integer",
        "default": default_ms,
        "minimum": 0,
        "maximum": maximum_ms,
        "scope": "window",
        "markdownDescription": "Milliseconds the server waits after the last edit before it analyses the file "
                               "again. When not set, the project's `.ctx-lsp.toml` (`debounce-ms`) or the "
                               f"server's default ({default_ms}) applies.",
    }


def generate_package_json(text: str, rules: Sequence[Rule], min_severity: Severity,
                          debounce_ms: int = 150, max_debounce_ms: int = MAX_DEBOUNCE_MS) -> str:
    properties = ("contributes", "configuration", "properties")
    text = _replace_json_value(text, (*properties, "ctxLsp.rules"), rules_schema(rules))
    text = _replace_json_value(text, (*properties, "ctxLsp.minSeverity"), min_severity_schema(min_severity))
    return _replace_json_value(text, (*properties, "ctxLsp.debounceMs"), debounce_schema(debounce_ms, max_debounce_ms))


# -- VS Code client constants and README ------------------------------------------------------
# One line each, rewritten in place: the TypeScript around them is hand-written.
_TS_MAX_DEBOUNCE = re.compile(r"^export const MAX_DEBOUNCE_MS = [0-9_]+;$", re.MULTILINE)
_TS_SERVER_DEFAULTS = re.compile(r"^export const SERVER_DEFAULTS = Object\.freeze\(\{.*\}\);$", re.MULTILINE)
_MD_MIN_SEVERITY_ROW = re.compile(r"^(\| `ctxLsp\.minSeverity` \| )`\"[a-z]+\"`( \|)", re.MULTILINE)
_MD_DEBOUNCE_ROW = re.compile(r"^(\| `ctxLsp\.debounceMs` \| )`[0-9]+`( \|.*\(0–)[0-9]+(\)\. \|)$", re.MULTILINE)


def _replace_line(text: str, pattern: re.Pattern[str], replacement: str, name: str) -> str:
    updated, count = pattern.subn(lambda _match: replacement, text)
    if count != 1:
        raise StaleRegionError(f"{name}: expected one line matching {pattern.pattern!r}, found {count}")
    return updated


def generate_vscode_config(text: str, min_severity: Severity, debounce_ms: int, max_debounce_ms: int) -> str:
    text = _replace_line(text, _TS_MAX_DEBOUNCE, f"export const MAX_DEBOUNCE_MS = {max_debounce_ms:_};",
                         VSCODE_CONFIG)
    defaults = (f"export const SERVER_DEFAULTS = Object.freeze({{ minSeverity: '{min_severity.label}' as Severity, "
                f"debounceMs: {debounce_ms} }});")
    return _replace_line(text, _TS_SERVER_DEFAULTS, defaults, VSCODE_CONFIG)


def generate_vscode_readme(text: str, min_severity: Severity, debounce_ms: int, max_debounce_ms: int) -> str:
    text, count = _MD_MIN_SEVERITY_ROW.subn(lambda m: f'{m.group(1)}`"{min_severity.label}"`{m.group(2)}', text)
    if count != 1:
        raise StaleRegionError(f"{VSCODE_README}: no ctxLsp.minSeverity row")
    text, count = _MD_DEBOUNCE_ROW.subn(
        lambda m: f"{m.group(1)}`{debounce_ms}`{m.group(2)}{max_debounce_ms}{m.group(3)}", text)
    if count != 1:
        raise StaleRegionError(f"{VSCODE_README}: no ctxLsp.debounceMs row")
    return text


_DECODER = json.JSONDecoder()


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\n\r":
        position += 1
    return position


def _replace_json_value(text: str, path: Sequence[str], value: object) -> str:
    """``text`` with the value at ``path`` (object keys from the top) replaced by ``value``
    formatted as ``json.dumps(indent=2)`` at that depth; every other byte is kept."""
    start = _skip_space(text, 0)
    for depth, key in enumerate(path):
        members = _object_members(text, start)
        if key not in members:
            raise StaleRegionError(f"no {'.'.join(path[:depth + 1])!r} object in the JSON file")
        start, end = members[key]
    line = text[text.rfind("\n", 0, start) + 1:start]  # the key's line up to the value
    indent = line[:len(line) - len(line.lstrip(" \t"))]
    formatted = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)
    return text[:start] + formatted + text[end:]


def _object_members(text: str, start: int) -> dict[str, tuple[int, int]]:
    """The (start, end) span of each member value of the JSON object starting at ``start``."""
    if text[start:start + 1] != "{":
        raise StaleRegionError(f"expected a JSON object at offset {start}")
    members: dict[str, tuple[int, int]] = {}
    position = _skip_space(text, start + 1)
    if text[position:position + 1] == "}":
        return members
    while True:
        key, position = _DECODER.raw_decode(text, position)
        position = _skip_space(text, position)
        if text[position:position + 1] != ":":
            raise StaleRegionError(f"expected ':' at offset {position}")
        value_start = _skip_space(text, position + 1)
        _, value_end = _DECODER.raw_decode(text, value_start)
        members[key] = (value_start, value_end)
        position = _skip_space(text, value_end)
        if text[position:position + 1] == "}":
            return members
        if text[position:position + 1] != ",":
            raise StaleRegionError(f"expected ',' or '}}' at offset {position}")
        position = _skip_space(text, position + 1)


# -- Neovim help ------------------------------------------------------------------------------
NVIM_BEGIN = re.compile(r"^4\. Settings +\*ctx_lsp-settings\*$", re.MULTILINE)
NVIM_END = re.compile(r"^ +\*ctx_lsp-empty-tables\*$", re.MULTILINE)
_HELP_WIDTH = 78


def nvim_settings_region(rules: Sequence[Rule], min_severity: Severity, debounce_ms: int) -> str:
    """Section 4's settings and rule lists (the lines between the two marker lines)."""
    severities = ", ".join(f'"{label}"' for label in reversed(SEVERITIES[1:]))
    lines = [
        "",
        *_help_item("rules", 'Table from rule id to "on", "off", or a severity that replaces the '
                    f'rule\'s default: {severities} or "{SEVERITIES[0]}". Example: >'),
        '                     rules = { ["context-in-struct"] = "off" }',
        "<",
        *_help_item("minSeverity", f"Lowest severity that is reported: {severities} or "
                    f'"{SEVERITIES[0]}". Default: "{min_severity.label}"'
                    f'{" (show everything)" if min_severity == min(Severity) else ""}, the same as '
                    "`ctx-lsp check`."),
        *_help_item("debounceMs", "Milliseconds the server waits after an edit before it analyzes the "
                    f"buffer again. Default: {debounce_ms}."),
        "",
        "*ctx_lsp-rules*".rjust(_HELP_WIDTH),
        "Rule ids, each with its default severity and what it reports (`ctx-lsp",
        "explain RULE` prints a rule's documentation):",
        "",
    ]
    for rule in rules:
        lines.append(f"  {rule.id} ({rule.severity.label})")
        lines.extend(textwrap.wrap(_sentence(rule.title), width=_HELP_WIDTH, initial_indent=" " * 6,
                                   subsequent_indent=" " * 6, break_on_hyphens=False))
    lines.append("")
    return "\n".join(lines) + "\n"


def _help_item(name: str, text: str) -> list[str]:
    column = 17
    wrapped = textwrap.wrap(text, width=_HELP_WIDTH - column, break_on_hyphens=False)
    return [f"  {name.ljust(column - 2)}{wrapped[0]}", *(" " * column + rest for rest in wrapped[1:])]


def generate_nvim_help(text: str, rules: Sequence[Rule], min_severity: Severity, debounce_ms: int) -> str:
    return _replace_between(text, NVIM_BEGIN, NVIM_END, nvim_settings_region(rules, min_severity, debounce_ms),
                            NVIM_HELP)


# -- README -----------------------------------------------------------------------------------
README_BEGIN = re.compile(r"^<!-- rules:begin .*-->$", re.MULTILINE)
README_END = re.compile(r"^<!-- rules:end -->$", re.MULTILINE)


def readme_rules_region(rules: Sequence[Rule]) -> str:
    lines = ["| rule | default severity | reports |", "|---|---|---|"]
    lines += [f"| `{rule.id}` | {rule.severity.label} | {_escape_cell(rule.title)} |" for rule in rules]
    return "\n".join(lines) + "\n"


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|")


def generate_readme(text: str, rules: Sequence[Rule]) -> str:
    return _replace_between(text, README_BEGIN, README_END, readme_rules_region(rules), README)


def _replace_between(text: str, begin: re.Pattern[str], end: re.Pattern[str], region: str, name: str) -> str:
    """``text`` with the lines strictly between the ``begin`` and ``end`` marker lines replaced."""
    opening = begin.search(text)
    closing = end.search(text, opening.end()) if opening else None
    if opening is None or closing is None:
        raise StaleRegionError(f"{name}: the marker lines {begin.pattern!r} and {end.pattern!r} are missing")
    return text[:opening.end() + 1] + region + text[closing.start():]


# -- driver -----------------------------------------------------------------------------------
def _sentence(title: str) -> str:
    # Titles start in lower case and may start with a Go identifier (context.WithValue): not
    # capitalised.
    return title if title.endswith(".") else title + "."


def generators() -> dict[str, Callable[[str], str]]:
    """Each generated file (relative to the repository) and the function that updates its text."""
    rules = ALL_RULES
    default = DEFAULT_SETTINGS
    return {
        PACKAGE_JSON: lambda text: generate_package_json(text, rules, DEFAULT_MIN_SEVERITY, default.debounce_ms,
                                                         MAX_DEBOUNCE_MS),
        VSCODE_CONFIG: lambda text: generate_vscode_config(text, DEFAULT_MIN_SEVERITY, default.debounce_ms,
                                                           MAX_DEBOUNCE_MS),
        VSCODE_README: lambda text: generate_vscode_readme(text, DEFAULT_MIN_SEVERITY, default.debounce_ms,
                                                           MAX_DEBOUNCE_MS),
        NVIM_HELP: lambda text: generate_nvim_help(text, rules, DEFAULT_MIN_SEVERITY, default.debounce_ms),
        README: lambda text: generate_readme(text, rules),
    }


def stale_files(root: Path = ROOT) -> list[str]:
    """The generated files whose text differs from what the generator would write."""
    stale = []
    for name, generate in generators().items():
        text = (root / name).read_text(encoding="utf-8")
        if generate(text) != text:
            stale.append(name)
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file is stale")
    arguments = parser.parse_args(argv)
    if arguments.check:
        stale = stale_files()
        for name in stale:
            print(f"{name} is stale; run `{COMMAND}`", file=sys.stderr)
        return 1 if stale else 0
    for name, generate in generators().items():
        path = ROOT / name
        text = path.read_text(encoding="utf-8")
        updated = generate(text)
        if updated != text:
            # newline="" keeps the file's own line endings (the generator writes "\n" only).
            path.write_text(updated, encoding="utf-8", newline="")
            print(f"updated {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
