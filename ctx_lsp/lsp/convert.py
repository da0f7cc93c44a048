"""Engine findings to lsprotocol objects: diagnostics, edits and code actions.

Byte offsets become positions in the negotiated encoding through the document's own line
index (never through tree-sitter points, which ignore a lone ``\\r``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from lsprotocol import types as T

from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.rule import Rule
from ctx_lsp.hover.diagnostics import rule_doc_href
from ctx_lsp.lsp.capabilities import ClientFeatures

SOURCE = "ctx-lsp"
FIX_ALL_KIND = "source.fixAll.ctxlsp"

_SEVERITIES = {
    Severity.ERROR: T.DiagnosticSeverity.Error,
    Severity.WARNING: T.DiagnosticSeverity.Warning,
    Severity.INFORMATION: T.DiagnosticSeverity.Information,
    Severity.HINT: T.DiagnosticSeverity.Hint,
}
_TAGS = {"unnecessary": T.DiagnosticTag.Unnecessary, "deprecated": T.DiagnosticTag.Deprecated}


class TextView(Protocol):
    """One version of a document (a DocumentSnapshot, or a GoDocument as it is now)."""

    @property
    def uri(self) -> str: ...

    @property
    def version(self) -> int | None: ...

    def position(self, offset: int) -> tuple[int, int]: ...


def lsp_range(document: TextView, start: int, end: int) -> T.Range:
    start_line, start_character = document.position(start)
    end_line, end_character = document.position(end)
    return T.Range(
        start=T.Position(line=start_line, character=start_character),
        end=T.Position(line=end_line, character=end_character),
    )


def to_diagnostic(
    finding: Finding, document: TextView, rules: Mapping[str, Rule], features: ClientFeatures
) -> T.Diagnostic:
    rule = rules.get(finding.rule)
    severity = finding.severity if finding.severity is not None else (rule.severity if rule else Severity.WARNING)
    related = [
        T.DiagnosticRelatedInformation(
            location=T.Location(uri=document.uri, range=lsp_range(document, item.start, item.end)),
            message=item.message,
        )
        for item in finding.related
    ]
    tags = [_TAGS[tag] for tag in finding.tags if tag in _TAGS and int(_TAGS[tag]) in features.diagnostic_tags]
    return T.Diagnostic(
        range=lsp_range(document, finding.start, finding.end),
        message=finding.message,
        severity=_SEVERITIES[severity],
        code=finding.rule,
        code_description=T.CodeDescription(href=href) if (href := rule_doc_href(finding.rule, rule.url if rule else None)) else None,
        source=SOURCE,
        related_information=related or None,
        tags=tags or None,
        # The version lets a code action request recognise a diagnostic of older text.
        data={"version": document.version} if features.diagnostic_data else None,
    )


def lsp_edits(document: TextView, edits: Iterable[TextEdit]) -> list[T.TextEdit]:
    return [
        T.TextEdit(range=lsp_range(document, edit.start, edit.end), new_text=edit.new_text)
        for edit in sorted(edits, key=lambda edit: (edit.start, edit.end))
    ]


def workspace_edit(document: TextView, edits: Iterable[TextEdit], features: ClientFeatures) -> T.WorkspaceEdit:
    """A WorkspaceEdit for the current text. With ``documentChanges`` it names the document
    version, so a client holding different text refuses it instead of corrupting the file."""
    text_edits = lsp_edits(document, edits)
    if features.document_changes and document.version is not None:
        identifier = T.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version)
        return T.WorkspaceEdit(document_changes=[T.TextDocumentEdit(text_document=identifier, edits=text_edits)])
    return T.WorkspaceEdit(changes={document.uri: text_edits})


def fix_action(
    document: TextView, fix: Fix, diagnostic: T.Diagnostic, features: ClientFeatures
) -> T.CodeAction:
    return T.CodeAction(
        title=fix.title,
        kind=T.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=fix.preferred or None,
        edit=workspace_edit(document, fix.edits, features),
    )


def suppress_action(
    document: TextView, rule_id: str, edit: TextEdit, diagnostic: T.Diagnostic, features: ClientFeatures
) -> T.CodeAction:
    return T.CodeAction(
        title=f"Suppress {rule_id} on this line (//ctxlsp:ignore)",
        kind=T.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=workspace_edit(document, [edit], features),
    )


FIX_ALL_TITLE = "Apply all ctx-lsp fixes"


def fix_all_action(document: TextView, edits: Sequence[TextEdit] | None, features: ClientFeatures) -> T.CodeAction:
    """Fix-all with its edit, or without (``edits`` None: codeAction/resolve computes it;
    ``data`` says for which document)."""
    if edits is None:
        return T.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, data={"uri": document.uri})
    return T.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND, edit=workspace_edit(document, edits, features))


def kind_requested(kind: str, only: Sequence[str] | None) -> bool:
    """Whether a client's ``context.only`` admits ``kind`` (kinds are dotted hierarchies)."""
    if not only:
        return True
    return any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)
