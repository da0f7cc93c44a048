"""Malformed traffic: a wrong Content-Length costs one message, an undecodable request gets
an error answer, and the session goes on."""

from __future__ import annotations

import io
import json
import queue
import subprocess
import sys
import threading
from typing import Any

from ctx_lsp.lsp.framing import ResynchronisingReader


def _frame(message: dict[str, Any], length_error: int = 0) -> bytes:
    body = json.dumps(message, ensure_ascii=False).encode()
    return b"Content-Length: %d\r\n\r\n" % (len(body) + length_error) + body


def test_reader_splits_a_glued_header_off_the_tail_of_a_short_body() -> None:
    first = _frame({"n": "é"}, length_error=-1)  # counted characters, not bytes
    second = _frame({"n": 2})
    reader = ResynchronisingReader(io.BytesIO(first + second))
    assert reader.readline().startswith(b"Content-Length:")
    assert reader.readline() == b"\r\n"
    reader.read(len(json.dumps({"n": "é"}, ensure_ascii=False).encode()) - 1)
    assert reader.readline() == b"}"  # the lost tail, returned on its own
    assert reader.readline() == b"Content-Length: %d\r\n" % len(b'{"n": 2}')
    assert reader.readline() == b"\r\n"
    assert reader.read(8) == b'{"n": 2}'


class StdioSession:
    """A bare JSON-RPC peer over the server's stdio, for traffic no real client library sends."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "ctx_lsp", "serve"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stdout = self.process.stdout
        assert stdout is not None
        while True:
            length = None
            while (header := stdout.readline()) not in (b"\r\n", b""):
                name, _, value = header.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if not header or length is None:
                return
            self.messages.put(json.loads(stdout.read(length)))

    def send(self, raw: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(raw)
        self.process.stdin.flush()

    def response(self, message_id: object, timeout: float = 20) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=timeout)
            if message.get("id") == message_id and "method" not in message:
                return message

    def close(self) -> None:
        self.send(_frame({"jsonrpc": "2.0", "id": "bye", "method": "shutdown"}))
        self.response("bye")
        self.send(_frame({"jsonrpc": "2.0", "method": "exit"}))
        self.process.wait(timeout=10)


def _hover(message_id: object) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": message_id, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": "file:///nowhere/x.go"}, "position": {"line": 0, "character": 0}}}


def test_bad_frames_and_params_do_not_end_the_session() -> None:
    session = StdioSession()
    try:
        session.send(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                             "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
        assert "result" in session.response(1)
        session.send(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        # A request without its params: answered with an error instead of silence.
        session.send(_frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover"}))
        assert session.response(2)["error"]["code"] == -32602
        # A Content-Length one byte short (a character count): that message is lost...
        session.send(_frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": "file:///nowhere/a.go", "languageId": "go", "version": 1, "text": "package é"}}},
            length_error=-1))
        # ...but the next ones are read and answered.
        session.send(_frame(_hover(3)))
        session.send(_frame(_hover(4)))
        assert session.response(3)["result"] is None
        assert session.response(4)["result"] is None
        session.close()
        assert session.process.returncode == 0
    finally:
        if session.process.poll() is None:
            session.process.kill()
