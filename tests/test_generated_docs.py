"""The files that repeat the rule list and the settings defaults (VS Code settings schema,
Neovim help, README) are what scripts/gen_rule_docs.py makes of the registry; the generator
rewrites only its own regions, and a second run changes nothing."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import attrs
import pytest

from ctx_lsp.engine.findings import Severity
from ctx_lsp.rules import ALL_RULES

ROOT = Path(__file__).resolve().parent.parent


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_rule_docs", ROOT / "scripts" / "gen_rule_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_rule_docs", module)
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


@pytest.mark.parametrize("name", sorted(gen.generators()))
def test_generated_file_is_up_to_date(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    expected = gen.generators()[name](text)
    assert text == expected, f"{name} is stale: run `{gen.COMMAND}` and commit the result"


@pytest.mark.parametrize("name", sorted(gen.generators()))
def test_generator_is_idempotent(name: str) -> None:
    generate = gen.generators()[name]
    once = generate((ROOT / name).read_text(encoding="utf-8"))
    assert generate(once) == once


def test_a_new_rule_makes_every_file_stale() -> None:
    """The check can fail: a registry with one more rule changes every generated file."""
    extra = attrs.evolve(ALL_RULES[0], id="made-up-rule", title="a rule that does not exist")
    rules = (*ALL_RULES, extra)
    package = (ROOT / gen.PACKAGE_JSON).read_text(encoding="utf-8")
    help_text = (ROOT / gen.NVIM_HELP).read_text(encoding="utf-8")
    readme = (ROOT / gen.README).read_text(encoding="utf-8")
    assert "made-up-rule" in gen.generate_package_json(package, rules, Severity.HINT)
    assert "made-up-rule" in gen.generate_nvim_help(help_text, rules, Severity.HINT, 150)
    assert "`made-up-rule`" in gen.generate_readme(readme, rules)
    assert "made-up-rule" not in package + help_text + readme


def test_package_json_is_rewritten_only_in_the_generated_entries() -> None:
    text = (ROOT / gen.PACKAGE_JSON).read_text(encoding="utf-8")
    # A hand-edited entry elsewhere, in a layout json.dumps would not write, survives as it is.
    odd = text.replace('"ctxLsp.trace.server": {', '"ctxLsp.trace.server":{   ', 1)
    assert odd != text
    regenerated = gen.generate_package_json(odd, ALL_RULES, Severity.WARNING)
    assert '"ctxLsp.trace.server":{   ' in regenerated
    before = json.loads(text)["contributes"]["configuration"]["properties"]
    after = json.loads(regenerated)["contributes"]["configuration"]["properties"]
    assert after["ctxLsp.minSeverity"]["default"] == "warning"
    assert {key: value for key, value in after.items() if key != "ctxLsp.minSeverity"} == \
        {key: value for key, value in before.items() if key != "ctxLsp.minSeverity"}


def test_rule_states_are_the_engines() -> None:
    """on, off and every severity the engine parses, highest first."""
    assert [name for name, _ in gen.RULE_STATES] == ["on", "off", *(s.label for s in sorted(Severity, reverse=True))]
    for name, _ in gen.RULE_STATES[2:]:
        assert Severity.parse(name).label == name


def test_schema_lists_every_rule_with_its_default_severity() -> None:
    schema = json.loads((ROOT / gen.PACKAGE_JSON).read_text(encoding="utf-8"))
    rules = schema["contributes"]["configuration"]["properties"]["ctxLsp.rules"]["properties"]
    assert list(rules) == [rule.id for rule in ALL_RULES]
    for rule in ALL_RULES:
        assert f"({rule.severity.label})" in rules[rule.id]["enumDescriptions"][0]


def test_missing_markers_are_reported() -> None:
    with pytest.raises(gen.StaleRegionError, match="rules:begin"):
        gen.generate_readme("# a README without the markers\n", ALL_RULES)
    with pytest.raises(gen.StaleRegionError, match="ctxLsp.rules"):
        gen.generate_package_json('{"contributes": {"configuration": {"properties": {}}}}', ALL_RULES,
                                  Severity.HINT)


def test_check_mode_reports_stale_files(tmp_path: Path) -> None:
    for name in gen.generators():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert gen.stale_files(tmp_path) == []
    readme = tmp_path / gen.README
    readme.write_text(readme.read_text(encoding="utf-8").replace("| `forced-gc` |", "| `forced_gc` |"),
                      encoding="utf-8")
    assert gen.stale_files(tmp_path) == [gen.README]


def test_one_min_severity_default_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    """The CLI, the server, the VS Code schema and client, the Neovim help and the README agree
    (issue: `:help ctx_lsp` once said information while the server used hint)."""
    from ctx_lsp.cli import main
    from ctx_lsp.engine.config import DEFAULT_MIN_SEVERITY, DEFAULT_SETTINGS
    from ctx_lsp.lsp.settings_store import SERVER_DEFAULTS

    label = DEFAULT_MIN_SEVERITY.label
    assert DEFAULT_SETTINGS.min_severity is SERVER_DEFAULTS.min_severity is DEFAULT_MIN_SEVERITY
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    assert f"(default: {label})" in " ".join(capsys.readouterr().out.split())
    schema = json.loads((ROOT / gen.PACKAGE_JSON).read_text(encoding="utf-8"))
    assert schema["contributes"]["configuration"]["properties"]["ctxLsp.minSeverity"]["default"] == label
    client = (ROOT / "editors" / "vscode" / "src" / "config.ts").read_text(encoding="utf-8")
    assert re.search(rf"SERVER_DEFAULTS = Object\.freeze\(\{{ minSeverity: '{label}'", client)
    help_text = " ".join((ROOT / gen.NVIM_HELP).read_text(encoding="utf-8").split())
    assert f'Default: "{label}"' in help_text
    readme = (ROOT / gen.README).read_text(encoding="utf-8")
    assert f'| `ctxLsp.minSeverity` | `"{label}"` |' in readme


def test_one_debounce_default_and_maximum_everywhere() -> None:
    """The debounce default (engine.config) and maximum (the server's clamp) are generated into
    the VS Code schema, client constants and README and the Neovim help; a changed default
    makes each of them stale (they were hand-written copies once)."""
    package = (ROOT / gen.PACKAGE_JSON).read_text(encoding="utf-8")
    config = (ROOT / gen.VSCODE_CONFIG).read_text(encoding="utf-8")
    readme = (ROOT / gen.VSCODE_README).read_text(encoding="utf-8")
    help_text = (ROOT / gen.NVIM_HELP).read_text(encoding="utf-8")
    debounce = json.loads(gen.generate_package_json(package, ALL_RULES, Severity.HINT, 275, 9_000))[
        "contributes"]["configuration"]["properties"]["ctxLsp.debounceMs"]
    assert (debounce["default"], debounce["maximum"]) == (275, 9_000)
    assert "(275)" in debounce["markdownDescription"]
    new_config = gen.generate_vscode_config(config, Severity.HINT, 275, 9_000)
    assert "export const MAX_DEBOUNCE_MS = 9_000;" in new_config
    assert "minSeverity: 'hint' as Severity, debounceMs: 275 }" in new_config
    new_readme = gen.generate_vscode_readme(readme, Severity.HINT, 275, 9_000)
    assert '| `ctxLsp.minSeverity` | `"hint"` |' in new_readme
    assert re.search(r"^\| `ctxLsp\.debounceMs` \| `275` \|.*\(0–9000\)\. \|$", new_readme, re.MULTILINE)
    assert gen.generate_nvim_help(help_text, ALL_RULES, Severity.HINT, 275) != help_text
    for name, before, after in ((gen.VSCODE_CONFIG, config, new_config), (gen.VSCODE_README, readme, new_readme)):
        assert before != after, name
        assert gen.generators()[name](after) == before, name  # the registry's values come back


def test_vscode_client_lines_must_exist() -> None:
    with pytest.raises(gen.StaleRegionError, match="MAX_DEBOUNCE_MS"):
        gen.generate_vscode_config("export const OTHER = 1;\n", Severity.HINT, 150, 10_000)
