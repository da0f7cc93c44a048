"""A small synchronous LSP client over stdio, for fuzzing the server.

pytest-lsp is the right tool for scripted sessions; a fuzzer also needs to send bytes that are
not valid JSON-RPC at all, to answer the server's own requests while waiting, and to notice
when the server process dies. This client reads the server's stdout on a thread, queues
responses by id, keeps the latest ``publishDiagnostics`` of each document, and answers
``workspace/configuration`` and ``client/registerCapability`` itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

SERVER_COMMAND = [sys.executable, "-m", "ctx_lsp", "serve"]


class ServerDied(AssertionError):
    pass


class RawClient:
    def __init__(self, stderr_path: Path, command: list[str] | None = None,
                 environment: dict[str, str] | None = None) -> None:
        self._stderr = open(stderr_path, "wb")
        self.process = subprocess.Popen(command or SERVER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self._stderr, env=environment)
        self._next_id = 0
        self._responses: dict[int | str, dict[str, Any]] = {}
        self._condition = threading.Condition()
        self._write_lock = threading.Lock()  # the reader thread answers server requests too
        self.diagnostics: dict[str, dict[str, Any]] = {}  # uri -> latest publishDiagnostics params
        self.publish_count = 0
        self.log_messages: list[str] = []
        self.configuration: Any = None  # what workspace/configuration answers for our section
        self.unparseable_output: list[bytes] = []
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # -- transport ---------------------------------------------------------------------------
    def send_raw(self, data: bytes) -> None:
        self.ensure_alive()
        assert self.process.stdin is not None
        try:
            with self._write_lock:
                self.process.stdin.write(data)
                self.process.stdin.flush()
        except BrokenPipeError as error:
            raise ServerDied(f"the server closed its input: {self.stderr_tail()}") from error

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _read_loop(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            headers: dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii", "replace").partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            body = stream.read(length)
            try:
                message = json.loads(body)
            except ValueError:
                self.unparseable_output.append(body)
                continue
            self._dispatch(message)

    def _dispatch(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method is None:
            with self._condition:
                self._responses[message.get("id")] = message  # type: ignore[index]
                self._condition.notify_all()
            return
        if "id" in message:  # a request from the server
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": self._answer(method, message.get("params"))})
            return
        with self._condition:
            if method == "textDocument/publishDiagnostics":
                self.diagnostics[message["params"]["uri"]] = message["params"]
                self.publish_count += 1
            elif method == "window/logMessage":
                self.log_messages.append(message["params"]["message"])
            self._condition.notify_all()

    def _answer(self, method: str, params: Any) -> Any:
        if method == "workspace/configuration":
            return [self.configuration for _ in (params or {}).get("items", [])]
        return None

    # -- requests ----------------------------------------------------------------------------
    def request(self, method: str, params: Any, timeout: float = 30.0) -> dict[str, Any]:
        self._next_id += 1
        request_id = self._next_id
        self.send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        return self.wait_for_response(request_id, timeout)

    def wait_for_response(self, request_id: int | str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._condition:
            while request_id not in self._responses:
                self.ensure_alive()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no answer to request {request_id} within {timeout}s; "
                                         f"server stderr: {self.stderr_tail()}")
                self._condition.wait(min(remaining, 0.5))
            return self._responses.pop(request_id)

    def notify(self, method: str, params: Any) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for_diagnostics(self, uri: str, version: int, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                current = self.diagnostics.get(uri)
                if current is not None and current.get("version") == version:
                    return current
                self.ensure_alive()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no diagnostics for {uri} version {version} within {timeout}s "
                                         f"(last: {current and current.get('version')}); "
                                         f"server stderr: {self.stderr_tail()}")
                self._condition.wait(min(remaining, 0.5))

    # -- lifecycle ---------------------------------------------------------------------------
    def initialize(self, capabilities: dict[str, Any], root: Path, options: Any = None) -> dict[str, Any]:
        answer = self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities,
                                             "initializationOptions": options})
        assert "result" in answer, answer
        self.notify("initialized", {})
        return answer["result"]  # type: ignore[no-any-return]

    def ensure_alive(self) -> None:
        if self.process.poll() is not None:
            raise ServerDied(f"the server exited with {self.process.returncode}: {self.stderr_tail()}")

    def stderr_tail(self) -> str:
        self._stderr.flush()
        try:
            return Path(self._stderr.name).read_bytes()[-3000:].decode("utf-8", "replace")
        except OSError:
            return ""

    def shutdown(self) -> int:
        """The orderly end of a session; returns the exit code."""
        answer = self.request("shutdown", None)
        assert "error" not in answer, answer
        self.notify("exit", None)
        try:
            return self.process.wait(timeout=30)
        finally:
            self._stderr.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self._stderr.close()


def capabilities(encoding: str, pull: bool = False) -> dict[str, Any]:
    """What a modern editor declares: the given position encoding, diagnostics with
    versions, code action literals, markdown hover; pull diagnostics on request."""
    text_document: dict[str, Any] = {
        "synchronization": {"dynamicRegistration": False, "didSave": False},
        "publishDiagnostics": {"relatedInformation": True, "versionSupport": True, "dataSupport": True,
                               "tagSupport": {"valueSet": [1, 2]}},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
            "", "quickfix", "refactor", "source", "source.fixAll"]}}, "isPreferredSupport": True,
            "dataSupport": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
    }
    if pull:
        text_document["diagnostic"] = {"dynamicRegistration": False, "relatedDocumentSupport": False}
    return {
        "general": {"positionEncodings": [encoding]},
        "textDocument": text_document,
        "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": False}},
    }
