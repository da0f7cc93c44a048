"""The tree-sitter Go language and parser, shared by everything that parses Go."""

from __future__ import annotations

import functools
import threading

import tree_sitter
import tree_sitter_go

GO_LANGUAGE = tree_sitter.Language(tree_sitter_go.language())


_PARSERS = threading.local()


def _shared_parser() -> tree_sitter.Parser:
    # One parser per thread: the server parses on its event loop (incremental re-parses) and
    # on background threads (fresh parses), and a TSParser must not be used by two threads at
    # once. (py-tree-sitter holds the GIL while it parses, docs/engineering-notes.md §1.5, so
    # the parses do not run at the same time.)
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = tree_sitter.Parser(GO_LANGUAGE)
    return parser


def parse(data: bytes, old_tree: tree_sitter.Tree | None = None) -> tree_sitter.Tree:
    """Parse Go source bytes, incrementally when ``old_tree`` was edited to match ``data``."""
    parser = _shared_parser()
    if old_tree is None:
        return parser.parse(data)
    return parser.parse(data, old_tree)


@functools.cache
def kind_id(kind: str) -> int:
    """The numeric id of a named node kind; comparing ids is cheaper than comparing strings."""
    found = GO_LANGUAGE.id_for_node_kind(kind, True)
    if found is None:
        raise ValueError(f"tree-sitter-go has no named node kind {kind!r}")
    return found
