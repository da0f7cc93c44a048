"""Site hovers of the rules of issues 19 and 20: the first line states the one fact about the
site (what the runtime keeps, until when, or what the callee does), for the module's Go version.

Each test fails on the hovers before these site facts existed (the sites then showed the API
text or nothing but the diagnostic line). Lines and names in the expectations are computed from
the source, not hard-coded.
"""

from __future__ import annotations

import pytest

from ctx_lsp.engine.analyze import analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.hover.false_claims import find_false_claims
from ctx_lsp.hover.site import hover_at
from tests.hover.test_site import hover, hovered_text, line_of, offset_of

GoVersion = tuple[int, int]


def first_line(text: str) -> str:
    return text.split("\n", 1)[0]


BLOCKED_SEND = """\
package p

import (
	"context"
	"errors"
)

type result struct{ n int }

func slow() result { return result{1} }

func fetch(ctx context.Context) (result, error) {
	ch := make(chan result)
	go func() {
		ch <- slow()
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}

func prepare() error { return errors.New("x") }

func cleanup() {}

func watch() error {
	done := make(chan struct{})
	go func() {
		<-done
		cleanup()
	}()
	if err := prepare(); err != nil {
		return err
	}
	close(done)
	return nil
}

func buffered(ctx context.Context) (result, error) {
	ch := make(chan result, 1)
	go func() {
		ch <- slow()
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}
"""


@pytest.mark.parametrize("hovered", ["ch <- slow()", "<- slow()"])
def test_blocked_send_says_what_stays_and_until_when(hovered: str) -> None:
    result = hover(BLOCKED_SEND, hovered)
    exit_line = line_of(BLOCKED_SEND, "return result{}, ctx.Err()")
    assert first_line(result.text) == (f"**This send can block forever: `fetch` can return (line {exit_line}) "
                                       "without receiving from `ch`.**")
    assert hovered_text(BLOCKED_SEND, result) == "ch <- slow()"
    assert "its stack and everything they reference for the life of the program" in result.text
    assert "closing `ch` would make this send panic" in result.text
    assert "`make(chan T, 1)`" in result.text


def test_blocked_receive_says_what_releases_it() -> None:
    result = hover(BLOCKED_SEND, "<-done")
    exit_line = line_of(BLOCKED_SEND, "return err\n")
    assert first_line(result.text) == (f"**This receive can block forever: `watch` can return (line {exit_line}) "
                                       "without sending on or closing `done`.**")
    assert "`defer close(done)` in `watch`" in result.text


def test_go_statement_leads_with_the_blocked_send() -> None:
    result = hover(BLOCKED_SEND, "go func", occurrence=1)
    send_line = line_of(BLOCKED_SEND, "ch <- slow()")
    assert first_line(result.text).startswith(
        f"**This goroutine: It can block forever on `ch <- slow()` (line {send_line})")
    # The context fact the go statement had before is still there, as a bullet.
    assert "It observes none of the contexts in scope" in result.text


def test_buffered_channel_gets_no_blocked_send_fact() -> None:
    result = hover(BLOCKED_SEND, "go func", occurrence=3)
    assert "block forever" not in result.text


@pytest.mark.parametrize(("go_version", "expected"), [
    ((1, 25), None),
    (None, "With Go 1.25 assumed (no go.mod), no goroutine leak profile can report it"),
    ((1, 26), "`GOEXPERIMENT=goroutineleakprofile`"),
    ((1, 27), "the `goroutineleak` profile of `runtime/pprof`"),
])
def test_blocked_send_names_the_leak_profile_of_the_go_version(go_version: GoVersion, expected: str | None) -> None:
    result = hover(BLOCKED_SEND, "ch <- slow()", go_version=go_version)
    if expected is None:
        assert "leak profile" not in result.text and "goroutineleak" not in result.text
    else:
        assert expected in result.text
        assert go_version is None or "reporting does not free it" in result.text


def test_site_fact_does_not_depend_on_the_published_findings() -> None:
    """A rule switched off (or below minSeverity) publishes nothing, but the hover still states
    what the runtime does at its site."""
    src = SourceFile.parse("/nonexistent/ws/p/a.go", BLOCKED_SEND.encode())
    analysis = analyze(src, Settings(min_severity=Severity.HINT), rules=(), go_version=(1, 22))
    assert analysis.context is not None and not analysis.findings
    result = hover_at(analysis.context, offset_of(BLOCKED_SEND, "ch <- slow()"), [], True)
    assert result is not None
    assert first_line(result.text).startswith("**This send can block forever")
    assert "ctx-lsp `goroutine-blocked-send`" not in result.text  # no diagnostic line without a diagnostic


TIMERS = """\
package p

import (
	"context"
	"time"
)

func loop(ctx context.Context, in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute):
			return
		}
	}
}

func work() {}

func poll(ctx context.Context) error {
	ticker := time.NewTicker(time.Second)
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.C:
			work()
		}
	}
}
"""


def test_time_after_in_a_loop_before_go_1_23_keeps_every_timer_until_it_fires() -> None:
    result = hover(TIMERS, "time.After", delta=len("time."))
    assert first_line(result.text) == (
        "**Every iteration of this loop leaves one more pending timer: with go 1.22 (go.mod), the pre-1.23 "
        "rules apply, and each timer stays in memory, with its channel, until its duration elapses.**")


def test_time_after_in_a_loop_from_go_1_23_is_garbage_not_a_leak() -> None:
    result = hover(TIMERS, "time.After", delta=len("time."), go_version=(1, 23))
    assert first_line(result.text).startswith("**Every iteration of this loop allocates a new timer and channel: "
                                              "with go 1.23 (go.mod), each is collected once unreferenced")


def test_godebug_asynctimerchan_brings_back_the_old_rules() -> None:
    source = "//go:debug asynctimerchan=1\n" + TIMERS
    result = hover(source, "time.After", delta=len("time."), go_version=(1, 24))
    assert "asynctimerchan=1, the pre-1.23 rules apply" in first_line(result.text)
    assert "until its duration elapses" in first_line(result.text)


def test_ticker_never_stopped_names_the_variable() -> None:
    result = hover(TIMERS, "time.NewTicker", delta=len("time."))
    assert first_line(result.text) == ("**`ticker` is never stopped: with go 1.22 (go.mod), the pre-1.23 rules "
                                       "apply, so it is never collected and keeps firing for the life of the "
                                       "program.**")


AFTER_FUNC = """\
package p

import "context"

type job struct{ abort func() }

func (j job) run() error { return nil }

func runAll(ctx context.Context, jobs []job) {
	for _, j := range jobs {
		context.AfterFunc(ctx, j.abort)
		_ = j.run()
	}
}
"""


def test_discarded_after_func_stop_in_a_loop_piles_up_registrations() -> None:
    result = hover(AFTER_FUNC, "AfterFunc")
    assert first_line(result.text) == (
        "**`stop` is discarded inside a loop: every iteration adds one more registration to `ctx`, which keeps "
        "`f` and everything it captures until `ctx` is done.**")
    assert "it does not wait for a running `f`" in result.text


def test_discarded_after_func_stop_on_a_root_context_registers_nothing() -> None:
    source = AFTER_FUNC.replace("func runAll(ctx context.Context, jobs []job) {",
                                "func runAll(jobs []job) {\n\tctx := context.Background()")
    result = hover(source, "AfterFunc")
    # The rule does not report a context that is never done, so the hover gives the call's fact.
    assert first_line(result.text) == ("**The context passed is `context.Background()`: its `Done()` is nil, so "
                                       "it is never canceled and `f` never runs; nothing is registered.**")
    assert "adds one more registration" not in result.text


def test_after_func_before_go_1_21_still_warns_about_the_version() -> None:
    result = hover(AFTER_FUNC, "AfterFunc", go_version=(1, 20))
    assert "requires Go 1.21" in result.text


NIL_CONTEXT = """\
package p

import (
	"context"
	"os/exec"
)

func run(ctx context.Context) {}

func start() {
	ctx, cancel := context.WithCancel(nil)
	defer cancel()
	run(ctx)
	run(nil)
	_ = exec.CommandContext(nil, "true")
}
"""


def test_nil_parent_panics_with_the_constructors_message() -> None:
    result = hover(NIL_CONTEXT, "nil)")
    assert first_line(result.text) == ('**`context.WithCancel` panics with "cannot create context from nil '
                                       'parent": this call fails every time it runs.**')
    assert hovered_text(NIL_CONTEXT, result) == "nil"
    assert "Go 1.15" not in result.text


def test_nil_parent_before_go_1_15_says_older_toolchains_fail_differently() -> None:
    result = hover(NIL_CONTEXT, "nil)", go_version=(1, 14))
    assert "The explicit check came with Go 1.15" in result.text


def test_hovering_the_constructor_of_a_nil_parent_says_it_panics() -> None:
    result = hover(NIL_CONTEXT, "WithCancel")
    assert first_line(result.text) == ('**Its context is `nil`: it panics with "cannot create context from nil '
                                       'parent", every time this line runs.**')
    assert "children" not in first_line(result.text)  # not the registration story of a real parent


def test_nil_for_a_same_package_function_claims_only_what_the_language_guarantees() -> None:
    result = hover(NIL_CONTEXT, "nil)", occurrence=2)
    assert first_line(result.text).startswith("**`run` gets a nil context: any method call on it")
    assert "unless the callee checks for nil first" in first_line(result.text)


def test_nil_for_exec_command_context() -> None:
    result = hover(NIL_CONTEXT, 'nil, "true"')
    assert first_line(result.text).startswith('**`exec.CommandContext` panics with "nil Context"')


NOT_INHERITED = """\
package p

import (
	"context"
	"net/http"
)

func use(ctx context.Context) {}

func direct(ctx context.Context) {
	use(context.Background())
}

func handle(ctx context.Context, w http.ResponseWriter, r *http.Request) {}

func handler(w http.ResponseWriter, r *http.Request) {
	handle(context.TODO(), w, r)
}
"""


@pytest.mark.parametrize("part", ["context.", "Background"])
def test_new_root_where_a_context_is_at_hand(part: str) -> None:
    needle = "context.Background()"
    result = hover(NOT_INHERITED, needle, delta=needle.index(part))
    assert first_line(result.text) == ("**`use` gets `context.Background()`, not `ctx`: it ignores the caller's "
                                       "cancellation and deadline.**")
    assert "`context.WithoutCancel(ctx)`" in result.text
    assert hovered_text(NOT_INHERITED, result) == needle


def test_new_root_in_a_handler_names_the_request_context() -> None:
    result = hover(NOT_INHERITED, "TODO")
    assert first_line(result.text).startswith("**`handle` gets `context.TODO()`, not `r.Context()`")
    assert "the client's connection closes or the handler returns" in result.text


def test_new_root_without_go_mod_says_which_version_without_cancel_assumes() -> None:
    result = hover(NOT_INHERITED, "Background", go_version=None)
    assert "(Go 1.21+; Go 1.25 assumed (no go.mod))" in result.text


def test_new_root_before_go_1_21_does_not_offer_without_cancel_as_available() -> None:
    result = hover(NOT_INHERITED, "Background", go_version=(1, 20))
    assert "needs Go 1.21; this module declares go 1.20 (go.mod)" in result.text


ERRGROUP = """\
package p

import (
	"context"

	"golang.org/x/sync/errgroup"
)

func fetch(ctx context.Context, id int) error { return nil }

func twoPhases(ctx context.Context, ids []int) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, id := range ids {
		id := id
		g.Go(func() error { return fetch(gctx, id) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return fetch(gctx, 0)
}
"""


def test_errgroup_context_after_wait_is_already_canceled() -> None:
    result = hover(ERRGROUP, "gctx, 0")
    wait_line = line_of(ERRGROUP, "g.Wait()")
    assert first_line(result.text) == (f"**`gctx` is already canceled here: `g.Wait()` on line {wait_line} "
                                       "canceled it when it returned.**")
    assert "Use the parent context `ctx` after `Wait`" in result.text


def test_errgroup_context_before_wait_keeps_its_usual_hover() -> None:
    result = hover(ERRGROUP, "gctx, id")
    assert "already canceled" not in result.text


KEYS = """\
package p

import "context"

type contextKey string

const traceIDKey contextKey = "trace-id"

func withTrace(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, traceIDKey, id)
}

func traceID(ctx context.Context) string {
	id, _ := ctx.Value("trace-id").(string)
	return id
}
"""


@pytest.mark.parametrize(("needle", "delta"), [('"trace-id").', 0), ("ctx.Value(", len("ctx."))])
def test_value_key_of_another_type_never_finds_the_stored_value(needle: str, delta: int) -> None:
    result = hover(KEYS, needle, delta=delta)
    assert first_line(result.text) == ("**This lookup never finds what this package stored: its key is a `string`, "
                                       "and the value is stored only under `contextKey` keys (`traceIDKey`).**")
    assert hovered_text(KEYS, result) == '"trace-id"'
    assert "the dynamic types must be equal too" in result.text


CANCEL_FIELD = """\
package p

import "context"

type poller struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func newPoller(parent context.Context) *poller {
	ctx, cancel := context.WithCancel(parent)
	p := &poller{ctx: ctx}
	p.cancel = cancel
	return p
}
"""


def test_stored_cancel_never_called_ends_only_with_its_parent() -> None:
    result = hover(CANCEL_FIELD, "cancel context.CancelFunc")
    assert first_line(result.text) == ("**No code in package `p` calls the cancel function in field `cancel` or "
                                       "passes it on: its context is canceled only when its parent is, or at its "
                                       "deadline.**")
    assert hovered_text(CANCEL_FIELD, result) == "cancel"


def test_stored_cancel_that_is_called_gets_no_such_fact() -> None:
    source = CANCEL_FIELD + "\nfunc (p *poller) Close() { p.cancel() }\n"
    src = SourceFile.parse("/nonexistent/ws/p/a.go", source.encode())
    analysis = analyze(src, Settings(min_severity=Severity.HINT), rules=(), go_version=(1, 22))
    assert analysis.context is not None
    result = hover_at(analysis.context, offset_of(source, "cancel context.CancelFunc"), [], True)
    assert result is None or "No code in package" not in result.text


@pytest.mark.parametrize(("source", "needle"), [
    (BLOCKED_SEND, "ch <- slow()"), (BLOCKED_SEND, "<-done"), (TIMERS, "After"), (TIMERS, "NewTicker"),
    (AFTER_FUNC, "AfterFunc"), (NIL_CONTEXT, "nil)"), (NOT_INHERITED, "Background"), (ERRGROUP, "gctx, 0"),
    (KEYS, '"trace-id").'), (CANCEL_FIELD, "cancel context.CancelFunc"),
])
@pytest.mark.parametrize("go_version", [(1, 20), (1, 22), (1, 26), None])
def test_rule_site_hovers_stay_popups_without_false_claims(source: str, needle: str,
                                                           go_version: GoVersion | None) -> None:
    result = hover(source, needle, go_version=go_version)
    assert len(result.text) <= 2_000
    assert not find_false_claims(result.text)
    assert "#### " not in result.text and "Precision review" not in result.text
