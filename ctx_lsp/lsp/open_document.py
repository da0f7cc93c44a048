"""An open document's analysis state: its GoDocument, its engine cache and its last results.

Analyses run on a snapshot of the text (:class:`DocumentSnapshot`), so the server can apply
new edits while an analysis is running; results remember the snapshot they describe and are
"current" only while the document is still at that text (``revision``), its outside facts
(``external_epoch``: sibling files, go.mod) are unchanged and the same settings apply.

:func:`analyse_snapshot` is the whole analysis of one snapshot, with cooperative
cancellation: a newer edit makes the running analysis stop at the next declaration.
"""

from __future__ import annotations

import functools
import gc
import itertools
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
from lsprotocol import types as T
from pygls.protocol import default_converter

from ctx_lsp.engine.analyze import Analysis, DeclCache, analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.textdiff import changed_region
from ctx_lsp.lsp.allocator import TRIMMER, malloc_trim
from ctx_lsp.lsp.capabilities import ClientFeatures
from ctx_lsp.lsp.convert import to_diagnostic
from ctx_lsp.lsp.document import DocumentSnapshot, GoDocument, TreeCheck

_RESULT_IDS = itertools.count(1)  # process-wide, so a reopened document never reuses an id


def return_freed_memory() -> None:
    """Give the memory of closed documents back to the operating system. Their trees are
    freed, but glibc's malloc keeps freed pages for reuse, so the server's RSS stayed where it
    was with 300 documents open; ``malloc_trim`` returns them (about a third of what the
    documents took; the rest is pymalloc keeping partly used arenas, see lsp/allocator.py).
    Costs a few milliseconds: the server calls it once after a burst of closes."""
    gc.collect()
    trim = malloc_trim()
    if trim is not None:
        trim(0)


StateKey = tuple[int, int]  # (revision, external_epoch)


class AnalysisCancelled(Exception):
    """A newer edit made the running analysis pointless."""


@attrs.define(eq=False)
class Results:
    """One analysis of one exact text, converted for the client.

    ``diagnostics_json`` is what is published; ``diagnostics`` (lsprotocol objects, for pull
    requests and code actions) are made on first use: most keystrokes need none of them.
    """

    snapshot: DocumentSnapshot
    key: StateKey
    settings: Settings
    analysis: Analysis
    # The diagnostics as plain JSON values (compared to tell whether anything changed).
    diagnostics_json: list[dict[str, Any]]
    result_id: str
    skipped_reason: str | None = None
    # Objects converted for this or an earlier analysis, and this one's version stamp (the
    # ``data`` of each diagnostic when the client supports it).
    _objects: list[T.Diagnostic] = attrs.field(factory=list, alias="objects")
    _stamp: dict[str, Any] | None = attrs.field(default=None, alias="stamp")
    # Each diagnostic as JSON text, ready to send (see CtxLspProtocol.notify_encoded).
    diagnostics_text: list[str] = attrs.field(factory=list)
    _diagnostics: list[T.Diagnostic] | None = attrs.field(default=None, init=False)

    @property
    def version(self) -> int | None:
        return self.snapshot.version

    @property
    def unstamped_diagnostics(self) -> list[T.Diagnostic]:
        """The diagnostics, some with an older version stamp in ``data`` (code, range,
        message... are this analysis's): enough to find one by identity."""
        return self._objects

    def diagnostic(self, index: int) -> T.Diagnostic:
        """One diagnostic as published (stamped), without converting the others."""
        if self._diagnostics is not None:
            return self._diagnostics[index]
        diagnostic, stamp = self._objects[index], self._stamp
        return diagnostic if stamp is None or diagnostic.data == stamp else attrs.evolve(diagnostic, data=stamp)

    @property
    def diagnostics(self) -> list[T.Diagnostic]:
        if self._diagnostics is None:
            stamp = self._stamp
            self._diagnostics = [diagnostic if stamp is None or diagnostic.data == stamp
                                 else attrs.evolve(diagnostic, data=stamp) for diagnostic in self._objects]
        return self._diagnostics


@attrs.frozen(slots=True)
class _Converted:
    """A finding, its diagnostic, the diagnostic as plain JSON values, and as JSON text
    without its version stamp and closing brace."""

    finding: Finding
    diagnostic: T.Diagnostic
    encoded: dict[str, Any]
    unstamped: str


@functools.cache
def _converter() -> Any:
    """The converter pygls serialises messages with (created once: it is not cheap)."""
    return default_converter()


@attrs.define(eq=False)
class DiagnosticMemo:
    """The diagnostics of the latest analysis, by finding and by rule, range and message,
    with the text they were positioned in (see _diagnostics). Positions in the client's
    encoding cost a decode of the line each; most findings do not move."""

    data: bytes | None = None
    context: tuple[object, ...] = ()
    line_count: int = 0
    by_finding: dict[Finding, _Converted] = attrs.field(factory=dict)
    by_key: dict[tuple[str, int, int, str, Severity | None, tuple[str, ...]], _Converted] = attrs.field(factory=dict)


@attrs.define(eq=False)
class OpenDocument:
    document: GoDocument
    cache: DeclCache = attrs.field(factory=DeclCache)
    diagnostics_memo: DiagnosticMemo = attrs.field(factory=DiagnosticMemo)
    revision: int = 0
    external_epoch: int = 0
    results: Results | None = None

    def __attrs_post_init__(self) -> None:
        # The server analyses the incremental tree of text with syntax errors at once and
        # compares it with a fresh parse on another thread once typing pauses, or when a
        # request needs exact results (Scheduler.tree_check, adopt).
        self.document.verify_lazily = True

    @property
    def key(self) -> StateKey:
        return self.revision, self.external_epoch

    def changed(self) -> None:
        """The text changed: results of earlier text are no longer current."""
        self.revision += 1

    def release_tree(self) -> None:
        """Free the parse tree of a document nobody is working in (see
        Scheduler.release_cold_trees). Its results hold the tree too (the snapshot and
        the analysis context): they go, and the next request re-analyzes the text, which
        the engine's cache makes cheap: every declaration is taken over unchanged."""
        self.document.release_tree()
        self.cache.forget_tree()
        self.results = None
        # The memo keeps the published findings, whose deferred fixes hold their analysis's
        # context and so its tree: it goes too (it only spares work on the next analysis).
        self.diagnostics_memo = DiagnosticMemo()

    def invalidate_external(self) -> None:
        """Facts from outside the file may have changed (sibling file, go.mod...)."""
        self.external_epoch += 1

    def current_results(self, settings: Settings) -> Results | None:
        """The kept results if they describe the current text, outside facts and settings
        (compared by value: equal settings give equal results, whoever made them). They may
        be of a provisional tree: see Scheduler.results_of(exact=True)."""
        results = self.results
        if results is None or results.key != self.key or not (
                results.settings is settings or results.settings == settings):
            return None
        return results

    def adopt(self, check: TreeCheck | None) -> bool:
        """Take a tree check's result; True when the fresh tree replaced a different
        provisional one, so the text must be analysed (and published) again."""
        if check is None or not self.document.adopt_check(check):
            return False
        self.changed()
        return True

    def keep(self, results: Results) -> bool:
        """Remember ``results`` if they describe the current text; returns whether kept."""
        if results.key != self.key:
            return False
        previous = self.results
        if previous is not None and previous.diagnostics_json == results.diagnostics_json:
            results.result_id = previous.result_id  # same answer, same id: pull says "unchanged"
        self.results = results
        return True


def analyse_snapshot(
    snapshot: DocumentSnapshot,
    key: StateKey,
    cache: DeclCache,
    settings: Settings,
    loader: PackageLoader,
    rules: Mapping[str, Rule],
    features: ClientFeatures,
    cancelled: Callable[[], bool] = lambda: False,
    memo: DiagnosticMemo | None = None,
) -> Results:
    """Analyze one snapshot and convert the findings; raises AnalysisCancelled."""
    size = len(snapshot.data)
    if size > settings.max_file_bytes:
        reason = f"{snapshot.uri}: {size} bytes is over maxFileBytes ({settings.max_file_bytes}); not analyzed"
        return Results(snapshot, key, settings, Analysis(findings=()), [], str(next(_RESULT_IDS)), reason)
    # Fixes are finished when a code action asks for them (Analysis.fixes_of). ``cancelled``
    # is asked once per declaration: once True, every rule fails fast and analyze returns.
    analysis = analyze(snapshot.source_file(), settings, rules=list(rules.values()), loader=loader, cache=cache,
                       fixes_on_use=True, cancelled=cancelled)
    if cancelled():
        raise AnalysisCancelled
    objects, as_json, texts, stamp = _diagnostics(analysis.findings, snapshot, rules, features,
                                                  memo or DiagnosticMemo())
    TRIMMER.now_and_then()  # freed memory back to the system while typing goes on (lsp/allocator.py)
    return Results(snapshot, key, settings, analysis, as_json, str(next(_RESULT_IDS)), objects=objects, stamp=stamp,
                   diagnostics_text=texts)


def _diagnostics(findings: Iterable[Finding], snapshot: DocumentSnapshot, rules: Mapping[str, Rule],
                 features: ClientFeatures, memo: DiagnosticMemo,
                 ) -> tuple[list[T.Diagnostic], list[dict[str, Any]], list[str], dict[str, Any] | None]:
    """Diagnostics of ``findings``; those whose positions cannot have changed since the
    previous analysis are copies of its diagnostics with a new version stamp:

    - an equal finding (same rule, ranges, message, fixes...), wholly before the edit;
    - a finding moved by the edit (the same rule, message, severity, tags and ranges, shifted), wholly on
      lines after the edited ones, when the edit added or removed no line: its lines and
      columns are those of before.
    """
    context = (snapshot.encoding, features, tuple(rules.values()))
    unchanged_before, unmoved_from, delta = -1, None, 0
    if memo.data is not None and memo.context == context:
        unchanged_before, old_end, new_end = changed_region(memo.data, snapshot.data)
        delta = new_end - old_end
        lines = snapshot.lines
        next_line = lines.line_of(new_end) + 1
        if lines.line_count == memo.line_count and next_line < lines.line_count:
            unmoved_from = lines.line_start(next_line)
    by_finding, by_key = {}, {}
    diagnostics, as_json, texts = [], [], []
    stamp = {"version": snapshot.version} if features.diagnostic_data else None
    # The stamp goes last in each diagnostic's JSON text: the rest is encoded once per finding.
    stamp_text = "}" if stamp is None else f',"data":{_compact(stamp)}}}'
    for finding in findings:
        earlier = _earlier_diagnostic(memo, finding, unchanged_before, unmoved_from, delta)
        if earlier is not None:  # its object may carry an older stamp: see Results.diagnostics
            diagnostic, encoded, unstamped = earlier.diagnostic, dict(earlier.encoded), earlier.unstamped
            if stamp is not None:
                encoded["data"] = stamp
        else:
            diagnostic = to_diagnostic(finding, snapshot, rules, features)
            encoded = _converter().unstructure(diagnostic)
            unstamped = _compact({key: value for key, value in encoded.items() if key != "data"})[:-1]
        texts.append(unstamped + stamp_text)  # a diagnostic always has a range: never "{" alone
        converted = _Converted(finding, diagnostic, encoded, unstamped)
        by_finding[finding] = converted
        by_key[(finding.rule, finding.start, finding.end, finding.message, finding.severity,
                finding.tags)] = converted
        diagnostics.append(diagnostic)
        as_json.append(encoded)
    memo.data, memo.context, memo.line_count = snapshot.data, context, snapshot.lines.line_count
    memo.by_finding, memo.by_key = by_finding, by_key
    return diagnostics, as_json, texts, stamp


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _earlier_diagnostic(memo: DiagnosticMemo, finding: Finding, unchanged_before: int, unmoved_from: int | None,
                        delta: int) -> _Converted | None:
    related = finding.related
    known = memo.by_finding.get(finding)
    if known is not None:
        last = max(finding.end, *(item.end for item in related)) if related else finding.end
        return known if last < unchanged_before else None
    if unmoved_from is None:
        return None
    first = min(finding.start, *(item.start for item in related)) if related else finding.start
    if first < unmoved_from:
        return None
    moved = memo.by_key.get((finding.rule, finding.start - delta, finding.end - delta, finding.message,
                             finding.severity, finding.tags))
    if moved is None or len(moved.finding.related) != len(related) or any(
            (item.start - delta, item.end - delta, item.message) != (old.start, old.end, old.message)
            for item, old in zip(related, moved.finding.related)):
        return None
    return moved
