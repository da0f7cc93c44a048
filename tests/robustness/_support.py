"""Shared pieces of the robustness suite: the seed corpus, input mutations, the invariants every
analysis must satisfy, and fix application with its own checks.

The mutation functions are plain and deterministic (every random choice is a parameter), so the
hypothesis tests and the long campaign script (``tests/bench/fuzz_campaign.py``, driven by
``random.Random``) exercise exactly the same code.

Example counts: the tests use :data:`FUZZ_SETTINGS`, modest enough for CI on two cores.
``CTX_LSP_FUZZ_SCALE=20 pytest tests/robustness`` multiplies every example count for a longer
local campaign.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import attrs
from hypothesis import HealthCheck, settings

from ctx_lsp.engine import gomod
from ctx_lsp.engine.analyze import Analysis, analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.fixes import apply_edits
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.syntax import walk
from ctx_lsp.rules import ALL_RULES
from tests.wantfile import directives

ROOT = Path(__file__).resolve().parents[2]
TESTDATA = ROOT / "testdata"
ALL_SEVERITIES = Settings(min_severity=Severity.HINT)

FUZZ_SCALE = max(1, int(os.environ.get("CTX_LSP_FUZZ_SCALE", "1")))


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings for one fuzz test: ``examples`` times the campaign scale, no
    per-example deadline (a cold parse of a big file is slow but not a bug), and the
    health checks that large generated inputs trip switched off."""
    return settings(
        max_examples=examples * FUZZ_SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                               HealthCheck.function_scoped_fixture],
        print_blob=True,
    )


# -- the seed corpus ---------------------------------------------------------------------------
@attrs.frozen
class Seed:
    """One testdata file: where it lives, its bytes and the harness directives it carries."""

    path: Path
    data: bytes
    analysed_path: str  # the name the file pretends to have (``// ctxlsp:testdata path=...``)
    go_version: tuple[int, int] | None

    @property
    def name(self) -> str:
        return str(self.path.relative_to(TESTDATA))


def _seed(path: Path) -> Seed:
    data = path.read_bytes()
    found = directives(data)
    analysed = str(path.parent / found["path"]) if "path" in found else str(path)
    version = None
    if "go.mod" in found:
        major, minor = found["go.mod"].split(".")[:2]
        version = (int(major), int(minor))
    else:
        version = gomod.go_version_for(str(path))  # testdata/example has a real go.mod
    return Seed(path, data, analysed, version)


@cache
def corpus() -> tuple[Seed, ...]:
    """Every Go file under testdata/ (golden files included: they are Go too)."""
    files = sorted(p for p in TESTDATA.rglob("*") if p.is_file() and p.name.endswith((".go", ".go.golden")))
    return tuple(_seed(p) for p in files)


# -- running the analyzer ------------------------------------------------------------------------
_LOADER = PackageLoader()


def analyse(data: bytes, path: str = "", go_version: tuple[int, int] | None = (1, 24), **kwargs: object) -> Analysis:
    """All rules, every severity, on ``data`` pretending to be the file ``path``."""
    src = SourceFile.parse(path, data)
    return analyze(src, ALL_SEVERITIES, rules=kwargs.pop("rules", ALL_RULES), loader=_LOADER, go_version=go_version,
                   **kwargs)  # type: ignore[arg-type]


def analyse_seed(seed: Seed, data: bytes | None = None, **kwargs: object) -> Analysis:
    return analyse(seed.data if data is None else data, seed.analysed_path, seed.go_version, **kwargs)


def invariant_problems(data: bytes, analysis: Analysis) -> list[str]:
    """Everything wrong with an analysis of ``data``: crashed rules, offsets outside the file,
    unordered findings, fixes whose edits leave the file or overlap one another."""
    problems = [f"rule {e.rule} crashed: {e.message}\n{e.traceback}" for e in analysis.errors]
    size = len(data)

    def inside(what: str, start: int, end: int) -> None:
        if not 0 <= start <= end <= size:
            problems.append(f"{what} [{start}, {end}) is outside the file of {size} bytes")

    for finding in analysis.findings:
        label = f"{finding.rule} finding at {finding.start}"
        inside(label, finding.start, finding.end)
        if not finding.message.strip():
            problems.append(f"{label}: empty message")
        if finding.severity is None:
            problems.append(f"{label}: severity left unresolved")
        for offset in finding.line_refs:
            inside(f"{label}: line reference", offset, offset)
        for related in finding.related:
            inside(f"{label}: related location", related.start, related.end)
        for fix in finding.fixes:
            for edit in fix.edits:
                inside(f"{label}: edit of fix {fix.title!r}", edit.start, edit.end)
            try:
                apply_edits(data, fix.edits)
            except ValueError as error:
                problems.append(f"{label}: fix {fix.title!r} cannot be applied: {error}")
        if sum(1 for fix in finding.fixes if fix.preferred) > 1:
            problems.append(f"{label}: more than one preferred fix")
    starts = [(f.start, f.end, f.rule) for f in analysis.findings]
    if starts != sorted(starts):
        problems.append("findings are not sorted by position")
    return problems


def comparable(findings: Sequence[Finding]) -> list[tuple[object, ...]]:
    """What a user sees of findings: enough to compare two analyses of the same text."""
    return [(f.rule, f.start, f.end, f.message, f.severity, f.related, f.fixes) for f in findings]


# -- mutations --------------------------------------------------------------------------------------
# Go-ish tokens: good enough to delete, duplicate and swap meaningful units.
_TOKEN = re.compile(
    rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*"  # identifiers and keywords (UTF-8 letters included)
    rb"|[0-9][0-9A-Za-z_.]*"  # numbers
    rb'|"(?:[^"\\\n]|\\.)*"?|`[^`]*`?'  # strings
    rb"|//[^\n]*|/\*.*?\*/"  # comments
    rb"|:=|\.\.\.|<-|&&|\|\||[-+*/%&|^<>=!]=?|[{}()\[\];,.:~]"
    rb"|\s+|.",
    re.DOTALL,
)

INVALID_UTF8 = (b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe2\x82", b"\x80\x80")
BRACKETS = (b"{", b"}", b"(", b")", b"[", b"]", b"{\n", b"\n}\n", b"func() {", b"})")
LINE_BREAKS = (b"\n", b"\r\n", b"\r")


def tokens(data: bytes) -> list[bytes]:
    return _TOKEN.findall(data)


def _index(length: int, choice: int) -> int:
    return choice % length if length else 0


def delete_token(data: bytes, choice: int) -> bytes:
    parts = tokens(data)
    if parts:
        del parts[_index(len(parts), choice)]
    return b"".join(parts)


def duplicate_token(data: bytes, choice: int) -> bytes:
    parts = tokens(data)
    if parts:
        index = _index(len(parts), choice)
        parts.insert(index, parts[index])
    return b"".join(parts)


def swap_tokens(data: bytes, first: int, second: int) -> bytes:
    parts = tokens(data)
    if parts:
        i, j = _index(len(parts), first), _index(len(parts), second)
        parts[i], parts[j] = parts[j], parts[i]
    return b"".join(parts)


def truncate(data: bytes, choice: int) -> bytes:
    return data[: _index(len(data) + 1, choice)]


def insert_bytes(data: bytes, choice: int, inserted: bytes) -> bytes:
    at = _index(len(data) + 1, choice)
    return data[:at] + inserted + data[at:]


def remix_line_breaks(data: bytes, pattern: int) -> bytes:
    """Rewrite every line break as \\n, \\r\\n or a lone \\r, chosen per line from the bits of
    ``pattern`` (so mixes, not only uniform conversions, are produced)."""
    pieces = re.split(rb"(\r\n|\r|\n)", data)
    out: list[bytes] = []
    line = 0
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(LINE_BREAKS[(pattern >> (2 * (line % 16))) % 3])
            line += 1
        else:
            out.append(piece)
    return b"".join(out)


def splice(data: bytes, donor: bytes, at: int, start: int, length: int) -> bytes:
    """Insert a run of tokens of another file (code that makes sense somewhere else)."""
    theirs = tokens(donor)
    if not theirs:
        return data
    first = _index(len(theirs), start)
    piece = b"".join(theirs[first : first + 1 + length % 40])
    return insert_bytes(data, at, piece)


def describe(operation: tuple[object, ...]) -> str:
    name, *arguments = operation
    return f"{name}({', '.join(repr(a) for a in arguments)})"


def apply_operation(data: bytes, operation: tuple[object, ...]) -> bytes:
    """Apply one mutation given as a tuple ``(name, *parameters)``."""
    name, *arguments = operation
    if name == "delete":
        return delete_token(data, *arguments)  # type: ignore[arg-type]
    if name == "duplicate":
        return duplicate_token(data, *arguments)  # type: ignore[arg-type]
    if name == "swap":
        return swap_tokens(data, *arguments)  # type: ignore[arg-type]
    if name == "truncate":
        return truncate(data, *arguments)  # type: ignore[arg-type]
    if name == "insert":
        return insert_bytes(data, *arguments)  # type: ignore[arg-type]
    if name == "line_breaks":
        return remix_line_breaks(data, *arguments)  # type: ignore[arg-type]
    if name == "splice":
        donor_index, at, start, length = arguments
        seeds = corpus()
        return splice(data, seeds[int(donor_index) % len(seeds)].data, at, start, length)  # type: ignore[arg-type]
    raise ValueError(f"unknown mutation {name!r}")


def mutate(data: bytes, operations: Sequence[tuple[object, ...]]) -> bytes:
    for operation in operations:
        data = apply_operation(data, operation)
    return data


# -- applying fixes and checking them -----------------------------------------------------------------
def syntax_error_count(src: SourceFile) -> int:
    if not src.root.has_error:
        return 0
    return sum(1 for n in walk(src.root, enter=lambda n: n.has_error) if n.is_error or n.is_missing)


def untouched_bytes_kept(before: bytes, after: bytes, edits: Sequence[TextEdit]) -> bool:
    """Whether ``after`` is ``before`` with exactly ``edits`` applied and nothing else: the
    pieces between edits are compared one by one, independently of ``apply_edits``."""
    position_before = position_after = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        kept = before[position_before : edit.start]
        if after[position_after : position_after + len(kept)] != kept:
            return False
        position_after += len(kept)
        inserted = edit.new_text.encode("utf-8", "surrogateescape")
        if after[position_after : position_after + len(inserted)] != inserted:
            return False
        position_after += len(inserted)
        position_before = edit.end
    return after[position_after:] == before[position_before:]


def map_offset(offset: int, edits: Sequence[TextEdit]) -> int:
    """Where ``offset`` of the old text lands in the new text (edits before it shift it)."""
    delta = 0
    for edit in edits:
        if edit.end <= offset:
            delta += len(edit.new_text.encode("utf-8", "surrogateescape")) - (edit.end - edit.start)
    return offset + delta


def normalised(message: str) -> str:
    """A message with its numbers masked: line numbers quoted in it move with edits."""
    return re.sub(r"\d+", "N", message)


def still_reported(finding: Finding, edits: Sequence[TextEdit], after: Sequence[Finding]) -> bool:
    """Whether ``finding`` is reported again, at its moved position, after ``edits``."""
    moved = map_offset(finding.start, edits)
    return any(f.rule == finding.rule and f.start == moved and normalised(f.message) == normalised(finding.message)
               for f in after)


# Problems the fuzzers know about and that are reported to the rule owners; each has a strict
# xfail regression test, which starts failing (XPASS) once the rule is fixed: then delete the
# entry here and the xfail marker there.
KNOWN_FIX_PROBLEMS = (
    # finalizer-prefer-cleanup copies the field's type from the struct declaration even when
    # that declaration has syntax errors (`file *os..File` while typing).
    # See test_fix_safety.test_cleanup_fix_does_not_copy_a_broken_field_type.
    re.compile(r"^finalizer-prefer-cleanup .*fix 'Replace with runtime\.AddCleanup.*': the fixed text has new syntax"),
)


def is_known(problem: str) -> bool:
    return any(pattern.search(problem) for pattern in KNOWN_FIX_PROBLEMS)


def fix_problems(data: bytes, path: str, go_version: tuple[int, int] | None, finding: Finding, fix: Fix,
                 analysis_after: Callable[[bytes], Analysis] | None = None,
                 include_known: bool = False) -> tuple[list[str], bytes]:
    """Apply one fix alone and check it: only the edited ranges change, the result has no more
    syntax errors than the input, and the finding it fixes is gone. Returns (problems, result)."""
    label = f"{finding.rule} at byte {finding.start}, fix {fix.title!r}"
    problems: list[str] = []
    try:
        fixed = apply_edits(data, fix.edits)
    except ValueError as error:
        return [f"{label}: cannot be applied: {error}"], data
    if not untouched_bytes_kept(data, fixed, fix.edits):
        problems.append(f"{label}: bytes outside the edited ranges changed")
    before_src = SourceFile.parse(path, data)
    after_src = SourceFile.parse(path, fixed)
    if syntax_error_count(after_src) > syntax_error_count(before_src):
        problems.append(f"{label}: the fixed text has new syntax errors")
    after = analysis_after(fixed) if analysis_after else analyze(
        after_src, ALL_SEVERITIES, rules=ALL_RULES, loader=_LOADER, go_version=go_version)
    problems.extend(f"after {label}: {p}" for p in invariant_problems(fixed, after))
    if still_reported(finding, fix.edits, after.findings):
        problems.append(f"{label}: the finding is still reported after the fix")
    return [p for p in problems if include_known or not is_known(p)], fixed
