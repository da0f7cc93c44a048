"""An open document's analysis state: its GoDocument, its engine cache and its last results.

Analyses run on a snapshot of the text (:class:`DocumentSnapshot`), so the server can apply
new edits while an analysis is running; results remember the snapshot they describe and are
"current" only while the document is still at that text (``revision``), its outside facts
(``external_epoch``: sibling files, go.mod) are unchanged and the same settings apply.

:func:`analyse_snapshot` is the whole analysis of one snapshot, with cooperative
cancellation: a newer edit makes the running analysis stop at the next declaration.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable, Mapping

import attrs
import tree_sitter
from lsprotocol import types as T

from ctx_lsp.engine.analyze import Analysis, DeclCache, analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.textdiff import changed_region
from ctx_lsp.lsp.capabilities import ClientFeatures
from ctx_lsp.lsp.convert import to_diagnostic
from ctx_lsp.lsp.document import DocumentSnapshot, GoDocument

_RESULT_IDS = itertools.count(1)  # process-wide, so a reopened document never reuses an id

StateKey = tuple[int, int]  # (revision, external_epoch)


class AnalysisCancelled(Exception):
    """A newer edit made the running analysis pointless."""


@attrs.define(eq=False)
class Results:
    """One analysis of one exact text, converted for the client."""

    snapshot: DocumentSnapshot
    key: StateKey
    settings: Settings
    analysis: Analysis
    diagnostics: list[T.Diagnostic]
    result_id: str
    skipped_reason: str | None = None

    @property
    def version(self) -> int | None:
        return self.snapshot.version


@attrs.define(eq=False)
class DiagnosticMemo:
    """The diagnostics of the latest analysis by finding object, with the text they were
    positioned in. The engine hands an unchanged finding over as the same object; when it
    lies wholly before the edit, its diagnostic (positions computed in the client's
    encoding) is still right, and only its version stamp is renewed."""

    data: bytes | None = None
    context: tuple[object, ...] = ()
    by_finding: dict[int, tuple[Finding, T.Diagnostic, int]] = attrs.field(factory=dict)


@attrs.define(eq=False)
class OpenDocument:
    document: GoDocument
    cache: DeclCache = attrs.field(factory=DeclCache)
    diagnostics_memo: DiagnosticMemo = attrs.field(factory=DiagnosticMemo)
    revision: int = 0
    external_epoch: int = 0
    results: Results | None = None
    package_key: int | None = None
    published: tuple[int | None, list[T.Diagnostic]] | None = None

    @property
    def key(self) -> StateKey:
        return self.revision, self.external_epoch

    def changed(self) -> None:
        """The text changed: results of earlier text are no longer current."""
        self.revision += 1

    def invalidate_external(self) -> None:
        """Facts from outside the file may have changed (sibling file, go.mod...)."""
        self.external_epoch += 1

    def current_results(self, settings: Settings) -> Results | None:
        results = self.results
        if results is not None and results.key == self.key and results.settings is settings:
            return results
        return None

    def keep(self, results: Results) -> bool:
        """Remember ``results`` if they describe the current text; returns whether kept."""
        if results.key != self.key:
            return False
        previous = self.results
        if previous is not None and previous.diagnostics == results.diagnostics:
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
    """Analyse one snapshot and convert the findings; raises AnalysisCancelled."""
    size = len(snapshot.data)
    if size > settings.max_file_bytes:
        reason = f"{snapshot.uri}: {size} bytes is over maxFileBytes ({settings.max_file_bytes}); not analysed"
        return Results(snapshot, key, settings, Analysis(findings=()), [], str(next(_RESULT_IDS)), reason)
    checked = _cancellable(rules.values(), cancelled)
    analysis = analyze(snapshot.source_file(), settings, rules=checked, loader=loader, cache=cache)
    if cancelled():
        raise AnalysisCancelled
    diagnostics = _diagnostics(analysis.findings, snapshot, rules, features, memo or DiagnosticMemo())
    return Results(snapshot, key, settings, analysis, diagnostics, str(next(_RESULT_IDS)))


def _diagnostics(findings: Iterable[Finding], snapshot: DocumentSnapshot, rules: Mapping[str, Rule],
                 features: ClientFeatures, memo: DiagnosticMemo) -> list[T.Diagnostic]:
    context = (snapshot.encoding, features, id(rules))
    unchanged_before = -1
    if memo.data is not None and memo.context == context:
        unchanged_before = changed_region(memo.data, snapshot.data)[0]
    earlier, now = memo.by_finding, {}
    diagnostics = []
    for finding in findings:
        known = earlier.get(id(finding))
        if known is not None and known[0] is finding and known[2] < unchanged_before:
            diagnostic = copy.copy(known[1])
            if features.diagnostic_data:
                diagnostic.data = {"version": snapshot.version}
        else:
            diagnostic = to_diagnostic(finding, snapshot, rules, features)
        last = max(finding.end, *(item.end for item in finding.related)) if finding.related else finding.end
        now[id(finding)] = (finding, diagnostic, last)
        diagnostics.append(diagnostic)
    memo.data, memo.context, memo.by_finding = snapshot.data, context, now
    return diagnostics


def _cancellable(rules: Iterable[Rule], cancelled: Callable[[], bool]) -> list[Rule]:
    """The rules, each checking for cancellation before every declaration. The engine
    isolates rule failures, so once cancelled every rule fails fast and analyze returns."""

    def wrap(rule: Rule) -> Rule:
        check = rule.check

        def cancellable_check(ctx: FileContext, decl: tree_sitter.Node) -> Iterable[Finding]:
            if cancelled():
                raise AnalysisCancelled
            return check(ctx, decl)

        return attrs.evolve(rule, check=cancellable_check)

    return [wrap(rule) for rule in rules]
