"""Site-specific hover (``ctx_lsp.hover.site.hover_at``) on real code shapes.

Each test analyses a small Go file the way the server does (all rules, via ``analyze``) and
hovers at a byte offset found by searching the source, so the expectations name lines and
ranges computed from the text rather than hard-coded numbers. Every hover produced here is
also checked against the runtime-myth detectors.
"""

from __future__ import annotations

import re

import pytest

from ctx_lsp.engine.analyze import Analysis, analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.hover.false_claims import find_false_claims
from ctx_lsp.hover.site import HoverResult, hover_at, markdown_to_plain
from ctx_lsp.rules import ALL_RULES

GoVersion = tuple[int, int]


def analysed(source: str, path: str = "/nonexistent/ws/p/a.go", go_version: GoVersion | None = (1, 22)) -> Analysis:
    src = SourceFile.parse(path, source.encode())
    analysis = analyze(src, Settings(min_severity=Severity.HINT), rules=ALL_RULES, go_version=go_version)
    assert not analysis.errors, analysis.errors
    return analysis


def offset_of(source: str, needle: str, occurrence: int = 1, delta: int = 0) -> int:
    """Byte offset of the ``occurrence``-th ``needle`` in ``source`` (plus ``delta`` bytes)."""
    data = source.encode()
    index = -1
    for _ in range(occurrence):
        index = data.index(needle.encode(), index + 1)
    return index + delta


def line_of(source: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th ``needle``."""
    offset = offset_of(source, needle, occurrence)
    return source.encode()[:offset].count(b"\n") + 1


def hover(source: str, needle: str, *, occurrence: int = 1, delta: int = 0, markdown: bool = True,
          path: str = "/nonexistent/ws/p/a.go", go_version: GoVersion | None = (1, 22)) -> HoverResult:
    analysis = analysed(source, path, go_version)
    assert analysis.context is not None
    result = hover_at(analysis.context, offset_of(source, needle, occurrence, delta), analysis.findings, markdown)
    assert result is not None, f"no hover at {needle!r}"
    hits = find_false_claims(result.text)
    assert not hits, [(hit.claim.label, hit.excerpt) for hit in hits]
    return result


def hovered_text(source: str, result: HoverResult) -> str:
    return source.encode()[result.start : result.end].decode()


def site_part(result: HoverResult) -> str:
    """The site-specific section (before the first separator)."""
    return result.text.split("\n\n---\n\n")[0]


# ---------------------------------------------------------------------------------------------
# Context constructors: the parent and the cancel function
# ---------------------------------------------------------------------------------------------

PATH_LEAK = """\
package p

import (
	"context"
	"errors"
	"time"
)

func load(ctx context.Context, id int) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	if id < 0 {
		return errors.New("negative id")
	}
	defer cancel()
	return work(ctx, id)
}

func work(ctx context.Context, id int) error { return ctx.Err() }
"""


def test_constructor_call_reports_parameter_parent_and_the_leaking_return() -> None:
    result = hover(PATH_LEAK, "WithTimeout")
    assert hovered_text(PATH_LEAK, result) == "context.WithTimeout"
    site = site_part(result)
    assert site.startswith("**Parent: the parameter `ctx`")
    assert "the parameter `ctx`" in site
    assert f"deferred on line {line_of(PATH_LEAK, 'defer cancel()')}" in site
    assert f"**Not used** on the paths to the return on line {line_of(PATH_LEAK, 'return errors.New')}" in site
    assert "its timer holds it until the deadline" in site


def test_constructor_hover_agrees_with_the_lostcancel_findings() -> None:
    analysis = analysed(PATH_LEAK)
    leaking_lines = {
        analysis.context.src.line_of(f.start) + 1  # type: ignore[union-attr]
        for f in analysis.findings
        if f.rule == "lostcancel" and f.message.startswith("this return statement")
    }
    site = site_part(hover(PATH_LEAK, "WithTimeout"))
    hover_lines = {int(n) for n in re.findall(r"the return on line (\d+)", site)}
    assert leaking_lines and hover_lines == leaking_lines


def test_diagnostic_under_the_cursor_brings_the_rule_doc_between_site_facts_and_api_text() -> None:
    result = hover(PATH_LEAK, "WithTimeout")
    parts = result.text.split("\n\n---\n\n")
    assert len(parts) == 3
    assert parts[0].startswith("**Parent:")
    assert parts[2] == "ctx-lsp `lostcancel`: cancel function of a derived context is not called on all paths" \
        " · more: `ctx-lsp explain lostcancel`"
    assert parts[1].startswith("`context.WithTimeout` · since Go 1.7")


ROOTS = """\
package p

import (
	"context"
	"time"
)

type key struct{}

func roots() {
	a, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	b, cancelB := context.WithTimeout(context.TODO(), time.Minute)
	defer cancelB()
	base := context.WithValue(context.Background(), key{}, 1)
	c, cancelC := context.WithCancel(base)
	defer cancelC()
	d, cancelD := context.WithCancel(a)
	defer cancelD()
	_, _, _, _ = a, b, c, d
}
"""


def test_background_parent_registers_nothing_and_retains_nothing() -> None:
    site = site_part(hover(ROOTS, "WithCancel(context.Background"))
    assert "Parent: `context.Background()`" in site
    assert "**not registered anywhere**" in site
    assert "Nothing retains it once it is unreferenced" in site
    assert "Every path from here to a return uses `cancelA`" in site


def test_todo_parent_with_timeout_is_held_only_by_the_timer() -> None:
    site = site_part(hover(ROOTS, "WithTimeout(context.TODO"))
    assert "Parent: `context.TODO()`" in site
    assert "Only the runtime timer holds it" in site
    assert "until the deadline" in site


def test_parent_is_followed_through_a_withvalue_layer_held_in_a_variable() -> None:
    site = site_part(hover(ROOTS, "WithCancel(base)"))
    assert "Parent: `context.Background()`" in site
    assert f"`WithValue` layer on line {line_of(ROOTS, 'WithValue')}" in site
    assert "**not registered anywhere**" in site


def test_parent_derived_in_this_function_is_named_with_its_line() -> None:
    site = site_part(hover(ROOTS, "WithCancel(a)"))
    made = line_of(ROOTS, "WithCancel(context.Background")
    assert f"Parent: the context made by `context.WithCancel` on line {made}" in site
    assert "`children` map" in site
    assert "until `cancel` is called or the parent is canceled" in site


IMPORT_FORMS = """\
package p

import (
	stdctx "context"
	. "context"
)

func renamed(parent stdctx.Context) {
	ctx, cancel := stdctx.WithCancel(parent)
	defer cancel()
	ctx2, cancel2 := WithCancel(ctx)
	defer cancel2()
	_ = ctx2
}

func shadowed() {
	context := struct{ WithCancel func() }{}
	_ = context
}
"""


def test_renamed_import_is_recognised() -> None:
    result = hover(IMPORT_FORMS, "WithCancel(parent)")
    assert hovered_text(IMPORT_FORMS, result) == "stdctx.WithCancel"
    assert "`context.WithCancel` · since" in result.text


def test_dot_import_is_recognised() -> None:
    result = hover(IMPORT_FORMS, "WithCancel(ctx)")
    assert hovered_text(IMPORT_FORMS, result) == "WithCancel"
    assert "`context.WithCancel` · since" in result.text
    assert "Parent: the context made by `context.WithCancel`" in result.text


def test_local_that_shadows_a_package_name_is_not_the_package() -> None:
    source = """\
package p

import "context"

func f() {
	context := fakeContext{}
	ctx, cancel := context.WithCancel(nil)
	_, _ = ctx, cancel
}

type fakeContext struct{}

func (fakeContext) WithCancel(p any) (any, func()) { return p, func() {} }

var _ = context.Background
"""
    analysis = analysed(source)
    assert analysis.context is not None
    offset = offset_of(source, "WithCancel(nil)")
    assert hover_at(analysis.context, offset, analysis.findings, True) is None
    # ...while the package-level reference is the package.
    result = hover(source, "Background")
    assert "`context.Background` · since" in result.text


CANCEL_SHAPES = """\
package p

import (
	"context"
	"time"
)

type holder struct{ cancel context.CancelFunc }

func discarded(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(parent, time.Second)
	return ctx
}

func overwritten(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	ctx, cancel = context.WithTimeout(ctx, time.Second)
	defer cancel()
	_ = ctx
}

func closure(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	go func() {
		cancel()
	}()
	_ = ctx
}

func returned(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(parent)
}

func stored(parent context.Context, h *holder) context.Context {
	ctx, h.cancel = context.WithCancel(parent)
	return ctx
}
"""


def test_discarded_cancel_is_explained_with_what_stays_reachable() -> None:
    site = site_part(hover(CANCEL_SHAPES, "WithTimeout(parent"))
    assert "assigned to `_`, so it can never be called" in site
    assert "its timer holds it until the deadline" in site


def test_hovering_the_blank_identifier_shows_the_diagnostic_and_its_doc() -> None:
    result = hover(CANCEL_SHAPES, "_ := context.WithTimeout")
    assert hovered_text(CANCEL_SHAPES, result) == "_"
    assert "ctx-lsp explain lostcancel" in result.text
    assert "# lostcancel" not in result.text  # no rule doc in a popup


def test_overwritten_cancel_is_reported_with_the_line() -> None:
    site = site_part(hover(CANCEL_SHAPES, "WithCancel(parent)", occurrence=1))
    assert f"overwritten on line {line_of(CANCEL_SHAPES, 'ctx, cancel = context.WithTimeout')}" in site


def test_cancel_used_in_a_closure_counts_as_used() -> None:
    site = site_part(hover(CANCEL_SHAPES, "WithCancel(parent)", occurrence=2))
    closure_line = line_of(CANCEL_SHAPES, "\t\tcancel()")
    assert f"used in a closure on line {closure_line}" in site
    assert "Every path from here to a return uses `cancel`" in site


def test_returned_and_stored_cancel_functions_are_handed_over() -> None:
    assert "returned to the caller" in site_part(hover(CANCEL_SHAPES, "WithCancel(parent)", occurrence=3))
    assert "stored in `h.cancel`" in site_part(hover(CANCEL_SHAPES, "WithCancel(parent)", occurrence=4))


def test_hover_on_the_cancel_variable_gives_its_status_and_what_calling_it_does() -> None:
    result = hover(PATH_LEAK, "cancel()")
    assert hovered_text(PATH_LEAK, result) == "cancel"
    text = result.text
    assert f"the cancel function of `context.WithTimeout` on line {line_of(PATH_LEAK, 'WithTimeout')}" in text
    assert "**Not used** on the paths to the return" in text
    assert "stops the timer" in text


def test_hover_at_the_cancel_definition_works_too() -> None:
    result = hover(PATH_LEAK, "cancel :=")
    assert hovered_text(PATH_LEAK, result) == "cancel"


def test_cursor_just_after_a_word_still_hovers_it() -> None:
    # Some clients send the position right after the word ("cancel|()").
    result = hover(PATH_LEAK, "cancel()", delta=len("cancel"))
    assert hovered_text(PATH_LEAK, result) == "cancel"


SIGNALS = """\
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	undo := context.AfterFunc(ctx, func() {})
	defer undo()
	never := context.AfterFunc(context.Background(), func() {})
	_ = never
	<-ctx.Done()
}
"""


def test_notify_context_speaks_of_stop_not_cancel() -> None:
    site = site_part(hover(SIGNALS, "NotifyContext"))
    assert "Parent: `context.Background()`" in site
    assert "registered, and the signals diverted, until `stop` is called" in site
    assert f"`stop` (line {line_of(SIGNALS, 'NotifyContext')}): deferred on line {line_of(SIGNALS, 'defer stop()')}" in site
    assert "`cancel`" not in site


def test_main_is_exempt_from_the_path_check() -> None:
    assert "In `func main` returning ends the process" in site_part(hover(SIGNALS, "NotifyContext"))


def test_after_func_on_a_cancelable_context_and_on_background() -> None:
    registered = site_part(hover(SIGNALS, "AfterFunc(ctx"))
    assert "the context made by `signal.NotifyContext`" in registered
    assert "registered in its `children` map" in registered
    never = site_part(hover(SIGNALS, "AfterFunc(context.Background"))
    assert "never canceled and `f` never runs" in never


# ---------------------------------------------------------------------------------------------
# Finalizers and cleanups
# ---------------------------------------------------------------------------------------------

FINALIZERS = """\
package p

import (
	"os"
	"runtime"
)

type File struct{ fd int }

func (f *File) Close() error { return nil }

type Buffer struct{ data []byte }

func openCaptured() *File {
	f := &File{fd: 3}
	runtime.SetFinalizer(f, func(_ *File) { f.Close() })
	return f
}

func openParam() *File {
	f := &File{fd: 4}
	runtime.SetFinalizer(f, func(f *File) { f.Close() })
	return f
}

func buffer() *Buffer {
	b := &Buffer{}
	runtime.SetFinalizer(b, func(b *Buffer) { os.Stderr.WriteString("lost buffer") })
	return b
}

func cleanup() *File {
	f := &File{fd: 5}
	runtime.AddCleanup(f, func(f *File) {}, f)
	return f
}
"""


def test_finalizer_closure_capturing_the_object_never_runs() -> None:
    site = site_part(hover(FINALIZERS, "SetFinalizer(f, func(_"))
    assert "closes over f" in site and "never collected" in site
    assert "`File` has an explicit `Close` method" in site


def test_finalizer_using_its_parameter_does_not_keep_the_object() -> None:
    site = site_part(hover(FINALIZERS, "SetFinalizer(f, func(f"))
    assert "does not refer to `f`" in site


def test_type_without_a_release_method_is_pointed_out() -> None:
    site = site_part(hover(FINALIZERS, "SetFinalizer(b"))
    assert "`Buffer` has no `Close`/`Release`/`Stop`/`Shutdown` method" in site


def test_add_cleanup_with_the_object_as_arg_is_explained() -> None:
    result = hover(FINALIZERS, "AddCleanup")
    assert "panics when arg is the object itself" in site_part(result)
    assert "`runtime.AddCleanup` · since Go 1.24" in result.text


def test_go_mod_older_than_the_api_is_warned_about() -> None:
    result = hover(FINALIZERS, "AddCleanup", go_version=(1, 22))
    assert "requires Go 1.24; this module's go.mod says go 1.22" in result.text
    result = hover(FINALIZERS, "AddCleanup", go_version=(1, 24))
    assert "requires Go" not in result.text


# ---------------------------------------------------------------------------------------------
# Struct fields holding contexts
# ---------------------------------------------------------------------------------------------

STRUCTS = """\
package p

import "context"

type Server struct {
	ctx  context.Context
	name string
}

func NewServer(ctx context.Context) *Server {
	return &Server{ctx: ctx, name: "s"}
}

func (s *Server) Run() error {
	<-s.ctx.Done()
	return s.ctx.Err()
}

func (s *Server) Name() string { return s.name }

func (s *Server) Reset(ctx context.Context) { s.ctx = ctx }

type session struct {
	context.Context
}

func (s session) alive() bool { return s.Err() == nil }

var table = []struct {
	ctx context.Context
}{}
"""


def test_context_field_lists_the_methods_that_read_and_set_it() -> None:
    result = hover(STRUCTS, "ctx  context.Context")
    assert hovered_text(STRUCTS, result) == "ctx"
    site = site_part(result)
    assert site.startswith("**Field `ctx` of `Server` holds a `context.Context`**")
    assert f"Read in this file by `(*Server).Run` (line {line_of(STRUCTS, 'func (s *Server) Run')})." in site
    assert "Name" not in site
    assert f"`NewServer` (line {line_of(STRUCTS, 'func NewServer')})" in site
    assert f"`(*Server).Reset` (line {line_of(STRUCTS, 'func (s *Server) Reset')})" in site
    assert "pass `ctx` as the first parameter" in site


def test_context_field_hover_includes_the_context_in_struct_diagnostic() -> None:
    assert "ctx-lsp `context-in-struct`" in hover(STRUCTS, "ctx  context.Context").text


def test_embedded_context_counts_promoted_method_calls_as_reads() -> None:
    result = hover(STRUCTS, "context.Context\n}", occurrence=1)
    site = site_part(result)
    assert "Field `Context` of `session`" in site
    assert "`(session).alive`" in site


def test_anonymous_struct_field() -> None:
    result = hover(STRUCTS, "ctx context.Context\n}{}")
    assert "An anonymous struct" in site_part(result)


def test_a_field_of_another_type_has_no_site_hover() -> None:
    analysis = analysed(STRUCTS)
    assert analysis.context is not None
    offset = offset_of(STRUCTS, "name string")
    assert hover_at(analysis.context, offset, analysis.findings, True) is None


# ---------------------------------------------------------------------------------------------
# go statements
# ---------------------------------------------------------------------------------------------

GOROUTINES = """\
package p

import (
	"context"
	"net/http"
)

func serve(ctx context.Context, jobs chan int) {
	go func() {
		for j := range jobs {
			_ = j
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
		case <-jobs:
		}
	}()
	go func() {
		consume(ctx, jobs)
	}()
	go consume(ctx, jobs)
	go drain(jobs)
	go func(c context.Context) {
		<-c.Done()
	}(ctx)
}

func handler(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	go drain(nil)
	_ = ctx
}

func plain(jobs chan int) {
	go drain(jobs)
}

func consume(ctx context.Context, jobs chan int) {}

func drain(jobs chan int) {}
"""


def _go_site(needle: str, occurrence: int = 1) -> tuple[HoverResult, str]:
    result = hover(GOROUTINES, needle, occurrence=occurrence)
    assert hovered_text(GOROUTINES, result) == "go"
    return result, site_part(result)


def test_goroutine_that_ignores_the_context_in_scope() -> None:
    _, site = _go_site("go func", 1)
    assert "It observes none of the contexts in scope (`ctx`)" in site
    assert "never garbage collected" in site


def test_goroutine_watching_done() -> None:
    _, site = _go_site("go func", 2)
    assert f"It watches `ctx.Done()` on line {line_of(GOROUTINES, 'case <-ctx.Done()')}" in site


def test_goroutine_using_the_context_without_watching_it() -> None:
    _, site = _go_site("go func", 3)
    assert "It uses `ctx` but never checks `Done()`/`Err()` itself" in site


def test_goroutine_calling_a_named_function() -> None:
    assert "It passes `ctx` to `consume`" in _go_site("go consume")[1]
    assert "It passes no context to `drain`, although `ctx` is in scope" in _go_site("go drain", 1)[1]


def test_goroutine_with_its_own_context_parameter() -> None:
    _, site = _go_site("go func(c")
    assert "It watches `c.Done()`" in site


def test_request_context_counts_as_a_context_in_scope() -> None:
    assert "although `ctx` is in scope" in _go_site("go drain(nil)")[1]


def test_goroutine_with_no_context_in_scope() -> None:
    assert "No context is in scope" in _go_site("go drain(jobs)", 2)[1]


def test_only_the_go_keyword_triggers_the_goroutine_hover() -> None:
    analysis = analysed(GOROUTINES)
    assert analysis.context is not None
    offset = offset_of(GOROUTINES, "func() {", occurrence=1)
    result = hover_at(analysis.context, offset, analysis.findings, True)
    assert result is None or "This goroutine" not in result.text


# ---------------------------------------------------------------------------------------------
# Small site facts
# ---------------------------------------------------------------------------------------------

SMALL = """\
package p

import (
	"context"
	"runtime"
	"runtime/debug"
	"time"
)

func small(ctx context.Context) {
	runtime.KeepAlive(ctx)
	time.AfterFunc(time.Second, func() {})
	t := time.AfterFunc(time.Second, func() {})
	t.Stop()
	runtime.GC()
	debug.FreeOSMemory()
}
"""


def test_keepalive_of_a_context_is_called_useless() -> None:
    assert "`ctx` is a context: `KeepAlive` does nothing useful here" in site_part(hover(SMALL, "KeepAlive"))


def test_dropped_timer_cannot_be_stopped_but_a_kept_one_can() -> None:
    assert "The returned `*Timer` is dropped" in site_part(hover(SMALL, "AfterFunc", occurrence=1))
    kept = hover(SMALL, "AfterFunc", occurrence=2)
    assert "dropped" not in kept.text.split("**time.AfterFunc**")[0]


def test_forced_gc_in_a_test_file_is_called_normal() -> None:
    in_test = hover(SMALL, "runtime.GC", delta=len("runtime."), path="/nonexistent/ws/p/a_test.go")
    assert "This is a `_test.go` file" in in_test.text
    outside = hover(SMALL, "runtime.GC", delta=len("runtime."))
    assert "This is a `_test.go` file" not in outside.text
    assert "ctx-lsp `forced-gc`" in outside.text  # the diagnostic and its doc


def test_hover_on_the_package_name_of_a_selector_hovers_the_api() -> None:
    result = hover(SMALL, "debug.FreeOSMemory")
    assert hovered_text(SMALL, result) == "debug.FreeOSMemory"
    assert "`debug.FreeOSMemory` · since" in result.text


# ---------------------------------------------------------------------------------------------
# Plain text, encodings of lines, broken and deep code
# ---------------------------------------------------------------------------------------------


def test_plain_text_hover_has_no_markdown() -> None:
    result = hover(PATH_LEAK, "WithTimeout", markdown=False)
    assert "`" not in result.text
    assert "**" not in result.text
    assert "```" not in result.text
    assert "context.WithTimeout · since Go 1.7" in result.text
    assert "Not used on the paths to the return" in result.text


def test_markdown_to_plain_handles_code_blocks_headings_and_links() -> None:
    text = "# Title\n\nSee [the doc](https://go.dev/x).\n\n```go\nfunc f() {}\n```\n**bold** `code`"
    assert markdown_to_plain(text) == "Title\n\nSee the doc (https://go.dev/x).\n\n    func f() {}\nbold code"


def test_markdown_to_plain_removes_bold_that_spans_lines() -> None:
    assert markdown_to_plain("stays **until the parent\nis canceled** here") == "stays until the parent\nis canceled here"


def test_line_numbers_follow_lsp_lines_with_crlf_and_non_ascii_text() -> None:
    source = PATH_LEAK.replace("package p\n", "package p // 😋 café\n").replace("\n", "\r\n")
    result = hover(source, "WithTimeout")
    assert hovered_text(source, result) == "context.WithTimeout"
    site = site_part(result)
    assert site.startswith("**Parent:")
    assert f"the return on line {line_of(source, 'return errors.New')}" in site


def test_nothing_to_say_on_plain_code() -> None:
    analysis = analysed(PATH_LEAK)
    assert analysis.context is not None
    assert hover_at(analysis.context, offset_of(PATH_LEAK, "id < 0"), analysis.findings, True) is None
    assert hover_at(analysis.context, 0, analysis.findings, True) is None
    assert hover_at(analysis.context, len(PATH_LEAK.encode()), analysis.findings, True) is None


BROKEN = """\
package p

import "context"

func broken(ctx context.Context) {
	c, cancel := context.WithCancel(ctx
	go func( {
		<-c.Done(
	}
	defer cancel(
	type S struct { ctx context.Context
"""


def test_every_offset_of_broken_code_hovers_without_crashing() -> None:
    analysis = analysed(BROKEN)
    assert analysis.context is not None
    seen_api = False
    for offset in range(len(BROKEN.encode()) + 1):
        for markdown in (True, False):
            result = hover_at(analysis.context, offset, analysis.findings, markdown)
            if result is not None:
                assert 0 <= result.start <= result.end <= len(BROKEN.encode())
                seen_api = seen_api or "context.WithCancel" in result.text
    assert seen_api


def test_deeply_nested_code_does_not_hit_the_recursion_limit() -> None:
    # Deeper than Python's default recursion limit (1000); kept moderate because climbing
    # Node.parent (used by some engine helpers) is quadratic in depth.
    depth = 1200
    body = "\tif true {\n" * depth + "\t_, cancel := context.WithCancel(parent)\n\tdefer cancel()\n" + "\t}\n" * depth
    source = f"package p\n\nimport \"context\"\n\nfunc deep(parent context.Context) {{\n{body}}}\n"
    site = site_part(hover(source, "WithCancel"))
    assert "the parameter `parent`" in site
    assert "deferred on line" in site


@pytest.mark.parametrize("source", [PATH_LEAK, ROOTS, CANCEL_SHAPES, SIGNALS, FINALIZERS, STRUCTS, GOROUTINES, SMALL])
def test_no_hover_anywhere_in_the_samples_states_a_false_claim(source: str) -> None:
    analysis = analysed(source)
    assert analysis.context is not None
    data = source.encode()
    # Every identifier start and every keyword position is enough to reach each hover kind.
    for match in re.finditer(rb"\b\w", data):
        for markdown in (True, False):
            result = hover_at(analysis.context, match.start(), analysis.findings, markdown)
            if result is not None:
                hits = find_false_claims(result.text)
                assert not hits, (match.start(), [(hit.claim.label, hit.excerpt) for hit in hits])
