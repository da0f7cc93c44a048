"""Finalizer and cleanup call shapes, shared by the finalizer-* rules and hover.

Finds ``runtime.SetFinalizer``/``runtime.AddCleanup`` calls and answers the questions the
rules ask about them without type information: which variable holds the registered object,
what the callback is (a function literal, directly or through a local variable; a package
function; a method expression; a method value), and whether an expression or function body
refers to a given local variable. Everything here reads only the declaration being checked
plus the package facts, as the declaration cache requires.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.package import BUILTIN_TYPES, FunctionFacts
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import (
    call_arguments,
    enclosing_function,
    expression_list_items,
    targets_and_values,
    unparen,
    walk,
)

Node = tree_sitter.Node

RUNTIME = "runtime"
SET_FINALIZER = "SetFinalizer"
ADD_CLEANUP = "AddCleanup"
LOOP_KINDS = frozenset({"for_statement"})
BASIC_LITERAL_KINDS = frozenset({
    "interpreted_string_literal", "raw_string_literal", "int_literal", "float_literal",
    "imaginary_literal", "rune_literal", "true", "false",
})
RELEASE_API_METHODS = ("Close", "Release", "Stop", "Shutdown", "Free", "Destroy", "Dispose")


def text(ctx: FileContext, node: Node) -> str:
    return ctx.src.text(node)


def short_text(ctx: FileContext, node: Node, limit: int = 48) -> str:
    """Source text on one line, for messages; long text is cut with an ellipsis."""
    flat = " ".join(text(ctx, node).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


# -- the calls ------------------------------------------------------------------------------
@attrs.frozen
class Registration:
    """One ``runtime.SetFinalizer(obj, finalizer)`` or ``runtime.AddCleanup(ptr, cleanup, arg)``."""

    call: Node = attrs.field(eq=False)
    api: str  # SET_FINALIZER | ADD_CLEANUP
    function: Node = attrs.field(eq=False)  # the callee expression (runtime.SetFinalizer, SetFinalizer...)
    args: tuple[Node, ...] = attrs.field(eq=False)

    @property
    def obj(self) -> Node:
        return self.args[0]

    @property
    def callback(self) -> Node:
        return self.args[1]

    @property
    def arg(self) -> Node | None:
        return self.args[2] if len(self.args) > 2 else None

    @property
    def noun(self) -> str:
        """What the callback is called in messages."""
        return "finalizer" if self.api == SET_FINALIZER else "cleanup"


_REGISTRATION_NAMES = frozenset({SET_FINALIZER, ADD_CLEANUP})


def registrations(ctx: FileContext, decl: Node) -> Iterator[Registration]:
    """Every SetFinalizer/AddCleanup call with the right number of plain arguments in ``decl``."""
    text = ctx.decl_text(decl)
    if b"SetFinalizer" not in text and b"AddCleanup" not in text:
        return  # the common case: no candidate, no tree walk
    for node in ctx.calls_named(decl, _REGISTRATION_NAMES):
        ref = ctx.call_ref(node)
        if ref is None or ref[0] != RUNTIME or ref[1] not in (SET_FINALIZER, ADD_CLEANUP):
            continue
        arguments = node.child_by_field_name("arguments")
        if arguments is None or any(not c.is_named and c.text == b"..." for c in arguments.children):
            continue
        args = tuple(call_arguments(node))
        if len(args) != (2 if ref[1] == SET_FINALIZER else 3):
            continue
        function = node.child_by_field_name("function")
        assert function is not None
        yield Registration(node, ref[1], function, args)


def is_nil(ctx: FileContext, node: Node) -> bool:
    node = unparen(node)
    return node.type == "nil" or (node.type == "identifier" and node.text == b"nil" and not ctx.is_local(node))


def unary_operand(node: Node, operator: bytes) -> Node | None:
    """The operand of ``&x`` / ``*x`` / ``-x`` when ``node`` is that unary expression."""
    if node.type != "unary_expression":
        return None
    op = node.child_by_field_name("operator")
    if op is None or op.text != operator:
        return None
    return node.child_by_field_name("operand")


# -- the registered object ------------------------------------------------------------------
@attrs.frozen
class ObjectRoot:
    """The local variable through which the registered object is reached.

    ``how`` is ``plain`` for ``x``, ``address`` for ``&v`` (the variable's own storage is the
    object) and ``through`` for ``x.f`` / ``&x.f`` (the object hangs off the variable)."""

    ident: Node = attrs.field(eq=False)
    decl: LocalDecl
    how: str


def object_root(ctx: FileContext, obj: Node) -> ObjectRoot | None:
    node = unparen(obj)
    how = "plain"
    operand = unary_operand(node, b"&")
    if operand is not None:
        node = unparen(operand)
        how = "address"
    if node.type == "selector_expression":
        while node.type == "selector_expression":
            inner = node.child_by_field_name("operand")
            if inner is None:
                return None
            node = unparen(inner)
        how = "through"
    if node.type != "identifier":
        return None
    decl = ctx.resolve(node)
    if decl is None:
        return None
    return ObjectRoot(node, decl, how)


def same_variable(ctx: FileContext, a: Node, b: Node) -> bool:
    """``x`` and ``x``, or ``&v`` and ``&v``: the same local variable in the same form."""
    a, b = unparen(a), unparen(b)
    a_operand, b_operand = unary_operand(a, b"&"), unary_operand(b, b"&")
    if (a_operand is None) != (b_operand is None):
        return False
    if a_operand is not None and b_operand is not None:
        a, b = unparen(a_operand), unparen(b_operand)
    if a.type != "identifier" or b.type != "identifier":
        return False
    decl = ctx.resolve(a)
    return decl is not None and ctx.resolve(b) == decl


# -- mentions of a variable -----------------------------------------------------------------
def _is_struct_literal_key(ident: Node) -> bool:
    """``T{name: v}``: ``name`` is a field name, not a use (map literal keys are uses)."""
    element = ident.parent
    if element is None or element.type != "literal_element":
        return False
    keyed = element.parent
    if keyed is None or keyed.type != "keyed_element" or keyed.named_children[0] != element:
        return False
    literal_value = keyed.parent
    composite = literal_value.parent if literal_value is not None else None
    type_node = composite.child_by_field_name("type") if composite is not None else None
    return type_node is None or type_node.type != "map_type"


def mentions(ctx: FileContext, within: Node, decl: LocalDecl) -> list[Node]:
    """Identifiers inside ``within`` (nested functions included) that refer to ``decl``."""
    encoded = decl.name.encode()
    found = []
    for node in walk(within):
        if node.type == "identifier" and node.text == encoded and not _is_struct_literal_key(node):
            if ctx.resolve(node) == decl:
                found.append(node)
    return found


def _is_conversion_keeping_pointer(ctx: FileContext, call: Node) -> bool:
    """``unsafe.Pointer(p)``, ``any(p)``, ``interface{}(p)``, ``(*T)(p)``: still a pointer.
    ``uintptr(...)`` is not, and other calls return something we cannot know."""
    function = call.child_by_field_name("function")
    if function is None:
        return False
    if ctx.pkg_ref(function) == ("unsafe", "Pointer"):
        return True
    function = unparen(function) if function.type == "parenthesized_expression" else function
    if function.type == "identifier" and function.text == b"any" and not ctx.is_local(function):
        return True
    if function.type in ("interface_type", "pointer_type"):
        return True
    if function.type == "unary_expression" and unary_operand(function, b"*") is not None:
        return True  # (*T)(p) parses as a parenthesized dereference
    return False


def holds_variable(ctx: FileContext, expression: Node, decl: LocalDecl) -> bool:
    """Whether evaluating ``expression`` certainly yields a value that still refers to the
    variable ``decl`` or its content: ``p``, ``&p``, a composite literal or function literal
    containing it, a pointer conversion of it. ``p.f``, ``*p`` or ``f(p)`` copy something out."""
    stack = [expression]
    while stack:
        node = unparen(stack.pop())
        kind = node.type
        if kind == "identifier":
            if ctx.resolve(node) == decl:
                return True
        elif kind == "unary_expression":
            operand = unary_operand(node, b"&")
            if operand is not None:
                stack.append(operand)
        elif kind == "func_literal":
            body = node.child_by_field_name("body")
            if body is not None and mentions(ctx, body, decl):
                return True
        elif kind == "composite_literal":
            body = node.child_by_field_name("body")
            if body is not None:
                stack.extend(_literal_values(body))
        elif kind == "call_expression" and _is_conversion_keeping_pointer(ctx, node):
            stack.extend(call_arguments(node))
        elif kind == "type_conversion_expression" and _converts_to_pointer_or_interface(node):
            operand = node.child_by_field_name("operand")
            if operand is not None:
                stack.append(operand)
    return False


def _converts_to_pointer_or_interface(conversion: Node) -> bool:
    """``interface{}(p)``, ``(*T)(p)`` written as a type conversion: the value is still ``p``."""
    type_node = conversion.child_by_field_name("type")
    while type_node is not None and type_node.type == "parenthesized_type" and type_node.named_child_count:
        type_node = type_node.named_children[0]
    return type_node is not None and type_node.type in ("interface_type", "pointer_type")


def _literal_values(literal_value: Node) -> list[Node]:
    values = []
    for element in literal_value.named_children:
        if element.type == "keyed_element":
            parts = [c for c in element.named_children if c.type == "literal_element"]
            element = parts[-1] if parts else element
        if element.type == "literal_element" and element.named_child_count:
            values.append(element.named_children[0])
    return values


# -- what a local variable holds at a call ---------------------------------------------------
def _definitions(ctx: FileContext, decl: LocalDecl) -> list[tuple[Node, Node | None]] | None:
    """(statement, value or None when unknown) for every assignment to ``decl``; None when the
    variable is assigned in a way we cannot follow (address taken, op-assignment)."""
    found: list[tuple[Node, Node | None]] = []
    holder = decl.ident.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else holder
    if statement is not None and statement.type in ("short_var_declaration", "var_spec"):
        found.append((statement, _value_at(statement, decl.ident)))
    elif decl.kind not in ("param", "receiver", "result"):
        return None
    for reference in ctx.scopes(decl.ident).references(decl):
        parent = reference.parent
        if parent is not None and unary_operand(parent, b"&") == reference:
            return None
        if parent is not None and parent.type in ("inc_statement", "dec_statement"):
            return None
        container = parent.parent if parent is not None and parent.type == "expression_list" else parent
        if container is None or container.type != "assignment_statement":
            continue
        left = container.child_by_field_name("left")
        if reference not in expression_list_items(left):
            continue
        operator = container.child_by_field_name("operator")
        if operator is None or operator.text != b"=":
            return None
        found.append((container, _value_at(container, reference)))
    return found


def _value_at(statement: Node, target: Node) -> Node | None:
    targets, values = targets_and_values(statement)
    if len(targets) != len(values):
        return None
    for index, candidate in enumerate(targets):
        if candidate.start_byte == target.start_byte:
            return unparen(values[index])
    return None


def _is_ancestor(ancestor: Node, node: Node) -> bool:
    return ancestor.start_byte <= node.start_byte and node.end_byte <= ancestor.end_byte


def value_reaching(ctx: FileContext, ident: Node, use: Node) -> Node | None:
    """The expression last assigned to local ``ident`` before ``use``, when that is certain:
    the assignment is in a block enclosing ``use``, in the same function, and no assignment
    inside an enclosing loop can come round again before it."""
    decl = ctx.resolve(ident)
    if decl is None:
        return None
    definitions = _definitions(ctx, decl)
    if not definitions:
        return None
    function = enclosing_function(use)
    before = [d for d in definitions if d[0].end_byte <= use.start_byte]
    if not before:
        return None
    statement, value = max(before, key=lambda d: d[0].start_byte)
    block = statement.parent
    if block is not None and block.type == "var_spec_list":
        block = block.parent
    if block is not None and block.type == "var_declaration":
        block = block.parent
    if block is None or not _is_ancestor(block, use) or enclosing_function(statement) != function:
        return None
    for other, _ in definitions:
        if enclosing_function(other) != function:
            return None  # assigned from a closure: it may run at any time
        if other.start_byte > use.start_byte and _shares_loop(other, use):
            return None
    return value


def assigned_after(ctx: FileContext, decl: LocalDecl, use: Node) -> bool:
    """Whether the variable may be assigned after ``use`` (or in a way we cannot follow)."""
    if decl.kind == "range":
        # One variable per iteration only since Go 1.22; before, the next iteration reassigns it.
        version = ctx.go_version
        if version is None or version < (1, 22):
            return True
        return any(_is_assignment_target(reference) for reference in ctx.scopes(decl.ident).references(decl))
    definitions = _definitions(ctx, decl)
    if definitions is None:
        return True
    return any(statement.start_byte > use.end_byte for statement, _ in definitions)


def _is_assignment_target(reference: Node) -> bool:
    parent = reference.parent
    if parent is None:
        return False
    if parent.type in ("inc_statement", "dec_statement") or unary_operand(parent, b"&") == reference:
        return True
    container = parent.parent if parent.type == "expression_list" else parent
    return container is not None and container.type == "assignment_statement" \
        and reference in expression_list_items(container.child_by_field_name("left"))


def _shares_loop(a: Node, b: Node) -> bool:
    node = b.parent
    while node is not None and node.type not in ("func_literal", "function_declaration", "method_declaration"):
        if node.type in LOOP_KINDS and _is_ancestor(node, a):
            return True
        node = node.parent
    return False


# -- types of locals ------------------------------------------------------------------------
def base_type_name(type_node: Node | None) -> str | None:
    """``T`` for a written type ``T``, ``*T``, ``T[int]`` or ``*T[int]`` (package-local names)."""
    if type_node is None:
        return None
    if type_node.type == "pointer_type" and type_node.named_child_count:
        type_node = type_node.named_children[0]
    if type_node.type == "generic_type":
        type_node = type_node.child_by_field_name("type") or type_node
    if type_node.type == "type_identifier":
        return (type_node.text or b"").decode("utf-8", "surrogateescape")
    return None


def constructed_type_name(value: Node | None) -> str | None:
    """``T`` for ``&T{...}``, ``T{...}``, ``new(T)``."""
    if value is None:
        return None
    value = unparen(value)
    operand = unary_operand(value, b"&")
    if operand is not None:
        value = unparen(operand)
    if value.type == "composite_literal":
        return base_type_name(value.child_by_field_name("type"))
    if value.type == "call_expression":
        function = value.child_by_field_name("function")
        args = call_arguments(value)
        if function is not None and function.text == b"new" and len(args) == 1:
            return base_type_name(args[0])
    return None


def local_type_name(ctx: FileContext, ident: Node) -> str | None:
    """The package type a local variable holds (or points to), when its declaration says so."""
    decl = ctx.resolve(ident)
    if decl is None:
        return None
    written = ctx.declared_type_of(ident)
    if written is not None:
        return base_type_name(written)
    holder = decl.ident.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else holder
    if statement is not None and statement.type in ("short_var_declaration", "var_spec"):
        return constructed_type_name(_value_at(statement, decl.ident))
    return None


def object_type_name(ctx: FileContext, obj: Node) -> str | None:
    """The package type ``T`` of the object registered through ``obj`` (``x``, ``&v``,
    ``&T{}``, ``new(T)``), when it can be read from declarations."""
    node = unparen(obj)
    named = constructed_type_name(node)
    if named is not None:
        return named
    operand = unary_operand(node, b"&")
    if operand is not None:
        node = unparen(operand)
    if node.type == "identifier":
        return local_type_name(ctx, node)
    return None


def is_field_of_any_struct(ctx: FileContext, name: str) -> bool:
    return any(field.name == name for fields in ctx.package_outline.structs.values() for field in fields)


# -- the callback ---------------------------------------------------------------------------
@attrs.frozen
class Callback:
    """What a SetFinalizer/AddCleanup callback argument denotes.

    kind: ``literal`` (``literal`` is the func_literal, written inline or assigned to the
    local variable ``via``), ``function`` (a package-level function), ``method_expression``
    (``(*T).m`` / ``T.m``), ``imported_method_expression`` (``(*pkg.T).m``, ``receiver_type``
    is ``pkg.T`` with the import path's last element), ``method_value`` (``x.m`` with ``m`` a
    method of the package), ``nil`` or ``unknown``."""

    kind: str
    node: Node = attrs.field(eq=False)
    literal: Node | None = attrs.field(default=None, eq=False)
    via: Node | None = attrs.field(default=None, eq=False)
    receiver_type: str | None = None
    name: str = ""
    facts: FunctionFacts | None = None
    receiver: Node | None = attrs.field(default=None, eq=False)  # x of a method value


def _method_expression_type(ctx: FileContext, operand: Node) -> str | None:
    """``T`` for the operand of ``(*T).m`` or ``T.m``, when T is a package type."""
    node = unparen(operand)
    star = unary_operand(node, b"*")
    if star is not None:
        node = unparen(star)
    if node.type == "pointer_type":
        return base_type_name(node)
    if node.type in ("identifier", "type_identifier") and not ctx.is_local(node):
        name = (node.text or b"").decode("utf-8", "surrogateescape")
        known = name in ctx.package_outline.methods or name in ctx.package_outline.structs
        if known and ctx.imports.path_for(name) is None:
            return name
    return None


def imported_method_expression_type(ctx: FileContext, operand: Node) -> str | None:
    """``pkg.T`` for the operand of ``(*pkg.T).m`` (or ``pkg.T.m`` with an exported ``T``):
    a method expression of another package's type, e.g. ``(*os.File).Close``."""
    node = unparen(operand)
    star = unary_operand(node, b"*")
    if star is not None:
        node = unparen(star)
    elif node.type == "pointer_type" and node.named_child_count:
        node = node.named_children[0]
    ref = ctx.pkg_ref(node) if node.type in ("selector_expression", "qualified_type") else None
    if ref is None or not ref[1][:1].isupper():
        return None
    return f"{ref[0].rsplit('/', 1)[-1]}.{ref[1]}"


def is_method_expression(ctx: FileContext, node: Node) -> bool:
    """Whether ``node`` is a method expression ``(*T).m``, ``T.m``, ``(*pkg.T).m`` or
    ``pkg.T.m``: a function that takes the object itself as its first argument."""
    return resolve_callback(ctx, node).kind in ("method_expression", "imported_method_expression")


def resolve_callback(ctx: FileContext, node: Node, use: Node | None = None) -> Callback:
    """Classify the callback argument ``node`` of the call ``use``."""
    expression = unparen(node)
    if is_nil(ctx, expression):
        return Callback("nil", node)
    if expression.type == "func_literal":
        return Callback("literal", node, literal=expression)
    if expression.type == "identifier":
        if ctx.is_local(expression):
            value = value_reaching(ctx, expression, use if use is not None else node)
            if value is not None and value.type == "func_literal":
                return Callback("literal", node, literal=value, via=expression)
            return Callback("unknown", node)
        name = (expression.text or b"").decode("utf-8", "surrogateescape")
        facts = ctx.package.functions.get(name)
        if facts is not None and facts.receiver_type is None and ctx.imports.dot_import_for(name, ctx.exports) is None:
            return Callback("function", node, name=name, facts=facts)
        return Callback("unknown", node)
    if expression.type == "selector_expression" and ctx.pkg_ref(expression) is None:
        operand = expression.child_by_field_name("operand")
        field = expression.child_by_field_name("field")
        if operand is None or field is None:
            return Callback("unknown", node)
        method = (field.text or b"").decode("utf-8", "surrogateescape")
        receiver_type = _method_expression_type(ctx, operand)
        if receiver_type is not None and method in ctx.package.methods.get(receiver_type, frozenset()):
            return Callback("method_expression", node, receiver_type=receiver_type, name=method,
                            facts=ctx.package.functions.get(f"{receiver_type}.{method}"))
        imported = imported_method_expression_type(ctx, operand)
        if imported is not None:
            return Callback("imported_method_expression", node, receiver_type=imported, name=method)
        receiver = unparen(operand)
        if receiver.type == "identifier" and ctx.is_local(receiver):
            owner = local_type_name(ctx, receiver)
            if owner is not None:
                if method in ctx.package.methods.get(owner, frozenset()) and not _is_field(ctx, owner, method):
                    return Callback("method_value", node, receiver_type=owner, name=method,
                                    facts=ctx.package.functions.get(f"{owner}.{method}"), receiver=receiver)
                return Callback("unknown", node)
            if any(method in methods for methods in ctx.package.methods.values()) \
                    and not is_field_of_any_struct(ctx, method):
                return Callback("method_value", node, name=method, receiver=receiver)
    return Callback("unknown", node)


def _is_field(ctx: FileContext, type_name: str, name: str) -> bool:
    fields = ctx.package_outline.structs.get(type_name, ())
    return any(field.name == name for field in fields)


def literal_parameters(literal: Node) -> tuple[list[tuple[Node | None, Node | None]], bool]:
    """((name or None, type) per parameter, whether the last one is variadic) of a func literal."""
    parameters = literal.child_by_field_name("parameters")
    found: list[tuple[Node | None, Node | None]] = []
    variadic = False
    if parameters is None:
        return found, variadic
    for declaration in parameters.named_children:
        if declaration.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        variadic = declaration.type == "variadic_parameter_declaration"
        type_node = declaration.child_by_field_name("type")
        names = declaration.children_by_field_name("name")
        if not names:
            found.append((None, type_node))
        for name in names:
            found.append((name, type_node))
    return found, variadic


def is_builtin_value_type(type_node: Node) -> bool:
    """A parameter type that can never receive a pointer: a builtin non-interface type or a
    slice/array/map/channel/function/struct type literal."""
    if type_node.type == "type_identifier":
        return (type_node.text or b"").decode() in BUILTIN_TYPES
    return type_node.type in ("slice_type", "array_type", "map_type", "channel_type", "function_type",
                              "struct_type")


def release_api(ctx: FileContext, type_name: str | None) -> tuple[str, str] | None:
    """(type, method) when ``type_name`` or a package struct holding it (embedded or as a field,
    as os.File holds *os.file) has an explicit release method: Close/Release/Stop/Shutdown, or
    its unexported spelling (the release API of an internal type is unexported)."""
    if type_name is None:
        return None
    methods = ctx.package_outline.methods
    wanted = {type_name, "*" + type_name}
    holders = [owner for owner, fields in sorted(ctx.package_outline.structs.items())
               if owner != type_name and any(field.type_text in wanted for field in fields)]
    # Exported methods first (of the type, then of its holders), then unexported spellings.
    for spellings in (RELEASE_API_METHODS, tuple(m.lower() for m in RELEASE_API_METHODS)):
        for owner in (type_name, *holders):
            declared = methods.get(owner, frozenset())
            for method in spellings:
                if method in declared:
                    return owner, method
    return None
