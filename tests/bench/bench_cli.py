"""Benchmark of the batch CLI against go vet and the tree-sitter parse floor.

Run:  .venv/bin/python tests/bench/bench_cli.py [--corpus DIR] [--skip-vet] [--runs N]

Prints a markdown table. Measures, on the Go standard library sources when installed
(``go env GOROOT``/src, about 5,600 files) or on a generated corpus otherwise:

- ``ctx-lsp check`` cold: a fresh process, default ``-j`` (CPU count), wall time;
- the parse floor: tree-sitter parsing every file that passes the prefilter (what no
  analysis can beat), and of every file (what the prefilter saves);
- ``go vet -lostcancel std`` with an empty build cache (cold) and warm, when go is installed;
- ``ctx-lsp check`` startup on one small file (median of N runs).
This is a script, not a test: numbers depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from ctx_lsp.batch import discover, prefilter_needles  # noqa: E402
from ctx_lsp.engine.parse import parse  # noqa: E402
from ctx_lsp.rules import ALL_RULES  # noqa: E402

SMALL_FILE = b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, cancel := context.WithCancel(p)\n\tdefer cancel()\n\t_ = ctx\n}\n'


def go_std() -> Path | None:
    go = shutil.which("go")
    if go is None:
        return None
    root = subprocess.run([go, "env", "GOROOT"], capture_output=True, text=True).stdout.strip()
    src = Path(root) / "src"
    return src if src.is_dir() else None


def ctx_lsp_command() -> list[str]:
    script = Path(sys.executable).parent / "ctx-lsp"
    return [str(script)] if script.exists() else [sys.executable, "-m", "ctx_lsp"]


def timed(command: list[str], **kwargs: object) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - start, result


def _parse_files(paths: list[str]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += parse(handle.read()).root_node.end_byte
    return total


def parse_floor(paths: list[str], workers: int) -> float:
    chunks = [paths[i::workers] for i in range(workers)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_parse_files, chunks))
    return time.perf_counter() - start


def prefiltered(paths: list[str]) -> list[str]:
    needles = prefilter_needles(ALL_RULES)
    if needles is None:
        return paths
    kept = []
    for path in paths:
        with open(path, "rb") as handle:
            data = handle.read()
        if any(needle in data for needle in needles):
            kept.append(path)
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None, help="Go source tree (default: GOROOT/src)")
    parser.add_argument("--skip-vet", action="store_true", help="do not run go vet (it takes minutes cold)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of the ctx-lsp timings")
    arguments = parser.parse_args()

    corpus = arguments.corpus or go_std()
    if corpus is None:
        from tests.bench.gen_corpus import generate  # type: ignore[import-not-found]

        corpus = Path(tempfile.mkdtemp(prefix="ctx-lsp-corpus-"))
        for index in range(200):
            (corpus / f"f{index}.go").write_text(generate(2000, seed=index))
    targets, _, _ = discover([str(corpus)])
    paths = [t.path for t in targets]
    lines = sum(Path(p).read_bytes().count(b"\n") for p in paths)
    workers = os.cpu_count() or 1
    command = ctx_lsp_command()

    rows: list[tuple[str, str]] = []
    check_times = []
    findings = ""
    for _ in range(arguments.runs):
        elapsed, result = timed([*command, "check", str(corpus)])
        check_times.append(elapsed)
        findings = str(len(result.stdout.splitlines()))
    check = min(check_times)
    rows.append((f"`ctx-lsp check` cold, {len(paths)} files, {lines:,} lines, -j {workers}",
                 f"{check:.2f} s (best of {arguments.runs}; median {statistics.median(check_times):.2f} s); "
                 f"{findings} findings"))

    kept = prefiltered(paths)
    floor_kept = parse_floor(kept, workers)
    floor_all = parse_floor(paths, workers)
    rows.append((f"parse floor: tree-sitter parse of the {len(kept)} prefiltered files, {workers} processes",
                 f"{floor_kept:.2f} s (ctx-lsp = {check / floor_kept:.1f}x the floor)"))
    rows.append((f"parse of all {len(paths)} files, {workers} processes (what the prefilter saves)",
                 f"{floor_all:.2f} s"))

    with tempfile.TemporaryDirectory() as directory:
        small = Path(directory) / "small.go"
        small.write_bytes(SMALL_FILE)
        startups = [timed([*command, "check", str(small)])[0] for _ in range(max(5, arguments.runs))]
    rows.append(("`ctx-lsp check` on one small file (startup)", f"{statistics.median(startups) * 1000:.0f} ms median"))

    go = shutil.which("go")
    if go is not None and not arguments.skip_vet and corpus == go_std():
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "GOCACHE": cache, "GOFLAGS": ""}
            cold, _ = timed([go, "vet", "-lostcancel", "std"], env=env)
            warm, _ = timed([go, "vet", "-lostcancel", "std"], env=env)
        rows.append(("`go vet -lostcancel std`, empty build cache (cold)", f"{cold:.1f} s ({cold / check:.0f}x ctx-lsp)"))
        rows.append(("`go vet -lostcancel std`, warm build cache", f"{warm:.1f} s"))

    print(f"Machine: {platform.machine()}, {workers} CPUs, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; corpus {corpus}\n")
    print("| what | result |\n|---|---|")
    for what, result in rows:
        print(f"| {what} | {result} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
