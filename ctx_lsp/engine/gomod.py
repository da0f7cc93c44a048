"""Find the nearest go.mod above a file and read its ``go`` directive."""

from __future__ import annotations

import functools
import os
import re

_GO_DIRECTIVE = re.compile(rb"^\s*go\s+([0-9]+)\.([0-9]+)", re.MULTILINE)


def parse_go_version(text: bytes) -> tuple[int, int] | None:
    match = _GO_DIRECTIVE.search(text)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


@functools.lru_cache(maxsize=4096)
def _go_mod_in(directory: str) -> str | None:
    candidate = os.path.join(directory, "go.mod")
    return candidate if os.path.isfile(candidate) else None


def find_go_mod(path: str) -> str | None:
    """The go.mod governing ``path`` (a file or directory), or None outside any module."""
    if not path:
        return None
    directory = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
    while True:
        found = _go_mod_in(directory)
        if found is not None:
            return found
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


@functools.lru_cache(maxsize=1024)
def _version_of_go_mod(go_mod: str, mtime_ns: int) -> tuple[int, int] | None:
    try:
        with open(go_mod, "rb") as handle:
            return parse_go_version(handle.read(65536))
    except OSError:
        return None


def go_version_for(path: str) -> tuple[int, int] | None:
    go_mod = find_go_mod(path)
    if go_mod is None:
        return None
    try:
        mtime = os.stat(go_mod).st_mtime_ns
    except OSError:
        return None
    return _version_of_go_mod(go_mod, mtime)


def clear_caches() -> None:
    _go_mod_in.cache_clear()
    _version_of_go_mod.cache_clear()
