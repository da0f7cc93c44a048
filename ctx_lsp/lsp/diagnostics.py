"""Diagnostics, pushed (``textDocument/publishDiagnostics``) or pulled (``textDocument/diagnostic``).

Clients that support pull diagnostics get ``textDocument/diagnostic`` and nothing is pushed to
them (no duplicates); the others get a push after each debounced analysis, named with the
document's version. When and what is pushed is :mod:`.scheduling`'s business; this module
sends and answers.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from lsprotocol import types as T
from pygls.exceptions import JsonRpcException

from ctx_lsp.lsp.handler_support import guarded, open_document_or_log
from ctx_lsp.lsp.open_document import OpenDocument, Results

if TYPE_CHECKING:
    from ctx_lsp.lsp.server import CtxLanguageServer

SERVER_CANCELLED = -32802  # LSP ErrorCodes.ServerCancelled


def push(server: CtxLanguageServer, open_document: OpenDocument, results: Results) -> None:
    """Send ``results`` as the document's diagnostics (each diagnostic is JSON text already)."""
    uri = open_document.document.uri
    version = "" if results.version is None else f',"version":{results.version}'
    params = f'{{"uri":{json.dumps(uri)},"diagnostics":[{",".join(results.diagnostics_text)}]{version}}}'
    server.protocol.notify_encoded(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)  # type: ignore[attr-defined]


def clear(server: CtxLanguageServer, uri: str) -> None:
    """A closed document has no diagnostics any more (push clients only)."""
    if not server.features.pull_diagnostics:
        server.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def register_pull(server: CtxLanguageServer) -> None:
    """Offer ``textDocument/diagnostic``; only to clients that pull: pygls would otherwise
    advertise diagnosticProvider to everyone, and a client that pulls and is pushed to shows
    every diagnostic twice."""
    server.feature(
        T.TEXT_DOCUMENT_DIAGNOSTIC,
        T.DiagnosticOptions(identifier="ctx-lsp", inter_file_dependencies=True, workspace_diagnostics=False),
    )(on_pull)


@guarded(default=T.FullDocumentDiagnosticReport(items=[]))
async def on_pull(ls: CtxLanguageServer, params: T.DocumentDiagnosticParams,
                  ) -> T.FullDocumentDiagnosticReport | T.UnchangedDocumentDiagnosticReport:
    open_document = open_document_or_log(ls, params.text_document.uri, "textDocument/diagnostic")
    if open_document is None:
        return T.FullDocumentDiagnosticReport(items=[])
    results = await ls.scheduler.results_of(open_document, exact=True)
    if results is None:
        # The text kept changing under the request: ask the client to pull again.
        raise JsonRpcException("the document changed while it was analyzed", SERVER_CANCELLED,
                               {"retriggerRequest": True})
    if params.previous_result_id == results.result_id:
        return T.UnchangedDocumentDiagnosticReport(result_id=results.result_id)
    return T.FullDocumentDiagnosticReport(items=results.diagnostics, result_id=results.result_id)
