"""The time package's timers as the rules and hover see them.

Sources: docs/runtime-facts.md §4 (Go 1.23: unreferenced timers collectable and timer
channels synchronous, only with go >= 1.23 in go.mod) and §11 (each API, before and after
1.23; ``AfterFunc`` timers are held by the runtime until they fire or are stopped, in every
version).
"""

from __future__ import annotations

TIME = "time"
# Calls that create a runtime timer, by name in package time.
TIMER_CALLS = frozenset({"NewTimer", "NewTicker", "After", "Tick", "AfterFunc"})
# Channel timers: what the Go 1.23 change covers ("timer" or "ticker").
CHANNEL_TIMERS = {"NewTimer": "timer", "After": "timer", "NewTicker": "ticker", "Tick": "ticker"}
# The type a call's result has, for the receivers whose methods ctx-lsp explains
# (runtime.AddCleanup's Cleanup included: docs/runtime-facts.md §2.3).
RESULT_TYPES: dict[tuple[str, str], tuple[str, str]] = {
    (TIME, "NewTimer"): (TIME, "Timer"),
    (TIME, "AfterFunc"): (TIME, "Timer"),
    (TIME, "NewTicker"): (TIME, "Ticker"),
    ("runtime", "AddCleanup"): ("runtime", "Cleanup"),
}
