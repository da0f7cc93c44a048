"""Markdown table rows with a target column, shared by the benchmark scripts."""

from __future__ import annotations

from collections.abc import Iterable

Row = tuple[str, float, "float | None"]  # what, measured, target (None: a reference number)


def target_table(unit_header: str, rows: Iterable[Row]) -> list[str]:
    """``| <unit_header> | ... |`` table lines: value, ``<= target`` and whether it was met."""
    lines = [f"| {unit_header} | target | ok |", "|---|---:|---:|:-:|"]
    for name, value, target in rows:
        ok = "" if target is None else ("yes" if value <= target else "NO")
        lines.append(f"| {name} | {value:.1f} | {'' if target is None else f'<= {target:g}'} | {ok} |")
    return lines
