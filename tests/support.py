"""Helpers shared by the test layers: run one rule over Go source, read testdata settings.

Plain functions to import (``from tests.support import rule_findings``); the fixtures built on
them live in ``tests/conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

from ctx_lsp.engine.analyze import Analysis, DeclCache, analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import RULES_BY_ID
from tests.wantfile import directives

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
# Rule tests look at every finding, whatever the default minimum severity is.
EVERY_SEVERITY = Settings(min_severity=Severity.HINT)


def analyze_rule(rule_id: str, source: str | bytes | SourceFile, path: str = "p.go", *,
                 go_version: tuple[int, int] | None = None, loader: PackageLoader | None = None,
                 cache: DeclCache | None = None) -> Analysis:
    """The analysis of ``source`` (pretending to be the file ``path``) by one rule alone, at
    every severity; fails the test if the rule raised. With a ``loader``, the Go files next to
    ``path`` count as its package. A SourceFile is analyzed as it is (``path`` unused)."""
    src = source if isinstance(source, SourceFile) else parse(source, path)
    analysis = analyze(src, EVERY_SEVERITY, rules=[RULES_BY_ID[rule_id]], loader=loader, cache=cache,
                       go_version=go_version)
    assert not analysis.errors, "\n".join(error.traceback for error in analysis.errors)
    return analysis


def parse(source: str | bytes, path: str = "p.go") -> SourceFile:
    return SourceFile.parse(path, source.encode() if isinstance(source, str) else source)


def rule_findings(rule_id: str, source: str | bytes | SourceFile, path: str = "p.go", *,
                  go_version: tuple[int, int] | None = None, loader: PackageLoader | None = None,
                  cache: DeclCache | None = None) -> list[Finding]:
    """The findings of :func:`analyze_rule`."""
    return list(analyze_rule(rule_id, source, path, go_version=go_version, loader=loader, cache=cache).findings)


def read_testdata(go_file: Path) -> tuple[str, bytes, tuple[int, int] | None]:
    """(path the file pretends to have, its bytes, its Go version) from the file's
    ``// ctxlsp:testdata path=... go.mod=1.N`` directive."""
    data = go_file.read_bytes()
    settings = directives(data)
    path = str(go_file.parent / settings["path"]) if "path" in settings else str(go_file)
    version = None
    if "go.mod" in settings:
        major, minor = settings["go.mod"].split(".")[:2]
        version = (int(major), int(minor))
    return path, data, version
