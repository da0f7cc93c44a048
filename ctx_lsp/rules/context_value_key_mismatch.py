"""context-value-key-mismatch: ``ctx.Value(k)`` whose key can never equal the key the
package stores the same text under, because the dynamic types differ."""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.syntax import call_arguments
from ctx_lsp.knowledge.context_at_hand import visible_at
from ctx_lsp.knowledge.context_keys import (FileKeys, Key, RawKey, constants_in, context_names_of, raw_key, resolve,
                                            sibling_keys, stores_in, types_in)
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.rules._corpora import SECOND_FRESH_REVIEW_CORPUS

Node = tree_sitter.Node

ID = "context-value-key-mismatch"

DOC = """\
# context-value-key-mismatch: a Value lookup whose key type differs from the stored key's

Reported (information): `ctx.Value(k)` where `k` is a constant key (a literal, a package-level
constant with a literal value, or a conversion of a literal such as `traceKey("trace-id")`),
and the package (every `.go` file of the directory with the same package clause, test files
included for a test file) stores keys with the same value only under other types:
`ctx.Value("trace-id")` while the package stores `context.WithValue(ctx, traceIDKey, v)` with
`const traceIDKey contextKey = "trace-id"`, or the reverse (a lookup with the named key while
every store uses the plain string).

Range: the key argument of the lookup.

## Why it matters

`Value` compares keys as Go compares interface values: the dynamic types must be equal,
then the values. A `string` "trace-id" never equals a `contextKey` "trace-id", so the lookup
never finds what the package stored (it returns nil unless some other package stored the
plain string), and the type assertion after it (`v, _ := ctx.Value(k).(string)`)
quietly yields the zero value: a missing trace id, an anonymous user, a default tenant.
Nothing fails loudly.

## What to do instead

Look the value up with the key it was stored under (the quick fix puts the stored key in,
when every store writes it the same way and its name is visible at the lookup). Better,
give each key an unexported type of its own (`type traceIDKey struct{}`) and wrap the
store and the lookup in two functions of the package, so they cannot drift apart (see the
`context-key-type` rule).

## Not reported

- Lookups whose key is not a constant known from the source (a variable, a struct value,
  `iota` constants, constants of other packages).
- Values that no store of the package uses at all: the value may be stored by another
  package (ctx-lsp reads one package at a time), and the key is then another package's
  business.
- Lookups for which some store uses the same type and value (a match exists).
- Keys stored through a dot-imported context package or a helper other than
  `context.WithValue`.

## Precision review

Corpora (stored snapshots, vendor directories left out): moby/moby, goharbor/harbor,
helm/helm, dgraph-io/dgraph, seaweedfs/seaweedfs, juicedata/juicefs, hashicorp/packer,
aquasecurity/trivy, moby/buildkit, cortexproject/cortex, grafana/tempo, anchore/syft (14,367
files; 37 `X.Value("...")` lookups with a string literal, 5 `WithValue` stores with one),
and the Go 1.19 standard library.

- No finding: no package of these corpora stores and looks up the same value under two
  types. Precision could not be measured, so the rule ships as information, not warning.
- Noticed on the way, not reported (a different shape): dgraph looks up
  `ctx.Value("Header")`, `ctx.Value("RequestHeader")` and `ctx.Value("_share_")`, and no
  file of the repository stores these keys with `context.WithValue`. A lookup that nothing
  stores is reported by no rule: the store may be in a dependency.
- Known risk, kept: a package that stores its own `contextKey("user")` and also reads a
  plain `"user"` stored by a library it uses would be reported. The message says "never
  finds what this package stored", which stays true there.

## Fresh review

""" + SECOND_FRESH_REVIEW_CORPUS + """

- **No finding** in the nine repositories, so precision is still unmeasured and the
  severity stays information.
- What the rule had to look at: 17 `X.Value(k)` calls with a literal key or a conversion of
  one (4 `Value(1)` calls in evcc's `meter/tasmota/types_test.go` are not context lookups).
  Each of the 13 context lookups (weaviate's `"sourceIp"`, `"clientIdentifier"` and
  `"slow_query_details"`, navidrome's `"userID"`) reads a plain `string` key that the code
  also stores as a plain `string` (`context.WithValue(ctx, "userID", userID)`): a match
  exists, so no report is right. These untyped keys are `context-key-type`'s subject, not
  this rule's.
- Disagreements: none (no finding to disagree with, and no lookup read by hand that should
  have been reported).
"""


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    text = ctx.decl_text(decl)
    if b"Value" not in text or decl.type not in ("function_declaration", "method_declaration"):
        return
    lookups = [call for call in ctx.calls_named(decl, frozenset({"Value"})) if len(call_arguments(call)) == 1]
    if not lookups:
        return
    table = None
    for call in lookups:
        function = call.child_by_field_name("function")
        if function is None or function.type != "selector_expression":
            continue
        argument = call_arguments(call)[0]
        raw = raw_key(argument, ctx.src.data)
        if raw is None:
            continue
        if table is None:
            table = _package_table(ctx)
        constants, types, stores = table
        key = resolve(raw, constants, types)
        if key is None:
            continue
        same_value = [(stored, expression) for stored, expression in stores if stored.value == key.value]
        if not same_value or any(stored.type_name == key.type_name for stored, _ in same_value):
            continue
        yield _finding(ctx, raw.start, raw.end, raw.expression, key, same_value)


def _package_table(ctx: FileContext) -> tuple[dict[str, tuple[str, str, str]], frozenset[str],
                                               tuple[tuple[Key, str], ...]]:
    """(constants, type names, resolved stores) of the package. Each part of this file is a
    file input of its own whose needle names the declarations it comes from (so typing in an
    unrelated function recomputes nothing); the sibling files are one more input."""
    own_constants = ctx.file_input(f"{ID}.constants", _own_constants, needle=b"const")
    own_types = ctx.file_input(f"{ID}.types", _own_types, needle=b"type")
    own_stores = ctx.file_input(f"{ID}.stores", _own_stores, needle=b"WithValue")
    siblings: tuple[FileKeys, ...] = ctx.file_input(f"{ID}.siblings", _sibling_keys)
    constants = {name: (type_text, kind, value) for name, type_text, kind, value
                 in [*own_constants, *(c for keys in siblings for c in keys.constants)]}
    types = frozenset([*own_types, *(t for keys in siblings for t in keys.types)])
    stores = []
    for raw in [*own_stores, *(r for keys in siblings for r in keys.stores)]:
        stored = resolve(raw, constants, types)
        if stored is not None:
            stores.append((stored, raw.expression))
    return constants, types, tuple(stores)


def _own_constants(ctx: FileContext) -> tuple[tuple[str, str, str, str], ...]:
    return tuple(c for decl in ctx.declarations_containing(b"const")
                 for c in ctx.decl_summary(f"{ID}.constants", decl, _decl_constants))


def _own_types(ctx: FileContext) -> tuple[str, ...]:
    return tuple(t for decl in ctx.declarations_containing(b"type") for t in types_in(decl, ctx.src.data))


def _own_stores(ctx: FileContext) -> tuple[RawKey, ...]:
    # Per declaration, kept by the server between analyses: only an edited declaration is
    # walked again. Positions in RawKey are not used for stores.
    return tuple(r for decl in ctx.declarations_containing(b"WithValue")
                 for r in ctx.decl_summary(f"{ID}.stores", decl, _decl_stores))


def _decl_constants(ctx: FileContext, decl: Node) -> tuple[tuple[str, str, str, str], ...]:
    return tuple(constants_in(decl, ctx.src.data))


def _decl_stores(ctx: FileContext, decl: Node) -> tuple[RawKey, ...]:
    # From the imports (part of base_key): one walk of the file's head per analysis.
    names = ctx.memo(f"{ID}.context-names", lambda: context_names_of(ctx.src.root, ctx.src.data))
    return tuple(stores_in(decl, ctx.src.data, names))


def _sibling_keys(ctx: FileContext) -> tuple[FileKeys, ...]:
    return tuple(sibling_keys(ctx.path, ctx.package_name, ctx.is_test_file))


def _describe(key: Key) -> str:
    return f"type {key.type_name}"


def _finding(ctx: FileContext, start: int, end: int, expression: str, key: Key,
             stores: list[tuple[Key, str]]) -> Finding:
    stored_types = sorted({stored.type_name for stored, _ in stores})
    stored_expressions = sorted({text for _, text in stores})
    message = (f"ctx.Value({expression}) looks up a key of {_describe(key)}, but this package stores that value only "
               f"under {' and '.join('type ' + t for t in stored_types)} ({', '.join(stored_expressions)}): Value "
               "compares dynamic types, so this lookup never finds what this package stored; use the stored key")
    fixes: tuple[Fix, ...] = ()
    if len(stored_expressions) == 1 and _usable_here(ctx, stored_expressions[0], start):
        replacement = stored_expressions[0]
        fixes = (Fix(f"Use the stored key {replacement}", (TextEdit(start, end, replacement),), preferred=True),)
    return Finding(ID, start, end, message, fixes=fixes)


def _usable_here(ctx: FileContext, expression: str, position: int) -> bool:
    """The stored key's text means the same at the lookup: a literal, or a package-level
    name (or conversion) that no local declaration shadows there."""
    head = expression.split("(", 1)[0].strip()
    if not head or head[0] in "\"`0123456789'":
        return True
    if not head.isidentifier():
        return "." in head  # pkg.Type("x"): the import is file-wide
    return _not_shadowed(ctx, head, position)


def _not_shadowed(ctx: FileContext, name: str, position: int) -> bool:
    for decl in ctx.top_level:
        if decl.start_byte <= position < decl.end_byte:
            return visible_at(ctx.scopes(decl), name, position) is None
    return False


RULE = Rule(
    id=ID,
    severity=Severity.INFORMATION,
    title="ctx.Value key of another type than the stored key",
    doc=DOC,
    url="https://pkg.go.dev/context#Context",
    check=check,
    decl_needles=(b"Value",),  # check's first test
    imports=CONTEXT_PACKAGES,
    # Lookups need no import of the context package (r.Context().Value("k")).
    needles=frozenset({b".Value("}),
    exports=exports_of("context"),
)
