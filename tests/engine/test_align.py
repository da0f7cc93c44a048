"""The trailing-comment aligner (ctx_lsp/engine/align.py): fixes re-pad the runs of aligned
``//`` comments they change exactly as gofmt would, and leave what they cannot prove alone.

The oracle tests generate gofmt-formatted functions (gofmt itself formats them), make fix-like
edits (renames that change a line's width, inserted and deleted lines, ``=`` -> ``:=``, edits
that swallow a comment's gap) and compare the result with gofmt's own output.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ctx_lsp.engine import align
from ctx_lsp.engine.align import align_edits
from ctx_lsp.engine.analyze import DeclCache, analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Finding, Fix, Severity, TextEdit
from ctx_lsp.engine.fixes import apply_edits, apply_preferred_fixes, select_compatible_fixes
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.syntax import walk
from ctx_lsp.rules import ALL_RULES

FUZZ_SCALE = max(1, int(os.environ.get("CTX_LSP_FUZZ_SCALE", "1")))


def _gofmt() -> str | None:
    found = shutil.which("gofmt")
    if found is None and os.environ.get("CI"):
        pytest.fail("gofmt is required in CI (apt-get install golang-go)")
    return found


def _format(gofmt: str, data: bytes) -> bytes | None:
    result = subprocess.run([gofmt], input=data, capture_output=True, timeout=60)
    return result.stdout if result.returncode == 0 else None


def _unclean(gofmt: str, directory: Path) -> set[str]:
    result = subprocess.run([gofmt, "-l", str(directory)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return {Path(name).name for name in result.stdout.split()}


def _fixed(data: bytes, edits: tuple[TextEdit, ...] | list[TextEdit]) -> bytes:
    src = SourceFile.parse("p.go", data)
    return apply_edits(data, align_edits(data, tuple(edits), src.root))


def _edit(data: bytes, old: bytes, new: str) -> TextEdit:
    start = data.index(old)
    return TextEdit(start, start + len(old), new)


def _insert_after_line(data: bytes, needle: bytes, text: str) -> TextEdit:
    """Like lostcancel's fix: a new line after the line holding ``needle``."""
    end = data.index(b"\n", data.index(needle))
    return TextEdit(end, end, "\n" + text)


def _func(body: str) -> bytes:
    return ("package p\n\nfunc f(v bool, ch chan int) {\n" + body + "}\n").encode()


# -- the rule, on hand-written cases ------------------------------------------------------------------
def _rename(old: bytes, new: str) -> Callable[[bytes], list[TextEdit]]:
    return lambda data: [_edit(data, old, new)]


def _line_above(needle: bytes, text: str) -> Callable[[bytes], list[TextEdit]]:
    """Like lostcancel's call before a return: a new line above the line holding ``needle``."""
    def edits(data: bytes) -> list[TextEdit]:
        start = data.rindex(b"\n", 0, data.index(needle)) + 1
        return [TextEdit(start, start, text + "\n")]
    return edits


def _delete_line(needle: bytes) -> Callable[[bytes], list[TextEdit]]:
    def edits(data: bytes) -> list[TextEdit]:
        start = data.rindex(b"\n", 0, data.index(needle)) + 1
        return [TextEdit(start, data.index(b"\n", start) + 1, "")]
    return edits


# name: (function body, the fix's edits, the body gofmt prints for the fixed file)
HAND_WRITTEN = {
    "a wider line re-pads its whole run": (
        "\tctx, _ := g() // one\n\tx := 1        // two\n\tlonger := 22  // three\n",
        _rename(b"_", "cancel"),
        "\tctx, cancel := g() // one\n\tx := 1             // two\n\tlonger := 22       // three\n"),
    "a narrower line re-pads too": (
        "\tvery_long_name := 1 // one\n\tx := 1              // two\n",
        _rename(b"very_long_name", "v"),
        "\tv := 1 // one\n\tx := 1 // two\n"),
    "an inserted line splits the run": (
        "\tctx, _ := g()    // one\n\tx := 1           // two\n\tvery_longer := 2 // three\n",
        lambda data: [_edit(data, b"_", "cancel"), _insert_after_line(data, b"ctx, _", "\tdefer cancel()")],
        "\tctx, cancel := g() // one\n\tdefer cancel()\n\tx := 1           // two\n\tvery_longer := 2 // three\n"),
    "a line inserted above splits the run": (
        "\tlong_name := 1 // one\n\treturn         // two\n",
        _line_above(b"return", "\tcancel()"),
        "\tlong_name := 1 // one\n\tcancel()\n\treturn // two\n"),
    "a deleted line joins two runs": (
        "\ta := 1 // one\n\tdefer g()\n\tlonger := 2 // two\n",
        _delete_line(b"defer"),
        "\ta := 1      // one\n\tlonger := 2 // two\n"),
    "widths count runes, a tab in a string is one": (
        '\ts := "日本語"  // one\n\tt := "a\tb"  // two\n\tuu := "ééé" // three\n',
        _rename(b"uu", "u"),
        '\ts := "日本語" // one\n\tt := "a\tb" // two\n\tu := "ééé" // three\n'),
    "indentation tabs are no part of the cell": (
        "\tif v {\n\t\tlong_name := 1 // one\n\t\tx := 2         // two\n\t}\n",
        _rename(b"long_name", "l"),
        "\tif v {\n\t\tl := 1 // one\n\t\tx := 2 // two\n\t}\n"),
    "the opening line of a block ends a run": (
        "\tlong_name := 1 // one\n\tif v {         // two\n\t\tx := 1 // three\n\t}\n",
        _rename(b"long_name", "l"),
        "\tl := 1 // one\n\tif v { // two\n\t\tx := 1 // three\n\t}\n"),
    "a statement after a block starts a new run": (
        "\tif v {\n\t\tg()\n\t} // one\n\tlong_name := 1 // two\n\tx := 1         // three\n",
        _rename(b"long_name", "l"),
        "\tif v {\n\t\tg()\n\t} // one\n\tl := 1 // two\n\tx := 1 // three\n"),
    "a function literal's lines": (
        "\tlong_name := 1 // one\n\tdefer func() { // two\n\t\tg()\n\t}() // three\n\tx := 1 // four\n",
        _rename(b"long_name", "l"),
        "\tl := 1         // one\n\tdefer func() { // two\n\t\tg()\n\t}() // three\n\tx := 1 // four\n"),
}


@pytest.mark.parametrize("name", HAND_WRITTEN)
def test_hand_written_case(name: str) -> None:
    body, edits, expected = HAND_WRITTEN[name]
    data = _func(body)
    assert _fixed(data, edits(data)).decode() == _func(expected).decode()


@pytest.mark.parametrize("name", HAND_WRITTEN)
def test_hand_written_cases_are_what_gofmt_prints(name: str) -> None:
    gofmt = _gofmt()
    if gofmt is None:
        pytest.skip("gofmt is not installed")
    body, _, expected = HAND_WRITTEN[name]
    for text in (_func(body), _func(expected)):
        assert _format(gofmt, text) == text


def test_a_gap_inside_the_fix_edit_is_merged_into_it() -> None:
    data = _func("\tx := 1    // one\n\tlong := 2 // two\n")
    swallowing = TextEdit(data.index(b"1    //"), data.index(b"// one"), "333")  # code and gap -> "333"
    src = SourceFile.parse("p.go", data)
    edits = align_edits(data, (swallowing,), src.root)
    assert len(edits) == 2 and swallowing not in edits  # merged, plus the other line's claim
    assert apply_edits(data, edits) == _func("\tx := 333  // one\n\tlong := 2 // two\n")


def test_a_fix_far_from_any_comment_is_returned_as_it_is() -> None:
    data = _func("\tctx, _ := g()\n\tx := 1\n") + b"\n// trailing note\n"
    edits = (_edit(data, b"_", "cancel"),)
    assert align_edits(data, edits, SourceFile.parse("p.go", data).root) is edits


def test_a_fix_that_needs_no_padding_is_returned_as_it_is() -> None:
    data = _func("\tctx, _ := g() // one\n\tx := 1\n")
    edits = (_edit(data, b"_", "c"),)  # same width
    assert align_edits(data, edits, SourceFile.parse("p.go", data).root) is edits


@pytest.mark.parametrize("body", [
    # key: value lines of a composite literal have a cell of their own for the values
    "\tt := T{\n\t\ta:    1, // one\n\t\tlong: 2, // two\n\t}\n\t_ = t\n",
    # var groups align names, types and values
    "\tvar (\n\t\ta    = 1 // one\n\t\tlong = 2 // two\n\t)\n\t_, _ = a, long\n",
    # a /* */ comment in the run
    "\ta := 1    /* x */ // one\n\tlong := 2 // two\n\t_, _ = a, long\n",
    # not what gofmt prints: the user's layout is left alone
    "\ta := 1      // one\n\tlong := 2 // two\n\t_, _ = a, long\n",
])
def test_runs_it_cannot_prove_are_left_alone(body: str) -> None:
    data = ("package p\n\ntype T struct{ a, long int }\n\nfunc f() {\n" + body + "}\n").encode()
    start = data.index(b"long", data.index(b"func f"))
    edits = (TextEdit(start, start + 4, "longer"),)  # a wider line in the run
    assert align_edits(data, edits, SourceFile.parse("p.go", data).root) is edits


def test_a_run_going_on_into_a_line_it_cannot_judge_is_left_alone() -> None:
    """gofmt aligns ``x := g(1,  // two`` (a statement spanning lines) with the line above;
    re-padding only the line above would misalign it."""
    data = _func("\tlong_name := 1 // one\n\tx := g(1,      // two\n\t\t2)\n")
    edits = (_edit(data, b"long_name", "l"),)
    assert align_edits(data, edits, SourceFile.parse("p.go", data).root) is edits


def test_a_fix_moving_a_line_it_cannot_judge_is_left_alone_all_of_it() -> None:
    """Found by the oracle at scale: deleting ``y := 1 /* note */ // a`` makes gofmt re-pad the
    ``var (  // b`` below it, which the model does not cover. The fix's other edit, whose run
    could be re-padded, gets no padding either: a fix is aligned all or nothing."""
    data = _func("\tx := 1    // one\n\tlong := 2 // two\n\n\ty := 1 /* note */ // a\n"
                 "\tvar (  // b\n\t\ta = 1\n\t)\n")
    start = data.index(b"\ty := 1")
    edits = (_edit(data, b"long", "longer"), TextEdit(start, data.index(b"\n", start) + 1, ""))
    src = SourceFile.parse("p.go", data)
    assert align_edits(data, edits, src.root) is edits
    assert align_edits(data, edits[:1], src.root) is not edits[:1]  # alone, the rename is padded


def test_two_fixes_in_one_run_conflict_so_fix_all_stays_aligned() -> None:
    """Each fix claims the gaps of the whole run it re-pads (even where the padding stays), so
    fix-all applies one of them and the file stays gofmt-shaped; the next run fixes the other."""
    data = _func("\ta := 1 // one\n\tb := 2 // two\n\tc := 3 // three\n")
    src = SourceFile.parse("p.go", data)
    first = Fix("a", align_edits(data, (_edit(data, b"a :=", "aaaa :="),), src.root), preferred=True)
    second = Fix("c", align_edits(data, (_edit(data, b"c :=", "cc :="),), src.root), preferred=True)
    assert len(first.edits) == 4 and len(second.edits) == 4  # the edit and three gaps each
    assert select_compatible_fixes([first, second]) == [first]
    findings = [Finding("r", 0, 1, "m", fixes=(first,)), Finding("r", 2, 3, "m", fixes=(second,))]
    assert apply_preferred_fixes(data, findings) == (
        _func("\taaaa := 1 // one\n\tb := 2    // two\n\tc := 3    // three\n"), 1)


def test_crlf_lines_are_padded_like_lf_ones() -> None:
    data = _func("\tctx, _ := g() // one\n\tx := 1        // two\n").replace(b"\n", b"\r\n")
    line_end = data.index(b"\r\n\tx :=")
    edits = [_edit(data, b"_", "cancel"), TextEdit(line_end, line_end, "\r\n\tdefer cancel()")]
    assert _fixed(data, edits) == _func("\tctx, cancel := g() // one\n\tdefer cancel()\n\tx := 1 // two\n").replace(
        b"\n", b"\r\n")


def test_findings_whose_fixes_need_nothing_stay_the_same_objects() -> None:
    """The server reuses a finding's diagnostic while it is the same object."""
    plain = _func("\tctx, _ := g()\n\tx := 1\n")
    commented = _func("\tctx, _ := g() // one\n\tx := 1        // two\n")
    for data, same in ((plain, True), (commented, False)):
        finding = Finding("r", 0, 1, "m", fixes=(Fix("f", (_edit(data, b"_", "cancel"),)),))
        result = align.aligned_findings([finding], data, SourceFile.parse("p.go", data).root)
        assert (result[0] is finding) is same
        assert (result[0].fixes[0].edits == finding.fixes[0].edits) is same


def test_only_whitespace_before_comments_is_added() -> None:
    data = _func("\tctx, _ := g() // one\n\tx := 1        // two\n")
    src = SourceFile.parse("p.go", data)
    rename = _edit(data, b"_", "cancel")
    edits = align_edits(data, (rename,), src.root)
    assert edits[0] == rename and len(edits) == 3  # the rename, and both lines' gaps
    for edit in edits[1:]:
        assert not edit.new_text.strip(" ") and not data[edit.start:edit.end].strip(b" ")
        assert data[edit.end:edit.end + 2] == b"//"


def test_deferred_fixes_are_aligned_too() -> None:
    """context-key-type computes its fixes on demand in the server (DeferredFixes); its fix
    widens the first line only."""
    data = (b'package p\n\nimport "context"\n\nfunc f(ctx context.Context) any {\n'
            b'\tctx = context.WithValue(ctx, "k", 1) // one\n'
            b'\t_ = ctx                              // two\n\treturn ctx.Value("k")\n}\n')
    analysis = analyze(SourceFile.parse("p.go", data), Settings(min_severity=Severity.HINT), rules=ALL_RULES, cache=DeclCache(),
                       go_version=(1, 22))
    findings = [f for f in analysis.findings if f.rule == "context-key-type"]
    assert findings and findings[0].deferred_fixes
    fixed, applied = apply_preferred_fixes(data, findings)
    assert applied == 1 and b'"k"' not in fixed
    lines = [line for line in fixed.split(b"\n") if b"// one" in line or b"// two" in line]
    assert len({line.index(b"//") for line in lines}) == 1, lines  # one column, as gofmt wants
    gofmt = _gofmt()
    if gofmt is not None:
        assert _format(gofmt, data) == data and _format(gofmt, fixed) == fixed


# -- the oracle: random gofmt-formatted code, random fix-like edits, gofmt's verdict ------------------
_NAMES = ["a", "bb", "ctx", "cancel", "x日", "é", "longerName", "v2", "ß"]
_EXPRESSIONS = ["1", '"é"', '"日本語"', '"a\tb"', '"x // y"', "f(1, 2)", "T{a: 1}", "[]int{1, 2}",
                "func() int { return 1 }()", "`raw`", "'r'", "g()", "h() + 1"]
_COMMENTS = ["// c", "// é日本", "// want `x`", "//x", "// a\tb", "// {", "//nolint"]


def _statement(rng: random.Random) -> str:
    name, value = rng.choice(_NAMES), rng.choice(_EXPRESSIONS)
    return rng.choice([
        f"{name} := {value}", f"{name} = {value}", f"_ = {value}", "defer g()", "go g()", f"{name}++",
        f"ch <- {value}", f"var {name} = {value}", f"var {name} int", f"{name}, _ := h2()", "g()",
    ])


def _complex_construct(rng: random.Random, tabs: str, comment: Callable[[], str]) -> list[str]:
    """Constructs with alignment cells of their own, or that gofmt breaks sections around."""
    return rng.choice([
        [f"{tabs}t := T{{{comment()}", f"{tabs}\ta: 1,{comment()}", f"{tabs}\tlonger: 2,{comment()}", f"{tabs}}}"],
        [f"{tabs}var ({comment()}", f"{tabs}\ta = 1{comment()}", f"{tabs}\tlonger int{comment()}", f"{tabs})"],
        [f"{tabs}x := f(1,{comment()}", f"{tabs}\t2){comment()}"],
        [f"{tabs}y := 1 /* note */{comment()}"],
        [f"{tabs}z := `two{comment()}", f"lines`{comment()}"],
        [f"{tabs}defer func() {{{comment()}", f"{tabs}\tg(){comment()}", f"{tabs}}}(){comment()}"],
        [f"{tabs}switch {{{comment()}", f"{tabs}case v:{comment()}", f"{tabs}\tg(){comment()}",
         f"{tabs}default:{comment()}", f"{tabs}}}"],
    ])


def _body(rng: random.Random, depth: int, complex_constructs: bool) -> list[str]:
    tabs = "\t" * depth

    def comment() -> str:
        return " " + rng.choice(_COMMENTS) if rng.random() < 0.75 else ""

    lines: list[str] = []
    for _ in range(rng.randint(1, 9)):
        roll = rng.random()
        if roll < 0.06:
            lines.append("")
        elif roll < 0.1:
            lines.append(tabs + rng.choice(_COMMENTS))
        elif roll < 0.2 and depth < 3:
            opener, closer = rng.choice([("if v {", "}"), ("for {", "}"), ("if x := h(); x > 0 {", "}"),
                                         ("select {", "}"), ("defer func() {", "}()"), ("go func() {", "}()"),
                                         ("stop := func() {", "}")])
            inner = _body(rng, depth + 1, complex_constructs) if opener != "select {" else []
            lines += [tabs + opener + comment(), *inner, tabs + closer + comment()]
        elif roll < 0.3 and complex_constructs:
            lines += _complex_construct(rng, tabs, comment)
        else:
            lines.append(tabs + _statement(rng) + comment())
    return lines


def _program(rng: random.Random, complex_constructs: bool) -> str:
    body = "\n".join(_body(rng, 1, complex_constructs))
    return ("package p\n\ntype T struct{ a, longer int }\n\n"
            f"func f(v bool, ch chan int) {{\n{body}\n}}\n")


def _statement_lines(src: SourceFile) -> list[tuple[int, int, str]]:
    """(start, end, type) of the statements directly in statement lists that start their line;
    for one spanning lines, ``end`` is the end of its first line and ``type`` is "first line"."""
    found = []
    for node in walk(src.root):
        parent = node.parent
        if parent is None or parent.type != "statement_list" or node.type == "comment":
            continue
        line = src.line_of(node.start_byte)
        start = src.lines.line_start(line)
        if src.data[start:node.start_byte].strip():
            continue
        if line == src.line_of(node.end_byte):
            found.append((node.start_byte, node.end_byte, node.type))
        else:
            found.append((node.start_byte, src.lines.line_end(line, src.data), "first line"))
    return found


def _random_edits(rng: random.Random, src: SourceFile) -> list[TextEdit]:
    """One to three fix-like edits on distinct statements (lostcancel, context-in-loop style)."""
    data = src.data
    statements = _statement_lines(src)
    rng.shuffle(statements)
    edits: list[TextEdit] = []
    for start, end, statement in statements[: rng.randint(1, 3)]:
        line = src.line_of(start)
        line_start = src.lines.line_start(line)
        line_end = src.lines.line_end(line, data)
        indent = data[line_start:start].decode()
        names = [n for n in walk(src.root) if n.type == "identifier" and start <= n.start_byte and n.end_byte <= end]
        kind = rng.choice(["rename", "rename", "insert_after", "insert_before", "delete", "define", "swallow",
                           "rename_and_defer"])
        if statement == "first line" and kind not in ("rename", "insert_before"):
            continue  # (of a statement spanning lines, only its header is renamed or preceded)
        if kind in ("rename", "rename_and_defer") and names:
            name = rng.choice(names)
            edits.append(TextEdit(name.start_byte, name.end_byte, rng.choice(_NAMES + ["cancel2", "w"])))
            if kind == "rename_and_defer":
                edits.append(TextEdit(line_end, line_end, f"\n{indent}defer cancel()"))
        elif kind == "insert_after":
            edits.append(TextEdit(line_end, line_end, f"\n{indent}defer cancel()"))
        elif kind == "insert_before":
            edits.append(TextEdit(line_start, line_start, f"{indent}cancel()\n"))
        elif kind == "delete" and 0 < line < src.lines.line_count - 1 and all(
                data[src.lines.line_start(n):src.lines.line_end(n, data)].strip() for n in (line - 1, line + 1)):
            # (not next to a blank line: gofmt would squeeze the two blank lines left behind)
            edits.append(TextEdit(line_start, src.lines.line_start(line + 1), ""))
        elif kind == "define" and statement == "assignment_statement" and b" = " in data[start:end]:
            operator = data.index(b" = ", start) + 1
            edits.append(TextEdit(operator, operator + 1, ":="))
        elif kind == "swallow" and data[end - 1:end].isalnum() and data[end:line_end].lstrip().startswith(b"//"):
            gap_end = end + len(data[end:line_end]) - len(data[end:line_end].lstrip())
            edits.append(TextEdit(end - 1, gap_end, rng.choice(["7", "77777777"])))  # last code byte + gap
    edits.sort(key=lambda e: (e.start, e.end))
    if any(a.end > b.start or a.start == a.end == b.start for a, b in zip(edits, edits[1:])):
        return []  # two edits on one line that would collide: try another case
    return edits


_GAP = re.compile(rb"[ \t]*(?=//)")


def _oracle(tmp_path: Path, seed: int, count: int, complex_constructs: bool) -> tuple[int, int, list[str]]:
    """Generate ``count`` cases; returns (cases, cases re-padded, problems)."""
    gofmt = _gofmt()
    if gofmt is None:
        pytest.skip("gofmt is not installed")
    rng = random.Random(seed)
    cases: dict[str, tuple[bytes, bytes, bool, list[TextEdit]]] = {}
    problems = []
    padded = 0
    attempts = 0
    while len(cases) < count and attempts < count * 20:
        attempts += 1
        original = _format(gofmt, _program(rng, complex_constructs).encode())
        if original is None:
            continue
        src = SourceFile.parse("p.go", original)
        edits = _random_edits(rng, src)
        if not edits:
            continue
        aligned = align_edits(original, tuple(edits), src.root)
        name = f"case{len(cases)}.go"
        try:
            fixed = apply_edits(original, aligned)
        except ValueError as error:
            problems.append(f"{name}: overlapping edits {error}: {aligned}")
            continue
        plain = apply_edits(original, edits)
        if _GAP.sub(b"", fixed) != _GAP.sub(b"", plain):
            problems.append(f"{name}: the padding changed more than the gaps before comments: {edits} -> "
                            f"{aligned}\n--- original\n{original.decode()}--- fixed\n{fixed.decode()}")
        changed = aligned is not tuple(edits) and list(aligned) != edits
        padded += changed
        cases[name] = (original, fixed, changed, edits)
        (tmp_path / name).write_bytes(fixed)
    for name in sorted(_unclean(gofmt, tmp_path)):
        original, fixed, changed, edits = cases[name]
        if changed or not complex_constructs:
            formatted = _format(gofmt, fixed) or b"(gofmt failed)"
            problems.append(f"{name} (padded={changed}): {edits}\n--- original\n{original.decode()}"
                            f"--- fixed\n{fixed.decode()}--- gofmt\n{formatted.decode()}")
    return len(cases), padded, problems


@pytest.mark.parametrize("seed", range(3))
def test_oracle_simple_statements_always_match_gofmt(tmp_path: Path, seed: int) -> None:
    """One-line statements (with multi-byte text, tabs in strings, nested blocks, blank lines,
    comments alone on a line): every fixed file must be exactly what gofmt prints."""
    cases, padded, problems = _oracle(tmp_path, seed, 120 * FUZZ_SCALE, complex_constructs=False)
    assert not problems, "\n\n".join(problems[:5])
    assert cases >= 100 * FUZZ_SCALE and padded >= cases // 4, (cases, padded)


@pytest.mark.parametrize("seed", range(3))
def test_oracle_padding_is_right_whenever_it_is_added(tmp_path: Path, seed: int) -> None:
    """With constructs the model does not cover (composite literals, var groups, multi-line calls,
    raw strings, /* */ comments, case clauses), the aligner may leave a fix alone, but whatever
    padding it adds must give gofmt's layout."""
    cases, padded, problems = _oracle(tmp_path, 100 + seed, 120 * FUZZ_SCALE, complex_constructs=True)
    assert not problems, "\n\n".join(problems[:5])
    assert cases >= 100 * FUZZ_SCALE and padded >= cases // 5, (cases, padded)


def test_the_aligner_is_what_the_oracle_exercises(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without the aligner the simple oracle fails: it can tell a working aligner from none."""
    if _gofmt() is None:
        pytest.skip("gofmt is not installed")
    monkeypatch.setattr(align, "_realign", lambda *args: None)
    _, padded, problems = _oracle(tmp_path, 0, 60, complex_constructs=False)
    assert padded == 0 and problems
