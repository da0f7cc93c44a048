"""Resident memory of ``ctx-lsp serve`` with many open documents, measured over stdio.

Target (issue "Benchmarks"): at most 150 MB RSS with 50 open documents of 2,000 lines each.

The documents come from ``tests/bench/gen_corpus.py`` (one package directory per file, a
``go.mod`` saying ``go 1.24``), are opened one after another and each is waited for until
its first ``publishDiagnostics`` arrives, so every document has been parsed and analyzed and
its caches are filled. Then one edit per document is sent and waited for too (an edited
document holds an old and a new tree for a moment, and the per-declaration cache grows).
RSS is read from ``/proc/<pid>/status`` of the server process:

- ``idle``: after ``initialize``, before any document (interpreter + imports);
- ``open``: after every document's first diagnostics;
- ``edited``: after one edit per document;
- ``peak``: the kernel's high-water mark (``VmHWM``) at the end.

The client is a few lines of JSON-RPC over pipes, on purpose: a pygls client in the same
process would not change the server's RSS, but a raw client keeps this script independent
of client-library internals (the server's pid) and cheap to read.

    python tests/bench/bench_memory.py [--documents 50] [--lines 2000] [--seed 1] [--budget-mb 150]

Prints a markdown table; exit status 1 when the final RSS is over the budget. Linux only
(``/proc``). This is a script, not a test: numbers depend on the Python build and libraries.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import write_corpus  # noqa: E402
from report import target_table  # noqa: E402

SERVER = [sys.executable, "-m", "ctx_lsp", "serve"]
ROOT = Path(__file__).resolve().parents[2]
BUDGET_MB = 150.0
# What a plain editor declares: push diagnostics with versions, no pull, no dynamic
# registration, no configuration requests (the server then never asks the client anything).
CLIENT_CAPABILITIES: dict[str, Any] = {
    "textDocument": {"publishDiagnostics": {"versionSupport": True, "relatedInformation": True}},
}


class StdioSession:
    """A synchronous LSP session with one server process (answers nothing, reads in order)."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self._next_id = 0
        self.published: dict[str, int | None] = {}  # uri -> version of its latest publishDiagnostics

    @property
    def pid(self) -> int:
        return self.process.pid

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode("utf-8")
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self._next_id += 1
        request_id = self._next_id
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        while True:
            message = self._read()
            if message.get("id") == request_id and "method" not in message:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message.get("result")

    def wait_for_publish(self, uri: str, version: int) -> None:
        while self.published.get(uri) != version:
            self._read()

    def _read(self) -> dict[str, Any]:
        stdout = self.process.stdout
        assert stdout is not None
        length = _read_headers(stdout)
        message: dict[str, Any] = json.loads(stdout.read(length))
        if message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            self.published[params["uri"]] = params.get("version")
        return message

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def _read_headers(stream: IO[bytes]) -> int:
    length = None
    while True:
        line = stream.readline()
        if not line:
            raise RuntimeError("the server closed its output")
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length is None:
        raise RuntimeError("a message without Content-Length")
    return length


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in KiB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def _edit_at_end(text: str) -> tuple[int, dict[str, Any]]:
    """An append of one comment line at the end of the document (LSP line, change event)."""
    last_line = text.count("\n")
    position = {"line": last_line, "character": 0}
    return last_line, {"range": {"start": position, "end": position}, "text": "// edited\n"}


def measure(documents: int, lines: int, seed: int) -> dict[str, float]:
    """RSS in MB (10^6 bytes) of a server at each stage, plus timing context."""
    with tempfile.TemporaryDirectory(prefix="ctx-lsp-mem-") as directory:
        root = Path(directory)
        paths = write_corpus(root, documents, lines, seed)
        session = StdioSession(SERVER, cwd=ROOT)
        try:
            session.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                           "capabilities": CLIENT_CAPABILITIES,
                                           "initializationOptions": {"ctxLsp": {"debounceMs": 0}}})
            session.notify("initialized", {})
            idle = memory_kib(session.pid)["VmRSS"]
            started = time.perf_counter()
            texts = {}
            for path in paths:
                uri = path.as_uri()
                texts[uri] = path.read_text(encoding="utf-8")
                session.notify("textDocument/didOpen", {"textDocument": {
                    "uri": uri, "languageId": "go", "version": 1, "text": texts[uri]}})
                session.wait_for_publish(uri, 1)
            open_seconds = time.perf_counter() - started
            opened = memory_kib(session.pid)["VmRSS"]
            for uri, text in texts.items():
                _, change = _edit_at_end(text)
                session.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                          "contentChanges": [change]})
                session.wait_for_publish(uri, 2)
            final = memory_kib(session.pid)
        finally:
            session.close()
    line_count = sum(text.count("\n") for text in texts.values())
    return {"idle": idle / 1000 * 1.024, "open": opened / 1000 * 1.024, "edited": final["VmRSS"] / 1000 * 1.024,
            "peak": final["VmHWM"] / 1000 * 1.024, "open_seconds": open_seconds, "lines": line_count}


def report(result: dict[str, float], documents: int, budget_mb: float) -> str:
    rows = [
        ("server idle (after initialize)", result["idle"], None),
        (f"{documents} documents open, {int(result['lines']):,} lines, all analyzed", result["open"], None),
        ("after one edit per document", result["edited"], budget_mb),
        ("peak (VmHWM)", result["peak"], None),
    ]
    out = [f"Opening and analyzing {documents} documents took {result['open_seconds']:.1f} s; "
           f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs", "",
           *target_table("server RSS | MB", rows)]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=50)
    parser.add_argument("--lines", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget-mb", type=float, default=BUDGET_MB)
    arguments = parser.parse_args(argv)
    result = measure(arguments.documents, arguments.lines, arguments.seed)
    print(report(result, arguments.documents, arguments.budget_mb))
    return 0 if result["edited"] <= arguments.budget_mb else 1


if __name__ == "__main__":
    raise SystemExit(main())
