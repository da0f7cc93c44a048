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

The suite runs on pytest-xdist workers (pyproject.toml's addopts: ``-n auto --dist worksteal``);
``auto`` means two workers per CPU here (``pytest_xdist_auto_num_workers``), because most of
the slow tests wait on other processes (servers, editors, go vet) rather than compute.
"""

from __future__ import annotations

import os
from collections.abc import Callable
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        try:
            relative = item.path.resolve().relative_to(TESTS).as_posix()
        except ValueError:
            continue  # a test outside tests/ (given on the command line)
        if relative.split("/", 1)[0] in EDITOR_DIRECTORIES:
            item.add_marker(pytest.mark.editors)
        if relative in E2E_MODULES or "lsp_client" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
        if relative in SLOW or f"{relative}::{getattr(item, 'originalname', item.name)}" in SLOW:
            item.add_marker(pytest.mark.slow)


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
