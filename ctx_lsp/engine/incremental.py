"""The language server's incremental analysis: what one keystroke's analysis takes over from
the previous one, and why that is exact.

A :class:`DeclCache` belongs to one open document. ``analyze(..., cache=cache)`` runs the
cacheable rules (every rule not marked ``whole_file``) through :func:`cached_pass`, which
returns the same raw findings a run of those rules over every top-level declaration would.

Invariants (each is what makes a reuse exact; "checked" says where):

1. *The rule contract* (``docs/rules.md``, ``Rule``): a rule's check of a declaration reads
   only that declaration's subtree and the file-wide facts in ``FileContext.base_key``;
   anything else goes through ``FileContext.file_input``, which records the read.
   Checked by ``tests/engine/test_rule_contract.py`` (a declaration's findings must not
   change when the other declarations are removed or reordered while its recorded inputs
   keep their values).
2. *Text decides the parse only without syntax errors.* Findings, package facts and
   summaries are kept by declaration text, so only for declarations without syntax
   errors: tree-sitter's error recovery depends on the text around a declaration. Enforced
   in ``DeclCache.facts``, ``DeclCache.summary`` and ``_declaration_outcome``.
3. *A cache entry holds* while the key suffix (``base_key`` and the cacheable rules' ids,
   as a small token) is the same and every recorded file input still has its recorded
   value. An input with a needle depends only on the declarations containing the needle,
   so it keeps its value when the changed text, before and after, does not contain it.
4. *Shifting is exact*: an entry is stored only when every offset its findings carry lies
   inside the declaration (``_within``); a rule that failed (or was cancelled) on a
   declaration leaves it out of the cache (its result is incomplete).
5. *Taking over by position*: declarations wholly before the edited region, and wholly
   after it (moved by the edit's length), are the same bytes as before; they are taken
   over only when their starts, ends and kinds equal the previous analysis's (the parser
   can regroup declarations far from an edit). Asserted: one outcome per declaration, and
   the notable indexes ascending.
6. *Package facts* are compared by ``package_key``: a hash of the multiset of the facts'
   identities (count and sum). A collision would keep a finding that depends on the
   package; with 64-bit identities that is not expected in a session. Debug checks (below)
   re-run every declaration and would catch it. The package outline (names, types,
   constants, method sets: ``FileContext.package_outline``) is an input of its own,
   compared the same way by ``outline_key``; it comes from cheap per-declaration outlines,
   kept by text and spliced per keystroke like the facts, which equal the full facts'
   outline (``tests/engine/test_package_outline.py``).
7. *Settings* are not part of any key here: severities and suppressions are applied after
   this pass, on every analysis.
8. *A declaration with syntax errors is reused only as the same node.* When the server
   re-parses incrementally, tree-sitter reuses the subtrees the edit did not touch, and a
   reused node keeps its id (``Node.id``). Text with errors elsewhere regroups nothing
   around such a node: the same node is the same subtree over the same bytes, so its
   findings (shifted) hold while its recorded inputs do. The previous tree is kept alive
   with the outcomes, so no node of a new tree can take a freed node's id.

Debug checks: with ``CTX_LSP_DEBUG_INCREMENTAL=1`` in the environment, or
``set_debug_checks(True)`` (the engine tests switch it on), every cached pass also runs
every rule on every declaration afresh and asserts that the findings are the same.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import attrs
import tree_sitter

from ctx_lsp.engine.checks import RuleFailures, run_rules
from ctx_lsp.engine.context import FileContext, FileInput
from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.package import DeclFacts, IndexOf, decl_facts, decl_outline
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.textdiff import changed_region

Node = tree_sitter.Node

_debug_checks = os.environ.get("CTX_LSP_DEBUG_INCREMENTAL") == "1"


def set_debug_checks(enabled: bool) -> bool:
    """Switch the debug checks (see the module docstring) on or off; returns the old state."""
    global _debug_checks
    previous, _debug_checks = _debug_checks, enabled
    return previous


# -- records ------------------------------------------------------------------------------------
@attrs.frozen(slots=True, cache_hash=True)
class InputRead:
    """A file input a declaration's checks read, with the value it had then."""

    name: str
    compute: FileInput = attrs.field(eq=False)
    value: Hashable
    needle: bytes | None

    def holds(self, ctx: FileContext) -> bool:
        return ctx.input_value(self.name, self.compute) == self.value


@attrs.frozen(slots=True)
class CacheEntry:
    """A cached declaration: where it started, its findings and the inputs they depend on."""

    start: int
    findings: tuple[Finding, ...]
    inputs: tuple[InputRead, ...]


@attrs.frozen(slots=True)
class Outcome:
    """One declaration's result in one analysis; ``reusable`` is False when a later analysis
    must check it again (a rule failed, or the declaration has syntax errors)."""

    findings: tuple[Finding, ...]
    inputs: tuple[InputRead, ...]
    reusable: bool
    # No rule failed and the findings can shift: the same node may take it over (invariant 8).
    complete: bool = True


CLEAN = Outcome((), (), True)  # no findings, no inputs: the outcome of most declarations


@attrs.define(slots=True)
class PreviousAnalysis:
    """What one cached analysis leaves for the next: the text, its top-level declarations'
    ranges and kinds, each declaration's outcome, and the indexes of the outcomes that are
    not simply clean (so taking the others over costs nothing per declaration)."""

    data: bytes
    token: int
    starts: list[int]
    ends: list[int]
    kinds: list[int]
    outcomes: list[Outcome]
    notable: list[int]  # ascending
    own_facts: tuple[DeclFacts, ...] | None
    # With syntax errors in the text: the ids of the top-level nodes with errors, and the
    # tree that keeps them alive (invariant 8).
    ids: dict[int, int] | None = None  # node id -> index
    tree: tree_sitter.Tree | None = None
    own_outline: tuple[DeclFacts, ...] | None = None  # FileContext.computed_own_outline


@attrs.frozen(slots=True)
class ReusableSpan:
    """How many leading and trailing top-level declarations are unchanged since the previous
    analysis (the trailing ones moved by ``delta`` bytes)."""

    prefix: int
    suffix: int
    delta: int


@attrs.define(slots=True)
class _UsedKeys:
    """The keys of each table one analysis used (kept when the tables are trimmed)."""

    findings: set[tuple[bytes, int]] = attrs.field(factory=set)
    facts: set[bytes] = attrs.field(factory=set)
    summaries: set[tuple[object, bytes]] = attrs.field(factory=set)

    def clear(self) -> None:
        self.findings.clear()
        self.facts.clear()
        self.summaries.clear()


# -- the cache -----------------------------------------------------------------------------------
class DeclCache:
    """Per-document cache of findings, facts and summaries by declaration text.

    Findings are stored per (declaration text, key suffix token): one lookup per
    declaration, whatever the number of rules, valid while the file inputs recorded with
    them are unchanged. Each table keeps what the latest analysis used plus up to
    ``max_entries`` older entries (history: typing a character and deleting it again must
    hit); older ones go first. A declaration's text is stored once for all tables.
    """

    def __init__(self, max_entries: int = 2_000) -> None:
        self.max_entries = max_entries
        self._findings: dict[tuple[bytes, int], CacheEntry] = {}
        self._facts: dict[bytes, DeclFacts] = {}
        self._outlines: dict[bytes, DeclFacts] = {}  # package.decl_outline, when no full facts
        self._summaries: dict[tuple[object, bytes], Any] = {}
        self._texts: dict[bytes, bytes] = {}  # one object per distinct declaration text
        self._used = _UsedKeys()
        self._suffixes: dict[object, int] = {}  # key suffix (base key, rule set) -> small token
        # One tuple object per distinct recorded inputs: most declarations read the same few
        # inputs with the same values, and _take_over then checks each distinct tuple once.
        self._inputs: dict[tuple[InputRead, ...], tuple[InputRead, ...]] = {}
        # The text of the latest analysis and its declarations' texts by range_key().
        self._last_data: bytes | None = None
        self._last_texts: dict[int, bytes] = {}
        # What the latest analysis leaves for the next one to take over (see cached_pass).
        self.previous: PreviousAnalysis | None = None
        self.hits = 0
        self.misses = 0

    def text_of(self, decl: Node) -> bytes:
        """The declaration's bytes, as the one object kept for equal texts."""
        text = decl.text or b""
        return self._texts.setdefault(text, text)

    def facts(self, decl: Node, path: str, text: bytes | None = None, index_of: IndexOf | None = None) -> DeclFacts:
        """Package facts of ``decl``, kept by text (invariant 2: never with syntax errors)."""
        if decl.has_error:
            return decl_facts(decl, path, index_of)
        key = self.text_of(decl) if text is None else text
        self._used.facts.add(key)
        cached = self._facts.get(key)
        if cached is None:
            cached = self._facts[key] = decl_facts(decl, path, index_of)
            self._outlines.pop(key, None)  # the full facts serve as the outline from now on
        return cached

    def outline(self, decl: Node, path: str, text: bytes | None = None, index_of: IndexOf | None = None) -> DeclFacts:
        """``package.decl_outline`` of ``decl``, kept by text like ``facts`` (whose full facts
        serve as the outline when kept)."""
        if decl.has_error:
            return decl_outline(decl, path, index_of)
        key = self.text_of(decl) if text is None else text
        self._used.facts.add(key)
        full = self._facts.get(key)
        if full is not None:
            return full
        cached = self._outlines.get(key)
        if cached is None:
            cached = self._outlines[key] = decl_outline(decl, path, index_of)
        return cached

    def summary(self, name: object, decl: Node, compute: Callable[[Node], Any], text: bytes | None = None) -> Any:
        """``compute(decl)``, kept by (name, declaration text); see FileContext.decl_summary."""
        if decl.has_error:
            return compute(decl)
        key = (name, self.text_of(decl) if text is None else text)
        self._used.summaries.add(key)
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
                self.previous = None
            token = self._suffixes[suffix] = len(self._suffixes)
        return token

    def texts_for(self, data: bytes) -> DeclTexts:
        return DeclTexts(self, data, self._last_data, self._last_texts)

    def forget_tree(self) -> None:
        """Stop keeping the previous analysis's tree (the document released its own)."""
        if self.previous is not None:
            self.previous.ids = self.previous.tree = None

    def remember_texts(self, texts: DeclTexts) -> None:
        """``texts`` become the previous texts of the next analysis."""
        self._last_data, self._last_texts = texts.data, texts.now

    def lookup(self, key: tuple[bytes, int], ctx: FileContext) -> CacheEntry | None:
        """The entry of ``key`` if every file input it recorded still holds in ``ctx``."""
        self._used.findings.add(key)
        found = self._findings.get(key)
        if found is not None and all(read.holds(ctx) for read in found.inputs):
            self.hits += 1
            return found
        self.misses += 1
        return None

    def interned(self, inputs: tuple[InputRead, ...]) -> tuple[InputRead, ...]:
        """The one kept tuple equal to ``inputs`` (see ``_inputs``)."""
        if not inputs:
            return ()
        return self._inputs.setdefault(inputs, inputs)

    def store(self, key: tuple[bytes, int], entry: CacheEntry) -> None:
        self._findings.pop(key, None)  # re-inserted: now the newest
        self._findings[key] = entry

    def finish_analysis(self) -> None:
        """Trim each table to what this analysis used plus ``max_entries`` older entries."""
        trimmed = False
        used = self._used
        tables: tuple[tuple[dict[Any, Any], set[Any]], ...] = (
            (self._findings, used.findings), (self._facts, used.facts), (self._outlines, used.facts),
            (self._summaries, used.summaries))
        for table, keys in tables:
            excess = len(table) - len(keys) - self.max_entries
            if excess > 0:
                trimmed = True
                for key in [key for key in table if key not in keys][:excess]:
                    del table[key]
        used.clear()
        if len(self._inputs) > 4 * self.max_entries:
            self._inputs.clear()  # only a sharing aid: tuples already kept stay valid
        if trimmed or len(self._texts) > 4 * self.max_entries + len(self._facts):
            kept = ({key[0] for key in self._findings} | self._facts.keys() | self._outlines.keys()
                    | {key[1] for key in self._summaries})
            self._texts = {text: text for text in self._texts if text in kept}


_OFFSET_MASK = (1 << 32) - 1


def range_key(node: Node) -> int:
    """(start, end, kind) of a node packed into one int: one small object per declaration
    in the server's memory instead of a tuple of three. Files stay far below 4 GiB."""
    return (node.start_byte << 48) | (node.end_byte << 16) | node.kind_id


class DeclTexts:
    """The declarations' texts of one analysed text, for the cache keys.

    Taking a declaration's text means copying and hashing its bytes, for every declaration
    on every keystroke. Instead, the bytes shared with the previously analysed text are
    found (common prefix and suffix, compared with memcmp), and a declaration lying wholly
    inside them reuses the previous analysis's text object of the same range and kind: the
    same bytes, already hashed. Only declarations touching the edit are read again.
    """

    def __init__(self, cache: DeclCache, data: bytes, previous_data: bytes | None,
                 previous_texts: dict[int, bytes]) -> None:
        self._cache = cache
        self.data = data
        self.previous_data = previous_data
        self._previous = previous_texts
        self.now: dict[int, bytes] = {}
        # With no previous text, everything changed.
        self.region = (0, 0, len(data)) if previous_data is None else changed_region(previous_data, data)
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
                text = self._cache.text_of(decl)
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

    def outline(self, decl: Node, path: str, index_of: IndexOf | None = None) -> DeclFacts:
        return self._cache.outline(decl, path, self.text(decl), index_of)

    def summary(self, name: object, decl: Node, compute: Callable[[Node], Any]) -> Any:
        return self._cache.summary(name, decl, compute, self.text(decl))


# -- one declaration ------------------------------------------------------------------------------
def _within(findings: Iterable[Finding], start: int, end: int) -> bool:
    """Whether every offset a finding carries lies inside [start, end] (safe to shift)."""
    for finding in findings:
        offsets = [finding.start, finding.end, *finding.line_refs]
        offsets += [x for r in finding.related for x in (r.start, r.end)]
        offsets += [x for f in finding.fixes for e in f.edits for x in (e.start, e.end)]
        if any(not start <= offset <= end for offset in offsets):
            return False
    return True


def check_declaration(rules: Sequence[Rule], ctx: FileContext, decl: Node,
                      failures: RuleFailures) -> tuple[tuple[Finding, ...], tuple[InputRead, ...]]:
    """Run ``rules`` on ``decl`` afresh: its findings and the file inputs they read."""
    ctx.record_reads()
    try:
        findings = run_rules(rules, ctx, decl, failures)
    finally:
        reads = ctx.recorded_reads()
    if not reads:
        return findings, ()
    # One InputRead per input and analysis (its value cannot change within one), shared
    # by the declarations that read it: made and hashed once, not once per declaration.
    made: dict[tuple[str, bytes | None], InputRead] = ctx.memo("engine.input-reads", dict)
    inputs = []
    for name, (compute, needle) in reads.items():
        read = made.get((name, needle))
        if read is None:
            read = made[(name, needle)] = InputRead(name, compute, ctx.input_value(name, compute), needle)
        inputs.append(read)
    return findings, tuple(inputs)


def _declaration_outcome(rules: Sequence[Rule], ctx: FileContext, decl: Node, cache: DeclCache,
                         key: tuple[bytes, int], line_of: Callable[[int], int], failures: RuleFailures) -> Outcome:
    """The declaration's outcome, from the cache or by running the rules."""
    if decl.has_error:  # invariant 2: never cached by text (invariant 8: reused as the same node)
        findings, inputs = check_declaration(rules, ctx, decl, failures)
        if failures.any_of(rules) or not _within(findings, decl.start_byte, decl.end_byte):
            return Outcome(findings, (), False, False)
        return Outcome(findings, cache.interned(inputs), False)
    hit = cache.lookup(key, ctx)
    if hit is not None:
        delta = decl.start_byte - hit.start
        # shifted() also redoes quoted line numbers when only lines moved (delta == 0)
        findings = tuple(f.shifted(delta, line_of) for f in hit.findings)
        return CLEAN if not findings and not hit.inputs else Outcome(findings, hit.inputs, True)
    ctx.remember_decl_text(decl, key[0])
    findings, inputs = check_declaration(rules, ctx, decl, failures)
    inputs = cache.interned(inputs)
    # Invariant 4: never cache a result some rule did not contribute to (a rule that failed
    # or was cancelled on this or an earlier declaration), nor findings that cannot shift.
    if failures.any_of(rules) or not _within(findings, decl.start_byte, decl.end_byte):
        return Outcome(findings, (), False, False)
    cache.store(key, CacheEntry(decl.start_byte, findings, inputs))
    return CLEAN if not findings and not inputs else Outcome(findings, inputs, True)


# -- the whole file ---------------------------------------------------------------------------------
def cached_pass(rules: list[Rule], ctx: FileContext, cache: DeclCache, token: int, texts: DeclTexts,
                failures: RuleFailures) -> list[Finding]:
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
    previous = cache.previous
    span = _reusable_span(previous, token, texts, starts, ends, kinds)
    if previous is None or span is None:
        outcomes: list[Outcome] = [CLEAN] * count
        todo: list[int] = list(range(count))
        candidates: Iterable[int] = todo
    else:
        if previous.own_facts is not None:
            ctx.reuse_own_facts(previous.own_facts, span.prefix, span.suffix)
        if previous.own_outline is not None:
            ctx.reuse_own_outline(previous.own_outline, span.prefix, span.suffix)
        outcomes, todo, candidates = _take_over(previous, ctx, span, count)
        cache.hits += count - len(todo)  # taken over: as good as a cache hit
    line_of = ctx.src.line_of
    broken = ctx.src.root.has_error
    same_nodes = previous.ids if previous is not None and previous.token == token and broken else None
    for index in todo:
        decl = top[index]
        reused = _same_node_outcome(previous, same_nodes, decl, ctx) if same_nodes else None
        outcomes[index] = reused if reused is not None else _declaration_outcome(
            rules, ctx, decl, cache, (texts.text(decl), token), line_of, failures)
    notable = sorted({index for index in candidates if outcomes[index] is not CLEAN})
    assert len(outcomes) == count  # invariant 5
    cache.previous = PreviousAnalysis(ctx.src.data, token, starts, ends, kinds, outcomes, notable,
                                      ctx.computed_own_facts, own_outline=ctx.computed_own_outline)
    if broken:
        # Only nodes with errors are looked up (_same_node_outcome); broken text can have
        # thousands of error-free top-level fragments, whose ids would only take memory.
        cache.previous.ids = {node.id: index for index, node in enumerate(top) if node.has_error}
        cache.previous.tree = ctx.src.tree
    if _debug_checks and not failures.failed:
        _assert_equal_to_a_fresh_pass(rules, ctx, outcomes)
    return [finding for index in notable for finding in outcomes[index].findings]


def _same_node_outcome(previous: PreviousAnalysis | None, same_nodes: dict[int, int], decl: Node,
                       ctx: FileContext) -> Outcome | None:
    """The previous outcome of ``decl`` if it has syntax errors and is the very node the
    previous analysis checked (invariant 8), its inputs unchanged; else None."""
    if previous is None or not decl.has_error:
        return None
    old = same_nodes.get(decl.id)
    if old is None:
        return None
    outcome = previous.outcomes[old]
    if not outcome.complete or not all(read.holds(ctx) for read in outcome.inputs):
        return None
    delta = decl.start_byte - previous.starts[old]
    line_of = ctx.src.line_of
    return Outcome(tuple(finding.shifted(delta, line_of) for finding in outcome.findings), outcome.inputs, False)


def _reusable_span(previous: PreviousAnalysis | None, token: int, texts: DeclTexts, starts: list[int],
                   ends: list[int], kinds: list[int]) -> ReusableSpan | None:
    """The declarations unchanged since ``previous``; None when nothing can be reused (first
    analysis, other rules or file-wide facts, or declarations regrouped by the parser)."""
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
    # Invariant 5: the parser's error recovery can regroup declarations far from an edit.
    if (starts[:prefix] != previous.starts[:prefix] or ends[:prefix] != previous.ends[:prefix]
            or kinds[:prefix] != previous.kinds[:prefix]):
        return None
    if suffix and (kinds[count - suffix:] != previous.kinds[old_count - suffix:]
                   or starts[count - suffix:] != [start + delta for start in previous.starts[old_count - suffix:]]
                   or ends[count - suffix:] != [end + delta for end in previous.ends[old_count - suffix:]]):
        return None
    return ReusableSpan(prefix, suffix, delta)


def _take_over(previous: PreviousAnalysis, ctx: FileContext, span: ReusableSpan,
               count: int) -> tuple[list[Outcome], list[int], list[int]]:
    """Outcomes of the unchanged declarations, from ``previous``; the indexes still to check
    (the edited region, and declarations whose file inputs changed or whose outcome was not
    reusable); and the indexes whose outcome may be notable."""
    prefix, suffix, delta = span.prefix, span.suffix, span.delta
    old_count = len(previous.outcomes)
    moved = count - old_count  # index shift of the trailing declarations
    outcomes = previous.outcomes[:prefix] + [CLEAN] * (count - prefix - suffix) + \
        previous.outcomes[old_count - suffix:]
    todo = list(range(prefix, count - suffix))
    candidates = list(todo)
    line_of = ctx.src.line_of
    changed = _changed_texts(previous, ctx, span)
    # Whether each distinct inputs tuple (by identity: DeclCache.interned shares them) holds.
    verdicts: dict[int, bool] = {}
    for old_index in previous.notable:
        if prefix <= old_index < old_count - suffix:
            continue  # in the edited region: re-checked anyway
        index = old_index if old_index < prefix else old_index + moved
        outcome = previous.outcomes[old_index]
        candidates.append(index)
        inputs = outcome.inputs
        holds = True
        if inputs:
            holds = verdicts.get(id(inputs))  # type: ignore[assignment]
            if holds is None:
                holds = verdicts[id(inputs)] = _inputs_hold(ctx, inputs, changed)
        if not outcome.reusable or not holds:
            todo.append(index)
        elif index >= prefix and outcome.findings:
            # shifted() also redoes line numbers quoted in messages when lines moved
            outcomes[index] = Outcome(tuple(finding.shifted(delta, line_of) for finding in outcome.findings),
                                      outcome.inputs, True)
    return outcomes, todo, candidates


def _changed_texts(previous: PreviousAnalysis, ctx: FileContext, span: ReusableSpan) -> tuple[bytes, bytes]:
    """The text between the unchanged leading and trailing declarations, before and after."""
    prefix, suffix = span.prefix, span.suffix
    old, new = previous.data, ctx.src.data
    old_count, count = len(previous.starts), len(ctx.top_level)
    old_text = old[previous.ends[prefix - 1] if prefix else 0 : previous.starts[old_count - suffix] if suffix else len(old)]
    top = ctx.top_level
    new_text = new[top[prefix - 1].end_byte if prefix else 0 : top[count - suffix].start_byte if suffix else len(new)]
    return old_text, new_text


def _inputs_hold(ctx: FileContext, inputs: tuple[InputRead, ...], changed: tuple[bytes, bytes]) -> bool:
    """Whether recorded file inputs still have their values (invariant 3)."""
    old_text, new_text = changed
    return all((read.needle is not None and read.needle not in old_text and read.needle not in new_text)
               or read.holds(ctx) for read in inputs)


def _assert_equal_to_a_fresh_pass(rules: list[Rule], ctx: FileContext, outcomes: list[Outcome]) -> None:
    """Debug check: every declaration's findings equal a fresh run of the rules."""
    for decl, outcome in zip(ctx.top_level, outcomes):
        fresh = run_rules(rules, ctx, decl, RuleFailures())
        assert fresh == outcome.findings, (
            f"incremental findings of the declaration at byte {decl.start_byte} differ from a fresh check:\n"
            f"  incremental: {outcome.findings}\n  fresh:       {fresh}")
