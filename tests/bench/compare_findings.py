"""Do two versions of ctx-lsp report exactly the same findings? (for performance work)

Runs the same dump under the current tree and under another revision (exported with
``git archive`` into a temporary directory) and prints the differences; exit status 1 when
there are any. A finding is compared whole: rule, range, severity, message and fixes.

What is dumped, at hint severity:

- ``ctx-lsp check --format json`` over the given paths (default: ``testdata/``), plus
  with ``--std`` the Go standard library sources (``/usr/lib/go/src``), with ``--real``
  those and ``/usr/share/gocode/src`` (26,000 files) when installed, generated files included;
- the generated 10,000-line benchmark file (``gen_corpus.generate(10000, 1)``) analysed in
  process, once afresh and then through the server's incremental path (a ``DeclCache``,
  fixes computed on use) over a series of one-character edits, the findings after each.

    python tests/bench/compare_findings.py [--against REV] [--std | --real] [--jobs N] [PATH ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REAL_CORPORA = ("/usr/lib/go/src", "/usr/share/gocode/src")


def _finding_record(finding, fixes, src) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "rule": finding.rule,
        "start": finding.start,
        "end": finding.end,
        "severity": str(finding.severity),
        "message": finding.message,
        "fixes": [[fix.title, fix.preferred, [(e.start, e.end, e.new_text) for e in fix.edits]] for fix in fixes],
    }


def dump_generated(out: dict[str, object], edits: int) -> None:
    """In-process findings of the generated benchmark file (run inside the tree compared)."""
    import random

    sys.path.insert(0, str(HERE))
    from gen_corpus import generate

    from ctx_lsp.engine.analyze import DeclCache, analyze
    from ctx_lsp.engine.config import Settings
    from ctx_lsp.engine.findings import Severity
    from ctx_lsp.engine.source import SourceFile
    from ctx_lsp.rules import ALL_RULES

    settings = Settings(min_severity=Severity.HINT)
    text = generate(10_000, 1).encode()
    fresh = analyze(SourceFile.parse("corpus.go", text), settings, rules=ALL_RULES, go_version=(1, 24))
    out["generated"] = [_finding_record(f, fresh.fixes_of(f), None) for f in fresh.findings]
    out["generated errors"] = [error.message for error in fresh.errors]
    cache = DeclCache()
    rng = random.Random(7)
    steps = []
    current = text
    for step in range(edits):
        if step % 2 == 0:
            position = rng.randrange(len(text))
            current = text[:position] + b"x" + text[position:]
        else:
            current = text  # typed and deleted again
        analysis = analyze(SourceFile.parse("corpus.go", current), settings, rules=ALL_RULES, cache=cache,
                           go_version=(1, 24), fixes_on_use=True)
        steps.append([_finding_record(f, analysis.fixes_of(f), None) for f in analysis.findings])
    out["incremental"] = steps


def dump(paths: list[str], jobs: int, edits: int, target: str) -> None:
    """Write every finding this tree reports to ``target`` (JSON)."""
    out: dict[str, object] = {}
    if paths:
        command = [sys.executable, "-m", "ctx_lsp", "check", "--format", "json", "--min-severity", "hint",
                   "--include-generated", "--no-progress", "-j", str(jobs), *paths]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
        out["check"] = json.loads(result.stdout)
    import ctx_lsp  # the tree this dump describes: say which, so a mix-up shows

    out["tree"] = str(Path(ctx_lsp.__file__).resolve().parent.parent)
    dump_generated(out, edits)
    Path(target).write_text(json.dumps(out), encoding="utf-8")


def _run_dump(tree: Path, paths: list[str], jobs: int, edits: int, target: Path) -> None:
    # Run from a directory without a ctx_lsp package: `python -m ctx_lsp` puts the working
    # directory first on sys.path, before PYTHONPATH, and would import that tree instead.
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--dump", str(target), "--jobs", str(jobs),
                    "--edits", str(edits), *[os.path.abspath(path) for path in paths]], env=env,
                   cwd=str(target.parent), check=True)


def _differences(old: dict, new: dict) -> list[str]:  # type: ignore[type-arg]
    found = []
    for section in sorted((old.keys() | new.keys()) - {"tree"}):
        a, b = old.get(section), new.get(section)
        if a == b:
            continue
        if section == "check" and isinstance(a, dict) and isinstance(b, dict):
            left = {json.dumps(d, sort_keys=True) for d in a.get("diagnostics", [])}
            right = {json.dumps(d, sort_keys=True) for d in b.get("diagnostics", [])}
            found += [f"only in the old tree: {d}" for d in sorted(left - right)[:20]]
            found += [f"only in the new tree: {d}" for d in sorted(right - left)[:20]]
            if left == right:
                found.append("check: same findings, different order or summary")
        else:
            found.append(f"{section}: differs")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--against", default="HEAD", help="the revision to compare with (default HEAD)")
    parser.add_argument("--real", action="store_true", help="also check the installed Go sources")
    parser.add_argument("--std", action="store_true", help="also check the Go standard library sources")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--edits", type=int, default=30, help="edits of the incremental series")
    parser.add_argument("--old-dump", metavar="FILE",
                        help="reuse the old tree's dump from FILE when it exists, else save it there")
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.dump:
        dump(args.paths, args.jobs, args.edits, args.dump)
        return 0
    paths = args.paths or [str(ROOT / "testdata")]
    if args.real:
        paths += [os.path.realpath(p) for p in REAL_CORPORA if os.path.isdir(p)]
    elif args.std and os.path.isdir(REAL_CORPORA[0]):
        paths.append(os.path.realpath(REAL_CORPORA[0]))
    with tempfile.TemporaryDirectory(prefix="ctx-lsp-compare-") as directory:
        base = Path(directory) / "tree"
        base.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        old_dump, new_dump = Path(directory) / "old.json", Path(directory) / "new.json"
        if args.old_dump and Path(args.old_dump).exists():
            old_dump = Path(args.old_dump)  # saved by an earlier run with the same arguments
        else:
            _run_dump(base, paths, args.jobs, args.edits, old_dump)
            if args.old_dump:
                Path(args.old_dump).write_bytes(old_dump.read_bytes())
        _run_dump(ROOT, paths, args.jobs, args.edits, new_dump)
        old = json.loads(old_dump.read_text(encoding="utf-8"))
        new = json.loads(new_dump.read_text(encoding="utf-8"))
    differences = _differences(old, new)
    counts = {name: len(value["diagnostics"]) if name == "check" else len(value)
              for name, value in new.items() if isinstance(value, (list, dict))}
    print(f"compared {new.get('tree')} against {args.against} ({old.get('tree')}): {counts}")
    if old.get("tree") == new.get("tree"):
        print("both dumps come from the same tree")
        return 2
    for line in differences:
        print(line)
    print("identical" if not differences else f"{len(differences)} difference(s)")
    return 1 if differences else 0


if __name__ == "__main__":
    raise SystemExit(main())
