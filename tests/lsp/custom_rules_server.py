"""The ctx-lsp server with one extra rule, for robustness tests.

``python custom_rules_server.py exploding``: the extra rule raises on every function; the
failure must be logged with its traceback while every other rule keeps reporting.

``python custom_rules_server.py stuck``: the extra rule never returns (it writes "hanging"
to ``$CTX_LSP_SLOW_LOG`` first); ``shutdown`` and ``exit`` must still end the process.

``python custom_rules_server.py slow``: the extra rule takes 0.3 s per function, reports
each function named ``slow...`` and appends one line per call to the file named by
``$CTX_LSP_SLOW_LOG``; edits arriving meanwhile must still be applied promptly, a running
analysis of older text must stop, and only results for the latest text may be published.
"""

from __future__ import annotations

import os
import sys
import time
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


def _dawdle(ctx: FileContext, decl: tree_sitter.Node) -> Iterable[Finding]:
    if decl.type != "function_declaration":
        return ()
    time.sleep(0.3)
    name = decl.child_by_field_name("name")
    with open(os.environ["CTX_LSP_SLOW_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{ctx.src.text(name) if name is not None else '?'}\n")
    if name is not None and ctx.src.text(name).startswith("slow"):
        return (Finding("slow-rule", name.start_byte, name.end_byte, f"{ctx.src.text(name)} was checked slowly"),)
    return ()


def _hang(ctx: FileContext, decl: tree_sitter.Node) -> Iterable[Finding]:
    if decl.type == "function_declaration":
        with open(os.environ["CTX_LSP_SLOW_LOG"], "a", encoding="utf-8") as log:
            log.write("hanging\n")
        time.sleep(3600)
    return ()


EXTRA_RULES = {
    "exploding": Rule(id="exploding-rule", severity=Severity.WARNING, title="always fails",
                      doc="Raises on every function.", url="", check=_explode),
    # whole_file: never cached, so every analysis checks every function, in order.
    "slow": Rule(id="slow-rule", severity=Severity.WARNING, title="takes its time",
                 doc="Sleeps on every function.", url="", check=_dawdle, whole_file=True),
    "stuck": Rule(id="stuck-rule", severity=Severity.WARNING, title="never returns",
                  doc="Sleeps for an hour on the first function.", url="", check=_hang),
}

if __name__ == "__main__":
    create_server([*ALL_RULES, EXTRA_RULES[sys.argv[1]]]).start_io()
