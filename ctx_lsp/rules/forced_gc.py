"""forced-gc: runtime.GC(), debug.FreeOSMemory() and debug.SetGCPercent(-1) in non-test files.

Forcing or disabling collection is usually a workaround for depending on finalizer timing
or for a mis-measured leak. Calls made to take a measurement (the same function reads
memory statistics or writes a heap profile) and collection switched off together with a
memory limit (the documented GOGC=off + GOMEMLIMIT setup) are not reported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine import gomod
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.package import register_fact_call_names
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.syntax import FUNCTION_KINDS, ancestors, call_arguments, unparen, walk
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.knowledge.finalizer_calls import unary_operand
from ctx_lsp.rules._corpora import FINALIZER_REVIEW_CORPUS, fresh_review

Node = tree_sitter.Node

ID = "forced-gc"
GC = ("runtime", "GC")
FREE_OS_MEMORY = ("runtime/debug", "FreeOSMemory")
SET_GC_PERCENT = ("runtime/debug", "SetGCPercent")
SET_MEMORY_LIMIT = ("runtime/debug", "SetMemoryLimit")
# Calls showing that a forced collection is there to make a measurement current.
MEASUREMENTS = frozenset({
    ("runtime", "ReadMemStats"), ("runtime", "MemProfile"), ("runtime/pprof", "WriteHeapProfile"),
    ("runtime/pprof", "Lookup"), ("runtime/debug", "WriteHeapDump"), ("runtime/debug", "ReadGCStats"),
    ("runtime/metrics", "Read"),
})

# Callee names that show a measurement whatever package or wrapper provides them.
MEASUREMENT_NAMES = frozenset({"ReadMemStats", "MemProfile", "WriteHeapProfile", "WriteProfileTo",
                               "WriteHeapDump", "ReadGCStats"})
HEAP_PROFILES = frozenset({'"heap"', '"allocs"'})
MOBILE_SYSTEMS = frozenset({"ios", "android"})
# Words of identifiers and strings: runs of capitals (GC in callGC, GCPercent), capitalised or
# lower-case words, digits.
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")

MESSAGES = {
    GC: ("runtime.GC forces a full collection and blocks the caller until it completes, but it does not wait "
         "for finalizers or cleanups to run: if this waits for them, release the resource explicitly instead; "
         "otherwise let the GC pace itself (tune it with GOGC or GOMEMLIMIT)"),
    FREE_OS_MEMORY: ("debug.FreeOSMemory forces a full collection and then returns as much memory to the "
                     "operating system as it can, which the runtime already does gradually in the background: "
                     "if memory keeps growing, find what retains it with a heap profile, and cap the heap with "
                     "GOMEMLIMIT (debug.SetMemoryLimit) instead"),
}
SET_GC_PERCENT_MESSAGE = ("debug.SetGCPercent({}) disables garbage collection unless the memory limit is reached, "
                          "so garbage and real leaks pile up alike: keep the collector on; to collect less often "
                          "raise GOGC, or bound memory with GOMEMLIMIT (debug.SetMemoryLimit)")

DOC = """\
# forced-gc: forcing or disabling garbage collection

Reported (information) in files not ending in `_test.go`:

- `runtime.GC()`;
- `debug.FreeOSMemory()`;
- `debug.SetGCPercent(-1)` (any negative integer literal).

Range: the call. Renamed and dot imports are recognised; a local variable named `runtime`
or `debug` is not the package.

## Why it matters

Forcing or disabling collection in production code is usually a workaround: for code that
depends on finalizers running (they may never run, and `runtime.GC` does not wait for them),
or for a memory "leak" measured without a heap profile. The deliberate uses this rule can
recognise are listed under "Not reported"; for the rest, the information-level note asks
for a second look.

- `runtime.GC` runs a full collection and blocks the caller until it completes; it may block
  the whole program. It **does not wait for finalizers or cleanups** (`runtime.GC` in `runtime/mgc.go`):
  they run later on their own goroutine(s), if at all. A loop of `runtime.GC()` waiting for a
  finalizer is timing-dependent by construction.
- `debug.FreeOSMemory` forces a collection and returns as much memory to the operating
  system as possible; the runtime already returns memory gradually in the background.
  If memory grows, something retains it: a heap profile shows what. To bound memory, set a
  limit (`GOMEMLIMIT`, `debug.SetMemoryLimit`, Go 1.19+).
- `debug.SetGCPercent(-1)` "effectively disables garbage collection, unless the memory limit
  is reached" (the `debug.SetGCPercent` documentation): without a limit, every leak and all
  garbage accumulate for as long as the process runs. It does not fix premature collection of
  anything: reachable objects are never collected.

## What to do instead

Release resources explicitly (`Close`, `Stop`, `cancel`) instead of waiting for
finalizers; find leaks with `pprof` heap profiles; tune the collector with `GOGC` and
`GOMEMLIMIT` rather than driving it by hand.

## Not reported

- `_test.go` files: tests legitimately force collections (to check that something is freed).
- A `runtime.GC()` or `debug.FreeOSMemory()` in a function (the innermost function literal
  or declaration, nested literals included) that also calls `runtime.ReadMemStats`,
  `runtime.MemProfile`, `pprof.WriteHeapProfile`, `pprof.Lookup`, `debug.WriteHeapDump`,
  `debug.ReadGCStats` or `metrics.Read`: collecting first makes heap statistics current,
  as the `runtime/pprof` documentation shows (`runtime.GC() // get up-to-date statistics`).
- `debug.SetGCPercent(-1)` in a function that also calls `debug.SetMemoryLimit`: collection
  off with a memory limit is the documented way to collect only near the limit.
- `debug.SetGCPercent` with a non-negative or non-constant argument.
- Collections someone asks for by name: the enclosing function is named after GC (`gcHandler`,
  `forceGC`), an enclosing `if` tests something named after GC (`if callGC`, `if gc > 0`,
  `if opts.gcBetweenRuns`), or the function literal holding the call is passed next to a
  string naming it (`mux.HandleFunc("/debug/gc", ...)`). "GC" must be a word of the name:
  `msgCount` does not count.
- Heap measurements through helpers: a call named `ReadMemStats`, `WriteHeapProfile`,
  `WriteProfileTo`... on any receiver, a package function whose body makes such a call (from
  the package facts), or a call with a `"heap"`/`"allocs"` profile name argument.
- Files in a `testdata` directory of a Go module (fixtures and test programs; the go tool
  ignores them).
- Code built only for iOS/Android (`_ios.go`/`_android.go` files, a `//go:build` line naming
  only those systems, or an `if runtime.GOOS == "ios"` guard): mobile systems kill processes
  under memory pressure, so returning memory promptly is deliberate there.
- Function values that are not called (`f := runtime.GC`).

## Precision review

""" + FINALIZER_REVIEW_CORPUS + """

- 8 findings, all reviewed: **7 true positives, 1 false positive (7/8, below the 9/10
  target)**.
  - True positives:
    - cmd/compile's noder calls `runtime.GC()` in a loop, waiting for a finalizer;
    - go-gst examples force collections so that finalizers run (4 findings);
    - hugo forces a collection after evicting a site;
    - restic forces one "to reset the garbage collection threshold".
  - The last two are judgement calls: manual pacing after dropping a large object graph.
  - False positive: esbuild's `main` calls `SetGCPercent(-1)` on purpose for one-shot builds,
    a documented speed trade-off.
- Before the exclusions above, about 35 more calls were reported, all deliberate:
  - net/http/pprof's `?gc=1`, gopls/tailscale debug endpoints, and the ssa interpreter's
    implementation of `runtime.GC`;
  - reflect's test hooks;
  - testing's benchmark harness, and profile writers in cmd/compile, cmd/link, testing and
    fzf;
  - cmd/trace's memory reporting;
  - runtime test programs under testdata;
  - fyne's and tailscale's mobile memory handling.
- The exclusions were designed from these same corpora. On six further repositories held out
  from that work (esbuild, golangci-lint, nats-server, go-zero, k6, caddy), the only finding
  was the esbuild false positive.
"""
DOC += fresh_review("""\
3 information findings, **1 agreed**: istio's leak checker calls `runtime.GC()` in a retry
loop waiting for a cleanup to run (timing-dependent by construction). Disagreed: istio's
ctrlz `PUT /forcecollection` debug endpoint (the endpoint-name exemption only knows "gc" as a
word) and argo-workflows' supervisor, which calls `debug.FreeOSMemory()` after dropping the
pre-main heap, with its reason written beside it. With 8 of 11 agreed over both reviews
(73%) the rule is a hint: shown with `minSeverity = "hint"`, not by default.
""")


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    text = ctx.decl_text(decl)
    if b"GC" not in text and b"FreeOSMemory" not in text and b"SetGCPercent" not in text:
        return
    if ctx.is_test_file or _in_testdata(ctx.path) or _mobile_only_file(ctx):
        return
    for call in walk(decl):
        if call.type != "call_expression":
            continue
        ref = ctx.call_ref(call)
        if ref in MESSAGES:
            assert ref is not None
            function = _innermost_function(call, decl)
            if not _measures(ctx, function) and not _requested(ctx, call, function, decl) \
                    and not _mobile_guarded(ctx, call, function):
                yield Finding(ID, call.start_byte, call.end_byte, MESSAGES[ref])
        elif ref == SET_GC_PERCENT:
            percent = _negative_constant(ctx, call)
            function = _innermost_function(call, decl)
            if percent is not None and not _calls_memory_limit(ctx, function):
                yield Finding(ID, call.start_byte, call.end_byte, SET_GC_PERCENT_MESSAGE.format(percent))


def _in_testdata(path: str) -> bool:
    """Files in a ``testdata`` directory of a Go module are test fixtures (the go tool ignores
    such directories). Outside any module (ctx-lsp's own testdata) the rule still applies."""
    go_mod = gomod.find_go_mod(path) if path else None
    if go_mod is None:
        return False
    relative = os.path.relpath(os.path.abspath(path), os.path.dirname(go_mod))
    return "testdata" in relative.split(os.sep)[:-1]


def _mobile_only_file(ctx: FileContext) -> bool:
    """A file built only for iOS/Android (file name suffix or ``//go:build`` line): mobile
    systems kill processes under memory pressure, so returning memory promptly is deliberate."""
    name = os.path.basename(ctx.path)
    if name.endswith(("_ios.go", "_android.go")):
        return True
    text = ctx.build_constraint  # computed once per file, and part of the cache's facts key
    if text.startswith("//go:build "):
        terms = set(re.findall(r"[A-Za-z0-9_.]+", text[len("//go:build "):]))
        return "!" not in text and bool(terms) and terms <= MOBILE_SYSTEMS
    return False


def _mobile_guarded(ctx: FileContext, call: Node, function: Node) -> bool:
    """``if runtime.GOOS == "ios" { ... }`` around the call (see :func:`_mobile_only_file`)."""
    for ancestor in ancestors(call):
        if ancestor == function:
            break
        if ancestor.type != "if_statement":
            continue
        condition = ancestor.child_by_field_name("condition")
        if condition is None:
            continue
        mentions_goos = any(ctx.pkg_ref(n) == ("runtime", "GOOS") for n in walk(condition)
                            if n.type == "selector_expression")
        names_mobile = any(n.type == "interpreted_string_literal" and ctx.src.text(n).strip('"') in MOBILE_SYSTEMS
                           for n in walk(condition))
        if mentions_goos and names_mobile:
            return True
    return False


def _innermost_function(node: Node, decl: Node) -> Node:
    for ancestor in ancestors(node):
        if ancestor.type in FUNCTION_KINDS:
            return ancestor
    return decl


def _callee_name(function: Node | None) -> str | None:
    if function is None:
        return None
    function = unparen(function)
    if function.type == "identifier":
        return (function.text or b"").decode("utf-8", "surrogateescape")
    if function.type == "selector_expression":
        field = function.child_by_field_name("field")
        return (field.text or b"").decode("utf-8", "surrogateescape") if field is not None else None
    return None


def _measures(ctx: FileContext, scope: Node) -> bool:
    """Whether ``scope`` reads memory statistics or writes a heap profile, directly, through
    a call named like that (``m.deps.WriteProfileTo``), or through a package function whose
    body does (one level, from the package facts)."""
    measuring_functions = {facts.name for facts in ctx.package.functions.values()
                           if not facts.calls.isdisjoint(MEASUREMENT_NAMES)}
    for node in walk(scope):
        if node.type != "call_expression":
            continue
        if ctx.call_ref(node) in MEASUREMENTS:
            return True
        name = _callee_name(node.child_by_field_name("function"))
        if name is not None and (name in MEASUREMENT_NAMES or name in measuring_functions):
            return True
        if any(argument.type == "interpreted_string_literal" and ctx.src.text(argument) in HEAP_PROFILES
               for argument in call_arguments(node)):
            return True  # pprof.Lookup("heap"), writeProfile("allocs", f)...
    return False


def _calls_memory_limit(ctx: FileContext, scope: Node) -> bool:
    return any(node.type == "call_expression" and ctx.call_ref(node) == SET_MEMORY_LIMIT for node in walk(scope))


def _requested(ctx: FileContext, call: Node, function: Node, decl: Node) -> bool:
    """Whether the collection is a feature someone asks for by name: the enclosing declared
    function is named after GC (``gcHandler``, ``forceGC``), an enclosing ``if`` tests
    something named after GC (``if callGC``, ``if gc > 0``), or the function literal holding
    the call is registered next to a string naming it (``HandleFunc("/gc", ...)``)."""
    if decl.type in ("function_declaration", "method_declaration"):
        name = decl.child_by_field_name("name")
        if name is not None and _names_gc(ctx.src.text(name)):
            return True
    for ancestor in ancestors(call):
        if ancestor == function:
            break
        if ancestor.type == "if_statement":
            condition = ancestor.child_by_field_name("condition")
            if condition is not None and any(
                    n.type in ("identifier", "field_identifier") and _names_gc(ctx.src.text(n))
                    for n in walk(condition)):
                return True
    if function.type == "func_literal" and function.parent is not None \
            and function.parent.type == "argument_list":
        for sibling in function.parent.named_children:
            if sibling.type in ("interpreted_string_literal", "raw_string_literal") \
                    and _names_gc(ctx.src.text(sibling)):
                return True
    return False


def _names_gc(text: str) -> bool:
    """Whether ``gc`` is one of the words of an identifier or string (callGC, gc_percent,
    "/debug/gc"); not a substring of another word (msgCount, logcfg)."""
    return "gc" in (word.lower() for word in _WORDS.findall(text))


def _negative_constant(ctx: FileContext, call: Node) -> str | None:
    """The text of a negative integer literal argument (``-1``), else None."""
    arguments = call_arguments(call)
    if len(arguments) != 1:
        return None
    argument = unparen(arguments[0])
    operand = unary_operand(argument, b"-")
    if operand is None or unparen(operand).type != "int_literal":
        return None
    return " ".join(ctx.src.text(argument).split())



register_fact_call_names(MEASUREMENT_NAMES)  # the names this rule reads from package facts

RULE = Rule(
    id=ID,
    severity=Severity.HINT,  # 8 of 11 agreed over both reviews (73%): opt-in
    title="forced or disabled garbage collection",
    doc=DOC,
    url="https://go.dev/doc/gc-guide",
    check=check,
    decl_needles=(b"GC", b"FreeOSMemory"),  # check's first test
    imports=frozenset({"runtime", "runtime/debug"}),
    # reads the file's //go:build line, which FileContext.base_key covers: cacheable
    exports=exports_of("runtime", "runtime/debug"),
)
