"""nil-context: same-package callees read from sibling files, and the fix's availability."""

from __future__ import annotations

import os
from pathlib import Path

from tests.rules._family3 import findings_for, go_testdata

RULE = "nil-context"
CALLER = b"package p\n\nfunc caller() {\n\trun(nil, 1)\n}\n"


def test_a_sibling_declaration_makes_the_call_reported(tmp_path: Path) -> None:
    caller = tmp_path / "caller.go"
    assert findings_for(RULE, CALLER, path=str(caller)) == []
    (tmp_path / "run.go").write_text('package p\n\nimport c "context"\n\nfunc run(\n\tctx c.Context,\n\tn int,\n) {}\n')
    found = findings_for(RULE, CALLER, path=str(caller))
    assert [f.message.split(",")[0] for f in found] == ["nil passed as the context.Context of run"]
    assert found[0].fixes == ()  # caller.go does not import the context package


def test_a_changed_sibling_is_read_again(tmp_path: Path) -> None:
    caller = tmp_path / "caller.go"
    sibling = tmp_path / "run.go"
    sibling.write_text('package p\n\nimport "context"\n\nfunc run(ctx context.Context, n int) {}\n')
    assert len(findings_for(RULE, CALLER, path=str(caller))) == 1
    sibling.write_text("package p\n\nfunc run(v any, n int) {}\n")
    stat = sibling.stat()
    os.utime(sibling, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert findings_for(RULE, CALLER, path=str(caller)) == []


def test_another_package_in_the_directory_and_test_files_do_not_count(tmp_path: Path) -> None:
    caller = tmp_path / "caller.go"
    declaration = 'import "context"\n\nfunc run(ctx context.Context, n int) {}\n'
    (tmp_path / "other.go").write_text("package q\n\n" + declaration)
    (tmp_path / "helper_test.go").write_text("package p\n\n" + declaration)
    assert findings_for(RULE, CALLER, path=str(caller)) == []
    (tmp_path / "run.go").write_text("package p\n\n" + declaration)
    assert len(findings_for(RULE, CALLER, path=str(caller))) == 1
    # Tests pass nil on purpose to check that a function tolerates it.
    assert findings_for(RULE, CALLER, path=str(tmp_path / "caller_test.go")) == []


def test_the_testdata_fix_replaces_only_the_nil() -> None:
    go_file = go_testdata(RULE, "fix_todo.go")
    found = findings_for(RULE, go_file.read_bytes(), path=str(go_file))
    assert [fix.edits[0].new_text for f in found for fix in f.fixes] == ["stdctx.TODO()"] * 3
    assert all(f.end - f.start == len("nil") for f in found)


def test_certain_failures_are_warnings_and_the_rest_information(tmp_path: Path) -> None:
    from ctx_lsp.engine.findings import Severity
    from tests.rules._family3 import severity_of

    source = (b'package p\n\nimport "context"\n\nfunc run(ctx context.Context) {}\n\n'
              b"func f() {\n\t_, c := context.WithCancel(nil)\n\tc()\n\trun(nil)\n}\n")
    found = findings_for(RULE, source, path=str(tmp_path / "p.go"))
    assert [severity_of(f) for f in found] == [Severity.WARNING, Severity.INFORMATION]
