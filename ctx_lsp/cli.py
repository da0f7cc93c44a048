"""The ``ctx-lsp`` command: ``check`` (batch mode for CI), ``serve`` (the language server),
``rules``, ``explain`` and ``--version``.

Exit status of ``check``: 1 when a printed finding is a warning or an error, 0 otherwise,
2 for usage errors (unknown rule, bad option, a command-line path that does not exist — the
other paths are still checked first). Per-file problems (unreadable, binary, too large) are
reported on stderr, one line each, and do not change the exit status. A run stopped by
SIGINT, SIGTERM or SIGHUP ends after the files in hand, prints what it found and wrote so far,
and exits with 128 + the signal's number (130 for Ctrl-C); one that cannot finish because a
worker process died says so and exits with 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn
from typing import TYPE_CHECKING

from ctx_lsp import __version__
from ctx_lsp.engine.config import DEFAULT_SETTINGS, Settings, find_config_file, load_config
from ctx_lsp.engine.findings import Severity

if TYPE_CHECKING:
    from ctx_lsp.batch import StopState

USAGE_ERROR = 2
FORMATS = ("text", "json", "sarif", "github")
PROGRESS_THRESHOLD = 300


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 already; keep its message short
        self.print_usage(sys.stderr)
        print(f"ctx-lsp: error: {message}", file=sys.stderr)
        raise SystemExit(USAGE_ERROR)


def _rule_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ctx-lsp", description="Find leaked cancel functions, goroutine-local context "
                     "storage and finalizer dependence in Go code.")
    parser.add_argument("--version", action="version", version=f"ctx-lsp {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = commands.add_parser("check", help="analyze Go files and directories (default: .)")
    check.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                       help="files or directories; DIR/... works like DIR")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--min-severity", choices=[s.label for s in Severity], default=None,
                       help=f"hide findings below this severity (default: {DEFAULT_SETTINGS.min_severity.label})")
    check.add_argument("--select", type=_rule_list, default=None, metavar="RULE,...", help="run only these rules")
    check.add_argument("--ignore", type=_rule_list, default=None, metavar="RULE,...", help="do not run these rules")
    check.add_argument("--fix", action="store_true", help="apply preferred fixes in place")
    check.add_argument("--diff", action="store_true", help="print preferred fixes as a unified diff")
    check.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                       help="worker processes (default: number of CPUs)")
    check.add_argument("--include-generated", action="store_true",
                       help="also check files marked '// Code generated ... DO NOT EDIT.'")
    check.add_argument("--config", default=None, metavar="FILE",
                       help="settings file (default: the nearest .ctx-lsp.toml above the first path)")
    check.add_argument("--no-progress", action="store_true", help="never show a progress bar")

    serve = commands.add_parser("serve", help="run the language server over stdio")
    serve.add_argument("--tcp", default=None, metavar="HOST:PORT", help="listen on TCP instead (debugging)")

    commands.add_parser("rules", help="list the rules")
    explain = commands.add_parser("explain", help="print a rule's documentation or explain an API")
    explain.add_argument("name", metavar="RULE|API", help="a rule id (lostcancel) or an API (context.WithTimeout)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        if arguments.command == "check":
            return _check(arguments)
        if arguments.command == "serve":
            from ctx_lsp.lsp.serve import main as serve_main

            return serve_main(["--tcp", arguments.tcp] if arguments.tcp else [])
        if arguments.command == "rules":
            return _rules()
        if arguments.command == "explain":
            return _explain(arguments.name)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `ctx-lsp explain X | head`: the reader left; not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    build_parser().print_help(sys.stderr)
    return USAGE_ERROR


# -- rules / explain ----------------------------------------------------------------------------
def _rules() -> int:
    from ctx_lsp.rules import ALL_RULES

    width = max(len(rule.id) for rule in ALL_RULES)
    for rule in ALL_RULES:
        print(f"{rule.id:<{width}}  {rule.severity.label:<11}  {rule.title}")
    return 0


def _explain(name: str) -> int:
    from ctx_lsp.rules import RULES_BY_ID

    rule = RULES_BY_ID.get(name)
    if rule is not None:
        print(rule.doc.rstrip())
        print(f"\nReference: {rule.url}")
        return 0
    from ctx_lsp.hover import explain_topic

    text = explain_topic(name)
    if text is None:
        print(f"ctx-lsp: unknown rule or API {name!r}; `ctx-lsp rules` lists the rules, "
              "APIs are written like context.WithTimeout", file=sys.stderr)
        return USAGE_ERROR
    print(text.rstrip())
    return 0


# -- check ----------------------------------------------------------------------------------------
def _settings(arguments: argparse.Namespace, known: frozenset[str]) -> tuple[Settings, list[str]]:
    settings, warnings = DEFAULT_SETTINGS, list[str]()
    config = arguments.config or find_config_file(_first_existing(arguments.paths))
    if config is not None:
        loaded = load_config(config, settings, known)
        settings, warnings = loaded.settings, list(dict.fromkeys(str(problem) for problem in loaded.problems))
    updates: dict[str, str] = {}
    if arguments.select is not None:
        updates.update({rule_id: "off" for rule_id in known if rule_id not in arguments.select})
        updates.update({rule_id: "on" for rule_id in arguments.select if settings.rules.get(rule_id) == "off"})
    if arguments.ignore is not None:
        updates.update({rule_id: "off" for rule_id in arguments.ignore})
    settings = settings.with_rules(updates)
    if arguments.min_severity is not None:
        from attrs import evolve

        settings = evolve(settings, min_severity=Severity.parse(arguments.min_severity))
    return settings, warnings


def _first_existing(paths: Sequence[str]) -> str:
    from ctx_lsp.batch import _strip_ellipsis

    for path in paths:
        stripped = _strip_ellipsis(path)
        if os.path.exists(stripped):
            return stripped
    return "."


def _check(arguments: argparse.Namespace) -> int:
    from ctx_lsp.batch import Job, discover, prefilter_needles
    from ctx_lsp.rules import ALL_RULES

    known = frozenset(rule.id for rule in ALL_RULES)
    unknown = [r for r in (arguments.select or []) + (arguments.ignore or []) if r not in known]
    if unknown:
        print(f"ctx-lsp: unknown rule(s) {', '.join(unknown)}; `ctx-lsp rules` lists them", file=sys.stderr)
        return USAGE_ERROR
    if arguments.fix and arguments.diff:
        print("ctx-lsp: --fix and --diff cannot be combined", file=sys.stderr)
        return USAGE_ERROR
    if arguments.jobs < 1:
        print("ctx-lsp: -j must be at least 1", file=sys.stderr)
        return USAGE_ERROR
    settings, warnings = _settings(arguments, known)
    for warning in warnings:
        print(f"ctx-lsp: {warning}", file=sys.stderr)
    active = [rule for rule in ALL_RULES if settings.enabled(rule.id)]
    needles = prefilter_needles(active)
    targets, errors, missing = discover(arguments.paths)
    for path in missing:
        errors.append(f"{path}: no such file or directory")
    mode = "fix" if arguments.fix else "diff" if arguments.diff else "check"
    roots = tuple(os.path.abspath(p) for p in arguments.paths if os.path.exists(p))
    jobs = [Job(target, settings, tuple(rule.id for rule in active), needles, arguments.include_generated, mode,
                roots) for target in targets]
    from ctx_lsp.batch import stop_on_signals

    with stop_on_signals() as stop:
        results = _run(jobs, arguments, stop)
        code = _report(arguments, results, errors, active, bool(missing))
        if stop.requested or stop.broken:
            _report_stop(stop, arguments, results, len(jobs))
        if stop.requested:
            return 128 + (stop.signal or 0)
        return USAGE_ERROR if stop.broken else code


def _run(jobs: list, arguments: argparse.Namespace, stop: StopState) -> list:
    """The results of the jobs; after a stop, of those that finished (a second signal stops
    waiting for the workers: ``stop.forced``)."""
    from contextlib import closing

    from ctx_lsp.batch import iter_results

    results: list = []
    show = (not arguments.no_progress and len(jobs) > PROGRESS_THRESHOLD and sys.stderr.isatty())
    try:
        with closing(iter_results(jobs, arguments.jobs, stop)) as running:
            if not show:
                results.extend(running)
                return results
            from rich.progress import Progress

            with Progress(transient=True, console=None) as progress:
                task = progress.add_task("checking", total=len(jobs))
                for result in running:
                    results.append(result)
                    progress.advance(task)
    except KeyboardInterrupt:  # a second signal (or Ctrl-C outside a handled run)
        stop.forced = True
        if stop.signal is None:
            import signal

            stop.signal = signal.SIGINT
    return results


def _report_stop(stop: StopState, arguments: argparse.Namespace, results: list,
                 total: int) -> None:
    """The summary of a run stopped by a signal: how far it got and what it wrote."""
    import signal

    done = len(results)
    if stop.requested:
        cause = f"interrupted by {signal.Signals(stop.signal).name}" if stop.signal else "interrupted"
    else:
        cause = "stopped: a worker process died unexpectedly,"
    if arguments.fix:
        fixes = sum(result.fixed for result in results)
        files = sum(1 for result in results if result.fixed)
        message = f"{cause} after {done} of {total} files: {fixes} fix(es) written to {files} file(s), each completely"
        if stop.unreported:
            message += (f"; {stop.unreported} more file(s) were with workers that had to be ended and may also "
                        "have been fixed (each completely, or not at all); the other files were not changed")
        else:
            message += "; the other files were not changed"
    else:
        message = f"{cause} after {done} of {total} files; the findings above are from those only"
    print(f"ctx-lsp: {message}", file=sys.stderr)


def _report(arguments: argparse.Namespace, results: list, errors: list[str], active: list,
            had_missing: bool) -> int:
    from ctx_lsp import output

    located: list[output.Located] = []
    locators: dict[str, output.Locator] = {}
    files_checked = fixed = 0
    diffs = []
    for result in results:
        errors.extend(result.errors)
        files_checked += 1 if result.checked else 0
        fixed += result.fixed
        if result.diff:
            diffs.append(result.diff)
        if result.findings:
            locator = locators.setdefault(result.target.display, output.Locator(result.data))
            located.extend(locator.locate(result.target.display, f) for f in result.findings)
    located.sort(key=output.sort_key)
    for error in sorted(errors):
        print(f"ctx-lsp: {error}", file=sys.stderr)
    if arguments.diff:
        sys.stdout.write("".join(sorted(diffs)))
        return USAGE_ERROR if had_missing else (1 if diffs else 0)
    if arguments.format == "json":
        sys.stdout.write(output.format_json(located, locators, files_checked, sorted(errors)))
    elif arguments.format == "sarif":
        sys.stdout.write(output.format_sarif(located, active, sorted(errors)))
    elif arguments.format == "github":
        sys.stdout.write(output.format_github(located))
    else:
        sys.stdout.write(output.format_text(located))
    if arguments.fix and fixed:
        files = sum(1 for result in results if result.fixed)
        print(f"ctx-lsp: applied {fixed} fix(es) in {files} file(s)", file=sys.stderr)
    if had_missing:
        return USAGE_ERROR
    return 1 if any(item.severity >= Severity.WARNING for item in located) else 0
