"""Helpers shared by the finalizer-family rule tests: run one rule over Go source text."""

from __future__ import annotations

from pathlib import Path

from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.rules import RULES_BY_ID
from tests.support import rule_findings


def findings_for(rule_id: str, source: bytes, path: str = "example.go",
                 go_version: tuple[int, int] | None = None) -> list[Finding]:
    """Findings of one rule on ``source`` (sibling files of ``path`` count as its package)."""
    return rule_findings(rule_id, source, path, go_version=go_version, loader=PackageLoader())


def severity_of(finding: Finding) -> Severity:
    return finding.severity or RULES_BY_ID[finding.rule].severity


def go_testdata(rule_id: str, name: str) -> Path:
    return Path(__file__).resolve().parents[2] / "testdata" / rule_id / name
