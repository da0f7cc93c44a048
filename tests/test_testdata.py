"""Every rule over every testdata file: ``// want`` expectations and ``.go.golden`` fixes.

``testdata/<rule-id>/*.go`` holds Go files; a ``// want "regexp"`` comment marks a line where a
diagnostic of that rule must start, with a message matching the regexp. Unexpected
diagnostics and unmet expectations both fail. ``X.go.golden`` is X.go after applying the
preferred fix of every finding (of that rule) at once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ctx_lsp.engine.analyze import analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.fixes import apply_preferred_fixes
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import ALL_RULES, RULES_BY_ID
from tests.wantfile import directives, expectations

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
NOT_RULE_DIRECTORIES = {"example"}


def _cases() -> list[tuple[str, Path]]:
    cases = []
    for rule_dir in sorted(p for p in TESTDATA.iterdir() if p.is_dir() and p.name not in NOT_RULE_DIRECTORIES):
        for go_file in sorted(rule_dir.rglob("*.go")):
            cases.append((rule_dir.name, go_file))
    return cases


CASES = _cases()


def run_rule_on(rule_id: str, go_file: Path) -> tuple[SourceFile, list]:
    data = go_file.read_bytes()
    settings = directives(data)
    path = str(go_file.parent / settings["path"]) if "path" in settings else str(go_file)
    version = None
    if "go.mod" in settings:
        major, minor = settings["go.mod"].split(".")[:2]
        version = (int(major), int(minor))
    src = SourceFile.parse(path, data)
    analysis = analyze(src, Settings(min_severity=Severity.HINT), rules=[RULES_BY_ID[rule_id]],
                       loader=PackageLoader(), go_version=version)
    assert not analysis.errors, "\n".join(e.traceback for e in analysis.errors)
    return src, list(analysis.findings)


@pytest.mark.parametrize(("rule_id", "go_file"), CASES, ids=[f"{r}/{p.name}" for r, p in CASES])
def test_want_comments(rule_id: str, go_file: Path) -> None:
    assert rule_id in RULES_BY_ID, f"testdata/{rule_id} does not name a registered rule"
    src, findings = run_rule_on(rule_id, go_file)
    wanted = expectations(src)
    problems = []
    for finding in findings:
        line = src.line_of(finding.start) + 1
        match = next((w for w in wanted if not w.matched and w.line == line and w.pattern.search(finding.message)),
                     None)
        if match is None:
            problems.append(f"{go_file.name}:{line}: unexpected diagnostic: {finding.message}")
        else:
            match.matched = True
    for want in wanted:
        if not want.matched:
            problems.append(f"{go_file.name}:{want.line}: no diagnostic matching {want.pattern.pattern!r}")
    assert not problems, "\n".join(problems)


GOLDEN_CASES = [(r, p) for r, p in CASES if p.with_suffix(".go.golden").exists()]


@pytest.mark.parametrize(("rule_id", "go_file"), GOLDEN_CASES, ids=[f"{r}/{p.name}" for r, p in GOLDEN_CASES])
def test_fixes_match_golden(rule_id: str, go_file: Path) -> None:
    src, findings = run_rule_on(rule_id, go_file)
    fixed, applied = apply_preferred_fixes(src.data, findings)
    assert applied, "a .go.golden file exists but no fix was offered"
    expected = go_file.with_suffix(".go.golden").read_bytes()
    assert fixed.decode() == expected.decode()


def test_every_rule_has_testdata() -> None:
    missing = [rule.id for rule in ALL_RULES if not (TESTDATA / rule.id).is_dir()]
    assert not missing, f"rules without testdata: {missing}"


def test_testdata_directories_name_rules() -> None:
    unknown = [p.name for p in TESTDATA.iterdir() if p.is_dir() and p.name not in NOT_RULE_DIRECTORIES
               and p.name not in RULES_BY_ID]
    assert not unknown, f"testdata directories that name no rule: {unknown}"


def test_want_parser_reads_both_quote_styles() -> None:
    src = SourceFile.parse("x.go", b'package p\n\nvar x = 1 // want "a\\\\(b" `c\\(d`\n')
    patterns = [w.pattern.pattern for w in expectations(src)]
    assert patterns == ["a\\(b", "c\\(d"]
    assert os.sep  # keep os imported for path joins above


def _gofmt() -> str | None:
    import shutil

    found = shutil.which("gofmt")
    if found is None and os.environ.get("CI"):
        pytest.fail("gofmt is required in CI (apt-get install golang-go)")
    return found


@pytest.mark.parametrize(("rule_id", "go_file"), GOLDEN_CASES, ids=[f"{r}/{p.name}" for r, p in GOLDEN_CASES])
def test_golden_files_keep_gofmt_layout(rule_id: str, go_file: Path, tmp_path: Path) -> None:
    """A fix must keep gofmt layout: the fixed file is exactly what gofmt would print."""
    import subprocess

    gofmt = _gofmt()
    if gofmt is None:
        pytest.skip("gofmt is not installed")
    copy = tmp_path / go_file.name
    copy.write_bytes(go_file.with_suffix(".go.golden").read_bytes())
    result = subprocess.run([gofmt, "-l", str(copy)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"gofmt would reformat the fixed {go_file.name}"
