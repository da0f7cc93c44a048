"""A cancel function stored in a struct field or package variable that no code of the package calls
or passes on (the cancel-never-called rule's site): what its context retains, and until when.

Without its cancel call, a ``WithCancel`` context under a cancelable parent stays in the parent's
``children`` map until the parent is canceled; a context with a deadline leaves the map when the
deadline fires; under a parent whose ``Done()`` is nil nothing registers it, and its ``Done()``
closes only by cancel (docs/runtime-facts.md §1.2, §1.4, §1.6).
"""

from __future__ import annotations

import re

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.hover.site.common import Subject
from ctx_lsp.hover.site.rule_findings import finding_on

Node = tree_sitter.Node

# "the cancel function kept in field cancel is never called or passed on in package fields: ..."
_WHERE = re.compile(r"kept in (field|package-level variable) (\S+) is never called or passed on in package (\S+):")


def stored_cancel_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    if node.type not in ("field_identifier", "identifier"):
        return None
    finding = finding_on(ctx, "cancel-never-called", node)
    if finding is None:
        return None
    found = _WHERE.search(finding.message)
    if found is None:
        return None
    kind, name, package = found.groups()
    holder = "field" if kind == "field" else "package variable"
    title = (f"**No code in package `{package}` calls the cancel function in {holder} `{name}` or passes it on: "
             "its context is canceled only when its parent is, or at its deadline.**")
    facts = ["Until then, under a cancelable parent, a `WithCancel` context stays in the parent's `children` map "
             "with its values and its own children; a context with a deadline leaves the map when the deadline "
             "fires.",
             "Under a parent whose `Done()` is nil (`context.Background()`), nothing registers a `WithCancel` "
             "context, but nothing ever closes its `Done()` either: work waiting on it waits forever.",
             "Call it where the owner's work ends (`Close`, `Stop`), or do not store it."]
    return Subject(node.start_byte, node.end_byte, title, tuple(facts))
