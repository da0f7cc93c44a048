"""A cancelled analysis stops calling checks: ``analyze(cancelled=...)`` is asked once per
declaration, and once it says yes no rule runs again, in the cached pass or after it."""

from __future__ import annotations

import attrs

from ctx_lsp.engine.analyze import DeclCache, analyze
from ctx_lsp.engine.checks import RuleFailures, run_rules
from ctx_lsp.engine.context import FileContext
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.rules import ALL_RULES

SOURCE = b"package p\n\n" + b"".join(b"func f%d() {}\n\n" % n for n in range(10))


def _recording_rules(seen: list[tuple[str, int]]) -> list:  # type: ignore[type-arg]
    def recorder(rule_id: str):  # type: ignore[no-untyped-def]
        def check(ctx, decl):  # type: ignore[no-untyped-def]
            seen.append((rule_id, decl.start_byte))
            return ()
        return check

    # called on every declaration of every file
    base = attrs.evolve(ALL_RULES[0], decl_needles=(), imports=frozenset(), needles=frozenset(), linkname=False)
    return [attrs.evolve(base, id=name, check=recorder(name)) for name in ("first", "second")]


def test_no_check_runs_after_cancellation() -> None:
    seen: list[tuple[str, int]] = []
    answers = iter([False, False, False])  # three declarations, then cancelled for good
    analysis = analyze(SourceFile.parse("p.go", SOURCE), rules=_recording_rules(seen), cache=DeclCache(),
                       cancelled=lambda: next(answers, True))
    assert len({start for _, start in seen}) == 3
    assert {error.message for error in analysis.errors} == {"cancelled"}


def test_a_later_pass_stops_too() -> None:
    """The rules outside the cached pass (whole-file rules) are failed by the same
    cancellation, though it was seen during an earlier pass."""
    src = SourceFile.parse("p.go", SOURCE)
    ctx = FileContext(src, go_version=(1, 24))
    seen: list[tuple[str, int]] = []
    first, second = _recording_rules(seen)
    failures = RuleFailures(cancelled=lambda: True)
    decl = ctx.top_level[1]
    assert run_rules([first], ctx, decl, failures) == ()
    assert run_rules([second], ctx, decl, failures) == ()
    assert seen == []
    assert failures.failed == {"first", "second"}
