"""CPU time of ``ctx-lsp serve`` per didOpen and per keystroke, read from /proc (Linux).

``bench_server.py`` measures latency (wall clock), which on a loaded machine mostly measures
the load. This runs the same session (the generated 10,000-line file, debounce 0, VS Code
profile) and reports the server process's user+system CPU time spent between sending each
didOpen and receiving its diagnostics, and per single-character word edit on average.
The clock ticks are 10 ms on most kernels: compare medians of several opens, and compare two
trees back to back. The server runs as ``python -m ctx_lsp``, which imports the package of the
working directory before PYTHONPATH: to measure another tree, run from it
(``cd OTHER_TREE && PYTHONPATH=$PWD python /path/to/bench_server_cpu.py``); the same holds
for bench_server.py.

    python tests/bench/bench_server_cpu.py [--lines 10000] [--opens 7] [--edits 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_server as bench  # noqa: E402
from gen_corpus import generate  # noqa: E402


def cpu_ms(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads), in milliseconds."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


async def run(lines: int, opens: int, edits: int) -> str:
    text = generate(lines, 1)
    rng = random.Random(1)
    with bench.corpus_module(text) as (root, uri):
        client = bench.BenchClient({"debounceMs": 0, "minSeverity": "hint", "rules": {}})
        await client.start(root)
        server = client.client._server  # the pygls client's server subprocess
        assert server is not None
        pid = server.pid
        try:
            open_cpu = []
            for _ in range(opens):
                await asyncio.sleep(0.6)  # let work after the previous close finish
                before = cpu_ms(pid)
                await bench._open_once(client, uri, text)
                open_cpu.append(cpu_ms(pid) - before)
                await bench._close(client, uri)
            await bench._open_once(client, uri, text)
            await asyncio.sleep(0.6)
            before = cpu_ms(pid)
            times, _ = await bench._edit_loop(client, uri, bench._word_sites(text, rng, edits // 2 + 1), edits, 0)
            edit_cpu = (cpu_ms(pid) - before) / max(len(times), 1)
        finally:
            await client.stop()
    load = os.getloadavg()[0]
    return (f"didOpen: server CPU median {statistics.median(open_cpu):.0f} ms (each: "
            f"{', '.join(f'{value:.0f}' for value in open_cpu)}); word edit: server CPU {edit_cpu:.1f} ms on average, "
            f"wall median {statistics.median(times):.1f} ms; {lines} lines; load average {load:.1f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--opens", type=int, default=7)
    parser.add_argument("--edits", type=int, default=100)
    args = parser.parse_args(argv)
    print(asyncio.run(run(args.lines, args.opens, args.edits)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
