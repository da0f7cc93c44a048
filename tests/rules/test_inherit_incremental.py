"""The issue-19 rules under the server's per-declaration cache: an edit of one declaration
must change what another declaration reports, exactly as a fresh analysis would."""

from __future__ import annotations

import attrs
import pytest

from ctx_lsp.engine.analyze import DeclCache, analyze
from ctx_lsp.engine.config import DEFAULT_SETTINGS
from ctx_lsp.engine.findings import Severity
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import RULES_BY_ID

EVERYTHING = attrs.evolve(DEFAULT_SETTINGS, min_severity=Severity.HINT)
FILLER = "".join(f"\nfunc helper{n}(values []int) int {{\n\treturn len(values) + {n}\n}}\n" for n in range(10))

KEYS = """package p

import "context"

type key string

const traceKey key = "trace"

func store(ctx context.Context) context.Context {
\treturn context.WithValue(ctx, traceKey, 1)
}
""" + FILLER + """
func lookup(ctx context.Context) any {
\treturn ctx.Value("trace")
}
"""
CANCEL = """package p

import "context"

type owner struct {
\tcancel context.CancelFunc
}
""" + FILLER + """
func (o *owner) Close() {
\to.other()
}
"""
NIL = """package p

import "context"

func run(v any) {}
""" + FILLER + """
func caller() {
\trun(nil)
}
"""


def _messages(rule: str, text: str, cache: DeclCache | None, tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    src = SourceFile.parse(str(tmp_path / "p.go"), text.encode())
    analysis = analyze(src, EVERYTHING, rules=[RULES_BY_ID[rule]], cache=cache, loader=PackageLoader(),
                       go_version=(1, 22))
    assert not analysis.errors
    return sorted(f.message for f in analysis.findings)


@pytest.mark.parametrize(("rule", "text", "old", "new", "before", "after"), [
    ("context-value-key-mismatch", KEYS, "WithValue(ctx, traceKey, 1)", 'WithValue(ctx, "trace", 1)', 1, 0),
    ("context-value-key-mismatch", KEYS, 'const traceKey key = "trace"', 'const traceKey key = "span"', 1, 0),
    ("cancel-never-called", CANCEL, "o.other()", "o.cancel()", 1, 0),
    ("nil-context", NIL, "func run(v any) {}", "func run(ctx context.Context) {}", 0, 1),
])
def test_an_edit_elsewhere_in_the_file_updates_the_cached_declaration(rule: str, text: str, old: str, new: str,
                                                                       before: int, after: int, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache = DeclCache()
    assert len(_messages(rule, text, cache, tmp_path)) == before
    edited = text.replace(old, new)
    assert edited != text
    cached = _messages(rule, edited, cache, tmp_path)
    assert cached == _messages(rule, edited, None, tmp_path)
    assert len(cached) == after
