"""Batch analysis of files on disk: discovery, prefiltering, per-file analysis and ``--fix``.

Used by the CLI (``ctx-lsp check``). Everything here runs in worker processes too, so the
functions at module level take and return plain picklable values.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator, Sequence

import attrs

from ctx_lsp.engine.analyze import Analysis, analyze
from ctx_lsp.engine.config import Settings
from ctx_lsp.engine.findings import Finding
from ctx_lsp.engine.fixes import apply_preferred_fixes
from ctx_lsp.engine.package import PackageLoader
from ctx_lsp.engine.rule import Rule
from ctx_lsp.engine.source import SourceFile
from ctx_lsp.engine.syntax import walk

_GENERATED = re.compile(rb"^// Code generated .* DO NOT EDIT\.\r?$", re.MULTILINE)
_PACKAGE_CLAUSE = re.compile(rb"^package\s", re.MULTILINE)
SKIPPED_DIRECTORIES = frozenset({"vendor", "testdata"})


# -- discovery ----------------------------------------------------------------------------------
@attrs.frozen
class Target:
    path: str  # the path to open
    display: str  # the path as shown: the command-line argument joined with the relative path


def _skip_directory(name: str) -> bool:
    return name in SKIPPED_DIRECTORIES or name.startswith((".", "_"))


def discover(arguments: Sequence[str]) -> tuple[list[Target], list[str], list[str]]:
    """Go files under the given paths, as the go tool would walk them.

    Returns (targets, errors, missing): ``errors`` are one-line messages for paths that could
    not be walked; ``missing`` the command-line paths that do not exist. Directory symlinks
    are followed only when they point inside the given roots, and loops are reported.
    """
    targets: list[Target] = []
    errors: list[str] = []
    missing: list[str] = []
    seen_files: set[str] = set()
    roots = [os.path.realpath(_strip_ellipsis(a)) for a in arguments]
    for argument in arguments:
        path = _strip_ellipsis(argument)
        if not os.path.lexists(path):
            missing.append(argument)
            continue
        if os.path.isfile(path):
            _add_target(targets, seen_files, path, path)
            continue
        if not os.path.isdir(path):
            errors.append(f"{argument}: not a regular file or directory")
            continue
        _walk_directory(path, roots, targets, errors, seen_files)
    return targets, errors, missing


def _strip_ellipsis(argument: str) -> str:
    if argument == "./..." or argument == "...":
        return "."
    if argument.endswith("/..."):
        return argument[:-4] or "."
    return argument


def _add_target(targets: list[Target], seen: set[str], path: str, display: str) -> None:
    real = os.path.realpath(path)
    if real not in seen:
        seen.add(real)
        targets.append(Target(path=path, display=display))


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _walk_directory(top: str, roots: list[str], targets: list[Target], errors: list[str], seen: set[str]) -> None:
    visited: set[str] = set()
    stack = [top]
    while stack:
        directory = stack.pop()
        real = os.path.realpath(directory)
        if real in visited:
            errors.append(f"{directory}: directory symlink loop, not entered again")
            continue
        visited.add(real)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            errors.append(f"{directory}: cannot read directory: {error.strerror or error}")
            continue
        subdirectories = []
        for entry in entries:
            path = os.path.join(directory, entry.name) if directory != "." else entry.name
            try:
                if entry.is_dir(follow_symlinks=True):
                    if _skip_directory(entry.name):
                        continue
                    if entry.is_symlink():
                        target = os.path.realpath(path)
                        if not _inside(target, roots):
                            errors.append(f"{path}: directory symlink leads outside the checked paths; skipped")
                            continue
                        if target in visited or _inside(real, [target]):
                            errors.append(f"{path}: directory symlink loop, not entered")
                            continue
                    subdirectories.append(path)
                elif entry.name.endswith(".go") and entry.is_file(follow_symlinks=True):
                    _add_target(targets, seen, path, path)
            except OSError as error:
                errors.append(f"{path}: {error.strerror or error}")
        stack.extend(reversed(subdirectories))


# -- prefilter ------------------------------------------------------------------------------------
def prefilter_needles(rules: Sequence[Rule]) -> tuple[bytes, ...] | None:
    """Byte strings of which a file must contain one to be worth parsing for ``rules``
    (None: every file must be parsed, because some rule can fire anywhere)."""
    needles: list[bytes] = []
    for rule in rules:
        prefilter = rule.prefilter
        if prefilter is None:
            return None
        needles.extend(prefilter)
    return tuple(dict.fromkeys(needles))


def is_generated(data: bytes) -> bool:
    match = _GENERATED.search(data)
    if match is None:
        return False
    package = _PACKAGE_CLAUSE.search(data)
    return package is None or match.start() < package.start()


# -- analysing one file ---------------------------------------------------------------------------
@attrs.frozen
class Job:
    target: Target
    settings: Settings
    rule_ids: tuple[str, ...]
    needles: tuple[bytes, ...] | None
    include_generated: bool = False
    mode: str = "check"  # check | fix | diff
    roots: tuple[str, ...] = ()


@attrs.frozen
class FileResult:
    target: Target
    findings: tuple[Finding, ...] = ()
    data: bytes = b""  # the analysed bytes (kept only when findings exist: positions need them)
    errors: tuple[str, ...] = ()
    checked: bool = False
    fixed: int = 0
    diff: str = ""


_LOADER: PackageLoader | None = None


def _loader() -> PackageLoader:
    global _LOADER
    if _LOADER is None:
        _LOADER = PackageLoader()
    return _LOADER


def _read(path: str, limit: int) -> tuple[bytes | None, str | None]:
    try:
        size = os.path.getsize(path)
        if size > limit:
            return None, f"{path}: skipped: {size} bytes is over the {limit}-byte size limit (max_file_bytes)"
        with open(path, "rb") as handle:
            return handle.read(), None
    except OSError as error:
        return None, f"{path}: cannot read: {error.strerror or error}"


def check_file(job: Job) -> FileResult:
    """Analyse one file (and fix it in fix mode); never raises for bad input."""
    from ctx_lsp.rules import RULES_BY_ID

    target = job.target
    data, error = _read(target.path, job.settings.max_file_bytes)
    if data is None:
        return FileResult(target, errors=(error or f"{target.display}: cannot read",))
    if b"\0" in data:
        return FileResult(target, errors=(f"{target.display}: skipped: contains NUL bytes (binary file?)",))
    # Generated files are skipped (not "checked") whether or not the prefilter would pass them.
    if not job.include_generated and is_generated(data):
        return FileResult(target)
    if job.needles is not None and not any(needle in data for needle in job.needles):
        return FileResult(target, checked=True)
    src = SourceFile.parse(target.path, data)
    rules = [RULES_BY_ID[rule_id] for rule_id in job.rule_ids]
    loader = _loader()
    analysis = analyze(src, job.settings, rules=rules, loader=loader)
    _share_own_facts(loader, target.path, analysis)
    errors = tuple(f"{target.display}: internal error in rule {e.rule}: {e.message}" for e in analysis.errors)
    findings = analysis.findings
    if job.mode == "check" or not findings:
        return FileResult(target, findings, data if findings else b"", errors, checked=True)
    return _fix(job, src, findings, errors)


def _share_own_facts(loader: PackageLoader, path: str, analysis: Analysis) -> None:
    """A file whose rules asked for package facts is often a sibling of the next files this
    process checks (jobs come in directory order): keep its facts so they need no re-parse."""
    context = analysis.context
    facts = context.own_facts_if_computed if context is not None else None
    if context is not None and facts is not None:
        loader.remember(path, context.package_name, facts)


def _syntax_error_count(src: SourceFile) -> int:
    if not src.root.has_error:
        return 0
    return sum(1 for n in walk(src.root, enter=lambda n: n.has_error) if n.is_error or n.is_missing)


# Fixes that touch the same run of aligned trailing comments (each re-pads the whole run,
# see engine/align.py) or otherwise overlap cannot be applied together; --fix applies the
# ones left over in further passes over the re-analysed text, up to this many in all.
MAX_FIX_PASSES = 4


def _fix(job: Job, src: SourceFile, findings: tuple[Finding, ...], errors: tuple[str, ...]) -> FileResult:
    target = job.target
    fixed_src, applied, remaining = _apply_fix_passes(job, src, findings)
    if fixed_src is None:
        message = f"{target.display}: fixes not applied: the result would not parse (please report this)"
        return FileResult(target, findings, src.data, (*errors, message), checked=True)
    if not applied:
        return FileResult(target, findings, src.data, errors, checked=True)
    fixed_data = fixed_src.data
    if job.mode == "diff":
        import difflib  # only for --diff (startup time)

        diff = "".join(difflib.unified_diff(
            src.data.decode("utf-8", "surrogateescape").splitlines(True),
            fixed_data.decode("utf-8", "surrogateescape").splitlines(True),
            # git's prefixes; an absolute path loses its leading "/" (a/tmp/x.go, not a//tmp/x.go),
            # so `patch -p1` applies it from the root directory
            fromfile=f"a/{target.display.lstrip('/')}", tofile=f"b/{target.display.lstrip('/')}"))
        return FileResult(target, findings, src.data, errors, checked=True, diff=diff)
    problem = write_atomically(target.path, src.data, fixed_data, job.roots)
    if problem is not None:
        return FileResult(target, findings, src.data, (*errors, f"{target.display}: not fixed: {problem}"),
                          checked=True)
    return FileResult(target, remaining, fixed_data, errors, checked=True, fixed=applied)


def _apply_fix_passes(job: Job, src: SourceFile, findings: tuple[Finding, ...],
                      ) -> tuple[SourceFile | None, int, tuple[Finding, ...]]:
    """(fixed file, fixes applied, the findings of the fixed text): preferred fixes applied
    in up to MAX_FIX_PASSES passes, each over a fresh analysis of the previous pass's result.
    A pass that would add a syntax error is not taken: None when that is the first one."""
    from ctx_lsp.rules import RULES_BY_ID

    rules = [RULES_BY_ID[r] for r in job.rule_ids]
    current, applied_in_all, errors_before = src, 0, _syntax_error_count(src)
    for _ in range(MAX_FIX_PASSES):
        data, applied = apply_preferred_fixes(current.data, findings)
        if not applied:
            break
        fixed = SourceFile.parse(job.target.path, data)
        if _syntax_error_count(fixed) > errors_before:
            if not applied_in_all:
                return None, 0, findings
            break  # keep what the earlier passes did
        current, applied_in_all = fixed, applied_in_all + applied
        # Positions of the findings left refer to the old bytes: analyse the fixed text.
        findings = analyze(current, job.settings, rules=rules, loader=_loader()).findings
        if not any(finding.preferred_fix is not None for finding in findings):
            break
    return current, applied_in_all, findings


def write_atomically(path: str, original: bytes, new: bytes, roots: Sequence[str] = ()) -> str | None:
    """Replace ``path``'s content with ``new`` unless it changed since it was read as
    ``original``. Writes a temporary file beside the real file and renames it over, keeping
    the mode, owner and group (refusing when they cannot be kept, and for hard-linked files);
    a symlink is written through to its target, which must lie inside ``roots``.
    Returns a one-line problem description, or None on success."""
    real = os.path.realpath(path)
    if roots and not _inside(real, [os.path.realpath(r) for r in roots]):
        return f"it resolves to {real}, outside the checked paths"
    try:
        with open(real, "rb") as handle:
            current = handle.read()
    except OSError as error:
        return f"cannot re-read it: {error.strerror or error}"
    if current != original:
        return "the file was modified since it was read; run again"
    directory = os.path.dirname(real) or "."
    try:
        status = os.stat(real)
    except OSError as error:
        return f"cannot stat it: {error.strerror or error}"
    if status.st_nlink > 1:
        # Renaming a new file over one name of a hard-linked file would leave the other
        # names with the old content: refuse rather than split the file in two.
        return f"it has {status.st_nlink} hard links, which replacing it would break; fix it by hand"
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=".ctx-lsp-", suffix=".tmp", dir=directory)
    except OSError as error:
        return f"cannot create a temporary file: {error.strerror or error}"
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, status.st_mode & 0o7777)
        problem = _keep_owner(temporary, status)
        if problem is not None:
            os.unlink(temporary)
            return problem
        os.replace(temporary, real)
    except BaseException as error:  # Ctrl-C between write and rename too: leave no stray file
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if not isinstance(error, OSError):
            raise
        return f"cannot write it: {error.strerror or error}"
    return None


def _keep_owner(temporary: str, original: os.stat_result) -> str | None:
    """Give the new file the original's owner and group; a problem when that is not allowed
    (a file of another user, writable through its group): replacing it would change owner."""
    if not hasattr(os, "chown"):
        return None
    created = os.stat(temporary)
    if (created.st_uid, created.st_gid) == (original.st_uid, original.st_gid):
        return None
    try:
        os.chown(temporary, original.st_uid, original.st_gid)
    except PermissionError:
        return "replacing it would change its owner or group, which this user may not keep; fix it by hand"
    return None


def iter_results(jobs: Sequence[Job], workers: int) -> Iterator[FileResult]:
    """Run jobs in this process or a process pool; results come in completion order."""
    if workers <= 1 or len(jobs) < 64:
        for job in jobs:
            yield check_file(job)
        return
    import concurrent.futures
    import multiprocessing

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = [pool.submit(check_files, batch) for batch in batches(jobs)]
        for future in concurrent.futures.as_completed(pending):
            yield from future.result()


def check_files(jobs: Sequence[Job]) -> list[FileResult]:
    """One worker task: files of one directory, so the sibling files a rule reads for package
    facts are parsed once per task, not once per worker that happens to get a file of it."""
    return [check_file(job) for job in jobs]


def batches(jobs: Sequence[Job]) -> list[list[Job]]:
    """Jobs grouped by directory (one Go package each), the largest groups first so that the
    last tasks to finish are small ones. Directories are not cut in two: in the standard
    library that made both workers parse the same siblings (1,464 sibling parses instead of
    958) and cost more than the balance it bought."""
    by_directory: dict[str, list[Job]] = {}
    for job in jobs:
        by_directory.setdefault(os.path.dirname(job.target.path), []).append(job)
    return sorted(by_directory.values(), key=len, reverse=True)
