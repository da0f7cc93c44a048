"""FileContext: everything a check may know about the file it analyzes.

Rules get the parsed file plus file-wide facts: imports, go.mod version, package facts from
sibling files, local scopes, control-flow graphs and no-return knowledge. Expensive facts are
computed lazily and cached for the duration of one analysis.
"""

from __future__ import annotations

import bisect
import functools
import os
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import attrs
import tree_sitter

from ctx_lsp.engine import gomod
from ctx_lsp.engine.cfg import CFG, build_cfg
from ctx_lsp.engine.decl_index import DeclIndex
from ctx_lsp.engine.imports import Imports
from ctx_lsp.engine.module_index import ModuleIndex
from ctx_lsp.engine.package import (DeclFacts, IndexOf, PackageFacts, PackageLoader, decl_facts, decl_outline,
                                    facts_from_outline, outline_key, package_key, package_name)
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

# (declaration, path, index_of) -> its facts; see package.decl_facts.
DeclFactsFunction = Callable[[Node, str, IndexOf | None], DeclFacts]
T = TypeVar("T")
# A file-wide input of a check: a pure function of the FileContext (module level or a
# functools.partial of one, never a closure over a context: it is re-run on later contexts).
FileInput = Callable[["FileContext"], Hashable]
# Per-declaration values kept between analyses by the server: (name, declaration text) -> value.
DeclSummaries = Callable[[tuple[str, Hashable], Node, Callable[[Node], Any]], Any]


class FileContext:
    """The file under analysis and its file-wide facts (see the module docstring)."""

    def __init__(
        self,
        src: SourceFile,
        *,
        loader: PackageLoader | None = None,
        go_version: tuple[int, int] | None | str = "discover",
        facts_of: DeclFactsFunction = decl_facts,
        outline_of: DeclFactsFunction = decl_outline,
        summaries: DeclSummaries | None = None,
        defer_fixes: bool = False,
        exports: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.src = src
        # Whether rules may leave out fixes that read the whole file (see Finding.deferred_fixes);
        # set by analyze() for the server, whose cache keeps findings per declaration.
        self.defer_fixes = defer_fixes
        self._summaries = summaries
        self._inputs: dict[str, Hashable] = {}
        self._reads: dict[str, tuple[FileInput, bytes | None]] | None = None
        self.path = src.path
        self.is_test_file = os.path.basename(src.path).endswith("_test.go")
        self.package_name = package_name(src.root)
        self.imports = Imports.from_root(src.root)
        # Package members a dot import can provide: the rules' (Rule.exports) and the
        # engine's own never-returning functions.
        self.exports = exports | NORETURN_FUNCTIONS
        self._go_version = go_version
        self._loader = loader
        self._facts_of = facts_of
        self._own_facts: tuple[DeclFacts, ...] | None = None
        self._facts_splice: tuple[tuple[DeclFacts, ...], int, int] | None = None
        # The outline (package.decl_outline) of each declaration, when only it was needed.
        self._outline_of = outline_of
        self._own_outline: tuple[DeclFacts, ...] | None = None
        self._outline_splice: tuple[tuple[DeclFacts, ...], int, int] | None = None
        self._package: PackageFacts | None = None
        self._outline: PackageFacts | None = None
        self._siblings: list[DeclFacts] | None = None
        self._scopes: dict[tuple[int, int], Scopes] = {}
        self._indexes: dict[tuple[int, int], DeclIndex] = {}
        self._declarable: dict[tuple[int, int, bytes], bool] = {}
        self._cfgs: dict[tuple[int, int], CFG] = {}
        self._noreturn_names: frozenset[str] | None = None
        self._memo: dict[str, object] = {}
        self._top_level: list[Node] | None = None
        self._top_starts: list[int] = []
        # The node decl_text last answered for, and its bytes.
        self._text_node: Node | None = None
        self._text: bytes = b""

    # -- file-wide facts ----------------------------------------------------------------------
    @property
    def go_version(self) -> tuple[int, int] | None:
        if self._go_version == "discover":
            self._go_version = gomod.go_version_for(self.path) if self.path else None
        return self._go_version  # type: ignore[return-value]

    @property
    def own_facts(self) -> tuple[DeclFacts, ...]:
        """Package facts of this file's declarations (a file input, like ``package``)."""
        self._note_read("engine.own_facts", FileContext._own_facts_key)
        return self._own()

    def _own(self) -> tuple[DeclFacts, ...]:
        if self._own_facts is None:
            self._own_facts = self._each_declaration(self._facts_of, self._facts_splice)
        return self._own_facts

    def _own_outline_facts(self) -> tuple[DeclFacts, ...]:
        """The declarations' outlines: their full facts when computed, else stubs that agree
        with them on the outline (``package.decl_outline``)."""
        if self._own_facts is not None:
            return self._own_facts
        if self._own_outline is None:
            self._own_outline = self._each_declaration(self._outline_of, self._outline_splice)
        return self._own_outline

    def _each_declaration(self, facts_of: DeclFactsFunction,
                          splice: tuple[tuple[DeclFacts, ...], int, int] | None) -> tuple[DeclFacts, ...]:
        path, top = self.path, self.top_level
        if splice is None:
            return tuple([facts_of(child, path, self.index) for child in top])
        previous, prefix, suffix = splice
        middle = [facts_of(child, path, self.index) for child in top[prefix : len(top) - suffix]]
        return (*previous[:prefix], *middle, *previous[len(previous) - suffix :])

    def reuse_own_facts(self, previous: tuple[DeclFacts, ...], prefix: int, suffix: int) -> None:
        """The first ``prefix`` and last ``suffix`` top-level declarations are byte for byte
        those of an earlier analysis whose own facts were ``previous``: take theirs instead
        of looking every declaration up again (the server, on each keystroke). Their
        FunctionFacts positions may be stale; no check reads them."""
        if self._own_facts is None:
            self._facts_splice = (previous, prefix, suffix)

    def reuse_own_outline(self, previous: tuple[DeclFacts, ...], prefix: int, suffix: int) -> None:
        """``reuse_own_facts`` for the outlines (``computed_own_outline`` of an earlier analysis)."""
        if self._own_outline is None:
            self._outline_splice = (previous, prefix, suffix)

    @property
    def own_facts_if_computed(self) -> tuple[DeclFacts, ...] | None:
        """``own_facts`` when some rule already needed the package (its outline or all of
        it), else None (computing them just to share them costs more than it saves). When
        only the outline was needed, the full facts are computed now: the sibling files'
        analyses will need them, and this is cheaper than parsing the file again."""
        if self._own_facts is None and self._own_outline is not None:
            path, outlines = self.path, self._own_outline
            self._own_facts = tuple([facts_from_outline(child, outline, path)
                                     for child, outline in zip(self.top_level, outlines, strict=True)])
        return self._own_facts

    @property
    def computed_own_facts(self) -> tuple[DeclFacts, ...] | None:
        """``own_facts`` if computed, else None (never computes them)."""
        return self._own_facts

    @property
    def computed_own_outline(self) -> tuple[DeclFacts, ...] | None:
        """The declarations' outlines (or full facts) if computed, else None."""
        return self._own_facts if self._own_facts is not None else self._own_outline

    @property
    def package(self) -> PackageFacts:
        """Facts of this file plus the sibling files of the same package (read lazily). Reading
        them is a file-wide input (``engine.package``) of the declaration being checked."""
        self._note_read("engine.package", FileContext._package_key)
        if self._package is None:
            self._package = PackageFacts.merge(self._package_decl_facts())
        return self._package

    @property
    def package_outline(self) -> PackageFacts:
        """``package`` without its ``functions`` table (empty here): names, types, constants,
        variables, interfaces and method sets. Reading it is the file input
        ``engine.package.outline``, which an edit inside a function body rarely changes, so
        the server keeps the findings of the declarations that read only this."""
        self._note_read("engine.package.outline", FileContext._outline_key)
        if self._outline is None:
            source = self._package if self._package is not None else PackageFacts.merge(self._package_outline_facts())
            # No functions, and no collected facts (which may be stubs) behind a key.
            self._outline = attrs.evolve(source, functions={}, collected=())
        return self._outline

    def _package_outline_facts(self) -> list[DeclFacts]:
        return [*self._own_outline_facts(), *self._sibling_facts()]

    def _package_decl_facts(self) -> list[DeclFacts]:
        return [*self._own(), *self._sibling_facts()]

    @property
    def sibling_facts(self) -> list[DeclFacts]:
        """Facts of the other files of the package (without this file's, unmerged). Only for
        a file input's computation: reading them is not recorded."""
        return self._sibling_facts()

    def _sibling_facts(self) -> list[DeclFacts]:
        if self._siblings is None:
            self._siblings = ([] if self._loader is None or not self.path
                              else self._loader.sibling_facts(self.path, self.package_name, self.is_test_file))
        return self._siblings

    @property
    def module_index(self) -> ModuleIndex | None:
        """The module-wide syntax index of this file's module (other packages' facts), when
        the analysis has a loader. Read it only inside a ``file_input`` computation."""
        if self._loader is None or not self.path:
            return None
        return self._loader.modules.for_file(self.path)

    @functools.cached_property
    def base_key(self) -> tuple[object, ...]:
        """The file-wide facts any check may read freely: a change to one of them invalidates
        every cached declaration. Everything else outside a declaration is a file input."""
        return (self.imports.key(), self.go_version, self.is_test_file, self.package_name, self.build_constraint)

    # -- file inputs: what the server's per-declaration cache must re-check -----------------
    def file_input(self, name: str, compute: FileInput, *, needle: bytes | None = None) -> Any:
        """``compute(self)``, once per analysis: a value a check derives from outside its
        declaration (other declarations, sibling files). While the engine checks a
        declaration for its cache, each input read is recorded, and the cached findings are
        reused later only while every recorded input still has the same value. ``name``
        identifies the input (prefix it with the rule id); ``compute`` must be a pure
        function of the context, as it is re-run on later contexts to validate.

        ``needle``: the value depends only on ``base_key`` and on the top-level declarations
        whose text contains these bytes (see ``declarations_containing``). An edit whose
        text, before and after, does not contain them cannot change it, and the server then
        skips re-computing it."""
        self._note_read(name, compute, needle)
        return self.input_value(name, compute)

    def input_value(self, name: str, compute: FileInput) -> Any:
        """The current value of a file input, without recording the read."""
        try:
            return self._inputs[name]
        except KeyError:
            pass
        reads, self._reads = self._reads, None  # what compute reads is summed up by its value
        try:
            value = self._inputs[name] = compute(self)
        finally:
            self._reads = reads
        return value

    def _note_read(self, name: str, compute: FileInput, needle: bytes | None = None) -> None:
        if self._reads is not None:
            self._reads[name] = (compute, needle)

    def record_reads(self) -> None:
        """Start recording the file inputs read (by the engine, around one declaration)."""
        self._reads = {}

    def recorded_reads(self) -> dict[str, tuple[FileInput, bytes | None]]:
        """Stop recording; the inputs read since ``record_reads``."""
        reads, self._reads = self._reads or {}, None
        return reads

    def decl_summary(self, name: str, decl: Node, compute: Callable[[FileContext, Node], T]) -> T:
        """``compute(self, decl)`` for a value that depends only on the declaration's text and
        on ``base_key`` (imports, package name...): the server keeps such values between
        analyses, by (name, base key, text); the CLI computes them."""
        if self._summaries is None:
            return compute(self, decl)
        return self._summaries((name, self.base_key), decl, lambda node: compute(self, node))

    def decl_text(self, decl: Node) -> bytes:
        """``decl.text`` (never None), kept for the node asked last: the engine hands the same
        node object to every rule, and each rule's byte prefilter used to copy the text
        again (0.5 µs a copy, 17,000 copies on the 10,000-line benchmark file)."""
        if decl is self._text_node:
            return self._text
        text = self.src.data[decl.start_byte : decl.end_byte]
        self._text_node, self._text = decl, text
        return text

    def remember_decl_text(self, decl: Node, text: bytes) -> None:
        """``decl``'s bytes, already read by the caller (the engine's cache key)."""
        self._text_node, self._text = decl, text

    def declarations_containing(self, needle: bytes) -> list[Node]:
        """Top-level declarations whose text contains ``needle``, found with a byte search
        rather than by visiting every declaration."""
        self._index_top_level()
        data, found = self.src.data, []
        position = data.find(needle)
        while position >= 0:
            index = bisect.bisect_right(self._top_starts, position) - 1
            if index >= 0:
                decl = self._top_level[index]  # type: ignore[index]
                if position + len(needle) <= decl.end_byte:
                    found.append(decl)
                    position = data.find(needle, decl.end_byte)
                    continue
            position = data.find(needle, position + 1)
        return found

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

    @functools.cached_property
    def has_linkname(self) -> bool:
        return b"//go:linkname" in self.src.data

    # -- names ------------------------------------------------------------------------------
    def top_level_of(self, node: Node) -> Node:
        """The top-level declaration containing ``node``, found by byte offset: tree-sitter's
        ``Node.parent`` costs O(depth), so climbing parents is quadratic on deep code."""
        self._index_top_level()
        assert self._top_level is not None
        index = bisect.bisect_right(self._top_starts, node.start_byte) - 1
        if index >= 0 and node.end_byte <= self._top_level[index].end_byte:
            return self._top_level[index]
        return self.src.root

    def release_caches(self) -> None:
        """Forget the per-analysis caches that hold tree nodes (scopes, control-flow graphs,
        memoised file-wide values). The server keeps each document's last context for hover
        and code actions, which rebuild the little they need; keeping every cache of 50 open
        documents cost about 0.8 MB of Python objects per 2,000-line document."""
        self._scopes = {}
        self._indexes = {}
        self._declarable = {}
        self._cfgs = {}
        self._memo = {}
        self._top_level = None
        self._top_starts = []
        self._text_node, self._text = None, b""

    @property
    def top_level(self) -> list[Node]:
        """The root's named children (declarations, comments...), built once per analysis."""
        self._index_top_level()
        assert self._top_level is not None
        return self._top_level

    def _index_top_level(self) -> None:
        if self._top_level is None:
            self._top_level = self.src.root.named_children
            self._top_starts = [child.start_byte for child in self._top_level]

    def index(self, node: Node) -> DeclIndex:
        """The node index (calls, statements of interest) of the top-level declaration
        containing ``node``: one query per declaration and analysis, shared by all rules."""
        decl = self.top_level_of(node)
        key = (decl.start_byte, decl.end_byte)
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = DeclIndex(decl)
        return index

    def nodes_of_kind(self, node: Node, kind: str) -> list[Node]:
        """Every ``kind`` node in ``node``'s subtree (itself included), in source order."""
        return self.index(node).nodes_of_kind(node, kind)

    def calls_named(self, node: Node, names: frozenset[str]) -> list[Node]:
        """Calls in ``node``'s subtree (nested function literals included) whose function is
        ``X.Name``, ``Name`` or ``(X.Name)`` with Name in ``names``, in source order: a cheap
        first filter, after which rules confirm each candidate with ``call_ref``."""
        return self.index(node).calls_named(node, names)

    def scopes(self, node: Node) -> Scopes:
        """Local scopes of the top-level declaration containing ``node``."""
        decl = self.top_level_of(node)
        key = (decl.start_byte, decl.end_byte)
        scopes = self._scopes.get(key)
        if scopes is None:
            scopes = self._scopes[key] = Scopes(decl, self.index(decl))
        return scopes

    def resolve(self, ident: Node) -> LocalDecl | None:
        return self.scopes(ident).resolve(ident)

    def _may_be_declared_here(self, ident: Node) -> bool:
        """False when ``ident``'s name cannot be declared in its top-level declaration, so it
        is not a local: in a declaration without syntax errors, every occurrence of the name's
        bytes is followed by a dot (``context.WithCancel``), and a declared name never is.
        Spares building the scopes of most functions that merely call a package."""
        decl = self.top_level_of(ident)
        name = self.src.data[ident.start_byte : ident.end_byte]
        key = (decl.start_byte, decl.end_byte, name)
        answer = self._declarable.get(key)
        if answer is None:
            data, start, end = self.src.data, decl.start_byte, decl.end_byte
            answer = decl.has_error or data.count(name, start, end) != data.count(name + b".", start, end)
            self._declarable[key] = answer
        return answer

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
            if path is None or (self._may_be_declared_here(operand) and self.is_local(operand)):
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
            member = self.src.text(node)
            path = self.imports.dot_import_for(member, self.exports)
            if path is None or (kind == "identifier" and self.is_local(node)):
                return None
            return path, member
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
            if self.is_noreturn_function_name(name):
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

    def is_noreturn_function_name(self, name: str) -> bool:
        """Whether the same-file function ``name`` never returns; a file input per name."""
        return bool(self.file_input(f"engine.noreturn:{name}", functools.partial(FileContext._is_noreturn_name, name=name)))

    def _noreturn_function_names(self) -> frozenset[str]:
        """Same-file functions whose body has no return and always ends in a call that never
        returns (or ``for {}``/``select {}``); computed to a fixed point so wrappers of
        wrappers count."""
        if self._noreturn_names is None:
            candidates = {f.name: f.terminal_call for facts in self._own() for f in facts.functions
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
        path = self.imports.dot_import_for(terminal, self.exports)
        return path is not None and (path, terminal) in NORETURN_FUNCTIONS

    # -- the file inputs the engine itself declares (FileInput functions of a context) -------
    @staticmethod
    def _package_key(ctx: FileContext) -> Hashable:
        # The key alone, without merging the facts into tables: cheaper when only validating.
        if ctx._package is not None:
            return ctx._package.key
        return package_key(ctx._package_decl_facts())

    @staticmethod
    def _outline_key(ctx: FileContext) -> Hashable:
        return outline_key(ctx._package_outline_facts())

    @staticmethod
    def _own_facts_key(ctx: FileContext) -> Hashable:
        return tuple(fact.identity for fact in ctx._own())

    @staticmethod
    def _is_noreturn_name(ctx: FileContext, name: str) -> bool:
        return name in ctx._noreturn_function_names()
