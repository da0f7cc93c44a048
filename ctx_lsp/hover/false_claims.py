"""Detectors for runtime myths that ctx-lsp's prose must never repeat.

docs/runtime-facts.md §6 judges claims that circulate in blog posts and §7 lists myths; each
entry below turns one of them into a regular expression over prose. Tests run every hover
text and every rule DOC through :func:`find_false_claims`, and check each detector against
sentences that state the myth (must match) and true sentences (must not).

Matching works on normalised prose (markdown markup removed, whitespace collapsed,
case-insensitive unless a pattern says otherwise). A true text often *denies* a myth
("cancel does not clear the parent's map"), so by default a match is ignored when its
clause contains a negation; claims whose myth is itself phrased with a negation ("not
calling cancel always leaks a goroutine") set ``negation_exempts=False`` and keep
negations out of their patterns instead. ``exempt`` lists qualifiers that turn a myth
into a true statement ("... starts a goroutine *only* for custom parents").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

# Words that deny what follows. "no" covers "no guarantee", "no longer"; "without" is left
# out on purpose because myths use it ("collected even without Stop").
# A clause that calls the statement a myth, or wrong, denies it too ("... is a myth").
_NEGATION = (
    r"(?:\bnot\b|\bnever\b|\bno\b|\bnone\b|\bnothing\b|\bneither\b|\bnor\b|\bcannot\b|n't\b"
    r"|\bmyths?\b|\bwrong\b|\bincorrect\b)"
)
_NEGATION_RE = re.compile(_NEGATION, re.IGNORECASE)

# A clause ends at sentence punctuation, a comma, a dash, brackets, a colon or a
# conjunction that starts a new statement; negations only count inside the same clause.
_CLAUSE_BREAK = re.compile(
    r"[.;:!?](?=\s|$)|,\s|\s[-\u2013\u2014]\s|[()\[\]]|\b(?:but|so|while|whereas|because|which|instead)\b",
    re.IGNORECASE,
)


def _gap(limit: int, also_forbid: str = "") -> str:
    """Up to ``limit`` characters that stay inside one sentence (and avoid ``also_forbid``)."""
    forbidden = r"[.;!?](?:\s|$)"
    if also_forbid:
        forbidden += "|" + also_forbid
    return rf"(?:(?!{forbidden}).){{0,{limit}}}"


_STRICT_NEGATION = r"\bnot\b|\bnever\b|n't\b"


@attrs.frozen
class FalseClaim:
    """One myth: ``label`` for reports, ``section`` of docs/runtime-facts.md it comes from."""

    label: str
    section: str
    pattern: re.Pattern[str]
    negation_exempts: bool = True
    exempt: re.Pattern[str] | None = None


@attrs.frozen
class ClaimHit:
    claim: FalseClaim
    excerpt: str


def _claim(
    label: str,
    section: str,
    *alternatives: str,
    negation_exempts: bool = True,
    exempt: str | None = None,
) -> FalseClaim:
    pattern = re.compile("|".join(f"(?:{alt})" for alt in alternatives), re.IGNORECASE)
    exempt_re = re.compile(exempt, re.IGNORECASE) if exempt else None
    return FalseClaim(label, section, pattern, negation_exempts, exempt_re)


_FINALIZER = r"finali[sz]ers?"
_COLLECTED = r"(?:garbage[- ]collected|collected|collectable|collectible|freed|reclaimed|gc'?d|swept)"

# Gaps that keep a subject and its predicate in one statement about that subject.
_GOROUTINE_SUBJECT_GAP = _gap(
    40, r",|\b(?:and|which|whose|its|their|objects?|memory|values?|contexts?|timers?|stacks?|channels?)\b"
)
_UNQUALIFIED_GAP = _gap(40, r"\bonly\b|\bcustom\b|\bunless\b|\bif\b|\bwhen\b")
_UNBOUNDED_GAP = _gap(50, r"\bonly\b|\buntil\b")
_FINALIZER_ONLY_GAP = _gap(40, r"\bcleanups?\b|\bunlike\b")
_CLEANUP_ONLY_GAP = _gap(40, r"\bfinali[sz]ers?\b|\bunlike\b|\bSetFinalizer\b")

FALSE_CLAIMS: tuple[FalseClaim, ...] = (
    _claim(
        "goroutine finalizers exist / Go 1.23 refactored finalizer registration",
        "docs/runtime-facts.md §6 #1; §3.4",
        r"\bgoroutines?(?:'s)?\s+finali[sz](?:ers?|ation)\b",
        rf"\b{_FINALIZER}\s+(?:on|for|of|to|attached\s+to)\s+(?:a\s+|the\s+|each\s+|every\s+|blocked\s+)*goroutines?\b",
        rf"\bgoroutines?\b{_gap(30)}\b(?:can|could|may|might|will|are|is|get|gets)\s+(?:be\s+)?finali[sz]ed\b",
        r"\bfinali[sz]e\s+(?:a\s+|the\s+|blocked\s+)*goroutines?\b",
        rf"\b1\.23\b{_gap(40)}\b(?:refactor\w*|rework\w*|rewr(?:ote|itten)|redesign\w*|overhaul\w*)\b{_gap(40)}{_FINALIZER}",
    ),
    _claim(
        "invented finalizer internals (queueFinalizer, markFinalizerAsReady, finmap, finlock removed)",
        "docs/runtime-facts.md §6 #2; §2.5",
        # Case-sensitive: the real function is the lower-case queuefinalizer.
        r"(?-i:\bqueueFinalizer\b)",
        r"\bmarkFinalizerAsReady\b",
        r"\bfinmap\b",
        rf"\bfinlock\b{_gap(20)}\b(?:was|is|has\s+been|got|been)\s+(?:removed|deleted|dropped|eliminated)",
        r"\b(?:remov|delet|drop|eliminat)\w*\s+(?:of\s+)?(?:the\s+)?finlock\b",
        r"\baddfinalizer\b\s+(?:was\s+|is\s+|has\s+been\s+|got\s+)?split\b",
    ),
    _claim(
        "cancelCtx.children is never cleaned after cancel",
        "docs/runtime-facts.md §6 #3",
        rf"\bchildren(?:\s+map)?\b{_gap(40)}\bnever\s+(?:gets?\s+|is\s+|are\s+)?(?:cleaned|cleared|emptied|pruned|shrunk|reset|freed)\b",
        # "cancel does not clear the parent's map" is true; not removing its own entry is not.
        rf"\bcancel\w*\b{_gap(30)}\b(?:does\s+not|doesn't|never)\s+(?:remove|delete)s?\s+(?:the\s+child|its\s+(?:own\s+)?entry|the\s+entry|itself|it|the\s+context)\b",
        negation_exempts=False,
    ),
    _claim(
        "cancel clears the parent's children map",
        "docs/runtime-facts.md §6 #4; §7",
        rf"\bcancel\w*\b{_gap(50)}\b(?:clears?|empties|empty|resets?|wipes?|nils?|drops?|frees?)\s+(?:out\s+)?(?:the\s+|its\s+)?parent(?:'s|s'|s)?\s+(?:whole\s+|entire\s+)?(?:children|child\s+map|map)",
    ),
    _claim(
        "runtime.g holds a context / goroutine-local storage exists",
        "docs/runtime-facts.md §6 #5; §3.1; §7",
        rf"\bruntime\.g\b{_gap(30)}\b(?:has|holds|stores|keeps|contains|carries|includes)\s+(?:a\s+|an\s+|the\s+|its\s+|the\s+current\s+)?(?:context|ctx)\b",
        rf"\bg\s+struct\b{_gap(30)}\b(?:has|holds|stores|keeps|contains|carries)\s+(?:a\s+|the\s+|its\s+)?(?:context|ctx)\b",
        rf"\bg0\b{_gap(40)}\b(?:takes?\s+over|holds?|owns?|carries|inherits?)\b{_gap(30)}\b(?:context|ctx)\b",
        r"\beach\s+goroutine\s+(?:has|carries|holds|owns)\s+(?:its\s+own\s+|an?\s+(?:implicit\s+|hidden\s+)?)(?:context|ctx)\b",
        r"\b(?:go|the\s+runtime|runtime)\s+(?:has|provides|offers|supports)\s+(?:built-in\s+|native\s+|a\s+)?goroutine[- ]local\s+(?:storage|state|variables|contexts?)\b",
    ),
    _claim(
        "testing.T has a GC method",
        "docs/runtime-facts.md §6 #6; §3.4",
        r"(?-i:\b(?:testing\.)?(?:T|B|TB|F|t|b|tb)\.GC\b)",
        rf"\btesting\.(?:T|B|TB)\b{_gap(30)}\bGC\s*(?:\(\s*\))?\s+method\b",
    ),
    _claim(
        "runtime.GC waits for finalizers",
        "docs/runtime-facts.md §6 #6; §3.4",
        rf"\bruntime\.GC\b(?:\(\))?{_gap(40)}\b(?:waits?|blocks?)\s+(?:until|for)\s+(?:all\s+|pending\s+|the\s+|queued\s+)?(?:{_FINALIZER}|cleanups?)\b",
        rf"\b(?:runtime\.)?GC\(\)\s+(?:runs|executes|flushes)\s+(?:all\s+|pending\s+|the\s+)?(?:{_FINALIZER}|cleanups?)\b",
    ),
    _claim(
        "goroutines are garbage collected",
        "docs/runtime-facts.md §6 #7; §3.5; §7",
        rf"\bgoroutines?\b{_GOROUTINE_SUBJECT_GAP}"
        rf"\b(?:are|is|get|gets|got|be|being|become|becomes)\s+(?:eventually\s+|automatically\s+|then\s+|also\s+)?{_COLLECTED}\b",
        rf"\b(?:gc|garbage\s+collector|collector)\b{_gap(30)}\b(?:collects?|frees?|reclaims?|kills?|removes?)\s+(?:the\s+|a\s+|any\s+|all\s+|blocked\s+|leaked\s+|idle\s+|unreachable\s+)*goroutines?\b",
    ),
    _claim(
        "blocked goroutines may be collected",
        "docs/runtime-facts.md §6 #7; §3.5",
        rf"\b(?:blocked|leaked|idle|stuck|parked|sleeping|orphaned)\s+goroutines?\b{_gap(60, _STRICT_NEGATION)}"
        rf"\b(?:may|can|could|will|might|are|get)\s+(?:be\s+|eventually\s+be\s+)?{_COLLECTED}\b",
        negation_exempts=False,
    ),
    _claim(
        "a context in a struct keeps the cancel goroutine alive / standard contexts start goroutines",
        "docs/runtime-facts.md §6 #8; §1.2 step 6",
        rf"\b(?:stor\w*|keep\w*|hold\w*|put\w*|sav\w*|cach\w*)\s+(?:the\s+|a\s+|your\s+)?(?:ctx|context)\s+in\s+(?:a\s+|the\s+)?struct(?:\s+field)?\b{_gap(60)}\bkeeps?\s+(?:the\s+)?(?:cancel(?:lation)?\s+|watcher\s+|context\s+)?goroutines?\s+alive",
        rf"\bkeeps?\s+(?:the\s+)?(?:cancel(?:lation)?\s+|watcher\s+|context\s+)?goroutines?\s+alive\b{_gap(60)}\b(?:stor\w*|keep\w*|hold\w*|put\w*)\s+(?:the\s+|a\s+)?(?:ctx|context)\s+in\s+(?:a\s+)?struct",
        rf"\b(?:context\.)?(?:WithCancel|WithCancelCause|WithTimeout|WithDeadline|WithValue)\b(?:\(\))?{_gap(40)}\b(?:starts?|spawns?|launch(?:es)?|creates?|runs?)\s+(?:a\s+|one\s+|an?\s+(?:internal|background|helper)\s+|its\s+own\s+)?goroutine",
        r"\bevery\s+(?:derived\s+)?context\s+(?:has|starts|owns|gets|needs)\s+(?:a|its\s+own)\s+goroutine",
        exempt=r"\b(?:only|custom|unrecogni[sz]ed|unless|foreign)\b",
    ),
    _claim(
        "SetGCPercent(-1) / KeepAlive(ctx) prevent premature collection of contexts",
        "docs/runtime-facts.md §6 #9; §2.2",
        rf"(?:\b(?:debug\.)?SetGCPercent\(\s*-1\s*\)|\b(?:runtime\.)?KeepAlive\(\s*(?:ctx|context|parent|the\s+context)\s*\)){_gap(60)}\b(?:prevents?|fix(?:es)?|avoids?|stops?|protects?|keeps?)\b{_gap(40)}(?:premature|early|being\s+(?:garbage[- ])?collected|collect)",
        rf"\b(?:use|call|add)\s+(?:runtime\.)?KeepAlive\s*(?:\(\s*(?:ctx|context)\s*\))?\s+(?:on|for|with|to)\b{_gap(40)}\b(?:ctx|contexts?)\b",
        rf"\bcontexts?\b{_gap(40)}\b(?:can|could|may|might|will)\s+(?:be\s+)?(?:garbage[- ]collected|collected|freed|reclaimed)\s+(?:too\s+)?(?:early|prematurely|while\s+(?:still\s+)?(?:in\s+use|being\s+used|needed))",
        r"\bpremature(?:ly)?\s+(?:garbage\s+)?collect\w*\s+of\s+(?:the\s+|a\s+)?contexts?\b",
    ),
    _claim(
        "canceling a context kills goroutines",
        "docs/runtime-facts.md §7",
        rf"\bcancel\w*\b(?:\s+(?:a|the|its|parent|child|derived))*(?:\s+(?:context|ctx))?{_gap(40)}\b(?:kills?|terminates?|aborts?|interrupts?|preempts?|forcibly\s+stops?|stops?|ends?)\s+(?:the\s+|all\s+|any\s+|its\s+|running\s+|every\s+|associated\s+|child\s+|related\s+)*goroutines?\b",
    ),
    _claim(
        "not calling cancel always leaks a goroutine",
        "docs/runtime-facts.md §7; §1.6",
        rf"\b(?:not|never|without|forgetting\s+to|forget\s+to|failing\s+to|fail\s+to|neglecting\s+to)\s+(?:calling|call|invoking|invoke)\s+(?:the\s+)?cancel\w*(?:\s+(?:function|func))?\b{_UNQUALIFIED_GAP}\b(?:always\s+)?leaks?\s+(?:a|one|the|an\s+extra)?\s*goroutines?\b",
        rf"\b(?:forgotten|missing|uncalled|discarded|lost)\s+cancel\w*(?:\s+(?:function|func|call))?\b{_gap(40)}\b(?:always\s+)?leaks?\s+(?:a|one|the)?\s*goroutines?\b",
        negation_exempts=False,
        exempt=r"\b(?:only|custom|unrecogni[sz]ed|unless)\b",
    ),
    _claim(
        "a context derived from Background leaks forever without cancel",
        "docs/runtime-facts.md §7; §1.6",
        rf"\b(?:Background|TODO)\b(?:\(\))?{_UNBOUNDED_GAP}\b(?:leaks?|is\s+leaked|are\s+leaked|retained|kept\s+alive|stays?\s+(?:alive|reachable|registered|in\s+memory)|remains?\s+(?:alive|reachable|registered))\s+forever\b",
        rf"\bforever\b{_gap(30)}\b(?:under|below|from|of|derived\s+from)\s+(?:context\.)?(?:Background|TODO)\b",
        negation_exempts=False,
    ),
    _claim(
        "calling cancel twice or concurrently is unsafe",
        "docs/runtime-facts.md §7; §1.3",
        rf"\b(?:call\w*|invok\w*)\s+(?:the\s+|a\s+)?cancel\w*(?:\s+(?:function|func))?(?:\(\))?\s+(?:twice|more\s+than\s+once|again|multiple\s+times|repeatedly|concurrently|from\s+(?:several|multiple|two|many)\s+goroutines)\b{_gap(30, _STRICT_NEGATION)}"
        r"(?:\bunsafe\b|\bpanics?\b|\bis\s+a\s+bug\b|\bdata\s+races?\b|\bracy\b|\bnot\s+safe\b|\bisn't\s+safe\b|\bnot\s+allowed\b|\bcrash\w*|\bdouble[- ]close)",
        r"\bcancel\w*(?:\s+functions?|\s+funcs?)?\s+(?:must|should|may|can)\s+(?:only\s+)?be\s+called\s+(?:only\s+)?once\b",
        r"\bcancel\w*(?:\s+functions?|\s+funcs?)?\s+(?:must|should)\s+not\s+be\s+called\s+(?:twice|again|concurrently|more\s+than\s+once|from\s+(?:several|multiple)\s+goroutines)",
        negation_exempts=False,
    ),
    _claim(
        "Go 1.23 timer collection also frees AfterFunc / context timers",
        "docs/runtime-facts.md §7; §1.4; §4",
        rf"\b(?:(?:time\.)?AfterFunc|func(?:tion)?|context|WithTimeout|WithDeadline|deadline)[- ]timers?\b{_gap(40)}\b(?:are|is|can\s+be|get|gets|become|becomes|will\s+be)\s+(?:now\s+|also\s+|immediately\s+)?(?:garbage[- ]collected|collected|collectable|collectible|freed|released|gc'?d)\b",
        rf"\b1\.23\b{_gap(60)}\b(?:collects?|frees?|reclaims?|releases?)\b{_gap(40)}\b(?:AfterFunc|WithTimeout|WithDeadline|context(?:'s)?\s+timers?|func(?:tion)?\s+timers?)",
        exempt=r"\b(?:only|until|unless|channel\s+timers?)\b|\bwhen\s+(?:it|they)\s+fires?\b|\bonce\s+(?:it|they)\s+fires?\b",
    ),
    _claim(
        "finalizers always run / run at exit",
        "docs/runtime-facts.md §7; §2.1",
        rf"\b(?:{_FINALIZER}|cleanups?)\b{_gap(30)}\b(?:always|are\s+guaranteed\s+to|is\s+guaranteed\s+to|will\s+always|reliably)\s+(?:be\s+)?(?:run|runs|called|executed|execute|fire)\b",
        rf"\b(?:{_FINALIZER}|cleanups?)\b{_gap(40)}\b(?:run|runs|are\s+run|are\s+called|execute|fire|are\s+executed|is\s+run)\s+(?:at|on|before|during)\s+(?:program\s+|process\s+)?(?:exit|shutdown|termination)\b",
        rf"\b(?:at|on|before)\s+(?:program\s+|process\s+)?exit\b{_gap(30)}\b(?:{_FINALIZER}|cleanups?)\s+(?:run|are\s+run|are\s+called|execute)\b",
        rf"\bguarantee[sd]?\s+(?:that\s+)?(?:the\s+)?(?:{_FINALIZER}|cleanups?)\s+(?:will\s+)?(?:run|runs|are\s+run)\b",
    ),
    _claim(
        "finalizers run in parallel",
        "docs/runtime-facts.md §7; §2.1",
        # "the finalizer goroutine" names the goroutine, not the finalizers.
        rf"\b{_FINALIZER}\b(?!\s+(?:goroutine|queue|thread))"
        rf"{_FINALIZER_ONLY_GAP}\b(?:run|runs|are\s+run|execute|are\s+executed|are\s+called)\s+(?:concurrently|in\s+parallel|simultaneously|on\s+(?:multiple|several|many|separate|different)\s+goroutines|in\s+(?:multiple|several|separate)\s+goroutines|each\s+in\s+(?:its|their)\s+own\s+goroutine)\b",
        r"\beach\s+finali[sz]er\s+(?:runs|is\s+run|gets)\s+(?:in\s+|on\s+)?(?:its\s+own|a\s+new|a\s+separate|a\s+dedicated)\s+goroutine\b",
    ),
    _claim(
        "AddCleanup resurrects the object",
        "docs/runtime-facts.md §7; §2.3",
        rf"\b(?:AddCleanup|cleanups?)\b{_CLEANUP_ONLY_GAP}\bresurrects?\b",
        r"\bcleanups?\s+(?:function\s+|callback\s+)?(?:receives?|gets|is\s+passed|is\s+called\s+with|takes)\s+(?:the\s+)?(?:object|ptr|pointer)\b",
    ),
    _claim(
        "there is an official goroutine ID API",
        "docs/runtime-facts.md §7; §3.2",
        r"\b(?:official|public|exported|documented|standard|supported|built-in)\s+(?:api\s+(?:for|to\s+(?:get|read|obtain))\s+(?:the\s+|a\s+)?goroutine(?:'s)?\s+ids?|goroutine[- ]ids?\s+(?:api|function|accessor))\b",
        rf"\bruntime\.(?:Goid|GoID|GoroutineID|GetGoroutineID|CurrentGoroutineID)\b(?:\(\))?{_gap(30)}\b(?:returns|gives|reports|exposes)\b",
        r"\b(?:go|the\s+runtime|runtime)\s+(?:exposes|provides|offers|has)\s+(?:a\s+|an\s+)?(?:public\s+|official\s+)?goroutine[- ]ids?\b",
    ),
    _claim(
        "the goroutine leak profile frees leaked goroutines",
        "docs/runtime-facts.md §7; §3.6",
        rf"\b(?:goroutine\s*leak|goroutineleak|leak)\s+(?:profile|profiler|detector|detection)\b{_gap(60)}\b(?:frees?|collects?|reclaims?|releases?|kills?|cleans\s+up)\b{_gap(30)}\bgoroutines?\b",
        rf"\bleaked\s+goroutines?\b{_gap(30)}\b(?:are|get|gets|is|will\s+be|can\s+be)\s+(?:now\s+|then\s+)?(?:freed|collected|garbage[- ]collected|reclaimed|released)\b",
    ),
)


_MARKUP = re.compile(r"`|\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_WHITESPACE = re.compile(r"\s+")


def normalise_prose(text: str) -> str:
    """Markdown emphasis and code markers removed and whitespace collapsed to single spaces."""
    return _WHITESPACE.sub(" ", _MARKUP.sub("", text)).strip()


def _clause_span(text: str, start: int, end: int) -> tuple[int, int]:
    """From the clause break before ``start`` to the first one after ``end``."""
    clause_start = 0
    for brk in _CLAUSE_BREAK.finditer(text, 0, start):
        clause_start = brk.end()
    after = _CLAUSE_BREAK.search(text, end)
    return clause_start, after.start() if after else len(text)


def _hits_of(claim: FalseClaim, text: str) -> Iterable[ClaimHit]:
    for match in claim.pattern.finditer(text):
        clause_start, clause_end = _clause_span(text, match.start(), match.end())
        # The region always covers the whole match, even when the match spans clauses.
        region = text[min(clause_start, match.start()) : max(clause_end, match.end())]
        if claim.negation_exempts and _NEGATION_RE.search(region):
            continue
        if claim.exempt is not None and claim.exempt.search(region):
            continue
        yield ClaimHit(claim, match.group(0))


def find_false_claims(text: str) -> list[ClaimHit]:
    """Every myth stated in ``text`` (markdown or plain prose), in claim order."""
    prose = normalise_prose(text)
    hits: list[ClaimHit] = []
    for claim in FALSE_CLAIMS:
        hits.extend(_hits_of(claim, prose))
    return hits
