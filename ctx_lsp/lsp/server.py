"""The ctx-lsp language server (pygls 2): its state, and every feature's handlers put together.

The server is split by LSP feature, as gopls's ``server/`` and ruff's ``server/api/requests/``:

- :mod:`.lifecycle`       initialize, shutdown, exit codes, the editor's process, a lost client
- :mod:`.scheduling`      debounce, analyses on the background thread, publishing, tree release
- :mod:`.text_sync`       didOpen / didChange / didClose
- :mod:`.diagnostics`     push and pull diagnostics
- :mod:`.hover`           hover (thin: the text is :mod:`ctx_lsp.hover`'s)
- :mod:`.code_actions`    quick fixes, suppressions, fix-all
- :mod:`.configuration`   settings, watched files, configuration problems shown to the user
- :mod:`.serve`           ``ctx-lsp serve`` (``main``)

Nothing a client sends may crash the server or corrupt a buffer: bad changes are logged and
the last good state is kept; an exception in a rule drops that rule's findings for that run
and is logged with its traceback; every request is answered (:mod:`.protocol`).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any

from lsprotocol import types as T
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from ctx_lsp import __version__
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.module_index import warm_in_background
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.rule import Rule
from ctx_lsp.lsp import (
    code_actions,
    configuration,
    diagnostics,
    hover,
    lifecycle,
    text_sync,
)
from ctx_lsp.lsp.capabilities import ClientFeatures
from ctx_lsp.lsp.open_document import OpenDocument, Results
from ctx_lsp.lsp.package_overlay import OpenPackageFiles
from ctx_lsp.lsp.protocol import CtxLspProtocol
from ctx_lsp.lsp.scheduling import Scheduler
from ctx_lsp.lsp.settings_store import SettingsStore

logger = logging.getLogger("ctx_lsp.server")

SERVER_CANCELLED = diagnostics.SERVER_CANCELLED


class CtxLanguageServer(LanguageServer):
    """Server state: open documents, settings, the scheduler and the session's lifecycle."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        super().__init__(
            "ctx-lsp",
            __version__,
            text_document_sync_kind=T.TextDocumentSyncKind.Incremental,
            protocol_cls=CtxLspProtocol,
        )
        self.rules: dict[str, Rule] = {rule.id: rule for rule in rules}
        self.documents: dict[str, OpenDocument] = {}
        self.package_files = OpenPackageFiles()
        self.features = ClientFeatures()
        self.settings = SettingsStore(functools.partial(configuration.report_problem, self), frozenset(self.rules))
        self.loader = PackageLoader(overlay=self.package_files.facts)
        self._warmed_modules: set[str] = set()
        self.lifecycle = lifecycle.Lifecycle()
        self.scheduler = Scheduler(self, functools.partial(diagnostics.push, self))
        self._logged_once: set[tuple[str, str]] = set()

    # -- documents ---------------------------------------------------------------------------
    def add_document(self, open_document: OpenDocument) -> None:
        uri = open_document.document.uri
        if uri in self.documents:  # opened twice: the second text wins
            self.remove_document(uri)
        self.documents[uri] = open_document
        self.package_files.add(open_document)

    def remove_document(self, uri: str) -> bool:
        """Forget a closed document; False when it was not open."""
        open_document = self.documents.pop(uri, None)
        self.scheduler.closed(uri)
        if open_document is None:
            return False
        self.package_files.remove(open_document)
        return True

    def warm_module_index(self, path: str) -> None:
        """Read the module of ``path`` on a background thread the first time one of its files
        opens, so analyses that need other packages of the module rarely read them
        themselves; nothing waits for it."""
        index = self.loader.modules.for_file(path) if path else None
        if index is None or index.root in self._warmed_modules:
            return
        self._warmed_modules.add(index.root)
        warm_in_background(self.loader.modules, [path])

    def settings_for(self, open_document: OpenDocument) -> Settings:
        return self.settings.for_path(open_document.document.path)

    def after_analysis(self, open_document: OpenDocument, results: Results) -> None:
        """Results of the current text arrived: report what went wrong in them, once."""
        if results.skipped_reason is not None:
            self.log_once("size", results.skipped_reason, T.MessageType.Info)
        for error in results.analysis.errors:
            self.log_once(error.rule, error.traceback, T.MessageType.Error,
                          f"rule {error.rule} failed on {open_document.document.uri} and its findings "
                          f"were dropped for this run: {error.message}\n{error.traceback}")

    # -- logging -----------------------------------------------------------------------------
    def log(self, level: T.MessageType, message: str) -> None:
        logger.log({T.MessageType.Error: logging.ERROR, T.MessageType.Warning: logging.WARNING}.get(
            level, logging.INFO), "%s", message)
        try:
            self.window_log_message(T.LogMessageParams(type=level, message=message))
        except Exception:  # no client connected yet (or any more): stderr has it
            pass

    def log_warning(self, message: str) -> None:
        self.log(T.MessageType.Warning, message)

    def log_once(self, key: str, detail: str, level: T.MessageType, message: str | None = None) -> None:
        if (key, detail) not in self._logged_once:
            self._logged_once.add((key, detail))
            self.log(level, message or detail)

    def report_server_error(self, error: Exception, source: Any) -> None:
        # pygls's default pops up "Error in server" dialogs; a log entry is enough.
        if isinstance(error, JsonRpcException) and error.code == SERVER_CANCELLED:
            return  # a deliberate answer, not a failure
        self.log(T.MessageType.Error, f"ctx-lsp internal error ({getattr(source, '__name__', source)}): {error}")


def create_server(rules: Sequence[Rule] | None = None) -> CtxLanguageServer:
    """A server with every handler registered (``rules`` defaults to every registered rule)."""
    if rules is None:
        from ctx_lsp.rules import ALL_RULES

        rules = ALL_RULES
    server = CtxLanguageServer(rules)
    for feature in (lifecycle, text_sync, configuration, code_actions, hover):
        feature.register(server)
    return server
