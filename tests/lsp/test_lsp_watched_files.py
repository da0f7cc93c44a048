"""``workspace/didChangeWatchedFiles``: a saved .go file re-analyses only the open documents it
can concern (its directory, its module); go.mod and .ctx-lsp.toml changes re-analyse all."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as T

from ctx_lsp.engine import gomod
from ctx_lsp.lsp import configuration, text_sync
from ctx_lsp.lsp.capabilities import ClientFeatures
from ctx_lsp.lsp.server import CtxLanguageServer, create_server

SOURCE = "package {name}\n\nfunc F() {{}}\n"


@pytest.fixture
def server() -> CtxLanguageServer:
    gomod.clear_caches()
    created = create_server()
    created.features = ClientFeatures(pull_diagnostics=True)
    return created


def _open(server: CtxLanguageServer, path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SOURCE.format(name=path.parent.name))
    text_sync.on_did_open(server, T.DidOpenTextDocumentParams(text_document=T.TextDocumentItem(
        uri=path.as_uri(), language_id="go", version=1, text=path.read_text())))
    return path.as_uri()


def _changed(server: CtxLanguageServer, path: Path) -> None:
    configuration.on_did_change_watched_files(server, T.DidChangeWatchedFilesParams(
        changes=[T.FileEvent(uri=path.as_uri(), type=T.FileChangeType.Changed)]))


def _epochs(server: CtxLanguageServer) -> dict[str, int]:
    return {uri: document.external_epoch for uri, document in server.documents.items()}


def test_a_saved_go_file_refreshes_its_directory_and_module_only(server: CtxLanguageServer, tmp_path: Path) -> None:
    for module in ("one", "two"):
        (tmp_path / module).mkdir()
        (tmp_path / module / "go.mod").write_text(f"module example.com/{module}\n\ngo 1.22\n")
    same_directory = _open(server, tmp_path / "one" / "a" / "a.go")
    same_module = _open(server, tmp_path / "one" / "b" / "b.go")
    other_module = _open(server, tmp_path / "two" / "c" / "c.go")
    outside = _open(server, tmp_path / "loose" / "d.go")
    saved = tmp_path / "one" / "a" / "other.go"
    saved.write_text("package a\n\nfunc G() {}\n")
    before = _epochs(server)
    _changed(server, saved)
    after = _epochs(server)
    assert {uri for uri in after if after[uri] != before[uri]} == {same_directory, same_module}
    assert other_module in after and outside in after


def test_a_saved_file_outside_any_module_refreshes_its_directory(server: CtxLanguageServer, tmp_path: Path) -> None:
    here = _open(server, tmp_path / "loose" / "d.go")
    elsewhere = _open(server, tmp_path / "other" / "e.go")
    before = _epochs(server)
    _changed(server, tmp_path / "loose" / "new.go")
    after = _epochs(server)
    assert (after[here], after[elsewhere]) == (before[here] + 1, before[elsewhere])


def test_a_go_mod_change_refreshes_every_document(server: CtxLanguageServer, tmp_path: Path) -> None:
    uris = [_open(server, tmp_path / "one" / "a.go"), _open(server, tmp_path / "two" / "b.go")]
    before = _epochs(server)
    (tmp_path / "one" / "go.mod").write_text("module example.com/one\n\ngo 1.22\n")
    _changed(server, tmp_path / "one" / "go.mod")
    assert all(_epochs(server)[uri] == before[uri] + 1 for uri in uris)
