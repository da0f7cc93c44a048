"""The package's own imports follow its layers: engine -> knowledge -> rules -> hover -> lsp
-> cli, and no rule imports another rule.

Every module of ``ctx_lsp`` is parsed with :mod:`ast` (imports inside functions and under
``if TYPE_CHECKING`` count too) and each ``ctx_lsp`` import is checked against the layer of
the importing module. A module may import its own layer or any layer below it.

Decisions encoded here:

- ``ctx_lsp/rules/_*.py`` modules (``_loops``, ``_corpora``) are shared helpers, not rules:
  rules may import them; they import no rule module. Facts about Go itself that hover also
  needs live in ``ctx_lsp/knowledge`` instead.
- A rule module imports no other rule module, and nothing outside ``ctx_lsp.rules`` imports
  the rules' private helpers (``ctx_lsp.rules._*``).
- Hover may ask the rules package for its registry (``ctx_lsp.rules``: ids, titles, URLs)
  and lostcancel for its path search (so a hover about a cancel function and the lostcancel
  diagnostic can never disagree); every other piece of knowledge comes from
  ``ctx_lsp.knowledge``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ctx_lsp

PACKAGE = Path(ctx_lsp.__file__).parent

LAYERS = ("engine", "knowledge", "rules", "hover", "lsp", "cli")
# Top-level modules of the package and the layer they belong to.
TOP_LEVEL = {"__init__": "engine", "cli": "cli", "batch": "cli", "output": "cli", "__main__": "cli"}
HOVER_MAY_IMPORT_FROM_RULES = frozenset({"ctx_lsp.rules", "ctx_lsp.rules.lostcancel"})
# Upward imports tolerated: none (the engine takes the rules as a parameter, analyze(rules=)).
TOLERATED_UPWARD: frozenset[tuple[str, str]] = frozenset()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return TOP_LEVEL["__init__"]
    if parts[1] in LAYERS:
        return parts[1]
    if parts[1] not in TOP_LEVEL:
        raise AssertionError(f"{module} belongs to no layer: add it to tests/test_layers.py")
    return TOP_LEVEL[parts[1]]


def _imports(path: Path, module: str | None = None) -> list[tuple[int, str]]:
    """(line, imported module) for every ctx_lsp import in ``path`` (the module ``module``,
    by default the one ``path`` is), including ``from ctx_lsp.rules import lostcancel`` as
    ``ctx_lsp.rules.lostcancel``."""
    tree = ast.parse(path.read_text(), str(path))
    module = module or _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            found.append((node.lineno, base))
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if (PACKAGE.parent / Path(*candidate.split("."))).with_suffix(".py").exists() \
                        or (PACKAGE.parent / Path(*candidate.split(".")) / "__init__.py").exists():
                    found.append((node.lineno, candidate))
    return [(line, name) for line, name in found if name == "ctx_lsp" or name.startswith("ctx_lsp.")]


MODULES = sorted(PACKAGE.rglob("*.py"))


def _is_rule_module(module: str) -> bool:
    parts = module.split(".")
    return len(parts) == 3 and parts[1] == "rules" and not parts[2].startswith("_")


def test_every_module_is_in_a_layer() -> None:
    for path in MODULES:
        _layer(_module_name(path))


def _upward_imports(path: Path, importer: str) -> list[str]:
    rank = LAYERS.index(_layer(importer))
    return [f"line {line}: {imported} ({_layer(imported)})" for line, imported in _imports(path, importer)
            if LAYERS.index(_layer(imported)) > rank and (importer, imported) not in TOLERATED_UPWARD]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE.parent)))
def test_no_import_runs_upward(path: Path) -> None:
    importer = _module_name(path)
    upward = _upward_imports(path, importer)
    assert not upward, f"{importer} ({_layer(importer)}) imports upward: {upward}"


@pytest.mark.parametrize("path", [p for p in MODULES if _module_name(p).startswith("ctx_lsp.rules.")],
                         ids=lambda path: path.stem)
def test_no_rule_imports_another_rule(path: Path) -> None:
    importer = _module_name(path)
    others = [f"line {line}: {imported}" for line, imported in _imports(path)
              if _is_rule_module(imported) and imported != importer]
    assert not others, f"{importer} imports rule modules {others}: move shared code to ctx_lsp.knowledge"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE.parent)))
def test_private_rule_helpers_stay_in_the_rules(path: Path) -> None:
    importer = _module_name(path)
    if importer.startswith("ctx_lsp.rules"):
        return
    private = [f"line {line}: {imported}" for line, imported in _imports(path)
               if imported.startswith("ctx_lsp.rules._")]
    assert not private, f"{importer} imports private rule helpers {private}"


@pytest.mark.parametrize("path", [p for p in MODULES if _module_name(p).startswith("ctx_lsp.hover")],
                         ids=lambda path: str(path.relative_to(PACKAGE.parent)))
def test_hover_takes_its_knowledge_from_the_knowledge_layer(path: Path) -> None:
    rules = {imported for _line, imported in _imports(path) if imported.startswith("ctx_lsp.rules")}
    assert rules <= HOVER_MAY_IMPORT_FROM_RULES, sorted(rules - HOVER_MAY_IMPORT_FROM_RULES)


def test_the_checker_sees_function_level_and_upward_imports(tmp_path: Path) -> None:
    """The test must be able to fail: an upward import inside a function is found, and a
    rule importing another rule is seen."""
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from ctx_lsp.rules import lostcancel\n    return lostcancel\n")
    assert "ctx_lsp.rules.lostcancel" in [name for _line, name in _imports(probe, "ctx_lsp.engine.probe")]
    assert _upward_imports(probe, "ctx_lsp.engine.probe")
    assert not _upward_imports(probe, "ctx_lsp.hover.probe")
    assert any(_is_rule_module(name) for _line, name in _imports(probe, "ctx_lsp.rules.probe"))
