"""What the Go runtime does for each context, finalizer, GC and timer API ctx-lsp explains.

Each API has a short summary and grouped facts. Every fact carries a ``source`` note saying
where it was verified; it is never shown to users. ``RF §x`` means a section of
``RUNTIME_FACTS.md`` (the project's verified runtime facts, which cite the Go source).
Facts taken from a Go doc comment or source not quoted in RUNTIME_FACTS.md name the file
and lines in Go 1.19.8 (``/usr/lib/go-1.19/src``) or the release notes they come from.

The same text serves three places: hover on a call (with site-specific facts appended by
:mod:`ctx_lsp.hover.site`), ``ctx-lsp explain context.WithTimeout`` on the command line, and
the tests in ``tests/hover/test_api_texts.py``, which also check that no text repeats a
myth listed in :mod:`ctx_lsp.hover.false_claims`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs

GoVersion = tuple[int, int]


@attrs.frozen
class Fact:
    """One statement shown to users; ``source`` says where it was verified (not shown)."""

    text: str
    source: str


@attrs.frozen
class Section:
    title: str
    facts: tuple[Fact, ...]


@attrs.frozen
class ApiInfo:
    """Hover knowledge for one exported Go function.

    ``releaser`` names the function result the caller must call to release what the call
    holds ("cancel" or "stop"), or is None; ``arms_timer`` says whether the call starts a
    runtime timer that keeps its context reachable until the deadline.
    """

    import_path: str
    name: str
    since: GoVersion
    since_source: str
    signature: str
    summary: str
    sections: tuple[Section, ...]
    releaser: str | None = None
    arms_timer: bool = False

    @property
    def package_name(self) -> str:
        return self.import_path.rsplit("/", 1)[-1]

    @property
    def qualified_name(self) -> str:
        """The name as Go code writes it: ``signal.NotifyContext``, ``debug.SetGCPercent``."""
        return f"{self.package_name}.{self.name}"

    @property
    def full_name(self) -> str:
        """Unambiguous name with the whole import path: ``os/signal.NotifyContext``."""
        return f"{self.import_path}.{self.name}"

    def all_facts(self) -> Iterable[Fact]:
        for section in self.sections:
            yield from section.facts


def _facts(*pairs: tuple[str, str]) -> tuple[Fact, ...]:
    return tuple(Fact(text, source) for text, source in pairs)


# ---------------------------------------------------------------------------------------
# Facts shared by several constructors. Kept as data so each API states them identically.
# ---------------------------------------------------------------------------------------

_PARENT_LINKING: tuple[tuple[str, str], ...] = (
    (
        "How it is linked to `parent` depends on the parent: if `parent.Done()` is nil "
        "(`Background`, `TODO`, `WithoutCancel`), **nothing is registered anywhere**; if the "
        "parent is already canceled, the child is canceled on the spot; if the parent is or "
        "wraps a standard cancelable context, the child is added to that context's "
        "`children` map.",
        "RF §1.2 steps 2-4",
    ),
    (
        "Go 1.21+: a custom parent type with an `AfterFunc(func()) func() bool` method gets "
        "the child through that method. Any other custom parent with a non-nil `Done` gets "
        "**one watcher goroutine per child**, which returns when either context is canceled.",
        "RF §1.2 steps 5-6",
    ),
)

_CANCEL_NEVER_CALLED: tuple[tuple[str, str], ...] = (
    (
        "Under a cancelable parent, the entry in the parent's `children` map keeps the child, "
        "its values and its own children reachable until the parent or an ancestor is "
        "canceled. Under a long-lived root that nobody cancels, that means for the life of "
        "the program, and the map grows with every forgotten child.",
        "RF §1.6 table row 2; RF §6 #3 (true part); experiment A",
    ),
    (
        "Under an unrecognised custom parent, the watcher goroutine stays blocked; a blocked "
        "goroutine is a GC root, so it keeps both contexts reachable until one of them is "
        "canceled.",
        "RF §1.6 table row 4; RF §3.5; experiment D",
    ),
)

_CALLING_CANCEL: tuple[tuple[str, str], ...] = (
    (
        "Idempotent and safe to call from several goroutines at once: the first call "
        "cancels, later calls do nothing.",
        "RF §1.3 (CancelFunc doc, context.go @tip25 L227-231; experiment F)",
    ),
    (
        "It does **not** wait for the work to stop. Goroutines using the context must watch "
        "`ctx.Done()` (or check `ctx.Err()`) and return by themselves.",
        "RF §1.3; RF §7 myth 'Canceling a context kills goroutines'",
    ),
)

_DEFER_IDIOM = (
    "Write `defer cancel()` on the line after the call. go vet's lostcancel check reports a "
    "cancel function that is discarded or not called on every path.",
    "RF §1.6 (lostcancel doc and messages)",
)


def _with_cancel_sections(cause_facts: Sequence[tuple[str, str]]) -> tuple[Section, ...]:
    return (
        Section(
            "At the call",
            _facts(
                (
                    "Allocates a `*cancelCtx` that points to `parent`. Its Done channel is "
                    "made lazily, on the first `Done()` call.",
                    "RF §1.1; RF §1.2 step 1",
                ),
                *_PARENT_LINKING,
            ),
        ),
        Section(
            "If `cancel` is never called",
            _facts(
                *_CANCEL_NEVER_CALLED,
                (
                    "Under `Background()`/`TODO()` nothing retains it: it is garbage once "
                    "unreferenced. vet still reports the discarded cancel, and the rule is "
                    "still to call it.",
                    "RF §1.6 table row 1 and caveat; experiment B",
                ),
            ),
        ),
        Section(
            "Calling `cancel`",
            _facts(
                (
                    "Closes `Done`, sets `Err()` to `context.Canceled`, cancels every child, "
                    "drops this context's own `children` map and deletes its single entry "
                    "from the parent's map. Other children of the parent are untouched.",
                    "RF §1.3 ((*cancelCtx).cancel L547-580, removeChild L399-413)",
                ),
                *cause_facts,
                *_CALLING_CANCEL,
                _DEFER_IDIOM,
            ),
        ),
    )


def _deadline_sections(cause_facts: Sequence[tuple[str, str]], when: str) -> tuple[Section, ...]:
    return (
        Section(
            "At the call",
            _facts(
                (
                    "If the parent's deadline is already earlier, this is just "
                    "`WithCancel(parent)`: no timer is created.",
                    "RF §1.4 (WithDeadlineCause L636)",
                ),
                (
                    "Otherwise it allocates a `*timerCtx` (a `cancelCtx` plus a timer) "
                    f"pointing to `parent`, and arms a runtime timer with `time.AfterFunc` "
                    f"that cancels the context {when}.",
                    "RF §1.4 (L650)",
                ),
                (
                    "It is linked to `parent` like `WithCancel`: nothing is registered for a "
                    "parent whose `Done()` is nil, a standard cancelable parent gets an entry "
                    "in its `children` map, and only an unrecognised custom parent gets a "
                    "watcher goroutine.",
                    "RF §1.2 steps 2-6",
                ),
            ),
        ),
        Section(
            "If `cancel` is never called",
            _facts(
                (
                    "The runtime's timer heap holds the timer, the timer holds the closure "
                    "and the closure holds the context, its values and its parent chain: "
                    "**all stay reachable until the deadline**, even under `Background()`.",
                    "RF §1.4; RF §1.6 table row 1; experiment C",
                ),
                (
                    "Go 1.23 made unreferenced *channel* timers (`NewTimer`, `NewTicker`) "
                    "collectable; that change does not apply to this `AfterFunc` timer.",
                    "RF §1.4 last bullet; RF §4",
                ),
                *_CANCEL_NEVER_CALLED,
            ),
        ),
        Section(
            "Calling `cancel`",
            _facts(
                (
                    "Cancels like `WithCancel` (closes `Done`, `Err()` becomes "
                    "`context.Canceled`, cancels children, deletes its own entry from the "
                    "parent's map) and **stops the timer**, which releases the closure.",
                    "RF §1.3 ((*timerCtx).cancel L677-690)",
                ),
                (
                    "When the deadline comes first, the timer cancels the context with "
                    "`context.DeadlineExceeded` and removes it from the parent's map; "
                    "calling `cancel` afterwards does nothing and is still correct.",
                    "RF §1.4 (timer closure calls cancel(true, DeadlineExceeded, cause)); RF §1.3",
                ),
                *cause_facts,
                *_CALLING_CANCEL,
                _DEFER_IDIOM,
            ),
        ),
    )


_DEADLINE_CAUSE_FACTS: tuple[tuple[str, str], ...] = (
    (
        "The cause is set only when the deadline fires. The returned `CancelFunc` does not set "
        "it: after an explicit `cancel()`, `context.Cause(ctx)` returns `context.Canceled`.",
        "RF §1.5 (WithDeadlineCause doc); RF §1.3 (cause defaults to err)",
    ),
)

_WITH_CANCEL_CAUSE_FACTS: tuple[tuple[str, str], ...] = (
    (
        "`cancel(err)` sets `Err()` to `context.Canceled` and records `err` as the cause, "
        "read with `context.Cause(ctx)`; `cancel(nil)` sets the cause to `context.Canceled`.",
        "RF §1.5 (WithCancelCause doc)",
    ),
    (
        "If the context is already canceled (by an earlier call or by its parent), a later "
        "`cancel(err)` does not change the cause.",
        "RF §1.5 (CancelCauseFunc doc)",
    ),
)

_ROOT_DERIVED_FACTS: tuple[tuple[str, str], ...] = (
    (
        "Its `Done()` returns nil, so a context derived from it is **not registered "
        "anywhere** and no goroutine is started for it.",
        "RF §1.2 step 2 (L478)",
    ),
    (
        "`WithCancel` on it, with the cancel never called, is garbage once unreferenced "
        "(vet still reports the discarded cancel; call it anyway).",
        "RF §1.6 table row 1 and caveat; experiment B",
    ),
    (
        "`WithTimeout`/`WithDeadline` on it stay reachable through their runtime timer until "
        "the deadline fires or `cancel` stops the timer.",
        "RF §1.4; experiment C",
    ),
    (
        "A long-lived `WithCancel` root made from it keeps, in its `children` map, every child "
        "whose cancel was forgotten, until the root itself is canceled.",
        "RF §1.6 table row 2; RF §6 #3 (true part)",
    ),
)

_FINALIZER_CAVEATS: tuple[tuple[str, str], ...] = (
    (
        "**Not guaranteed to run**: there is no guarantee that finalizers run before the "
        "program exits, so they are useful only as a fallback for non-memory resources in "
        "long-running programs (never to flush a `bufio.Writer`).",
        "RF §2.1 (mfinal.go @tip25 L377-384)",
    ),
    (
        "No guarantee either for zero-size objects, objects allocated in package-level "
        "variable initializers, or tiny pointer-free objects batched into one allocation "
        "with a live object.",
        "RF §2.1 (L386-396)",
    ),
    (
        "The object may become unreachable, and be finalized, as soon as a function last "
        "mentions it, even a receiver or argument (documented since Go 1.23). Call "
        "`runtime.KeepAlive(obj)` after the last use of the resource the finalizer releases.",
        "RF §2.1 (f7c330eac7); RF §2.2",
    ),
)

# ---------------------------------------------------------------------------------------
# The table.
# ---------------------------------------------------------------------------------------

_CONTEXT = "context"

_APIS: tuple[ApiInfo, ...] = (
    ApiInfo(
        import_path=_CONTEXT,
        name="Background",
        since=(1, 7),
        since_source="api/go1.7.txt L6",
        signature="func Background() Context",
        summary="The root context: never canceled, no values, no deadline.",
        sections=(
            Section("What derived contexts retain", _facts(*_ROOT_DERIVED_FACTS)),
        ),
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="TODO",
        since=(1, 7),
        since_source="api/go1.7.txt L7",
        signature="func TODO() Context",
        summary=(
            "Same run-time behaviour as `Background()`; use it where a context is required "
            "but the right one is not known yet, instead of passing a nil Context."
        ),
        sections=(
            Section("What derived contexts retain", _facts(*_ROOT_DERIVED_FACTS)),
        ),
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="WithCancel",
        since=(1, 7),
        since_source="api/go1.7.txt L8",
        signature="func WithCancel(parent Context) (ctx Context, cancel CancelFunc)",
        summary=(
            "Returns a child of `parent` that is canceled when `cancel` is called or when the "
            "parent is canceled, whichever happens first."
        ),
        sections=_with_cancel_sections(()),
        releaser="cancel",
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="WithCancelCause",
        since=(1, 20),
        since_source="api/go1.20.txt L7 (#51365); RF §1.5",
        signature="func WithCancelCause(parent Context) (ctx Context, cancel CancelCauseFunc)",
        summary="Like `WithCancel`, but `cancel(err)` records why the context was canceled.",
        sections=_with_cancel_sections(_WITH_CANCEL_CAUSE_FACTS),
        releaser="cancel",
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="WithTimeout",
        since=(1, 7),
        since_source="api/go1.7.txt L10",
        signature="func WithTimeout(parent Context, timeout time.Duration) (Context, CancelFunc)",
        summary=(
            "`WithDeadline(parent, time.Now().Add(timeout))`: canceled when the timeout "
            "elapses, when `cancel` is called or when the parent is canceled."
        ),
        sections=_deadline_sections((), "when the timeout elapses"),
        releaser="cancel",
        arms_timer=True,
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="WithTimeoutCause",
        since=(1, 21),
        since_source="api/go1.21.txt L10 (#56661); RF §1.5",
        signature=(
            "func WithTimeoutCause(parent Context, timeout time.Duration, cause error) "
            "(Context, CancelFunc)"
        ),
        summary="Like `WithTimeout`, but the timeout also records `cause` as the reason.",
        sections=_deadline_sections(_DEADLINE_CAUSE_FACTS, "when the timeout elapses"),
        releaser="cancel",
        arms_timer=True,
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="WithDeadline",
        since=(1, 7),
        since_source="api/go1.7.txt L9",
        signature="func WithDeadline(parent Context, d time.Time) (Context, CancelFunc)",
        summary=(
            "Returns a child of `parent` canceled at time `d`, when `cancel` is called or when "
            "the parent is canceled, whichever happens first."
        ),
        sections=_deadline_sections((), "at the deadline"),
        releaser="cancel",
        arms_timer=True,
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="WithDeadlineCause",
        since=(1, 21),
        since_source="api/go1.21.txt L8 (#56661); RF §1.5",
        signature=(
            "func WithDeadlineCause(parent Context, d time.Time, cause error) "
            "(Context, CancelFunc)"
        ),
        summary="Like `WithDeadline`, but the deadline also records `cause` as the reason.",
        sections=_deadline_sections(_DEADLINE_CAUSE_FACTS, "at the deadline"),
        releaser="cancel",
        arms_timer=True,
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="WithValue",
        since=(1, 7),
        since_source="api/go1.7.txt L11",
        signature="func WithValue(parent Context, key, val any) Context",
        summary="Returns a copy of `parent` that carries one key/value pair.",
        sections=(
            Section(
                "At the call",
                _facts(
                    (
                        "Allocates one small `valueCtx` holding `parent`, `key` and `val`. "
                        "There is no cancel function and nothing is registered with the "
                        "parent: it is canceled exactly when its parent is.",
                        "RF §1.2 step 4 (valueCtx wraps its parent); go1.19.8 context.go "
                        "L510-567 WithValue/valueCtx",
                    ),
                    (
                        "`ctx.Value(key)` walks up the chain one layer at a time until it finds "
                        "the key, so every layer makes lookups longer. Reassigning "
                        "`ctx = context.WithValue(ctx, ...)` in a loop adds one layer per "
                        "iteration, and every layer stays reachable.",
                        "go1.19.8 context.go L569-593 value(); RULES.md context-in-loop",
                    ),
                ),
            ),
            Section(
                "What stays reachable",
                _facts(
                    (
                        "`val` lives as long as this context or any context derived from it "
                        "is reachable, including a child kept in a parent's `children` map "
                        "because its cancel was forgotten.",
                        "RF §1.6 (child kept with its subtree and values)",
                    ),
                ),
            ),
            Section(
                "Guidance",
                _facts(
                    (
                        "Use a key type you define (for example `type userKey struct{}`), not "
                        "`string` or another built-in type, so keys from different packages "
                        "cannot collide.",
                        "go1.19.8 context.go L516-522 WithValue doc; RULES.md context-key-type",
                    ),
                    (
                        "Use values only for request-scoped data that crosses process and API "
                        "boundaries, not for optional parameters.",
                        "RF §5",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="WithoutCancel",
        since=(1, 21),
        since_source="api/go1.21.txt L9 (#40221); RF §1.5",
        signature="func WithoutCancel(parent Context) Context",
        summary="Returns a copy of `parent` that is not canceled when the parent is canceled.",
        sections=(
            Section(
                "At the call",
                _facts(
                    (
                        "The result has no deadline; its `Done()` returns nil, `Err()` returns "
                        "nil and `context.Cause` returns nil.",
                        "RF §1.5 (WithoutCancel)",
                    ),
                    (
                        "It still points to `parent` to answer `Value`, so it keeps the parent "
                        "and its values reachable for as long as it is referenced.",
                        "RF §1.5 (WithoutCancel)",
                    ),
                    (
                        "Contexts derived from it are not registered upward: "
                        "`WithCancel(WithoutCancel(p))` is linked to nothing, because its "
                        "parent's `Done()` is nil.",
                        "RF §1.5; RF §1.2 step 2",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="AfterFunc",
        since=(1, 21),
        since_source="api/go1.21.txt L7 (#57928); RF §1.5",
        signature="func AfterFunc(ctx Context, f func()) (stop func() bool)",
        summary="Arranges to call `f` in its own goroutine after `ctx` is done.",
        sections=(
            Section(
                "At the call",
                _facts(
                    (
                        "Registers an internal `afterFuncCtx` with `ctx` the way a child "
                        "context is registered (for a standard context: an entry in its "
                        "`children` map). If `ctx` is already done, `f` starts at once in its "
                        "own goroutine.",
                        "RF §1.5 (AfterFunc @tip25 L308-340)",
                    ),
                    (
                        "When `ctx` is canceled, `f` is started exactly once, in a new "
                        "goroutine. Several `AfterFunc` registrations on one context are "
                        "independent of each other.",
                        "RF §1.3 ((*afterFuncCtx).cancel L352, sync.Once); RF §1.5",
                    ),
                ),
            ),
            Section(
                "If `stop` is never called",
                _facts(
                    (
                        "On a context that is never canceled, the registration and `f`, with "
                        "everything `f` captures, stay in the context's `children` map.",
                        "RF §1.5 (AfterFunc, last sentence)",
                    ),
                ),
            ),
            Section(
                "Calling `stop`",
                _facts(
                    (
                        "`stop()` removes the registration and returns true if it prevented "
                        "`f` from running; false means `f` was already started or `stop` had "
                        "already been called.",
                        "RF §1.5; RF §1.3 (removeChild); AfterFunc doc @tip25",
                    ),
                    (
                        "`stop` does not wait for `f` to finish; coordinate with `f` "
                        "explicitly if you need to know that it is done.",
                        "RF §1.5",
                    ),
                ),
            ),
        ),
        releaser="stop",
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="Cause",
        since=(1, 20),
        since_source="api/go1.20.txt L6 (#51365); RF §1.5",
        signature="func Cause(c Context) error",
        summary="Returns why `c` was canceled.",
        sections=(
            Section(
                "What it returns",
                _facts(
                    (
                        "The first cancellation of `c` or of one of its ancestors sets the "
                        "cause: the `err` passed to a `CancelCauseFunc`, the `cause` given to "
                        "`WithDeadlineCause`/`WithTimeoutCause` when that deadline fired, and "
                        "otherwise the same value as `c.Err()`.",
                        "RF §1.3 (cause defaults to err); RF §1.5; Cause doc @tip25",
                    ),
                    (
                        "It returns nil while `c` is not canceled, and always for contexts "
                        "made by `WithoutCancel`.",
                        "Cause doc @tip25; RF §1.5 (WithoutCancel)",
                    ),
                    (
                        "A later `cancel(err)` does not replace the cause of a context that "
                        "is already canceled, and the `CancelFunc` of "
                        "`WithDeadlineCause`/`WithTimeoutCause` sets no cause (then `Cause` "
                        "returns `context.Canceled`).",
                        "RF §1.5",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path="os/signal",
        name="NotifyContext",
        since=(1, 16),
        since_source="api/go1.16.txt L409",
        signature=(
            "func NotifyContext(parent context.Context, signals ...os.Signal) "
            "(ctx context.Context, stop context.CancelFunc)"
        ),
        summary=(
            "Returns a copy of `parent` that is canceled when one of `signals` arrives, when "
            "`stop` is called, or when the parent is canceled, whichever happens first."
        ),
        sections=(
            Section(
                "At the call",
                _facts(
                    (
                        "Calls `context.WithCancel(parent)` (same parent linking as "
                        "`WithCancel`), registers a one-slot channel with `signal.Notify` for "
                        "`signals` and, unless the context is already canceled, **starts one "
                        "goroutine** that waits for a signal or for the context to be done.",
                        "go1.19.8 os/signal/signal.go L277-296 NotifyContext",
                    ),
                    (
                        "While it is registered, those signals no longer get their default "
                        "behaviour (for `os.Interrupt`: exiting the program); they cancel the "
                        "context instead.",
                        "go1.19.8 os/signal/signal.go L266-271 NotifyContext doc",
                    ),
                    (
                        "Go 1.26+: the context is canceled through a `CancelCauseFunc` with "
                        "an error naming the signal received, readable with `context.Cause`.",
                        "RF §1.5 version table; relnotes go1.26 os/signal",
                    ),
                ),
            ),
            Section(
                "If `stop` is never called",
                _facts(
                    (
                        "Until a signal arrives or the parent is canceled, the goroutine stays "
                        "blocked and the channel stays registered with the signal package: the "
                        "goroutine is a GC root that keeps the context and its values "
                        "reachable, and the signals stay diverted from their default action.",
                        "go1.19.8 os/signal/signal.go L277-296; RF §3.5",
                    ),
                ),
            ),
            Section(
                "Calling `stop`",
                _facts(
                    (
                        "`stop()` cancels the context, which lets the goroutine return, and "
                        "unregisters the channel with `signal.Stop`, which, like "
                        "`signal.Reset`, may restore the default behaviour (for "
                        "`os.Interrupt`: exit).",
                        "go1.19.8 os/signal/signal.go L263-271 doc, L306-309 (*signalCtx).stop",
                    ),
                    (
                        "Calling `stop` more than once is harmless; it does not wait for work "
                        "using the context to stop.",
                        "RF §1.3 (cancel idempotent, no wait); go1.19.8 os/signal/signal.go "
                        "L180-187 Stop returns early for an unknown channel",
                    ),
                    (
                        "Write `defer stop()` after the call; ctx-lsp's lostcancel rule checks "
                        "the stop function like a cancel function.",
                        "RULES.md lostcancel (covers os/signal.NotifyContext)",
                    ),
                ),
            ),
        ),
        releaser="stop",
    ),
    ApiInfo(
        import_path="runtime",
        name="SetFinalizer",
        since=(1, 0),
        since_source="api/go1.txt L5688",
        signature="func SetFinalizer(obj any, finalizer any)",
        summary=(
            "Asks the GC to call `finalizer(obj)` some time after the object `obj` points to "
            "becomes unreachable."
        ),
        sections=(
            Section(
                "At the call",
                _facts(
                    (
                        "Stores the finalizer with the object's memory span (a span "
                        "\"special\"). When a GC finds the object unreachable, it removes the "
                        "association and queues `finalizer(obj)` for the finalizer goroutine.",
                        "RF §2.1 (doc L346-352; mheap.go addfinalizer; mfinal.go queuefinalizer)",
                    ),
                    (
                        "`obj` must point to the start of an object allocated by `new`, by "
                        "`&T{...}` or by taking the address of a local variable. A nil or "
                        "non-pointer `obj`, a pointer into the middle of an allocation, or a "
                        "second finalizer for the same object makes the call throw; a pointer "
                        "to a global is silently ignored. `finalizer` must be a function of "
                        "one argument that `obj` can be assigned to. `SetFinalizer(obj, nil)` "
                        "removes the finalizer.",
                        "RF §2.1 (L359, L479); go1.19.8 mfinal.go L272-280",
                    ),
                ),
            ),
            Section(
                "What does not hold",
                _facts(
                    (
                        "**Resurrection**: the finalizer receives the object, which makes it "
                        "reachable again; its memory is freed only by a later GC cycle, if it "
                        "is unreachable then.",
                        "RF §2.1 (L346-352)",
                    ),
                    (
                        "**Cycles**: the GC treats the finalizer function and everything the "
                        "object points to as roots, so a finalizer closure that captures the "
                        "object keeps it reachable and never runs, and a reference cycle "
                        "through the object may never be collected. Finalizers run in "
                        "dependency order: if A points to B and both have finalizers, only "
                        "A's runs first.",
                        "RF §2.1 (L366-373; mgcmark.go markrootSpans); go1.19.8 "
                        "runtime/mgcmark.go L324-393 (fn is a root); RULES.md "
                        "finalizer-self-reference",
                    ),
                    *_FINALIZER_CAVEATS,
                    (
                        "**One goroutine runs all finalizers, sequentially**: a slow or "
                        "blocked finalizer delays every other one; start a goroutine for "
                        "long work.",
                        "RF §2.1 (L422)",
                    ),
                    (
                        "`SetFinalizer(x, f)` happens before `f(x)` runs, but other uses of "
                        "`x` (even `KeepAlive`) do not: a finalizer that reads mutable state "
                        "needs its own synchronization.",
                        "RF §2.1 (memory model, L427)",
                    ),
                ),
            ),
            Section(
                "Instead",
                _facts(
                    (
                        "Release non-memory resources deterministically with an explicit "
                        "`Close` (and `defer x.Close()`); keep a finalizer only as a "
                        "best-effort safety net, as `os.File` does.",
                        "RF §2.4",
                    ),
                    (
                        "Go 1.24+: new code should use `runtime.AddCleanup`, which does not "
                        "resurrect the object, allows several cleanups per object and is not "
                        "blocked by cycles.",
                        "RF §2.1 (L356); RF §2.3; RF §2.4",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path="runtime",
        name="AddCleanup",
        since=(1, 24),
        since_source="api/go1.24.txt (#67535); RF §2.3",
        signature="func AddCleanup[T, S any](ptr *T, cleanup func(S), arg S) Cleanup",
        summary=(
            "Asks the GC to call `cleanup(arg)` some time after the object `ptr` points to "
            "becomes unreachable."
        ),
        sections=(
            Section(
                "At the call",
                _facts(
                    (
                        "The cleanup receives `arg`, never the object: there is **no "
                        "resurrection**, and the memory can be reused as soon as the object "
                        "is unreachable.",
                        "RF §2.3 (mheap.go freeSpecial comment)",
                    ),
                    (
                        "**If `ptr` is reachable from `cleanup` or from `arg`, the object is "
                        "never collected and the cleanup never runs**; `AddCleanup` panics "
                        "when `arg` is `ptr` itself. Pass only the fields the cleanup needs "
                        "(for example the file descriptor), not a closure over the object.",
                        "RF §2.3 (mcleanup.go L29, L87)",
                    ),
                    (
                        "Several cleanups may be attached to one object, also through "
                        "interior pointers. There is no ordering: objects that point to each "
                        "other, even in a cycle, become eligible together.",
                        "RF §2.3 (L25)",
                    ),
                    (
                        "If the object also has a finalizer, the cleanup runs only after "
                        "finalization, once the object is unreachable again.",
                        "RF §2.3 (L43)",
                    ),
                    (
                        "The returned `Cleanup`'s `Stop()` cancels the call unless it is "
                        "already queued; keep `ptr` reachable across the call to `Stop`.",
                        "RF §2.3 (mcleanup.go L142-146)",
                    ),
                ),
            ),
            Section(
                "What does not hold",
                _facts(
                    (
                        "**Not guaranteed to run**, and never before the program exits: the "
                        "same caveats as finalizers apply (zero-size objects, package-level "
                        "initializers, tiny batched objects; call `runtime.KeepAlive(ptr)` "
                        "after the last use of the resource).",
                        "RF §2.3 (same caveats as finalizers); RF §2.1",
                    ),
                    (
                        "Go 1.24 runs all cleanups on one goroutine, sequentially (shared "
                        "with finalizers). Go 1.25+ may run cleanups concurrently with each "
                        "other, so a cleanup that touches shared state needs synchronization.",
                        "RF §2.3 (concurrency changed between 1.24 and 1.25)",
                    ),
                ),
            ),
            Section(
                "Instead",
                _facts(
                    (
                        "Release non-memory resources deterministically with an explicit "
                        "`Close`; a cleanup is only a best-effort safety net.",
                        "RF §2.4",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path="runtime",
        name="KeepAlive",
        since=(1, 7),
        since_source="api/go1.7.txt L256",
        signature="func KeepAlive(x any)",
        summary="Marks `x` as reachable up to this point of the function.",
        sections=(
            Section(
                "What it does",
                _facts(
                    (
                        "The object is not freed, and its finalizer or cleanup does not run, "
                        "before this call. It has no other effect on the GC.",
                        "RF §2.2 (mfinal.go @tip25 L556-580); RF §2.3",
                    ),
                    (
                        "Typical use: after the last use of a resource that a finalizer "
                        "releases, e.g. `syscall.Read(p.d, buf)` followed by "
                        "`runtime.KeepAlive(p)`, so the finalizer cannot close `p.d` during "
                        "the read.",
                        "RF §2.2 (doc example); RF §2.1 (L406-420)",
                    ),
                    (
                        "It does not help contexts: a context in use is reachable, and "
                        "reachable objects are never collected; contexts carry no finalizers. "
                        "The real risk with contexts is the opposite, retention through a "
                        "forgotten cancel.",
                        "RF §6 #9; RF §1.6",
                    ),
                    (
                        "It does not synchronize with the finalizer: state the finalizer "
                        "reads still needs a mutex or atomics.",
                        "RF §2.1 (memory model)",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path="runtime",
        name="GC",
        since=(1, 0),
        since_source="api/go1.txt L5675",
        signature="func GC()",
        summary="Runs a garbage collection and blocks the caller until it is complete.",
        sections=(
            Section(
                "What it does",
                _facts(
                    (
                        "Runs a full collection; it may block the whole program while it "
                        "runs.",
                        "go1.19.8 runtime/mgc.go L409-411 GC doc; RF §3.4",
                    ),
                    (
                        "It does **not** wait for finalizers or cleanups: the collection only "
                        "queues them, and they run later on their own goroutine(s).",
                        "RF §3.4",
                    ),
                    (
                        "It frees only unreachable memory. A context still in a parent's "
                        "`children` map or held by a pending timer stays; every goroutine "
                        "that has not returned is a root, together with everything its stack "
                        "references.",
                        "RF §1.6; RF §3.5",
                    ),
                    (
                        "Outside tests, forcing a collection is almost always a workaround for "
                        "depending on finalizer timing or a mis-measured leak (ctx-lsp rule "
                        "`forced-gc`).",
                        "RULES.md forced-gc",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path="runtime",
        name="Stack",
        since=(1, 0),
        since_source="api/go1.txt L5689",
        signature="func Stack(buf []byte, all bool) int",
        summary=(
            "Formats the calling goroutine's stack trace into `buf` (all goroutines' traces "
            "when `all` is true) and returns the number of bytes written."
        ),
        sections=(
            Section(
                "What it costs",
                _facts(
                    (
                        "`Stack(buf, true)` stops the world while it collects the traces.",
                        "RF §3.2 (mprof.go @tip25 L1623)",
                    ),
                ),
            ),
            Section(
                "Goroutine identity",
                _facts(
                    (
                        "Each trace starts with `goroutine <id> [`. Parsing that number to key "
                        "per-goroutine state is a hack: Go deliberately exposes no goroutine "
                        "identifier and has no goroutine-local storage; profiler labels are "
                        "the only per-goroutine data the runtime keeps.",
                        "RF §3.2 (FAQ L1370-1404); RF §3.1",
                    ),
                    (
                        "It is slow, and the header format can change: for modules at go 1.27 "
                        "or later the header line also includes pprof labels.",
                        "RF §3.2 (Hack 1 and Go 1.27 note)",
                    ),
                    (
                        "Instead, pass the state explicitly, usually through a "
                        "`ctx context.Context` first parameter.",
                        "RF §5",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path="runtime/debug",
        name="SetGCPercent",
        since=(1, 1),
        since_source="api/go1.1.txt L2598",
        signature="func SetGCPercent(percent int) int",
        summary="Sets the GC target percentage (`GOGC`) and returns the previous setting.",
        sections=(
            Section(
                "What it does",
                _facts(
                    (
                        "A negative percentage effectively **disables garbage collection "
                        "unless the memory limit is reached**: leaked contexts, timers and "
                        "goroutine stacks then pile up faster. It makes leaks worse.",
                        "RF §6 #9 (runtime/debug/garbage.go @tip25 L82-92)",
                    ),
                    (
                        "It cannot fix \"premature collection\" of anything in use: reachable "
                        "objects are never collected.",
                        "RF §6 #9",
                    ),
                    (
                        "Outside tests and benchmarks, changing it at run time is usually a "
                        "workaround (ctx-lsp rule `forced-gc` reports `SetGCPercent(-1)`).",
                        "RULES.md forced-gc",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path="runtime/debug",
        name="FreeOSMemory",
        since=(1, 1),
        since_source="api/go1.1.txt L2596",
        signature="func FreeOSMemory()",
        summary=(
            "Forces a garbage collection, then returns as much memory as possible to the "
            "operating system."
        ),
        sections=(
            Section(
                "What it does",
                _facts(
                    (
                        "It runs `runtime.GC()` and then scavenges the heap; the runtime also "
                        "returns memory gradually in the background without it.",
                        "go1.19.8 runtime/debug/garbage.go L99-102 doc; runtime/mheap.go "
                        "L1594-1597",
                    ),
                    (
                        "Like `runtime.GC`, it frees only unreachable memory and does not "
                        "wait for finalizers: retained contexts, pending timers and blocked "
                        "goroutines stay.",
                        "RF §3.4; RF §3.5; RF §1.6",
                    ),
                    (
                        "Outside tests it is usually a workaround (ctx-lsp rule `forced-gc`).",
                        "RULES.md forced-gc",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path="time",
        name="AfterFunc",
        since=(1, 0),
        since_source="api/go1.txt L30545",
        signature="func AfterFunc(d Duration, f func()) *Timer",
        summary=(
            "Calls `f` in its own goroutine once `d` has elapsed; the returned `*Timer`'s "
            "`Stop` cancels the call."
        ),
        sections=(
            Section(
                "At the call",
                _facts(
                    (
                        "Creates a function timer (it has no channel) and puts it in the "
                        "runtime's timer heap.",
                        "RF §1.4 (sleep.go AfterFunc, runtime/time.go newTimer, needsAdd)",
                    ),
                ),
            ),
            Section(
                "If `Stop` is never called",
                _facts(
                    (
                        "Until it fires, the runtime holds the timer and through it `f` and "
                        "everything `f` captures, even if the program drops the `*Timer`.",
                        "RF §1.4; RF §4 (scope)",
                    ),
                    (
                        "Go 1.23 made unreferenced *channel* timers (`NewTimer`, `NewTicker`) "
                        "collectable; that change does not apply to `AfterFunc` timers.",
                        "RF §1.4 last bullet; RF §4",
                    ),
                ),
            ),
            Section(
                "Calling `Stop`",
                _facts(
                    (
                        "`Stop` returns true if it prevented the call; false means the timer "
                        "already fired (then `f` has been started in its own goroutine) or "
                        "was already stopped. It does not wait for `f` to complete.",
                        "go1.19.8 time/sleep.go L55-77 Stop doc",
                    ),
                    (
                        "Every `context.WithTimeout`/`WithDeadline` context arms one of these "
                        "timers; its cancel function stops it.",
                        "RF §1.4; RF §1.3 ((*timerCtx).cancel)",
                    ),
                ),
            ),
        ),
    ),
)

_BY_KEY: dict[tuple[str, str], ApiInfo] = {(api.import_path, api.name): api for api in _APIS}


def all_apis() -> tuple[ApiInfo, ...]:
    return _APIS


def api_info(import_path: str, name: str) -> ApiInfo | None:
    """The entry for ``name`` exported by the package at ``import_path``, if ctx-lsp knows it."""
    return _BY_KEY.get((import_path, name))


# ---------------------------------------------------------------------------------------
# Lookup by the name a user types (``ctx-lsp explain ...``).
# ---------------------------------------------------------------------------------------

_CALL_SUFFIX = re.compile(r"\(\s*\)$")


def find_apis(text: str) -> list[ApiInfo]:
    """Entries matching a user-typed name (empty when none).

    Accepts ``context.WithTimeout``, ``WithTimeout``, ``signal.NotifyContext``,
    ``os/signal.NotifyContext``, ``debug.SetGCPercent`` and a trailing ``()``. A bare name
    can match several packages (``AfterFunc`` is in ``context`` and ``time``); all are
    returned, in table order. Exact case wins; a case-insensitive match is the fallback.
    """
    wanted = _CALL_SUFFIX.sub("", text.strip())
    if not wanted:
        return []
    for fold in (False, True):
        found = [api for api in _APIS if _name_matches(api, wanted, fold)]
        if found:
            return found
    return []


def _name_matches(api: ApiInfo, wanted: str, fold: bool) -> bool:
    candidates = (api.name, api.qualified_name, api.full_name)
    if fold:
        return wanted.casefold() in (candidate.casefold() for candidate in candidates)
    return wanted in candidates


# ---------------------------------------------------------------------------------------
# Rendering.
# ---------------------------------------------------------------------------------------

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)([^*`]+?)(?<!\s)\*(?![\w*])")
_CODE = re.compile(r"`([^`]*)`")


def plain_inline(text: str) -> str:
    """Markdown inline markup (bold, emphasis, code spans) removed, for plain-text clients."""
    # Code spans are set aside first, so a `*cancelCtx` inside one is not taken for
    # emphasis, and bold that encloses a code span is still recognised.
    spans: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        spans.append(match.group(1))
        return f"\x00{len(spans) - 1}\x00"

    stripped = _EMPHASIS.sub(r"\1", _BOLD.sub(r"\1", _CODE.sub(set_aside, text)))
    return _PLACEHOLDER.sub(lambda match: spans[int(match.group(1))], stripped)


_PLACEHOLDER = re.compile("\x00(\\d+)\x00")


def format_go_version(version: GoVersion) -> str:
    return f"{version[0]}.{version[1]}"


def version_warning(api: ApiInfo, go_version: GoVersion | None) -> str | None:
    """``requires Go X.Y; this module's go.mod says go A.B`` when the module is older."""
    if go_version is None or tuple(go_version[:2]) >= api.since:
        return None
    return (
        f"requires Go {format_go_version(api.since)}; this module's go.mod says "
        f"go {format_go_version((go_version[0], go_version[1]))}"
    )


def render_info(api: ApiInfo, go_version: GoVersion | None, markdown: bool = True) -> str:
    """The full hover/explain text for ``api``."""
    if markdown:
        return _render_markdown(api, go_version)
    return _render_plain(api, go_version)


def render_api(
    import_path: str, name: str, go_version: GoVersion | None, markdown: bool = True
) -> str | None:
    """Hover text for the API ``import_path.name``, or None when ctx-lsp does not know it.

    ``go_version`` is the module's go.mod version (None when unknown); when it is older than
    the API, the text starts with a warning.
    """
    api = api_info(import_path, name)
    if api is None:
        return None
    return render_info(api, go_version, markdown)


def lookup_api(text: str, go_version: GoVersion | None = None, markdown: bool = False) -> str | None:
    """Text for ``ctx-lsp explain API``: every entry matching ``text`` (see :func:`find_apis`),
    plain text by default, or None when no API matches."""
    found = find_apis(text)
    if not found:
        return None
    separator = "\n\n---\n\n" if markdown else "\n\n" + "-" * 72 + "\n\n"
    return separator.join(render_info(api, go_version, markdown) for api in found)


def _render_markdown(api: ApiInfo, go_version: GoVersion | None) -> str:
    lines = [f"**{api.qualified_name}** · since Go {format_go_version(api.since)}"]
    warning = version_warning(api, go_version)
    if warning:
        lines += ["", f"**Warning:** {warning}."]
    lines += ["", "```go", api.signature, "```", "", api.summary]
    for section in api.sections:
        lines += ["", f"**{section.title}**", ""]
        lines += [f"- {fact.text}" for fact in section.facts]
    return "\n".join(lines)


def _render_plain(api: ApiInfo, go_version: GoVersion | None) -> str:
    lines = [f"{api.qualified_name} (since Go {format_go_version(api.since)})"]
    warning = version_warning(api, go_version)
    if warning:
        lines += ["", f"Warning: {warning}."]
    lines += ["", f"    {api.signature}", "", plain_inline(api.summary)]
    for section in api.sections:
        lines += ["", f"{plain_inline(section.title)}:"]
        lines += [f"  - {plain_inline(fact.text)}" for fact in section.facts]
    return "\n".join(lines)
