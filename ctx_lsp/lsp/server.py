"""The ctx-lsp language server (pygls 2): ``ctx-lsp serve [--tcp HOST:PORT]``.

Design (measurements and pitfalls behind it are in ENGINEERING_NOTES.md):

- Text sync is incremental and handled by :class:`GoDocument` (own byte buffer, LSP line
  index, incremental re-parse). ``didOpen``/``didChange``/``didClose`` are synchronous, so
  they are never reordered with later requests; they only update the buffer and schedule.
- Analysis starts after a per-document debounce (``debounceMs``, default 150; 0 allowed; a
  freshly opened document is analysed at once) and is pushed with the document version.
  Clients that support pull diagnostics get ``textDocument/diagnostic`` instead, and
  nothing is pushed to them (no duplicates).
- Analyses run on one background thread over a snapshot of the text, so the event loop
  keeps reading and applying edits meanwhile; an edit cancels the running analysis of older
  text (it stops at the next declaration; the engine's per-declaration cache keeps what was
  done). Only results for the current text are published or used.
- Requests (code actions, hover, pull) first bring the document's results up to date, so a
  fix is always computed for the text the client has now (and names that version).
- Nothing a client sends may crash the server or corrupt a buffer: bad changes are logged
  and the last good state is kept; an exception in a rule drops that rule's findings for
  that run and is logged with its traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import itertools
import json
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from lsprotocol import types as T
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from ctx_lsp import __version__
from ctx_lsp.engine import gomod
from ctx_lsp.engine.config import CONFIG_FILE_NAME
from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.package import PackageLoader, package_name
from ctx_lsp.engine.parse import parse
from ctx_lsp.engine.rule import Rule
from ctx_lsp.lsp import actions, convert
from ctx_lsp.lsp.actions import fix_all_edits
from ctx_lsp.lsp.capabilities import ClientFeatures, read_client_features
from ctx_lsp.lsp.document import DocumentChangeError, GoDocument, TextChange
from ctx_lsp.lsp.framing import ResynchronisingReader
from ctx_lsp.lsp.open_document import (AnalysisCancelled, OpenDocument, Results, analyse_snapshot,
                                       return_freed_memory)
from ctx_lsp.lsp.protocol import CtxLspProtocol
from ctx_lsp.lsp.settings_store import SECTION, SettingsStore, editor_section
from ctx_lsp.lsp.worker import AnalysisWorker

logger = logging.getLogger("ctx_lsp.server")

Handler = TypeVar("Handler", bound=Callable[..., Any])

WATCHED_GLOBS = ("**/go.mod", f"**/{CONFIG_FILE_NAME}", "**/*.go")
# A request waits for results of the text it was made for; when the text keeps changing
# under it, it gives up after this many fresh analyses rather than chase the typist forever.
MAX_ANALYSIS_ROUNDS = 20
SERVER_CANCELLED = -32802  # LSP ErrorCodes.ServerCancelled
# How long a document with a provisional tree must be left alone before the tree is compared
# with a fresh parse (see CtxLanguageServer._check_tree_later).
TREE_CHECK_DELAY_S = 0.3


class CtxLanguageServer(LanguageServer):
    """Server state: open documents, settings, timers. Handlers live in :func:`create_server`."""

    def __init__(self, rules: Sequence[Rule] | None = None) -> None:
        super().__init__(
            "ctx-lsp",
            __version__,
            text_document_sync_kind=T.TextDocumentSyncKind.Incremental,
            protocol_cls=CtxLspProtocol,
        )
        if rules is None:
            from ctx_lsp.rules import ALL_RULES

            rules = ALL_RULES
        self.rules: dict[str, Rule] = {rule.id: rule for rule in rules}
        self.documents: dict[str, OpenDocument] = {}
        self.features = ClientFeatures()
        self.settings = SettingsStore(self.log_warning, frozenset(self.rules))
        self.loader = PackageLoader(overlay=self._open_document_facts)
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._memory_timer: asyncio.TimerHandle | None = None
        self._logged_errors: set[tuple[str, str]] = set()
        # One analysis thread: the event loop keeps reading and applying edits while a slow
        # analysis runs, and analyses (which share the engine caches) never overlap.
        self._analysis_worker = AnalysisWorker()
        self._running: dict[str, tuple[tuple[int, int], Any, asyncio.Future[Results], threading.Event]] = {}
        # How many open documents keep their parse tree (the most recently used ones).
        self.parsed_documents = _parsed_documents_limit()
        self._use_counter = itertools.count(1)

    # -- logging ---------------------------------------------------------------------------
    def log(self, level: T.MessageType, message: str) -> None:
        logger.log({T.MessageType.Error: logging.ERROR, T.MessageType.Warning: logging.WARNING}.get(
            level, logging.INFO), "%s", message)
        try:
            self.window_log_message(T.LogMessageParams(type=level, message=message))
        except Exception:  # no client connected yet (or any more): stderr has it
            pass

    def log_warning(self, message: str) -> None:
        self.log(T.MessageType.Warning, message)

    def report_server_error(self, error: Exception, source: Any) -> None:
        # pygls's default pops up "Error in server" dialogs; a log entry is enough.
        if isinstance(error, JsonRpcException) and error.code == SERVER_CANCELLED:
            return  # a deliberate answer, not a failure
        self.log(T.MessageType.Error, f"ctx-lsp internal error ({getattr(source, '__name__', source)}): {error}")

    # -- documents -------------------------------------------------------------------------
    def settings_for(self, open_document: OpenDocument):  # type: ignore[no-untyped-def]
        return self.settings.for_path(open_document.document.path)

    async def results_of(self, open_document: OpenDocument, *, exact: bool = False) -> Results | None:
        """Results for the document's current text (analysing now when stale), or None when
        the text kept changing for MAX_ANALYSIS_ROUNDS analyses or the document closed.
        ``exact``: of a tree known to equal a fresh parse (see OpenDocument.current_results)."""
        for _ in range(MAX_ANALYSIS_ROUNDS):
            settings = self.settings_for(open_document)
            current = open_document.current_results(settings, exact=exact)
            if current is not None:
                return current
            if self.documents.get(open_document.document.uri) is not open_document:
                return None
            try:
                await asyncio.shield(self._analysis_of_current_text(open_document, settings))
            except AnalysisCancelled:
                continue
        return None

    def _analysis_of_current_text(self, open_document: OpenDocument, settings: Any) -> asyncio.Future[Results]:
        """The running analysis of the current text, started if there is none."""
        uri = open_document.document.uri
        running = self._running.get(uri)
        if running is not None:
            key, running_settings, future, cancel = running
            if key == open_document.key and running_settings is settings and not future.done():
                return future
            cancel.set()
        cancel = threading.Event()
        snapshot = open_document.document.snapshot()
        key = open_document.key
        future = self._analysis_worker.submit(functools.partial(
            analyse_snapshot, snapshot, key, open_document.cache, settings,
            self.loader, self.rules, self.features, cancel.is_set, open_document.diagnostics_memo))
        self._running[uri] = (key, settings, future, cancel)
        future.add_done_callback(functools.partial(self._analysis_done, open_document))
        return future

    def cancel_analysis(self, uri: str) -> None:
        running = self._running.get(uri)
        if running is not None:
            running[3].set()

    def _analysis_done(self, open_document: OpenDocument, future: asyncio.Future[Results]) -> None:
        uri = open_document.document.uri
        running = self._running.get(uri)
        if running is not None and running[2] is future:
            del self._running[uri]
        if future.cancelled() or isinstance(future.exception(), AnalysisCancelled):
            return
        error = future.exception()
        if error is not None:
            self.log(T.MessageType.Error, f"analysis of {uri} failed:\n"
                     + "".join(traceback.format_exception(error)))
            return
        results = future.result()
        if open_document.keep(results):
            self._after_analysis(open_document, results)

    def touch(self, open_document: OpenDocument) -> None:
        """The user works in this document (opened, edited or asked something about it)."""
        open_document.last_used = next(self._use_counter)

    def release_cold_trees(self, just_analysed: OpenDocument | None = None) -> None:
        """Keep parse trees only for the ``parsed_documents`` most recently used documents.

        A tree costs about 1.6 MB per 2,000 lines and is needed only to re-parse after an
        edit and to answer hover and code actions; a document in a background tab needs
        none. A released one is parsed again (in full) when it is next edited or queried.
        Documents with an analysis running or pending keep theirs, and so does the one whose
        results just arrived (a request may be waiting for exactly those results)."""
        parsed = [d for d in self.documents.values() if d.document.has_tree and d is not just_analysed]
        excess = len(parsed) + (just_analysed is not None) - self.parsed_documents
        if excess <= 0:
            return
        for cold in sorted(parsed, key=lambda d: d.last_used)[:excess]:
            uri = cold.document.uri
            if uri not in self._running and uri not in self._timers:
                cold.release_tree()

    def _after_analysis(self, open_document: OpenDocument, results: Results) -> None:
        if results.skipped_reason is not None:
            self._log_once("size", results.skipped_reason, T.MessageType.Info)
        for error in results.analysis.errors:
            self._log_once(error.rule, error.traceback, T.MessageType.Error,
                           f"rule {error.rule} failed on {open_document.document.uri} and its findings "
                           f"were dropped for this run: {error.message}\n{error.traceback}")
        self._propagate_package_change(open_document, results)
        self.release_cold_trees(just_analysed=open_document)
        published = open_document.published
        if published is not None and published[0] == results.version and published[1] != results.diagnostics_json:
            self.schedule(open_document.document.uri, immediate=True)  # a checked tree changed them
        self._check_tree_later(open_document)

    def _check_tree_later(self, open_document: OpenDocument) -> None:
        """Compare a provisional tree with a fresh parse on the analysis thread once the
        document has been left alone for TREE_CHECK_DELAY_S (the parse holds the GIL: not
        between keystrokes); when they differ, analyse and publish again
        (GoDocument.verify_lazily). A timer that finds the text changed does nothing."""
        if open_document.tree_check_job() is not None:
            asyncio.get_running_loop().call_later(TREE_CHECK_DELAY_S, self._start_tree_check, open_document)

    def _start_tree_check(self, open_document: OpenDocument) -> None:
        job = open_document.tree_check_job()
        if job is not None and self.documents.get(open_document.document.uri) is open_document:
            self._analysis_worker.submit(job).add_done_callback(functools.partial(self._tree_checked, open_document))

    def _tree_checked(self, open_document: OpenDocument, future: asyncio.Future[Any]) -> None:
        if future.cancelled() or future.exception() is not None:
            return
        uri = open_document.document.uri
        if self.documents.get(uri) is open_document and open_document.adopt(future.result()):
            self.schedule(uri, immediate=True)

    def _log_once(self, key: str, detail: str, level: T.MessageType, message: str | None = None) -> None:
        if (key, detail) not in self._logged_errors:
            self._logged_errors.add((key, detail))
            self.log(level, message or detail)

    def _propagate_package_change(self, open_document: OpenDocument, results: Results) -> None:
        """When a file's package-level facts change, open files of the same package (same
        directory) may have other findings now: re-analyse them too."""
        context = results.analysis.context
        path = open_document.document.path
        if context is None or not path:
            return
        directory = os.path.dirname(path)
        siblings = [other for other in self.documents.values()
                    if other is not open_document and other.document.path
                    and os.path.dirname(other.document.path) == directory]
        if not siblings:
            return  # the usual case; spares computing package facts no rule asked for
        key = context.package.key
        previous, open_document.package_key = open_document.package_key, key
        if previous is None or previous == key:
            return
        for other in siblings:
            other.invalidate_external()
            other.package_key = None  # its next change of key is caused by this one
            self.schedule(other.document.uri)

    def _open_document_facts(self, path: str):  # type: ignore[no-untyped-def]
        """PackageLoader overlay: sibling files open in the editor count with their unsaved text."""
        for open_document in self.documents.values():
            document = open_document.document
            if document.path and os.path.abspath(document.path) == path:
                # Called on the analysis thread, for every analysis of a sibling: computed
                # once per revision (and without keeping a released tree: a local parse).
                revision, known = open_document.revision, open_document.overlay_facts
                if known is not None and known[0] == revision:
                    return known[1]
                tree = document.parsed_tree
                root = (tree if tree is not None else parse(document.data)).root_node
                facts = tuple(open_document.cache.facts(child, document.path) for child in root.named_children)
                open_document.overlay_facts = (revision, (package_name(root), facts))
                return package_name(root), facts
        return None

    # -- scheduling and publishing ---------------------------------------------------------
    def schedule(self, uri: str, *, immediate: bool = False) -> None:
        """(Re)start ``uri``'s debounce timer; the last edit of a burst wins."""
        pending = self._timers.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if self.features.pull_diagnostics:
            return  # the client asks when it wants them
        open_document = self.documents.get(uri)
        if open_document is None:
            return
        delay = 0.0 if immediate else self.settings_for(open_document).debounce_ms / 1000
        self._timers[uri] = asyncio.get_running_loop().call_later(delay, self._publish_guarded, uri)

    def return_memory_soon(self) -> None:
        """Documents were closed: give their memory back to the OS once the closes stop."""
        if self._memory_timer is not None:
            self._memory_timer.cancel()
        self._memory_timer = asyncio.get_running_loop().call_later(1.0, return_freed_memory)

    def cancel_timer(self, uri: str) -> None:
        pending = self._timers.pop(uri, None)
        if pending is not None:
            pending.cancel()

    def _publish_guarded(self, uri: str) -> None:
        self._timers.pop(uri, None)
        task = asyncio.ensure_future(self.publish(uri))
        task.add_done_callback(functools.partial(self._publish_done, uri))

    def _publish_done(self, uri: str, task: asyncio.Future[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            self.log(T.MessageType.Error, f"publishing diagnostics for {uri} failed:\n"
                     + "".join(traceback.format_exception(task.exception())))  # type: ignore[arg-type]

    async def publish(self, uri: str) -> None:
        open_document = self.documents.get(uri)
        if open_document is None:
            return  # closed meanwhile
        results = await self.results_of(open_document)
        if results is None or self.documents.get(uri) is not open_document:
            return  # superseded: a newer edit has its own timer
        published = (results.version, results.diagnostics_json)
        if open_document.published == published:
            return
        open_document.published = published
        version = "" if results.version is None else f',"version":{results.version}'
        params = f'{{"uri":{json.dumps(uri)},"diagnostics":[{",".join(results.diagnostics_text)}]{version}}}'
        self.protocol.notify_encoded(T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)  # type: ignore[attr-defined]

    def refresh_all(self) -> None:
        """Settings or outside facts changed: every open document gets new results."""
        for open_document in self.documents.values():
            open_document.invalidate_external()
            self.schedule(open_document.document.uri)
        if self.features.pull_diagnostics and self.features.diagnostic_refresh:
            try:
                self.workspace_diagnostic_refresh(None)
            except Exception:
                self.log(T.MessageType.Warning, f"workspace/diagnostic/refresh failed:\n{traceback.format_exc()}")

    # -- configuration ---------------------------------------------------------------------
    def apply_editor_settings(self, raw: object, origin: str) -> bool:
        section, found = editor_section(raw)
        if not found:
            return False
        logger.info("settings from %s: %r", origin, section)
        self.settings.set_editor_settings(section)
        return True

    async def pull_configuration(self) -> None:
        if not self.features.configuration_pull:
            return
        try:
            answer = await self.workspace_configuration_async(
                T.ConfigurationParams(items=[T.ConfigurationItem(section=SECTION)])
            )
        except Exception as error:
            self.log(T.MessageType.Warning, f"workspace/configuration failed ({error}); keeping current settings")
            return
        if answer and answer[0] is not None and self.apply_editor_settings({SECTION: answer[0]}, "workspace/configuration"):
            self.refresh_all()

    async def register_dynamic_capabilities(self) -> None:
        registrations = []
        if self.features.register_watched_files:
            watchers = [T.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
            registrations.append(T.Registration(
                id="ctx-lsp-watched-files", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=T.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)))
        if self.features.register_configuration:
            registrations.append(T.Registration(
                id="ctx-lsp-configuration", method=T.WORKSPACE_DID_CHANGE_CONFIGURATION,
                register_options=T.DidChangeConfigurationRegistrationOptions(section=SECTION)))
        if not registrations:
            return
        try:
            await self.client_register_capability_async(T.RegistrationParams(registrations=registrations))
        except Exception as error:
            self.log(T.MessageType.Info, f"client/registerCapability refused ({error}); "
                     "go.mod and .ctx-lsp.toml changes are picked up when a document changes")


def guarded(default: Any = None) -> Callable[[Handler], Handler]:
    """Log any exception of a handler (sync or async) with its traceback and return
    ``default`` instead: one bad message must not take the server down."""

    def decorate(handler: Handler) -> Handler:
        def report(ls: CtxLanguageServer) -> Any:
            ls.log(T.MessageType.Error, f"{handler.__name__} failed:\n{traceback.format_exc()}")
            return default

        if asyncio.iscoroutinefunction(handler):
            @functools.wraps(handler)
            async def async_wrapper(ls: CtxLanguageServer, params: Any) -> Any:
                try:
                    return await handler(ls, params)
                except JsonRpcException:
                    raise  # a protocol-level answer (e.g. ServerCancelled), not a crash
                except Exception:
                    return report(ls)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(handler)
        def wrapper(ls: CtxLanguageServer, params: Any) -> Any:
            try:
                return handler(ls, params)
            except JsonRpcException:
                raise  # a protocol-level answer (e.g. ServerCancelled), not a crash
            except Exception:
                return report(ls)

        return wrapper  # type: ignore[return-value]

    return decorate


def _is_go_document(item: T.TextDocumentItem) -> bool:
    return item.language_id == "go" or item.uri.endswith(".go")


def _text_change(change: T.TextDocumentContentChangeEvent) -> TextChange:
    if isinstance(change, T.TextDocumentContentChangePartial):
        start, end = change.range.start, change.range.end
        return TextChange(change.text, (start.line, start.character), (end.line, end.character))
    return TextChange(change.text)


def _path_of(uri: str) -> str:
    """File system path of a ``file:`` URI; "" for untitled buffers and other schemes."""
    try:
        return to_fs_path(uri) or ""
    except Exception:
        return ""


# -- handlers --------------------------------------------------------------------------------
def _on_initialize(ls: CtxLanguageServer, params: T.InitializeParams) -> None:
    ls.features = read_client_features(params.capabilities, ls.protocol.workspace.position_encoding)
    root_uri = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
    ls.settings.root_path = (_path_of(root_uri) if root_uri else params.root_path) or None
    if ls.features.pull_diagnostics:
        # Registered only for clients that pull: pygls would otherwise advertise
        # diagnosticProvider to everyone, and a client that pulls and is pushed to shows
        # every diagnostic twice.
        ls.feature(
            T.TEXT_DOCUMENT_DIAGNOSTIC,
            T.DiagnosticOptions(identifier="ctx-lsp", inter_file_dependencies=True, workspace_diagnostics=False),
        )(_on_pull_diagnostics)
    if not ls.apply_editor_settings(params.initialization_options, "initializationOptions"):
        if params.initialization_options not in (None, [], {}):
            ls.log_warning(f"initializationOptions ignored: expected the {SECTION} settings object, "
                           f"got {params.initialization_options!r}")


def _on_initialized(ls: CtxLanguageServer, params: T.InitializedParams) -> None:
    asyncio.ensure_future(ls.register_dynamic_capabilities())
    asyncio.ensure_future(ls.pull_configuration())


@guarded()
def _on_did_open(ls: CtxLanguageServer, params: T.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    if not _is_go_document(item):
        logger.info("ignoring non-Go document %s (%s)", item.uri, item.language_id)
        return
    document = GoDocument(item.uri, item.text, path=_path_of(item.uri), version=item.version,
                          encoding=ls.features.encoding)
    ls.documents[item.uri] = OpenDocument(document)
    ls.touch(ls.documents[item.uri])
    ls.schedule(item.uri, immediate=True)


@guarded()
def _on_did_change(ls: CtxLanguageServer, params: T.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    open_document = ls.documents.get(uri)
    if open_document is None:
        ls.log_warning(f"didChange for {uri}, which is not open; ignored")
        return
    try:
        open_document.document.apply_changes(
            [_text_change(change) for change in params.content_changes], params.text_document.version
        )
    except DocumentChangeError as error:
        ls.log_warning(f"didChange for {uri} (version {params.text_document.version}) ignored, "
                       f"keeping version {open_document.document.version}: {error}")
        return
    open_document.changed()
    ls.touch(open_document)
    ls.cancel_analysis(uri)
    ls.schedule(uri)


@guarded()
def _on_did_close(ls: CtxLanguageServer, params: T.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.cancel_timer(uri)
    ls.cancel_analysis(uri)
    if ls.documents.pop(uri, None) is None:
        ls.log_warning(f"didClose for {uri}, which is not open; ignored")
        return
    ls.return_memory_soon()
    if not ls.features.pull_diagnostics:
        ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@guarded()
def _on_did_change_configuration(ls: CtxLanguageServer, params: T.DidChangeConfigurationParams) -> None:
    if ls.apply_editor_settings(params.settings, "workspace/didChangeConfiguration"):
        ls.refresh_all()
    else:
        asyncio.ensure_future(ls.pull_configuration())


@guarded()
def _on_did_change_watched_files(ls: CtxLanguageServer, params: T.DidChangeWatchedFilesParams) -> None:
    names = {os.path.basename(_path_of(change.uri)) for change in params.changes}
    if "go.mod" in names:
        gomod.clear_caches()
    if CONFIG_FILE_NAME in names:
        ls.settings.forget_files()
    ls.refresh_all()


def _open_document_or_log(ls: CtxLanguageServer, uri: str, request: str) -> OpenDocument | None:
    open_document = ls.documents.get(uri)
    if open_document is None:
        ls.log(T.MessageType.Info, f"{request} for {uri}, which is not open; answering with nothing")
    else:
        ls.touch(open_document)
    return open_document


@guarded(default=T.FullDocumentDiagnosticReport(items=[]))
async def _on_pull_diagnostics(ls: CtxLanguageServer, params: T.DocumentDiagnosticParams) -> T.DocumentDiagnosticReport:
    open_document = _open_document_or_log(ls, params.text_document.uri, "textDocument/diagnostic")
    if open_document is None:
        return T.FullDocumentDiagnosticReport(items=[])
    results = await ls.results_of(open_document, exact=True)
    if results is None:
        # The text kept changing under the request: ask the client to pull again.
        raise JsonRpcException("the document changed while it was analysed", SERVER_CANCELLED,
                               {"retriggerRequest": True})
    if params.previous_result_id == results.result_id:
        return T.UnchangedDocumentDiagnosticReport(result_id=results.result_id)
    return T.FullDocumentDiagnosticReport(items=results.diagnostics, result_id=results.result_id)


@guarded(default=None)
async def _on_code_action(ls: CtxLanguageServer, params: T.CodeActionParams) -> list[T.CodeAction] | None:
    open_document = _open_document_or_log(ls, params.text_document.uri, "textDocument/codeAction")
    if open_document is None or not ls.features.code_action_literals:
        return None
    results = await ls.results_of(open_document, exact=True)
    if results is None:
        return None
    only = params.context.only
    actions: list[T.CodeAction] = []
    if convert.kind_requested(T.CodeActionKind.QuickFix, only):
        for index in _findings_for_request(results, params):
            actions.extend(_quick_fixes(ls, results, index))
    if convert.kind_requested(convert.FIX_ALL_KIND, only):
        edits = fix_all_edits(results.analysis.findings, results.analysis.preferred_fix_of)
        if edits:
            actions.append(convert.fix_all_action(results.snapshot, edits, ls.features))
    return actions


def _findings_for_request(results: Results, params: T.CodeActionParams) -> list[int]:
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
    by_identity = {(d.code, _range_key(d.range)): i for i, d in enumerate(results.diagnostics)}
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


def _quick_fixes(ls: CtxLanguageServer, results: Results, index: int) -> Iterable[T.CodeAction]:
    finding: Finding = results.analysis.findings[index]
    diagnostic = results.diagnostics[index]
    snapshot = results.snapshot
    for fix in sorted(results.analysis.fixes_of(finding), key=lambda fix: not fix.preferred):
        yield convert.fix_action(snapshot, fix, diagnostic, ls.features)
    edit = actions.suppress_edit(snapshot.source_file(), finding)
    if edit is not None:
        yield convert.suppress_action(snapshot, finding.rule, edit, diagnostic, ls.features)


@guarded(default=None)
async def _on_hover(ls: CtxLanguageServer, params: T.HoverParams) -> T.Hover | None:
    try:
        from ctx_lsp.hover import site
    except ImportError:
        return None
    open_document = _open_document_or_log(ls, params.text_document.uri, "textDocument/hover")
    if open_document is None:
        return None
    results = await ls.results_of(open_document)
    if results is None or results.analysis.context is None:
        return None
    try:
        offset = results.snapshot.offset(params.position.line, params.position.character)
    except DocumentChangeError:
        return None
    found = site.hover_at(results.analysis.context, offset, results.analysis.findings, ls.features.markdown_hover)
    return _to_hover(results.snapshot, found, ls.features.markdown_hover)


def _to_hover(document: convert.TextView, found: Any, markdown: bool) -> T.Hover | None:
    """Accepts what ``hover_at`` returns: None, text, or an object with ``text`` and
    optionally ``start``/``end`` byte offsets."""
    if found is None:
        return None
    text = found if isinstance(found, str) else getattr(found, "text", None)
    if not text:
        return None
    kind = T.MarkupKind.Markdown if markdown else T.MarkupKind.PlainText
    start, end = getattr(found, "start", None), getattr(found, "end", None)
    hover_range = convert.lsp_range(document, start, end) if isinstance(start, int) and isinstance(end, int) else None
    return T.Hover(contents=T.MarkupContent(kind=kind, value=text), range=hover_range)


def _on_shutdown(ls: CtxLanguageServer, params: Any) -> None:
    for uri in list(ls._timers):
        ls.cancel_timer(uri)
    for uri in list(ls._running):
        ls.cancel_analysis(uri)


def create_server(rules: Sequence[Rule] | None = None) -> CtxLanguageServer:
    """A server with every handler registered (``rules`` defaults to every registered rule)."""
    server = CtxLanguageServer(rules)
    server.feature(T.INITIALIZE)(_on_initialize)
    server.feature(T.INITIALIZED)(_on_initialized)
    server.feature(T.SHUTDOWN)(_on_shutdown)
    server.feature(T.TEXT_DOCUMENT_DID_OPEN)(_on_did_open)
    server.feature(T.TEXT_DOCUMENT_DID_CHANGE)(_on_did_change)
    server.feature(T.TEXT_DOCUMENT_DID_CLOSE)(_on_did_close)
    server.feature(T.WORKSPACE_DID_CHANGE_CONFIGURATION)(_on_did_change_configuration)
    server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)(_on_did_change_watched_files)
    server.feature(
        T.TEXT_DOCUMENT_CODE_ACTION,
        T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix, convert.FIX_ALL_KIND]),
    )(_on_code_action)
    server.feature(T.TEXT_DOCUMENT_HOVER)(_on_hover)
    return server


def _parsed_documents_limit() -> int:
    """How many documents keep a parse tree: $CTX_LSP_PARSED_DOCUMENTS (tests set 1 to
    exercise released trees), else 8."""
    try:
        return max(1, int(os.environ.get("CTX_LSP_PARSED_DOCUMENTS", "8")))
    except ValueError:
        return 8


def _parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ctx-lsp serve", description="Run the ctx-lsp language server.")
    parser.add_argument("--tcp", metavar="HOST:PORT", default=None, help="listen on TCP instead of stdio")
    parser.add_argument("--log-level", default=os.environ.get("CTX_LSP_LOG_LEVEL", "WARNING"),
                        help="stderr log level (default: WARNING, or $CTX_LSP_LOG_LEVEL)")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parse_arguments(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(stream=sys.stderr, level=arguments.log_level.upper(),
                        format="ctx-lsp %(levelname)s %(name)s: %(message)s")
    server = create_server()
    if arguments.tcp:
        host, _, port = arguments.tcp.rpartition(":")
        if not port.isdigit():
            print(f"ctx-lsp serve: --tcp expects HOST:PORT, got {arguments.tcp!r}", file=sys.stderr)
            return 2
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io(stdin=ResynchronisingReader(sys.stdin.buffer))  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
