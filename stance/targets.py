"""Issue discovery: what actors support, oppose, warn against, urge, demand, threaten…

Candidates come from the dependency parse: objects of stance-bearing verbs ("urges
*immediate action*", "warned against *military escalation*", "halting *threats against
Iran*") and complements of stance-bearing nouns ("threats of *action*"). The stance model
decides later whether an actor is for or against each candidate; candidates nobody takes a
side on are dropped. Candidates are then grouped into issues by embedding similarity, and
each issue is named by a representative phrase.

Example:
    >>> import spacy  # doctest: +SKIP
    >>> doc = spacy.load("en_core_web_sm")("Qatar warned against military escalation.")  # doctest: +SKIP
    >>> [c.text for c in issue_candidates(doc)]  # doctest: +SKIP
    ['military escalation']
"""

from __future__ import annotations

import logging
import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stance.results import Issue, Span

logger = logging.getLogger(__name__)

STANCE_VERBS = frozenset(
    """support oppose back endorse favor favour advocate champion defend praise hail welcome applaud
    laud celebrate reject condemn denounce criticize criticise blast slam attack fight resist block
    veto protest decry warn urge demand call press push seek want request insist threaten vow pledge
    promise propose pursue halt stop end ban approve accept embrace refuse deny dismiss accuse blame
    question challenge doubt signal consider hint delay abandon cut reduce eliminate escalate pressure
    sanction vote introduce impose adopt""".split()
)
STANCE_NOUNS = frozenset(
    """threat threats call calls demand demands support opposition push plan proposal pledge warning
    campaign bid effort opposition backing rejection endorsement criticism condemnation objection
    resistance""".split()
)
# Nouns that name an issue wherever they occur ("peace talks", "threats against Iran").
ISSUE_NOUNS = frozenset(
    """threat strike airstrike sanction escalation de-escalation intervention invasion war ceasefire talk
    negotiation deal agreement accord pact treaty tariff levy tax ban reform bill law policy program
    programme""".split()
)
OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "nsubjpass"})
STANCE_PREPS = frozenset({"against", "for", "on", "to", "toward", "towards", "of", "over", "at"})
LEADING_DROP = frozenset(
    {"the", "a", "an", "its", "their", "his", "her", "our", "this", "that", "these", "those", "any", "all", "some"}
)
PRONOUNS = frozenset(
    {
        "it",
        "they",
        "them",
        "he",
        "she",
        "him",
        "her",
        "we",
        "us",
        "you",
        "i",
        "me",
        "this",
        "that",
        "which",
        "what",
        "who",
    }
)
MAX_PHRASE_TOKENS = 8
# Heads that name people, roles or places (actors, not issues) or say nothing on their own.
NON_ISSUE_HEADS = frozenset(
    """citizen citizens people civilian civilians official officials leader leaders member members
    government governments
    resident residents nation nations country countries region world population populations supporter
    supporters voter voters topic topics thing things matter matters issue issues readiness way ways
    time times side sides part parts one ones
    president presidents governor governors chancellor senator senators minister ministers mayor mayors premier
    ambassador ambassadors spokesman spokeswoman spokesperson lawmaker lawmakers congressman congresswoman
    husband husbands wife wives son sons daughter daughters father fathers mother mothers brother brothers
    sister sisters
    stance stances position positions view views
    judge judges justice justices court courts""".split()
)


def is_stance_gerund(token: Any) -> bool:
    """A stance verb's -ing form tagged as a modifier ("the US *halting* threats"): it says
    what an actor does to the issue, so it is not part of the issue's name.

    Example:
        >>> class T:  # a stand-in for a spaCy token
        ...     lower_ = "halting"
        >>> is_stance_gerund(T())
        True
    """
    word = token.lower_
    if not word.endswith("ing") or len(word) < 6:
        return False
    stem = word[:-3]
    forms = {stem, stem + "e"}
    if len(stem) > 2 and stem[-1] == stem[-2]:
        forms.add(stem[:-1])  # stopping -> stop
    return bool(forms & STANCE_VERBS)


def _phrase(token: Any, max_tokens: int = MAX_PHRASE_TOKENS, *, tight_left: bool = False) -> tuple[int, int] | None:
    """Character span of the noun phrase headed by ``token`` (with one of/against complement).

    With ``tight_left`` only adjacent adjective/compound modifiers are kept on the left.
    """
    doc = token.doc
    left = token.left_edge.i
    if tight_left:
        left = token.i
        while (
            left > 0
            and doc[left - 1].head.i == token.i
            and doc[left - 1].dep_ in ("amod", "compound")
            and doc[left - 1].pos_ in ("ADJ", "NOUN")
            and not is_stance_gerund(doc[left - 1])
        ):
            left -= 1
    right = token.i
    for child in token.rights:
        if child.dep_ in ("prep",) and child.lower_ in ("of", "against", "on", "to", "with") and child.i == right + 1:
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                right = objs[0].i
        elif child.dep_ in ("compound", "amod", "nummod") and child.i == right + 1:
            right = child.i
        elif (
            child.dep_ == "acl"
            and child.pos_ == "VERB"
            and token.lemma_.lower() in VAGUE_HEADS
            and child.i == right + 2
            and doc[right + 1].lower_ == "to"
        ):
            right = child.right_edge.i  # "plan to phase out gas boilers": the plan names its content
            while right > child.i and doc[right].pos_ in ("PUNCT", "CCONJ", "ADP"):
                right -= 1
    while left < token.i and (
        doc[left].lower_ in LEADING_DROP or doc[left].dep_ in ("poss", "case", "det", "punct", "cc", "predet")
    ):
        left += 1
    if right - left + 1 > max_tokens:
        left = max(left, token.i - (max_tokens - 1))
        right = min(right, left + max_tokens - 1)
        # end on a noun so the label stays a noun phrase ("duties of up to 38 percent", not "… on electric")
        while right > token.i and doc[right].pos_ not in ("NOUN", "PROPN"):
            right -= 1
    if token.lower_ in PRONOUNS or token.pos_ in ("PRON", "NUM", "PUNCT", "SYM"):
        return None
    start, end = doc[left].idx, doc[right].idx + len(doc[right].text)
    return (start, end) if end > start else None


def noun_forms(tok: Any) -> set[str]:
    """The lemma and the plain singulars of a noun token.

    spaCy's lemma alone misses some plurals ("taxes" → "taxis"), so the lower-cased word
    without "s" or "es" counts too.

    Example:
        >>> class Tok: lower_, lemma_ = "taxes", "taxis"
        >>> sorted(noun_forms(Tok()))
        ['tax', 'taxe', 'taxes', 'taxis']
    """
    low = tok.lower_
    forms = {tok.lemma_.lower(), low}
    if low.endswith("s") and len(low) > 3:
        forms.add(low[:-1])
        if low.endswith("es"):
            forms.add(low[:-2])
    return forms


def issue_candidates(doc: Any, exclude: Sequence[tuple[int, int]] = ()) -> list[Span]:
    """Candidate issue phrases in a parsed document.

    Args:
        doc: A spaCy ``Doc`` with a dependency parse.
        exclude: Character spans (actor mentions) that are never issues themselves.

    Returns:
        Distinct candidate spans in document order.
    """
    text = doc.text
    found: dict[tuple[int, int], Span] = {}
    heads: set[str] = set()  # head nouns of the issues found, for their repeats

    def add(tok: Any, tight_left: bool = False) -> None:
        if tok.pos_ not in ("NOUN", "PROPN", "VERB") or tok.ent_type_ in (
            "PERSON",
            "GPE",
            "NORP",
            "ORG",
            "DATE",
            "CARDINAL",
            "TIME",
            "MONEY",
            "PERCENT",
        ):
            return
        if tok.lower_ in NON_ISSUE_HEADS or tok.lemma_.lower() in NON_ISSUE_HEADS:
            return
        span = _phrase(tok, tight_left=tight_left)
        if span is None:
            return
        s, e = span
        found.setdefault(span, Span(s, e, text[s:e]))
        if tok.pos_ == "NOUN":
            heads.update(noun_forms(tok))

    from stance.cues import SPEECH_VERBS, judged_phrases

    for tok in doc:
        lemma = tok.lemma_.lower()
        for obj in judged_phrases(tok):  # "said the law was needed", "urged Y to drop the measure"
            add(obj)
        if tok.pos_ in ("VERB", "AUX") and lemma in STANCE_VERBS:
            asks = any(c.dep_ == "xcomp" for c in tok.children)  # "urged governments to ban X": not an issue
            for child in tok.children:
                if child.dep_ in OBJECT_DEPS and not (asks and child.dep_ in ("dobj", "obj")):
                    add(child)
                elif child.dep_ == "prep" and child.lower_ in STANCE_PREPS:
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            add(obj)
                elif child.dep_ == "xcomp" and child.pos_ == "VERB":
                    for obj in child.children:
                        if obj.dep_ in OBJECT_DEPS:
                            add(obj)
        if tok.pos_ == "NOUN" and noun_forms(tok) & ISSUE_NOUNS:
            add(tok, tight_left=True)
        if tok.pos_ == "NOUN" and lemma in STANCE_NOUNS:
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ in ("of", "for", "against", "to"):
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            add(obj)
    # An issue named again as the subject of a reported clause ("protest the new quotas ... said the
    # quotas would bankrupt them"; "the law ... said the legislation had been rushed").
    heads -= VAGUE_HEADS
    if heads & {"bill", "law"}:
        heads.add("legislation")
    covered = sorted(found)
    for tok in doc:
        if (
            tok.pos_ == "NOUN"
            and noun_forms(tok) & heads
            and _judged_in_speech(tok, SPEECH_VERBS)
            and not any(s <= tok.idx < e for s, e in covered)
        ):
            add(tok, tight_left=True)
    for span in law_candidates(doc):  # a named law is an issue wherever it is mentioned
        found.setdefault((span.start, span.end), span)
    return exclude_actor_spans(sorted(found.values()), exclude)


def _judged_in_speech(tok: Any, speech_verbs: frozenset[str]) -> bool:
    """The subject of a clause a speech verb reports ("said *the quotas* would ruin them")."""
    clause = tok.head
    return tok.dep_ in ("nsubj", "nsubjpass") and clause.dep_ == "ccomp" and clause.head.lemma_.lower() in speech_verbs


def law_candidates(doc: Any) -> list[Span]:
    """The named laws of a parsed document (spaCy's ``LAW`` entities: "the Affordable Care Act",
    "Roe v. Wade"), without a leading determiner, as issue candidates.

    Example:
        >>> import spacy
        >>> nlp = spacy.blank("en")
        >>> doc = nlp("They sued over the Clean Air Act .")
        >>> doc.ents = [doc.char_span(15, 32, label="LAW")]
        >>> [c.text for c in law_candidates(doc)]
        ['Clean Air Act']
    """
    out = []
    for ent in doc.ents:
        if ent.label_ != "LAW":
            continue
        tokens = [t for t in ent if not t.is_punct or t.i > ent.start]
        while tokens and tokens[0].lower_ in LEADING_DROP:
            tokens = tokens[1:]
        if tokens and any(t.is_alpha for t in tokens):
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
            out.append(Span(start, end, doc.text[start:end]))
    return out


_ACRONYM_SKIP = frozenset({"of", "and", "for", "the", "on", "in", "to", "&"})


def acronym(phrase: str) -> str:
    """The initials of a capitalised name of at least two words ("Affordable Care Act" -> "ACA";
    small words such as "of" skipped); "" for anything else.

    Example:
        >>> acronym("Affordable Care Act"), acronym("Violence Against Women Act"), acronym("the tariffs")
        ('ACA', 'VAWA', '')
    """
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", phrase) if w.lower() not in _ACRONYM_SKIP]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words)


def exclude_actor_spans(candidates: Sequence[Span], actor_spans: Sequence[tuple[int, int]]) -> list[Span]:
    """Drop candidates that an actor mention is, contains, or opens ("American citizens").

    Example:
        >>> [c.text for c in exclude_actor_spans([Span(0, 17, "American citizens"), Span(20, 26, "talks!")], [(0, 8)])]
        ['talks!']
    """
    return [
        c
        for c in candidates
        if not any(xs <= c.start < xe or (xs <= c.start and c.end <= xe) for xs, xe in actor_spans)
    ]


#: Head nouns that do not say what the issue is on their own ("the plan", "the measure").
VAGUE_HEADS = frozenset(
    """plan plans proposal proposals idea ideas policy policies measure measures figure figures outcome
    outcomes move step steps decision initiative scheme effort efforts approach option options change
    changes text draft pledge pledges provision provisions""".split()
)
_MAX_ANTECEDENT_SENTENCES = 3
#: Nouns that name a policy or an action; a vague noun prefers them as its antecedent.
POLICY_NOUNS = frozenset(
    """tax levy tariff duty duties ban bill law act rule regulation reform sanction subsidy cut deal agreement
    treaty strike war ceasefire talk negotiation mandate wall program programme budget fee price quota
    restriction limit investigation inquiry impeachment veto order declaration resolution legislation
    accord pact charge cap freeze merger""".split()
)


def is_vague(phrase: str) -> bool:
    """A candidate that is only a vague head noun ("plan", "the measure").

    Example:
        >>> is_vague("measure"), is_vague("carbon tax plan")
        (True, False)
    """
    words = [w for w in re.findall(r"[\w-]+", phrase.lower()) if w not in LEADING_DROP]
    return len(words) == 1 and words[0] in VAGUE_HEADS


def _bare_policy_noun(phrase: str) -> str | None:
    """The policy noun a candidate consists of alone ("the bill" -> "bill"), else None."""
    words = [w for w in re.findall(r"[\w-]+", phrase.lower()) if w not in LEADING_DROP]
    if len(words) != 1:
        return None
    w = words[0]
    return w if w in POLICY_NOUNS else (w[:-1] if w.endswith("s") and w[:-1] in POLICY_NOUNS else None)


#: "the legislation" may name an earlier bill, act or law by its full name.
_LEGISLATION_HEADS = ("bill", "act", "law")


def _heads_for(bare_noun: str) -> tuple[str, ...]:
    """Last words a fuller name of the bare policy noun may end with."""
    return (bare_noun, *_LEGISLATION_HEADS) if bare_noun == "legislation" else (bare_noun,)


def _same_head(full: str, bare: str) -> bool:
    """``full`` is ``bare``'s noun, in the same number, with modifiers that say more ("drug pricing bill" / "bill";
    "finance bill" / "legislation"); not a phrase around it ("a ruling against the law", "the judge's law")."""
    words = re.findall(r"[\w-]+", full.lower())
    noun = re.findall(r"[\w-]+", bare.lower())[-1]
    return (
        len(words) > 1
        and words[-1] in _heads_for(noun)
        and not _CORE_STOP.search(full.lower())  # "ruling against the law", "moves to block the tariffs"
        and "'s" not in full.replace("\u2019", "'")
        and bool(core_words(full) - core_words(bare))
    )


def resolve_vague(candidates: Sequence[Span], sentences: Sequence[Span]) -> dict[tuple[int, int], str]:
    """Name each vague candidate after the issue it refers to.

    Rules (documented):

    * a candidate that is only a vague head noun (:func:`is_vague`) takes the text of the
      nearest earlier candidate that is not vague, in the same sentence or the previous
      ``3``, preferring one that names a policy or an action (:data:`POLICY_NOUNS`: "levy",
      "tariffs", "ban"…) and, among those, the one whose policy word (:func:`core_words`,
      synonyms as one: "duties" = "tariffs") the article names most often; with none there,
      the first non-vague candidate of the first sentence (the headline) if it has one;
      otherwise it keeps its own text; an antecedent that was itself resolved passes on its
      label;
    * a candidate that is only a policy noun ("the bill", "the resolution") takes the text of
      the nearest earlier candidate that ends with the same word (same number; for
      "legislation" also "bill", "act" or "law") and has a content word more
      (:func:`core_words`: "drug pricing bill", not "the entire bill"), anywhere before it;
      with none it keeps its own text.

    Returns:
        ``{(start, end): label}`` for the vague candidates that were resolved.

    Example:
        >>> sents = [Span(0, 29, "Ruiz attacked the carbon tax."), Span(30, 57, "She called the plan unfair.")]
        >>> cands = [Span(18, 28, "carbon tax"), Span(45, 49, "plan")]
        >>> resolve_vague(cands, sents)
        {(45, 49): 'carbon tax'}
        >>> sents = [Span(0, 36, "Pelosi backed the drug pricing bill."), Span(37, 63, "Barr said the bill failed.")]
        >>> resolve_vague([Span(18, 35, "drug pricing bill"), Span(51, 55, "bill")], sents)
        {(51, 55): 'drug pricing bill'}
    """
    if not candidates or not sentences:
        return {}
    import bisect

    starts = [s.start for s in sentences]

    def sent_of(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    ordered = sorted(candidates, key=lambda c: (c.start, c.end))
    headline = next((c.text for c in ordered if sent_of(c.start) == 0 and not is_vague(c.text)), None)
    mentions = Counter(w for c in ordered for w in core_words(c.text))  # how often each issue word is named
    out: dict[tuple[int, int], str] = {}
    by_last_word: dict[str, list[Span]] = {}  # earlier candidates of several words, by their last word
    for i, c in enumerate(ordered):
        words = re.findall(r"[\w-]+", c.text.lower())
        if len(words) > 1:
            by_last_word.setdefault(words[-1], []).append(c)
        if _bare_policy_noun(c.text) is not None:
            fuller = [
                p
                for head in _heads_for(words[-1])
                for p in by_last_word.get(head, [])
                if p.end <= c.start and _same_head(p.text, c.text)
            ]
            if fuller:
                out[(c.start, c.end)] = max(fuller, key=lambda p: p.start).text  # the nearest
            continue
        if not is_vague(c.text):
            continue
        here = sent_of(c.start)
        near = [
            prev
            for prev in reversed(ordered[:i])
            if here - sent_of(prev.start) <= _MAX_ANTECEDENT_SENTENCES
            and prev.end <= c.start
            and not is_vague(prev.text)
        ]
        policy = [prev for prev in near if core_words(prev.text) & POLICY_NOUNS]
        # the issue the article keeps naming beats a nearer one it names once (stable: nearest among equals)
        policy.sort(key=lambda prev: -max((mentions[w] for w in core_words(prev.text) & POLICY_NOUNS), default=0))
        if near:
            first = (policy or near)[0]
            label = out.get((first.start, first.end), first.text)
        else:
            label = headline
        if label is not None:
            out[(c.start, c.end)] = label
    return out


_CORE_STOP = re.compile(r"\b(on|against|of|with|for|to|in|at|by|from|over|about|between|toward|towards)\b")
GENERIC_WORDS = frozenset(
    """the a an its their his her our this that these those any all some immediate potential possible recent
    further new devastating major serious great good bad more less current future past several many much
    halting continued growing increased renewed fresh direct indirect cautious first last next entire additional
    similar such same other""".split()
)


#: Words that name the same kind of issue; a core word is read as its group's first word.
SYNONYMS: dict[str, str] = {
    w: group.split()[0]
    for group in (
        "talk negotiation dialogue",
        "tariff duty levy",
        "strike airstrike bombing",
        "sanction embargo",
        "ceasefire truce",
        "deal agreement accord pact treaty",
    )
    for w in group.split()
}


def core_words(phrase: str) -> frozenset[str]:
    """Content words of a phrase's core (before its first preposition), singularised.

    Two phrases whose cores share a content word name related issues
    ("military escalation" ~ "potential military action" ~ "immediate action").

    Example:
        >>> sorted(core_words("devastating strikes on Iranian nuclear sites"))
        ['strike']
    """
    core = _CORE_STOP.split(phrase.lower(), maxsplit=1)[0]
    words = re.findall(r"[a-z][a-z-]+", core)
    out = set()
    for w in words:
        if w in GENERIC_WORDS or len(w) < 3:
            continue
        if w.endswith("ies") and len(w) > 4:
            w = w[:-3] + "y"
        elif w.endswith("s") and not w.endswith("ss") and len(w) > 3:
            w = w[:-1]
        out.add(SYNONYMS.get(w, w))
    return frozenset(out)


#: Head nouns that undo what follows them: "ban on X" is the opposite issue of "X".
NEGATING_HEADS = frozenset(
    """ban bans end halt repeal removal abolition suspension cancellation withdrawal moratorium phase-out
    boycott lifting scrapping embargo""".split()
)
_NEGATED_OBJECT = re.compile(r"^\s*(?:the\s+|a\s+)?([\w-]+)\s+(?:on|of|to|against)\s+(?:the\s+)?(.+?)\s*$", re.I)


def opposed(a: str, b: str) -> bool:
    """True when one phrase undoes the other ("ban on flavoured cigarettes" / "flavoured cigarettes"):
    favouring one is opposing the other, so they are never one issue.

    Example:
        >>> opposed("ban on flavoured cigarettes", "flavoured cigarettes"), opposed("tariffs", "new tariffs")
        (True, False)
    """
    for x, y in ((a, b), (b, a)):
        m = _NEGATED_OBJECT.match(x)
        if m and m.group(1).lower() in NEGATING_HEADS:
            rest, other = m.group(2).lower(), y.strip().lower()
            if other and (other in rest or rest in other):
                return True
    return False


@dataclass
class IssueGrouper:
    """Greedy single-pass clustering of phrases by cosine similarity of their embeddings.

    Attributes:
        embed: Function mapping phrases to L2-normalised vectors.
        threshold: Minimum cosine similarity to join an existing group.
    """

    embed: Callable[[Sequence[str]], np.ndarray]
    threshold: float = 0.6
    #: Most phrase vectors kept between calls (oldest dropped first), so memory stays flat
    #: over a stream of articles (~1.5 kB per phrase for a 384-dim encoder).
    cache_size: int = 20_000
    _cache: OrderedDict[str, np.ndarray] = field(default_factory=OrderedDict)

    def vectors(self, phrases: Sequence[str]) -> np.ndarray:
        if not phrases:
            return np.zeros((0, 1))
        got: dict[str, np.ndarray] = {}
        for p in dict.fromkeys(phrases):
            v = self._cache.get(p)
            if v is not None:
                got[p] = v
        missing = [p for p in dict.fromkeys(phrases) if p not in got]
        if missing:
            for p, v in zip(missing, self.embed(missing)):
                got[p] = v
                self._cache[p] = v
            while len(self._cache) > self.cache_size:
                try:
                    self._cache.popitem(last=False)
                except KeyError:  # emptied by another thread
                    break
        return np.stack([got[p] for p in phrases])

    def group(
        self, phrases: Sequence[str], weights: Sequence[float] | None = None, context: Sequence[str] = ()
    ) -> list[Issue]:
        """Group ``phrases`` into issues.

        Rule (documented): two phrases belong to one issue when their embeddings have cosine
        similarity >= ``threshold`` or their cores share a content word (:func:`core_words`),
        unless one undoes the other (:func:`opposed`); groups are the connected components.
        ``context`` phrases (other candidates of the same article that nobody took a side on)
        can link groups but never name one. The name of an issue is its heaviest phrase (ties:
        the shortest).
        """
        if not phrases:
            return []
        weights = list(weights) if weights is not None else [1.0] * len(phrases)
        uniq: dict[str, float] = {}
        for p, w in zip(phrases, weights):
            key = p.strip()
            uniq[key] = uniq.get(key, 0.0) + float(w)
        bridges = [c.strip() for c in dict.fromkeys(context) if c.strip() and c.strip() not in uniq]
        nodes = sorted(uniq, key=lambda p: (-uniq[p], len(p), p)) + bridges
        vecs = self.vectors(nodes)
        sims = vecs @ vecs.T
        cores = [core_words(p) for p in nodes]
        parent = list(range(len(nodes)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i in range(len(nodes)):
            for j in range(i + 1, len(nodes)):
                if (sims[i, j] >= self.threshold or cores[i] & cores[j]) and not opposed(nodes[i], nodes[j]):
                    parent[find(i)] = find(j)
        members: dict[int, list[str]] = {}
        for i, p in enumerate(nodes):
            if p in uniq:
                members.setdefault(find(i), []).append(p)
        issues = []
        for group in members.values():
            rep = max(group, key=lambda p: (uniq[p], -len(p)))
            issues.append(Issue(name=rep, phrases=tuple(sorted(group, key=lambda p: (-uniq[p], p)))))
        issues.sort(key=lambda i: -sum(uniq[p] for p in i.phrases))
        return issues

    def assign(self, phrase: str, issues: Sequence[Issue]) -> tuple[int, float]:
        """Index of the issue whose phrases are most similar to ``phrase`` and the similarity."""
        if not issues:
            return -1, 0.0
        v = self.vectors([phrase])[0]
        best, best_sim = -1, -1.0
        for i, issue in enumerate(issues):
            m = self.vectors(list(issue.phrases) or [issue.name])
            sim = float((m @ v).max())
            if sim > best_sim:
                best, best_sim = i, sim
        return best, best_sim
