"""The packaged VS Code extension in a real VS Code: code-server 4.100 (Code 1.100) in
Debian's headless Chromium, driven by playwright-core (vscode_e2e/drive.mjs).

The .vsix is built for this machine by editors/vscode/build_vsix.py (server and
dependencies bundled) and installed into code-server, which runs with PATH=/usr/bin:/bin:
the only Python it can find is Debian's python3, which has neither ctx-lsp nor pygls, so
everything the user sees comes from the bundled server. testdata/example is opened (a copy)
and the test checks what a user sees: ctx-lsp's findings in the Problems panel, a hover,
the preferred quick fix, source.fixAll.ctxlsp on save (the file on disk), and the
notification for a ctxLsp.path that does not exist. A second code-server session has no
usable Python (ctxLsp.interpreter names a missing file; the login shell that code-server
takes the extension host's PATH from puts no python3 there): it checks the notification
that says what is missing, that nothing else logs an error, and that setting
ctxLsp.interpreter as advised starts the server. code-server listens on 127.0.0.1 only.

Install: scripts/install-editor-tools (apt and npm only). A missing tool fails the test
when CI is set and skips it otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from editor_support import missing_tool, once_per_run

pytestmark = pytest.mark.editors

REPO = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent / "vscode_e2e"
CODE_SERVER = E2E_DIR / "node_modules" / ".bin" / "code-server"
INSTALLED_STAMP = E2E_DIR / "node_modules" / ".ctx-lsp-editor-tools"
CHROMIUM = Path("/usr/bin/chromium")
SYSTEM_PYTHON = Path("/usr/bin/python3")
NO_PYTHON_SHELL = E2E_DIR / "no_python_shell.sh"
MISSING_INTERPRETER = "/nonexistent/python3.12"
# Only stops a hung run; the whole session takes well under a minute.
DRIVE_TIMEOUT_S = 420
START_TIMEOUT_S = 120

def readme_settings() -> dict[str, Any]:
    """The user settings shown in the README's VS Code section (its ```jsonc block)."""
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("### VS Code\n") : readme.index("### Neovim\n")]
    (block,) = re.findall(r"```jsonc\n(.*?)```", section, flags=re.DOTALL)
    lines = [line for line in block.splitlines() if not line.strip().startswith("//")]
    settings: dict[str, Any] = json.loads("\n".join(lines))
    return settings


# Quiet, offline workbench settings, then the README's (fix-all on save, gopls's analyzer).
USER_SETTINGS = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "security.workspace.trust.enabled": False,
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "files.autoSave": "off",
    "editor.hover.delay": 100,
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Run:
    report: dict[str, Any]
    workspace: Path
    output: str
    extension_log: str

    def step(self, name: str) -> dict[str, Any]:
        step: dict[str, Any] | None = self.report["steps"].get(name)
        assert step is not None, f"step {name} did not run{self.context()}"
        assert step["ok"], f"step {name} failed: {step.get('error')}{self.context()}"
        return step

    def context(self) -> str:
        return (
            f"\nreport: {json.dumps(self.report, indent=1)[-6000:]}"
            f"\ncode-server and driver output: {self.output[-4000:]}"
            f"\nextension log: {self.extension_log[-3000:]}"
        )


def _wait_until_serving(port: int, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"code-server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail("code-server did not start listening")


def _check_tools() -> None:
    if not INSTALLED_STAMP.is_file() or not CODE_SERVER.exists():
        missing_tool("code-server")
    if not CHROMIUM.exists():
        missing_tool("Debian's chromium")
    if not SYSTEM_PYTHON.exists():
        missing_tool("/usr/bin/python3")


@contextmanager
def _session(
    vsix: Path,
    root: Path,
    *,
    scenario: str,
    machine_settings: dict[str, Any],
    extra_env: dict[str, str] | None = None,
) -> Iterator[Run]:
    """Installs the .vsix into a fresh code-server (own user data, extensions and HOME under
    root), opens a copy of testdata/example in it, runs drive.mjs's `scenario` and yields
    what it saw; code-server is stopped afterwards."""
    user_data, extensions, home, shots = (root / name for name in ("user-data", "extensions", "home", "shots"))
    for directory in (user_data / "User", user_data / "Machine", extensions, home, shots):
        directory.mkdir(parents=True)
    settings = {**USER_SETTINGS, **readme_settings()}
    assert settings["editor.codeActionsOnSave"] == {"source.fixAll.ctxlsp": "explicit"}
    (user_data / "User" / "settings.json").write_text(json.dumps(settings, indent=2))
    # ctxLsp.path and ctxLsp.interpreter are machine-scoped: code-server's windows are remote
    # windows, which take such settings from the machine settings ("Remote" tab of the
    # Settings editor).
    machine_settings_path = user_data / "Machine" / "settings.json"
    machine_settings_path.write_text(json.dumps(machine_settings, indent=2) + "\n")
    workspace = root / "example"
    shutil.copytree(REPO / "testdata" / "example", workspace)

    # Only Debian's Python (no ctx-lsp, no pygls) and system tools: the bundle must do.
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "LANG": "C.UTF-8",
    }
    common = [str(CODE_SERVER), "--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
    installed = subprocess.run(
        [*common, "--install-extension", str(vsix)], env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr

    port = _free_port()
    log_path = root / "code-server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [*common, "--bind-addr", f"127.0.0.1:{port}", "--auth", "none", "--disable-telemetry",
             "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override",
             "--ignore-last-opened", str(workspace)],
            env={**env, **(extra_env or {})}, stdout=log, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )
    try:
        _wait_until_serving(port, server)
        report_path = root / "report.json"
        driver_env = dict(os.environ)
        driver_env.update(
            E2E_URL=f"http://127.0.0.1:{port}/?folder={workspace}",
            E2E_REPORT=str(report_path),
            E2E_SETTINGS=str(machine_settings_path),
            E2E_SHOTS=str(shots),
            E2E_SCENARIO=scenario,
        )
        driven = subprocess.run(
            ["node", str(E2E_DIR / "drive.mjs")], cwd=E2E_DIR, env=driver_env, capture_output=True, text=True,
            timeout=DRIVE_TIMEOUT_S, check=False,
        )
        report = json.loads(report_path.read_text()) if report_path.exists() else {"steps": {}}
        extension_logs = sorted(user_data.glob("logs/**/ctx-lsp*.log"))
        yield Run(
            report=report,
            workspace=workspace,
            output=driven.stdout + driven.stderr + log_path.read_text(errors="replace"),
            extension_log="\n".join(log.read_text(errors="replace") for log in extension_logs),
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def _finished_session(vsix: Path, root: Path, **options: Any) -> Run:
    """What one code-server session saw, with code-server stopped again (the tests only read
    the report, the logs and the workspace's files)."""
    with _session(vsix, root, **options) as finished:
        return finished


# Each session takes tens of seconds and is looked at by several tests: it runs once per
# pytest run, on the first xdist worker that needs it (once_per_run), not once per worker.
@pytest.fixture(scope="module")
def run(linux_vsix: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    _check_tools()
    return once_per_run(tmp_path_factory, "code-server-main", lambda: _finished_session(
        linux_vsix, tmp_path_factory.mktemp("code-server"), scenario="main", machine_settings={}))


@pytest.fixture(scope="module")
def no_python_run(linux_vsix: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """A machine where VS Code finds no usable Python: ctxLsp.interpreter names a file that
    does not exist, there is no Python extension, and the login shell puts no python3 on PATH.

    code-server gives the extension host the environment of the user's login shell: it runs
    `$SHELL -i -l -c '<node> -p JSON.stringify(process.env)'` and lays the result over its
    own environment (resolveShellEnv in lib/vscode/out/server-main.js; the shell is $SHELL,
    else the account's shell). A real login shell would read /etc/profile, which puts
    /usr/bin (and Debian's python3) back on PATH, so SHELL is no_python_shell.sh: it runs
    that command with PATH = an empty directory, as a profile without Python would.
    """
    _check_tools()

    def no_python_session() -> Run:
        root = tmp_path_factory.mktemp("code-server-no-python")
        empty_bin = root / "bin"
        empty_bin.mkdir()
        shell = root / "no_python_shell.sh"
        shutil.copyfile(NO_PYTHON_SHELL, shell)
        shell.chmod(0o755)
        extra_env = {"SHELL": str(shell), "CTX_LSP_E2E_SHELL_PATH": str(empty_bin)}
        settings = {"ctxLsp.interpreter": MISSING_INTERPRETER}
        return _finished_session(linux_vsix, root, scenario="no-python", machine_settings=settings,
                                 extra_env=extra_env)

    return once_per_run(tmp_path_factory, "code-server-no-python", no_python_session)


def test_system_python_has_no_server() -> None:
    """The premise of the tests below: Debian's python3 alone cannot run ctx-lsp."""
    if not SYSTEM_PYTHON.exists():
        missing_tool("/usr/bin/python3")
    probe = subprocess.run(
        [str(SYSTEM_PYTHON), "-I", "-c", "import pygls"], capture_output=True, text=True, check=False
    )
    assert probe.returncode != 0, "Debian's python3 has pygls: the bundle test would prove nothing"


def test_problems_panel_lists_the_findings(run: Run) -> None:
    rows = "\n".join(run.step("problems")["rows"])
    assert "the cancel function returned by context.WithTimeout should be called, not discarded" in rows, (
        run.context()
    )
    assert "the cancel function is not used on all paths" in rows, run.context()
    assert "lostcancel" in rows and "ctx-lsp" in rows, run.context()


def test_hover_explains_the_call(run: Run) -> None:
    text = run.step("hover")["text"]
    # ctx-lsp's hover on the call: the signature and what the runtime does.
    assert "func WithTimeout(parent Context, timeout time.Duration) (Context, CancelFunc)" in text, run.context()
    assert "when the timeout elapses" in text, run.context()


def test_preferred_quick_fix_is_applied(run: Run) -> None:
    step = run.step("quickfix")
    assert step["chosen"] == "Name the cancel function cancel and defer it", run.context()
    assert any("lostcancel" in item for item in step["offered"]), run.context()  # the suppression
    assert "ctx, cancel := context.WithTimeout(parent, 30*time.Second)" in step["text"], run.context()
    assert "defer cancel()" in step["text"], run.context()
    assert not any("not discarded" in row for row in step["problems"]), run.context()


def test_fix_all_runs_on_save(run: Run) -> None:
    run.step("fix_all_on_save")
    saved = (run.workspace / "handler.go").read_text()
    lines = saved.splitlines()
    defining = lines.index("\tctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)")
    # source.fixAll.ctxlsp moved the defer up to the definition, before the early return.
    assert lines[defining + 1] == "\tdefer cancel()", saved
    assert "ctx, cancel := context.WithTimeout(parent, 30*time.Second)" in saved, saved


def test_missing_server_path_is_explained(run: Run) -> None:
    step = run.step("not_found")
    assert "/nonexistent/ctx-lsp" in step["text"] and "ctxLsp.path" in step["text"], run.context()
    assert "Open Settings" in step["buttons"], run.context()


def test_output_channel_has_no_errors_in_normal_use(run: Run) -> None:
    """Before the ctxLsp.path step nothing may be logged as an error (pygls's
    'Cancel notification for unknown message id' used to be)."""
    run.step("fix_all_on_save")
    lines = run.extension_log.splitlines()
    bogus = [index for index, line in enumerate(lines) if "/nonexistent/ctx-lsp" in line]
    normal_use = lines[: bogus[0]] if bogus else lines
    assert normal_use, f"no ctx-lsp output channel log found{run.context()}"
    assert any("Bundled server with /usr/bin/python3" in line for line in normal_use), run.context()
    errors = [line for line in normal_use if "[error]" in line]
    assert not errors, run.context()


def test_no_usable_python_is_explained(no_python_run: Run) -> None:
    """With no Python that can run the bundled server, one error notification names every
    interpreter tried, why it does not fit, and what to install or set."""
    step = no_python_run.step("no_python")
    text = " ".join(step["text"].split())
    assert "ctx-lsp needs Python 3.11 or newer to run its bundled server" in text, no_python_run.context()
    # What was tried: the setting (a file that does not exist) and PATH (no python3 there).
    assert f'ctxLsp.interpreter "{MISSING_INTERPRETER}" does not exist or is not executable' in text, (
        no_python_run.context()
    )
    assert "no python3 on PATH" in text, no_python_run.context()
    # What to do about it.
    assert "Install Python 3.11+ so that python3 is on PATH" in text, no_python_run.context()
    assert "ctxLsp.interpreter" in text and "ctxLsp.path" in text, no_python_run.context()
    assert {"Open Settings", "Show Output"} <= set(step["buttons"]), no_python_run.context()


def test_no_usable_python_logs_only_that_and_recovers(no_python_run: Run) -> None:
    """The missing Python is the only error in the output channel (nothing else fails with
    it), and setting ctxLsp.interpreter as the notification advises starts the server."""
    rows = "\n".join(no_python_run.step("interpreter_setting_fixes_it")["rows"])
    assert "the cancel function returned by context.WithTimeout should be called, not discarded" in rows, (
        no_python_run.context()
    )
    lines = no_python_run.extension_log.splitlines()
    errors = [line for line in lines if "[error]" in line]
    assert len(errors) == 1 and "needs Python 3.11 or newer" in errors[0], no_python_run.context()
    assert any(
        f"Bundled server with {SYSTEM_PYTHON} (interpreter-setting)" in line for line in lines
    ), no_python_run.context()
