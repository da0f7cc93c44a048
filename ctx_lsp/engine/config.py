"""Settings shared by the CLI and the server: rule switches, severity overrides, minimum
severity, debounce and size limit.

Sources, later ones winning: built-in defaults < ``.ctx-lsp.toml`` (the nearest one at or
above the analyzed path) < editor settings (LSP ``initializationOptions`` /
``workspace/didChangeConfiguration`` section ``ctxLsp``) or CLI flags. Keys may be written
camelCase, snake_case or kebab-case. Junk (unknown keys, wrong types, ``[]`` where a table is
expected, as Neovim sends empty Lua tables) produces a warning and the default is kept.

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
# scripts/gen_rule_docs.py) both editors' settings schemas and docs: show everything, so the
# editor and `ctx-lsp check` show the same findings for the same file. Hints and information
# are printed but never fail a run (exit status 1 needs a warning or an error).
DEFAULT_MIN_SEVERITY = Severity.HINT


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
    warnings: list[str] = []
    if raw is None:
        return base, warnings
    if not isinstance(raw, Mapping):
        if not (isinstance(raw, list) and not raw):  # [] is an empty Lua table: not worth a warning
            warnings.append(f"{origin}: expected an object, got {type(raw).__name__}; using defaults")
        return base, warnings
    changes: dict[str, object] = {}
    for key, value in raw.items():
        name = _normalise_key(str(key))
        if name == "rules":
            rules = _parse_rules(value, origin, known_rules, warnings)
            if rules:
                changes["rules"] = {**base.rules, **rules}
        elif name == "min_severity":
            try:
                changes["min_severity"] = Severity.parse(str(value)) if isinstance(value, str) else _bad(value)
            except (KeyError, ValueError):
                warnings.append(f"{origin}: minSeverity must be one of hint, information, warning, error; "
                                f"got {value!r}")
        elif name in ("debounce_ms", "max_file_bytes"):
            if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                changes[name] = value
            else:
                warnings.append(f"{origin}: {key} must be a non-negative integer; got {value!r}")
        else:
            warnings.append(f"{origin}: unknown setting {key!r} ignored")
    return attrs.evolve(base, **changes), warnings  # type: ignore[arg-type]


def _bad(value: object) -> Severity:
    raise ValueError(value)


def _parse_rules(value: object, origin: str, known: frozenset[str] | None, warnings: list[str]) -> dict[str, str]:
    if isinstance(value, list) and not value:
        return {}
    if not isinstance(value, Mapping):
        warnings.append(f"{origin}: rules must be a table of rule id -> on|off|severity; got {type(value).__name__}")
        return {}
    rules: dict[str, str] = {}
    for rule_id, state in value.items():
        if known is not None and rule_id not in known:
            warnings.append(f"{origin}: unknown rule {rule_id!r} ignored (see `ctx-lsp rules`)")
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
        warnings.append(f"{origin}: rule {rule_id!r}: expected on, off or a severity; got {state!r}")
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
    import tomllib  # here, not at the top: most runs have no configuration file (startup time)

    try:
        with open(path, "rb") as handle:
            raw = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        return base, [f"{path}: cannot read configuration ({error}); using defaults"]
    return parse_settings(raw, base, origin=path, known_rules=known_rules)
