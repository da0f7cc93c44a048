"""A diagnostic in a hover is one line, and diagnostics link to the rule's documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctx_lsp.engine.findings import Finding
from ctx_lsp.hover import diagnostics
from ctx_lsp.rules import RULES_BY_ID


def test_one_line_per_rule_with_the_explain_command() -> None:
    findings = [Finding("lostcancel", 0, 5, "a"), Finding("lostcancel", 2, 9, "b"), Finding("forced-gc", 0, 3, "c")]
    lines = diagnostics.diagnostic_lines(findings, markdown=True)
    assert lines == [
        f"ctx-lsp `forced-gc`: {RULES_BY_ID['forced-gc'].title} · more: `ctx-lsp explain forced-gc`",
        f"ctx-lsp `lostcancel`: {RULES_BY_ID['lostcancel'].title} · more: `ctx-lsp explain lostcancel`",
    ]
    assert all("`" not in line for line in diagnostics.diagnostic_lines(findings, markdown=False))


def test_href_points_at_docs_rules_md_in_a_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "docs" / "rules.md"
    doc.parent.mkdir()
    doc.write_text("## lostcancel\n")
    monkeypatch.setattr(diagnostics, "_RULES_DOC", doc)
    assert diagnostics.rule_doc_href("lostcancel") == f"{doc.as_uri()}#lostcancel"


def test_href_falls_back_to_the_rule_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diagnostics, "_RULES_DOC", tmp_path / "missing.md")
    assert diagnostics.rule_doc_href("lostcancel") == RULES_BY_ID["lostcancel"].url
    assert diagnostics.rule_doc_href("custom-rule", "https://example.com/r") == "https://example.com/r"
    assert diagnostics.rule_doc_href("custom-rule") is None
