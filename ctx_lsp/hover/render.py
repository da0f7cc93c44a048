"""Turning hover markdown into the popup text clients show.

A hover is a popup, not a page: the one fact about the site on the first line, a few
bullets, then the API's signature and mechanism. Clients that cannot render markdown get the
same text with the markup removed (:func:`markdown_to_plain`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ctx_lsp.hover.apis import plain_inline

SEPARATOR = "\n\n---\n\n"
PLAIN_SEPARATOR = "\n\n"
# More bullets than this turn a popup into a page; the long form is `ctx-lsp explain`.
MAX_BULLETS = 4

_FENCE = re.compile(r"^\s*```")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def site_block(title: str, facts: Sequence[str]) -> str:
    """The first line (the one fact about this site) and a few bullets under it."""
    return "\n".join([title, *(f"- {fact}" for fact in facts[:MAX_BULLETS])])


def markdown_to_plain(text: str) -> str:
    """The small markdown subset ctx-lsp writes, as plain text: code blocks indented,
    headings and emphasis unmarked (also bold that wraps across lines), links as
    ``text (url)``."""
    out: list[str] = []
    prose: list[str] = []
    in_code = False

    def flush_prose() -> None:
        if prose:
            out.append(plain_inline("\n".join(prose)))
            prose.clear()

    for line in text.splitlines():
        if _FENCE.match(line):
            flush_prose()
            in_code = not in_code
            continue
        if in_code:
            out.append("    " + line if line else "")
            continue
        heading = _HEADING.match(line)
        prose.append(_LINK.sub(r"\1 (\2)", heading.group(1) if heading else line))
    flush_prose()
    return "\n".join(out)
