"""Shared setup of the editor tests: the `editors` marker (tests that drive a real editor:
Neovim, code-server with Chromium), so that `pytest -m editors` or `-m "not editors"` picks
them, and the platform .vsix built once per run for the tests that need it.

The suite runs on several pytest-xdist workers. Everything that writes into the extension's
directory of the checkout (npm ci, the npm scripts' builds into dist/ and out/, build_vsix.py
into bundled/ and dist-vsix/) holds one file lock shared by the workers of a run, and the
.vsix is built by the first worker that needs it and reused by the others.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from editor_support import EXTENSION_DIR, ensure_node_modules, once_per_run, run_shared_directory
from filelock import FileLock

VSIX_NAME = "ctx-lsp-linux-x64.vsix"
# Only stops a hung build from hanging the run: build_vsix.py (pip, esbuild, vsce) takes
# about 20 s.
BUILD_TIMEOUT_S = 600


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "editors: drives a real editor (Neovim, or code-server in headless Chromium)"
    )


@pytest.fixture(scope="session")
def extension_dir_lock(tmp_path_factory: pytest.TempPathFactory) -> FileLock:
    """Held while a command writes into editors/vscode: two workers building at once would
    overwrite each other's dist/, out/ or bundled/ halfway through."""
    return FileLock(run_shared_directory(tmp_path_factory) / "editors-vscode.lock")


@pytest.fixture(scope="session")
def linux_vsix(tmp_path_factory: pytest.TempPathFactory, extension_dir_lock: FileLock) -> Path:
    """ctx-lsp-linux-x64.vsix from editors/vscode/build_vsix.py: the extension with the
    server and its dependencies (wheels from PyPI) bundled. Built once per run into the run's
    shared directory; the tests only read it (unzip it, install it into code-server)."""
    ensure_node_modules(extension_dir_lock)

    def build() -> Path:
        with extension_dir_lock:
            completed = subprocess.run(
                [sys.executable, "build_vsix.py", "--target", "linux-x64"],
                cwd=EXTENSION_DIR, capture_output=True, text=True, timeout=BUILD_TIMEOUT_S, check=False,
            )
            assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
            copy = run_shared_directory(tmp_path_factory) / "vsix" / VSIX_NAME
            copy.parent.mkdir(exist_ok=True)
            shutil.copyfile(EXTENSION_DIR / "dist-vsix" / VSIX_NAME, copy)
            return copy

    return once_per_run(tmp_path_factory, "linux-vsix", build)
