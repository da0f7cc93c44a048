"""Helpers shared by the editor tests (imported by name: tests/editors is on sys.path)."""

from __future__ import annotations

import os

import pytest


def missing_tool(what: str) -> None:
    """In CI a missing tool is a broken setup, not a reason to skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI but was not found (bash scripts/install-editor-tools)")
    pytest.skip(f"{what} not found (bash scripts/install-editor-tools)")
