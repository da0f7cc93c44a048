"""Batch analysis of files on disk: discovery, prefiltering, per-file analysis and ``--fix``.

Used by the CLI (``ctx-lsp check``). Everything here runs in worker processes too, so the
functions at module level take and return plain picklable values.

``--fix`` and other processes
-----------------------------
- A file is fixed under an exclusive advisory lock (``flock``) on the file itself, held from
  the read to the rename: two ctx-lsp runs on one tree take turns per file, so neither loses
  the other's fixes and each counts only what it wrote. Editors take no such lock; for them
  the content is compared again after the new text is written and just before the rename,
  and on Linux the rename is an exchange (``renameat2(RENAME_EXCHANGE)``) after which the
  displaced file is compared once more: a save that landed first is put back and reported
  instead of being overwritten. What no check can see is an editor that opened the file
  before the exchange and writes into it afterwards (``open`` with ``O_TRUNC`` shows up as a
  change; a write into a descriptor held open since earlier does not).
- Files the user could not write are refused (a rename needs only the directory's
  permission, so without this check a read-only file would be replaced). As root every file
  is writable to the kernel; ctx-lsp still refuses a file without any write bit, as Vim does
  (``gofmt -w`` as root would rewrite it).
- SIGINT, SIGTERM and SIGHUP stop a run after the files being written (see
  :func:`stop_on_signals`); a second signal stops at once, still finishing a write in
  progress. Workers die with the parent (``PR_SET_PDEATHSIG`` on Linux, a watch on the
  parent's pid elsewhere) and finish or remove the file they are writing first. SIGKILL
  cannot be caught: a run killed that way can leave one ``.ctx-lsp-*.tmp`` file beside the
  file it was writing (the real file is whole: it is only ever replaced by a rename). A new
  run does not delete such files, since they may belong to another run still writing them;
  they are safe to delete when no ctx-lsp runs.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence

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
            return None, _too_large(path, size, limit)
        with open(path, "rb") as handle:
            return handle.read(), None
    except OSError as error:
        return None, f"{path}: cannot read: {error.strerror or error}"


def _too_large(path: str, size: int, limit: int) -> str:
    return f"{path}: skipped: {size} bytes is over the {limit}-byte size limit (max_file_bytes)"


def _read_descriptor(descriptor: int, path: str, limit: int) -> tuple[bytes | None, str | None]:
    """Read the file a lock is held on (the name may point elsewhere by now; the lock is on this one)."""
    try:
        size = os.fstat(descriptor).st_size
        if size > limit:
            return None, _too_large(path, size, limit)
        chunks = []
        offset = 0
        while chunk := os.pread(descriptor, 1 << 20, offset):
            chunks.append(chunk)
            offset += len(chunk)
        return b"".join(chunks), None
    except OSError as error:
        return None, f"{path}: cannot read: {error.strerror or error}"


def check_file(job: Job) -> FileResult:
    """Analyse one file (and fix it in fix mode); never raises for bad input. In fix mode the
    file stays locked against other ctx-lsp runs from the read to the rename."""
    if job.mode != "fix":
        data, error = _read(job.target.path, job.settings.max_file_bytes)
        return _check_data(job, data, error)
    descriptor, problem = lock_file(os.path.realpath(job.target.path))
    if problem is not None:
        return FileResult(job.target, errors=(f"{job.target.display}: not fixed: {problem}",))
    if descriptor is None:  # cannot be opened or locked here: the read says why, or works unlocked
        data, error = _read(job.target.path, job.settings.max_file_bytes)
        return _check_data(job, data, error)
    try:
        data, error = _read_descriptor(descriptor, job.target.path, job.settings.max_file_bytes)
        return _check_data(job, data, error)
    finally:
        os.close(descriptor)  # releases the lock


def _check_data(job: Job, data: bytes | None, error: str | None) -> FileResult:
    from ctx_lsp.rules import RULES_BY_ID

    target = job.target
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


# How long a --fix run waits for another ctx-lsp run to finish with a file (they hold a file
# for one analysis and one write: milliseconds, rarely a second).
LOCK_WAIT_SECONDS = 30.0


def lock_file(real: str, wait: float = LOCK_WAIT_SECONDS) -> tuple[int | None, str | None]:
    """An open descriptor holding an exclusive ``flock`` on the file ``real`` names, or
    (None, None) when it cannot be opened or the file system has no locks (the caller goes
    on unlocked), or (None, problem) when another process held it longer than ``wait``.

    The lock is on an inode: a run that waited while another renamed a new file over the
    name would hold a lock on the replaced file, so the name is checked again after locking."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks; the content checks still apply
        return None, None
    deadline = time.monotonic() + wait
    while True:
        try:
            # O_NONBLOCK: a FIFO put in a file's place must not hang the run.
            descriptor = os.open(real, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None, None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            return None, "not a regular file"
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if stop_requested():
                return None, "the run was interrupted while another ctx-lsp run held the file"
            if time.monotonic() > deadline:
                return None, f"another process has held a lock on it for over {wait:.0f} s"
            time.sleep(0.005)
            continue
        except OSError:  # ENOLCK, EOPNOTSUPP (some network file systems)
            os.close(descriptor)
            return None, None
        if _same_file(descriptor, real):
            return descriptor, None
        os.close(descriptor)  # replaced while we waited: lock the file it names now


def _same_file(descriptor: int, path: str) -> bool:
    try:
        held, named = os.fstat(descriptor), os.stat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


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
    the mode, owner and group (refusing when they cannot be kept, for files the user could
    not write, and for hard-linked files); a symlink is written through to its target, which
    must lie inside ``roots``. The content is compared with ``original`` after the new text
    is on disk, just before the rename, and (on Linux) once more right after it, when the
    displaced file is put back if someone saved it meanwhile. Returns a one-line problem
    description, or None on success."""
    real = os.path.realpath(path)
    if roots and not _inside(real, [os.path.realpath(r) for r in roots]):
        return f"it resolves to {real}, outside the checked paths"
    try:
        status = os.stat(real)
    except OSError as error:
        return f"cannot stat it: {error.strerror or error}"
    problem = _unwritable(real, status)
    if problem is not None:
        return problem
    if status.st_nlink > 1:
        # Renaming a new file over one name of a hard-linked file would leave the other
        # names with the old content: refuse rather than split the file in two.
        return f"it has {status.st_nlink} hard links, which replacing it would break; fix it by hand"
    problem = _changed_since_read(real, original)
    if problem is not None:
        return problem
    with _signals_deferred():  # from here on a temporary file exists: no exit before it is gone
        return _write_and_swap(real, original, new, status)


MODIFIED = "the file was modified since it was read; run again"


def _changed_since_read(real: str, original: bytes) -> str | None:
    try:
        with open(real, "rb") as handle:
            current = handle.read()
    except OSError as error:
        return f"cannot re-read it: {error.strerror or error}"
    return None if current == original else MODIFIED


def _unwritable(real: str, status: os.stat_result) -> str | None:
    """Why the user may not write ``real``, or None. A rename needs no permission on the file
    itself, so this is the only thing that keeps --fix from replacing a read-only file."""
    mode = status.st_mode & 0o7777
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Root may write anything; a file nobody may write is still meant to stay as it is
        # (the Go module cache is such a tree). gofmt -w as root would rewrite it; Vim would not.
        if not mode & 0o222:
            return f"it is read-only (mode {mode:04o}); not replaced even as root: make it writable to fix it"
        return None
    effective = os.access in os.supports_effective_ids
    if not os.access(real, os.W_OK, effective_ids=effective):
        return f"this user may not write it (mode {mode:04o}); make it writable to fix it"
    return None


def _write_and_swap(real: str, original: bytes, new: bytes, status: os.stat_result) -> str | None:
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=".ctx-lsp-", suffix=".tmp", dir=os.path.dirname(real) or ".")
    except OSError as error:
        return f"cannot create a temporary file: {error.strerror or error}"
    exchanged = False
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, status.st_mode & 0o7777)
        problem = _keep_owner(temporary, status)
        if problem is None:
            # The write and fsync took a while: whatever was saved meanwhile must win.
            problem = _changed_since_read(real, original)
        if problem is not None:
            _remove(temporary)
            return problem
        if not _exchange(temporary, real):
            # No atomic exchange here: the check just above is the last one.
            os.replace(temporary, real)
            return None
        exchanged = True
        return _settle_exchange(temporary, real, original, new)
    except BaseException as error:  # Ctrl-C between write and rename too: leave no stray file
        # After an exchange the temporary name holds the displaced file: remove it only when
        # it is the original (someone's save must not be deleted).
        if not exchanged or _holds(temporary, original):
            _remove(temporary)
        if not isinstance(error, OSError):
            raise
        return f"cannot write it: {error.strerror or error}"


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _holds(path: str, data: bytes) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


LOST_RACE = ("the file was saved by someone else while ctx-lsp replaced it; their version was kept and "
             "nothing was fixed; run again")


def _settle_exchange(temporary: str, real: str, original: bytes, new: bytes) -> str | None:
    """After ``temporary`` and ``real`` swapped names: the displaced file (now ``temporary``)
    must be the text that was fixed. If someone saved in the moment between the last check
    and the exchange, their text is what was displaced: put it back, unless the name has
    moved on again since (then what is there is newer still, and theirs was superseded)."""
    if _holds(temporary, original):
        _remove(temporary)
        return None
    if _holds(real, new):
        try:
            _exchange(temporary, real)
        except OSError as error:
            return (f"the file was saved by someone else while ctx-lsp replaced it, and putting their version "
                    f"back failed ({error.strerror or error}): it is in {temporary}")
    _remove(temporary)
    return LOST_RACE


_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAMEAT2: list[Callable[..., int] | None] = []  # looked up once per process


def _exchange(first: str, second: str) -> bool:
    """Atomically swap two names (Linux renameat2 RENAME_EXCHANGE); False when the system or
    the file system cannot, so the caller falls back to a rename."""
    if not _RENAMEAT2:
        _RENAMEAT2.append(_find_renameat2())
    renameat2 = _RENAMEAT2[0]
    if renameat2 is None:
        return False
    import ctypes

    at_fdcwd = -100
    # Audit hooks see os.rename, not a C call through ctypes: announce it (PEP 578).
    sys.audit("ctx_lsp.rename_exchange", first, second)
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return False  # this file system (or a seccomp filter) does not offer it
    raise OSError(code, os.strerror(code), second)


def _find_renameat2() -> Callable[..., int] | None:
    """renameat2 from the C library already loaded (dlopen of the program itself: no file is
    loaded)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


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


# -- stopping on signals -----------------------------------------------------------------------
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
# After a stop, how long the parent waits for workers to finish the file in hand and report
# what they wrote before it terminates them.
STOP_GRACE_SECONDS = 5.0


@attrs.define
class StopState:
    """What stopped a run early: the first signal, whether the run could not wait for its
    workers to report (then ``unreported`` files may have been fixed without being counted),
    or a worker's death."""

    signal: int | None = None
    forced: bool = False
    unreported: int = 0
    broken: bool = False  # a worker process died: the run could not finish

    @property
    def requested(self) -> bool:
        return self.signal is not None


class _Deferral:
    """Signals that arrive while a temporary file exists wait until it is renamed or removed."""

    depth = 0
    pending: int | None = None
    act: Callable[[int], None] | None = None  # what a deferred signal does once it may


def _never() -> bool:
    return False


_STOP_CHECK: Callable[[], bool] = _never  # replaced during a run, and in each worker


def stop_requested() -> bool:
    return _STOP_CHECK()


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    _Deferral.depth += 1
    try:
        yield
    finally:
        _Deferral.depth -= 1
        pending, act = _Deferral.pending, _Deferral.act
        if _Deferral.depth == 0 and pending is not None and act is not None:
            _Deferral.pending = None
            act(pending)


def _defer_or(act: Callable[[int], None], signum: int) -> None:
    if _Deferral.depth:
        _Deferral.pending = signum
    else:
        act(signum)


def _raise_interrupt(signum: int) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def stop_on_signals() -> Iterator[StopState]:
    """For the duration of a run (in the main thread): the first SIGINT, SIGTERM or SIGHUP
    asks the run to stop after the files in hand; a second one raises KeyboardInterrupt,
    though not while a temporary file exists (then as soon as it is gone). Signals that are
    ignored when the run starts stay ignored."""
    global _STOP_CHECK
    state = StopState()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return

    def handle(signum: int, frame: object) -> None:
        if state.signal is None:
            state.signal = signum
        else:
            state.forced = True
            _defer_or(_raise_interrupt, signum)

    # A signal the caller ignores stays ignored (``nohup`` sets SIGHUP so).
    previous = {number: signal.signal(number, handle) for number in STOP_SIGNALS
                if signal.getsignal(number) is not signal.SIG_IGN}
    previous_check, _STOP_CHECK = _STOP_CHECK, lambda: state.requested
    _Deferral.act = _raise_interrupt
    try:
        yield state
    finally:
        _STOP_CHECK = previous_check
        _Deferral.act = None
        for number, handler in previous.items():
            signal.signal(number, handler)


# -- running jobs ---------------------------------------------------------------------------------
def iter_results(jobs: Sequence[Job], workers: int, stop: StopState | None = None,
                 ) -> Generator[FileResult, None, None]:
    """Run jobs in this process or a process pool; results come in completion order. When
    ``stop`` is requested the run ends after the files in hand, with their results."""
    stop = stop if stop is not None else StopState()
    if workers <= 1 or len(jobs) < 64:
        for job in jobs:
            if stop.requested:
                return
            try:
                result = check_file(job)
            except KeyboardInterrupt:  # a second signal: this file may have been written
                stop.forced, stop.unreported = True, stop.unreported + 1
                raise
            yield result
        return
    yield from _iter_pool(jobs, workers, stop)


def _iter_pool(jobs: Sequence[Job], workers: int, stop: StopState) -> Generator[FileResult, None, None]:
    import multiprocessing
    from concurrent import futures
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else None)
    stop_event = context.Event()
    pool = futures.ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_started,
                                       initargs=(stop_event, os.getpid()))
    finished = False
    # future -> files in its batch, until its results are out
    outstanding: dict[futures.Future[list[FileResult]], int] = {}
    try:
        for batch in batches(jobs):
            outstanding[pool.submit(check_files, batch)] = len(batch)
        pending = set(outstanding)
        while pending and not stop.requested:
            # A timeout, so that a signal is acted on within a tenth of a second.
            done, pending = futures.wait(pending, timeout=0.1, return_when=futures.FIRST_COMPLETED)
            for future in done:
                try:
                    results = future.result()
                except BrokenProcessPool:  # a worker was killed (the OOM killer, kill -9)
                    stop.broken = True
                    return
                del outstanding[future]
                yield from results
        if not pending:
            finished = True
            return
        # Stopping: queued batches are cancelled, workers end the batch in hand after the
        # current file and send what they did.
        stop_event.set()
        running = [future for future in pending if not future.cancel()]
        done, _ = futures.wait(running, timeout=STOP_GRACE_SECONDS)
        for future in done:
            del outstanding[future]
            with contextlib.suppress(futures.CancelledError, BrokenProcessPool):
                yield from future.result()
    finally:
        if not finished:
            # Batches that were never started changed nothing; the others may have.
            stop_event.set()
            unreported = [size for future, size in outstanding.items() if not future.cancel()]
            if unreported:
                stop.forced = True
                stop.unreported += sum(unreported)
            _end_workers(context)
        pool.shutdown(wait=True, cancel_futures=True)


def _end_workers(context: object) -> None:
    """End the pool's workers now: WORKER_EXIT_SIGNAL, which a worker acts on once the file it
    may be writing is renamed or removed; SIGKILL for one that still lives after the grace time."""
    import multiprocessing

    children = multiprocessing.active_children()
    for child in children:
        if child.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(child.pid, WORKER_EXIT_SIGNAL)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()
            child.join(1.0)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# What ends a worker at once (after a write in progress): sent by the parent when it cannot
# wait any longer, and by Linux when the parent dies.
WORKER_EXIT_SIGNAL = getattr(signal, "SIGUSR1", signal.SIGTERM)


def _worker_started(stop_event: object, parent: int) -> None:
    """Pool worker set-up. SIGINT, SIGHUP and SIGTERM sent to the whole process group (Ctrl-C,
    a closed terminal, ``kill -- -PGID``) reach the parent too, which decides: a worker goes
    on while its parent lives and stops with the run. It ends on WORKER_EXIT_SIGNAL, and
    when its parent dies, never while it has a temporary file."""
    global _STOP_CHECK
    _STOP_CHECK = stop_event.is_set  # type: ignore[attr-defined]
    _Deferral.act = _exit_worker
    for number in STOP_SIGNALS:
        signal.signal(number, lambda signum, frame: _exit_if_orphaned(parent, signum))
    signal.signal(WORKER_EXIT_SIGNAL, lambda signum, frame: _defer_or(_exit_worker, signum))
    if not _die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), name="ctx-lsp-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the watch was set up
        _exit_worker(WORKER_EXIT_SIGNAL)


def _exit_if_orphaned(parent: int, signum: int) -> None:
    if os.getppid() != parent:
        _defer_or(_exit_worker, signum)


def _exit_worker(signum: int) -> None:
    os._exit(128 + signum)


def _die_with_parent() -> bool:
    """Ask Linux to send WORKER_EXIT_SIGNAL when the parent exits (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, WORKER_EXIT_SIGNAL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), WORKER_EXIT_SIGNAL)


def check_files(jobs: Sequence[Job]) -> list[FileResult]:
    """One worker task: files of one directory, so the sibling files a rule reads for package
    facts are parsed once per task, not once per worker that happens to get a file of it.
    After a stop request it ends early with the results it has."""
    results = []
    for job in jobs:
        if stop_requested():
            break
        results.append(check_file(job))
    return results


def batches(jobs: Sequence[Job]) -> list[list[Job]]:
    """Jobs grouped by directory (one Go package each), the largest groups first so that the
    last tasks to finish are small ones. Directories are not cut in two: in the standard
    library that made both workers parse the same siblings (1,464 sibling parses instead of
    958) and cost more than the balance it bought."""
    by_directory: dict[str, list[Job]] = {}
    for job in jobs:
        by_directory.setdefault(os.path.dirname(job.target.path), []).append(job)
    return sorted(by_directory.values(), key=len, reverse=True)
