"""GODEBUG settings a module declares: ``godebug`` lines of its go.mod and ``//go:debug``
directives of a file. The go command derives a program's default GODEBUG values from the main
module's go line and these settings (docs/runtime-facts.md §4); ctx-lsp approximates the main
module by the go.mod nearest to the analysed file, as it does for the go line."""

from __future__ import annotations

import functools
import os
import re

from ctx_lsp.engine import gomod

# `godebug key=value` on one line, or a `godebug ( ... )` block of key=value lines.
_GODEBUG_LINE = re.compile(rb"^[ \t]*godebug[ \t]+([A-Za-z0-9_.-]+)[ \t]*=[ \t]*([A-Za-z0-9_.-]+)", re.MULTILINE)
_GODEBUG_BLOCK = re.compile(rb"^[ \t]*godebug[ \t]*\((.*?)\)", re.MULTILINE | re.DOTALL)
_SETTING = re.compile(rb"^[ \t]*([A-Za-z0-9_.-]+)[ \t]*=[ \t]*([A-Za-z0-9_.-]+)", re.MULTILINE)
_DIRECTIVE = re.compile(rb"^//go:debug[ \t]+([A-Za-z0-9_.-]+)=([A-Za-z0-9_.-]+)", re.MULTILINE)


def parse_go_mod_godebug(text: bytes) -> dict[str, str]:
    """``{"asynctimerchan": "1"}`` for ``godebug asynctimerchan=1`` (or the block form)."""
    settings: dict[str, str] = {}
    without_comments = re.sub(rb"//[^\n]*", b"", text)
    for block in _GODEBUG_BLOCK.finditer(without_comments):
        for key, value in _SETTING.findall(block.group(1)):
            settings[key.decode()] = value.decode()
    for key, value in _GODEBUG_LINE.findall(without_comments):
        settings[key.decode()] = value.decode()
    return settings


def parse_directives(data: bytes) -> dict[str, str]:
    """``//go:debug key=value`` lines of a Go file (they must precede the package clause; a
    cheap scan of the file's head, as the go command only reads them there)."""
    head = data.split(b"\npackage ", 1)[0] if not data.startswith(b"package ") else b""
    return {key.decode(): value.decode() for key, value in _DIRECTIVE.findall(head)}


@functools.lru_cache(maxsize=1024)
def _settings_of_go_mod(go_mod: str, mtime_ns: int) -> tuple[tuple[str, str], ...]:
    try:
        with open(go_mod, "rb") as handle:
            return tuple(sorted(parse_go_mod_godebug(handle.read(65536)).items()))
    except OSError:
        return ()


def go_mod_settings_for(path: str) -> dict[str, str]:
    """The ``godebug`` settings of the go.mod governing ``path`` ({} outside any module)."""
    go_mod = gomod.find_go_mod(path) if path else None
    if go_mod is None:
        return {}
    try:
        mtime = os.stat(go_mod).st_mtime_ns
    except OSError:
        return {}
    return dict(_settings_of_go_mod(go_mod, mtime))


def clear_caches() -> None:
    _settings_of_go_mod.cache_clear()
