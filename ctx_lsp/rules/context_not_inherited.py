"""context-not-inherited: context.Background()/TODO() passed on while the function has a
context at hand, so the callee's work ignores the caller's cancellation and deadline."""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import (ASSIGNMENTS_ONLY, FUNCTION_KINDS, is_left_hand, path_between,
                                   targets_and_values, unparen)
from ctx_lsp.knowledge.context_at_hand import ContextAtHand, context_at_hand
from ctx_lsp.knowledge.context_functions import context_package_name
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES
from ctx_lsp.knowledge.text import compact
from ctx_lsp.knowledge.versions import CONTEXT_AFTER_FUNC, at_least
from ctx_lsp.knowledge.exports import exports_of

Node = tree_sitter.Node

ID = "context-not-inherited"
ROOT_NAMES = frozenset({"Background", "TODO"})
ROOTS = frozenset((path, name) for path in CONTEXT_PACKAGES for name in ROOT_NAMES)
# Calls whose function-literal argument runs after the context at hand is done.
_CLEANUP_REGISTRARS = frozenset({"Cleanup", "AfterFunc"})
# Words of a nearby comment that show the new root is a deliberate choice.
_EXPLAINING_WORDS = (b"background", b"cancel", b"detach", b"outlive", b"independent")
_COMMENT_LINES_ABOVE = 3
_AT_HAND = {
    "context": "the context parameter {}",
    "request": "the request's context {}",
    "testing": "the test's context {}",
}

DOC = """\
# context-not-inherited: a new root context where the caller's is at hand

Reported: inside a function that has a context at hand, a call receives
`context.Background()` or `context.TODO()`, directly (`f(context.Background())`,
`context.WithTimeout(context.TODO(), d)`) or through a local initialised from one and then
passed to a call (`c := context.Background(); f(c)`).

A context is at hand when the function, or an enclosing function whose parameters a function
literal captures, has a parameter of type `context.Context`, an `r *http.Request` parameter
(`r.Context()`), or, in modules at go 1.24 or later, a `*testing.T`, `*testing.B`,
`*testing.F` or `testing.TB` parameter (`t.Context()`). The parameter must be visible at the
call (not shadowed) and named (not `_`).

Range: the `context.Background()`/`context.TODO()` call. Severity: information; hint when
the context at hand is a test's `t.Context()` (a root context in a test mostly costs nothing:
the test ends anyway).

## Why it matters

A context carries the caller's cancellation, deadline and values down the call chain. A new
root breaks the chain: the callee's requests, queries and goroutines keep running after the
caller gave up (the client went away, the deadline passed, the server shuts down), and the
values the caller attached (trace ids, credentials) are gone. An incoming server request's
context is canceled when the client's connection closes or `ServeHTTP` returns; a
`context.Background()` is never canceled.

## What to do instead

Pass the context at hand (the first quick fix). The fix passes the parameter; if the
function derived a context from it (`c, cancel := context.WithTimeout(ctx, d)`), passing
that one may be what you want. Where the work must outlive the caller on
purpose (an audit record written after the request, a cleanup after cancellation), and the
module is at go 1.21 or later, pass `context.WithoutCancel(ctx)` (the second quick fix): it
keeps the caller's values but is never canceled, so it can never be stopped either (bound
it with `context.WithTimeout` if it may block). Otherwise suppress the finding with a
comment saying why the work is detached.

## Not reported

- Functions with no context at hand; `main` and `init` (they have no parameters).
- Calls inside a `defer` statement (a deferred function literal included) and inside a
  function literal passed to `Cleanup` or `AfterFunc`: cleanup code often runs when the
  context at hand is already canceled, and a fresh context is how it gets time to finish.
- Calls after the function waits for the context at hand to be done (a `<-ctx.Done()`
  receive earlier in the same function): the context is already canceled there, and a
  fresh one is how shutdown code gets time (`srv.Shutdown(context.WithTimeout(context.
  Background(), ...))`).
- A call with a comment on one of the three lines above it that mentions
  "background", "cancel", "detach", "outlive" or "independent": the comment explains a
  deliberate detachment ("use context.Background() so the upload completes even if the
  request is cancelled"). Prefer `context.WithoutCancel` there (go 1.21+): it keeps values.
- A root context that is returned, stored in a field or a global, or sent on a channel: no
  call receives it here. A local initialised from a root and reassigned elsewhere.
- `context.Background()` passed to a function literal's parameter when the literal is the
  function being called (`func(c context.Context) {...}(context.Background())`) counts as a
  call like any other.

## Compared with contextcheck

contextcheck (golangci-lint) reports two things: a non-inherited new context passed on
(this rule), and a call of a function that creates its own context without taking one
("Function `f3` should pass the context parameter", found by following calls across
functions). ctx-lsp does not report the second: it needs the callee's body (possibly in
another package) and type information. The cases of contextcheck's test file reproduced in
`testdata/context-not-inherited/contextcheck_cases.go` (in our own words): `f2(context.
Background())` in a function with a context parameter, a reassigned `ctx = context.
Background()` then passed (contextcheck reports it at the call or at the assignment; ctx-lsp
at the `Background()` call), `r.Context()` available in a handler or a handler literal, a
`// nolint`-style suppression (ctx-lsp's own `//ctx-lsp:ignore` comment), generic functions
and methods of generic types, and the `OK` cases (passing ctx, deriving with `WithValue` or a
helper). Differences: the `f3`/`f6->f3` cases are not reported (above); contextcheck's
`@contextcheck(req_has_ctx)` annotation has no equivalent (not needed: only calls receiving a
root context are reported).

## Precision review

Corpora (stored snapshots, vendor directories left out): moby/moby (2,203 files),
goharbor/harbor (1,578), helm/helm (539), dgraph-io/dgraph (582), seaweedfs/seaweedfs
(2,878), juicedata/juicefs (315), hashicorp/packer (504); 8,599 files.

- 4,289 findings. 4,157 have a test's `t.Context()` at hand (modules at go 1.24+: moby,
  seaweedfs...): they are hints, not reviewed one by one; a root context in a test is mostly
  harmless and `t.Context()` is a modernisation (golangci-lint's `usetesting` suggests the
  same).
- The other 132 (a context parameter or a request at hand; 8 of them in test files):
  moby 47, seaweedfs 62, dgraph 18, harbor 3, juicefs 1, packer 1, helm 0. Two seeded random
  samples were read: 30 (seed 19, drawn before the comment exclusion existed; two of them are
  no longer reported, see below) and 20 more of the rest (seed 20). Of the 48 still reported,
  **39 agreed (81%)**:
  - agreed: gRPC/filer calls in HTTP handlers and gRPC methods given `context.Background()`
    (seaweedfs, 17; one is hbase's `NewGet`), a root left in moby's daemon and builder where
    `ctx` is at hand (5: `volumes.Create`, `CheckpointTo`, `GetByBlob` with `TODO()`, two
    `sem.Acquire` with `Background()` in goroutines the function waits for), dgraph (6: a
    cluster join, a health check, handlers building a context from `Background()` and then
    attaching the request's values by hand), `log.G(context.TODO())` in moby handlers and
    functions with a context (10: the caller's context would carry its log fields; nothing
    is canceled there), `context.WithoutCancel(context.TODO())` in moby
    (`WithoutCancel(ctx)` keeps the values);
  - disagreed (9): work meant to outlive the caller without saying so: a dgraph goroutine
    waiting for a watermark after the proposal returns; moby's `ref.Release(context.TODO())`
    on an error path and `go mref.Release(context.TODO())` (a release must not be canceled);
    moby's restore starting and restoring containers with `context.Background()` from
    goroutines (2); a seaweedfs `CreateEntry` in a function whose comment elsewhere says
    uploads must complete even if the request is canceled; a seaweedfs `UpdateEntry` whose
    comment says it "skips meta data log events" (the fresh context drops the caller's
    values on purpose); two calls of a seaweedfs cleanup closure (`cleanupDone`) that must
    run after cancellation.
- The comment exclusion then removed 8 findings, all deliberate and explained on the lines
  above (two of them in the first sample: moby's `ContainerExecStart` under "TODO: Maybe we
  should pass ctx here if we're not detaching?", seaweedfs's "Use context.Background() to
  ensure chunk uploads complete even if HTTP request is cancelled").
- Judgement calls, documented: work started in a function that outlives it on purpose (a
  server started from a constructor, a goroutine that must finish) is reported unless a
  defer, a cleanup registration, a wait on `Done` or a comment shows the intent; the
  WithoutCancel quick fix is the way to keep that intent and the values.
- Default severity: information (81% agreed, under the 90% needed for a warning); hint when
  the context at hand is a test's.
"""


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    text = ctx.decl_text(decl)
    if b"Background" not in text and b"TODO" not in text:
        return
    if decl.type not in ("function_declaration", "method_declaration"):
        return
    for root in ctx.calls_named(decl, ROOT_NAMES):
        if ctx.call_ref(root) not in ROOTS or not _passed_to_a_call(ctx, root):
            continue
        hand = context_at_hand(ctx, root, decl)
        if hand is None or _detached_on_purpose(ctx, root, hand) or _explained(ctx, root):
            continue
        yield _finding(ctx, root, hand)


def _passed_to_a_call(ctx: FileContext, root: Node) -> bool:
    """``f(context.Background())``, or a local initialised from the root (and never assigned
    again) that is passed to a call."""
    parent = root.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    if parent is None:
        return False
    if parent.type == "argument_list":
        return True
    local = _initialised_local(ctx, root, parent)
    if local is None:
        return False
    scopes = ctx.scopes(root)
    references = scopes.references(local)
    if any(is_left_hand(ref, ASSIGNMENTS_ONLY) for ref in references):
        return False
    return any(_is_argument(ref) for ref in references)


def _initialised_local(ctx: FileContext, root: Node, holder: Node | None) -> LocalDecl | None:
    """The local a ``c := context.Background()`` / ``var c = ...`` declares with ``root``."""
    if holder is not None and holder.type == "expression_list":
        holder = holder.parent
    if holder is None or holder.type not in ("short_var_declaration", "var_spec"):
        return None
    names, values = targets_and_values(holder)
    if len(names) != len(values):
        return None
    for name, value in zip(names, values):
        if unparen(value) == root and name.type == "identifier":
            return ctx.scopes(root).resolve(name)
    return None


def _is_argument(ident: Node) -> bool:
    parent = ident.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    return parent is not None and parent.type == "argument_list"


def _detached_on_purpose(ctx: FileContext, root: Node, hand: ContextAtHand) -> bool:
    """Cleanup code: in a defer, in a literal given to Cleanup/AfterFunc, or after a wait for
    the context at hand to be done."""
    for step in path_between(hand.function, root)[1:]:
        if step.type == "defer_statement":
            return True
        if step.type == "func_literal" and _registered_as_cleanup(ctx, step):
            return True
    return _after_done_wait(ctx, root, hand)


def _registered_as_cleanup(ctx: FileContext, literal: Node) -> bool:
    arguments = literal.parent
    call = arguments.parent if arguments is not None and arguments.type == "argument_list" else None
    if call is None or call.type != "call_expression":
        return False
    function = call.child_by_field_name("function")
    if function is None or function.type != "selector_expression":
        return False
    field = function.child_by_field_name("field")
    return field is not None and ctx.src.text(field) in _CLEANUP_REGISTRARS


def _after_done_wait(ctx: FileContext, root: Node, hand: ContextAtHand) -> bool:
    """A ``<-X.Done()`` receive in the providing function, before ``root`` (any X: a
    context derived from the one at hand is done when it is)."""
    body = hand.function.child_by_field_name("body")
    if body is None or b".Done()" not in ctx.src.data[body.start_byte:root.start_byte]:
        return False
    for call in ctx.calls_named(body, frozenset({"Done"})):
        if call.start_byte >= root.start_byte:
            break
        parent = call.parent
        if parent is not None and parent.type == "unary_expression" and (parent.text or b"").startswith(b"<-"):
            return True
    return False


def _explained(ctx: FileContext, root: Node) -> bool:
    """A comment on one of the three lines above the call that talks about the choice ("use
    Background so the upload completes even if the request is cancelled")."""
    data = ctx.src.data
    line_start = data.rfind(b"\n", 0, root.start_byte) + 1
    start = line_start
    for _ in range(_COMMENT_LINES_ABOVE):
        if start == 0:
            break
        start = data.rfind(b"\n", 0, start - 1) + 1
    window = data[start:line_start]
    comments = [line.split(b"//", 1)[1].lower() for line in window.split(b"\n") if b"//" in line]
    return any(word in comment for comment in comments for word in _EXPLAINING_WORDS)


def _receiver_text(ctx: FileContext, root: Node) -> str:
    """How the message names what receives the root: the call it is passed to (for a local
    initialised from the root, the first call the local is passed to)."""
    node = root.parent
    while node is not None and node.type == "parenthesized_expression":
        node = node.parent
    if node is not None and node.type != "argument_list":
        local = _initialised_local(ctx, root, node)
        if local is not None:
            passed = [ref for ref in ctx.scopes(root).references(local) if _is_argument(ref)]
            if passed:
                receiver = _receiver_text(ctx, passed[0])
                return f"stored in {local.name} and {receiver}" if receiver else f"stored in {local.name}"
    node = root.parent
    while node is not None and node.type in ("parenthesized_expression", "argument_list"):
        node = node.parent
    if node is not None and node.type == "call_expression":
        function = node.child_by_field_name("function")
        if function is not None and function.type not in FUNCTION_KINDS:
            text = compact(ctx.src.text(function))
            return "passed to " + (text if len(text) <= 60 else text[:57] + "...")
    return ""


def _finding(ctx: FileContext, root: Node, hand: ContextAtHand) -> Finding:
    root_text = compact(ctx.src.text(root))
    where = _receiver_text(ctx, root) or "passed on"
    at_hand = _AT_HAND[hand.kind].format(hand.expression)
    message = (f"{root_text} {where} while {at_hand} is at hand: the callee ignores the caller's cancellation, "
               f"deadline and values; pass {hand.expression} (or context.WithoutCancel({hand.expression}) if the "
               "work must outlive the caller)")
    fixes = [Fix(f"Pass {hand.expression}", (TextEdit(root.start_byte, root.end_byte, hand.expression),),
                 preferred=True)]
    package = context_package_name(ctx)
    if package is not None and at_least(ctx.go_version, CONTEXT_AFTER_FUNC):
        detached = f"{package + '.' if package else ''}WithoutCancel({hand.expression})"
        fixes.append(Fix(f"Pass {detached} (keeps values, drops cancellation)",
                         (TextEdit(root.start_byte, root.end_byte, detached),)))
    # In tests the root mostly costs nothing (the test ends anyway): t.Context() is a hint.
    severity = Severity.HINT if hand.kind == "testing" else None
    return Finding(ID, root.start_byte, root.end_byte, message, severity=severity, fixes=tuple(fixes))


RULE = Rule(
    id=ID,
    severity=Severity.INFORMATION,
    title="new root context where the caller's context is at hand",
    doc=DOC,
    url="https://pkg.go.dev/context",
    check=check,
    decl_needles=(b"Background", b"TODO"),  # check's first test
    imports=CONTEXT_PACKAGES,
    exports=exports_of("context", "golang.org/x/net/context", "net/http", "testing"),
)
