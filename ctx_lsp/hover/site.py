"""Site-specific hover: what the Go runtime does at *this* line.

:func:`hover_at` answers a hover request at a byte offset of an analysed file. It combines,
from the most specific to the most general:

1. facts about the hovered construct at this site, computed with the engine (imports,
   scopes, control-flow graphs, package facts) and the rules' own helpers:

   - a context constructor call (``context.WithTimeout(...)``, ``signal.NotifyContext``...):
     what the parent is (``Background``/``TODO``, ``WithoutCancel``, a derived context, a
     parameter) and therefore what is registered and retained, and where the cancel
     function is called, deferred, or not used on some path (with line numbers), using the
     lostcancel rule's own path search;
   - the cancel variable itself, anywhere it appears;
   - ``runtime.SetFinalizer``/``AddCleanup``: whether the callback keeps the object
     reachable (the finalizer-self-reference rule's logic) and whether the object's type has
     an explicit Close/Release/Stop/Shutdown method;
   - a struct field holding a ``context.Context``: which methods of the struct read it;
   - a ``go`` statement: whether the goroutine observes any context that is in scope;
   - a few smaller ones (``runtime.KeepAlive`` of a context, a dropped ``*time.Timer``,
     forcing a GC in a test file);

2. the explanation of every diagnostic whose range contains the offset: the message, then
   the rule's documentation (the same text as ``ctx-lsp explain RULE``);

3. the API's reference text from :mod:`ctx_lsp.hover.apis`.

Everything is built as markdown and converted to plain text when the client cannot render
markdown. Offsets are UTF-8 byte offsets; the LSP layer converts positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import attrs
import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import FUNCTION_KINDS, call_arguments, expression_list_items, unparen, walk
from ctx_lsp.hover.apis import ApiInfo, api_info, plain_inline, render_info
from ctx_lsp.knowledge import finalizer_calls as finalizers
from ctx_lsp.knowledge.contexts import CANCELABLE_CONSTRUCTORS, Holding, context_holding, context_parameters, is_context_type
from ctx_lsp.knowledge.finalizer_checks import self_reference
from ctx_lsp.rules import RULES_BY_ID, lostcancel

Node = tree_sitter.Node

SEPARATOR = "\n\n---\n\n"
_PLAIN_SEPARATOR = "\n\n" + "-" * 72 + "\n\n"

_ROOTS = frozenset({("context", "Background"), ("context", "TODO")})
_WITHOUT_CANCEL = ("context", "WithoutCancel")
_WITH_VALUE = ("context", "WithValue")
_CONTEXT_AFTER_FUNC = ("context", "AfterFunc")
_CONTEXT_MAKERS = CANCELABLE_CONSTRUCTORS | _ROOTS | {_WITHOUT_CANCEL, _WITH_VALUE}
_FORCED_GC = frozenset({("runtime", "GC"), ("runtime/debug", "FreeOSMemory"), ("runtime/debug", "SetGCPercent")})
_CONTEXT_WATCHERS = frozenset({"Done", "Err"})
# Following a parent through local variables and WithValue layers; real chains are short.
_MAX_PARENT_HOPS = 12
_IDENTIFIER_BYTE = re.compile(rb"[A-Za-z0-9_]")


@attrs.frozen
class HoverResult:
    """Hover text and the byte range ``[start, end)`` of the hovered construct."""

    text: str
    start: int
    end: int


@attrs.frozen
class _Subject:
    """What the hovered construct is about: site facts (markdown bullets under a title) and,
    for an API reference, the API whose reference text follows."""

    start: int
    end: int
    title: str
    facts: tuple[str, ...]
    api: ApiInfo | None = None


# ============================================================================================
# Entry point
# ============================================================================================


def hover_at(ctx: FileContext, offset: int, findings: Sequence[Finding], markdown: bool) -> HoverResult | None:
    """The hover for byte ``offset`` of the file ``ctx`` analyses, or None.

    ``findings`` are the file's current diagnostics (the server's last analysis); those whose
    range contains ``offset`` are explained with their rule's documentation.
    """
    subject = _subject_at(ctx, offset)
    covering = _findings_at(findings, offset)
    if subject is None and not covering:
        return None
    # Each part is built as markdown; plain-text clients get it converted, except the API
    # reference, which has its own plain rendering.
    parts: list[str] = []
    if subject is not None and subject.facts:
        facts = _render_facts(subject.title, subject.facts)
        parts.append(facts if markdown else markdown_to_plain(facts))
    parts.extend(_render_findings(covering, markdown))
    if subject is not None and subject.api is not None:
        parts.append(render_info(subject.api, ctx.go_version, markdown=markdown))
    if not parts:
        return None
    if subject is not None:
        start, end = subject.start, subject.end
    else:
        narrowest = min(covering, key=lambda finding: finding.end - finding.start)
        start, end = narrowest.start, narrowest.end
    return HoverResult((SEPARATOR if markdown else _PLAIN_SEPARATOR).join(parts), start, end)


def _findings_at(findings: Iterable[Finding], offset: int) -> list[Finding]:
    return [f for f in findings if f.start <= offset < f.end or f.start == f.end == offset]


def _subject_at(ctx: FileContext, offset: int) -> _Subject | None:
    for node in _nodes_at(ctx, offset):
        for finder in (_api_subject, _cancel_variable_subject, _struct_field_subject, _go_subject):
            subject = finder(ctx, node, offset)
            if subject is not None:
                return subject
    return None


def _nodes_at(ctx: FileContext, offset: int) -> list[Node]:
    """The smallest named node at ``offset`` and, when the cursor sits just after a word
    (some clients send the position after it), the one before."""
    data = ctx.src.data
    if not 0 <= offset <= len(data):
        return []
    offsets = [offset]
    at_word = offset < len(data) and _IDENTIFIER_BYTE.match(data[offset : offset + 1])
    if not at_word and offset > 0 and _IDENTIFIER_BYTE.match(data[offset - 1 : offset]):
        offsets.append(offset - 1)
    nodes = []
    for position in offsets:
        node = ctx.src.root.named_descendant_for_byte_range(position, position)
        if node is not None:
            nodes.append(node)
    return nodes


# ============================================================================================
# Rendering
# ============================================================================================


def _line(ctx: FileContext, offset: int) -> int:
    return ctx.src.line_of(offset) + 1


def _code(ctx: FileContext, node: Node, limit: int = 40) -> str:
    """Source text as a markdown code span (a raw string's backticks need a longer fence)."""
    text = finalizers.short_text(ctx, node, limit)
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _render_facts(title: str, facts: Sequence[str]) -> str:
    return "\n".join([f"**{title}**", "", *(f"- {fact}" for fact in facts)])


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _render_findings(findings: Sequence[Finding], markdown: bool) -> list[str]:
    """Per finding: its rule, severity and message, then (once per rule) the rule's doc, the
    same text as ``ctx-lsp explain RULE``."""
    parts = []
    documented: set[str] = set()
    for finding in sorted(findings, key=lambda f: (f.start, f.rule)):
        rule = RULES_BY_ID.get(finding.rule)
        severity = finding.severity if finding.severity is not None else (rule.severity if rule else None)
        label = f" ({severity.label})" if severity is not None else ""
        if markdown:
            # Messages quote code such as (*File).Close: escape it, or it turns into emphasis.
            message = _MARKDOWN_SPECIAL.sub(r"\\\1", finding.message)
            lines = [f"**ctx-lsp `{finding.rule}`**{label}: {message}"]
        else:
            lines = [f"ctx-lsp {finding.rule}{label}: {finding.message}"]
        if rule is not None and rule.id not in documented:
            documented.add(rule.id)
            doc = _demote_headings(rule.doc.rstrip()) if markdown else markdown_to_plain(rule.doc.rstrip())
            lines += ["", doc, "", f"Reference: {rule.url}"]
        parts.append("\n".join(lines))
    return parts


def _demote_headings(doc: str) -> str:
    """Rule docs start with a level-1 heading; inside a hover, next to other sections, level
    4 and below read better. Code blocks are left alone."""
    lines = []
    in_code = False
    for line in doc.splitlines():
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            line = "###" + line
        lines.append(line)
    return "\n".join(lines)


_FENCE = re.compile(r"^\s*```")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def markdown_to_plain(text: str) -> str:
    """The small markdown subset ctx-lsp writes, as plain text: code blocks indented,
    headings and emphasis unmarked (also bold that wraps across lines), links as
    ``text (url)``."""
    out: list[str] = []
    prose: list[str] = []
    in_code = False

    def flush_prose() -> None:
        if prose:
            out.append(plain_inline("\n".join(prose)))
            prose.clear()

    for line in text.splitlines():
        if _FENCE.match(line):
            flush_prose()
            in_code = not in_code
            continue
        if in_code:
            out.append("    " + line if line else "")
            continue
        heading = _HEADING.match(line)
        prose.append(_LINK.sub(r"\1 (\2)", heading.group(1) if heading else line))
    flush_prose()
    return "\n".join(out)


# ============================================================================================
# API references: context constructors, finalizers, timers...
# ============================================================================================


def _api_reference(ctx: FileContext, node: Node) -> tuple[Node, ApiInfo] | None:
    """The expression naming a known API (``context.WithTimeout``, a renamed or dot-imported
    name) that ``node`` is part of."""
    candidates = [node]
    parent = node.parent
    if parent is not None and parent.type == "selector_expression":
        candidates.insert(0, parent)
    for candidate in candidates:
        if candidate.type not in ("selector_expression", "identifier"):
            continue
        ref = ctx.pkg_ref(candidate)
        if ref is None:
            continue
        api = api_info(*ref)
        if api is not None:
            return candidate, api
    return None


def _call_of(reference: Node) -> Node | None:
    parent = reference.parent
    if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == reference:
        return parent
    return None


def _api_subject(ctx: FileContext, node: Node, offset: int) -> _Subject | None:
    found = _api_reference(ctx, node)
    if found is None:
        return None
    reference, api = found
    call = _call_of(reference)
    facts: list[str] = []
    if call is not None:
        facts = _call_facts(ctx, call, (api.import_path, api.name))
    title = f"At this call (line {_line(ctx, reference.start_byte)})" if call is not None else "Here"
    return _Subject(reference.start_byte, reference.end_byte, title, tuple(facts), api)


def _call_facts(ctx: FileContext, call: Node, ref: tuple[str, str]) -> list[str]:
    if ref in CANCELABLE_CONSTRUCTORS:
        return _constructor_facts(ctx, call, ref)
    if ref == _CONTEXT_AFTER_FUNC:
        return _after_func_facts(ctx, call)
    if ref[0] == finalizers.RUNTIME and ref[1] in (finalizers.SET_FINALIZER, finalizers.ADD_CLEANUP):
        return _finalizer_facts(ctx, call)
    if ref == ("runtime", "KeepAlive"):
        return _keep_alive_facts(ctx, call)
    if ref == ("time", "AfterFunc"):
        return _timer_facts(ctx, call)
    if ref in _FORCED_GC:
        return _forced_gc_facts(ctx)
    return []


# -- the parent of a derived context ---------------------------------------------------------


@attrs.frozen
class _Parent:
    """What the parent argument of a context constructor is.

    kind: ``root`` (Background/TODO), ``no-cancel`` (WithoutCancel), ``cancelable`` (made by
    a cancelable constructor at ``line``), ``parameter`` (a function parameter: up to the
    caller) or ``unknown``. ``text`` describes it in markdown; ``via`` mentions WithValue
    layers it was followed through.
    """

    kind: str
    text: str
    line: int | None = None
    via: tuple[int, ...] = ()


def _describe_parent(ctx: FileContext, expression: Node) -> _Parent:
    via: list[int] = []
    current, use = expression, expression
    for _ in range(_MAX_PARENT_HOPS):
        current = unparen(current)
        if current.type == "call_expression":
            ref = ctx.call_ref(current)
            line = _line(ctx, current.start_byte)
            if ref in _ROOTS:
                return _Parent("root", f"`{_display(ref)}()`", line, tuple(via))
            if ref == _WITHOUT_CANCEL:
                return _Parent("no-cancel", f"a `context.WithoutCancel` context (line {line})", line, tuple(via))
            if ref == _WITH_VALUE:
                arguments = call_arguments(current)
                if not arguments:
                    break
                via.append(line)
                current, use = arguments[0], current
                continue
            if ref in CANCELABLE_CONSTRUCTORS:
                return _Parent("cancelable", f"the context made by `{_display(ref)}` on line {line}",
                               line, tuple(via))
            return _Parent("unknown", f"the result of {_code(ctx, current)}", line, tuple(via))
        if current.type == "identifier":
            decl = ctx.resolve(current)
            if decl is None:
                return _Parent("unknown", f"`{ctx.src.text(current)}`, declared outside this function",
                               via=tuple(via))
            value = _value_of(ctx, current, use)
            if value is not None:
                current, use = value, value
                continue
            if decl.kind in ("param", "receiver", "result") and not _assigned_before(ctx, decl, use):
                return _Parent("parameter", f"the parameter `{decl.name}`", _line(ctx, decl.start), tuple(via))
            return _Parent("unknown", f"`{decl.name}`, whose value here ctx-lsp cannot follow", via=tuple(via))
        break
    return _Parent("unknown", _code(ctx, expression), via=tuple(via))


def _assigned_before(ctx: FileContext, decl: LocalDecl, use: Node) -> bool:
    for reference in ctx.scopes(decl.ident).references(decl):
        if reference.start_byte >= use.start_byte:
            continue
        holder = reference.parent
        statement = holder.parent if holder is not None and holder.type == "expression_list" else None
        if statement is not None and statement.type in ("assignment_statement", "short_var_declaration") \
                and statement.child_by_field_name("left") == holder:
            if statement.start_byte <= use.start_byte < statement.end_byte:
                continue  # `ctx, cancel := WithX(ctx)`: the right side reads ctx before the assignment
            return True
    return False


def _display(ref: tuple[str, str]) -> str:
    """``context.WithTimeout``, ``signal.NotifyContext``."""
    return f"{ref[0].rsplit('/', 1)[-1]}.{ref[1]}"


def _value_of(ctx: FileContext, ident: Node, use: Node) -> Node | None:
    """The expression a local variable certainly holds at ``use``: its last assignment, or
    the call of ``x, cancel := context.WithX(...)`` when ``x`` is its first target and is
    never assigned again."""
    value = finalizers.value_reaching(ctx, ident, use)
    if value is not None:
        return value
    decl = ctx.resolve(ident)
    if decl is None or finalizers.assigned_after(ctx, decl, decl.ident):
        return None
    holder = decl.ident.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else holder
    if statement is None or statement.type not in ("short_var_declaration", "var_spec"):
        return None
    if statement.type == "var_spec":
        targets = statement.children_by_field_name("name")
        values = expression_list_items(statement.child_by_field_name("value"))
    else:
        targets = expression_list_items(statement.child_by_field_name("left"))
        values = expression_list_items(statement.child_by_field_name("right"))
    if len(values) == 1 and targets and targets[0].start_byte == decl.ident.start_byte:
        value = unparen(values[0])
        if value.type == "call_expression":
            return value
    return None


def _parent_facts(parent: _Parent, api: str, arms_timer: bool, release: str) -> list[str]:
    via = ""
    if parent.via:
        lines = ", ".join(str(line) for line in parent.via)
        via = f" (seen through the `WithValue` layer{'s' if len(parent.via) > 1 else ''} on line {lines}, " \
              "whose `Done` is the parent's)"
    if parent.kind in ("root", "no-cancel"):
        facts = [f"Parent: {parent.text}{via}. Its `Done()` is nil, so this context is **not registered "
                 "anywhere** and no goroutine is started for it."]
        if arms_timer:
            facts.append(f"Only the runtime timer holds it: if `{release}` is never called, the context, its "
                         "values and its parent chain stay reachable until the deadline.")
        elif api == "signal.NotifyContext":
            facts.append(f"Its signal goroutine holds it until a signal arrives or `{release}` is called.")
        else:
            facts.append("Nothing retains it once it is unreferenced; vet's lostcancel still wants "
                         f"`{release}` called, and it is still the right thing to do.")
        return facts
    if parent.kind == "cancelable":
        until = f"`{release}` is called, the parent is canceled or the deadline fires" if arms_timer \
            else f"`{release}` is called or the parent is canceled"
        return [f"Parent: {parent.text}{via}. This context is added to that context's `children` map and "
                f"stays there until {until}."]
    if parent.kind == "parameter":
        return [f"Parent: {parent.text}{via}, so it depends on the caller. If the caller's context can be "
                f"canceled, this context is added to its `children` map until `{release}` is called or that "
                "context is canceled; under `Background()` nothing is registered."]
    return [f"Parent: {parent.text}{via}. If it is a standard cancelable context, this context is added to "
            f"its `children` map until `{release}` is called or the parent is canceled; nothing is registered "
            "when its `Done()` is nil; an unrecognised custom parent gets a watcher goroutine."]


def _constructor_facts(ctx: FileContext, call: Node, ref: tuple[str, str]) -> list[str]:
    api = api_info(*ref)
    assert api is not None
    arguments = call_arguments(call)
    facts: list[str] = []
    parent = _describe_parent(ctx, arguments[0]) if arguments else None
    if parent is not None:
        facts += _parent_facts(parent, api.qualified_name, api.arms_timer, _release_name(ref))
    facts += _release_facts(ctx, call, ref, parent)
    return facts


# -- where the cancel function goes ---------------------------------------------------------


def _ancestors(ctx: FileContext, node: Node) -> list[Node]:
    """The ancestors of ``node``, outermost first, from the root down. Found by descending
    (``child_with_descendant``) because tree-sitter's ``Node.parent`` costs O(depth): climbing
    parents is quadratic in deeply nested code."""
    path: list[Node] = []
    current = ctx.src.root
    for _ in range(1_000_000):
        if current == node:
            return path
        path.append(current)
        child = current.child_with_descendant(node)
        if child is None:
            break
        current = child
    return path


def _enclosing_function(ctx: FileContext, node: Node) -> Node | None:
    for ancestor in reversed(_ancestors(ctx, node)):
        if ancestor.type in FUNCTION_KINDS:
            return ancestor
    return None


def _release_name(ref: tuple[str, str]) -> str:
    return "stop" if ref[0] == "os/signal" else "cancel"


def _release_facts(ctx: FileContext, call: Node, ref: tuple[str, str], parent: _Parent | None) -> list[str]:
    function = _enclosing_function(ctx, call)
    if function is None:
        return [f"At package level: the {_release_name(ref)} function must be called by whoever owns it."]
    finding, definition = lostcancel.classify(ctx, function, call, ref)
    what = _release_name(ref)
    if finding is not None:
        retained = _retained_without_release(ctx, ref, parent)
        if "discarded" in finding.message:
            return [f"The {what} function is assigned to `_`, so it can never be called. {retained}"]
        return [f"The call's results are dropped, so the {what} function can never be called. {retained}"]
    if definition is None:
        return [_untracked_release(ctx, call, what)]
    return _definition_facts(ctx, function, definition, ref, parent)


def _untracked_release(ctx: FileContext, call: Node, what: str) -> str:
    holder = call.parent
    statement = holder.parent if holder is not None and holder.type == "expression_list" else None
    if statement is not None and statement.type == "return_statement":
        return f"The {what} function is returned to the caller, which must call it."
    if statement is not None and statement.type in ("short_var_declaration", "assignment_statement", "var_spec"):
        targets = (statement.children_by_field_name("name") if statement.type == "var_spec"
                   else expression_list_items(statement.child_by_field_name("left")))
        if len(targets) >= 2:
            return (f"The {what} function is stored in {_code(ctx, targets[1])}, outside this function's "
                    "local variables: whoever owns it must call it.")
    return f"ctx-lsp cannot follow the {what} function from here."


def _retained_without_release(ctx: FileContext, ref: tuple[str, str], parent: _Parent | None) -> str:
    api = api_info(*ref)
    assert api is not None
    pieces = []
    if parent is not None and parent.kind == "cancelable":
        pieces.append(f"the context stays in the `children` map of {parent.text} until that context is canceled")
    elif parent is not None and parent.kind == "parameter":
        pieces.append(f"if the caller's context is cancelable, the context stays in its `children` map until "
                      f"the caller's context is canceled")
    elif parent is not None and parent.kind in ("root", "no-cancel"):
        if not api.arms_timer and ref[0] != "os/signal":
            pieces.append("nothing registers it (the parent's `Done()` is nil), so it is garbage once unreferenced")
    else:
        pieces.append("under a cancelable parent it stays in the parent's `children` map until the parent is canceled")
    if api.arms_timer:
        pieces.append("its timer holds it until the deadline")
    if ref[0] == "os/signal":
        pieces.append("its goroutine and the signal registration stay until a signal arrives or the parent is canceled")
    return _sentence("; ".join(pieces))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "." if text else ""


def _reference_role(ctx: FileContext, reference: Node, function: Node) -> str:
    """How a reference to the cancel variable uses it, for "deferred on line N"."""
    path = _ancestors(ctx, reference)
    inner = [n for n in path if function.start_byte <= n.start_byte and n.end_byte <= function.end_byte]
    if any(n.type == "func_literal" and n != function for n in inner):
        return "used in a closure"
    parent = reference.parent
    if parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == reference:
        outer = parent.parent
        if outer is not None and outer.type == "defer_statement":
            return "deferred"
        if outer is not None and outer.type == "go_statement":
            return "called in a new goroutine"
        return "called"
    container = parent.parent if parent is not None and parent.type == "expression_list" else parent
    if container is not None and container.type == "return_statement":
        return "returned"
    return "passed or stored"


def _definition_facts(ctx: FileContext, function: Node, definition: lostcancel.Definition,
                      ref: tuple[str, str], parent: _Parent | None) -> list[str]:
    name = definition.decl.name
    uses = _use_summary(ctx, function, definition)
    facts = [f"`{name}` (line {_line(ctx, definition.ident.start_byte)}): {uses}." if uses
             else f"`{name}` (line {_line(ctx, definition.ident.start_byte)}) is never used."]
    if lostcancel.is_main_main(ctx, function):
        facts.append("In `func main` returning ends the process, so the paths are not checked (as in vet).")
        return facts
    outcome = lostcancel.search(ctx, ctx.cfg(function), definition)
    if outcome is None:
        facts.append(f"Every path from here to a return uses `{name}`.")
        return facts
    if outcome.overwrites:
        first = min(outcome.overwrites, key=lambda node: node.start_byte)
        facts.append(f"`{name}` is overwritten on line {_line(ctx, first.start_byte)} before it is used: this "
                     f"{_release_name(ref)} function is lost.")
    if outcome.returns:
        brace = ctx.cfg(function).closing_brace()
        places = [f"the end of the function (line {_line(ctx, start)})" if start == brace
                  else f"the return on line {_line(ctx, start)}" for start, _end in outcome.returns]
        retained = _retained_without_release(ctx, ref, parent)
        facts.append(f"**Not used** on the paths to {_join(places)}. On those paths: {retained[:1].lower()}"
                     f"{retained[1:]}")
    return facts


def _use_summary(ctx: FileContext, function: Node, definition: lostcancel.Definition) -> str:
    scopes = ctx.scopes(definition.ident)
    by_role: dict[str, list[int]] = {}
    for reference in scopes.references(definition.decl):
        if reference.start_byte == definition.ident.start_byte:
            continue
        if lostcancel.assignment_target_of(reference, function) is not None:
            continue  # overwrites are reported by the path search
        by_role.setdefault(_reference_role(ctx, reference, function), []).append(_line(ctx, reference.start_byte))
    pieces = []
    for role, lines in by_role.items():
        unique = sorted(set(lines))
        noun = "line" if len(unique) == 1 else "lines"
        pieces.append(f"{role} on {noun} {_join([str(line) for line in unique])}")
    return "; ".join(pieces)


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# -- the cancel variable itself --------------------------------------------------------------


def _cancel_variable_subject(ctx: FileContext, node: Node, offset: int) -> _Subject | None:
    if node.type != "identifier" or node.text == b"_":
        return None
    decl = ctx.resolve(node)
    if decl is None:
        return None
    holder = decl.ident.parent
    spec = holder.parent if holder is not None and holder.type == "expression_list" else holder
    if spec is None or spec.type not in ("short_var_declaration", "var_spec", "assignment_statement"):
        return None
    targets = (spec.children_by_field_name("name") if spec.type == "var_spec"
               else expression_list_items(spec.child_by_field_name("left")))
    values = (expression_list_items(spec.child_by_field_name("value")) if spec.type == "var_spec"
              else expression_list_items(spec.child_by_field_name("right")))
    if len(targets) < 2 or targets[1].start_byte != decl.ident.start_byte or len(values) != 1:
        return None
    call = unparen(values[0])
    if call.type != "call_expression":
        return None
    ref = ctx.call_ref(call)
    if ref not in CANCELABLE_CONSTRUCTORS:
        return None
    assert ref is not None
    api = api_info(*ref)
    assert api is not None
    arguments = call_arguments(call)
    parent = _describe_parent(ctx, arguments[0]) if arguments else None
    what = _release_name(ref)
    facts = [f"The {what} function of `{api.qualified_name}` on line {_line(ctx, call.start_byte)}."]
    facts += _release_facts(ctx, call, ref, parent)
    facts += [fact.text for section in api.sections if section.title.startswith("Calling") for fact in section.facts]
    return _Subject(node.start_byte, node.end_byte, f"`{decl.name}`", tuple(facts))


# -- context.AfterFunc -----------------------------------------------------------------------


def _after_func_facts(ctx: FileContext, call: Node) -> list[str]:
    arguments = call_arguments(call)
    if not arguments:
        return []
    parent = _describe_parent(ctx, arguments[0])
    if parent.kind in ("root", "no-cancel"):
        return [f"The context passed is {parent.text}: its `Done()` is nil, so it is never canceled and `f` "
                "never runs; nothing is registered."]
    if parent.kind == "cancelable":
        return [f"The context passed is {parent.text}: `f` is registered in its `children` map and runs when "
                "that context is canceled, unless `stop()` is called first."]
    return [f"The context passed is {parent.text}."]


# -- finalizers and cleanups -----------------------------------------------------------------


def _registration(ctx: FileContext, call: Node) -> finalizers.Registration | None:
    for registration in finalizers.registrations(ctx, call):
        if registration.call.start_byte == call.start_byte and registration.call.end_byte == call.end_byte:
            return registration
    return None


def _finalizer_facts(ctx: FileContext, call: Node) -> list[str]:
    registration = _registration(ctx, call)
    if registration is None:
        return []
    noun = registration.noun
    facts = []
    problem = self_reference(ctx, registration)
    if problem is not None:
        facts.append(_sentence(problem))
    else:
        callback = finalizers.resolve_callback(ctx, registration.callback, registration.call)
        facts.append(_callback_fact(ctx, registration, callback))
    type_name = finalizers.object_type_name(ctx, registration.obj)
    if type_name is not None:
        release = finalizers.release_api(ctx, type_name)
        if release is not None:
            owner, method = release
            facts.append(f"`{owner}` has an explicit `{method}` method: the {noun} is only a safety net; "
                         f"callers should still call `{method}`.")
        else:
            facts.append(f"`{type_name}` has no `Close`/`Release`/`Stop`/`Shutdown` method in this package: "
                         f"if the {noun} releases a resource, callers have no deterministic way to release it.")
    return facts


def _callback_fact(ctx: FileContext, registration: finalizers.Registration,
                   callback: finalizers.Callback) -> str:
    noun = registration.noun
    root = finalizers.object_root(ctx, registration.obj)
    subject = f"`{root.decl.name}`" if root is not None else "the object"
    if callback.kind == "literal":
        return f"The {noun} closure does not refer to {subject}, so it does not keep the object reachable."
    if callback.kind == "function":
        return f"The {noun} is the package function `{callback.name}`; it captures nothing."
    if callback.kind == "method_expression":
        return f"The {noun} is a method expression: it receives the object as its argument and captures nothing."
    if callback.kind == "nil":
        return "A nil finalizer removes the object's finalizer."
    return f"ctx-lsp cannot see what the {noun} refers to."


def _keep_alive_facts(ctx: FileContext, call: Node) -> list[str]:
    arguments = call_arguments(call)
    if len(arguments) != 1:
        return []
    argument = unparen(arguments[0])
    if argument.type == "identifier" and _is_context_variable(ctx, argument):
        return [f"`{ctx.src.text(argument)}` is a context: `KeepAlive` does nothing useful here. A context in "
                "use is reachable, so it is never collected early, and contexts carry no finalizers."]
    return []


def _timer_facts(ctx: FileContext, call: Node) -> list[str]:
    parent = call.parent
    if parent is not None and parent.type == "expression_statement":
        return ["The returned `*Timer` is dropped, so this call can never be stopped: `f` and everything it "
                "captures stay reachable until the timer fires."]
    return []


def _forced_gc_facts(ctx: FileContext) -> list[str]:
    if ctx.is_test_file:
        return ["This is a `_test.go` file: forcing or tuning collection in tests is normal "
                "(the `forced-gc` rule reports it only outside tests)."]
    return []


# ============================================================================================
# Struct fields holding contexts
# ============================================================================================


def _struct_field_subject(ctx: FileContext, node: Node, offset: int) -> _Subject | None:
    field = _field_declaration_of(node)
    if field is None:
        return None
    type_node = field.child_by_field_name("type")
    if type_node is None or context_holding(ctx, type_node) is Holding.NONE:
        return None
    names = field.children_by_field_name("name")
    hovered = next((name for name in names if name.start_byte <= offset < name.end_byte), None)
    if names and hovered is None:
        return None  # hovering the type of a named field: leave that to other hovers
    embedded = not names
    field_name = "Context" if embedded else ctx.src.text(hovered)
    anchor = type_node if embedded else hovered
    assert anchor is not None
    struct_name = _struct_name(field)
    facts = []
    if struct_name is None:
        facts.append("An anonymous struct: no methods can read this field.")
    else:
        facts += _field_access_facts(ctx, struct_name, field_name, embedded)
    facts.append("Whatever this context keeps reachable (its values, its entry in a parent's `children` map, "
                 "a pending timer) stays reachable as long as the struct value is.")
    facts.append("A stored context hides its lifetime from callers and mixes the scopes of separate calls: "
                  "pass `ctx` as the first parameter of each method that needs it instead.")
    owner = f" of `{struct_name}`" if struct_name else ""
    title = f"Field `{field_name}`{owner} holds a `context.Context`"
    return _Subject(anchor.start_byte, anchor.end_byte, title, tuple(facts))


def _field_declaration_of(node: Node) -> Node | None:
    current: Node | None = node
    for _ in range(4):  # field_identifier, or a type node nested a little inside the declaration
        if current is None:
            return None
        if current.type == "field_declaration":
            return current
        current = current.parent
    return None


def _struct_name(field: Node) -> str | None:
    field_list = field.parent
    struct = field_list.parent if field_list is not None else None
    spec = struct.parent if struct is not None else None
    if struct is None or struct.type != "struct_type" or spec is None or spec.type != "type_spec":
        return None
    name = spec.child_by_field_name("name")
    return name.text.decode("utf-8", "surrogateescape") if name is not None else None


def _field_access_facts(ctx: FileContext, struct_name: str, field_name: str, embedded: bool) -> list[str]:
    readers: list[str] = []
    writers: list[str] = []
    data = ctx.src.data
    type_bytes = struct_name.encode()
    for decl in ctx.src.root.named_children:
        # A cheap byte search first: walking every function of a large file costs milliseconds.
        if data.find(type_bytes, decl.start_byte, decl.end_byte) < 0:
            continue
        if decl.type == "method_declaration":
            receiver = _receiver(decl)
            if receiver is not None and receiver[1] == struct_name:
                reads, writes = _accesses(ctx, decl, receiver[0], field_name, embedded)
                label = f"`{_method_label(ctx, decl, struct_name)}` (line {_line(ctx, decl.start_byte)})"
                if reads:
                    readers.append(label)
                if writes:
                    writers.append(label)
        if decl.type in ("function_declaration", "method_declaration"):
            if _constructs_with_field(ctx, decl, struct_name, field_name):
                writers.append(f"`{_method_label(ctx, decl, struct_name)}` (line {_line(ctx, decl.start_byte)})")
    facts = []
    if readers:
        facts.append(f"Read in this file by {_join(readers)}.")
    else:
        facts.append(f"No method of `{struct_name}` in this file reads it.")
    if writers:
        facts.append(f"Set by {_join(sorted(set(writers), key=writers.index))}.")
    return facts


def _receiver(method: Node) -> tuple[Node | None, str] | None:
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return None
    for declaration in receiver.named_children:
        if declaration.type != "parameter_declaration":
            continue
        type_name = finalizers.base_type_name(declaration.child_by_field_name("type"))
        if type_name is None:
            return None
        names = declaration.children_by_field_name("name")
        return (names[0] if names else None), type_name
    return None


def _method_label(ctx: FileContext, decl: Node, struct_name: str) -> str:
    name = decl.child_by_field_name("name")
    text = ctx.src.text(name) if name is not None else "?"
    if decl.type != "method_declaration":
        return text
    receiver = decl.child_by_field_name("receiver")
    pointer = receiver is not None and any(n.type == "pointer_type" for n in walk(receiver))
    return f"({'*' if pointer else ''}{struct_name}).{text}"


def _accesses(ctx: FileContext, method: Node, receiver: Node | None, field_name: str,
              embedded: bool) -> tuple[bool, bool]:
    """Whether ``method`` reads / writes ``receiver.field_name`` (for an embedded Context, a
    promoted ``Done``/``Err``/``Value``/``Deadline`` call reads it too)."""
    if receiver is None or receiver.text == b"_":
        return False, False
    receiver_decl = ctx.resolve(receiver)
    body = method.child_by_field_name("body")
    if receiver_decl is None or body is None:
        return False, False
    wanted = {field_name}
    if embedded:
        wanted |= {"Done", "Err", "Value", "Deadline"}
    reads = writes = False
    for node in walk(body):
        if node.type != "selector_expression":
            continue
        operand = node.child_by_field_name("operand")
        field = node.child_by_field_name("field")
        if operand is None or field is None or operand.type != "identifier":
            continue
        if ctx.src.text(field) not in wanted or ctx.resolve(operand) != receiver_decl:
            continue
        if _is_assignment_target(node):
            writes = True
        else:
            reads = True
    return reads, writes


def _is_assignment_target(node: Node) -> bool:
    parent = node.parent
    statement = parent.parent if parent is not None and parent.type == "expression_list" else None
    return statement is not None and statement.type == "assignment_statement" and \
        statement.child_by_field_name("left") == parent


def _constructs_with_field(ctx: FileContext, decl: Node, struct_name: str, field_name: str) -> bool:
    """Whether ``decl`` builds ``struct_name{field_name: ...}`` (or ``&struct_name{...}``)."""
    for node in walk(decl):
        if node.type != "composite_literal":
            continue
        if finalizers.base_type_name(node.child_by_field_name("type")) != struct_name:
            continue
        body = node.child_by_field_name("body")
        if body is None:
            continue
        for element in body.named_children:
            if element.type != "keyed_element" or not element.named_children:
                continue
            key = element.named_children[0]
            if ctx.src.text(key).strip() == field_name:
                return True
    return False


# ============================================================================================
# go statements
# ============================================================================================


def _go_subject(ctx: FileContext, node: Node, offset: int) -> _Subject | None:
    if node.type != "go_statement":
        return None
    keyword = node.children[0] if node.children else None
    if keyword is None or keyword.type != "go" or not keyword.start_byte <= offset < keyword.end_byte:
        return None
    expression = next((child for child in node.named_children if child.type != "comment"), None)
    call = unparen(expression) if expression is not None else None
    if call is None or call.type != "call_expression":
        return None
    facts = _goroutine_facts(ctx, node, call)
    facts.append("A goroutine is never garbage collected: until its function returns, its stack and everything "
                 "it references stay reachable.")
    return _Subject(keyword.start_byte, keyword.end_byte, "This goroutine", tuple(facts))


def _goroutine_facts(ctx: FileContext, statement: Node, call: Node) -> list[str]:
    in_scope = _context_variables_visible_at(ctx, statement)
    function = unparen(call.child_by_field_name("function") or call)
    arguments = call_arguments(call)
    passed = [arg for arg in arguments if _refers_to_any(ctx, arg, in_scope)]
    if function.type == "func_literal":
        return _literal_goroutine_facts(ctx, function, arguments, in_scope)
    callee = _code(ctx, function)
    if passed:
        names = _join([_code(ctx, arg) for arg in passed])
        return [f"It passes {names} to {callee}: it can stop on cancellation if {callee} watches it."]
    if in_scope:
        names = _join([f"`{decl.name}`" for decl in in_scope])
        return [f"It passes no context to {callee}, although {names} is in scope: cancelling it cannot stop "
                "this goroutine."]
    return [f"No context is in scope and none is passed to {callee}: nothing can tell this goroutine to stop."]


def _literal_goroutine_facts(ctx: FileContext, literal: Node, arguments: list[Node],
                             in_scope: list[LocalDecl]) -> list[str]:
    body = literal.child_by_field_name("body")
    if body is None:
        return []
    # Contexts the goroutine can see: captured ones and its own context parameters.
    visible = list(in_scope) + context_parameters(ctx, literal)
    used = [decl for decl in visible if finalizers.mentions(ctx, body, decl)]
    watched = _watch_lines(ctx, body, visible)
    if watched:
        places = _join([f"`{ctx.src.text(node)}()` on line {_line(ctx, node.start_byte)}" for node in watched])
        return [f"It watches {places}: it can notice cancellation and return."]
    if used:
        names = _join([f"`{decl.name}`" for decl in used])
        return [f"It uses {names} but never checks `Done()`/`Err()` itself: it stops on cancellation only if "
                "the calls it makes do."]
    if visible:
        names = _join([f"`{decl.name}`" for decl in visible])
        return [f"It observes none of the contexts in scope ({names}): cancelling them cannot stop it."]
    return ["No context is in scope: nothing can tell this goroutine to stop; it ends only by returning."]


def _watch_lines(ctx: FileContext, body: Node, contexts: list[LocalDecl]) -> list[Node]:
    """``ctx.Done()`` / ``ctx.Err()`` selectors on any of ``contexts`` inside ``body``."""
    found = []
    for node in walk(body):
        if node.type != "selector_expression":
            continue
        operand = node.child_by_field_name("operand")
        field = node.child_by_field_name("field")
        if operand is None or field is None or operand.type != "identifier":
            continue
        if ctx.src.text(field) in _CONTEXT_WATCHERS and ctx.resolve(operand) in contexts:
            found.append(node)
    return found[:3]


def _refers_to_any(ctx: FileContext, expression: Node, decls: list[LocalDecl]) -> bool:
    return any(node.type == "identifier" and ctx.resolve(node) in decls for node in walk(expression))


def _context_variables_visible_at(ctx: FileContext, node: Node) -> list[LocalDecl]:
    """Local contexts (parameters typed ``context.Context`` and variables holding the result
    of a context constructor or of a ``.Context()`` method) visible at ``node``."""
    top = ctx.top_level_of(node)
    position = node.start_byte
    candidates: list[LocalDecl] = []
    for declaring in walk(top):
        if declaring.start_byte > position:
            continue
        for ident in _context_declarations(ctx, declaring):
            decl = ctx.resolve(ident)
            if decl is not None and decl.scope.start_byte <= position < decl.scope.end_byte \
                    and decl.visible_from <= position:
                candidates.append(decl)
    # Shadowing: keep the innermost declaration of each name.
    innermost: dict[str, LocalDecl] = {}
    for decl in candidates:
        known = innermost.get(decl.name)
        if known is None or decl.scope.end_byte - decl.scope.start_byte < known.scope.end_byte - known.scope.start_byte \
                or decl.visible_from > known.visible_from:
            innermost[decl.name] = decl
    return sorted(innermost.values(), key=lambda decl: decl.start)


def _context_declarations(ctx: FileContext, node: Node) -> list[Node]:
    """Identifiers that ``node`` declares as contexts."""
    kind = node.type
    if kind == "parameter_declaration":
        type_node = node.child_by_field_name("type")
        if type_node is not None and is_context_type(ctx, type_node):
            return node.children_by_field_name("name")
        return []
    if kind == "var_spec":
        type_node = node.child_by_field_name("type")
        names = node.children_by_field_name("name")
        if type_node is not None:
            return names if is_context_type(ctx, type_node) else []
        values = expression_list_items(node.child_by_field_name("value"))
    elif kind == "short_var_declaration":
        names = expression_list_items(node.child_by_field_name("left"))
        values = expression_list_items(node.child_by_field_name("right"))
    else:
        return []
    if len(values) == 1 and len(names) >= 1 and _makes_context(ctx, values[0]):
        return [names[0]] if names[0].type == "identifier" else []
    if len(values) == len(names):
        return [name for name, value in zip(names, values) if name.type == "identifier" and _makes_context(ctx, value)]
    return []


def _makes_context(ctx: FileContext, value: Node) -> bool:
    value = unparen(value)
    if value.type != "call_expression":
        return False
    if ctx.call_ref(value) in _CONTEXT_MAKERS:
        return True
    # r.Context(), t.Context(): by convention a method named Context returns the context.
    function = value.child_by_field_name("function")
    return function is not None and function.type == "selector_expression" and \
        ctx.pkg_ref(function) is None and \
        (field := function.child_by_field_name("field")) is not None and field.text == b"Context" and \
        not call_arguments(value)


def _is_context_variable(ctx: FileContext, ident: Node) -> bool:
    decl = ctx.resolve(ident)
    if decl is None:
        return False
    holder = decl.ident.parent
    if holder is not None and holder.type == "expression_list":
        holder = holder.parent
    if holder is None:
        return False
    return any(declared.start_byte == decl.ident.start_byte for declared in _context_declarations(ctx, holder))
