"""The rule contract (docs/rules.md, ``Rule``), checked on every testdata file.

A rule's check of a top-level declaration may read that declaration's subtree and the
file-wide facts of ``FileContext.base_key``; anything else must go through
``FileContext.file_input``, which records the read. The server's cache relies on it: it
reuses a declaration's findings while the declaration's text and its recorded inputs are
unchanged (ctx_lsp/engine/incremental.py, invariant 1).

How it is checked: not by watching which nodes a rule touches (tree-sitter nodes cannot be
wrapped cheaply, and a rule may climb to the root through ``parent``), but by what the cache
would do. Each declaration is checked in its file and again in two variants of the file
with the same package clause and imports: alone, and with the other declarations in reverse
order. Whenever every input recorded in the original still has its value in a variant, the
findings there must be the original ones moved to the declaration's new offset. A rule that
reads a neighbour, the root's children or any other text without declaring it fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ctx_lsp.engine.checks import RuleFailures
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.incremental import check_declaration
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import ALL_RULES

TESTDATA = Path(__file__).resolve().parents[2] / "testdata"
CACHED_RULES = [rule for rule in ALL_RULES if not rule.whole_file]
HEADER_KINDS = ("package_clause", "import_declaration")


def _files() -> list[Path]:
    return sorted(TESTDATA.rglob("*.go"))


def _context(path: str, data: bytes) -> FileContext:
    return FileContext(SourceFile.parse(path, data), go_version=(1, 24), defer_fixes=True)


def _split(data: bytes, ctx: FileContext) -> tuple[bytes, list[bytes]]:
    """The file up to its last package clause or import declaration, and the texts of the
    declarations after it (comments between them are dropped)."""
    top = ctx.top_level
    header_end = max((node.end_byte for node in top if node.type in HEADER_KINDS), default=0)
    others = [data[node.start_byte:node.end_byte] for node in top
              if node.start_byte >= header_end and node.type != "comment"]
    return data[:header_end], others


def _variants(header: bytes, others: list[bytes], own: bytes) -> Iterator[tuple[str, bytes]]:
    yield "alone", header + b"\n\n" + own + b"\n"
    yield "reversed", header + b"\n\n" + b"\n\n".join(reversed(others)) + b"\n"


def _declaration(ctx: FileContext, text: bytes) -> object | None:
    for node in ctx.top_level:
        if node.text == text and not node.has_error:
            return node
    return None


@pytest.mark.parametrize("path", _files(), ids=lambda path: str(path.relative_to(TESTDATA)))
def test_findings_depend_only_on_the_declaration_and_its_recorded_inputs(path: Path) -> None:
    data = path.read_bytes()
    original = _context(str(path), data)
    if original.src.root.has_error:
        pytest.skip("a file with syntax errors: the cache never keeps its broken declarations")
    header, others = _split(data, original)
    compared = 0
    for decl in original.top_level:
        if decl.start_byte < len(header) or decl.type == "comment":
            continue
        own = data[decl.start_byte:decl.end_byte]
        findings, inputs = check_declaration(CACHED_RULES, original, decl, RuleFailures())
        for name, variant_data in _variants(header, others, own):
            variant = _context(str(path), variant_data)
            moved = _declaration(variant, own)
            if moved is None or variant.base_key != original.base_key:
                continue
            if not all(read.holds(variant) for read in inputs):
                continue  # the cache would re-check it: no claim
            expected = tuple(finding.shifted(moved.start_byte - decl.start_byte, variant.src.line_of)  # type: ignore[attr-defined]
                             for finding in findings)
            got, _ = check_declaration(CACHED_RULES, variant, moved, RuleFailures())
            assert got == expected, _difference(path, name, own, expected, got)
            compared += 1
    assert compared or not others


def _difference(path: Path, variant: str, own: bytes, expected: tuple[Finding, ...],
                got: tuple[Finding, ...]) -> str:
    return (f"{path.name}, declaration {own[:60]!r}... in the {variant!r} variant: its findings changed although "
            f"every file input it recorded kept its value (it reads something it does not declare)\n"
            f"  in the file:    {[(f.rule, f.message) for f in expected]}\n"
            f"  in the variant: {[(f.rule, f.message) for f in got]}")


def test_the_check_fails_for_a_rule_that_reads_a_neighbour() -> None:
    """The check itself can fail: a rule reporting when the next declaration is a type."""
    import attrs

    from ctx_lsp.engine.findings import Severity
    from ctx_lsp.engine.rule import Rule

    def nosy(ctx: FileContext, decl: object) -> list[Finding]:
        sibling = decl.next_named_sibling  # type: ignore[attr-defined]
        if decl.type == "function_declaration" and sibling is not None and sibling.type == "type_declaration":  # type: ignore[attr-defined]
            return [Finding("nosy", decl.start_byte, decl.start_byte + 4, "followed by a type")]  # type: ignore[attr-defined]
        return []

    rule = Rule("nosy", Severity.HINT, "nosy", "reads its neighbour", "", nosy)
    data = b"package p\n\nfunc f() {}\n\ntype T int\n"
    original = _context("p.go", data)
    decl = original.top_level[1]
    findings, inputs = check_declaration([rule], original, decl, RuleFailures())
    header, others = _split(data, original)
    variant_data = dict(_variants(header, others, decl.text or b""))["alone"]
    variant = _context("p.go", variant_data)
    moved = _declaration(variant, decl.text or b"")
    assert findings and not inputs and moved is not None
    got, _ = check_declaration([rule], variant, moved, RuleFailures())  # type: ignore[arg-type]
    assert got != tuple(f.shifted(moved.start_byte - decl.start_byte) for f in findings)  # type: ignore[attr-defined]
    assert attrs.has(Rule)
