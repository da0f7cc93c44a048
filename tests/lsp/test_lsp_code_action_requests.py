"""Code actions in-process: answered from the results of the current text only, and fix-all
left to ``codeAction/resolve`` on the lightbulb's request (no ``only``) when the client can
resolve edits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lsprotocol import types as T

from ctx_lsp.lsp import code_actions, scheduling, text_sync
from ctx_lsp.lsp.capabilities import ClientFeatures
from ctx_lsp.lsp.document import DocumentSnapshot, TreeCheck, check_tree
from ctx_lsp.lsp.open_document import OpenDocument
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


def _provisional(server: CtxLanguageServer, tmp_path: Path) -> OpenDocument:
    """LEAKY opened, then a syntax error typed in warm: a provisional tree, not yet checked."""
    uri = _open(server, tmp_path)
    _change(server, uri, 2, 21, 1, (21, 1), "(")
    open_document = server.documents[uri]
    assert open_document.document.provisional and server.scheduler.state(uri).checking is None
    return open_document


def _counting_checks(monkeypatch: pytest.MonkeyPatch, same: bool | None = None) -> list[DocumentSnapshot]:
    """Record every check_tree call of the scheduler; ``same`` forces its verdict (False: the
    fresh tree differs, as where tree-sitter's incremental recovery settles elsewhere)."""
    checked: list[DocumentSnapshot] = []

    def check(snapshot: DocumentSnapshot, cancelled: Callable[[], bool] = lambda: False) -> TreeCheck | None:
        checked.append(snapshot)
        found = check_tree(snapshot, cancelled)
        return found if same is None or found is None else TreeCheck(snapshot, found.fresh, same)

    monkeypatch.setattr(scheduling, "check_tree", check)
    return checked


async def test_a_request_checks_a_provisional_tree_itself(server: CtxLanguageServer, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """No check running: the request compares on the event loop (no thread hand-over), once,
    and its results are of the checked tree."""
    open_document = _provisional(server, tmp_path)
    checked = _counting_checks(monkeypatch)
    monkeypatch.setattr(server.scheduler._checker, "submit", None)  # the thread is not used
    results = await server.scheduler.results_of(open_document, exact=True)
    assert results is not None and len(checked) == 1 and checked[0] is results.snapshot
    assert open_document.document.is_exact(results.snapshot)


async def test_a_request_whose_check_finds_another_tree_gets_the_fresh_trees_results(
        server: CtxLanguageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_document = _provisional(server, tmp_path)
    provisional = await server.scheduler.results_of(open_document)
    assert provisional is not None and provisional.snapshot.provisional
    checked = _counting_checks(monkeypatch, same=False)
    results = await server.scheduler.results_of(open_document, exact=True)
    assert results is not None and results is not provisional and len(checked) == 1
    assert results.snapshot.tree is open_document.document.tree is not provisional.snapshot.tree
    assert not results.snapshot.provisional and open_document.document.is_exact(results.snapshot)


async def test_a_request_joins_the_check_running_on_the_tree_check_thread(
        server: CtxLanguageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_document = _provisional(server, tmp_path)
    results = await server.scheduler.results_of(open_document)
    assert results is not None
    checked = _counting_checks(monkeypatch)
    running = server.scheduler.tree_check(open_document, results.snapshot)  # as after a pause
    exact = await server.scheduler.results_of(open_document, exact=True)
    assert running.done() and exact is results and len(checked) == 1
    assert open_document.document.is_exact(results.snapshot)


async def test_a_long_comparison_runs_on_the_tree_check_thread(server: CtxLanguageServer, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Declarations with errors larger than INLINE_CHECK_MAX_NODES: compared on the thread,
    where an edit can cancel the comparison, not on the event loop."""
    open_document = _provisional(server, tmp_path)
    monkeypatch.setattr(scheduling, "INLINE_CHECK_MAX_NODES", 0)
    checked = _counting_checks(monkeypatch)
    started: list[DocumentSnapshot] = []
    tree_check = server.scheduler.tree_check

    def recording(document: OpenDocument, snapshot: DocumentSnapshot) -> object:
        started.append(snapshot)
        return tree_check(document, snapshot)

    monkeypatch.setattr(server.scheduler, "tree_check", recording)
    results = await server.scheduler.results_of(open_document, exact=True)
    assert results is not None and started == checked == [results.snapshot]
    assert open_document.document.is_exact(results.snapshot)
