"""When open documents are analyzed, and which results reach the client.

Analyses run on one background thread (:class:`~ctx_lsp.lsp.worker.AnalysisWorker`) over a
snapshot of the text, so the event loop keeps reading and applying edits meanwhile. An edit
cancels the running analysis of older text (it stops at the next declaration; the engine's
per-declaration cache keeps what was done). Push clients get diagnostics after a
per-document debounce (``debounceMs``; a freshly opened document at once); pull clients ask.

Invariants (issue 21 item 5; each is what a test in tests/robustness/test_lost_publish.py or
tests/lsp depends on):

1. **Nothing owed is lost (push).** From a change of a document's state (its text revision,
   its outside facts, its settings) until a publish names that state, the document has a
   pending timer or a publish in flight (:class:`DocumentSchedule`). A publish that ends
   without having published the current state schedules another.
2. **One analysis per document**, recorded as a :class:`RunningAnalysis`; a request for
   other text (or other settings) cancels it and starts its own.
3. **A request gets results of the text it was made for**, handed over directly from the
   analysis (:meth:`Scheduler.results_of`), never re-read from the OpenDocument afterwards:
   releasing a cold document's tree (which drops its kept results) cannot take them away
   from a waiting request, which used to make requests give up and publishes go missing.
4. **Trees are released only from idle documents**: no timer, no running analysis, no
   publish in flight, and not the document whose results just arrived.
5. **Work on the event loop per analysis does not grow with the number of open
   documents.** Package facts are computed on the analysis thread (once per revision, see
   :mod:`.package_overlay`); the event loop compares one number per analysis (the key of the
   document's own package facts) and touches sibling documents only when it changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import threading
import traceback
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs
import tree_sitter
from lsprotocol import types as T

from ctx_lsp.engine.config import Settings
from ctx_lsp.lsp.document import DocumentSnapshot
from ctx_lsp.lsp.document import TreeCheck, check_tree
from ctx_lsp.lsp.open_document import (
    AnalysisCancelled,
    OpenDocument,
    Results,
    StateKey,
    analyse_snapshot,
    return_freed_memory,
)
from ctx_lsp.lsp.package_overlay import facts_key
from ctx_lsp.lsp.worker import AnalysisWorker

if TYPE_CHECKING:
    from ctx_lsp.lsp.server import CtxLanguageServer

logger = logging.getLogger("ctx_lsp.server")

# A request waits for results of the text it was made for; when the text keeps changing
# under it, it gives up after this many fresh analyses rather than chase the typist forever.
MAX_ANALYSIS_ROUNDS = 20
DEFAULT_PARSED_DOCUMENTS = 8
# How long a document with a provisional tree (text with syntax errors, re-parsed
# incrementally: lsp/document.py) must be left alone before the tree is compared with a fresh
# parse (Scheduler.tree_check). Not on every keystroke: the fresh parse costs two to three
# times a keystroke's analysis in CPU, which a machine without an idle core pays in latency
# (measured: keystroke median 4.7 -> 17 ms at load 8 on 2 cores).
TREE_CHECK_DELAY_S = 0.3
# A request compares a provisional tree with a fresh parse on the event loop (Scheduler._checked)
# unless its top-level declarations with errors, compared node by node, have more nodes than
# this (about 0.5 us each: 10 ms); then on the tree-check thread, where the event loop can
# apply edits between the comparison's steps and an edit cancels it.
INLINE_CHECK_MAX_NODES = 20_000
# After a burst of didClose, give the freed memory back to the OS once the closes stop.
RETURN_MEMORY_DELAY_S = 1.0


@attrs.frozen
class AnalysisOutcome:
    """What the analysis thread hands back: the results, and the key of the document's own
    package facts (None when not computed: no sibling read them, or the text was not analysed)."""

    results: Results
    own_facts_key: int | None


@attrs.define(eq=False)
class RunningAnalysis:
    key: StateKey
    settings: Settings
    future: asyncio.Future[AnalysisOutcome]
    cancel: threading.Event


@attrs.frozen
class PublishedState:
    """What the client was last sent for a document."""

    key: StateKey
    settings: Settings
    version: int | None
    diagnostics_json: list[dict[str, Any]]


@attrs.define(eq=False)
class DocumentSchedule:
    """The scheduler's state of one open document (see the invariants in the module doc)."""

    timer: asyncio.TimerHandle | None = None
    running: RunningAnalysis | None = None
    publishing: asyncio.Task[None] | None = None
    published: PublishedState | None = None
    own_facts_key: int | None = None
    # The comparison of a provisional tree with a fresh parse, running or done (the tree it
    # is about, and its future), see Scheduler.tree_check.
    checking: tuple[tree_sitter.Tree, asyncio.Future[TreeCheck | None]] | None = None

    @property
    def busy(self) -> bool:
        return self.timer is not None or self.running is not None or self.publishing is not None


Push = Callable[[OpenDocument, Results], None]


class Scheduler:
    """Debounce timers, analyses and publishes of the open documents of one server."""

    def __init__(self, server: CtxLanguageServer, push: Push) -> None:
        self._server = server
        self._push = push
        self._states: dict[str, DocumentSchedule] = {}
        # One analysis thread: the event loop keeps reading and applying edits while a slow
        # analysis runs, and analyses (which share the engine caches) never overlap.
        self._worker = AnalysisWorker()
        # Fresh parses of provisional trees (see tree_check) run on a thread of their own, so
        # a check does not wait behind an analysis. py-tree-sitter holds the GIL while it
        # parses (docs/engineering-notes.md §1.5): the parse stops every thread meanwhile.
        self._checker = AnalysisWorker("ctx-lsp-tree-check")
        # How many open documents keep their parse tree (the most recently used ones).
        self.parsed_documents = parsed_documents_limit()
        # The documents that may hold a parse tree, least recently used first: opened, edited
        # or queried documents move to the end (touch), a document analysed on nobody's
        # behalf (a sibling's facts changed) goes to the front. Released ones leave it.
        self._with_trees: OrderedDict[str, OpenDocument] = OrderedDict()
        # The fresh tree of the last check that found the trees equal: freeing a tree that
        # shares nothing with the document's trees takes 1-1.5 ms for 4,000 lines, holding
        # the GIL, so it is freed where nobody waits (see _release_spent_tree).
        self._spent_tree: tree_sitter.Tree | None = None
        self._memory_timer: asyncio.TimerHandle | None = None

    # -- documents ---------------------------------------------------------------------------
    def state(self, uri: str) -> DocumentSchedule:
        return self._states.setdefault(uri, DocumentSchedule())

    def opened(self, open_document: OpenDocument) -> None:
        self.touch(open_document)
        self.schedule(open_document.document.uri, immediate=True)

    def changed(self, open_document: OpenDocument) -> None:
        """The document's text changed (the OpenDocument knows already)."""
        self.touch(open_document)
        self.cancel_analysis(open_document.document.uri)
        self.schedule(open_document.document.uri)

    def closed(self, uri: str) -> None:
        self._with_trees.pop(uri, None)
        state = self._states.pop(uri, None)
        if state is None:
            return
        if state.timer is not None:
            state.timer.cancel()
        if state.running is not None:
            state.running.cancel.set()
        if state.publishing is not None:
            state.publishing.cancel()

    def touch(self, open_document: OpenDocument) -> None:
        """The user works in this document (opened, edited or asked something about it)."""
        uri = open_document.document.uri
        self._with_trees[uri] = open_document
        self._with_trees.move_to_end(uri)

    def _parsed_for_analysis(self, open_document: OpenDocument) -> None:
        """An analysis takes a snapshot, which parses a released document again."""
        uri = open_document.document.uri
        if self._with_trees.get(uri) is not open_document:
            self._with_trees[uri] = open_document
            self._with_trees.move_to_end(uri, last=False)  # nobody works in it: the coldest

    def stop(self) -> None:
        """``shutdown``: no more analyses or publishes."""
        for state in self._states.values():
            if state.timer is not None:
                state.timer.cancel()
                state.timer = None
            if state.running is not None:
                state.running.cancel.set()
            if state.publishing is not None:
                state.publishing.cancel()

    # -- results -----------------------------------------------------------------------------
    async def results_of(self, open_document: OpenDocument, *, exact: bool = False) -> Results | None:
        """Results for the document's current text and settings (analyzing now when stale),
        or None when the text kept changing for MAX_ANALYSIS_ROUNDS analyses or the document
        closed (invariant 3). ``exact``: of a tree known to equal a fresh parse (code actions
        and pulled diagnostics): a provisional tree is checked first (_checked); when the
        check found another tree, the text is analysed again."""
        uri = open_document.document.uri
        for _ in range(MAX_ANALYSIS_ROUNDS):
            settings = self._server.settings_for(open_document)
            results = open_document.current_results(settings)
            if results is None:
                if self._server.documents.get(uri) is not open_document:
                    return None
                try:
                    outcome = await asyncio.shield(self._analysis_of_current_text(open_document, settings))
                except AnalysisCancelled:
                    continue
                results = outcome.results
                if results.key != open_document.key or results.settings is not self._server.settings_for(
                        open_document):
                    continue
            if not exact or open_document.document.is_exact(results.snapshot):
                return results
            await self._checked(open_document, results.snapshot)
            if open_document.document.is_exact(results.snapshot) and results.key == open_document.key:
                return results  # the provisional tree equals a fresh parse
        return None

    async def _checked(self, open_document: OpenDocument, snapshot: DocumentSnapshot) -> None:
        """Check ``snapshot``'s provisional tree and adopt the result: join the check the
        tree-check thread is running for it, if any, else compare here, on the event loop.

        A request waits for the check anyway, and py-tree-sitter holds the GIL while it
        parses (docs/engineering-notes.md §1.5), so the parse stops the event loop wherever
        it runs; handing it to the tree-check thread and its result back cost two thread
        wake-ups (measured on the long session: 2 ms at the median, more under load)."""
        state = self.state(open_document.document.uri)
        if (state.checking is None or state.checking[0] is not snapshot.tree) and (
                _nodes_with_errors(snapshot.tree) > INLINE_CHECK_MAX_NODES):
            self.tree_check(open_document, snapshot)  # a long comparison: cancellable, on the thread
        if state.checking is not None and state.checking[0] is snapshot.tree:
            with contextlib.suppress(Exception):  # a failed check: compare here
                await asyncio.shield(state.checking[1])
                return
        if open_document.document.parsed_tree is snapshot.tree and open_document.document.provisional:
            self._adopt(open_document, check_tree(snapshot))

    def _analysis_of_current_text(self, open_document: OpenDocument,
                                  settings: Settings) -> asyncio.Future[AnalysisOutcome]:
        """The running analysis of the current text, started if there is none (invariant 2)."""
        state = self.state(open_document.document.uri)
        running = state.running
        if running is not None:
            if running.key == open_document.key and running.settings is settings and not running.future.done():
                return running.future
            running.cancel.set()
        cancel = threading.Event()
        self._parsed_for_analysis(open_document)
        # Keyed when a sibling is open (it may have read this file from disk before it opened,
        # which the overlay cannot know) or has read its facts through the overlay.
        with_facts_key = state.own_facts_key is not None or self._server.package_files.has_siblings(
            open_document) or self._read_by_siblings(open_document) is not None
        # The snapshot and its key are taken here, on the event loop, between edits.
        future = self._worker.submit(functools.partial(
            _analyse, open_document, open_document.document.snapshot(), open_document.key, settings, self._server,
            cancel, with_facts_key))

        state.running = RunningAnalysis(open_document.key, settings, future, cancel)
        future.add_done_callback(functools.partial(self._analysis_done, open_document))
        return future

    def cancel_analysis(self, uri: str) -> None:
        state = self._states.get(uri)
        if state is not None and state.running is not None:
            state.running.cancel.set()

    def _analysis_done(self, open_document: OpenDocument, future: asyncio.Future[AnalysisOutcome]) -> None:
        uri = open_document.document.uri
        state = self._states.get(uri)
        if state is not None and state.running is not None and state.running.future is future:
            state.running = None
        if future.cancelled() or isinstance(future.exception(), AnalysisCancelled):
            return
        error = future.exception()
        if error is not None:
            self._server.log(T.MessageType.Error, f"analysis of {uri} failed:\n"
                             + "".join(traceback.format_exception(error)))
            return
        outcome = future.result()
        if self._server.documents.get(uri) is not open_document:
            return  # closed (or closed and opened again) meanwhile: the state is another document's
        if state is None or not open_document.keep(outcome.results):
            return  # results of older text
        self._server.after_analysis(open_document, outcome.results)
        self._propagate_package_change(open_document, state, outcome.own_facts_key)
        self.release_cold_trees(just_analysed=open_document)
        if self.owes_publish(uri) and state.timer is None and state.publishing is None:
            self.schedule(uri, immediate=True)  # e.g. a request's tree check changed the text's tree
        if outcome.results.snapshot.provisional:
            asyncio.get_running_loop().call_later(TREE_CHECK_DELAY_S, self._check_after_pause, open_document,
                                                  outcome.results.snapshot)

    # -- provisional trees -------------------------------------------------------------------
    def tree_check(self, open_document: OpenDocument,
                   snapshot: DocumentSnapshot) -> asyncio.Future[TreeCheck | None]:
        """The comparison of ``snapshot``'s provisional tree with a fresh parse of its text,
        started if it is not running yet (one per tree), on the tree-check thread, once the
        document was left alone for TREE_CHECK_DELAY_S (a request that needs exact results
        joins it, or compares itself: _checked). Between the parse and the comparison's
        steps the event loop keeps reading messages, and analyses go on. When the trees
        differ, _tree_checked adopts the fresh one and the text is analysed and published
        again. A check of a tree the document no longer has stops (or does not start)."""
        state = self.state(open_document.document.uri)
        if state.checking is not None and state.checking[0] is snapshot.tree:
            return state.checking[1]
        document = open_document.document

        def moved_on() -> bool:
            return document.parsed_tree is not snapshot.tree or not document.provisional

        def job() -> TreeCheck | None:
            return None if moved_on() else check_tree(snapshot, moved_on)

        future = self._checker.submit(job)
        state.checking = (snapshot.tree, future)
        future.add_done_callback(functools.partial(self._tree_checked, open_document))
        return future

    def _check_after_pause(self, open_document: OpenDocument, snapshot: DocumentSnapshot) -> None:
        """The document was left alone since ``snapshot``'s analysis: check its tree, so that
        what was published is corrected when the fresh parse differs."""
        document = open_document.document
        if (self._server.documents.get(document.uri) is open_document and document.parsed_tree is snapshot.tree
                and document.provisional):
            self.tree_check(open_document, snapshot)
        self._release_spent_tree()

    def _release_spent_tree(self) -> None:
        """Free the fresh tree of the last check that found the trees equal, when nobody
        waits: after a publish (the client is reading it; measured on the long session, the
        request waiting for a check used to pay for the previous check's tree) or once the
        document was left alone."""
        self._spent_tree = None

    def _tree_checked(self, open_document: OpenDocument, future: asyncio.Future[TreeCheck | None]) -> None:
        uri = open_document.document.uri
        state = self._states.get(uri)
        if state is not None and state.checking is not None and state.checking[1] is future:
            state.checking = None
        if future.cancelled() or future.exception() is not None:
            return
        self._adopt(open_document, future.result())

    def _adopt(self, open_document: OpenDocument, check: TreeCheck | None) -> None:
        """Take a tree check's result: when the fresh tree replaced the provisional one, the
        text is analysed and published again."""
        if check is not None and check.same:
            self._spent_tree = check.fresh  # (the one kept before, if any, is freed here)
        uri = open_document.document.uri
        if self._server.documents.get(uri) is open_document and open_document.adopt(check):
            self.cancel_analysis(uri)
            self.schedule(uri, immediate=True)

    def _propagate_package_change(self, open_document: OpenDocument, state: DocumentSchedule,
                                  own_facts_key: int | None) -> None:
        """When a file's own package facts change, open files of the same package (same
        directory) may have other findings now: re-analyze them too (invariant 5)."""
        if own_facts_key is None:
            return
        previous, state.own_facts_key = state.own_facts_key, own_facts_key
        if previous is None:
            # Keyed for the first time: compare with what the siblings read (a sibling opened
            # after this file's first analysis has read its facts; nobody else depends on them).
            previous = self._read_by_siblings(open_document)
        if previous is None or previous == own_facts_key:
            return
        for sibling in self._server.package_files.siblings_of(open_document):
            sibling.invalidate_external()
            self.schedule(sibling.document.uri)

    def _read_by_siblings(self, open_document: OpenDocument) -> int | None:
        path = open_document.document.path
        return self._server.package_files.read_key(os.path.abspath(path)) if path else None

    # -- publishing (push clients) -----------------------------------------------------------
    def schedule(self, uri: str, *, immediate: bool = False) -> None:
        """(Re)start ``uri``'s debounce timer; the last edit of a burst wins."""
        state = self._states.get(uri)
        if state is None:
            if uri not in self._server.documents:
                return
            state = self.state(uri)
        if state.timer is not None:
            state.timer.cancel()
            state.timer = None
        if self._server.features.pull_diagnostics or self._server.lifecycle.shutdown_requested:
            return  # the client asks when it wants them
        open_document = self._server.documents.get(uri)
        if open_document is None:
            return
        delay = 0.0 if immediate else self._server.settings_for(open_document).debounce_ms / 1000
        state.timer = asyncio.get_running_loop().call_later(delay, self._timer_fired, uri)

    def _timer_fired(self, uri: str) -> None:
        state = self._states.get(uri)
        if state is None:
            return
        state.timer = None
        if state.publishing is not None:
            return  # it analyzes the newest text anyway; when done, it checks what is owed
        task = asyncio.ensure_future(self._publish(uri))
        state.publishing = task
        task.add_done_callback(functools.partial(self._publish_done, uri))

    async def _publish(self, uri: str) -> None:
        open_document = self._server.documents.get(uri)
        state = self._states.get(uri)
        if open_document is None or state is None:
            return  # closed meanwhile
        results = await self.results_of(open_document)
        if results is None or self._server.documents.get(uri) is not open_document:
            return  # the text kept changing, or it closed: _publish_done sees what is owed
        previous = state.published
        state.published = PublishedState(results.key, results.settings, results.version, results.diagnostics_json)
        if previous is not None and (previous.version, previous.diagnostics_json) == (
                results.version, results.diagnostics_json):
            return  # the client has exactly these
        self._push(open_document, results)
        self._release_spent_tree()

    def _publish_done(self, uri: str, task: asyncio.Task[None]) -> None:
        state = self._states.get(uri)
        if state is None or state.publishing is not task:
            return
        state.publishing = None
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            self._server.log(T.MessageType.Error, f"publishing diagnostics for {uri} failed:\n"
                             + "".join(traceback.format_exception(error)))
            return  # no retry loop on a persistent failure: the next edit tries again
        if self.owes_publish(uri) and state.timer is None:
            self.schedule(uri)  # invariant 1

    def owes_publish(self, uri: str) -> bool:
        """Whether the client has not been sent the document's current state."""
        open_document = self._server.documents.get(uri)
        state = self._states.get(uri)
        if open_document is None or state is None or self._server.features.pull_diagnostics:
            return False
        published = state.published
        return published is None or published.key != open_document.key or (
            published.settings is not self._server.settings_for(open_document))

    def refresh(self, documents: list[OpenDocument]) -> None:
        """Settings or outside facts of ``documents`` changed: they get new results."""
        for open_document in documents:
            open_document.invalidate_external()
            self.schedule(open_document.document.uri)

    # -- memory ------------------------------------------------------------------------------
    def return_memory_soon(self) -> None:
        """Documents were closed: give their memory back to the OS once the closes stop."""
        if self._memory_timer is not None:
            self._memory_timer.cancel()
        self._memory_timer = asyncio.get_running_loop().call_later(RETURN_MEMORY_DELAY_S, return_freed_memory)

    def release_cold_trees(self, just_analysed: OpenDocument | None = None) -> None:
        """Keep parse trees only for the ``parsed_documents`` most recently used documents.

        A tree costs about 1.6 MB per 2,000 lines and is needed only to re-parse after an
        edit and to answer hover and code actions; a document in a background tab needs
        none. A released one is parsed again (in full) when it is next edited or queried.
        Busy documents keep theirs (invariant 4). Runs after every analysis: under the
        limit it costs one comparison, over it a walk from the coldest end that stops once
        enough trees are released (only busy documents are stepped over)."""
        trees = self._with_trees
        excess = len(trees) - self.parsed_documents
        if excess <= 0:
            return
        released: list[OpenDocument] = []
        gone: list[str] = []
        for uri, cold in trees.items():
            if len(released) + len(gone) >= excess:
                break
            if self._server.documents.get(uri) is not cold or not cold.document.has_tree:
                gone.append(uri)  # closed, or no tree to give back: it does not count
                continue
            state = self._states.get(uri)
            if cold is not just_analysed and (state is None or not state.busy):
                released.append(cold)
        for uri in gone:
            del trees[uri]
        for cold in released:
            cold.release_tree()
            del trees[cold.document.uri]


def _analyse(open_document: OpenDocument, snapshot: DocumentSnapshot, key: StateKey, settings: Settings,
             server: CtxLanguageServer, cancel: threading.Event, with_facts_key: bool) -> AnalysisOutcome:
    """On the analysis thread: analyze a snapshot of the text, and key its package facts
    when an open sibling may have read them (``with_facts_key``).

    The key sums every function's full facts, which the rules no longer compute for the
    file itself (they read cheap outlines): a file alone in its directory skips it, about 60 ms of
    a 10,000-line didOpen. A sibling opened later reads this file's facts through the
    overlay, which records their key; the next analysis of this file keys its facts and
    compares (Scheduler._propagate_package_change). No work per open sibling: opening n
    files of one package costs n keys at most, not n squared."""
    results = analyse_snapshot(snapshot, key, open_document.cache, settings,
                               server.loader, server.rules, server.features, cancel.is_set,
                               open_document.diagnostics_memo)
    context = results.analysis.context
    if context is None or not with_facts_key:
        return AnalysisOutcome(results, None)
    return AnalysisOutcome(results, facts_key(context.own_facts))


def _nodes_with_errors(tree: tree_sitter.Tree) -> int:
    """Nodes of the top-level nodes with syntax errors (what check_tree walks node by node)."""
    root = tree.root_node
    if not root.has_error:
        return 0
    return sum(child.descendant_count for child in root.children if child.has_error)


def parsed_documents_limit() -> int:
    """How many documents keep a parse tree: $CTX_LSP_PARSED_DOCUMENTS (tests set 1 to
    exercise released trees), else 8."""
    try:
        return max(1, int(os.environ.get("CTX_LSP_PARSED_DOCUMENTS", str(DEFAULT_PARSED_DOCUMENTS))))
    except ValueError:
        return DEFAULT_PARSED_DOCUMENTS
