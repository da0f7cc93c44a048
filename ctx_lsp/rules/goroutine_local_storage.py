"""goroutine-local-storage: obtaining a goroutine identity to key per-goroutine state."""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.syntax import FUNCTION_KINDS, call_arguments, enclosing_function, unparen, walk
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.rules._corpora import fresh_review

Node = tree_sitter.Node

ID = "goroutine-local-storage"

# Modules that hand out goroutine IDs or goroutine-local storage. Packages below them
# (github.com/huandu/go-tls/g, github.com/timandy/routine/g) count too.
LIBRARIES = (
    "github.com/petermattis/goid",
    "github.com/jtolds/gls",
    "github.com/timandy/routine",
    "github.com/huandu/go-tls",
    "github.com/modern-go/gls",
    "github.com/go-eden/routine",
    "github.com/cloudwego/localsession",
    "github.com/kortschak/goroutine",
)

# Pull targets, with what each one gives access to (quoted in the message).
LINKNAME_TARGETS: dict[str, str] = {
    "runtime.getg": "the current goroutine's runtime g structure",
    "runtime.getm": "the current thread's runtime m structure, the way to its running goroutine",
    "runtime.runtime_getProfLabel": "the per-goroutine profiler labels",
    "runtime.runtime_setProfLabel": "the per-goroutine profiler labels",
    "runtime/pprof.runtime_getProfLabel": "the per-goroutine profiler labels",
    "runtime/pprof.runtime_setProfLabel": "the per-goroutine profiler labels",
    "reflect.typelinks": "the runtime's type tables, which goroutine-local storage libraries search "
                         "for the runtime g type",
    "reflect.resolveTypeOff": "runtime type data, which goroutine-local storage libraries use to decode "
                              "the runtime g type",
}

STACK_FUNCTIONS = frozenset({("runtime", "Stack"), ("runtime/debug", "Stack")})

# The header of every trace is "goroutine <id> [<status>]:"; parsers search for its prefix.
_HEADER_PREFIX = frozenset({"goroutine "})  # not "goroutine": the pprof profile name
_HEADER_FORMAT = re.compile(r"^goroutine %")  # a Sscanf format; Printf formats only print
# Names that give the purpose away: goroutineSpace/goroutinePrefix (the header prefix kept in
# a variable), and a function named getGoroutineID/curGoroutineID/goid doing the parsing.
_HEADER_NAME = re.compile(r"goroutine_?(?:space|prefix|header)", re.IGNORECASE)
_ID_FUNCTION_NAME = re.compile(r"goroutine_?id|go_?id$", re.IGNORECASE)
_STRING_KINDS = frozenset({"interpreted_string_literal", "raw_string_literal"})

NO_GLS = "Go has no goroutine IDs or goroutine-local storage by design (Go FAQ)"
INSTEAD = "pass a context.Context or explicit state to the code that needs it instead"
LINKER = (
    "since Go 1.23 the linker rejects pull linknames to standard-library internals unless the "
    "standard library marks them as allowed (a list kept only for existing users), so this can "
    "stop building with any Go release"
)


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    kind = decl.type
    if kind == "import_declaration":
        yield from _check_imports(ctx, decl)
    elif kind == "comment":
        # Most files have many top-level comments and no directive: test the bytes first.
        if ctx.src.data.startswith(b"//go:linkname", decl.start_byte):
            finding = _check_linkname(ctx, decl)
            if finding is not None:
                yield finding
    else:
        if kind == "function_declaration" and b"getg" in ctx.decl_text(decl):  # its name
            finding = _check_getg(ctx, decl)
            if finding is not None:
                yield finding
        if ctx.src.data.find(b"Stack", decl.start_byte, decl.end_byte) >= 0:
            yield from _check_stack_parsing(ctx, decl)


# -- imports ----------------------------------------------------------------------------------


def library_of(path: str) -> str | None:
    for library in LIBRARIES:
        if path == library or path.startswith(library + "/"):
            return library
    return None


def _check_imports(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    for spec in walk(decl):
        if spec.type != "import_spec":
            continue
        path_node = spec.child_by_field_name("path")
        if path_node is None:
            continue
        path = ctx.src.text(path_node).strip("\"`")
        if library_of(path) is None:
            continue
        yield Finding(
            rule=ID, start=spec.start_byte, end=spec.end_byte,
            message=(f"import of {path}, a library that gives goroutines IDs or goroutine-local storage: "
                     f"{NO_GLS}, and such libraries read runtime internals that change between Go "
                     f"releases; {INSTEAD}"),
        )


# -- //go:linkname ----------------------------------------------------------------------------


def linkname_target(comment: str) -> tuple[str, str] | None:
    """(local name, target) of a two-argument ``//go:linkname`` directive, else None.
    Text after a further ``//`` on the line (an explanatory comment) is ignored."""
    if not comment.startswith("//go:linkname"):
        return None
    fields = comment[len("//go:linkname"):].split("//", 1)[0].split()
    if comment[len("//go:linkname"):][:1] not in (" ", "\t") or len(fields) != 2:
        return None
    return fields[0], fields[1]


def _check_linkname(ctx: FileContext, comment: Node) -> Finding | None:
    parsed = linkname_target(ctx.src.text(comment))
    if parsed is None:
        return None
    local, target = parsed
    what = LINKNAME_TARGETS.get(target)
    if what is None:
        return None
    function = ctx.package.functions.get(local)
    if function is not None and function.has_body:
        return None  # a push: this package implements the symbol and publishes it
    return Finding(
        rule=ID, start=comment.start_byte, end=comment.end_byte,
        message=(f"//go:linkname pulls {target}, a standard-library internal that exposes {what}: {NO_GLS}; "
                 f"{LINKER}; {INSTEAD}"),
    )


# -- body-less getg ---------------------------------------------------------------------------


def _check_getg(ctx: FileContext, decl: Node) -> Finding | None:
    name = decl.child_by_field_name("name")
    if name is None or name.text != b"getg" or decl.child_by_field_name("body") is not None:
        return None
    if ctx.package_name == "runtime":
        return None  # the runtime's own compiler-intrinsic stub
    return Finding(
        rule=ID, start=decl.start_byte, end=decl.end_byte,
        message=(f"body-less func getg reads the runtime's current goroutine pointer (from assembly or a "
                 f"linkname): {NO_GLS}, and code that reads runtime structures depends on layouts that "
                 f"change between Go releases; {INSTEAD}"),
    )


# -- runtime.Stack parsing --------------------------------------------------------------------


def _check_stack_parsing(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    if ctx.package_name in ("runtime", "runtime_test"):
        return  # the runtime testing its own trace format
    for node in walk(decl):
        if node.type != "call_expression":
            continue
        ref = ctx.call_ref(node)
        if ref not in STACK_FUNCTIONS or not _current_goroutine_only(node, ref):
            continue
        scope = enclosing_function(node) or decl
        if not _looks_for_header(ctx, scope):
            continue
        package = "debug" if ref[0] == "runtime/debug" else "runtime"
        yield Finding(
            rule=ID, start=node.start_byte, end=node.end_byte,
            message=(f'{package}.Stack output is parsed for the "goroutine N" header to get a goroutine '
                     f"ID: Go has no goroutine IDs by design (Go FAQ); parsing traces is slow and their "
                     f"format is not an API; {INSTEAD}"),
        )


def _current_goroutine_only(call: Node, ref: tuple[str, str]) -> bool:
    """``debug.Stack()`` and ``runtime.Stack(buf, false)`` trace the calling goroutine only;
    ``runtime.Stack(buf, true)`` dumps every goroutine (a leak check or a debug dump)."""
    if ref[0] == "runtime/debug":
        return True
    arguments = call_arguments(call)
    return len(arguments) == 2 and unparen(arguments[1]).type == "false"


def _looks_for_header(ctx: FileContext, scope: Node) -> bool:
    name = scope.child_by_field_name("name") if scope.type in FUNCTION_KINDS else None
    if name is not None and _ID_FUNCTION_NAME.search(ctx.src.text(name)):
        return True
    for node in walk(scope):
        kind = node.type
        if kind in _STRING_KINDS:
            content = _string_content(ctx, node)
            if content in _HEADER_PREFIX or (_HEADER_FORMAT.match(content) and _is_scan_argument(ctx, node)):
                return True
        elif kind in ("identifier", "field_identifier"):
            if _HEADER_NAME.search(ctx.src.text(node)):
                return True
    return False


def _is_scan_argument(ctx: FileContext, literal: Node) -> bool:
    """The literal is an argument of a ``...Sscanf``/``Fscanf``-style call."""
    arguments = literal.parent
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    function = call.child_by_field_name("function") if call is not None else None
    if function is None:
        return False
    if function.type == "selector_expression":
        function = function.child_by_field_name("field") or function
    return "scan" in ctx.src.text(function).lower()


def _string_content(ctx: FileContext, literal: Node) -> str:
    text = ctx.src.text(literal)
    return text[1:-1] if len(text) >= 2 else ""


DOC = """\
# goroutine-local-storage: obtaining a goroutine identity to key per-goroutine state

Reports the ways Go code obtains a goroutine's identity in order to keep per-goroutine
("thread-local") state:

1. an import of a goroutine-ID / goroutine-local storage library, or of any package below
   it: `github.com/petermattis/goid`, `github.com/jtolds/gls`, `github.com/timandy/routine`,
   `github.com/huandu/go-tls` (and `/g`), `github.com/modern-go/gls`,
   `github.com/go-eden/routine`, `github.com/cloudwego/localsession`,
   `github.com/kortschak/goroutine`. Range: the import spec.

       import of github.com/petermattis/goid, a library that gives goroutines IDs or
       goroutine-local storage: Go has no goroutine IDs or goroutine-local storage by design
       (Go FAQ), and such libraries read runtime internals that change between Go releases;
       pass a context.Context or explicit state to the code that needs it instead

2. `runtime.Stack(buf, false)` or `debug.Stack()` in a function that also looks for the
   trace header `goroutine N [status]:` — the string `"goroutine "` (as used with
   `TrimPrefix`, `HasPrefix`, `len(...)`...), a scan format such as `"goroutine %d"` passed to a
   `...Sscanf`-style call, a variable named like `goroutineSpace`/`goroutinePrefix`/
   `goroutineHeader` — or a function whose own name says it (`curGoroutineID`,
   `getGoroutineID`, `goid`). The function is the innermost function declaration or literal
   around the call. Range: the Stack call.

       runtime.Stack output is parsed for the "goroutine N" header to get a goroutine ID: Go
       has no goroutine IDs by design (Go FAQ); parsing traces is slow and their format is not
       an API; pass a context.Context or explicit state to the code that needs it instead

3. a two-argument `//go:linkname local target` directive that pulls `runtime.getg`,
   `runtime.getm`, `runtime_getProfLabel`/`runtime_setProfLabel` (in `runtime` or
   `runtime/pprof`), `reflect.typelinks` or `reflect.resolveTypeOff`. Range: the directive.

       //go:linkname pulls runtime.getm, a standard-library internal that exposes the current
       thread's runtime m structure, the way to its running goroutine: Go has no goroutine
       IDs or goroutine-local storage by design (Go FAQ); since Go 1.23 the linker rejects
       pull linknames to standard-library internals unless the standard library marks them
       as allowed (a list kept only for existing users), so this can stop building with any
       Go release; pass a context.Context or explicit state to the code that needs it instead

   Reflection libraries (modern-go/reflect2, used by json-iterator) pull `reflect.typelinks`
   for type lookup rather than goroutine identity; their directive is reported too, since the
   linker restriction applies to it all the same.

4. a body-less `func getg()` declaration (implemented in assembly or by linkname) outside the
   runtime itself. Range: the declaration.

## Why it matters

- The Go FAQ ("Why is there no goroutine ID?"): goroutines are anonymous on purpose and
  expose no unique identifier, name or data structure to the programmer. No release's API
  lists a goroutine-ID function; `runtime.Goid` exists only in the runtime's own tests.
- Every hack depends on internals: the trace header format (parsing it is slow, and a
  `Stack(buf, true)` call stops the world), hand-copied `g` struct layouts that must be
  updated for each release (Go 1.25 removed a field from the runtime's `gobuf`, forcing
  goid libraries to ship a new layout), or linknames.
- Go 1.23's linker rejects `//go:linkname` references to standard-library internal symbols
  that are not themselves marked with a linkname (`-checklinkname=0` turns the check off for
  debugging only). The runtime kept a list of linknames that widely used modules already
  pulled, so some targets still link today, but the list is an allowance for existing code,
  not an API.
- Per-goroutine state silently breaks when work moves to another goroutine (a worker pool,
  `errgroup`, an HTTP handler that starts a goroutine): the new goroutine has a different
  ID and none of the state. The runtime's only per-goroutine user data are profiler labels,
  which new goroutines inherit and which are for profiling, not storage.

## What to do instead

Pass a `context.Context` (for request-scoped values, deadlines and cancellation) or an
explicit parameter/struct down the call chain. For profiling, use `pprof.Do` /
`pprof.SetGoroutineLabels`.

## Not reported

- `runtime.Stack(buf, true)`: a dump of every goroutine (diagnostics, leak checks counting
  `"goroutine "` headers) asks how many goroutines exist, not which one is running; and a
  `runtime.Stack(buf, all)` whose second argument is not the literal `false`;
- `runtime.Stack`/`debug.Stack` in functions that do not look for the header (logging a
  panic's stack, writing a dump); prose or Printf formats that start with the word
  (`"goroutine %d panicked"`, `"goroutine report"`); the profile name `"goroutine"`;
- the runtime's own tests of its trace format (packages `runtime` and `runtime_test`);
- a Stack call whose result is parsed in another function (only a function that does both
  is recognised; the libraries themselves are caught at their import sites);
- one-argument `//go:linkname name` (marks a local symbol, pulls nothing), pushes (the local
  function has a body in the package and is published under the target name, as the runtime
  does for `runtime_getProfLabel` and `reflect.typelinks`), and linknames to other internals
  (`runtime.nanotime`...);
- `getg` with a body, methods named `getg`, and the runtime package's own `getg` stub.

## Precision review

`ctx-lsp check --select goroutine-local-storage` over the same 19,044 files as
context-in-struct's review (the Go 1.19 standard library and 40 repositories; vendor, testdata
and generated files skipped). The development set deliberately includes eight goroutine-ID /
goroutine-local storage libraries (petermattis/goid, jtolds/gls, timandy/routine,
huandu/go-tls, modern-go/gls, go-eden/routine, cloudwego/localsession,
kortschak/goroutine) so that every kind of hack occurs.

24 findings, all reviewed, **24 agreed (100%)**: 22 inside those libraries (imports of their
own packages, body-less `getg` stubs, pulls of `runtime.getm`, `reflect.typelinks`,
`reflect.resolveTypeOff` and `runtime/pprof.runtime_[gs]etProfLabel`, and their tests parsing
`runtime.Stack` to cross-check IDs), and two in ordinary code: go-redis's `curGoroutineID`
(used by its auto-pipeliner) and go-zero's debug-only `RoutineId`. The standard library has
one more instance, `http2curGoroutineID` for debug lock checks, in the generated
`net/http/h2_bundle.go` (reported when generated files are included).

Before the runtime's own packages were exempted, `runtime/stack_test.go`'s check of the
header format was reported (disagreed); a traceback test program in `runtime/testdata` that
parses goroutine IDs and a `runtime.getm` pull in another runtime test program are reported
when testdata directories are checked explicitly. Nothing outside these libraries, go-redis
and go-zero was reported in the other 30 repositories.
"""
DOC += fresh_review("""\
No findings on these 12,998 files.
""")

RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="goroutine identity obtained to key per-goroutine state",
    doc=DOC,
    url="https://go.dev/doc/faq#no_goroutine_id",
    check=check,
    # Prefilter: every finding needs a Stack call of runtime or runtime/debug, a linkname
    # directive, a func named getg, or an import of a library (sub)package by its path.
    imports=frozenset({"runtime", "runtime/debug"}),
    linkname=True,
    comments=True,  # //go:linkname directives are top-level comments
    needles=frozenset({b"getg", *(library.encode() for library in LIBRARIES)}),
    exports=exports_of("runtime", "runtime/debug"),
)
