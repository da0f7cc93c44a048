"""A statement-level control-flow graph of a Go function body.

Modelled on go/cfg (which go vet's lostcancel uses): blocks hold statements and the header
expressions of compound statements (if conditions, for clauses, switch tags, case values,
select communications) in execution order; a block ends at a branch, a ``return`` (recorded
in ``Block.return_stmt``) or a call that never returns. The block that falls off the end of
the body has ``implicit_return`` set. Function literals are not entered: each literal gets
its own graph.

Construction is iterative: every statement handler is a generator that yields the child
statements it wants built, and a trampoline drives them with an explicit stack, so a body
nested thousands of levels deep does not hit Python's recursion limit.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import attrs
import tree_sitter

Node = tree_sitter.Node
NoReturnTest = Callable[[Node], bool]
_Builder = Generator[Node, None, None]

_SIMPLE_STATEMENTS = frozenset(
    {
        "expression_statement", "send_statement", "inc_statement", "dec_statement",
        "assignment_statement", "short_var_declaration", "var_declaration", "const_declaration",
        "type_declaration", "go_statement", "defer_statement",
    }
)
_CASES = frozenset({"expression_case", "default_case", "type_case"})


@attrs.define(eq=False)
class Block:
    index: int
    kind: str
    nodes: list[Node] = attrs.Factory(list)
    succs: list["Block"] = attrs.Factory(list)
    return_stmt: Node | None = None
    implicit_return: bool = False
    live: bool = False

    @property
    def returns(self) -> bool:
        return self.return_stmt is not None or self.implicit_return

    def __repr__(self) -> str:  # compact, for debugging and test failures
        return f"Block({self.index} {self.kind} n={len(self.nodes)} -> {[s.index for s in self.succs]})"


@attrs.define(eq=False)
class _Target:
    label: str | None
    break_to: Block | None
    continue_to: Block | None
    fallthrough_to: Block | None = None


@attrs.define(eq=False)
class CFG:
    function: Node
    blocks: list[Block]

    @property
    def entry(self) -> Block:
        return self.blocks[0]

    def block_of(self, node: Node) -> tuple[Block, int] | None:
        """The block holding ``node`` (by identity of its byte range and kind) and its index."""
        for block in self.blocks:
            for index, candidate in enumerate(block.nodes):
                if candidate.start_byte == node.start_byte and candidate.end_byte == node.end_byte \
                        and candidate.type == node.type:
                    return block, index
        return None

    def can_return(self) -> bool:
        """Whether any reachable block returns (explicitly or by falling off the end)."""
        return any(block.live and block.returns for block in self.blocks)

    def closing_brace(self) -> int:
        """Byte offset of the body's closing brace (where the implicit return is reported)."""
        body = self.function.child_by_field_name("body")
        assert body is not None
        return body.end_byte - 1


class _Builder_:
    def __init__(self, function: Node, is_noreturn: NoReturnTest) -> None:
        self.function = function
        self.is_noreturn = is_noreturn
        self.blocks: list[Block] = []
        self.current: Block = self._new("entry")
        self.targets: list[_Target] = []
        self.labels: dict[str, Block] = {}
        self.pending_label: str | None = None

    # -- block plumbing -----------------------------------------------------------------------
    def _new(self, kind: str) -> Block:
        block = Block(index=len(self.blocks), kind=kind)
        self.blocks.append(block)
        return block

    def _add(self, node: Node | None) -> None:
        if node is not None:
            self.current.nodes.append(node)

    def _jump(self, target: Block | None) -> None:
        if target is not None and target not in self.current.succs:
            self.current.succs.append(target)

    def _cut(self, kind: str = "unreachable") -> None:
        """Start a fresh block with no predecessors (after return, branch, noreturn call)."""
        self.current = self._new(kind)

    def _label_block(self, name: str) -> Block:
        block = self.labels.get(name)
        if block is None:
            block = self.labels[name] = self._new(f"label.{name}")
        return block

    def _take_label(self) -> str | None:
        label, self.pending_label = self.pending_label, None
        return label

    def _find_target(self, label: str | None, want: str) -> Block | None:
        for target in reversed(self.targets):
            if label is not None and target.label != label:
                continue
            block = getattr(target, want)
            if block is not None:
                return block
            if label is not None:
                return None
        return None

    # -- driver -------------------------------------------------------------------------------
    def build(self) -> CFG:
        body = self.function.child_by_field_name("body")
        if body is not None:
            self._trampoline(self._visit(body))
            self.current.implicit_return = True
        self._mark_live()
        return CFG(function=self.function, blocks=self.blocks)

    def _trampoline(self, root: _Builder) -> None:
        stack: list[_Builder] = [root]
        while stack:
            try:
                child = next(stack[-1])
            except StopIteration:
                stack.pop()
                continue
            stack.append(self._visit(child))

    def _mark_live(self) -> None:
        work = [self.blocks[0]]
        while work:
            block = work.pop()
            if block.live:
                continue
            block.live = True
            work.extend(block.succs)

    def _visit(self, node: Node) -> _Builder:
        kind = node.type
        if kind == "labeled_statement":
            return self._labeled(node)
        self.pending_label = self.pending_label if kind in ("for_statement", "expression_switch_statement",
                                                            "type_switch_statement", "select_statement") else None
        handler = _HANDLERS.get(kind)
        if handler is not None:
            return handler(self, node)
        return self._simple(node)

    # -- statements ---------------------------------------------------------------------------
    def _statements(self, container: Node) -> _Builder:
        for child in container.named_children:
            if child.type == "statement_list":
                for statement in child.named_children:
                    if statement.type != "comment":
                        yield statement
            elif container.type == "statement_list" and child.type != "comment":
                yield child

    def _block(self, node: Node) -> _Builder:
        yield from self._statements(node)

    def _simple(self, node: Node) -> _Builder:
        if node.type in ("empty_statement", "comment"):
            return
        self._add(node)
        if node.type == "expression_statement":
            call = node.named_children[0] if node.named_child_count else None
            if call is not None and call.type == "call_expression" and self.is_noreturn(call):
                self._cut()
        return
        yield  # pragma: no cover - makes this a generator

    def _return(self, node: Node) -> _Builder:
        self._add(node)
        self.current.return_stmt = node
        self._cut()
        return
        yield  # pragma: no cover

    def _branch(self, node: Node) -> _Builder:
        label_node = next((c for c in node.named_children if c.type == "label_name"), None)
        label = (label_node.text or b"").decode("utf-8", "replace") if label_node is not None else None
        kind = node.type
        self._add(node)
        if kind == "goto_statement" and label is not None:
            self._jump(self._label_block(label))
        elif kind == "break_statement":
            self._jump(self._find_target(label, "break_to"))
        elif kind == "continue_statement":
            self._jump(self._find_target(label, "continue_to"))
        elif kind == "fallthrough_statement":
            self._jump(self._find_target(None, "fallthrough_to"))
        self._cut()
        return
        yield  # pragma: no cover

    def _labeled(self, node: Node) -> _Builder:
        label_node = node.child_by_field_name("label")
        name = (label_node.text or b"").decode("utf-8", "replace") if label_node is not None else ""
        block = self._label_block(name)
        self._jump(block)
        self.current = block
        inner = [c for c in node.named_children if c.type not in ("label_name", "comment")]
        if inner:
            self.pending_label = name
            yield inner[0]
        self.pending_label = None

    def _if(self, node: Node) -> _Builder:
        self._add(node.child_by_field_name("initializer"))
        self._add(node.child_by_field_name("condition"))
        head = self.current
        done = self._new("if.done")
        then = self._new("if.then")
        head.succs.append(then)
        self.current = then
        consequence = node.child_by_field_name("consequence")
        if consequence is not None:
            yield consequence
        self._jump(done)
        alternative = node.child_by_field_name("alternative")
        if alternative is not None:
            otherwise = self._new("if.else")
            head.succs.append(otherwise)
            self.current = otherwise
            yield alternative
            self._jump(done)
        else:
            head.succs.append(done)
        self.current = done

    def _for(self, node: Node) -> _Builder:
        label = self._take_label()
        body = node.child_by_field_name("body")
        clause = next((c for c in node.named_children
                       if c.type != "comment" and (body is None or c.start_byte != body.start_byte)), None)
        has_exit = False
        update = None
        head_nodes: list[Node] = []
        if clause is not None and clause.type == "for_clause":
            self._add(clause.child_by_field_name("initializer"))
            condition = clause.child_by_field_name("condition")
            update = clause.child_by_field_name("update")
            if condition is not None:
                head_nodes.append(condition)
                has_exit = True
        elif clause is not None and clause.type == "range_clause":
            head_nodes.append(clause)
            has_exit = True
        elif clause is not None:
            head_nodes.append(clause)  # for cond { }
            has_exit = True
        head = self._new("for.head")
        self._jump(head)
        head.nodes.extend(head_nodes)
        body_block = self._new("for.body")
        done = self._new("for.done")
        post = self._new("for.post") if update is not None else head
        head.succs.append(body_block)
        if has_exit:
            head.succs.append(done)
        self.targets.append(_Target(label, done, post))
        self.current = body_block
        if body is not None:
            yield body
        self._jump(post)
        if update is not None:
            self.current = post
            self._add(update)
            self._jump(head)
        self.targets.pop()
        self.current = done

    def _switch(self, node: Node) -> _Builder:
        label = self._take_label()
        self._add(node.child_by_field_name("initializer"))
        self._add(node.child_by_field_name("alias"))
        self._add(node.child_by_field_name("value"))
        head = self.current
        done = self._new("switch.done")
        cases = [c for c in node.named_children if c.type in _CASES]
        bodies = [self._new("switch.case") for _ in cases]
        head.succs.extend(bodies)
        if not any(c.type == "default_case" for c in cases):
            head.succs.append(done)
        for index, case in enumerate(cases):
            following = bodies[index + 1] if index + 1 < len(bodies) else None
            self.targets.append(_Target(label, done, None, following))
            self.current = bodies[index]
            self._add(case.child_by_field_name("value"))
            yield from self._statements(case)
            self._jump(done)
            self.targets.pop()
        self.current = done

    def _select(self, node: Node) -> _Builder:
        label = self._take_label()
        cases = [c for c in node.named_children if c.type in ("communication_case", "default_case")]
        if not cases:  # select {} blocks forever
            self._add(node)
            self._cut()
            return
        head = self.current
        done = self._new("select.done")
        self.targets.append(_Target(label, done, None))
        for case in cases:
            body = self._new("select.case")
            head.succs.append(body)
            self.current = body
            self._add(case.child_by_field_name("communication"))
            yield from self._statements(case)
            self._jump(done)
        self.targets.pop()
        self.current = done


_HANDLERS: dict[str, Callable[[_Builder_, Node], _Builder]] = {
    "block": _Builder_._block,
    "statement_list": _Builder_._block,
    "return_statement": _Builder_._return,
    "goto_statement": _Builder_._branch,
    "break_statement": _Builder_._branch,
    "continue_statement": _Builder_._branch,
    "fallthrough_statement": _Builder_._branch,
    "if_statement": _Builder_._if,
    "for_statement": _Builder_._for,
    "expression_switch_statement": _Builder_._switch,
    "type_switch_statement": _Builder_._switch,
    "select_statement": _Builder_._select,
}


def build_cfg(function: Node, is_noreturn: NoReturnTest = lambda call: False) -> CFG:
    """The control-flow graph of a function_declaration, method_declaration or func_literal."""
    return _Builder_(function, is_noreturn).build()
