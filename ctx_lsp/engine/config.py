"""Settings shared by the CLI and the server: rule switches, severity overrides, minimum
severity, debounce and size limit.

Sources, later ones winning: built-in defaults < ``.ctx-lsp.toml`` (the nearest one at or
above the analyzed path) < editor settings (LSP ``initializationOptions`` /
``workspace/didChangeConfiguration`` section ``ctxLsp``) or CLI flags. Keys may be written
camelCase, snake_case or kebab-case. Junk (unknown keys, wrong types, ``[]`` where a table is
expected, as Neovim sends empty Lua tables) produces a warning and the default is kept.

Each complaint is a :class:`ConfigProblem` (file, key, reason, line when known). A
``.ctx-lsp.toml`` that is not valid TOML loses only the statements TOML cannot read (each
reported), not the whole file: :func:`load_config` drops the offending statement and parses
the rest again.

Example ``.ctx-lsp.toml``::

    min-severity = "information"
    debounce-ms = 150
    [rules]
    forced-gc = "off"        # on | off | error | warning | information | hint
    lostcancel = "error"
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

import attrs

from ctx_lsp.engine.findings import Severity

CONFIG_FILE_NAME = ".ctx-lsp.toml"
_RULE_STATES = ("on", "off")
DEFAULT_MAX_FILE_BYTES = 10_000_000
# The one default minimum severity of `ctx-lsp check`, the server, and (written there by
# scripts/gen_rule_docs.py) both editors' settings schemas and docs, so the editor and
# `ctx-lsp check` show the same findings for the same file. Hints are opt-in: a rule (or a
# shape of a rule) is a hint when its measured precision on repositories it was not tuned on
# is too low to show by default (docs/rules.md), and `minSeverity = "hint"` shows them.
# Information is shown but never fails a run (exit status 1 needs a warning or an error).
DEFAULT_MIN_SEVERITY = Severity.INFORMATION


@attrs.frozen
class ConfigProblem:
    """One complaint about a settings source: the server shows these with window/showMessage,
    the CLI prints them on stderr. ``file`` is the file's path, or the origin of editor
    settings (``ctxLsp``); ``key`` is the setting as written (``rules.lostcancel`` for a rule),
    None when the problem concerns the whole source; ``line`` is 1-based, when known."""

    file: str
    key: str | None
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.reason}"


@attrs.frozen
class LoadedConfig:
    """A ``.ctx-lsp.toml`` overlaid on a base: the settings and every problem met on the way."""

    path: str
    settings: Settings
    problems: tuple[ConfigProblem, ...] = ()


def _normalise_key(key: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).replace("-", "_").lower()


@attrs.frozen
class Settings:
    rules: Mapping[str, str] = attrs.field(factory=dict)  # rule id -> on|off|severity label
    min_severity: Severity = DEFAULT_MIN_SEVERITY
    debounce_ms: int = 150
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES

    def enabled(self, rule_id: str) -> bool:
        return self.rules.get(rule_id, "on") != "off"

    def severity_for(self, rule_id: str, default: Severity) -> Severity:
        value = self.rules.get(rule_id, "on")
        if value in _RULE_STATES:
            return default
        return Severity.parse(value)

    def with_rules(self, updates: Mapping[str, str]) -> Settings:
        return attrs.evolve(self, rules={**self.rules, **updates})


DEFAULT_SETTINGS = Settings()


def parse_settings(raw: object, base: Settings = DEFAULT_SETTINGS, *, origin: str = "settings",
                   known_rules: frozenset[str] | None = None) -> tuple[Settings, list[str]]:
    """Overlay ``raw`` (a dict from JSON or TOML) on ``base``; return warnings for junk."""
    settings, problems = parse_settings_problems(raw, base, origin=origin, known_rules=known_rules)
    return settings, [str(problem) for problem in problems]


def parse_settings_problems(raw: object, base: Settings = DEFAULT_SETTINGS, *, origin: str = "settings",
                            known_rules: frozenset[str] | None = None) -> tuple[Settings, list[ConfigProblem]]:
    """:func:`parse_settings` with structured problems. Every valid key applies whatever is
    wrong with the others."""
    problems: list[ConfigProblem] = []
    if raw is None:
        return base, problems
    if not isinstance(raw, Mapping):
        if not (isinstance(raw, list) and not raw):  # [] is an empty Lua table: not worth a warning
            problems.append(ConfigProblem(origin, None, f"expected an object, got {type(raw).__name__}; "
                                                        "using defaults"))
        return base, problems
    changes: dict[str, object] = {}
    for key, value in raw.items():
        name = _normalise_key(str(key))
        if name == "rules":
            rules = _parse_rules(value, origin, known_rules, problems)
            if rules:
                changes["rules"] = {**base.rules, **rules}
        elif name == "min_severity":
            try:
                changes["min_severity"] = Severity.parse(str(value)) if isinstance(value, str) else _bad(value)
            except (KeyError, ValueError):
                problems.append(ConfigProblem(origin, str(key), "minSeverity must be one of hint, information, "
                                                                f"warning, error; got {value!r}"))
        elif name in ("debounce_ms", "max_file_bytes"):
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                changes[name] = value
            else:
                problems.append(ConfigProblem(origin, str(key), f"{key} must be a non-negative integer; got {value!r}"))
        else:
            problems.append(ConfigProblem(origin, str(key), f"unknown setting {key!r} ignored"))
    return attrs.evolve(base, **changes), problems  # type: ignore[arg-type]


def _bad(value: object) -> Severity:
    raise ValueError(value)


def _parse_rules(value: object, origin: str, known: frozenset[str] | None,
                 problems: list[ConfigProblem]) -> dict[str, str]:
    if isinstance(value, list) and not value:
        return {}
    if not isinstance(value, Mapping):
        problems.append(ConfigProblem(origin, "rules", "rules must be a table of rule id -> on|off|severity; "
                                                       f"got {type(value).__name__}"))
        return {}
    rules: dict[str, str] = {}
    for rule_id, state in value.items():
        if known is not None and rule_id not in known:
            problems.append(ConfigProblem(origin, f"rules.{rule_id}",
                                          f"unknown rule {rule_id!r} ignored (see `ctx-lsp rules`)"))
            continue
        if isinstance(state, bool):
            rules[rule_id] = "on" if state else "off"
            continue
        if isinstance(state, str):
            lowered = state.strip().lower()
            if lowered in _RULE_STATES:
                rules[rule_id] = lowered
                continue
            try:
                rules[rule_id] = Severity.parse(lowered).label
                continue
            except KeyError:
                pass
        problems.append(ConfigProblem(origin, f"rules.{rule_id}",
                                      f"rule {rule_id!r}: expected on, off or a severity; got {state!r}"))
    return rules


def find_config_file(start: str) -> str | None:
    """The nearest ``.ctx-lsp.toml`` at or above ``start`` (a file or directory)."""
    directory = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        candidate = os.path.join(directory, CONFIG_FILE_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load_config_file(path: str, base: Settings = DEFAULT_SETTINGS,
                     known_rules: frozenset[str] | None = None) -> tuple[Settings, list[str]]:
    """:func:`load_config` with the problems as one-line messages."""
    loaded = load_config(path, base, known_rules)
    return loaded.settings, [str(problem) for problem in loaded.problems]


def load_config(path: str, base: Settings = DEFAULT_SETTINGS,
                known_rules: frozenset[str] | None = None) -> LoadedConfig:
    """Read ``path`` and overlay it on ``base``. What TOML cannot read is dropped statement by
    statement (each drop is a problem with its line), and what it can read applies, each
    invalid setting reported and the valid ones kept."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        problem = ConfigProblem(path, None, f"cannot read configuration ({error.strerror or error}); using defaults")
        return LoadedConfig(path, base, (problem,))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = ConfigProblem(path, None, f"cannot read configuration (not UTF-8: {error.reason} at byte "
                                            f"{error.start}); using defaults")
        return LoadedConfig(path, base, (problem,))
    raw, problems = _read_toml_leniently(path, text)
    settings, more = parse_settings_problems(raw, base, origin=path, known_rules=known_rules)
    return LoadedConfig(path, settings, (*problems, *more))


_TOML_ERROR = re.compile(r"^(?P<message>.*) \(at (?:line (?P<line>\d+), column \d+|end of document)\)$", re.DOTALL)
# Where a TOML statement starts: a table header or ``key =``. A heuristic (a line inside a
# multi-line string may look like one), used only to decide what to drop from a broken file.
_KEY_PART = r"""[A-Za-z0-9_\-"'.]+"""
_STATEMENT_START = re.compile(rf"^[ \t]*(?:\[|(?P<key>{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*=)")
_TABLE_HEADER = re.compile(r"^[ \t]*\[\[?[ \t]*(?P<name>[^\]\n]*?)[ \t]*\]?\]?[ \t]*(?:#.*)?$")


def _read_toml_leniently(path: str, text: str) -> tuple[dict[str, object], list[ConfigProblem]]:
    """Parse ``text``; on a syntax error, blank the statement it is in (a broken table header:
    the whole table) and try again, up to once per line. The problems say what was dropped."""
    import tomllib  # here, not at the top: most runs have no configuration file (startup time)

    lines = text.splitlines(keepends=True)
    problems: list[ConfigProblem] = []
    for _ in range(len(lines) + 1):
        try:
            return tomllib.loads("".join(lines)), problems
        except tomllib.TOMLDecodeError as error:
            match = _TOML_ERROR.match(str(error))
            message = match.group("message") if match else str(error)
            error_line = int(match.group("line")) if match and match.group("line") else None
            dropped = _drop_statement(lines, error_line)
            if dropped is None:
                break
            first, last, key, table = dropped
            if table:
                what = f"table [{key}] ignored with its keys"
            elif key:
                what = f"{key!r} ignored"
            else:
                what = f"line {first + 1} ignored"
            problems.append(ConfigProblem(path, key, f"invalid TOML ({message}); {what}, the rest of the file "
                                                     "applies", line=error_line or first + 1))
            for index in range(first, last + 1):
                lines[index] = "\n"
    problems.append(ConfigProblem(path, None, "cannot read configuration (invalid TOML that could not be "
                                              "isolated to a statement); using defaults"))
    return {}, problems


def _drop_statement(lines: list[str], error_line: int | None) -> tuple[int, int, str | None, bool] | None:
    """The statement around ``error_line`` (1-based; None: the end of the document) as
    (first index, last index, key or table name, whether it is a table), or None when
    nothing is left to drop. Keys inside a table are named ``table.key``."""
    starts = [index for index, line in enumerate(lines) if _STATEMENT_START.match(line)]
    if error_line is None:
        # Something is unterminated (a string, array or table): the last statement opened it
        # or swallowed it; drop that one.
        if not starts:
            return None
        first = starts[-1]
    else:
        error_index = error_line - 1
        before = [index for index in starts if index <= error_index]
        first = before[-1] if before else error_index
        if first < error_index and _complete(lines[first:error_index]):
            first = error_index  # the statement above ends before the error: the line itself is junk
    if first >= len(lines) or not lines[first].strip():
        return None
    later = [index for index in starts if index > first]
    header = _TABLE_HEADER.match(lines[first]) if lines[first].lstrip().startswith("[") else None
    if header is not None:
        # A broken header: the keys under it belong to a table TOML cannot name; applying them
        # to the enclosing table would be wrong, so they go with it.
        following = [index for index in later if lines[index].lstrip().startswith("[")]
        last = (following[0] - 1) if following else len(lines) - 1
        return first, last, header.group("name").strip() or None, True
    last = (later[0] - 1) if later else len(lines) - 1
    start = _STATEMENT_START.match(lines[first])
    key = start.group("key").strip().strip("\"'") if start and start.group("key") else None
    table = _enclosing_table(lines, first)
    return first, last, f"{table}.{key}" if key and table else key, False


def _complete(statement_lines: list[str]) -> bool:
    """Whether these lines are a whole TOML statement by themselves."""
    import tomllib

    try:
        tomllib.loads("".join(statement_lines))
    except tomllib.TOMLDecodeError:
        return False
    return True


def _enclosing_table(lines: list[str], index: int) -> str | None:
    for line in reversed(lines[:index]):
        if line.lstrip().startswith("["):
            header = _TABLE_HEADER.match(line)
            return header.group("name").strip() if header else None
    return None
