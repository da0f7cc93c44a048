"""Site-specific hover: what the Go runtime does at *this* token.

:func:`hover_at` answers a hover request at a byte offset of an analysed file for the token
under the cursor (not for the statement a diagnostic covers). Each hover subject has its own
module; the first one that recognises the token wins. The rule sites come first: where a rule
finds its shape (running on the declaration under the cursor, :mod:`.rule_findings`), that is
the one fact about the token:

- :mod:`.blocked_channel`: a send or receive goroutine-blocked-send finds can block forever
  (and, through :mod:`.go_statement`, the ``go`` statement that starts it);
- :mod:`.nil_argument`: ``nil`` passed as a context (nil-context);
- :mod:`.detached_context`: ``context.Background()``/``TODO()`` where a context is at hand
  (context-not-inherited);
- :mod:`.group_context`: an errgroup context used after ``Wait`` (errgroup-context-after-wait);
- :mod:`.value_lookup`: a ``ctx.Value`` key that cannot match (context-value-key-mismatch);
- :mod:`.stored_cancel`: a stored cancel function nothing calls (cancel-never-called);

then the subjects of any code (timer-leak and afterfunc-not-stopped facts live in
:mod:`.timer` and :mod:`.context_call`, under :mod:`.api_call`):

- :mod:`.api_call`: a known API (``context.WithTimeout``, ``runtime.SetFinalizer``,
  ``time.NewTimer``, ``sync.Pool``...) with the facts of this call;
- :mod:`.methods`: ``ctx.Done()``/``Err()``, ``r.Context()``, ``Timer.Stop``/``Reset``,
  ``Cleanup.Stop`` on a variable whose origin is known;
- :mod:`.cancel_function`: the cancel or stop function of a derived context or of
  ``context.AfterFunc``;
- :mod:`.context_variable`: a context variable (where it comes from, what can cancel it);
- :mod:`.struct_field`: a struct field holding a context;
- :mod:`.go_statement`: the ``go`` keyword (which contexts the goroutine observes).

A diagnostic under the cursor adds one line naming its rule (:mod:`ctx_lsp.hover.diagnostics`).
Offsets are UTF-8 byte offsets; the LSP layer converts positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding
from ctx_lsp.hover.apis import render_popup
from ctx_lsp.hover.diagnostics import diagnostic_lines
from ctx_lsp.hover.render import (
    PLAIN_SEPARATOR,
    SEPARATOR,
    markdown_to_plain,
    site_block,
)
from ctx_lsp.hover.site.api_call import api_subject
from ctx_lsp.hover.site.blocked_channel import blocked_channel_subject
from ctx_lsp.hover.site.cancel_function import cancel_variable_subject
from ctx_lsp.hover.site.common import HoverResult, Subject
from ctx_lsp.hover.site.detached_context import detached_context_subject
from ctx_lsp.hover.site.context_variable import context_variable_subject
from ctx_lsp.hover.site.go_statement import go_subject
from ctx_lsp.hover.site.group_context import group_context_subject
from ctx_lsp.hover.site.nil_argument import nil_argument_subject
from ctx_lsp.hover.site.methods import method_subject
from ctx_lsp.hover.site.value_lookup import value_lookup_subject
from ctx_lsp.hover.site.stored_cancel import stored_cancel_subject
from ctx_lsp.hover.site.struct_field import struct_field_subject
from ctx_lsp.knowledge import timers

Node = tree_sitter.Node

__all__ = ["HoverResult", "hover_at"]

_IDENTIFIER_BYTE = re.compile(rb"[A-Za-z0-9_]")
# The rule sites come first: where a rule finds its shape, that is the one fact about the token.
_FINDERS = (blocked_channel_subject, nil_argument_subject, detached_context_subject, group_context_subject,
            value_lookup_subject, stored_cancel_subject,
            api_subject, method_subject, cancel_variable_subject, context_variable_subject,
            struct_field_subject, go_subject)


def hover_at(ctx: FileContext, offset: int, findings: Sequence[Finding], markdown: bool) -> HoverResult | None:
    """The hover for byte ``offset`` of the file ``ctx`` analyses, or None.

    ``findings`` are the file's current diagnostics (the server's last analysis); a rule
    reporting at ``offset`` gets one line.
    """
    nodes = _nodes_at(ctx, offset)
    subject = _subject_at(ctx, nodes, offset)
    covering = _findings_at(findings, offset)
    if subject is None and not covering:
        return None
    parts: list[str] = []
    if subject is not None:
        block = site_block(subject.title, subject.facts)
        parts.append(block if markdown else markdown_to_plain(block))
        if subject.api is not None:
            old_timers = timers.timer_semantics(ctx)[0] == timers.OLD if subject.api.import_path == timers.TIME \
                else None
            parts.append(render_popup(subject.api, ctx.go_version, markdown, old_timers))
    if covering:
        parts.append("\n".join(diagnostic_lines(covering, markdown)))
    start, end = (subject.start, subject.end) if subject is not None else _token_range(ctx, offset)
    return HoverResult((SEPARATOR if markdown else PLAIN_SEPARATOR).join(parts), start, end)


def _findings_at(findings: Iterable[Finding], offset: int) -> list[Finding]:
    return [f for f in findings if f.start <= offset < f.end or f.start == f.end == offset]


def _subject_at(ctx: FileContext, nodes: list[Node], offset: int) -> Subject | None:
    for node in nodes:
        for finder in _FINDERS:
            subject = finder(ctx, node, offset)
            if subject is not None:
                return subject
    return None


def _token_range(ctx: FileContext, offset: int) -> tuple[int, int]:
    """The token under the cursor (a keyword, name or literal), or the cursor itself."""
    leaf = ctx.src.root.descendant_for_byte_range(offset, offset)
    if leaf is not None and leaf.child_count == 0 and leaf.start_byte <= offset <= leaf.end_byte:
        return leaf.start_byte, leaf.end_byte
    return offset, offset


def _nodes_at(ctx: FileContext, offset: int) -> list[Node]:
    """The smallest named node at ``offset`` and, when the cursor sits just after a word
    (some clients send the position after it), the one before."""
    data = ctx.src.data
    if not 0 <= offset <= len(data):
        return []
    offsets = [offset]
    at_word = offset < len(data) and _IDENTIFIER_BYTE.match(data[offset : offset + 1])
    if not at_word and offset > 0 and _IDENTIFIER_BYTE.match(data[offset - 1 : offset]):
        offsets.append(offset - 1)
    nodes = []
    for position in offsets:
        node = ctx.src.root.named_descendant_for_byte_range(position, position)
        if node is not None:
            nodes.append(node)
    return nodes
