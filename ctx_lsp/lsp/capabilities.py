"""What the connected client supports, read once from its ``initialize`` capabilities."""

from __future__ import annotations

import attrs
from lsprotocol import types as T
from pygls.capabilities import get_capability

from ctx_lsp.lsp.positions import ENCODINGS, UTF16, Encoding


@attrs.frozen
class ClientFeatures:
    encoding: Encoding = UTF16
    pull_diagnostics: bool = False
    related_information: bool = False
    diagnostic_tags: frozenset[int] = frozenset()
    code_description: bool = False
    diagnostic_data: bool = False
    diagnostic_refresh: bool = False
    document_changes: bool = False
    code_action_literals: bool = False
    # codeAction/resolve may fill in an action's edit (and the client keeps an action's data).
    code_action_resolves_edits: bool = False
    configuration_pull: bool = False
    register_configuration: bool = False
    register_watched_files: bool = False
    markdown_hover: bool = False


def _flag(capabilities: T.ClientCapabilities, path: str) -> bool:
    return bool(get_capability(capabilities, path, False))


def _diagnostic_flag(capabilities: T.ClientCapabilities, name: str, pull: bool) -> object:
    """A diagnostic capability of the channel in use. Pull capabilities only gained these
    fields in LSP 3.18; a 3.17 client that pulls renders them exactly like pushed ones, so
    its publishDiagnostics capabilities stand in."""
    if pull:
        value = get_capability(capabilities, f"text_document.diagnostic.{name}", None)
        if value is not None:
            return value
    return get_capability(capabilities, f"text_document.publish_diagnostics.{name}", None)


def read_client_features(capabilities: T.ClientCapabilities, encoding: object) -> ClientFeatures:
    encoding = getattr(encoding, "value", encoding)  # PositionEncodingKind -> "utf-8"
    pull = get_capability(capabilities, "text_document.diagnostic", None) is not None
    tag_support = _diagnostic_flag(capabilities, "tag_support", pull)
    tags = frozenset(int(tag) for tag in getattr(tag_support, "value_set", None) or ())
    hover_formats = get_capability(capabilities, "text_document.hover.content_format", None) or ()
    return ClientFeatures(
        encoding=encoding if encoding in ENCODINGS else UTF16,
        pull_diagnostics=pull,
        related_information=bool(_diagnostic_flag(capabilities, "related_information", pull)),
        diagnostic_tags=tags,
        code_description=bool(_diagnostic_flag(capabilities, "code_description_support", pull)),
        diagnostic_data=bool(_diagnostic_flag(capabilities, "data_support", pull)),
        diagnostic_refresh=_flag(capabilities, "workspace.diagnostics.refresh_support"),
        document_changes=_flag(capabilities, "workspace.workspace_edit.document_changes"),
        code_action_literals=get_capability(
            capabilities, "text_document.code_action.code_action_literal_support", None
        )
        is not None,
        code_action_resolves_edits=_flag(capabilities, "text_document.code_action.data_support") and "edit" in (
            getattr(get_capability(capabilities, "text_document.code_action.resolve_support", None), "properties",
                    None) or ()),
        configuration_pull=_flag(capabilities, "workspace.configuration"),
        register_configuration=_flag(capabilities, "workspace.did_change_configuration.dynamic_registration"),
        register_watched_files=_flag(capabilities, "workspace.did_change_watched_files.dynamic_registration"),
        markdown_hover=T.MarkupKind.Markdown in hover_formats,
    )
