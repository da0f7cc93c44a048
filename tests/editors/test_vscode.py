"""VS Code extension (editors/vscode), run from pytest so that CI covers it.

Each test runs one npm script of the extension: the TypeScript type check, the node:test
unit and bundle tests, the smoke test that drives the real server through
vscode-languageserver-protocol, and offline packaging of the .vsix. VS Code itself cannot
be downloaded here; see editors/vscode/README.md.

The smoke test's server command is ``CTX_LSP_SERVER`` (a shell-style string), by default
``<this python> -m ctx_lsp serve``. A missing node or npm fails the tests when ``CI`` is
set and skips them otherwise. Missing node_modules are installed with ``npm ci``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXTENSION_DIR = REPO / "editors" / "vscode"

# Generous limits that only stop a hung process from hanging the run: npm ci takes about
# a minute on a cold cache, every script below a few seconds.
INSTALL_TIMEOUT_S = 600
SCRIPT_TIMEOUT_S = 300

# What the .vsix must hold (esbuild bundles every runtime dependency into extension.js).
VSIX_FILES = {
    "extension.vsixmanifest",
    "[Content_Types].xml",
    "extension/package.json",
    "extension/readme.md",
    "extension/dist/extension.js",
}


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
def npm() -> str:
    _tool("node")
    npm_path = _tool("npm")
    if not (EXTENSION_DIR / "node_modules" / ".package-lock.json").is_file():
        result = _run([npm_path, "ci", "--no-audit", "--no-fund"], timeout=INSTALL_TIMEOUT_S)
        _assert_succeeded(result, "npm ci")
    return npm_path


def _npm_script(npm: str, script: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return _run([npm, "run", "--silent", script], timeout=SCRIPT_TIMEOUT_S, env=env)


def test_typescript_type_checks(npm: str) -> None:
    _assert_succeeded(_npm_script(npm, "typecheck"), "tsc --noEmit")


def test_unit_and_bundle_tests(npm: str) -> None:
    result = _npm_script(npm, "test:unit")
    _assert_succeeded(result, "the extension's unit tests")
    assert "# fail 0" in result.stdout, result.stdout[-4000:]


def test_smoke_test_against_the_real_server(npm: str) -> None:
    env = dict(os.environ)
    env.setdefault("CTX_LSP_SERVER", shlex.join([sys.executable, "-m", "ctx_lsp", "serve"]))
    result = _npm_script(npm, "test:smoke", env)
    _assert_succeeded(result, f"the smoke test with CTX_LSP_SERVER={env['CTX_LSP_SERVER']!r}")
    assert "# fail 0" in result.stdout, result.stdout[-4000:]


def test_vsix_packages_offline_with_only_the_bundle(npm: str, tmp_path: Path) -> None:
    vsix = tmp_path / "ctx-lsp.vsix"
    # vsce runs the vscode:prepublish script (the production esbuild build) first.
    result = _run(
        [npm, "exec", "--", "vsce", "package", "--no-dependencies", "--skip-license", "--allow-missing-repository",
         "--out", str(vsix)],
        timeout=SCRIPT_TIMEOUT_S,
    )
    _assert_succeeded(result, "vsce package")
    with zipfile.ZipFile(vsix) as archive:
        assert set(archive.namelist()) == VSIX_FILES
