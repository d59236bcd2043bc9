"""Unlabelled transfer corpora for knowledge distillation.

A student learns from a teacher's probabilities on any text, not only on labelled rows
(Hinton et al., 2015; DistilBERT and TinyBERT distil on large unlabelled "transfer
sets"). The gold corpora hold many more news sentences with marked actors than they have
labels for the task at hand: Park et al.'s sentences mark two entities but carry no
sentiment label; SEESAW's sentences mark the entities our matcher finds. This loader turns
the rows of such a corpus into **unlabelled** rows (``label == -1``) of either family:

* ``family="sentiment"``: every distinct marked span of a sentence (a pair row's source
  and target, a sentiment row's target) becomes a sentiment target;
* ``family="pair"``: every pair row, its label removed.

In training (``stance.training``), a row with label -1 gets no cross-entropy term: it
learns only the teacher's temperature-softened distribution, so such a corpus needs
``teacher_model`` in the config. These rows are for training only, never for evaluation.

Use it in a training config as::

    {"name": "transfer", "data_dir": "../../shared/data/directed-sentiment-park2021",
     "family": "sentiment", "loader_kwargs": {"source": "park2021", "family": "sentiment"}}

Example:
    >>> rows = [{"text": "Iran warned Israel.", "source": "Iran", "source_start": 0, "source_end": 4,
    ...          "target": "Israel", "target_start": 12, "target_end": 18, "label": 1,
    ...          "dataset": "park2021", "doc_id": "d", "group_id": "g", "meta": "{}"}]
    >>> [(r["target"], r["label"]) for r in unlabelled_targets(rows)]
    [('Iran', -1), ('Israel', -1)]
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from os import PathLike
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["UNLABELLED", "unlabelled_targets", "unlabelled_pairs", "load_transfer"]

#: The label of a row that has none (the convention of ``datasets.ClassLabel``).
UNLABELLED = -1
_FAMILIES = ("sentiment", "pair")


def _span(row: Mapping[str, Any], role: str) -> tuple[int, int] | None:
    start, end = row.get(f"{role}_start", -1), row.get(f"{role}_end", -1)
    if start is None or end is None or start < 0 or end <= start:
        return None  # the author, or a name not found in the text
    return int(start), int(end)


def unlabelled_targets(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Sentiment-schema rows, label -1, one per distinct marked span of each text.

    Spans come from pair rows (source and target) or sentiment rows (target); spans with
    offset -1 (the author, unfound names) are skipped. Order: first appearance.

    Example:
        >>> unlabelled_targets([{"text": "A met B.", "target": "B", "target_start": 6, "target_end": 7,
        ...                      "dataset": "x", "doc_id": "d", "group_id": "g"}])[0]["target"]
        'B'
    """
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, int, int]] = set()
    for row in rows:
        text = row["text"]
        for role in ("source", "target"):
            span = _span(row, role)
            if span is None or (text, *span) in seen:
                continue
            seen.add((text, *span))
            out.append(
                {
                    "text": text,
                    "target": text[span[0] : span[1]],
                    "target_start": span[0],
                    "target_end": span[1],
                    "label": UNLABELLED,
                    "dataset": f"transfer:{row.get('dataset', '')}",
                    "doc_id": row.get("doc_id", ""),
                    "group_id": row.get("group_id", ""),
                    "meta": json.dumps({"transfer": True, "from": role}),
                }
            )
    return out


def unlabelled_pairs(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The pair rows with their labels removed (label -1, ``dataset`` prefixed ``transfer:``).

    Example:
        >>> unlabelled_pairs([{"text": "t", "label": 0, "dataset": "seesaw"}])[0]["label"]
        -1
    """
    return [{**row, "label": UNLABELLED, "dataset": f"transfer:{row.get('dataset', '')}"} for row in rows]


def load_transfer(
    data_dir: str | PathLike[str],
    *,
    source: str,
    family: str = "sentiment",
    source_kwargs: Mapping[str, Any] | None = None,
    only_labels: Sequence[str] | None = None,
) -> Any:
    """Load corpus ``source`` from ``data_dir`` and return its splits as unlabelled rows.

    Args:
        data_dir: The source corpus folder.
        source: A loader name of :data:`stance.data.LOADERS` with pair or sentiment rows
            (e.g. ``"park2021"``, ``"seesaw_pairs"``, ``"newsmtsc"``).
        family: ``"sentiment"`` (marked spans become targets, see
            :func:`unlabelled_targets`) or ``"pair"`` (pair rows without labels).
        source_kwargs: Passed to the source loader (e.g. ``{"include_none_pairs": true}``).
        only_labels: Keep only the source rows with one of these label names before the
            labels are dropped, e.g. ``["none"]`` with SEESAW's sampled none pairs: rows
            whose label is a guess (no annotator related the two) are then taught by the
            teacher instead.

    Returns:
        ``DatasetDict`` with the source's splits in the chosen family's schema, every
        ``label`` -1.

    Raises:
        ValueError: Unknown family, ``source`` is ``"transfer"``, ``family="pair"``
            on a source without pair rows, or a label of ``only_labels`` the source lacks.
        KeyError: ``source`` is not a registered loader.

    Example:
        >>> load_transfer("data/park2021", source="park2021")["train"][0]["label"]  # doctest: +SKIP
        -1
    """
    from stance.data._io import make_dataset_dict
    from stance.data.registry import load_dataset_dir
    from stance.data.schema import pair_features, sentiment_features

    if family not in _FAMILIES:
        raise ValueError(f"family must be one of {_FAMILIES}, got {family!r}")
    if source == "transfer":
        raise ValueError("source must be a labelled corpus loader, not 'transfer' itself")
    dsd = load_dataset_dir(source, data_dir, **dict(source_kwargs or {}))
    splits: dict[str, list[dict[str, Any]]] = {}
    for name, ds in dsd.items():
        rows = ds.to_list()
        if only_labels is not None:
            names = ds.features["label"].names
            unknown = sorted(set(only_labels) - set(names))
            if unknown:
                raise ValueError(f"only_labels {unknown} are not labels of {source}; its labels: {names}")
            keep = {names.index(x) for x in only_labels}
            rows = [r for r in rows if r["label"] in keep]
        if family == "pair":
            if rows and "source_start" not in rows[0]:
                raise ValueError(f"{source} has no pair rows; use family='sentiment'")
            splits[name] = unlabelled_pairs(rows)
        else:
            splits[name] = unlabelled_targets(rows)
        logger.info(
            "transfer %s/%s: %d rows -> %d unlabelled %s rows", source, name, len(rows), len(splits[name]), family
        )
    features = pair_features() if family == "pair" else sentiment_features()
    return make_dataset_dict(splits, features)
