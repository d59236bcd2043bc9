"""Syntactic stance cues: a small lexicon of English stance predicates on the dependency parse.

"Qatar *warned against* military escalation", "the US *launched* a strike", "vowed *to
block* the bill": :func:`stance_constructions` finds the (named entity, predicate, object
phrase) constructions of a parsed ``Doc`` and the stance the predicate states. Inference
uses them as optional cues (``stance.pipeline.syntactic_cues``, ``cue_weight``); training
uses them to write silver pairs (:mod:`stance.data.silver`, whose docstring gives the rules).

Example:
    >>> polarity_of("warn", "against"), polarity_of("launch", None), polarity_of("eat", None)
    ('against', 'favor', None)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

__all__ = [
    "FAVOR_VERBS",
    "AGAINST_VERBS",
    "PREP_POLARITY",
    "INTENT_VERBS",
    "URGE_VERBS",
    "URGED_ACTION",
    "SPEECH_VERBS",
    "EVALUATION",
    "EFFECT_VERBS",
    "DESCRIBE_VERBS",
    "AUTHOR_VERBS",
    "PARTICLE_POLARITY",
    "ACTOR_LABELS",
    "ADDRESSEE",
    "MADE",
    "polarity_of",
    "verb_polarity",
    "judged_phrases",
    "stance_constructions",
]

FAVOR_VERBS = frozenset(
    """support back endorse favor favour advocate champion defend praise hail welcome applaud laud
    approve accept embrace propose pursue urge demand seek want request launch order authorize
    authorise impose sign promote pass introduce threaten vow pledge promise recommend encourage
    prioritize prioritise adopt enact restore expand extend""".split()
)
AGAINST_VERBS = frozenset(
    """oppose reject condemn denounce criticize criticise blast slam decry resist block veto fight
    halt stop end ban refuse dismiss abandon scrap repeal cancel suspend boycott overturn undo
    lament deplore rule reverse challenge""".split()
) - {"rule"}
# (verb lemma, preposition) -> polarity of the preposition's object
PREP_POLARITY: dict[tuple[str, str], str] = {
    **{
        (v, "against"): "against"
        for v in "warn caution argue vote campaign lobby protest speak rally fight push advise testify rule".split()
    },
    **{
        (v, "for"): "favor"
        for v in "call push press argue vote campaign lobby fight rally advocate ask appeal plead hope".split()
    },
    ("warn", "of"): "against",
    ("hint", "at"): "favor",
    ("insist", "on"): "favor",
    ("object", "to"): "against",
    ("commit", "to"): "favor",
}
# verbs that hand their subject to an xcomp predicate without changing its polarity
INTENT_VERBS = frozenset(
    "vow pledge promise seek want plan try threaten move decide agree aim hope intend propose refuse vote".split()
)
_FLIP_INTENT = frozenset({"refuse"})
# verbs that ask someone else to act: "X urged Y to halt Z" -> X against Z; Y, the addressee, takes no stance
URGE_VERBS = frozenset("urge ask press push tell pressure encourage implore warn persuade call appeal".split())
_URGE_PREPS = {"call": "on", "appeal": "to"}  # "called on Y to ...", "appealed to Y to ..."
# what the urged action says about its object, beyond the lexicon: "urged Y to drop/lift Z" -> against Z
URGED_ACTION: dict[str, str] = {
    **{v: "against" for v in "drop lift withdraw cease rescind pull scrap halt stop end abandon reverse".split()},
    **{
        v: "favor"
        for v in """send resume release allow accept respect join hold reopen grant deliver provide finish complete
        conclude ratify implement protect safeguard preserve fund reach""".split()
    },
}
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PERSON_NOUNS = frozenset(
    """people person official officials leader leaders citizen citizens member members man men woman
    women voter voters supporter supporters critic critics resident residents lawmaker lawmakers""".split()
)
_PRONOUNS = frozenset("it they them he she him her we us you i me this that which what who one".split())
_MAX_TARGET_TOKENS = 8


# phrasal verbs: (lemma, particle) -> polarity toward the object ("turned down the plan")
PARTICLE_POLARITY: dict[tuple[str, str], str] = {
    **{
        pair: "against"
        for pair in (
            ("turn", "down"),
            ("strike", "down"),
            ("throw", "out"),
            ("roll", "back"),
            ("call", "off"),
            ("water", "down"),
            ("shoot", "down"),
        )
    },
    ("put", "forward"): "favor",
    ("sign", "off"): "favor",
}


def verb_polarity(verb: Any) -> str | None:
    """The lexicon's polarity of a verb token toward its object, its particle included
    ("turned *down* the plan": against; "struck *down* the law": against).
    """
    pol = _particle_polarity(verb)
    return pol if pol is not None else polarity_of(verb.lemma_.lower(), None)


def _particle_polarity(verb: Any) -> str | None:
    lemma = verb.lemma_.lower()
    for c in verb.children:
        if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ == "forward"):
            pol = PARTICLE_POLARITY.get((lemma, c.lower_))
            if pol is not None:
                return pol
    return None


def polarity_of(lemma: str, prep: str | None) -> str | None:
    """The lexicon's polarity for a predicate ``lemma`` with an optional preposition.

    Example:
        >>> polarity_of("call", "for")
        'favor'
    """
    if prep is not None:
        return PREP_POLARITY.get((lemma, prep))
    if lemma in FAVOR_VERBS:
        return "favor"
    if lemma in AGAINST_VERBS:
        return "against"
    return None


def _urged(verb: Any) -> tuple[list[tuple[Any, str, str]], list[Any]]:
    """ "X urged Y to halt Z": the urged action's objects with their polarity, and the addressees (Y).

    Only for :data:`URGE_VERBS` with an infinitive complement; the action's polarity comes
    from the lexicon or :data:`URGED_ACTION`. ``call`` and ``appeal`` need their preposition
    ("called on Y to ..."); without an addressee nothing is returned.
    """
    lemma = verb.lemma_.lower()
    if lemma in _DEMAND_VERBS:
        targets, addressees = _demanded(verb, lemma)
        if targets:
            return targets, addressees
    if lemma not in URGE_VERBS:
        return [], []
    prep = _URGE_PREPS.get(lemma)
    if prep is None:
        addressees = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    else:
        addressees = [
            o for c in verb.children if c.dep_ == "prep" and c.lower_ == prep for o in c.children if o.dep_ == "pobj"
        ]
    if not addressees:
        return [], []
    targets = []
    for action in verb.children:
        if action.dep_ != "xcomp" or action.pos_ != "VERB" or _negated(action):
            continue
        act = action.lemma_.lower()
        pol = URGED_ACTION.get(act) or polarity_of(act, None)
        if pol is None:
            continue
        targets.extend((o, pol, f"{lemma} Y to {act} OBJ") for o in action.children if o.dep_ in ("dobj", "obj"))
    return targets, addressees if targets else []


#: verbs whose that-clause asks its subject to act: "X demanded that Y lift Z"
_DEMAND_VERBS = frozenset("demand urge ask request".split())


def _demanded(verb: Any, lemma: str) -> tuple[list[tuple[Any, str, str]], list[Any]]:
    """ "X demanded (that) Y lift Z": X against Z; Y, the addressee, takes no stance toward Z."""
    targets, addressees = [], []
    for action in verb.children:
        if action.dep_ != "ccomp" or action.pos_ != "VERB" or _negated(action):
            continue
        subjects = [c for c in action.children if c.dep_ == "nsubj"]
        act = action.lemma_.lower()
        pol = URGED_ACTION.get(act) or polarity_of(act, None)
        if not subjects or pol is None:
            continue
        objects = [o for o in action.children if o.dep_ in ("dobj", "obj")]
        if objects:
            addressees.extend(subjects)
            targets.extend((o, pol, f"{lemma} (that) Y {act} OBJ") for o in objects)
    return targets, addressees


# "X said [Y was needed / a mistake]", "X said [Y would cost jobs]": a speech verb's clause judging its subject Y
SPEECH_VERBS = frozenset(
    "say tell argue insist claim warn add state note believe think contend stress maintain write declare assert".split()
)
EVALUATION: dict[str, str] = {
    **{
        w: "favor"
        for w in """necessary needed essential vital crucial important right justified fair good welcome
       overdue reasonable sensible legitimate appropriate proportionate effective beneficial step success""".split()
    },
    **{
        w: "against"
        for w in """unacceptable illegal unlawful wrong dangerous mistake error protectionism unfair
       unjustified harmful reckless irresponsible disastrous disaster catastrophe failure ineffective
       counterproductive unconstitutional discriminatory outrageous absurd provocation violation betrayal
       blow gimmick stunt disappointing theft""".split()
    },
}
# what Y "would do" says about Y: "the ban would protect teenagers" (favor), "would cost jobs" (against)
EFFECT_VERBS: dict[str, str] = {
    **{v: "favor" for v in "need require justify warrant protect help boost benefit strengthen save improve".split()},
    **{
        v: "against"
        for v in "cost hurt harm damage destroy undermine violate fuel kill weaken endanger breach worsen".split()
    },
}


def _evaluated(verb: Any) -> list[tuple[Any, str, str]]:
    """ "X said the law was needed": the judged subjects of a speech verb's clause, with the polarity judged.

    The clause's predicate is an evaluative adjective or noun after "be" (:data:`EVALUATION`,
    also as the noun's modifier: "a necessary response"), or a verb of effect
    (:data:`EFFECT_VERBS`; "need" and its kin only in the passive). A negated clause flips it.
    """
    lemma = verb.lemma_.lower()
    if lemma not in SPEECH_VERBS:
        return []
    out = []
    for clause in verb.children:
        if clause.dep_ != "ccomp":
            continue
        subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN"]
        if not subjects:
            continue
        head = clause.lemma_.lower()
        pol = None
        if head == "be":
            for pred in clause.children:
                if pred.dep_ in ("acomp", "attr"):
                    words = [pred.lemma_.lower()] + [c.lemma_.lower() for c in pred.children if c.dep_ == "amod"]
                    pol = next((EVALUATION[w] for w in words if w in EVALUATION), None)
                    if pol is not None:
                        break
        elif head in ("need", "require", "justify", "warrant"):
            pol = "favor" if any(c.dep_ == "auxpass" for c in clause.children) else None
        else:
            pol = EFFECT_VERBS.get(head)
        if pol is None:
            continue
        if _negated(clause):
            pol = _flip(pol)
        out.extend((subj, pol, f"{lemma} that Y {head}") for subj in subjects)
    return out


# "X described Y as a good start", "X called Y a betrayal": a verb that names what Y is
DESCRIBE_VERBS = frozenset(
    "describe call label brand term dub characterize characterise deem consider regard view".split()
)
_DESCRIPTION_TOKENS = 6  # how far after "as" (or the second object) the description is read


def _described(verb: Any) -> list[tuple[Any, str, str]]:
    """ "X described Y as a good start": the described object and the polarity the description states.

    The description follows "as" or stands as a second object ("called the reform a
    betrayal"); it is read as words, up to the next verb or clause break (the parser often
    mangles quoted descriptions), and judged by :data:`EVALUATION`; "not" or "no" in it flips it.
    """
    lemma = verb.lemma_.lower()
    if lemma not in DESCRIBE_VERBS:
        return []
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    if not objects:
        return []
    doc = verb.doc
    start = None
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "as" and c.i > objects[0].i:
            start = c.i + 1
        elif c.dep_ == "oprd" or (c.dep_ in ("dobj", "obj") and c is not objects[0] and c.i > objects[0].i):
            start = c.left_edge.i
    if start is None:
        return []
    words = []
    for tok in doc[start : min(len(doc), start + _DESCRIPTION_TOKENS, verb.sent.end)]:
        if tok.pos_ in ("VERB", "AUX") or tok.lower_ in (",", ";", "but", "while", "although"):
            break
        words.append(tok)
    pol = next((EVALUATION[t.lemma_.lower()] for t in words if t.lemma_.lower() in EVALUATION), None)
    if pol is None:
        return []
    if any(t.lower_ in ("not", "no") for t in words):
        pol = _flip(pol)
    return [(objects[0], pol, f"{lemma} Y as Z")]


# verbs that make their object (beyond FAVOR_VERBS): "a proposal *put forward* by X", "the plan X *drafted*"
AUTHOR_VERBS = frozenset("table draft offer broker sponsor unveil announce submit author float craft devise".split())
_RELATIVE = frozenset("which that whom".split())
_RELATIVE_SUBJECTS = frozenset("which that who".split())


def _authored(verb: Any) -> list[tuple[Any, list[Any], str, str]]:
    """ "a ceasefire proposal *put forward by X*", "the ban, which X imposed", "the ban was imposed by X":
    the issue noun, the tokens of X, and X's stance toward it (a verb of making it, or the lexicon's polarity).

    Returns ``[(noun, subject tokens, label, rule)]``; empty unless the verb is one of the
    lexicon's or :data:`AUTHOR_VERBS` (``put`` only with ``forward``) and X is its agent or,
    in an object relative clause, its subject.
    """
    lemma = verb.lemma_.lower()
    label = "favor" if lemma in AUTHOR_VERBS else verb_polarity(verb)
    if label is None or _negated(verb):
        return []
    agents = [o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ == "NOUN":
        noun = verb.head
        if agents:
            subjects, rule = agents, f"OBJ {lemma} by X"
        else:
            objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
            if verb.dep_ != "relcl" or any(o.lower_ not in _RELATIVE for o in objects):
                return []
            subjects = [c for c in verb.children if c.dep_ == "nsubj" and c.lower_ not in _RELATIVE]
            rule = f"OBJ (that) X {lemma}"
    else:
        nouns = [c for c in verb.children if c.dep_ == "nsubjpass" and c.pos_ == "NOUN"]
        if not agents or not nouns:
            return []
        noun, subjects, rule = nouns[0], agents, f"OBJ was {lemma} by X"
    subjects = [t for s in subjects for t in (s, *s.conjuncts)]
    return [(noun, subjects, label, rule)] if subjects else []


# nouns that state their possessor's stance toward their complement: "Germany's support for the plan"
NOUN_POLARITY: dict[tuple[str, str], str] = {
    **{(n, "for"): "favor" for n in "support backing call push demand campaign bid enthusiasm".split()},
    **{(n, "of"): "favor" for n in "support backing endorsement approval acceptance".split()},
    **{(n, "to"): "favor" for n in "support commitment".split()},
    **{(n, "to"): "against" for n in "opposition objection resistance".split()},
    **{(n, "of"): "against" for n in "rejection criticism condemnation".split()},
    **{(n, "against"): "against" for n in "campaign push fight".split()},
}


def _nominal(noun: Any) -> list[tuple[Any, list[Any], str, str]]:
    """ "Belgium's opposition to the scheme", "Germany's support for the proposal": the complement, the
    possessor and the stance the noun states (:data:`NOUN_POLARITY`); nothing when the noun is negated
    ("no support for")."""
    lemma = noun.lemma_.lower()
    owners = [c for c in noun.children if c.dep_ == "poss"]
    if not owners or any(c.dep_ == "neg" or c.lower_ in ("no", "little") for c in noun.children):
        return []
    out = []
    for prep in noun.children:
        label = NOUN_POLARITY.get((lemma, prep.lower_)) if prep.dep_ == "prep" else None
        if label is not None:
            out.extend((o, owners, label, f"X's {lemma} {prep.lower_} OBJ") for o in prep.children if o.dep_ == "pobj")
    return out


def judged_phrases(verb: Any) -> list[Any]:
    """Head tokens of what a speech verb's clause judges, a description names or an appeal asks to act on
    (issue candidates)."""
    return [obj for obj, _label, _rule in (*_evaluated(verb), *_described(verb), *_urged(verb)[0])]


def _flip(label: str) -> str:
    return "against" if label == "favor" else "favor"


def _negated(tok: Any) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _conditional(tok: Any) -> bool:
    """A predicate inside an if-clause or a question."""
    for anc in [tok, *tok.ancestors]:
        if anc.dep_ == "advcl" and any(c.lower_ in ("if", "unless", "whether") for c in anc.children):
            return True
    sent = tok.sent
    return sent.text.rstrip().endswith("?")


def _subject_tokens(verb: Any) -> list[Any]:
    """The nominal subjects of ``verb`` (climbing through intent verbs), with conjuncts."""
    node = verb
    for _ in range(3):
        subs = [c for c in node.children if c.dep_ in ("nsubj",)]
        if node.dep_ == "relcl":  # "the ACLU, which had challenged the law": the clause's subject is the ACLU
            subs = [node.head if c.lower_ in _RELATIVE_SUBJECTS else c for c in subs]
        if subs:
            out: list[Any] = []
            for s in subs:
                out.append(s)
                out.extend(s.conjuncts)
            return out
        if node.dep_ == "xcomp" and node.head.lemma_.lower() in INTENT_VERBS:
            node = node.head
            continue
        if node.dep_ == "conj":
            node = node.head
            continue
        break
    return []


def _intent_flip(verb: Any) -> bool | None:
    """Walk the intent verbs above ``verb`` ("vowed to block", "refused to back").

    Returns whether they flip its polarity, or None when one of them is negated ("did not
    vow to …"): the polarity is then ambiguous and the predicate is skipped.
    """
    flips = False
    node = verb
    while node.dep_ == "xcomp" and node.head.lemma_.lower() in INTENT_VERBS:
        node = node.head
        if _negated(node):
            return None
        if node.lemma_.lower() in _FLIP_INTENT:
            flips = not flips
    return flips


def _target_span(tok: Any) -> tuple[int, int] | None:
    if tok.ent_type_ or tok.lower_ in _PRONOUNS or tok.pos_ in ("PRON", "PROPN", "NUM", "PUNCT", "SYM"):
        return None
    if tok.lemma_.lower() in _PERSON_NOUNS or tok.pos_ not in ("NOUN", "VERB"):
        return None
    doc = tok.doc
    left, right = tok.left_edge.i, tok.right_edge.i
    while left < tok.i and (
        doc[left].dep_ in ("det", "poss", "case", "punct", "cc", "predet") or doc[left].lower_ in ("the", "a", "an")
    ):
        left += 1
    # cut relative clauses and long tails: keep up to the first comma/clause after the head
    for j in range(tok.i + 1, right + 1):
        if doc[j].dep_ in ("relcl", "acl", "advcl", "punct", "cc") or doc[j].lower_ in (",", "which", "that", "who"):
            right = j - 1
            break
    if right - left + 1 > _MAX_TARGET_TOKENS:
        right = min(right, max(tok.i, left + _MAX_TARGET_TOKENS - 1))
    if doc[left].ent_type_ == "PERSON":
        return None
    start, end = doc[left].idx, doc[right].idx + len(doc[right].text)
    return (start, end) if end > start else None


def _entity_of(tok: Any) -> Any | None:
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end and ent.label_ in ACTOR_LABELS:
            return ent
    return None


def _subject_entity(tok: Any) -> Any | None:
    """The entity a subject token names, or the one in apposition to it ("the minister, Abbas Araghchi")."""
    ent = _entity_of(tok)
    if ent is None:
        ent = next((e for e in (_entity_of(c) for c in tok.children if c.dep_ == "appos") if e is not None), None)
    return ent


# a subject like "China's commerce ministry" speaks for the state that possesses it
_STATE_BODIES = frozenset(
    """ministry government office department minister spokesman spokeswoman spokesperson president
    embassy military army parliament cabinet""".split()
)


def _subject_entities(tok: Any) -> list[Any]:
    """The entities a subject token names: its own (or its apposition's), and the state that owns a
    state body ("China's commerce ministry" -> China too)."""
    out = [e for e in (_subject_entity(tok),) if e is not None]
    if tok.lemma_.lower() in _STATE_BODIES:
        for c in tok.children:
            ent = _entity_of(c) if c.dep_ == "poss" else None
            if ent is not None and ent.label_ == "GPE" and ent not in out:
                out.append(ent)
    return out


#: Suffix of the rule of a row whose entity is asked to act: it states no stance of its own.
ADDRESSEE = " (addressee)"
#: Prefix of the rule of a row whose entity made the issue ("a plan put forward by X"): whatever the
#: sentence's main verb says ("rejected a plan put forward by X") is said of the plan, not by X.
MADE = "OBJ "


def _gerund_base(word: str) -> str | None:
    """The verb a lower-case "-ing" form may come from ("halting" -> "halt", "stopping" -> "stop")."""
    if not word.endswith("ing") or len(word) < 6:
        return None
    stem = word[:-3]
    for base in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem):
        if base in URGED_ACTION or base in AGAINST_VERBS or base in FAVOR_VERBS:
            return base
    return None


def _asked_actors(sent: Any) -> Iterator[tuple[Any, tuple[int, int], Any]]:
    """ "depends on *the US* halting threats": an entity that a preposition hands an action to.

    Read off the token sequence (the parser often takes such a gerund for a noun): a
    preposition ("on", "upon", "for"), the entity, a gerund of an action verb, then the
    action's object. Yields ``(entity, object span, gerund)``.
    """
    doc = sent.doc
    for ent in sent.ents:
        if ent.label_ not in ACTOR_LABELS or ent.end >= sent.end:
            continue
        before = ent.start - 1
        if before >= sent.start and doc[before].lower_ == "the":
            before -= 1
        if before < sent.start or doc[before].lower_ not in ("on", "upon", "for"):
            continue
        gerund = doc[ent.end]
        if _gerund_base(gerund.lower_) is None:
            continue
        start = gerund.i + 1
        while start < sent.end and doc[start].lower_ in ("the", "a", "an", "its", "their", "his", "her"):
            start += 1
        end = start
        while end < sent.end and end - start < _MAX_TARGET_TOKENS and doc[end].pos_ in ("NOUN", "ADJ", "PROPN", "ADP"):
            end += 1
        while end > start and doc[end - 1].pos_ == "ADP":
            end -= 1
        if end > start and any(doc[i].pos_ == "NOUN" for i in range(start, end)):
            yield ent, (doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)), gerund


def _bystander(ent: Any, subjects: Sequence[Any], ts: int, te: int) -> bool:
    """An entity that is in the sentence but neither inside the target nor part of the
    subject phrase, and not itself the subject of a clause (which may carry its own stance)."""
    if not (te <= ent.start_char or ts >= ent.end_char):
        return False
    for sub in subjects:
        root = sub.root
        while root.dep_ == "conj":
            root = root.head
        if root.left_edge.i <= ent.start and ent.end - 1 <= root.right_edge.i:
            return False
    return ent.root.dep_ not in ("nsubj", "nsubjpass", "conj", "appos")


def _owned_rows(
    sent: Any, tok: Any, found: list[tuple[Any, list[Any], str, str]], seen: set[tuple[int, int, int, int]]
) -> Iterator[tuple[Any, Any, tuple[int, int], str, str, Any]]:
    """Rows of :func:`stance_constructions` for ``(object, holder tokens, label, rule)`` constructions
    (:func:`_authored`, :func:`_nominal`): each holder's entities toward the object phrase, once per pair."""
    for obj, holders, label, rule in found:
        span = _target_span(obj)
        if span is None:
            continue
        for ent in dict.fromkeys(e for h in holders for e in _subject_entities(h)):
            key = (ent.start_char, ent.end_char, *span)
            if key not in seen:
                seen.add(key)
                yield sent, ent, span, label, rule, tok


def stance_constructions(doc: Any) -> Iterator[tuple[Any, Any, tuple[int, int], str, str, Any]]:
    """Every explicit stance construction in a parsed doc (the lexicon rules above).

    Yields ``(sentence, entity, (target_start, target_end), label, rule, predicate)``: the
    subject entity takes ``label`` ("favor"/"against") toward the target phrase (character
    offsets in ``doc``); bystander entities of the sentence come with label "none".
    """
    for sent in doc.sents:
        if len(sent) > 80:
            continue
        seen: set[tuple[int, int, int, int]] = set()
        # who made the issue first: "rejected a proposal put forward by X" is X's proposal, not X's rejection
        for tok in sent:
            if tok.pos_ == "VERB" and not _conditional(tok):
                yield from _owned_rows(sent, tok, _authored(tok), seen)
        for tok in sent:  # "Belgium's opposition to the scheme"
            if tok.pos_ == "NOUN" and not _conditional(tok):
                yield from _owned_rows(sent, tok, _nominal(tok), seen)
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or _negated(tok) or _conditional(tok):
                continue
            lemma = tok.lemma_.lower()
            targets, addressees = _urged(tok)  # (object token, label, rule); people asked to act
            targets += _evaluated(tok) + _described(tok)
            direct = verb_polarity(tok)
            # "urged governments to X": the object is asked to act, not backed (X unknown to the lexicon)
            asks = lemma in URGE_VERBS and any(c.dep_ == "xcomp" for c in tok.children)
            for child in tok.children:
                if direct and child.dep_ in ("dobj", "obj") and child not in addressees and not asks:
                    targets.append((child, direct, f"{lemma} OBJ"))
                elif child.dep_ == "prep":
                    pol = polarity_of(lemma, child.lower_)
                    if pol:
                        for obj in child.children:
                            if obj.dep_ in ("pobj", "pcomp"):
                                targets.append((obj, pol, f"{lemma} {child.lower_} OBJ"))
            if not targets:
                continue
            flip = _intent_flip(tok)
            if flip is None:
                continue
            subjects = [e for s in _subject_tokens(tok) for e in _subject_entities(s)]
            if not subjects:
                continue
            subject_spans = {(e.start_char, e.end_char) for e in subjects}
            others = [
                e for e in sent.ents if e.label_ in ACTOR_LABELS and (e.start_char, e.end_char) not in subject_spans
            ]
            for obj, label, rule in targets:
                span = _target_span(obj)
                if span is None:
                    continue
                ts, te = span
                if any(not (te <= e.start_char or ts >= e.end_char) for e in subjects):
                    continue
                if flip:
                    label = _flip(label)
                rows = [(e, label, rule) for e in subjects]
                # the addressee of an appeal takes no stance toward what it is asked to do
                if " Y to " in rule or " (that) Y " in rule:
                    rows += [
                        (e, "none", rule + ADDRESSEE) for e in (_entity_of(a) for a in addressees) if e is not None
                    ]
                none = [e for e in others if _bystander(e, subjects, ts, te)][:1]
                rows += [(e, "none", rule) for e in none]
                for ent, lab, row_rule in rows:
                    key = (ent.start_char, ent.end_char, ts, te)
                    if key in seen:
                        continue
                    seen.add(key)
                    yield sent, ent, (ts, te), lab, row_rule, tok
        for ent, (ts, te), tok in _asked_actors(sent):
            if (ent.start_char, ent.end_char, ts, te) not in seen:
                seen.add((ent.start_char, ent.end_char, ts, te))
                yield sent, ent, (ts, te), "none", f"on Y {tok.lower_} OBJ" + ADDRESSEE, tok
