"""--fix refuses files the user could not write (a rename needs only the directory's write
permission, so nothing else would stop it), says so, and still fixes the other files.

The tests run as root here, where the kernel lets every file be written: ctx-lsp then
refuses files without any write bit (gofmt -w as root would rewrite them; Vim would not).
The non-root rule (os.access) is tested by running the CLI as an unprivileged user when the
tests have the privilege to switch, and directly otherwise."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from ctx_lsp import batch
from ctx_lsp.cli import main

LEAK = b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\t_ = ctx\n}\n'
FIXED = LEAK.replace(b"ctx, _ :=", b"ctx, cancel :=").replace(b"(p)\n", b"(p)\n\tdefer cancel()\n")
NOBODY = 65534


def test_read_only_file_is_refused_and_the_others_are_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked, open_file = tmp_path / "locked.go", tmp_path / "open.go"
    locked.write_bytes(LEAK)
    open_file.write_bytes(LEAK)
    locked.chmod(0o444)
    code = main(["check", "--fix", "--no-progress", "-j", "1", str(tmp_path)])
    err = capsys.readouterr().err
    assert locked.read_bytes() == LEAK and stat.S_IMODE(locked.stat().st_mode) == 0o444
    assert open_file.read_bytes() == FIXED
    assert f"{locked}: not fixed: it is read-only (mode 0444)" in err or \
        f"{locked}: not fixed: this user may not write it (mode 0444)" in err, err
    assert "applied 1 fix(es) in 1 file(s)" in err
    assert code == 1  # the read-only file's finding is still there
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked.go", "open.go"]


def test_a_file_with_any_write_bit_is_fixed_by_its_owner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.go"
    target.write_bytes(LEAK)
    target.chmod(0o644)
    assert main(["check", "--fix", "--no-progress", str(target)]) == 0
    assert target.read_bytes() == FIXED and stat.S_IMODE(target.stat().st_mode) == 0o644


def test_unwritable_for_this_user_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What os.access says decides for an ordinary user (ACLs included)."""
    target = tmp_path / "x.go"
    target.write_bytes(LEAK)
    monkeypatch.setattr(batch.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(batch.os, "access", lambda path, mode, **kwargs: mode != os.W_OK)
    problem = batch.write_atomically(str(target), LEAK, FIXED)
    assert problem is not None and "this user may not write it" in problem
    assert target.read_bytes() == LEAK


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0 or not hasattr(os, "fork"),
                    reason="switching users needs root")
def test_an_unprivileged_user_does_not_replace_a_read_only_file_of_its_own() -> None:
    """As the file's owner, without root: the rename would succeed (the directory is writable),
    gofmt -w would fail with permission denied, and ctx-lsp refuses. A forked child drops to
    an unprivileged user and runs the CLI (the interpreter may live where that user cannot
    exec it again)."""
    directory = Path(tempfile.mkdtemp(prefix="ctx-lsp-readonly-"))
    try:
        os.chown(directory, NOBODY, NOBODY)
        os.chmod(directory, 0o755)
        locked, open_file = directory / "locked.go", directory / "open.go"
        for path, mode in ((locked, 0o444), (open_file, 0o644)):
            path.write_bytes(LEAK)
            os.chown(path, NOBODY, NOBODY)
            path.chmod(mode)
        err_path = directory / "stderr.txt"
        child = os.fork()
        if child == 0:  # pragma: no cover (the child)
            code = 99
            try:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
                with open(err_path, "w") as err:
                    sys.stderr = err
                    code = main(["check", "--fix", "--no-progress", "-j", "1", str(locked), str(open_file)])
            finally:
                os._exit(code)
        _, status = os.waitpid(child, 0)
        err = err_path.read_text()
        assert os.waitstatus_to_exitcode(status) == 1, err
        assert f"{locked}: not fixed: this user may not write it (mode 0444)" in err, err
        assert locked.read_bytes() == LEAK and open_file.read_bytes() == FIXED
    finally:
        for path in directory.iterdir():
            path.unlink()
        directory.rmdir()
