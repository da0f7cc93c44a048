"""The server's settings: built-in defaults < ``.ctx-lsp.toml`` < editor settings.

Editor settings arrive as ``initializationOptions``, ``workspace/didChangeConfiguration`` or
``workspace/configuration`` answers, always for the section ``ctxLsp``. Parsing and the
``.ctx-lsp.toml`` format are the engine's (:mod:`ctx_lsp.engine.config`, shared with the
CLI); this module layers them per document and makes sure each complaint about junk
settings reaches the user once, not on every keystroke.

The server's default minimum severity is the CLI's (``engine.config.DEFAULT_MIN_SEVERITY``).

Bounds: ``debounceMs`` above :data:`MAX_DEBOUNCE_MS` (10 s) is clamped to it with a warning;
a debounce of 2^63-1 ms used to be accepted and then nothing was ever published.

Invariant: ``for_path`` returns the *same* Settings object for as long as the editor settings
and the governing ``.ctx-lsp.toml`` are unchanged; the scheduler compares settings by
identity (``results.settings is settings``) to tell whether results are current.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

import attrs

from ctx_lsp.engine.config import (
    DEFAULT_SETTINGS,
    Settings,
    find_config_file,
    load_config_file,
    parse_settings,
)

SECTION = "ctxLsp"
SERVER_DEFAULTS = DEFAULT_SETTINGS  # the CLI's too (engine.config.DEFAULT_MIN_SEVERITY)
MAX_DEBOUNCE_MS = 10_000
_SETTING_NAMES = frozenset(
    {"rules", "minSeverity", "min_severity", "min-severity", "debounceMs", "debounce_ms", "debounce-ms",
     "maxFileBytes", "max_file_bytes", "max-file-bytes"}
)


def editor_section(raw: object) -> tuple[object, bool]:
    """The ``ctxLsp`` settings inside what a client sent, and whether it was found.

    VS Code sends ``{"ctxLsp": {...}}``; Neovim's plugin sends the section itself as
    initializationOptions. A mapping whose keys are all ctx-lsp setting names is taken to
    be the section; anything else (another tool's settings, null) is "not found".
    """
    if isinstance(raw, Mapping):
        if SECTION in raw:
            return raw[SECTION], True
        if raw and all(isinstance(key, str) and key in _SETTING_NAMES for key in raw):
            return raw, True
        return None, False
    if isinstance(raw, list) and not raw:  # an empty Lua table
        return None, False
    return raw, raw is not None


@attrs.frozen
class _ConfigAtStamp:
    """A ``.ctx-lsp.toml`` as parsed when its modification time was ``stamp``."""

    stamp: int
    settings: Settings


class SettingsStore:
    """Effective settings per document path, with warnings reported once each."""

    def __init__(self, warn: Callable[[str], None], known_rules: frozenset[str]) -> None:
        self._warn = warn
        self._warned: set[str] = set()
        self._known_rules = known_rules
        self._editor: object = None
        self._toml: dict[str, _ConfigAtStamp] = {}
        self._effective: dict[tuple[str | None, int], Settings] = {}
        self.root_path: str | None = None

    def set_editor_settings(self, section: object) -> None:
        """Replace the editor settings (the ``ctxLsp`` section); warns about junk now."""
        self._editor = section
        self._effective.clear()
        settings, warnings = parse_settings(section, SERVER_DEFAULTS, origin=SECTION, known_rules=self._known_rules)
        self._report(warnings)
        _, bound_warnings = bounded(settings, SECTION)
        self._report(bound_warnings)

    def forget_files(self) -> None:
        """Drop cached ``.ctx-lsp.toml`` results (after a watched-file change)."""
        self._toml.clear()
        self._effective.clear()

    def for_path(self, path: str) -> Settings:
        config = self._config_file(path)
        stamp = _mtime(config) if config is not None else 0
        key = (config, stamp)
        settings = self._effective.get(key)
        if settings is None:
            base = self._toml_settings(config, stamp) if config is not None else SERVER_DEFAULTS
            settings, warnings = parse_settings(self._editor, base, origin=SECTION, known_rules=self._known_rules)
            settings, bound_warnings = bounded(settings, SECTION)
            self._report([*warnings, *bound_warnings])
            self._effective[key] = settings
        return settings

    def _config_file(self, path: str) -> str | None:
        start = path or self.root_path
        return find_config_file(start) if start else None

    def _toml_settings(self, config: str, stamp: int) -> Settings:
        cached = self._toml.get(config)
        if cached is not None and cached.stamp == stamp:
            return cached.settings
        settings, warnings = load_config_file(config, SERVER_DEFAULTS, self._known_rules)
        self._report(warnings)
        self._toml[config] = _ConfigAtStamp(stamp, settings)
        return settings

    def _report(self, warnings: list[str]) -> None:
        for warning in warnings:
            if warning not in self._warned:
                self._warned.add(warning)
                self._warn(warning)


def bounded(settings: Settings, origin: str) -> tuple[Settings, list[str]]:
    """``settings`` with values that would stop the server from working clamped, and why."""
    if settings.debounce_ms <= MAX_DEBOUNCE_MS:
        return settings, []
    warning = (f"{origin}: debounceMs {settings.debounce_ms} is over the maximum of {MAX_DEBOUNCE_MS} ms; "
               f"using {MAX_DEBOUNCE_MS}")
    return attrs.evolve(settings, debounce_ms=MAX_DEBOUNCE_MS), [warning]


def _mtime(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0
