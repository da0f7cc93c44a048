"""finalizer-resource: a finalizer or cleanup that releases a non-memory resource.

The callback is followed into function literals (inline or held in a local variable),
functions declared in the package files and method expressions/values (through the package
facts' call names). Severity drops to information when the finalized type, or a package
struct that holds it (os.File holds *os.file), has an exported Close/Release/Stop/Shutdown
method: the callback is then a safety net.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.package import FunctionFacts, register_fact_call_names
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.syntax import targets_and_values, unparen, walk
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.knowledge.finalizer_calls import (
    RELEASE_API_METHODS,
    SET_FINALIZER,
    Callback,
    Registration,
    base_type_name,
    literal_parameters,
    object_type_name,
    registrations,
    release_api,
    resolve_callback,
    short_text,
)
from ctx_lsp.knowledge.finalizer_checks import self_reference
from ctx_lsp.rules._corpora import FINALIZER_REVIEW_CORPUS, fresh_review

Node = tree_sitter.Node

ID = "finalizer-resource"

# Lower-cased names of calls that release something; the order decides which one a message
# quotes when a function's facts list several.
RELEASE_NAMES: tuple[str, ...] = ("close", "shutdown", "stop", "release", "cancel", "unlock", "runlock",
                                  "free", "destroy", "disconnect", "flush")
FILE_REMOVERS = frozenset({("os", "Remove"), ("os", "RemoveAll")})
CANCEL_TYPES = frozenset({("context", "CancelFunc"), ("context", "CancelCauseFunc")})
CANCEL_CONSTRUCTORS = frozenset(
    [("context", n) for n in ("WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause",
                              "WithDeadline", "WithDeadlineCause")]
    + [("os/signal", "NotifyContext")]
)
UNLOCK_PAIRS = {"Unlock": "Lock", "RUnlock": "RLock"}

DOC = """\
# finalizer-resource: a finalizer or cleanup releases a non-memory resource

`runtime.SetFinalizer` or `runtime.AddCleanup` whose callback closes, stops, flushes,
unlocks, cancels, frees or deletes something the garbage collector knows nothing about.

Reported (warning) when the callback — a function literal (inline or held in a local
variable), a function declared in the package's files, or a method expression/value —
calls a method or function named, case-insensitively, `Close`, `Shutdown`, `Stop`,
`Release`, `Cancel`, `Unlock`, `RUnlock`, `Free`, `Destroy`, `Disconnect` or `Flush`
(`syscall.Close`, `unix.Close`, `C.free` included); `os.Remove`/`os.RemoveAll`; a context
cancel function (a local assigned from `context.With*`/`signal.NotifyContext`, or a struct
field declared as `context.CancelFunc`/`CancelCauseFunc`). Range: the SetFinalizer or
AddCleanup call.

Severity drops to **information** when the finalized type has an explicit release method in
the package, or is held (embedded or as a field) by a package struct that has one (the
layout of `os.File`, whose finalizer sits on the inner `*os.file`). The callback is then a
safety net behind an explicit API, and the message names that method. Release methods are
`Close`, `Release`, `Stop`, `Shutdown`, `Free`, `Destroy` and `Dispose`, exported or not (an
internal type's API is unexported). Exported methods are preferred, the type's own before
its holders'. The type is taken from a method callback's receiver, the finalizer's parameter,
the registered object (`&T{}`, `new(T)`, a variable declared with or built from `T`) and, for
AddCleanup, the type of the released `arg`.

A method expression of another package's type (`(*os.File).Close`, `(*zstd.Decoder).Close`)
is recognised by the method's name alone (that package's source is not read): a release
name reports it, and a release API name (`Close`, `Stop`...) is that type's explicit API,
so the finding is information ("as a safety net for os.File.Close").

## What happens at run time

(The `runtime.SetFinalizer` and `runtime.AddCleanup` documentation, and the Go GC guide's
section on finalizers and cleanups.)

- The GC decides when finalizers and cleanups run; it paces itself by Go heap growth and
  cannot see file descriptors, sockets, locks or C memory, so a program can run out of them
  long before a collection happens.
- Finalizers and cleanups are **not guaranteed to run**, and do **not** run before the
  program exits: a finalizer that flushes a `bufio.Writer` loses the data at exit (the
  runtime documentation's own example), one that removes a temporary file leaves it behind.
- A single goroutine runs all finalizers, one after another; a slow or blocking release
  delays every other finalizer in the program. (Cleanups run on that queue too in Go 1.24 and
  may run concurrently from Go 1.25.)
- An object in a reference cycle with a finalizer may never be collected, so its finalizer
  never runs.

The Go GC guide's advice: release non-memory resources deterministically, with an explicit
`Close`, and use finalizers or cleanups only as a best-effort fallback, as `os.File` does.

## What to do instead

Give the type an explicit `Close` (or `Stop`, `Release`...) and make callers `defer` it:

```go
c, err := Dial(addr)
if err != nil { return err }
defer c.Close()
```

Keep a finalizer only as a leak detector that logs (or panics in tests) when an object is
collected without having been closed; if it must also release, keep the explicit method and
accept that the fallback may never run. `Close` should disarm the finalizer
(`runtime.SetFinalizer(x, nil)`) or the cleanup (`Cleanup.Stop`).

## Not reported

- A callback that only logs, counts or panics (a leak detector).
- The builtin `close(ch)`: closing a channel to stop a helper goroutine is a signal, not the
  release of an operating-system resource.
- `Unlock`/`RUnlock` on a mutex the callback itself locked first (bookkeeping under a lock).
- Methods called `Remove`/`RemoveAll` other than `os.Remove`/`os.RemoveAll`: they usually
  delete an in-memory entry.
- In functions followed through package facts (not function literals): a lowercase `close`
  (it cannot be told from the builtin), `Remove`/`RemoveAll` (the package cannot be told),
  and calls inside function literals of that function.
- Callbacks of unknown value (parameters, fields, functions of other packages).
- A callback that keeps its own object reachable (finalizer-self-reference): it never runs
  at all, which that rule reports as an error.

## Precision review

""" + FINALIZER_REVIEW_CORPUS + """

- 86 findings: 85 information, 1 warning. Most resource-releasing finalizers in maintained
  code are safety nets behind an explicit API, and are reported as such.
- Reviewed 11 (every eighth finding, plus the only warning): **11 true positives**. Examples:
  net's `(*netFD).Close` and os's `(*file).close` behind `File.Close`, git2go's
  `(*Blame).Free`, wasmtime-go's `Close` safety nets. The warning is a wazero example whose
  finalizer closes a module instance of a type with no release method.
- Changes made during the review:
  - unexported release methods count as explicit API (ebiten's internal types);
  - `Free`/`Destroy`/`Dispose` count as release API names (git2go), so these findings are
    information, not warnings;
  - for AddCleanup, the type of the released `arg` is checked too;
  - generated files are skipped (go-gst's generated bindings would add about a hundred
    `C.free` findings).
"""
DOC += fresh_review("""\
7 findings, **7 agreed (100%)**: 3 warnings in istio (a network namespace closed only by the
finalizer when its pod leaves a cache, and two `os.File`s of istioctl's analyzer closed only
by finalizers) and 4 information findings in moby, method-expression finalizers
(`(*containerFSView).Close`, `(*Journal).Close` twice, `(*sharedFileReader).Close`) that
are safety nets behind a `Close` the callers are expected to use.
""")


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    for registration in registrations(ctx, decl):
        callback = resolve_callback(ctx, registration.callback, registration.call)
        released = _released(ctx, callback)
        if released is None or self_reference(ctx, registration) is not None:
            continue  # a self-referencing callback never runs: finalizer-self-reference says so
        yield _finding(ctx, registration, callback, released)


def _finding(ctx: FileContext, registration: Registration, callback: Callback, released: str) -> Finding:
    noun = registration.noun
    call = registration.call
    api = _release_api_for(ctx, registration, callback)
    if api is not None:
        owner, method = api
        message = (f"the {noun} releases a resource (calls {released}) as a safety net for {owner}.{method}, "
                   f"but it may run late or never and does not run at program exit: callers must still call "
                   f"{method} (with defer); consider making the {noun} only log the leak")
        return Finding(ID, call.start_byte, call.end_byte, message, severity=Severity.INFORMATION)
    message = (f"the {noun} releases a resource (calls {released}), but the GC decides when {noun}s run, "
               f"they may never run, and they do not run at program exit: release it with an explicit Close "
               f"that callers defer, and keep the {noun} only as a leak detector that logs")
    return Finding(ID, call.start_byte, call.end_byte, message)


def _release_api_for(ctx: FileContext, registration: Registration, callback: Callback) -> tuple[str, str] | None:
    """The explicit release method that makes the callback a safety net: on the receiver of a
    method callback, the type the finalizer receives, the registered object's type, or (for
    AddCleanup) the type of the arg the cleanup receives and releases."""
    if callback.kind == "imported_method_expression" and callback.receiver_type is not None \
            and callback.name in RELEASE_API_METHODS:
        return callback.receiver_type, callback.name  # (*os.File).Close: the type's own release API
    candidates: list[str | None] = []
    if callback.kind in ("method_expression", "method_value"):
        candidates.append(callback.receiver_type)
    parameter_type = None
    if callback.kind == "literal" and callback.literal is not None:
        parameters, _ = literal_parameters(callback.literal)
        if len(parameters) == 1:
            parameter_type = base_type_name(parameters[0][1])
    if registration.api == SET_FINALIZER:
        candidates.append(parameter_type)
    candidates.append(object_type_name(ctx, registration.obj))
    if registration.api != SET_FINALIZER:
        candidates.append(parameter_type)
    for candidate in candidates:
        api = release_api(ctx, candidate)
        if api is not None:
            return api
    return None


# -- what the callback releases -------------------------------------------------------------
def _released(ctx: FileContext, callback: Callback) -> str | None:
    """A description of the first release call the callback makes, or None."""
    if callback.kind == "literal" and callback.literal is not None:
        body = callback.literal.child_by_field_name("body")
        return _release_in_body(ctx, body) if body is not None else None
    if callback.kind == "imported_method_expression":
        # Another package's method: only its name is known without that package's source.
        return short_text(ctx, callback.node) if callback.name.lower() in RELEASE_NAMES else None
    if callback.kind in ("method_expression", "method_value"):
        shown = short_text(ctx, callback.node)
        if callback.name.lower() in RELEASE_NAMES:
            return shown
        inner = _release_in_facts(callback.facts)
        return f"{shown}, which calls {inner}" if inner is not None else None
    if callback.kind == "function":
        if callback.name.lower() in RELEASE_NAMES:
            return callback.name
        inner = _release_in_facts(callback.facts)
        return f"{callback.name}, which calls {inner}" if inner is not None else None
    return None


def _release_in_facts(facts: FunctionFacts | None) -> str | None:
    if facts is None:
        return None
    candidates = []
    for name in facts.calls:
        lowered = name.lower()
        if lowered not in RELEASE_NAMES or name == "close":
            continue  # a lowercase close may be the builtin on a channel
        if name in UNLOCK_PAIRS and UNLOCK_PAIRS[name] in facts.calls:
            continue
        candidates.append((RELEASE_NAMES.index(lowered), name))
    return min(candidates)[1] if candidates else None


def _release_in_body(ctx: FileContext, body: Node) -> str | None:
    calls = [node for node in walk(body) if node.type == "call_expression"]
    locked = _locked_operands(ctx, calls)
    for call in calls:
        released = _release_call(ctx, call, locked)
        if released is not None:
            return released
    return None


def _locked_operands(ctx: FileContext, calls: list[Node]) -> set[tuple[str, str]]:
    """(operand text, method) of every ``x.Lock()``/``x.RLock()`` in the callback."""
    locked = set()
    for call in calls:
        function = call.child_by_field_name("function")
        if function is None or function.type != "selector_expression":
            continue
        operand = function.child_by_field_name("operand")
        field = function.child_by_field_name("field")
        if operand is not None and field is not None and field.text in (b"Lock", b"RLock"):
            locked.add((ctx.src.text(operand), ctx.src.text(field)))
    return locked


def _release_call(ctx: FileContext, call: Node, locked: set[tuple[str, str]]) -> str | None:
    function = call.child_by_field_name("function")
    if function is None:
        return None
    function = unparen(function)
    if function.type == "identifier":
        return _release_identifier(ctx, function)
    if function.type != "selector_expression":
        return None
    field = function.child_by_field_name("field")
    operand = function.child_by_field_name("operand")
    if field is None or operand is None:
        return None
    name = ctx.src.text(field)
    shown = short_text(ctx, function)
    ref = ctx.pkg_ref(function)
    if ref is not None:
        if ref in FILE_REMOVERS or name.lower() in RELEASE_NAMES:
            return shown
        return None
    if name in UNLOCK_PAIRS and (ctx.src.text(operand), UNLOCK_PAIRS[name]) in locked:
        return None
    if name.lower() in RELEASE_NAMES or _is_cancel_field(ctx, name):
        return shown
    return None


def _release_identifier(ctx: FileContext, ident: Node) -> str | None:
    name = ctx.src.text(ident)
    local = ctx.is_local(ident)
    if name.lower() in RELEASE_NAMES:
        if name == "close" and not local and "close" not in ctx.package.functions:
            return None  # the builtin close on a channel
        return name
    if local and _is_cancel_local(ctx, ident):
        return name
    ref = ctx.pkg_ref(ident)  # dot imports
    if ref is not None and (ref in FILE_REMOVERS or name.lower() in RELEASE_NAMES):
        return name
    return None


def _is_cancel_field(ctx: FileContext, name: str) -> bool:
    for fields in ctx.package_outline.structs.values():
        for field in fields:
            if field.name == name and field.type_text.split(".")[-1] in ("CancelFunc", "CancelCauseFunc"):
                return True
    return False


def _is_cancel_local(ctx: FileContext, ident: Node) -> bool:
    """A local declared as a context.CancelFunc, or the second result of context.With*."""
    written = ctx.declared_type_of(ident)
    if written is not None:
        return ctx.pkg_ref(written) in CANCEL_TYPES
    decl = ctx.resolve(ident)
    if decl is None:
        return False
    holder = decl.ident.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else holder
    if statement is None:
        return False
    if statement.type not in ("var_spec", "short_var_declaration"):
        return False
    targets, values = targets_and_values(statement)
    if len(targets) != 2 or len(values) != 1 or targets[1].start_byte != decl.ident.start_byte:
        return False
    return ctx.call_ref(unparen(values[0])) in CANCEL_CONSTRUCTORS



register_fact_call_names([*RELEASE_NAMES, *UNLOCK_PAIRS, *UNLOCK_PAIRS.values()])  # the names this rule reads from package facts

RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="finalizer or cleanup releases a non-memory resource",
    doc=DOC,
    url="https://go.dev/doc/gc-guide#Finalizers_cleanups_and_weak_pointers",
    check=check,
    decl_needles=(b"SetFinalizer", b"AddCleanup"),  # check's first test
    imports=frozenset({"runtime"}),
    exports=exports_of("runtime", "context", "os", "os/signal", "syscall"),
)
