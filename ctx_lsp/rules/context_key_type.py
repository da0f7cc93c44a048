"""context-key-type: context.WithValue with a key of a built-in type."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.decl_extras import LITERAL_TYPES, NON_COMPARABLE_KINDS, NON_COMPARABLE_PREFIX
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.package import BUILTIN_TYPES, PackageFacts, StructField
from ctx_lsp.engine.parse import GO_LANGUAGE
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.syntax import call_arguments, expression_list_items, unparen, walk
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES
from ctx_lsp.knowledge.exports import exports_of
from ctx_lsp.rules._corpora import fresh_review

Node = tree_sitter.Node

ID = "context-key-type"

WITH_VALUE = frozenset((path, "WithValue") for path in CONTEXT_PACKAGES)
EMPTY_STRUCT = "struct{}"

# PackageFacts.constants kinds -> type names (typed constants carry their type name already).
_CONSTANT_KINDS = {"float": "float64", "complex": "complex128"}
_STRING_LITERALS = frozenset({"interpreted_string_literal", "raw_string_literal"})
_MAX_DEPTH = 8  # locals initialised from locals: `a := "k"; b := a`

ADVICE = "define an unexported key type (type ctxKey struct{}) and use ctxKey{} as the key"

# Initialisms kept upper-case in generated names ("request-id" -> requestIDKey).
_INITIALISMS = frozenset("id url uri api http https ip json xml sql uuid rpc tls dns ttl cpu db".split())


# -- key classification -----------------------------------------------------------------------


def key_type(ctx: FileContext, key: Node, *, dynamic: bool = True, depth: int = 0) -> str | None:
    """The built-in type of ``key`` ("string", "int64", ..., or ``EMPTY_STRUCT``), or None when
    it is another type or unknown. ``dynamic`` looks through ``any(...)``/``interface{}(...)``
    (what WithValue compares is the dynamic type); for a variable's initialiser it is off,
    because such a variable has an interface type whose dynamic type may change later."""
    if depth > _MAX_DEPTH:
        return None
    node = unparen(key)
    kind = node.type
    if kind in LITERAL_TYPES:
        return LITERAL_TYPES[kind]
    if kind == "identifier":
        return _identifier_type(ctx, node, depth)
    if kind == "call_expression":
        return _call_type(ctx, node, dynamic, depth)
    if kind == "type_conversion_expression":
        type_node = node.child_by_field_name("type")
        operand = node.child_by_field_name("operand")
        if type_node is not None and operand is not None and _is_empty_interface(type_node):
            return key_type(ctx, operand, dynamic=True, depth=depth + 1) if dynamic else None
        return _written_type(ctx, type_node) if type_node is not None else None
    if kind == "composite_literal":
        type_node = node.child_by_field_name("type")
        body = node.child_by_field_name("body")
        if type_node is not None and _is_empty_struct(type_node) and (body is None or body.named_child_count == 0):
            return EMPTY_STRUCT
        return _non_comparable_type(ctx, type_node) if type_node is not None else None
    if kind == "func_literal":
        return NON_COMPARABLE_PREFIX + "func"
    if kind == "unary_expression" and node.child_by_field_name("operand") is not None:
        return None  # &T{...}: a pointer is comparable whatever T is
    if kind == "selector_expression":
        return _module_member_type(ctx, node)
    return None


def _non_comparable_type(ctx: FileContext, type_node: Node) -> str | None:
    """``!`` + the type of a composite literal whose type cannot be compared: a slice, map
    or function type, or a struct type of this package (or of another package of the module)
    with a field of such a type. WithValue panics on such a key."""
    if type_node.type in NON_COMPARABLE_KINDS:
        return NON_COMPARABLE_PREFIX + " ".join(ctx.src.text(type_node).split())
    if type_node.type == "type_identifier":
        name = ctx.src.text(type_node)
        if name in BUILTIN_TYPES or ctx.resolve(type_node) is not None:
            return None
        fields = ctx.package_outline.structs.get(name)
    elif type_node.type == "qualified_type":
        ref = ctx.pkg_ref(type_node)
        if ref is None:
            return None
        name = ctx.src.text(type_node)
        fields = ctx.file_input(f"{ID}.module-struct:{ref[0]}.{ref[1]}",
                                functools.partial(_module_struct_fields, path=ref[0], name=ref[1]))
    else:
        return None
    if fields and any(not field.broken and _field_not_comparable(field.type_text) for field in fields):
        return NON_COMPARABLE_PREFIX + name
    return None


def _field_not_comparable(type_text: str) -> bool:
    return type_text.lstrip().startswith(("[]", "map[", "func(", "func "))


def _module_struct_fields(ctx: FileContext, path: str, name: str) -> tuple[StructField, ...] | None:
    package = _module_package(ctx, path)
    return package.structs.get(name) if package is not None else None


def _module_package(ctx: FileContext, path: str) -> PackageFacts | None:
    index = ctx.module_index
    return index.package(path) if index is not None else None


def _module_member_type(ctx: FileContext, selector: Node) -> str | None:
    """The type of ``pkg.Name`` when ``pkg`` is another package of the same module and
    ``Name`` one of its constants or package-level variables of a built-in type."""
    ref = ctx.pkg_ref(selector)
    if ref is None:
        return None
    return ctx.file_input(f"{ID}.module-member:{ref[0]}.{ref[1]}",
                          functools.partial(_module_member, path=ref[0], name=ref[1]))


def _module_member(ctx: FileContext, path: str, name: str) -> str | None:
    package = _module_package(ctx, path)
    if package is None:
        return None
    kind = package.constants.get(name)
    if kind is not None:
        return _CONSTANT_KINDS.get(kind, kind)
    return package.variables.get(name)


def _identifier_type(ctx: FileContext, ident: Node, depth: int) -> str | None:
    local = ctx.resolve(ident)
    if local is not None:
        return _local_type(ctx, local, depth)
    name = ctx.src.text(ident)
    kind = ctx.package_outline.constants.get(name)
    if kind is not None:
        return _CONSTANT_KINDS.get(kind, kind)
    # A package-level variable whose type its declaration decides (`var key = "user"`); its
    # value may change, its type may not.
    return ctx.package_outline.variables.get(name)


def _call_type(ctx: FileContext, call: Node, dynamic: bool, depth: int) -> str | None:
    function = unparen(call.child_by_field_name("function") or call)
    arguments = call_arguments(call)
    if function.type != "identifier" or not arguments or (len(arguments) != 1 and function.text != b"make"):
        return None
    if not _is_universe(ctx, function):
        return None
    name = ctx.src.text(function)
    if name in BUILTIN_TYPES:
        return name
    if name == "make":
        made = arguments[0] if arguments else None
        if made is not None and made.type in ("slice_type", "map_type"):
            return NON_COMPARABLE_PREFIX + " ".join(ctx.src.text(made).split())
    if name == "any":
        return key_type(ctx, arguments[0], dynamic=True, depth=depth + 1) if dynamic else None
    return None


def _is_universe(ctx: FileContext, ident: Node) -> bool:
    """The identifier refers to a predeclared name: not a local variable or type, not a
    package-level name."""
    name = ctx.src.text(ident)
    if ctx.resolve(ident) is not None or name in ctx.package_outline.names:
        return False
    return not any(node.type in ("type_spec", "type_alias") and _spec_name(ctx, node) == name
                   for node in walk(ctx.top_level_of(ident)))


def _spec_name(ctx: FileContext, spec: Node) -> str | None:
    name = spec.child_by_field_name("name")
    return ctx.src.text(name) if name is not None else None


def _local_type(ctx: FileContext, local: LocalDecl, depth: int) -> str | None:
    holder = local.ident.parent
    if holder is None:
        return None
    if local.kind in ("param", "result") and holder.type == "parameter_declaration":
        return _written_type(ctx, holder.child_by_field_name("type"))
    if local.kind in ("var", "const") and holder.type in ("var_spec", "const_spec"):
        type_node = holder.child_by_field_name("type")
        if type_node is not None:
            return _written_type(ctx, type_node)
        names = holder.children_by_field_name("name")
        values = expression_list_items(holder.child_by_field_name("value"))
        return _initialiser_type(ctx, local.ident, names, values, depth)
    if local.kind == "short" and holder.type == "expression_list":
        statement = holder.parent
        if statement is None or statement.type != "short_var_declaration":
            return None
        names = expression_list_items(holder)
        values = expression_list_items(statement.child_by_field_name("right"))
        return _initialiser_type(ctx, local.ident, names, values, depth)
    return None


def _initialiser_type(ctx: FileContext, ident: Node, names: list[Node], values: list[Node],
                      depth: int) -> str | None:
    if len(names) != len(values):
        return None
    for name, value in zip(names, values):
        if name.start_byte == ident.start_byte:
            return key_type(ctx, value, dynamic=False, depth=depth + 1)
    return None


def _written_type(ctx: FileContext, type_node: Node | None) -> str | None:
    while type_node is not None and type_node.type == "parenthesized_type" and type_node.named_child_count == 1:
        type_node = type_node.named_children[0]
    if type_node is None:
        return None
    if type_node.type == "type_identifier":
        name = ctx.src.text(type_node)
        if name in BUILTIN_TYPES and name not in ctx.package_outline.names and not any(
                node.type in ("type_spec", "type_alias") and _spec_name(ctx, node) == name
                for node in walk(ctx.top_level_of(type_node))):
            return name
        return _non_comparable_type(ctx, type_node)
    if _is_empty_struct(type_node):
        return EMPTY_STRUCT
    return _non_comparable_type(ctx, type_node)


def _is_empty_struct(type_node: Node) -> bool:
    if type_node.type != "struct_type":
        return False
    return all(child.named_child_count == 0 for child in type_node.named_children
               if child.type == "field_declaration_list")


def _is_empty_interface(type_node: Node) -> bool:
    return type_node.type == "interface_type" and not any(
        child.type != "comment" for child in type_node.named_children)


# -- the check --------------------------------------------------------------------------------


def check(ctx: FileContext, decl: Node) -> Iterator[Finding]:
    if b"WithValue" not in ctx.decl_text(decl):
        return
    strings: _FileStrings | None = None  # built once per call, only when a string key needs it
    for node in walk(decl):
        if node.type != "call_expression" or ctx.call_ref(node) not in WITH_VALUE:
            continue
        arguments = call_arguments(node)
        if len(arguments) != 3:
            continue
        key = arguments[1]
        found = key_type(ctx, key)
        if found is None:
            continue
        fixes: tuple[Fix, ...] = ()
        deferred = False
        if unparen(key).type in _STRING_LITERALS:
            if _read_by_name(ctx, key):
                continue
            if ctx.defer_fixes:
                # The fix rewrites every use of the literal in the file: computing it here
                # would tie this declaration's findings to the whole file (see resolve_fixes).
                deferred = True
            else:
                strings = strings or _file_strings(ctx)
                fixes = _fixes(ctx, key, strings)
        yield Finding(rule=ID, start=key.start_byte, end=key.end_byte, message=_message(found), fixes=fixes,
                      deferred_fixes=deferred)


def resolve_fixes(ctx: FileContext, finding: Finding) -> tuple[Fix, ...]:
    """The fixes of a finding whose check deferred them (``ctx.defer_fixes``)."""
    key = ctx.src.root.named_descendant_for_byte_range(finding.start, finding.end)
    if key is None or (key.start_byte, key.end_byte) != (finding.start, finding.end):
        return ()
    return _fixes(ctx, key, _file_strings(ctx))


def _file_strings(ctx: FileContext) -> _FileStrings:
    return ctx.memo(f"{ID}.strings", lambda: _FileStrings(ctx))


@attrs.frozen
class _FixPlan:
    """The edits that introduce a key type for one string value, shared by its findings."""

    name: str
    edits: tuple[TextEdit, ...]
    use_count: int
    first_key_start: int


_STRINGS_QUERY = tree_sitter.Query(GO_LANGUAGE, """
    (interpreted_string_literal) @string
    (raw_string_literal) @string
""")


class _FileStrings:
    """The file's string literals (the fix and the read-by-name test look at every occurrence
    of a key's text in the file), with per-value answers memoised for the current call.

    Each part is built when first asked for: a code action resolving one deferred fix needs
    the literals of one value and, when it plans a fix, the file's words; one query over every
    string of a 4,000-line file plus the word scan took 6-8 ms of that request (20 under load).
    """

    def __init__(self, ctx: FileContext) -> None:
        self._src = ctx.src
        self._by_value: dict[str | None, list[Node]] | None = None
        self._delimited: set[str] | None = None
        self._found: dict[str, list[Node]] = {}  # literals of one value, found by a byte search
        self.plans: dict[str, _FixPlan | None] = {}

    def literals(self, value: str) -> list[Node]:
        """The string literals whose value is ``value``, in source order."""
        if self._by_value is None and b"\r" not in self._src.data:
            found = self._found.get(value)
            if found is None:
                found = self._found[value] = _literals_by_search(self._src, value)
            return found
        return self._index()[0].get(value, [])

    @property
    def delimited(self) -> set[str]:
        """Pieces of string contents between tag/template delimiters, from strings that are
        not just that piece: `ctx:"name"` contributes "ctx" and "name"."""
        return self._index()[1]

    @functools.cached_property
    def words(self) -> frozenset[str]:
        return frozenset(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", self._src.data.decode("utf-8", "replace")))

    def _index(self) -> tuple[dict[str | None, list[Node]], set[str]]:
        if self._by_value is None or self._delimited is None:
            by_value: dict[str | None, list[Node]] = {}
            delimited: set[str] = set()
            # One C-level query instead of a Python walk over every node of the file.
            captures = tree_sitter.QueryCursor(_STRINGS_QUERY).captures(self._src.root)
            for node in sorted(captures.get("string", ()), key=lambda n: n.start_byte):
                text = self._src.text(node)
                by_value.setdefault(string_value(text), []).append(node)
                _add_pieces(delimited, text)
            self._by_value, self._delimited = by_value, delimited
        return self._by_value, self._delimited


def _literals_by_search(src: SourceFile, value: str) -> list[Node]:
    """``_FileStrings.literals`` without a query, for a file without carriage returns: a
    literal with this value is written exactly `"value"` (an interpreted literal with an
    escape has no value here, see string_value) or `` `value` `` (a raw literal drops only
    carriage returns), so each is one occurrence of those bytes, confirmed by the tree."""
    inner = value.encode("utf-8", "surrogateescape")
    found: list[Node] = []
    for quote in (b'"', b"`"):
        needle = quote + inner + quote
        at = src.data.find(needle)
        while at != -1:
            node = src.root.named_descendant_for_byte_range(at, at + len(needle))
            if (node is not None and node.type in _STRING_LITERALS
                    and (node.start_byte, node.end_byte) == (at, at + len(needle))):
                found.append(node)
            at = src.data.find(needle, at + 1)  # occurrences may overlap: `""""`
    return sorted(found, key=lambda n: n.start_byte)


# A key's text inside a struct tag (`ctx:"name"`) or a template (`${value:request_id}`):
# delimited by tag/template punctuation, not by spaces (a log message mentioning it).
_DELIMITERS = re.compile(r"[\"`:{},$=]")


def _read_by_name(ctx: FileContext, key: Node) -> bool:
    """A string-literal key whose text the file also uses inside another string, as a struct
    tag value or template placeholder: a library reads the value by that name, so the string
    type is required (go-zero's contextx, fiber's log templates)."""
    value = string_value(ctx.src.text(unparen(key)))
    if not value or re.fullmatch(r"[\w.\-]+", value) is None:
        return False
    # Other declarations' strings are a file input: this declaration is checked again when
    # the answer for this value changes, not on every edit elsewhere.
    return bool(ctx.file_input(f"{ID}.delimited:{value}", functools.partial(_is_delimited, value=value),
                               needle=value.encode("utf-8", "surrogateescape")))


def _is_delimited(ctx: FileContext, value: str) -> bool:
    """Whether ``value`` is a delimited piece of some string of the file (see _FileStrings)."""
    if not ctx.defer_fixes:  # one analysis only (the CLI): one query over the whole file
        return value in _file_strings(ctx).delimited
    # The server, on every analysis: a piece equal to the value contains its bytes, so only
    # declarations containing them are looked at, their pieces kept by declaration text.
    return any(value in ctx.decl_summary(f"{ID}.pieces", decl, _pieces_of)
               for decl in ctx.declarations_containing(value.encode("utf-8", "surrogateescape")))


def _pieces_of(ctx: FileContext, decl: Node) -> frozenset[str]:
    captures = tree_sitter.QueryCursor(_STRINGS_QUERY).captures(decl)
    pieces: set[str] = set()
    for node in captures.get("string", ()):
        _add_pieces(pieces, (node.text or b"").decode("utf-8", "surrogateescape"))
    return frozenset(pieces)


def _add_pieces(pieces: set[str], literal_text: str) -> None:
    inner = literal_text[1:-1]
    pieces.update(piece for piece in _DELIMITERS.split(inner) if piece and piece != inner)


def _message(found: str) -> str:
    if found.startswith(NON_COMPARABLE_PREFIX):
        return (f"context.WithValue key of type {found[1:]} is not comparable: WithValue panics with "
                f"\"key is not comparable\" when this line runs; {ADVICE}")
    if found == EMPTY_STRUCT:
        return ("context.WithValue key is an empty anonymous struct (struct{}{}), which equals every other "
                f"struct{{}}{{}} key in the program; {ADVICE}")
    return (f"context.WithValue key has built-in type {found}, so it collides with equal keys that any "
            f"other package stores; {ADVICE}")


# -- the fix: introduce a key type ------------------------------------------------------------


def _fixes(ctx: FileContext, key: Node, strings: _FileStrings) -> tuple[Fix, ...]:
    """"Introduce a key type" for a string-literal key whose every occurrence in the file is
    a WithValue key or a ``.Value(...)`` argument, with at least one of each (the file both
    stores and reads the value, so it is likely the key's only user). Every finding of the
    same literal carries the same fix; only the first in the file marks it preferred, so
    fix-all applies it once."""
    literal = unparen(key)
    if literal.type not in _STRING_LITERALS or literal is not key:
        return ()
    value = string_value(ctx.src.text(literal))
    if value is None:
        return ()
    if value not in strings.plans:
        strings.plans[value] = _plan(ctx, value, strings)
    plan = strings.plans[value]
    if plan is None:
        return ()
    count = "its use" if plan.use_count == 1 else f"all {plan.use_count} uses"
    title = f"Introduce key type {plan.name} for {ctx.src.text(literal)} (rewrites {count} in this file)"
    return (Fix(title=title, edits=plan.edits, preferred=plan.first_key_start == literal.start_byte),)


def _plan(ctx: FileContext, value: str, strings: _FileStrings) -> _FixPlan | None:
    uses = _uses_of(ctx, value, strings)
    if uses is None or not any(_is_value_lookup(ctx, use) for use in uses):
        return None  # stored here but read elsewhere (another file, or a library reading by name)
    name = _fresh_name(ctx, key_type_name(value), strings.words)
    insertion = _insertion_offset(ctx)
    edits = [TextEdit(insertion, insertion, f"\n\ntype {name} struct{{}}")]
    edits += [TextEdit(use.start_byte, use.end_byte, f"{name}{{}}") for use in uses]
    first_key = min((use for use in uses if _is_with_value_key(ctx, use)), key=lambda n: n.start_byte)
    return _FixPlan(name=name, edits=tuple(edits), use_count=len(uses), first_key_start=first_key.start_byte)


def string_value(text: str) -> str | None:
    """The value of a Go string literal without escapes (raw or interpreted), else None."""
    if len(text) < 2:
        return None
    if text[0] == "`" and text[-1] == "`":
        return text[1:-1].replace("\r", "")
    if text[0] == '"' and text[-1] == '"' and "\\" not in text:
        return text[1:-1]
    return None


def _uses_of(ctx: FileContext, value: str, strings: _FileStrings) -> list[Node] | None:
    """Every string literal in the file with this value, when each is a key use; else None."""
    uses = strings.literals(value)
    if not all(_is_with_value_key(ctx, node) or _is_value_lookup(ctx, node) for node in uses):
        return None
    return uses


def _call_of_argument(node: Node) -> tuple[Node, list[Node]] | None:
    arguments = node.parent
    if arguments is None or arguments.type != "argument_list" or arguments.parent is None:
        return None
    call = arguments.parent
    return (call, call_arguments(call)) if call.type == "call_expression" else None


def _is_with_value_key(ctx: FileContext, node: Node) -> bool:
    found = _call_of_argument(node)
    if found is None:
        return False
    call, arguments = found
    return len(arguments) == 3 and arguments[1] == node and ctx.call_ref(call) in WITH_VALUE


def _is_value_lookup(ctx: FileContext, node: Node) -> bool:
    """``x.Value(node)``: a context lookup (the receiver's type is not known; any one-argument
    Value method is accepted)."""
    found = _call_of_argument(node)
    if found is None:
        return False
    call, arguments = found
    function = call.child_by_field_name("function")
    if function is None or function.type != "selector_expression" or arguments != [node]:
        return False
    field = function.child_by_field_name("field")
    return field is not None and field.text == b"Value" and ctx.pkg_ref(function) is None


def key_type_name(value: str) -> str:
    """An unexported Go identifier for a key type named after the key's text:
    "request-id" -> requestIDKey, "user" -> userKey, "X-Trace" -> xTraceKey."""
    words = [w for w in re.split(r"[^0-9A-Za-z]+", value) if w]
    parts: list[str] = []
    for index, word in enumerate(words):
        if index == 0:
            parts.append(word.lower() if word.isupper() or word.lower() in _INITIALISMS else word[0].lower() + word[1:])
        elif word.lower() in _INITIALISMS:
            parts.append(word.upper())
        else:
            parts.append(word[0].upper() + word[1:])
    base = "".join(parts)
    if not base:
        return "ctxKey"
    if base[0].isdigit():
        base = "key" + base
    if base.lower().endswith("key"):
        base = base[:-3]
    return (base or "ctx") + "Key"


def _fresh_name(ctx: FileContext, name: str, words_in_file: frozenset[str]) -> str:
    """``name``, or a variant not used anywhere in the file or declared in the package."""
    stem = name[: -len("Key")] if name.endswith("Key") else name
    candidates = [name, stem + "CtxKey"] + [f"{name}{n}" for n in range(2, 100)]
    for candidate in candidates:
        if candidate not in ctx.package_outline.names and candidate not in words_in_file:
            return candidate
    return candidates[-1]


def _insertion_offset(ctx: FileContext) -> int:
    """End of the line holding the last import declaration (or the package clause)."""
    anchor: Node | None = None
    for child in ctx.src.root.named_children:
        if child.type in ("package_clause", "import_declaration"):
            anchor = child
    if anchor is None:
        return 0
    line = ctx.src.line_of(anchor.end_byte)
    return ctx.src.lines.line_end(line, ctx.src.data)


DOC = """\
# context-key-type: context.WithValue key of a built-in type

Reports `context.WithValue(parent, key, value)` calls whose key has a built-in type:

- string, integer, floating-point, imaginary, rune and `true`/`false` literals;
- constants declared in the package (any file of the same directory) whose value is such a
  literal, untyped or typed with a built-in type (`const userKey = "user"`, iota lists);
- conversions to built-in types (`string(x)`, `int64(n)`);
- `interface{}(...)` / `any(...)` of any of these (WithValue compares dynamic types);
- the empty anonymous struct `struct{}{}` and variables declared as `struct{}`;
- local variables, constants and parameters declared with a built-in type, or initialised
  from one of the above (`name string`, `k := "user"`);
- package-level variables whose declaration decides the type (`var key = "user"`,
  `var key string`): the value may change, the type may not;
- constants and such variables of another package of the same module (`keys.UserKey`),
  read from the module index (the tree under the go.mod) without type checking;
- **non-comparable keys**, which make `WithValue` panic ("key is not comparable") when the
  line runs: slice, map and function literals and conversions (`[]byte(nil)`,
  `map[string]int{}`, `func() {}`, `make([]int, 0)`), variables and parameters declared with
  such types, and composite literals of a struct type of the package or of the module with a
  field of slice, map or function type (`bag{}` with `Items []int`).

Messages (range: the key argument):

    context.WithValue key has built-in type string, so it collides with equal keys that any
    other package stores; define an unexported key type (type ctxKey struct{}) and use ctxKey{}
    as the key

    context.WithValue key is an empty anonymous struct (struct{}{}), which equals every other
    struct{}{} key in the program; define an unexported key type (type ctxKey struct{}) and
    use ctxKey{} as the key

    context.WithValue key of type []byte is not comparable: WithValue panics with "key is not
    comparable" when this line runs; define an unexported key type (type ctxKey struct{}) and
    use ctxKey{} as the key

## Why it matters

`Value` finds an entry by comparing keys with `==`, which compares the dynamic type and the
value. Two packages that both use `"user"` (or `1`, or `struct{}{}`) read and overwrite each
other's values without any error. The context documentation says the key should not be of
type string or any other built-in type, and that users of `WithValue` should define their own
types for keys (staticcheck SA1029 reports the same). A key of an unexported type can only be
created by its own package, so no other package can collide with it; with an empty struct
type, storing it in the `any` key costs no allocation.

## What to do instead

```go
type requestIDKey struct{}

func WithRequestID(ctx context.Context, id string) context.Context {
    return context.WithValue(ctx, requestIDKey{}, id)
}

func RequestID(ctx context.Context) (string, bool) {
    id, ok := ctx.Value(requestIDKey{}).(string)
    return id, ok
}
```

## Quick fix

For a string-literal key, when every occurrence of that string in the file is a
`context.WithValue` key or the argument of a one-argument `.Value(...)` call, and the file
both stores and reads it (at least one of each), the fix
"Introduce key type requestIDKey for "request-id"" adds `type requestIDKey struct{}` after
the imports and rewrites every one of those occurrences to `requestIDKey{}`. The name comes
from the string (`"request-id"` -> `requestIDKey`; `userCtxKey`, `userKey2`... when the name is
already used in the file or declared in the package). It is not offered when the string also
appears anywhere else in the file (a header name, a log message, a map key), since the
rewrite could change behaviour there; when the file only stores the value (whoever reads it
lives elsewhere and would stop finding it); or for strings with escapes.

The fix only sees this file: a lookup of the same string in another file or package stops
finding the value. Check with a search for the string before applying it across a package.
Every finding of the same string carries the fix; only the first marks it preferred, so
"fix all" applies it once.

## Not reported

- string keys that a library reads by name: when the key's text also appears in the file
  inside another string delimited like a struct tag value or template placeholder
  (`ctx:"name"`, `${value:request_id}`), the string type is what that library requires
  (go-zero's `contextx`, fiber's log templates); prose mentions (delimited by spaces) do not
  count;
- keys whose type is not known without type checking: parameters of interface type, calls,
  package-level variables initialised from calls, selectors of other modules' packages,
  fields (`ctx = context.WithValue(ctx, keyFor("x"), v)`);
- a local variable initialised with `interface{}("x")`/`any("x")`: its static type is an
  interface and its dynamic type may change on reassignment;
- non-empty anonymous structs (`struct{ name string }{"k"}`), user-defined types, pointers;
- `ctx.Value("key")` lookups: the key was chosen where the value was stored;
- struct types whose non-comparable field sits in a nested struct or array type, and
  struct types of other modules (their fields are not read).

## Against staticcheck SA1029

staticcheck's own SA1029 test cases (dominikh/go-tools,
`staticcheck/sa1029/testdata/go1.0/CheckWithValueKey/CheckWithValueKey.go`: 16 calls, 8
reported, re-checked in session 15) are reproduced call for call in
`testdata/context-key-type/staticcheck_sa1029.go`: the same 7 reported and the same 8 not
reported, with one deliberate difference: a local
initialised with `interface{}("bytes")` and passed as the key is not reported (its static
type is an interface whose dynamic type may change on reassignment; staticcheck follows the
value through SSA).

On the recorded Debian Go corpus: `scripts/debian_sa1029_corpus.sh` installs Debian 12's
Go library packages with apt (the exact list with versions, dependencies included, is
`scripts/debian_sa1029_packages.txt`: 334 packages, 26,062 `.go` files under
`/usr/share/gocode/src`, symlinked trees not followed). The packages asked for by name are
`golang-google-grpc-dev`, gin, echo, chi, go-kit, gorilla/mux, grpc-gateway, negroni,
go-oidc and go-openapi/runtime (the corpus of the first comparison), then
prometheus/client_golang, opentelemetry-go, HashiCorp's go-hclog, go-plugin,
go-retryablehttp, memberlist, raft and serf, docker, etcd (server), go-grpc-middleware,
go-grpc-prometheus, opentracing-contrib/go-grpc, urfave/cli (v1 and v2), cobra,
gopkg.in/redis.v5, go-sql-driver/mysql, lib/pq, pgx v4, minio-go v7, containerd, nats.go,
fasthttp, httprouter, gorilla's handlers, websocket, sessions and csrf, sqlx, gorm (jinzhu),
segmentio/kafka-go, resty, graphql-go, google-api-go-client, ttrpc, gophercloud and
aws-sdk-go, plus five test and build dependencies staticcheck needs to type-check them.

`scripts/debian_sa1029_compare.py` runs Debian's staticcheck 2023.1 (`go-staticcheck
-checks SA1029`, GOPATH mode: `GOPATH=/usr/share/gocode GO111MODULE=off`, one package per
run) on the 102 package directories whose files contain `WithValue(`, and `ctx-lsp check
--select context-key-type --min-severity hint --include-generated` on the same files, and
compares by real path and line. One package is checked by staticcheck without its tests
(docker's `api/server/middleware`: its tests import `gotest.tools/v3`, which Debian ships
as `/usr/share/gocode/src/gotest.tools` without the `v3` directory GOPATH mode looks for);
every other package type-checks with its tests.

staticcheck reports **41 lines; ctx-lsp reproduces all 41** (100%; no misses): 30
string-literal keys (tests of go-kit 4, go-grpc-middleware 13, logrus 3, tomb.v2 6, pgx,
cobra, urfave/cli v2 and x/net's h2c); 7 string constants of the same package (go-kit's
`afterCalledKey`, go-grpc-middleware's `authedMarker`, etcd's `TraceKey`, go-conntrack,
gokrb5's spnego, and goidentity's `CTXKey`: Debian ships that file twice, as `v6` and
`v6/v6`, and both count); a `key string` parameter (gorilla/csrf); and 3 constants of
another package of the same module (etcd: `traceutil.TraceKey`, `traceutil.StartTimeKey`,
`rpctypes.TokenFieldNameGRPC`). The last three are the class issue 16 counted as misses;
the module index resolves them because Debian ships etcd's `go.mod` at the root of its
import path (`/usr/share/gocode/src/go.etcd.io/etcd/go.mod`, module `go.etcd.io/etcd`), so
the tree under it is one module (`testdata/context-key-type/module/proxy`: the same shape).

How imports resolve in a GOPATH tree: the index is per module (the go.mod above the file),
exactly as in module mode; a package with no go.mod above it (GOPATH-only packages such as
docker, tomb.v2, bugsnag-go) gets no index in the CLI, and its keys that are other
packages' constants are not resolved. None of the 13 such directories of the corpus uses
another package's constant as a key, so this costs nothing here; resolving every import
path of `$GOPATH/src` would make the whole GOPATH one "module" for the interface scans of
the other rules as well. `testdata/context-key-type/gopath` pins this deliberate
difference (staticcheck reports that key; ctx-lsp does not).

ctx-lsp reports 8 lines more, all reviewed and **agreed**: gin's `context_test.go:2175`
(a `var key struct{}` key: staticcheck's current SA1029 test data reports empty anonymous
structs, the 2023.1 release does not check them yet), and seven string keys in files
staticcheck does not compile on Go 1.19 because of build constraints: etcd's
`integration/cluster_proxy.go:55` (`//go:build cluster_proxy`) and tomb.v2's
`context16_test.go` (6, `// +build !go1.7`, the same calls as in `context_test.go`,
which staticcheck reports). ctx-lsp reads every file whatever its build constraints.

The first comparison (the ten packages above only; 11,730 files, 55 directories) gave 9
staticcheck lines, all reproduced, and the gin extra.

## Precision review

`ctx-lsp check --select context-key-type` over the same 19,044 files as context-in-struct's
review (the Go 1.19 standard library and 40 repositories; vendor, testdata and generated
files skipped): 28 findings, all reviewed, **28 agreed (100%)**: string keys (`"key"`,
`"some-key"`, `"one"`, `"ctxdata"`, a `const key = "key"`, a local `key := "key-1"`), `int`
loop-variable keys in the context package's own benchmarks, and empty-struct keys
(`key := struct{}{}`, `var dummyKey struct{}`); SA1029's documented rules cover every one of
these calls. All but one are in `_test.go` files, where a collision is unlikely but the key
is still the pattern the documentation warns about; the other is in etcd's integration-test
framework.

The fix was offered for 9 of them, each a key both stored and read in its file: go-kit's
`"one"` (7 calls in three files), the context package's benchmark `"key"` and twirp's
`"modified by middleware"`. `ctx-lsp check --fix` turned those files into gofmt-clean code
whose stores and lookups all use the new type (`oneKey{}`, `ctxKey{}`,
`modifiedByMiddlewareKey{}`); the rewritten `context/benchmark_test.go` passes `go vet`.

Before the read-by-name exemption, four more findings were reviewed and disagreed with: three
in go-zero's `contextx` tests and one in fiber's log tests, where the library reads the value
by a string name taken from a struct tag or template. The same exemption also hides two
agreed string keys (`"foo"` in go-zero and twirp tests) whose text appears quoted inside
expected JSON output (`{"foo":"bar"}`). Three string keys in examples under chi's
`_examples` directory (skipped by the CLI, like `go vet ./...`) were agreed with.
"""
DOC += fresh_review("""\
No findings on these 12,998 files.
""")

RULE = Rule(
    id=ID,
    severity=Severity.WARNING,
    title="context.WithValue key of a built-in type",
    doc=DOC,
    url="https://staticcheck.dev/docs/checks/#SA1029",
    check=check,
    decl_needles=(b"WithValue",),  # check's first test
    imports=CONTEXT_PACKAGES,
    resolve_fixes=resolve_fixes,
    exports=exports_of("context"),
)
