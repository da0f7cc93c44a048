"""Shared setup of the editor tests: the `editors` marker (tests that drive a real editor:
Neovim, code-server with Chromium), so that `pytest -m editors` or `-m "not editors"` picks
them, and the platform .vsix built once per session for the tests that need it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from editor_support import missing_tool

REPO = Path(__file__).resolve().parents[2]
EXTENSION_DIR = REPO / "editors" / "vscode"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "editors: drives a real editor (Neovim, or code-server in headless Chromium)"
    )


@pytest.fixture(scope="session")
def linux_vsix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ctx-lsp-linux-x64.vsix from editors/vscode/build_vsix.py: the extension with the
    server and its dependencies (wheels from PyPI) bundled."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            missing_tool(tool)
    if not (EXTENSION_DIR / "node_modules" / ".package-lock.json").is_file():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=EXTENSION_DIR, check=True, timeout=600)
    completed = subprocess.run(
        [sys.executable, "build_vsix.py", "--target", "linux-x64"],
        cwd=EXTENSION_DIR, capture_output=True, text=True, timeout=600, check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    built = EXTENSION_DIR / "dist-vsix" / "ctx-lsp-linux-x64.vsix"
    copy = tmp_path_factory.mktemp("vsix") / built.name
    shutil.copyfile(built, copy)
    return copy
