"""Small text helpers for messages and hovers."""

from __future__ import annotations


def compact(text: str) -> str:
    """Source text on one line, runs of whitespace collapsed (for messages)."""
    return " ".join(text.split())
