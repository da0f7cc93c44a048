"""Shared fixtures and the test layers' markers.

Markers (registered in pyproject.toml) are given here by location, so a test module needs no
boilerplate and the layers stay listed in one place:

- ``editors``: drives a real editor or the VS Code extension's own test harness
  (``tests/editors/``); needs nvim, node and npm;
- ``e2e``: starts ``ctx-lsp serve`` processes and talks LSP to them (every test using
  pytest-lsp's client, and the modules in ``E2E_MODULES``);
- ``slow``: a module or test that takes tens of seconds on its own (``SLOW``; measured at a
  load of about 10 on 2 cores: the 200,000-line file 38-47 s, the server fuzz module 23 s).

``pytest -m "not e2e and not editors"`` runs the fast layers alone (engine, rules, CLI,
hover, in-process server model).

``scripts/test`` runs the suite on pytest-xdist workers (``-n auto``; ``--dist worksteal`` is in
pyproject.toml's addopts): ``auto`` means two workers per CPU here
(``pytest_xdist_auto_num_workers``), because most of the slow tests wait on other processes
(servers, editors, go vet) rather than compute, and the longest tests open the workers' shares
(``LONG_UNITS``). Expensive editor sessions run once per run (tests/editors/editor_support.py).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from tests.support import TESTDATA

# Under CI (CI=true) every property test is derandomized, so a submission is judged on the same
# examples each time; local runs and tests/bench/fuzz_campaign.py keep exploring new inputs (the
# fuzz tests have found real bugs that way; each one is pinned as a regression test).
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI", "").lower() == "true":
    hypothesis_settings.load_profile("ci")

TESTS = Path(__file__).resolve().parent
# `-n auto`: workers per CPU, and at most this many (each worker collects the whole suite, and
# module-scoped servers start once per worker that runs tests of their module).
WORKERS_PER_CPU = 2
MAX_AUTO_WORKERS = 8
EDITOR_DIRECTORIES = ("editors",)
# Modules that start server processes without pytest-lsp's fixture (raw stdio clients).
E2E_MODULES = frozenset({
    "lsp/test_lsp_e2e.py",
    "lsp/test_hover_e2e.py",
    "lsp/test_lsp_framing.py",
    "lsp/test_lsp_serve_cli.py",
    "robustness/test_server_fuzz.py",
    "robustness/test_security.py",
})
# Modules, or ``module::test`` for one test (all its parameters).
SLOW = frozenset({
    "robustness/test_pathological.py::test_two_hundred_thousand_lines",
    "robustness/test_server_fuzz.py",
})

# Tests that take tens of seconds, alone or as a chain (the .vsix build, then the two
# code-server sessions that install it), weighted by their serial seconds on 2 cores at a load
# average of about 6 (only the proportions matter).
# Under xdist each worker starts on a contiguous share of the collection (worksteal), so these
# units are moved to the fronts of the shares, spread so the shares weigh about the same: they
# start when the run starts instead of whenever a worker reaches them, and none ends the run
# alone. Keys are modules or ``module::test``; a unit keeps its tests' order.
LONG_UNITS: dict[tuple[str, ...], float] = {
    ("editors/test_vscode.py::test_platform_vsix_carries_the_server", "editors/test_vscode_e2e.py"): 70,
    ("editors/test_neovim_gopls.py",): 40,
    ("robustness/test_lost_publish.py",): 30,
    ("robustness/test_server_fuzz.py",): 23,
    ("robustness/test_fix_races.py::test_two_runs_and_an_editor_lose_nothing_and_count_truthfully",): 21,
    ("robustness/test_pathological.py::test_two_hundred_thousand_lines",): 20,
    ("editors/test_neovim.py",): 20,
    ("robustness/test_lifecycle.py::test_a_huge_debounce_is_clamped_and_diagnostics_still_arrive",): 11,
}


def _relative(item: pytest.Item) -> str | None:
    try:
        return item.path.resolve().relative_to(TESTS).as_posix()
    except ValueError:
        return None  # a test outside tests/ (given on the command line)


def _test_key(relative: str, item: pytest.Item) -> str:
    return f"{relative}::{getattr(item, 'originalname', item.name)}"


def add_layer_markers(items: list[pytest.Item]) -> None:
    for item in items:
        relative = _relative(item)
        if relative is None:
            continue
        if relative.split("/", 1)[0] in EDITOR_DIRECTORIES:
            item.add_marker(pytest.mark.editors)
        if relative in E2E_MODULES or "lsp_client" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
        if relative in SLOW or _test_key(relative, item) in SLOW:
            item.add_marker(pytest.mark.slow)


def xdist_share_sizes(total: int, workers: int) -> list[int]:
    """How pytest-xdist's worksteal scheduler first splits ``total`` tests among idle workers."""
    sizes = []
    for index in range(workers):
        size = total // (workers - index)
        sizes.append(size)
        total -= size
    return sizes


def long_units_first(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """``items`` reordered so that each LONG_UNITS unit opens one of the ``workers`` shares:
    the heaviest unit goes to the lightest share (longest processing time first); the other
    tests keep their order and fill the shares up."""
    units: dict[tuple[str, ...], list[pytest.Item]] = {key: [] for key in LONG_UNITS}
    rest = []
    for item in items:
        relative = _relative(item)
        keys = (relative, _test_key(relative, item)) if relative is not None else ()
        unit = next((key for key in LONG_UNITS if any(k in key for k in keys)), None)
        (units[unit] if unit is not None else rest).append(item)
    weights = [0.0] * workers
    fronts: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for key in sorted(LONG_UNITS, key=LONG_UNITS.__getitem__, reverse=True):
        if units[key]:
            lightest = weights.index(min(weights))
            weights[lightest] += LONG_UNITS[key]
            fronts[lightest].extend(units[key])
    ordered: list[pytest.Item] = []
    for front, size in zip(fronts, xdist_share_sizes(len(items), workers)):
        ordered.extend(front)
        fill = max(0, size - len(front))
        ordered.extend(rest[:fill])
        del rest[:fill]
    return ordered + rest


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> Iterator[None]:
    # The markers first: -m deselects by them in pytest's own implementation of this hook.
    add_layer_markers(items)
    yield
    # Then the order, on the tests that are left. Every worker collects and must come to the
    # same order; PYTEST_XDIST_WORKER_COUNT is set only in xdist's workers.
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers > 1:
        items[:] = long_units_first(items, workers)


def pytest_configure(config: pytest.Config) -> None:
    """Give the signals the stop tests send their default meaning back. A shell starts a
    background job (`cmd &`, as CI harnesses and `nohup` do) with SIGINT ignored and nohup
    ignores SIGHUP; an ignored signal stays ignored in every process started from it, so
    `ctx-lsp check --fix` under test would never see the Ctrl-C the test sends."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if signal.getsignal(signal.SIGHUP) is signal.SIG_IGN:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """How many workers ``-n auto`` starts: two per CPU (at most MAX_AUTO_WORKERS), unless
    PYTEST_XDIST_AUTO_NUM_WORKERS says otherwise. Measured on 2 CPUs: 4 workers beat 2."""
    chosen = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS")
    if chosen:
        return int(chosen)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(2, min(WORKERS_PER_CPU * cpus, MAX_AUTO_WORKERS))


@pytest.fixture(scope="session")
def testdata() -> Path:
    """``testdata/``: one directory of go/analysis-style Go files per rule, and ``example``."""
    return TESTDATA


@pytest.fixture
def go_module(tmp_path: Path) -> Callable[..., Path]:
    """A factory for a Go module in a temporary directory: ``go_module({"a.go": source},
    go="1.24")`` writes go.mod and the files and returns the directory."""
    def make(files: dict[str, str | bytes], go: str = "1.24", module: str = "example.com/m") -> Path:
        (tmp_path / "go.mod").write_text(f"module {module}\n\ngo {go}\n", encoding="utf-8")
        for name, content in files.items():
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                target.write_text(content, encoding="utf-8")
            else:
                target.write_bytes(content)
        return tmp_path

    return make
