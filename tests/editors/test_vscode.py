"""VS Code extension (editors/vscode), run from pytest so that CI covers it.

Each test runs one npm script of the extension: the TypeScript type check, the node:test
unit and bundle tests, the smoke test that drives the real server through
vscode-languageserver-protocol, and the platform .vsix with the server bundled (built by
build_vsix.py). The extension in a real VS Code: test_vscode_e2e.py.

The smoke test's server command is ``CTX_LSP_SERVER`` (a shell-style string), by default
``<this python> -m ctx_lsp serve``. A missing node or npm fails the tests when ``CI`` is
set and skips them otherwise. Missing node_modules are installed with ``npm ci``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from editor_support import ensure_node_modules
from filelock import FileLock

REPO = Path(__file__).resolve().parents[2]
EXTENSION_DIR = REPO / "editors" / "vscode"

pytestmark = pytest.mark.editors

# Only stops a hung script from hanging the run: every script below takes a few seconds.
SCRIPT_TIMEOUT_S = 300

def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed; the VS Code extension cannot be built or tested"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def _run(args: list[str], *, timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=EXTENSION_DIR, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        timeout=timeout, check=False,
    )


def _assert_succeeded(result: subprocess.CompletedProcess[str], what: str) -> None:
    # The tail is where node's test runner and tsc put the failures.
    assert result.returncode == 0, f"{what} failed (exit {result.returncode}):\n{result.stdout[-12000:]}"


@pytest.fixture(scope="module")
def npm(extension_dir_lock: FileLock) -> str:
    _tool("node")
    npm_path = _tool("npm")
    ensure_node_modules(extension_dir_lock)
    return npm_path


def _npm_script(npm: str, lock: FileLock, script: str,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`npm run script` in editors/vscode, holding the lock: the scripts build into dist/ and
    out/, which other workers' scripts and build_vsix.py write too."""
    with lock:
        return _run([npm, "run", "--silent", script], timeout=SCRIPT_TIMEOUT_S, env=env)


def test_typescript_type_checks(npm: str, extension_dir_lock: FileLock) -> None:
    _assert_succeeded(_npm_script(npm, extension_dir_lock, "typecheck"), "tsc --noEmit")


def test_unit_and_bundle_tests(npm: str, extension_dir_lock: FileLock) -> None:
    result = _npm_script(npm, extension_dir_lock, "test:unit")
    _assert_succeeded(result, "the extension's unit tests")
    assert "# fail 0" in result.stdout, result.stdout[-4000:]


def test_smoke_test_against_the_real_server(npm: str, extension_dir_lock: FileLock) -> None:
    env = dict(os.environ)
    env.setdefault("CTX_LSP_SERVER", shlex.join([sys.executable, "-m", "ctx_lsp", "serve"]))
    result = _npm_script(npm, extension_dir_lock, "test:smoke", env)
    _assert_succeeded(result, f"the smoke test with CTX_LSP_SERVER={env['CTX_LSP_SERVER']!r}")
    assert "# fail 0" in result.stdout, result.stdout[-4000:]


def test_platform_vsix_carries_the_server(linux_vsix: Path) -> None:
    """build_vsix.py's .vsix: the client bundle, LICENSE, icon, the target in the manifest,
    ctx_lsp and its pure-Python dependencies once, tree-sitter for each Python 3.11-3.14,
    and no bytecode or console scripts built for this machine."""
    with zipfile.ZipFile(linux_vsix) as archive:
        names = set(archive.namelist())
        manifest = archive.read("extension.vsixmanifest").decode()
    assert 'TargetPlatform="linux-x64"' in manifest, manifest
    assert {"extension/dist/extension.js", "extension/package.json", "extension/readme.md",
            "extension/LICENSE.txt", "extension/icon.png"} <= names, sorted(names)[:40]
    common = "extension/bundled/libs/common/"
    for module in ("ctx_lsp/__init__.py", "ctx_lsp/lsp/server.py", "pygls/__init__.py",
                   "lsprotocol/__init__.py", "tree_sitter_go/__init__.py", "rich/__init__.py"):
        assert common + module in names, module
    for tag in ("cp311", "cp312", "cp313", "cp314"):
        compiled = [n for n in names if n.startswith(f"extension/bundled/libs/{tag}/tree_sitter/") and n.endswith(".so")]
        assert compiled, f"no tree-sitter for {tag}"
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.startswith("extension/bundled/libs/") and "/bin/" in n]


def test_bundle_pins_every_server_dependency() -> None:
    """editors/vscode/bundle-requirements.txt pins each of pyproject.toml's dependencies."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    def name(requirement: str) -> str:
        return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
    pinned = {
        name(line): line
        for line in (EXTENSION_DIR / "bundle-requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    for requirement in pyproject["project"]["dependencies"]:
        assert name(requirement) in pinned, f"{requirement} is not in bundle-requirements.txt"
        assert "==" in pinned[name(requirement)], pinned[name(requirement)]
