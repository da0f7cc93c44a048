"""End-to-end over stdio: the leak rules (goroutine-blocked-send, timer-leak,
afterfunc-not-stopped) publish diagnostics with the go.mod's timer semantics, their quick
fixes apply cleanly, and suppression comments silence them."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.e2e_support import PROFILES, SERVER_COMMAND, EditorDocument, initialize

LEAKS = """\
package sample

import (
\t"context"
\t"time"
)

func fetch(ctx context.Context) (int, error) {
\tch := make(chan int)
\tgo func() {
\t\tch <- 42
\t}()
\tselect {
\tcase v := <-ch:
\t\treturn v, nil
\tcase <-ctx.Done():
\t\treturn 0, ctx.Err()
\t}
}

func poll(ctx context.Context) error {
\tticker := time.NewTicker(time.Second)
\tfor {
\t\tselect {
\t\tcase <-ctx.Done():
\t\t\treturn ctx.Err()
\t\tcase <-ticker.C:
\t\t}
\t}
}

func register(ctx context.Context, jobs []func()) {
\tfor _, job := range jobs {
\t\tcontext.AfterFunc(ctx, job)
\t}
}
"""
SETTINGS = {"debounceMs": 0, "minSeverity": "hint"}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND), params=PROFILES)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, tmp_path: Path, go_line: str, text: str = LEAKS) -> EditorDocument:
    (tmp_path / "go.mod").write_text(f"module example.com/sample\n\n{go_line}\n")
    await initialize(client, client.profile, init_options=SETTINGS, root=tmp_path)  # type: ignore[attr-defined]
    document = EditorDocument(client, (tmp_path / "sample.go").as_uri(), text)
    document.open()
    return document


def _by_rule(diagnostics: list[T.Diagnostic]) -> dict[str, list[T.Diagnostic]]:
    found: dict[str, list[T.Diagnostic]] = {}
    for diagnostic in diagnostics:
        found.setdefault(str(diagnostic.code), []).append(diagnostic)
    return found


async def test_each_rule_publishes_with_its_range_and_severity(client: LanguageClient, tmp_path: Path) -> None:
    document = await _open(client, tmp_path, "go 1.22")
    found = _by_rule(await document.diagnostics())
    assert sorted(found) == ["afterfunc-not-stopped", "goroutine-blocked-send", "timer-leak"]
    (send,) = found["goroutine-blocked-send"]
    assert send.range == document.range_of("ch <- 42")
    assert send.severity == T.DiagnosticSeverity.Warning
    assert [info.location.range for info in send.related_information or []] == [
        document.range_of("return 0, ctx.Err()"), document.range_of("make(chan int)")]
    (ticker,) = found["timer-leak"]
    assert ticker.range == document.range_of("time.NewTicker(time.Second)")
    assert "before Go 1.23 (go 1.22)" in ticker.message
    (afterfunc,) = found["afterfunc-not-stopped"]
    assert afterfunc.range == document.range_of("context.AfterFunc(ctx, job)")
    assert afterfunc.severity == T.DiagnosticSeverity.Hint


async def test_go_1_23_semantics_drop_the_ticker_finding(client: LanguageClient, tmp_path: Path) -> None:
    document = await _open(client, tmp_path, "go 1.23")
    found = _by_rule(await document.diagnostics())
    assert "timer-leak" not in found
    assert "goroutine-blocked-send" in found


@pytest.mark.parametrize(("rule", "expected"), [
    ("goroutine-blocked-send", "ch := make(chan int, 1)"),
    ("timer-leak", "ticker := time.NewTicker(time.Second)\n\tdefer ticker.Stop()\n"),
])
async def test_quick_fix_applies_and_clears_the_finding(client: LanguageClient, tmp_path: Path, rule: str,
                                                        expected: str) -> None:
    document = await _open(client, tmp_path, "go 1.22")
    diagnostic = _by_rule(await document.diagnostics())[rule][0]
    actions = await document.code_actions(diagnostic.range, [diagnostic])
    fixes = [a for a in actions if a.kind == T.CodeActionKind.QuickFix and a.is_preferred]
    assert len(fixes) == 1
    version = document.apply_workspace_edit(fixes[0].edit)  # type: ignore[arg-type]
    assert expected in document.text
    assert rule not in _by_rule(await document.diagnostics(version))


async def test_suppression_comment_silences_a_leak_rule(client: LanguageClient, tmp_path: Path) -> None:
    text = LEAKS.replace("\t\tch <- 42\n", "\t\tch <- 42 //ctxlsp:ignore goroutine-blocked-send\n")
    document = await _open(client, tmp_path, "go 1.22", text)
    found = _by_rule(await document.diagnostics())
    assert "goroutine-blocked-send" not in found
    assert "timer-leak" in found
