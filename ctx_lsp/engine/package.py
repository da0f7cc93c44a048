"""Facts about a Go package gathered from all its files in one directory.

Facts are extracted per top-level declaration (:func:`decl_facts`) so that the server can
cache them by declaration text; a file's facts are the union of its declarations', and a
package's facts the union of its files'. They are plain hashable values: a change to them
is what invalidates cached findings of other declarations (``FileContext.package`` is a
file input, see ``FileContext.file_input``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs
import tree_sitter

from ctx_lsp.engine import decl_extras
from ctx_lsp.engine.decl_index import DeclIndex
from ctx_lsp.engine.files import DEFAULT_MAX_BYTES, StampedCache, sibling_go_files
from ctx_lsp.engine.parse import GO_LANGUAGE, parse
from ctx_lsp.engine.syntax import walk, walk_skipping_functions

if TYPE_CHECKING:
    from ctx_lsp.engine.module_index import ModuleIndexes

Node = tree_sitter.Node
# The shared node index of the top-level declaration containing a node (FileContext.index).
IndexOf = Callable[[Node], DeclIndex]

_BASIC_LITERALS = {
    "interpreted_string_literal": "string",
    "raw_string_literal": "string",
    "int_literal": "int",
    "float_literal": "float",
    "imaginary_literal": "complex",
    "rune_literal": "rune",
    "true": "bool",
    "false": "bool",
    "iota": "int",
}
BUILTIN_TYPES = frozenset(
    "string bool byte rune int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr "
    "float32 float64 complex64 complex128".split()
)


@attrs.frozen
class StructField:
    name: str  # the type name for embedded fields
    type_text: str
    embedded: bool = False
    broken: bool = False  # the written type has syntax errors (half-typed): never copy it


@attrs.frozen
class FunctionFacts:
    """A package-level function or method, summarised."""

    name: str
    receiver_type: str | None  # "T" for func (t *T) / (t T); None for plain functions
    calls: frozenset[str]  # names called in the body: plain identifiers and selector fields
    params: int
    has_body: bool
    has_return: bool
    terminal_call: str | None  # "panic", "os.Exit", "fatal:NAME"... when the body's last statement never returns
    path: str = ""
    start: int = 0
    end: int = 0
    takes_context: bool = False  # a parameter is a context.Context
    receiver_fields: frozenset[str] = frozenset()  # fields of the receiver the body reads
    handle_fields: frozenset[str] = frozenset()  # ... read only as a trace/log call's context
    derives_context_from: int = -1  # returns a context derived from this parameter (decl_extras)


@attrs.frozen
class DeclFacts:
    structs: tuple[tuple[str, tuple[StructField, ...]], ...] = ()
    functions: tuple[FunctionFacts, ...] = ()
    constants: tuple[tuple[str, str], ...] = ()  # untyped or builtin-typed constant -> literal kind
    names: tuple[str, ...] = ()  # every package-level name the declaration introduces
    # See decl_extras: package-level variables of a known type, interfaces (name, methods,
    # embedded), `var _ I = (*T)(nil)` assertions (type, interface), work item types.
    variables: tuple[tuple[str, str], ...] = ()
    interfaces: tuple[tuple[str, tuple[decl_extras.MethodShape, ...], tuple[str, ...]], ...] = ()
    assertions: tuple[tuple[str, str], ...] = ()
    work_items: tuple[str, ...] = ()

    @functools.cached_property
    def identity(self) -> int:
        """Hash of these facts without source positions (a declaration that only moved has
        the same identity). Cached on the object: the server reuses one DeclFacts per
        declaration text, and merges every declaration's facts on every analysis."""
        functions = tuple(tuple(getattr(function, name) for name in _FUNCTION_IDENTITY_FIELDS)
                          for function in self.functions)
        return hash((self.structs, functions, self.constants, self.names, self.variables, self.interfaces,
                     self.assertions, self.work_items))

    @functools.cached_property
    def outline_identity(self) -> int:
        """Hash of the facts but the function summaries: every table of PackageFacts except
        ``functions`` depends only on these (methods on the functions' names and receivers).
        Editing a function body changes its summary, rarely its outline."""
        headers = tuple((function.name, function.receiver_type) for function in self.functions)
        return hash((self.structs, headers, self.constants, self.names, self.variables, self.interfaces,
                     self.assertions, self.work_items))


_NO_FACTS = DeclFacts()  # comments, imports...: one shared object

# Every FunctionFacts field except the source positions, whatever fields are added later.
_FUNCTION_IDENTITY_FIELDS = tuple(field.name for field in attrs.fields(FunctionFacts)
                                  if field.name not in ("start", "end"))


@attrs.frozen
class PackageFacts:
    structs: dict[str, tuple[StructField, ...]] = attrs.field(factory=dict, hash=False)
    methods: dict[str, frozenset[str]] = attrs.field(factory=dict, hash=False)
    functions: dict[str, FunctionFacts] = attrs.field(factory=dict, hash=False)
    constants: dict[str, str] = attrs.field(factory=dict, hash=False)
    names: frozenset[str] = frozenset()
    variables: dict[str, str] = attrs.field(factory=dict, hash=False)
    interfaces: dict[str, tuple[tuple[decl_extras.MethodShape, ...], tuple[str, ...]]] = attrs.field(
        factory=dict, hash=False)
    assertions: dict[str, frozenset[str]] = attrs.field(factory=dict, hash=False)  # type -> interfaces
    work_items: frozenset[str] = frozenset()
    _collected: tuple[DeclFacts, ...] = attrs.field(default=(), eq=False, repr=False, alias="collected")

    @functools.cached_property
    def key(self) -> int:
        """Changes whenever any declaration's facts change (positions aside). Computed on
        first use: only the server's cache keys need it, the CLI never asks."""
        return package_key(self._collected)

    @classmethod
    def merge(cls, facts: Iterable[DeclFacts]) -> PackageFacts:
        structs: dict[str, tuple[StructField, ...]] = {}
        methods: dict[str, set[str]] = {}
        functions: dict[str, FunctionFacts] = {}
        constants: dict[str, str] = {}
        names: set[str] = set()
        variables: dict[str, str] = {}
        interfaces: dict[str, tuple[tuple[decl_extras.MethodShape, ...], tuple[str, ...]]] = {}
        assertions: dict[str, set[str]] = {}
        work_items: set[str] = set()
        collected = list(facts)
        for fact in collected:
            structs.update(fact.structs)
            constants.update(fact.constants)
            names.update(fact.names)
            variables.update(fact.variables)
            interfaces.update((name, (methods, embeds)) for name, methods, embeds in fact.interfaces)
            for type_name, interface in fact.assertions:
                assertions.setdefault(type_name, set()).add(interface)
            work_items.update(fact.work_items)
            for function in fact.functions:
                if function.receiver_type is None:
                    functions[function.name] = function
                else:
                    methods.setdefault(function.receiver_type, set()).add(function.name)
                    functions[f"{function.receiver_type}.{function.name}"] = function
        return cls(
            structs=structs,
            methods={k: frozenset(v) for k, v in methods.items()},
            functions=functions,
            constants=constants,
            names=frozenset(names),
            variables=variables,
            interfaces=interfaces,
            assertions={name: frozenset(found) for name, found in assertions.items()},
            work_items=frozenset(work_items),
            collected=tuple(collected),
        )


def package_key(facts: Iterable[DeclFacts]) -> int:
    """``PackageFacts.merge(facts).key`` without merging: a hash of the multiset of the facts'
    identities (their order does not matter). The sum of the identities, not their sorted
    tuple: the server computes this on every keystroke, and summing is three times cheaper."""
    count = total = 0
    for fact in facts:
        total += fact.identity
        count += 1
    return hash((count, total))


def outline_key(facts: Iterable[DeclFacts]) -> int:
    """Like ``package_key``, of the facts' outlines (``DeclFacts.outline_identity``)."""
    count = total = 0
    for fact in facts:
        total += fact.outline_identity
        count += 1
    return hash((count, total))


def _text(node: Node | None) -> str:
    return "" if node is None else (node.text or b"").decode("utf-8", "surrogateescape")


def decl_facts(decl: Node, path: str = "", index_of: IndexOf | None = None) -> DeclFacts:
    """Facts of one top-level declaration. ``index_of`` gives the declaration's shared node
    index when an analysis has one (``FileContext.index``); without it, a query of its own
    finds the body's calls and returns (sibling files, the server's overlay)."""
    kind = decl.type
    if kind in ("function_declaration", "method_declaration"):
        function = _function_facts(decl, path, index_of)
        return DeclFacts(functions=(function,), names=(function.name,) if function.receiver_type is None else (),
                         work_items=decl_extras.work_items(decl))
    if kind == "type_declaration":
        return _type_facts(decl)
    if kind == "const_declaration":
        return _const_facts(decl)
    if kind == "var_declaration":
        names = tuple(_text(n) for spec in walk(decl) if spec.type == "var_spec"
                      for n in spec.children_by_field_name("name"))
        return DeclFacts(names=names, variables=decl_extras.variable_kinds(decl),
                         assertions=decl_extras.assertions(decl), work_items=decl_extras.work_items(decl))
    return _NO_FACTS


def decl_outline(decl: Node, path: str = "", index_of: IndexOf | None = None) -> DeclFacts:
    """``decl_facts`` less the function summary: for a function or method, its name, receiver
    and work items, with a stub FunctionFacts (name and receiver only; never read, see
    ``FileContext.package_outline``); any other declaration's full facts. Equal to the full
    facts in ``DeclFacts.outline_identity`` and in every PackageFacts table but
    ``functions``, at a fraction of the cost (no walk of the function body but the
    work-item search)."""
    if decl.type not in ("function_declaration", "method_declaration"):
        return decl_facts(decl, path, index_of)
    name = _text(decl.child_by_field_name("name"))
    receiver_type = _receiver_type(decl)
    stub = FunctionFacts(name=name, receiver_type=receiver_type, calls=_NO_CALLS, params=0, has_body=False,
                         has_return=False, terminal_call=None, path=path, start=decl.start_byte, end=decl.end_byte)
    return DeclFacts(functions=(stub,), names=(name,) if receiver_type is None else (),
                     work_items=decl_extras.work_items(decl))


def facts_from_outline(decl: Node, outline: DeclFacts, path: str = "") -> DeclFacts:
    """``decl_facts(decl, path)`` given ``decl_outline(decl, path)``: only a function's
    summary is still to compute (by a query of its own)."""
    if decl.type not in ("function_declaration", "method_declaration"):
        return outline  # already the full facts
    return DeclFacts(functions=(_function_facts(decl, path),), names=outline.names, work_items=outline.work_items)


def _type_facts(decl: Node) -> DeclFacts:
    structs = []
    names = []
    interfaces = []
    for spec in decl.named_children:
        if spec.type not in ("type_spec", "type_alias"):
            continue
        name = _text(spec.child_by_field_name("name"))
        names.append(name)
        type_node = spec.child_by_field_name("type")
        if type_node is not None and type_node.type == "struct_type":
            structs.append((name, struct_fields(type_node)))
        elif type_node is not None and type_node.type == "interface_type":
            interfaces.append((name, *decl_extras.interface_shapes(type_node)))
    return DeclFacts(structs=tuple(structs), names=tuple(names), interfaces=tuple(interfaces),
                     work_items=decl_extras.work_items(decl))


def struct_fields(struct_type: Node) -> tuple[StructField, ...]:
    fields: list[StructField] = []
    for field_list in struct_type.named_children:
        if field_list.type != "field_declaration_list":
            continue
        for field in field_list.named_children:
            if field.type != "field_declaration":
                continue
            type_node = field.child_by_field_name("type")
            type_text = _text(type_node)
            broken = field.has_error or type_node is None or type_node.has_error
            names = field.children_by_field_name("name")
            if not names:
                embedded = type_text.lstrip("*").split(".")[-1]
                fields.append(StructField(embedded, type_text, embedded=True, broken=broken))
            for name in names:
                fields.append(StructField(_text(name), type_text, broken=broken))
    return tuple(fields)


def _const_facts(decl: Node) -> DeclFacts:
    constants: list[tuple[str, str]] = []
    names = []
    previous_kind: str | None = None
    for spec in walk(decl):
        if spec.type != "const_spec":
            continue
        type_node = spec.child_by_field_name("type")
        value = spec.child_by_field_name("value")
        spec_names = [_text(n) for n in spec.children_by_field_name("name")]
        names.extend(spec_names)
        kind: str | None
        if value is None:
            kind = previous_kind  # implicit repetition of the previous expression (iota lists)
        else:
            items = [c for c in value.named_children if c.type != "comment"]
            kind = _literal_kind(items[0]) if len(items) == 1 else None
            if type_node is not None:
                kind = _text(type_node) if _text(type_node) in BUILTIN_TYPES else None
        previous_kind = kind
        if type_node is not None and _text(type_node) not in BUILTIN_TYPES:
            continue
        if kind is not None:
            constants.extend((name, kind) for name in spec_names if name != "_")
    return DeclFacts(constants=tuple(constants), names=tuple(names))


def _literal_kind(node: Node | None) -> str | None:
    # A loop, not recursion: `1 + 1 + ... + 1` nests as deep as it is long.
    while node is not None:
        kind = _BASIC_LITERALS.get(node.type)
        if kind is not None:
            return kind
        if node.type == "binary_expression":  # 1 << iota, "a" + "b"
            node = node.child_by_field_name("left")
        elif node.type == "parenthesized_expression" and node.named_child_count == 1:
            node = node.named_children[0]
        else:
            return None
    return None


def _receiver_type(decl: Node) -> str | None:
    receiver = decl.child_by_field_name("receiver")
    if receiver is None:
        return None
    for node in walk(receiver):
        if node.type == "type_identifier":
            return _text(node)
    return None


# Call names that some rule reads from package facts (lower-cased). Keeping only these in
# FunctionFacts.calls means renaming an unrelated call inside a function body does not change
# the package facts, so the server keeps its cached findings for every other declaration.
_FACT_CALL_NAMES: set[str] = set()


def register_fact_call_names(names: Iterable[str]) -> None:
    """Rules call this at import time with the call names they look up in ``calls``."""
    _FACT_CALL_NAMES.update(name.lower() for name in names)


_FUNCTION_FACTS_QUERY = tree_sitter.Query(GO_LANGUAGE, """
    (call_expression function: (identifier) @callee)
    (call_expression function: (selector_expression field: (field_identifier) @callee))
    (return_statement) @return
    [(func_literal) (function_declaration) (method_declaration)] @function
""")
_NO_CALLS: frozenset[str] = frozenset()  # shared: most functions call no name a rule reads
_NESTED_FUNCTION_KINDS = ("func_literal", "function_declaration", "method_declaration")


def _body_facts(body: Node, index_of: IndexOf | None) -> tuple[frozenset[str], bool]:
    """(names called in the body that some rule reads, whether the body has a return of its
    own). Calls inside nested function literals count (a callback the function sets up is
    part of what it does); returns inside them do not."""
    if index_of is not None:
        index = index_of(body)
        callees: Iterable[str] = (call.name for call in index.calls_in(body) if not call.parenthesized)
        returns = index.nodes_of_kind(body, "return_statement")
        nested_functions = [f for kind in _NESTED_FUNCTION_KINDS for f in index.nodes_of_kind(body, kind)]
    else:  # one C-level query instead of a Python walk
        captures = tree_sitter.QueryCursor(_FUNCTION_FACTS_QUERY).captures(body)
        callees = map(_text, captures.get("callee", ()))
        returns = captures.get("return", [])
        nested_functions = captures.get("function", [])
    calls = frozenset(name for name in callees
                      if not _FACT_CALL_NAMES or name.lower() in _FACT_CALL_NAMES) or _NO_CALLS
    # A return belongs to this function unless a function nested in the body contains it
    # (byte ranges: cheaper than finding each return's innermost function).
    nested = [(f.start_byte, f.end_byte) for f in nested_functions]
    has_return = any(not any(start <= r.start_byte and r.end_byte <= end for start, end in nested)
                     for r in returns)
    return calls, has_return


def _function_facts(decl: Node, path: str, index_of: IndexOf | None = None) -> FunctionFacts:
    body = decl.child_by_field_name("body")
    calls, has_return = _body_facts(body, index_of) if body is not None else (_NO_CALLS, False)
    parameters = decl.child_by_field_name("parameters")
    takes_context, count = decl_extras.parameters_shape(parameters)
    receiver_fields, handle_fields = (decl_extras.receiver_field_uses(decl) if decl.type == "method_declaration"
                                      else (frozenset(), frozenset()))
    return FunctionFacts(
        name=_text(decl.child_by_field_name("name")),
        receiver_type=_receiver_type(decl),
        calls=calls,
        params=count,
        has_body=body is not None,
        has_return=has_return,
        terminal_call=_terminal_call(body),
        path=path,
        start=decl.start_byte,
        end=decl.end_byte,
        takes_context=takes_context,
        receiver_fields=receiver_fields,
        handle_fields=handle_fields,
        derives_context_from=decl_extras.derived_context_parameter(decl) if b"Context" in (decl.text or b"") else -1,
    )


def _terminal_call(body: Node | None) -> str | None:
    """Text of the call that ends ``body`` when it is the last statement (``panic(...)``,
    ``os.Exit(1)``, ``fatalf(...)``), or ``for`` / ``select`` for ``for {}``/``select {}``
    with no way out. Whether the call never returns is decided later, with imports at hand."""
    if body is None:
        return None
    statements = [c for list_ in body.named_children if list_.type == "statement_list"
                  for c in list_.named_children if c.type != "comment"]
    if not statements:
        return None
    last = statements[-1]
    if last.type == "expression_statement" and last.named_child_count:
        call = last.named_children[0]
        if call.type == "call_expression":
            return _text(call.child_by_field_name("function"))
    if last.type == "select_statement" and not any(
            c.type in ("communication_case", "default_case") for c in last.named_children):
        return "select"
    if last.type == "for_statement" and last.named_child_count == 1:
        if not any(n.type in ("break_statement", "goto_statement") for n in walk_skipping_functions(last)):
            return "for"
    return None


# -- loading sibling files ---------------------------------------------------------------------
class PackageLoader:
    """Reads and summarises the other files of a package, caching by (mtime, size).

    ``overlay(path)`` lets the server supply the facts of open documents' unsaved text, as
    ``(package name, facts)`` or None to read the file from disk.
    """

    def __init__(self, overlay: Callable[[str], tuple[str, tuple[DeclFacts, ...]] | None] | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._files: StampedCache[tuple[str, tuple[DeclFacts, ...]]] = StampedCache(_summarise_file, max_bytes)
        self.overlay = overlay
        self._modules: ModuleIndexes | None = None

    @property
    def max_bytes(self) -> int:
        return self._files.max_bytes

    @property
    def modules(self) -> ModuleIndexes:
        """The module-wide syntax indexes that read files through this loader (made on
        first use; see :mod:`ctx_lsp.engine.module_index`)."""
        if self._modules is None:
            from ctx_lsp.engine.module_index import ModuleIndexes

            self._modules = ModuleIndexes(self.file_facts, self._overlaid)
        return self._modules

    def remember(self, path: str, package: str, facts: tuple[DeclFacts, ...]) -> None:
        """Record facts of a file the caller already parsed (saves a second parse)."""
        path = os.path.abspath(path)
        self._files.put(path, (package, _with_path(facts, path)))

    def _overlaid(self, path: str) -> tuple[str, tuple[DeclFacts, ...]] | None:
        return self.overlay(os.path.abspath(path)) if self.overlay is not None else None

    def file_facts(self, path: str) -> tuple[str, tuple[DeclFacts, ...]] | None:
        path = os.path.abspath(path)
        if self.overlay is not None:
            overlaid = self.overlay(path)
            if overlaid is not None:
                return overlaid
        loaded = self._files.load(path)
        return loaded[1] if loaded is not None else None

    def sibling_facts(self, path: str, package: str, is_test: bool) -> list[DeclFacts]:
        """Facts of the other .go files of ``package`` in ``path``'s directory."""
        collected: list[DeclFacts] = []
        for sibling in sibling_go_files(path, is_test):
            summary = self.file_facts(sibling)
            if summary is None or summary[0] != package:
                continue
            collected.extend(summary[1])
        return collected


def package_name(root: Node) -> str:
    for child in root.named_children:
        if child.type == "package_clause":
            for name in child.named_children:
                if name.type == "package_identifier":
                    return _text(name)
    return ""


def _with_path(facts: tuple[DeclFacts, ...], path: str) -> tuple[DeclFacts, ...]:
    """``facts`` as reading ``path`` from disk would give them (functions name their file by
    absolute path there; a caller's own facts may use the path as it was given)."""
    if all(function.path == path for fact in facts for function in fact.functions):
        return facts
    return tuple(attrs.evolve(fact, functions=tuple(attrs.evolve(function, path=path) for function in fact.functions))
                 if fact.functions else fact for fact in facts)


def _summarise_file(path: str, data: bytes) -> tuple[str, tuple[DeclFacts, ...]] | None:
    """None for a file with a NUL byte: not Go source."""
    if b"\0" in data:
        return None
    root = parse(data).root_node
    return package_name(root), tuple(decl_facts(child, path) for child in root.named_children)
