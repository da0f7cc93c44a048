"""The positions issue 15 found without a hover, on the realistic modules in tests/hover/data,
and the same topics in ``ctx-lsp explain``."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctx_lsp.engine import gomod
from ctx_lsp.engine.analyze import analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.hover import explain_topic
from ctx_lsp.hover.false_claims import find_false_claims
from ctx_lsp.hover.site import HoverResult, hover_at
from ctx_lsp.rules import ALL_RULES

DATA = Path(__file__).resolve().parent / "data"


def hover(file: str, needle: str, part: str, occurrence: int = 1) -> tuple[HoverResult, str]:
    path = DATA / file
    data = path.read_bytes()
    offset = -1
    for _ in range(occurrence):
        offset = data.index(needle.encode(), offset + 1)
    offset += needle.index(part)
    src = SourceFile.parse(str(path), data)
    analysis = analyze(src, Settings(min_severity=Severity.HINT), rules=ALL_RULES, go_version=gomod.go_version_for(str(path)))
    assert analysis.context is not None
    result = hover_at(analysis.context, offset, analysis.findings, True)
    assert result is not None, f"no hover on {part!r} of {needle!r}"
    assert data[result.start : result.end].decode().endswith(part), "the hover answers for the hovered token"
    assert not find_false_claims(result.text)
    return result, result.text


# (file, needle, hovered part, texts the hover must contain)
POSITIONS = [
    ("go122/handlers.go", "ctx, cancel := context.WithTimeout(r.Context()", "ctx",
     ["`ctx` comes from `context.WithTimeout` on line 27", "deadline", "`cancel()`"]),
    ("go122/handlers.go", "ctx.Err() ==", "Err", ["`context.Context.Err`", "DeadlineExceeded"]),
    ("go122/workers.go", "<-ctx.Done()", "Done", ["`context.Context.Done`", "`context.WithCancel` on line 35"]),
    ("go122/handlers.go", "r.Context(), 2", "Context",
     ["client's connection closes", "`(*http.Request).Context`"]),
    ("go122/handlers.go", "http.NewRequestWithContext", "NewRequestWithContext",
     ["controls the entire request and its response"]),
    ("go125/pipeline.go", "errgroup.WithContext", "WithContext", ["first time `Wait` returns"]),
    ("go125/pipeline.go", "http.NewRequestWithContext(ctx", "ctx", ["`errgroup.WithContext` on line 13"]),
    ("go122/timers.go", "time.NewTimer", "NewTimer", ["go 1.22 (go.mod)", "not collected until it fires"]),
    ("go122/timers.go", "time.NewTicker", "NewTicker", ["never collected"]),
    ("go122/timers.go", "time.After(", "After", ["not collected until it fires", "Inside a loop"]),
    ("go122/timers.go", "time.Tick(", "Tick", ["leaks one ticker"]),
    ("go122/timers.go", "time.AfterFunc", "AfterFunc", ["can never be stopped", "in the runtime's timer heap"]),
    ("go122/timers.go", "timer.Stop", "Stop", ["`(*time.Timer).Stop`", "if !t.Stop() { <-t.C }"]),
    ("go122/timers.go", "timer.Reset", "Reset", ["drained channel"]),
    ("go125/pipeline.go", "t.Reset", "Reset", ["go 1.25 (go.mod)", "no stale value"]),
    ("go125/cleanups.go", "c.Stop", "Stop", ["unless it has already been queued"]),
    ("go125/pipeline.go", "defer stop()", "stop", ["the stop function of `context.AfterFunc`", "does not wait"]),
    ("go122/signals.go", "signal.Stop", "Stop", ["receives no more signals"]),
    ("go122/workers.go", "runtime.Goexit", "Goexit", ["deferred calls", "not a panic"]),
    ("go122/workers.go", "sync.Pool{", "Pool", ["victim cache", "removed at any time"]),
]


@pytest.mark.parametrize(("file", "needle", "part", "texts"), POSITIONS,
                         ids=[f"{p[0]}:{p[2]}@{p[1][:24]}" for p in POSITIONS])
def test_missing_position_has_a_site_specific_hover(file: str, needle: str, part: str, texts: list[str]) -> None:
    _result, text = hover(file, needle, part)
    for expected in texts:
        assert expected in text, f"{expected!r} not in:\n{text}"


def test_timer_texts_differ_between_go_122_and_go_125() -> None:
    _, old = hover("go122/timers.go", "time.NewTimer", "NewTimer")
    _, new = hover("go125/pipeline.go", "time.NewTimer", "NewTimer")
    assert "pre-1.23 rules apply" in old and "pre-1.23" not in new
    assert "collected once nothing references it" in new


def test_without_cancel_context_variable_says_it_can_never_be_canceled() -> None:
    _, text = hover("go122/handlers.go", "go h.audit(bg", "bg")
    assert "`bg` can never be canceled" in text


@pytest.mark.parametrize(("topic", "expected"), [
    ("ctx.Done", "closed when work done on behalf of this context"),
    ("Context.Err", "DeadlineExceeded"),
    ("r.Context", "ServeHTTP"),
    ("http.NewRequestWithContext", "entire request"),
    ("errgroup.WithContext", "first time `Wait` returns"),
    ("time.NewTimer", "Creates a `Timer`"),
    ("time.NewTicker", "panics if `d <= 0`"),
    ("time.After", "NewTimer(d).C"),
    ("time.Tick", "NewTicker(d).C"),
    ("time.AfterFunc", "own goroutine"),
    ("Timer.Stop", "never closes `C`"),
    ("Timer.Reset", "expire after `d`"),
    ("Cleanup.Stop", "already been queued"),
    ("context.AfterFunc", "stop"),
    ("signal.Stop", "no more signals"),
    ("runtime.Goexit", "deferred calls"),
    ("sync.Pool", "victim cache"),
])
def test_explain_knows_the_topic(topic: str, expected: str) -> None:
    text = explain_topic(topic, str(DATA / "go122"))
    assert text is not None, topic
    assert expected.replace("`", "") in text
    assert "go 1.22 (go.mod)" in text


def test_explain_without_go_mod_says_which_version_it_assumes(tmp_path: Path) -> None:
    text = explain_topic("time.NewTimer", str(tmp_path))
    assert text is not None and "Go 1.25 assumed (no go.mod)" in text


@pytest.mark.parametrize("setting", ["godebug asynctimerchan=1\n", None])
def test_timer_hovers_follow_asynctimerchan_not_only_the_go_line(tmp_path: Path, setting: str | None) -> None:
    """Found in review: a go 1.25 module with `godebug asynctimerchan=1` (or a `//go:debug`
    directive) keeps the pre-1.23 timers, but the hover spoke of Go 1.23 semantics."""
    go_mod = "module example.com/t\n\ngo 1.25\n" + (setting or "")
    directive = "" if setting else "//go:debug asynctimerchan=1\n\n"
    (tmp_path / "go.mod").write_text(go_mod)
    path = tmp_path / "poll.go"
    data = (directive + 'package t\n\nimport "time"\n\nfunc poll(in <-chan int) {\n\tfor {\n\t\tselect {\n'
            "\t\tcase <-in:\n\t\tcase <-time.After(time.Second):\n\t\t\treturn\n\t\t}\n\t}\n}\n").encode()
    path.write_bytes(data)
    src = SourceFile.parse(str(path), data)
    analysis = analyze(src, Settings(min_severity=Severity.HINT), rules=ALL_RULES, go_version=gomod.go_version_for(str(path)))
    assert analysis.context is not None
    result = hover_at(analysis.context, data.index(b"After"), analysis.findings, True)
    assert result is not None
    assert "pre-1.23 rules apply" in result.text and "asynctimerchan=1" in result.text
    assert "From Go 1.23" not in result.text
    assert not find_false_claims(result.text)
