"""The batch CLI: formats, exit codes, bad input, --fix/--diff safety, rules/explain/version."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ctx_lsp import batch
from ctx_lsp.cli import main

LEAK = b"""package p

import "context"

func f(p context.Context) error {
\tctx, _ := context.WithCancel(p)
\treturn ctx.Err()
}
"""
CLEAN = b"""package p

import "context"

func g(p context.Context) error {
\tctx, cancel := context.WithCancel(p)
\tdefer cancel()
\treturn ctx.Err()
}
"""
MESSAGE = "the cancel function returned by context.WithCancel should be called, not discarded, to avoid a context leak"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "leak.go").write_bytes(LEAK)
    (tmp_path / "clean.go").write_bytes(CLEAN)
    for skipped in ("vendor", "testdata", ".hidden", "_build"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "x.go").write_bytes(LEAK)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "leak2.go").write_bytes(LEAK)
    return tmp_path


def test_text_format_and_exit_status(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", str(tree))
    assert code == 1
    assert out.splitlines() == [f"{tree}/leak.go:6:7: {MESSAGE} [lostcancel]",
                                f"{tree}/sub/leak2.go:6:7: {MESSAGE} [lostcancel]"]
    assert err == ""


def test_clean_file_exits_zero(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", str(tree / "clean.go")) == (0, "", "")


def test_ellipsis_and_relative_paths(tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.chdir(tree)
    code, out, _ = run(capsys, "check", "./...")
    assert code == 1 and out.splitlines()[0].startswith("leak.go:6:7:")
    code, out, _ = run(capsys, "check", "sub/...")
    assert out.startswith("sub/leak2.go:6:7:")


def test_json_matches_the_contract(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--format", "json", str(tree / "leak.go"), str(tree / "clean.go"))
    document = json.loads(out)
    assert code == 1
    assert set(document) == {"version", "diagnostics", "files_checked", "errors"}
    assert document["version"] == 1 and document["files_checked"] == 2 and document["errors"] == []
    (diagnostic,) = document["diagnostics"]
    assert {k: v for k, v in diagnostic.items() if k != "fixes"} == {
        "path": f"{tree}/leak.go", "line": 6, "column": 7, "end_line": 6, "end_column": 8,
        "rule": "lostcancel", "severity": "warning", "message": MESSAGE}
    (fix,) = diagnostic["fixes"]
    assert fix["preferred"] is True and {e["new_text"] for e in fix["edits"]} == {"cancel", "\n\tdefer cancel()"}


def test_sarif_is_structurally_valid(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "--format", "sarif", str(tree / "leak.go"))
    document = json.loads(out)
    assert document["version"] == "2.1.0"
    (run_,) = document["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "ctx-lsp" and any(rule["id"] == "lostcancel" for rule in driver["rules"])
    (result,) = run_["results"]
    assert result["ruleId"] == "lostcancel" and result["level"] == "warning"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (6, 7)
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("leak.go")


def test_github_annotations_escape_properties(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "a,b:c.go"
    odd.write_bytes(LEAK)
    _, out, _ = run(capsys, "check", "--format", "github", str(odd))
    assert out.startswith("::warning file=") and "a%2Cb%3Ac.go,line=6,col=7," in out
    assert out.rstrip().endswith(f"::{MESSAGE}")


def test_select_ignore_and_min_severity(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--ignore", "lostcancel", str(tree / "leak.go"))[:2] == (0, "")
    assert run(capsys, "check", "--min-severity", "error", str(tree / "leak.go"))[:2] == (0, "")
    assert run(capsys, "check", "--select", "lostcancel", str(tree / "leak.go"))[0] == 1
    code, _, err = run(capsys, "check", "--select", "nonsense", str(tree))
    assert code == 2 and "unknown rule" in err


def test_config_file_is_read(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / ".ctx-lsp.toml").write_text('[rules]\nlostcancel = "error"\n')
    _, out, _ = run(capsys, "check", "--format", "json", str(tree / "leak.go"))
    assert json.loads(out)["diagnostics"][0]["severity"] == "error"
    (tree / ".ctx-lsp.toml").write_text('[rules]\nlostcancel = "off"\nbogus = 1\n')
    code, out, err = run(capsys, "check", str(tree / "leak.go"))
    assert code == 0 and out == "" and "unknown rule 'bogus'" in err


def test_bad_input_is_reported_and_the_run_continues(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "leak.go").write_bytes(LEAK)
    (tmp_path / "binary.go").write_bytes(b"package p\x00\x01import \"context\"")
    (tmp_path / "latin1.go").write_bytes(LEAK.replace(b"package p", b"package p // caf\xe9"))
    (tmp_path / "broken.go").write_bytes(LEAK + b"\nfunc h( {\n\tcontext.WithCancel(\n")
    (tmp_path / "loop").mkdir()
    os.symlink(tmp_path / "loop", tmp_path / "loop" / "again")
    code, out, err = run(capsys, "check", str(tmp_path), str(tmp_path / "missing"))
    assert code == 2  # a command-line path does not exist
    assert f"{tmp_path}/missing: no such file or directory" in err
    assert "binary.go: skipped: contains NUL bytes" in err
    assert "symlink loop" in err
    lines = out.splitlines()
    assert any(line.startswith(f"{tmp_path}/latin1.go:6:7:") for line in lines)
    assert any(line.startswith(f"{tmp_path}/broken.go:6:7:") for line in lines)
    assert any(line.startswith(f"{tmp_path}/leak.go:6:7:") for line in lines)


def test_directory_symlink_out_of_the_roots_is_not_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "leak.go").write_bytes(LEAK)
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "link")
    code, out, err = run(capsys, "check", str(root))
    assert code == 0 and out == "" and "leads outside the checked paths" in err


def test_oversized_files_are_skipped_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "big.go").write_bytes(LEAK + b"//" + b"x" * 2000 + b"\n")
    (tmp_path / ".ctx-lsp.toml").write_text("max-file-bytes = 1000\n")
    code, out, err = run(capsys, "check", str(tmp_path))
    assert code == 0 and out == "" and "over the 1000-byte size limit" in err


def test_generated_files_are_skipped_unless_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "gen.go").write_bytes(b"// Code generated by hand. DO NOT EDIT.\n\n" + LEAK)
    assert run(capsys, "check", str(tmp_path))[:2] == (0, "")
    assert run(capsys, "check", "--include-generated", str(tmp_path))[0] == 1


def test_fix_rewrites_in_place_keeping_the_mode(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tree / "leak.go"
    target.chmod(0o640)
    code, out, err = run(capsys, "check", "--fix", str(target))
    assert code == 0 and out == "" and "applied 1 fix" in err
    assert b"ctx, cancel := context.WithCancel(p)\n\tdefer cancel()\n" in target.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tree.iterdir() if p.name.startswith(".ctx-lsp-")] == []


def test_diff_changes_nothing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--diff", str(tree / "leak.go"))
    assert code == 1
    assert "-\tctx, _ := context.WithCancel(p)\n+\tctx, cancel := context.WithCancel(p)\n+\tdefer cancel()\n" in out
    assert (tree / "leak.go").read_bytes() == LEAK
    # git's a/ b/ prefixes; an absolute path loses its leading slash (patch -p1 from /)
    absolute = str(tree / "leak.go")
    assert out.startswith(f"--- a/{absolute.lstrip('/')}\n+++ b/{absolute.lstrip('/')}\n")
    assert run(capsys, "check", "--fix", "--diff", str(tree))[0] == 2


def test_fix_refuses_a_file_modified_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "x.go"
    target.write_bytes(b"new content")
    problem = batch.write_atomically(str(target), b"old content", b"fixed")
    assert problem is not None and "modified since it was read" in problem
    assert target.read_bytes() == b"new content"


@pytest.mark.parametrize("swap", ["exchange", "rename"])
def test_fix_failure_between_write_and_rename_leaves_the_file_whole(tmp_path: Path, monkeypatch, swap: str) -> None:
    target = tmp_path / "x.go"
    target.write_bytes(LEAK)

    def failing_replace(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    if swap == "rename":  # systems or file systems without an atomic exchange
        monkeypatch.setattr(batch, "_exchange", lambda first, second: False)
        monkeypatch.setattr(batch.os, "replace", failing_replace)
    else:
        monkeypatch.setattr(batch, "_exchange", failing_replace)
    problem = batch.write_atomically(str(target), LEAK, b"fixed")
    assert problem is not None and "No space left" in problem
    assert target.read_bytes() == LEAK
    assert [p.name for p in tmp_path.iterdir()] == ["x.go"]  # the temporary file is gone too


def test_fix_through_a_symlink_writes_the_target_inside_the_roots(tmp_path: Path) -> None:
    real = tmp_path / "real.go"
    real.write_bytes(LEAK)
    link = tmp_path / "link.go"
    os.symlink(real, link)
    assert batch.write_atomically(str(link), LEAK, b"fixed", roots=[str(tmp_path)]) is None
    assert link.is_symlink() and real.read_bytes() == b"fixed"
    elsewhere = tmp_path / "sub"
    elsewhere.mkdir()
    problem = batch.write_atomically(str(link), b"fixed", b"again", roots=[str(elsewhere)])
    assert problem is not None and "outside the checked paths" in problem


def test_rules_explain_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0 and out.splitlines()[0].startswith("lostcancel")
    code, out, _ = run(capsys, "explain", "lostcancel")
    assert code == 0 and "# lostcancel" in out and "pkg.go.dev" in out
    code, _, err = run(capsys, "explain", "no-such-thing")
    assert code == 2 and "unknown rule or API" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0 and "ctx-lsp 0.1.0" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--format", "xml"])
    assert exit_info.value.code == 2


def test_parallel_workers_give_the_same_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for index in range(80):
        (tmp_path / f"f{index:02}.go").write_bytes(LEAK if index % 3 else CLEAN)
    serial = run(capsys, "check", "-j", "1", str(tmp_path))
    parallel = run(capsys, "check", "-j", "2", str(tmp_path))
    assert serial == parallel and serial[1].count("\n") == 53


def test_console_script_and_module_entry_point(tree: Path) -> None:
    for command in ([sys.executable, "-m", "ctx_lsp"], [str(Path(sys.executable).parent / "ctx-lsp")]):
        result = subprocess.run([*command, "check", str(tree / "leak.go")], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 1 and result.stdout.startswith(f"{tree}/leak.go:6:7:")
        assert result.stderr == ""  # no progress bar or noise when piped


def test_fix_refuses_a_hard_linked_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tree / "leak.go"
    os.link(target, tree / "other-name.txt")
    code, _, err = run(capsys, "check", "--fix", str(target))
    assert "hard links" in err and "not fixed" in err
    assert target.read_bytes() == LEAK and (tree / "other-name.txt").read_bytes() == LEAK
    assert code == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_fix_keeps_owner_and_group_or_refuses(tree: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tree / "leak.go"
    os.chown(target, 12345, 23456)
    code, _, err = run(capsys, "check", "--fix", str(target))
    assert code == 0 and "applied 1 fix" in err
    assert (target.stat().st_uid, target.stat().st_gid) == (12345, 23456)
    # A user who may not give the file back to its owner leaves it alone.
    target.write_bytes(LEAK)
    os.chown(target, 12345, 23456)

    def refuse(*_: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(batch.os, "chown", refuse)
    code, _, err = run(capsys, "check", "--fix", str(target))
    assert "owner or group" in err and target.read_bytes() == LEAK
    assert [p.name for p in tree.iterdir() if p.name.startswith(".ctx-lsp-")] == []


def test_fix_applies_fixes_that_conflict_in_one_pass_over_several(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Two discarded cancels in one run of aligned trailing comments: each fix re-pads the whole
    run, so they conflict and one pass applies one of them; --fix keeps going until both are
    applied, and the result is what gofmt would write."""
    target = tmp_path / "two.go"
    target.write_bytes(b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n'
                       b"\ta, _ := context.WithCancel(p) // first\n"
                       b"\tb, _ := context.WithCancel(a) // second\n"
                       b"\t_ = b                         // used\n}\n")
    code, _, err = run(capsys, "check", "--fix", str(target))
    assert code == 0 and "applied 2 fix" in err, err
    fixed = target.read_bytes()
    assert fixed.count(b"defer cancel") == 2
    gofmt = shutil.which("gofmt")
    if gofmt is None and os.environ.get("CI"):
        pytest.fail("gofmt is not installed (CI installs golang-go)")
    if gofmt is not None:
        assert subprocess.run([gofmt, "-l", str(target)], capture_output=True, text=True).stdout == ""


HINT_ONLY = b"""package p

import (
\t"log"
\t"os"
\t"runtime"
)

type tempFile struct {
\tfile *os.File
\tpath string
}

func openTemp(f *os.File, path string) *tempFile {
\tt := &tempFile{file: f, path: path}
\truntime.SetFinalizer(t, func(t *tempFile) {
\t\tlog.Printf("temporary file %s was not closed", t.path)
\t})
\treturn t
}
"""


def test_cli_and_server_show_the_same_findings_by_default(go_module: Callable[..., Path],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """One minSeverity default (engine.config.DEFAULT_MIN_SEVERITY, information): `ctx-lsp
    check` and the server hide the same hint, `--min-severity hint` shows it, and a hint alone
    never fails the run."""
    from ctx_lsp.engine.analyze import analyze
    from ctx_lsp.engine.config import DEFAULT_MIN_SEVERITY
    from ctx_lsp.engine.findings import Severity
    from ctx_lsp.engine.source import SourceFile
    from ctx_lsp.lsp.settings_store import SERVER_DEFAULTS
    from ctx_lsp.rules import ALL_RULES

    module = go_module({"temp.go": HINT_ONLY}, go="1.24")
    path = module / "temp.go"
    code, out, _ = run(capsys, "check", "--format", "json", str(path))
    assert json.loads(out)["diagnostics"] == [] and code == 0
    code, out, _ = run(capsys, "check", "--format", "json", "--min-severity", "hint", str(path))
    printed = [(d["rule"], d["severity"], d["line"]) for d in json.loads(out)["diagnostics"]]
    assert printed == [("finalizer-prefer-cleanup", "hint", 16)]
    assert code == 0  # hints and information never fail a run

    assert SERVER_DEFAULTS.min_severity is DEFAULT_MIN_SEVERITY is Severity.INFORMATION
    src = SourceFile.parse(str(path), HINT_ONLY)
    assert analyze(src, SERVER_DEFAULTS, rules=ALL_RULES).findings == ()

    (module / "leak.go").write_bytes(LEAK)
    assert run(capsys, "check", str(module))[0] == 1  # a warning beside it still fails the run
