"""Merge mentions into actors: one cluster per actor, with a kind and a canonical name.

Rules, in order:

1. A mention the knowledge base resolves joins that entry's cluster ("US", "U.S.",
   "America", "Washington" as an acting subject, "the White House" -> United States;
   "Iranian officials" -> Iran; "Trump", "President Trump" -> Donald Trump). Generic
   institution names ("Senate", "Supreme Court") resolve only in articles about their
   country (one of its names, leaders or parties is mentioned).
2. Person names group by first+last name ignoring titles, initials and suffixes
   ("Christopher A. Wray" = "Christopher Wray"); a single name joins the full name that
   ends with it ("Araghchi" -> "Abbas Araghchi"), whatever spaCy labelled it.
3. Other mentions group by their normalised surface ("The Washington Post" = "Washington
   Post"); an acronym joins the organisation whose initials it spells; a short form joins
   the one organisation of the article whose name ends with it ("Commission" -> "European
   Commission"; "House" never: it is not the White House).
4. Kind: the knowledge base decides where it knows the actor; otherwise spaCy's labels
   vote across the mentions, a title ("President", "Mr.") counting as two votes for person.
   Places (LOC/FAC, a GPE that never acts) and groups that never act are dropped.

Example:
    >>> from stance.actors.ner import Mention
    >>> from stance.actors.kb import KnowledgeBase
    >>> from stance.results import Span
    >>> t = "Abbas Araghchi spoke. Araghchi warned."
    >>> ms = [Mention(Span.of(t, 0, 14), "PERSON", "Abbas Araghchi"), Mention(Span.of(t, 22, 30), "GPE", "Araghchi")]
    >>> [(c.name, c.kind, len(c.mentions)) for c in cluster_mentions(ms, KnowledgeBase.default())]
    [('Abbas Araghchi', 'person', 2)]
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from stance.actors.kb import KBEntry, KnowledgeBase, normalise_surface
from stance.actors.ner import SPACY_TO_KIND, Mention, person_name_key

logger = logging.getLogger(__name__)

__all__ = ["Cluster", "cluster_mentions", "head_states"]

_ACRONYM_STOP = frozenset({"of", "the", "and", "for", "&", "on", "in", "to"})


@dataclass(frozen=True)
class Cluster:
    """The mentions of one actor before affiliation is resolved.

    Attributes:
        key: Internal identity ("kb", entry id) / ("person", name key) / ("surface", name) / ("group", noun).
        kind: One of person, country, organisation, group.
        name: Canonical name.
        mentions: Its mentions in document order.
        entry: The knowledge-base entry, if known.
        source: "kb:<source>" when the KB decided, else "ner".
    """

    key: tuple[str, ...]
    kind: str
    name: str
    mentions: tuple[Mention, ...]
    entry: KBEntry | None = None
    source: str = "ner"

    @property
    def first(self) -> int:
        return self.mentions[0].span.start

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": list(self.key),
            "kind": self.kind,
            "name": self.name,
            "mentions": [m.span.to_dict() for m in self.mentions],
            "entry": self.entry.id if self.entry else None,
            "source": self.source,
        }


def head_states(mentions: list[Mention]) -> set[str]:
    """Countries an article is about: named, or the state of a known leader/party/body.

    Example:
        >>> head_states([])
        set()
    """
    out: set[str] = set()
    for m in mentions:
        if m.hit is None or m.hit.ambiguous:
            continue
        e = m.hit.entry
        if e.kind == "country" and m.hit.via != "plural":
            out.add(e.name)
        elif e.affiliation and not e.generic and e.kind in ("person", "organisation"):
            out.add(e.affiliation)
        if e.country:
            out.add(e.country)
    return out


def _accept_hit(m: Mention, heads: set[str]) -> bool:
    hit = m.hit
    if hit is None:
        return False
    e = hit.entry
    if hit.ambiguous:
        agree = {"country": ("GPE",), "organisation": ("ORG",), "group": ("NORP", "ORG"), "person": ("PERSON",)}
        if m.label not in agree.get(e.kind, ()):
            return False
    if e.kind != "person" and m.label == "PERSON" and m.titled:
        return False  # "President Jordan" is a person
    if e.generic and e.affiliation not in heads:
        return False
    return True


def _acronym(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _ACRONYM_STOP]
    return "".join(w[0] for w in words if w[0].isalpha()).upper()


def cluster_mentions(mentions: list[Mention], kb: KnowledgeBase) -> list[Cluster]:
    """Group mentions into actor clusters (ordered by first mention); drop non-actors.

    Args:
        mentions: Every mention of the document (global offsets, any order).
        kb: The knowledge base.

    Returns:
        Clusters of kind person, country, organisation or group.
    """
    mentions = sorted(mentions, key=lambda m: (m.span.start, m.span.end))
    heads = head_states(mentions)
    members: dict[tuple[str, ...], list[Mention]] = {}
    entries: dict[tuple[str, ...], KBEntry] = {}
    person_keys: dict[tuple[str, ...], tuple[str, ...]] = {}
    by_last: dict[str, list[tuple[str, ...]]] = {}
    pending: list[Mention] = []

    def add(key: tuple[str, ...], m: Mention) -> None:
        members.setdefault(key, []).append(m)

    def register_person(tokens: tuple[str, ...], key: tuple[str, ...]) -> None:
        if not tokens:
            return
        person_keys.setdefault(tokens, key)
        if len(tokens) > 1:
            lst = by_last.setdefault(tokens[-1], [])
            if key not in lst:
                lst.append(key)

    # Pass 1: knowledge-base mentions and full person names.
    for m in mentions:
        if _accept_hit(m, heads):
            e = m.hit.entry  # type: ignore[union-attr]
            if m.hit.via == "plural":  # type: ignore[union-attr]
                add(("group", m.span.text.casefold()), m)
                continue
            key = ("kb", e.id)
            entries[key] = e
            add(key, m)
            if e.kind == "person":
                register_person(person_name_key(e.name), key)
            continue
        if m.hit is not None:
            m = replace(m, hit=None)
        tokens = person_name_key(m.name)
        if m.person_like and len(tokens) > 1:
            key = person_keys.get(tokens, ("person",) + tokens)
            register_person(tokens, key)
            add(key, m)
            continue
        pending.append(m)

    # Pass 2: single names, other surfaces, groups.
    # "the farmers" after "French farmers" is the same group when no other farmers are named.
    described: dict[str, set[str]] = {}
    for m in pending:
        if m.label == "GROUP" and " " in m.name:
            described.setdefault(m.name.casefold().rsplit(" ", 1)[1], set()).add(m.name.casefold())
    for m in pending:
        tokens = person_name_key(m.name)
        if m.label == "GROUP":
            full = described.get(m.name.casefold(), set())
            add(("group", next(iter(full)) if len(full) == 1 else m.name.casefold()), m)
            continue
        if tokens in person_keys:
            add(person_keys[tokens], m)
            continue
        if len(tokens) == 1 and tokens[0] in by_last and m.label not in ("NORP",):
            keys = by_last[tokens[0]]
            kb_keys = [k for k in keys if k[0] == "kb"]
            add((kb_keys or keys)[0], m)
            continue
        if m.person_like and tokens:
            key = ("person",) + tokens
            register_person(tokens, key)
            add(key, m)
            continue
        if m.label == "NORP" and m.plural:
            add(("group", m.span.text.casefold()), m)
            continue
        add(("surface", normalise_surface(m.name).casefold().replace(".", "")), m)

    clusters = []
    for key, ms in members.items():
        ms.sort(key=lambda m: (m.span.start, m.span.end))
        cl = _make_cluster(key, ms, entries.get(key))
        if cl is not None:
            clusters.append(cl)
    clusters = _merge_acronyms(clusters)
    clusters = _merge_short_forms(clusters)
    clusters.sort(key=lambda c: c.first)
    logger.debug("clustered %d mentions into %d actors", len(mentions), len(clusters))
    return clusters


def _vote(ms: list[Mention]) -> str:
    votes: Counter[str] = Counter()
    for m in ms:
        kind = SPACY_TO_KIND.get(m.label)
        if kind is not None:
            votes[kind] += 1
        if m.titled:
            votes["person"] += 2
    if not votes:
        return "organisation"
    first = next((SPACY_TO_KIND[m.label] for m in ms if m.label in SPACY_TO_KIND), "organisation")
    best = max(votes.values())
    winners = [k for k, v in votes.items() if v == best]
    return first if first in winners else winners[0]


def _make_cluster(key: tuple[str, ...], ms: list[Mention], entry: KBEntry | None) -> Cluster | None:
    if entry is not None:
        return Cluster(key, entry.kind, entry.name, tuple(ms), entry, f"kb:{entry.source}")
    if key[0] == "group":
        if not any(m.subject for m in ms):
            return None  # a group the text does not make act
        groups = [m.name for m in ms if m.label == "GROUP"]
        name = max(groups, key=len) if groups else normalise_surface(ms[0].span.text)
        name = name[:1].upper() + name[1:]
        return Cluster(key, "group", name, tuple(ms))
    if key[0] == "person":
        names = [m.name for m in ms]
        best = max(names, key=lambda n: (len(person_name_key(n)), len(n), -names.index(n)))
        return Cluster(key, "person", best, tuple(ms))
    kind = _vote(ms)
    if kind == "place":
        return None
    if kind == "country" and not any(m.subject or m.dep == "poss" for m in ms):
        return None  # an unknown place that never acts ("in Kentucky")
    if kind == "group":
        return None  # an adjective ("Shiite") or a people that never acts
    counts = Counter(normalise_surface(m.name) for m in ms)
    name = max(counts, key=lambda n: (counts[n], len(n)))
    return Cluster(key, kind, name, tuple(ms))


def _merge_acronyms(clusters: list[Cluster]) -> list[Cluster]:
    orgs = [c for c in clusters if c.kind == "organisation" and c.entry is None]
    by_acronym: dict[str, Cluster] = {}
    for c in orgs:
        if len(c.name.split()) > 1:
            by_acronym.setdefault(_acronym(c.name), c)
    out = []
    merged: dict[tuple[str, ...], list[Mention]] = {}
    for c in clusters:
        target = by_acronym.get(c.name) if c in orgs and c.name.isupper() and 2 <= len(c.name) <= 6 else None
        if target is not None and target is not c:
            merged.setdefault(target.key, []).extend(c.mentions)
            continue
        out.append(c)
    if merged:
        out = [
            replace(c, mentions=tuple(sorted(c.mentions + tuple(merged[c.key]), key=lambda m: m.span.start)))
            if c.key in merged
            else c
            for c in out
        ]
    return out


# Short forms that name a different body than the longer name ending with them.
_NO_SHORT_FORM = frozenset({"house", "party", "office", "group", "news", "post", "times", "state", "states"})


def _merge_short_forms(clusters: list[Cluster]) -> list[Cluster]:
    """Join an organisation named by a short form to the one organisation whose name ends with it."""
    orgs = [c for c in clusters if c.kind == "organisation"]
    if len(orgs) < 2:
        return clusters
    merged: dict[tuple[str, ...], list[Mention]] = {}
    dropped: set[tuple[str, ...]] = set()
    for c in orgs:
        if c.entry is not None:
            continue
        words = c.name.casefold().split()
        if not words or words[-1] in _NO_SHORT_FORM or len(c.name) < 4 or c.name.isupper():
            continue
        longer = [
            o
            for o in orgs
            if o is not c and len(o.name.split()) > len(words) and o.name.casefold().split()[-len(words) :] == words
        ]
        if len(longer) == 1 and longer[0].key not in dropped:
            merged.setdefault(longer[0].key, []).extend(c.mentions)
            dropped.add(c.key)
    if not merged:
        return clusters
    return [
        replace(c, mentions=tuple(sorted(c.mentions + tuple(merged[c.key]), key=lambda m: m.span.start)))
        if c.key in merged
        else c
        for c in clusters
        if c.key not in dropped
    ]
