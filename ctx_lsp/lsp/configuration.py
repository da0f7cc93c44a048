"""Configuration: editor settings, ``.ctx-lsp.toml``, go.mod, and telling the user about problems.

Settings arrive as ``initializationOptions``, ``workspace/didChangeConfiguration`` or
``workspace/configuration`` answers (see :mod:`.settings_store` for the layering). Watched
files (go.mod, ``.ctx-lsp.toml``, ``*.go``) are registered dynamically where the client
allows it; a go.mod or ``.ctx-lsp.toml`` change re-analyzes every open document, a ``*.go``
change those of its directory and module (:func:`affected_documents`).

A configuration problem (a broken ``.ctx-lsp.toml``, an unknown rule, a value out of range)
reaches the user visibly: ``window/showMessage`` once per distinct problem, plus
``window/logMessage`` (issue 21 item 10). "Once": the settings store reports each distinct
text once per session, so a broken file does not pop up a message on every keystroke.
"""

from __future__ import annotations

import asyncio
import logging
import os
import traceback
from typing import TYPE_CHECKING

from lsprotocol import types as T

from ctx_lsp.engine import gomod
from ctx_lsp.engine.config import CONFIG_FILE_NAME
from ctx_lsp.lsp.handler_support import guarded, path_of
from ctx_lsp.lsp.settings_store import SECTION, editor_section

if TYPE_CHECKING:
    from ctx_lsp.lsp.open_document import OpenDocument
    from ctx_lsp.lsp.server import CtxLanguageServer

logger = logging.getLogger("ctx_lsp.server")

WATCHED_GLOBS = ("**/go.mod", f"**/{CONFIG_FILE_NAME}", "**/*.go")


def register(server: CtxLanguageServer) -> None:
    server.feature(T.WORKSPACE_DID_CHANGE_CONFIGURATION)(on_did_change_configuration)
    server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)(on_did_change_watched_files)


def report_problem(server: CtxLanguageServer, problem: str) -> None:
    """Show a configuration problem to the user, and log it (called once per problem)."""
    message = f"ctx-lsp configuration: {problem}"
    server.log(T.MessageType.Warning, message)
    try:
        server.window_show_message(T.ShowMessageParams(type=T.MessageType.Warning, message=message))
    except Exception:  # no client connected (yet, or any more): the log has it
        logger.debug("window/showMessage failed", exc_info=True)


def apply_editor_settings(server: CtxLanguageServer, raw: object, origin: str) -> bool:
    """Take the ``ctxLsp`` section out of ``raw``; False when there is none."""
    section, found = editor_section(raw)
    if not found:
        return False
    logger.info("settings from %s: %r", origin, section)
    server.settings.set_editor_settings(section)
    return True


def apply_initialization_options(server: CtxLanguageServer, options: object) -> None:
    if not apply_editor_settings(server, options, "initializationOptions") and options not in (None, [], {}):
        server.log_warning(f"initializationOptions ignored: expected the {SECTION} settings object, got {options!r}")


def refresh_all(server: CtxLanguageServer) -> None:
    """Settings or outside facts changed: every open document gets new results."""
    server.scheduler.refresh(list(server.documents.values()))
    _refresh_pulled(server)


def _refresh_pulled(server: CtxLanguageServer) -> None:
    """Pull clients are asked to pull again (they keep what they have until they do)."""
    if server.features.pull_diagnostics and server.features.diagnostic_refresh:
        try:
            server.workspace_diagnostic_refresh(None)
        except Exception:
            server.log(T.MessageType.Warning, f"workspace/diagnostic/refresh failed:\n{traceback.format_exc()}")


async def pull_configuration(server: CtxLanguageServer) -> None:
    if not server.features.configuration_pull:
        return
    try:
        answer = await server.workspace_configuration_async(
            T.ConfigurationParams(items=[T.ConfigurationItem(section=SECTION)]))
    except Exception as error:
        server.log(T.MessageType.Warning, f"workspace/configuration failed ({error}); keeping current settings")
        return
    if answer and answer[0] is not None and apply_editor_settings(server, {SECTION: answer[0]},
                                                                  "workspace/configuration"):
        refresh_all(server)


async def register_dynamic_capabilities(server: CtxLanguageServer) -> None:
    registrations = []
    if server.features.register_watched_files:
        watchers = [T.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED_GLOBS]
        registrations.append(T.Registration(
            id="ctx-lsp-watched-files", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=T.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)))
    if server.features.register_configuration:
        registrations.append(T.Registration(
            id="ctx-lsp-configuration", method=T.WORKSPACE_DID_CHANGE_CONFIGURATION,
            register_options=T.DidChangeConfigurationRegistrationOptions(section=SECTION)))
    if not registrations:
        return
    try:
        await server.client_register_capability_async(T.RegistrationParams(registrations=registrations))
    except Exception as error:
        server.log(T.MessageType.Info, f"client/registerCapability refused ({error}); "
                   "go.mod and .ctx-lsp.toml changes are picked up when a document changes")


@guarded()
def on_did_change_configuration(ls: CtxLanguageServer, params: T.DidChangeConfigurationParams) -> None:
    if apply_editor_settings(ls, params.settings, "workspace/didChangeConfiguration"):
        refresh_all(ls)
    else:
        asyncio.ensure_future(pull_configuration(ls))


@guarded()
def on_did_change_watched_files(ls: CtxLanguageServer, params: T.DidChangeWatchedFilesParams) -> None:
    paths = [path_of(change.uri) for change in params.changes]
    names = {os.path.basename(path) for path in paths}
    # Saved, created or deleted files: the module index reads them again when next asked
    # (O(1) here; a go.mod change drops every index). Edits in open buffers reach other
    # packages' view of this one on save, never on the keystroke path.
    for path in paths:
        ls.loader.modules.file_changed(path)
    if "go.mod" in names:
        gomod.clear_caches()
    if CONFIG_FILE_NAME in names:
        ls.settings.forget_files()
    if names & {"go.mod", CONFIG_FILE_NAME}:
        refresh_all(ls)  # versions, settings: any open document may be concerned
        return
    affected = affected_documents(ls, [path for path in paths if path.endswith(".go")])
    if affected:
        refresh(ls, affected)


def affected_documents(server: CtxLanguageServer, paths: list[str]) -> list[OpenDocument]:
    """The open documents a change of the .go files ``paths`` on disk can concern: those of
    the same directory (the package's facts) and those of the same module (its index: other
    packages' facts, the module's interfaces). Documents of other modules read nothing of
    these files."""
    directories = {os.path.dirname(os.path.abspath(path)) for path in paths if path}
    roots = {index.root for path in paths if (index := server.loader.modules.for_file(path)) is not None}
    affected = []
    for open_document in server.documents.values():
        path = open_document.document.path
        if not path:
            continue
        if os.path.dirname(os.path.abspath(path)) in directories:
            affected.append(open_document)
        elif roots and (index := server.loader.modules.for_file(path)) is not None and index.root in roots:
            affected.append(open_document)
    return affected


def refresh(server: CtxLanguageServer, documents: list[OpenDocument]) -> None:
    """Outside facts of ``documents`` changed: they get new results."""
    server.scheduler.refresh(documents)
    _refresh_pulled(server)
