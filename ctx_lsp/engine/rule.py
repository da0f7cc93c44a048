"""Rule metadata. Every check is one module in :mod:`ctx_lsp.rules` exporting ``RULE``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import attrs
import tree_sitter

from ctx_lsp.engine.findings import Finding, Fix, Severity

if TYPE_CHECKING:
    from ctx_lsp.engine.context import FileContext

CheckFunction = Callable[["FileContext", tree_sitter.Node], Iterable[Finding]]


@attrs.frozen
class Rule:
    """A rule: its stable id, default severity, docs and check.

    ``check(ctx, decl)`` is called once per top-level node of a file (declarations, import
    blocks, top-level comments). It may read only ``decl``'s subtree and the file-wide facts
    of ``ctx``: the server caches its findings per declaration text plus ``ctx.base_key``.

    ``imports`` is a prefilter: when non-empty, the rule runs only on files that import one of
    these paths (or contain a ``//go:linkname`` directive, when ``linkname`` is set).

    ``needles`` are further byte strings that make a file worth analyzing for this rule when
    it imports none of ``imports`` (e.g. ``b"func getg"``); a rule with neither ``imports`` nor
    ``needles`` runs on every file and disables the CLI's prefilter.

    Anything a check reads outside its declaration beyond ``base_key`` goes through
    ``FileContext.file_input`` (package facts and no-return functions already do): the
    cache records those reads and re-checks the declaration when one of them changes.

    ``resolve_fixes(ctx, finding)`` computes the fixes of one of this rule's findings that
    it marked ``deferred_fixes`` (allowed when ``ctx.defer_fixes``): fixes that edit other
    declarations would keep the declaration out of the cache, so the server asks for them
    only when a code action needs them.

    ``exports`` are the (package path, exported name) pairs the checks compare against: with a
    dot import, a bare identifier refers to a package member only if some running rule
    declares that name (the engine keeps no such list; ``analyze`` merges the declarations).

    ``comments`` marks a rule whose check looks at top-level comments (directives such as
    ``//go:linkname``); the engine calls the other checks on the rest only (Go files have
    about as many top-level doc comments as declarations).

    ``decl_needles`` are byte strings of which a top-level declaration's text must contain
    one for ``check`` to find anything in it (the check's own first test, repeated here):
    the engine then skips the call on the others. On the 10,000-line benchmark file,
    calling every check on every declaration just to have it return cost about 6 ms.

    ``whole_file`` marks a rule whose findings for one declaration depend on other
    declarations of the file (e.g. a fix that rewrites every use of a key in the file): the
    server then re-runs it on every analysis instead of caching per declaration.
    """

    id: str
    severity: Severity
    title: str
    doc: str
    url: str
    check: CheckFunction = attrs.field(repr=False)
    imports: frozenset[str] = frozenset()
    linkname: bool = False
    whole_file: bool = False
    comments: bool = False
    needles: frozenset[bytes] = frozenset()
    decl_needles: tuple[bytes, ...] = ()
    exports: frozenset[tuple[str, str]] = frozenset()
    resolve_fixes: Callable[[FileContext, Finding], Iterable[Fix]] | None = attrs.field(default=None, repr=False)

    def applies_to(self, imported_paths: frozenset[str], has_linkname: bool, data: bytes = b"") -> bool:
        if not self.imports and not self.needles:
            return True
        # Cheapest first: the byte searches run over the whole file.
        if not self.imports.isdisjoint(imported_paths):
            return True
        if self.linkname and has_linkname:
            return True
        return any(needle in data for needle in self.needles)

    @staticmethod
    def merged_exports(rules: Iterable[Rule]) -> frozenset[tuple[str, str]]:
        """Every package member some rule of ``rules`` declares (see ``exports``)."""
        return frozenset().union(*(rule.exports for rule in rules))

    @property
    def prefilter(self) -> tuple[bytes, ...] | None:
        """Byte strings of which a file must contain one for this rule to find anything
        (None: the rule can fire anywhere). Import paths appear quoted in import specs."""
        if not self.imports and not self.needles:
            return None
        found = [f'"{path}"'.encode() for path in sorted(self.imports)]
        found += [f"`{path}`".encode() for path in sorted(self.imports)]
        found += sorted(self.needles)
        if self.linkname:
            found.append(b"go:linkname")
        return tuple(found)
