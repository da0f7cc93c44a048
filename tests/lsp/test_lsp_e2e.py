"""End-to-end tests of ``ctx-lsp serve`` over stdio with the client profiles of VS Code
(utf-16, pushed diagnostics) and Neovim 0.11 (utf-8, pulled diagnostics)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.lsp.e2e_support import (
    CUSTOM_RULES_SERVER,
    PROFILES,
    SERVER_COMMAND,
    EditorDocument,
    eventually_pulled,
    initialize,
    log_text,
    publications,
    wait_until,
)

LEAKY = """\
package sample

import (
\t"context"
\t"time"
)

func load(parent context.Context, fail bool) error {
\tsmile := "😋"
\tctx, cancel := context.WithTimeout(parent, time.Second)
\tif fail {
\t\treturn nil
\t}
\tdefer cancel()
\t_ = smile
\treturn ctx.Err()
}

func warm(parent context.Context) {
\tctx, _ := context.WithCancel(parent)
\t_ = ctx
}
"""
FAST = {"debounceMs": 0}


async def _end_session(client: LanguageClient) -> None:
    if client.capabilities is None and client._server is not None:
        client._server.kill()  # never initialized: it would wait for `exit` forever
    else:
        await client.shutdown_session()


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND), params=PROFILES)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """A server of its own, for a test that initializes it its way or changes server-wide
    state (settings, watched files, logs it counts)."""
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    yield
    await _end_session(lsp_client)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND), params=PROFILES, scope="module")
async def shared_client(lsp_client: LanguageClient, request: pytest.FixtureRequest,  # type: ignore[no-untyped-def]
                        tmp_path_factory: pytest.TempPathFactory):
    """One server per profile for the tests that only open their own documents (each in its
    own tmp_path) with the default settings: starting a server costs more than most tests."""
    lsp_client.profile = request.param  # type: ignore[attr-defined]
    await initialize(lsp_client, request.param, init_options=FAST, root=tmp_path_factory.mktemp("shared-root"))
    lsp_client.shared = True  # type: ignore[attr-defined]
    yield
    await _end_session(lsp_client)


# Tests on shared_client run in its event loop.
shared_server = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def vscode_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    lsp_client.profile = "visual-studio-code"  # type: ignore[attr-defined]
    yield
    await _end_session(lsp_client)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[*CUSTOM_RULES_SERVER, "exploding"]))
async def broken_rule_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    lsp_client.profile = "visual-studio-code"  # type: ignore[attr-defined]
    yield
    await _end_session(lsp_client)


SLOW_LOG = Path(tempfile.gettempdir()) / f"ctx-lsp-slow-rule-{os.getpid()}.log"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[*CUSTOM_RULES_SERVER, "stuck"],
                                              server_env={**os.environ, "CTX_LSP_SLOW_LOG": str(SLOW_LOG)}))
async def stuck_rule_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    lsp_client.profile = "visual-studio-code"  # type: ignore[attr-defined]
    yield
    # The test ends the session itself.


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[*CUSTOM_RULES_SERVER, "slow"],
                                              server_env={**os.environ, "CTX_LSP_SLOW_LOG": str(SLOW_LOG)}))
async def slow_rule_client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    lsp_client.profile = "visual-studio-code"  # type: ignore[attr-defined]
    yield
    await _end_session(lsp_client)


def _uri(tmp_path: Path, name: str = "sample.go") -> str:
    return (tmp_path / name).as_uri()


async def _open(client: LanguageClient, tmp_path: Path, text: str = LEAKY, *, init_options: object = FAST,
                name: str = "sample.go") -> EditorDocument:
    if getattr(client, "shared", False):
        assert init_options is FAST, "a shared server keeps the settings it was started with"
    else:
        await initialize(client, client.profile, init_options=init_options, root=tmp_path)  # type: ignore[attr-defined]
    document = EditorDocument(client, _uri(tmp_path, name), text)
    document.open()
    return document


@shared_server
async def test_open_reports_lostcancel_with_links_and_documentation(shared_client: LanguageClient,
                                                                   tmp_path: Path) -> None:
    client = shared_client
    document = await _open(client, tmp_path)
    diagnostics = await document.diagnostics()
    assert sorted(d.code for d in diagnostics) == ["lostcancel"] * 3
    definition = next(d for d in diagnostics if "not used on all paths" in d.message)
    leaking_return = next(d for d in diagnostics if "this return statement" in d.message)
    assert definition.range == document.range_of("ctx, cancel := context.WithTimeout(parent, time.Second)")
    assert leaking_return.range == document.range_of("return nil")
    assert definition.source == "ctx-lsp"
    assert definition.severity == T.DiagnosticSeverity.Warning
    assert definition.code_description is not None
    assert "lostcancel" in definition.code_description.href
    # Definition and leaking return point at each other.
    assert [info.location.range for info in definition.related_information or []] == [leaking_return.range]
    assert [info.location.range for info in leaking_return.related_information or []] == [definition.range]


@shared_server
async def test_encoding_is_negotiated_and_columns_follow_it(shared_client: LanguageClient, tmp_path: Path) -> None:
    client = shared_client
    text = LEAKY.replace('smile := "😋"', 'smile := "😋"; ctx, _ := context.WithCancel(parent); _ = ctx')
    document = await _open(client, tmp_path, text)
    expected = "utf-8" if client.profile == "neovim@0.11" else "utf-16"  # type: ignore[attr-defined]
    assert document.encoding == expected
    diagnostics = await document.diagnostics()
    discarded = [d for d in diagnostics if "not discarded" in d.message]
    # The first `_` sits after the emoji: 4 bytes in utf-8, 2 units in utf-16.
    column = discarded[0].range.start.character
    prefix = '\tsmile := "😋"; ctx, '
    assert column == (len(prefix.encode()) if expected == "utf-8" else len(prefix.encode("utf-16-le")) // 2)


@shared_server
async def test_incremental_edit_fixes_the_leak(shared_client: LanguageClient, tmp_path: Path) -> None:
    client = shared_client
    document = await _open(client, tmp_path)
    assert len(await document.diagnostics()) == 3
    version = document.edit("\t\treturn nil\n", "\t\tcancel()\n\t\treturn nil\n")
    diagnostics = await document.diagnostics(version)
    assert [d.message for d in diagnostics] == [
        "the cancel function returned by context.WithCancel should be called, not discarded, to avoid a context leak"
    ]
    assert diagnostics[0].range == document.range_of("ctx, _ := context.WithCancel", "_")


@shared_server
async def test_quick_fix_is_preferred_and_applies_cleanly(shared_client: LanguageClient, tmp_path: Path) -> None:
    client = shared_client
    document = await _open(client, tmp_path)
    diagnostics = await document.diagnostics()
    discarded = next(d for d in diagnostics if "discarded" in d.message)
    actions = await document.code_actions(discarded.range, [discarded])
    fixes = [a for a in actions if a.kind == T.CodeActionKind.QuickFix and a.is_preferred]
    assert len(fixes) == 1
    version = document.apply_workspace_edit(fixes[0].edit)  # type: ignore[arg-type]
    assert "ctx, cancel := context.WithCancel(parent)\n\tdefer cancel()" in document.text
    remaining = await document.diagnostics(version)
    assert all("discarded" not in d.message for d in remaining)
    assert len(remaining) == 2


ALIGNED = """\
package sample

import "context"

func warm(parent context.Context) {
\tctx, _ := context.WithCancel(parent) // leaks
\t_ = ctx                              // used
}
"""
ALIGNED_FIXED = """\
package sample

import "context"

func warm(parent context.Context) {
\tctx, cancel := context.WithCancel(parent) // leaks
\tdefer cancel()
\t_ = ctx // used
}
"""


@shared_server
@pytest.mark.parametrize("action_kind", ["quickfix", "source.fixAll"])
async def test_fixes_from_code_actions_keep_gofmt_comment_columns(shared_client: LanguageClient, tmp_path: Path,
                                                                   action_kind: str) -> None:
    """The server pads fixes for gofmt only when a code action asks for them (Analysis.fixes_of):
    both kinds of action must still come padded. The inserted defer splits the run of aligned
    comments, so gofmt moves the second comment left."""
    client = shared_client
    document = await _open(client, tmp_path, ALIGNED)
    diagnostics = await document.diagnostics()
    discarded = next(d for d in diagnostics if "discarded" in d.message)
    if action_kind == "quickfix":
        actions = [a for a in await document.code_actions(discarded.range, [discarded]) if a.is_preferred]
    else:
        actions = await document.code_actions(discarded.range, only=["source.fixAll"])
    assert len(actions) == 1
    document.apply_workspace_edit(actions[0].edit)  # type: ignore[arg-type]
    assert document.text == ALIGNED_FIXED


@shared_server
async def test_suppress_action_inserts_ignore_comment(shared_client: LanguageClient, tmp_path: Path) -> None:
    client = shared_client
    document = await _open(client, tmp_path)
    diagnostics = await document.diagnostics()
    discarded = next(d for d in diagnostics if "discarded" in d.message)
    actions = await document.code_actions(discarded.range, [discarded])
    suppress = [a for a in actions if a.title.startswith("Suppress lostcancel")]
    assert len(suppress) == 1
    version = document.apply_workspace_edit(suppress[0].edit)  # type: ignore[arg-type]
    assert "\t//ctxlsp:ignore lostcancel\n\tctx, _ := context.WithCancel(parent)" in document.text
    assert len(await document.diagnostics(version)) == 2


@shared_server
async def test_fix_all_applies_every_safe_fix(shared_client: LanguageClient, tmp_path: Path) -> None:
    client = shared_client
    document = await _open(client, tmp_path)
    await document.diagnostics()
    whole = T.Range(start=T.Position(line=0, character=0), end=T.Position(line=0, character=0))
    actions = await document.code_actions(whole, only=["source.fixAll"])
    assert [a.kind for a in actions] == ["source.fixAll.ctxlsp"]
    version = document.apply_workspace_edit(actions[0].edit)  # type: ignore[arg-type]
    assert await document.diagnostics(version) == []
    # Quick fixes are not offered when only source actions are asked for.
    assert all(a.kind != T.CodeActionKind.QuickFix for a in actions)


@shared_server
async def test_no_fix_is_offered_for_text_the_client_no_longer_has(shared_client: LanguageClient,
                                                                   tmp_path: Path) -> None:
    client = shared_client
    document = await _open(client, tmp_path)
    diagnostics = await document.diagnostics()
    discarded = next(d for d in diagnostics if "discarded" in d.message)
    # The user types above the finding; the client asks with the old diagnostic before
    # new results arrive. Whatever comes back must apply to the current text.
    document.edit("package sample\n", "package sample\n\n// Package comment moved things down.\n")
    actions = await document.code_actions(discarded.range, [discarded])
    for action in actions:
        if action.edit is not None and action.edit.document_changes:
            assert action.edit.document_changes[0].text_document.version == document.version  # type: ignore[union-attr]
    current = next(d for d in await document.diagnostics() if "discarded" in d.message)
    assert current.range.start.line == discarded.range.start.line + 2
    fresh = await document.code_actions(current.range, [current])
    preferred = next(a for a in fresh if a.is_preferred)
    document.apply_workspace_edit(preferred.edit)  # type: ignore[arg-type]
    assert "defer cancel()\n\t_ = ctx\n}" in document.text


async def test_configuration_changes_apply_and_junk_is_tolerated(client: LanguageClient, tmp_path: Path) -> None:
    document = await _open(client, tmp_path, init_options={"ctxLsp": {"debounceMs": 0, "rules": []}})
    assert len(await document.diagnostics()) == 3
    client.workspace_did_change_configuration(T.DidChangeConfigurationParams(
        settings={"ctxLsp": {"debounceMs": 0, "rules": {"lostcancel": "error"}}}))
    document.edit("_ = smile", "_ = smile ")
    errors = await document.diagnostics()
    assert {d.severity for d in errors} == {T.DiagnosticSeverity.Error}
    # Junk: an unknown key, a list where an object belongs, a wrong type.
    for _ in range(2):
        client.workspace_did_change_configuration(T.DidChangeConfigurationParams(settings={"ctxLsp": {
            "debounceMs": "soon", "rules": {"lostcancel": "off"}, "colour": "blue", "minSeverity": []}}))
    document.edit("_ = smile ", "_ = smile")
    assert await document.diagnostics() == []
    await wait_until(lambda: "colour" in log_text(client))
    assert log_text(client).count("unknown setting 'colour'") == 1


@shared_server
async def test_close_clears_pushed_diagnostics(shared_client: LanguageClient, tmp_path: Path) -> None:
    client = shared_client
    document = await _open(client, tmp_path)
    assert await document.diagnostics()
    document.close()
    if client.pulls:  # type: ignore[attr-defined]
        report = await client.text_document_diagnostic_async(T.DocumentDiagnosticParams(
            text_document=T.TextDocumentIdentifier(uri=document.uri)))
        assert report.kind == "full" and not report.items
    else:
        await wait_until(lambda: not publications(client, document.uri)[-1].diagnostics)


async def test_bad_messages_are_logged_and_the_buffer_survives(client: LanguageClient, tmp_path: Path) -> None:
    document = await _open(client, tmp_path)
    assert len(await document.diagnostics()) == 3
    # A change for a document that is not open.
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=_uri(tmp_path, "ghost.go"), version=5),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text="package ghost\n")]))
    # A range past the end of the document.
    past_end = T.Range(start=T.Position(line=400, character=0), end=T.Position(line=401, character=0))
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=document.uri, version=document.version + 1),
        content_changes=[T.TextDocumentContentChangePartial(range=past_end, text="junk")]))
    # An out-of-order version.
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=document.uri, version=0),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text="package broken\n")]))
    # Requests for a closed/unknown document.
    ghost = T.TextDocumentIdentifier(uri=_uri(tmp_path, "ghost.go"))
    nothing = T.Range(start=T.Position(line=0, character=0), end=T.Position(line=0, character=0))
    assert await client.text_document_code_action_async(T.CodeActionParams(
        text_document=ghost, range=nothing, context=T.CodeActionContext(diagnostics=[]))) is None
    assert await client.text_document_hover_async(T.HoverParams(text_document=ghost, position=nothing.start)) is None
    await wait_until(lambda: "past the end" in log_text(client) and "older than" in log_text(client))
    # The server kept the last good text: a normal edit still lands where the client means.
    version = document.edit("\t\treturn nil\n", "\t\tcancel()\n\t\treturn nil\n")
    diagnostics = await document.diagnostics(version)
    assert [d.range for d in diagnostics] == [document.range_of("ctx, _ := context.WithCancel", "_")]
    assert not client.messages, "nothing may pop up in the user's face"


@shared_server
async def test_syntax_errors_test_files_and_untitled_buffers_work(shared_client: LanguageClient,
                                                                  tmp_path: Path) -> None:
    client = shared_client
    broken = EditorDocument(client, _uri(tmp_path, "broken_test.go"), LEAKY.replace("\treturn ctx.Err()\n}", "\treturn ctx.Err(\n"))
    broken.open()
    assert any(d.code == "lostcancel" for d in await broken.diagnostics())
    untitled = EditorDocument(client, f"untitled:Untitled-{tmp_path.name}", LEAKY)
    untitled.open()
    assert len(await untitled.diagnostics()) == 3


@shared_server
async def test_workspace_config_file_is_read(shared_client: LanguageClient, tmp_path: Path) -> None:
    client = shared_client
    (tmp_path / ".ctx-lsp.toml").write_text('[rules]\nlostcancel = "information"\n', encoding="utf-8")
    document = await _open(client, tmp_path)
    diagnostics = await document.diagnostics()
    assert {d.severity for d in diagnostics} == {T.DiagnosticSeverity.Information}


async def test_rule_failure_is_isolated_and_logged(broken_rule_client: LanguageClient, tmp_path: Path) -> None:
    client = broken_rule_client
    document = await _open(client, tmp_path)
    assert len(await document.diagnostics()) == 3
    await wait_until(lambda: "deliberate failure inside a check" in log_text(client))
    assert "Traceback" in log_text(client)
    assert "exploding-rule" in log_text(client)


@shared_server
async def test_hover_answers_with_the_site_explanation(shared_client: LanguageClient, tmp_path: Path) -> None:
    client = shared_client
    document = await _open(client, tmp_path)
    await document.diagnostics()
    position = document.range_of("context.WithTimeout", "WithTimeout").start
    hover = await client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=document.uri), position=position))
    assert hover is not None
    assert isinstance(hover.contents, T.MarkupContent) and "WithTimeout" in hover.contents.value
    assert hover.range is not None and hover.range.start.line == position.line


async def test_debounce_coalesces_a_burst_of_edits(vscode_client: LanguageClient, tmp_path: Path) -> None:
    # Only pushed diagnostics are debounced: a pulling client decides itself when to ask.
    client = vscode_client
    document = await _open(client, tmp_path, init_options={"ctxLsp": {"debounceMs": 1000}})
    await document.diagnostics()  # a newly opened document is analyzed at once
    opened = len(publications(client, document.uri))
    for _ in range(10):
        last = document.edit("_ = smile", "_ = smile ")
    await document.diagnostics(last)
    await asyncio.sleep(0.5)  # room for any stray publication to arrive
    later = publications(client, document.uri)[opened:]
    assert [p.version for p in later] == [last]


async def test_empty_lua_table_options_are_accepted_silently(client: LanguageClient, tmp_path: Path) -> None:
    document = await _open(client, tmp_path, init_options=[])
    assert len(await document.diagnostics()) == 3
    client.workspace_did_change_configuration(T.DidChangeConfigurationParams(settings={"ctxLsp": []}))
    document.edit("_ = smile", "_ = smile ")
    assert len(await document.diagnostics()) == 3
    assert "ctxLsp" not in log_text(client)


async def test_edits_during_a_slow_analysis_cancel_it(slow_rule_client: LanguageClient, tmp_path: Path) -> None:
    client = slow_rule_client
    SLOW_LOG.write_text("", encoding="utf-8")
    # Eight functions at 0.3 s each: a full analysis takes 2.4 s.
    functions = "".join(f"\nfunc helper{i}() {{}}\n" for i in range(8))
    document = await _open(client, tmp_path, "package sample\n" + functions)
    await wait_until(lambda: SLOW_LOG.read_text(encoding="utf-8"))  # version 1 is being analyzed
    versions = [document.edit(f"func helper{i}()", f"func slow{i}()") for i in range(3)]
    diagnostics = await document.diagnostics(versions[-1])
    assert sorted(d.message for d in diagnostics) == [f"slow{i} was checked slowly" for i in range(3)]
    # The latest text was checked completely, last; no earlier analysis got to the last
    # function: each stopped at its next declaration once a newer edit arrived.
    checked = SLOW_LOG.read_text(encoding="utf-8").split()
    assert checked[-8:] == ["slow0", "slow1", "slow2", *(f"helper{i}" for i in range(3, 8))]
    assert "helper7" not in checked[:-8]
    assert [p.version for p in publications(client, document.uri)] == [versions[-1]]
    SLOW_LOG.unlink()


async def test_editing_one_file_updates_its_open_siblings(client: LanguageClient, tmp_path: Path) -> None:
    user = 'package p\n\nimport "context"\n\nfunc tag(ctx context.Context) context.Context {\n' \
           '\treturn context.WithValue(ctx, userKey, 1)\n}\n'
    keys = 'package p\n\nconst userKey = "user"\n'
    (tmp_path / "user.go").write_text(user, encoding="utf-8")
    (tmp_path / "keys.go").write_text(keys, encoding="utf-8")
    await initialize(client, client.profile, init_options=FAST, root=tmp_path)  # type: ignore[attr-defined]
    user_document = EditorDocument(client, _uri(tmp_path, "user.go"), user)
    keys_document = EditorDocument(client, _uri(tmp_path, "keys.go"), keys)
    user_document.open()
    keys_document.open()
    assert [d.code for d in await user_document.diagnostics()] == ["context-key-type"]
    await keys_document.diagnostics()
    # The key becomes a value of its own type, in the other (unsaved) file.
    keys_document.edit('const userKey = "user"', "type keyType struct{}\n\nvar userKey = keyType{}")
    await keys_document.diagnostics()
    if client.pulls:  # type: ignore[attr-defined]
        assert await user_document.diagnostics() == []
    else:
        await wait_until(lambda: not publications(client, user_document.uri)[-1].diagnostics)


async def test_go_mod_changes_are_picked_up(client: LanguageClient, tmp_path: Path) -> None:
    text = 'package p\n\nimport "runtime"\n\ntype res struct{ n int }\n\nfunc track(r *res) {\n' \
           '\truntime.SetFinalizer(r, func(r *res) { println(r.n) })\n}\n'
    # finalizer-prefer-cleanup is a suggestion: a hint, shown with minSeverity "hint".
    document = await _open(client, tmp_path, text, init_options={**FAST, "minSeverity": "hint"})
    assert [d.code for d in await document.diagnostics()] == []  # outside any module: version unknown
    (tmp_path / "go.mod").write_text("module example.com/p\n\ngo 1.24\n", encoding="utf-8")
    client.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(changes=[
        T.FileEvent(uri=(tmp_path / "go.mod").as_uri(), type=T.FileChangeType.Created)]))
    if client.pulls:  # type: ignore[attr-defined]
        assert [d.code for d in await document.diagnostics()] == ["finalizer-prefer-cleanup"]
    else:
        await wait_until(lambda: publications(client, document.uri)[-1].diagnostics)
        assert [d.code for d in publications(client, document.uri)[-1].diagnostics] == ["finalizer-prefer-cleanup"]
    if client.profile == "visual-studio-code":  # type: ignore[attr-defined]
        # VS Code registers file watchers on the server's request.
        await wait_until(lambda: client.registrations)  # type: ignore[attr-defined]
        methods = {r.method for r in client.registrations}  # type: ignore[attr-defined]
        assert T.WORKSPACE_DID_CHANGE_WATCHED_FILES in methods


async def test_settings_are_pulled_when_a_change_carries_none(client: LanguageClient, tmp_path: Path) -> None:
    document = await _open(client, tmp_path)
    assert len(await document.diagnostics()) == 3
    # Clients following the pull model announce a change without content and answer
    # workspace/configuration for the ctxLsp section.
    client.set_configuration({"debounceMs": 0, "rules": {"lostcancel": "off"}}, section="ctxLsp")
    client.workspace_did_change_configuration(T.DidChangeConfigurationParams(settings=None))
    if client.pulls:  # type: ignore[attr-defined]
        await eventually_pulled(document, lambda diagnostics: not diagnostics)
    else:
        await wait_until(lambda: not publications(client, document.uri)[-1].diagnostics)


async def test_exit_is_not_held_up_by_a_check_that_never_returns(stuck_rule_client: LanguageClient,
                                                                 tmp_path: Path) -> None:
    client = stuck_rule_client
    SLOW_LOG.write_text("", encoding="utf-8")
    document = await _open(client, tmp_path)
    await wait_until(lambda: SLOW_LOG.read_text(encoding="utf-8"))  # the check is hanging now
    # Requests are still answered while the analysis thread is stuck.
    ghost = T.TextDocumentIdentifier(uri=_uri(tmp_path, "ghost.go"))
    assert await client.text_document_hover_async(T.HoverParams(
        text_document=ghost, position=T.Position(line=0, character=0))) is None
    document.edit("_ = smile", "_ = smile ")
    await asyncio.wait_for(client.shutdown_session(), 15)
    SLOW_LOG.unlink()
