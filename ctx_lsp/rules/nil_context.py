"""nil-context: ``nil`` passed where a function expects a ``context.Context``."""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.syntax import call_arguments, callee_expression, unparen
from ctx_lsp.knowledge.context_functions import (STDLIB_CONTEXT_FIRST, STDLIB_CONTEXT_METHODS, context_call_text,
                                                 own_context_first_functions, sibling_context_first_functions)
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES
from ctx_lsp.knowledge.exports import exports_of

Node = tree_sitter.Node

ID = "nil-context"

_CONSTRUCTOR_NAMES = ("WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline",
                      "WithDeadlineCause", "WithValue", "WithoutCancel")
# What a nil context does in the callee, where the Go 1.19 sources say it (the rest use the
# context and panic with a nil-pointer dereference when they do).
CONSEQUENCES: dict[tuple[str, str], str] = {
    **{(path, name): 'panics with "cannot create context from nil parent"'
       for path in CONTEXT_PACKAGES for name in _CONSTRUCTOR_NAMES},
    ("os/signal", "NotifyContext"): 'panics with "cannot create context from nil parent"',
    ("golang.org/x/sync/errgroup", "WithContext"): 'panics with "cannot create context from nil parent"',
    ("os/exec", "CommandContext"): 'panics with "nil Context"',
    ("net/http", "NewRequestWithContext"): 'returns the error "net/http: nil Context" and no request',
}
_CERTAIN = frozenset(CONSEQUENCES.values())
GENERIC_CONSEQUENCE = ("panics with a nil-pointer dereference as soon as it calls a method of the context "
                       "(the standard library's methods do)")
SAME_PACKAGE_CONSEQUENCE = ("gets a context on which any method call (Done, Err, Value) panics with a nil-pointer "
                            "dereference; the context package says never to pass nil, even where a function "
                            "permits it")

DOC = """\
# nil-context: nil passed as a context.Context

Reported in files not ending in `_test.go`: a call whose first argument is `nil` where the
callee's first parameter is a `context.Context`. Callees recognised without type information:

- the standard library's context-taking functions: `context.WithCancel`, `WithCancelCause`,
  `WithTimeout`, `WithTimeoutCause`, `WithDeadline`, `WithDeadlineCause`, `WithValue`,
  `WithoutCancel`, `AfterFunc`, `Cause`; `signal.NotifyContext`; `http.NewRequestWithContext`;
  `exec.CommandContext`; `errgroup.WithContext`; `runtime/trace` (`NewTask`, `WithRegion`,
  `StartRegion`, `Log`, `Logf`); `runtime/pprof` (`Do`, `SetGoroutineLabels`, `WithLabels`,
  `Label`, `ForLabels`); `log/slog` (`DebugContext`... `Log`, `LogAttrs`);
  `httptrace.WithClientTrace`, `httptrace.ContextClientTrace` (renamed and dot imports too);
- methods named like the standard library's context-taking methods, whatever the receiver
  (its type is unknown without type information): `QueryContext`, `QueryRowContext`,
  `ExecContext`, `PrepareContext`, `PingContext`, `BeginTx` (database/sql), `DialContext`
  (net, crypto/tls), `HandshakeContext` (crypto/tls), `WithContext` (`*http.Request`);
- functions of the same package (this file and its sibling files) whose first parameter is
  declared `context.Context`, generic ones too (`run[int](nil, x)`).

Range: the `nil`. Severity: warning where the Go sources show the call fails (the context
constructors, `signal.NotifyContext`, `errgroup.WithContext`, `exec.CommandContext`,
`http.NewRequestWithContext`); information for the other callees, which may check for nil
themselves (see the precision review).

## Why it matters

A nil `Context` is not an empty one: calling any of its methods panics. In the Go 1.19
sources, `context.WithCancel(nil)` and every other constructor of a derived context panic
with "cannot create context from nil parent" (so do `signal.NotifyContext(nil, ...)` and
`errgroup.WithContext(nil)`, which call them), `exec.CommandContext(nil, ...)` panics with
"nil Context", and `http.NewRequestWithContext(nil, ...)` returns the error "net/http: nil
Context". Other callees panic with a nil-pointer dereference the first time they call
`ctx.Done()`, `ctx.Err()` or `ctx.Value(...)` (unless they check for nil first), which may
be far from the call, on a rare path, or in another goroutine. The context package's
documentation says: "Do not pass a nil Context, even if a function permits it. Pass
context.TODO if you are unsure about which Context to use."

## What to do instead

Pass the caller's context when there is one; otherwise `context.TODO()` (a placeholder
that says a real context should be plumbed here later) or `context.Background()` (at the
top of a program, in `main`, `init` and tests). The quick fix replaces `nil` with
`context.TODO()` (spelled as the file imports the context package); it is offered only in
files that import `context` or `golang.org/x/net/context`.

## Not reported

- `_test.go` files: tests pass nil on purpose to check that a function tolerates it (every
  finding of the precision review was such a test, see below).
- `nil` in another position than the first argument (the convention puts the context first;
  staticcheck's SA1012 checks the first parameter too).
- Methods of the package's own types (the receiver's type is unknown without type
  information) unless named as above; functions of other packages of the module (ctx-lsp
  reads one package at a time). A name ending in `Context` says nothing by itself:
  `NewSecurityContext(user)` and minio's `RetrieveWithCredContext(credContext)` take other
  things (both were reported by a first version of this rule, see the review).
- Conversions such as `(func(context.Context))(nil)`, and method expressions such as
  `(*T).Foo(nil)` where `nil` is the receiver.
- A `nil` first argument written on the line after the opening parenthesis: the rule looks
  only at files and declarations containing `(nil`, which keeps it cheap.
- A local variable or parameter holding nil (`var ctx context.Context; f(ctx)`): only the
  literal `nil` is recognised.
- Sibling files are read from disk: in the editor, unsaved changes to another open file of
  the package are seen once saved.

## Compared with staticcheck SA1012

SA1012's test cases are reproduced in `testdata/nil-context/sa1012_cases.go` (in our own
words): a same-package function with a context first is reported, one with the context second
is not, conversions and method expressions are not, generic functions with explicit or
inferred type arguments are. Deliberate differences: SA1012 uses type information, so it
also sees methods of any type and functions of other packages; ctx-lsp sees the standard
library's methods by name only. SA1012 offers `context.TODO` and `context.Background`; ctx-lsp
offers `context.TODO()` only (Background states that no caller context should ever flow
here, which the fix cannot know).

## Precision review

Corpora (stored snapshots, vendor directories left out): moby/moby (2,203 files),
goharbor/harbor (1,578), helm/helm (539), dgraph-io/dgraph (582), seaweedfs/seaweedfs
(2,878), juicedata/juicefs (315), hashicorp/packer (504), aquasecurity/trivy (1,624),
moby/buildkit (1,009), cortexproject/cortex (967), grafana/tempo (978), anchore/syft
(1,190): 14,367 files, and the Go 1.19 standard library (`/usr/lib/go-1.19/src`).

- No finding in non-test files, in the twelve repositories and the standard library alike.
- Before test files were left out (first seven repositories): 6 findings, all read,
  **0 agreed (0/6)**: harbor's `context_test.go` (`GetAPIVersion(nil)`, `GetXRequestID(nil)`)
  and `router_test.go` (`Param(nil, "key")`, under a `// nil context` comment), seaweedfs's
  tests (`shouldInvalidateConnection(nil, err)` twice, `listedEntriesFrom(nil)`). Each calls
  a same-package function whose first parameter is a `context.Context` and which checks
  `ctx == nil` first; each test checks exactly that tolerance. SA1012 reports them (the context
  package says not to pass nil "even if a function permits it"); ctx-lsp does not, since the
  nil is the point of the test.
- A first version also took any callee whose name ends in `Context`. It added 41 findings:
  3 false positives (harbor's `local.NewSecurityContext(nil)` takes a user; a dgraph method
  `RetrieveWithCredContext(nil)` from minio-go takes a `*CredContext`; a seaweedfs method
  `buildPredicateWithContext` takes an expression) and 38 calls of harbor's
  `orm.NewContext(nil, ...)` in tests, a function of another package that replaces nil with
  `context.Background()`. The name convention was dropped for the fixed method list above.
- Severity: the review has no default-visible finding to measure precision on. Warning
  only where the failure is certain from the Go sources (the callees listed under "Range");
  every other finding (same-package functions, methods known by name) is information,
  since the only such findings reviewed (above) were callees that tolerate nil. The rule
  matters mostly while typing, before a nil reaches a run.
"""


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    text = ctx.decl_text(decl)
    if b"(nil" not in text or ctx.is_test_file:
        return
    for call in ctx.nodes_of_kind(decl, "call_expression"):
        arguments = call_arguments(call)
        if not arguments or unparen(arguments[0]).type != "nil":
            continue
        callee = _callee(ctx, call)
        if callee is None:
            continue
        nil = unparen(arguments[0])
        yield _finding(ctx, nil, *callee)


def _callee(ctx: FileContext, call: Node) -> tuple[str, str] | None:
    """(how the message names the callee, what nil does there), or None when the callee is
    not known to take a context first."""
    function = callee_expression(call)
    if function is None:
        return None
    ref = ctx.pkg_ref(function)
    if ref is not None:
        if ref in STDLIB_CONTEXT_FIRST:
            return f"{ref[0].rsplit('/', 1)[-1]}.{ref[1]}", CONSEQUENCES.get(ref, GENERIC_CONSEQUENCE)
        return None
    if function.type == "selector_expression":
        field = function.child_by_field_name("field")
        name = ctx.src.text(field) if field is not None else ""
        if name in STDLIB_CONTEXT_METHODS:
            return name, GENERIC_CONSEQUENCE
        return None
    if function.type == "identifier" and not ctx.is_local(function):
        name = ctx.src.text(function)
        if name in own_context_first_functions(ctx) or name in sibling_context_first_functions(ctx):
            return name, SAME_PACKAGE_CONSEQUENCE
    return None


def _finding(ctx: FileContext, nil: Node, callee: str, consequence: str) -> Finding:
    message = (f"nil passed as the context.Context of {callee}, which {consequence}: pass the caller's "
               "context, or context.TODO() if there is none yet")
    replacement = context_call_text(ctx, "TODO")
    fixes: tuple[Fix, ...] = ()
    if replacement is not None:
        fixes = (Fix(f"Replace nil with {replacement}", (TextEdit(nil.start_byte, nil.end_byte, replacement),),
                     preferred=True),)
    # Certain failures (read in the callee's source) are warnings; elsewhere the callee may
    # tolerate nil (every reviewed same-package finding did), so the note is information.
    severity = None if consequence in _CERTAIN else Severity.INFORMATION
    return Finding(ID, nil.start_byte, nil.end_byte, message, severity=severity, fixes=fixes)


RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="nil passed as a context.Context",
    doc=DOC,
    url="https://pkg.go.dev/context",
    check=check,
    decl_needles=(b"(nil",),  # check's first test
    # Same-package callees need no import in the calling file. `(nil`: the first argument as
    # gofmt writes it (a first argument on the next line is not seen: a documented limit).
    needles=frozenset({b"(nil"}),
    exports=exports_of("context", "golang.org/x/net/context", "os/signal", "net/http", "os/exec",
                       "golang.org/x/sync/errgroup", "runtime/trace", "runtime/pprof", "log/slog",
                       "net/http/httptrace"),
)
