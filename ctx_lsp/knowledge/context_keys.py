"""The keys a package stores with ``context.WithValue`` and looks up with ``ctx.Value``, as
(dynamic type, constant value) pairs: what ``Value`` compares (the ``WithValue`` doc comment
in src/context/context.go; the comparison is Go's interface equality, dynamic type first).

Only keys whose value is a constant known from the source count: literals (``"trace-id"``,
``3``), package-level constants with a literal value (typed with a named type, with a
built-in type, or untyped), and conversions of a literal (``traceKey("trace-id")``). Sibling
files are parsed once per file stamp.
"""

from __future__ import annotations

import attrs
import tree_sitter

from ctx_lsp.engine.files import StampedCache, sibling_go_files
from ctx_lsp.engine.package import BUILTIN_TYPES
from ctx_lsp.engine.parse import parse
from ctx_lsp.engine.syntax import call_arguments, unparen, walk
from ctx_lsp.knowledge.contexts import CONTEXT_PACKAGES

Node = tree_sitter.Node

# The default type of an untyped constant of each literal kind.
LITERAL_TYPES = {
    "interpreted_string_literal": "string",
    "raw_string_literal": "string",
    "int_literal": "int",
    "rune_literal": "rune",
}


@attrs.frozen
class RawKey:
    """A key expression as written: ``literal`` (kind, text), ``name`` (an identifier) or
    ``conversion`` (type text, kind, text)."""

    form: str
    type_text: str
    kind: str
    text: str
    expression: str  # the source text, for messages and fixes
    start: int = 0
    end: int = 0


@attrs.frozen
class FileKeys:
    constants: tuple[tuple[str, str, str, str], ...]  # (name, type text or "", kind, value text)
    types: tuple[str, ...]  # package-level type names
    stores: tuple[RawKey, ...]
    lookups: tuple[RawKey, ...]


@attrs.frozen
class Key:
    """A resolved key: its dynamic type (``string``, ``main.traceKey``-style ``T``) and value."""

    type_name: str
    named: bool
    value: str


def file_keys(root: Node, data: bytes, context_names: frozenset[str]) -> FileKeys:
    """The keys of one file. ``context_names``: what the file calls the context package."""
    constants: list[tuple[str, str, str, str]] = []
    types: list[str] = []
    stores: list[RawKey] = []
    lookups: list[RawKey] = []
    for decl in root.named_children:
        constants.extend(constants_in(decl, data))
        types.extend(types_in(decl, data))
        if decl.type in ("function_declaration", "method_declaration", "var_declaration") \
                and b"Value" in data[decl.start_byte:decl.end_byte]:
            for call in walk(decl):
                if call.type == "call_expression":
                    _collect_call(call, data, context_names, stores, lookups)
    return FileKeys(tuple(constants), tuple(types), tuple(stores), tuple(lookups))


def constants_in(decl: Node, data: bytes) -> list[tuple[str, str, str, str]]:
    """(name, type text or "", literal kind, literal text) of a const declaration's constants
    whose value is a literal."""
    return _constants(decl, data) if decl.type == "const_declaration" else []


def types_in(decl: Node, data: bytes) -> list[str]:
    if decl.type != "type_declaration":
        return []
    return [_text(data, spec.child_by_field_name("name")) for spec in decl.named_children
            if spec.type in ("type_spec", "type_alias")]


def stores_in(decl: Node, data: bytes, context_names: frozenset[str]) -> list[RawKey]:
    """The keys ``decl`` stores with ``context.WithValue``."""
    stores: list[RawKey] = []
    lookups: list[RawKey] = []
    for call in walk(decl):
        if call.type == "call_expression":
            _collect_call(call, data, context_names, stores, lookups)
    # Positions would make equal texts at other offsets look different to the cache.
    return [attrs.evolve(raw, start=0, end=0) for raw in stores]


def _text(data: bytes, node: Node | None) -> str:
    return "" if node is None else data[node.start_byte:node.end_byte].decode("utf-8", "surrogateescape")


def _constants(decl: Node, data: bytes) -> list[tuple[str, str, str, str]]:
    found = []
    for spec in walk(decl):
        if spec.type != "const_spec":
            continue
        value_list = spec.child_by_field_name("value")
        values = [v for v in (value_list.named_children if value_list is not None else []) if v.type != "comment"]
        names = spec.children_by_field_name("name")
        if len(values) != len(names):
            continue  # implicit repetition (iota lists): the value is not a literal
        type_text = _text(data, spec.child_by_field_name("type"))
        for name, value in zip(names, values):
            value = unparen(value)
            if value.type in LITERAL_TYPES:
                found.append((_text(data, name), type_text, value.type, _text(data, value)))
    return found


def _collect_call(call: Node, data: bytes, context_names: frozenset[str], stores: list[RawKey],
                  lookups: list[RawKey]) -> None:
    function = call.child_by_field_name("function")
    if function is None or function.type != "selector_expression":
        return
    operand = function.child_by_field_name("operand")
    field = _text(data, function.child_by_field_name("field"))
    arguments = call_arguments(call)
    if field == "WithValue" and operand is not None and operand.type == "identifier" \
            and _text(data, operand) in context_names and len(arguments) == 3:
        raw = raw_key(arguments[1], data)
        if raw is not None:
            stores.append(raw)
    elif field == "Value" and len(arguments) == 1:
        raw = raw_key(arguments[0], data)
        if raw is not None:
            lookups.append(raw)


def raw_key(node: Node, data: bytes) -> RawKey | None:
    node = unparen(node)
    expression = _text(data, node)
    if node.type in LITERAL_TYPES:
        return RawKey("literal", "", node.type, _text(data, node), expression, node.start_byte, node.end_byte)
    if node.type == "identifier":
        return RawKey("name", "", "", expression, expression, node.start_byte, node.end_byte)
    if node.type in ("call_expression", "type_conversion_expression"):
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            arguments = call_arguments(node)
        else:
            function = node.child_by_field_name("type")
            operand = node.child_by_field_name("operand")
            arguments = [operand] if operand is not None else []
        if function is None or function.type not in ("identifier", "type_identifier", "selector_expression",
                                                     "qualified_type") or len(arguments) != 1:
            return None
        argument = unparen(arguments[0])
        if argument.type in LITERAL_TYPES:
            return RawKey("conversion", _text(data, function), argument.type, _text(data, argument), expression,
                          node.start_byte, node.end_byte)
    return None


def resolve(raw: RawKey, constants: dict[str, tuple[str, str, str]], types: frozenset[str]) -> Key | None:
    """The (type, value) of a key, or None when it is not a known constant."""
    if raw.form == "literal":
        return Key(LITERAL_TYPES[raw.kind], False, _value(raw.kind, raw.text))
    if raw.form == "name":
        known = constants.get(raw.text)
        if known is None:
            return None
        type_text, kind, text = known
        if not type_text:
            return Key(LITERAL_TYPES[kind], False, _value(kind, text))
        return Key(type_text, type_text not in BUILTIN_TYPES, _value(kind, text))
    if raw.type_text in BUILTIN_TYPES:
        return Key(raw.type_text, False, _value(raw.kind, raw.text))
    if raw.type_text in types or "." in raw.type_text:
        return Key(raw.type_text, True, _value(raw.kind, raw.text))
    return None  # a function call, not a conversion


def _value(kind: str, text: str) -> str:
    """The constant's value, prefixed by its family (strings never equal numbers)."""
    if kind == "raw_string_literal":
        return "s:" + text[1:-1]
    if kind == "interpreted_string_literal":
        return "s:" + (text[1:-1] if "\\" not in text else text)
    return "n:" + text


def context_names_of(root: Node, data: bytes) -> frozenset[str]:
    """The names a file gives the context package (``context`` by default)."""
    names = set()
    for node in walk(root):
        if node.type == "import_spec":
            path = _text(data, node.child_by_field_name("path")).strip('"`')
            if path in CONTEXT_PACKAGES:
                alias = node.child_by_field_name("name")
                names.add(_text(data, alias) if alias is not None else "context")
        elif node.type in ("function_declaration", "method_declaration", "type_declaration"):
            break
    return frozenset(names)


def sibling_keys(path: str, package: str, include_tests: bool) -> list[FileKeys]:
    """The keys of the other .go files of ``package`` in ``path``'s directory."""
    found = []
    for sibling in sibling_go_files(path, include_tests):
        loaded = _SIBLINGS.load(sibling)
        if loaded is not None and loaded[1][0] == package:
            found.append(loaded[1][1])
    return found


def _summarise(path: str, data: bytes) -> tuple[str, FileKeys] | None:
    if b"\0" in data:
        return None
    root = parse(data).root_node
    package = ""
    for child in root.named_children:
        if child.type == "package_clause":
            package = _text(data, child.named_children[0]) if child.named_child_count else ""
            break
    return package, file_keys(root, data, context_names_of(root, data))


# path -> (stamp, (package name, keys))
_SIBLINGS: StampedCache[tuple[str, FileKeys]] = StampedCache(_summarise)
