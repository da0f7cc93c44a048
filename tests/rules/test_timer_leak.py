"""timer-leak: which timer semantics apply (go line, godebug, //go:debug), and the shapes and
fixes the testdata does not pin down."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctx_lsp.engine import godebug, gomod
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.fixes import apply_preferred_fixes
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.knowledge.timers import NEW, OLD, UNKNOWN, timer_semantics
from tests.rules._family3 import findings_for, severity_of
from ctx_lsp.rules import ALL_RULES

RULE = "timer-leak"

AFTER_LOOP = b"""package p

import "time"

func consume(in <-chan int) {
\tfor {
\t\tselect {
\t\tcase <-in:
\t\tcase <-time.After(time.Second):
\t\t\treturn
\t\t}
\t}
}
"""

TICK = b"""package p

import "time"

func once() {
\tfor range time.Tick(time.Second) {
\t\tbreak
\t}
}
"""


@pytest.fixture(autouse=True)
def _fresh_go_mod_caches() -> None:
    gomod.clear_caches()
    godebug.clear_caches()


def _semantics(tmp_path: Path, go_mod: str | None, source: bytes = b"package p\n") -> str:
    if go_mod is not None:
        (tmp_path / "go.mod").write_text(go_mod)
    path = tmp_path / "p.go"
    ctx = FileContext(SourceFile.parse(str(path), source))
    return timer_semantics(ctx)[0]


@pytest.mark.parametrize(("go_mod", "expected"), [
    ("module m\n\ngo 1.22\n", OLD),
    ("module m\n\ngo 1.23\n", NEW),
    ("module m\n\ngo 1.24.0\n\ngodebug asynctimerchan=1\n", OLD),
    ("module m\n\ngo 1.24\n\ngodebug (\n\tasynctimerchan=1\n)\n", OLD),
    ("module m\n\ngo 1.24\n\ngodebug asynctimerchan=2\n", NEW),  # collectable timers, async channels
    ("module m\n\ngo 1.24\n\ngodebug default=go1.21\n", OLD),
    ("module m\n\ngo 1.24\n\ngodebug default=go1.23\n", NEW),
    ("module m\n\ngo 1.24\n\n// godebug asynctimerchan=1\n", NEW),  # a comment is not a setting
    ("module m\n\ngo 1.27\n\ngodebug asynctimerchan=1\n", NEW),  # Go 1.27 removed the setting
    (None, UNKNOWN),
])
def test_semantics_follow_the_go_line_and_godebug(tmp_path: Path, go_mod: str | None, expected: str) -> None:
    if go_mod is None:  # a file outside any module (no path: nothing to look up)
        ctx = FileContext(SourceFile.parse("", b"package p\n"))
        assert timer_semantics(ctx)[0] == expected
        return
    assert _semantics(tmp_path, go_mod) == expected


def test_a_go_debug_directive_in_the_file_restores_old_timers(tmp_path: Path) -> None:
    directive = b"//go:debug asynctimerchan=1\n\npackage main\n"
    assert _semantics(tmp_path, "module m\n\ngo 1.24\n", directive) == OLD
    # after the package clause it is not a directive the go command reads
    late = b"package main\n\n//go:debug asynctimerchan=1\n"
    assert _semantics(tmp_path, "module m\n\ngo 1.24\n", late) == NEW


def test_after_in_a_loop_is_information_before_1_23_and_a_hint_after() -> None:
    (old,) = findings_for(RULE, AFTER_LOOP, go_version=(1, 22))
    assert severity_of(old) == Severity.INFORMATION
    (new,) = findings_for(RULE, AFTER_LOOP, go_version=(1, 24))
    assert severity_of(new) == Severity.HINT
    (unknown,) = findings_for(RULE, AFTER_LOOP, go_version=None)
    assert severity_of(unknown) == Severity.HINT and "assuming Go 1.23" in unknown.message
    (in_test,) = findings_for(RULE, AFTER_LOOP, path="consume_test.go", go_version=(1, 22))
    assert severity_of(in_test) == Severity.HINT


def test_the_reuse_fix_parses_and_keeps_the_other_case() -> None:
    (finding,) = findings_for(RULE, AFTER_LOOP, go_version=(1, 22))
    fixed, applied = apply_preferred_fixes(AFTER_LOOP, [finding])
    assert applied
    src = SourceFile.parse("p.go", fixed)
    assert not src.root.has_error
    assert b"timer := time.NewTimer(time.Second)\n\tdefer timer.Stop()\n\tfor {" in fixed
    assert b"case <-timer.C:\n\t\t\treturn" in fixed and b"case <-in:" in fixed


@pytest.mark.parametrize("variant", [
    # two time.After in one select: no single timer to reuse
    AFTER_LOOP.replace(b"case <-in:", b"case <-time.After(time.Minute):"),
    # an enclosing loop: the defer would pile up
    AFTER_LOOP.replace(b"\tfor {\n", b"\tfor i := 0; i < 3; i++ {\n\tfor {\n").replace(b"\t}\n}\n", b"\t}\n\t}\n}\n"),
    # a duration computed by a call may change between iterations
    AFTER_LOOP.replace(b"time.After(time.Second)", b"time.After(next())") + b"\nfunc next() time.Duration { return 1 }\n",
])
def test_the_reuse_fix_is_withheld_when_not_always_safe(variant: bytes) -> None:
    findings = findings_for(RULE, variant, go_version=(1, 22))
    assert findings, "the shape is still reported"
    assert all(not f.fixes for f in findings if "time.After" in f.message)


def test_the_fix_picks_a_name_the_function_does_not_use() -> None:
    source = AFTER_LOOP.replace(b"case <-in:", b"case timer := <-in:\n\t\t\t_ = timer")
    (finding,) = findings_for(RULE, source, go_version=(1, 22))
    fixed, _ = apply_preferred_fixes(source, [finding])
    assert b"timeout := time.NewTimer(time.Second)" in fixed


def test_tick_is_left_to_tests_and_main_and_reported_elsewhere() -> None:
    assert len(findings_for(RULE, TICK, go_version=(1, 22))) == 1
    assert findings_for(RULE, TICK, path="once_test.go", go_version=(1, 22)) == []
    assert findings_for(RULE, TICK.replace(b"package p", b"package main"), go_version=(1, 22)) == []
    assert findings_for(RULE, TICK, go_version=(1, 23)) == []


def test_a_dot_imported_time_is_recognised() -> None:
    source = TICK.replace(b'import "time"', b'import . "time"').replace(b"time.Tick(time.Second)", b"Tick(Second)")
    assert len(findings_for(RULE, source, go_version=(1, 22))) == 1


def test_a_local_named_time_is_not_the_package() -> None:
    source = TICK.replace(b"func once() {", b"func once(time clock) {") + b"\ntype clock interface{ Tick(int) <-chan int }\n"
    assert findings_for(RULE, source, go_version=(1, 22)) == []


def test_the_server_cache_follows_a_go_debug_directive_added_above_the_package() -> None:
    """The directive is outside every declaration: the cache must re-check the ticker's
    declaration (a file input), not reuse its Go 1.23 answer."""
    from ctx_lsp.engine.analyze import DeclCache, analyze
    from ctx_lsp.engine.config import Settings

    source = b"package p\n\nimport \"time\"\n\nfunc poll() int {\n\tt := time.NewTicker(time.Second)\n\t<-t.C\n\treturn 1\n}\n"
    settings = Settings(min_severity=Severity.HINT)
    cache = DeclCache()

    def run(data: bytes) -> list[str]:
        src = SourceFile.parse("p.go", data)
        return [f.rule for f in analyze(src, settings, rules=ALL_RULES, cache=cache, go_version=(1, 24)).findings]

    assert run(source) == []
    assert run(b"//go:debug asynctimerchan=1\n\n" + source) == ["timer-leak"]
    assert run(source) == []
