"""Helpers for the end-to-end tests: a client-side text model, waiting for diagnostics in
push and pull mode, and applying WorkspaceEdits the way an editor does (as didChange).

The client keeps the document as a ``str`` and converts LSP positions with the naive model
of :mod:`tests.lsp.lsp_model`, independently of the server's GoDocument.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types as T
from pytest_lsp import LanguageClient, client_capabilities

from tests.lsp.lsp_model import lsp_position, offset_of

SERVER_COMMAND = [sys.executable, "-m", "ctx_lsp", "serve"]
CUSTOM_RULES_SERVER = [sys.executable, str(Path(__file__).parent / "custom_rules_server.py")]
PROFILES = ("visual-studio-code", "neovim@0.11")
TIMEOUT = 20.0


class EditorDocument:
    """What the editor holds for one open document."""

    def __init__(self, client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
        self.client = client
        self.uri = uri
        self.text = text
        self.version = version

    @property
    def encoding(self) -> str:
        return self.client.position_encoding  # type: ignore[attr-defined,no-any-return]

    def open(self, language_id: str = "go") -> None:
        self.client.text_document_did_open(T.DidOpenTextDocumentParams(
            text_document=T.TextDocumentItem(uri=self.uri, language_id=language_id, version=self.version,
                                             text=self.text)))

    def close(self) -> None:
        self.client.text_document_did_close(T.DidCloseTextDocumentParams(
            text_document=T.TextDocumentIdentifier(uri=self.uri)))

    def position(self, offset: int) -> T.Position:
        line, character = lsp_position(self.text, offset, self.encoding)
        return T.Position(line=line, character=character)

    def offset(self, position: T.Position) -> int:
        return offset_of(self.text, position.line, position.character, self.encoding)

    def range_of(self, needle: str, part: str | None = None) -> T.Range:
        """Range of ``needle`` (or of ``part`` within it) at its first occurrence."""
        start = self.text.index(needle)
        length = len(needle)
        if part is not None:
            start += needle.index(part)
            length = len(part)
        return T.Range(start=self.position(start), end=self.position(start + length))

    def replace(self, start: int, end: int, new_text: str) -> T.TextDocumentContentChangePartial:
        """Edit the editor's text and describe the edit as an incremental change."""
        change = T.TextDocumentContentChangePartial(
            range=T.Range(start=self.position(start), end=self.position(end)), text=new_text)
        self.text = self.text[:start] + new_text + self.text[end:]
        return change

    def send(self, *changes: T.TextDocumentContentChangeEvent) -> int:
        self.version += 1
        self.client.text_document_did_change(T.DidChangeTextDocumentParams(
            text_document=T.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            content_changes=list(changes)))
        return self.version

    def edit(self, needle: str, new_text: str, occurrence: int = 0) -> int:
        """Replace the ``occurrence``-th ``needle`` and send it; returns the new version."""
        start = -1
        for _ in range(occurrence + 1):
            start = self.text.index(needle, start + 1)
        return self.send(self.replace(start, start + len(needle), new_text))

    def apply_workspace_edit(self, edit: T.WorkspaceEdit) -> int:
        """Apply a WorkspaceEdit for this document like an editor: check the version it names,
        apply the edits (last first, all ranges refer to the original text), send didChange."""
        if edit.document_changes:
            (document_edit,) = edit.document_changes
            assert isinstance(document_edit, T.TextDocumentEdit)
            assert document_edit.text_document.uri == self.uri
            assert document_edit.text_document.version == self.version, "edit computed for another version"
            text_edits = list(document_edit.edits)
        else:
            assert edit.changes is not None and set(edit.changes) == {self.uri}
            text_edits = list(edit.changes[self.uri])
        resolved = sorted(((self.offset(e.range.start), self.offset(e.range.end), e.new_text) for e in text_edits),
                          reverse=True)
        return self.send(*(self.replace(start, end, new_text) for start, end, new_text in resolved))

    async def diagnostics(self, version: int | None = None) -> list[T.Diagnostic]:
        """The server's diagnostics for ``version`` (default: the current one)."""
        return await diagnostics_for(self.client, self.uri, self.version if version is None else version)

    async def code_actions(self, lsp_range: T.Range, diagnostics: list[T.Diagnostic] | None = None,
                           only: list[str] | None = None) -> list[T.CodeAction]:
        result = await self.client.text_document_code_action_async(T.CodeActionParams(
            text_document=T.TextDocumentIdentifier(uri=self.uri), range=lsp_range,
            context=T.CodeActionContext(diagnostics=diagnostics or [], only=only)))
        return [action for action in result or [] if isinstance(action, T.CodeAction)]


def install_recorders(client: LanguageClient) -> None:
    """Keep every publishDiagnostics (the default handler keeps only the latest list) and
    accept client/registerCapability like an editor does."""
    client.published = []  # type: ignore[attr-defined]
    client.registrations = []  # type: ignore[attr-defined]
    features = client.protocol.fm.features
    original = features[T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def record(params: T.PublishDiagnosticsParams) -> None:
        client.published.append(params)  # type: ignore[attr-defined]
        original(params)

    features[T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record

    @client.feature(T.CLIENT_REGISTER_CAPABILITY)
    def register(params: T.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)  # type: ignore[attr-defined]


async def initialize(client: LanguageClient, profile: str, *, init_options: Any = None,
                     root: Path | None = None) -> T.InitializeResult:
    install_recorders(client)
    capabilities = client_capabilities(profile)
    result = await client.initialize_session(T.InitializeParams(
        capabilities=capabilities,
        initialization_options=init_options,
        root_uri=root.as_uri() if root is not None else None,
        workspace_folders=[T.WorkspaceFolder(uri=root.as_uri(), name=root.name)] if root is not None else None,
    ))
    encoding = result.capabilities.position_encoding or "utf-16"
    client.position_encoding = getattr(encoding, "value", encoding)  # type: ignore[attr-defined]
    client.pulls = capabilities.text_document.diagnostic is not None  # type: ignore[attr-defined,union-attr]
    return result


async def wait_until(condition: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.01)


async def eventually_pulled(document: EditorDocument, condition: Callable[[list[T.Diagnostic]], bool],
                           timeout: float = TIMEOUT) -> list[T.Diagnostic]:
    """Pull until the diagnostics satisfy ``condition`` (for changes the server learns of
    asynchronously, e.g. settings it has to ask the client for)."""
    deadline = time.monotonic() + timeout
    while True:
        diagnostics = await document.diagnostics()
        if condition(diagnostics):
            return diagnostics
        if time.monotonic() > deadline:
            raise TimeoutError(f"diagnostics never satisfied the condition: {diagnostics}")
        await asyncio.sleep(0.02)


def publications(client: LanguageClient, uri: str) -> list[T.PublishDiagnosticsParams]:
    return [p for p in client.published if p.uri == uri]  # type: ignore[attr-defined]


async def diagnostics_for(client: LanguageClient, uri: str, version: int) -> list[T.Diagnostic]:
    if client.pulls:  # type: ignore[attr-defined]
        report = await client.text_document_diagnostic_async(T.DocumentDiagnosticParams(
            text_document=T.TextDocumentIdentifier(uri=uri)))
        assert report.kind == "full"
        return list(report.items)
    published = await wait_until(lambda: [p for p in publications(client, uri) if p.version == version])
    return list(published[-1].diagnostics)


def log_text(client: LanguageClient) -> str:
    return "\n".join(message.message for message in client.log_messages)
