"""``textDocument/codeAction``: quick fixes, ``//ctxlsp:ignore`` suppressions and fix-all.

A code action is always computed for the text the client has now (the request first brings
the document's analysis up to date) and its edit names that version. The byte-level edits
are :mod:`.actions`'; their conversion to LSP is :mod:`.convert`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import attrs
from lsprotocol import types as T

from ctx_lsp.engine.findings import Finding
from ctx_lsp.lsp import actions, convert
from ctx_lsp.lsp.document import DocumentChangeError
from ctx_lsp.lsp.handler_support import guarded, open_document_or_log
from ctx_lsp.lsp.open_document import Results

if TYPE_CHECKING:
    from ctx_lsp.lsp.server import CtxLanguageServer


def register(server: CtxLanguageServer) -> None:
    server.feature(
        T.TEXT_DOCUMENT_CODE_ACTION,
        T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix, convert.FIX_ALL_KIND],
                            resolve_provider=True),
    )(on_code_action)
    server.feature(T.CODE_ACTION_RESOLVE)(on_code_action_resolve)


@guarded(default=None)
async def on_code_action(ls: CtxLanguageServer, params: T.CodeActionParams) -> list[T.CodeAction] | None:
    open_document = open_document_or_log(ls, params.text_document.uri, "textDocument/codeAction")
    if open_document is None or not ls.features.code_action_literals:
        return None
    results = await ls.scheduler.results_of(open_document, exact=True)
    if results is None:
        return None
    only = params.context.only
    found: list[T.CodeAction] = []
    if convert.kind_requested(T.CodeActionKind.QuickFix, only):
        for index in findings_for_request(results, params):
            found.extend(_quick_fixes(ls, results, index))
    if convert.kind_requested(convert.FIX_ALL_KIND, only):
        if not only and ls.features.code_action_resolves_edits:
            # The lightbulb's request (no ``only``), on every cursor move: finishing every
            # finding's fixes costs more than the rest of the request; the client asks for the
            # edit (codeAction/resolve) when the user picks the action. Asked for by kind
            # (``only``: fix-all on save), the edit comes at once.
            if any(finding.deferred_fixes or finding.fixes for finding in results.analysis.findings):
                found.append(convert.fix_all_action(results.snapshot, None, ls.features))
        else:
            action = _fix_all(ls, results)
            if action is not None:
                found.append(action)
    return found


@guarded(default=None)
async def on_code_action_resolve(ls: CtxLanguageServer, action: T.CodeAction) -> T.CodeAction:
    """The edit of a fix-all action offered without one: computed for the text the client has
    now (the edit names that version; with no fix left, the action edits nothing)."""
    data = action.data if isinstance(action.data, Mapping) else {}
    uri = data.get("uri")
    if action.kind != convert.FIX_ALL_KIND or not isinstance(uri, str):
        return action
    open_document = open_document_or_log(ls, uri, "codeAction/resolve")
    results = None if open_document is None else await ls.scheduler.results_of(open_document, exact=True)
    if results is None:
        return action
    resolved = _fix_all(ls, results)
    return resolved if resolved is not None else attrs.evolve(action, edit=T.WorkspaceEdit(changes={}))


def _fix_all(ls: CtxLanguageServer, results: Results) -> T.CodeAction | None:
    edits = actions.fix_all_edits(results.analysis.findings, results.analysis.preferred_fix_of)
    return convert.fix_all_action(results.snapshot, edits, ls.features) if edits else None


def findings_for_request(results: Results, params: T.CodeActionParams) -> list[int]:
    """Indexes of current findings the request is about: those overlapping its range, and
    those the client names in ``context.diagnostics`` (unless named for an older version)."""
    snapshot = results.snapshot
    try:
        start = snapshot.offset(params.range.start.line, params.range.start.character)
        end = snapshot.offset(params.range.end.line, params.range.end.character)
    except DocumentChangeError:
        return []
    findings = results.analysis.findings
    chosen = [i for i, finding in enumerate(findings) if finding.start <= end and finding.end >= start]
    by_identity = {(d.code, _range_key(d.range)): i for i, d in enumerate(results.unstamped_diagnostics)}
    for named in params.context.diagnostics:
        if named.source != convert.SOURCE:
            continue
        data = named.data if isinstance(named.data, Mapping) else {}
        if data.get("version", snapshot.version) != snapshot.version:
            continue  # a diagnostic of older text: its range means something else now
        index = by_identity.get((named.code, _range_key(named.range)))
        if index is not None and index not in chosen:
            chosen.append(index)
    return sorted(chosen, key=lambda i: (findings[i].start, findings[i].rule))


def _range_key(lsp_range: T.Range) -> tuple[int, int, int, int]:
    return lsp_range.start.line, lsp_range.start.character, lsp_range.end.line, lsp_range.end.character


def _quick_fixes(server: CtxLanguageServer, results: Results, index: int) -> Iterable[T.CodeAction]:
    finding: Finding = results.analysis.findings[index]
    diagnostic = results.diagnostic(index)
    snapshot = results.snapshot
    for fix in sorted(results.analysis.fixes_of(finding), key=lambda fix: not fix.preferred):
        yield convert.fix_action(snapshot, fix, diagnostic, server.features)
    edit = actions.suppress_edit(snapshot.source_file(), finding)
    if edit is not None:
        yield convert.suppress_action(snapshot, finding.rule, edit, diagnostic, server.features)
