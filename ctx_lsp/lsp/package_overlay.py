"""Open documents as the engine's package loader sees them: unsaved text wins over the disk.

Invariants (the server relies on them; see issue 21 item 5):

1. Work per lookup is independent of how many documents are open: documents are indexed by
   absolute path, and by directory for "which open documents are my siblings".
2. A document's package facts are computed at most once per revision (``FactsAtRevision``),
   on whichever thread asks first; the analysis thread asks, the event loop never does.
3. The analysis thread only reads: the event loop adds and removes documents (``add`` /
   ``remove``) and edits them. A reader takes the revision *before* the text, so facts
   stored under a revision are never those of an older text (a newer text under an older
   revision is harmless: that revision is never asked for again).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import attrs

from collections.abc import Iterable

from ctx_lsp.engine.package import DeclFacts, package_key, package_name
from ctx_lsp.engine.parse import parse

if TYPE_CHECKING:
    from ctx_lsp.lsp.open_document import OpenDocument

PackageSummary = tuple[str, tuple[DeclFacts, ...]]  # (package name, facts of each top-level declaration)


_NO_FACTS_IDENTITY = DeclFacts().identity


def facts_key(facts: Iterable[DeclFacts]) -> int:
    """The key of a file's own package facts, as siblings see them. Declarations with no
    facts (comments, imports) count for nothing: a comment typed at the top level must not
    make every open sibling analyse again."""
    return package_key(fact for fact in facts if fact.identity != _NO_FACTS_IDENTITY)


@attrs.frozen
class FactsAtRevision:
    revision: int
    summary: PackageSummary
    key: int  # facts_key of the summary: what the siblings that read it saw


class OpenPackageFiles:
    """Open documents by path and directory, with their package facts per revision."""

    def __init__(self) -> None:
        self._by_path: dict[str, OpenDocument] = {}
        self._by_directory: dict[str, set[str]] = {}
        self._facts: dict[str, FactsAtRevision] = {}

    def add(self, open_document: OpenDocument) -> None:
        path = _absolute(open_document.document.path)
        if not path:
            return
        self._by_path[path] = open_document
        self._by_directory.setdefault(os.path.dirname(path), set()).add(path)
        self._facts.pop(path, None)

    def remove(self, open_document: OpenDocument) -> None:
        path = _absolute(open_document.document.path)
        if not path or self._by_path.get(path) is not open_document:
            return
        del self._by_path[path]
        self._facts.pop(path, None)
        directory = os.path.dirname(path)
        siblings = self._by_directory.get(directory)
        if siblings is not None:
            siblings.discard(path)
            if not siblings:
                del self._by_directory[directory]

    def siblings_of(self, open_document: OpenDocument) -> list[OpenDocument]:
        """The other open documents in the same directory (candidates for the same package)."""
        path = _absolute(open_document.document.path)
        if not path:
            return []
        names = self._by_directory.get(os.path.dirname(path), ())
        return [self._by_path[name] for name in tuple(names) if name != path and name in self._by_path]

    def has_siblings(self, open_document: OpenDocument) -> bool:
        path = _absolute(open_document.document.path)
        return bool(path) and len(self._by_directory.get(os.path.dirname(path), ())) > 1

    def read_key(self, path: str) -> int | None:
        """The facts key of the last facts an open sibling read of the document at ``path``
        (an absolute path), or None when no sibling has read them since it opened."""
        known = self._facts.get(path)
        return None if known is None else known.key

    def facts(self, path: str) -> PackageSummary | None:
        """PackageLoader overlay: the facts of the open document at ``path`` (an absolute
        path), or None to read the file from disk. Runs on the analysis thread."""
        open_document = self._by_path.get(path)
        if open_document is None:
            return None
        revision = open_document.revision  # before the text: see invariant 3
        known = self._facts.get(path)
        if known is not None and known.revision == revision:
            return known.summary
        document = open_document.document
        # A document whose tree was released is parsed locally, and the tree is not kept.
        tree = document.parsed_tree
        root = (tree if tree is not None else parse(document.data)).root_node
        facts = tuple(open_document.cache.facts(child, document.path) for child in root.named_children)
        summary = (package_name(root), facts)
        self._facts[path] = FactsAtRevision(revision, summary, facts_key(facts))
        return summary


def _absolute(path: str) -> str:
    return os.path.abspath(path) if path else ""
