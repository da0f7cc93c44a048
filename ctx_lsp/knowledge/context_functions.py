"""Which functions take a ``context.Context``, and how a file spells the context package.

Without type information a call's callee is known only by name. Two sources answer "does
this function's first parameter have type context.Context?":

- the standard library (and golang.org/x/sync/errgroup): a fixed table, read in the Go
  1.19 sources (``api/go1.N.txt`` for the later additions);
- the package being analyzed: top-level functions of this file (from the tree) and of its
  sibling files (a byte-level scan of each ``func`` header, cached by file stamp, so that a
  directory of N files is read N times at most, not N² times).
"""

from __future__ import annotations

import re

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.files import StampedCache, sibling_go_files
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES, is_context_type

Node = tree_sitter.Node

# Package functions whose first parameter is a context.Context.
STDLIB_CONTEXT_FIRST: frozenset[tuple[str, str]] = frozenset(
    [(path, name) for path in CONTEXT_PACKAGES
     for name in ("WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause", "WithDeadline",
                  "WithDeadlineCause", "WithValue", "WithoutCancel", "AfterFunc", "Cause")]
    + [("os/signal", "NotifyContext"), ("net/http", "NewRequestWithContext"), ("os/exec", "CommandContext"),
       ("golang.org/x/sync/errgroup", "WithContext")]
    + [("runtime/trace", name) for name in ("NewTask", "WithRegion", "StartRegion", "Log", "Logf")]
    + [("runtime/pprof", name) for name in ("Do", "SetGoroutineLabels", "WithLabels", "Label", "ForLabels")]
    + [("log/slog", name) for name in ("DebugContext", "InfoContext", "WarnContext", "ErrorContext", "Log",
                                       "LogAttrs")]
    + [("net/http/httptrace", name) for name in ("WithClientTrace", "ContextClientTrace")]
)

# Standard-library methods whose first parameter is a context, recognised by name alone (the
# receiver's type is unknown): database/sql's *Context methods and BeginTx, net's Dialer and
# tls.Conn, and (*http.Request).WithContext. A name merely ending in "Context" is not enough:
# NewSecurityContext(user) or RetrieveWithCredContext(credContext) take other things.
STDLIB_CONTEXT_METHODS = frozenset({
    "QueryContext", "QueryRowContext", "ExecContext", "PrepareContext", "PingContext", "BeginTx",
    "DialContext", "HandshakeContext", "WithContext",
})


def context_package_name(ctx: FileContext) -> str | None:
    """How this file refers to the context package: ``context`` (or its import name), ``""``
    for a dot import, None when the file imports neither context nor x/net/context."""
    for spec in ctx.imports.specs:
        if spec.path in CONTEXT_PACKAGES and spec.local_name != "_":
            return "" if spec.local_name == "." else spec.local_name
    return None


def context_call_text(ctx: FileContext, name: str) -> str | None:
    """``context.TODO()`` as this file must spell it (``ctx2.TODO()``, ``TODO()``), or None."""
    package = context_package_name(ctx)
    if package is None:
        return None
    return f"{package}.{name}()" if package else f"{name}()"


def first_parameter_is_context(ctx: FileContext, function: Node) -> bool:
    """Whether ``function`` (a declaration or literal) has a first parameter of type
    context.Context (``func f(ctx context.Context, ...)``, ``func f(context.Context)``)."""
    parameters = function.child_by_field_name("parameters")
    if parameters is None:
        return False
    for declaration in parameters.named_children:
        if declaration.type == "comment":
            continue
        if declaration.type != "parameter_declaration":
            return False
        declared = declaration.child_by_field_name("type")
        return declared is not None and is_context_type(ctx, declared)
    return False


def own_context_first_functions(ctx: FileContext) -> frozenset[str]:
    """Top-level functions of this file (not methods) whose first parameter is a context.
    A file input: declarations that mention no ``Context`` cannot change it."""
    return frozenset(ctx.file_input("knowledge.context-first.own", _own_context_first, needle=b"Context"))


def sibling_context_first_functions(ctx: FileContext) -> frozenset[str]:
    """The same for the sibling files of the package, read from disk (the server's unsaved
    text of other documents is not seen)."""
    return frozenset(ctx.file_input("knowledge.context-first.siblings", _sibling_context_first))


def _own_context_first(ctx: FileContext) -> frozenset[str]:
    found = set()
    for decl in ctx.declarations_containing(b"Context"):
        if decl.type == "function_declaration" and first_parameter_is_context(ctx, decl):
            name = decl.child_by_field_name("name")
            if name is not None:
                found.add(ctx.src.text(name))
    return frozenset(found)


def _sibling_context_first(ctx: FileContext) -> frozenset[str]:
    found: set[str] = set()
    for sibling in sibling_go_files(ctx.path, ctx.is_test_file):
        loaded = _SCANNED.load(sibling)
        if loaded is not None and loaded[1][0] == ctx.package_name:
            found.update(loaded[1][1])
    return frozenset(found)


_PACKAGE = re.compile(rb"^package[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
_CONTEXT_IMPORT = re.compile(rb'(?:^|[\s(])(?:([A-Za-z_]\w*)[ \t]+)?"(?:context|golang\.org/x/net/context)"', re.MULTILINE)
# A function header whose first parameter is `name Q.Context` or `Q.Context` (type
# parameters allowed, the parameter list may start on the next line).
_HEADER = re.compile(rb"^func[ \t]+([A-Za-z_]\w*)[ \t]*(?:\[[^\]\n]*\])?[ \t]*\(\s*(?:[A-Za-z_]\w*[ \t]+)?"
                     rb"([A-Za-z_]\w*)\.Context\b", re.MULTILINE)


def _scan_file(path: str, data: bytes) -> tuple[str, frozenset[str]]:
    package = _PACKAGE.search(data)
    # `import "context"` puts the keyword where a name would be.
    qualifiers = {m.group(1) if m.group(1) not in (None, b"import") else b"context"
                  for m in _CONTEXT_IMPORT.finditer(data)}
    names = frozenset(m.group(1).decode() for m in _HEADER.finditer(data) if m.group(2) in qualifiers)
    return package.group(1).decode() if package else "", names


# path -> (stamp, (package name, context-first function names))
_SCANNED: StampedCache[tuple[str, frozenset[str]]] = StampedCache(_scan_file)
