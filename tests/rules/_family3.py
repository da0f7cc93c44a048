"""Helpers shared by the finalizer-family rule tests: run one rule over Go source text."""

from __future__ import annotations

from pathlib import Path

from ctx_lsp.engine.analyze import analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import RULES_BY_ID


def findings_for(rule_id: str, source: bytes, path: str = "example.go",
                 go_version: tuple[int, int] | None = None) -> list[Finding]:
    """Findings of one rule on ``source`` (sibling files of ``path`` count as its package)."""
    src = SourceFile.parse(path, source)
    analysis = analyze(src, Settings(min_severity=Severity.HINT), rules=[RULES_BY_ID[rule_id]],
                       loader=PackageLoader(), go_version=go_version)
    assert not analysis.errors, "\n".join(e.traceback for e in analysis.errors)
    return list(analysis.findings)


def severity_of(finding: Finding) -> Severity:
    return finding.severity or RULES_BY_ID[finding.rule].severity


def go_testdata(rule_id: str, name: str) -> Path:
    return Path(__file__).resolve().parents[2] / "testdata" / rule_id / name
