"""The signal handling of a run, in process: first signal asks to stop, a second one
interrupts but never while a temporary file exists, ignored signals stay ignored, and a
serial run stops between files. (Real processes: tests/robustness/test_fix_interrupt.py.)"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from ctx_lsp import batch
from ctx_lsp.engine.config import DEFAULT_SETTINGS

LEAK = b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\t_ = ctx\n}\n'
FIXED = LEAK.replace(b"ctx, _ :=", b"ctx, cancel :=").replace(b"(p)\n", b"(p)\n\tdefer cancel()\n")


def test_first_signal_asks_to_stop_and_a_second_interrupts() -> None:
    before = signal.getsignal(signal.SIGTERM)
    with batch.stop_on_signals() as stop:
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.signal == signal.SIGTERM and batch.stop_requested()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
    assert stop.forced and not batch.stop_requested()  # the run is over: handlers restored
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_second_signal_waits_for_the_temporary_file_to_be_gone(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "leak.go"
    target.write_bytes(LEAK)
    real_fsync = os.fsync

    def fsync_and_signal_twice(descriptor: int) -> None:
        real_fsync(descriptor)
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(batch.os, "fsync", fsync_and_signal_twice)
    with batch.stop_on_signals() as stop, pytest.raises(KeyboardInterrupt):
        batch.write_atomically(str(target), LEAK, FIXED)
    assert stop.forced
    assert target.read_bytes() == FIXED  # the write in progress was finished, then the interrupt
    assert [p.name for p in tmp_path.iterdir()] == ["leak.go"]


def test_ignored_signals_stay_ignored() -> None:
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        with batch.stop_on_signals() as stop:
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            os.kill(os.getpid(), signal.SIGHUP)
            assert not stop.requested
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_a_serial_run_stops_between_files(tmp_path: Path) -> None:
    jobs = []
    for index in range(5):
        path = tmp_path / f"f{index}.go"
        path.write_bytes(LEAK)
        jobs.append(batch.Job(batch.Target(str(path), str(path)), DEFAULT_SETTINGS, ("lostcancel",), None,
                              mode="fix"))
    results = []
    with batch.stop_on_signals() as stop:
        for result in batch.iter_results(jobs, 1, stop):
            results.append(result)
            if len(results) == 2:
                os.kill(os.getpid(), signal.SIGINT)
    assert [r.fixed for r in results] == [1, 1]
    assert [(tmp_path / f"f{i}.go").read_bytes() for i in range(5)] == [FIXED, FIXED, LEAK, LEAK, LEAK]
