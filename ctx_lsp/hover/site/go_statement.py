"""A go statement: which contexts the new goroutine can observe."""

from __future__ import annotations

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.scopes import LocalDecl
from ctx_lsp.engine.syntax import FUNCTION_KINDS, call_arguments, identifier_selectors, unparen
from ctx_lsp.hover.site.blocked_channel import blocked_goroutine_fact
from ctx_lsp.hover.site.common import Subject, ancestors, code_span, join, line_of
from ctx_lsp.hover.site.context_origin import context_origin, request_parameters
from ctx_lsp.hover.site.origin import context_variables_visible_at, refers_to_any
from ctx_lsp.knowledge import finalizer_calls as finalizers
from ctx_lsp.knowledge.contexts import context_parameters

Node = tree_sitter.Node

CONTEXT_WATCHERS = frozenset({"Done", "Err"})



def go_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
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
    blocked = blocked_goroutine_fact(ctx, node)
    if blocked is not None:
        facts.insert(0, blocked)  # the one fact about this goroutine: it can leak
    facts.append("A goroutine is never garbage collected: until its function returns, its stack and everything "
                 "it references stay reachable.")
    return Subject(keyword.start_byte, keyword.end_byte, f"**This goroutine: {facts[0]}**", tuple(facts[1:]))


def _never_canceled(ctx: FileContext, decls: list[LocalDecl]) -> list[LocalDecl]:
    """Those of ``decls`` that nothing can ever cancel (issue 15, claims 4 and 7)."""
    never = []
    for decl in decls:
        origin = context_origin(ctx, decl)
        if origin is not None and origin.cancelable is False:
            never.append(decl)
    return never


def _request_hint(ctx: FileContext, statement: Node) -> str | None:
    """``r.Context()`` of an enclosing handler's ``*http.Request`` parameter (issue 15, claim 5)."""
    for ancestor in reversed(ancestors(ctx, statement)):
        if ancestor.type in FUNCTION_KINDS:
            requests = request_parameters(ctx, ancestor)
            if requests:
                return f"`{requests[0].name}.Context()`"
    return None


def _goroutine_facts(ctx: FileContext, statement: Node, call: Node) -> list[str]:
    in_scope = context_variables_visible_at(ctx, statement)
    function = unparen(call.child_by_field_name("function") or call)
    arguments = call_arguments(call)
    passed = [arg for arg in arguments if refers_to_any(ctx, arg, in_scope)]
    if function.type == "func_literal":
        return _literal_goroutine_facts(ctx, function, arguments, in_scope)
    callee = code_span(ctx, function)
    if passed:
        names = join([code_span(ctx, arg) for arg in passed])
        passed_decls = [decl for decl in in_scope if any(refers_to_any(ctx, arg, [decl]) for arg in passed)]
        never = _never_canceled(ctx, passed_decls)
        if never and len(never) == len(passed_decls):
            which = join([f"`{decl.name}`" for decl in never])
            return [f"It passes {names} to {callee}, but {which} can never be canceled (its `Done()` is nil or "
                    "nothing can call its cancel): nothing can tell this goroutine to stop."]
        return [f"It passes {names} to {callee}: it can stop on cancellation if {callee} watches it."]
    if in_scope:
        names = join([f"`{decl.name}`" for decl in in_scope])
        return [f"It passes no context to {callee}, although {names} is in scope: cancelling it cannot stop "
                "this goroutine."]
    request = _request_hint(ctx, statement)
    if request is not None:
        return [f"It passes no context to {callee}, although {request} is available: the request's "
                "cancellation cannot stop this goroutine."]
    return [f"No context is in scope and none is passed to {callee}: nothing can tell this goroutine to stop."]


def _literal_goroutine_facts(ctx: FileContext, literal: Node, arguments: list[Node],
                             in_scope: list[LocalDecl]) -> list[str]:
    body = literal.child_by_field_name("body")
    if body is None:
        return []
    # Contexts the goroutine can see: captured ones and its own context parameters.
    visible = list(in_scope) + context_parameters(ctx, literal)
    used = [decl for decl in visible if finalizers.mentions(ctx, body, decl)]
    watched = watch_lines(ctx, body, visible)
    if watched:
        places = join([f"`{ctx.src.text(node)}()` on line {line_of(ctx, node.start_byte)}" for node in watched])
        watched_decls = [decl for decl in visible if watch_lines(ctx, body, [decl])]
        never = _never_canceled(ctx, watched_decls)
        if never and len(never) == len(watched_decls):
            which = join([f"`{decl.name}`" for decl in never])
            return [f"It watches {places}, but nothing can cancel {which}: the watch never fires."]
        origins = [context_origin(ctx, decl) for decl in watched_decls]
        who = join(sorted({origin.cancel_by for origin in origins if origin is not None and origin.cancel_by}))
        if who:
            return [f"It watches {places}: it can return when {who} cancels the context."]
        return [f"It watches {places}: it can notice cancellation and return."]
    if used:
        names = join([f"`{decl.name}`" for decl in used])
        return [f"It uses {names} but never checks `Done()`/`Err()` itself: it stops on cancellation only if "
                "the calls it makes do."]
    if visible:
        names = join([f"`{decl.name}`" for decl in visible])
        return [f"It observes none of the contexts in scope ({names}): cancelling them cannot stop it."]
    request = _request_hint(ctx, literal)
    if request is not None:
        return [f"It observes no context, although {request} is available: the request's cancellation "
                "cannot stop it."]
    return ["No context is in scope: nothing can tell this goroutine to stop; it ends only by returning."]


def watch_lines(ctx: FileContext, body: Node, contexts: list[LocalDecl]) -> list[Node]:
    """``ctx.Done()`` / ``ctx.Err()`` selectors on any of ``contexts`` inside ``body``."""
    found = []
    for node, operand, field in identifier_selectors(body):
        if ctx.src.text(field) in CONTEXT_WATCHERS and ctx.resolve(operand) in contexts:
            found.append(node)
    return found[:3]
