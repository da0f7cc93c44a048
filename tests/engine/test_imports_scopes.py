from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.imports import default_package_name
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.syntax import walk
from ctx_lsp.knowledge.exports import PACKAGE_EXPORTS
from ctx_lsp.rules import ALL_RULES

SOURCE = b"""package p

import (
	c "context"
	. "runtime"
	"k8s.io/klog/v2"
	sig "os/signal"
)

func f(context int, p c.Context) {
	ctx, cancel := c.WithCancel(p)
	_ = ctx
	cancel()
	GC()
	{
		c := 1
		_ = c.WithCancel
	}
	klog.Fatal()
	_ = context
	_ = sig.NotifyContext
}
"""


def _calls(src: SourceFile) -> list:
    return [n for n in walk(src.root) if n.type in ("call_expression", "selector_expression")]


def test_default_package_names() -> None:
    assert default_package_name("k8s.io/klog/v2") == "klog"
    assert default_package_name("gopkg.in/yaml.v3") == "yaml"
    assert default_package_name("github.com/mattn/go-sqlite3") == "sqlite3"
    assert default_package_name("runtime/debug") == "debug"


def _refs(ctx: FileContext) -> dict[str, tuple[str, str] | None]:
    src = ctx.src
    refs = {}
    for node in _calls(src):
        key = src.text(node)
        if node.type == "call_expression":
            refs[key] = ctx.call_ref(node)
        else:
            refs[key] = ctx.pkg_ref(node)
    return refs


def test_pkg_ref_follows_renamed_and_dot_imports_and_shadowing() -> None:
    src = SourceFile.parse("p.go", SOURCE)
    refs = _refs(FileContext(src, go_version=None, exports=frozenset({("runtime", "GC")})))
    assert refs["c.WithCancel(p)"] == ("context", "WithCancel")
    assert refs["GC()"] == ("runtime", "GC")
    assert refs["klog.Fatal()"] == ("k8s.io/klog/v2", "Fatal")
    assert refs["sig.NotifyContext"] == ("os/signal", "NotifyContext")
    # the block-local variable c shadows the import
    assert refs["c.WithCancel"] is None


def test_dot_imported_names_come_from_the_rules_declarations() -> None:
    """The engine keeps no list of package exports: a bare name resolves through a dot import
    only when a rule declares it (Rule.exports), or when it is one of the engine's own
    never-returning functions."""
    src = SourceFile.parse("p.go", SOURCE)
    assert _refs(FileContext(src, go_version=None))["GC()"] is None
    declared = Rule.merged_exports(rule for rule in ALL_RULES if rule.id == "forced-gc")
    assert ("runtime", "GC") in declared
    assert _refs(FileContext(src, go_version=None, exports=declared))["GC()"] == ("runtime", "GC")
    exiting = SourceFile.parse("p.go", b'package p\n\nimport . "os"\n\nfunc f() {\n\tExit(1)\n}\n')
    call = next(n for n in walk(exiting.root) if n.type == "call_expression")
    assert FileContext(exiting, go_version=None).pkg_ref(call.child_by_field_name("function")) == ("os", "Exit")


def test_the_registry_declares_every_listed_export() -> None:
    """Nothing in knowledge/exports.py is dead: some rule declares each package."""
    declared = Rule.merged_exports(ALL_RULES)
    assert {path for path, _ in declared} == set(PACKAGE_EXPORTS)


def test_scopes_resolve_to_innermost_visible_declaration() -> None:
    src = SourceFile.parse("p.go", b"""package p

func f(x int) {
	y := x
	if y := 2; y > 0 {
		_ = y
	}
	_ = y
	go func(y int) { _ = y }(1)
	y, z := 3, 4
	_, _ = y, z
}
""")
    ctx = FileContext(src, go_version=None)
    uses = [n for n in walk(src.root) if n.type == "identifier" and n.text == b"y"]
    resolved = [(src.line_of(n.start_byte) + 1, ctx.resolve(n)) for n in uses]
    kinds = [(line, d.kind if d else None, src.line_of(d.ident.start_byte) + 1 if d else None)
             for line, d in resolved]
    assert kinds == [
        (4, "short", 4),
        (5, "short", 5), (5, "short", 5), (6, "short", 5),
        (8, "short", 4),
        (9, "param", 9), (9, "param", 9),
        (10, "short", 4),  # redeclared in the same scope: the same variable
        (11, "short", 4),
    ]


def _resolved_lines(source: bytes, name: bytes) -> list[tuple[int, int | None]]:
    src = SourceFile.parse("p.go", source)
    ctx = FileContext(src, go_version=None)
    result = []
    for node in walk(src.root):
        if node.type == "identifier" and node.text == name:
            decl = ctx.resolve(node)
            result.append((src.line_of(node.start_byte) + 1, src.line_of(decl.ident.start_byte) + 1 if decl else None))
    return result


def test_declaration_under_a_label_belongs_to_the_enclosing_block() -> None:
    source = b"package p\n\nfunc f() {\nagain:\n\tx := 1\n\tprintln(x)\n\tgoto again\n}\n"
    assert _resolved_lines(source, b"x") == [(5, 5), (6, 5)]


def test_short_declaration_at_the_top_of_a_body_reuses_a_parameter() -> None:
    source = b"package p\n\nfunc f(ctx int) {\n\tctx, err := g()\n\t_, _ = ctx, err\n}\n"
    assert _resolved_lines(source, b"ctx") == [(3, 3), (4, 3), (5, 3)]


def test_identifiers_named_equals_the_identifier_query_on_the_testdata() -> None:
    """``Scopes.identifiers_named`` finds identifiers by a byte search checked against the
    tree; it must give exactly the identifier query's nodes, for every identifier text of
    every declaration (names inside longer names, strings and comments left out)."""
    from pathlib import Path

    from ctx_lsp.engine.context import FileContext
    from ctx_lsp.engine.source import SourceFile

    root = Path(__file__).resolve().parents[2] / "testdata"
    compared = 0
    for path in sorted(root.rglob("*.go")):
        ctx = FileContext(SourceFile.parse(str(path), path.read_bytes()))
        for decl in ctx.top_level:
            if decl.has_error:
                continue
            scopes = ctx.scopes(decl)
            for text, nodes in scopes._identifier_index().items():
                assert [node.id for node in scopes.identifiers_named(text)] == [node.id for node in nodes], (
                    path, decl.start_point, text)
                compared += 1
    assert compared > 3000
