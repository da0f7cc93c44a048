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

import bisect
import re
import traceback
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import tree_sitter

from ctx_lsp.engine.align import aligned_findings, aligned_fixes
from ctx_lsp.engine.config import DEFAULT_SETTINGS, Settings
from ctx_lsp.engine.context import FileContext, FileInput
from ctx_lsp.engine.findings import Finding, Fix, LineOf, Severity, sorted_findings
from ctx_lsp.engine.package import DeclFacts, IndexOf, PackageLoader, decl_facts
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.suppress import Suppressions
from ctx_lsp.engine.textdiff import changed_region

Node = tree_sitter.Node


@attrs.frozen
class RuleError:
    rule: str
    message: str
    traceback: str


@attrs.frozen
class Analysis:
    """Findings of one text.

    Made with ``fixes_on_use`` (the server), findings carry their fixes as the rules made
    them: ``fixes_of`` drops the unsafe ones, computes deferred ones and re-pads them all to
    gofmt's trailing-comment column when a code action asks. The server re-analyzes on every
    keystroke but needs fixes only for a code action; finishing them all cost about a third
    of a keystroke's analysis, and made new finding objects each time where the LSP layer
    reuses diagnostics by finding identity. Otherwise ``finding.fixes`` are final and
    ``fixes_of`` returns them.
    """

    findings: tuple[Finding, ...]
    errors: tuple[RuleError, ...] = ()
    context: FileContext | None = attrs.field(default=None, eq=False, repr=False)
    fixes_on_use: bool = False
    rules: Mapping[str, Rule] = attrs.field(factory=dict, eq=False, repr=False)
    _fixes_memo: dict[int, tuple[Finding, tuple[Fix, ...]]] = attrs.field(factory=dict, init=False, eq=False,
                                                                         repr=False)

    def fixes_of(self, finding: Finding) -> Sequence[Fix]:
        """``finding``'s fixes as they apply to this analysis's text."""
        if not self.fixes_on_use or self.context is None:
            return finding.fixes
        known = self._fixes_memo.get(id(finding))
        if known is None or known[0] is not finding:
            known = self._fixes_memo[id(finding)] = (finding, _finished_fixes(finding, self.context, self.rules))
        return known[1]

    def preferred_fix_of(self, finding: Finding) -> Fix | None:
        return next((fix for fix in self.fixes_of(finding) if fix.preferred), None)


# A cached declaration: where it started, its findings, and the file inputs its checks read
# with the values they had (name, how to compute it, value, needle: see FileContext.file_input).
InputValues = tuple[tuple[str, FileInput, Hashable, "bytes | None"], ...]
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
        # What the latest analysis leaves for the next one to take over (see _cached_pass),
        # and its finished findings by the id of the raw finding (see _finish).
        self._previous: _Previous | None = None
        self._finished: dict[int, tuple[Finding, Severity, Finding]] = {}
        self.hits = 0
        self.misses = 0

    def _text(self, decl: Node) -> bytes:
        text = decl.text or b""
        return self._texts.setdefault(text, text)

    # Everything here is kept by declaration text, which decides the parse of a declaration
    # only when it has no syntax error: the parser's error recovery depends on the text
    # around it (the same bytes were a method_declaration in one file and an ERROR node
    # after a stray "(" above them). So declarations with errors are never cached.
    def facts(self, decl: Node, path: str, text: bytes | None = None, index_of: IndexOf | None = None) -> DeclFacts:
        if decl.has_error:
            return decl_facts(decl, path, index_of)
        key = self._text(decl) if text is None else text
        self._used[1].add(key)
        cached = self._facts.get(key)
        if cached is None:
            cached = self._facts[key] = decl_facts(decl, path, index_of)
        return cached

    def summary(self, name: object, decl: Node, compute: Callable[[Node], Any], text: bytes | None = None) -> Any:
        """``compute(decl)``, kept by (name, declaration text); see FileContext.decl_summary."""
        if decl.has_error:
            return compute(decl)
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
                self._previous = None
            token = self._suffixes[suffix] = len(self._suffixes)
        return token

    def texts_for(self, data: bytes) -> _DeclTexts:
        return _DeclTexts(self, data)

    def lookup(self, key: tuple[bytes, int], ctx: FileContext) -> _Entry | None:
        """The entry of ``key`` if every file input it recorded still has its value in ``ctx``."""
        self._used[0].add(key)
        found = self._findings.get(key)
        if found is not None and (not found[2] or all(
                ctx.input_value(name, compute) == value for name, compute, value, _ in found[2])):
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
        tables: tuple[dict[Any, Any], ...] = (self._findings, self._facts, self._summaries)
        for table, used in zip(tables, self._used):
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
    """The declarations' texts of one analyzed text, for the cache keys.

    Taking a declaration's text means copying and hashing its bytes, for every declaration
    on every keystroke. Instead, the bytes shared with the previously analyzed text are
    found (common prefix and suffix, compared with memcmp), and a declaration lying wholly
    inside them reuses the previous analysis's text object of the same range and kind: the
    same bytes, already hashed. Only declarations touching the edit are read again.
    """

    def __init__(self, cache: DeclCache, data: bytes) -> None:
        self._cache = cache
        self.data = data
        self._previous = cache._last_texts
        self.now: dict[int, bytes] = {}
        self.previous_data = cache._last_data
        # With no previous text, everything changed.
        self.region = (0, 0, len(data)) if self.previous_data is None else changed_region(self.previous_data, data)
        start, old_end, new_end = self.region
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

    def facts(self, decl: Node, path: str, index_of: IndexOf | None = None) -> DeclFacts:
        return self._cache.facts(decl, path, self.text(decl), index_of)

    def summary(self, name: object, decl: Node, compute: Callable[[Node], Any]) -> Any:
        return self._cache.summary(name, decl, compute, self.text(decl))

    def finish(self) -> None:
        """This text becomes the previous one of the next analysis."""
        self._cache._last_data = self.data
        self._cache._last_texts = self.now


_OFFSET_MASK = (1 << 32) - 1


def range_key(node: Node) -> int:
    """(start, end, kind) of a node packed into one int: one small object per declaration
    in the server's memory instead of a tuple of three. Files stay far below 4 GiB."""
    return (node.start_byte << 48) | (node.end_byte << 16) | node.kind_id


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
    fixes_on_use: bool = False,
) -> Analysis:
    if rules is None:
        from ctx_lsp.rules import ALL_RULES

        rules = ALL_RULES
    texts = cache.texts_for(src.data) if cache is not None else None
    ctx = FileContext(src, loader=loader, go_version=go_version,
                      facts_of=texts.facts if texts is not None else decl_facts,
                      summaries=texts.summary if texts is not None else None, defer_fixes=cache is not None,
                      exports=Rule.merged_exports(rules))
    paths = ctx.imports.paths
    active = [rule for rule in rules
              if settings.enabled(rule.id) and rule.applies_to(paths, ctx.has_linkname, src.data)]
    errors: list[RuleError] = []
    failed: set[str] = set()
    cacheable = [rule for rule in active if cache is not None and not rule.whole_file]
    uncached = [rule for rule in active if rule not in cacheable]
    key_suffix = (ctx.base_key, tuple(rule.id for rule in cacheable)) if cacheable else None
    token = cache.suffix_token(key_suffix) if cache is not None and cacheable else 0
    raw: list[Finding] = []
    if cacheable:
        assert cache is not None and texts is not None
        raw = _cached_pass(cacheable, ctx, cache, token, texts, errors, failed)
    if uncached:
        for decl in ctx.top_level:
            for rule in uncached:
                raw.extend(_guarded(rule, ctx, decl, errors, failed))
    raw = [f for f in raw if f.rule not in failed]
    findings = tuple(_finish(raw, ctx, settings, rules, cache, fixes_on_use=fixes_on_use))
    ctx.release_caches()
    if cache is not None and texts is not None:
        texts.finish()
        cache.finish_analysis()
    return Analysis(findings=findings, errors=tuple(errors), context=ctx, fixes_on_use=fixes_on_use,
                    rules={rule.id: rule for rule in rules})


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
                     line_of: LineOf, errors: list[RuleError], failed: set[str]) -> tuple[tuple[Finding, ...], bool]:
    """The declaration's findings, from the cache or by running the rules; and whether they
    may be reused later (stored in the cache; never for a declaration with syntax errors,
    see DeclCache.facts)."""
    if decl.has_error:
        return tuple(f for rule in rules for f in _guarded(rule, ctx, decl, errors, failed)), False
    hit = cache.lookup(key, ctx)
    if hit is not None:
        old_start, findings, _ = hit
        delta = decl.start_byte - old_start
        # shifted() also redoes quoted line numbers when only lines moved (delta == 0)
        return tuple(f.shifted(delta, line_of) for f in findings), True
    ctx.record_reads()
    try:
        findings = tuple(f for rule in rules for f in _guarded(rule, ctx, decl, errors, failed))
    finally:
        reads = ctx.recorded_reads()
    # Never cache a result some rule did not contribute to: a rule that failed (or was
    # cancelled by the server) on this or an earlier declaration is missing from it.
    if not any(rule.id in failed for rule in rules) and _within(findings, decl.start_byte, decl.end_byte):
        inputs = tuple((name, compute, ctx.input_value(name, compute), needle)
                       for name, (compute, needle) in reads.items())
        cache.store(key, decl.start_byte, findings, inputs)
        return findings, True
    return findings, False


# -- the server's pass: reuse whatever lies outside the edit ---------------------------------
# A declaration's outcome: its findings, the file inputs they depend on, and whether a later
# analysis may reuse them (not when a rule failed or was cancelled there).
_Outcome = tuple[tuple[Finding, ...], InputValues, bool]
_CLEAN: _Outcome = ((), (), True)


@attrs.define(slots=True)
class _Previous:
    """What one cached analysis leaves for the next: the text, its top-level declarations'
    ranges and kinds, each declaration's outcome, and the indexes of the outcomes that are
    not simply clean (so taking the others over costs nothing per declaration)."""

    data: bytes
    token: int
    starts: list[int]
    ends: list[int]
    kinds: list[int]
    outcomes: list[_Outcome]
    notable: list[int]  # ascending
    own_facts: tuple[DeclFacts, ...] | None


def _cached_pass(rules: list[Rule], ctx: FileContext, cache: DeclCache, token: int, texts: _DeclTexts,
                 errors: list[RuleError], failed: set[str]) -> list[Finding]:
    """Findings of the cacheable rules for every top-level declaration.

    Typing changes one region of the text. Declarations wholly before it, or wholly after it
    (moved by the edit's length), are the same bytes as in the previous analysis: their
    outcomes are taken over by position without visiting them, once the file inputs they
    recorded are checked; findings after the edit are shifted. Only the declarations
    touching the edit, and those whose inputs changed, go through the per-declaration cache
    (and the rules, on a miss). So a keystroke costs work in the size of the edited
    declaration, plus a few list operations over the file's declarations.
    """
    top = ctx.top_level
    starts = [node.start_byte for node in top]
    ends = [node.end_byte for node in top]
    kinds = [node.kind_id for node in top]
    count = len(top)
    previous = cache._previous
    span = _reusable_span(previous, token, texts, starts, ends, kinds)
    if previous is None or span is None:
        outcomes: list[_Outcome] = [_CLEAN] * count
        todo: list[int] = list(range(count))
        candidates: Iterable[int] = todo
    else:
        prefix, suffix, delta = span
        if previous.own_facts is not None:
            ctx.reuse_own_facts(previous.own_facts, prefix, suffix)
        outcomes, todo, candidates = _take_over(previous, ctx, prefix, suffix, delta, count)
        cache.hits += count - len(todo)  # taken over: as good as a cache hit
    line_of = ctx.src.line_of
    for index in todo:
        decl = top[index]
        key = (texts.text(decl), token)
        findings, reusable = _cached_findings(rules, ctx, decl, cache, key, line_of, errors, failed)
        entry = cache._findings.get(key) if reusable else None
        inputs = entry[2] if entry is not None else ()
        outcomes[index] = _CLEAN if reusable and not findings and not inputs else (findings, inputs, reusable)
    notable = sorted({index for index in candidates if outcomes[index] is not _CLEAN})
    cache._previous = _Previous(ctx.src.data, token, starts, ends, kinds, outcomes, notable,
                                ctx.own_facts_if_computed)
    return [finding for index in notable for finding in outcomes[index][0]]


def _reusable_span(previous: _Previous | None, token: int, texts: _DeclTexts, starts: list[int],
                   ends: list[int], kinds: list[int]) -> tuple[int, int, int] | None:
    """(prefix, suffix, delta): how many leading and trailing top-level declarations are
    unchanged since ``previous`` (same bytes, same kind, the trailing ones moved by delta);
    None when nothing can be reused (first analysis, other rules or file-wide facts)."""
    if previous is None or previous.token != token:
        return None
    edit_start, old_end, new_end = (texts.region if texts.previous_data is previous.data
                                    else changed_region(previous.data, texts.data))
    delta = new_end - old_end
    old_count = len(previous.starts)
    # Strictly before / after the edit: text typed right against a declaration may join it.
    prefix = bisect.bisect_left(previous.ends, edit_start)
    suffix = old_count - bisect.bisect_right(previous.starts, old_end)
    count = len(starts)
    if prefix + suffix > min(count, old_count):
        return None
    # The parser's error recovery can regroup declarations far from an edit: verify.
    if (starts[:prefix] != previous.starts[:prefix] or ends[:prefix] != previous.ends[:prefix]
            or kinds[:prefix] != previous.kinds[:prefix]):
        return None
    if suffix and (kinds[count - suffix:] != previous.kinds[old_count - suffix:]
                   or starts[count - suffix:] != [start + delta for start in previous.starts[old_count - suffix:]]
                   or ends[count - suffix:] != [end + delta for end in previous.ends[old_count - suffix:]]):
        return None
    return prefix, suffix, delta


def _take_over(previous: _Previous, ctx: FileContext, prefix: int, suffix: int, delta: int,
               count: int) -> tuple[list[_Outcome], list[int], list[int]]:
    """Outcomes of the unchanged declarations, from ``previous``; the indexes still to check
    (the edited region, and declarations whose file inputs changed or whose outcome was not
    reusable); and the indexes whose outcome may be notable."""
    old_count = len(previous.outcomes)
    moved = count - old_count  # index shift of the trailing declarations
    outcomes = previous.outcomes[:prefix] + [_CLEAN] * (count - prefix - suffix) + \
        previous.outcomes[old_count - suffix:]
    todo = list(range(prefix, count - suffix))
    candidates = list(todo)
    line_of = ctx.src.line_of
    changed = _changed_texts(previous, ctx, prefix, suffix)
    for old_index in previous.notable:
        if prefix <= old_index < old_count - suffix:
            continue  # in the edited region: re-checked anyway
        index = old_index if old_index < prefix else old_index + moved
        findings, inputs, reusable = previous.outcomes[old_index]
        candidates.append(index)
        if not reusable or (inputs and not _inputs_hold(ctx, inputs, changed)):
            todo.append(index)
        elif index >= prefix and findings:
            # shifted() also redoes line numbers quoted in messages when lines moved
            outcomes[index] = (tuple(finding.shifted(delta, line_of) for finding in findings), inputs, True)
    return outcomes, todo, candidates


def _changed_texts(previous: _Previous, ctx: FileContext, prefix: int, suffix: int) -> tuple[bytes, bytes]:
    """The text between the unchanged leading and trailing declarations, before and after."""
    old, new = previous.data, ctx.src.data
    old_count, count = len(previous.starts), len(ctx.top_level)
    old_text = old[previous.ends[prefix - 1] if prefix else 0 : previous.starts[old_count - suffix] if suffix else len(old)]
    top = ctx.top_level
    new_text = new[top[prefix - 1].end_byte if prefix else 0 : top[count - suffix].start_byte if suffix else len(new)]
    return old_text, new_text


def _inputs_hold(ctx: FileContext, inputs: InputValues, changed: tuple[bytes, bytes]) -> bool:
    """Whether recorded file inputs still have their values. An input with a needle that
    the changed text never contained kept its value (FileContext.file_input)."""
    old_text, new_text = changed
    return all((needle is not None and needle not in old_text and needle not in new_text)
               or ctx.input_value(name, compute) == value for name, compute, value, needle in inputs)


def _finish(findings: list[Finding], ctx: FileContext, settings: Settings, rules: Sequence[Rule],
            cache: DeclCache | None = None, *, fixes_on_use: bool = False) -> list[Finding]:
    src = ctx.src
    defaults = {rule.id: rule.severity for rule in rules}
    suppressions = Suppressions(src)
    # The server takes unchanged findings over from the previous analysis as the same
    # objects; giving them the same finished objects too lets the LSP layer reuse their
    # diagnostics (see analyse_snapshot).
    earlier = cache._finished if cache is not None else {}
    finished: dict[int, tuple[Finding, Severity, Finding]] = {}
    kept = []
    for finding in findings:
        if suppressions.is_suppressed(finding):
            continue
        default = finding.severity if finding.severity is not None else defaults.get(finding.rule)
        assert default is not None, f"finding of unregistered rule {finding.rule}"
        severity = settings.severity_for(finding.rule, default)
        if severity < settings.min_severity:
            continue
        known = earlier.get(id(finding))
        if known is not None and known[0] is finding and known[1] == severity:
            result = known[2]
        else:
            result = finding if finding.severity == severity else finding.with_severity(severity)
        finished[id(finding)] = (finding, severity, result)
        kept.append(result)
    if cache is not None:
        cache._finished = finished
    if fixes_on_use:
        return sorted_findings(kept)  # Analysis.fixes_of finishes the fixes of one finding when asked
    kept = _without_unsafe_fixes(kept, src)
    kept = aligned_findings(kept, src.data, src.root)  # fixes keep gofmt's trailing-comment column
    if any(finding.deferred_fixes for finding in kept):
        by_id = {rule.id: rule for rule in rules}
        kept = [_with_deferred_fixes(finding, ctx, by_id) if finding.deferred_fixes else finding for finding in kept]
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

    def __getitem__(self, index):
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


def _finished_fixes(finding: Finding, ctx: FileContext, rules: Mapping[str, Rule]) -> tuple[Fix, ...]:
    """What ``_finish`` makes of a finding's fixes, for one finding: deferred ones computed,
    unsafe ones dropped, the rest padded to gofmt's comment column."""
    fixes = tuple(finding.fixes)
    rule = rules.get(finding.rule)
    if finding.deferred_fixes and rule is not None and rule.resolve_fixes is not None:
        fixes = tuple(rule.resolve_fixes(ctx, finding))
    safe = _fix_safety(ctx.src)
    if safe is not None:
        fixes = tuple(fix for fix in fixes if safe(fix))
    return aligned_fixes(fixes, ctx.src.data, ctx.src.root) if fixes else fixes


def _with_deferred_fixes(finding: Finding, ctx: FileContext, rules: Mapping[str, Rule]) -> Finding:
    if rules[finding.rule].resolve_fixes is None:
        return finding
    return attrs.evolve(finding, fixes=DeferredFixes(lambda: _finished_fixes(finding, ctx, rules)))


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
