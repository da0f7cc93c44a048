"""The ctx-lsp server with one extra rule that always raises, for the robustness test: the
failure must be logged with its traceback while every other rule keeps reporting."""

from __future__ import annotations

from collections.abc import Iterable

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.rule import Rule
from ctx_lsp.lsp.server import create_server
from ctx_lsp.rules import ALL_RULES


def _explode(ctx: FileContext, decl: tree_sitter.Node) -> Iterable[Finding]:
    if decl.type == "function_declaration":
        raise RuntimeError("deliberate failure inside a check")
    return ()


EXPLODING_RULE = Rule(id="exploding-rule", severity=Severity.WARNING, title="always fails",
                      doc="Raises on every function, to test error isolation.", url="", check=_explode)

if __name__ == "__main__":
    create_server([*ALL_RULES, EXPLODING_RULE]).start_io()
