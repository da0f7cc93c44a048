"""Provisional trees (GoDocument.verify_lazily, the server): an incremental parse of text with
syntax errors is kept until check_tree has compared it with a fresh parse; after
adopt_check the document's tree must equal a fresh parse node for node, also where
tree-sitter's incremental error recovery found a different tree."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings

from ctx_lsp.lsp.document import GoDocument, TextChange, check_tree
from tests.lsp.lsp_model import fresh_signature, node_signature
from tests.lsp.test_lsp_document import (
    ENCODINGS,
    START_TEXTS,
    _model_change,
    edit_plans,
)

# The edit sequence after which tree-sitter's incremental parse ended an ERROR node 14 bytes
# before a fresh parse's (found by hypothesis in tests/lsp/test_lsp_document.py).
DIVERGING_START = 'package p\r\n\r\nvar s = "😋é"\r\nfunc g() {\r\n\treturn\r\n}\r\n'
DIVERGING_PLAN = [[(0.75, 0.0, "*/package p\n")], [(0.0, 0.0, "")], [(0.0, 0.0, "é")], [("line", 0.0, 0.3, '"')]]


def _apply(document: GoDocument, initial: str, plan: list, encoding: str, check_each: bool) -> str:  # type: ignore[type-arg]
    text = initial
    for version, event in enumerate(plan, start=1):
        changes = []
        for planned in event:
            text, change = _model_change(text, planned, encoding)
            changes.append(change)
        document.apply_changes(changes, version)
        if check_each:
            _check(document)
    return text


def _check(document: GoDocument) -> bool:
    """What the server does after publishing a provisional analysis; whether it re-parsed."""
    snapshot = document.snapshot()
    if not snapshot.provisional:
        return False
    check = check_tree(snapshot)
    assert check is not None
    replaced = document.adopt_check(check)
    assert not document.provisional and document.is_exact(snapshot) != replaced
    assert node_signature(document.tree) == fresh_signature(document.data)
    return replaced


def test_the_known_divergence_is_found_and_replaced() -> None:
    document = GoDocument("file:///w/a.go", DIVERGING_START, version=0, encoding="utf-16", verify_lazily=True)
    _apply(document, DIVERGING_START, DIVERGING_PLAN, "utf-16", check_each=False)
    assert document.provisional
    assert node_signature(document.tree) != fresh_signature(document.data)  # the incremental tree differs
    assert _check(document)  # ... check_tree says so, and the fresh tree replaces it


def test_without_lazy_verification_text_with_errors_is_parsed_afresh() -> None:
    document = GoDocument("file:///w/a.go", DIVERGING_START, version=0, encoding="utf-16")
    _apply(document, DIVERGING_START, DIVERGING_PLAN, "utf-16", check_each=False)
    assert not document.provisional
    assert node_signature(document.tree) == fresh_signature(document.data)


@pytest.mark.parametrize("encoding", ENCODINGS)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=edit_plans())
@example(plan=DIVERGING_PLAN)
def test_checked_trees_equal_fresh_parses(encoding: str, plan: list) -> None:  # type: ignore[type-arg]
    for initial in (START_TEXTS[0], DIVERGING_START):
        document = GoDocument("file:///w/a.go", initial, version=0, encoding=encoding,  # type: ignore[arg-type]
                              verify_lazily=True)
        _apply(document, initial, plan, encoding, check_each=True)


def test_a_check_of_a_document_that_moved_on_changes_nothing() -> None:
    document = GoDocument("file:///w/a.go", DIVERGING_START, version=0, encoding="utf-16", verify_lazily=True)
    _apply(document, DIVERGING_START, DIVERGING_PLAN, "utf-16", check_each=False)
    check = check_tree(document.snapshot())
    assert check is not None and not check.same
    tree = document.tree
    document.apply_changes([TextChange("x", (0, 0), (0, 0))], 9)
    assert document.tree is not tree
    assert not document.adopt_check(check)  # about an older tree: ignored


def test_a_cancelled_check_returns_nothing() -> None:
    document = GoDocument("file:///w/a.go", DIVERGING_START, version=0, encoding="utf-16", verify_lazily=True)
    _apply(document, DIVERGING_START, DIVERGING_PLAN, "utf-16", check_each=False)
    document.apply_changes([TextChange("func h() {\n" * 3, (0, 0), (0, 0))], 9)
    assert document.provisional
    assert check_tree(document.snapshot(), lambda: True) is None
