"""End-to-end over stdio: the server uses the module-wide syntax index (engine/module_index.py).

A type in package ``engine`` implements an interface declared in package ``store`` of the same
module, so context-in-struct leaves its context field alone; when ``store.go`` is saved with a
context parameter (the editor sends didChangeWatchedFiles), the next analysis of the open
``engine.go`` sees the new interface and reports the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.e2e_support import PROFILES, SERVER_COMMAND, EditorDocument, initialize

MODULE = Path(__file__).resolve().parents[2] / "testdata" / "context-in-struct" / "module"
SETTINGS = {"debounceMs": 0, "minSeverity": "hint"}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND), params=PROFILES)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


def _fields(diagnostics: list[T.Diagnostic], document: EditorDocument) -> list[str]:
    """The struct names whose context field context-in-struct reports."""
    text = document.text
    found = []
    for diagnostic in diagnostics:
        if diagnostic.code == "context-in-struct":
            before = text[:document.offset(diagnostic.range.start)]
            found.append(before[before.rindex("type ") + 5:].split()[0])
    return sorted(found)


async def test_other_packages_of_the_module_come_from_the_index(client: LanguageClient, tmp_path: Path) -> None:
    root = tmp_path / "module"
    shutil.copytree(MODULE, root)
    await initialize(client, client.profile, init_options=SETTINGS, root=root)  # type: ignore[attr-defined]
    engine = root / "engine" / "engine.go"
    document = EditorDocument(client, engine.as_uri(), engine.read_text())
    document.open()
    assert _fields(await document.diagnostics(), document) == ["poller"]

    store = root / "store" / "store.go"
    store.write_text(store.read_text().replace("Get(key string)", "Get(ctx context.Context, key string)")
                     .replace("package store\n", 'package store\n\nimport "context"\n'))
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(
        changes=[T.FileEvent(uri=store.as_uri(), type=T.FileChangeType.Changed)]))
    document.edit("// A method name shared", "// A method name, shared")
    assert _fields(await document.diagnostics(), document) == ["poller", "remoteTable"]
