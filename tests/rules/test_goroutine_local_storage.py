"""goroutine-local-storage: directive parsing, library paths, the header heuristics and pushes
declared in a sibling file. The shapes are covered by testdata/goroutine-local-storage."""

from __future__ import annotations

import pytest

from ctx_lsp.engine.analyze import analyze
from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import RULES_BY_ID
from ctx_lsp.rules.goroutine_local_storage import DOC, library_of, linkname_target
from tests.support import rule_findings

RULE = "goroutine-local-storage"


def findings_for(source: str, path: str = "p.go") -> list[Finding]:
    return rule_findings(RULE, source, path)


@pytest.mark.parametrize(("comment", "expected"), [
    ("//go:linkname getg runtime.getg", ("getg", "runtime.getg")),
    ("//go:linkname\tgetg\truntime.getg", ("getg", "runtime.getg")),
    ("//go:linkname getg runtime.getg // explained here", ("getg", "runtime.getg")),
    ("//go:linkname getg", None),  # one argument: marks a local symbol
    ("//go:linknamegetg runtime.getg", None),
    ("// go:linkname getg runtime.getg", None),  # not a directive
    ("//go:linkname a b c", None),  # malformed: the compiler rejects it
])
def test_linkname_target(comment: str, expected: tuple[str, str] | None) -> None:
    assert linkname_target(comment) == expected


@pytest.mark.parametrize(("path", "expected"), [
    ("github.com/petermattis/goid", "github.com/petermattis/goid"),
    ("github.com/huandu/go-tls/g", "github.com/huandu/go-tls"),
    ("github.com/timandy/routine/g", "github.com/timandy/routine"),
    ("github.com/petermattis/goidx", None),  # a different module sharing a prefix
    ("github.com/example/goid", None),
])
def test_library_paths(path: str, expected: str | None) -> None:
    assert library_of(path) == expected


def _stack_function(body: str, name: str = "f") -> str:
    return (f'package p\n\nimport (\n\t"fmt"\n\t"runtime"\n\t"strings"\n)\n\nfunc {name}() string {{\n'
            f'\tbuf := make([]byte, 64)\n\tn := runtime.Stack(buf, false)\n{body}\n\treturn ""\n}}\n'
            f'\nvar _ = fmt.Sprint\nvar _ = strings.Fields\n')


@pytest.mark.parametrize(("body", "name", "reported"), [
    ('\t_ = strings.TrimPrefix(string(buf[:n]), "goroutine ")', "f", True),
    ('\tvar id int\n\tfmt.Sscanf(string(buf[:n]), "goroutine %d", &id)', "f", True),
    ("\t_ = n", "curGoroutineID", True),  # the function's name gives it away
    ("\t_ = n", "goid", True),
    ('\tfmt.Printf("goroutine %d stack:\\n%s", 1, buf[:n])', "f", False),  # a Printf format prints
    ('\t_ = strings.Count(string(buf[:n]), "goroutine")', "f", False),  # no trailing space
    ("\t_ = n", "dump", False),
])
def test_header_heuristics(body: str, name: str, reported: bool) -> None:
    assert bool(findings_for(_stack_function(body, name))) is reported


def test_push_declared_in_sibling_file_is_not_reported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    directive = tmp_path / "link.go"
    directive.write_text('package p\n\nimport _ "unsafe"\n\n//go:linkname typelinksImpl reflect.typelinks\n')
    (tmp_path / "impl.go").write_text("package p\n\nfunc typelinksImpl() int { return 0 }\n")

    def run() -> list[Finding]:
        src = SourceFile.parse(str(directive), directive.read_bytes())
        return list(analyze(src, rules=[RULES_BY_ID[RULE]], loader=PackageLoader(), go_version=None).findings)

    assert run() == []
    (tmp_path / "impl.go").write_text("package p\n\nfunc typelinksImpl() int\n")  # body-less: a pull
    assert len(run()) == 1


def test_linkname_message_states_the_go_1_23_restriction_without_overclaiming() -> None:
    finding, = findings_for('package p\n\nimport _ "unsafe"\n\n//go:linkname getm runtime.getm\nfunc getm() uintptr\n')
    assert "Go 1.23" in finding.message
    # The runtime keeps an allow-list (getm is on it), so the message must not say this
    # particular pull fails today.
    assert "can stop building" in finding.message
    assert "PLACEHOLDER" not in DOC


def test_doc_quotes_real_messages() -> None:
    flat_doc = " ".join(DOC.split())
    sources = [
        'package p\n\nimport "github.com/petermattis/goid"\n\nvar _ = goid.Get\n',
        'package p\n\nimport _ "unsafe"\n\n//go:linkname getm runtime.getm\nfunc getm() uintptr\n',
        _stack_function('\t_ = strings.TrimPrefix(string(buf[:n]), "goroutine ")'),
    ]
    for source in sources:
        finding, = findings_for(source)
        assert " ".join(finding.message.split()) in flat_doc, finding.message
