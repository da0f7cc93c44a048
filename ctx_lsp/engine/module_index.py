"""A module-wide syntax index: what rules need from other packages of the same Go module,
without type checking.

For every package directory of a module (the tree under its ``go.mod``, nested modules,
``vendor``, ``testdata`` and ``.``/``_`` directories left out) the index serves the merged
declaration facts of its non-test files (:class:`~ctx_lsp.engine.package.PackageFacts`):
constants and package-level variables with their literal types, interfaces and their method
sets, ``var _ I = (*T)(nil)`` assertions, struct types and their fields, functions that never
return (their terminal calls), functions returning a context derived from a parameter, work
item types (see :mod:`ctx_lsp.engine.decl_extras`). It also answers one module-wide question:
which interfaces whose methods take no context are declared anywhere in the module.

Everything is read lazily and cached per file by (mtime, size) through the
:class:`~ctx_lsp.engine.package.PackageLoader` that owns the index, so the CLI parses a file
at most once per process, and the server's open documents count with their unsaved text (the
loader's overlay). A package is summarised the first time a rule asks about it; the
module-wide interface table parses only files that declare a non-empty interface (a byte
search finds them), once per run.

The server keeps one :class:`ModuleIndexes` per loader: ``loader.modules``. It calls:

- on ``initialize``: :meth:`ModuleIndexes.add_workspace_folder` for each workspace folder
  (folders without a go.mod then get an index of their own);
- on the first ``didOpen`` of a file of a module: :func:`warm_in_background` with that file's
  path (a daemon thread; no analysis waits for it);
- on ``didClose`` and for every ``workspace/didChangeWatchedFiles`` change (saves):
  :meth:`ModuleIndexes.file_changed` with the file's path (it drops the answers derived from
  that file; a changed go.mod drops every index). Edits in an open buffer reach other
  packages' view of its file on save, never on the keystroke path.

Rules read the index only inside ``FileContext.file_input`` computations, so the server's
per-declaration cache re-checks a declaration when an answer it used changes.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from typing import TypeVar
from collections import Counter
from collections.abc import Callable, Iterator

from ctx_lsp.engine import gomod
from ctx_lsp.engine.files import StampedCache, package_go_files
from ctx_lsp.engine.package import DeclFacts, PackageFacts, decl_facts
from ctx_lsp.engine.parse import parse

# (package name, facts) of a file, or None when it cannot be read: PackageLoader.file_facts.
FileFacts = Callable[[str], "tuple[str, tuple[DeclFacts, ...]] | None"]
_LOG = logging.getLogger(__name__)
_MODULE_DIRECTIVE = re.compile(rb"^\s*module\s+\"?([^\s\"]+)\"?", re.MULTILINE)
_BRACE = re.compile(rb"[{}]")
# A named interface type declaration, alone or in a `type (...)` group (type parameters too).
_INTERFACE_SPEC = re.compile(rb"^[ \t]*(?:type[ \t]+)?([A-Za-z_]\w*(?:\[[^\]\n]*\])?)[ \t]+interface[ \t]*\{",
                             re.MULTILINE)


def _skip_directory(name: str) -> bool:
    return name in ("vendor", "testdata") or name.startswith((".", "_"))


def module_path_of(go_mod: str) -> str | None:
    try:
        with open(go_mod, "rb") as handle:
            match = _MODULE_DIRECTIVE.search(handle.read(65536))
    except OSError:
        return None
    return match.group(1).decode("utf-8", "replace") if match else None


# An interface as the index keeps it: its qualified name, and its methods by name.
Interface = tuple[str, dict[str, tuple[bool, int]]]
Answer = TypeVar("Answer")


class ModuleIndex:
    """The index of one module (or workspace folder without a go.mod)."""

    def __init__(self, root: str, module_path: str | None, file_facts: FileFacts,
                 overlay: FileFacts | None = None) -> None:
        self.root = root
        self.module_path = module_path
        self._file_facts = file_facts
        self._overlay = overlay
        # Only regular files within the size limit are read (a FIFO named x.go would block).
        self._interface_cache: StampedCache[tuple[DeclFacts, ...]] = StampedCache(_interface_facts_of)
        # Two locks, so that the event loop (file_changed) never waits for a disk read: ``_lock``
        # guards the answers and is held only to look them up or store them; ``_read_lock``
        # makes the readers (the analysis thread, the warm-up thread) take turns, so that a
        # package is read once, not by both. ``_generation`` counts file_changed calls: an
        # answer read while a file changed is returned but not kept (it may be of the old file).
        self._lock = threading.Lock()
        self._read_lock = threading.RLock()
        self._generation = 0
        self._packages: dict[str, PackageFacts] = {}
        self._directories: list[str] | None = None
        self._interfaces: list[Interface] | None = None

    # -- packages --------------------------------------------------------------------------------
    def directory_of(self, import_path: str) -> str | None:
        """The directory of a package of this module by import path (the standard library's
        module ``std`` maps ``net/http`` to ``src/net/http``)."""
        if self.module_path is None:
            return None
        if self.module_path == "std":
            relative = import_path
        elif import_path == self.module_path:
            relative = ""
        elif import_path.startswith(self.module_path + "/"):
            relative = import_path[len(self.module_path) + 1 :]
        else:
            return None
        directory = os.path.normpath(os.path.join(self.root, relative))
        return directory if os.path.isdir(directory) else None

    def package_at(self, directory: str) -> PackageFacts:
        """Merged facts of the non-test files of the package in ``directory``."""
        directory = os.path.abspath(directory)
        return self._answer(lambda: self._packages.get(directory), lambda: self._read_package(directory),
                            lambda found: self._packages.__setitem__(directory, found))

    def _answer(self, known: Callable[[], Answer | None], read: Callable[[], Answer],
                keep: Callable[[Answer], None]) -> Answer:
        """A cached answer, or ``read()`` outside ``_lock`` (readers take turns on
        ``_read_lock``), kept unless a file changed meanwhile."""
        with self._lock:
            found = known()
        if found is not None:
            return found
        with self._read_lock:
            with self._lock:
                found, generation = known(), self._generation
            if found is not None:
                return found  # another reader read it while this one waited its turn
            found = read()
            with self._lock:
                if generation == self._generation:
                    keep(found)
            return found

    def package(self, import_path: str) -> PackageFacts | None:
        directory = self.directory_of(import_path)
        return self.package_at(directory) if directory is not None else None

    def _read_package(self, directory: str) -> PackageFacts:
        summaries = [summary for path in package_go_files(directory, include_tests=False) if (summary := self._file_facts(path)) is not None]
        # Files excluded by build tags may declare another package (`package main` in a
        # generator): the package is the name most files declare.
        names = Counter(name for name, _facts in summaries if name)
        if not names:
            return PackageFacts()
        package = names.most_common(1)[0][0]
        return PackageFacts.merge(fact for name, facts in summaries if name == package for fact in facts)

    # -- module-wide ------------------------------------------------------------------------------
    def directories(self) -> list[str]:
        return self._answer(lambda: self._directories, lambda: list(_package_directories(self.root)),
                            lambda found: setattr(self, "_directories", found))

    def ctxless_interfaces(self) -> list[Interface]:
        """Every interface declared in the module whose methods (embedded ones of the same
        package included) take no context parameter, with at least one method."""
        return self._answer(lambda: self._interfaces, lambda: list(self._scan_interfaces()),
                            lambda found: setattr(self, "_interfaces", found))

    def _scan_interfaces(self) -> Iterator[Interface]:
        for directory in self.directories():
            facts = [fact for path in package_go_files(directory, include_tests=False) for fact in self._interface_facts(path)]
            if not facts:
                continue
            # Every interface declaration of the package is among these: merging them alone
            # flattens embeddings without parsing the rest of the package.
            package = PackageFacts.merge(facts)
            relative = os.path.relpath(directory, self.root)
            qualifier = os.path.basename(directory if relative != "." else self.root)
            for name in package.interfaces:
                methods = flatten_interface(package, name)
                if methods and not any(takes_context for takes_context, _count in methods.values()):
                    yield f"{qualifier}.{name}", methods

    def _interface_facts(self, path: str) -> tuple[DeclFacts, ...]:
        """Facts of the interface declarations of one file: from the open document when the
        server has one, else from the declarations' text alone (cut out by a byte search and
        parsed on their own: a fraction of the file), cached by (mtime, size)."""
        overlaid = self._overlay(path) if self._overlay is not None else None
        if overlaid is not None:
            return tuple(fact for fact in overlaid[1] if fact.interfaces)
        loaded = self._interface_cache.load(path)
        return loaded[1] if loaded is not None else ()

    def warm(self) -> None:
        """Read every package of the module (the server, in the background)."""
        for directory in self.directories():
            self.package_at(directory)
        self.ctxless_interfaces()

    def file_changed(self, path: str) -> None:
        """Forget answers that depended on ``path`` (its package, the interface table). Called
        on the event loop: it takes only the short lock, never waits for a read in progress
        (that read's answer is then not kept)."""
        directory = os.path.dirname(os.path.abspath(path))
        is_directory = os.path.isdir(directory)  # outside the lock: a stat
        with self._lock:
            self._generation += 1
            self._packages.pop(directory, None)
            self._interfaces = None
            if not is_directory or directory not in (self._directories or [directory]):
                self._directories = None


def _interface_facts_of(path: str, data: bytes) -> tuple[DeclFacts, ...]:
    """Facts of the interface declarations of one file's bytes: the declarations' text alone,
    cut out by a byte search and parsed on their own (a fraction of the file)."""
    snippets = interface_declarations(data)
    if not snippets:
        return ()
    root = parse(b"package p\n" + b"\n".join(snippets)).root_node
    return tuple(fact for child in root.named_children if (fact := decl_facts(child, path)).interfaces)


def flatten_interface(package: PackageFacts, name: str) -> dict[str, tuple[bool, int]]:
    """Methods of interface ``name`` of ``package``, with those of embedded interfaces of the
    same package (and of io's Reader/Writer/Closer...); other embedded interfaces are left
    out. A loop, not recursion: embeddings can form long chains."""
    methods: dict[str, tuple[bool, int]] = {}
    stack, seen = [name], set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        known = STDLIB_CTXLESS.get(current)
        if known is not None:
            methods.update((method, (False, -1)) for method in known)
            continue
        declared = package.interfaces.get(current)
        if declared is None:
            continue
        shapes, embeds = declared
        methods.update((method, (takes_context, count)) for method, takes_context, count in shapes)
        stack.extend(embeds)
    return methods


# Interfaces of the standard library (and a few ubiquitous ones) whose methods take no
# context: a type implementing one of them has to carry a context its methods need.
STDLIB_CTXLESS: dict[str, frozenset[str]] = {
    "io.Reader": frozenset({"Read"}),
    "io.Writer": frozenset({"Write"}),
    "io.Closer": frozenset({"Close"}),
    "io.ReaderAt": frozenset({"ReadAt"}),
    "io.WriterAt": frozenset({"WriteAt"}),
    "io.ReaderFrom": frozenset({"ReadFrom"}),
    "io.WriterTo": frozenset({"WriteTo"}),
    "io.Seeker": frozenset({"Seek"}),
    "io.ReadCloser": frozenset({"Read", "Close"}),
    "io.WriteCloser": frozenset({"Write", "Close"}),
    "io.ReadWriteCloser": frozenset({"Read", "Write", "Close"}),
    "sort.Interface": frozenset({"Len", "Less", "Swap"}),
    "heap.Interface": frozenset({"Len", "Less", "Swap", "Push", "Pop"}),
    "http.Handler": frozenset({"ServeHTTP"}),
    "http.RoundTripper": frozenset({"RoundTrip"}),
    "http.Flusher": frozenset({"Flush"}),
    "net.Conn": frozenset({"Read", "Write", "Close", "LocalAddr", "RemoteAddr", "SetDeadline"}),
    "net.Listener": frozenset({"Accept", "Close", "Addr"}),
    "driver.Rows": frozenset({"Columns", "Close", "Next"}),
    "driver.Stmt": frozenset({"Close", "NumInput", "Exec", "Query"}),
    "driver.Tx": frozenset({"Commit", "Rollback"}),
    "driver.Conn": frozenset({"Prepare", "Close", "Begin"}),
    "prometheus.Collector": frozenset({"Describe", "Collect"}),
    "fs.File": frozenset({"Stat", "Read", "Close"}),
    "fs.FS": frozenset({"Open"}),
}


def interface_declarations(data: bytes) -> list[bytes]:
    """The text of each non-empty interface type declaration of a file, as ``type Name
    interface {...}`` (also when declared inside a ``type (...)`` group), found by a byte
    search and brace counting; comments and strings inside an interface rarely hold braces,
    and a declaration cut wrong only parses with errors."""
    found = []
    for match in _INTERFACE_SPEC.finditer(data):
        depth, end = 0, len(data) - 1
        for brace in _BRACE.finditer(data, match.end() - 1):  # braces only: C-level search
            depth += 1 if brace.group() == b"{" else -1
            if depth == 0:
                end = brace.start()
                break
        found.append(b"type " + match.group(1) + data[match.end(1) : end + 1])
    return found


def _package_directories(root: str) -> Iterator[str]:
    """Directories under ``root`` that hold .go files, without nested modules (iterative)."""
    stack = [root]
    while stack:
        directory = stack.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError:
            continue
        has_go = False
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not _skip_directory(entry.name) and not os.path.isfile(os.path.join(entry.path, "go.mod")):
                    stack.append(entry.path)
            elif entry.name.endswith(".go"):
                has_go = True
        if has_go:
            yield directory


class ModuleIndexes:
    """The module indexes of one loader, by module root (the directory of a go.mod, or a
    workspace folder the server registered)."""

    def __init__(self, file_facts: FileFacts, overlay: FileFacts | None = None) -> None:
        self._file_facts = file_facts
        self._overlay = overlay
        self._by_root: dict[str, ModuleIndex] = {}
        self._folders: list[str] = []
        self._lock = threading.Lock()

    def add_workspace_folder(self, folder: str) -> None:
        """A folder whose files belong to no go.mod still get one index for the folder."""
        folder = os.path.abspath(folder)
        if folder not in self._folders:
            self._folders.append(folder)

    def for_file(self, path: str) -> ModuleIndex | None:
        if not path:
            return None
        go_mod = gomod.find_go_mod(path)
        if go_mod is not None:
            root, module_path = os.path.dirname(go_mod), None
        else:
            absolute = os.path.abspath(path)
            folders = [f for f in self._folders if absolute.startswith(f + os.sep)]
            if not folders:
                return None
            root = max(folders, key=len)
        with self._lock:
            index = self._by_root.get(root)
            if index is None:
                module_path = module_path_of(go_mod) if go_mod is not None else None
                index = self._by_root[root] = ModuleIndex(root, module_path, self._file_facts, self._overlay)
            return index

    def clear(self) -> None:
        """Forget every index (a go.mod was created, removed or edited)."""
        with self._lock:
            self._by_root.clear()

    def file_changed(self, path: str) -> None:
        """A .go file changed on disk (or its buffer closed): drop what was derived from it
        (O(1); the package is read again when a rule next asks)."""
        if os.path.basename(path) == "go.mod":
            self.clear()
            return
        index = self.for_file(path)
        if index is not None:
            index.file_changed(path)

    def warm(self, path: str) -> None:
        """Read the whole module of ``path`` (for a background thread of the server)."""
        if os.path.isdir(path):
            path = os.path.join(path, "_")  # for_file looks for the go.mod above a file
        index = self.for_file(path)
        if index is not None:
            index.warm()


def ctxless_methods_of(interfaces: list[Interface], methods: dict[str, int]) -> frozenset[str]:
    """The methods of a type (name -> parameter count) that belong to some context-free
    interface it implements, judged by method names and parameter counts (``interfaces``
    plus the standard library table)."""
    found: set[str] = set()
    for _name, interface_methods in interfaces:
        if all(name in methods and count in (-1, methods[name]) for name, (_ctx, count) in interface_methods.items()):
            found.update(interface_methods)
    for known in STDLIB_CTXLESS.values():
        if known <= methods.keys():
            found.update(known)
    # Iterators: Next() with no parameters, whatever else they have (Value, Err, Close...).
    if methods.get("Next") == 0:
        found.add("Next")
    return frozenset(found)


def warm_in_background(indexes: ModuleIndexes, paths: list[str]) -> threading.Thread:
    """Read the modules of ``paths`` (workspace folders or open files) in a daemon thread, so
    that the first analysis that needs another package finds it summarised. The server calls
    this the first time a file of the module opens; analyses never wait for it (a rule that asks first reads
    what it needs itself, under the index's lock)."""
    def run() -> None:
        for path in paths:
            try:
                indexes.warm(path)
            except Exception:  # noqa: BLE001 - a background warm-up must never take the server down
                _LOG.exception("reading the module of %s failed", path)

    thread = threading.Thread(target=run, name="ctx-lsp-module-index", daemon=True)
    thread.start()
    return thread
