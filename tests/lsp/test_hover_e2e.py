"""Site-specific hover end to end over stdio, in utf-16 (VS Code) and utf-8 (Neovim 0.11).

One server per client profile (module-scoped fixture): every test opens its own documents
and only reads hovers, so the tests do not disturb each other. The samples put non-ASCII
text before the hovered tokens on the same lines, so the two encodings give different
columns: the hovered range must match the client's encoding exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.e2e_support import PROFILES, SERVER_COMMAND, EditorDocument, initialize

pytestmark = pytest.mark.asyncio(loop_scope="module")

SAMPLE = (Path(__file__).parent / "hover_sample.go.txt").read_text()
POSITIONS = (Path(__file__).parent / "hover_positions.go.txt").read_text()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND), params=PROFILES,
                    scope="module", loop_scope="module")
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    await initialize(lsp_client, request.param, init_options={"debounceMs": 0})
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hover")
    (root / "go.mod").write_text("module example.com/sample\n\ngo 1.22\n")
    return root


_opened: dict[tuple[int, str], EditorDocument] = {}


async def _open(client: LanguageClient, workspace: Path, name: str, text: str) -> EditorDocument:
    """The document ``name``, opened once per server."""
    key = (id(client), name)
    if key not in _opened:
        document = EditorDocument(client, (workspace / name).as_uri(), text)
        document.open()
        await document.diagnostics()
        _opened[key] = document
    return _opened[key]


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
    ("defer cancel()", "cancel", "cancel", ["the cancel function of `context.WithTimeout` on line 20"]),
    ("runtime.SetFinalizer(s,", "SetFinalizer", "runtime.SetFinalizer",
     ["does not refer to `s`", "explicit `Close` method"]),
    ("ctx  context.Context", "ctx", "ctx", ["Read in this file by `(*session).poll` (line 15)"]),
    ("go func() {", "go", "go", ["observes none of the contexts in scope"]),
    ("context.WithCancel(context.Background())", "WithCancel", "context.WithCancel",
     ["**not registered anywhere**"]),
])
async def test_site_specific_hover(client: LanguageClient, workspace: Path, needle: str, part: str,
                                   highlighted: str, facts: list[str]) -> None:
    document = await _open(client, workspace, "a.go", SAMPLE)
    hover = await _hover(client, document, needle, part)
    start = SAMPLE.index(needle) + needle.index(part) - (highlighted.index(part) if part in highlighted else 0)
    expected = T.Range(start=document.position(start), end=document.position(start + len(highlighted)))
    assert hover.range == expected
    for fact in facts:
        assert fact in hover.contents.value


# Issue 15's missing positions: (needle, hovered part, texts the hover must contain).
MISSING = [
    ("ctx := r.Context()", "ctx", ["`ctx` comes from `r.Context()`"]),
    ("ctx := r.Context()", "Context", ["client's connection closes"]),
    ("<-ctx.Done()", "Done", ["`context.Context.Done`"]),
    ("_ = ctx.Err()", "Err", ["`context.Context.Err`"]),
    ("http.NewRequestWithContext", "NewRequestWithContext", ["controls the entire request"]),
    ("errgroup.WithContext", "WithContext", ["first time `Wait` returns"]),
    ("t := time.NewTimer", "NewTimer", ["go 1.22 (go.mod)", "pre-1.23 rules apply"]),
    ("k := time.NewTicker", "NewTicker", ["never collected"]),
    ("time.After(", "After", ["`time.After`"]),
    ("time.Tick(", "Tick", ["`time.Tick`"]),
    ("time.AfterFunc", "AfterFunc", ["can never be stopped"]),
    ("if !t.Stop()", "Stop", ["`(*time.Timer).Stop`"]),
    ("t.Reset(", "Reset", ["`(*time.Timer).Reset`"]),
    ("c.Stop()", "Stop", ["`runtime.Cleanup.Stop`"]),
    ("defer stop()", "stop", ["the stop function of `context.AfterFunc`"]),
    ("signal.Stop(ch)", "Stop", ["`signal.Stop`"]),
    ("runtime.Goexit", "Goexit", ["`runtime.Goexit`"]),
    ("sync.Pool{", "Pool", ["`sync.Pool`"]),
]


@pytest.mark.parametrize(("needle", "part", "facts"), MISSING, ids=[f"{part}@{needle}" for needle, part, _ in MISSING])
async def test_missing_positions(client: LanguageClient, workspace: Path, needle: str, part: str,
                                 facts: list[str]) -> None:
    document = await _open(client, workspace, "positions.go", POSITIONS)
    hover = await _hover(client, document, needle, part)
    token = document.range_of(needle, part)
    # The hovered token, or the whole qualified name it ends (`http.NewRequestWithContext`).
    assert hover.range is not None and hover.range.end == token.end
    assert hover.range.start.line == token.start.line and hover.range.start.character <= token.start.character
    for fact in facts:
        assert fact in hover.contents.value


async def test_columns_differ_between_encodings_on_the_emoji_line(client: LanguageClient, workspace: Path) -> None:
    """Guard that the sample really exercises the encodings: utf-8 and utf-16 columns of the
    call after the emoji differ, and the server answered in the client's one."""
    document = await _open(client, workspace, "a.go", SAMPLE)
    hover = await _hover(client, document, "context.WithTimeout(parent", "WithTimeout")
    line = SAMPLE.splitlines()[19]
    prefix = line[: line.index("context.WithTimeout")]
    utf8, utf16 = len(prefix.encode()), len(prefix.encode("utf-16-le")) // 2
    assert utf8 != utf16
    assert hover.range is not None
    assert hover.range.start.character == (utf8 if document.encoding == "utf-8" else utf16)


async def test_hover_on_a_diagnostic_names_the_rule_in_one_line(client: LanguageClient, workspace: Path) -> None:
    document = await _open(client, workspace, "a.go", SAMPLE)
    hover = await _hover(client, document, "return nil, nil", "return")
    assert "ctx-lsp `lostcancel`" in hover.contents.value
    assert "`ctx-lsp explain lostcancel`" in hover.contents.value
    assert hover.range == document.range_of("return nil, nil", "return")  # the token, not the statement


async def test_diagnostics_link_to_the_rule_documentation(client: LanguageClient, workspace: Path) -> None:
    document = await _open(client, workspace, "a.go", SAMPLE)
    diagnostics = await document.diagnostics()
    lostcancel = [d for d in diagnostics if d.code == "lostcancel"]
    assert lostcancel
    if any(d.code_description is not None for d in diagnostics):
        assert all(d.code_description is not None and d.code_description.href for d in lostcancel)


async def test_hover_outside_any_subject_is_empty(client: LanguageClient, workspace: Path) -> None:
    document = await _open(client, workspace, "a.go", SAMPLE)
    position = document.range_of("package sample", "sample").start
    hover = await client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=document.uri), position=position))
    assert hover is None


# Rule sites of issues 19 and 20 (module at go 1.22): the first line is the site's fact, and
# the highlighted range is the rule's token, in both encodings (non-ASCII before each token).
RULE_SITES = """\
package sample

import (
	"context"
	"errors"
	"net/http"
)

type result struct{ n int }

func slow() result { return result{1} }

func fetch(ctx context.Context) (result, error) {
	ch := make(chan result)
	go func() {
		/* ünïcødé 🚀 */ ch <- slow()
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-ctx.Done():
		return result{}, errors.New("gave up")
	}
}

func run(ctx context.Context) {}

func start() {
	ctx, cancel := context.WithCancel(context.TODO())
	defer cancel()
	run(ctx)
	/* ünïcødé 🚀 */ run(nil)
}

func handle(ctx context.Context, w http.ResponseWriter, r *http.Request) {}

func handler(w http.ResponseWriter, r *http.Request) {
	/* ünïcødé 🚀 */ handle(context.Background(), w, r)
}
"""


@pytest.mark.parametrize(("needle", "part", "highlighted", "first_line"), [
    ("ch <- slow()", "ch", "ch <- slow()",
     "**This send can block forever: `fetch` can return (line 22) without receiving from `ch`.**"),
    ("run(nil)", "nil", "nil", "**`run` gets a nil context: any method call on it"),
    ("handle(context.Background()", "Background", "context.Background()",
     "**`handle` gets `context.Background()`, not `r.Context()`: it ignores the caller's cancellation"),
])
async def test_rule_site_hovers(client: LanguageClient, workspace: Path, needle: str, part: str, highlighted: str,
                                first_line: str) -> None:
    document = await _open(client, workspace, "rule_sites.go", RULE_SITES)
    hover = await _hover(client, document, needle, part)
    assert hover.contents.value.startswith(first_line)
    start = RULE_SITES.index(needle) + needle.index(part) - highlighted.index(part)
    assert hover.range == T.Range(start=document.position(start), end=document.position(start + len(highlighted)))
