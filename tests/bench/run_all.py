"""Every benchmark of the issue "Benchmarks", in one run, as one markdown table.

    python tests/bench/run_all.py [--skip-vet] [--quick] [--corpus DIR] [--out FILE]

Rows, each with its target and whether this run met it:

- keystroke -> matching ``publishDiagnostics`` and ``didOpen`` -> first diagnostics on a
  generated 10,000-line file, debounce 0, over stdio (``bench_server.run``);
- hover on the same file: round trip over stdio through a real server (what an editor
  waits for) and in process (``bench_hover``: ``hover_at`` alone, warm);
- server RSS with 50 open 2,000-line documents (``bench_memory.measure``);
- a long editing session through broken code on a 3,100-line file (``bench_long_session``:
  keystroke latency over the whole session, code actions, RSS per thousand edits, and the
  server against ``ctx-lsp check`` at the end; ``--long-edits``, 20,000 by default);
- ``ctx-lsp check`` on the Go standard library sources, a fresh process, wall time;
  beside it the tree-sitter parse floor of the same files (what no analysis can beat) and
  ``go vet -lostcancel std cmd`` with an empty build cache (same packages), as ratios;
- ``ctx-lsp check`` startup on one small file.

The table is followed by the machine (CPU, cores, memory, Python and library versions) and
the load average before and after the run: this is a shared 2-core machine, and a busy
neighbour shows in every number. Nothing here is a test; the exit status is 0 whatever the
verdicts (``--strict`` makes a missed target exit 1).

``--quick`` shortens every measurement (fewer edits, opens and runs; no go vet) for a smoke
run; the README's table comes from a full run. Without network access everything works:
the corpora are generated (``gen_corpus.py``) or read from the local Go installation.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import bench_cli  # noqa: E402
import bench_hover  # noqa: E402
import bench_long_session  # noqa: E402
import bench_memory  # noqa: E402
import bench_server  # noqa: E402
from gen_corpus import generate  # noqa: E402

from ctx_lsp.batch import discover  # noqa: E402

EDIT_LINES = 10_000
MEMORY_DOCUMENTS = 50
MEMORY_LINES = 2_000
SEED = 1


@dataclass
class Row:
    what: str
    target: str
    measured: str
    ok: bool | None  # None: a reference number without a target

    def markdown(self) -> str:
        verdict = "" if self.ok is None else ("yes" if self.ok else "**no**")
        return f"| {self.what} | {self.target} | {self.measured} | {verdict} |"


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (the same definition as bench_server and bench_hover)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def log(message: str) -> None:
    print(f"[run_all {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- the language server ----------------------------------------------------------------------
def server_rows(edits: int, opens: int) -> list[Row]:
    log(f"server latency: {opens} opens, {edits} edits of each kind on a {EDIT_LINES:,}-line file")
    result = asyncio.run(bench_server.run(EDIT_LINES, edits, SEED, opens, []))
    open_times = result["open"]
    assert isinstance(open_times, list)
    rows = []
    kinds = (("word edits", "typing inside identifiers of function bodies; the code stays valid"),
             ("random edits", "a character anywhere in a body line; often a syntax error until deleted"))
    for key, description in kinds:
        times = result[key]
        assert isinstance(times, list)
        median, p95 = statistics.median(times), percentile(times, 0.95)
        rows.append(Row(f"keystroke -> publishDiagnostics, {EDIT_LINES:,}-line file, debounce 0, stdio: "
                        f"{len(times)} {key} ({description})", "median <= 10 ms, p95 <= 25 ms",
                        f"median {median:.1f} ms, p95 {p95:.1f} ms (max {max(times):.0f} ms)",
                        median <= 10 and p95 <= 25))
    median_open = statistics.median(open_times)
    rows.append(Row(f"didOpen -> first diagnostics, same file (median of {len(open_times)} fresh opens)", "<= 80 ms",
                    f"{median_open:.0f} ms (best {min(open_times):.0f} ms)", median_open <= 80))
    rows.append(_rules_off_row(opens))
    return rows


def _rules_off_row(opens: int) -> Row:
    """The same opens and word edits with every rule switched off: what parsing, the document
    model and the JSON-RPC round trip cost before any check runs (the floor of both rows)."""
    from ctx_lsp.rules import ALL_RULES

    log("server floor: the same with every rule off")
    every_rule = [rule.id for rule in ALL_RULES]
    result = asyncio.run(bench_server.run(EDIT_LINES, 100, SEED, opens, every_rule))
    open_times, word_times = result["open"], result["word edits"]
    assert isinstance(open_times, list) and isinstance(word_times, list)
    return Row("same file and client, every rule off (parse, document model, JSON-RPC: the floor under the rows "
               "above)", "(reference)",
               f"didOpen {statistics.median(open_times):.0f} ms; keystroke median "
               f"{statistics.median(word_times):.1f} ms, p95 {percentile(word_times, 0.95):.1f} ms", None)


async def _stdio_hover_times(text: str, offsets: list[int]) -> list[float]:
    """Round trips of hover requests at byte ``offsets`` through a real server over stdio."""
    from lsprotocol import types as T

    positions = [_utf16_position(text, offset) for offset in offsets]
    with bench_server.corpus_module(text, prefix="ctx-lsp-hover-") as (root, uri):
        bench = bench_server.BenchClient({"debounceMs": 0, "minSeverity": "hint"})
        await bench.start(root)
        try:
            waiter = bench.expect(uri, 0)
            bench.client.text_document_did_open(T.DidOpenTextDocumentParams(
                text_document=T.TextDocumentItem(uri=uri, language_id="go", version=0, text=text)))
            await asyncio.wait_for(waiter, 120)
            times = []
            for line, character in positions:
                started = time.perf_counter()
                await bench.client.text_document_hover_async(T.HoverParams(
                    text_document=T.TextDocumentIdentifier(uri=uri), position=T.Position(line=line, character=character)))
                times.append((time.perf_counter() - started) * 1000)
        finally:
            await bench.stop()
    return times


def _utf16_position(text: str, offset: int) -> tuple[int, int]:
    data = text.encode("utf-8")
    line = data.count(b"\n", 0, offset)
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace").encode("utf-16-le")) // 2
    return line, column


def hover_rows(samples: int) -> list[Row]:
    from ctx_lsp.engine.analyze import analyze
    from ctx_lsp.engine.config import Settings
    from ctx_lsp.engine.findings import Severity
    from ctx_lsp.engine.source import SourceFile
    from ctx_lsp.rules import ALL_RULES

    log(f"hover: {samples} random and every interesting position, in process and over stdio")
    text = generate(EDIT_LINES, SEED)
    data = text.encode()
    analysis = analyze(SourceFile.parse("corpus.go", data), Settings(min_severity=Severity.HINT), rules=ALL_RULES,
                       go_version=(1, 24))
    assert analysis.context is not None
    rng = random.Random(SEED)
    interesting = bench_hover.interesting_offsets(analysis.context)
    rng.shuffle(interesting)
    offsets = interesting + [rng.randrange(len(data)) for _ in range(samples)]
    in_process = bench_hover.measure(analysis.context, analysis.findings, offsets)
    round_trips = asyncio.run(_stdio_hover_times(text, offsets))
    p95_stdio, p95_local = percentile(round_trips, 0.95), percentile(in_process, 0.95)
    return [
        Row(f"hover, same file, round trip over stdio ({len(round_trips)} requests: "
            f"{len(interesting)} on API calls, cancel variables, go statements, fields; the rest random)",
            "p95 <= 5 ms", f"p95 {p95_stdio:.2f} ms (median {statistics.median(round_trips):.2f} ms)", p95_stdio <= 5),
        Row("hover, same positions, in process (`hover_at` on the analyzed file)", "p95 <= 5 ms",
            f"p95 {p95_local:.2f} ms (median {statistics.median(in_process):.2f} ms)", p95_local <= 5),
    ]


def memory_rows() -> list[Row]:
    log(f"memory: {MEMORY_DOCUMENTS} documents of {MEMORY_LINES:,} lines")
    result = bench_memory.measure(MEMORY_DOCUMENTS, MEMORY_LINES, SEED)
    final = result["edited"]
    return [Row(f"server RSS, {MEMORY_DOCUMENTS} open documents of {MEMORY_LINES:,} lines, each analyzed and "
                f"edited once", f"<= {bench_memory.BUDGET_MB:g} MB",
                f"{final:.0f} MB (idle server {result['idle']:.0f} MB, peak {result['peak']:.0f} MB)",
                final <= bench_memory.BUDGET_MB)]


def long_session_rows(edits: int) -> list[Row]:
    log(f"long session: {edits:,} mixed edits through broken code on a 3,100-line file")
    session = asyncio.run(bench_long_session.run(edits, 3_100, bench_long_session.SEED, documents=300))
    allowance = max(0.0, asyncio.run(bench_long_session.fresh_rss(session.texts[edits]))
                    - asyncio.run(bench_long_session.fresh_rss(session.texts[1000])))
    times, actions = session.keystrokes, session.actions
    median, p95, p99 = statistics.median(times), percentile(times, 0.95), percentile(times, 0.99)
    action_p95 = percentile(actions, 0.95)
    first, last = session.rss_mb[0], session.rss_mb[-1]
    ratio = (last - allowance) / first
    lines = f"{session.lines[0]:,} -> {session.lines[-1]:,} lines"
    closed = session.documents
    return [
        Row(f"long session through broken code ({edits:,} edits: typing bursts of brackets, quotes, comments, "
            f"emoji, statements inserted and lines deleted; {lines}), keystroke -> publishDiagnostics",
            "median <= 15 ms, p95 <= 50 ms", f"median {median:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.0f} ms "
            f"(max {max(times):.0f} ms)", median <= 15 and p95 <= 50),
        Row(f"same session, code action round trip ({len(actions)} requests)", "p95 <= 25 ms",
            f"p95 {action_p95:.1f} ms (median {statistics.median(actions):.1f} ms)", action_p95 <= 25),
        Row("same session, RSS after the last thousand edits less the file's growth (a fresh server on the final "
            "text minus one on the text after 1,000 edits), over RSS after 1,000 edits", "<= 1.3",
            f"{ratio:.2f} ({first:.0f} -> {last:.0f} MB, allowance {allowance:.1f} MB)", ratio <= 1.3),
        Row("same server, 300 documents of 1,000 lines opened and closed", "(reference)",
            f"RSS {closed['before']:.0f} MB before, {closed['open']:.0f} MB open, {closed['closed']:.0f} MB after "
            "closing", None),
        Row("same session, server diagnostics == `ctx-lsp check` on the final text", "equal",
            "equal" if session.agree else f"differ: {session.disagreement}", session.agree),
    ]


# -- the CLI -----------------------------------------------------------------------------------
def _best_wall(command: list[str], runs: int) -> tuple[float, list[float], str]:
    times, stdout = [], ""
    for _ in range(runs):
        elapsed, result = bench_cli.timed(command)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr[-2000:]}")
        times.append(elapsed)
        stdout = result.stdout
    return min(times), times, stdout


def cli_rows(corpus: Path, runs: int, vet: bool) -> list[Row]:
    workers = os.cpu_count() or 1
    command = bench_cli.ctx_lsp_command()
    targets, _, _ = discover([str(corpus)])
    paths = [target.path for target in targets]
    log(f"CLI: ctx-lsp check on {corpus} ({len(paths):,} files), {runs} runs")
    best, times, stdout = _best_wall([*command, "check", "--no-progress", str(corpus)], runs)
    findings = len(stdout.splitlines())
    kept = bench_cli.prefiltered(paths)
    floor = min(bench_cli.parse_floor(kept, workers) for _ in range(max(1, runs - 1)))
    floor_all = bench_cli.parse_floor(paths, workers)
    rows = [
        Row(f"`ctx-lsp check` on {corpus} ({len(paths):,} Go files), fresh process, -j {workers}, all rules",
            "<= 5 s wall", f"{best:.2f} s (best of {runs}; median {statistics.median(times):.2f} s; "
            f"{findings} findings)", best <= 5),
        Row(f"parse floor: tree-sitter parse of the {len(kept):,} files that pass the prefilter, {workers} processes",
            "(reference)", f"{floor:.2f} s: ctx-lsp takes {best / floor:.1f}x the floor "
            f"(parsing all {len(paths):,} files: {floor_all:.2f} s)", None),
    ]
    go = shutil.which("go")
    if vet and go is not None:
        log("go vet -lostcancel std cmd with an empty build cache (minutes)")
        with tempfile.TemporaryDirectory(prefix="ctx-lsp-gocache-") as cache:
            environment = {**os.environ, "GOCACHE": cache, "GOFLAGS": ""}
            cold, result = bench_cli.timed([go, "vet", "-lostcancel", "std", "cmd"], env=environment)
        reported = sum(1 for line in result.stderr.splitlines() if ": the cancel function" in line
                       or ": this return statement" in line)
        rows.append(Row("`go vet -lostcancel std cmd` (the same packages), empty build cache", "(reference)",
                        f"{cold:.1f} s = {cold / best:.0f}x ctx-lsp's time ({reported} lostcancel lines)", None))
    elif vet:
        rows.append(Row("`go vet -lostcancel std cmd`", "(reference)", "not run: go is not installed", None))
    return rows


def startup_rows(runs: int) -> list[Row]:
    """Median wall time of ``ctx-lsp check`` on one small file, twice: with compiled bytecode
    (what ``pip install`` leaves behind; here in a temporary PYTHONPYCACHEPREFIX, the
    checkout is not touched) and exactly as this shell runs it (this machine sets
    PYTHONDONTWRITEBYTECODE=1, so every start compiles ctx_lsp's sources again)."""
    command = bench_cli.ctx_lsp_command()
    log(f"CLI startup: {runs} runs on one small file, with and without compiled bytecode")
    with tempfile.TemporaryDirectory() as directory:
        small = Path(directory) / "small.go"
        small.write_bytes(bench_cli.SMALL_FILE)
        check = [*command, "check", str(small)]
        as_is = [bench_cli.timed(check)[0] * 1000 for _ in range(runs)]
        compiled_env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        compiled_env["PYTHONPYCACHEPREFIX"] = str(Path(directory) / "pycache")
        bench_cli.timed(check, env=compiled_env)  # writes the bytecode
        compiled = [bench_cli.timed(check, env=compiled_env)[0] * 1000 for _ in range(runs)]
    median, median_as_is = statistics.median(compiled), statistics.median(as_is)
    rows = [Row("`ctx-lsp check` on one small file (process start to exit), compiled bytecode as after "
                "`pip install`", "<= 200 ms", f"{median:.0f} ms median of {runs} (best {min(compiled):.0f} ms)",
                median <= 200)]
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        rows.append(Row("same, with PYTHONDONTWRITEBYTECODE=1 as set on this machine (sources compiled on every "
                        "start)", "(reference)", f"{median_as_is:.0f} ms median (best {min(as_is):.0f} ms)", None))
    return rows


# -- the machine -------------------------------------------------------------------------------
def machine() -> str:
    from importlib.metadata import version

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{memory_kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory = "RAM unknown"
    go = shutil.which("go")
    go_version = subprocess.run([go, "version"], capture_output=True, text=True).stdout.strip() if go else "no go"
    return (f"{cpu}, {os.cpu_count()} CPUs, {memory}, {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, tree-sitter {version('tree-sitter')}, "
            f"tree-sitter-go {version('tree-sitter-go')}, pygls {version('pygls')}; {go_version}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None, help="Go tree for the CLI rows (default: GOROOT/src)")
    parser.add_argument("--skip-vet", action="store_true", help="do not run go vet (minutes with a cold cache)")
    parser.add_argument("--quick", action="store_true", help="short smoke run; numbers are not for the README")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--out", type=Path, default=None, help="also write the report to this file")
    parser.add_argument("--long-edits", type=int, default=None,
                        help="edits of the long session (default 20,000; --quick: 2,000)")
    arguments = parser.parse_args(argv)

    corpus = arguments.corpus or bench_cli.go_std()
    load_before = os.getloadavg()
    started = time.perf_counter()
    steps: list[Callable[[], list[Row]]] = [
        lambda: server_rows(edits=40 if arguments.quick else 300, opens=2 if arguments.quick else 7),
        lambda: hover_rows(samples=200 if arguments.quick else 2000),
        memory_rows,
        lambda: long_session_rows(arguments.long_edits or (2_000 if arguments.quick else 20_000)),
        lambda: startup_rows(5 if arguments.quick else 21),
    ]
    if corpus is not None:
        steps.insert(3, lambda: cli_rows(corpus, 1 if arguments.quick else 3,
                                         vet=not arguments.skip_vet and not arguments.quick))
    rows: list[Row] = []
    for step in steps:
        rows.extend(step())
    load_after = os.getloadavg()

    lines = ["| what | target | measured | met |", "|---|---|---|:-:|", *(row.markdown() for row in rows)]
    if corpus is None:
        lines.append("| `ctx-lsp check` on the Go standard library | <= 5 s wall | not run: no Go sources "
                     "found (install golang-go or pass --corpus) | |")
    lines += ["", f"Machine: {machine()}.",
              f"Load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after; the run took "
              f"{time.perf_counter() - started:.0f} s. Command: `python tests/bench/run_all.py"
              f"{' --quick' if arguments.quick else ''}{' --skip-vet' if arguments.skip_vet else ''}`."]
    report = "\n".join(lines)
    print(report)
    if arguments.out is not None:
        arguments.out.write_text(report + "\n", encoding="utf-8")
    missed = [row for row in rows if row.ok is False]
    return 1 if arguments.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
