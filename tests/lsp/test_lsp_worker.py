"""The background worker (lsp/worker.py): results reach the event loop, and the worker
thread keeps no reference to a job's result once it handed it over."""

from __future__ import annotations

import asyncio
import weakref

from ctx_lsp.lsp.worker import AnalysisWorker


class _Result:
    """A job's result (a parse tree, an analysis...) whose lifetime the test watches."""


async def test_a_result_handed_over_is_not_kept_by_the_worker() -> None:
    """Freeing a fresh parse tree costs about a millisecond: a result the worker kept until
    its next job ended was freed between that job's result and its hand-over."""
    worker = AnalysisWorker("test-worker")
    result = await worker.submit(_Result)
    watched = weakref.ref(result)
    del result
    for _ in range(200):  # until the worker thread is back waiting for a job (a loaded machine: slowly)
        if watched() is None:
            break
        await asyncio.sleep(0.01)
    assert watched() is None


async def test_results_and_errors_reach_the_waiter() -> None:
    worker = AnalysisWorker("test-worker")
    assert await worker.submit(lambda: 42) == 42
    try:
        await worker.submit(lambda: 1 // 0)
    except ZeroDivisionError:
        pass
    else:
        raise AssertionError("the job's error was not handed over")
