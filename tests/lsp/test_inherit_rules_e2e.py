"""The context-propagation rules of issue 19 end to end over stdio, in the VS Code (utf-16,
pushed diagnostics) and Neovim 0.11 (utf-8, pulled diagnostics) profiles: diagnostics with
their codes and severities, and quick fixes applied the way an editor applies them.

The sample puts non-ASCII text before the flagged expressions on their lines, so a range
computed in the wrong encoding would not match.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.e2e_support import PROFILES, SERVER_COMMAND, EditorDocument, initialize

SAMPLE = """\
package sample

import (
\t"context"
\t"net/http"

\t"golang.org/x/sync/errgroup"
)

func fetch(ctx context.Context, id int) error { return nil }

func handler(w http.ResponseWriter, r *http.Request) {
\tnote := "é"; _ = fetch(context.Background(), 1)
\t_ = note
}

func startup() {
\tctx, cancel := context.WithCancel(nil)
\tdefer cancel()
\t_ = ctx
}

func phases(ctx context.Context) error {
\tg, gctx := errgroup.WithContext(ctx)
\tg.Go(func() error { return fetch(gctx, 2) })
\tif err := g.Wait(); err != nil {
\t\treturn err
\t}
\tmark := "😋"; _ = mark
\treturn fetch(gctx, 3)
}
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND), params=PROFILES)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, tmp_path: Path) -> EditorDocument:
    (tmp_path / "go.mod").write_text("module example.com/sample\n\ngo 1.22\n")
    await initialize(client, client.profile, init_options={"debounceMs": 0},  # type: ignore[attr-defined]
                     root=tmp_path)
    document = EditorDocument(client, (tmp_path / "sample.go").as_uri(), SAMPLE)
    document.open()
    return document


def _by_code(diagnostics: list[T.Diagnostic], code: str) -> T.Diagnostic:
    (found,) = [d for d in diagnostics if d.code == code]
    return found


async def _quick_fixes(document: EditorDocument, diagnostic: T.Diagnostic) -> list[T.CodeAction]:
    actions = await document.code_actions(diagnostic.range, [diagnostic])
    return [a for a in actions if a.kind == T.CodeActionKind.QuickFix and a.edit is not None]


async def test_the_three_rules_report_with_their_severities_and_ranges(client: LanguageClient,
                                                                        tmp_path: Path) -> None:
    document = await _open(client, tmp_path)
    diagnostics = await document.diagnostics()
    codes = sorted(str(d.code) for d in diagnostics)
    assert codes == ["context-not-inherited", "errgroup-context-after-wait", "nil-context"]
    not_inherited = _by_code(diagnostics, "context-not-inherited")
    assert not_inherited.range == document.range_of('_ = fetch(context.Background(), 1)', "context.Background()")
    assert not_inherited.severity == T.DiagnosticSeverity.Information
    nil = _by_code(diagnostics, "nil-context")
    assert nil.range == document.range_of("context.WithCancel(nil)", "nil")
    assert nil.severity == T.DiagnosticSeverity.Warning
    after_wait = _by_code(diagnostics, "errgroup-context-after-wait")
    assert after_wait.range == document.range_of("return fetch(gctx, 3)", "gctx")
    assert after_wait.severity == T.DiagnosticSeverity.Warning
    assert "g.Wait() on line 26" in after_wait.message


async def test_quick_fixes_apply_and_clear_the_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    document = await _open(client, tmp_path)
    diagnostics = await document.diagnostics()

    fixes = await _quick_fixes(document, _by_code(diagnostics, "nil-context"))
    preferred = [a for a in fixes if a.is_preferred]
    assert [a.title for a in preferred] == ["Replace nil with context.TODO()"]
    version = document.apply_workspace_edit(preferred[0].edit)  # type: ignore[arg-type]
    assert "context.WithCancel(context.TODO())" in document.text
    diagnostics = await document.diagnostics(version)
    assert "nil-context" not in {d.code for d in diagnostics}

    fixes = await _quick_fixes(document, _by_code(diagnostics, "context-not-inherited"))
    titles = [a.title for a in fixes if a.title.startswith("Pass")]
    assert titles == ["Pass r.Context()", "Pass context.WithoutCancel(r.Context()) (keeps values, drops cancellation)"]
    version = document.apply_workspace_edit(fixes[0].edit)  # type: ignore[arg-type]
    assert '_ = fetch(r.Context(), 1)' in document.text
    diagnostics = await document.diagnostics(version)

    fixes = await _quick_fixes(document, _by_code(diagnostics, "errgroup-context-after-wait"))
    preferred = [a for a in fixes if a.is_preferred]
    assert [a.title for a in preferred] == ["Use the parent context ctx"]
    version = document.apply_workspace_edit(preferred[0].edit)  # type: ignore[arg-type]
    assert "return fetch(ctx, 3)" in document.text
    assert await document.diagnostics(version) == []


PACKAGE_WIDE = """\
package sample

import "context"

type traceKey string

const traceIDKey traceKey = "trace-id"

type poller struct {
\tcancel context.CancelFunc
}

func start(ctx context.Context) (*poller, context.Context) {
\tctx, cancel := context.WithCancel(ctx)
\tp := &poller{}
\tp.cancel = cancel
\treturn p, context.WithValue(ctx, traceIDKey, "t-1")
}

func traceID(ctx context.Context) string {
\tsmile := "😋"; id, _ := ctx.Value("trace-id").(string)
\t_ = smile
\treturn id
}
"""


async def test_package_wide_rules_report_and_fix(client: LanguageClient, tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/sample\n\ngo 1.22\n")
    await initialize(client, client.profile, init_options={"debounceMs": 0}, root=tmp_path)  # type: ignore[attr-defined]
    document = EditorDocument(client, (tmp_path / "wide.go").as_uri(), PACKAGE_WIDE)
    document.open()
    diagnostics = await document.diagnostics()
    assert sorted(str(d.code) for d in diagnostics) == ["cancel-never-called", "context-value-key-mismatch"]
    never_called = _by_code(diagnostics, "cancel-never-called")
    assert never_called.range == document.range_of("\tcancel context.CancelFunc", "cancel")
    assert never_called.severity == T.DiagnosticSeverity.Information
    mismatch = _by_code(diagnostics, "context-value-key-mismatch")
    assert mismatch.range == document.range_of('ctx.Value("trace-id")', '"trace-id"')

    fixes = [a for a in await _quick_fixes(document, mismatch) if a.is_preferred]
    assert [a.title for a in fixes] == ["Use the stored key traceIDKey"]
    document.apply_workspace_edit(fixes[0].edit)  # type: ignore[arg-type]
    assert "ctx.Value(traceIDKey)" in document.text
    # Calling the stored function clears the other finding.
    version = document.edit("\t_ = smile\n", "\t_ = smile\n\t(&poller{}).cancel()\n")
    assert await document.diagnostics(version) == []
