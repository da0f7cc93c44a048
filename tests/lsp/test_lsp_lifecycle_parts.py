"""The pieces behind the lifecycle rules, without a server process (the end-to-end tests are
tests/robustness/test_lifecycle.py): process liveness, non-UTF-8 bodies, broken pipes,
notification methods, and the debounce bound."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys

import pytest

from ctx_lsp.lsp.framing import UNDECODABLE_NOTIFICATION, UNDECODABLE_REQUEST, GuardedOutput, ResynchronisingReader
from ctx_lsp.lsp.lifecycle import process_alive
from ctx_lsp.lsp.protocol import is_notification_method
from ctx_lsp.lsp.settings_store import MAX_DEBOUNCE_MS, SettingsStore


@pytest.mark.skipif(sys.platform == "win32", reason="zombies are a POSIX notion")
def test_a_process_is_alive_until_it_ends_even_unreaped() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"])
    try:
        assert process_alive(child.pid)
        os.kill(child.pid, signal.SIGKILL)
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # ended, and still unreaped: a zombie
        assert not process_alive(child.pid)
    finally:
        child.kill()
        child.wait()
    assert not process_alive(child.pid)
    assert process_alive(os.getpid())


def _read_body(data: bytes) -> dict[str, object]:
    reader = ResynchronisingReader(io.BytesIO(data))
    return json.loads(reader.read(len(data)))  # type: ignore[no-any-return]


def test_a_body_that_is_not_utf8_becomes_a_stand_in_keeping_the_request_id() -> None:
    request = _read_body(b'{"jsonrpc": "2.0", "id": 9, "method": "textDocument/hover", "params": {"x": "\xff"}}')
    assert request == {"jsonrpc": "2.0", "id": 9, "method": UNDECODABLE_REQUEST,
                       "params": {"method": "textDocument/hover"}}
    notification = _read_body(b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": "\xc3("}')
    assert notification["method"] == UNDECODABLE_NOTIFICATION and "id" not in notification
    garbage = _read_body(b"\xff\xfe not json")
    assert garbage["method"] == UNDECODABLE_NOTIFICATION


def test_a_utf8_body_passes_unchanged() -> None:
    body = '{"jsonrpc": "2.0", "id": 1, "method": "x", "params": "é😋"}'.encode()
    assert ResynchronisingReader(io.BytesIO(body)).read(len(body)) == body


class _ClosedPipe(io.BytesIO):
    def write(self, data: bytes) -> int:  # type: ignore[override]
        raise BrokenPipeError(32, "Broken pipe")


def test_a_broken_pipe_reports_the_lost_client() -> None:
    lost: list[str] = []
    output = GuardedOutput(_ClosedPipe(), lost.append)
    with pytest.raises(BrokenPipeError):
        output.write(b"Content-Length: 2\r\n\r\n{}")
    assert len(lost) == 1 and "Broken pipe" in lost[0]


def test_notification_methods_are_told_from_requests() -> None:
    assert is_notification_method("textDocument/didOpen")
    assert is_notification_method("exit")
    assert is_notification_method("initialized")
    assert not is_notification_method("textDocument/hover")
    assert not is_notification_method("shutdown")
    assert not is_notification_method("no/suchMethod")  # unknown: pygls answers MethodNotFound
    assert not is_notification_method(7)


def test_a_huge_debounce_is_clamped_with_one_warning() -> None:
    warnings: list[str] = []
    store = SettingsStore(warnings.append, frozenset({"lostcancel"}))
    store.set_editor_settings({"debounceMs": 2**63 - 1})
    assert store.for_path("").debounce_ms == MAX_DEBOUNCE_MS
    assert store.for_path("/elsewhere/x.go").debounce_ms == MAX_DEBOUNCE_MS
    assert len(warnings) == 1 and "debounceMs" in warnings[0], warnings
    store.set_editor_settings({"debounceMs": MAX_DEBOUNCE_MS})
    assert store.for_path("").debounce_ms == MAX_DEBOUNCE_MS
    assert len(warnings) == 1  # the maximum itself is fine
