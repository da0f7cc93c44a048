"""Run the registered rules over one file: the single entry point of the CLI and the server.

``analyze`` walks the top-level declarations of a parsed file, runs every enabled rule on
each, drops suppressed findings, applies severity overrides and the minimum severity, and
returns the findings sorted by position. An exception inside one rule is caught: that rule's
findings for the file are dropped and the error (with traceback) is returned, the other rules
still report.

Incremental use (the language server): pass a :class:`DeclCache`. Findings are then cached per
(rule, declaration text, ``FileContext.facts_key``); a declaration whose text and file-wide
facts did not change reuses its findings, shifted to the declaration's new offset (messages
that quote line numbers are regenerated). Rules marked ``whole_file`` are never cached.
"""

from __future__ import annotations

import re
import traceback
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import attrs
import tree_sitter

from ctx_lsp.engine.config import DEFAULT_SETTINGS, Settings
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, sorted_findings
from ctx_lsp.engine.package import DeclFacts, PackageLoader, decl_facts
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.suppress import Suppressions

Node = tree_sitter.Node


@attrs.frozen
class RuleError:
    rule: str
    message: str
    traceback: str


@attrs.frozen
class Analysis:
    findings: tuple[Finding, ...]
    errors: tuple[RuleError, ...] = ()
    context: FileContext | None = attrs.field(default=None, eq=False, repr=False)


class DeclCache:
    """Per-document cache of findings and facts by declaration text (bounded LRU).

    Findings are stored per (declaration text, facts key, rule set): one lookup per
    declaration, whatever the number of rules. The bound is in declarations; the server
    keeps a few versions of a large file (typing a character and deleting it again must hit).
    """

    def __init__(self, max_entries: int = 50_000) -> None:
        self.max_entries = max_entries
        self._findings: OrderedDict[tuple[bytes, object], tuple[int, tuple[Finding, ...]]] = OrderedDict()
        self._facts: OrderedDict[bytes, DeclFacts] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def facts(self, decl: Node, path: str) -> DeclFacts:
        key = decl.text or b""
        cached = self._facts.get(key)
        if cached is None:
            cached = self._facts[key] = decl_facts(decl, path)
            self._trim(self._facts)
        else:
            self._facts.move_to_end(key)
        return cached

    def lookup(self, key: tuple[bytes, object]) -> tuple[int, tuple[Finding, ...]] | None:
        found = self._findings.get(key)
        if found is not None:
            self._findings.move_to_end(key)
            self.hits += 1
        else:
            self.misses += 1
        return found

    def store(self, key: tuple[bytes, object], start: int, findings: tuple[Finding, ...]) -> None:
        self._findings[key] = (start, findings)
        self._trim(self._findings)

    def _trim(self, table: OrderedDict) -> None:  # type: ignore[type-arg]
        while len(table) > self.max_entries:
            table.popitem(last=False)


def _run_rule(rule: Rule, ctx: FileContext, decl: Node) -> tuple[Finding, ...]:
    return tuple(rule.check(ctx, decl))


def _within(findings: Iterable[Finding], start: int, end: int) -> bool:
    """Whether every offset a finding carries lies inside [start, end] (safe to shift)."""
    for finding in findings:
        offsets = [finding.start, finding.end, *finding.line_refs]
        offsets += [x for r in finding.related for x in (r.start, r.end)]
        offsets += [x for f in finding.fixes for e in f.edits for x in (e.start, e.end)]
        if any(not start <= offset <= end for offset in offsets):
            return False
    return True


def analyze(
    src: SourceFile,
    settings: Settings = DEFAULT_SETTINGS,
    *,
    rules: Sequence[Rule] | None = None,
    loader: PackageLoader | None = None,
    cache: DeclCache | None = None,
    go_version: tuple[int, int] | None | str = "discover",
) -> Analysis:
    if rules is None:
        from ctx_lsp.rules import ALL_RULES

        rules = ALL_RULES
    ctx = FileContext(src, loader=loader, go_version=go_version,
                      facts_of=cache.facts if cache is not None else decl_facts)
    paths = ctx.imports.paths
    active = [rule for rule in rules
              if settings.enabled(rule.id) and rule.applies_to(paths, ctx.has_linkname, src.data)]
    errors: list[RuleError] = []
    failed: set[str] = set()
    cacheable = [rule for rule in active if cache is not None and not rule.whole_file]
    uncached = [rule for rule in active if rule not in cacheable]
    key_suffix = (ctx.facts_key, tuple((rule.id, rule.file_key(ctx) if rule.file_key else None)
                                       for rule in cacheable)) if cacheable else None
    line_of = src.line_of  # builds the line index only when a cached finding must move
    raw: list[Finding] = []
    for decl in src.root.named_children:
        if cacheable:
            raw.extend(_cached_findings(cacheable, ctx, decl, cache, key_suffix, line_of, errors, failed))
        for rule in uncached:
            raw.extend(_guarded(rule, ctx, decl, errors, failed))
    raw = [f for f in raw if f.rule not in failed]
    return Analysis(findings=tuple(_finish(raw, src, settings, rules)), errors=tuple(errors), context=ctx)


def _guarded(rule: Rule, ctx: FileContext, decl: Node, errors: list[RuleError], failed: set[str]) -> tuple[Finding, ...]:
    """Run one rule on one declaration; an exception drops the rule for this file, not the run."""
    if rule.id in failed:
        return ()
    try:
        return _run_rule(rule, ctx, decl)
    except Exception as error:  # one broken rule must not take the others down
        failed.add(rule.id)
        errors.append(RuleError(rule.id, f"{type(error).__name__}: {error}", traceback.format_exc()))
        return ()


def _cached_findings(rules: list[Rule], ctx: FileContext, decl: Node, cache: DeclCache | None, key_suffix: object,
                     line_of, errors: list[RuleError], failed: set[str]) -> tuple[Finding, ...]:  # type: ignore[no-untyped-def]
    assert cache is not None
    key = (decl.text or b"", key_suffix)
    hit = cache.lookup(key)
    if hit is not None:
        old_start, findings = hit
        delta = decl.start_byte - old_start
        # shifted() also redoes quoted line numbers when only lines moved (delta == 0)
        return tuple(f.shifted(delta, line_of) for f in findings)
    findings = tuple(f for rule in rules for f in _guarded(rule, ctx, decl, errors, failed))
    # Never cache a result some rule did not contribute to: a rule that failed (or was
    # cancelled by the server) on this or an earlier declaration is missing from it.
    if not any(rule.id in failed for rule in rules) and _within(findings, decl.start_byte, decl.end_byte):
        cache.store(key, decl.start_byte, findings)
    return findings


def _finish(findings: list[Finding], src: SourceFile, settings: Settings, rules: Sequence[Rule]) -> list[Finding]:
    defaults = {rule.id: rule.severity for rule in rules}
    suppressions = Suppressions(src)
    kept = []
    for finding in findings:
        if suppressions.is_suppressed(finding):
            continue
        default = finding.severity if finding.severity is not None else defaults.get(finding.rule)
        assert default is not None, f"finding of unregistered rule {finding.rule}"
        severity = settings.severity_for(finding.rule, default)
        if severity < settings.min_severity:
            continue
        kept.append(attrs.evolve(finding, severity=severity))
    return sorted_findings(_without_unsafe_fixes(kept, src))


# Go ends a line only at \n; editors, and the LSP line model that fixes use to place their edits,
# also end one at a lone \r. In a file with a lone \r an edit "at the end of the line" can land
# inside a // comment (which runs on to the \n) or join two statements: offer no fixes there.
_LONE_CARRIAGE_RETURN = re.compile(rb"\r(?!\n)")


def _without_unsafe_fixes(findings: list[Finding], src: SourceFile) -> list[Finding]:
    """Drop fixes that cannot be placed reliably: every fix in a file with a lone carriage
    return, and fixes that edit a top-level declaration with syntax errors (statement
    boundaries there are the parser's recovery guesses, and an edit can make the damage
    worse). The findings themselves stay."""
    lone_carriage_return = b"\r" in src.data and _LONE_CARRIAGE_RETURN.search(src.data) is not None
    if not lone_carriage_return and not src.root.has_error:
        return findings
    broken = [(node.start_byte, node.end_byte) for node in src.root.children if node.has_error]

    def safe(fix: Fix) -> bool:
        return not lone_carriage_return and not any(
            start <= edit.end and edit.start <= end for edit in fix.edits for start, end in broken)

    return [attrs.evolve(f, fixes=tuple(x for x in f.fixes if safe(x))) if f.fixes else f for f in findings]
