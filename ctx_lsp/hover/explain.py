"""``ctx-lsp explain NAME`` for APIs and hover topics (the long form of a hover)."""

from __future__ import annotations

import os

from ctx_lsp.engine import gomod
from ctx_lsp.hover.apis import lookup_api

# Names users type for what they hovered, mapped to the API entry that explains it.
_ALIASES = {
    "ctx.done": "context.Context.Done",
    "done": "context.Context.Done",
    "ctx.err": "context.Context.Err",
    "err": "context.Context.Err",
    "r.context": "net/http.Request.Context",
    "request.context": "net/http.Request.Context",
    "errgroup.withcontext": "golang.org/x/sync/errgroup.WithContext",
    "timer.stop": "time.Timer.Stop",
    "timer.reset": "time.Timer.Reset",
    "cleanup.stop": "runtime.Cleanup.Stop",
    "signal.stop": "os/signal.Stop",
}


def explain_topic(name: str, directory: str | None = None) -> str | None:
    """Plain text explaining the API ``name`` for the Go version of the module containing
    ``directory`` (the current directory by default), or None when ctx-lsp does not know it."""
    go_version = gomod.go_version_for(directory or os.getcwd())
    text = lookup_api(name, go_version)
    if text is None:
        alias = _ALIASES.get(name.strip().removesuffix("()").casefold())
        text = lookup_api(alias, go_version) if alias is not None else None
    return text
