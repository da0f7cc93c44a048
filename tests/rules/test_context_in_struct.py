"""context-in-struct: the type classifier and the exemption helpers, the per-declaration
cache contract (sibling-file facts), and broken input. The shapes themselves are covered by
testdata/context-in-struct."""

from __future__ import annotations

import pytest

from ctx_lsp.engine.analyze import DeclCache, analyze
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Finding, Severity
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.syntax import walk
from ctx_lsp.rules import RULES_BY_ID
from ctx_lsp.knowledge.contexts import Holding, context_holding
from ctx_lsp.rules.context_in_struct import DOC, is_operation_type_name
from tests.support import rule_findings

RULE = "context-in-struct"


def findings_for(source: str, path: str = "p.go", cache: DeclCache | None = None) -> list[Finding]:
    return rule_findings(RULE, source, path, cache=cache)


def holding_of(type_text: str, imports: str = 'import "context"') -> Holding:
    """Classify the type of field ``f`` in ``type s struct { f TYPE }``."""
    src = SourceFile.parse("p.go", f"package p\n\n{imports}\n\ntype s struct {{ f {type_text} }}\n".encode())
    field = next(n for n in walk(src.root) if n.type == "field_declaration")
    type_node = field.child_by_field_name("type")
    assert type_node is not None
    return context_holding(FileContext(src, go_version=None, exports=RULES_BY_ID[RULE].exports), type_node)


@pytest.mark.parametrize(("type_text", "expected"), [
    ("context.Context", Holding.CONTEXT),
    ("*context.Context", Holding.CONTEXT),
    ("(context.Context)", Holding.CONTEXT),
    ("[]context.Context", Holding.CONTAINER),
    ("[3]*context.Context", Holding.CONTAINER),
    ("map[string]context.Context", Holding.CONTAINER),
    ("map[context.Context]bool", Holding.CONTAINER),
    ("<-chan context.Context", Holding.CONTAINER),
    ("*map[int][]context.Context", Holding.CONTAINER),
    ("func(context.Context) error", Holding.NONE),
    ("[]func() context.Context", Holding.NONE),
    ("map[string]func(context.Context)", Holding.NONE),
    ("context.CancelFunc", Holding.NONE),
    ("interface{ Do(context.Context) }", Holding.NONE),
    ("struct{ ctx context.Context }", Holding.NONE),  # the inner field is reported on its own
    ("atomic.Pointer[context.Context]", Holding.NONE),
    ("Context", Holding.NONE),  # a local type of that name, without a dot import
])
def test_context_holding(type_text: str, expected: Holding) -> None:
    assert holding_of(type_text) is expected


def test_dot_import_and_alias_package() -> None:
    assert holding_of("Context", 'import . "context"') is Holding.CONTEXT
    assert holding_of("xctx.Context", 'import xctx "golang.org/x/net/context"') is Holding.CONTEXT
    assert holding_of("gin.Context", 'import "github.com/gin-gonic/gin"') is Holding.NONE


@pytest.mark.parametrize(("name", "expected"), [
    ("clientHandshakeState", True),
    ("clientHandshakeStateTLS13", True),  # a trailing acronym/version is skipped
    ("LoadConfig", True),
    ("RPCInfo", True),
    ("dialRequest", True),
    ("watchResponse", True),
    ("searchCall", True),
    ("uploadContext", True),
    ("reqCtx", True),
    ("StateMachine", False),  # only the last word counts
    ("scrapeLoop", False),  # "op" is a whole word, not a suffix of "Loop"
    ("Server", False),
    ("Cmd", False),
])
def test_operation_type_names(name: str, expected: bool) -> None:
    assert is_operation_type_name(name) is expected


def test_messages_quoted_in_doc_are_the_real_ones() -> None:
    findings = findings_for('package p\n\nimport "context"\n\ntype c struct {\n\tctx context.Context\n}\n'
                            'type e struct {\n\tcontext.Context\n}\n')
    flat_doc = " ".join(DOC.split())
    assert len(findings) == 2
    for finding in findings:
        assert " ".join(finding.message.split()[:12]) in flat_doc
    assert "PLACEHOLDER" not in DOC


def test_test_files_are_exempt_but_not_test_helpers_named_otherwise() -> None:
    source = 'package p\n\nimport "context"\n\ntype worker struct {\n\tctx context.Context\n}\n'
    assert findings_for(source, path="worker_test.go") == []
    assert len(findings_for(source, path="worker.go")) == 1


@pytest.mark.parametrize("path", ["testutil.go", "fake_store.go", "mock.go", "fixtures.go", "internal/testutil/x.go",
                                  "pkg/storetest/store.go", "test_helpers.go"])
def test_test_doubles_outside_test_files_are_exempt(path: str) -> None:
    source = 'package p\n\nimport "context"\n\ntype worker struct {\n\tctx context.Context\n}\n'
    assert findings_for(source, path=path) == []


@pytest.mark.parametrize("name", ["fakeClient", "MockStore", "testServer", "storeStub", "dummyConn"])
def test_test_double_type_names_are_exempt(name: str) -> None:
    source = f'package p\n\nimport "context"\n\ntype {name} struct {{\n\tctx context.Context\n}}\n'
    assert findings_for(source, path="store.go") == []


@pytest.mark.parametrize("name", ["testimonial", "contestEntry", "mockingbird"])
def test_words_that_merely_contain_test_are_not_doubles(name: str) -> None:
    source = f'package p\n\nimport "context"\n\ntype {name} struct {{\n\tctx context.Context\n}}\n'
    assert len(findings_for(source, path="store.go")) == 1


def test_methods_in_a_sibling_file_exempt_a_context_implementation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "impl.go").write_text('package p\n\nimport "context"\n\ntype wrapped struct {\n'
                                      '\tparent context.Context\n\tn      int\n\tm      int\n\tk      int\n}\n')
    (tmp_path / "methods.go").write_text("package p\n\nfunc (w wrapped) Done() <-chan struct{} { return nil }\n")
    from ctx_lsp.engine.package import PackageLoader

    def run() -> list[Finding]:
        path = tmp_path / "impl.go"
        src = SourceFile.parse(str(path), path.read_bytes())
        return list(analyze(src, Settings(min_severity=Severity.HINT), rules=[RULES_BY_ID[RULE]],
                            loader=PackageLoader(), go_version=None).findings)

    assert run() == []
    (tmp_path / "methods.go").write_text("package p\n")
    assert len(run()) == 1


def test_cached_and_uncached_runs_agree() -> None:
    source = ('package p\n\nimport "context"\n\n// padding\ntype a struct {\n\tctx context.Context\n}\n\n'
              'type b struct {\n\tctxs []context.Context\n}\n')
    longer = source.replace("// padding", "// padding, now longer")
    delta = len(longer) - len(source)
    cache = DeclCache()
    first = findings_for(source, cache=cache)
    shifted = findings_for(longer, cache=cache)
    assert cache.hits > 0
    assert [f.message for f in first] == [f.message for f in shifted]
    assert [f.start + delta for f in first] == [f.start for f in shifted]


@pytest.mark.parametrize("source", [
    "package p\nimport \"context\"\ntype s struct { ctx context.",
    "package p\nimport \"context\"\ntype s struct { ctx [context.Context }",
    "package p\nimport \"context\"\ntype s struct { context.Context",
    "package p\nimport \"context\"\nfunc f() { _ = struct{ ctx context.Context }{",
])
def test_broken_code_does_not_crash(source: str) -> None:
    findings_for(source)
