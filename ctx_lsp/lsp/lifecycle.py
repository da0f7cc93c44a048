"""The server's life: ``initialize`` to ``exit``, the editor's process, a lost connection.

Per the LSP specification (Lifecycle Messages) and issue 21 items 1-3:

- ``exit`` after ``shutdown`` ends the process with code 0, ``exit`` without it with 1.
- After ``shutdown`` every request is answered with InvalidRequest (-32600), ``exit`` is the
  only notification still acted on (:class:`~ctx_lsp.lsp.protocol.CtxLspProtocol`).
- ``initialize.processId`` is watched: when the editor's process is gone (or never existed),
  the server exits with code 1 within :data:`PARENT_POLL_SECONDS`. An editor in another
  PID namespace (the server in a container the editor reaches with ``docker exec``) sends a
  pid the server cannot see: ``CTX_LSP_WATCH_PARENT=0`` turns the watch off for such setups.
- The end of the input (EOF) ends the process at once: code 0 after ``shutdown``, else 1.
  So does a write to a closed output (broken pipe): the client is gone, and computing on
  for it only fills the log (issue 21: 497 BrokenPipe errors over 7 minutes).

How the process ends: :meth:`Lifecycle.terminate` flushes the output streams and calls
``os._exit``. A plain ``sys.exit`` is not enough: pygls swallows the SystemExit of its own
``exit`` handler (its ``start_io`` catches it), and the interpreter's exit would wait for the
thread blocked reading stdin, which may never see EOF when the editor died without closing
the pipe. The analysis thread is a daemon (see :mod:`.worker`) and holds nothing to save.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from lsprotocol import types as T

from ctx_lsp.lsp import configuration, diagnostics
from ctx_lsp.lsp.capabilities import read_client_features
from ctx_lsp.lsp.handler_support import path_of

if TYPE_CHECKING:
    from ctx_lsp.lsp.server import CtxLanguageServer

logger = logging.getLogger("ctx_lsp.server")

PARENT_POLL_SECONDS = 3.0
WATCH_PARENT_VARIABLE = "CTX_LSP_WATCH_PARENT"
# The exit code when the session did not end with shutdown and exit (LSP specification).
ABNORMAL_EXIT = 1


class Lifecycle:
    """Where the session stands and how it ends."""

    def __init__(self, terminate: Callable[[int], None] | None = None) -> None:
        self.shutdown_requested = False
        self._terminate = terminate or _exit_process
        self._watch: asyncio.Task[None] | None = None
        self.terminating = False

    @property
    def exit_code(self) -> int:
        return 0 if self.shutdown_requested else ABNORMAL_EXIT

    def terminate(self, code: int, reason: str) -> None:
        """End the process now (see the module doc); ``reason`` goes to stderr."""
        if self.terminating:
            return
        self.terminating = True
        logger.warning("exiting with code %d: %s", code, reason)
        self._terminate(code)

    def watch_parent(self, pid: int | None) -> None:
        """Exit when process ``pid`` (the editor) is gone; checked now and then periodically."""
        if pid is None:
            return
        if os.environ.get(WATCH_PARENT_VARIABLE, "1") == "0":
            logger.info("initialize.processId %d not watched: %s=0", pid, WATCH_PARENT_VARIABLE)
            return
        if pid <= 0:  # 0 and negative numbers name process groups, not a process
            logger.warning("initialize.processId %d is not a process id; not watched", pid)
            return
        if pid == os.getpid():
            return
        self._watch = asyncio.ensure_future(self._watch_parent(pid))

    async def _watch_parent(self, pid: int) -> None:
        while True:
            if not process_alive(pid):
                self.terminate(ABNORMAL_EXIT, f"the editor's process {pid} (initialize.processId) is gone")
                return
            await asyncio.sleep(PARENT_POLL_SECONDS)


def register(server: CtxLanguageServer) -> None:
    server.feature(T.INITIALIZE)(on_initialize)
    server.feature(T.INITIALIZED)(on_initialized)
    server.feature(T.SHUTDOWN)(on_shutdown)


def on_initialize(ls: CtxLanguageServer, params: T.InitializeParams) -> None:
    ls.features = read_client_features(params.capabilities, ls.protocol.workspace.position_encoding)
    root_uri = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
    ls.settings.root_path = (path_of(root_uri) if root_uri else params.root_path) or None
    # Folders without a go.mod still get one module index each (engine/module_index.py).
    folders: list[str | None] = [path_of(folder.uri) for folder in params.workspace_folders or ()]
    for folder in folders or [ls.settings.root_path]:
        if folder:
            ls.loader.modules.add_workspace_folder(folder)
    if ls.features.pull_diagnostics:
        diagnostics.register_pull(ls)
    configuration.apply_initialization_options(ls, params.initialization_options)
    ls.lifecycle.watch_parent(params.process_id)


def on_initialized(ls: CtxLanguageServer, params: T.InitializedParams) -> None:
    asyncio.ensure_future(configuration.register_dynamic_capabilities(ls))
    asyncio.ensure_future(configuration.pull_configuration(ls))


def on_shutdown(ls: CtxLanguageServer, params: Any) -> None:
    ls.lifecycle.shutdown_requested = True
    ls.scheduler.stop()


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (a zombie has ended)."""
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user
    except OSError:
        return False
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A dead process its parent has not reaped yet still answers ``kill(pid, 0)``."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            # "pid (comm) state ...": comm may hold spaces and parentheses; state follows the last ")".
            return stat.read().rpartition(b")")[2].split()[0] == b"Z"
    except (OSError, IndexError):
        return False  # no /proc (macOS): kill(pid, 0) has the last word


def _windows_process_alive(pid: int) -> bool:
    import ctypes

    synchronize, wait_timeout = 0x00100000, 0x00000102
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        return False
    try:
        return bool(kernel32.WaitForSingleObject(handle, 0) == wait_timeout)
    finally:
        kernel32.CloseHandle(handle)


def _exit_process(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a closed or broken stream: nothing more to say through it
            pass
    logging.shutdown()
    os._exit(code)
