"""A long robustness campaign: the fuzzers of tests/robustness at a scale CI cannot afford,
plus the time budgets the test suite does not assert.

    python tests/bench/fuzz_campaign.py [--inputs 20000] [--seed 1] [--sessions 100]
                                        [--nesting] [--budget 1.0]

Phases (each prints its counts):

1. analyzer: ``--inputs`` mutated testdata files (the mutations of tests/robustness/_support.py,
   driven by ``random.Random(seed)``): no rule may crash, every offset must lie in the file,
   every offered fix is applied alone and checked (only its ranges change, no new syntax
   errors, the finding goes away), the preferred fixes are applied together, and the
   server's cached incremental analysis must equal a fresh one;
2. timing: a realistic 10,000-line file (tests/bench/gen_corpus.py) and mutated versions of
   it must each be analyzed within ``--budget`` seconds;
3. nesting (``--nesting``): every 5,000-deep shape of tests/robustness/test_pathological.py,
   timed (no budget is asserted, the times are printed);
4. server (``--sessions`` > 0): random LSP sessions against a real server process, each ending
   with the comparison of its diagnostics to the CLI's findings.

Exit status 1 when anything failed or a budget was exceeded. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ctx_lsp.engine.analyze import DeclCache  # noqa: E402
from tests.robustness import _support as support  # noqa: E402


def random_operation(rng: random.Random) -> tuple[object, ...]:
    kind = rng.choice(["delete", "duplicate", "swap", "truncate", "insert", "insert", "line_breaks", "splice"])
    position = rng.randrange(1 << 20)
    if kind in ("delete", "duplicate", "truncate"):
        return (kind, position)
    if kind == "swap":
        return (kind, position, rng.randrange(1 << 20))
    if kind == "insert":
        inserted = rng.choice(support.INVALID_UTF8 + support.BRACKETS + (b"\0", b"\r", b"\r\n", b"\n", b";", b":="))
        return (kind, position, inserted)
    if kind == "line_breaks":
        return (kind, rng.randrange(1 << 32))
    return (kind, position, rng.randrange(1 << 20), rng.randrange(1 << 20), rng.randrange(40))


class Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.failures: list[str] = []

    def fail(self, kind: str, detail: str) -> None:
        self.counts[kind] += 1
        if len(self.failures) < 20:
            self.failures.append(f"[{kind}] {detail[:2000]}")


def analyzer_phase(inputs: int, seed: int, tally: Tally) -> None:
    from ctx_lsp.engine.fixes import apply_preferred_fixes

    rng = random.Random(seed)
    seeds = support.corpus()
    slowest = (0.0, "")
    started = time.perf_counter()
    for number in range(inputs):
        base = rng.choice(seeds)
        operations = [random_operation(rng) for _ in range(rng.randint(1, 4))]
        data = support.mutate(base.data, operations)
        where = f"{base.name} after {[support.describe(o) for o in operations]}"
        tally.counts["inputs"] += 1
        before = time.perf_counter()
        try:
            analysis = support.analyse_seed(base, data)
        except Exception as error:  # the engine must never raise: analyze() isolates rules
            tally.fail("analyzer exception", f"{where}: {error!r}")
            continue
        elapsed = time.perf_counter() - before
        slowest = max(slowest, (elapsed, where))
        tally.counts["findings"] += len(analysis.findings)
        for problem in support.invariant_problems(data, analysis):
            tally.fail("invariant", f"{where}: {problem}")
        for finding in analysis.findings:
            for fix in finding.fixes:
                tally.counts["fixes applied alone"] += 1
                problems, _ = support.fix_problems(data, base.analysed_path, base.go_version, finding, fix,
                                                   lambda fixed: support.analyse_seed(base, fixed), include_known=True)
                for problem in problems:
                    if support.is_known(problem):
                        tally.counts["known fix problems (reported, xfail tests)"] += 1
                    else:
                        tally.fail("fix", f"{where}: {problem}")
        if any(f.preferred_fix for f in analysis.findings):
            fixed, applied = apply_preferred_fixes(data, analysis.findings)
            tally.counts["fix-all runs"] += 1
            if support.syntax_error_count(support.SourceFile.parse("", fixed)) > \
                    support.syntax_error_count(support.SourceFile.parse("", data)):
                tally.fail("fix-all", f"{where}: {applied} fixes together add syntax errors")
        if number % 4 == 0:  # the incremental path costs two more analyses: sample it
            cache = DeclCache()
            support.analyse_seed(base, cache=cache)
            incremental = support.analyse_seed(base, data, cache=cache)
            tally.counts["cache comparisons"] += 1
            if support.comparable(incremental.findings) != support.comparable(analysis.findings):
                tally.fail("cache", where)
        if number and number % 1000 == 0:
            print(f"  ... {number} inputs, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"analyzer: {tally.counts['inputs']} inputs from {len(seeds)} seed files, "
          f"{tally.counts['findings']} findings, {tally.counts['fixes applied alone']} fixes applied alone, "
          f"{tally.counts['fix-all runs']} fix-all runs, {tally.counts['cache comparisons']} cache comparisons, "
          f"{tally.counts['known fix problems (reported, xfail tests)']} known fix problems; "
          f"slowest input {slowest[0]:.2f} s ({slowest[1][:120]})")


def timing_phase(seed: int, budget: float, tally: Tally) -> None:
    from tests.bench.gen_corpus import generate

    rng = random.Random(seed)
    source = generate(10_000, seed).encode()
    cold = support.analyse(source, "")  # warm-up: imports, query compilation
    times = []
    for round_number in range(12):
        data = source if round_number < 4 else support.mutate(source, [random_operation(rng)])
        before = time.perf_counter()
        support.analyse(data, "")
        times.append(time.perf_counter() - before)
    worst = max(times)
    verdict = "OK" if worst <= budget else "OVER BUDGET"
    print(f"timing: 10,000-line file ({len(source):,} bytes, {len(cold.findings)} findings): "
          f"median {statistics.median(times):.2f} s, max {worst:.2f} s, budget {budget:.2f} s: {verdict}")
    if worst > budget:
        tally.fail("budget", f"10,000-line file took {worst:.2f} s")


def nesting_phase(tally: Tally) -> None:
    from tests.robustness.test_pathological import NESTING_CASES, _findings

    for name in sorted(NESTING_CASES):
        source, expected = NESTING_CASES[name]()
        before = time.perf_counter()
        try:
            found = _findings(source)
        except AssertionError as error:
            tally.fail("nesting", f"{name}: {error}")
            continue
        elapsed = time.perf_counter() - before
        if found != expected:
            tally.fail("nesting", f"{name}: expected {sorted(expected)}, found {sorted(found)}")
        print(f"nesting 5,000 deep: {name:<28} {elapsed:7.2f} s")


def server_phase(sessions: int, seed: int, tally: Tally) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.robustness._rpc import RawClient, capabilities
    from tests.robustness.test_server_fuzz import OPENING, SESSION_OPERATIONS, Session, run_session

    with tempfile.TemporaryDirectory() as directory:
        for encoding in ("utf-8", "utf-16", "utf-32"):
            root = Path(directory) / encoding
            root.mkdir()
            (root / "go.mod").write_text("module example.com/campaign\n\ngo 1.24\n")
            client = RawClient(root / "server.stderr")
            client.initialize(capabilities(encoding), root, {"debounceMs": 0})

            @settings(max_examples=max(1, sessions // 3), deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            @given(opening=st.lists(OPENING, min_size=1, max_size=2),
                   operations=st.lists(SESSION_OPERATIONS, max_size=40))
            def session(opening: list[tuple[object, ...]], operations: list[tuple[object, ...]]) -> None:
                tally.counts["server sessions"] += 1
                tally.counts["server operations"] += len(opening) + len(operations)
                problems = run_session(Session(client, encoding, root), opening + operations)
                for problem in problems:
                    tally.fail("server", f"{encoding}: {problem}")

            try:
                session()
            except Exception as error:  # a dead or hung server ends the phase with its reason
                tally.fail("server", f"{encoding}: {error!r}")
            finally:
                try:
                    client.shutdown()
                finally:
                    client.kill()
    print(f"server: {tally.counts['server sessions']} sessions, {tally.counts['server operations']} operations "
          f"in three position encodings")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=20_000, help="mutated files for the analyzer phase")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sessions", type=int, default=60, help="random LSP sessions (0: skip the server)")
    parser.add_argument("--nesting", action="store_true", help="time the 5,000-deep nesting shapes")
    parser.add_argument("--budget", type=float, default=1.0, help="seconds allowed for a 10,000-line file")
    arguments = parser.parse_args(argv)
    tally = Tally()
    started = time.perf_counter()
    analyzer_phase(arguments.inputs, arguments.seed, tally)
    timing_phase(arguments.seed, arguments.budget, tally)
    if arguments.nesting:
        nesting_phase(tally)
    if arguments.sessions:
        server_phase(arguments.sessions, arguments.seed, tally)
    problems = {kind: count for kind, count in tally.counts.items() if kind in (
        "analyzer exception", "invariant", "fix", "fix-all", "cache", "budget", "nesting", "server")}
    print(f"total: {time.perf_counter() - started:.0f} s; problems: {problems or 'none'}")
    for failure in tally.failures:
        print(failure)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
