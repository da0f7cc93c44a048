"""Code actions in-process: answered from the results of the current text only, and fix-all
left to ``codeAction/resolve`` on the lightbulb's request (no ``only``) when the client can
resolve edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as T

from ctx_lsp.lsp import code_actions, text_sync
from ctx_lsp.lsp.capabilities import ClientFeatures
from ctx_lsp.lsp.server import CtxLanguageServer, create_server
from tests.lsp.test_lsp_e2e import LEAKY


@pytest.fixture
def server() -> CtxLanguageServer:
    created = create_server()
    # Pull: nothing is pushed, no timers; the requests below bring the analysis up to date.
    created.features = ClientFeatures(pull_diagnostics=True, code_action_literals=True,
                                      code_action_resolves_edits=True, document_changes=True)
    return created


def _open(server: CtxLanguageServer, tmp_path: Path, text: str = LEAKY) -> str:
    path = tmp_path / "sample.go"
    path.write_text(text)
    text_sync.on_did_open(server, T.DidOpenTextDocumentParams(text_document=T.TextDocumentItem(
        uri=path.as_uri(), language_id="go", version=1, text=text)))
    return path.as_uri()


def _change(server: CtxLanguageServer, uri: str, version: int, line: int, character: int, end: tuple[int, int],
            text: str) -> None:
    text_sync.on_did_change(server, T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[T.TextDocumentContentChangePartial(range=T.Range(
            start=T.Position(line=line, character=character), end=T.Position(line=end[0], character=end[1])),
            text=text)]))


async def _actions(server: CtxLanguageServer, uri: str, line: int, only: list[str] | None = None) -> list[T.CodeAction]:
    position = T.Position(line=line, character=8)
    found = await code_actions.on_code_action(server, T.CodeActionParams(
        text_document=T.TextDocumentIdentifier(uri=uri), range=T.Range(start=position, end=position),
        context=T.CodeActionContext(diagnostics=[], only=only)))
    assert found is not None
    return found


def _edited_text(action: T.CodeAction) -> list[str]:
    assert action.edit is not None and action.edit.document_changes
    return [edit.new_text for change in action.edit.document_changes for edit in change.edits]  # type: ignore[union-attr]


async def test_the_lightbulbs_fix_all_is_resolved_on_demand(server: CtxLanguageServer, tmp_path: Path) -> None:
    uri = _open(server, tmp_path)
    eager = [a for a in await _actions(server, uri, 0, only=["source.fixAll"])]
    assert len(eager) == 1 and eager[0].edit is not None
    lazy = [a for a in await _actions(server, uri, 0) if a.kind == eager[0].kind]
    assert len(lazy) == 1 and lazy[0].edit is None and lazy[0].data == {"uri": uri}
    resolved = await code_actions.on_code_action_resolve(server, lazy[0])
    assert resolved.edit == eager[0].edit


async def test_without_resolve_support_fix_all_carries_its_edit(server: CtxLanguageServer, tmp_path: Path) -> None:
    server.features = ClientFeatures(pull_diagnostics=True, code_action_literals=True)
    uri = _open(server, tmp_path)
    fix_all = [a for a in await _actions(server, uri, 0) if a.kind == "source.fixAll.ctxlsp"]
    assert len(fix_all) == 1 and fix_all[0].edit is not None


async def test_no_fix_all_is_offered_without_fixes(server: CtxLanguageServer, tmp_path: Path) -> None:
    uri = _open(server, tmp_path, "package sample\n\nfunc f() {}\n")
    assert await _actions(server, uri, 0) == []


async def test_a_code_action_after_an_edit_reflects_the_edit(server: CtxLanguageServer, tmp_path: Path) -> None:
    """Right after an edit into text with a syntax error (a provisional tree), the actions
    are those of the new text: once ``defer cancel()`` is typed under load's leak (line 9),
    its quick fix is gone, and the fix-all's edit is that of the new text's findings."""
    uri = _open(server, tmp_path)
    titles = [a.title for a in await _actions(server, uri, 9, only=[T.CodeActionKind.QuickFix])]
    assert "Add defer cancel() after the definition" in titles
    before = _edited_text((await _actions(server, uri, 0, only=["source.fixAll"]))[0])
    _change(server, uri, 2, 10, 0, (10, 0), "\tdefer cancel()\n")
    _change(server, uri, 3, 21, 1, (21, 1), "(")  # and a syntax error typed in warm
    document = server.documents[uri]
    assert document.document.provisional
    titles = [a.title for a in await _actions(server, uri, 9, only=[T.CodeActionKind.QuickFix])]
    assert "Add defer cancel() after the definition" not in titles
    eager = await _actions(server, uri, 0, only=["source.fixAll"])
    assert [_edited_text(a) for a in eager] != [before]
    results = document.results
    assert results is not None and results.version == 3 and document.document.is_exact(results.snapshot)
