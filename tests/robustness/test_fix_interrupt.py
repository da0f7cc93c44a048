"""``ctx-lsp check --fix`` stopped by a signal while it writes thousands of files.

The CLI runs as a real process in its own session (process group), on a generated tree,
and gets the signal once its first fixes are on disk. Whatever the signal and whoever gets
it (the whole group, as Ctrl-C in a terminal does, or only the parent, as `kill` does):
the run ends well within the hang guard, prints a summary whose count is the number of
files that really changed, leaves no worker behind and no temporary file, and every file is
either untouched or completely fixed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import ctx_lsp

pytestmark = pytest.mark.slow

LEAK = b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\t_ = ctx\n}\n'
FIXED = LEAK.replace(b"ctx, _ :=", b"ctx, cancel :=").replace(b"(p)\n", b"(p)\n\tdefer cancel()\n")
DIRECTORIES, FILES_PER_DIRECTORY = 60, 50  # 3,000 files
HANG_GUARD_SECONDS = 20.0  # generous: a guard against hangs, not a speed assertion


def _tree(root: Path) -> list[Path]:
    files = []
    for directory in range(DIRECTORIES):
        folder = root / f"pkg{directory:02}"
        folder.mkdir()
        for index in range(FILES_PER_DIRECTORY):
            path = folder / f"f{index:02}.go"
            path.write_bytes(LEAK)
            files.append(path)
    return files


def _start(root: Path, *options: str) -> subprocess.Popen[bytes]:
    source_root = str(Path(ctx_lsp.__file__).resolve().parent.parent)
    environment = {**os.environ, "PYTHONPATH": source_root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, "-m", "ctx_lsp", "check", "--fix", "--no-progress", *options, str(root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            env=environment)


def _wait_for_first_write(process: subprocess.Popen[bytes], files: list[Path]) -> None:
    """Until one file is fixed: the first file of each directory is enough to watch (workers
    take whole directories, in order)."""
    watched = files[::FILES_PER_DIRECTORY]
    deadline = time.monotonic() + 120
    while all(path.read_bytes() == LEAK for path in watched):
        assert process.poll() is None, "the run ended before writing anything"
        assert time.monotonic() < deadline, "no file was fixed within two minutes"
        time.sleep(0.005)


def _living_members(group: int) -> list[str]:
    """Processes of the process group that are not yet dead (zombies wait for init to reap them)."""
    living = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[2] == str(group) and fields[0] != "Z":
            living.append(f"{entry} ({fields[0]})")
    return living


def _no_process_left(group: int) -> list[str]:
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while (living := _living_members(group)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return living


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Whatever happened, leave no process of the run behind for the next test."""
    if process.poll() is None or _living_members(process.pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _check_files(root: Path, files: list[Path]) -> int:
    states = [path.read_bytes() for path in files]
    assert all(state in (LEAK, FIXED) for state in states), "a file is neither untouched nor completely fixed"
    leftovers = [str(path) for path in root.rglob("*") if path.is_file() and path.suffix != ".go"]
    assert not leftovers, f"temporary files left behind: {leftovers[:5]}"
    return states.count(FIXED)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process groups are inspected through /proc")
@pytest.mark.parametrize(("signal_name", "whole_group", "jobs"), [
    ("SIGINT", True, "2"),     # Ctrl-C in a terminal: the parent and its workers get it
    ("SIGINT", False, "2"),
    ("SIGTERM", False, "2"),   # kill PID: only the parent gets it
    ("SIGHUP", True, "2"),     # the terminal closed
    ("SIGTERM", False, "1"),   # no pool: the parent writes itself
])
def test_a_signal_stops_the_run_with_a_truthful_summary(tmp_path: Path, signal_name: str, whole_group: bool,
                                                        jobs: str) -> None:
    files = _tree(tmp_path)
    process = _start(tmp_path, "-j", jobs)
    try:
        _wait_for_first_write(process, files)
        number = getattr(signal, signal_name)
        (os.killpg if whole_group else os.kill)(process.pid, number)
        _, err_bytes = process.communicate(timeout=HANG_GUARD_SECONDS)
        left = _no_process_left(process.pid)
    finally:
        _kill_group(process)
    err = err_bytes.decode()
    assert process.returncode == 128 + number, err
    assert not left, "worker processes outlived the run"
    fixed = _check_files(tmp_path, files)
    assert 0 < fixed < len(files), "the signal did not interrupt the run: the test proved nothing"
    summary = [line for line in err.splitlines() if line.startswith(f"ctx-lsp: interrupted by {signal_name} ")]
    assert len(summary) == 1, err
    assert f"{fixed} fix(es) written to {fixed} file(s), each completely; the other files were not changed" \
        in summary[0], (summary, fixed)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process groups are inspected through /proc")
def test_workers_die_with_a_killed_parent_and_finish_their_write(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the workers notice their parent's death (PR_SET_PDEATHSIG),
    finish or remove the file they are writing, and exit; no temporary file is left, since
    the parent of a pool run writes nothing itself."""
    files = _tree(tmp_path)
    process = _start(tmp_path, "-j", "2")
    try:
        _wait_for_first_write(process, files)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=HANG_GUARD_SECONDS)
        left = _no_process_left(process.pid)
    finally:
        _kill_group(process)
    assert not left, "workers were orphaned"
    assert 0 < _check_files(tmp_path, files) < len(files)


def _children(parent: int) -> list[int]:
    children = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == str(parent):
                children.append(int(entry))
    return children


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="processes are inspected through /proc")
def test_a_worker_killed_from_outside_ends_the_run_with_a_message(tmp_path: Path) -> None:
    """The OOM killer or a kill -9 takes one worker: the run cannot finish, says so, ends the
    other worker and exits 2 instead of printing a traceback or hanging."""
    files = _tree(tmp_path)
    process = _start(tmp_path, "-j", "2")
    try:
        _wait_for_first_write(process, files)
        workers = _children(process.pid)
        assert workers, "no worker processes found"
        os.kill(workers[0], signal.SIGKILL)
        _, err_bytes = process.communicate(timeout=HANG_GUARD_SECONDS)
        left = _no_process_left(process.pid)
    finally:
        _kill_group(process)
    err = err_bytes.decode()
    assert process.returncode == 2, err
    assert "ctx-lsp: stopped: a worker process died unexpectedly, after " in err and "Traceback" not in err, err
    assert not left
    states = [path.read_bytes() for path in files]
    assert all(state in (LEAK, FIXED) for state in states)
    leftovers = [path for path in tmp_path.rglob("*") if path.is_file() and path.suffix != ".go"]
    assert len(leftovers) <= 1, leftovers  # SIGKILL of the writer itself may leave its temporary file
