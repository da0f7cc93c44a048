"""API facts for hover and ``ctx-lsp explain``: :mod:`.data` holds the facts with their
citations, :mod:`.render` turns them into text, and this module looks them up."""

from __future__ import annotations

import re

from ctx_lsp.hover.apis.data import APIS
from ctx_lsp.hover.apis.model import ApiInfo, Fact, Section
from ctx_lsp.hover.apis.render import plain_inline, render_info, render_popup

__all__ = ["ApiInfo", "Fact", "Section", "all_apis", "api_info", "find_apis", "lookup_api", "plain_inline",
           "render_api", "render_info", "render_popup"]

_BY_KEY: dict[tuple[str, str], ApiInfo] = {(api.import_path, api.name): api for api in APIS}


def all_apis() -> tuple[ApiInfo, ...]:
    return APIS


def api_info(import_path: str, name: str) -> ApiInfo | None:
    """The entry for ``name`` exported by the package at ``import_path``, if ctx-lsp knows it."""
    return _BY_KEY.get((import_path, name))


# ---------------------------------------------------------------------------------------
# Lookup by the name a user types (``ctx-lsp explain ...``).
# ---------------------------------------------------------------------------------------

_CALL_SUFFIX = re.compile(r"\(\s*\)$")


def find_apis(text: str) -> list[ApiInfo]:
    """Entries matching a user-typed name (empty when none).

    Accepts ``context.WithTimeout``, ``WithTimeout``, ``signal.NotifyContext``,
    ``os/signal.NotifyContext``, ``debug.SetGCPercent`` and a trailing ``()``. A bare name
    can match several packages (``AfterFunc`` is in ``context`` and ``time``); all are
    returned, in table order. Exact case wins; a case-insensitive match is the fallback.
    """
    wanted = _CALL_SUFFIX.sub("", text.strip())
    if not wanted:
        return []
    for fold in (False, True):
        found = [api for api in APIS if _name_matches(api, wanted, fold)]
        if found:
            return found
    return []


def _name_matches(api: ApiInfo, wanted: str, fold: bool) -> bool:
    candidates = (api.name, api.qualified_name, api.full_name, f"{api.package_name}.{api.name}")
    if fold:
        return wanted.casefold() in (candidate.casefold() for candidate in candidates)
    return wanted in candidates



def lookup_api(text: str, go_version: tuple[int, int] | None = None, markdown: bool = False) -> str | None:
    """Text for ``ctx-lsp explain API``: every entry matching ``text`` (see :func:`find_apis`),
    plain text by default, or None when no API matches."""
    found = find_apis(text)
    if not found:
        return None
    separator = "\n\n---\n\n" if markdown else "\n\n" + "-" * 72 + "\n\n"
    return separator.join(render_info(api, go_version, markdown) for api in found)


def render_api(import_path: str, name: str, go_version: tuple[int, int] | None, markdown: bool = True) -> str | None:
    """The long text for the API ``import_path.name``, or None when ctx-lsp does not know it."""
    api = api_info(import_path, name)
    return render_info(api, go_version, markdown) if api is not None else None
