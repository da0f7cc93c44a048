"""Every rule over every testdata file: ``// want`` expectations and ``.go.golden`` fixes.

``testdata/<rule-id>/*.go`` holds Go files; a ``// want "regexp"`` comment marks a line where a
diagnostic of that rule must start, with a message matching the regexp. Unexpected
diagnostics and unmet expectations both fail. ``X.go.golden`` is X.go after applying the
preferred fix of every finding (of that rule) at once.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.fixes import apply_preferred_fixes
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import ALL_RULES, RULES_BY_ID
from tests.wantfile import expectations
from tests.support import rule_findings, read_testdata

TESTDATA = Path(__file__).resolve().parent.parent / "testdata"
NOT_RULE_DIRECTORIES = {"example"}


def _cases() -> list[tuple[str, Path]]:
    cases = []
    for rule_dir in sorted(p for p in TESTDATA.iterdir() if p.is_dir() and p.name not in NOT_RULE_DIRECTORIES):
        for go_file in sorted(rule_dir.rglob("*.go")):
            cases.append((rule_dir.name, go_file))
    return cases


CASES = _cases()


@functools.cache
def run_rule_on(rule_id: str, go_file: Path) -> tuple[SourceFile, tuple[Finding, ...]]:
    """The file's findings, computed once for the want and golden tests (both only read them)."""
    path, data, version = read_testdata(go_file)
    src = SourceFile.parse(path, data)
    return src, tuple(rule_findings(rule_id, src, go_version=version, loader=PackageLoader()))


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


@pytest.fixture(scope="module")
def gofmt_would_reformat(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The golden files gofmt would reformat, from one ``gofmt -l`` over copies of all of them
    (one process instead of one per file)."""
    import subprocess

    gofmt = _gofmt()
    if gofmt is None:
        pytest.skip("gofmt is not installed")
    directory = tmp_path_factory.mktemp("golden")
    copies = []
    for rule_id, go_file in GOLDEN_CASES:
        copy = directory / rule_id / go_file.name
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(go_file.with_suffix(".go.golden").read_bytes())
        copies.append(str(copy))
    result = subprocess.run([gofmt, "-l", *copies], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return {Path(line).relative_to(directory).as_posix() for line in result.stdout.splitlines() if line.strip()}


@pytest.mark.parametrize(("rule_id", "go_file"), GOLDEN_CASES, ids=[f"{r}/{p.name}" for r, p in GOLDEN_CASES])
def test_golden_files_keep_gofmt_layout(rule_id: str, go_file: Path, gofmt_would_reformat: set[str]) -> None:
    """A fix must keep gofmt layout: the fixed file is exactly what gofmt would print."""
    assert f"{rule_id}/{go_file.name}" not in gofmt_would_reformat, f"gofmt would reformat the fixed {go_file.name}"
