"""Run the registered rules over one file: the single entry point of the CLI and the server.

``analyze`` walks the top-level declarations of a parsed file, runs every enabled rule on
each, drops suppressed findings, applies severity overrides and the minimum severity, and
returns the findings sorted by position. An exception inside one rule is caught: that rule's
findings for the file are dropped and the error (with traceback) is returned, the other rules
still report.

Incremental use (the language server): pass a :class:`DeclCache`. Findings are then cached per
declaration text and ``FileContext.base_key`` (imports, go version, file name, package
name, build constraint, rule set). While a declaration is checked, the file inputs its
checks read (package facts, no-return functions, rule-specific ones; see
``FileContext.file_input``) are recorded with their values; a later analysis reuses the
findings, shifted to the declaration's new offset (messages that quote line numbers are
regenerated), only while every recorded input still has the same value. So typing in one
function re-checks that function, plus the few declarations that read what changed. Rules
marked ``whole_file`` are never cached.

With a cache, ``FileContext.defer_fixes`` is set: a rule whose fixes would read the whole
file (and so could not be cached) may leave them out and mark the finding
``deferred_fixes``; the returned findings then carry :class:`DeferredFixes`, computed by
the rule's ``resolve_fixes`` on first access (a code action), against that analysis's text.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any

import attrs
import tree_sitter

from ctx_lsp.engine.config import DEFAULT_SETTINGS, Settings
from ctx_lsp.engine.context import FileContext, FileInput
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


# A cached declaration: where it started, its findings, and the file inputs its checks read
# with the values they had.
InputValues = tuple[tuple[str, FileInput, Hashable], ...]
_Entry = tuple[int, tuple[Finding, ...], InputValues]


class DeclCache:
    """Per-document cache of findings, facts and summaries by declaration text.

    Findings are stored per (declaration text, base key, rule set): one lookup per
    declaration, whatever the number of rules, valid while the file inputs recorded with
    them are unchanged. Each table keeps what the latest analysis used plus up to
    ``max_entries`` older entries (history: typing a character and deleting it again must
    hit); older ones go first. A declaration's text is stored once for all tables.
    """

    def __init__(self, max_entries: int = 2_000) -> None:
        self.max_entries = max_entries
        self._findings: dict[tuple[bytes, int], _Entry] = {}
        self._facts: dict[bytes, DeclFacts] = {}
        self._summaries: dict[tuple[object, bytes], Any] = {}
        self._texts: dict[bytes, bytes] = {}  # one object per distinct declaration text
        self._used: tuple[set[Any], set[Any], set[Any]] = (set(), set(), set())
        self._suffixes: dict[object, int] = {}  # key suffix (base key, rule set) -> small token
        # The text of the latest analysis and its declarations' texts by (start, end, kind).
        self._last_data: bytes | None = None
        self._last_texts: dict[int, bytes] = {}  # by range_key()
        # Declarations (by range and kind) that the latest analysis found clean under
        # ``_last_token``: no findings and no file inputs, so unchanged text stays clean.
        self._last_token: int | None = None
        self._last_clean: set[int] = set()
        self.hits = 0
        self.misses = 0

    def _text(self, decl: Node) -> bytes:
        text = decl.text or b""
        return self._texts.setdefault(text, text)

    def facts(self, decl: Node, path: str, text: bytes | None = None) -> DeclFacts:
        key = self._text(decl) if text is None else text
        self._used[1].add(key)
        cached = self._facts.get(key)
        if cached is None:
            cached = self._facts[key] = decl_facts(decl, path)
        return cached

    def summary(self, name: object, decl: Node, compute: Callable[[Node], Any], text: bytes | None = None) -> Any:
        """``compute(decl)``, kept by (name, declaration text); see FileContext.decl_summary."""
        key = (name, self._text(decl) if text is None else text)
        self._used[2].add(key)
        try:
            return self._summaries[key]
        except KeyError:
            value = self._summaries[key] = compute(decl)
            return value

    def suffix_token(self, suffix: object) -> int:
        """A small number standing for a key suffix (hashing the nested suffix tuple once per
        analysis instead of once per declaration)."""
        token = self._suffixes.get(suffix)
        if token is None:
            if len(self._suffixes) >= 64:  # settings flipping back and forth for a long time
                self._suffixes.clear()
                self._findings.clear()
                self._last_token, self._last_clean = None, set()
            token = self._suffixes[suffix] = len(self._suffixes)
        return token

    def texts_for(self, data: bytes) -> _DeclTexts:
        return _DeclTexts(self, data)

    def lookup(self, key: tuple[bytes, int], ctx: FileContext) -> _Entry | None:
        """The entry of ``key`` if every file input it recorded still has its value in ``ctx``."""
        self._used[0].add(key)
        found = self._findings.get(key)
        if found is not None and (not found[2] or all(
                ctx.input_value(name, compute) == value for name, compute, value in found[2])):
            self.hits += 1
            return found
        self.misses += 1
        return None

    def store(self, key: tuple[bytes, int], start: int, findings: tuple[Finding, ...],
              inputs: InputValues = ()) -> None:
        self._findings.pop(key, None)  # re-inserted: now the newest
        self._findings[key] = (start, findings, inputs)

    def finish_analysis(self) -> None:
        """Trim each table to what this analysis used plus ``max_entries`` older entries."""
        trimmed = False
        for table, used in zip((self._findings, self._facts, self._summaries), self._used):
            excess = len(table) - len(used) - self.max_entries
            if excess > 0:
                trimmed = True
                for key in [key for key in table if key not in used][:excess]:
                    del table[key]
            used.clear()
        if trimmed or len(self._texts) > 4 * self.max_entries + len(self._facts):
            kept = {key[0] for key in self._findings} | self._facts.keys() | {key[1] for key in self._summaries}
            self._texts = {text: text for text in self._texts if text in kept}


class _DeclTexts:
    """The declarations' texts of one analysed text, for the cache keys.

    Taking a declaration's text means copying and hashing its bytes, for every declaration
    on every keystroke. Instead, the bytes shared with the previously analysed text are
    found (common prefix and suffix, compared with memcmp), and a declaration lying wholly
    inside them reuses the previous analysis's text object of the same range and kind: the
    same bytes, already hashed. Only declarations touching the edit are read again.
    """

    def __init__(self, cache: DeclCache, data: bytes) -> None:
        self._cache = cache
        self._data = data
        self._previous = cache._last_texts
        self.now: dict[int, bytes] = {}
        start, old_end, new_end = _changed_region(cache._last_data, data)
        self._unchanged_before = start
        self._unchanged_from = new_end
        self._delta = new_end - old_end

    def text(self, decl: Node, key: int | None = None) -> bytes:
        if key is None:
            key = range_key(decl)
        text = self.now.get(key)
        if text is None:
            text = self._reused(key)
            if text is None:
                text = self._cache._text(decl)
            self.now[key] = text
        return text

    def previous_range(self, key: int) -> int | None:
        """The range key the same bytes had in the previous text, if outside the edit."""
        if (key >> 16) & _OFFSET_MASK <= self._unchanged_before:  # ends before the edit
            return key
        if key >> 48 >= self._unchanged_from:  # starts after it
            return key - (self._delta << 48) - (self._delta << 16)
        return None

    def _reused(self, key: int) -> bytes | None:
        previous = self.previous_range(key)
        return None if previous is None else self._previous.get(previous)

    def facts(self, decl: Node, path: str) -> DeclFacts:
        return self._cache.facts(decl, path, self.text(decl))

    def summary(self, name: object, decl: Node, compute: Callable[[Node], Any]) -> Any:
        return self._cache.summary(name, decl, compute, self.text(decl))

    def finish(self) -> None:
        """This text becomes the previous one of the next analysis."""
        self._cache._last_data = self._data
        self._cache._last_texts = self.now


_OFFSET_MASK = (1 << 32) - 1


def range_key(node: Node) -> int:
    """(start, end, kind) of a node packed into one int: one small object per declaration
    in the server's memory instead of a tuple of three. Files stay far below 4 GiB."""
    return (node.start_byte << 48) | (node.end_byte << 16) | node.kind_id


def _changed_region(old: bytes | None, new: bytes) -> tuple[int, int, int]:
    """(start, old end, new end) of the one region where ``old`` and ``new`` differ (their
    common prefix and suffix excluded); with no old text, everything changed."""
    if old is None:
        return 0, 0, len(new)
    limit = min(len(old), len(new))
    prefix = _common_length(old, new, limit, from_end=False)
    suffix = _common_length(old, new, limit - prefix, from_end=True)
    return prefix, len(old) - suffix, len(new) - suffix


def _common_length(a: bytes, b: bytes, limit: int, *, from_end: bool) -> int:
    # Binary search over slice comparisons, each one a memcmp in C.
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        same = a[len(a) - middle:] == b[len(b) - middle:] if from_end else a[:middle] == b[:middle]
        if same:
            low = middle
        else:
            high = middle - 1
    return low


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
    texts = cache.texts_for(src.data) if cache is not None else None
    ctx = FileContext(src, loader=loader, go_version=go_version,
                      facts_of=texts.facts if texts is not None else decl_facts,
                      summaries=texts.summary if texts is not None else None, defer_fixes=cache is not None)
    paths = ctx.imports.paths
    active = [rule for rule in rules
              if settings.enabled(rule.id) and rule.applies_to(paths, ctx.has_linkname, src.data)]
    errors: list[RuleError] = []
    failed: set[str] = set()
    cacheable = [rule for rule in active if cache is not None and not rule.whole_file]
    uncached = [rule for rule in active if rule not in cacheable]
    key_suffix = (ctx.base_key, tuple((rule.id, rule.file_key(ctx) if rule.file_key else None)
                                      for rule in cacheable)) if cacheable else None
    token = cache.suffix_token(key_suffix) if cache is not None and cacheable else 0
    line_of = src.line_of  # builds the line index only when a cached finding must move
    raw: list[Finding] = []
    clean_before = cache._last_clean if cache is not None and cache._last_token == token else set()
    clean_now: set[int] = set()
    for decl in ctx.top_level:
        if cacheable:
            assert cache is not None and texts is not None
            here = range_key(decl)
            text = texts.text(decl, here)
            if clean_before and texts.previous_range(here) in clean_before:
                # Fast path: the same bytes as in the previous analysis, which found them
                # clean without reading anything outside them: nothing can have changed.
                clean_now.add(here)
                cache.hits += 1
            else:
                key = (text, token)
                raw.extend(_cached_findings(cacheable, ctx, decl, cache, key, line_of, errors, failed))
                entry = cache._findings.get(key)
                if entry is not None and not entry[1] and not entry[2]:
                    clean_now.add(here)
        for rule in uncached:
            raw.extend(_guarded(rule, ctx, decl, errors, failed))
    raw = [f for f in raw if f.rule not in failed]
    findings = tuple(_finish(raw, ctx, settings, rules))
    ctx.release_caches()
    if cache is not None and texts is not None:
        texts.finish()
        cache._last_token, cache._last_clean = (token, clean_now) if cacheable else (None, set())
        cache.finish_analysis()
    return Analysis(findings=findings, errors=tuple(errors), context=ctx)


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


def _cached_findings(rules: list[Rule], ctx: FileContext, decl: Node, cache: DeclCache, key: tuple[bytes, int],
                     line_of, errors: list[RuleError], failed: set[str]) -> tuple[Finding, ...]:  # type: ignore[no-untyped-def]
    hit = cache.lookup(key, ctx)
    if hit is not None:
        old_start, findings, _ = hit
        delta = decl.start_byte - old_start
        # shifted() also redoes quoted line numbers when only lines moved (delta == 0)
        return tuple(f.shifted(delta, line_of) for f in findings)
    ctx.record_reads()
    try:
        findings = tuple(f for rule in rules for f in _guarded(rule, ctx, decl, errors, failed))
    finally:
        reads = ctx.recorded_reads()
    # Never cache a result some rule did not contribute to: a rule that failed (or was
    # cancelled by the server) on this or an earlier declaration is missing from it.
    if not any(rule.id in failed for rule in rules) and _within(findings, decl.start_byte, decl.end_byte):
        inputs = tuple((name, compute, ctx.input_value(name, compute)) for name, compute in reads.items())
        cache.store(key, decl.start_byte, findings, inputs)
    return findings


def _finish(findings: list[Finding], ctx: FileContext, settings: Settings, rules: Sequence[Rule]) -> list[Finding]:
    src = ctx.src
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
    kept = _without_unsafe_fixes(kept, src)
    if any(finding.deferred_fixes for finding in kept):
        by_id = {rule.id: rule for rule in rules}
        kept = [_with_deferred_fixes(finding, ctx, by_id[finding.rule]) if finding.deferred_fixes else finding
                for finding in kept]
    return sorted_findings(kept)


class DeferredFixes(Sequence[Fix]):
    """The fixes of a finding marked ``deferred_fixes``: a tuple-like sequence that asks the
    rule's ``resolve_fixes`` on first use (the server needs them only for a code action),
    against the analysis the finding belongs to. Compares equal to the tuple it resolves to."""

    __slots__ = ("_compute", "_fixes")

    def __init__(self, compute: Callable[[], tuple[Fix, ...]]) -> None:
        self._compute: Callable[[], tuple[Fix, ...]] | None = compute
        self._fixes: tuple[Fix, ...] | None = None

    def _resolved(self) -> tuple[Fix, ...]:
        if self._fixes is None:
            assert self._compute is not None
            self._fixes, self._compute = tuple(self._compute()), None
        return self._fixes

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        return self._resolved()[index]

    def __len__(self) -> int:
        return len(self._resolved())

    def __iter__(self) -> Iterator[Fix]:
        return iter(self._resolved())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DeferredFixes):
            other = other._resolved()
        return isinstance(other, tuple) and self._resolved() == other

    def __hash__(self) -> int:
        return hash(self._resolved())

    def __repr__(self) -> str:
        return repr(self._resolved()) if self._fixes is not None else "DeferredFixes(<not computed yet>)"


def _with_deferred_fixes(finding: Finding, ctx: FileContext, rule: Rule) -> Finding:
    resolve = rule.resolve_fixes
    if resolve is None:
        return finding

    def compute() -> tuple[Fix, ...]:
        fixes = tuple(resolve(ctx, finding))
        safe = _fix_safety(ctx.src)
        return fixes if safe is None else tuple(fix for fix in fixes if safe(fix))

    return attrs.evolve(finding, fixes=DeferredFixes(compute))


# Go ends a line only at \n; editors, and the LSP line model that fixes use to place their edits,
# also end one at a lone \r. In a file with a lone \r an edit "at the end of the line" can land
# inside a // comment (which runs on to the \n) or join two statements: offer no fixes there.
_LONE_CARRIAGE_RETURN = re.compile(rb"\r(?!\n)")


def _without_unsafe_fixes(findings: list[Finding], src: SourceFile) -> list[Finding]:
    """Drop fixes that cannot be placed reliably: every fix in a file with a lone carriage
    return, and fixes that edit a top-level declaration with syntax errors (statement
    boundaries there are the parser's recovery guesses, and an edit can make the damage
    worse). The findings themselves stay."""
    safe = _fix_safety(src)
    if safe is None:
        return findings
    return [attrs.evolve(f, fixes=tuple(x for x in f.fixes if safe(x))) if f.fixes else f for f in findings]


def _fix_safety(src: SourceFile) -> Callable[[Fix], bool] | None:
    """Whether a fix of ``src`` can be placed reliably (None: every fix can)."""
    lone_carriage_return = b"\r" in src.data and _LONE_CARRIAGE_RETURN.search(src.data) is not None
    if not lone_carriage_return and not src.root.has_error:
        return None
    broken = [(node.start_byte, node.end_byte) for node in src.root.children if node.has_error]

    def safe(fix: Fix) -> bool:
        return not lone_carriage_return and not any(
            start <= edit.end and edit.start <= end for edit in fix.edits for start, end in broken)

    return safe
