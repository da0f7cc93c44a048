"""FileContext: everything a check may know about the file it analyses.

Rules get the parsed file plus file-wide facts: imports, go.mod version, package facts from
sibling files, local scopes, control-flow graphs and no-return knowledge. Expensive facts are
computed lazily and cached for the duration of one analysis.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable
from typing import TypeVar

import tree_sitter

from ctx_lsp.engine import gomod
from ctx_lsp.engine.cfg import CFG, build_cfg
from ctx_lsp.engine.imports import Imports
from ctx_lsp.engine.package import DeclFacts, PackageFacts, PackageLoader, decl_facts, package_name
from ctx_lsp.engine.scopes import LocalDecl, Scopes
from ctx_lsp.engine.source import SourceFile

Node = tree_sitter.Node

# Calls that never return, by (import path, function name).
NORETURN_FUNCTIONS: frozenset[tuple[str, str]] = frozenset(
    [("os", "Exit"), ("syscall", "Exit"), ("runtime", "Goexit")]
    + [("log", n) for n in ("Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln")]
    + [(p, n) for p in ("k8s.io/klog", "k8s.io/klog/v2", "github.com/golang/glog")
       for n in ("Fatal", "Fatalf", "Fatalln", "FatalDepth", "Exit", "Exitf", "Exitln", "ExitDepth")]
)
# Methods that never return, by receiver type (import path, type name).
NORETURN_METHODS: dict[tuple[str, str], frozenset[str]] = {
    **{("testing", t): frozenset({"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"})
       for t in ("T", "B", "F", "TB")},
    ("log", "Logger"): frozenset({"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"}),
}

DeclFactsFunction = Callable[[Node, str], DeclFacts]
T = TypeVar("T")


class FileContext:
    """The file under analysis and its file-wide facts (see the module docstring)."""

    def __init__(
        self,
        src: SourceFile,
        *,
        loader: PackageLoader | None = None,
        go_version: tuple[int, int] | None | str = "discover",
        facts_of: DeclFactsFunction = decl_facts,
    ) -> None:
        self.src = src
        self.path = src.path
        self.is_test_file = os.path.basename(src.path).endswith("_test.go")
        self.package_name = package_name(src.root)
        self.imports = Imports.from_root(src.root)
        self._go_version = go_version
        self._loader = loader
        self._facts_of = facts_of
        self._own_facts: tuple[DeclFacts, ...] | None = None
        self._package: PackageFacts | None = None
        self._scopes: dict[tuple[int, int], Scopes] = {}
        self._cfgs: dict[tuple[int, int], CFG] = {}
        self._noreturn_names: frozenset[str] | None = None
        self._memo: dict[str, object] = {}
        self._top_level: list[Node] | None = None
        self._top_starts: list[int] = []

    # -- file-wide facts ----------------------------------------------------------------------
    @property
    def go_version(self) -> tuple[int, int] | None:
        if self._go_version == "discover":
            self._go_version = gomod.go_version_for(self.path) if self.path else None
        return self._go_version  # type: ignore[return-value]

    @property
    def own_facts(self) -> tuple[DeclFacts, ...]:
        if self._own_facts is None:
            self._own_facts = tuple(self._facts_of(child, self.path) for child in self.src.root.named_children)
        return self._own_facts

    @property
    def own_facts_if_computed(self) -> tuple[DeclFacts, ...] | None:
        """``own_facts`` when some rule already needed them, else None (computing them just
        to share them costs more than it saves)."""
        return self._own_facts

    @property
    def package(self) -> PackageFacts:
        """Facts of this file plus the sibling files of the same package (read lazily)."""
        if self._package is None:
            facts = list(self.own_facts)
            if self._loader is not None and self.path:
                facts.extend(self._loader.sibling_facts(self.path, self.package_name, self.is_test_file))
            self._package = PackageFacts.merge(facts)
        return self._package

    @property
    def facts_key(self) -> tuple[object, ...]:
        """Everything outside a declaration that checks may read; cached findings of a
        declaration are valid only while this key is unchanged."""
        return (self.imports.key(), self.package.key, self.go_version, self.is_test_file, self.package_name,
                self.build_constraint)

    @property
    def build_constraint(self) -> str:
        """The ``//go:build`` line before the package clause ("" when there is none)."""
        return str(self.memo("engine.build_constraint", self._read_build_constraint))

    def _read_build_constraint(self) -> str:
        for child in self.src.root.named_children:
            if child.type == "package_clause":
                break
            if child.type == "comment" and child.text and child.text.startswith(b"//go:build"):
                return self.src.text(child)
        return ""

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """A file-wide value computed once per analysis (rules run once per declaration, so
        anything they derive from the whole file belongs here). Prefix keys with the rule id."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]  # type: ignore[return-value]

    @property
    def has_linkname(self) -> bool:
        return b"//go:linkname" in self.src.data

    # -- names ------------------------------------------------------------------------------
    def top_level_of(self, node: Node) -> Node:
        """The top-level declaration containing ``node``, found by byte offset: tree-sitter's
        ``Node.parent`` costs O(depth), so climbing parents is quadratic on deep code."""
        if self._top_level is None:
            self._top_level = self.src.root.named_children
            self._top_starts = [child.start_byte for child in self._top_level]
        index = bisect.bisect_right(self._top_starts, node.start_byte) - 1
        if index >= 0 and node.end_byte <= self._top_level[index].end_byte:
            return self._top_level[index]
        return self.src.root

    def scopes(self, node: Node) -> Scopes:
        """Local scopes of the top-level declaration containing ``node``."""
        decl = self.top_level_of(node)
        key = (decl.start_byte, decl.end_byte)
        scopes = self._scopes.get(key)
        if scopes is None:
            scopes = self._scopes[key] = Scopes(decl)
        return scopes

    def resolve(self, ident: Node) -> LocalDecl | None:
        return self.scopes(ident).resolve(ident)

    def is_local(self, ident: Node) -> bool:
        return self.resolve(ident) is not None

    def pkg_ref(self, node: Node | None) -> tuple[str, str] | None:
        """(import path, name) when ``node`` names a package member: ``pkg.Name`` through the
        file's imports (renamed too), a ``qualified_type``, or a dot-imported bare ``Name``.
        A local variable, parameter or field that shadows the package name is not the package."""
        if node is None:
            return None
        while node.type == "parenthesized_expression" and node.named_child_count == 1:
            node = node.named_children[0]  # a loop, not recursion: parentheses can nest thousands deep
        kind = node.type
        if kind == "selector_expression":
            operand = node.child_by_field_name("operand")
            field = node.child_by_field_name("field")
            if operand is None or field is None or operand.type != "identifier":
                return None
            path = self.imports.path_for(self.src.text(operand))
            if path is None or self.is_local(operand):
                return None
            return path, self.src.text(field)
        if kind == "qualified_type":
            package = node.child_by_field_name("package")
            name = node.child_by_field_name("name")
            if package is None or name is None:
                return None
            path = self.imports.path_for(self.src.text(package))
            return (path, self.src.text(name)) if path is not None else None
        if kind in ("identifier", "type_identifier") and self.imports.dot_paths:
            name = self.src.text(node)
            path = self.imports.dot_import_for(name)
            if path is None or (kind == "identifier" and self.is_local(node)):
                return None
            return path, name
        return None

    def call_ref(self, call: Node) -> tuple[str, str] | None:
        """``pkg_ref`` of a call_expression's function."""
        if call.type != "call_expression":
            return None
        return self.pkg_ref(call.child_by_field_name("function"))

    def declared_type_of(self, ident: Node) -> Node | None:
        """The written type of the local/parameter ``ident`` refers to, when declared with one."""
        decl = self.resolve(ident)
        if decl is None:
            return None
        holder = decl.ident.parent
        if holder is None:
            return None
        if holder.type in ("parameter_declaration", "var_spec"):
            return holder.child_by_field_name("type")
        return None

    # -- control flow ------------------------------------------------------------------------
    def cfg(self, function: Node) -> CFG:
        key = (function.start_byte, function.end_byte)
        graph = self._cfgs.get(key)
        if graph is None:
            graph = self._cfgs[key] = build_cfg(function, self.is_noreturn)
        return graph

    def is_noreturn(self, call: Node) -> bool:
        """Whether ``call`` certainly never returns (panic, os.Exit, log.Fatal, t.FailNow,
        a same-file function whose body always ends in one of those...)."""
        function = call.child_by_field_name("function")
        if function is None:
            return False
        if function.type == "identifier":
            name = self.src.text(function)
            if self.is_local(function):
                return False
            if name == "panic":
                return True
            if name in self.noreturn_function_names:
                return True
        ref = self.pkg_ref(function)
        if ref is not None:
            return ref in NORETURN_FUNCTIONS
        if function.type == "selector_expression":
            return self._is_noreturn_method(function)
        return False

    def _is_noreturn_method(self, selector: Node) -> bool:
        operand = selector.child_by_field_name("operand")
        field = selector.child_by_field_name("field")
        if operand is None or field is None:
            return False
        receiver_type = self._receiver_type(operand)
        if receiver_type is None:
            return False
        return self.src.text(field) in NORETURN_METHODS.get(receiver_type, frozenset())

    def _receiver_type(self, operand: Node) -> tuple[str, str] | None:
        while operand.type == "parenthesized_expression" and operand.named_child_count == 1:
            operand = operand.named_children[0]
        if operand.type == "identifier":
            type_node = self.declared_type_of(operand)
            if type_node is None:
                return None
            if type_node.type == "pointer_type" and type_node.named_child_count:
                type_node = type_node.named_children[0]
            return self.pkg_ref(type_node)
        if operand.type == "call_expression":  # new(testing.T)
            function = operand.child_by_field_name("function")
            arguments = operand.child_by_field_name("arguments")
            if function is not None and function.text == b"new" and arguments is not None \
                    and arguments.named_child_count == 1:
                return self.pkg_ref(arguments.named_children[0])
        return None

    @property
    def noreturn_function_names(self) -> frozenset[str]:
        """Same-file functions whose body has no return and always ends in a call that never
        returns (or ``for {}``/``select {}``); computed to a fixed point so wrappers of
        wrappers count."""
        if self._noreturn_names is None:
            candidates = {f.name: f.terminal_call for facts in self.own_facts for f in facts.functions
                          if f.receiver_type is None and f.has_body and not f.has_return
                          and f.terminal_call is not None}
            known: set[str] = set()
            changed = True
            while changed:
                changed = False
                for name, terminal in candidates.items():
                    if name not in known and self._terminal_never_returns(terminal, known):
                        known.add(name)
                        changed = True
            self._noreturn_names = frozenset(known)
        return self._noreturn_names

    def _terminal_never_returns(self, terminal: str, known: set[str]) -> bool:
        if terminal in ("for", "select", "panic") or terminal in known:
            return True
        if "." in terminal:
            operand, _, name = terminal.partition(".")
            path = self.imports.path_for(operand)
            return path is not None and (path, name) in NORETURN_FUNCTIONS
        path = self.imports.dot_import_for(terminal)
        return path is not None and (path, terminal) in NORETURN_FUNCTIONS
