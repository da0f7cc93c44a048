"""Package facts of open documents: computed off the event loop, propagated only when they change.

Issue 21 item 5: during a 300-document edit storm 91% of the event loop's time went into
computing package facts (``_propagate_package_change -> PackageLoader.sibling_facts``), for
every analysis, on the event loop. These tests drive the scheduler in-process (a pull client,
so nothing is pushed) over a directory with several open files of one package.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from lsprotocol import types as T

from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.lsp import text_sync
from ctx_lsp.lsp.capabilities import ClientFeatures
from ctx_lsp.lsp.server import CtxLanguageServer, create_server

FILES = 6
# Finalizer checks read package facts: the finalizer is a method declared in the next file.
SOURCE = ('package p\n\nimport "runtime"\n\ntype T{index} struct{{ fd int }}\n\n'
          'func New{index}() *T{index} {{\n\tt := &T{index}{{}}\n\truntime.SetFinalizer(t, (*T{next}).release)\n'
          '\treturn t\n}}\n\nfunc (t *T{index}) release() {{}}\n')


def _open_package(server: CtxLanguageServer, root: Path) -> list[str]:
    return [_open_file(server, root / f"f{index}.go", SOURCE.format(index=index, next=(index + 1) % FILES))
            for index in range(FILES)]


def _open_file(server: CtxLanguageServer, path: Path, text: str) -> str:
    """Write ``text`` to ``path`` and open it in ``server``; returns its uri."""
    path.write_text(text)
    text_sync.on_did_open(server, T.DidOpenTextDocumentParams(text_document=T.TextDocumentItem(
        uri=path.as_uri(), language_id="go", version=1, text=text)))
    return path.as_uri()


def _insert(server: CtxLanguageServer, uri: str, version: int, text: str) -> None:
    at = T.Position(line=1, character=0)
    text_sync.on_did_change(server, T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[T.TextDocumentContentChangePartial(range=T.Range(start=at, end=at), text=text)]))


@pytest.fixture
def server() -> CtxLanguageServer:
    created = create_server()
    created.features = ClientFeatures(pull_diagnostics=True)
    return created


async def _analyse_all(server: CtxLanguageServer, uris: list[str]) -> None:
    for uri in uris:
        assert await server.scheduler.results_of(server.documents[uri]) is not None


async def test_package_facts_are_never_computed_on_the_event_loop(server: CtxLanguageServer, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    original = PackageLoader.sibling_facts

    def recording(self: PackageLoader, *args: object) -> object:
        threads.append(threading.current_thread().name)
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(PackageLoader, "sibling_facts", recording)
    uris = _open_package(server, tmp_path)
    await _analyse_all(server, uris)
    _insert(server, uris[0], 2, "func added() {}\n")  # changes the package's facts
    await _analyse_all(server, uris)
    assert threads, "no package facts were read at all: the test checks nothing"
    assert set(threads) == {"ctx-lsp-analysis"}, threads


async def test_siblings_are_reanalysed_only_when_a_files_own_facts_change(server: CtxLanguageServer,
                                                                         tmp_path: Path) -> None:
    uris = _open_package(server, tmp_path)
    await _analyse_all(server, uris)
    await _analyse_all(server, uris)  # every file has seen every sibling's facts once
    epochs = {uri: server.documents[uri].external_epoch for uri in uris[1:]}
    _insert(server, uris[0], 2, "// a comment changes no fact\n")
    await _analyse_all(server, uris)
    assert {uri: server.documents[uri].external_epoch for uri in uris[1:]} == epochs
    _insert(server, uris[0], 3, "func added() {}\n")
    await _analyse_all(server, uris[:1])
    assert all(server.documents[uri].external_epoch == epochs[uri] + 1 for uri in uris[1:])


async def test_a_closed_document_is_read_from_disk_again(server: CtxLanguageServer, tmp_path: Path) -> None:
    uris = _open_package(server, tmp_path)
    path = str(tmp_path / "f0.go")
    assert server.package_files.facts(path) is not None
    text_sync.on_did_close(server, T.DidCloseTextDocumentParams(text_document=T.TextDocumentIdentifier(uri=uris[0])))
    assert server.package_files.facts(path) is None  # the loader reads the file then
    assert len(server.package_files.siblings_of(server.documents[uris[1]])) == FILES - 2


async def test_a_sibling_opened_after_a_files_first_analysis_is_reanalysed_when_its_facts_change(
        server: CtxLanguageServer, tmp_path: Path) -> None:
    """f0 is analysed while alone in its directory; f1 opens later and reads f0's facts. When
    f0's facts then change, f1 must be analysed again (its external epoch moves)."""
    first = tmp_path / "f0.go"
    _open_file(server, first, SOURCE.format(index=0, next=1))
    await _analyse_all(server, [first.as_uri()])
    second = tmp_path / "f1.go"
    _open_file(server, second, SOURCE.format(index=1, next=0))
    await _analyse_all(server, [second.as_uri()])
    epoch = server.documents[second.as_uri()].external_epoch
    _insert(server, first.as_uri(), 2, "func added() {}\n")  # changes f0's package facts
    await _analyse_all(server, [first.as_uri()])
    assert server.documents[second.as_uri()].external_epoch == epoch + 1


async def test_opening_a_package_reanalyses_no_sibling(server: CtxLanguageServer, tmp_path: Path) -> None:
    """Each file's first facts key is only remembered: a bulk open is n analyses, not n^2."""
    uris = _open_package(server, tmp_path)
    await _analyse_all(server, uris)
    assert [server.documents[uri].external_epoch for uri in uris] == [0] * FILES


async def test_a_file_alone_in_its_directory_is_never_keyed(server: CtxLanguageServer, tmp_path: Path) -> None:
    """Keying a file's facts costs every function's full facts (a third of a 10,000-line
    didOpen): a file alone in its directory is not keyed; once a sibling is open, its next
    analysis is (and agrees with what the sibling read)."""
    first = tmp_path / "f0.go"
    _open_file(server, first, SOURCE.format(index=0, next=0))
    await _analyse_all(server, [first.as_uri()])
    _insert(server, first.as_uri(), 2, "func added() {}\n")
    await _analyse_all(server, [first.as_uri()])
    assert server.scheduler.state(first.as_uri()).own_facts_key is None
    second = tmp_path / "f1.go"
    _open_file(server, second, SOURCE.format(index=1, next=0))
    await _analyse_all(server, [second.as_uri()])
    assert server.package_files.read_key(str(first)) is not None  # f1 read f0's facts
    _insert(server, first.as_uri(), 3, "// a comment changes no fact\n")
    await _analyse_all(server, [first.as_uri()])
    assert server.scheduler.state(first.as_uri()).own_facts_key == server.package_files.read_key(str(first))


async def test_a_sibling_that_read_a_file_from_disk_is_reanalysed_when_the_open_file_changes(
        server: CtxLanguageServer, tmp_path: Path) -> None:
    """f1 is analysed before f0 opens (it reads f0 from disk, which the overlay cannot know);
    f0 then opens and its facts change in the buffer: f1 must be analysed again."""
    first, second = tmp_path / "f0.go", tmp_path / "f1.go"
    first.write_text(SOURCE.format(index=0, next=1))  # on disk before f1 is analysed
    for path, text in ((second, SOURCE.format(index=1, next=0)), (first, first.read_text())):
        await _analyse_all(server, [_open_file(server, path, text)])
    epoch = server.documents[second.as_uri()].external_epoch
    _insert(server, first.as_uri(), 2, "func added() {}\n")  # changes f0's package facts
    await _analyse_all(server, [first.as_uri()])
    assert server.documents[second.as_uri()].external_epoch == epoch + 1
