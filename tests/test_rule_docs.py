"""Every registered rule is documented for users: `ctx-lsp explain RULE` prints its doc, the
doc says what to do instead, links authoritative Go documentation, and quotes no internal
reference (the project's fact sheet is for authors, not users)."""

from __future__ import annotations

import re

import pytest

from ctx_lsp.cli import main
from ctx_lsp.rules import ALL_RULES

INTERNAL = re.compile(r"RUNTIME_FACTS|RULES\.md|ENGINEERING_NOTES|§")


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.id)
def test_rule_is_documented(rule, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["explain", rule.id]) == 0
    printed = capsys.readouterr().out
    assert rule.doc.strip().splitlines()[0] in printed
    assert rule.url.startswith("https://")
    assert re.search(r"(?im)^#+ .*(instead|what to do|fix)", rule.doc), "the doc needs a 'what to do instead' section"
    leaked = INTERNAL.findall(rule.doc)
    assert not leaked, f"{rule.id}'s doc quotes internal references: {sorted(set(leaked))}"


def test_rule_ids_are_unique_and_kebab_case() -> None:
    ids = [rule.id for rule in ALL_RULES]
    assert len(ids) == len(set(ids)) == 16
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", rule_id) for rule_id in ids)
