"""Is model B really better than model A? A paired bootstrap over one evaluation set.

Selection differences of a few thousandths are common between fine-tuning runs, and a
validation split of a thousand sentences cannot resolve them: the greedy model soup of
this repository beat the shipped model by 0.0025 on the validation criterion and lost on
every test benchmark it was selected for. :func:`paired_bootstrap` puts a confidence
interval on such a difference.

Both models are scored on the same resamples. The unit resampled is the sentence: rows
sharing a ``group_id`` (NewsMTSC targets of one sentence) are drawn together, and Park is
scored per sentence anyway (its 5-class label comes from the sentence's two directions).
Scores are computed from a confusion matrix in numpy, so 1,000 resamples take seconds.

Example:
    >>> import numpy as np
    >>> gold = np.array([0, 1] * 20)
    >>> res = paired_bootstrap(gold, np.zeros(40, int), gold, n_labels=2, n_resamples=200)
    >>> res.score_a, res.score_b, res.ci_low > 0
    (0.3333333333333333, 1.0, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from stance.evaluation import metrics
from stance.evaluation.scoring import argmax_labels, park_sentences

# task -> (labels, labels averaged, average): the primary metric of each supported task
TASK_METRICS: dict[str, tuple[list[str], list[str], str]] = {
    "park-dse": (metrics.PARK_LABELS, metrics.PARK_LABELS, "macro"),
    "seesaw-pair": (metrics.PAIR_LABELS, ["favor", "against"], "micro"),
    "newsmtsc-rw": (metrics.SENTIMENT_LABELS, metrics.SENTIMENT_LABELS, "macro"),
    "newsmtsc-mt": (metrics.SENTIMENT_LABELS, metrics.SENTIMENT_LABELS, "macro"),
}


def f1_from_labels(
    gold: Any, pred: Any, n_labels: int, *, averaged: Sequence[int] | None = None, average: str = "macro"
) -> float:
    """Macro- or micro-F1 over the label indices ``averaged`` (default: all), from integer labels.

    Equals ``sklearn.metrics.f1_score(gold, pred, labels=averaged, average=average,
    zero_division=0)``, computed from one confusion matrix.

    Example:
        >>> f1_from_labels([0, 1, 2, 2], [0, 2, 2, 2], 3)
        0.6
    """
    g, p = np.asarray(gold, dtype=int), np.asarray(pred, dtype=int)
    cm = np.bincount(g * n_labels + p, minlength=n_labels * n_labels).reshape(n_labels, n_labels)
    idx = np.arange(n_labels) if averaged is None else np.asarray(list(averaged), dtype=int)
    tp = np.diag(cm)[idx].astype(float)
    fp = cm.sum(0)[idx] - tp
    fn = cm.sum(1)[idx] - tp
    if average == "micro":
        denom = 2 * tp.sum() + fp.sum() + fn.sum()
        return float(2 * tp.sum() / denom) if denom else 0.0
    if average != "macro":
        raise ValueError(f"average must be 'macro' or 'micro', got {average!r}")
    denom = 2 * tp + fp + fn
    return float(np.mean(np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)))


@dataclass(frozen=True)
class BootstrapResult:
    """The difference ``score(B) - score(A)`` on one evaluation set, with its uncertainty.

    Attributes:
        score_a: Model A's score on the full set.
        score_b: Model B's score on the full set.
        delta: ``score_b - score_a`` on the full set.
        ci_low: Lower end of the central ``confidence`` interval of the resampled deltas.
        ci_high: Upper end of that interval.
        p_b_not_better: Fraction of resamples in which B did not beat A (a one-sided
            bootstrap p-value for "B is better").
        confidence: The interval's coverage (e.g. 0.95).
        n_resamples: Number of resamples.
        n_units: Number of units (sentences or groups) resampled.
        seed: The resampling seed.
    """

    score_a: float
    score_b: float
    delta: float
    ci_low: float
    ci_high: float
    p_b_not_better: float
    confidence: float
    n_resamples: int
    n_units: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def paired_bootstrap(
    gold: Any,
    pred_a: Any,
    pred_b: Any,
    *,
    n_labels: int,
    averaged: Sequence[int] | None = None,
    average: str = "macro",
    groups: Sequence[Any] | None = None,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> BootstrapResult:
    """Paired bootstrap of ``F1(gold, pred_b) - F1(gold, pred_a)`` (see :func:`f1_from_labels`).

    Args:
        gold: Gold label indices, one per row.
        pred_a: Model A's predicted label indices.
        pred_b: Model B's predicted label indices.
        n_labels: Number of labels.
        averaged: Label indices the F1 averages over (default: all).
        average: ``"macro"`` or ``"micro"``.
        groups: One id per row; rows with the same id are resampled together
            (default: every row on its own).
        n_resamples: Bootstrap resamples.
        confidence: Coverage of the interval.
        seed: Seed of the resampling.

    Returns:
        A :class:`BootstrapResult`.

    Raises:
        ValueError: Lengths disagree, labels are out of range, fewer than two units, or
            a setting is out of range.
    """
    g, a, b = (np.asarray(x, dtype=int) for x in (gold, pred_a, pred_b))
    if not (g.ndim == a.ndim == b.ndim == 1) or not len(g) == len(a) == len(b):
        raise ValueError(
            f"gold, pred_a and pred_b must be 1-D label arrays of one length, got {g.shape}, {a.shape}, {b.shape}"
        )
    if len(g) and (min(g.min(), a.min(), b.min()) < 0 or max(g.max(), a.max(), b.max()) >= n_labels):
        raise ValueError(f"labels must be integers in [0, {n_labels})")
    if n_resamples < 1 or not 0.0 < confidence < 1.0:
        raise ValueError(f"need n_resamples >= 1 and 0 < confidence < 1, got {n_resamples} and {confidence}")
    if groups is None:
        units = [np.array([i]) for i in range(len(g))]
    else:
        if len(groups) != len(g):
            raise ValueError(f"groups has {len(groups)} ids for {len(g)} rows: give one per row")
        index: dict[Any, list[int]] = {}
        for i, gid in enumerate(groups):
            index.setdefault(gid, []).append(i)
        units = [np.array(rows) for rows in index.values()]
    if len(units) < 2:
        raise ValueError(f"only {len(units)} unit(s) to resample: a bootstrap needs at least two")

    def f1(gg: np.ndarray, pp: np.ndarray) -> float:
        return f1_from_labels(gg, pp, n_labels, averaged=averaged, average=average)

    rng = np.random.default_rng(seed)
    deltas = np.empty(n_resamples)
    for k in range(n_resamples):
        rows = np.concatenate([units[u] for u in rng.integers(0, len(units), size=len(units))])
        deltas[k] = f1(g[rows], b[rows]) - f1(g[rows], a[rows])
    tail = (1.0 - confidence) / 2
    score_a, score_b = f1(g, a), f1(g, b)
    return BootstrapResult(
        score_a=score_a,
        score_b=score_b,
        delta=score_b - score_a,
        ci_low=float(np.quantile(deltas, tail)),
        ci_high=float(np.quantile(deltas, 1.0 - tail)),
        p_b_not_better=float(np.mean(deltas <= 0)),
        confidence=confidence,
        n_resamples=n_resamples,
        n_units=len(units),
        seed=seed,
    )


def _indices(values: Sequence[Any], labels: Sequence[str]) -> np.ndarray:
    return np.array([v if isinstance(v, (int, np.integer)) else list(labels).index(v) for v in values], dtype=int)


def task_labels(task: str, records: Sequence[dict[str, Any]], probs: Any) -> dict[str, Any]:
    """Gold and predicted label indices of ``task``'s primary metric, ready for :func:`paired_bootstrap`.

    Returns:
        ``{"gold", "pred", "groups", "n_labels", "averaged", "average"}``: Park gives one
        row per sentence (the 5-class label); the others one row per record, grouped by
        ``group_id``.

    Raises:
        ValueError: A task without a bootstrap metric here (see :data:`TASK_METRICS`).
    """
    if task not in TASK_METRICS:
        raise ValueError(f"no bootstrap metric for task {task!r}; supported: {sorted(TASK_METRICS)}")
    labels, averaged, average = TASK_METRICS[task]
    if task == "park-dse":
        pred, gold = park_sentences(records, probs)
        groups = None
    else:
        pred = argmax_labels(np.asarray(probs, dtype=float), labels)
        gold = [r["label"] for r in records]
        groups = [r.get("group_id", i) for i, r in enumerate(records)]
    return {
        "gold": _indices(gold, labels),
        "pred": _indices(pred, labels),
        "groups": groups,
        "n_labels": len(labels),
        "averaged": [labels.index(x) for x in averaged],
        "average": average,
    }
