"""Compare lostcancel with ``go vet -lostcancel`` on the Debian Go corpus.

Build the corpus first with ``scripts/debian_sa1029_corpus.sh`` (apt packages under
/usr/share/gocode/src, and Debian's Go toolchain). Then, from the repository root::

    PYTHONPATH=$PWD .venv/bin/python scripts/debian_vet_lostcancel_compare.py
        [--gopath /usr/share/gocode] [--record FILE.json]

What it does (lostcancel's doc, in its fresh review, quotes the result):

1. Finds every package directory under ``$GOPATH/src`` (as ``scripts/debian_corpus.py``
   does: symlinked trees are not followed, each file is counted once by its real path) with
   a ``.go`` file, ``_test.go`` included, that calls a cancelable context constructor
   (``WithCancel``, ``WithTimeout``, ``WithDeadline``, their ``Cause`` variants,
   ``NotifyContext``).
2. Runs ``go vet -lostcancel -json`` on each import path in GOPATH mode, one package per run,
   tests included. A package that does not type-check with its tests is vetted again
   without them (an overlay deletes its ``_test.go`` files); a package that still fails is
   listed, never silently dropped.
3. Asks ``go list`` which files the current build compiles (GoFiles, CgoFiles and, where
   vet checked the tests, TestGoFiles and XTestGoFiles) and which ones build constraints
   leave out (IgnoredGoFiles).
4. Runs ``ctx-lsp check --select lostcancel --min-severity hint --include-generated`` (vet
   does not skip generated files) on every ``.go`` file of the same directories: ctx-lsp
   reads them all, whatever their build constraints.
5. Compares by (real path, line): the lines vet reports, those ctx-lsp reproduces, its
   misses, and its extras sorted by why vet is silent there: a finding vet does not make by
   design (an overwritten cancel, a dropped result), a file the build excludes, a test file
   or package vet could not type-check. An extra in a file vet compiled that is none of
   these is a parity bug.

It needs the apt packages and a Go toolchain, so it is a script, not a test.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
from typing import Any

import attrs

import debian_corpus
from debian_corpus import Line, count_go_files, go_files, gopath_environment, package_directories

CONSTRUCTOR_CALL = re.compile(rb"\b(?:(?:WithCancel|WithTimeout|WithDeadline)(?:Cause)?|NotifyContext)\(")
_POSITION = re.compile(r"^(?P<path>.*):(?P<line>\d+):(?P<column>\d+)$")


def vet(gopath: str, import_path: str) -> tuple[dict[Line, str], bool, str | None]:
    """lostcancel's lines in one package, whether its tests were vetted, and why it could not be
    vetted as a whole (or None). A package whose tests do not type-check (a test-only
    dependency Debian does not ship) is vetted again without them; the failure is reported."""
    found, failure = _vet(gopath, import_path, without=[])
    if failure is None:
        return found, True, None
    directory = os.path.join(gopath, "src", import_path)
    tests = [os.path.join(directory, name) for name in go_files(os.listdir(directory)) if name.endswith("_test.go")]
    found, failure_without_tests = _vet(gopath, import_path, without=tests)
    if failure_without_tests is None:
        return found, False, f"vetted without its _test.go files ({failure})"
    return found, False, f"not vetted: {failure}; without its _test.go files: {failure_without_tests}"


def _vet(gopath: str, import_path: str, *, without: list[str]) -> tuple[dict[Line, str], str | None]:
    with tempfile.TemporaryDirectory(prefix="vet-lostcancel-") as scratch:
        command = ["go", "vet", "-lostcancel", "-json"]
        if without:
            # An overlay entry with an empty replacement deletes the file from the build.
            overlay = os.path.join(scratch, "overlay.json")
            with open(overlay, "w", encoding="utf-8") as handle:
                json.dump({"Replace": {path: "" for path in without}}, handle)
            command.append("-overlay=" + overlay)
        done = subprocess.run([*command, import_path], capture_output=True, text=True,
                              env=gopath_environment(gopath), check=False)
    found, errors = _parse_vet_json(done.stderr + done.stdout)
    # Only the exit status says whether vet failed: with -json it exits 0 whatever it found,
    # and cgo packages print C compiler warnings on stderr.
    if done.returncode != 0:
        return found, (errors or [f"exit status {done.returncode}"])[0]
    return found, None


def _parse_vet_json(output: str) -> tuple[dict[Line, str], list[str]]:
    """vet -json prints a ``# package`` line, then a JSON object per package; anything else is
    an error (type errors, missing imports)."""
    found: dict[Line, str] = {}
    errors: list[str] = []
    decoder = json.JSONDecoder()
    text = output.lstrip()
    while text:
        if text.startswith("{"):
            report, end = decoder.raw_decode(text)
            for analyzers in report.values():
                for diagnostic in analyzers.get("lostcancel", []):
                    position = _POSITION.match(diagnostic["posn"])
                    if position is None:
                        errors.append(f"unreadable position {diagnostic['posn']}")
                        continue
                    found[(os.path.realpath(position["path"]), int(position["line"]))] = diagnostic["message"]
            text = text[end:].lstrip()
            continue
        line, _, text = text.partition("\n")
        text = text.lstrip()
        if not line.startswith("#"):
            errors.append(line.strip())
    return found, errors


@attrs.frozen
class Build:
    """What the go command makes of the corpus's packages (real paths)."""

    compiled: set[str]  # files vet compiled (tests only where vet checked them)
    tests_not_compiled: set[str]  # _test.go files of packages whose tests vet could not check
    excluded: set[str]  # files build constraints leave out (IgnoredGoFiles)


def build_files(gopath: str, import_paths: list[str], with_tests: dict[str, bool], unvetted: set[str]) -> Build:
    done = subprocess.run(["go", "list", "-e", "-json", *import_paths], capture_output=True, text=True,
                          env=gopath_environment(gopath), check=False)
    decoder = json.JSONDecoder()
    text = done.stdout.lstrip()
    build = Build(set(), set(), set())
    while text:
        package, end = decoder.raw_decode(text)
        text = text[end:].lstrip()

        def paths(*kinds: str, package: dict[str, Any] = package) -> set[str]:
            return {os.path.realpath(os.path.join(package["Dir"], name))
                    for kind in kinds for name in package.get(kind) or []}

        build.excluded.update(paths("IgnoredGoFiles"))
        if package["ImportPath"] in unvetted:
            continue
        build.compiled.update(paths("GoFiles", "CgoFiles"))
        tests = paths("TestGoFiles", "XTestGoFiles")
        (build.compiled if with_tests.get(package["ImportPath"], False) else build.tests_not_compiled).update(tests)
    return build


def ctx_lsp_lines(directories: list[str], jobs: int) -> dict[Line, str]:
    return debian_corpus.ctx_lsp_lines("lostcancel", directories, jobs)


# ctx-lsp's findings vet does not make by design (the rule's doc, "Beyond vet"): a cancel
# overwritten before use, a result dropped entirely; Go 1.19's vet knows neither the Cause
# variants nor signal.NotifyContext.
BEYOND_VET = re.compile(r"is overwritten on line|can never be called|Cause|NotifyContext")


def classify_extras(extra: list[Line], ours: dict[Line, str], build: Build) -> dict[str, list[Line]]:
    """Sort ctx-lsp's extra lines by why vet did not report them; "PARITY BUG" is what is left."""
    kinds: dict[str, list[Line]] = {
        "beyond vet by design": [], "PARITY BUG (vet compiled the file)": [],
        "file excluded by build constraints": [], "test file vet could not type-check": [],
        "package vet could not check": []}
    for key in extra:
        path = key[0]
        if path in build.compiled:
            kind = "beyond vet by design" if BEYOND_VET.search(ours[key]) else "PARITY BUG (vet compiled the file)"
        elif path in build.excluded:
            kind = "file excluded by build constraints"
        elif path in build.tests_not_compiled:
            kind = "test file vet could not type-check"
        else:
            kind = "package vet could not check"
        kinds[kind].append(key)
    return kinds


def main() -> int:
    options = debian_corpus.comparison_options(__doc__ or "")
    src = os.path.join(options.gopath, "src")
    directories = sorted(package_directories(src, CONSTRUCTOR_CALL))
    import_paths = [os.path.relpath(directory, src) for directory in directories]
    print(f"corpus: {count_go_files(src)} .go files under {src}; {len(directories)} package directories "
          "call a cancelable context constructor", flush=True)
    theirs: dict[Line, str] = {}
    with_tests: dict[str, bool] = {}
    failed: dict[str, str] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs) as pool:
        for import_path, (found, tests, failure) in zip(import_paths, pool.map(
                lambda path: vet(options.gopath, path), import_paths)):
            theirs.update(found)
            with_tests[import_path] = tests
            if failure is not None:
                failed[import_path] = failure
    unvetted = {import_path for import_path, reason in failed.items() if reason.startswith("not vetted")}
    build = build_files(options.gopath, import_paths, with_tests, unvetted)
    ours = ctx_lsp_lines(directories, options.jobs)
    reproduced = sorted(theirs.keys() & ours.keys())
    missed = sorted(theirs.keys() - ours.keys())
    extras = classify_extras(sorted(ours.keys() - theirs.keys()), ours, build)
    for import_path, reason in sorted(failed.items()):
        print(f"go vet: {import_path}: {reason}")
    print(f"go vet -lostcancel: {len(theirs)} lines; ctx-lsp: {len(ours)} lines; reproduces {len(reproduced)}; "
          f"misses {len(missed)}; extras {sum(len(keys) for keys in extras.values())} ("
          + ", ".join(f"{len(keys)} {kind}" for kind, keys in extras.items()) + ")")
    listing = [("reproduced", reproduced, theirs), ("MISSED", missed, theirs)]
    listing += [(f"extra, {kind}", keys, ours) for kind, keys in extras.items()]
    for title, keys, source in listing:
        for path, line in keys:
            print(f"{title}: {os.path.relpath(path, src)}:{line}: {source[(path, line)]}")
    if options.record:
        def relative(keys: list[Line]) -> list[list[object]]:
            return [[os.path.relpath(p, src), n] for p, n in keys]
        with open(options.record, "w", encoding="utf-8") as handle:
            json.dump({"go_files": count_go_files(src),
                       "directories": import_paths,
                       "vet_failed": failed,
                       "vet": relative(sorted(theirs)),
                       "ctx_lsp": relative(sorted(ours)),
                       "missed": relative(missed),
                       "extras": {kind: relative(keys) for kind, keys in extras.items()}}, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
