"""The engine calls a check on top-level comments only when its rule says it reads them
(``Rule.comments``): every other check must find nothing there."""

from __future__ import annotations

from pathlib import Path

import attrs

from ctx_lsp.engine.analyze import analyze
from ctx_lsp.engine.checks import RuleFailures, run_rules
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import ALL_RULES

ROOT = Path(__file__).resolve().parents[2]


def test_only_comment_rules_find_anything_in_top_level_comments() -> None:
    """Called directly on every top-level comment of the testdata (linkname directives, doc
    comments with code in them, `// want` lines), a check of a rule without ``comments``
    reports nothing."""
    comments = 0
    for path in sorted((ROOT / "testdata").rglob("*.go")):
        src = SourceFile.parse(str(path), path.read_bytes())
        ctx = FileContext(src, go_version=(1, 24))
        for node in ctx.top_level:
            if node.type != "comment":
                continue
            comments += 1
            for rule in ALL_RULES:
                if not rule.comments:
                    assert list(rule.check(ctx, node)) == [], (rule.id, path, src.text(node))
    assert comments > 100


def test_checks_run_on_comments_only_for_comment_rules() -> None:
    src = SourceFile.parse("p.go", b"package p\n\n// doc\nfunc f() {}\n")
    seen: list[tuple[str, str]] = []

    def recorder(rule_id: str):  # type: ignore[no-untyped-def]
        def check(ctx, decl):  # type: ignore[no-untyped-def]
            seen.append((rule_id, decl.type))
            return ()
        return check

    base = attrs.evolve(ALL_RULES[0], decl_needles=())  # called on every declaration
    rules = [attrs.evolve(base, id="plain", check=recorder("plain")),
             attrs.evolve(base, id="reader", check=recorder("reader"), comments=True)]
    ctx = FileContext(src, go_version=(1, 24))
    for node in ctx.top_level:
        run_rules(rules, ctx, node, RuleFailures())
    assert ("plain", "comment") not in seen and ("reader", "comment") in seen
    assert ("plain", "function_declaration") in seen
    assert analyze(src, rules=rules, go_version=(1, 24)).findings == ()


def test_goroutine_local_storage_still_sees_linkname_directives() -> None:
    src = SourceFile.parse("p.go", b'package p\n\nimport _ "unsafe"\n\n//go:linkname getg runtime.getg\n'
                                   b"func getg() uintptr\n")
    rules = [rule for rule in ALL_RULES if rule.id == "goroutine-local-storage"]
    findings = analyze(src, rules=rules, go_version=(1, 24)).findings
    assert any(finding.message.startswith("//go:linkname") for finding in findings), findings
