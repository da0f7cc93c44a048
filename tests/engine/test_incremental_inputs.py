"""The per-declaration cache and what a declaration reads outside itself.

A cached declaration's findings may depend on other declarations: package facts (a
finalizer callback declared elsewhere), same-file functions that never return (lostcancel's
paths), other strings of the file (context-key-type's read-by-name exemption). The cache
records those file inputs per declaration and re-checks it when one changes; everything
else is reused, also without re-reading unchanged declarations' bytes. After every edit of
a sequence, the cached analysis must equal a fresh one, and each edit below changes what a
*different* declaration reports, so a missed dependency fails the test.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from ctx_lsp.engine.analyze import DeclCache, DeferredFixes, analyze
from ctx_lsp.engine.config import DEFAULT_SETTINGS
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import ALL_RULES, context_key_type

EVERYTHING = attrs.evolve(DEFAULT_SETTINGS, min_severity=Severity.HINT)

FILLER = "".join(f"\nfunc helper{n}(values []int) int {{\n\treturn len(values) + {n}\n}}\n" for n in range(40))

SOURCE = """package p

import (
\t"context"
\t"log"
\t"os"
\t"runtime"
)

type request struct {
\tID string `json:"requestID"`
}

func fatal(message string) {
\tlog.Fatal(message)
}

func work(parent context.Context, bad bool) error {
\tctx, cancel := context.WithCancel(parent)
\tif bad {
\t\tfatal("bad input")
\t\treturn nil
\t}
\tdefer cancel()
\treturn ctx.Err()
}

func withID(ctx context.Context, id string) context.Context {
\treturn context.WithValue(ctx, "requestID", id)
}

func idOf(ctx context.Context) string {
\tid, _ := ctx.Value("requestID").(string)
\treturn id
}

type file struct{ f *os.File }

func closeFile(x *file) {
\tx.f.Close()
}

func track(x *file) {
\truntime.SetFinalizer(x, closeFile)
}
""" + FILLER


def _analyze(data: bytes, cache: DeclCache | None = None) -> tuple[Finding, ...]:
    src = SourceFile.parse("p.go", data)
    return analyze(src, EVERYTHING, rules=ALL_RULES, cache=cache, go_version=(1, 24)).findings


def _rules(findings: tuple[Finding, ...]) -> set[str]:
    return {finding.rule for finding in findings}


# Each step: (old bytes, new bytes, rules that must be reported after it, rules that must not).
STEPS = [
    # The struct tag no longer names the key: withID's key is now reported (another decl).
    (b'json:"requestID"', b'json:"reqID"', {"context-key-type"}, set()),
    # fatal returns now: work's early return leaks its cancel function.
    (b"log.Fatal(message)", b"log.Print(message)", {"lostcancel"}, set()),
    # The callback no longer closes anything: track's finalizer is fine.
    (b"x.f.Close()", b"x.f.Sync()", set(), {"finalizer-resource"}),
    # Everything moves down a line: cached findings and quoted line numbers must follow.
    (b"package p\n", b"// Package p.\npackage p\n", {"lostcancel"}, set()),
    (b"log.Print(message)", b"log.Fatal(message)", set(), {"lostcancel"}),
    (b"x.f.Sync()", b"x.f.Close()", {"finalizer-resource"}, set()),
    (b'json:"reqID"', b'json:"requestID"', set(), {"context-key-type"}),
]


def test_every_edit_of_a_sequence_gives_what_a_fresh_analysis_gives() -> None:
    data = SOURCE.encode()
    cache = DeclCache()
    first = _analyze(data, cache)
    assert "finalizer-resource" in _rules(first)
    assert not {"context-key-type", "lostcancel"} & _rules(first)
    for old, new, present, absent in STEPS:
        assert data.count(old) == 1, old
        data = data.replace(old, new)
        cached, fresh = _analyze(data, cache), _analyze(data)
        assert present <= _rules(fresh) and not absent & _rules(fresh), (new, _rules(fresh))
        assert cached == fresh, new
        # Typing a character and deleting it again must give the same answers too.
        middle = data.index(b"return len(values) + 7")
        typed = data[:middle] + b"x" + data[middle:]
        assert _analyze(typed, cache) == _analyze(typed)
        assert _analyze(data, cache) == fresh


def test_an_edit_inside_one_function_rechecks_only_what_depends_on_it() -> None:
    data = SOURCE.encode()
    cache = DeclCache()
    _analyze(data, cache)
    misses = cache.misses
    edited = data.replace(b"return len(values) + 7", b"return len(values) + 8")
    assert _analyze(edited, cache) == _analyze(edited)
    assert cache.misses - misses == 1  # helper7 alone: nothing else read it
    misses = cache.misses
    _analyze(edited.replace(b"log.Fatal(message)", b"log.Print(message)"), cache)
    # fatal itself, work (its paths ran through fatal) and track (it read the package facts,
    # which fatal's change altered); none of the 40 helpers.
    assert cache.misses - misses == 3


def test_deferred_fixes_are_the_fixes_a_fresh_analysis_computes() -> None:
    data = SOURCE.replace('json:"requestID"', 'json:"reqID"').encode()
    cached = [f for f in _analyze(data, DeclCache()) if f.rule == "context-key-type"]
    fresh = [f for f in _analyze(data) if f.rule == "context-key-type"]
    assert cached and len(cached) == len(fresh)
    assert all(isinstance(finding.fixes, DeferredFixes) for finding in cached)
    assert [tuple(f.fixes) for f in cached] == [f.fixes for f in fresh]
    assert any(fix.preferred for f in fresh for fix in f.fixes)


def test_both_ways_of_answering_read_by_name_agree() -> None:
    """The CLI scans the whole file once; the server looks only at declarations holding the
    value's bytes, with per-declaration pieces kept between analyses."""
    data = (SOURCE.replace("return id\n", 'return id + "x:tenant" + `{requestID}` + "plain"\n')).encode()
    src = SourceFile.parse("p.go", data)
    values = ["requestID", "tenant", "x", "plain", "reqID", "json", "ID", "nothing"]
    cli = FileContext(src, go_version=(1, 24))
    server = FileContext(src, go_version=(1, 24), defer_fixes=True,
                         summaries=lambda name, decl, compute: compute(decl))
    answers = {value: context_key_type._is_delimited(cli, value) for value in values}
    assert answers == {value: context_key_type._is_delimited(server, value) for value in values}
    assert answers["requestID"] and answers["tenant"] and not answers["plain"] and not answers["nothing"]


def test_declarations_containing_finds_every_declaration_holding_the_bytes() -> None:
    src = SourceFile.parse("p.go", SOURCE.encode())
    ctx = FileContext(src, go_version=None)
    for needle in (b"requestID", b"return", b"Close", b"package", b"absent"):
        expected = [decl for decl in src.root.named_children if needle in (decl.text or b"")]
        assert [(d.start_byte, d.end_byte) for d in ctx.declarations_containing(needle)] == \
            [(d.start_byte, d.end_byte) for d in expected]


def test_fixes_finished_on_use_equal_the_fixes_of_a_finished_analysis() -> None:
    """The server's analyses leave fixes as the rules made them and finish one finding's on a
    code action (Analysis.fixes_of): deferred ones computed, unsafe ones dropped, comment
    columns padded. That must give exactly the fixes a finished analysis carries: on the
    testdata (aligned comments, deferred context-key-type fixes), a file with syntax errors
    and one with a lone carriage return (no fixes at all there)."""
    root = Path(__file__).resolve().parents[2] / "testdata"
    testdata = [path.read_bytes() for path in sorted(root.rglob("*.go"))]
    sources = [*testdata, *(data + b"// a lone carriage return\r in a comment\n" for data in testdata)]
    sources.append(SOURCE.replace('json:"requestID"', 'json:"reqID"').encode())
    sources.append(b'package p\n\nimport "context"\n\nfunc warm(parent context.Context) {\n'
                   b'\tctx, _ := context.WithCancel(parent) // leaks\n\t_ = ctx // used\n\tx := (\n}\n'
                   b'\nfunc cold(parent context.Context) {\n\tctx, _ := context.WithCancel(parent)\n\t_ = ctx\n}\n')
    checked = dropped = 0
    for data in sources:
        src = SourceFile.parse("p.go", data)
        finished = analyze(src, EVERYTHING, rules=ALL_RULES, go_version=(1, 24))
        on_use = analyze(src, EVERYTHING, rules=ALL_RULES, cache=DeclCache(), go_version=(1, 24),
                         fixes_on_use=True)
        assert [(f.rule, f.start, f.message) for f in on_use.findings] == \
            [(f.rule, f.start, f.message) for f in finished.findings]
        for lazy, final in zip(on_use.findings, finished.findings):
            assert tuple(on_use.fixes_of(lazy)) == tuple(final.fixes)
            assert on_use.fixes_of(lazy) is on_use.fixes_of(lazy)  # finished once per analysis
            checked += bool(final.fixes)
            dropped += bool(lazy.fixes) and not final.fixes
    assert checked > 100 and dropped > 100


def test_analyze_needs_the_rules_from_its_caller() -> None:
    """The engine sits below the rules: it never falls back to importing the registry."""
    import pytest

    src = SourceFile.parse("p.go", SOURCE.encode())
    with pytest.raises(TypeError):
        analyze(src, EVERYTHING)  # type: ignore[call-arg]
    assert analyze(src, EVERYTHING, rules=[], go_version=(1, 24)).findings == ()
