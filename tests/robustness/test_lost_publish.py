"""Every document whose text changed ends with diagnostics for its latest version.

Issue 21 item 5: with 100 files of the Go standard library open, inserting a line at the top
of each left 42 of them with the diagnostics of their first version for good (one line off),
because the parse trees of cold documents (``CTX_LSP_PARSED_DOCUMENTS``, 8 by default) were
released while their publish waited. This test opens 300 documents, 196 of them in one
package directory (``net``), and edits each once as fast as the client can send:

- push: the last ``publishDiagnostics`` of every document names its latest version, and its
  diagnostics are those of the first version one line down (the inserted line is a comment);
- pull: a ``textDocument/diagnostic`` request after every edit, as VS Code sends them; the
  last answer for every document carries the latest version in each diagnostic's ``data``
  and, again, the first version's diagnostics one line down.

The documents are files of the Go standard library when it is installed (read only, never
written), else generated files of the same shape. Waiting has no deadline as such: the test
fails when the server stops making progress (no answer or publish for ``STALL`` seconds).
``CTX_LSP_LOST_PUBLISH_DOCUMENTS=100`` runs the issue's 100-document case instead.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.robustness._rpc import RawClient, capabilities

pytestmark = pytest.mark.e2e

DOCUMENTS = int(os.environ.get("CTX_LSP_LOST_PUBLISH_DOCUMENTS", "300"))
STALL = 90.0
GO_ROOTS = sorted(Path("/usr/lib").glob("go-1.*/src"), reverse=True)
STDLIB_DIRECTORIES = ("context", "database/sql", "net/http", "net/http/httptest", "net/http/httputil",
                      "os/exec", "net/rpc", "net")
INSERTED = "// a line inserted by test_lost_publish\n"
LINE_IN_MESSAGE = re.compile(r"\bline (\d+)")


def _stdlib_files() -> list[Path]:
    if not GO_ROOTS:
        return []
    files: list[Path] = []
    for directory in STDLIB_DIRECTORIES:
        files.extend(sorted((GO_ROOTS[0] / directory).glob("*.go")))
    return files[:DOCUMENTS]


GENERATED_FILE = '''// Copyright 2026 The Example Authors.

package {package}

import (
\t"context"
\t"time"
)

type server{index} struct {{
\tctx context.Context
\tname string
}}

func (s *server{index}) run(ctx context.Context) error {{
\tctx, cancel := context.WithTimeout(ctx, time.Second)
\tif s.name == "" {{
\t\treturn ctx.Err()
\t}}
\tdefer cancel()
\treturn nil
}}

func loop{index}(ctx context.Context, items []string) {{
\tfor range items {{
\t\tchild, cancel := context.WithCancel(ctx)
\t\tdefer cancel()
\t\t_ = child
\t}}
}}
'''


def _generated_files(root: Path) -> list[Path]:
    files = []
    for index in range(DOCUMENTS):
        directory = root / f"pkg{index % 3}"
        directory.mkdir(exist_ok=True)
        path = directory / f"file{index}.go"
        path.write_text(GENERATED_FILE.format(package=directory.name, index=index))
        files.append(path)
    return files


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """(uri, text) of the documents to open."""
    files = _stdlib_files()
    if len(files) < DOCUMENTS:
        files = _generated_files(tmp_path_factory.mktemp("generated"))
    return [(path.as_uri(), path.read_text(encoding="utf-8", errors="surrogateescape")) for path in files]


def _shape(diagnostics: list[dict[str, Any]], line_offset: int = 0) -> list[tuple[Any, ...]]:
    """What a diagnostic says and where, moved ``line_offset`` lines down (with the line
    numbers in its message: "the cancel var defined on line 16")."""
    def moved(message: str) -> str:
        return LINE_IN_MESSAGE.sub(lambda match: f"line {int(match.group(1)) + line_offset}", message)

    return sorted((d.get("code"), moved(d["message"]), d["range"]["start"]["line"] + line_offset,
                   d["range"]["start"]["character"], d["range"]["end"]["line"] + line_offset,
                   d["range"]["end"]["character"]) for d in diagnostics)


def _insert_line(client: RawClient, uri: str) -> None:
    change = {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": INSERTED}
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [change]})


def _open(client: RawClient, uri: str, text: str) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "go", "version": 1,
                                                            "text": text}})


def _wait_for_publishes(client: RawClient, uris: list[str], version: int) -> dict[str, dict[str, Any]]:
    """The latest publish of every uri once all name ``version``; fails after STALL seconds
    without any new publish."""
    last_count, last_progress = -1, time.monotonic()
    while True:
        with client._condition:
            missing = [uri for uri in uris if client.diagnostics.get(uri, {}).get("version") != version]
            if not missing:
                return {uri: client.diagnostics[uri] for uri in uris}
            if client.publish_count != last_count:
                last_count, last_progress = client.publish_count, time.monotonic()
            elif time.monotonic() - last_progress > STALL:
                stale = {uri: client.diagnostics.get(uri, {}).get("version") for uri in missing}
                pytest.fail(f"{len(missing)} of {len(uris)} documents never got diagnostics for version {version} "
                            f"(their last published versions: {sorted(set(stale.values()), key=str)}; "
                            f"first: {missing[:3]})")
            client.ensure_alive()
            client._condition.wait(0.5)


def test_push_every_document_gets_its_latest_version(documents: list[tuple[str, str]], tmp_path: Path) -> None:
    client = RawClient(tmp_path / "stderr.txt")
    try:
        client.initialize(capabilities("utf-16"), tmp_path)
        for uri, text in documents:
            _open(client, uri, text)
        uris = [uri for uri, _ in documents]
        first = _wait_for_publishes(client, uris, 1)
        for uri in uris:
            _insert_line(client, uri)
        second = _wait_for_publishes(client, uris, 2)
        moved = [uri for uri in uris
                 if _shape(second[uri]["diagnostics"]) != _shape(first[uri]["diagnostics"], line_offset=1)]
        assert not moved, f"diagnostics of version 2 are not version 1's one line down: {moved[:5]}"
        assert client.shutdown() == 0
    finally:
        client.kill()


class _Puller:
    """Sends ``textDocument/diagnostic`` requests without waiting and collects the answers,
    pulling again when the server asks for it (ServerCancelled with retriggerRequest)."""

    def __init__(self, client: RawClient) -> None:
        self.client = client
        self.serial = 0
        self.pending: dict[str, str] = {}  # request id -> uri
        self.answers: dict[str, dict[str, Any]] = {}  # uri -> latest report, in request order
        self.asked: dict[str, int] = {}  # uri -> serial of its latest request

    def pull(self, uri: str) -> None:
        self.serial += 1
        request_id = f"pull-{self.serial}"
        self.pending[request_id] = uri
        self.asked[uri] = self.serial
        self.client.send({"jsonrpc": "2.0", "id": request_id, "method": "textDocument/diagnostic",
                          "params": {"textDocument": {"uri": uri}}})

    def collect(self) -> None:
        """Wait for every pending answer; re-pull where the server asks to."""
        while self.pending:
            request_id = next(iter(self.pending))
            answer = self.client.wait_for_response(request_id, timeout=STALL)
            uri = self.pending.pop(request_id)
            if "error" in answer:
                data = answer["error"].get("data") or {}
                assert answer["error"]["code"] == -32802 and data.get("retriggerRequest"), answer
                if self.asked[uri] == int(request_id.split("-")[1]):
                    self.pull(uri)  # nothing newer asked: the client pulls again
                continue
            assert answer["result"]["kind"] == "full", answer
            if self.asked[uri] == int(request_id.split("-")[1]):
                self.answers[uri] = answer["result"]


def test_pull_every_document_gets_its_latest_version(documents: list[tuple[str, str]], tmp_path: Path) -> None:
    client = RawClient(tmp_path / "stderr.txt")
    try:
        client.initialize(capabilities("utf-16", pull=True), tmp_path)
        puller = _Puller(client)
        for uri, text in documents:
            _open(client, uri, text)
            puller.pull(uri)
        puller.collect()
        first = dict(puller.answers)
        for uri, _ in documents:
            _insert_line(client, uri)
            puller.pull(uri)
        puller.collect()
        wrong = []
        for uri, _ in documents:
            items = puller.answers[uri]["items"]
            if any(item.get("data", {}).get("version") != 2 for item in items) or (
                    _shape(items) != _shape(first[uri]["items"], line_offset=1)):
                wrong.append(uri)
        assert not wrong, f"{len(wrong)} documents' last pull is not version 2's diagnostics: {wrong[:5]}"
        assert client.publish_count == 0  # a client that pulls is never pushed to
        assert client.shutdown() == 0
    finally:
        client.kill()
