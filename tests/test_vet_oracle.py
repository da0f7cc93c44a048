"""go vet as a reference oracle for lostcancel: on every testdata file that Go 1.19 can
type-check, each finding of ``go vet -lostcancel`` (file, line, column, message) must be one
of ours. ctx-lsp may report more (every leaking return, overwrites, dropped results, dot
imports), never less. Requires the Go toolchain (CI installs golang-go)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from tests.test_testdata import TESTDATA, run_rule_on

# Files vet cannot serve as an oracle for, and why.
NOT_FOR_VET = {
    "cause_variants.go": "uses Go 1.20+ APIs that Go 1.19 cannot type-check",
    "syntax_error.go": "deliberately does not parse",
    "noreturn_klog.go": "imports k8s.io/klog, which is not available offline",
    "shadowed_context.go": "holds vet's false positives on a local named context, which we avoid",
    "suppression.go": "vet ignores //nolint comments",
}
_VET_LINE = re.compile(r"^(?:\./)?(?P<dir>[^/]+)/(?P<file>[^:]+\.go):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$")


def _go() -> str | None:
    found = shutil.which("go")
    if found is None and os.environ.get("CI"):
        pytest.fail("the go toolchain is required in CI (apt-get install golang-go)")
    return found


@pytest.fixture(scope="module")
def vet_findings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[tuple[int, int, str]]]:
    go = _go()
    if go is None:
        pytest.skip("go is not installed")
    module = tmp_path_factory.mktemp("vetmod")
    (module / "go.mod").write_text("module vetoracle\n\ngo 1.19\n")
    for go_file in sorted((TESTDATA / "lostcancel").glob("*.go")):
        if go_file.name in NOT_FOR_VET:
            continue
        package_dir = module / go_file.stem
        package_dir.mkdir()
        shutil.copy(go_file, package_dir / go_file.name)
    env = {**os.environ, "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOCACHE": str(module / ".cache"),
           "GO111MODULE": "on"}
    result = subprocess.run([go, "vet", "-lostcancel", "./..."], cwd=module, env=env,
                            capture_output=True, text=True, timeout=600)
    findings: dict[str, set[tuple[int, int, str]]] = {}
    for line in result.stderr.splitlines():
        match = _VET_LINE.match(line.strip())
        if match:
            findings.setdefault(match["file"], set()).add((int(match["line"]), int(match["col"]), match["msg"]))
        elif line.strip() and not line.startswith("#"):
            pytest.fail(f"unexpected go vet output (type error in testdata?): {line}")
    return findings


ORACLE_FILES = sorted(p.name for p in (TESTDATA / "lostcancel").glob("*.go") if p.name not in NOT_FOR_VET)


def _false_positive_lines(src) -> set[int]:  # type: ignore[no-untyped-def]
    """Lines marked ``// vet:false-positive`` (and, for a definition, the returns it names):
    vet reports there and ctx-lsp deliberately does not."""
    lines = set()
    for number, text in enumerate(src.data.decode("utf-8", "replace").splitlines(), start=1):
        if "vet:false-positive" in text:
            lines.add(number)
    return lines | {line for line, _, message in _vet_returns_of(src, lines)}


def _vet_returns_of(src, definition_lines: set[int]):  # type: ignore[no-untyped-def]
    return []


def _names_deliberate_definition(message: str, deliberate: set[int]) -> bool:
    """vet's return diagnostic names its definition: "... defined on line N"."""
    match = re.search(r"defined on line (\d+)$", message)
    return match is not None and int(match.group(1)) in deliberate


@pytest.mark.parametrize("name", ORACLE_FILES)
def test_every_vet_finding_is_ours(name: str, vet_findings: dict[str, set[tuple[int, int, str]]]) -> None:
    src, findings = run_rule_on("lostcancel", TESTDATA / "lostcancel" / name)
    ours = set()
    for finding in findings:
        line, column = src.lines.position(finding.start)
        ours.add((line + 1, column + 1, finding.message))
    deliberate = _false_positive_lines(src)
    missing = sorted(f for f in vet_findings.get(name, set()) - ours
                     if f[0] not in deliberate and not _names_deliberate_definition(f[2], deliberate))
    assert not missing, f"go vet reports what ctx-lsp does not: {missing}"


def test_vet_oracle_saw_findings(vet_findings: dict[str, set[tuple[int, int, str]]]) -> None:
    """Guard against a silently broken oracle (wrong parsing, vet not run)."""
    assert sum(len(v) for v in vet_findings.values()) >= 30
    assert "vet_cases.go" in vet_findings
