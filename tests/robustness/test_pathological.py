"""Pathological inputs: huge files, absurd nesting, binary junk, empty files, size limits.

Each case checks what is reported, not only that nothing crashed: a deeply nested leak is still
found at the right line, a 200,000-line file reports every one of its planted findings.
Nesting is 5,000 levels deep: every traversal in the engine and the rules must be iterative
(Python's recursion limit is 1,000), and nothing may climb ``Node.parent`` to the root per node
(each step costs O(depth) in tree-sitter, so such a climb is quadratic).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ctx_lsp import batch
from ctx_lsp.cli import main
from ctx_lsp.engine.config import DEFAULT_MAX_FILE_BYTES, DEFAULT_SETTINGS
from ctx_lsp.engine.source import LineIndex
from tests.robustness._support import analyse, invariant_problems

DEPTH = 5_000
HEADER = 'package deep\n\nimport (\n\t"context"\n\t"time"\n)\n\nvar _ = time.Second\n\n'
HEADER_LINES = HEADER.count("\n")
DEFINE = "ctx, cancel := context.WithCancel(ctx)"

Expected = set[tuple[str, int]]  # (rule, 1-based line)


def _findings(source: str) -> Expected:
    data = source.encode()
    analysis = analyse(data, "", go_version=(1, 24))
    problems = invariant_problems(data, analysis)
    assert not problems, "\n".join(problems)
    line_starts = LineIndex(data)
    return {(finding.rule, line_starts.line_of(finding.start) + 1) for finding in analysis.findings}


# -- nesting 5,000 deep: statements -------------------------------------------------------------
def _wrapped(opening: str, closing: str, innermost: list[str]) -> tuple[str, int]:
    """A function whose body nests ``opening`` DEPTH times around ``innermost``; returns the
    source and the 1-based line of the first innermost statement."""
    body = [opening] * DEPTH + innermost + [closing] * DEPTH
    source = HEADER + "func f(ctx context.Context) {\n" + "\n".join(body) + "\n}\n"
    return source, HEADER_LINES + 2 + DEPTH


def nested_blocks() -> tuple[str, Expected]:
    source, line = _wrapped("{", "}", [DEFINE, "_ = ctx"])
    closing_brace = line + 2 + DEPTH
    return source, {("lostcancel", line), ("lostcancel", closing_brace)}


def nested_ifs() -> tuple[str, Expected]:
    source, line = _wrapped("if ctx != nil {", "}", [DEFINE, "if ctx.Err() != nil {", "return", "}", "cancel()"])
    return source, {("lostcancel", line), ("lostcancel", line + 2)}


def nested_switches() -> tuple[str, Expected]:
    source, line = _wrapped("switch {\ncase ctx != nil:", "}", [DEFINE, "_ = ctx"])
    line += DEPTH  # every level takes two lines
    return source, {("lostcancel", line), ("lostcancel", line + 2 + DEPTH)}


def nested_selects() -> tuple[str, Expected]:
    source, line = _wrapped("select {\ndefault:", "}", [DEFINE, "_ = ctx"])
    line += DEPTH
    return source, {("lostcancel", line), ("lostcancel", line + 2 + DEPTH)}


def nested_closures() -> tuple[str, Expected]:
    source, line = _wrapped("func() {", "}()", ["ctx, _ := context.WithCancel(ctx)", "_ = ctx"])
    return source, {("lostcancel", line)}


def nested_loops() -> tuple[str, Expected]:
    source, line = _wrapped("for ctx != nil {", "}", [DEFINE, "defer cancel()", "_ = ctx"])
    return source, {("cancel-deferred-in-loop", line + 1)}


def nested_goroutines() -> tuple[str, Expected]:
    """Only the innermost goroutine (``for {}``) never ends; the outer ones just start another."""
    source, line = _wrapped("go func() {", "}()", ["for {", "}"])
    return source, {("goroutine-ignores-context", line - 1)}


def labelled_statements() -> tuple[str, Expected]:
    labels = "\n".join(f"L{i}:" for i in range(DEPTH))
    source = HEADER + "func f(ctx context.Context) {\n" + labels + "\n" + DEFINE + "\n_ = ctx\n}\n"
    line = HEADER_LINES + 2 + DEPTH
    return source, {("lostcancel", line), ("lostcancel", line + 2)}


# -- nesting 5,000 deep: expressions and types ------------------------------------------------------
def parenthesised_key() -> tuple[str, Expected]:
    key = "(" * DEPTH + '"user"' + ")" * DEPTH
    source = HEADER + f"func f(ctx context.Context) context.Context {{\n\treturn context.WithValue(ctx, {key}, 1)\n}}\n"
    return source, {("context-key-type", HEADER_LINES + 2)}


def parenthesised_callee() -> tuple[str, Expected]:
    """``((((runtime.GC))))()``: package references are resolved through any number of parens."""
    callee = "(" * DEPTH + "runtime.GC" + ")" * DEPTH
    source = f'package deep\n\nimport "runtime"\n\nfunc f() {{\n\t{callee}()\n}}\n'
    return source, {("forced-gc", 6)}


def long_constant_sum() -> tuple[str, Expected]:
    """``const k = "a" + "a" + ...``: a left-leaning binary tree DEPTH levels deep."""
    total = " + ".join(['"a"'] * DEPTH)
    source = HEADER + f"const k = {total}\n\nfunc f(ctx context.Context) context.Context {{\n" \
                      "\treturn context.WithValue(ctx, k, 1)\n}\n"
    return source, {("context-key-type", HEADER_LINES + 4)}


def long_call_chain() -> tuple[str, Expected]:
    chain = "b" + ".Next()" * DEPTH
    source = HEADER + f"func f(ctx context.Context, b builder) {{\n\t_ = {chain}\n\tctx, _ = context.WithTimeout(ctx, 1)\n" \
                      "\t_ = ctx\n}\n"
    return source, {("lostcancel", HEADER_LINES + 3)}


def deep_unary_index_and_selectors() -> tuple[str, Expected]:
    unary = "-" * DEPTH + "1"
    index = "m" + "[0]" * DEPTH
    selector = "s" + ".f" * DEPTH
    source = HEADER + f"var u = {unary}\nvar i = {index}\nvar s2 = {selector}\n"
    return source, set()


def nested_composite_literals() -> tuple[str, Expected]:
    literal = "[]any{" * DEPTH + "context.Background()" + "}" * DEPTH
    source = HEADER + f"var nested = {literal}\n"
    return source, set()


def nested_struct_types() -> tuple[str, Expected]:
    fields = "struct {\n\tinner " * DEPTH + "struct {\n\tctx context.Context\n}" + "\n}" * DEPTH
    source = HEADER + f"type outer {fields}\n"
    return source, {("context-in-struct", HEADER_LINES + DEPTH + 2)}


def deep_pointer_and_slice_types() -> tuple[str, Expected]:
    source = HEADER + "var holder " + "*" * DEPTH + "[]" * 100 + "context.Context\n"
    return source, {("context-in-global", HEADER_LINES + 1)}


NESTING_CASES: dict[str, Callable[[], tuple[str, Expected]]] = {
    "blocks": nested_blocks,
    "ifs": nested_ifs,
    "switches": nested_switches,
    "selects": nested_selects,
    "closures": nested_closures,
    "loops": nested_loops,
    "goroutines": nested_goroutines,
    "labels": labelled_statements,
    "parenthesised-key": parenthesised_key,
    "parenthesised-callee": parenthesised_callee,
    "constant-sum": long_constant_sum,
    "call-chain": long_call_chain,
    "unary-index-selector": deep_unary_index_and_selectors,
    "composite-literals": nested_composite_literals,
    "struct-types": nested_struct_types,
    "pointer-types": deep_pointer_and_slice_types,
}


@pytest.mark.parametrize("shape", sorted(NESTING_CASES))
def test_nesting_five_thousand_deep(shape: str) -> None:
    source, expected = NESTING_CASES[shape]()
    assert _findings(source) == expected


# -- size ------------------------------------------------------------------------------------------
LEAKY_FUNCTION = """\
// work{n} has a leak on one path.
func work{n}(parent context.Context, ok bool) error {{
\tctx, cancel := context.WithTimeout(parent, time.Second)
\tif ok {{
\t\treturn nil
\t}}
\tcancel()
\treturn ctx.Err()
}}

// fine{n} is correct.
func fine{n}(parent context.Context) error {{
\tctx, cancel := context.WithCancel(parent)
\tdefer cancel()
\treturn ctx.Err()
}}

"""


def test_two_hundred_thousand_lines() -> None:
    copies = 200_000 // LEAKY_FUNCTION.count("\n") + 1
    source = HEADER + "".join(LEAKY_FUNCTION.format(n=n) for n in range(copies))
    assert source.count("\n") >= 200_000
    found = _findings(source)
    per_copy = LEAKY_FUNCTION.count("\n")
    expected = set()
    for n in range(copies):
        first = HEADER_LINES + 1 + n * per_copy
        expected |= {("lostcancel", first + 2), ("lostcancel", first + 4)}
    assert found == expected


def test_a_single_ten_megabyte_line() -> None:
    """One line just under the default size limit: a long string literal and a leak after it,
    all on the line (Go allows it with semicolons)."""
    head = 'package p; import "context"; var blob = "'
    tail = '"; func f(p context.Context) { ctx, _ := context.WithCancel(p); _ = ctx }'
    filler = DEFAULT_MAX_FILE_BYTES - len(head) - len(tail) - 1
    data = (head + "x" * filler + tail).encode()
    assert b"\n" not in data and len(data) < DEFAULT_MAX_FILE_BYTES
    analysis = analyse(data, "", go_version=(1, 24))
    assert not invariant_problems(data, analysis)
    assert [(f.rule, f.start) for f in analysis.findings] == [("lostcancel", data.index(b"_ :="))]


def test_a_dense_ten_megabyte_line_of_expressions() -> None:
    """A megabytes-long line of real syntax (not one literal): a million nodes."""
    elements = ", ".join(["1"] * 500_000)
    data = f'package p; import "context"; var table = []int{{{elements}}}; var key = context.Background()'.encode()
    analysis = analyse(data, "", go_version=(1, 24))
    assert not invariant_problems(data, analysis)
    assert analysis.findings == ()


@pytest.mark.parametrize("data", [b"", b"\0" * 100_000, b"package p\n", b"package p", b"\xef\xbb\xbfpackage p\n",
                                  b"package", b"\n" * 10_000, b"\r" * 10_000, b"}" * 10_000, b"{" * 10_000,
                                  b"/*" + b"x" * 10_000, b'"' + b"\\" * 10_000, b"\xff" * 10_000],
                         ids=["empty", "nul-bytes", "package-clause", "package-no-newline", "bom", "keyword-only",
                              "newlines", "carriage-returns", "closing-braces", "opening-braces",
                              "open-comment", "open-string", "invalid-utf8"])
def test_degenerate_files(data: bytes) -> None:
    analysis = analyse(data, "", go_version=(1, 24))
    assert not invariant_problems(data, analysis)
    assert analysis.findings == ()


# -- size limit and binary files in batch mode ----------------------------------------------------------
def _job(path: Path, **settings: object) -> batch.Job:
    from attrs import evolve

    return batch.Job(batch.Target(str(path), str(path)), evolve(DEFAULT_SETTINGS, **settings), ("lostcancel",), None)


def test_default_size_limit_skips_with_a_message(tmp_path: Path) -> None:
    big = tmp_path / "big.go"
    with open(big, "wb") as handle:  # sparse: no 10 MB written
        handle.truncate(DEFAULT_MAX_FILE_BYTES + 1)
    result = batch.check_file(_job(big))
    assert not result.checked and not result.findings
    assert len(result.errors) == 1
    assert f"{DEFAULT_MAX_FILE_BYTES + 1} bytes is over the {DEFAULT_MAX_FILE_BYTES}-byte size limit" in result.errors[0]


def test_configured_size_limit_is_honoured_by_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    leak = b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\t_ = ctx\n}\n'
    (tmp_path / "leak.go").write_bytes(leak)
    (tmp_path / ".ctx-lsp.toml").write_text(f"max-file-bytes = {len(leak) - 1}\n")
    code = main(["check", "--no-progress", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 0 and captured.out == ""
    assert f"over the {len(leak) - 1}-byte size limit" in captured.err
    (tmp_path / ".ctx-lsp.toml").write_text(f"max-file-bytes = {len(leak)}\n")
    assert main(["check", "--no-progress", str(tmp_path)]) == 1
    assert "leak.go:6:7:" in capsys.readouterr().out


def test_nul_byte_files_are_skipped_with_a_message(tmp_path: Path) -> None:
    for name, data in (("zeros.go", b"\0" * 4096), ("late.go", b"package p\n\nvar x = 1\n\0")):
        path = tmp_path / name
        path.write_bytes(data)
        result = batch.check_file(_job(path))
        assert result.errors == (f"{path}: skipped: contains NUL bytes (binary file?)",)


def test_special_files_named_go_beside_the_file_are_not_read(tmp_path: Path) -> None:
    """Regression: the package loader read every *.go sibling for package facts; a FIFO named
    x.go blocked it forever and a symlink to /dev/zero never ended (it reports size 0)."""
    import os
    import subprocess
    import sys

    (tmp_path / "key.go").write_bytes(b'package p\n\nimport "context"\n\nconst k = "user"\n\n'
                                      b"func f(ctx context.Context) context.Context {\n"
                                      b"\treturn context.WithValue(ctx, k, 1)\n}\n")
    os.mkfifo(tmp_path / "fifo.go")
    (tmp_path / "zero.go").symlink_to("/dev/zero")
    result = subprocess.run([sys.executable, "-m", "ctx_lsp", "check", "--no-progress", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "key.go:8:32:" in result.stdout, result.stderr


def test_an_unbalanced_brace_does_not_make_name_resolution_cubic(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (the campaign's 10,000-line file took 10 s after typing one ``{``): the rest
    of the file became one declaration with hundreds of locals named ctx and cancel, and every
    definition re-resolved every identifier of that name. Each identifier is now resolved
    once per analysis; counted here rather than timed."""
    from ctx_lsp.engine import scopes

    body = "".join(LEAKY_FUNCTION.format(n=n) for n in range(300))
    source = HEADER + "func broken() {\n\tif true {\n" + body  # never closed: swallows everything
    calls = 0
    real_resolve = scopes.Scopes._resolve

    def counting_resolve(self: scopes.Scopes, ident: object) -> object:
        nonlocal calls
        calls += 1
        return real_resolve(self, ident)  # type: ignore[arg-type]

    monkeypatch.setattr(scopes.Scopes, "_resolve", counting_resolve)
    found = _findings(source)
    identifiers = source.count("ctx") + source.count("cancel") + source.count("parent") + source.count("ok")
    assert any(rule == "lostcancel" for rule, _ in found)
    assert calls <= 3 * identifiers, f"{calls} resolutions for about {identifiers} identifiers"
