"""A long session's memory: what the server keeps per message must not grow with the session.

pygls files the future of every handler under the message's id and forgot the futures of
notifications (and of the steps of its generator handlers) for good: one future, with its
lock, condition and callbacks, per keystroke (CtxLspProtocol._forget_done_futures).

The server gives freed heap pages back while a session goes on, at most every 2 s
(lsp/allocator.py).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from ctx_lsp.lsp.allocator import Trimmer
from ctx_lsp.lsp.protocol import MIN_SWEEP
from ctx_lsp.lsp.server import CtxLanguageServer, create_server

URI = "file:///memory/a.go"


def _receive(server: CtxLanguageServer, message: dict[str, Any]) -> None:
    """Hand one message to the protocol the way pygls's reader does (no transport)."""
    protocol = server.protocol
    body = json.dumps({"jsonrpc": "2.0", **message})
    protocol.handle_message(json.loads(body, object_hook=protocol.structure_message))


async def test_the_futures_of_notifications_do_not_pile_up() -> None:
    server = create_server()
    _receive(server, {"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": URI, "languageId": "go", "version": 0, "text": "package p\n"}}})
    for version in range(1, 1001):
        end = {"line": 1, "character": 0}
        _receive(server, {"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": URI, "version": version},
            "contentChanges": [{"range": {"start": end, "end": end}, "text": "\n"}]}})
    await asyncio.sleep(0)
    assert server.documents[URI].document.version == 1000  # every change was handled
    # pygls kept 1,001 (one per notification); done ones are swept when the table doubles.
    assert len(server.protocol._request_futures) <= MIN_SWEEP


async def test_a_pending_request_can_still_be_cancelled_and_is_then_forgotten() -> None:
    server = create_server()
    release = asyncio.Event()

    @server.feature("ctx/slow")
    async def slow(params: Any) -> None:
        await release.wait()

    _receive(server, {"id": 8, "method": "ctx/slow", "params": {}})
    await asyncio.sleep(0.01)
    future = server.protocol._request_futures.get(8)
    assert future is not None and not future.done()  # kept while pending: $/cancelRequest needs it
    _receive(server, {"method": "$/cancelRequest", "params": {"id": 8}})
    await asyncio.sleep(0.01)
    assert future.cancelled()
    assert server.protocol._request_futures == {}


def test_memory_is_trimmed_at_most_once_per_interval() -> None:
    now = [100.0]
    trims: list[int] = []

    def fake_trim(pad: int) -> int:
        trims.append(pad)
        return 1

    trimmer = Trimmer(interval=2.0, clock=lambda: now[0], trim=lambda: fake_trim)
    done = []
    for moment in (100.0, 100.5, 101.9, 102.0, 102.1, 110.0):
        now[0] = moment
        done.append(trimmer.now_and_then())
    assert done == [True, False, False, True, False, True]
    assert trims == [0, 0, 0]
    assert not Trimmer(trim=lambda: None).now_and_then()  # no glibc: nothing to call
