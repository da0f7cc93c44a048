"""The server's incremental analysis (GoDocument edits + the engine's per-declaration cache +
conversion to diagnostics) must always equal a fresh full analysis of the same text."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lsprotocol import types as T
from pygls.protocol import default_converter

from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.lsp.capabilities import ClientFeatures
from ctx_lsp.lsp.document import GoDocument, TextChange, check_tree
from ctx_lsp.lsp.open_document import AnalysisCancelled, OpenDocument, Results, analyse_snapshot
from ctx_lsp.lsp.settings_store import SERVER_DEFAULTS
from ctx_lsp.rules import RULES_BY_ID
from tests.lsp.lsp_model import inside_crlf, line_starts, lsp_position

FEATURES = {
    encoding: ClientFeatures(encoding=encoding, related_information=True, diagnostic_tags=frozenset({1, 2}),
                             code_description=True, diagnostic_data=True)
    for encoding in ("utf-8", "utf-16", "utf-32")
}

BASE_FILE = """\
package worker

import (
\t"context"
\t"os"
\t"runtime"
\t"time"
)

type handle struct {
\tf   *os.File
\tctx context.Context
}

func (h *handle) Close() error { return h.f.Close() }

func start(parent context.Context, slow bool) error {
\tctx, cancel := context.WithTimeout(parent, time.Second)
\tif slow {
\t\treturn nil
\t}
\tdefer cancel()
\t_ = ctx
\treturn nil
}

func track(h *handle) {
\truntime.SetFinalizer(h, func(h *handle) { h.f.Close() })
}

func tag(ctx context.Context) context.Context {
\treturn context.WithValue(ctx, "user", 42)
}
"""

# Edits a user makes while working on such code: whole statements that add or remove
# findings, declarations that change package facts, imports, suppression comments, and the
# text-model stressors (multi-byte characters, every line-break style, unbalanced braces).
FRAGMENTS = (
    "\tctx2, _ := context.WithCancel(ctx)\n\t_ = ctx2\n",
    "\tdefer cancel()\n",
    "\treturn nil\n",
    "\tcancel()\n",
    "}\n",
    "{",
    "func more(ctx context.Context) {\n",
    "\tgo func() { for {} }()\n",
    "\truntime.GC()\n",
    "\t_ = context.WithValue(ctx, 7, 1)\n",
    "type holder struct{ c context.Context }\n",
    "var global = context.WithValue(context.Background(), \"k\", 1)\n",
    'import "os/signal"\n',
    "//ctxlsp:ignore lostcancel\n",
    "//nolint\n",
    "const userKey = \"user\"\n",
    "é",
    "😋",
    "\r\n",
    "\r",
    "\n",
    "x",
    " ",
)

edit_scripts = st.lists(
    st.tuples(
        st.floats(0, 1),  # where, as a fraction of the lines
        st.sampled_from((0, 0, 0, 1, 1, 2, 10)),  # at which column (cut to the line's length)
        st.sampled_from((0, 0, 0, 1, 2, 10)),  # how many characters to delete
        st.lists(st.sampled_from(FRAGMENTS), min_size=0, max_size=2).map("".join),
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("module")
    (directory / "go.mod").write_text("module example.com/worker\n\ngo 1.24\n", encoding="utf-8")
    return directory


def _fresh(uri: str, path: str, text: str, encoding: str, version: int) -> OpenDocument:
    document = GoDocument(uri, text, path=path, version=version, encoding=encoding)  # type: ignore[arg-type]
    return OpenDocument(document)


CONVERTER = default_converter()


def _as_json(diagnostics: list[T.Diagnostic]) -> list[object]:
    """What pygls would send for these diagnostics (the server sends pre-converted ones)."""
    return [CONVERTER.unstructure(diagnostic) for diagnostic in diagnostics]


def _refresh(open_document: OpenDocument, encoding: str) -> Results:
    """What the server does for a stale document: analyze a snapshot, keep the results; and
    when the snapshot's tree is provisional (an incremental parse of broken text), check it
    against a fresh parse as the server does within TREE_CHECK_DELAY_S, and analyse again
    when they differ (tree-sitter's error recovery can regroup reused subtrees differently).
    The results returned are the ones the server ends up publishing for this text."""
    snapshot = open_document.document.snapshot()
    results = analyse_snapshot(snapshot, open_document.key, open_document.cache,
                               SERVER_DEFAULTS, PackageLoader(), RULES_BY_ID, FEATURES[encoding],
                               memo=open_document.diagnostics_memo)
    assert open_document.keep(results)
    if snapshot.provisional and open_document.adopt(check_tree(snapshot)):
        return _refresh(open_document, encoding)
    return results


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(script=edit_scripts)
# Found by a randomised run: a goroutine and a second context inserted above a finalizer.
@example(script=[(0.3125, 0, 0, "\tcancel()\n\tgo func() { for {} }()\n"),
                 (0.1875, 0, 0, "\tctx2, _ := context.WithCancel(ctx)\n\t_ = ctx2\n")])
def test_incremental_results_equal_a_fresh_analysis(
    encoding: str, module_dir: Path, script: list[tuple[float, int, int, str]]
) -> None:
    path = str(module_dir / "worker.go")
    uri = Path(path).as_uri()
    text = BASE_FILE
    incremental = _fresh(uri, path, text, encoding, 0)
    _refresh(incremental, encoding)
    for version, (where, column, delete, insert) in enumerate(script, start=1):
        starts = line_starts(text)
        line = int(where * (len(starts) - 1))
        start = starts[line]
        line_end = text.find("\n", start)
        start = min(start + column, len(text) if line_end < 0 else line_end)
        if inside_crlf(text, start):
            start -= 1
        end = min(len(text), start + delete)
        if inside_crlf(text, end):
            end += 1
        change = TextChange(insert, lsp_position(text, start, encoding), lsp_position(text, end, encoding))
        text = text[:start] + insert + text[end:]
        incremental.document.apply_changes([change], version)
        incremental.changed()
        got = _refresh(incremental, encoding)
        expected = _refresh(_fresh(uri, path, text, encoding, version), encoding)
        assert not got.analysis.errors and not expected.analysis.errors
        assert got.analysis.findings == expected.analysis.findings
        assert got.diagnostics == expected.diagnostics
        assert got.diagnostics_json == _as_json(expected.diagnostics)
        assert [json.loads(text) for text in got.diagnostics_text] == got.diagnostics_json


def test_cache_is_used_for_unchanged_declarations(module_dir: Path) -> None:
    path = str(module_dir / "worker.go")
    incremental = _fresh(Path(path).as_uri(), path, BASE_FILE, "utf-16", 0)
    first = _refresh(incremental, "utf-16")
    misses_before = incremental.cache.misses
    line = BASE_FILE.splitlines().index("\t_ = ctx")
    incremental.document.apply_changes([TextChange("\t_ = ctx // still used\n", (line, 0), (line + 1, 0))], 1)
    incremental.changed()
    second = _refresh(incremental, "utf-16")
    # Only the edited function is re-checked: one miss per rule that runs on it at most.
    assert incremental.cache.misses - misses_before <= len(RULES_BY_ID)
    assert [f.rule for f in second.analysis.findings] == [f.rule for f in first.analysis.findings]


def test_results_stay_current_until_something_changes(module_dir: Path) -> None:
    path = str(module_dir / "worker.go")
    open_document = _fresh(Path(path).as_uri(), path, BASE_FILE, "utf-16", 0)
    assert open_document.current_results(SERVER_DEFAULTS) is None
    first = _refresh(open_document, "utf-16")
    assert open_document.current_results(SERVER_DEFAULTS) is first
    open_document.invalidate_external()
    assert open_document.current_results(SERVER_DEFAULTS) is None
    second = _refresh(open_document, "utf-16")
    assert second.result_id == first.result_id  # same diagnostics, same result id
    open_document.changed()
    assert open_document.current_results(SERVER_DEFAULTS) is None
    # Results of text that changed meanwhile are not kept.
    assert not open_document.keep(second)


def test_a_cancelled_analysis_stops_and_reports_nothing(module_dir: Path) -> None:
    path = str(module_dir / "worker.go")
    open_document = _fresh(Path(path).as_uri(), path, BASE_FILE, "utf-16", 0)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(AnalysisCancelled):
        analyse_snapshot(open_document.document.snapshot(), open_document.key, open_document.cache,
                         SERVER_DEFAULTS, PackageLoader(), RULES_BY_ID, FEATURES["utf-16"], cancelled)
    # Every rule gave up at its next declaration instead of finishing the file.
    assert len(calls) < 3 + 2 * len(RULES_BY_ID)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_reused_diagnostics_equal_fresh_ones_for_edits_around_every_finding(encoding: str, module_dir: Path) -> None:
    """Diagnostics of findings the edit did not move are copied from the previous analysis
    (DiagnosticMemo). Type a character or a line break at offsets in and around each
    finding (on its line and the lines near it), then delete it again: each time the
    diagnostics must equal a fresh conversion of the same text."""
    path = str(module_dir / "worker.go")
    uri = Path(path).as_uri()
    # Multi-byte characters before findings on the same line: utf-16 and utf-8 columns differ.
    text = BASE_FILE.replace("\treturn context.WithValue(ctx,", "\treturn /* ¿ü */ context.WithValue(ctx,")
    incremental = _fresh(uri, path, text, encoding, 0)
    first = _refresh(incremental, encoding)
    assert len(first.analysis.findings) >= 3
    data = text.encode("utf-8")
    near = sorted({len(data[:offset].decode("utf-8", "ignore"))  # as a character offset
                   for finding in first.analysis.findings
                   for offset in range(max(0, finding.start - 30), min(len(data), finding.end + 30), 6)})
    version = 0
    for where in near:
        for insert in ("x", "\n"):
            edited = text[:where] + insert + text[where:]
            for before, after, change in (
                (text, edited, TextChange(insert, lsp_position(text, where, encoding),
                                          lsp_position(text, where, encoding))),
                (edited, text, TextChange("", lsp_position(edited, where, encoding),
                                          lsp_position(edited, where + len(insert), encoding))),
            ):
                version += 1
                incremental.document.apply_changes([change], version)
                incremental.changed()
                got = _refresh(incremental, encoding)
                expected = _refresh(_fresh(uri, path, after, encoding, version), encoding)
                assert got.diagnostics == expected.diagnostics, (where, insert)
                assert got.diagnostics_json == expected.diagnostics_json == _as_json(expected.diagnostics)
                assert [json.loads(text) for text in got.diagnostics_text] == got.diagnostics_json


def test_a_severity_change_is_not_hidden_by_reused_diagnostics(module_dir: Path) -> None:
    """Settings change the severity of unchanged findings: reused diagnostics must not keep
    the old one (an edit above the findings moves them, the line count stays)."""
    path = str(module_dir / "worker.go")
    uri = Path(path).as_uri()
    incremental = _fresh(uri, path, BASE_FILE, "utf-16", 0)
    _refresh(incremental, "utf-16")
    stricter = attrs.evolve(SERVER_DEFAULTS, rules={rule: "error" for rule in RULES_BY_ID})
    line = BASE_FILE.splitlines().index("type handle struct {")
    incremental.document.apply_changes([TextChange("x", (line, 0), (line, 0))], 1)
    incremental.changed()
    got = analyse_snapshot(incremental.document.snapshot(), incremental.key, incremental.cache, stricter,
                           PackageLoader(), RULES_BY_ID, FEATURES["utf-16"], memo=incremental.diagnostics_memo)
    assert got.diagnostics and {d.severity for d in got.diagnostics} == {T.DiagnosticSeverity.Error}
    assert got.diagnostics_json == _as_json(got.diagnostics)
