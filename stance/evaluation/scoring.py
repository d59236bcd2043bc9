"""Task scorers: turn probability rows plus the gold records into a dict of metrics.

A scorer has the signature ``scorer(records, probs, labels_scored=None) -> dict`` where
``records`` are the evaluation rows (dicts in the pair or sentiment schema, ``label`` an
index into the schema's labels), ``probs`` is the ``[n, 3]`` array a model returned for
them, and ``labels_scored`` optionally restricts the argmax to the classes a corpus uses
(PERSPECTRUM and IBM claim stance have no "none").

Example:
    >>> import numpy as np
    >>> recs = [{"label": 0}, {"label": 1}]
    >>> score_pairs(recs, np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1]]))["macro_f1"]
    1.0
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from stance.data.schema import PAIR_LABELS, SENTIMENT_LABELS
from stance.evaluation import metrics

logger = logging.getLogger(__name__)

__all__ = [
    "argmax_labels",
    "score_pairs",
    "score_sentiment",
    "score_semeval",
    "score_seesaw_pairs",
    "score_newsmtsc",
    "score_vast",
    "score_park",
    "record_meta",
]


def record_meta(record: dict[str, Any]) -> dict[str, Any]:
    """Parse a record's ``meta`` JSON string (``{}`` when empty or missing).

    Example:
        >>> record_meta({"meta": '{"seen": 1}'})
        {'seen': 1}
    """
    raw = record.get("meta") or "{}"
    if isinstance(raw, dict):
        return raw
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ValueError(f"record meta is not valid JSON: {raw[:80]!r}") from err
    return value if isinstance(value, dict) else {}


def _check_probs(records: Sequence[dict[str, Any]], probs: Any) -> np.ndarray:
    arr = np.asarray(probs, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise ValueError(f"probabilities must have shape [n, 3], got {arr.shape}")
    if arr.shape[0] != len(records):
        raise ValueError(f"got {arr.shape[0]} probability rows for {len(records)} records")
    return arr


def argmax_labels(probs: Any, labels: Sequence[str], labels_scored: Sequence[str] | None = None) -> list[str]:
    """Return the most probable label per row, optionally among ``labels_scored`` only.

    Example:
        >>> argmax_labels([[0.2, 0.3, 0.5]], PAIR_LABELS, ["favor", "against"])
        ['against']
    """
    arr = np.asarray(probs, dtype=float)
    allowed = list(labels) if labels_scored is None else list(labels_scored)
    cols = [list(labels).index(c) for c in allowed]
    best = arr[:, cols].argmax(axis=1)
    return [allowed[i] for i in best]


def _gold(records: Sequence[dict[str, Any]], labels: Sequence[str]) -> list[Any]:
    return [r["label"] for r in records]


def score_pairs(
    records: Sequence[dict[str, Any]], probs: Any, labels_scored: Sequence[str] | None = None
) -> dict[str, Any]:
    """Accuracy, macro-/micro-F1 and per-class F1 over the pair labels.

    Example:
        >>> score_pairs([{"label": 2}], [[0.1, 0.1, 0.8]])["accuracy"]
        1.0
    """
    arr = _check_probs(records, probs)
    pred = argmax_labels(arr, PAIR_LABELS, labels_scored)
    return metrics.classification_report(pred, _gold(records, PAIR_LABELS), PAIR_LABELS)


def score_sentiment(
    records: Sequence[dict[str, Any]], probs: Any, labels_scored: Sequence[str] | None = None
) -> dict[str, Any]:
    """Accuracy, macro-/micro-F1 and per-class F1 over negative/neutral/positive.

    Example:
        >>> score_sentiment([{"label": 0}], [[0.8, 0.1, 0.1]])["macro_f1"]
        1.0
    """
    arr = _check_probs(records, probs)
    pred = argmax_labels(arr, SENTIMENT_LABELS, labels_scored)
    return metrics.classification_report(pred, _gold(records, SENTIMENT_LABELS), SENTIMENT_LABELS)


def score_newsmtsc(
    records: Sequence[dict[str, Any]], probs: Any, labels_scored: Sequence[str] | None = None
) -> dict[str, Any]:
    """Sentiment scores plus ``f1m`` (NewsMTSC's 3-class macro-F1).

    Example:
        >>> score_newsmtsc([{"label": 1}], [[0.1, 0.8, 0.1]])["f1m"]
        1.0
    """
    out = score_sentiment(records, probs, labels_scored)
    pred = argmax_labels(np.asarray(probs, dtype=float), SENTIMENT_LABELS, labels_scored)
    out["f1m"] = metrics.newsmtsc_f1m(pred, _gold(records, SENTIMENT_LABELS))
    return out


def score_semeval(
    records: Sequence[dict[str, Any]], probs: Any, labels_scored: Sequence[str] | None = None
) -> dict[str, Any]:
    """Pair scores plus ``f_avg`` = mean(F1 favor, F1 against) on 3-class predictions.

    Example:
        >>> score_semeval([{"label": 0}, {"label": 1}], [[1, 0, 0], [0, 1, 0]])["f_avg"]
        1.0
    """
    out = score_pairs(records, probs, labels_scored)
    pred = argmax_labels(np.asarray(probs, dtype=float), PAIR_LABELS, labels_scored)
    out["f_avg"] = metrics.semeval_f_avg(pred, _gold(records, PAIR_LABELS))
    return out


def score_seesaw_pairs(
    records: Sequence[dict[str, Any]], probs: Any, labels_scored: Sequence[str] | None = None
) -> dict[str, Any]:
    """Pair scores plus ``pair_micro_f1``: micro-F1 over favor/against ("none" is a miss).

    Example:
        >>> score_seesaw_pairs([{"label": 0}, {"label": 1}], [[1, 0, 0], [0, 0, 1]])["pair_micro_f1"]
        0.6666666666666666
    """
    out = score_pairs(records, probs, labels_scored)
    pred = argmax_labels(np.asarray(probs, dtype=float), PAIR_LABELS, labels_scored)
    out["pair_micro_f1"] = metrics.seesaw_pair_f1(pred, _gold(records, PAIR_LABELS))
    return out


def _vast_subset(meta: dict[str, Any]) -> str | None:
    """Return "few_shot" / "zero_shot" from a VAST row's meta, or None if unknown."""
    for key in ("seen", "seen?", "is_seen"):
        if key in meta and meta[key] is not None and meta[key] != "":
            return "few_shot" if int(float(meta[key])) == 1 else "zero_shot"
    for key in ("setting", "shot", "subset"):
        value = str(meta.get(key, "")).lower().replace("-", "_")
        if value in ("few_shot", "zero_shot"):
            return value
    if "zero_shot" in meta:
        return "zero_shot" if meta["zero_shot"] else "few_shot"
    return None


def score_vast(
    records: Sequence[dict[str, Any]], probs: Any, labels_scored: Sequence[str] | None = None
) -> dict[str, Any]:
    """Pair scores plus macro-F1 on VAST's zero-shot and few-shot subsets.

    A row is few-shot when its meta says the topic was seen in training (``"seen": 1``),
    zero-shot otherwise (Allaway & McKeown, 2020).

    Example:
        >>> recs = [{"label": 0, "meta": '{"seen": 0}'}, {"label": 1, "meta": '{"seen": 1}'}]
        >>> out = score_vast(recs, [[1, 0, 0], [0, 1, 0]])
        >>> out["macro_f1_zero_shot"], out["n_few_shot"]
        (1.0, 1)
    """
    out = score_pairs(records, probs, labels_scored)
    pred = argmax_labels(np.asarray(probs, dtype=float), PAIR_LABELS, labels_scored)
    gold = _gold(records, PAIR_LABELS)
    subsets = [_vast_subset(record_meta(r)) for r in records]
    if all(s is None for s in subsets):
        logger.warning("VAST rows carry no seen/zero-shot flag in meta; reporting the overall score only")
        return out
    for name in ("zero_shot", "few_shot"):
        idx = [i for i, s in enumerate(subsets) if s == name]
        out[f"n_{name}"] = len(idx)
        if idx:
            out[f"macro_f1_{name}"] = metrics.macro_f1([pred[i] for i in idx], [gold[i] for i in idx], PAIR_LABELS)
    return out


def _direction(meta: dict[str, Any]) -> str:
    raw = str(meta.get("direction", "")).lower()
    letters = "".join(ch for ch in raw if ch in "pq")
    if letters in ("pq", "qp"):
        return letters
    raise ValueError(f"Park row has no usable meta 'direction' (expected p->q or q->p), got {raw!r}")


def _label5(meta: dict[str, Any]) -> Any:
    value = meta.get("label5")
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if value is None:
        raise ValueError("Park row has no meta 'label5'")
    return value


def score_park(
    records: Sequence[dict[str, Any]],
    probs: Any,
    labels_scored: Sequence[str] | None = None,
    *,
    to_5class: Any = None,
) -> dict[str, Any]:
    """Park et al. (2021) 5-class macro-/micro-F1 from the two directional predictions.

    Rows come two per sentence (p→q and q→p) sharing ``group_id``, with meta
    ``{"label5", "direction"}``. The two probability rows of each sentence are mapped to
    a 5-class label by ``stance.data.park2021.park_pairs_to_5class(probs_pq, probs_qp)``
    (or ``to_5class``, same signature, one sentence per call);
    the directional 3-class scores are reported too, prefixed ``directed_``.

    Example:
        >>> import numpy as np
        >>> recs = [{"label": 2, "group_id": "g", "meta": '{"label5": 0, "direction": "p->q"}'},
        ...         {"label": 2, "group_id": "g", "meta": '{"label5": 0, "direction": "q->p"}'}]
        >>> neutral = lambda pq, qp: 0
        >>> score_park(recs, np.array([[0, 0, 1.0]] * 2), to_5class=neutral)["macro_f1"]
        1.0
    """
    arr = _check_probs(records, probs)
    pred5, ref5 = park_sentences(records, arr, to_5class=to_5class)
    out: dict[str, Any] = {
        **metrics.park_5class_f1(pred5, ref5),
        "accuracy": metrics.accuracy(pred5, ref5, metrics.PARK_LABELS),
        "per_class_f1": metrics.per_class_f1(pred5, ref5, metrics.PARK_LABELS),
        "n_sentences": len(pred5),
    }
    directed = score_pairs(records, arr, labels_scored)
    out.update({f"directed_{k}": v for k, v in directed.items()})
    return out


def park_sentences(
    records: Sequence[dict[str, Any]], probs: Any, *, to_5class: Any = None
) -> tuple[list[int], list[Any]]:
    """Predicted and gold 5-class labels, one per Park sentence with both directions.

    Sentences are the records' ``group_id``s, in sorted order; see :func:`score_park`.

    Example:
        >>> import numpy as np
        >>> recs = [{"label": 2, "group_id": "g", "meta": '{"label5": 0, "direction": "p->q"}'},
        ...         {"label": 0, "group_id": "g", "meta": '{"label5": 0, "direction": "q->p"}'}]
        >>> park_sentences(recs, np.array([[0, 0, 1.0], [0.9, 0, 0.1]]))
        ([2], [0])
    """
    arr = _check_probs(records, probs)
    if to_5class is None:
        from stance.data.park2021 import park_pairs_to_5class as to_5class
    groups: dict[str, dict[str, int]] = {}
    gold5: dict[str, Any] = {}
    for i, r in enumerate(records):
        meta = record_meta(r)
        gid = str(r["group_id"])
        d = _direction(meta)
        if d in groups.setdefault(gid, {}):
            raise ValueError(f"Park group {gid!r} has two {d} rows")
        groups[gid][d] = i
        gold5[gid] = _label5(meta)
    complete = sorted(g for g, d in groups.items() if len(d) == 2)
    if len(complete) != len(groups):
        logger.warning("%d Park sentences lack one direction and are left out", len(groups) - len(complete))
    if not complete:
        raise ValueError("no Park sentence has both directions (p->q and q->p)")
    pq = arr[[groups[g]["pq"] for g in complete]]
    qp = arr[[groups[g]["qp"] for g in complete]]
    pred5 = [int(to_5class(a, b)) for a, b in zip(pq, qp)]
    return pred5, [gold5[g] for g in complete]


def score_e2e(
    records: Sequence[dict[str, Any]], results: Sequence[Any], labels_scored: Sequence[str] | None = None
) -> dict[str, Any]:
    """End-to-end SEESAW metrics: triplet precision/recall/F1 and the decomposition (:mod:`stance.evaluation.e2e`).

    ``records`` are article rows (:func:`stance.data.seesaw.load_seesaw_articles`), ``results``
    one :class:`~stance.results.ArticleResult` per row.
    """
    from stance.evaluation.e2e import score_results

    del labels_scored
    if len(records) != len(results):
        raise ValueError(f"one result per article is needed: {len(records)} articles, {len(results)} results")
    return score_results(records, results)
