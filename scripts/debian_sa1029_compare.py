"""Compare context-key-type with staticcheck SA1029 on the Debian Go corpus.

Build the corpus first with ``scripts/debian_sa1029_corpus.sh`` (apt packages under
/usr/share/gocode/src). Then, from the repository root::

    PYTHONPATH=$PWD .venv/bin/python scripts/debian_sa1029_compare.py [--gopath /usr/share/gocode]
        [--record FILE.json]

What it does (the rule's doc, "Against staticcheck SA1029", quotes the result):

1. Finds every package directory under ``$GOPATH/src`` (symlinked trees are not followed:
   each file is counted once, by its real path; ``vendor``, ``testdata`` and ``.``/``_``
   directories are left out, as ``go list ./...`` does) with a ``.go`` file that contains
   ``WithValue(``.
2. Runs Debian's ``go-staticcheck -checks SA1029 -f json`` on those import paths in GOPATH
   mode (``GOPATH=... GO111MODULE=off``), one package per run, so that a package that does
   not type-check is listed rather than silently dropped.
3. Runs ``ctx-lsp check --select context-key-type --min-severity hint --include-generated``
   (staticcheck does not skip generated files for SA1029) on the ``.go`` files of the same
   directories.
4. Compares both by (real path, line) and prints the lines staticcheck reports, the ones
   ctx-lsp reproduces, its misses and its extras.

It needs the apt packages and a Go toolchain, so it is a script, not a test.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys

import debian_corpus
from debian_corpus import Line, count_go_files, gopath_environment, package_directories

WITH_VALUE = re.compile(rb"\bWithValue\(")


def run_staticcheck(gopath: str, import_path: str) -> tuple[list[dict[str, object]], str | None]:
    """SA1029 problems of one package, and the reason it could not be checked (or None).
    A package whose tests do not type-check (a test-only dependency Debian does not ship) is
    checked again without its tests; the failure is still reported."""
    found, failure = _staticcheck(gopath, import_path, tests=True)
    if failure is None:
        return found, None
    found, failure_without_tests = _staticcheck(gopath, import_path, tests=False)
    if failure_without_tests is None:
        return found, f"checked without its _test.go files ({failure})"
    return found, f"not checked: {failure_without_tests}"


def _staticcheck(gopath: str, import_path: str, *, tests: bool) -> tuple[list[dict[str, object]], str | None]:
    env = gopath_environment(gopath)
    done = subprocess.run(["go-staticcheck", "-checks", "SA1029", "-tests=" + str(tests).lower(), "-f", "json",
                           import_path], capture_output=True, text=True, env=env, check=False)
    problems = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    failures = [p for p in problems if p.get("code") != "SA1029"]
    found = [p for p in problems if p.get("code") == "SA1029"]
    if failures:
        first = failures[0]
        location = first.get("location") or {}
        assert isinstance(location, dict)
        message = str(first.get("message")).splitlines()[0]
        return found, f"{first.get('code')}: {location.get('file')}:{location.get('line')}: {message}"
    if done.returncode not in (0, 1) or (done.returncode == 1 and not found):
        return found, (done.stderr.strip().splitlines() or ["exit status %d" % done.returncode])[-1]
    return found, None


def staticcheck_lines(gopath: str, directories: list[str], jobs: int
                      ) -> tuple[dict[Line, str], dict[str, str]]:
    src = os.path.join(gopath, "src")
    import_paths = [os.path.relpath(directory, src) for directory in directories]
    lines: dict[Line, str] = {}
    failed: dict[str, str] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for import_path, (problems, failure) in zip(import_paths, pool.map(
                lambda path: run_staticcheck(gopath, path), import_paths)):
            if failure is not None:
                failed[import_path] = failure
            for problem in problems:
                location = problem["location"]
                assert isinstance(location, dict)
                lines[(os.path.realpath(str(location["file"])), int(location["line"]))] = str(problem["message"])
    return lines, failed


def ctx_lsp_lines(directories: list[str], jobs: int) -> dict[Line, str]:
    return debian_corpus.ctx_lsp_lines("context-key-type", directories, jobs)


def main() -> int:
    options = debian_corpus.comparison_options(__doc__ or "")
    if shutil.which("go-staticcheck") is None:
        raise SystemExit("go-staticcheck not found: run scripts/debian_sa1029_corpus.sh first")
    src = os.path.join(options.gopath, "src")
    directories = sorted(package_directories(src, WITH_VALUE))
    print(f"corpus: {count_go_files(src)} .go files under {src}; {len(directories)} package directories "
          "mention WithValue(")
    theirs, failed = staticcheck_lines(options.gopath, directories, options.jobs)
    ours = ctx_lsp_lines(directories, options.jobs)
    reproduced = sorted(theirs.keys() & ours.keys())
    missed = sorted(theirs.keys() - ours.keys())
    extra = sorted(ours.keys() - theirs.keys())
    for import_path, reason in sorted(failed.items()):
        print(f"staticcheck: {import_path}: {reason}")
    print(f"staticcheck SA1029: {len(theirs)} lines; ctx-lsp reproduces {len(reproduced)}; "
          f"misses {len(missed)}; extras {len(extra)}")
    for title, keys, source in (("reproduced", reproduced, theirs), ("MISSED", missed, theirs),
                                ("EXTRA", extra, ours)):
        for path, line in keys:
            print(f"{title}: {os.path.relpath(path, src)}:{line}: {source[(path, line)]}")
    if options.record:
        with open(options.record, "w", encoding="utf-8") as handle:
            json.dump({"directories": [os.path.relpath(d, src) for d in directories],
                       "staticcheck_failed": failed,
                       "staticcheck": [[os.path.relpath(p, src), n] for p, n in sorted(theirs)],
                       "ctx_lsp": [[os.path.relpath(p, src), n] for p, n in sorted(ours)]}, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
