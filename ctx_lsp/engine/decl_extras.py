"""Syntax facts of one top-level declaration that rules read across files and packages.

These complete :mod:`ctx_lsp.engine.package`'s per-declaration facts with what the module
index (:mod:`ctx_lsp.engine.module_index`) records for every package of a module, without
type checking:

- interface declarations and their method sets (does a method take a context?);
- ``var _ I = (*T)(nil)``-style assertions that a type implements an interface;
- package-level variables whose type a literal or a written built-in type decides;
- types whose values travel to another goroutine or a queue (work items): channel element
  types, composite literals sent on a channel, appended or pushed onto a queue, or stored
  in a map;
- per method, the receiver fields it reads, and those it reads only as the context of a
  runtime/trace or logging call (a trace or log handle);
- functions that return a context derived from one of their parameters (wrappers of
  ``context.WithValue``...), by parameter position.

Every function here looks at one declaration's subtree only, so the results can be cached by
the declaration's text like the other declaration facts.
"""

from __future__ import annotations

import re

import tree_sitter

from ctx_lsp.engine.parse import GO_LANGUAGE
from ctx_lsp.engine.syntax import walk

Node = tree_sitter.Node

# (method name, takes a context parameter, number of parameters)
MethodShape = tuple[str, bool, int]

# The default type of each kind of untyped constant.
LITERAL_TYPES = {
    "interpreted_string_literal": "string",
    "raw_string_literal": "string",
    "int_literal": "int",
    "float_literal": "float64",
    "imaginary_literal": "complex128",
    "rune_literal": "rune",
    "true": "bool",
    "false": "bool",
}
BUILTIN_TYPE_NAMES = frozenset({
    "string", "bool", "byte", "rune", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16",
    "uint32", "uint64", "uintptr", "float32", "float64", "complex64", "complex128",
})
# A written type whose values cannot be compared with ==: a context key of such a type makes
# context.WithValue panic ("key is not comparable").
NON_COMPARABLE_KINDS = frozenset({"slice_type", "map_type", "function_type"})
NON_COMPARABLE_PREFIX = "!"  # variable kind prefix: "![]byte"

# Calls that hand a value to a queue or to another goroutine's data structure.
_QUEUE_CALLS = frozenset({
    "append", "Push", "PushBack", "PushFront", "Enqueue", "enqueue", "push", "Submit", "submit", "Schedule",
    "schedule", "Add", "Put", "Insert", "Offer", "Post", "Dispatch", "dispatch", "Send", "Store",
    "LoadOrStore",
})
_QUEUE_CALL = re.compile(rb"\b(?:" + b"|".join(name.encode() for name in sorted(_QUEUE_CALLS)) + rb")\(")
_COMPOSITE = re.compile(rb"[=(,:]\s*&?[A-Za-z_][\w.]*\{|\bnew\(")
# The same tests, faster: without a leading \b (or alternation with one) the regular
# expression engine scans for the possible first bytes instead of trying every position;
# the word boundary is checked on each match (see _has_queue_call, _has_composite).
_QUEUE_NAME_CALL = re.compile(b"(?:" + b"|".join(name.encode() for name in sorted(_QUEUE_CALLS)) + rb")\(")
_COMPOSITE_LITERAL = re.compile(rb"[=(,:]\s*&?[A-Za-z_][\w.]*\{")
# Calls that use a context only to correlate a trace or a log line with it.
_TRACE_CALLS = frozenset({"StartRegion", "WithRegion", "NewTask", "Log", "Logf", "IsEnabled"})
_LOG_CALL = re.compile(
    r"^(?:Log|Logf|Logw|Print|Printf|Println|Trace|Tracef|Debug|Debugf|Debugw|Info|Infof|Infow|Warn|Warnf|Warnw|"
    r"Warning|Warningf|Error|Errorf|Errorw|Fatal|Fatalf|Panic|Panicf|LogAttrs|"
    r"(?:Debug|Info|Warn|Error|Log)Context|Ctx|FromContext|FromContextOrDiscard|WithContext|SpanFromContext|"
    r"LoggerFromContext|Extract|L)$"
)
_CONTEXT_DERIVERS = frozenset({
    "WithValue", "WithoutCancel", "WithCancel", "WithCancelCause", "WithTimeout", "WithTimeoutCause",
    "WithDeadline", "WithDeadlineCause", "NotifyContext", "WithLabels", "WithClientTrace",
    "NewOutgoingContext", "NewIncomingContext", "AppendToOutgoingContext", "ContextWithSpan",
    "ContextWithSpanContext", "ContextWithRemoteSpanContext", "ContextWithBaggage",
})


def text(node: Node | None) -> str:
    return "" if node is None else (node.text or b"").decode("utf-8", "surrogateescape")


def is_context_type_text(type_text: str) -> bool:
    """``context.Context`` under any import name, or a dot-imported ``Context``."""
    return type_text == "Context" or type_text.endswith(".Context")


# -- interfaces ---------------------------------------------------------------------------------
def interface_shapes(interface: Node) -> tuple[tuple[MethodShape, ...], tuple[str, ...]]:
    """(methods, embedded interface names as written) of an ``interface_type``."""
    methods: list[MethodShape] = []
    embeds: list[str] = []
    for element in interface.named_children:
        if element.type == "method_elem":
            name = text(element.child_by_field_name("name"))
            methods.append((name, *parameters_shape(element.child_by_field_name("parameters"))))
        elif element.type == "type_elem" and element.named_child_count == 1:
            embedded = element.named_children[0]
            if embedded.type in ("type_identifier", "qualified_type"):
                embeds.append(text(embedded))
    return tuple(methods), tuple(embeds)


def parameters_shape(parameters: Node | None) -> tuple[bool, int]:
    """(whether a parameter is a context, number of parameters) of a parameter list."""
    if parameters is None:
        return False, 0
    takes_context, count = False, 0
    for parameter in parameters.named_children:
        if not parameter.type.endswith("parameter_declaration"):
            continue
        count += max(len(parameter.children_by_field_name("name")), 1)
        if is_context_type_text(text(parameter.child_by_field_name("type"))):
            takes_context = True
    return takes_context, count


# -- var declarations ---------------------------------------------------------------------------
def assertions(var_decl: Node) -> tuple[tuple[str, str], ...]:
    """(type name, interface as written) of ``var _ I = (*T)(nil)``, ``var _ I = &T{}``,
    ``var _ I = T{}`` and ``var _ I = new(T)``."""
    found = []
    for spec in walk(var_decl):
        if spec.type != "var_spec":
            continue
        names = spec.children_by_field_name("name")
        interface = spec.child_by_field_name("type")
        value = spec.child_by_field_name("value")
        if interface is None or value is None or len(names) != 1 or names[0].text != b"_":
            continue
        items = [c for c in value.named_children if c.type != "comment"]
        type_name = constructed_type(items[0]) if len(items) == 1 else None
        if type_name is not None:
            found.append((type_name, text(interface)))
    return tuple(found)


def constructed_type(value: Node) -> str | None:
    """``T`` of ``(*T)(nil)``, ``&T{}``, ``T{}``, ``new(T)`` (package-local type names only)."""
    node = value
    if node.type == "unary_expression" and node.child_by_field_name("operand") is not None:
        node = node.child_by_field_name("operand")  # type: ignore[assignment]
    if node.type == "composite_literal":
        return _local_type_name(node.child_by_field_name("type"))
    if node.type == "call_expression":
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or arguments is None:
            return None
        if function.type == "identifier" and function.text == b"new" and arguments.named_child_count == 1:
            return _local_type_name(arguments.named_children[0])
        # (*T)(nil): the function is the parenthesised pointer type
        while function.type in ("parenthesized_expression", "parenthesized_type") and function.named_child_count == 1:
            function = function.named_children[0]
        if function.type == "unary_expression":
            return _local_type_name(function.child_by_field_name("operand"))
        if function.type == "pointer_type" and function.named_child_count:
            return _local_type_name(function.named_children[0])
    if node.type == "type_conversion_expression":
        type_node = node.child_by_field_name("type")
        while type_node is not None and type_node.type in ("parenthesized_type", "pointer_type") \
                and type_node.named_child_count:
            type_node = type_node.named_children[0]
        return _local_type_name(type_node)
    return None


def _local_type_name(node: Node | None) -> str | None:
    if node is not None and node.type == "generic_type":
        node = node.child_by_field_name("type")
    if node is not None and node.type in ("type_identifier", "identifier"):
        return text(node)
    return None


def variable_kinds(var_decl: Node) -> tuple[tuple[str, str], ...]:
    """Package-level variables whose type is known from the declaration alone: a built-in
    type name, ``struct{}``, or ``!`` + the written type for non-comparable types."""
    found: list[tuple[str, str]] = []
    for spec in walk(var_decl):
        if spec.type != "var_spec":
            continue
        names = [text(n) for n in spec.children_by_field_name("name")]
        type_node = spec.child_by_field_name("type")
        if type_node is not None:
            kind = written_type_kind(type_node)
            found.extend((name, kind) for name in names if kind is not None and name != "_")
            continue
        value = spec.child_by_field_name("value")
        items = [c for c in value.named_children if c.type != "comment"] if value is not None else []
        if len(items) != len(names):
            continue
        for name, item in zip(names, items):
            kind = value_kind(item)
            if kind is not None and name != "_":
                found.append((name, kind))
    return tuple(found)


def written_type_kind(type_node: Node) -> str | None:
    while type_node.type == "parenthesized_type" and type_node.named_child_count == 1:
        type_node = type_node.named_children[0]
    if type_node.type == "type_identifier" and text(type_node) in BUILTIN_TYPE_NAMES:
        return text(type_node)
    if type_node.type == "struct_type" and not any(
            c.named_child_count for c in type_node.named_children if c.type == "field_declaration_list"):
        return "struct{}"
    if type_node.type in NON_COMPARABLE_KINDS:
        return NON_COMPARABLE_PREFIX + " ".join(text(type_node).split())
    return None


def value_kind(value: Node) -> str | None:
    """The type of an initialiser when a literal decides it (default types of untyped
    constants; composite literals and conversions of slice, map and function types)."""
    node = value
    while node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type in LITERAL_TYPES:
        return LITERAL_TYPES[node.type]
    if node.type == "func_literal":
        return NON_COMPARABLE_PREFIX + "func"
    if node.type in ("composite_literal", "type_conversion_expression"):
        type_node = node.child_by_field_name("type")
        if type_node is not None and type_node.type in NON_COMPARABLE_KINDS:
            return NON_COMPARABLE_PREFIX + " ".join(text(type_node).split())
    return None


# -- work items -----------------------------------------------------------------------------------
_WORK_QUERY = tree_sitter.Query(GO_LANGUAGE, """
    (channel_type value: (type_identifier) @element)
    (channel_type value: (pointer_type (type_identifier) @element))
    (send_statement value: (_) @sent)
    (call_expression function: (identifier) @callee arguments: (argument_list (_) @pushed))
    (call_expression function: (selector_expression field: (field_identifier) @callee)
        arguments: (argument_list (_) @pushed))
    (assignment_statement left: (expression_list (index_expression)) right: (expression_list (_) @stored))
    (short_var_declaration left: (expression_list . (identifier) @local .)
        right: (expression_list . (_) @initial .))
""")


def _starts_word(data: bytes, position: int) -> bool:
    """Whether a word starts at ``position`` (``\\b`` before a word byte, ASCII as in bytes
    regular expressions)."""
    if position == 0:
        return True
    before = data[position - 1 : position]
    return not (before.isalnum() or before == b"_")


def _has_queue_call(data: bytes) -> bool:
    """``_QUEUE_CALL.search(data) is not None``. A match without a word boundary is all word
    bytes up to its ``(``, so no match with one starts inside it: finditer misses none."""
    return any(_starts_word(data, match.start()) for match in _QUEUE_NAME_CALL.finditer(data))


def _has_composite(data: bytes) -> bool:
    """``_COMPOSITE.search(data) is not None``: either alternative matches somewhere."""
    if _COMPOSITE_LITERAL.search(data) is not None:
        return True
    position = data.find(b"new(")
    while position >= 0:
        if _starts_word(data, position):
            return True
        position = data.find(b"new(", position + 1)
    return False


def work_items(decl: Node) -> tuple[str, ...]:
    """Package types whose values are handed to another goroutine or a queue in ``decl``:
    channel element types, and composite literals (directly or through a local initialised
    with one) sent on a channel, passed to append/Push/Enqueue/Submit..., or stored in a map."""
    data = decl.text or b""
    # Cheap byte tests first: a channel type, or a composite literal in a value position
    # (`= &T{`, `(T{`, `, new(T)`) together with a send or a queue call.
    if b"chan" not in data and (not _has_composite(data) or (b"<-" not in data and not _has_queue_call(data))):
        return ()
    found: set[str] = set()
    locals_: dict[str, str] = {}
    handed: list[Node] = []
    for _pattern, captures in tree_sitter.QueryCursor(_WORK_QUERY).matches(decl):
        if "element" in captures:
            found.add(text(captures["element"][0]))
        elif "sent" in captures:
            handed.append(captures["sent"][0])
        elif "pushed" in captures:
            if text(captures["callee"][0]) in _QUEUE_CALLS:
                handed.extend(captures["pushed"])
        elif "stored" in captures:
            handed.extend(captures["stored"])
        elif "local" in captures:
            type_name = constructed_type(captures["initial"][0])
            if type_name is not None:
                locals_[text(captures["local"][0])] = type_name
    for value in handed:
        type_name = locals_.get(text(value)) if value.type == "identifier" else constructed_type(value)
        if type_name is not None:
            found.add(type_name)
    return tuple(sorted(found))


# -- methods: receiver fields read --------------------------------------------------------------
_CONTEXT_WORD = re.compile(rb"(?i)ctx|context")
_SELECTOR_QUERY = tree_sitter.Query(GO_LANGUAGE, """
    (selector_expression operand: (identifier) @operand field: (field_identifier) @field) @selector
""")


def receiver_name(method: Node) -> str | None:
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return None
    for parameter in receiver.named_children:
        if parameter.type == "parameter_declaration":
            name = parameter.child_by_field_name("name")
            return text(name) if name is not None else None
    return None


def receiver_field_uses(method: Node) -> tuple[frozenset[str], frozenset[str]]:
    """(receiver fields the method reads, those read only as the context argument of a
    runtime/trace or logging call). Assignments to a field are not reads."""
    name = receiver_name(method)
    body = method.child_by_field_name("body")
    # Only context-in-struct reads these, about fields holding a context: their names
    # nearly always say so (ctx, reqCtx, context, baseContext), and a method that never
    # mentions one is not worth a query. A miss only keeps a finding.
    if not name or name == "_" or body is None or _CONTEXT_WORD.search(body.text or b"") is None:
        return frozenset(), frozenset()
    read: set[str] = set()
    other: set[str] = set()
    handle: set[str] = set()
    for _pattern, captures in tree_sitter.QueryCursor(_SELECTOR_QUERY).matches(body):
        if text(captures["operand"][0]) != name:
            continue
        field = text(captures["field"][0])
        selector = captures["selector"][0]
        parent = selector.parent
        if parent is not None and parent.type == "expression_list" and parent.parent is not None \
                and parent.parent.type == "assignment_statement" \
                and parent.parent.child_by_field_name("left") == parent:
            continue  # written, not read
        read.add(field)
        if _is_handle_argument(selector):
            handle.add(field)
        else:
            other.add(field)
    return frozenset(read), frozenset(handle - other)


def _is_handle_argument(selector: Node) -> bool:
    arguments = selector.parent
    if arguments is None or arguments.type != "argument_list":
        return False
    call = arguments.parent
    function = call.child_by_field_name("function") if call is not None else None
    if function is None:
        return False
    if function.type == "selector_expression":
        field = text(function.child_by_field_name("field"))
        operand = function.child_by_field_name("operand")
        if operand is not None and operand.type == "identifier" and operand.text == b"trace" \
                and field in _TRACE_CALLS:
            return True
        return _LOG_CALL.match(field) is not None
    return False


# -- functions returning a derived context --------------------------------------------------------
def derived_context_parameter(function: Node) -> int:
    """The position of the context parameter that ``function`` returns a context derived
    from (``return context.WithoutCancel(ctx)``; also through a local assigned from such a
    call), or -1. Only functions with one result, of a context type, count."""
    result = function.child_by_field_name("result")
    body = function.child_by_field_name("body")
    if result is None or body is None or not is_context_type_text(text(result).strip("()")):
        return -1
    positions: dict[str, int] = {}
    parameters = function.child_by_field_name("parameters")
    index = 0
    for parameter in parameters.named_children if parameters is not None else ():
        if not parameter.type.endswith("parameter_declaration"):
            continue
        names: list[Node | None] = list(parameter.children_by_field_name("name")) or [None]
        for name in names:
            if name is not None and is_context_type_text(text(parameter.child_by_field_name("type"))):
                positions[text(name)] = index
            index += 1
    if not positions:
        return -1
    derived: dict[str, int] = dict(positions)  # names holding a context layered on a parameter
    returns: list[int] = []
    for node in walk(body):
        if node.type in ("func_literal",):
            continue
        if node.type in ("short_var_declaration", "assignment_statement"):
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            targets = [c for c in left.named_children] if left is not None else []
            values = [c for c in right.named_children] if right is not None else []
            if targets and len(values) == 1:
                origin = _derivation_of(values[0], derived)
                if origin >= 0 and targets[0].type == "identifier":
                    derived[text(targets[0])] = origin
        elif node.type == "return_statement":
            values = [c for c in node.named_children if c.type != "comment"]
            items = values[0].named_children if values and values[0].type == "expression_list" else values
            if len(items) != 1:
                return -1
            origin = _derivation_of(items[0], derived)
            if origin < 0 or (items[0].type == "identifier" and text(items[0]) in positions):
                return -1  # returns something else, or the parameter unchanged
            returns.append(origin)
    return returns[0] if returns and all(r == returns[0] for r in returns) else -1


def _derivation_of(value: Node, derived: dict[str, int]) -> int:
    while value.type == "parenthesized_expression" and value.named_child_count == 1:
        value = value.named_children[0]
    if value.type == "identifier":
        return derived.get(text(value), -1)
    if value.type != "call_expression":
        return -1
    function = value.child_by_field_name("function")
    arguments = value.child_by_field_name("arguments")
    if function is None or arguments is None or not arguments.named_child_count:
        return -1
    name = text(function.child_by_field_name("field")) if function.type == "selector_expression" else text(function)
    if name not in _CONTEXT_DERIVERS:
        return -1
    first = arguments.named_children[0]
    return derived.get(text(first), -1) if first.type == "identifier" else -1

