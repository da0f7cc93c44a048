"""Run the registered rules over one file: the single entry point of the CLI and the server.

``analyze`` walks the top-level declarations of a parsed file, runs every enabled rule on
each, drops suppressed findings, applies severity overrides and the minimum severity, and
returns the findings sorted by position. An exception inside one rule is caught: that rule's
findings for the file are dropped and the error (with traceback) is returned, the other rules
still report (``engine/checks.py``).

The caller passes the rules (``ctx_lsp.rules.ALL_RULES`` for every registered rule): the
engine sits below the rules and never imports them.

Incremental use (the language server): pass a :class:`DeclCache`; ``engine/incremental.py``
then takes over what the previous analysis of the same document found, and says why that is
exact. With a cache, ``FileContext.defer_fixes`` is set: a rule whose fixes would read the
whole file may leave them out and mark the finding ``deferred_fixes``.

Fixes are finished (``engine/fix_finishing.py``) at once, or, with ``fixes_on_use`` (the
server), one finding at a time when a code action asks (``Analysis.fixes_of``).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Mapping, Sequence

import attrs
import tree_sitter

from ctx_lsp.engine.checks import RuleError, RuleFailures, run_rules
from ctx_lsp.engine.config import DEFAULT_SETTINGS, Settings
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, sorted_findings
from ctx_lsp.engine.fix_finishing import (
    DeferredFixes,
    finished_findings,
    finished_fixes,
)
from ctx_lsp.engine.incremental import DeclCache, cached_pass
from ctx_lsp.engine.package import PackageLoader, decl_facts, decl_outline
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.suppress import Suppressions

__all__ = ["Analysis", "DeclCache", "DeferredFixes", "RuleError", "analyze"]

Node = tree_sitter.Node


@attrs.frozen
class Analysis:
    """Findings of one text.

    Made with ``fixes_on_use`` (the server), findings carry their fixes as the rules made
    them: ``fixes_of`` drops the unsafe ones, computes deferred ones and re-pads them all to
    gofmt's trailing-comment column when a code action asks. The server re-analyzes on every
    keystroke but needs fixes only for a code action; finishing them all cost about a third
    of a keystroke's analysis. Otherwise ``finding.fixes`` are final and ``fixes_of``
    returns them.
    """

    findings: tuple[Finding, ...]
    errors: tuple[RuleError, ...] = ()
    context: FileContext | None = attrs.field(default=None, eq=False, repr=False)
    fixes_on_use: bool = False
    rules: Mapping[str, Rule] = attrs.field(factory=dict, eq=False, repr=False)
    # Finished fixes by finding (equal findings of one text have equal fixes).
    _fixes_memo: dict[Finding, tuple[Fix, ...]] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def fixes_of(self, finding: Finding) -> Sequence[Fix]:
        """``finding``'s fixes as they apply to this analysis's text."""
        if not self.fixes_on_use or self.context is None:
            return finding.fixes
        known = self._fixes_memo.get(finding)
        if known is None:
            known = self._fixes_memo[finding] = finished_fixes(finding, self.context, self.rules)
        return known

    def preferred_fix_of(self, finding: Finding) -> Fix | None:
        return next((fix for fix in self.fixes_of(finding) if fix.preferred), None)


def analyze(
    src: SourceFile,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    rules: Sequence[Rule],
    loader: PackageLoader | None = None,
    cache: DeclCache | None = None,
    go_version: tuple[int, int] | None | str = "discover",
    fixes_on_use: bool = False,
    cancelled: Callable[[], bool] | None = None,
) -> Analysis:
    """Findings of ``rules`` (those ``settings`` enable) on ``src``; see the module docstring.
    ``cancelled`` is asked before each declaration: once True, every rule counts as failed
    (see ``RuleFailures``) and the analysis returns without running further checks."""
    with _collector_paused():
        return _analyze(src, settings, rules, loader, cache, go_version, fixes_on_use, cancelled)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for one analysis. An analysis allocates tens of
    thousands of short-lived containers (tree nodes, query matches, findings), freed by
    reference counting as it goes; the collector's generation-0 passes over them found next
    to nothing and cost about 7% of a 10,000-line file's analysis. Any cycles made meanwhile
    are collected after. Only the call that turned the collector off turns it on again, so
    analyses on several threads leave it enabled."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _analyze(src: SourceFile, settings: Settings, rules: Sequence[Rule], loader: PackageLoader | None,
             cache: DeclCache | None, go_version: tuple[int, int] | None | str, fixes_on_use: bool,
             cancelled: Callable[[], bool] | None) -> Analysis:
    texts = cache.texts_for(src.data) if cache is not None else None
    ctx = FileContext(src, loader=loader, go_version=go_version,
                      facts_of=texts.facts if texts is not None else decl_facts,
                      outline_of=texts.outline if texts is not None else decl_outline,
                      summaries=texts.summary if texts is not None else None, defer_fixes=cache is not None,
                      exports=Rule.merged_exports(rules))
    paths = ctx.imports.paths
    active = [rule for rule in rules
              if settings.enabled(rule.id) and rule.applies_to(paths, ctx.has_linkname, src.data)]
    failures = RuleFailures(cancelled=cancelled)
    cacheable = [rule for rule in active if cache is not None and not rule.whole_file]
    uncached = [rule for rule in active if rule not in cacheable]
    raw: list[Finding] = []
    if cacheable:
        assert cache is not None and texts is not None
        token = cache.suffix_token((ctx.base_key, tuple(rule.id for rule in cacheable)))
        raw = cached_pass(cacheable, ctx, cache, token, texts, failures)
    if uncached:
        for decl in ctx.top_level:
            raw.extend(run_rules(uncached, ctx, decl, failures))
    raw = [f for f in raw if f.rule not in failures.failed]
    findings = tuple(_finish(raw, ctx, settings, rules, fixes_on_use=fixes_on_use))
    ctx.release_caches()
    if cache is not None and texts is not None:
        cache.remember_texts(texts)
        cache.finish_analysis()
    return Analysis(findings=findings, errors=tuple(failures.errors), context=ctx, fixes_on_use=fixes_on_use,
                    rules={rule.id: rule for rule in rules})


def _finish(findings: list[Finding], ctx: FileContext, settings: Settings, rules: Sequence[Rule], *,
            fixes_on_use: bool) -> list[Finding]:
    """Suppressions, severity overrides and the minimum severity; fixes finished unless
    ``fixes_on_use``."""
    defaults = {rule.id: rule.severity for rule in rules}
    suppressions = Suppressions(ctx.src)
    kept = []
    for finding in findings:
        if suppressions.is_suppressed(finding):
            continue
        default = finding.severity if finding.severity is not None else defaults.get(finding.rule)
        assert default is not None, f"finding of unregistered rule {finding.rule}"
        severity = settings.severity_for(finding.rule, default)
        if severity < settings.min_severity:
            continue
        kept.append(finding if finding.severity == severity else finding.with_severity(severity))
    if not fixes_on_use:
        kept = finished_findings(kept, ctx, rules)
    return sorted_findings(kept)
