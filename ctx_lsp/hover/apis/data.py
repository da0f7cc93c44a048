"""What the Go runtime does for each context, finalizer, GC, timer, signal and goroutine API
ctx-lsp explains: the data, with the source of every fact.

Every fact carries a ``source`` that is never shown to users: ``docs/runtime-facts.md §x.y``
(the project's runtime facts, which cite the Go source) or a Go source file and lines.
Facts that changed across Go releases carry ``min_go``/``before_go`` and are shown only for
modules whose go.mod declares a matching version (see :mod:`ctx_lsp.knowledge.versions`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ctx_lsp.hover.apis.model import ApiInfo, Fact, Section


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
        "docs/runtime-facts.md §1.2 steps 2-4",
    ),
    (
        "Go 1.21+: a custom parent type with an `AfterFunc(func()) func() bool` method gets "
        "the child through that method. Any other custom parent with a non-nil `Done` gets "
        "**one watcher goroutine per child**, which returns when either context is canceled.",
        "docs/runtime-facts.md §1.2 steps 5-6",
    ),
)

_CANCEL_NEVER_CALLED: tuple[tuple[str, str], ...] = (
    (
        "Under a cancelable parent, the entry in the parent's `children` map keeps the child, "
        "its values and its own children reachable until the parent or an ancestor is "
        "canceled. Under a long-lived root that nobody cancels, that means for the life of "
        "the program, and the map grows with every forgotten child.",
        "docs/runtime-facts.md §1.6 table row 2; docs/runtime-facts.md §6 #3 (true part); experiment A",
    ),
    (
        "Under an unrecognised custom parent, the watcher goroutine stays blocked; a blocked "
        "goroutine is a GC root, so it keeps both contexts reachable until one of them is "
        "canceled.",
        "docs/runtime-facts.md §1.6 table row 4; docs/runtime-facts.md §3.5; experiment D",
    ),
)

# A deadline context is canceled by its own timer at the deadline, and (*timerCtx).cancel
# removes it from the parent's map: a forgotten cancel does not retain it past the deadline,
# whatever the parent (issue 15, claim 1).
_DEADLINE_NEVER_CANCELED: tuple[tuple[str, str], ...] = (
    (
        "Under a cancelable parent, the entry in the parent's `children` map keeps it, its "
        "values and its own children reachable until the deadline, or until the parent is "
        "canceled first: at the deadline the timer cancels the context, and "
        "`(*timerCtx).cancel` removes its entry from the parent's map.",
        "docs/runtime-facts.md §1.3 ((*timerCtx).cancel, removeChild); §1.4 (timer closure); §1.6 table row 2",
    ),
    (
        "Under an unrecognised custom parent, the watcher goroutine stays blocked until one of "
        "the two contexts is canceled, at the latest at the deadline.",
        "docs/runtime-facts.md §1.2 step 6; §1.4; §3.5",
    ),
)

_CALLING_CANCEL: tuple[tuple[str, str], ...] = (
    (
        "Idempotent and safe to call from several goroutines at once: the first call "
        "cancels, later calls do nothing.",
        "docs/runtime-facts.md §1.3 (CancelFunc doc, context.go @tip25 L227-231; experiment F)",
    ),
    (
        "It does **not** wait for the work to stop. Goroutines using the context must watch "
        "`ctx.Done()` (or check `ctx.Err()`) and return by themselves.",
        "docs/runtime-facts.md §1.3; docs/runtime-facts.md §7 myth 'Canceling a context kills goroutines'",
    ),
)

_DEFER_IDIOM = (
    "Write `defer cancel()` on the line after the call. go vet's lostcancel check reports a "
    "cancel function that is discarded or not called on every path.",
    "docs/runtime-facts.md §1.6 (lostcancel doc and messages)",
)


def _with_cancel_sections(cause_facts: Sequence[tuple[str, str]]) -> tuple[Section, ...]:
    return (
        Section(
            "At the call",
            _facts(
                (
                    "Allocates a `*cancelCtx` that points to `parent`. Its Done channel is "
                    "made lazily, on the first `Done()` call.",
                    "docs/runtime-facts.md §1.1; docs/runtime-facts.md §1.2 step 1",
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
                    "docs/runtime-facts.md §1.6 table row 1 and caveat; experiment B",
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
                    "docs/runtime-facts.md §1.3 ((*cancelCtx).cancel L547-580, removeChild L399-413)",
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
                    "docs/runtime-facts.md §1.4 (WithDeadlineCause L636)",
                ),
                (
                    "Otherwise it allocates a `*timerCtx` (a `cancelCtx` plus a timer) "
                    f"pointing to `parent`, and arms a runtime timer with `time.AfterFunc` "
                    f"that cancels the context {when}.",
                    "docs/runtime-facts.md §1.4 (L650)",
                ),
                (
                    "It is linked to `parent` like `WithCancel`: nothing is registered for a "
                    "parent whose `Done()` is nil, a standard cancelable parent gets an entry "
                    "in its `children` map, and only an unrecognised custom parent gets a "
                    "watcher goroutine.",
                    "docs/runtime-facts.md §1.2 steps 2-6",
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
                    "docs/runtime-facts.md §1.4; docs/runtime-facts.md §1.6 table row 1; experiment C",
                ),
                (
                    "The Go 1.23 change that lets unreferenced timers be collected covers channel "
                    "timers only: this `AfterFunc` timer stays in the runtime's heap until it fires "
                    "or is stopped, in every Go version.",
                    "docs/runtime-facts.md §1.4 last bullet; §4 (needsAdd)",
                ),
                *_DEADLINE_NEVER_CANCELED,
            ),
        ),
        Section(
            "Calling `cancel`",
            _facts(
                (
                    "Cancels like `WithCancel` (closes `Done`, `Err()` becomes "
                    "`context.Canceled`, cancels children, deletes its own entry from the "
                    "parent's map) and **stops the timer**, which releases the closure.",
                    "docs/runtime-facts.md §1.3 ((*timerCtx).cancel L677-690)",
                ),
                (
                    "When the deadline comes first, the timer cancels the context with "
                    "`context.DeadlineExceeded` and removes it from the parent's map; "
                    "calling `cancel` afterwards does nothing and is still correct.",
                    "docs/runtime-facts.md §1.4 (timer closure calls cancel(true, DeadlineExceeded, cause)); docs/runtime-facts.md §1.3",
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
        "docs/runtime-facts.md §1.5 (WithDeadlineCause doc); docs/runtime-facts.md §1.3 (cause defaults to err)",
    ),
)

_WITH_CANCEL_CAUSE_FACTS: tuple[tuple[str, str], ...] = (
    (
        "`cancel(err)` sets `Err()` to `context.Canceled` and records `err` as the cause, "
        "read with `context.Cause(ctx)`; `cancel(nil)` sets the cause to `context.Canceled`.",
        "docs/runtime-facts.md §1.5 (WithCancelCause doc)",
    ),
    (
        "If the context is already canceled (by an earlier call or by its parent), a later "
        "`cancel(err)` does not change the cause.",
        "docs/runtime-facts.md §1.5 (CancelCauseFunc doc)",
    ),
)

_ROOT_DERIVED_FACTS: tuple[tuple[str, str], ...] = (
    (
        "Its `Done()` returns nil, so a context derived from it is **not registered "
        "anywhere** and no goroutine is started for it.",
        "docs/runtime-facts.md §1.2 step 2 (L478)",
    ),
    (
        "`WithCancel` on it, with the cancel never called, is garbage once unreferenced "
        "(vet still reports the discarded cancel; call it anyway).",
        "docs/runtime-facts.md §1.6 table row 1 and caveat; experiment B",
    ),
    (
        "`WithTimeout`/`WithDeadline` on it stay reachable through their runtime timer until "
        "the deadline fires or `cancel` stops the timer.",
        "docs/runtime-facts.md §1.4; experiment C",
    ),
    (
        "A long-lived `WithCancel` root made from it keeps, in its `children` map, every "
        "`WithCancel`/`WithCancelCause` child whose cancel was forgotten, until the root itself is "
        "canceled (`WithTimeout`/`WithDeadline` children leave the map when their deadline fires).",
        "docs/runtime-facts.md §1.6 table rows 1-2; docs/runtime-facts.md §6 #3 (true part), #10",
    ),
)

_FINALIZER_CAVEATS: tuple[tuple[str, str], ...] = (
    (
        "**Not guaranteed to run**: there is no guarantee that finalizers run before the "
        "program exits, so they are useful only as a fallback for non-memory resources in "
        "long-running programs (never to flush a `bufio.Writer`).",
        "docs/runtime-facts.md §2.1 (mfinal.go @tip25 L377-384)",
    ),
    (
        "No guarantee either for zero-size objects, objects allocated in package-level "
        "variable initializers, or tiny pointer-free objects batched into one allocation "
        "with a live object.",
        "docs/runtime-facts.md §2.1 (L386-396)",
    ),
    (
        "The object may become unreachable, and be finalized, as soon as a function last "
        "mentions it, even a receiver or argument (documented since Go 1.23). Call "
        "`runtime.KeepAlive(obj)` after the last use of the resource the finalizer releases.",
        "docs/runtime-facts.md §2.1 (f7c330eac7); docs/runtime-facts.md §2.2",
    ),
)

# ---------------------------------------------------------------------------------------
# The table.
# ---------------------------------------------------------------------------------------

_CONTEXT = "context"

APIS: tuple[ApiInfo, ...] = (
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
        since_source="api/go1.20.txt L7 (#51365); docs/runtime-facts.md §1.5",
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
        since_source="api/go1.21.txt L10 (#56661); docs/runtime-facts.md §1.5",
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
        since_source="api/go1.21.txt L8 (#56661); docs/runtime-facts.md §1.5",
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
                        "docs/runtime-facts.md §1.2 step 4 (valueCtx wraps its parent); go1.19.8 context.go "
                        "L510-567 WithValue/valueCtx",
                    ),
                    (
                        "`ctx.Value(key)` walks up the chain one layer at a time until it finds "
                        "the key, so every layer makes lookups longer. Reassigning "
                        "`ctx = context.WithValue(ctx, ...)` in a loop adds one layer per "
                        "iteration, and every layer stays reachable.",
                        "go1.19.8 context.go L569-593 value(); docs/rules.md context-in-loop",
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
                        "docs/runtime-facts.md §1.6 (child kept with its subtree and values)",
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
                        "go1.19.8 context.go L516-522 WithValue doc; docs/rules.md context-key-type",
                    ),
                    (
                        "Use values only for request-scoped data that crosses process and API "
                        "boundaries, not for optional parameters.",
                        "docs/runtime-facts.md §5",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="WithoutCancel",
        since=(1, 21),
        since_source="api/go1.21.txt L9 (#40221); docs/runtime-facts.md §1.5",
        signature="func WithoutCancel(parent Context) Context",
        summary="Returns a copy of `parent` that is not canceled when the parent is canceled.",
        sections=(
            Section(
                "At the call",
                _facts(
                    (
                        "The result has no deadline; its `Done()` returns nil, `Err()` returns "
                        "nil and `context.Cause` returns nil.",
                        "docs/runtime-facts.md §1.8 (WithoutCancel)",
                    ),
                    (
                        "It still points to `parent` to answer `Value`, so it keeps the parent "
                        "and its values reachable for as long as it is referenced.",
                        "docs/runtime-facts.md §1.8 (WithoutCancel)",
                    ),
                    (
                        "Contexts derived from it are not registered upward: "
                        "`WithCancel(WithoutCancel(p))` is linked to nothing, because its "
                        "parent's `Done()` is nil.",
                        "docs/runtime-facts.md §1.8; docs/runtime-facts.md §1.2 step 2",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="AfterFunc",
        since=(1, 21),
        since_source="api/go1.21.txt L7 (#57928); docs/runtime-facts.md §1.5",
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
                        "docs/runtime-facts.md §1.7 (AfterFunc @tip25 L308-340)",
                    ),
                    (
                        "When `ctx` is canceled, `f` is started exactly once, in a new "
                        "goroutine. Several `AfterFunc` registrations on one context are "
                        "independent of each other.",
                        "docs/runtime-facts.md §1.3 ((*afterFuncCtx).cancel L352, sync.Once); docs/runtime-facts.md §1.7",
                    ),
                ),
            ),
            Section(
                "If `stop` is never called",
                _facts(
                    (
                        "On a context that is never canceled, the registration and `f`, with "
                        "everything `f` captures, stay in the context's `children` map.",
                        "docs/runtime-facts.md §1.7 (AfterFunc, last sentence)",
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
                        "docs/runtime-facts.md §1.7; docs/runtime-facts.md §1.3 (removeChild); AfterFunc doc @tip25",
                    ),
                    (
                        "`stop` does not wait for `f` to finish; coordinate with `f` "
                        "explicitly if you need to know that it is done.",
                        "docs/runtime-facts.md §1.7",
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
        since_source="api/go1.20.txt L6 (#51365); docs/runtime-facts.md §1.5",
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
                        "docs/runtime-facts.md §1.3 (cause defaults to err); docs/runtime-facts.md §1.5; Cause doc @tip25",
                    ),
                    (
                        "It returns nil while `c` is not canceled, and always for contexts "
                        "made by `WithoutCancel`.",
                        "Cause doc @tip25; docs/runtime-facts.md §1.8 (WithoutCancel)",
                    ),
                    (
                        "A later `cancel(err)` does not replace the cause of a context that "
                        "is already canceled, and the `CancelFunc` of "
                        "`WithDeadlineCause`/`WithTimeoutCause` sets no cause (then `Cause` "
                        "returns `context.Canceled`).",
                        "docs/runtime-facts.md §1.5",
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
                        "Derives a cancelable context from `parent` (linked to the parent like "
                        "`WithCancel`), registers a one-slot channel with `signal.Notify` for "
                        "`signals` and, unless the context is already canceled, **starts one "
                        "goroutine** that waits for a signal or for the context to be done.",
                        "docs/runtime-facts.md §12 (os/signal/signal.go NotifyContext)",
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
                        "docs/runtime-facts.md §1.5 version table; relnotes go1.26 os/signal",
                    ),
                ),
            ),
            Section(
                "If `stop` is never called",
                _facts(
                    (
                        "The channel stays registered with the signal package until `stop` is "
                        "called, even after a signal arrived or the parent was canceled: only "
                        "`stop` calls `signal.Stop`, so the signals stay diverted from their "
                        "default action.",
                        "docs/runtime-facts.md §12 (signalCtx.stop is the only caller of Stop(c.ch))",
                    ),
                    (
                        "The goroutine returns once the context is done (a signal arrived or "
                        "the parent was canceled); until then it is a GC root that keeps the "
                        "context and its values reachable.",
                        "docs/runtime-facts.md §12; §3.5",
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
                        "docs/runtime-facts.md §1.3 (cancel idempotent, no wait); go1.19.8 os/signal/signal.go "
                        "L180-187 Stop returns early for an unknown channel",
                    ),
                    (
                        "Write `defer stop()` after the call; ctx-lsp's lostcancel rule checks "
                        "the stop function like a cancel function.",
                        "docs/rules.md lostcancel (covers os/signal.NotifyContext)",
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
                        "docs/runtime-facts.md §2.1 (doc L346-352; mheap.go addfinalizer; mfinal.go queuefinalizer)",
                    ),
                    (
                        "`obj` must point to the start of an object allocated by `new`, by "
                        "`&T{...}` or by taking the address of a local variable. A nil or "
                        "non-pointer `obj`, a pointer into the middle of an allocation, or a "
                        "second finalizer for the same object makes the call throw; a pointer "
                        "to a global is silently ignored. `finalizer` must be a function of "
                        "one argument that `obj` can be assigned to. `SetFinalizer(obj, nil)` "
                        "removes the finalizer.",
                        "docs/runtime-facts.md §2.1 (L359, L479); go1.19.8 mfinal.go L272-280",
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
                        "docs/runtime-facts.md §2.1 (L346-352)",
                    ),
                    (
                        "**Cycles**: the GC treats the finalizer function and everything the "
                        "object points to as roots, so a finalizer closure that captures the "
                        "object keeps it reachable and never runs, and a reference cycle "
                        "through the object may never be collected. Finalizers run in "
                        "dependency order: if A points to B and both have finalizers, only "
                        "A's runs first.",
                        "docs/runtime-facts.md §2.1 (L366-373; mgcmark.go markrootSpans); go1.19.8 "
                        "runtime/mgcmark.go L324-393 (fn is a root); docs/rules.md "
                        "finalizer-self-reference",
                    ),
                    *_FINALIZER_CAVEATS,
                    (
                        "**One goroutine runs all finalizers, sequentially**: a slow or "
                        "blocked finalizer delays every other one; start a goroutine for "
                        "long work.",
                        "docs/runtime-facts.md §2.1 (L422)",
                    ),
                    (
                        "`SetFinalizer(x, f)` happens before `f(x)` runs, but other uses of "
                        "`x` (even `KeepAlive`) do not: a finalizer that reads mutable state "
                        "needs its own synchronization.",
                        "docs/runtime-facts.md §2.1 (memory model, L427)",
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
                        "docs/runtime-facts.md §2.4",
                    ),
                    (
                        "Go 1.24+: new code should use `runtime.AddCleanup`, which does not "
                        "resurrect the object, allows several cleanups per object and is not "
                        "blocked by cycles.",
                        "docs/runtime-facts.md §2.1 (L356); docs/runtime-facts.md §2.3; docs/runtime-facts.md §2.4",
                    ),
                ),
            ),
        ),
    ),
    ApiInfo(
        import_path="runtime",
        name="AddCleanup",
        since=(1, 24),
        since_source="api/go1.24.txt (#67535); docs/runtime-facts.md §2.3",
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
                        "docs/runtime-facts.md §2.3 (mheap.go freeSpecial comment)",
                    ),
                    (
                        "**If `ptr` is reachable from `cleanup` or from `arg`, the object is "
                        "never collected and the cleanup never runs**; `AddCleanup` panics "
                        "when `arg` is `ptr` itself. Pass only the fields the cleanup needs "
                        "(for example the file descriptor), not a closure over the object.",
                        "docs/runtime-facts.md §2.3 (mcleanup.go L29, L87)",
                    ),
                    (
                        "Several cleanups may be attached to one object, also through "
                        "interior pointers. There is no ordering: objects that point to each "
                        "other, even in a cycle, become eligible together.",
                        "docs/runtime-facts.md §2.3 (L25)",
                    ),
                    (
                        "If the object also has a finalizer, the cleanup runs only after "
                        "finalization, once the object is unreachable again.",
                        "docs/runtime-facts.md §2.3 (L43)",
                    ),
                    (
                        "The returned `Cleanup`'s `Stop()` cancels the call unless it is "
                        "already queued; keep `ptr` reachable across the call to `Stop`.",
                        "docs/runtime-facts.md §2.3 (mcleanup.go L142-146)",
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
                        "docs/runtime-facts.md §2.3 (same caveats as finalizers); docs/runtime-facts.md §2.1",
                    ),
                    (
                        "Go 1.24 runs all cleanups on one goroutine, sequentially (shared "
                        "with finalizers). Go 1.25+ may run cleanups concurrently with each "
                        "other, so a cleanup that touches shared state needs synchronization.",
                        "docs/runtime-facts.md §2.3 (concurrency changed between 1.24 and 1.25)",
                    ),
                ),
            ),
            Section(
                "Instead",
                _facts(
                    (
                        "Release non-memory resources deterministically with an explicit "
                        "`Close`; a cleanup is only a best-effort safety net.",
                        "docs/runtime-facts.md §2.4",
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
                        "docs/runtime-facts.md §2.2 (mfinal.go @tip25 L556-580); docs/runtime-facts.md §2.3",
                    ),
                    (
                        "Typical use: after the last use of a resource that a finalizer "
                        "releases, e.g. `syscall.Read(p.d, buf)` followed by "
                        "`runtime.KeepAlive(p)`, so the finalizer cannot close `p.d` during "
                        "the read.",
                        "docs/runtime-facts.md §2.2 (doc example); docs/runtime-facts.md §2.1 (L406-420)",
                    ),
                    (
                        "It does not help contexts: a context in use is reachable, and "
                        "reachable objects are never collected; contexts carry no finalizers. "
                        "The real risk with contexts is the opposite, retention through a "
                        "forgotten cancel.",
                        "docs/runtime-facts.md §6 #9; docs/runtime-facts.md §1.6",
                    ),
                    (
                        "It does not synchronize with the finalizer: state the finalizer "
                        "reads still needs a mutex or atomics.",
                        "docs/runtime-facts.md §2.1 (memory model)",
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
                        "go1.19.8 runtime/mgc.go L409-411 GC doc; docs/runtime-facts.md §3.4",
                    ),
                    (
                        "It does **not** wait for finalizers or cleanups: the collection only "
                        "queues them, and they run later on their own goroutine(s).",
                        "docs/runtime-facts.md §3.4",
                    ),
                    (
                        "It frees only unreachable memory. A context still in a parent's "
                        "`children` map or held by a pending timer stays; every goroutine "
                        "that has not returned is a root, together with everything its stack "
                        "references.",
                        "docs/runtime-facts.md §1.6; docs/runtime-facts.md §3.5",
                    ),
                    (
                        "Outside tests, forcing a collection is almost always a workaround for "
                        "depending on finalizer timing or a mis-measured leak (ctx-lsp rule "
                        "`forced-gc`).",
                        "docs/rules.md forced-gc",
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
                        "docs/runtime-facts.md §3.2 (mprof.go @tip25 L1623)",
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
                        "docs/runtime-facts.md §3.2 (FAQ L1370-1404); docs/runtime-facts.md §3.1",
                    ),
                    (
                        "It is slow, and the header format can change: for modules at go 1.27 "
                        "or later the header line also includes pprof labels.",
                        "docs/runtime-facts.md §3.2 (Parsing runtime.Stack; Go 1.27 note)",
                    ),
                    (
                        "Instead, pass the state explicitly, usually through a "
                        "`ctx context.Context` first parameter.",
                        "docs/runtime-facts.md §5",
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
                        "docs/runtime-facts.md §6 #9 (runtime/debug/garbage.go @tip25 L82-92)",
                    ),
                    (
                        "It cannot fix \"premature collection\" of anything in use: reachable "
                        "objects are never collected.",
                        "docs/runtime-facts.md §6 #9",
                    ),
                    (
                        "Outside tests and benchmarks, changing it at run time is usually a "
                        "workaround (ctx-lsp rule `forced-gc` reports `SetGCPercent(-1)`).",
                        "docs/rules.md forced-gc",
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
                        "docs/runtime-facts.md §3.4; docs/runtime-facts.md §3.5; docs/runtime-facts.md §1.6",
                    ),
                    (
                        "Outside tests it is usually a workaround (ctx-lsp rule `forced-gc`).",
                        "docs/rules.md forced-gc",
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
                        "docs/runtime-facts.md §1.4 (sleep.go AfterFunc, runtime/time.go newTimer, needsAdd)",
                    ),
                ),
            ),
            Section(
                "If `Stop` is never called",
                _facts(
                    (
                        "Until it fires, the runtime holds the timer and through it `f` and "
                        "everything `f` captures, even if the program drops the `*Timer`.",
                        "docs/runtime-facts.md §1.4; docs/runtime-facts.md §4 (scope)",
                    ),
                    (
                        "This holds in every Go version: the Go 1.23 change that lets "
                        "unreferenced timers be collected covers channel timers only.",
                        "docs/runtime-facts.md §1.4 last bullet; §4 (needsAdd); §11",
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
                        "docs/runtime-facts.md §1.4; docs/runtime-facts.md §1.3 ((*timerCtx).cancel)",
                    ),
                ),
            ),
        ),
    ),

    # -- positions issue 15 found missing ------------------------------------------------
    ApiInfo(
        import_path=_CONTEXT,
        name="Context.Done",
        since=(1, 7),
        since_source="api/go1.7.txt (type Context interface)",
        signature="func (ctx Context) Done() <-chan struct{}",
        summary="Returns a channel that is closed when work done on behalf of this context should stop.",
        sections=(),
        mechanism=_facts(
            ("It may return nil if the context can never be canceled (`Background`, `TODO`, "
             "`WithoutCancel`); a receive from a nil channel blocks forever.",
             "context/context.go @go1.19.8 L68-72 Done doc; docs/runtime-facts.md §1.2 step 2"),
            ("The channel is closed by the first cancel, which may happen after the cancel function "
             "returns; closing it stops nothing by itself: goroutines must select on it and return.",
             "context/context.go @go1.19.8 L70-72; docs/runtime-facts.md §1.3; §7"),
        ),
    ),
    ApiInfo(
        import_path=_CONTEXT,
        name="Context.Err",
        since=(1, 7),
        since_source="api/go1.7.txt (type Context interface)",
        signature="func (ctx Context) Err() error",
        summary="Returns nil while `Done` is not closed, then why it was closed.",
        sections=(),
        mechanism=_facts(
            ("After `Done` is closed it returns `context.Canceled` or `context.DeadlineExceeded`, and "
             "the same error on every later call; the cause given to a `CancelCauseFunc` is read "
             "with `context.Cause`, not `Err`.",
             "context/context.go @go1.19.8 L101-106 Err doc; docs/runtime-facts.md §1.5"),
        ),
    ),
    ApiInfo(
        import_path="net/http",
        name="Request.Context",
        since=(1, 7),
        since_source="api/go1.7.txt (method (*Request) Context)",
        signature="func (r *Request) Context() context.Context",
        summary="Returns the request's context; never nil (it defaults to `context.Background()`).",
        sections=(),
        mechanism=_facts(
            ("For an incoming server request it is canceled when the client's connection closes, "
             "the request is canceled (HTTP/2) or `ServeHTTP` returns: work that must outlive the "
             "handler cannot use it directly.",
             "docs/runtime-facts.md §14 (net/http/request.go @go1.19.8 L326-337)"),
            ("For an outgoing client request it controls the whole exchange: connecting, sending, "
             "and reading the response headers and body.",
             "docs/runtime-facts.md §14"),
        ),
    ),
    ApiInfo(
        import_path="net/http",
        name="NewRequestWithContext",
        since=(1, 13),
        since_source="api/go1.13.txt (func NewRequestWithContext)",
        signature="func NewRequestWithContext(ctx context.Context, method, url string, body io.Reader) (*Request, error)",
        summary="Returns a new outgoing request whose lifetime `ctx` controls.",
        sections=(),
        mechanism=_facts(
            ("`ctx` controls the entire request and its response: obtaining a connection, sending "
             "the request and reading the response headers and body. Canceling it aborts the "
             "exchange.",
             "docs/runtime-facts.md §14 (net/http/request.go @go1.19.8 L839-861 doc)"),
        ),
    ),
    ApiInfo(
        import_path="golang.org/x/sync/errgroup",
        name="WithContext",
        since=(1, 0),
        since_source="golang.org/x/sync/errgroup (no Go release)",
        signature="func WithContext(ctx context.Context) (*Group, context.Context)",
        summary="Returns a new `Group` and a context derived from `ctx` for its goroutines.",
        sections=(),
        mechanism=_facts(
            ("The derived context is canceled the first time a function passed to `Go` returns a "
             "non-nil error or the first time `Wait` returns, whichever comes first: do not use it "
             "after `Wait`; no separate cancel function is needed.",
             "docs/runtime-facts.md §13 (errgroup.go WithContext, Wait)"),
            ("Cancellation does not stop the goroutines started with `Go`: they must watch the "
             "context and return.",
             "docs/runtime-facts.md §13; §1.3"),
        ),
    ),
    ApiInfo(
        import_path="time",
        name="NewTimer",
        since=(1, 0),
        since_source="api/go1.txt",
        signature="func NewTimer(d Duration) *Timer",
        summary="Creates a `Timer` that sends the current time on its channel `C` once, after at least `d`.",
        sections=(),
        mechanism=(
            Fact("From Go 1.23 (go.mod at 1.23 or later) an unreferenced timer is collected even if "
                 "never stopped, and its channel is unbuffered: after `Stop` or `Reset` returns no stale "
                 "value can be received.",
                 "docs/runtime-facts.md §4; §11", min_go=(1, 23)),
            Fact("Before Go 1.23 semantics (this go.mod): an unstopped timer is not collected until it "
                 "fires, and its channel has a one-value buffer, so a value sent before `Stop`/`Reset` "
                 "can still be received afterwards.",
                 "docs/runtime-facts.md §4; §11 (time/sleep.go @go1.19.8 After, Reset docs)",
                 before_go=(1, 23)),
        ),
    ),
    ApiInfo(
        import_path="time",
        name="NewTicker",
        since=(1, 0),
        since_source="api/go1.txt",
        signature="func NewTicker(d Duration) *Ticker",
        summary="Creates a `Ticker` that sends the time on `C` every `d`, dropping ticks for slow receivers; panics if `d <= 0`.",
        sections=(),
        mechanism=(
            Fact("From Go 1.23 (go.mod at 1.23 or later) an unreferenced ticker is collected even if "
                 "never stopped; `Stop` still ends the ticks and does not close `C`.",
                 "docs/runtime-facts.md §4; §11", min_go=(1, 23)),
            Fact("Before Go 1.23 semantics (this go.mod): a ticker that is not stopped is never "
                 "collected; call `Stop` when done. `Stop` does not close `C`.",
                 "docs/runtime-facts.md §4; §11", before_go=(1, 23)),
        ),
    ),
    ApiInfo(
        import_path="time",
        name="After",
        since=(1, 0),
        since_source="api/go1.txt",
        signature="func After(d Duration) <-chan Time",
        summary="`NewTimer(d).C`: a channel that receives the time once `d` has elapsed; the timer cannot be stopped.",
        sections=(),
        mechanism=(
            Fact("From Go 1.23 (go.mod at 1.23 or later) the timer is collected once unreferenced, so "
                 "`After` in a loop or `select` no longer holds timers until they fire.",
                 "docs/runtime-facts.md §4; §11", min_go=(1, 23)),
            Fact("Before Go 1.23 semantics (this go.mod): the underlying timer is not collected until "
                 "it fires; in a loop that usually exits early, prefer `NewTimer` and `Stop`.",
                 "docs/runtime-facts.md §11 (time/sleep.go @go1.19.8 After doc)", before_go=(1, 23)),
        ),
    ),
    ApiInfo(
        import_path="time",
        name="Tick",
        since=(1, 0),
        since_source="api/go1.txt",
        signature="func Tick(d Duration) <-chan Time",
        summary="`NewTicker(d).C` (nil if `d <= 0`): ticks forever; the ticker cannot be stopped.",
        sections=(),
        mechanism=(
            Fact("From Go 1.23 (go.mod at 1.23 or later) the ticker is collected once unreferenced.",
                 "docs/runtime-facts.md §4; §11", min_go=(1, 23)),
            Fact("Before Go 1.23 semantics (this go.mod): the ticker is never collected, so `Tick` in "
                 "a function that returns leaks it; use `NewTicker` and `Stop`.",
                 "docs/runtime-facts.md §11", before_go=(1, 23)),
        ),
    ),
    ApiInfo(
        import_path="time",
        name="Timer.Stop",
        since=(1, 0),
        since_source="api/go1.txt",
        signature="func (t *Timer) Stop() bool",
        summary="Prevents the timer from firing: true if it stopped the timer, false if it had expired or been stopped. It never closes `C`.",
        sections=(),
        mechanism=(
            Fact("From Go 1.23 (go.mod at 1.23 or later) no value sent before `Stop` can be received "
                 "after it returns, so no draining is needed.",
                 "docs/runtime-facts.md §4; §11", min_go=(1, 23)),
            Fact("Before Go 1.23 semantics (this go.mod): a value may already sit in `C`; the safe "
                 "pattern is `if !t.Stop() { <-t.C }`, not concurrent with other receives.",
                 "docs/runtime-facts.md §11 (time/sleep.go @go1.19.8 Stop doc)", before_go=(1, 23)),
            Fact("For an `AfterFunc` timer, false means `f` has already started in its own goroutine; "
                 "`Stop` does not wait for it.",
                 "docs/runtime-facts.md §11"),
        ),
    ),
    ApiInfo(
        import_path="time",
        name="Timer.Reset",
        since=(1, 1),
        since_source="api/go1.1.txt",
        signature="func (t *Timer) Reset(d Duration) bool",
        summary="Changes the timer to expire after `d`; true if it had been active.",
        sections=(),
        mechanism=(
            Fact("From Go 1.23 (go.mod at 1.23 or later) no stale value from before `Reset` can be "
                 "received after it returns.",
                 "docs/runtime-facts.md §4; §11", min_go=(1, 23)),
            Fact("Before Go 1.23 semantics (this go.mod): call it only on a stopped or expired timer "
                 "with a drained channel (`if !t.Stop() { <-t.C }` first); its return value cannot be "
                 "used correctly.",
                 "docs/runtime-facts.md §11 (time/sleep.go @go1.19.8 Reset doc)", before_go=(1, 23)),
            Fact("On an `AfterFunc` timer it reschedules `f`, or schedules it to run again, possibly "
                 "concurrently with an earlier run.",
                 "docs/runtime-facts.md §11"),
        ),
    ),
    ApiInfo(
        import_path="runtime",
        name="Cleanup.Stop",
        since=(1, 24),
        since_source="api/go1.24.txt (method (Cleanup) Stop)",
        signature="func (c Cleanup) Stop()",
        summary="Cancels the cleanup call, unless it has already been queued to run.",
        sections=(),
        mechanism=_facts(
            ("The object `ptr` must stay reachable across the call to `Stop`; once the cleanup is "
             "queued, `Stop` cannot prevent it.",
             "docs/runtime-facts.md §2.3 (mcleanup.go Cleanup.Stop)"),
        ),
    ),
    ApiInfo(
        import_path="os/signal",
        name="Stop",
        since=(1, 1),
        since_source="api/go1.1.txt",
        signature="func Stop(c chan<- os.Signal)",
        summary="Stops relaying incoming signals to `c`, undoing every earlier `Notify` with `c`.",
        sections=(),
        mechanism=_facts(
            ("When it returns, `c` receives no more signals; a signal with no other channel gets its "
             "default behaviour back (for `os.Interrupt`: exit).",
             "os/signal/signal.go @go1.19.8 L177-180 Stop doc; docs/runtime-facts.md §12"),
        ),
    ),
    ApiInfo(
        import_path="runtime",
        name="Goexit",
        since=(1, 0),
        since_source="api/go1.txt",
        signature="func Goexit()",
        summary="Terminates the calling goroutine, after running its deferred calls; no other goroutine is affected.",
        sections=(),
        mechanism=_facts(
            ("It is not a panic: `recover` in the deferred calls returns nil. From the main "
             "goroutine it ends that goroutine without `main` returning; the program crashes if "
             "all other goroutines exit.",
             "docs/runtime-facts.md §15 (runtime/panic.go @go1.19.8 L480-488)"),
        ),
    ),
    ApiInfo(
        import_path="sync",
        name="Pool",
        since=(1, 3),
        since_source="api/go1.3.txt",
        signature="type Pool struct { New func() any }",
        summary="A set of temporary objects that may be saved and retrieved by many goroutines.",
        sections=(),
        mechanism=_facts(
            ("Any item may be removed at any time without notification: each GC moves the pool's "
             "items to a victim cache and drops the previous one, so an unused item survives about "
             "two collections. It is not a cache with a lifetime, and it must not be copied after "
             "first use.",
             "docs/runtime-facts.md §16 (sync/pool.go @go1.19.8 L14-45, poolCleanup)"),
        ),
    ),
)
