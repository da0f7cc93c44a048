"""Rendering API facts: the short popup form for hover and the long form for explain.

Both forms keep only the facts that hold for the module's Go version
(:meth:`ctx_lsp.hover.apis.model.Fact.applies_to`); without a go.mod they speak about
:data:`ctx_lsp.knowledge.versions.ASSUMED_GO_VERSION` and say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ctx_lsp.hover.apis.model import ApiInfo, Fact
from ctx_lsp.knowledge import versions
from ctx_lsp.knowledge.versions import GoVersion

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])\*(?!\s)([^*`]+?)(?<!\s)\*(?![\w*])")
_CODE = re.compile(r"`([^`]*)`")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")
# A popup shows this many mechanism facts under the signature when an API has none of its own.
_POPUP_FACTS = 2


def plain_inline(text: str) -> str:
    """Markdown inline markup (bold, emphasis, code spans) removed, for plain-text clients."""
    # Code spans are set aside first, so a `*cancelCtx` inside one is not taken for
    # emphasis, and bold that encloses a code span is still recognised.
    spans: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        spans.append(match.group(1))
        return f"\x00{len(spans) - 1}\x00"

    stripped = _EMPHASIS.sub(r"\1", _BOLD.sub(r"\1", _CODE.sub(set_aside, text)))
    return _PLACEHOLDER.sub(lambda match: spans[int(match.group(1))], stripped)


def version_warning(api: ApiInfo, go_version: GoVersion | None) -> str | None:
    """``requires Go X.Y; this module's go.mod says go A.B`` when the module is older."""
    if go_version is None or tuple(go_version[:2]) >= api.since:
        return None
    return (f"requires Go {versions.format_version(api.since)}; this module's go.mod says "
            f"go {versions.format_version((go_version[0], go_version[1]))}")


def _applicable(facts: Iterable[Fact], go_version: GoVersion | None, old_timers: bool | None = None) -> list[Fact]:
    effective = versions.effective(go_version)
    return [fact for fact in facts if fact.applies_to(effective, old_timers)]


def _heading(api: ApiInfo, go_version: GoVersion | None) -> str:
    return f"`{api.qualified_name}` · since Go {versions.format_version(api.since)} · {versions.describe(go_version)}"


def mechanism(api: ApiInfo, go_version: GoVersion | None, old_timers: bool | None = None) -> list[Fact]:
    """The two or three sentences a popup shows: the API's own mechanism, else the first facts
    of its first section."""
    if api.mechanism:
        return _applicable(api.mechanism, go_version, old_timers)
    first = api.sections[0].facts if api.sections else ()
    return _applicable(first, go_version, old_timers)[:_POPUP_FACTS]


def render_popup(api: ApiInfo, go_version: GoVersion | None, markdown: bool = True,
                 old_timers: bool | None = None) -> str:
    """The API part of a hover: name, version line, signature, summary and mechanism."""
    warning = version_warning(api, go_version)
    facts = [api.summary] + [fact.text for fact in mechanism(api, go_version, old_timers)]
    if markdown:
        lines = [_heading(api, go_version)]
        if warning:
            lines += [f"**Warning:** {warning}."]
        lines += ["```go", api.signature, "```", " ".join(facts)]
        return "\n".join(lines)
    lines = [plain_inline(_heading(api, go_version))]
    if warning:
        lines += [f"Warning: {warning}."]
    lines += [f"    {api.signature}", plain_inline(" ".join(facts))]
    return "\n".join(lines)


def render_info(api: ApiInfo, go_version: GoVersion | None, markdown: bool = True) -> str:
    """The long text for ``ctx-lsp explain API``: every section, for the module's version."""
    if markdown:
        return _render_markdown(api, go_version)
    return _render_plain(api, go_version)


def _render_markdown(api: ApiInfo, go_version: GoVersion | None) -> str:
    lines = [f"**{api.qualified_name}** · since Go {versions.format_version(api.since)} · "
             f"{versions.describe(go_version)}"]
    warning = version_warning(api, go_version)
    if warning:
        lines += ["", f"**Warning:** {warning}."]
    lines += ["", "```go", api.signature, "```", "", api.summary]
    if api.mechanism:
        lines += ["", *(f"- {fact.text}" for fact in _applicable(api.mechanism, go_version))]
    for section in api.sections:
        facts = _applicable(section.facts, go_version)
        if facts:
            lines += ["", f"**{section.title}**", ""]
            lines += [f"- {fact.text}" for fact in facts]
    return "\n".join(lines)


def _render_plain(api: ApiInfo, go_version: GoVersion | None) -> str:
    lines = [f"{api.qualified_name} (since Go {versions.format_version(api.since)}; "
             f"{versions.describe(go_version)})"]
    warning = version_warning(api, go_version)
    if warning:
        lines += ["", f"Warning: {warning}."]
    lines += ["", f"    {api.signature}", "", plain_inline(api.summary)]
    if api.mechanism:
        lines += ["", *(f"  - {plain_inline(fact.text)}" for fact in _applicable(api.mechanism, go_version))]
    for section in api.sections:
        facts = _applicable(section.facts, go_version)
        if facts:
            lines += ["", f"{plain_inline(section.title)}:"]
            lines += [f"  - {plain_inline(fact.text)}" for fact in facts]
    return "\n".join(lines)
