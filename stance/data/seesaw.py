"""Loaders for SEESAW (Zhang, Beauchamp & Wang, EMNLP 2022): entity-to-entity stance in
US political news, plus article-level sentiment toward each entity.

Layout (``data_dir`` is any folder that contains ``SEESAW/``)::

    <data_dir>/SEESAW/meta/TRIPLET_xxx.json                 story meta, field "Split" = train|valid|test
    <data_dir>/SEESAW/articles/TRIPLET_xxx_DOCUMENT_k.json  {"title", "text": [{"id", "text"}, ...]}
    <data_dir>/SEESAW/annotations/TRIPLET_xxx_DOCUMENT_k.json
        "entity lists":           [[name, [type per annotator], [role per annotator], [annotators]], ...]
        "sentence-level stances": {sentence id: [{"subject", "sentiment": POS|NEG, "object", "annotators"}]}
        "entity sentiments":      {name: [[7-point label, annotator], ...]}

A subject ``"None"`` means the author; ``"Not in the list"`` marks an entity the
annotator could not find in the article's entity list. Entity-sentiment labels are
``Very Negative, Negative, Slightly Negative, Neutral, Slightly Positive, Positive,
Very Positive`` (scored -3 … 3) and ``Unknown`` (no score; ignored in votes).

Splits follow the story's ``Split``: ``train`` → ``"train"``, ``valid`` → ``"validation"``,
``test`` → ``"test"`` (the public release has no test stories; a copy that has them gets a
``"test"`` split, which is otherwise absent).

Example:
    >>> dd = load_seesaw_pairs("data/seesaw")  # doctest: +SKIP
    >>> sorted(dd)  # doctest: +SKIP
    ['train', 'validation']
"""

from __future__ import annotations

import logging
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from stance.data._io import (
    NOT_FOUND,
    DataFormatError,
    Mention,
    find_entities,
    find_entity,
    make_dataset_dict,
    read_json,
    require_dir,
    require_file,
    to_json,
)
from stance.data.schema import AUTHOR, article_features, pair_features, sentiment_features

logger = logging.getLogger(__name__)

__all__ = [
    "load_seesaw_pairs",
    "load_seesaw_entity_sentiment",
    "load_seesaw_articles",
    "article_text",
    "SEVEN_POINT_SCORES",
    "NOT_IN_LIST",
    "AUTHOR_SUBJECT",
]

DATASET = "seesaw"
LAYOUT = (
    "<data_dir>/SEESAW/{annotations,articles,meta}: meta/TRIPLET_xxx.json (field 'Split'), "
    "articles/TRIPLET_xxx_DOCUMENT_k.json and annotations/TRIPLET_xxx_DOCUMENT_k.json"
)
AUTHOR_SUBJECT = "None"
NOT_IN_LIST = "Not in the list"
SEVEN_POINT_SCORES: dict[str, int] = {
    "Very Negative": -3,
    "Negative": -2,
    "Slightly Negative": -1,
    "Neutral": 0,
    "Slightly Positive": 1,
    "Positive": 2,
    "Very Positive": 3,
}
UNKNOWN_LABELS = frozenset({"Unknown"})
_SPLITS = {"train": "train", "valid": "validation", "test": "test"}
_OPTIONAL_SPLITS = ("test",)  # present in the DatasetDict only when some story has it
_POLARITY = {"POS": "favor", "NEG": "against"}
_ARTICLE_RE = re.compile(r"(TRIPLET_(\w+?))_DOCUMENT_(\d+)\.json")


# ---------------------------------------------------------------------------------------
# reading


@dataclass
class _Triplet:
    sentence_id: int
    subject: str
    object: str
    polarity: str  # POS | NEG, majority over annotators
    votes: dict[str, int]
    tie: bool
    entries: int  # annotation entries collapsed into this triplet


@dataclass
class _Article:
    doc_id: str
    story_id: str
    split: str
    title: str
    sentences: list[str]
    entities: dict[str, tuple[list[str], str]]  # name -> (types, role)
    triplets: list[_Triplet]
    annotated_sentences: list[int]
    sentiments: dict[str, list[str]]  # name -> raw 7-point labels
    path: Path = field(repr=False, default=Path())


def _expect(cond: bool, message: str, path: Path) -> None:
    if not cond:
        raise DataFormatError(message, path=path)


def _majority_role(roles: list[Any]) -> str:
    counts = Counter(str(r) for r in roles)
    if not counts:
        return ""
    best = max(counts.values())
    winners = [r for r in counts if counts[r] == best]
    return "Main" if "Main" in winners else winners[0]


def _read_story_splits(meta_dir: Path) -> dict[str, str]:
    splits: dict[str, str] = {}
    for path in sorted(meta_dir.glob("TRIPLET_*.json")):
        meta = read_json(path)
        _expect(isinstance(meta, dict) and "Split" in meta, "expected a JSON object with a 'Split' field", path)
        raw = meta["Split"]
        _expect(raw in _SPLITS, f"'Split' must be one of {sorted(_SPLITS)}, got {raw!r}", path)
        splits[path.stem] = _SPLITS[raw]
    if not splits:
        raise FileNotFoundError(f"no meta/TRIPLET_*.json files in {str(meta_dir)!r}; expected layout: {LAYOUT}")
    return splits


def _read_sentences(path: Path) -> tuple[str, list[str]]:
    art = read_json(path)
    _expect(
        isinstance(art, dict) and isinstance(art.get("title"), str), "expected an object with a string 'title'", path
    )
    _expect(isinstance(art.get("text"), list), "expected 'text' to be a list of {id, text} sentences", path)
    by_id: dict[int, str] = {}
    for i, sent in enumerate(art["text"]):
        ok = isinstance(sent, dict) and isinstance(sent.get("id"), int) and isinstance(sent.get("text"), str)
        _expect(ok, f"sentence #{i} must be an object with integer 'id' and string 'text'", path)
        by_id[sent["id"]] = sent["text"]
    _expect(sorted(by_id) == list(range(len(by_id))), "sentence ids must be 0..n-1", path)
    return art["title"], [by_id[i] for i in range(len(by_id))]


def _collapse(stances: dict[str, Any], n_sentences: int, path: Path) -> tuple[list[_Triplet], list[int]]:
    votes: dict[tuple[int, str, str], Counter[str]] = {}
    first: dict[tuple[int, str, str], str] = {}
    entries: Counter[tuple[int, str, str]] = Counter()
    annotated: list[int] = []
    for sid_raw, items in stances.items():
        _expect(
            str(sid_raw).isdigit() and int(sid_raw) < n_sentences,
            f"stance sentence id {sid_raw!r} is not in the article",
            path,
        )
        _expect(isinstance(items, list), f"stances of sentence {sid_raw} must be a list", path)
        sid = int(sid_raw)
        annotated.append(sid)
        for j, t in enumerate(items):
            where = f"sentence {sid}, triplet #{j}"
            ok = isinstance(t, dict) and all(isinstance(t.get(k), str) for k in ("subject", "sentiment", "object"))
            _expect(ok, f"{where}: needs string subject, sentiment and object", path)
            _expect(t["sentiment"] in _POLARITY, f"{where}: sentiment must be POS or NEG, got {t['sentiment']!r}", path)
            key = (sid, t["subject"], t["object"])
            n = max(1, len(t.get("annotators") or []))
            votes.setdefault(key, Counter())[t["sentiment"]] += n
            first.setdefault(key, t["sentiment"])
            entries[key] += 1
    triplets = []
    for key, counter in votes.items():
        best = max(counter.values())
        winners = [p for p in counter if counter[p] == best]
        polarity = first[key] if first[key] in winners else winners[0]
        triplets.append(_Triplet(key[0], key[1], key[2], polarity, dict(counter), len(winners) > 1, entries[key]))
    return triplets, sorted(set(annotated))


def _read_article(path: Path, ann_path: Path, story_id: str, split: str) -> _Article:
    title, sentences = _read_sentences(path)
    ann = read_json(ann_path)
    keys = ("entity lists", "sentence-level stances", "entity sentiments")
    _expect(
        isinstance(ann, dict) and all(k in ann for k in keys), f"expected an object with keys {list(keys)}", ann_path
    )
    entities: dict[str, tuple[list[str], str]] = {}
    for i, ent in enumerate(ann["entity lists"]):
        ok = isinstance(ent, list) and len(ent) >= 3 and isinstance(ent[0], str) and isinstance(ent[1], list)
        _expect(ok, f"entity #{i} must be [name, types, roles, annotators]", ann_path)
        types = list(dict.fromkeys(str(t) for t in ent[1]))
        roles = ent[2] if isinstance(ent[2], list) else [ent[2]]
        entities[ent[0]] = (types, _majority_role(roles))
    _expect(isinstance(ann["sentence-level stances"], dict), "'sentence-level stances' must be an object", ann_path)
    triplets, annotated = _collapse(ann["sentence-level stances"], len(sentences), ann_path)
    sentiments: dict[str, list[str]] = {}
    _expect(isinstance(ann["entity sentiments"], dict), "'entity sentiments' must be an object", ann_path)
    for name, votes in ann["entity sentiments"].items():
        ok = isinstance(votes, list) and all(isinstance(v, list) and v and isinstance(v[0], str) for v in votes)
        _expect(ok, f"entity sentiments of {name!r} must be [[label, annotator], ...]", ann_path)
        for v in votes:
            _expect(
                v[0] in SEVEN_POINT_SCORES or v[0] in UNKNOWN_LABELS,
                f"entity sentiment label {v[0]!r} of {name!r} is not one of {list(SEVEN_POINT_SCORES)} or Unknown",
                ann_path,
            )
        sentiments[name] = [v[0] for v in votes]
    return _Article(path.stem, story_id, split, title, sentences, entities, triplets, annotated, sentiments, path)


def _present(splits: dict[str, list[dict[str, Any]]], descriptions: dict[str, Any]) -> tuple[Any, Any]:
    """``(splits, descriptions)`` without the optional splits no story belongs to."""
    empty = {n for n in _OPTIONAL_SPLITS if not splits.get(n)}
    return (
        {k: v for k, v in splits.items() if k not in empty},
        {k: v for k, v in descriptions.items() if k not in empty},
    )


def _iter_articles(data_dir: str | PathLike[str]) -> Iterator[_Article]:
    root = require_dir(data_dir, layout=LAYOUT)
    base = require_dir(root / "SEESAW", layout=LAYOUT)
    ann_dir = require_dir(base / "annotations", layout=LAYOUT)
    art_dir = require_dir(base / "articles", layout=LAYOUT)
    stories = _read_story_splits(require_dir(base / "meta", layout=LAYOUT))
    found = []
    for path in art_dir.glob("*.json"):
        m = _ARTICLE_RE.fullmatch(path.name)
        if m is None:
            raise DataFormatError("article file names must look like TRIPLET_xxx_DOCUMENT_k.json", path=path)
        found.append((m.group(1), int(m.group(3)), path))
    if not found:
        raise FileNotFoundError(f"no article files in {str(art_dir)!r}; expected layout: {LAYOUT}")
    for story, _, path in sorted(found):
        if story not in stories:
            raise FileNotFoundError(f"no meta file meta/{story}.json for {path.name}; expected layout: {LAYOUT}")
        ann_path = require_file(ann_dir / path.name, layout=LAYOUT)
        yield _read_article(path, ann_path, story.removeprefix("TRIPLET_"), stories[story])


# ---------------------------------------------------------------------------------------
# pairs


def _pair_row(
    art: _Article, sid: int, subj: str, obj: str, label: str, mentions: tuple[Mention, Mention], extra: dict[str, Any]
) -> dict[str, Any]:
    text = art.sentences[sid]
    ms, mo = mentions
    is_author = subj == AUTHOR_SUBJECT
    source = AUTHOR if is_author else (text[ms.start : ms.end] if ms.found else subj)
    target = text[mo.start : mo.end] if mo.found else obj
    meta = {
        "story_id": art.story_id,
        "sentence_id": sid,
        "subject": AUTHOR if is_author else subj,
        "object": obj,
        "subject_types": [] if is_author else art.entities.get(subj, ([], ""))[0],
        "object_types": art.entities.get(obj, ([], ""))[0],
        "found": {"subject": "author" if is_author else ms.rule, "object": mo.rule},
        **extra,
    }
    return {
        "text": text,
        "source": source,
        "source_start": -1 if is_author else ms.start,
        "source_end": -1 if is_author else ms.end,
        "target": target,
        "target_start": mo.start,
        "target_end": mo.end,
        "label": label,
        "dataset": DATASET,
        "doc_id": art.doc_id,
        "group_id": f"{art.doc_id}:{sid}",
        "meta": to_json(meta),
    }


def _locate(text: str, art: _Article, subj: str, obj: str) -> tuple[Mention, Mention]:
    types = lambda name: art.entities.get(name, ([], ""))[0]  # noqa: E731
    if subj == AUTHOR_SUBJECT:
        return NOT_FOUND, find_entity(text, obj, types(obj))
    ms, mo = find_entities(text, [(subj, types(subj)), (obj, types(obj))])
    return ms, mo


def _none_rows(
    art: _Article, sid: int, related: set[frozenset[str]], max_rows: int | None, rng: random.Random
) -> list[dict[str, Any]]:
    text = art.sentences[sid]
    present = [n for n, (types, _) in art.entities.items() if find_entity(text, n, types).found]
    candidates = []
    for subj in present:
        for obj in present:
            if subj == obj or frozenset((subj, obj)) in related:
                continue
            ms, mo = _locate(text, art, subj, obj)
            if ms.found and mo.found:
                candidates.append((subj, obj, ms, mo))
    if max_rows is not None and len(candidates) > max_rows:
        candidates = rng.sample(candidates, max_rows)
    extra = {"votes": {}, "tie": False, "none_pair": True}
    return [_pair_row(art, sid, s, o, "none", (ms, mo), extra) for s, o, ms, mo in candidates]


def load_seesaw_pairs(
    data_dir: str | PathLike[str],
    *,
    include_none_pairs: bool = False,
    seed: int = 0,
    max_none_per_sentence: int | None = None,
) -> Any:
    """Load SEESAW sentence-level stance triplets as pair-stance rows.

    One row per distinct (sentence, subject, object): ``text`` is the sentence,
    POS → ``favor``, NEG → ``against``. Entries of several annotators for the same
    triplet collapse into one row labelled by majority (each entry weighs its number of
    annotators); an exact tie keeps the polarity listed first and is counted
    (``meta["tie"]``, and ``"ties"`` in the split's ``info.description``).

    Subject ``"None"`` (the author) becomes source :data:`~stance.data.schema.AUTHOR`
    with offsets -1. Triplets whose subject or object is ``"Not in the list"`` are
    skipped; their number is logged and stored per split in ``info.description`` (JSON,
    ``skipped.not_in_list``).

    Mentions are located with :func:`stance.data._io.find_entity`: the canonical name
    (case-insensitive, whole word); else the last word of a person's name ("Barack
    Obama" → "Obama"); else a derived short form ("Republican Party" → "Republicans",
    "Republican", "GOP"; "Federal Bureau of Investigation" → "FBI" …). Subject and
    object never share a span. When found, ``source``/``target`` hold the surface
    found (so ``text[start:end] == source``); otherwise offsets are -1 and they hold the
    canonical name. ``meta["found"]`` records the rule (``exact``, ``last_name``,
    ``alias``, ``author`` or null); ``meta["subject"]``/``meta["object"]`` hold the
    canonical names.

    Args:
        data_dir: Folder containing ``SEESAW/{annotations,articles,meta}``.
        include_none_pairs: Also emit ``none`` rows for ordered pairs of the article's
            listed entities that are both found in a sentence that has annotated
            triplets, when no triplet relates the two (in either direction) there.
        seed: Seeds the sampling of none pairs when ``max_none_per_sentence`` is set.
        max_none_per_sentence: Keep at most this many none rows per sentence (sampled
            with ``seed``); None keeps all.

    Returns:
        ``DatasetDict`` with ``train`` and ``validation`` (schema
        :func:`~stance.data.schema.pair_features`). ``meta`` holds ``story_id``,
        ``sentence_id``, ``subject``, ``object``, ``subject_types``, ``object_types``,
        ``found``, ``votes``, ``tie`` (and ``none_pair`` for none rows); ``doc_id`` is the
        article file stem and ``group_id`` is ``"<doc_id>:<sentence_id>"``.

    Raises:
        FileNotFoundError: The folder, a sub-folder, a meta file or an annotation file
            is missing.
        DataFormatError: A file does not have the documented structure (message names
            the file and the sentence/triplet).

    Example:
        >>> dd = load_seesaw_pairs("data/seesaw")  # doctest: +SKIP
        >>> import json; json.loads(dd["train"].info.description)["skipped"]  # doctest: +SKIP
        {'not_in_list': 1109}
    """
    splits: dict[str, list[dict[str, Any]]] = {name: [] for name in _SPLITS.values()}
    stats = {name: Counter() for name in _SPLITS.values()}
    for art in _iter_articles(data_dir):
        rows, st = splits[art.split], stats[art.split]
        related: dict[int, set[frozenset[str]]] = {}
        for t in art.triplets:
            related.setdefault(t.sentence_id, set()).add(frozenset((t.subject, t.object)))
            st["collapsed_entries"] += t.entries - 1
            if NOT_IN_LIST in (t.subject, t.object):
                st["not_in_list"] += 1
                continue
            if t.object == AUTHOR_SUBJECT:
                st["object_is_author"] += 1
                continue
            st["ties"] += t.tie
            mentions = _locate(art.sentences[t.sentence_id], art, t.subject, t.object)
            extra = {"votes": t.votes, "tie": t.tie}
            rows.append(_pair_row(art, t.sentence_id, t.subject, t.object, _POLARITY[t.polarity], mentions, extra))
        if include_none_pairs:
            for sid in art.annotated_sentences:
                rng = random.Random(f"{seed}:{art.doc_id}:{sid}")
                none = _none_rows(art, sid, related.get(sid, set()), max_none_per_sentence, rng)
                st["none_pairs"] += len(none)
                rows.extend(none)
    descriptions = {}
    for name, st in stats.items():
        skipped = {"not_in_list": st["not_in_list"]}
        if st["object_is_author"]:
            skipped["object_is_author"] = st["object_is_author"]
        descriptions[name] = {
            "dataset": DATASET,
            "skipped": skipped,
            "ties": st["ties"],
            "collapsed_duplicate_entries": st["collapsed_entries"],
            "none_pairs": st["none_pairs"],
        }
        if sum(skipped.values()):
            logger.warning(
                "seesaw %s: skipped %d triplet(s) whose subject or object is %r (%s)",
                name,
                sum(skipped.values()),
                NOT_IN_LIST,
                skipped,
            )
        logger.info(
            "seesaw pairs %s: %d rows (%d ties, %d none pairs)", name, len(splits[name]), st["ties"], st["none_pairs"]
        )
    splits, descriptions = _present(splits, descriptions)
    return make_dataset_dict(splits, pair_features(), descriptions=descriptions)


# ---------------------------------------------------------------------------------------
# article-level entity sentiment


def article_text(title: str, sentences: list[str]) -> str:
    """The article text used by SEESAW article-level rows: title, newline, sentences joined by spaces.

    Example:
        >>> article_text("Title", ["One.", "Two."])
        'Title\\nOne. Two.'
    """
    return title + "\n" + " ".join(sentences)


def _aggregate_sentiment(labels: list[str]) -> dict[str, Any] | None:
    scores = [SEVEN_POINT_SCORES[x] for x in labels if x in SEVEN_POINT_SCORES]
    if not scores:
        return None
    votes = Counter("negative" if s < 0 else "positive" if s > 0 else "neutral" for s in scores)
    best = max(votes.values())
    winners = sorted(k for k in votes if votes[k] == best)
    mean = sum(scores) / len(scores)
    if len(winners) == 1:
        label = winners[0]
    else:
        label = "negative" if mean < 0 else "positive" if mean > 0 else "neutral"
    return {
        "label": label,
        "mean_score": mean,
        "votes": dict(votes),
        "tie": len(winners) > 1,
        "unknown_votes": len(labels) - len(scores),
    }


def load_seesaw_entity_sentiment(data_dir: str | PathLike[str]) -> Any:
    """Load SEESAW article-level sentiment toward each entity as target-sentiment rows.

    ``text`` is :func:`article_text` (title + ``"\\n"`` + sentences joined by ``" "``).
    The 7-point labels map to 3 classes (any Negative variant → negative, Neutral →
    neutral, any Positive variant → positive); the row label is the majority over
    annotators, and a tie is broken by the sign of the mean 7-point score (-3 … 3; mean
    0 → neutral). ``Unknown`` votes are ignored; an entity with only ``Unknown`` votes is
    skipped and counted (``skipped.only_unknown`` in ``info.description``, and logged).

    The target is located with the same rules as :func:`load_seesaw_pairs` (first
    mention of the first matching rule); when found, ``target`` is that surface,
    otherwise the canonical name with offsets -1. ``meta`` holds ``story_id``,
    ``entity`` (canonical name), ``types``, ``role``, ``labels`` (raw 7-point labels),
    ``votes``, ``mean_score``, ``tie``, ``unknown_votes`` and ``found``.

    Args:
        data_dir: Folder containing ``SEESAW/{annotations,articles,meta}``.

    Returns:
        ``DatasetDict`` with ``train`` and ``validation`` (schema
        :func:`~stance.data.schema.sentiment_features`); ``doc_id`` and ``group_id`` are
        the article file stem.

    Raises:
        FileNotFoundError: Missing folder or file (see :func:`load_seesaw_pairs`).
        DataFormatError: A file does not have the documented structure, or a label is
            not one of the 7-point labels or Unknown.

    Example:
        >>> dd = load_seesaw_entity_sentiment("data/seesaw")  # doctest: +SKIP
        >>> dd["train"].features["label"].names  # doctest: +SKIP
        ['negative', 'neutral', 'positive']
    """
    splits: dict[str, list[dict[str, Any]]] = {name: [] for name in _SPLITS.values()}
    stats = {name: Counter() for name in _SPLITS.values()}
    for art in _iter_articles(data_dir):
        text = article_text(art.title, art.sentences)
        for name, labels in art.sentiments.items():
            agg = _aggregate_sentiment(labels)
            if agg is None:
                stats[art.split]["only_unknown"] += 1
                continue
            stats[art.split]["ties"] += agg["tie"]
            types, role = art.entities.get(name, ([], ""))
            m = find_entity(text, name, types)
            meta = {
                "story_id": art.story_id,
                "entity": name,
                "types": types,
                "role": role,
                "labels": labels,
                "found": m.rule,
            }
            meta.update({k: agg[k] for k in ("votes", "mean_score", "tie", "unknown_votes")})
            splits[art.split].append(
                {
                    "text": text,
                    "target": text[m.start : m.end] if m.found else name,
                    "target_start": m.start,
                    "target_end": m.end,
                    "label": agg["label"],
                    "dataset": DATASET,
                    "doc_id": art.doc_id,
                    "group_id": art.doc_id,
                    "meta": to_json(meta),
                }
            )
    descriptions = {}
    for name, st in stats.items():
        descriptions[name] = {"dataset": DATASET, "skipped": {"only_unknown": st["only_unknown"]}, "ties": st["ties"]}
        if st["only_unknown"]:
            logger.warning(
                "seesaw entity sentiment %s: skipped %d entities with only 'Unknown' votes", name, st["only_unknown"]
            )
    splits, descriptions = _present(splits, descriptions)
    return make_dataset_dict(splits, sentiment_features(), descriptions=descriptions)


# ---------------------------------------------------------------------------------------
# articles


def load_seesaw_articles(data_dir: str | PathLike[str]) -> Any:
    """Load SEESAW articles (sentences, entities, triplets, entity sentiment) as article rows.

    For end-to-end evaluation. Per article: ``sentences`` in id order (index = sentence
    id); ``entities`` with types (union over annotators, first-seen order) and ``role``
    (majority over annotators, tie → ``"Main"``); ``triplets`` collapsed by majority as in
    :func:`load_seesaw_pairs`, with subject ``"None"`` written as
    :data:`~stance.data.schema.AUTHOR` and ``"Not in the list"`` kept verbatim (filter
    them as needed); ``entity_sentiments`` with the 3-way ``label`` and the mean 7-point
    ``score`` as in :func:`load_seesaw_entity_sentiment` (entities with only Unknown
    votes are left out).

    Args:
        data_dir: Folder containing ``SEESAW/{annotations,articles,meta}``.

    Returns:
        ``DatasetDict`` with ``train`` and ``validation`` (schema
        :func:`~stance.data.schema.article_features`).

    Raises:
        FileNotFoundError: Missing folder or file (see :func:`load_seesaw_pairs`).
        DataFormatError: A file does not have the documented structure.

    Example:
        >>> dd = load_seesaw_articles("data/seesaw")  # doctest: +SKIP
        >>> dd["train"][0]["doc_id"]  # doctest: +SKIP
        'TRIPLET_000_DOCUMENT_0'
    """
    splits: dict[str, list[dict[str, Any]]] = {name: [] for name in _SPLITS.values()}
    for art in _iter_articles(data_dir):
        sentiments = []
        for name, labels in art.sentiments.items():
            agg = _aggregate_sentiment(labels)
            if agg is not None:
                sentiments.append({"name": name, "label": agg["label"], "score": agg["mean_score"]})
        splits[art.split].append(
            {
                "doc_id": art.doc_id,
                "story_id": art.story_id,
                "title": art.title,
                "sentences": art.sentences,
                "entities": [{"name": n, "types": t, "role": r} for n, (t, r) in art.entities.items()],
                "triplets": [
                    {
                        "sentence_id": t.sentence_id,
                        "subject": AUTHOR if t.subject == AUTHOR_SUBJECT else t.subject,
                        "polarity": t.polarity,
                        "object": t.object,
                    }
                    for t in art.triplets
                ],
                "entity_sentiments": sentiments,
                "split": art.split,
            }
        )
    descriptions = {name: {"dataset": DATASET, "articles": len(rows)} for name, rows in splits.items()}
    splits, descriptions = _present(splits, descriptions)
    return make_dataset_dict(splits, article_features(), descriptions=descriptions)
