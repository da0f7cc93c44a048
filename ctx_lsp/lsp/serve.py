"""``ctx-lsp serve [--tcp HOST:PORT]``: run the language server.

Over stdio (what editors use) the process ends when the session does: on ``exit`` (0 after
``shutdown``, else 1), at the end of the input (the same codes), when writing to the client
fails, or when the editor's process is gone (see :mod:`.lifecycle`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from ctx_lsp.lsp.framing import GuardedOutput, ResynchronisingReader
from ctx_lsp.lsp.server import create_server

USAGE_ERROR = 2


def _parse_arguments(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ctx-lsp serve", description="Run the ctx-lsp language server.")
    parser.add_argument("--tcp", metavar="HOST:PORT", default=None, help="listen on TCP instead of stdio")
    parser.add_argument("--log-level", default=os.environ.get("CTX_LSP_LOG_LEVEL", "WARNING"),
                        help="stderr log level (default: WARNING, or $CTX_LSP_LOG_LEVEL)")
    return parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parse_arguments(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(stream=sys.stderr, level=arguments.log_level.upper(),
                        format="ctx-lsp %(levelname)s %(name)s: %(message)s")
    if arguments.tcp:
        host, _, port = arguments.tcp.rpartition(":")
        if not port.isdigit():
            print(f"ctx-lsp serve: --tcp expects HOST:PORT, got {arguments.tcp!r}", file=sys.stderr)
            return USAGE_ERROR
        server = create_server()
        server.start_tcp(host or "127.0.0.1", int(port))
        return server.lifecycle.exit_code
    server = create_server()
    lifecycle = server.lifecycle
    output = GuardedOutput(sys.stdout.buffer, lambda reason: lifecycle.terminate(lifecycle.exit_code, reason))
    server.start_io(stdin=ResynchronisingReader(sys.stdin.buffer), stdout=output)  # type: ignore[arg-type]
    # The input ended (or the loop stopped): exit now, with the code the session earned.
    lifecycle.terminate(lifecycle.exit_code, "the end of the input")
    return lifecycle.exit_code
