"""Site-specific hover end to end over stdio, in utf-16 (VS Code) and utf-8 (Neovim 0.11).

The sample puts an emoji before the hovered call on the same line, so the two encodings
give different columns: the hovered range must match the client's encoding exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.e2e_support import PROFILES, SERVER_COMMAND, EditorDocument, initialize

SAMPLE = (Path(__file__).parent / "hover_sample.go.txt").read_text()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND), params=PROFILES)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, tmp_path: Path) -> EditorDocument:
    await initialize(client, client.profile, init_options={"debounceMs": 0})  # type: ignore[attr-defined]
    (tmp_path / "go.mod").write_text("module example.com/sample\n\ngo 1.22\n")
    document = EditorDocument(client, (tmp_path / "a.go").as_uri(), SAMPLE)
    document.open()
    await document.diagnostics()
    return document


async def _hover(client: LanguageClient, document: EditorDocument, needle: str, part: str) -> T.Hover:
    target = document.range_of(needle, part)
    inside = T.Position(line=target.start.line, character=target.start.character + 1)
    hover = await client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=document.uri), position=inside))
    assert hover is not None, f"no hover on {part!r}"
    assert isinstance(hover.contents, T.MarkupContent) and hover.contents.kind == T.MarkupKind.Markdown
    return hover


@pytest.mark.parametrize(("needle", "part", "highlighted", "facts"), [
    ("context.WithTimeout(parent", "WithTimeout", "context.WithTimeout",
     ["deferred on line 24", "the return on line 22", "since Go 1.7"]),
    ("defer cancel()", "cancel", "cancel", ["The cancel function of `context.WithTimeout` on line 20"]),
    ("runtime.SetFinalizer(s,", "SetFinalizer", "runtime.SetFinalizer",
     ["does not refer to `s`", "explicit `Close` method", "may never run"]),
    ("ctx  context.Context", "ctx", "ctx", ["Read in this file by `(*session).poll` (line 15)"]),
    ("go func() {", "go", "go", ["observes none of the contexts in scope"]),
    ("context.WithCancel(context.Background())", "WithCancel", "context.WithCancel",
     ["**not registered anywhere**"]),
])
async def test_site_specific_hover(client: LanguageClient, tmp_path: Path, needle: str, part: str,
                                   highlighted: str, facts: list[str]) -> None:
    document = await _open(client, tmp_path)
    hover = await _hover(client, document, needle, part)
    start = SAMPLE.index(needle) + needle.index(part) - (highlighted.index(part) if part in highlighted else 0)
    expected = T.Range(start=document.position(start), end=document.position(start + len(highlighted)))
    assert hover.range == expected
    for fact in facts:
        assert fact in hover.contents.value


async def test_columns_differ_between_encodings_on_the_emoji_line(client: LanguageClient, tmp_path: Path) -> None:
    """Guard that the sample really exercises the encodings: utf-8 and utf-16 columns of the
    call after the emoji differ, and the server answered in the client's one."""
    document = await _open(client, tmp_path)
    hover = await _hover(client, document, "context.WithTimeout(parent", "WithTimeout")
    line = SAMPLE.splitlines()[19]
    prefix = line[: line.index("context.WithTimeout")]
    utf8, utf16 = len(prefix.encode()), len(prefix.encode("utf-16-le")) // 2
    assert utf8 != utf16
    assert hover.range is not None
    assert hover.range.start.character == (utf8 if document.encoding == "utf-8" else utf16)


async def test_hover_on_a_diagnostic_explains_the_rule(client: LanguageClient, tmp_path: Path) -> None:
    document = await _open(client, tmp_path)
    hover = await _hover(client, document, "return nil, nil", "return")
    assert "ctx-lsp `lostcancel`" in hover.contents.value
    assert "defer cancel()" in hover.contents.value  # what to do instead


async def test_hover_outside_any_subject_is_empty(client: LanguageClient, tmp_path: Path) -> None:
    document = await _open(client, tmp_path)
    position = document.range_of("package sample", "sample").start
    hover = await client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=document.uri), position=position))
    assert hover is None
