"""The records API facts are kept in: an API, its sections, and facts with their sources."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ctx_lsp.knowledge.versions import GoVersion


@attrs.frozen
class Fact:
    """One statement shown to users; ``source`` says where it was verified (not shown).

    ``min_go``/``before_go`` restrict the fact to modules whose go.mod version is at least
    ``min_go`` / older than ``before_go`` (a behaviour that changed across releases).
    """

    text: str
    source: str
    min_go: GoVersion | None = None
    before_go: GoVersion | None = None

    def applies_to(self, go_version: GoVersion, old_timers: bool | None = None) -> bool:
        """``old_timers``: the file's timer semantics when known (GODEBUG asynctimerchan can bring
        the pre-1.23 timers back on a newer go line); facts bounded by Go 1.23 follow it."""
        if old_timers is not None and (self.min_go == (1, 23) or self.before_go == (1, 23)):
            return old_timers == (self.before_go is not None)
        if self.min_go is not None and go_version < self.min_go:
            return False
        return not (self.before_go is not None and go_version >= self.before_go)


@attrs.frozen
class Section:
    title: str
    facts: tuple[Fact, ...]


@attrs.frozen
class ApiInfo:
    """Hover knowledge for one exported Go function, method or type.

    ``mechanism`` is the two- or three-sentence account of what the runtime does that a hover
    shows under the signature (the sections are the long form of ``ctx-lsp explain``).
    ``releaser`` names the function result the caller must call to release what the call
    holds ("cancel" or "stop"), or is None; ``arms_timer`` says whether the call starts a
    runtime timer that keeps its context reachable until the deadline.
    """

    import_path: str
    name: str
    since: GoVersion
    since_source: str
    signature: str
    summary: str
    sections: tuple[Section, ...]
    releaser: str | None = None
    arms_timer: bool = False
    mechanism: tuple[Fact, ...] = ()

    @property
    def package_name(self) -> str:
        return self.import_path.rsplit("/", 1)[-1]

    @property
    def qualified_name(self) -> str:
        """The name as Go code writes it: ``signal.NotifyContext``, ``(*time.Timer).Stop``."""
        if "." in self.name:
            receiver, method = self.name.split(".", 1)
            return f"(*{self.package_name}.{receiver}).{method}" if self.pointer_receiver \
                else f"{self.package_name}.{receiver}.{method}"
        return f"{self.package_name}.{self.name}"

    @property
    def pointer_receiver(self) -> bool:
        return self.signature.startswith("func (") and "*" in self.signature.split(")", 1)[0]

    @property
    def full_name(self) -> str:
        """Unambiguous name with the whole import path: ``os/signal.NotifyContext``."""
        return f"{self.import_path}.{self.name}"

    def all_facts(self) -> Iterable[Fact]:
        yield from self.mechanism
        for section in self.sections:
            yield from section.facts
