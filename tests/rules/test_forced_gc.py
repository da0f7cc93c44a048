"""forced-gc: test files and module testdata directories, and GC as a word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ctx_lsp.engine import gomod
from ctx_lsp.rules.forced_gc import _in_testdata, _names_gc
from tests.rules._family3 import findings_for, go_testdata

RULE = "forced-gc"


def test_the_test_file_case_is_reported_without_its_test_file_name() -> None:
    """in_test_file.go pretends to be a _test.go file; under its own name it is reported, so
    the testdata case checks the exemption and not an accident."""
    go_file = go_testdata(RULE, "in_test_file.go")
    assert len(findings_for(RULE, go_file.read_bytes(), path=str(go_file))) == 3
    assert findings_for(RULE, go_file.read_bytes(), path=str(go_file.with_name("x_test.go"))) == []


def test_testdata_directories_count_only_inside_a_module(go_module: Callable[..., Path]) -> None:
    gomod.clear_caches()
    tmp_path = go_module({}, go="1.22")
    (tmp_path / "testdata").mkdir()
    assert _in_testdata(str(tmp_path / "testdata" / "prog.go"))
    assert not _in_testdata(str(tmp_path / "prog.go"))
    assert not _in_testdata(str(tmp_path / "pkg" / "testdata.go"))
    gomod.clear_caches()


@pytest.mark.parametrize(("text", "expected"), [
    ("callGC", True), ("gcHandler", True), ('"/debug/gc"', True), ("GCPercent", True),
    ("gc_between_runs", True), ("msgCount", False), ("logcfg", False), ("GOGC", False),
    ("gcloud", False),
])
def test_gc_must_be_a_word_of_the_name(text: str, expected: bool) -> None:
    assert _names_gc(text) is expected
