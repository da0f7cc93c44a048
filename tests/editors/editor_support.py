"""Helpers shared by the editor tests (imported by name: tests/editors is on sys.path)."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from filelock import FileLock

REPO = Path(__file__).resolve().parents[2]
EXTENSION_DIR = REPO / "editors" / "vscode"
# Only stops a hung `npm ci` from hanging the run (about a minute on a cold cache).
INSTALL_TIMEOUT_S = 600

T = TypeVar("T")


def missing_tool(what: str) -> None:
    """In CI a missing tool is a broken setup, not a reason to skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI but was not found (bash scripts/install-editor-tools)")
    pytest.skip(f"{what} not found (bash scripts/install-editor-tools)")


def run_shared_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory that every pytest-xdist worker of this run shares (the run's base temporary
    directory, which holds each worker's own base), or this process's base without xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once_per_run(tmp_path_factory: pytest.TempPathFactory, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per pytest run, whichever xdist workers need it: the first one computes
    it (holding a file lock named after ``name``) and pickles the result into the run's shared
    directory; the others wait for the lock and read that. For an editor session that takes
    tens of seconds and that several tests look at, where a module-scoped fixture would start
    one per worker. A failure is recorded too, so the other workers do not try again."""
    shared = run_shared_directory(tmp_path_factory)
    result = shared / f"{name}.pickle"
    failure = shared / f"{name}.failure"
    with FileLock(shared / f"{name}.lock"):
        if result.is_file():
            loaded: T = pickle.loads(result.read_bytes())
            return loaded
        if failure.is_file():
            pytest.fail(f"{name} failed on another worker:\n{failure.read_text()}")
        try:
            value = compute()
        except pytest.skip.Exception:
            raise  # a missing tool outside CI: every worker skips on its own
        except BaseException as error:
            failure.write_text(f"{type(error).__name__}: {error}")
            raise
        result.write_bytes(pickle.dumps(value))
        return value


def ensure_node_modules(lock: FileLock) -> None:
    """`npm ci` in editors/vscode unless its node_modules are installed (scripts/test installs
    them before the run; this is for a developer who runs the editor tests alone)."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            missing_tool(tool)
    with lock:
        if (EXTENSION_DIR / "node_modules" / ".package-lock.json").is_file():
            return
        completed = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"], cwd=EXTENSION_DIR, text=True, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, timeout=INSTALL_TIMEOUT_S, check=False,
        )
        assert completed.returncode == 0, f"npm ci failed (exit {completed.returncode}):\n{completed.stdout[-12000:]}"
