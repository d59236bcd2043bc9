"""Who an actor speaks for: affiliation cues from the text, with the knowledge base as fallback.

Text rules (each yields a :class:`~stance.actors.ner.Cue`):

* possessive: "Israel's Prime Minister Benjamin Netanyahu", "Iran's Revolutionary Guards";
* modifier: "US special envoy Steve Witkoff", "Iranian Supreme Leader Ayatollah Ali
  Khamenei", "Senate Majority Leader Mitch McConnell";
* apposition: "Abbas Araghchi, Iran's foreign minister," and "Mitch McConnell, Kentucky
  Republican";
* next-sentence: a role noun phrase with a possessive (or demonym) country that names
  nobody ("Iran's foreign minister described ...") followed by a sentence that begins
  with a person's name ("Abbas Araghchi, speaking ...");
* party-code: "Nancy Pelosi (D-Calif.)";
* name-prefix: an unknown organisation whose name begins with a country ("Iranian
  Foreign Ministry").

:func:`resolve_affiliations` votes over an actor's cues (ties: the earliest) and falls
back to the knowledge base (Donald Trump -> United States) when the text says nothing.

Example:
    >>> from stance.actors import extract_actors  # doctest: +SKIP
    >>> a = {x.name: x for x in extract_actors("US special envoy Steve Witkoff met them.")}  # doctest: +SKIP
    >>> a["Steve Witkoff"].affiliation.name  # doctest: +SKIP
    'United States'
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from stance.actors.kb import KnowledgeBase
from stance.actors.lexicon import GROUP_NOUNS, ROLE_HEADS, ROLE_MODIFIERS, TITLE_WORDS, word_key
from stance.actors.types import Cue

if TYPE_CHECKING:  # pragma: no cover
    from stance.actors.merge import Cluster
    from stance.actors.ner import Mention, _Cand

logger = logging.getLogger(__name__)

__all__ = ["find_cues", "resolve_affiliations", "AFFILIATING_KINDS"]

#: Kinds an actor may speak for.
AFFILIATING_KINDS = frozenset({"country", "organisation", "group"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_PARTY_CODE = re.compile(r"^\s*\(\s*([RD])\s*[-–]\s*[A-Z]")
_PARTY_BY_CODE = {"R": "Republican Party", "D": "Democratic Party"}
# Words that make an organisation a state body, which speaks for its country ("Iranian
# Foreign Ministry", "US Navy"); an industry group or a company named after a country does not.
STATE_BODY_WORDS = frozenset(
    """ministry ministries department government cabinet army navy air force forces military guard guards
    police embassy consulate parliament senate congress assembly house agency administration council
    commission office court tribunal bank treasury intelligence service services command corps
    presidency chancellery kremlin legislature mission delegation authority authorities""".split()
)
_STRETCH_STOP_POS = frozenset({"VERB", "AUX", "PUNCT", "DET", "PRON", "CCONJ", "SCONJ", "NUM"})


def _role_word(tok: Any) -> bool:
    return word_key(tok.text) in ROLE_HEADS


def _stretch_word(tok: Any) -> bool:
    """May stand inside a role phrase ("special envoy", "Supreme Leader", "press secretary")."""
    if tok.text == "-":
        return True
    k = word_key(tok.text)
    if k in ROLE_HEADS or k in ROLE_MODIFIERS or k in TITLE_WORDS:
        return True
    if tok.pos_ in _STRETCH_STOP_POS:
        return False
    return tok.pos_ in ("ADJ", "NOUN") and tok.is_lower


def is_state_body(name: str) -> bool:
    """An organisation's name says it is part of a state (so it may speak for a country).

    Example:
        >>> is_state_body("Iranian Foreign Ministry"), is_state_body("German Automobile Association")
        (True, False)
    """
    return any(w in STATE_BODY_WORDS for w in re.findall(r"[a-z]+", name.lower()))


def _can_affiliate(m: Mention) -> bool:
    """A mention that might be what someone speaks for (not a person)."""
    if m.person_like and (m.hit is None or m.hit.entry.kind == "person"):
        return False
    if m.hit is not None:
        return m.hit.entry.kind in AFFILIATING_KINDS and m.hit.via != "plural"
    if word_key(m.name) in GROUP_NOUNS:
        return False  # "Teachers' Union": a description, not whom the union speaks for
    return m.label in ("ORG", "GPE", "NORP")


def find_cues(
    doc: Any,
    cands: list[tuple[_Cand, Mention]],
    kb: KnowledgeBase,
    sentences: list[tuple[int, int]] | None = None,
    *,
    text: str | None = None,
) -> list[Cue]:
    """Affiliation cues for the person and organisation mentions of one doc.

    Args:
        doc: The parsed chunk.
        cands: ``(candidate, mention)`` pairs from :func:`stance.actors.ner.detect_mentions`.
        kb: The knowledge base (party codes).
        sentences: Sentences as token ranges ``(start, end)``; default ``doc.sents``.

    Returns:
        Cues in document order.
    """

    tok2m: dict[int, int] = {}
    for i, (c, _) in enumerate(cands):
        for t in range(c.tstart, c.tend):
            tok2m.setdefault(t, i)
    cues: list[Cue] = []
    text = doc.text if text is None else text

    for i, (c, m) in enumerate(cands):
        if m.label == "GROUP" or (m.hit is not None and m.hit.entry.kind == "country"):
            continue
        if not (m.person_like or m.label in ("ORG", "KB")):
            continue
        # Left: [AFF]['s] [role phrase] NAME
        j = c.tstart - 1
        role = False
        anchor = -1
        while j >= 0 and c.tstart - j <= 7:
            tok = doc[j]
            if (j in tok2m and tok2m[j] != i) or tok.text in _POSSESSIVE:
                anchor = j
                break
            if not _stretch_word(tok):
                break
            role = role or _role_word(tok)
            j -= 1
        if anchor >= 0:
            possessive = doc[anchor].text in _POSSESSIVE
            k = anchor - 1 if possessive else anchor
            if k >= 0 and k in tok2m:
                other = cands[tok2m[k]][1]
                if _can_affiliate(other) and (possessive or role):
                    cues.append(Cue(m.span, other.span, None, "possessive" if possessive else "modifier"))
        elif m.person_like:
            cue = _fronted_role_cue(doc, c, m, cands, tok2m)
            if cue is not None:
                cues.append(cue)
        # Right: NAME, [the] [AFF]['s] [role phrase] | NAME, [Kentucky] Republican
        if m.person_like:
            cue = _apposition_cue(doc, c, m, cands, tok2m)
            if cue is not None:
                cues.append(cue)
            code = _PARTY_CODE.match(text[m.span.end : m.span.end + 12])
            if code:
                party = kb.get(_PARTY_BY_CODE[code.group(1)])
                if party is not None:
                    cues.append(Cue(m.span, None, party.name, "party-code"))
        prefix = c.extra.get("prefix_country")
        if prefix:
            cues.append(Cue(m.span, None, prefix, "name-prefix"))

    if sentences is None:
        try:
            sentences = [(s.start, s.end) for s in doc.sents]
        except ValueError:
            sentences = []
    cues.extend(_next_sentence_cues(doc, cands, tok2m, sentences))
    cues.sort(key=lambda q: (q.mention.start, q.rule))
    return cues


def _owner(doc: Any, j: int, cands: list[tuple[_Cand, Mention]], tok2m: dict[int, int]) -> Mention | None:
    """What the possessor at token ``j`` stands for: a mention, "its"/"their", or "the union"."""
    if j in tok2m:
        other = cands[tok2m[j]][1]
        return other if _can_affiliate(other) else None
    tok = doc[j]
    if tok.lower_ in ("its", "their"):
        # the acting organisation or country of this sentence or the one before ("The Guild said ... Its
        # president, X,"); further back is a guess
        try:
            sent = tok.sent
            reach = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        except ValueError:  # no sentence boundaries: no antecedent
            return None
        for oc, om in reversed(cands):
            if reach <= oc.tstart and oc.tend <= j and om.subject and _can_affiliate(om):
                return om
        return None
    if tok.pos_ == "NOUN" and tok.is_lower and j > 0 and doc[j - 1].lower_ == "the":
        # "the union's general secretary" after the National Education Union
        key = word_key(tok.text)
        for oc, om in reversed(cands):
            if oc.tend <= j and _can_affiliate(om) and om.hit is None and om.label == "ORG":
                if word_key(doc[oc.tend - 1].text) == key:
                    return om
    return None


def _fronted_role_cue(
    doc: Any, c: _Cand, m: Mention, cands: list[tuple[_Cand, Mention]], tok2m: dict[int, int]
) -> Cue | None:
    """ "Iran's foreign minister, Abbas Araghchi," / "Its president, Arnaud Rousseau,"."""
    j = c.tstart - 1
    if j < 2 or doc[j].text != ",":
        return None
    root = doc[c.tstart : c.tend].root
    if root.dep_ != "appos" or not _role_word(root.head) or root.head.i != j - 1:
        return None
    j -= 1
    while j >= 0 and j not in tok2m and doc[j].text not in _POSSESSIVE and _stretch_word(doc[j]):
        j -= 1
    if j < 0:
        return None
    if doc[j].text in _POSSESSIVE:
        j -= 1
    elif doc[j].lower_ not in ("its", "their"):
        return None
    other = _owner(doc, j, cands, tok2m) if j >= 0 else None
    return Cue(m.span, other.span, None, "apposition") if other is not None else None


def _apposition_cue(
    doc: Any, c: _Cand, m: Mention, cands: list[tuple[_Cand, Mention]], tok2m: dict[int, int]
) -> Cue | None:

    j = c.tend
    if j >= len(doc) or doc[j].text != ",":
        return None
    j += 1
    role = False
    found: list[tuple[int, bool]] = []  # (mention index, followed by possessive)
    steps = 0
    while j < len(doc) and steps < 9:
        tok = doc[j]
        if tok.text in (",", ".", ";", ":", ")", "(", "—", "–") or tok.pos_ in ("VERB", "AUX"):
            break
        if j not in tok2m and j + 1 < len(doc) and doc[j + 1].text in _POSSESSIVE:
            owner = _owner(doc, j, cands, tok2m)  # "X, the union's general secretary"
            if owner is not None:
                found.append((next(i for i, (_, om) in enumerate(cands) if om is owner), True))
                j += 2
                steps += 1
                continue
        if j in tok2m:
            idx = tok2m[j]
            oc, om = cands[idx]
            if om.person_like and (om.hit is None or om.hit.entry.kind == "person"):
                return None
            poss = oc.tend < len(doc) and doc[oc.tend].text in _POSSESSIVE
            found.append((idx, poss))
            j = oc.tend + (1 if poss else 0)
            steps += 1
            continue
        role = role or _role_word(tok)
        j += 1
        steps += 1
    for idx, poss in found:
        om = cands[idx][1]
        if not _can_affiliate(om):
            continue
        is_party = om.hit is not None and om.hit.entry.category == "party"
        if poss or role or is_party:
            return Cue(m.span, om.span, None, "apposition")
    return None


def _next_sentence_cues(
    doc: Any, cands: list[tuple[_Cand, Mention]], tok2m: dict[int, int], sentences: list[tuple[int, int]]
) -> list[Cue]:
    """ "Iran's foreign minister described ... . Abbas Araghchi, speaking ..." -> Iran."""

    out = []
    for (s_start, s_end), (n_start, n_end) in zip(sentences, sentences[1:]):
        s = range(s_start, s_end)
        if any(cands[tok2m[t]][1].person_like for t in s if t in tok2m):
            continue  # the role phrase may belong to a name in its own sentence
        aff = None
        for t in s:
            if t not in tok2m:
                continue
            oc, om = cands[tok2m[t]]
            if not _can_affiliate(om) or t != oc.tend - 1:
                continue
            j = oc.tend
            if j < len(doc) and doc[j].text in _POSSESSIVE:
                j += 1
            elif om.hit is None or om.hit.via != "demonym":
                continue
            role = False
            while j < s_end and _stretch_word(doc[j]) and j not in tok2m:
                role = role or _role_word(doc[j])
                j += 1
            if role:
                aff = om
                break
        if aff is None:
            continue
        k = n_start
        while k < n_end and (
            doc[k].is_punct or doc[k].is_space or (word_key(doc[k].text) in TITLE_WORDS and k not in tok2m)
        ):
            k += 1
        if k < n_end and k in tok2m:
            pc, pm = cands[tok2m[k]]
            if pc.tstart == k and pm.person_like:
                out.append(Cue(pm.span, aff.span, None, "next-sentence"))
    return out


def resolve_affiliations(
    clusters: list[Cluster], cues: list[Cue], kb: KnowledgeBase
) -> dict[int, tuple[Cluster | str, str]]:
    """Pick what each cluster speaks for.

    Args:
        clusters: The document's actor clusters.
        cues: Every cue of the document (global offsets).
        kb: The knowledge base (fallback).

    Returns:
        ``{cluster index: (target cluster or KB entry name, source)}`` where source is
        "text" or "kb:<source>".
    """
    by_span: dict[tuple[int, int], int] = {}
    for ci, cl in enumerate(clusters):
        for m in cl.mentions:
            by_span[(m.span.start, m.span.end)] = ci
    by_entry_name = {cl.entry.name: ci for ci, cl in enumerate(clusters) if cl.entry is not None}
    votes: dict[int, Counter[Any]] = {}
    first_seen: dict[tuple[int, Any], int] = {}
    for cue in cues:
        ci = by_span.get((cue.mention.start, cue.mention.end))
        if ci is None or clusters[ci].kind not in ("person", "organisation"):
            continue
        target: Any = None
        if cue.target is not None:
            ti = by_span.get((cue.target.start, cue.target.end))
            if ti is None or ti == ci or clusters[ti].kind not in AFFILIATING_KINDS:
                continue
            target = ti
        elif cue.entry is not None:
            target = by_entry_name.get(cue.entry, cue.entry)
            if target == ci:
                continue
        if target is None:
            continue
        if (
            clusters[ci].kind == "organisation"
            and _is_country(target, clusters, kb)
            and not is_state_body(clusters[ci].name)
        ):
            continue  # an industry group or a company does not speak for its country
        votes.setdefault(ci, Counter())[target] += 1
        first_seen.setdefault((ci, target), cue.mention.start)
    out: dict[int, tuple[Any, str]] = {}
    for ci, cl in enumerate(clusters):
        if ci in votes:
            best = max(votes[ci].items(), key=lambda kv: (kv[1], -first_seen[(ci, kv[0])]))[0]
            out[ci] = (clusters[best] if isinstance(best, int) else best, "text")
            continue
        if cl.entry is not None and cl.entry.affiliation and cl.kind in ("person", "organisation", "group"):
            name = cl.entry.affiliation
            ti = by_entry_name.get(name)
            out[ci] = (clusters[ti] if ti is not None and ti != ci else name, f"kb:{cl.entry.source}")
    return out


def _is_country(target: Any, clusters: list[Cluster], kb: KnowledgeBase) -> bool:
    if isinstance(target, int):
        return clusters[target].kind == "country"
    entry = kb.get(target)
    return entry is not None and entry.kind == "country"
