"""The time package's timers as the rules and hover see them.

Sources: docs/runtime-facts.md §4 (Go 1.23: unreferenced timers collectable and timer
channels synchronous, only with go >= 1.23 in go.mod) and §11 (each API, before and after
1.23; ``AfterFunc`` timers are held by the runtime until they fire or are stopped, in every
version).
"""

from __future__ import annotations

import re

from ctx_lsp.engine import godebug
from ctx_lsp.engine.context import FileContext

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


# Which timer semantics a file gets (docs/runtime-facts.md §4): the go line of its go.mod, and
# GODEBUG asynctimerchan (go.mod ``godebug`` lines or ``//go:debug`` directives), which brings
# the pre-1.23 behaviour back up to Go 1.26 and is ignored from Go 1.27.
OLD, NEW, UNKNOWN = "old", "new", "unknown"


def timer_semantics(ctx: FileContext) -> tuple[str, str]:
    """(OLD | NEW | UNKNOWN, a short reason naming the module's go line and settings)."""
    return ctx.file_input("timer-leak.semantics", _semantics)


def _semantics(ctx: FileContext) -> tuple[str, str]:
    version = ctx.go_version
    settings = dict(godebug.go_mod_settings_for(ctx.path))
    settings.update(godebug.parse_directives(ctx.src.data))
    if version is None:
        return UNKNOWN, "no go.mod found; assuming Go 1.23 timer semantics"
    line = f"go {version[0]}.{version[1]}"
    if version >= (1, 27):
        return NEW, line
    if settings.get("asynctimerchan") == "1":
        return OLD, f"{line} with asynctimerchan=1"
    if "asynctimerchan" not in settings:
        default = re.fullmatch(r"go1\.([0-9]+)", settings.get("default", ""))
        if default is not None and int(default.group(1)) < 23:
            return OLD, f"{line} with godebug default=go1.{default.group(1)}"
    return (OLD, line) if version < (1, 23) else (NEW, line)
