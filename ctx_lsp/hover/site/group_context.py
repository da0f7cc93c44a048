"""An errgroup context used after ``Wait`` (the errgroup-context-after-wait rule's site).

``errgroup.WithContext`` derives its context with a cancel function that ``Wait`` calls when it
returns (golang/sync ``errgroup/errgroup.go`` ``Wait``; docs/runtime-facts.md §13): after
``Wait``, ``Done()`` is closed and ``Err()`` returns ``context.Canceled``.
"""

from __future__ import annotations

import re

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.hover.site.common import Subject
from ctx_lsp.hover.site.rule_findings import finding_on

Node = tree_sitter.Node

# The rule's message names the Wait call and the parent context ("... here: g.Wait() on line 19
# ... use the parent context ctx, ...").
_WAIT = re.compile(r"here: (.+?) on line")
_PARENT = re.compile(r"use the parent context (.+?), or a new group")


def group_context_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    if node.type != "identifier":
        return None
    finding = finding_on(ctx, "errgroup-context-after-wait", node)
    if finding is None:
        return None
    name = ctx.src.text(node)
    wait = _WAIT.search(finding.message)
    wait_text = f"`{wait.group(1)}`" if wait is not None else "`Wait()`"
    line = f" on line {ctx.src.line_of(finding.line_refs[0]) + 1}" if finding.line_refs else ""
    title = f"**`{name}` is already canceled here: {wait_text}{line} canceled it when it returned.**"
    facts = ["`errgroup.WithContext`'s context is canceled the first time a function passed to `Go` returns an "
             "error, or the first time `Wait` returns, whichever comes first.",
             "So after `Wait` its `Done()` is closed and `Err()` returns `context.Canceled`: every call that "
             "checks it fails at once."]
    parent = _PARENT.search(finding.message)
    if parent is not None:
        facts.append(f"Use the parent context `{parent.group(1)}` after `Wait`, or a new group for a second phase.")
    else:
        facts.append("Keep the parent context in its own variable and use it after `Wait`.")
    return Subject(node.start_byte, node.end_byte, title, tuple(facts))
