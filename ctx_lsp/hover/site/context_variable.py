"""A context variable: where it comes from and what can cancel it (docs/runtime-facts.md §1.2,
§1.8, §13, §14)."""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.hover.site.common import Subject
from ctx_lsp.hover.site.context_origin import context_origin

Node = tree_sitter.Node


def context_variable_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    if node.type != "identifier" or node.text == b"_":
        return None
    decl = ctx.resolve(node)
    if decl is None:
        return None
    origin = context_origin(ctx, decl, node)
    if origin is None:
        return None
    if origin.cancelable is False:
        title = f"**`{decl.name}` can never be canceled: it comes from {origin.text}.**"
        facts = ["Its `Done()` is nil (or nothing can call its cancel function): goroutines waiting on it "
                 "wait forever, and contexts derived from it are canceled only by their own cancel or deadline."]
    elif origin.cancelable is None:
        title = f"**`{decl.name}` comes from {origin.text}.**"
        facts = ["Whether and when it is canceled is up to the caller (never, under `context.Background()`)."
                 if origin.cancel_by == "the caller" else f"It is canceled when {origin.cancel_by} is canceled."]
    else:
        title = f"**`{decl.name}` comes from {origin.text}; it is canceled by {origin.cancel_by}.**"
        facts = ["Cancellation only closes `Done()`: code using it must watch `Done()` or `Err()` and return."]
    return Subject(node.start_byte, node.end_byte, title, tuple(facts))
