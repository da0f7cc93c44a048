"""A long editing session through broken code: ``ctx-lsp serve`` over stdio, debounce 0.

One generated Go file of about 3,100 lines is opened and edited ``--edits`` times (default
20,000) with a fixed mix, seeded (``--seed``), the way a typist goes through a file:

Edits go to lines inside function bodies (so the import block and the package clause stay
intact and the file keeps its findings):

- typing bursts, one character per edit, of ``{``, ``}``, ``(``, ``"``, ``//``, ``ctx``,
  ``cancel()`` or an emoji (two UTF-16 units) somewhere in a function body; about half are
  deleted again at once (one backspace per character), the rest stay for a while and are
  deleted later in one edit, so the text has some syntax error most of the time;
- a statement inserted as a new line (``ctx, cancel := context.WithCancel(ctx)``...);
- a statement line deleted (fewer than are inserted: the file grows, as in the issue's
  session); both only where a statement of the function's block is (``_statement_line``),
  so the syntax errors are the bursts', come and go, and do not pile up over the session;
- a letter typed inside an identifier and deleted again (code that stays valid).

After every edit the client waits for the ``publishDiagnostics`` of that version; every 7th
edit it asks for a hover and every 13th for code actions on a line with a finding (or a
random line), timed as round trips. Server RSS (``/proc``) is sampled every 1,000 edits.
At the end the server's diagnostics are compared with ``ctx-lsp check`` on the final text.

Memory and the file's growth: RSS after the last thousand edits is compared with RSS after
the first thousand; the file grows meanwhile, and a larger file costs more memory by itself.
That cost is measured, not guessed: two fresh servers open the text as it was after the
first thousand edits and the final text, and the difference of their RSS is subtracted
(``growth allowance``). Target: (RSS at the end - allowance) <= 1.3 x RSS after 1,000 edits.
Then 300 copies of a 1,000-line file are opened and closed in the same server: RSS after
closing them all should return near where it was before.

    python tests/bench/bench_long_session.py [--edits 20000] [--lines 3100] [--seed 7]

Prints a markdown table with the load average. A script, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as T

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))
from bench_server import BenchClient, corpus_module  # noqa: E402
from gen_corpus import generate  # noqa: E402
from report import target_table  # noqa: E402

SEED = 7
TARGETS = {"median": 15.0, "p95": 50.0, "action p95": 25.0, "rss ratio": 1.3}
BURSTS = ["{", "}", "(", '"', "//", "ctx", "cancel()", "\U0001f600"]
# Statements inserted as new lines; one in twelve leaks a cancel function (a finding), so
# the file's findings grow slowly (a file with thousands of diagnostics would measure the
# client's JSON decoding, not the server).
STATEMENTS = [
    "\t_ = ctx\n",
    "\tfmt.Println(\"edited\")\n",
    "\tif ctx.Err() != nil {\n\t\treturn\n\t}\n",
    "\tvar n int\n\t_ = n\n",
    "\ttime.Sleep(time.Millisecond)\n",
    "\tselect {\n\tcase <-ctx.Done():\n\tdefault:\n\t}\n",
] * 2 + ["\tctx, stop := context.WithTimeout(ctx, time.Second)\n\t_ = ctx\n\tdefer stop()\n",
         "\tctx, cancel := context.WithCancel(ctx)\n"]
# Weights of the edit kinds (of a step; a burst is several edits).
MIX = {"burst": 45, "statement": 10, "delete line": 4, "word": 41}


@dataclass
class Pending:
    """An inserted burst left in the text, to be deleted later: [start, end) in characters."""

    start: int
    end: int


@dataclass
class Model:
    """The client's text and the bursts still in it (offsets in Python characters)."""

    text: str
    pending: list[Pending] = field(default_factory=list)

    def replace(self, start: int, end: int, new: str) -> None:
        self.text = self.text[:start] + new + self.text[end:]
        delta = len(new) - (end - start)
        kept = []
        for burst in self.pending:
            if burst.end <= start:
                kept.append(burst)
            elif burst.start >= end:
                kept.append(Pending(burst.start + delta, burst.end + delta))
            elif burst.start < start and end < burst.end:
                kept.append(Pending(burst.start, burst.end + delta))  # typed inside it: deleted with it
            # an edit over a pending burst's edge, or over all of it, consumed it
        self.pending = kept

    def position(self, offset: int) -> T.Position:
        line = self.text.count("\n", 0, offset)
        line_start = self.text.rfind("\n", 0, offset) + 1
        return T.Position(line=line, character=len(self.text[line_start:offset].encode("utf-16-le")) // 2)

    def body_line_starts(self) -> list[int]:
        """Offsets of the lines inside function bodies (as far as the text still shows them)."""
        starts, offset, inside = [], 0, False
        for line in self.text.split("\n"):
            if line.startswith("func ") and line.endswith("{"):
                inside = True
            elif line == "}":
                inside = False
            elif inside and line.startswith("\t") and len(line.strip()) > 3:
                starts.append(offset)
            offset += len(line) + 1
        return starts


def _edits(model: Model, rng: random.Random) -> Iterator[tuple[int, int, str]]:
    """(start, end, new text) of the next step's edits, applied to ``model`` as they go."""
    kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
    starts = model.body_line_starts()
    line_start = rng.choice(starts)
    line_end = model.text.find("\n", line_start)
    if kind == "burst":
        if model.pending and (len(model.pending) > 2 or rng.random() < 0.3):
            burst = model.pending.pop(0)
            yield burst.start, burst.end, ""
            return
        token = rng.choice(BURSTS)
        at = rng.randint(line_start + 1, line_end)
        for index, char in enumerate(token):
            yield at + index, at + index, char
        if rng.random() < 0.5:
            for index in reversed(range(len(token))):
                yield at + index, at + index + 1, ""
        else:
            model.pending.append(Pending(at, at + len(token)))
    elif kind in ("statement", "delete line"):
        statements = [start for start in starts if _statement_line(model.text[start:model.text.find("\n", start)])]
        if statements:
            at = rng.choice(statements)
            if kind == "statement":
                yield at, at, rng.choice(STATEMENTS)  # before a statement of the body: a statement
            else:
                yield at, model.text.find("\n", at) + 1, ""
    else:
        line = model.text[line_start:line_end]
        letters = [i for i, char in enumerate(line) if char.isalnum() and i > 0 and line[i - 1].isalnum()]
        at = line_start + (rng.choice(letters) if letters else 1)
        yield at, at, "x"
        yield at, at + 1, ""


def _statement_line(line: str) -> bool:
    """Whether ``line`` is a whole statement of a function's outermost block (gofmt: one tab;
    its brackets close in order on the line; no quote left open; no ``case x:`` label). New
    statements go before such a line and only such lines are deleted, so the syntax errors
    of the session are the bursts', which come and go. Inserting before any body line (in a
    ``var (`` group, between a ``select``'s cases) and deleting any (``if x {`` alone) left
    errors in the text for good: over 20,000 edits the file used to end with 158 broken
    top-level declarations out of 776, a text nobody types, not a long session."""
    if not line.startswith("\t") or line.startswith("\t\t") or line.rstrip().endswith(":"):
        return False
    depth = 0
    for char in line:
        if char in "{([":
            depth += 1
        elif char in "})]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and line.count('"') % 2 == 0 and "`" not in line


@dataclass
class Session:
    keystrokes: list[float] = field(default_factory=list)
    hovers: list[float] = field(default_factory=list)
    actions: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)  # after each thousand edits
    lines: list[int] = field(default_factory=list)  # the file's lines at those points
    texts: dict[int, str] = field(default_factory=dict)  # text after 1,000 edits and at the end
    agree: bool = False
    disagreement: str = ""
    server_findings: int = 0
    documents: dict[str, float] = field(default_factory=dict)  # RSS around 300 opens and closes


def server_pid() -> int:
    """The pid of this process's only child (the server); /proc, no client internals."""
    children: list[int] = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        with contextlib.suppress(OSError):
            children += [int(pid) for pid in (task / "children").read_text().split()]
    if len(children) != 1:
        raise RuntimeError(f"expected one server process, found {children}")
    return children[0]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError("no VmRSS")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


async def run(edits: int, lines: int, seed: int, documents: int = 300) -> Session:
    text = generate(lines, seed)
    rng = random.Random(seed)
    model = Model(text)
    session = Session()
    with corpus_module(text, prefix="ctx-lsp-long-") as (root, uri):
        bench = BenchClient({"debounceMs": 0, "minSeverity": "hint"})  # every finding, as the CLI oracle
        await bench.start(root)
        pid = server_pid()
        try:
            version = 0
            waiter = bench.expect(uri, version)
            bench.client.text_document_did_open(T.DidOpenTextDocumentParams(
                text_document=T.TextDocumentItem(uri=uri, language_id="go", version=version, text=text)))
            await asyncio.wait_for(waiter, 120)
            last_diagnostics: list[T.Diagnostic] = []
            while version < edits:
                for start, end, new in _edits(model, rng):
                    if version >= edits:
                        break
                    change = T.TextDocumentContentChangePartial(
                        range=T.Range(start=model.position(start), end=model.position(end)), text=new)
                    model.replace(start, end, new)
                    version += 1
                    waiter = bench.expect(uri, version)
                    started = time.perf_counter()
                    bench.client.text_document_did_change(T.DidChangeTextDocumentParams(
                        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
                        content_changes=[change]))
                    await asyncio.wait_for(waiter, 600)
                    session.keystrokes.append((time.perf_counter() - started) * 1000)
                    bench.arrivals.pop((uri, version - 1), None)
                    if version % 7 == 0:
                        session.hovers.append(await _hover(bench, uri, model, rng))
                    if version % 13 == 0:
                        session.actions.append(await _code_action(bench, uri, model, rng))
                    if version % 1000 == 0:
                        session.rss_mb.append(rss_mb(pid))
                        session.lines.append(model.text.count("\n") + 1)
                        print(f"[long session] {version} edits, {session.lines[-1]} lines, "
                              f"RSS {session.rss_mb[-1]:.0f} MB, median so far "
                              f"{statistics.median(session.keystrokes):.1f} ms, load {os.getloadavg()[0]:.2f}",
                              file=sys.stderr, flush=True)
                    if version == 1000:
                        session.texts[1000] = model.text
            session.texts[edits] = model.text
            last_diagnostics = bench.diagnostics.get(uri, [])
            session.server_findings = len(last_diagnostics)
            compare(session, root, model.text, last_diagnostics)
            session.documents = await _open_and_close(bench, root, pid, documents, seed)
        finally:
            await bench.stop()
    return session


async def _hover(bench: BenchClient, uri: str, model: Model, rng: random.Random) -> float:
    started = time.perf_counter()
    await bench.client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=uri), position=model.position(rng.randrange(len(model.text)))))
    return (time.perf_counter() - started) * 1000


async def _code_action(bench: BenchClient, uri: str, model: Model, rng: random.Random) -> float:
    """Code actions on the line of a published finding (random one) or on a random line."""
    diagnostics = bench.diagnostics.get(uri, [])
    if diagnostics and rng.random() < 0.8:
        chosen = rng.choice(diagnostics)
        request_range, named = chosen.range, [chosen]
    else:
        position = model.position(rng.randrange(len(model.text)))
        request_range, named = T.Range(start=position, end=position), []
    started = time.perf_counter()
    await bench.client.text_document_code_action_async(T.CodeActionParams(
        text_document=T.TextDocumentIdentifier(uri=uri), range=request_range,
        context=T.CodeActionContext(diagnostics=named)))
    return (time.perf_counter() - started) * 1000


def compare(session: Session, root: Path, text: str, diagnostics: list[T.Diagnostic]) -> None:
    """The server's last diagnostics against ``ctx-lsp check`` on the same text."""
    from ctx_lsp.cli import main as cli_main

    path = root / "final.go"
    (root / "corpus.go").unlink()  # the CLI sees the final text as the only file of the package
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        cli_main(["check", "--format", "json", "--min-severity", "hint", "-j", "1", "--no-progress", str(path)])
    lines = text.split("\n")
    cli = sorted((item["rule"], item["line"] - 1, item["message"]) for item in json.loads(out.getvalue())["diagnostics"])
    server = sorted((str(d.code), d.range.start.line, d.message) for d in diagnostics)
    session.agree = cli == server
    if not session.agree:
        session.disagreement = (f"server only: {sorted(set(server) - set(cli))[:5]}; "
                                f"CLI only: {sorted(set(cli) - set(server))[:5]} ({len(lines)} lines)")
    path.rename(root / "corpus.go")


async def _open_and_close(bench: BenchClient, root: Path, pid: int, count: int, seed: int) -> dict[str, float]:
    """RSS before opening ``count`` 1,000-line documents, with all open, after closing all."""
    result = {"before": rss_mb(pid)}
    text = generate(1000, seed + 1)
    uris = []
    for index in range(count):
        directory = root / f"many{index:03d}"
        directory.mkdir()
        path = directory / "many.go"
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        uris.append(uri)
        waiter = bench.expect(uri, 1)
        bench.client.text_document_did_open(T.DidOpenTextDocumentParams(
            text_document=T.TextDocumentItem(uri=uri, language_id="go", version=1, text=text)))
        await asyncio.wait_for(waiter, 120)
    result["open"] = rss_mb(pid)
    for uri in uris:
        bench.client.text_document_did_close(T.DidCloseTextDocumentParams(
            text_document=T.TextDocumentIdentifier(uri=uri)))
    await bench.client.text_document_hover_async(T.HoverParams(  # a round trip: every close handled
        text_document=T.TextDocumentIdentifier(uri=uris[0]), position=T.Position(line=0, character=0)))
    await asyncio.sleep(2.0)  # the server gives memory back a second after the last close
    result["closed"] = rss_mb(pid)
    return result


async def fresh_rss(text: str) -> float:
    """RSS of a fresh server that opened and analysed ``text`` (the memory the text costs)."""
    with corpus_module(text, prefix="ctx-lsp-fresh-") as (root, uri):
        bench = BenchClient({"debounceMs": 0, "minSeverity": "hint"})  # every finding, as the CLI oracle
        await bench.start(root)
        try:
            waiter = bench.expect(uri, 0)
            bench.client.text_document_did_open(T.DidOpenTextDocumentParams(
                text_document=T.TextDocumentItem(uri=uri, language_id="go", version=0, text=text)))
            await asyncio.wait_for(waiter, 120)
            return rss_mb(server_pid())
        finally:
            await bench.stop()


def report(session: Session, edits: int, seed: int, load_before: float, allowance: float) -> str:
    keystrokes, actions = session.keystrokes, session.actions
    median, p95, p99 = statistics.median(keystrokes), percentile(keystrokes, 0.95), percentile(keystrokes, 0.99)
    first, last = session.rss_mb[0], session.rss_mb[-1]
    ratio = (last - allowance) / first
    rows: list[tuple[str, float, float | None]] = [
        (f"keystroke -> publishDiagnostics, median ({len(keystrokes)} edits)", median, TARGETS["median"]),
        ("keystroke -> publishDiagnostics, p95", p95, TARGETS["p95"]),
        ("keystroke -> publishDiagnostics, p99", p99, None),
        ("keystroke -> publishDiagnostics, max", max(keystrokes), None),
        (f"code action round trip, p95 ({len(actions)} requests)", percentile(actions, 0.95), TARGETS["action p95"]),
        (f"hover round trip, p95 ({len(session.hovers)} requests)", percentile(session.hovers, 0.95), None),
        ("RSS after 1,000 edits, MB", first, None),
        (f"RSS after {len(session.rss_mb) * 1000:,} edits, MB", last, None),
        ("growth allowance (fresh server on the final text - on the text after 1,000 edits), MB", allowance, None),
        ("(RSS at the end - allowance) / RSS after 1,000 edits", ratio, TARGETS["rss ratio"]),
    ]
    if session.documents:
        rows += [("RSS before opening 300 documents of 1,000 lines, MB", session.documents["before"], None),
                 ("RSS with them open, MB", session.documents["open"], None),
                 ("RSS after closing them all, MB", session.documents["closed"], None)]
    per_thousand = ", ".join(f"{mb:.0f}" for mb in session.rss_mb)
    verdict = "yes" if session.agree else f"NO: {session.disagreement}"
    return "\n".join([
        (f"Long session: {edits:,} edits (seed {seed}), file {session.lines[0]:,} -> {session.lines[-1]:,} lines; "
         f"debounce 0; VS Code profile; {os.cpu_count()} CPUs; load average {load_before:.2f} before, "
         f"{os.getloadavg()[0]:.2f} after"),
        "",
        *target_table("measurement | ms or MB", rows),
        "",
        f"RSS per thousand edits (MB): {per_thousand}",
        f"server == `ctx-lsp check` on the final text ({session.server_findings} diagnostics): {verdict}",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=20_000)
    parser.add_argument("--lines", type=int, default=3_100)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--documents", type=int, default=300, help="documents opened and closed at the end")
    arguments = parser.parse_args(argv)
    if arguments.edits < 1000:
        parser.error("--edits must be at least 1000 (RSS is sampled per thousand edits)")
    load_before = os.getloadavg()[0]
    session = asyncio.run(run(arguments.edits, arguments.lines, arguments.seed, arguments.documents))
    allowance = max(0.0, asyncio.run(fresh_rss(session.texts[arguments.edits]))
                    - asyncio.run(fresh_rss(session.texts[1000])))
    print(report(session, arguments.edits, arguments.seed, load_before, allowance))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
