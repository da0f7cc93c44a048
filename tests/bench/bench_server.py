"""Latency of ``ctx-lsp serve`` over stdio on a large generated Go file.

Measures, with the VS Code client profile (utf-16, pushed diagnostics) and debounce 0:

- ``didOpen`` -> first ``publishDiagnostics``;
- single-character edits (type one character inside a function body, then delete it again)
  -> the ``publishDiagnostics`` carrying that edit's version.

Prints a markdown table. Targets: edit median <= 10 ms, p95 <= 25 ms; open <= 80 ms.
This is a script, not a test: timings depend on the machine and its load.

    python tests/bench/bench_server.py [--lines 10000] [--edits 200] [--seed 1] [--opens 5]
                                       [--disable RULE,...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from lsprotocol import types as T
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import generate  # noqa: E402
from report import target_table  # noqa: E402

SERVER = [sys.executable, "-m", "ctx_lsp", "serve"]
TARGETS = {"edit median": 10.0, "edit p95": 25.0, "open": 80.0}


class BenchClient:
    """A bare pygls client that timestamps every publishDiagnostics on arrival."""

    def __init__(self, settings: dict[str, object]) -> None:
        self.settings = settings
        self.client = LanguageClient("ctx-lsp-bench", "1")
        self.arrivals: dict[tuple[str, int | None], float] = {}
        self.counts: dict[tuple[str, int | None], int] = {}
        self.diagnostics: dict[str, list[T.Diagnostic]] = {}  # the latest published, per uri
        self._waiters: dict[tuple[str, int | None], asyncio.Future[None]] = {}

        @self.client.feature(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_publish(params: T.PublishDiagnosticsParams) -> None:
            key = (params.uri, params.version)
            self.arrivals[key] = time.perf_counter()
            self.counts[key] = len(params.diagnostics)
            self.diagnostics[params.uri] = params.diagnostics
            waiter = self._waiters.pop(key, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

        @self.client.feature(T.WINDOW_LOG_MESSAGE)
        def on_log(params: T.LogMessageParams) -> None:
            if params.type <= T.MessageType.Warning:
                print(f"server: {params.message}", file=sys.stderr)

        @self.client.feature(T.CLIENT_REGISTER_CAPABILITY)
        def on_register(params: T.RegistrationParams) -> None:
            return None

        @self.client.feature(T.WORKSPACE_CONFIGURATION)
        def on_configuration(params: T.ConfigurationParams) -> list[object]:
            return [self.settings for _ in params.items]

    async def start(self, root: Path) -> None:
        await self.client.start_io(*SERVER)
        await self.client.initialize_async(T.InitializeParams(
            capabilities=_vscode_capabilities(), root_uri=root.as_uri(),
            initialization_options={"ctxLsp": self.settings}))
        self.client.initialized(T.InitializedParams())

    def expect(self, uri: str, version: int) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if (uri, version) in self.arrivals:
            future.set_result(None)
        else:
            self._waiters[(uri, version)] = future
        return future

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def _vscode_capabilities() -> T.ClientCapabilities:
    try:
        from pytest_lsp import client_capabilities
    except ImportError:  # the profile is a convenience; a minimal set works the same way
        return T.ClientCapabilities()
    return client_capabilities("visual-studio-code")


GO_KEYWORDS = frozenset(
    "break case chan const continue default defer else fallthrough for func go goto if import "
    "interface map package range return select struct switch type var".split()
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _body_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if line.startswith("\t") and len(line.strip()) > 3]


def _utf16_column(line: str, column: int) -> int:
    return len(line[:column].encode("utf-16-le")) // 2


def _word_sites(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """(line, utf-16 column) positions inside identifiers (not keywords) in function bodies:
    typing a letter there keeps the code parseable, like most keystrokes of a typist."""
    lines = text.split("\n")
    candidates = _body_lines(lines)
    sites: list[tuple[int, int]] = []
    while len(sites) < count:
        line = rng.choice(candidates)
        words = [m for m in _WORD.finditer(lines[line]) if m.group() not in GO_KEYWORDS and len(m.group()) > 1]
        if words:
            word = rng.choice(words)
            sites.append((line, _utf16_column(lines[line], rng.randint(word.start() + 1, word.end()))))
    return sites


def _random_sites(text: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """(line, utf-16 column) positions anywhere inside function-body lines: a letter there
    often breaks the syntax (``:x=``, ``retxurn``), which sends tree-sitter's error recovery
    through the rest of the file."""
    lines = text.split("\n")
    candidates = _body_lines(lines)
    sites = []
    for _ in range(count):
        line = rng.choice(candidates)
        sites.append((line, _utf16_column(lines[line], rng.randint(1, len(lines[line]) - 1))))
    return sites


async def _open_once(bench: BenchClient, uri: str, text: str) -> float:
    bench.arrivals.pop((uri, 0), None)
    started = time.perf_counter()
    waiter = bench.expect(uri, 0)
    bench.client.text_document_did_open(T.DidOpenTextDocumentParams(
        text_document=T.TextDocumentItem(uri=uri, language_id="go", version=0, text=text)))
    await asyncio.wait_for(waiter, 120)
    return (time.perf_counter() - started) * 1000


async def _close(bench: BenchClient, uri: str) -> None:
    bench.client.text_document_did_close(T.DidCloseTextDocumentParams(text_document=T.TextDocumentIdentifier(uri=uri)))
    await asyncio.sleep(0.05)


@contextlib.contextmanager
def corpus_module(text: str, prefix: str = "ctx-lsp-bench-") -> Iterator[tuple[Path, str]]:
    """A temporary module (go.mod saying go 1.24) holding ``text`` as corpus.go: (root, uri)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as directory:
        root = Path(directory)
        (root / "go.mod").write_text("module example.com/bench\n\ngo 1.24\n", encoding="utf-8")
        path = root / "corpus.go"
        path.write_text(text, encoding="utf-8")
        yield root, path.as_uri()


async def run(lines: int, edits: int, seed: int, opens: int, disabled: list[str]) -> dict[str, object]:
    text = generate(lines, seed)
    rng = random.Random(seed)
    with corpus_module(text) as (root, uri):
        bench = BenchClient({"debounceMs": 0, "minSeverity": "hint", "rules": {rule: "off" for rule in disabled}})
        await bench.start(root)
        try:
            open_times = []
            for _ in range(opens):  # every open is a fresh document: no warm per-document cache
                open_times.append(await _open_once(bench, uri, text))
                await _close(bench, uri)
            await _open_once(bench, uri, text)
            findings = bench.counts[(uri, 0)]
            word_times, version = await _edit_loop(bench, uri, _word_sites(text, rng, edits // 2 + 1), edits, 0)
            random_times, _ = await _edit_loop(bench, uri, _random_sites(text, rng, edits // 2 + 1), edits, version)
        finally:
            await bench.stop()
    return {"text": text, "open": open_times, "word edits": word_times, "random edits": random_times,
            "findings": findings, "disabled": disabled}


async def _edit_loop(bench: BenchClient, uri: str, sites: list[tuple[int, int]], edits: int,
                     version: int) -> tuple[list[float], int]:
    times: list[float] = []
    for line, column in sites:
        # Type a character, then delete it: the text returns to the original each round.
        for change_range, new_text in (
            (T.Range(start=T.Position(line=line, character=column), end=T.Position(line=line, character=column)), "x"),
            (T.Range(start=T.Position(line=line, character=column), end=T.Position(line=line, character=column + 1)), ""),
        ):
            if len(times) >= edits:
                return times, version
            version += 1
            waiter = bench.expect(uri, version)
            started = time.perf_counter()
            bench.client.text_document_did_change(T.DidChangeTextDocumentParams(
                text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[T.TextDocumentContentChangePartial(range=change_range, text=new_text)]))
            await asyncio.wait_for(waiter, 600)
            times.append((time.perf_counter() - started) * 1000)
    return times, version


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def report(result: dict[str, object], seed: int) -> str:
    text = result["text"]
    open_times = result["open"]
    word_times = result["word edits"]
    random_times = result["random edits"]
    assert isinstance(text, str) and isinstance(open_times, list)
    assert isinstance(word_times, list) and isinstance(random_times, list)
    rows: list[tuple[str, float, float | None]] = [
        (f"didOpen -> publishDiagnostics (median of {len(open_times)})", statistics.median(open_times),
         TARGETS["open"]),
        (f"edit in an identifier -> publishDiagnostics, median ({len(word_times)} edits)",
         statistics.median(word_times), TARGETS["edit median"]),
        ("edit in an identifier -> publishDiagnostics, p95", _percentile(word_times, 0.95), TARGETS["edit p95"]),
        ("edit in an identifier -> publishDiagnostics, max", max(word_times), None),
        (f"edit at a random column -> publishDiagnostics, median ({len(random_times)} edits)",
         statistics.median(random_times), None),
        ("edit at a random column -> publishDiagnostics, p95", _percentile(random_times, 0.95), None),
    ]
    out = [
        f"File: {text.count(chr(10))} lines, {len(text.encode())} bytes (gen_corpus seed {seed}), "
        f"{result['findings']} diagnostics; debounce 0; VS Code profile (utf-16); "
        f"rules disabled: {', '.join(result['disabled']) or 'none'}; "  # type: ignore[arg-type]
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}",
        "",
        *target_table("measurement | ms", rows),
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--disable", default="", metavar="RULE,...",
                        help="switch rules off (to see what the server costs without them)")
    args = parser.parse_args(argv)
    disabled = [rule for rule in args.disable.split(",") if rule]
    result = asyncio.run(run(args.lines, args.edits, args.seed, args.opens, disabled))
    print(report(result, args.seed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
