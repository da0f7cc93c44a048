"""Exported names of the standard packages the rules look for, to tell which dot import a
bare identifier comes from (without type information the compiler cannot be asked).

Each rule declares the packages it resolves (``Rule.exports``); the engine takes the union of
the running rules' declarations, so it holds no list of its own (it adds its never-returning
functions, ``engine.context.NORETURN_FUNCTIONS``). Only the names the rules compare against
are listed, not whole packages.
"""

from __future__ import annotations

PACKAGE_EXPORTS: dict[str, frozenset[str]] = {
    "context": frozenset(
        "Background TODO WithCancel WithCancelCause WithTimeout WithTimeoutCause WithDeadline "
        "WithDeadlineCause WithValue WithoutCancel AfterFunc Cause Context CancelFunc "
        "CancelCauseFunc Canceled DeadlineExceeded".split()
    ),
    "runtime": frozenset(
        "SetFinalizer AddCleanup KeepAlive GC Stack Goexit Gosched NumGoroutine Caller Callers".split()
    ),
    "runtime/debug": frozenset("SetGCPercent FreeOSMemory Stack PrintStack SetMemoryLimit".split()),
    "os/signal": frozenset("NotifyContext Notify Stop Ignore Reset".split()),
    "os": frozenset({"Exit"}),
    "syscall": frozenset({"Exit", "Close"}),
    "time": frozenset("AfterFunc NewTimer NewTicker Sleep After Tick Second Minute Millisecond".split()),
    # log's Fatal*/Panic* never return: the engine knows them (NORETURN_FUNCTIONS).
    # nil-context, context-not-inherited, errgroup-context-after-wait (issue 19):
    "golang.org/x/net/context": frozenset(
        "Background TODO WithCancel WithTimeout WithDeadline WithValue Context CancelFunc".split()
    ),
    "golang.org/x/sync/errgroup": frozenset({"WithContext"}),
    "net/http": frozenset({"NewRequestWithContext", "Request"}),
    "os/exec": frozenset({"CommandContext"}),
    "runtime/trace": frozenset("NewTask WithRegion StartRegion Log Logf".split()),
    "runtime/pprof": frozenset("Do SetGoroutineLabels WithLabels Label ForLabels".split()),
    "log/slog": frozenset("DebugContext InfoContext WarnContext ErrorContext Log LogAttrs".split()),
    "net/http/httptrace": frozenset({"WithClientTrace", "ContextClientTrace"}),
    "testing": frozenset({"T", "B", "F", "TB"}),
}


def exports_of(*paths: str) -> frozenset[tuple[str, str]]:
    """The (package path, name) pairs of ``paths`` for ``Rule.exports``."""
    return frozenset((path, name) for path in paths for name in PACKAGE_EXPORTS[path])
