"""Open documents nobody works in give their parse trees back (Scheduler.release_cold_trees)."""

from __future__ import annotations

from ctx_lsp.lsp.document import GoDocument
from ctx_lsp.lsp.open_document import OpenDocument
from ctx_lsp.lsp.server import create_server

SOURCE = "package p\n\nfunc f() {}\n"


def _server_with(count: int, limit: int):  # type: ignore[no-untyped-def]
    server = create_server()
    server.scheduler.parsed_documents = limit
    documents = []
    for index in range(count):
        uri = f"file:///d{index}.go"
        open_document = OpenDocument(GoDocument(uri, SOURCE, path=f"/d{index}.go", version=0))
        server.add_document(open_document)
        server.scheduler.touch(open_document)
        documents.append(open_document)
    return server, documents


def test_the_least_recently_used_documents_lose_their_trees_first() -> None:
    server, documents = _server_with(5, limit=2)
    server.scheduler.touch(documents[1])  # used again: now the most recent
    server.scheduler.release_cold_trees()
    assert [d.document.has_tree for d in documents] == [False, True, False, False, True]
    assert all(d.results is None for d in documents if not d.document.has_tree)


def test_the_document_just_analysed_and_busy_documents_keep_theirs() -> None:
    server, documents = _server_with(4, limit=1)
    # A publish is pending (a timer is all it takes: its handle is never called here).
    server.scheduler.state(documents[0].document.uri).timer = object()  # type: ignore[assignment]
    server.scheduler.release_cold_trees(just_analysed=documents[1])
    assert [d.document.has_tree for d in documents] == [True, True, False, False]


def test_nothing_is_released_under_the_limit() -> None:
    server, documents = _server_with(3, limit=8)
    server.scheduler.release_cold_trees()
    assert all(d.document.has_tree for d in documents)


def test_a_released_document_holds_no_reference_to_its_tree() -> None:
    import gc
    import sys

    from ctx_lsp.engine.package import PackageLoader
    from ctx_lsp.lsp.capabilities import ClientFeatures
    from ctx_lsp.lsp.open_document import analyse_snapshot
    from ctx_lsp.lsp.settings_store import SERVER_DEFAULTS
    from ctx_lsp.rules import RULES_BY_ID

    # A context-key-type finding: its fixes are deferred and hold the analysis context.
    text = ('package p\n\nimport "context"\n\nfunc tag(ctx context.Context) context.Context {\n'
            '\treturn context.WithValue(ctx, "user", 1)\n}\n')
    open_document = OpenDocument(GoDocument("file:///k.go", text, path="/k.go", version=0))
    results = analyse_snapshot(open_document.document.snapshot(), open_document.key, open_document.cache,
                               SERVER_DEFAULTS, PackageLoader(), RULES_BY_ID, ClientFeatures(),
                               memo=open_document.diagnostics_memo)
    assert open_document.keep(results)
    assert any(finding.deferred_fixes for finding in results.analysis.findings)
    tree = open_document.document.tree
    del results
    open_document.release_tree()
    gc.collect()
    assert sys.getrefcount(tree) == 2  # this function's variable and getrefcount's argument


def test_under_the_limit_no_document_is_looked_at(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """release_cold_trees runs after every analysis: once the cold trees are gone, a call
    must not walk (or sort) every open document."""
    server, documents = _server_with(100, limit=8)
    server.scheduler.release_cold_trees()
    assert sum(d.document.has_tree for d in documents) == 8
    looked_at = []
    original = GoDocument.has_tree
    monkeypatch.setattr(GoDocument, "has_tree", property(lambda self: looked_at.append(self) or original.fget(self)))
    server.scheduler.touch(documents[-1])
    server.scheduler.release_cold_trees(just_analysed=documents[-1])
    assert len(looked_at) <= 1, f"{len(looked_at)} documents looked at with nothing to release"


def test_a_document_analysed_for_a_sibling_is_the_first_to_lose_its_tree() -> None:
    server, documents = _server_with(3, limit=2)
    server.scheduler.release_cold_trees()
    assert [d.document.has_tree for d in documents] == [False, True, True]
    documents[0].document.tree  # parsed again, as an analysis's snapshot does  # noqa: B018
    server.scheduler._parsed_for_analysis(documents[0])
    server.scheduler.touch(documents[1])
    server.scheduler.release_cold_trees()
    assert [d.document.has_tree for d in documents] == [False, True, True]
