"""The recorded Debian Go corpus (``scripts/debian_sa1029_corpus.sh``): what the comparison
scripts share.

Package directories are found the way ``go list ./...`` finds them in GOPATH mode: symlinked
trees are not followed (each file is counted once, by its real path), and ``vendor``,
``testdata`` and ``.``/``_`` directories are left out. Go tools run there in GOPATH mode.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator

Line = tuple[str, int]  # (real path, 1-based line)


def comparison_options(doc: str) -> argparse.Namespace:
    """The command line every comparison script takes: --gopath, --jobs, --record."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--gopath", default="/usr/share/gocode")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--record", help="write the comparison as JSON to this file")
    return parser.parse_args()


def package_directories(src: str, pattern: re.Pattern[bytes]) -> Iterator[str]:
    """Directories under ``src`` with a .go file whose bytes match ``pattern`` (iterative walk)."""
    for directory, subdirectories, files in os.walk(src, followlinks=False):
        subdirectories[:] = sorted(name for name in subdirectories
                                   if name not in ("vendor", "testdata") and not name.startswith((".", "_")))
        if any(_matches(os.path.join(directory, name), pattern) for name in go_files(files)):
            yield directory


def go_files(names: list[str]) -> list[str]:
    """The .go files the go command considers (it ignores names starting with ``.`` or ``_``)."""
    return sorted(name for name in names if name.endswith(".go") and not name.startswith((".", "_")))


def _matches(path: str, pattern: re.Pattern[bytes]) -> bool:
    try:
        with open(path, "rb") as handle:
            return pattern.search(handle.read()) is not None
    except OSError:
        return False


def count_go_files(src: str) -> int:
    return sum(len([name for name in files if name.endswith(".go")])
               for _directory, _subdirectories, files in os.walk(src, followlinks=False))


def gopath_environment(gopath: str) -> dict[str, str]:
    """The environment of a go tool run in GOPATH mode on ``gopath``."""
    return dict(os.environ, GOPATH=gopath, GO111MODULE="off", GOFLAGS="")


def ctx_lsp_lines(rule: str, directories: list[str], jobs: int) -> dict[Line, str]:
    """``rule``'s findings (every severity, generated files included, as the Go tools see
    them) in the .go files of ``directories``, by real path and line."""
    files = [os.path.join(directory, name) for directory in directories for name in go_files(os.listdir(directory))]
    command = [sys.executable, "-m", "ctx_lsp", "check", "--select", rule, "--min-severity", "hint",
               "--include-generated", "--format", "json", "--no-progress", "-j", str(jobs), *files]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"ctx-lsp failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    return {(os.path.realpath(d["path"]), int(d["line"])): f"{d['severity']}: {d['message']}"
            for d in report["diagnostics"]}
