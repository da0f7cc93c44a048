"""``ctx-lsp serve --tcp HOST:PORT`` (the debugging transport) and argument errors."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys

from lsprotocol import types as T
from pytest_lsp import client_capabilities
from pygls.lsp.client import LanguageClient

from ctx_lsp.lsp.serve import main


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _connect(port: int, client: LanguageClient) -> None:
    for _ in range(200):  # the server needs a moment to import and listen
        try:
            await client.start_tcp("127.0.0.1", port)
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise TimeoutError("server did not listen")


async def test_tcp_transport_serves_diagnostics() -> None:
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "ctx_lsp", "serve", "--tcp", f"127.0.0.1:{port}"])
    client = LanguageClient("tcp-test", "1")
    published: asyncio.Queue[T.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: T.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

    try:
        await _connect(port, client)
        await client.initialize_async(T.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), initialization_options={"debounceMs": 0}))
        client.initialized(T.InitializedParams())
        client.text_document_did_open(T.DidOpenTextDocumentParams(text_document=T.TextDocumentItem(
            uri="untitled:tcp", language_id="go", version=1,
            text='package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tc, _ := context.WithCancel(p)\n\t_ = c\n}\n')))
        params = await asyncio.wait_for(published.get(), 30)
        assert [d.code for d in params.diagnostics] == ["lostcancel"]
        await client.shutdown_async(None)
        client.exit(None)
    finally:
        await client.stop()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()  # by its own handle: only this test's process
            server.wait()


def test_bad_tcp_address_is_a_usage_error() -> None:
    assert main(["--tcp", "localhost"]) == 2
