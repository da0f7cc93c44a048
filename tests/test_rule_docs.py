"""Every registered rule is documented for users: `ctx-lsp explain RULE` prints its doc, the
doc says what to do instead, links authoritative Go documentation, and quotes no internal
reference (the project's fact sheet is for authors, not users)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import ctx_lsp.rules
from ctx_lsp.cli import main
from ctx_lsp.engine.rule import Rule
from ctx_lsp.rules import ALL_RULES, RULES_BY_ID

INTERNAL = re.compile(r"docs/runtime-facts.md|docs/rules\.md|docs/engineering-notes.md|§")


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_rule_is_documented(rule: Rule, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", rule.id]) == 0
    printed = capsys.readouterr().out
    assert rule.doc.strip().splitlines()[0] in printed
    assert rule.url.startswith("https://")
    assert re.search(r"(?im)^#+ .*(instead|what to do|fix)", rule.doc), "the doc needs a 'what to do instead' section"
    leaked = INTERNAL.findall(rule.doc)
    assert not leaked, f"{rule.id}'s doc quotes internal references: {sorted(set(leaked))}"


def test_rule_ids_are_unique_and_kebab_case() -> None:
    ids = [rule.id for rule in ALL_RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", rule_id) for rule_id in ids)
    assert list(RULES_BY_ID) == ids


def _rule_modules() -> list[str]:
    """Every public module of ctx_lsp.rules (helpers start with an underscore)."""
    return sorted(info.name for info in pkgutil.iter_modules(ctx_lsp.rules.__path__) if not info.name.startswith("_"))


def test_every_rule_module_is_registered_once_under_its_module_name() -> None:
    modules = _rule_modules()
    assert modules, "no rule modules found"
    registered = []
    for name in modules:
        rule = importlib.import_module(f"ctx_lsp.rules.{name}").RULE
        assert rule.id == name.replace("_", "-"), f"ctx_lsp/rules/{name}.py registers {rule.id!r}"
        assert any(registered_rule is rule for registered_rule in ALL_RULES), f"{rule.id} is not in ALL_RULES"
        registered.append(rule.id)
    assert sorted(registered) == sorted(rule.id for rule in ALL_RULES)


def test_every_rule_has_testdata(testdata: Path) -> None:
    for rule in ALL_RULES:
        assert sorted((testdata / rule.id).glob("*.go")), f"testdata/{rule.id}/ has no Go files"


def test_rules_command_lists_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    listed = [line.split()[:2] for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert listed == [[rule.id, rule.severity.label] for rule in ALL_RULES]
