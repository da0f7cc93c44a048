"""Configuration problems reach the user visibly, once each (issue 21 item 10, server half).

A broken ``.ctx-lsp.toml`` and junk editor settings each produce one ``window/showMessage``
(plus a ``window/logMessage``), however many keystrokes follow; a second, different problem
gets its own message.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.robustness._rpc import RawClient, capabilities

pytestmark = pytest.mark.e2e

SOURCE = ('package p\n\nimport "context"\n\nfunc f(parent context.Context) {\n'
          '\tctx, _ := context.WithCancel(parent)\n\t_ = ctx\n}\n')


class ShowMessageClient(RawClient):
    """RawClient that also keeps the ``window/showMessage`` notifications."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.shown: list[str] = []
        super().__init__(*args, **kwargs)

    def _dispatch(self, message: dict[str, Any]) -> None:
        if message.get("method") == "window/showMessage":
            with self._condition:
                self.shown.append(message["params"]["message"])
        super()._dispatch(message)


def _type(client: RawClient, uri: str, versions: range) -> None:
    for version in versions:
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "\n"}]})


def test_a_broken_config_file_is_shown_once_however_many_keystrokes(tmp_path: Path) -> None:
    (tmp_path / ".ctx-lsp.toml").write_text('min-severity = "loud"\n[rules]\nlostcancel = "sometimes"\n')
    uri = (tmp_path / "a.go").as_uri()
    client = ShowMessageClient(tmp_path / "stderr.txt")
    try:
        client.initialize(capabilities("utf-16"), tmp_path, options={"debounceMs": 0})
        client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "go", "version": 1,
                                                                "text": SOURCE}})
        client.wait_for_diagnostics(uri, 1)
        _type(client, uri, range(2, 12))
        client.wait_for_diagnostics(uri, 11)
        # Junk editor settings: another problem, shown once too.
        client.notify("workspace/didChangeConfiguration", {"settings": {"ctxLsp": {"debounceMs": "soon"}}})
        _type(client, uri, range(12, 16))
        client.wait_for_diagnostics(uri, 15)
        assert client.shutdown() == 0
    finally:
        client.kill()
    shown = Counter(client.shown)
    assert shown, f"no window/showMessage at all; logged: {client.log_messages}"
    assert all(count == 1 for count in shown.values()), shown
    assert any("loud" in message for message in shown), shown
    assert any("sometimes" in message for message in shown), shown
    assert any("debounceMs" in message for message in shown), shown
    # Each shown problem is in the log too.
    assert all(any(message in logged for logged in client.log_messages) for message in shown)
