"""Fixes never lose code.

Every fix offered on every testdata file, and on fuzzed versions of them, is applied alone and
checked: only the edited ranges change, the result has no new syntax errors, the finding it
fixes is gone, and gofmt finds nothing new to reformat. The preferred fixes together (what
``--fix`` and ``source.fixAll`` apply) get the same checks. ``--fix`` itself is attacked with
failures at every step of its write, a kill at a random moment, and concurrent modification.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctx_lsp import batch
from ctx_lsp.engine.fixes import apply_edits, apply_preferred_fixes, select_compatible_fixes
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.cli import main
from tests.robustness._support import (
    Seed,
    analyse,
    analyse_seed,
    corpus,
    describe,
    fix_problems,
    fuzz_settings,
    invariant_problems,
    is_known,
    mutate,
    still_reported,
    syntax_error_count,
    untouched_bytes_kept,
)
from tests.robustness.test_analyzer_fuzz import OPERATIONS

SEEDS_WITH_FIXES = [seed for seed in corpus() if any(f.fixes for f in analyse_seed(seed).findings)]


def test_the_corpus_offers_fixes_of_several_rules() -> None:
    rules = {f.rule for seed in SEEDS_WITH_FIXES for f in analyse_seed(seed).findings if f.fixes}
    assert {"lostcancel", "cancel-deferred-in-loop", "context-in-loop", "context-key-type",
            "finalizer-prefer-cleanup"} <= rules


@pytest.mark.parametrize("seed", SEEDS_WITH_FIXES, ids=lambda s: s.name)
def test_every_offered_fix_is_safe(seed: Seed) -> None:
    analysis = analyse_seed(seed)
    problems = []
    for finding in analysis.findings:
        for fix in finding.fixes:
            problems += fix_problems(seed.data, seed.analysed_path, seed.go_version, finding, fix,
                                     lambda data: analyse_seed(seed, data))[0]
    assert not problems, "\n".join(problems)


def _fix_all(seed: Seed, data: bytes) -> tuple[bytes, list[str]]:
    """Apply the preferred fixes together, as --fix and source.fixAll do; check the result."""
    analysis = analyse_seed(seed, data)
    with_fix = [f for f in analysis.findings if f.preferred_fix is not None]
    kept = select_compatible_fixes(f.preferred_fix for f in with_fix if f.preferred_fix is not None)
    edits = [edit for fix in kept for edit in fix.edits]
    fixed, applied = apply_preferred_fixes(data, analysis.findings)
    problems = []
    if applied != len(kept):
        problems.append(f"{applied} fixes applied, {len(kept)} compatible")
    if not untouched_bytes_kept(data, fixed, edits):
        problems.append("bytes outside the edited ranges changed")
    if syntax_error_count(SourceFile.parse(seed.analysed_path, fixed)) > \
            syntax_error_count(SourceFile.parse(seed.analysed_path, data)):
        alone = [problem for f in with_fix if any(f.preferred_fix is fix for fix in kept) and f.preferred_fix
                 for problem in fix_problems(data, seed.analysed_path, seed.go_version, f, f.preferred_fix,
                                             include_known=True)[0]]
        if not (alone and all(is_known(problem) for problem in alone)):  # not only a known, reported problem
            problems.append("new syntax errors")
    after = analyse_seed(seed, fixed)
    problems += invariant_problems(fixed, after)
    problems += [f"{f.rule} at {f.start} is still reported after fixing all" for f in with_fix
                 if any(f.preferred_fix is fix for fix in kept) and still_reported(f, edits, after.findings)
                 and not is_known(f"{f.rule} at {f.start}, fix {f.preferred_fix.title!r}: the finding is still reported")]
    return fixed, problems


@pytest.mark.parametrize("seed", SEEDS_WITH_FIXES, ids=lambda s: s.name)
def test_fix_all_is_safe(seed: Seed) -> None:
    _, problems = _fix_all(seed, seed.data)
    assert not problems, "\n".join(problems)


@fuzz_settings(examples=60)
@given(seed=st.sampled_from(SEEDS_WITH_FIXES), operations=st.lists(OPERATIONS, min_size=1, max_size=3))
def test_fixes_on_mutated_files_are_safe(seed: Seed, operations: list[tuple[object, ...]]) -> None:
    data = mutate(seed.data, operations)
    analysis = analyse_seed(seed, data)
    problems = []
    for finding in analysis.findings:
        for fix in finding.fixes:
            problems += fix_problems(data, seed.analysed_path, seed.go_version, finding, fix,
                                     lambda fixed: analyse_seed(seed, fixed))[0]
    problems += _fix_all(seed, data)[1]
    assert not problems, f"{seed.name} after {[describe(o) for o in operations]}:\n" + "\n".join(problems)


def test_no_fixes_where_line_breaks_disagree_or_the_declaration_is_broken() -> None:
    """Regression (found by fuzzing): with a lone CR (a line break for editors, not for Go)
    lostcancel's 'defer cancel()' landed inside a // comment or beside another statement; in a
    declaration with syntax errors its insertion point followed the parser's guesses. Such
    fixes are no longer offered; the finding stays."""
    leak = (b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n'
            b"\tctx, cancel := context.WithCancel(p) // note\n\tif ctx == nil {\n\t\treturn\n\t}\n\tcancel()\n}\n")
    seed = corpus()[0]
    intact = analyse_seed(seed, leak)
    assert any(f.fixes for f in intact.findings)
    for damaged in (leak.replace(b"// note\n", b"// note\r"), leak.replace(b"\treturn\n", b"\treturn (\n")):
        analysis = analyse_seed(seed, damaged)
        assert [f.rule for f in analysis.findings if f.rule == "lostcancel"]
        assert not any(f.fixes for f in analysis.findings)
    elsewhere = leak + b"\nfunc g() {\n\tx := \n"  # the damage is in another declaration
    assert any(f.fixes for f in analyse_seed(seed, elsewhere).findings)


def test_call_before_returns_stays_in_the_variables_scope() -> None:
    """Found by fuzzing: the cancel variable lives in a loop body, the leaking 'return' is the
    function's closing brace; the fix put ``cancel()`` there, where ``cancel`` is undefined
    (go vet: "undefined: cancel") and the finding stays."""
    source = (b'package p\n\nimport (\n\t"context"\n\t"time"\n)\n\n'
              b"func f(parent context.Context, names []string, call func(context.Context, string) error) {\n"
              b"\tfor _, name := range names {\n\t\tctx, cancel := context.WithTimeout(parent, time.Second)\n"
              b'\t\tif name == "" {\n\t\t\tcancel()\n\t\t\tcontinue\n\t\t}\n\t\t_ = call(ctx, name)\n\t}\n}\n')
    seed = corpus()[0]
    analysis = analyse_seed(seed, source)
    problems = [problem for finding in analysis.findings for fix in finding.fixes
                for problem in fix_problems(source, "", None, finding, fix)[0]]
    unfiltered = [f for f in analysis.findings if f.fixes and still_reported(
        f, f.fixes[0].edits, analyse_seed(seed, fix_problems(source, "", None, f, f.fixes[0])[1]).findings)]
    assert not problems and not unfiltered


def test_call_before_returns_skips_returns_reached_only_round_the_loop() -> None:
    """Found by fuzzing (``defer cancel()`` mistyped as ``defercancel()``): the leaking
    ``return nil`` stands in the loop body above the ``ctx, cancel :=`` and is reached only
    through the loop's back edge. ``cancel()`` inserted there names a variable not yet in scope,
    and the leak into the next iteration stays: no call-before-returns fix is offered."""
    source = (b'package p\n\nimport (\n\t"context"\n\t"time"\n)\n\n'
              b"func poll(parent context.Context, stopped func() bool, call func(context.Context) error) error {\n"
              b"\tfor {\n\t\tif stopped() {\n\t\t\treturn nil\n\t\t}\n"
              b"\t\tctx, cancel := context.WithTimeout(parent, time.Second)\n\t\tdefercancel()\n"
              b"\t\tif err := call(ctx); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n}\n"
              b"\nfunc defercancel() {}\n")
    analysis = analyse_seed(corpus()[0], source)
    leaks = [f for f in analysis.findings if f.rule == "lostcancel"]
    assert leaks, "the leak itself is still reported"
    assert not [fix.title for f in leaks for fix in f.fixes]


def test_defer_after_the_definition_stays_in_its_block() -> None:
    """Found by fuzzing (a spliced ``}``), shown here on valid Go that gofmt has not touched:
    the defer went below the one-line ``if`` block, where ``cancel`` is undefined."""
    source = (b'package p\n\nimport "context"\n\nfunc f(p context.Context, ok bool) context.Context {\n'
              b"\tif ok { ctx, cancel := context.WithCancel(p); if ctx == nil { cancel() }; return ctx }\n"
              b"\treturn p\n}\n")
    seed = corpus()[0]
    analysis = analyse_seed(seed, source)
    leaks = [f for f in analysis.findings if f.rule == "lostcancel"]
    assert leaks, "the leak itself must still be reported"
    # No line can be inserted after a statement that shares its line with the block's
    # closing brace, so no insertion fix may be offered here.
    assert not any(f.fixes for f in leaks)


def test_cleanup_fix_does_not_copy_a_broken_field_type() -> None:
    """Found by fuzzing: the struct declaration being typed (``*os..File``) is broken, the
    function with SetFinalizer is not; the fix copied the broken type into the function."""
    source = (b'package p\n\nimport (\n\t"log"\n\t"os"\n\t"runtime"\n)\n\n'
              b"type tempFile struct {\n\tfile *os..File\n}\n\n"
              b"func watch(f *os.File) *tempFile {\n\tt := &tempFile{file: f}\n"
              b"\truntime.SetFinalizer(t, func(gone *tempFile) {\n\t\tif gone.file != nil {\n"
              b'\t\t\tlog.Printf("leaked %s", gone.file.Name())\n\t\t}\n\t})\n\treturn t\n}\n')
    analysis = analyse(source, "", (1, 24))
    hints = [f for f in analysis.findings if f.rule == "finalizer-prefer-cleanup"]
    assert hints, "the hint itself is still given"
    # The field's written type is half-typed, so the rewrite (which copies it) is not offered.
    assert not any(f.fixes for f in hints)
    for finding in analysis.findings:
        for fix in finding.fixes:
            fixed = apply_edits(source, fix.edits)
            assert syntax_error_count(SourceFile.parse("", fixed)) <= syntax_error_count(SourceFile.parse("", source))


# -- gofmt: fixes keep gofmt's layout -------------------------------------------------------------
def _gofmt() -> str | None:
    found = shutil.which("gofmt")
    if found is None and os.environ.get("CI"):
        pytest.fail("gofmt is required in CI (apt-get install golang-go)")
    return found


def _gofmt_unclean(gofmt: str, files: list[Path]) -> set[str]:
    result = subprocess.run([gofmt, "-l", *map(str, files)], capture_output=True, text=True, timeout=300)
    return set(result.stdout.split())


def _fixed_variants(seed: Seed) -> list[tuple[str, bytes]]:
    analysis = analyse_seed(seed)
    variants = [(fix.title, fix_problems(seed.data, seed.analysed_path, seed.go_version, finding, fix)[1])
                for finding in analysis.findings for fix in finding.fixes]
    variants.append(("all preferred fixes", apply_preferred_fixes(seed.data, analysis.findings)[0]))
    return variants


def test_fixes_leave_nothing_new_for_gofmt(tmp_path: Path) -> None:
    """Each fix alone and all preferred fixes together, on every testdata file gofmt accepts:
    the fixed files must be gofmt-clean too, trailing comment columns included (fixes re-pad
    the runs of aligned comments they change, see ctx_lsp/engine/align.py)."""
    gofmt = _gofmt()
    if gofmt is None:
        pytest.skip("gofmt is not installed")
    originals = []
    for index, seed in enumerate(SEEDS_WITH_FIXES):
        path = tmp_path / f"original{index}.go"
        path.write_bytes(seed.data)
        originals.append(path)
    unclean = _gofmt_unclean(gofmt, originals)
    fixed_files: dict[Path, str] = {}
    for index, seed in enumerate(SEEDS_WITH_FIXES):
        if str(originals[index]) in unclean:
            continue
        for number, (title, data) in enumerate(_fixed_variants(seed)):
            path = tmp_path / f"fixed{index}_{number}.go"
            path.write_bytes(data)
            fixed_files[path] = f"{seed.name}: {title}"
    assert len(fixed_files) > len(SEEDS_WITH_FIXES)
    problems = [fixed_files[Path(name)] for name in sorted(_gofmt_unclean(gofmt, list(fixed_files)))]
    assert not problems, "gofmt would reformat these fixed files:\n" + "\n".join(problems)


def test_fixes_keep_trailing_comments_aligned(tmp_path: Path) -> None:
    """A fix that widens a line or inserts one inside a run of aligned trailing comments
    re-pads the run exactly as gofmt would (see ctx_lsp/engine/align.py)."""
    gofmt = _gofmt()
    if gofmt is None:
        pytest.skip("gofmt is not installed")
    source = (b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n'
              b"\tctx, _ := context.WithCancel(p) // the cancel is dropped\n"
              b"\t_ = ctx                         // and ctx is used\n"
              b"\t_ = p                           // and p\n}\n")
    path = tmp_path / "aligned.go"
    path.write_bytes(source)
    assert not _gofmt_unclean(gofmt, [path])
    fixed, applied = apply_preferred_fixes(source, analyse_seed(corpus()[0], source).findings)
    assert applied == 1
    assert b"ctx, cancel := context.WithCancel(p) // the" in fixed  # split from the run below
    path.write_bytes(fixed)
    assert not _gofmt_unclean(gofmt, [path])


# -- --fix: atomic writes ------------------------------------------------------------------------
LEAK = b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\t_ = ctx\n}\n'
FIXED = LEAK.replace(b"ctx, _ :=", b"ctx, cancel :=").replace(b"(p)\n", b"(p)\n\tdefer cancel()\n")


class _Injected(OSError):
    pass


def _failing_at(step: str, monkeypatch: pytest.MonkeyPatch, interrupt: bool) -> None:
    """Make one step of write_atomically fail (OSError, or Ctrl-C when ``interrupt``)."""
    def fail(*_args: object, **_kwargs: object) -> None:
        if interrupt:
            raise KeyboardInterrupt
        raise _Injected(errno.ENOSPC, "No space left on device")

    if step == "mkstemp":
        monkeypatch.setattr(batch.tempfile, "mkstemp", fail)
    elif step in ("fsync", "chmod"):
        monkeypatch.setattr(batch.os, step, fail)
    elif step == "exchange":  # Linux: renameat2(RENAME_EXCHANGE)
        monkeypatch.setattr(batch, "_exchange", fail)
    elif step == "replace":  # the fallback where the system cannot exchange
        monkeypatch.setattr(batch, "_exchange", lambda first, second: False)
        monkeypatch.setattr(batch.os, step, fail)
    elif step == "write":  # half the bytes reach the disk, then the disk is full
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, descriptor: int, mode: str) -> None:
                self.handle = real_fdopen(descriptor, mode)

            def __enter__(self) -> "HalfWriter":
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def write(self, data: bytes) -> int:
                self.handle.write(data[: len(data) // 2])
                self.handle.flush()
                fail()
                return 0

            def __getattr__(self, name: str) -> object:
                return getattr(self.handle, name)

        monkeypatch.setattr(batch.os, "fdopen", HalfWriter)


@pytest.mark.parametrize("interrupt", [False, True], ids=["oserror", "ctrl-c"])
@pytest.mark.parametrize("step", ["mkstemp", "write", "fsync", "chmod", "exchange", "replace"])
def test_fix_failure_at_any_step_leaves_the_file_whole(step: str, interrupt: bool, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "leak.go"
    target.write_bytes(LEAK)
    os.chmod(target, 0o640)
    _failing_at(step, monkeypatch, interrupt)
    if interrupt:
        with pytest.raises(KeyboardInterrupt):
            batch.write_atomically(str(target), LEAK, FIXED)
    else:
        problem = batch.write_atomically(str(target), LEAK, FIXED)
        assert problem is not None and "No space left on device" in problem
    monkeypatch.undo()
    assert target.read_bytes() == LEAK
    assert os.stat(target).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leak.go"], "a temporary file was left behind"


def test_fix_keeps_mode_and_refuses_concurrent_edits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Someone saves the file while ctx-lsp is analyzing it: their version wins, the run says so."""
    target = tmp_path / "leak.go"
    target.write_bytes(LEAK)
    theirs = LEAK + b"\n// saved by the editor meanwhile\n"
    real_analyze = batch.analyze

    def analyze_while_someone_saves(*args: object, **kwargs: object) -> object:
        target.write_bytes(theirs)
        return real_analyze(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "analyze", analyze_while_someone_saves)
    code = main(["check", "--fix", "--no-progress", "-j", "1", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and "modified since it was read" in err
    assert target.read_bytes() == theirs
    monkeypatch.undo()
    os.chmod(target, 0o600)
    target.write_bytes(LEAK)
    assert main(["check", "--fix", "--no-progress", "-j", "1", str(tmp_path)]) == 0
    assert target.read_bytes() == FIXED and os.stat(target).st_mode & 0o777 == 0o600


def test_fix_killed_at_a_random_moment_leaves_every_file_whole(tmp_path: Path) -> None:
    """SIGKILL a --fix run over many files once it has started writing, at staggered moments:
    each file is either exactly the original or exactly the fixed text, never a mixture or a
    truncation, and at most the one temporary file being written is left over."""
    count = 600
    ctx_lsp = [sys.executable, "-m", "ctx_lsp", "check", "--fix", "--no-progress", "-j", "1"]
    interrupted_runs = 0
    for attempt, delay in enumerate((0.0, 0.05, 0.2, 0.5)):
        tree = tmp_path / f"run{attempt}"
        tree.mkdir()
        for index in range(count):
            (tree / f"f{index:03}.go").write_bytes(LEAK)
        process = subprocess.Popen([*ctx_lsp, str(tree)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        first = tree / "f000.go"  # -j 1 fixes files in name order
        deadline = time.monotonic() + 60
        while first.read_bytes() == LEAK and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        states = [(tree / f"f{index:03}.go").read_bytes() for index in range(count)]
        assert all(state in (LEAK, FIXED) for state in states), "a file was left partially written"
        leftovers = [p.name for p in tree.iterdir() if not p.name.endswith(".go")]
        assert len(leftovers) <= 1, leftovers
        interrupted_runs += LEAK in states and FIXED in states
    assert interrupted_runs, "no run was killed while it was writing: the test proved nothing"
