"""Import resolution: which local names (and dot imports) refer to which package paths."""

from __future__ import annotations

import re

import attrs
import tree_sitter

from ctx_lsp.engine.parse import kind_id
from ctx_lsp.engine.syntax import walk

Node = tree_sitter.Node

_VERSION_SUFFIX = re.compile(r"^v[0-9]+$")

# Exported names of the packages the rules care about, to tell which dot import a bare
# identifier comes from (without type information we cannot ask the compiler).
KNOWN_EXPORTS: dict[str, frozenset[str]] = {
    "context": frozenset(
        "Background TODO WithCancel WithCancelCause WithTimeout WithTimeoutCause WithDeadline "
        "WithDeadlineCause WithValue WithoutCancel AfterFunc Cause Context CancelFunc "
        "CancelCauseFunc Canceled DeadlineExceeded".split()
    ),
    "runtime": frozenset(
        "SetFinalizer AddCleanup KeepAlive GC Stack Goexit Gosched NumGoroutine Caller Callers".split()
    ),
    "runtime/debug": frozenset("SetGCPercent FreeOSMemory Stack PrintStack SetMemoryLimit".split()),
    "os/signal": frozenset("NotifyContext Notify Stop Ignore Reset".split()),
    "os": frozenset("Exit".split()),
    "syscall": frozenset("Exit Close".split()),
    "log": frozenset("Fatal Fatalf Fatalln Panic Panicf Panicln".split()),
    "time": frozenset("AfterFunc NewTimer NewTicker Sleep After Tick Second Minute Millisecond".split()),
}


def default_package_name(path: str) -> str:
    """The name a package is usually declared with: the last path element, minus a major
    version suffix (``/v2``), a ``gopkg.in`` ``.vN`` suffix and ``go-``/``-go`` decorations."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return path
    last = parts[-1]
    if _VERSION_SUFFIX.match(last) and len(parts) > 1:
        last = parts[-2]
    last = re.sub(r"\.v[0-9]+$", "", last)
    if last.startswith("go-"):
        last = last[3:]
    if last.endswith("-go"):
        last = last[:-3]
    return last.replace("-", "_").replace(".", "_")


@attrs.frozen
class ImportSpec:
    path: str
    local_name: str  # the name used in the file; "." for dot imports, "_" for blank imports
    node: Node = attrs.field(eq=False, repr=False)


@attrs.frozen
class Imports:
    specs: tuple[ImportSpec, ...]

    @classmethod
    def from_root(cls, root: Node) -> Imports:
        specs: list[ImportSpec] = []
        import_declaration = kind_id("import_declaration")
        # Kind ids, not type names: this runs over every top-level node on every keystroke.
        for child in root.named_children:
            if child.kind_id != import_declaration:
                continue
            for spec in walk(child):
                if spec.type == "import_spec":
                    parsed = _parse_spec(spec)
                    if parsed is not None:
                        specs.append(parsed)
        return cls(specs=tuple(specs))

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(spec.path for spec in self.specs)

    def path_for(self, local_name: str) -> str | None:
        """The package path a selector operand named ``local_name`` refers to, if any."""
        for spec in self.specs:
            if spec.local_name == local_name:
                return spec.path
        return None

    def local_names_of(self, path: str) -> list[str]:
        return [s.local_name for s in self.specs if s.path == path and s.local_name not in (".", "_")]

    @property
    def dot_paths(self) -> tuple[str, ...]:
        return tuple(spec.path for spec in self.specs if spec.local_name == ".")

    def dot_import_for(self, name: str) -> str | None:
        """The dot-imported package that provides ``name``, when we can tell."""
        dots = self.dot_paths
        for path in dots:
            if name in KNOWN_EXPORTS.get(path, ()):
                return path
        return None

    def key(self) -> tuple[tuple[str, str], ...]:
        return tuple((spec.path, spec.local_name) for spec in self.specs)


def _parse_spec(spec: Node) -> ImportSpec | None:
    path_node = spec.child_by_field_name("path")
    if path_node is None:
        return None
    raw = path_node.text.decode("utf-8", "replace")
    path = raw[1:-1] if len(raw) >= 2 else raw
    name_node = spec.child_by_field_name("name")
    if name_node is None:
        local = default_package_name(path)
    elif name_node.type == "dot":
        local = "."
    else:
        local = name_node.text.decode("utf-8", "replace")
    return ImportSpec(path=path, local_name=local, node=spec)
