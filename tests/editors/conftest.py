"""Shared setup of the editor tests: the `editors` marker (tests that drive a real editor:
Neovim, code-server with Chromium), so that `pytest -m editors` or `-m "not editors"` picks
them."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "editors: drives a real editor (Neovim, or code-server in headless Chromium)"
    )
