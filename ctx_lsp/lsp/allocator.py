"""Giving freed heap memory back to the system while a session goes on (``malloc_trim``).

Python's small-object allocator (pymalloc) takes memory in 1 MiB arenas and gives an arena
back only when every object in it is gone. py-tree-sitter allocates parse trees through
``PyMem_Malloc`` too, so the long-lived nodes of the current tree, the engine cache and the
short-lived objects of each analysis share arenas. Broken text can split a file into some
10,000 top-level fragments for a few keystrokes (an unmatched ``{``); their analyses and the
re-parse that ends them take 10 to 20 MB of arenas that the surviving long-lived objects
then pin: in a 20,000-edit session RSS rose in such steps from 75 to about 102 MB.

With ``PYTHONMALLOC=malloc`` in the server's environment (an opt-in; see README "Memory"),
freed memory inside the heap goes back to the system in whole pages with ``malloc_trim``,
which the server calls after an analysis at most every ``TRIM_INTERVAL_S``: the session ends
at 88-93 MB instead, but keystrokes cost 25-40% more (glibc's malloc is slower than pymalloc
for the server's threads), which is why it is not the default. Under pymalloc the trim
returns only the C heap's free pages (large lists, tree-sitter's larger blocks): little, and
cheap.
"""

from __future__ import annotations

import ctypes
import functools
import threading
import time
from collections.abc import Callable

# At most one malloc_trim per this many seconds (it costs 0.5 to 2 ms).
TRIM_INTERVAL_S = 2.0


@functools.cache
def malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None (musl, macOS, Windows: nothing to trim). Looked up in
    the running program's own symbols (``dlopen(NULL)``): ``ctypes.util.find_library`` would
    start ``ldconfig``, and the server starts no process (tests/robustness/test_security.py)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # TypeError: Windows has no dlopen(NULL)
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
