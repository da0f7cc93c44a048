"""``nil`` passed as a ``context.Context`` (the nil-context rule's site): what the callee does with it.

Only what the Go sources show is stated per callee (docs/runtime-facts.md §17): the context
constructors panic with "cannot create context from nil parent" (``NotifyContext`` and
``errgroup.WithContext`` call them), ``exec.CommandContext`` panics with "nil Context", and
``http.NewRequestWithContext`` returns the error "net/http: nil Context". The constructors'
explicit check arrived in Go 1.15. For any other callee the hover says only what the language
guarantees: a method call on a nil interface panics. Which callee does what is the rule's
reading (its message), so the hover and the diagnostic cannot disagree.
"""

from __future__ import annotations

import re

import tree_sitter

from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.syntax import call_arguments, callee_expression, unparen
from ctx_lsp.hover.apis import api_info
from ctx_lsp.hover.site.common import Subject, call_receiving, display
from ctx_lsp.hover.site.rule_findings import finding_on
from ctx_lsp.knowledge import versions

Node = tree_sitter.Node

# Go 1.15: WithCancel, WithDeadline and WithValue panic on a nil parent (go1.15 release notes).
NIL_PARENT_CHECK: versions.GoVersion = (1, 15)
_PARENT_PANIC = 'panics with "cannot create context from nil parent"'

# The rule's message: "nil passed as the context.Context of X, which CONSEQUENCE: pass ...".
_CONSEQUENCE = re.compile(r", which (.+?): pass the caller's context")
# Consequences read in the callee's source (the rule's warnings), as opposed to "gets a context
# on which..." / "panics with a nil-pointer dereference as soon as...".
_CERTAIN_PREFIXES = ('panics with "', 'returns the error "')

_ADVICE = ("The context package says: \"Do not pass a nil Context, even if a function permits it. Pass "
           "context.TODO if you are unsure about which Context to use.\"")


def nil_argument_subject(ctx: FileContext, node: Node, offset: int) -> Subject | None:
    if node.type != "nil":
        return None
    call = _call_taking_first(node)
    finding = finding_on(ctx, "nil-context", node) if call is not None else None
    if call is None or finding is None:
        return None
    function = callee_expression(call)
    ref = ctx.pkg_ref(function) if function is not None else None
    callee = f"`{display(ref)}`" if ref is not None else (
        f"`{ctx.src.text(function)}`" if function is not None else "the callee")
    consequence = _certain_consequence(finding)
    facts: list[str] = []
    if consequence is not None:
        title = f"**{callee} {consequence}: this call fails every time it runs.**"
        if consequence == _PARENT_PANIC and not versions.at_least(ctx.go_version, NIL_PARENT_CHECK):
            facts.append(f"The explicit check came with Go 1.15; this module declares "
                         f"{versions.describe(ctx.go_version)}: an older toolchain fails with a nil-pointer "
                         "dereference instead, at once or when the context is first used.")
    else:
        title = (f"**{callee} gets a nil context: any method call on it (`Done`, `Err`, `Value`) panics with a "
                 "nil-pointer dereference, unless the callee checks for nil first.**")
        facts.append("The panic may come far from this line: on a rare path, or in another goroutine.")
    facts.append(_ADVICE)
    facts.append("Pass the caller's context, or `context.TODO()` where none is plumbed through yet.")
    api = api_info(*ref) if ref is not None else None
    return Subject(node.start_byte, node.end_byte, title, tuple(facts), api)


def nil_parent_fact(ctx: FileContext, call: Node) -> str | None:
    """The first line for a hover on the callee of a call the nil-context rule reports."""
    arguments = call_arguments(call)
    nil = unparen(arguments[0]) if arguments else None
    finding = finding_on(ctx, "nil-context", nil) if nil is not None and nil.type == "nil" else None
    consequence = _certain_consequence(finding) if finding is not None else None
    if consequence is None:
        return None
    return f"Its context is `nil`: it {consequence}, every time this line runs."


def _certain_consequence(finding: Finding) -> str | None:
    """What the callee certainly does with nil, as the rule read it in the Go sources (its
    message: "... of context.WithCancel, which panics with "...": pass ..."), or None when the
    rule only knows that the callee takes a context."""
    found = _CONSEQUENCE.search(finding.message)
    if found is None:
        return None
    consequence = found.group(1)
    if consequence.startswith(_CERTAIN_PREFIXES):
        return consequence.replace("returns the error", "returns no request and the error")
    return None


def _call_taking_first(nil: Node) -> Node | None:
    """The call whose first argument is ``nil`` (parentheses allowed)."""
    call = call_receiving(nil)
    first = call_arguments(call)[:1] if call is not None else []
    return call if call is not None and first and unparen(first[0]) == nil else None


__all__ = ["nil_argument_subject"]
