"""Reading the other files of a package from disk.

Several analyses look past the file being checked at the sibling .go files of its package.
They share two things: which files count as siblings (the ``go`` tool's rules: ``.go``
files of the same directory, without the ``.``/``_`` prefixed ones it ignores, test files
only for a test file), and a per-file summary cache keyed by (mtime, size), so that a
directory of N files is read N times at most rather than once per file checked.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import Generic, TypeVar

Stamp = tuple[int, int]
T = TypeVar("T")

DEFAULT_MAX_BYTES = 10_000_000


def file_stamp(path: str) -> Stamp | None:
    """(mtime, size) of a regular file; None for anything else: reading a FIFO named x.go
    blocks forever, and a symlink to /dev/zero never ends (its size says 0)."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return status.st_mtime_ns, status.st_size


def read_file(path: str) -> bytes | None:
    """The bytes of ``path``, or None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def is_package_go_file(name: str, include_tests: bool) -> bool:
    """Whether a file named ``name`` belongs to the package of its directory as the ``go``
    tool sees it: a ``.go`` file, not ``.``/``_`` prefixed (the go tool ignores those), and
    ``_test.go`` files only when ``include_tests``. The one filter of every package read."""
    return (name.endswith(".go") and not name.startswith((".", "_"))
            and (include_tests or not name.endswith("_test.go")))


def package_go_files(directory: str, include_tests: bool) -> list[str]:
    """Paths of the package's .go files in ``directory`` (see is_package_go_file), sorted by
    name; empty for an unreadable directory."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [os.path.join(directory, name) for name in names if is_package_go_file(name, include_tests)]


def sibling_go_files(path: str, include_tests: bool) -> list[str]:
    """Paths of the other .go files in ``path``'s directory, sorted by name; ``_test.go``
    files only when ``include_tests``. Empty for an unnamed file or an unreadable directory."""
    if not path:
        return []
    absolute = os.path.abspath(path)
    return [other for other in package_go_files(os.path.dirname(absolute), include_tests) if other != absolute]


class StampedCache(Generic[T]):
    """Summaries of files on disk, recomputed only when a file's (mtime, size) changes.

    ``summarise(path, data)`` turns a file's bytes into the value kept; it may return None
    to refuse a file (nothing is cached then). Files that are not regular or are larger
    than ``max_bytes`` are never read.
    """

    def __init__(self, summarise: Callable[[str, bytes], T | None], max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._summarise = summarise
        self.max_bytes = max_bytes
        self._entries: dict[str, tuple[Stamp, T]] = {}

    def load(self, path: str) -> tuple[Stamp, T] | None:
        """(stamp, summary) of ``path``, read again only if its stamp changed."""
        stamp = file_stamp(path)
        if stamp is None or stamp[1] > self.max_bytes:
            return None
        cached = self._entries.get(path)
        if cached is not None and cached[0] == stamp:
            return cached
        data = read_file(path)
        if data is None:
            return None
        summary = self._summarise(path, data)
        if summary is None:
            return None
        self._entries[path] = (stamp, summary)
        return stamp, summary

    def put(self, path: str, summary: T) -> None:
        """Record a summary the caller already computed for the file as it is now."""
        stamp = file_stamp(path)
        if stamp is not None:
            self._entries[path] = (stamp, summary)
