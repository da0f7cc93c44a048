"""What every feature's handlers share: error isolation, URIs, looking up open documents."""

from __future__ import annotations

import asyncio
import functools
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types as T
from pygls.exceptions import JsonRpcException
from pygls.uris import to_fs_path

from ctx_lsp.lsp.open_document import OpenDocument

if TYPE_CHECKING:
    from ctx_lsp.lsp.server import CtxLanguageServer

Handler = TypeVar("Handler", bound=Callable[..., Any])


def guarded(default: Any = None) -> Callable[[Handler], Handler]:
    """Log any exception of a handler (sync or async) with its traceback and return
    ``default`` instead: one bad message must not take the server down. Protocol-level
    answers (JsonRpcException, e.g. ServerCancelled) pass through."""

    def decorate(handler: Handler) -> Handler:
        def report(server: CtxLanguageServer) -> Any:
            server.log(T.MessageType.Error, f"{handler.__name__} failed:\n{traceback.format_exc()}")
            return default

        if asyncio.iscoroutinefunction(handler):
            @functools.wraps(handler)
            async def async_wrapper(server: CtxLanguageServer, params: Any) -> Any:
                try:
                    return await handler(server, params)
                except JsonRpcException:
                    raise
                except Exception:
                    return report(server)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(handler)
        def wrapper(server: CtxLanguageServer, params: Any) -> Any:
            try:
                return handler(server, params)
            except JsonRpcException:
                raise
            except Exception:
                return report(server)

        return wrapper  # type: ignore[return-value]

    return decorate


def path_of(uri: str) -> str:
    """File system path of a ``file:`` URI; "" for untitled buffers and other schemes."""
    try:
        return to_fs_path(uri) or ""
    except Exception:
        return ""


def open_document_or_log(server: CtxLanguageServer, uri: str, request: str) -> OpenDocument | None:
    """The open document a request is about (marked as in use), or None, logged."""
    open_document = server.documents.get(uri)
    if open_document is None:
        server.log(T.MessageType.Info, f"{request} for {uri}, which is not open; answering with nothing")
    else:
        server.scheduler.touch(open_document)
    return open_document
