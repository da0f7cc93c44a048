import pytest

from ctx_lsp.engine.config import DEFAULT_SETTINGS, parse_settings
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.fixes import OverlappingEdits, apply_edits, apply_preferred_fixes
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.suppress import Suppressions


def test_settings_accept_all_key_styles_and_warn_on_junk() -> None:
    settings, warnings = parse_settings(
        {"minSeverity": "warning", "debounce_ms": 0, "rules": {"lostcancel": "error", "forced-gc": False},
         "bogus": 1}, known_rules=frozenset({"lostcancel", "forced-gc"}))
    assert settings.min_severity is Severity.WARNING and settings.debounce_ms == 0
    assert settings.severity_for("lostcancel", Severity.WARNING) is Severity.ERROR
    assert not settings.enabled("forced-gc")
    assert warnings == ["settings: unknown setting 'bogus' ignored"]


@pytest.mark.parametrize("junk", [[], {"rules": []}, {"rules": "x"}, {"debounceMs": "fast"}, 3, "x"])
def test_settings_junk_keeps_defaults(junk: object) -> None:
    settings, _ = parse_settings(junk)
    assert settings == DEFAULT_SETTINGS


def _finding(src: SourceFile, needle: bytes, rule: str = "lostcancel") -> Finding:
    start = src.data.index(needle)
    return Finding(rule, start, start + len(needle), "m")


@pytest.mark.parametrize(("comment", "suppressed"), [
    ("//nolint", True), ("//nolint:lostcancel", True), ("//nolint:govet // ok", True),
    ("//nolint:other", False), ("//ctxlsp:ignore lostcancel because", True),
    ("//ctxlsp:ignore forced-gc", False), ("// nolint", False),
])
def test_suppression_on_same_line_and_line_above(comment: str, suppressed: bool) -> None:
    same = SourceFile.parse("p.go", f"package p\n\nvar x = 1 {comment}\n".encode())
    above = SourceFile.parse("p.go", f"package p\n\n{comment}\nvar x = 1\n".encode())
    for src in (same, above):
        assert Suppressions(src).is_suppressed(_finding(src, b"x = 1")) is suppressed


def test_suppression_inside_a_string_does_not_count() -> None:
    src = SourceFile.parse("p.go", b'package p\n\nvar x = "//nolint"\n')
    assert not Suppressions(src).is_suppressed(_finding(src, b"x ="))


def test_apply_edits_rejects_overlaps_and_keeps_other_bytes() -> None:
    assert apply_edits(b"abcdef", [TextEdit(1, 2, "X"), TextEdit(4, 4, "Y")]) == b"aXcdYef"
    with pytest.raises(OverlappingEdits):
        apply_edits(b"abcdef", [TextEdit(1, 3, "X"), TextEdit(2, 4, "Y")])


def test_conflicting_fixes_are_skipped_not_merged() -> None:
    one = Finding("r", 0, 1, "m", fixes=(Fix("a", (TextEdit(0, 2, "X"),), preferred=True),))
    two = Finding("r", 1, 2, "m", fixes=(Fix("b", (TextEdit(1, 3, "Y"),), preferred=True),))
    assert apply_preferred_fixes(b"abcd", [one, two]) == (b"Xcd", 1)


def test_results_are_not_cached_while_a_rule_has_failed() -> None:
    """A rule that raised (or was cancelled by the server) on an earlier declaration must not
    leave later declarations cached without its findings."""
    import attrs

    from ctx_lsp.engine.analyze import DeclCache, analyze
    from ctx_lsp.rules import RULES_BY_ID

    source = (b'package p\n\nimport "context"\n\nfunc a() {}\n\n'
              b"func b(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\t_ = ctx\n}\n")
    src = SourceFile.parse("p.go", source)
    real = RULES_BY_ID["lostcancel"]
    calls = {"n": 0}

    def explode_once(ctx, decl):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("cancelled")
        return real.check(ctx, decl)

    cache = DeclCache()
    flaky = attrs.evolve(real, check=explode_once)
    first = analyze(src, rules=[flaky], cache=cache, go_version=None)
    assert first.errors and not first.findings
    second = analyze(src, rules=[real], cache=cache, go_version=None)
    assert [f.rule for f in second.findings] == ["lostcancel"]
