"""Hover/explain texts: key runtime facts per API, no myths, and the myth detectors themselves.

The expectations here are written independently of ``ctx_lsp/hover/apis.py``: each API's
key facts come from the issue ("Hover: explain what the Go runtime actually does") and
docs/runtime-facts.md, phrased as loose regular expressions so rewording the hover text does
not break them but dropping a fact does.
"""

from __future__ import annotations

import importlib
import re

import pytest

from ctx_lsp.hover import apis
from ctx_lsp.hover.false_claims import FALSE_CLAIMS, find_false_claims, normalise_prose

# ---------------------------------------------------------------------------------------
# The 21 APIs and their introduction versions (api/go1.N.txt).
# ---------------------------------------------------------------------------------------

EXPECTED_VERSIONS: dict[str, tuple[int, int]] = {
    "context.Background": (1, 7),
    "context.TODO": (1, 7),
    "context.WithCancel": (1, 7),
    "context.WithCancelCause": (1, 20),
    "context.WithTimeout": (1, 7),
    "context.WithTimeoutCause": (1, 21),
    "context.WithDeadline": (1, 7),
    "context.WithDeadlineCause": (1, 21),
    "context.WithValue": (1, 7),
    "context.WithoutCancel": (1, 21),
    "context.AfterFunc": (1, 21),
    "context.Cause": (1, 20),
    "os/signal.NotifyContext": (1, 16),
    "runtime.SetFinalizer": (1, 0),
    "runtime.AddCleanup": (1, 24),
    "runtime.KeepAlive": (1, 7),
    "runtime.GC": (1, 0),
    "runtime.Stack": (1, 0),
    "runtime/debug.SetGCPercent": (1, 1),
    "runtime/debug.FreeOSMemory": (1, 1),
    "time.AfterFunc": (1, 0),
}

# Shared expectations, so every constructor of one family is held to the same facts.
_LINKS_TO_PARENT = [
    r"children` map|children map",  # registration in the parent's children map
    r"watcher goroutine",  # only for unrecognised custom parents
    r"Done\(\)` is nil|Done\(\)` returns nil|whose `Done\(\)` is nil",  # nothing for Done-nil parents
    r"nothing is registered",
]
_CANCEL_SEMANTICS = [
    r"[Ii]dempotent|later calls do nothing",
    r"several goroutines|multiple goroutines|concurrent",
    r"does \*\*not\*\* wait|does not wait",
    r"defer cancel\(\)",
]
_WITH_CANCEL_FACTS = [
    *_LINKS_TO_PARENT,
    *_CANCEL_SEMANTICS,
    r"until the parent or an ancestor is canceled|until the parent .{0,20}canceled",
    r"garbage once unreferenced",  # the Background caveat (experiment B)
    r"deletes its (?:single|own|one) entry from the parent's map",
]
_DEADLINE_FACTS = [
    *_LINKS_TO_PARENT[:3],
    *_CANCEL_SEMANTICS,
    r"timer",
    r"until the deadline",
    r"stops the timer",
    r"channel timers only|in the heap",  # the Go 1.23 change does not cover it
    r"DeadlineExceeded",
    r"already earlier.{0,80}no timer",
]
_CAUSE_DEADLINE_FACTS = [r"does not set (?:it|the cause)", r"context\.Canceled"]
_ROOT_FACTS = [
    r"not registered|nothing is registered",
    r"garbage once unreferenced",
    r"until\s+the deadline",
    r"never canceled|nobody cancels|until the root itself is canceled",
]

KEY_FACTS: dict[str, list[str]] = {
    "context.Background": [*_ROOT_FACTS],
    "context.TODO": [*_ROOT_FACTS, r"nil Context"],
    "context.WithCancel": _WITH_CANCEL_FACTS,
    "context.WithCancelCause": [
        *_WITH_CANCEL_FACTS,
        r"cancel\(nil\)",
        r"does not change the cause|cause is not changed",
        r"context\.Cause",
    ],
    "context.WithTimeout": _DEADLINE_FACTS,
    "context.WithTimeoutCause": [*_DEADLINE_FACTS, *_CAUSE_DEADLINE_FACTS],
    "context.WithDeadline": _DEADLINE_FACTS,
    "context.WithDeadlineCause": [*_DEADLINE_FACTS, *_CAUSE_DEADLINE_FACTS],
    "context.WithValue": [
        r"no cancel function",
        r"walks up the chain|linear",
        r"built-in type",
        r"request-scoped",
        r"children` map",
    ],
    "context.WithoutCancel": [
        r"no deadline",
        r"Done\(\)` returns nil",
        r"Cause` returns nil",
        r"keeps the parent .{0,30}reachable",
        r"not registered upward|linked to nothing",
    ],
    "context.AfterFunc": [
        r"own goroutine|new goroutine",
        r"already done.{0,40}at once|immediately",
        r"independent",
        r"returns true if it prevented",
        r"does not wait for `f`",
        r"children` map",
        r"exactly once",
    ],
    "context.Cause": [
        r"first cancellation",
        r"returns nil while|nil while `c` is not canceled",
        r"WithoutCancel",
        r"c\.Err\(\)",
        r"does not replace the cause",
    ],
    "os/signal.NotifyContext": [
        r"WithCancel",
        r"signal\.Notify",
        r"starts one goroutine|\*\*starts one goroutine\*\*",
        r"GC root",
        r"signal\.Stop",
        r"default behaviour",
        r"defer stop\(\)",
        r"1\.26",
    ],
    "runtime.SetFinalizer": [
        r"[Rr]esurrection",
        r"[Cc]ycle",
        r"no guarantee that finalizers run before the\s+program exits",
        r"[Oo]ne goroutine runs all finalizers, sequentially",
        r"KeepAlive",
        r"AddCleanup",
        r"finalizer already set|second finalizer",
        r"Close",
        r"last mentions it|last use",
        r"synchroniz",
    ],
    "runtime.AddCleanup": [
        r"no resurrection|does not resurrect",
        r"reachable from `cleanup` or from `arg`",
        r"never runs",
        r"panics",
        r"[Ss]everal cleanups",
        r"no ordering|There is no ordering",
        r"Stop\(\)",
        r"1\.25\+? may run cleanups concurrently|concurrently",
        r"[Nn]ot guaranteed to run",
        r"exits",
    ],
    "runtime.KeepAlive": [
        r"finalizer",
        r"not freed",
        r"no other effect",
        r"does not help contexts|contexts carry no finalizers",
        r"retention",
    ],
    "runtime.GC": [
        r"blocks",
        r"does \*\*not\*\* wait for finalizers|does not wait for finalizers",
        r"root",
        r"forced-gc",
    ],
    "runtime.Stack": [
        r"stops the world",
        r"goroutine <id> \[",
        r"no goroutine-local storage|no goroutine\s+identifier",
        r"context\.Context",
    ],
    "runtime/debug.SetGCPercent": [
        r"disables garbage collection",
        r"memory limit",
        r"makes leaks worse",
        r"never collected",
        r"previous setting",
    ],
    "runtime/debug.FreeOSMemory": [
        r"runtime\.GC\(\)|garbage collection",
        r"operating system",
        r"does not\s+wait for finalizers",
        r"unreachable",
    ],
    "time.AfterFunc": [
        r"own goroutine",
        r"no channel|has no channel",
        r"timer heap",
        r"even if the program drops",
        r"1\.23",
        r"channel\*? timers",
        r"does not wait",
        r"WithTimeout",
    ],
}


def test_the_table_has_exactly_the_21_apis_with_their_versions() -> None:
    table = {api.full_name: api.since for api in apis.all_apis() if "." not in api.name}
    table = {name: since for name, since in table.items() if name in EXPECTED_VERSIONS or since != (1, 0)}
    # The 21 original entries keep their versions; issue 15 added the entries tested in
    # tests/hover/test_missing_positions.py.
    assert {name: table[name] for name in EXPECTED_VERSIONS} == EXPECTED_VERSIONS


def test_key_fact_expectations_cover_every_api() -> None:
    assert set(KEY_FACTS) == set(EXPECTED_VERSIONS)


@pytest.mark.parametrize("full_name", sorted(KEY_FACTS))
def test_hover_states_the_key_facts(full_name: str) -> None:
    import_path, name = full_name.rsplit(".", 1)
    text = apis.render_api(import_path, name, None, markdown=True)
    assert text is not None
    missing = [fact for fact in KEY_FACTS[full_name] if not re.search(fact, text)]
    assert not missing, f"{full_name} hover lacks: {missing}\n\n{text}"


@pytest.mark.parametrize("full_name", sorted(EXPECTED_VERSIONS))
def test_hover_header_names_the_api_and_its_version(full_name: str) -> None:
    import_path, name = full_name.rsplit(".", 1)
    major, minor = EXPECTED_VERSIONS[full_name]
    short = f"{import_path.rsplit('/', 1)[-1]}.{name}"
    for markdown in (True, False):
        text = apis.render_api(import_path, name, None, markdown=markdown)
        assert text is not None
        first_line = text.splitlines()[0]
        assert short in first_line
        assert f"Go {major}.{minor}" in first_line


@pytest.mark.parametrize("full_name", sorted(EXPECTED_VERSIONS))
def test_every_fact_has_a_source_note_that_users_never_see(full_name: str) -> None:
    import_path, name = full_name.rsplit(".", 1)
    api = apis.api_info(import_path, name)
    assert api is not None
    facts = list(api.all_facts())
    assert facts
    rendered = apis.render_info(api, None, markdown=True)
    for fact in facts:
        assert fact.source.strip(), fact.text
        assert fact.source not in rendered


def test_version_warning_only_when_gomod_is_older() -> None:
    older = apis.render_api("context", "WithoutCancel", (1, 20))
    assert older is not None
    assert "requires Go 1.21; this module's go.mod says go 1.20" in older
    for same_or_newer in [(1, 21), (1, 24), None]:
        text = apis.render_api("context", "WithoutCancel", same_or_newer)
        assert text is not None and "requires Go" not in text
    plain = apis.render_api("runtime", "AddCleanup", (1, 23), markdown=False)
    assert plain is not None and "requires Go 1.24; this module's go.mod says go 1.23" in plain


def test_version_comparison_is_numeric_not_textual() -> None:
    # "1.9" < "1.16" numerically although not as strings.
    text = apis.render_api("os/signal", "NotifyContext", (1, 9))
    assert text is not None and "requires Go 1.16; this module's go.mod says go 1.9" in text


def test_plain_text_has_no_markdown_markup() -> None:
    for api in apis.all_apis():
        text = apis.render_info(api, (1, 0), markdown=False)
        assert "`" not in text, api.full_name
        assert "**" not in text, api.full_name
        assert "```" not in text, api.full_name


def test_markdown_shows_the_signature_as_go_code() -> None:
    text = apis.render_api("context", "WithTimeout", None)
    assert text is not None
    assert "```go\nfunc WithTimeout(parent Context, timeout time.Duration) (Context, CancelFunc)\n```" in text


def test_unknown_api_renders_nothing() -> None:
    assert apis.render_api("context", "WithNothing", None) is None
    assert apis.render_api("fmt", "Println", None) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("context.WithTimeout", ["context.WithTimeout"]),
        ("WithTimeout", ["context.WithTimeout"]),
        ("signal.NotifyContext", ["os/signal.NotifyContext"]),
        ("os/signal.NotifyContext", ["os/signal.NotifyContext"]),
        ("debug.SetGCPercent", ["runtime/debug.SetGCPercent"]),
        ("runtime/debug.FreeOSMemory", ["runtime/debug.FreeOSMemory"]),
        ("runtime.SetFinalizer()", ["runtime.SetFinalizer"]),
        ("  KeepAlive ", ["runtime.KeepAlive"]),
        ("AfterFunc", ["context.AfterFunc", "time.AfterFunc"]),
        ("time.AfterFunc", ["time.AfterFunc"]),
        ("context.withtimeout", ["context.WithTimeout"]),
        ("context.WithNothing", []),
        ("fmt.Println", []),
        ("", []),
    ],
)
def test_lookup_api_accepts_the_names_users_type(typed: str, expected: list[str]) -> None:
    assert [api.full_name for api in apis.find_apis(typed)] == expected


def test_lookup_api_prints_every_match_and_none_for_unknown() -> None:
    text = apis.lookup_api("AfterFunc")
    assert text is not None
    assert "context.AfterFunc" in text and "time.AfterFunc" in text
    assert apis.lookup_api("NoSuchThing") is None
    single = apis.lookup_api("context.WithCancel")
    assert single == apis.render_api("context", "WithCancel", None, markdown=False)


def test_cli_explain_prints_the_api_text(capsys: pytest.CaptureFixture[str]) -> None:
    from ctx_lsp.cli import main

    assert main(["explain", "context.WithTimeout"]) == 0
    printed = capsys.readouterr().out
    assert printed.rstrip() == apis.render_api("context", "WithTimeout", None, markdown=False)


# ---------------------------------------------------------------------------------------
# No hover text and no rule doc may repeat a myth.
# ---------------------------------------------------------------------------------------


def _all_hover_texts() -> list[tuple[str, str]]:
    texts = []
    for api in apis.all_apis():
        for go_version in (None, (1, 0), (1, 99)):
            for markdown in (True, False):
                label = f"{api.full_name} go={go_version} markdown={markdown}"
                texts.append((label, apis.render_info(api, go_version, markdown)))
    return texts


@pytest.mark.parametrize(("label", "text"), _all_hover_texts(), ids=lambda value: str(value)[:60])
def test_no_hover_text_states_a_false_claim(label: str, text: str) -> None:
    hits = find_false_claims(text)
    assert not hits, [(hit.claim.label, hit.excerpt) for hit in hits]


def _loaded_rules() -> list[object]:
    try:
        module = importlib.import_module("ctx_lsp.rules")
    except ModuleNotFoundError:
        pytest.skip("ctx_lsp.rules does not exist yet")
    # An empty directory imports as a namespace package (no __file__): still absent.
    if getattr(module, "__file__", None) is None:
        pytest.skip("ctx_lsp.rules does not exist yet")
    return list(module.ALL_RULES)


def test_no_rule_doc_states_a_false_claim() -> None:
    rules = _loaded_rules()
    assert rules, "ALL_RULES is empty"
    problems = {}
    for rule in rules:
        texts = [getattr(rule, "doc", "") or "", getattr(rule, "title", "") or ""]
        hits = [hit for text in texts for hit in find_false_claims(text)]
        if hits:
            problems[rule.id] = [(hit.claim.label, hit.excerpt) for hit in hits]
    assert not problems


# ---------------------------------------------------------------------------------------
# The detectors themselves: each must catch sentences that state its myth and stay quiet on
# true sentences, including ones that deny the myth.
# ---------------------------------------------------------------------------------------

# label fragment -> (sentences stating the myth, true sentences that must not be flagged)
MYTH_SAMPLES: dict[str, tuple[list[str], list[str]]] = {
    "goroutine finalizers exist": (
        [
            "Go 1.23 refactored goroutine finalizer registration in runtime/proc.go.",
            "Since that release, goroutines can be finalized while they are blocked.",
            "Attach a finalizer to the goroutine so its resources get released.",
            "Go 1.23 reworked how finalizers are registered.",
        ],
        [
            "There are no goroutine finalizers.",
            "A single goroutine runs all finalizers for a program, sequentially.",
            "SetFinalizer needs a pointer to a heap object, and a goroutine is no Go value.",
            "Go 1.23 added a doc note that a receiver may become unreachable after its last use.",
        ],
    ),
    "invented finalizer internals": (
        [
            "addfinalizer was split into queueFinalizer and markFinalizerAsReady.",
            "In Go 1.23 finlock was removed from the runtime.",
            "Finalizers are tracked in mheap_.finmap.",
        ],
        [
            "Sweep hands dead finalizers to queuefinalizer while holding finlock.",
            "addfinalizer stores the finalizer as a span special.",
        ],
    ),
    "cancelCtx.children is never cleaned": (
        [
            "The cancelCtx.children map is never cleaned after cancel.",
            "Calling cancel does not remove the child from the parent's children map.",
        ],
        [
            "Cancel sets its own children map to nil and deletes its one entry from the parent's map.",
            "Under a root that nobody cancels, a forgotten child's entry stays in the children map.",
        ],
    ),
    "cancel clears the parent's children map": (
        [
            "cancel() clears the parent's children map.",
            "Calling the cancel function empties the parent's map so the goroutine can be GC'd.",
        ],
        [
            "Cancel deletes only its own entry from the parent's map and drops its own children map.",
            "Calling cancel does not clear the parent's map.",
        ],
    ),
    "runtime.g holds a context": (
        [
            "runtime.g has a context field pointing at the current request.",
            "g0 temporarily takes over the goroutine's context chain.",
            "The g struct stores the ctx of the running goroutine.",
            "Go provides goroutine-local storage through the runtime.",
            "Each goroutine has an implicit context.",
        ],
        [
            "runtime.g has no context field; gobuf.ctxt is a closure register.",
            "g0 is the per-M goroutine with the scheduling stack, used to switch stacks.",
            "Profiler labels are the only per-goroutine data the runtime keeps.",
        ],
    ),
    "testing.T has a GC method": (
        [
            "testing.T has a GC() method since Go 1.23 that waits for finalizers.",
            "Call t.GC() in the test before checking the counter.",
        ],
        [
            "Call runtime.GC() and then wait on a channel that the finalizer closes.",
            "The testing additions in Go 1.24 are T.Context and T.Chdir.",
        ],
    ),
    "runtime.GC waits for finalizers": (
        [
            "runtime.GC waits for all finalizers to run before it returns.",
            "runtime.GC() runs pending finalizers.",
        ],
        [
            "runtime.GC blocks until the collection completes; it does not wait for finalizers.",
            "runtime.GC() runs a collection and blocks the caller.",
        ],
    ),
    "goroutines are garbage collected": (
        [
            "Goroutines that nobody references are garbage collected.",
            "The GC collects blocked goroutines once their channel is unreachable.",
            "An abandoned goroutine is eventually freed by the runtime.",
        ],
        [
            "A single goroutine runs all finalizers and the object is freed by a later GC.",
            "Goroutines are never collected; they end only by returning.",
            "The watcher goroutine returns when either context is canceled.",
            "A blocked goroutine is a GC root, so it keeps its stack reachable.",
        ],
    ),
    "blocked goroutines may be collected": (
        [
            "Blocked goroutines whose stack holds no pointers may be garbage collected.",
            "Leaked goroutines can be reclaimed by the collector.",
        ],
        [
            "A blocked goroutine is a GC root and is never collected.",
            "Blocked goroutines are not collected, whatever their stack holds.",
        ],
    ),
    "a context in a struct keeps the cancel goroutine alive": (
        [
            "Storing ctx in a struct field keeps the cancel goroutine alive.",
            "To keep the cancel goroutine alive, store the context in a struct.",
            "context.WithCancel starts a goroutine that waits for the parent.",
            "Every context has its own goroutine.",
        ],
        [
            "WithCancel starts a watcher goroutine only when the parent is a custom type it cannot recognise.",
            "Do not store contexts in structs; pass ctx as the first parameter.",
        ],
    ),
    "SetGCPercent(-1) / KeepAlive(ctx) prevent premature collection": (
        [
            "runtime.KeepAlive(ctx) prevents the context from being collected too early.",
            "debug.SetGCPercent(-1) fixes premature collection of contexts.",
            "A context can be garbage collected while still in use.",
            "Call runtime.KeepAlive on the context after the request is done.",
        ],
        [
            "SetGCPercent(-1) effectively disables garbage collection unless the memory limit is reached, which makes leaks worse.",
            "Call runtime.KeepAlive(p) after syscall.Read(p.d, buf) so the finalizer cannot close p.d early.",
            "Reachable objects are never collected, so a context in use cannot be collected early.",
        ],
    ),
    "canceling a context kills goroutines": (
        [
            "Canceling a context kills the goroutines that use it.",
            "cancel() terminates all goroutines started with that ctx.",
        ],
        [
            "Cancel only closes Done; goroutines must notice it and return.",
            "Cancelling a context does not stop goroutines.",
            "Calling cancel stops the timer and releases the closure.",
            'A goroutine cannot notice (see "Canceling a context kills goroutines" is a myth).',
        ],
    ),
    "not calling cancel always leaks a goroutine": (
        [
            "Not calling cancel always leaks a goroutine.",
            "Forgetting to call the cancel function leaks a goroutine per request.",
            "Every forgotten cancel leaks a goroutine.",
        ],
        [
            "Not calling cancel leaks a watcher goroutine only when the parent is a custom type.",
            "Not calling cancel keeps the child in the parent's children map.",
        ],
    ),
    "derived from Background leaks forever": (
        [
            "A WithCancel(context.Background()) whose cancel is never called leaks forever.",
            "Children of context.Background() stay registered forever if you skip cancel.",
            "Without cancel the child is retained forever under Background.",
        ],
        [
            "WithCancel(context.Background()) is not registered anywhere; it is garbage once unreferenced.",
            "A WithTimeout under Background is retained only until its deadline.",
        ],
    ),
    "calling cancel twice or concurrently is unsafe": (
        [
            "Calling cancel twice panics because the channel is closed twice.",
            "Calling the cancel function from multiple goroutines is a data race.",
            "The cancel func must only be called once.",
            "Calling cancel concurrently is not safe.",
        ],
        [
            "Calling cancel twice is safe: later calls do nothing.",
            "Calling cancel twice does not panic.",
        ],
    ),
    "Go 1.23 timer collection also frees AfterFunc": (
        [
            "Since Go 1.23, unreferenced AfterFunc timers are garbage collected even without Stop.",
            "Go 1.23 frees the timer of a forgotten WithTimeout context.",
            "Context timers are now collected as soon as the context is unreferenced.",
        ],
        [
            "AfterFunc timers stay in the runtime's heap until they fire or are stopped.",
            "Go 1.23 lets unreferenced channel timers be collected; it does not apply to AfterFunc timers.",
            "A context timer is released only when it fires or when cancel stops it.",
        ],
    ),
    "finalizers always run": (
        [
            "Finalizers always run eventually, so they are a safe place to close files.",
            "Finalizers run at program exit.",
            "Go guarantees that finalizers run before the process exits.",
            "Cleanups are guaranteed to run.",
        ],
        [
            "There is no guarantee that finalizers run before the program exits.",
            "A finalizer may never run.",
            "A single goroutine runs all finalizers, sequentially.",
        ],
    ),
    "finalizers run in parallel": (
        [
            "Finalizers run concurrently on multiple goroutines.",
            "Each finalizer runs in its own goroutine.",
        ],
        [
            "A single goroutine runs all finalizers, sequentially.",
            "Unlike finalizers, cleanups may run concurrently since Go 1.25.",
            "Cleanups run on the finalizer goroutine in Go 1.24 and may run concurrently from Go 1.25.",
        ],
    ),
    "AddCleanup resurrects the object": (
        [
            "Like SetFinalizer, AddCleanup resurrects the object before the cleanup runs.",
            "The cleanup function receives the object pointer.",
        ],
        [
            "AddCleanup never resurrects the object; the cleanup receives arg.",
            "Cleanups receive arg, not the object.",
            "Finalizers resurrect the object, cleanups do not.",
        ],
    ),
    "official goroutine ID API": (
        [
            "Use the official API for the goroutine ID.",
            "runtime.Goid() returns the current goroutine's id.",
            "The runtime exposes a goroutine ID for per-goroutine state.",
        ],
        [
            "There is no public goroutine ID API.",
            "Each stack trace starts with goroutine <id> [ followed by the state.",
        ],
    ),
    "leak profile frees leaked goroutines": (
        [
            "The Go 1.26 goroutine leak profile frees leaked goroutines.",
            "With the leak detector enabled, leaked goroutines are garbage collected.",
        ],
        [
            "The leak profile reports leaked goroutines; they are kept as roots.",
            "Leaked goroutines are reported, not freed.",
        ],
    ),
}


def _claim_for(fragment: str):
    matches = [claim for claim in FALSE_CLAIMS if fragment in claim.label]
    assert len(matches) == 1, (fragment, [claim.label for claim in matches])
    return matches[0]


def test_every_detector_has_samples() -> None:
    covered = {_claim_for(fragment).label for fragment in MYTH_SAMPLES}
    assert covered == {claim.label for claim in FALSE_CLAIMS}


def test_every_detector_names_its_runtime_facts_section() -> None:
    for claim in FALSE_CLAIMS:
        assert re.search(r"§\d", claim.section), claim.label


_POSITIVE_CASES = [
    (fragment, sentence) for fragment, (positives, _) in MYTH_SAMPLES.items() for sentence in positives
]
_NEGATIVE_CASES = [
    (fragment, sentence) for fragment, (_, negatives) in MYTH_SAMPLES.items() for sentence in negatives
]


@pytest.mark.parametrize(("fragment", "sentence"), _POSITIVE_CASES)
def test_detector_catches_the_myth(fragment: str, sentence: str) -> None:
    claim = _claim_for(fragment)
    labels = [hit.claim.label for hit in find_false_claims(sentence)]
    assert claim.label in labels, sentence


@pytest.mark.parametrize(("fragment", "sentence"), _NEGATIVE_CASES)
def test_true_sentence_is_not_flagged_by_any_detector(fragment: str, sentence: str) -> None:
    hits = find_false_claims(sentence)
    assert not hits, [(hit.claim.label, hit.excerpt) for hit in hits]


def test_detectors_see_through_markdown_markup() -> None:
    assert find_false_claims("`runtime.KeepAlive(ctx)` **prevents** the context from being collected early.")
    assert find_false_claims("- Finalizers\n  *always* run.")
    assert normalise_prose("`a`  **b**\n c") == "a b c"


def test_api_versions_agree_with_the_knowledge_layer() -> None:
    """The rules read versions from ctx_lsp.knowledge.contexts.SINCE; hover must say the same."""
    from ctx_lsp.knowledge.contexts import SINCE

    for (import_path, name), since in SINCE.items():
        api = apis.api_info(import_path, name)
        assert api is not None and api.since == since, (import_path, name)
