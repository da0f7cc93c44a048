"""The engine tests run with the incremental analysis's debug checks on: every cached pass is
also compared with a fresh check of every declaration (see ctx_lsp/engine/incremental.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ctx_lsp.engine import incremental


@pytest.fixture(autouse=True)
def incremental_debug_checks() -> Iterator[None]:
    previous = incremental.set_debug_checks(True)
    try:
        yield
    finally:
        incremental.set_debug_checks(previous)
