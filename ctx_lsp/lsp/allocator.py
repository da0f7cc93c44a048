"""The language server's memory allocator: the C library's malloc, trimmed now and then.

Why not Python's own small-object allocator (pymalloc): it takes memory from the system in
1 MiB arenas and gives an arena back only when every object in it is gone. py-tree-sitter
allocates parse trees through ``PyMem_Malloc`` too, so the long-lived nodes of the current
tree, the engine cache and the short-lived objects of each analysis share arenas. Broken
text can split a file into some 10,000 top-level fragments for a few keystrokes (an
unmatched ``{``); their analyses and the re-parse that ends them take 10 to 20 MB of arenas
that the surviving long-lived objects then pin for good. In a 20,000-edit session RSS rose in
such steps from 77 to about 103 MB. With malloc, freed memory inside the heap goes back to the
system in whole pages with ``malloc_trim``: the same 14,000 edits in process went from 58 to
68 MB where pymalloc's went from 60 to 83 (see README "Memory").

The allocator is chosen when the interpreter starts (``PYTHONMALLOC``), so ``ctx-lsp serve``
starts itself again, once, with ``PYTHONMALLOC=malloc`` (same process id, same stdin and
stdout: ``exec``), unless ``PYTHONMALLOC`` is set already (a user's choice is kept) or the
C library is not glibc. This module imports nothing heavy: the exec happens before the server
is imported.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence

ALLOCATOR_VARIABLE = "PYTHONMALLOC"
# At most one malloc_trim per this many seconds (it costs 0.5 to 2 ms).
TRIM_INTERVAL_S = 2.0


def restart_command(environ: Mapping[str, str], platform: str, orig_argv: Sequence[str],
                    libc: str) -> list[str] | None:
    """The command to exec so that the server runs on malloc, or None to run on as it is."""
    if ALLOCATOR_VARIABLE in environ or not platform.startswith("linux") or not orig_argv:
        return None
    if libc != "glibc":  # malloc_trim is glibc's; elsewhere pymalloc is the better choice
        return None
    return list(orig_argv)


def restart_on_malloc() -> None:
    """Exec this command again with PYTHONMALLOC=malloc (see the module doc); returns only
    when it does not (already set, not Linux with glibc, or the exec failed)."""
    command = restart_command(os.environ, sys.platform, getattr(sys, "orig_argv", []),
                              _libc_name())
    if command is None:
        return
    os.environ[ALLOCATOR_VARIABLE] = "malloc"
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, command)
    except OSError:
        del os.environ[ALLOCATOR_VARIABLE]  # run on with pymalloc


def _libc_name() -> str:
    import platform

    return platform.libc_ver()[0]


@functools.cache
def malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None (musl, macOS, Windows: nothing to trim)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


class Trimmer:
    """Gives freed heap pages back to the system at most once per ``interval`` seconds; called
    after every analysis (on the analysis thread), so a typist's session is trimmed while it
    goes on, not only when it pauses."""

    def __init__(self, interval: float = TRIM_INTERVAL_S, clock: Callable[[], float] = time.monotonic,
                 trim: Callable[[], Callable[[int], int] | None] = malloc_trim) -> None:
        self._interval = interval
        self._clock = clock
        self._trim = trim
        self._last: float | None = None
        self._lock = threading.Lock()

    def now_and_then(self) -> bool:
        """Trim if the last trim is ``interval`` seconds old; returns whether it trimmed."""
        now = self._clock()
        with self._lock:
            if self._last is not None and now - self._last < self._interval:
                return False
            self._last = now
        trim = self._trim()
        if trim is None:
            return False
        trim(0)
        return True


TRIMMER = Trimmer()
