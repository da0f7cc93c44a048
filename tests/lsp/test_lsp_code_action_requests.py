"""Code actions in-process: answered from the results of the current text only, and fix-all
left to ``codeAction/resolve`` on the lightbulb's request (no ``only``) when the client can
resolve edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as T

from ctx_lsp.engine.parse import parse
from ctx_lsp.lsp import code_actions, scheduling, text_sync
from ctx_lsp.lsp.capabilities import ClientFeatures
from ctx_lsp.lsp.document import TreeCheck
from ctx_lsp.lsp.open_document import Results
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


def _provisional(server: CtxLanguageServer, tmp_path: Path) -> str:
    """LEAKY opened and analysed, then a syntax error typed in warm: a provisional tree."""
    uri = _open(server, tmp_path)
    _change(server, uri, 2, 21, 1, (21, 1), "(")
    assert server.documents[uri].document.provisional
    return uri


async def test_an_answer_on_a_provisional_tree_is_thrown_away_when_the_check_finds_another_tree(
        server: CtxLanguageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scheduler.answer_of computes the answer on the provisional results while the tree
    check parses; when the check replaces the tree (forced here: tree-sitter's recovery can
    settle elsewhere, see test_lsp_tree_check.py), that answer must not be returned: the
    text is analysed again on the fresh tree and the answer computed on those results."""
    uri = _provisional(server, tmp_path)
    monkeypatch.setattr(scheduling, "check_tree",
                        lambda snapshot, cancelled=None: TreeCheck(snapshot, parse(snapshot.data), same=False))
    seen: list[Results] = []

    def answer(results: Results) -> Results:
        seen.append(results)
        return results

    open_document = server.documents[uri]
    answered = await server.scheduler.answer_of(open_document, answer)
    assert len(seen) == 2 and seen[0].snapshot.provisional  # computed on the provisional tree first
    assert answered is seen[1] is open_document.results and answered is not seen[0]
    assert not answered.snapshot.provisional and open_document.document.is_exact(answered.snapshot)


async def test_an_answer_on_a_provisional_tree_equal_to_a_fresh_parse_is_kept(
        server: CtxLanguageServer, tmp_path: Path) -> None:
    """The check finds the trees equal: the answer computed meanwhile is the exact one (no
    second analysis, no second computation), and the code actions equal those computed
    after the check."""
    uri = _provisional(server, tmp_path)
    open_document = server.documents[uri]
    seen: list[Results] = []

    def answer(results: Results) -> Results:
        seen.append(results)
        return results

    answered = await server.scheduler.answer_of(open_document, answer)
    assert seen == [answered] and open_document.document.is_exact(answered.snapshot)
    after_check = await _actions(server, uri, 9)  # on the same, now exact, results
    other = create_server()  # a fresh server on the same text
    other.features = server.features
    (tmp_path / "fresh").mkdir()
    reference_uri = _open(other, tmp_path / "fresh", open_document.document.data.decode())
    assert [a.title for a in after_check] == [a.title for a in await _actions(other, reference_uri, 9)]


async def test_an_answer_that_fails_on_the_provisional_tree_is_computed_again_on_the_exact_one(
        server: CtxLanguageServer, tmp_path: Path) -> None:
    uri = _provisional(server, tmp_path)
    calls: list[bool] = []

    def answer(results: Results) -> str:
        calls.append(results.snapshot.provisional)
        if len(calls) == 1:
            raise RuntimeError("only on the first call")
        return "exact"

    assert await server.scheduler.answer_of(server.documents[uri], answer) == "exact"
    assert len(calls) == 2
