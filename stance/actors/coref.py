"""Reference resolution over the spaCy parse: pronouns, roles and quoted first persons → actors.

No pretrained coreference model installs offline (coreferee's English model and the
fastcoref/SpanBERT weights are separate downloads), so this is a small rule-based resolver
over the parse the actor extractor already makes. Each rule maps a word of the text to an
actor found by :mod:`stance.actors.extractor`, with exact offsets into the caller's text, so
the sentence's pairs can be scored for that actor.

Rules (each resolved reference records its rule):

* ``pronoun``: a third-person personal pronoun or possessive (he, him, his, she, her) →
  the last person named before it in its own sentence, else the first person named in the
  nearest of the two previous sentences (the subject, usually).
* ``quote``: a first-person pronoun (I, we, my, our, me, us) inside a quotation → the
  quotation's speaker: the person (else organisation) named, or referred to by a resolved
  pronoun, in its attribution clause right after the closing quotation mark ("…,” said X" /
  "…,” X said"), else the first one in the nearest clause with a verb of saying before the
  opening mark ("X said: “…", "X said Y “…").
* ``it``: "it" as the subject of a verb of saying or stance ("It said…", "it rejected…")
  and "its" before an office or a spokesperson ("its health secretary") → the country or
  organisation named as the grammatical subject of the sentence before ("The Brewers Guild
  wrote to ministers. It said…"); nothing when that subject names none.
* ``role``: "the president", "the governor", "the chancellor"… (a role noun with "the" or
  a possessive, no name) → the most recent person given that title earlier in the article
  ("President Trump", "Gov. Cuomo") or whose knowledge-base role names it.

* ``body``: "the union", "the group", "the committee"… (the bare definite subject of a verb
  of saying) → the organisation named last, at most three sentences back, whose name ends in
  that noun ("The National Education Union … The union said…"); for a generic noun ("the
  group", "the company", "the charity") without one, the organisation named as the subject of
  the sentence before.
References inside an actor's own mention are skipped, and so are those whose antecedent is
already named in the same sentence (the name is scored there already).

Example:
    >>> refs = resolve_references(text, candidates, actors, sentences)  # doctest: +SKIP
    >>> [(r.span.text, r.actor, r.rule) for r in refs]  # doctest: +SKIP
    [('He', 'Donald Trump', 'pronoun')]
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from stance.results import Actor, Span

logger = logging.getLogger(__name__)

__all__ = [
    "Reference",
    "ResolvedReference",
    "reference_candidates",
    "resolve_references",
    "quote_speakers",
    "RULES",
    "DEFAULT_RULES",
]

#: Every rule :func:`resolve_references` knows.
RULES = ("pronoun", "quote", "role", "it", "body")
#: The rules it applies by default (``it`` resolved almost nothing on SEESAW validation and
#: did not change the end-to-end score, so it is opt-in; ``body`` resolves 1 reference on
#: validation and 6 on train, each read as right).
DEFAULT_RULES = ("pronoun", "quote", "role", "body")

_PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
_FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us"})
_SINGULAR_FIRST = frozenset({"i", "my", "me"})
_SAY_VERBS = frozenset(
    """say tell add write state declare announce argue insist note warn claim accuse deny reject
    oppose support back welcome criticize criticise condemn urge call demand threaten vow pledge
    promise refuse dismiss blame praise respond accept approve propose seek want""".split()
)
_SPOKESPERSON_NOUNS = frozenset(
    """secretary minister spokesman spokeswoman spokesperson leader leaders president chief head
    officials official ambassador envoy government chairman chairwoman director representative
    representatives lawyer lawyers statement""".split()
)
_ROLE_NOUNS = frozenset(
    """
    president governor chancellor senator speaker secretary minister mayor premier ambassador
    spokesman spokeswoman spokesperson director chairman chairwoman chair leader congressman
    congresswoman representative judge attorney prosecutor commissioner
    """.split()
)
# Title words that, written before a name, give the person that role ("Gov." -> governor).
_TITLE_ROLE = {
    "president": "president",
    "pres": "president",
    "gov": "governor",
    "governor": "governor",
    "chancellor": "chancellor",
    "sen": "senator",
    "senator": "senator",
    "speaker": "speaker",
    "secretary": "secretary",
    "minister": "minister",
    "mayor": "mayor",
    "premier": "premier",
    "ambassador": "ambassador",
    "rep": "representative",
    "representative": "representative",
    "congressman": "congressman",
    "congresswoman": "congresswoman",
    "judge": "judge",
    "director": "director",
    "chairman": "chairman",
    "chairwoman": "chairwoman",
    "leader": "leader",
    "commissioner": "commissioner",
    "prosecutor": "prosecutor",
}
# Nouns for a body ("The union said..."): the organisation named with that last word, or for the
# generic ones, the organisation that was the subject of the sentence before.
_BODY_NOUNS = frozenset(
    """union association federation foundation agency ministry coalition party alliance guild council
    commission committee institute society confederation""".split()
)
_GENERIC_BODY_NOUNS = frozenset("group company firm charity organisation organization body".split())
_ALL_BODY_NOUNS = _BODY_NOUNS | _GENERIC_BODY_NOUNS
_QUOTE_OPEN = '“"'
_QUOTE_CLOSE = '”"'
_SPEECH = re.compile(
    r"\b(said|says|told|added|wrote|writes|stated|declared|tweeted|asked|argued|insisted|noted|explained|"
    r"warned|continued|according to)\b",
    re.IGNORECASE,
)
_MAX_BACK_SENTENCES = 2
# Which earlier person a pronoun takes when its own sentence names none before it.
_PRONOUN_ORDER = "first-of-previous"


@dataclass(frozen=True)
class Reference:
    """A word that may refer to an actor, read off the parse.

    Attributes:
        span: The word in the caller's text.
        kind: ``"person"`` (he/she…), ``"first"`` (I/we…), ``"role"`` (the president…), ``"it"`` or
            ``"body"`` (the union…).
        key: The lower-cased pronoun, or the role noun.
        subject: For "it"/"its" and a body noun: the span of the grammatical subject of the sentence before
            (its main verb's), where an organisation or a state that "it" continues is named.
    """

    span: Span
    kind: str
    key: str
    subject: tuple[int, int] | None = None


@dataclass(frozen=True)
class ResolvedReference:
    """A reference mapped to an actor: ``span`` is a mention of ``actor`` found by ``rule``."""

    span: Span
    actor: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"span": self.span.to_dict(), "actor": self.actor, "rule": self.rule}


def _previous_subject(doc: Any, tok: Any, offset: int) -> tuple[int, int] | None:
    """Character span (shifted by ``offset``) of the subject of the main verb of the sentence before ``tok``'s."""
    sent = tok.sent
    if sent.start == 0:
        return None
    root = doc[sent.start - 1].sent.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    left, right = subj.left_edge, subj.right_edge
    return (left.idx + offset, right.idx + len(right.text) + offset)


def reference_candidates(doc: Any, offset: int = 0) -> list[Reference]:
    """Pronouns and bare role noun phrases of a parsed chunk (offsets shifted by ``offset``).

    Example:
        >>> [r.key for r in reference_candidates(nlp("He said the president erred."))]  # doctest: +SKIP
        ['he', 'president']
    """
    out: list[Reference] = []
    for tok in doc:
        low = tok.lower_
        if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "PRP$"):
            if low in _PERSON_PRONOUNS:
                kind = "person"
            elif low == "it" and tok.dep_ == "nsubj" and tok.head.lemma_.lower() in _SAY_VERBS:
                kind = "it"
            elif low == "its" and tok.dep_ == "poss" and tok.head.lemma_.lower() in _SPOKESPERSON_NOUNS:
                kind = "it"
            elif low in _FIRST_PERSON and not (low == "us" and tok.text == "US"):
                kind = "first"
            else:
                continue
            s = tok.idx + offset
            subject = _previous_subject(doc, tok, offset) if kind == "it" else None
            out.append(Reference(Span(s, s + len(tok.text), tok.text), kind, low, subject))
        elif (
            tok.tag_ == "NN"
            and low in _ALL_BODY_NOUNS
            and tok.dep_ == "nsubj"
            and tok.head.lemma_.lower() in _SAY_VERBS
            and [t.lower_ for t in tok.lefts] == ["the"]
            and not list(tok.rights)
        ):
            # "The union said ...": a bare definite body noun as the subject of saying
            s = tok.idx + offset
            out.append(
                Reference(Span(s, s + len(tok.text), tok.text), "body", low, _previous_subject(doc, tok, offset))
            )
        elif tok.pos_ == "NOUN" and tok.tag_ == "NN" and low in _ROLE_NOUNS and tok.dep_ != "compound":
            left = list(tok.lefts)
            if len(left) != 1 or left[0].lower_ != "the" or any(t.pos_ == "PROPN" for t in tok.children):
                continue  # only a bare "the president": "the vice president", "the former senator" differ
            if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN":
                continue  # "the president Donald Trump": the name is a mention already
            if any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.rights):
                continue  # "the president of the bank": a different office
            s = tok.idx + offset
            out.append(Reference(Span(s, s + len(tok.text), tok.text), "role", low))
    return out


def _title_roles(text: str, actors: Sequence[Actor]) -> dict[str, set[str]]:
    """Roles each person holds in the text: the title before a mention, and the KB role's words."""
    roles: dict[str, set[str]] = {}
    for a in actors:
        if a.kind != "person":
            continue
        got: set[str] = set()
        for m in a.mentions:
            before = re.findall(r"([A-Za-z]+)\.?\s*$", text[max(0, m.start - 16) : m.start])
            words = re.findall(r"[A-Za-z]+", m.text)
            for w in ([before[-1]] if before else []) + words[:1]:
                role = _TITLE_ROLE.get(w.lower())
                if role and (w[:1].isupper()):
                    got.add(role)
        if got:
            roles[a.name] = got
    return roles


def _quotes(text: str) -> list[tuple[int, int]]:
    """(open, close) character offsets of quotations (curly or straight double quotes)."""
    out: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "“" or (ch == '"' and (i == 0 or not text[i - 1].isalnum())):
            closer = "”" if ch == "“" else '"'
            j = text.find(closer, i + 1)
            nxt_open = text.find("“", i + 1) if ch == "“" else -1
            if j < 0 or j - i > 2000 or (0 <= nxt_open < j):
                i += 1
                continue
            out.append((i, j))
            i = j + 1
            continue
        i += 1
    return out


def resolve_references(
    text: str,
    candidates: Sequence[Reference],
    actors: Sequence[Actor],
    sentences: Sequence[Span],
    rules: Sequence[str] = DEFAULT_RULES,
) -> list[ResolvedReference]:
    """Map each candidate reference to an actor, by the documented rules.

    Args:
        text: The article (every span slices it).
        candidates: From :func:`reference_candidates`, in any order.
        actors: The article's actors (their mentions are the antecedents).
        sentences: Sentence spans of the text, in order.
        rules: Which rules to apply (subset of :data:`RULES`; default :data:`DEFAULT_RULES`).

    Returns:
        Resolved references in text order.

    Raises:
        ValueError: An unknown rule name.
    """
    unknown = set(rules) - set(RULES)
    if unknown:
        raise ValueError(f"unknown reference rule(s) {sorted(unknown)}; choose from {list(RULES)}")
    if not candidates or not actors or not sentences:
        return []
    starts = [s.start for s in sentences]

    def sent_of(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    mentions = sorted(((m, a) for a in actors for m in a.mentions), key=lambda x: x[0].start)
    m_starts = [m.start for m, _ in mentions]
    named_in: dict[int, set[str]] = {}
    for m, a in mentions:
        named_in.setdefault(sent_of(m.start), set()).add(a.name)

    def inside_mention(sp: Span) -> bool:
        k = bisect.bisect_right(m_starts, sp.start) - 1
        return k >= 0 and mentions[k][0].start <= sp.start < mentions[k][0].end

    resolved: list[ResolvedReference] = []
    chain: list[tuple[int, Actor]] = []  # person antecedents by position, including resolved pronouns
    roles = _title_roles(text, actors) if "role" in rules else {}
    by_name = {a.name: a for a in actors}

    def last_person(pos: int, need_role: str | None = None) -> Actor | None:
        limit = sentences[max(0, sent_of(pos) - _MAX_BACK_SENTENCES)].start if need_role is None else 0
        k = bisect.bisect_left(m_starts, pos) - 1
        while k >= 0 and mentions[k][0].start >= limit:
            m, a = mentions[k]
            if a.kind == "person" and m.end <= pos:
                if need_role is None or need_role in roles.get(a.name, ()):
                    return a
            k -= 1
        return None

    def antecedent_person(pos: int) -> Actor | None:
        """The last person before ``pos`` in its sentence, else the first person of the nearest earlier sentence."""
        here = sent_of(pos)
        k = bisect.bisect_left(m_starts, pos) - 1
        while k >= 0 and mentions[k][0].start >= sentences[here].start:
            m, a = mentions[k]
            if a.kind == "person" and m.end <= pos:
                return a
            k -= 1
        for back in range(1, _MAX_BACK_SENTENCES + 1):
            if here - back < 0:
                break
            sent = sentences[here - back]
            lo = bisect.bisect_left(m_starts, sent.start)
            while lo < len(mentions) and mentions[lo][0].start < sent.end:
                if mentions[lo][1].kind == "person":
                    return mentions[lo][1]
                lo += 1
        return None

    def subject_body(subject: tuple[int, int]) -> Actor | None:
        """The organisation or state named as that subject (its first such mention)."""
        for m, a in mentions:
            if m.start >= subject[0] and m.end <= subject[1] and a.kind in ("country", "organisation"):
                return a
        return None

    def named_body(pos: int, noun: str) -> Actor | None:
        """The last organisation before ``pos`` (three sentences back at most) whose name ends in ``noun``."""
        limit = sentences[max(0, sent_of(pos) - 3)].start
        k = bisect.bisect_left(m_starts, pos) - 1
        while k >= 0 and mentions[k][0].start >= limit:
            m, a = mentions[k]
            if a.kind in ("organisation", "group") and a.name.lower().rsplit(" ", 1)[-1] == noun:
                return a
            k -= 1
        return None

    person_refs = [c for c in candidates if c.kind == "person"] if "pronoun" in rules else []
    for c in sorted(person_refs, key=lambda r: r.span.start):
        if inside_mention(c.span):
            continue
        a = antecedent_person(c.span.start) if _PRONOUN_ORDER == "first-of-previous" else last_person(c.span.start)
        if a is not None:
            chain.append((c.span.start, a))
            if a.name not in named_in.get(sent_of(c.span.start), set()):
                resolved.append(ResolvedReference(c.span, a.name, "pronoun"))

    if "it" in rules:
        for c in candidates:
            if c.kind != "it" or inside_mention(c.span):
                continue
            a = subject_body(c.subject) if c.subject is not None else None
            if a is not None and a.name not in named_in.get(sent_of(c.span.start), set()):
                resolved.append(ResolvedReference(c.span, a.name, "it"))

    if "body" in rules:
        for c in candidates:
            if c.kind != "body" or inside_mention(c.span):
                continue
            a = named_body(c.span.start, c.key)
            if a is None and c.key in _GENERIC_BODY_NOUNS and c.subject is not None:
                a = subject_body(c.subject)
                a = a if a is not None and a.kind == "organisation" else None
            if a is not None and a.name not in named_in.get(sent_of(c.span.start), set()):
                resolved.append(ResolvedReference(c.span, a.name, "body"))

    if "role" in rules:
        for c in candidates:
            if c.kind != "role" or inside_mention(c.span):
                continue
            a = last_person(c.span.start, need_role=c.key)
            if a is not None and a.name not in named_in.get(sent_of(c.span.start), set()):
                resolved.append(ResolvedReference(c.span, a.name, "role"))

    if "quote" in rules:
        firsts = sorted((c for c in candidates if c.kind == "first"), key=lambda r: r.span.start)
        if firsts:
            resolved.extend(_resolve_quotes(text, firsts, mentions, chain, by_name, sent_of, named_in, inside_mention))
    resolved.sort(key=lambda r: r.span.start)
    return resolved


def _resolve_quotes(text, firsts, mentions, chain, by_name, sent_of, named_in, inside_mention):  # noqa: ANN001, ANN202
    """First-person pronouns inside quotations → the quotation's speaker."""
    del by_name
    anchors = sorted(
        [(m.start, m.end, a) for m, a in mentions if a.kind in ("person", "organisation", "group", "country")]
        + [(p, p + 1, a) for p, a in chain],
        key=lambda x: x[0],
    )
    out: list[ResolvedReference] = []
    for q_open, q_close in _quotes(text):
        inside = [c for c in firsts if q_open < c.span.start < q_close]
        if not inside:
            continue
        speaker = _speaker(text, q_open, q_close, anchors)
        if speaker is None:
            continue
        for c in inside:
            if inside_mention(c.span) or speaker.name in named_in.get(sent_of(c.span.start), set()):
                continue
            if c.key in _SINGULAR_FIRST and speaker.kind != "person":
                continue  # "I" speaks for a person, never for a committee or a state
            out.append(ResolvedReference(c.span, speaker.name, "quote"))
    return out


def _speaker(text: str, q_open: int, q_close: int, anchors: list[tuple[int, int, Actor]]) -> Actor | None:
    """The actor of the attribution clause after the closing mark, else before the opening one."""
    after_end = q_close + 1
    tail = text[after_end : after_end + 80]
    stop = re.search(r"[.!?](\s|$)|[“\"]", tail)
    window_end = after_end + (stop.start() if stop else len(tail))
    if _SPEECH.search(text[after_end:window_end]):
        found = [a for s, _e, a in anchors if after_end <= s < window_end]
        persons = [a for a in found if a.kind == "person"]
        if persons or found:
            return (persons or found)[0]
    head_start = max(0, q_open - 80)
    head = text[head_start:q_open]
    cut = max(head.rfind("”"), head.rfind('"'))
    start = head_start + (cut + 1 if cut >= 0 else 0)
    # the clause nearest the quotation that has a verb of saying ("Cornyn said Klobuchar “…”": Cornyn)
    bounds = [start] + [start + m.end() for m in re.finditer(r"[.!?]\s+", text[start:q_open])]
    for lo, hi in reversed(list(zip(bounds, bounds[1:] + [q_open]))):
        clause = text[lo:hi]
        if _SPEECH.search(clause) or (hi == q_open and clause.rstrip().endswith(":")):
            found = [a for s, _e, a in anchors if lo <= s < hi]
            persons = [a for a in found if a.kind == "person"]
            if found:
                return (persons or found)[0]
    return None


def quote_speakers(
    text: str,
    actors: Sequence[Actor],
    sentences: Sequence[Span],
    resolved: Sequence[ResolvedReference] = (),
) -> dict[int, str]:
    """Sentences that lie inside a quotation whose speaker is known but not named in them.

    The speaker is found as for the ``quote`` rule (:func:`resolve_references`): the person
    (else organisation) of the attribution clause right after the closing mark or right
    before the opening one; resolved pronouns count as mentions of their actor.

    Returns:
        ``{sentence index: speaker's actor name}`` for sentences that start inside a
        quotation, do not name the speaker and have no resolved reference to them.

    Example:
        >>> quote_speakers(text, actors, sentences)  # doctest: +SKIP
        {3: 'Mitch McConnell'}
    """
    if not actors or not sentences:
        return {}
    by_name = {a.name: a for a in actors}
    anchors = sorted(
        [
            (m.start, m.end, a)
            for a in actors
            if a.kind in ("person", "organisation", "group", "country")
            for m in a.mentions
        ]
        + [(r.span.start, r.span.end, by_name[r.actor]) for r in resolved if r.actor in by_name],
        key=lambda x: x[0],
    )
    named: dict[int, set[str]] = {}
    starts = [s.start for s in sentences]
    for start, _end, a in anchors:
        named.setdefault(max(0, bisect.bisect_right(starts, start) - 1), set()).add(a.name)
    out: dict[int, str] = {}
    for q_open, q_close in _quotes(text):
        speaker = None
        first = bisect.bisect_left(starts, q_open - 2)
        for i in range(max(0, first - 1), len(sentences)):
            sent = sentences[i]
            inside = q_open <= sent.start + 2 and sent.start < q_close
            if sent.start > q_close:
                break
            if not inside:
                continue
            if speaker is None:
                speaker = _speaker(text, q_open, q_close, anchors) or False
            if speaker and speaker.name not in named.get(i, set()):
                out[i] = speaker.name
    return out
