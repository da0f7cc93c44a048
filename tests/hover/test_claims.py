"""Issue 15's eight wrong claims (and three smaller ones) cannot come back.

Each test hovers where the claim was made and fails on the text ctx-lsp produced before the
fix (commit 17a57f2); the facts checked are in docs/runtime-facts.md (section in each test).
Only ``hover_at`` and ``analyze`` are used, so the file runs unchanged against that commit.
"""

from __future__ import annotations

from ctx_lsp.engine.analyze import analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.hover.site import hover_at
from ctx_lsp.rules import ALL_RULES


def hover_text(source: str, needle: str, *, occurrence: int = 1, delta: int = 0,
               go_version: tuple[int, int] | None = (1, 22)) -> str:
    data = source.encode()
    offset = -1
    for _ in range(occurrence):
        offset = data.index(needle.encode(), offset + 1)
    src = SourceFile.parse("/nonexistent/ws/p/a.go", data)
    analysis = analyze(src, Settings(min_severity=Severity.HINT), rules=ALL_RULES, go_version=go_version)
    assert analysis.context is not None
    result = hover_at(analysis.context, offset + delta, analysis.findings, True)
    assert result is not None, f"no hover at {needle!r}"
    return result.text


FORGOTTEN_TIMEOUT = """\
package p

import (
	"context"
	"time"
)

var root, stopRoot = context.WithCancel(context.Background())

func probe(parent context.Context) {
	ctx, cancel := context.WithTimeout(parent, 50*time.Millisecond)
	_ = cancel
	<-ctx.Done()
}
"""


def test_claim_1_a_forgotten_timeout_context_leaves_its_parent_at_the_deadline() -> None:
    """docs/runtime-facts.md §1.3/§1.4: the deadline timer cancels the child and
    (*timerCtx).cancel calls removeChild."""
    text = hover_text(FORGOTTEN_TIMEOUT, "WithTimeout")
    assert "for the life of the program" not in text
    assert "until the caller's context is canceled" not in text
    assert "deadline fires" in text or "until the deadline" in text


NOTIFY_UNDER_ROOT = """\
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done()
}
"""


def test_claim_2_notify_context_under_background_starts_a_goroutine() -> None:
    """docs/runtime-facts.md §12: NotifyContext registers a channel and starts a goroutine."""
    text = hover_text(NOTIFY_UNDER_ROOT, "NotifyContext")
    assert "no goroutine is started" not in text
    assert "starts a goroutine" in text or "starts one goroutine" in text


def test_claim_3_the_signal_channel_stays_registered_until_stop() -> None:
    """docs/runtime-facts.md §12: only signalCtx.stop calls signal.Stop(c.ch)."""
    from ctx_lsp.hover.apis import lookup_api

    text = (lookup_api("signal.NotifyContext") or "") + hover_text(NOTIFY_UNDER_ROOT, "NotifyContext")
    assert "channel stays registered with the signal package: the goroutine" not in text
    assert "Until a signal arrives or the parent is canceled, the goroutine stays blocked and the channel" \
        not in text
    assert "until `stop` is called" in text or "until stop is called" in text


AUDIT = """\
package p

import (
	"context"
	"net/http"
)

func Handle(w http.ResponseWriter, r *http.Request) {
	bg := context.WithoutCancel(r.Context())
	go writeAudit(bg, r.URL.Path)
}

func writeAudit(ctx context.Context, path string) {}
"""


def test_claim_4_a_without_cancel_context_can_never_stop_the_goroutine() -> None:
    """docs/runtime-facts.md §1.8: WithoutCancel's Done is nil."""
    text = hover_text(AUDIT, "go writeAudit")
    assert "it can stop on cancellation if" not in text
    assert "can never be canceled" in text


SLOW = """\
package p

import (
	"net/http"
	"time"
)

func Slow(w http.ResponseWriter, r *http.Request) {
	go func() {
		time.Sleep(time.Minute)
	}()
	w.WriteHeader(http.StatusAccepted)
}
"""


def test_claim_5_a_handler_has_the_request_context_in_scope() -> None:
    """docs/runtime-facts.md §14: r.Context() is canceled when the handler returns."""
    text = hover_text(SLOW, "go func")
    assert "No context is in scope" not in text
    assert "r.Context()" in text


CYCLE = """\
package p

import "runtime"

type node struct{ next *node }

func link() {
	a := &node{}
	b := &node{next: a}
	a.next = b
	runtime.SetFinalizer(a, func(n *node) {})
}
"""


def test_claim_6_a_finalizer_on_a_cycle_may_never_run() -> None:
    """docs/runtime-facts.md §2.1: a cycle with a finalizer may never be collected."""
    text = hover_text(CYCLE, "SetFinalizer")
    assert "does not keep the object reachable" not in text
    assert "cycle" in text


DISCARDED = """\
package p

import "context"

func Start(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	_ = cancel
	go func() {
		<-ctx.Done()
	}()
}
"""


def test_claim_7_a_discarded_cancel_is_not_a_use() -> None:
    """`_ = cancel` calls nothing: only the parent can end ctx."""
    on_cancel = hover_text(DISCARDED, "cancel", occurrence=2)
    assert "passed or stored" not in on_cancel
    assert "Every path from here to a return uses" not in on_cancel
    on_go = hover_text(DISCARDED, "go func")
    assert "it can notice cancellation and return" not in on_go
    assert "parent" in on_go


TICKER = """\
package p

import "time"

func poll(done chan struct{}) {
	t := time.NewTicker(time.Second)
	for {
		select {
		case <-t.C:
		case <-done:
			return
		}
	}
}
"""


def test_claim_8_timers_follow_the_modules_go_version() -> None:
    """docs/runtime-facts.md §4: the 1.23 timer rules need go >= 1.23 in go.mod."""
    old = hover_text(TICKER, "NewTicker", go_version=(1, 22))
    assert "collected even if" not in old.split("Before Go 1.23")[0] or "go 1.22" in old
    assert "never collected" in old
    new = hover_text(TICKER, "NewTicker", go_version=(1, 25))
    assert "never collected" not in new
    assert "collected" in new


STORED = """\
package p

import "context"

type Server struct {
	ctx context.Context
}
"""


def test_struct_field_does_not_say_the_struct_keeps_the_parents_map_entry() -> None:
    text = hover_text(STORED, "ctx context")
    assert "its entry in a parent's `children` map" not in text


def test_notify_context_is_not_said_to_call_with_cancel() -> None:
    from ctx_lsp.hover.apis import lookup_api

    assert "Calls `context.WithCancel(parent)`" not in (lookup_api("signal.NotifyContext", markdown=True) or "")


ARG_IS_PTR = """\
package p

import (
	"os"
	"runtime"
)

func open() {
	f, _ := os.Open("x")
	runtime.AddCleanup(f, func(g *os.File) { g.Close() }, f)
}
"""


def test_runtime_keeps_its_lower_case_at_the_start_of_a_sentence() -> None:
    text = hover_text(ARG_IS_PTR, "AddCleanup", go_version=(1, 24))
    assert "Runtime.AddCleanup" not in text
