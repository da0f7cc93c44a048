"""``--fix`` racing other writers: other ctx-lsp runs and editors.

Concurrent ctx-lsp runs lock each file (flock) from the read to the rename, so they take
turns and count only what they wrote. An editor takes no lock: its save is compared for
just before the rename and again, where the system can exchange two names atomically,
right after it; a save that landed meanwhile is put back and the race reported. The
deterministic tests inject a save at each of those moments; the slow one races two real
runs and a saving thread over a tree and checks the books balance."""

from __future__ import annotations

import ctypes
import os
import random
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import ctx_lsp
from ctx_lsp import batch
from ctx_lsp.cli import main

LEAK = b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\t_ = ctx\n}\n'
FIXED = LEAK.replace(b"ctx, _ :=", b"ctx, cancel :=").replace(b"(p)\n", b"(p)\n\tdefer cancel()\n")
THEIRS = LEAK + b"\n// saved by the editor meanwhile\n"


def _exchange(first: str, second: str) -> bool:
    """The test's own RENAME_EXCHANGE (independent of the code under test)."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    at_fdcwd, rename_exchange = -100, 2
    return libc.renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


def _exchange_available(directory: Path) -> bool:
    first, second = directory / "probe-a", directory / "probe-b"
    first.write_bytes(b"a")
    second.write_bytes(b"b")
    try:
        return _exchange(str(first), str(second)) and first.read_bytes() == b"b"
    finally:
        first.unlink()
        second.unlink()


# -- deterministic: a save at each moment of the write --------------------------------------------
@pytest.mark.parametrize("style", ["in-place", "rename"])
def test_a_save_during_the_write_wins_and_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      style: str) -> None:
    """The editor saves while the fixed text is being written and synced (the old code checked
    only before writing the temporary file, then renamed over the save)."""
    target = tmp_path / "leak.go"
    target.write_bytes(LEAK)
    real_fsync = os.fsync

    def fsync_while_the_editor_saves(descriptor: int) -> None:
        real_fsync(descriptor)
        _save(target, THEIRS, style)

    monkeypatch.setattr(batch.os, "fsync", fsync_while_the_editor_saves)
    problem = batch.write_atomically(str(target), LEAK, FIXED)
    assert problem is not None and "modified since it was read" in problem
    assert target.read_bytes() == THEIRS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leak.go"]


@pytest.mark.parametrize("style", ["in-place", "rename"])
def test_a_save_just_before_the_exchange_is_put_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     style: str) -> None:
    """The narrowest window: after the last comparison, before the rename. With an atomic
    exchange the displaced file is compared afterwards and their save goes back in place."""
    if not _exchange_available(tmp_path):
        pytest.skip("this system or file system cannot exchange two names atomically")
    target = tmp_path / "leak.go"
    target.write_bytes(LEAK)
    real_exchange = getattr(batch, "_exchange", None)
    assert real_exchange is not None, "ctx-lsp does not exchange the new file in"
    calls = []

    def exchange_after_a_save(first: str, second: str) -> bool:
        if not calls:
            _save(target, THEIRS, style)
        calls.append((first, second))
        return real_exchange(first, second)

    monkeypatch.setattr(batch, "_exchange", exchange_after_a_save)
    problem = batch.write_atomically(str(target), LEAK, FIXED)
    assert problem == batch.LOST_RACE
    assert target.read_bytes() == THEIRS and len(calls) == 2  # swapped in, and back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leak.go"]


@pytest.mark.parametrize("failure", [OSError(5, "Input/output error"), KeyboardInterrupt()], ids=["oserror", "ctrl-c"])
def test_a_save_is_never_deleted_when_putting_it_back_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            failure: BaseException) -> None:
    if not _exchange_available(tmp_path):
        pytest.skip("this system or file system cannot exchange two names atomically")
    target = tmp_path / "leak.go"
    target.write_bytes(LEAK)
    real_exchange = getattr(batch, "_exchange", None)
    assert real_exchange is not None, "ctx-lsp does not exchange the new file in"
    calls = []

    def exchange_then_fail(first: str, second: str) -> bool:
        calls.append(first)
        if len(calls) == 1:
            _save(target, THEIRS, "rename")
            return real_exchange(first, second)
        raise failure

    monkeypatch.setattr(batch, "_exchange", exchange_then_fail)
    if isinstance(failure, OSError):
        problem = batch.write_atomically(str(target), LEAK, FIXED)
        assert problem is not None and "putting their version back failed" in problem
    else:
        with pytest.raises(KeyboardInterrupt):
            batch.write_atomically(str(target), LEAK, FIXED)
    kept = [p.read_bytes() for p in tmp_path.iterdir()]
    assert THEIRS in kept, "the save that lost the race was deleted"


def _save(path: Path, data: bytes, style: str) -> None:
    """Save as editors do: in place (truncate and write), or a new file renamed over."""
    if style == "in-place":
        with open(path, "r+b") as handle:
            handle.truncate(0)
            handle.write(data)
        return
    temporary = path.with_name(path.name + ".editor-save")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def test_a_run_waits_for_another_runs_lock_and_fixes_the_new_text(tmp_path: Path) -> None:
    """While another run holds a file, a second run waits, then reads what the first wrote:
    both fixes land, none is reported twice, nothing says "modified since it was read"."""
    target = tmp_path / "two.go"
    target.write_bytes(TWO_RULES)
    descriptor, problem = batch.lock_file(str(target))
    assert descriptor is not None and problem is None
    result: dict[str, object] = {}

    def second_run() -> None:
        result["code"] = main(["check", "--fix", "--no-progress", "--select", "lostcancel", str(target)])

    runner = threading.Thread(target=second_run)
    runner.start()
    runner.join(0.5)
    assert runner.is_alive(), "the second run did not wait for the lock"
    # The first run writes its fix (as write_atomically would) and lets go.
    key_fixed = _fixed_with(tmp_path, TWO_RULES, "context-key-type")
    assert batch.write_atomically(str(target), TWO_RULES, key_fixed) is None
    os.close(descriptor)
    runner.join(60)
    assert result["code"] == 0
    assert target.read_bytes() == _fixed_with(tmp_path, key_fixed, "lostcancel")
    assert b"defer cancel()" in target.read_bytes() and b"requestIDKey{}" in target.read_bytes()


def test_lock_wait_gives_up_with_a_message(tmp_path: Path) -> None:
    target = tmp_path / "x.go"
    target.write_bytes(LEAK)
    held, _ = batch.lock_file(str(target))
    assert held is not None
    try:
        descriptor, problem = batch.lock_file(str(target), wait=0.05)
        assert descriptor is None and problem is not None and "held a lock" in problem
    finally:
        os.close(held)


# -- slow: two runs and an editor on one tree -----------------------------------------------------
TWO_RULES = b'''package p

import "context"

func f(p context.Context) {
\tctx, _ := context.WithCancel(p)
\t_ = ctx
}

func g(ctx context.Context) context.Context {
\treturn context.WithValue(ctx, "request-id", "x")
}

func h(ctx context.Context) string {
\tid, _ := ctx.Value("request-id").(string)
\treturn id
}
'''
RULES = ("lostcancel", "context-key-type")
PACKAGES = 600  # one file per package: a context-key-type fix looks at the package's other files


def _fixed_with(scratch: Path, data: bytes, *rules: str) -> bytes:
    """``data`` after ``--fix --select RULES`` (in-process, on a scratch copy)."""
    folder = scratch / f"oracle-{len(list(scratch.glob('oracle-*')))}"
    folder.mkdir()
    path = folder / "x.go"
    path.write_bytes(data)
    main(["check", "--fix", "--no-progress", "-j", "1", "--select", ",".join(rules), str(path)])
    return path.read_bytes()


def _fixes_in(data: bytes) -> int:
    return (b"defer cancel()" in data) + (b"type requestIDKey struct{}" in data)


def _start(root: Path, rules: str) -> subprocess.Popen[str]:
    source_root = str(Path(ctx_lsp.__file__).resolve().parent.parent)
    environment = {**os.environ, "PYTHONPATH": source_root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "ctx_lsp", "check", "--fix", "--no-progress", "-j", "2",
                             "--select", rules, str(root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environment)


class _Editor(threading.Thread):
    """Saves new versions of some files while the runs go on, each a new file exchanged
    into place (RENAME_EXCHANGE), so that it learns exactly which version each save
    displaced, and how many fixes that version had."""

    def __init__(self, files: list[Path], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.files, self.stop = files, stop
        self.last_saved: dict[Path, bytes] = {}
        self.fixes_overwritten = 0
        self.saves = 0

    def run(self) -> None:
        chooser = random.Random(21)
        while not self.stop.is_set():
            path = chooser.choice(self.files)
            content = TWO_RULES + f"\n// save {self.saves}\n".encode()
            temporary = path.with_name("editor-save.tmp")
            temporary.write_bytes(content)
            assert _exchange(str(temporary), str(path))
            self.fixes_overwritten += _fixes_in(temporary.read_bytes())
            temporary.unlink()
            self.last_saved[path] = content
            self.saves += 1
            self.stop.wait(0.002)


@pytest.mark.slow
@pytest.mark.parametrize("selections", [RULES, (",".join(RULES), ",".join(RULES))], ids=["different", "identical"])
def test_two_runs_and_an_editor_lose_nothing_and_count_truthfully(tmp_path: Path,
                                                                  selections: tuple[str, str]) -> None:
    if not _exchange_available(tmp_path):
        pytest.skip("the simulated editor needs RENAME_EXCHANGE to know what each save displaced")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    tree = tmp_path / "tree"
    files = []
    for index in range(PACKAGES):
        folder = tree / f"pkg{index:03}"
        folder.mkdir(parents=True)
        (folder / "x.go").write_bytes(TWO_RULES)
        files.append(folder / "x.go")
    edited = files[::4]
    stop = threading.Event()
    editor = _Editor(edited, stop)
    runs = [_start(tree, rules) for rules in selections]
    editor.start()
    try:
        errors = [run.communicate(timeout=600)[1] for run in runs]
    finally:
        stop.set()
        editor.join(10)
        for run in runs:
            if run.poll() is None:
                run.kill()
    assert all(run.returncode in (0, 1) for run in runs), errors  # 1: a file the editor kept unfixed
    assert editor.saves > 50, "the editor barely saved: the test proved little"
    applied = sum(int(match) for err in errors for match in re.findall(r"applied (\d+) fix\(es\)", err))
    untouched_by_editor = [path for path in files if path not in editor.last_saved]
    both = _fixed_with(scratch, TWO_RULES, *RULES)
    # No run lost another's fix: files the editor never saved have both.
    lost = [str(path) for path in untouched_by_editor if path.read_bytes() != both]
    assert not lost, f"{len(lost)} files lost a fix, e.g. {lost[:3]}"
    # No save lost: each saved file holds its last save, fixed by none, one or both runs.
    for path, saved in editor.last_saved.items():
        assert path.read_bytes() in _variant_cache(scratch, saved), f"{path}: the last save was lost"
    # The books balance: every fix a run reported is in a file now or in a version a save displaced.
    present = sum(_fixes_in(path.read_bytes()) for path in files)
    assert applied == present + editor.fixes_overwritten, (applied, present, editor.fixes_overwritten)
    # Runs do not trip over each other: only saved files may be "modified since it was read".
    noise = [line for err in errors for line in err.splitlines()
             if "not fixed" in line and not any(str(path) in line for path in editor.last_saved)]
    assert not noise, noise[:5]
    assert not [p for p in tree.rglob("*") if p.is_file() and p.name != "x.go"], "temporary files left"


_VARIANTS: dict[bytes, set[bytes]] = {}


def _variant_cache(scratch: Path, saved: bytes) -> set[bytes]:
    """The saved text fixed by no run, by either, or by both."""
    if saved not in _VARIANTS:
        one, other = (_fixed_with(scratch, saved, rule) for rule in RULES)
        _VARIANTS[saved] = {saved, one, other, _fixed_with(scratch, saved, *RULES)}
    return _VARIANTS[saved]
