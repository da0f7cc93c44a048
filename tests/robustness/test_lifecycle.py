"""The server's lifecycle over stdio, per the LSP specification (issue 21 items 1-4).

Each test starts a real server process and speaks raw JSON-RPC to it (tests/robustness/_rpc.py):
exit codes, requests after shutdown, the editor's process dying, the client going away
(broken pipe, end of input), bodies that are not UTF-8, notifications sent with an id, and a
debounce that would never fire. Waiting is bounded by generous timeouts that only a hung
server reaches; nothing here measures speed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.robustness._rpc import SERVER_COMMAND, RawClient, ServerDied, capabilities

pytestmark = pytest.mark.e2e

EXIT_TIMEOUT = 60.0
LEAKING = ('package p\n\nimport "context"\n\nfunc f(parent context.Context) {\n'
           '\tctx, _ := context.WithCancel(parent)\n\t_ = ctx\n}\n')


def _exit_code(client: RawClient, timeout: float = EXIT_TIMEOUT) -> int:
    try:
        return client.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the server did not exit within {timeout}s; stderr: {client.stderr_tail()}")


def _open(client: RawClient, uri: str, text: str = LEAKING, version: int = 1) -> None:
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "go", "version": version,
                                                            "text": text}})


@pytest.fixture
def client(tmp_path: Path) -> Any:
    started = RawClient(tmp_path / "stderr.txt")
    yield started
    started.kill()


def test_exit_after_shutdown_exits_with_0(client: RawClient, tmp_path: Path) -> None:
    client.initialize(capabilities("utf-16"), tmp_path)
    assert client.shutdown() == 0


def test_exit_without_shutdown_exits_with_1(client: RawClient, tmp_path: Path) -> None:
    client.initialize(capabilities("utf-16"), tmp_path)
    _open(client, (tmp_path / "a.go").as_uri())
    client.notify("exit", None)
    assert _exit_code(client) == 1


def test_end_of_input_without_shutdown_exits_with_1(client: RawClient, tmp_path: Path) -> None:
    quiet = capabilities("utf-16")
    quiet["workspace"] = {}  # no workspace/configuration request to answer after the input closed
    client.initialize(quiet, tmp_path)
    for index in range(20):
        _open(client, (tmp_path / f"f{index}.go").as_uri())
    assert client.process.stdin is not None
    client.process.stdin.close()
    assert _exit_code(client) == 1


def test_requests_after_shutdown_are_invalid_requests(client: RawClient, tmp_path: Path) -> None:
    client.initialize(capabilities("utf-16"), tmp_path)
    uri = (tmp_path / "a.go").as_uri()
    _open(client, uri)
    assert "error" not in client.request("shutdown", None)
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 5, "character": 2}})
    assert hover.get("error", {}).get("code") == -32600, hover
    again = client.request("shutdown", None)
    assert again.get("error", {}).get("code") == -32600, again
    client.notify("exit", None)
    assert _exit_code(client) == 0


def test_the_editor_process_dying_ends_the_server(client: RawClient, tmp_path: Path) -> None:
    editor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
    try:
        answer = client.request("initialize", {"processId": editor.pid, "rootUri": tmp_path.as_uri(),
                                               "capabilities": capabilities("utf-16")})
        assert "result" in answer, answer
        client.notify("initialized", {})
        _open(client, (tmp_path / "a.go").as_uri())
        client.wait_for_diagnostics((tmp_path / "a.go").as_uri(), 1)
        client.ensure_alive()  # the editor lives: so does the server
    finally:
        editor.kill()
        editor.wait()
    assert _exit_code(client) == 1


def test_a_process_id_that_does_not_exist_ends_the_server(client: RawClient, tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # reaped: its pid names no process (until the system reuses it, long after this test)
    client.send({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"processId": gone.pid, "rootUri": tmp_path.as_uri(),
                            "capabilities": capabilities("utf-16")}})
    assert _exit_code(client) == 1


def test_a_closed_output_ends_the_server(tmp_path: Path) -> None:
    """The editor died: writing diagnostics fails with a broken pipe, and the server stops
    instead of logging the error for every publish while it analyzes on."""
    with open(tmp_path / "stderr.txt", "wb") as stderr:
        server = subprocess.Popen(SERVER_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
    assert server.stdin is not None and server.stdout is not None
    try:
        _send(server, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"processId": None, "rootUri": tmp_path.as_uri(),
                                  "capabilities": capabilities("utf-16")}})
        _read_message(server)  # the initialize answer
        server.stdout.close()  # the client stops reading: the server's next write fails
        _send(server, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        for index in range(50):
            uri = (tmp_path / f"f{index}.go").as_uri()
            try:
                _send(server, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                    "uri": uri, "languageId": "go", "version": 1, "text": LEAKING}}})
            except BrokenPipeError:
                break  # it exited already
        try:
            code = server.wait(timeout=EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail("the server kept running after its output was closed: "
                        + (tmp_path / "stderr.txt").read_text(errors="replace")[-2000:])
        assert code == 1
        assert (tmp_path / "stderr.txt").read_text(errors="replace").count("BrokenPipe") <= 1
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _send(server: subprocess.Popen[bytes], message: dict[str, Any]) -> None:
    assert server.stdin is not None
    body = json.dumps(message).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def _read_message(server: subprocess.Popen[bytes]) -> dict[str, Any]:
    assert server.stdout is not None
    length = 0
    while True:
        line = server.stdout.readline().strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(server.stdout.read(length))  # type: ignore[no-any-return]


def test_a_request_that_is_not_utf8_gets_a_parse_error_with_its_id(client: RawClient, tmp_path: Path) -> None:
    client.initialize(capabilities("utf-16"), tmp_path)
    uri = (tmp_path / "a.go").as_uri()
    _open(client, uri)
    body = (b'{"jsonrpc": "2.0", "id": 77, "method": "textDocument/hover", "params": {"textDocument": '
            b'{"uri": "' + uri.encode() + b'\xff\xfe"}, "position": {"line": 0, "character": 0}}}')
    client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    answer = client.wait_for_response(77)
    assert answer.get("error", {}).get("code") == -32700, answer
    # A notification that is not UTF-8 is dropped, and the session goes on.
    body = b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"text": "\xc3("}}}'
    client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert "result" in client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                             "position": {"line": 5, "character": 2}})
    assert client.shutdown() == 0


def test_a_notification_sent_with_an_id_is_answered_with_invalid_request(client: RawClient, tmp_path: Path) -> None:
    client.initialize(capabilities("utf-16"), tmp_path)
    uri = (tmp_path / "a.go").as_uri()
    client.send({"jsonrpc": "2.0", "id": "open-with-id", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "go", "version": 1, "text": LEAKING}}})
    answer = client.wait_for_response("open-with-id")
    assert answer.get("error", {}).get("code") == -32600, answer
    # Not acted on: the document is not open, so a hover finds nothing to say.
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 5, "character": 2}})
    assert hover == {"jsonrpc": "2.0", "id": hover["id"], "result": None}
    assert uri not in client.diagnostics
    assert client.shutdown() == 0


def test_a_huge_debounce_is_clamped_and_diagnostics_still_arrive(client: RawClient, tmp_path: Path) -> None:
    client.initialize(capabilities("utf-16"), tmp_path, options={"debounceMs": 2**63 - 1})
    uri = (tmp_path / "a.go").as_uri()
    _open(client, uri)
    client.wait_for_diagnostics(uri, 1)
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
        {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "\n"}]})
    published = client.wait_for_diagnostics(uri, 2, timeout=EXIT_TIMEOUT)
    assert [d["range"]["start"]["line"] for d in published["diagnostics"]] == [6]
    assert any("debounceMs" in message and "maximum" in message for message in client.log_messages)
    assert client.shutdown() == 0


def test_the_server_is_still_alive_after_each_kind_of_bad_message(client: RawClient, tmp_path: Path) -> None:
    """The rejections above answer and carry on: one session with all of them."""
    client.initialize(capabilities("utf-16"), tmp_path)
    client.send({"jsonrpc": "2.0", "id": 5, "method": "initialized", "params": {}})
    assert client.wait_for_response(5)["error"]["code"] == -32600
    body = b'{"jsonrpc": "2.0", "id": 6, "method": "shutdown\xff"}'
    client.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert client.wait_for_response(6)["error"]["code"] == -32700
    started = time.monotonic()
    while time.monotonic() - started < 1:
        try:
            client.ensure_alive()
        except ServerDied:
            pytest.fail("the server died after the bad messages")
        time.sleep(0.1)
    assert client.shutdown() == 0


def test_the_parent_watch_can_be_turned_off(tmp_path: Path) -> None:
    """For editors in another PID namespace (a pid the server cannot see)."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    client = RawClient(tmp_path / "stderr.txt", environment={**os.environ, "CTX_LSP_WATCH_PARENT": "0"})
    try:
        answer = client.request("initialize", {"processId": gone.pid, "rootUri": tmp_path.as_uri(),
                                               "capabilities": capabilities("utf-16")})
        assert "result" in answer, answer
        client.notify("initialized", {})
        uri = (tmp_path / "a.go").as_uri()
        _open(client, uri)
        client.wait_for_diagnostics(uri, 1)  # the server lives on (the watch would exit at once)
        assert client.shutdown() == 0
    finally:
        client.kill()
