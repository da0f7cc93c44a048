"""Suppress and fix-all edits, diagnostics conversion, settings layering, encoding choice."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as T
from pytest_lsp import client_capabilities

from ctx_lsp.engine.analyze import analyze
from ctx_lsp.engine.findings import Finding, Fix, Related, Severity, TextEdit
from ctx_lsp.engine.fixes import apply_edits
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.lsp import convert
from ctx_lsp.lsp.actions import fix_all_edits, suppress_edit
from ctx_lsp.lsp.capabilities import ClientFeatures, read_client_features
from ctx_lsp.lsp.document import GoDocument
from ctx_lsp.lsp.protocol import prefer_utf8
from ctx_lsp.lsp.settings_store import SERVER_DEFAULTS, SettingsStore, editor_section
from ctx_lsp.rules import ALL_RULES, RULES_BY_ID

DISCARDED = """package p

import "context"

func f(parent context.Context) {
\tif parent != nil {
\t\tctx, _ := context.WithCancel(parent)
\t\t_ = ctx
\t}
}
"""


def _findings(source: bytes, path: str = "/w/p.go") -> tuple[SourceFile, list[Finding]]:
    src = SourceFile.parse(path, source)
    return src, list(analyze(src, SERVER_DEFAULTS, rules=ALL_RULES, go_version=None).findings)


def _suppressed(source: bytes) -> bytes:
    src, findings = _findings(source)
    (finding,) = findings
    edit = suppress_edit(src, finding)
    assert edit is not None
    return apply_edits(source, [edit])


def test_suppress_comment_goes_above_with_the_same_indentation_and_works() -> None:
    fixed = _suppressed(DISCARDED.encode())
    assert b"\t\t//ctxlsp:ignore lostcancel\n\t\tctx, _ := context.WithCancel(parent)" in fixed
    assert _findings(fixed)[1] == []


def test_suppress_keeps_crlf_line_endings() -> None:
    fixed = _suppressed(DISCARDED.replace("\n", "\r\n").encode())
    assert b"\t\t//ctxlsp:ignore lostcancel\r\n\t\tctx, _ :=" in fixed
    assert b"\n" not in fixed.replace(b"\r\n", b"")


def test_suppress_extends_an_existing_directive_above() -> None:
    source = DISCARDED.replace("\t\tctx, _ :=", "\t\t//ctxlsp:ignore forced-gc\n\t\tctx, _ :=").encode()
    fixed = _suppressed(source)
    assert b"\t\t//ctxlsp:ignore forced-gc,lostcancel\n\t\tctx, _ :=" in fixed
    assert _findings(fixed)[1] == []


def test_no_suppress_edit_where_a_line_starts_inside_a_raw_string() -> None:
    source = b'package p\n\nvar s = `line one\nline two` + "x"\n'
    src = SourceFile.parse("/w/p.go", source)
    finding = Finding("context-in-global", source.index(b"line two"), source.index(b"line two") + 4, "m")
    assert suppress_edit(src, finding) is None


def test_fix_all_skips_fixes_that_collide() -> None:
    first = Finding("a", 0, 1, "m", fixes=(Fix("one", (TextEdit(5, 9, "x"),), preferred=True),))
    clash = Finding("b", 0, 1, "m", fixes=(Fix("two", (TextEdit(7, 12, "y"),), preferred=True),))
    apart = Finding("c", 0, 1, "m", fixes=(Fix("three", (TextEdit(20, 20, "z"),), preferred=True),))
    not_preferred = Finding("d", 0, 1, "m", fixes=(Fix("four", (TextEdit(30, 30, "w"),)),))
    assert fix_all_edits([first, clash, apart, not_preferred], lambda finding: finding.preferred_fix) == [TextEdit(5, 9, "x"), TextEdit(20, 20, "z")]


def test_diagnostic_carries_code_link_related_information_and_version() -> None:
    document = GoDocument("file:///w/p.go", "package p\nvar x = 1\n", version=7)
    finding = Finding("lostcancel", 10, 13, "message", severity=Severity.ERROR,
                      related=(Related(14, 15, "see here"),), tags=("unnecessary",))
    features = ClientFeatures(diagnostic_tags=frozenset({1}), diagnostic_data=True)
    diagnostic = convert.to_diagnostic(finding, document, RULES_BY_ID, features)
    assert diagnostic.range == T.Range(start=T.Position(line=1, character=0), end=T.Position(line=1, character=3))
    assert diagnostic.severity == T.DiagnosticSeverity.Error
    assert diagnostic.code == "lostcancel" and diagnostic.source == "ctx-lsp"
    # In a source checkout the link is the project's own rule contract, not the anchor's page.
    docs = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert diagnostic.code_description == T.CodeDescription(href=f"{docs.as_uri()}#lostcancel")
    assert [info.message for info in diagnostic.related_information or []] == ["see here"]
    assert diagnostic.tags == [T.DiagnosticTag.Unnecessary]
    assert diagnostic.data == {"version": 7}
    plain = convert.to_diagnostic(finding, document, RULES_BY_ID, ClientFeatures())
    assert plain.tags is None and plain.data is None  # only what the client declared


def test_workspace_edit_names_the_version_when_the_client_can_check_it() -> None:
    document = GoDocument("file:///w/p.go", "package p\n", version=3)
    edits = [TextEdit(8, 9, "q")]
    versioned = convert.workspace_edit(document, edits, ClientFeatures(document_changes=True))
    assert versioned.document_changes is not None
    assert versioned.document_changes[0].text_document.version == 3  # type: ignore[union-attr]
    plain = convert.workspace_edit(document, edits, ClientFeatures())
    assert plain.changes == {"file:///w/p.go": [T.TextEdit(
        range=T.Range(start=T.Position(line=0, character=8), end=T.Position(line=0, character=9)), new_text="q")]}


def test_code_action_kinds_follow_the_hierarchy() -> None:
    assert convert.kind_requested("source.fixAll.ctxlsp", ["source.fixAll"])
    assert convert.kind_requested("source.fixAll.ctxlsp", ["source"])
    assert convert.kind_requested("quickfix", None)
    assert not convert.kind_requested("quickfix", ["source.fixAll"])
    assert not convert.kind_requested("source.fixAllThings", ["source.fixAll"])


def test_editor_section_accepts_both_shapes_and_ignores_others() -> None:
    assert editor_section({"ctxLsp": {"rules": {}}}) == ({"rules": {}}, True)
    assert editor_section({"debounceMs": 10}) == ({"debounceMs": 10}, True)
    assert editor_section({"gopls": {"x": 1}}) == (None, False)
    assert editor_section([]) == (None, False)
    assert editor_section(None) == (None, False)


def test_settings_layer_toml_under_editor_settings_and_warn_once(tmp_path: Path) -> None:
    (tmp_path / ".ctx-lsp.toml").write_text(
        'debounce-ms = 40\n[rules]\nforced-gc = "off"\nlostcancel = "error"\n', encoding="utf-8")
    warnings: list[str] = []
    store = SettingsStore(warnings.append, frozenset(RULES_BY_ID))
    path = str(tmp_path / "a.go")
    from_file = store.for_path(path)
    assert from_file.debounce_ms == 40 and not from_file.enabled("forced-gc")
    store.set_editor_settings({"rules": {"lostcancel": "hint"}, "colour": "blue"})
    store.set_editor_settings({"rules": {"lostcancel": "hint"}, "colour": "blue"})
    layered = store.for_path(path)
    assert layered.severity_for("lostcancel", Severity.WARNING) == Severity.HINT
    assert not layered.enabled("forced-gc") and layered.debounce_ms == 40
    assert len([w for w in warnings if "colour" in w]) == 1
    outside = store.for_path("")
    assert outside.debounce_ms == SERVER_DEFAULTS.debounce_ms


def test_utf8_is_preferred_whenever_offered() -> None:
    capabilities = client_capabilities("emacs")  # offers utf-32 first
    assert capabilities.general is not None
    assert capabilities.general.position_encodings[0] != "utf-8"
    prefer_utf8(capabilities)
    assert capabilities.general.position_encodings[0] == "utf-8"
    features = read_client_features(capabilities, T.PositionEncodingKind.Utf8)
    assert features.encoding == "utf-8"
    assert not read_client_features(client_capabilities("visual-studio-code"), "utf-16").pull_diagnostics
    assert read_client_features(client_capabilities("neovim@0.11"), "utf-8").pull_diagnostics


def test_no_suppress_edit_in_a_file_with_a_lone_carriage_return() -> None:
    # Go does not end a line at a lone \r: an inserted //comment would swallow the code.
    source = DISCARDED.replace("\t\t_ = ctx\n", "\t\t_ = ctx // a note\r\t\t_ = 2\n").encode()
    src, findings = _findings(source)
    assert [f.rule for f in findings] == ["lostcancel"]
    assert suppress_edit(src, findings[0]) is None


def test_no_suppress_edit_inside_a_declaration_with_syntax_errors() -> None:
    source = DISCARDED.replace("\t\t_ = ctx\n", "\t\t_ = ctx +\n").encode()
    src, findings = _findings(source)
    assert src.root.has_error and findings
    assert all(suppress_edit(src, finding) is None for finding in findings)
