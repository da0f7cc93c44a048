import pytest

from ctx_lsp.engine.cfg import build_cfg
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.source import SourceFile


def _graph(body: str):
    src = SourceFile.parse("p.go", f"package p\n\nimport \"os\"\n\nfunc f(ch chan int, b bool) {{\n{body}\n}}\n".encode())
    function = next(n for n in src.root.named_children if n.type == "function_declaration")
    return build_cfg(function, FileContext(src, go_version=None).is_noreturn)


@pytest.mark.parametrize(("body", "can_return"), [
    ("", True),
    ("for {}", False),
    ("for { if b { break } }", True),
    ("L:\n\tfor { for { break L } }", True),
    ("for { for { break } }", False),
    ("select {}", False),
    ("select { case <-ch: }", True),
    ("os.Exit(1)", False),
    ("panic(1)", False),
    ("if b { panic(1) } else { os.Exit(2) }", False),
    ("if b { panic(1) }", True),
    ("switch { case b: panic(1); default: os.Exit(1) }", False),
    ("switch { case b: panic(1) }", True),
    ("switch { case b: fallthrough\n\tdefault: panic(1) }", False),
    ("L:\n\tgoto L", False),
    ("for range ch {}", True),
    ("for i := 0; ; i++ {}", False),
    ("for i := 0; i < 3; i++ { continue }", True),
    ("return", True),
])
def test_can_return(body: str, can_return: bool) -> None:
    assert _graph(body).can_return() is can_return


def test_deep_nesting_does_not_recurse() -> None:
    depth = 5000
    body = "if b {\n" * depth + "panic(1)\n" + "}\n" * depth
    graph = _graph(body)
    assert graph.can_return()
    assert len(graph.blocks) > depth
