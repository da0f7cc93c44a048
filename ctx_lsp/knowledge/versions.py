"""Go versions: when an API or a run-time behaviour appeared.

Versions are ``(major, minor)`` tuples as go.mod's ``go`` line gives them
(:func:`ctx_lsp.engine.gomod.go_version_for`). Each entry cites where the version was checked
(``api/go1.N.txt`` in the Go repository, or the release notes).
"""

from __future__ import annotations

GoVersion = tuple[int, int]

# When a file has no go.mod, texts that depend on the version speak about this one and say
# so. It is the newest release whose run-time behaviour the texts were checked against.
ASSUMED_GO_VERSION: GoVersion = (1, 25)

# Timers made by NewTimer/NewTicker/After/Tick are collectable when unreferenced, and their
# channels are unbuffered (synchronous): Stop and Reset guarantee no stale value is received
# afterwards. Modules whose go.mod says an older version keep asynctimerchan=1.
# docs/runtime-facts.md §4 (time/sleep.go, internal/godebugs/table.go asynctimerchan).
SYNCHRONOUS_TIMERS: GoVersion = (1, 23)
# context.AfterFunc, context.WithoutCancel, WithDeadlineCause, WithTimeoutCause.
# docs/runtime-facts.md §1.5 (api/go1.21.txt).
CONTEXT_AFTER_FUNC: GoVersion = (1, 21)
# context.WithCancelCause and context.Cause: docs/runtime-facts.md §1.5 (api/go1.20.txt).
CONTEXT_CAUSE: GoVersion = (1, 20)
# runtime.AddCleanup and runtime.Cleanup: docs/runtime-facts.md §2.3 (api/go1.24.txt).
ADD_CLEANUP: GoVersion = (1, 24)
# Cleanups may run concurrently with each other: docs/runtime-facts.md §2.3 (Go 1.25 notes).
CONCURRENT_CLEANUPS: GoVersion = (1, 25)


def effective(go_version: GoVersion | None) -> GoVersion:
    """The version texts speak about: the module's, or :data:`ASSUMED_GO_VERSION`."""
    return tuple(go_version[:2]) if go_version is not None else ASSUMED_GO_VERSION  # type: ignore[return-value]


def at_least(go_version: GoVersion | None, wanted: GoVersion) -> bool:
    return effective(go_version) >= wanted


def describe(go_version: GoVersion | None) -> str:
    """``go 1.22 (go.mod)`` or ``Go 1.25 assumed (no go.mod)``, for the version line of a text."""
    if go_version is None:
        return f"Go {format_version(ASSUMED_GO_VERSION)} assumed (no go.mod)"
    return f"go {format_version(go_version)} (go.mod)"


def format_version(version: GoVersion) -> str:
    return f"{version[0]}.{version[1]}"
