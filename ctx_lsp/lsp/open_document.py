"""An open document's analysis state: its GoDocument, its engine cache and its last results.

:meth:`OpenDocument.refresh` runs the engine only when something the results depend on
changed since the last run: the text (``revision``), the effective settings, or facts from
outside the file (``external_epoch``: sibling files, go.mod). Everything else reuses the last
results, so code actions, hover and pull requests after a publish cost nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import attrs
from lsprotocol import types as T

from ctx_lsp.engine.analyze import Analysis, DeclCache, analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.rule import Rule
from ctx_lsp.lsp.capabilities import ClientFeatures
from ctx_lsp.lsp.convert import to_diagnostic
from ctx_lsp.lsp.document import GoDocument

_RESULT_IDS = itertools.count(1)  # process-wide, so a reopened document never reuses an id


@attrs.define(eq=False)
class Results:
    """One analysis of one exact text, converted for the client."""

    analysis: Analysis
    diagnostics: list[T.Diagnostic]
    version: int | None
    result_id: str
    skipped_reason: str | None = None


@attrs.define(eq=False)
class OpenDocument:
    document: GoDocument
    cache: DeclCache = attrs.field(factory=DeclCache)
    revision: int = 0
    external_epoch: int = 0
    results: Results | None = None
    package_key: int | None = None
    _results_key: tuple[int, int] | None = None
    _results_settings: Settings | None = None
    published: tuple[int | None, list[T.Diagnostic]] | None = None

    def changed(self) -> None:
        """The text changed: the next refresh re-runs the engine."""
        self.revision += 1

    def invalidate_external(self) -> None:
        """Facts from outside the file may have changed (sibling file, go.mod...)."""
        self.external_epoch += 1

    @property
    def is_current(self) -> bool:
        return self._results_key == (self.revision, self.external_epoch)

    def refresh(
        self,
        settings: Settings,
        loader: PackageLoader,
        rules: Mapping[str, Rule],
        features: ClientFeatures,
    ) -> tuple[Results, bool]:
        """Current results, and whether they were recomputed now."""
        key = (self.revision, self.external_epoch)
        if self.results is not None and self._results_key == key and self._results_settings is settings:
            return self.results, False
        analysis, skipped = self._analyse(settings, loader, rules)
        diagnostics = [to_diagnostic(f, self.document, rules, features) for f in analysis.findings]
        previous = self.results
        if previous is not None and previous.diagnostics == diagnostics:
            result_id = previous.result_id
        else:
            result_id = str(next(_RESULT_IDS))
        self.results = Results(analysis, diagnostics, self.document.version, result_id, skipped)
        self._results_key = key
        self._results_settings = settings
        return self.results, True

    def _analyse(
        self, settings: Settings, loader: PackageLoader, rules: Mapping[str, Rule]
    ) -> tuple[Analysis, str | None]:
        size = len(self.document.data)
        if size > settings.max_file_bytes:
            reason = f"{self.document.uri}: {size} bytes is over maxFileBytes ({settings.max_file_bytes}); not analysed"
            return Analysis(findings=()), reason
        source = self.document.source_file()
        return analyze(source, settings, rules=tuple(rules.values()), loader=loader, cache=self.cache), None
