"""Metrics for the benchmark tasks, each a small validated function.

Every function takes ``predictions`` and ``references`` as equal-length sequences of
label *names* (``"favor"``, ``"negative"`` …) or of integer indices into ``labels``, checks
them, and returns a float in ``[0, 1]`` (or a dict of floats). Scores are computed with
scikit-learn rather than ``evaluate.load(...)``, because hub metrics cannot be fetched
offline; the definitions are the standard ones and are restated in each docstring.

Inputs (shared by every function, in the manner of Hugging Face ``evaluate``):
    predictions: Sequence of predicted labels, one per example (names or indices).
    references: Sequence of gold labels, same length and vocabulary as ``predictions``.
    labels: The label vocabulary; indices in ``predictions``/``references`` refer to it.

Any length mismatch, empty input or unknown label raises ``ValueError``.

Example:
    >>> macro_f1(["favor", "against", "none"], ["favor", "none", "none"], labels=PAIR_LABELS)
    0.5555555555555555
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from stance.data.schema import PAIR_LABELS, SENTIMENT_LABELS

__all__ = [
    "PARK_LABELS",
    "accuracy",
    "macro_f1",
    "micro_f1",
    "per_class_f1",
    "semeval_f_avg",
    "seesaw_pair_f1",
    "park_5class_f1",
    "newsmtsc_f1m",
    "classification_report",
]

#: Park et al. (2021) classes, in the order of the corpus' integer labels 0–4.
PARK_LABELS: list[str] = ["neutral", "pos_p2q", "pos_q2p", "neg_p2q", "neg_q2p"]


def _as_names(values: Sequence[Any], labels: Sequence[str], what: str) -> list[str]:
    names: list[str] = []
    known = set(labels)
    for i, v in enumerate(values):
        if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            if not 0 <= int(v) < len(labels):
                raise ValueError(f"{what}[{i}] = {v} is not a valid index into labels {list(labels)}")
            names.append(labels[int(v)])
        elif isinstance(v, str):
            if v not in known:
                raise ValueError(f"{what}[{i}] = {v!r} is not a known label; expected one of {list(labels)}")
            names.append(v)
        else:
            raise ValueError(f"{what}[{i}] has type {type(v).__name__}; expected a label name or index")
    return names


def _check(predictions: Sequence[Any], references: Sequence[Any], labels: Sequence[str]) -> tuple[list[str], list[str]]:
    """Validate the inputs and return them as label names."""
    if len(labels) == 0 or len(set(labels)) != len(labels):
        raise ValueError(f"labels must be a non-empty list of distinct names, got {list(labels)}")
    if len(predictions) != len(references):
        raise ValueError(f"predictions and references differ in length ({len(predictions)} != {len(references)})")
    if len(references) == 0:
        raise ValueError("cannot score an empty set of predictions")
    return _as_names(predictions, labels, "predictions"), _as_names(references, labels, "references")


def accuracy(predictions: Sequence[Any], references: Sequence[Any], labels: Sequence[str]) -> float:
    """Fraction of examples whose prediction equals the reference.

    Example:
        >>> accuracy([0, 1, 2, 2], [0, 1, 1, 2], labels=PAIR_LABELS)
        0.75
    """
    pred, ref = _check(predictions, references, labels)
    return float(np.mean([p == r for p, r in zip(pred, ref)]))


def per_class_f1(predictions: Sequence[Any], references: Sequence[Any], labels: Sequence[str]) -> dict[str, float]:
    """F1 of each class (one-vs-rest); a class never predicted nor present scores 0.

    Example:
        >>> per_class_f1(["favor", "against"], ["favor", "favor"], labels=PAIR_LABELS)
        {'favor': 0.6666666666666666, 'against': 0.0, 'none': 0.0}
    """
    from sklearn.metrics import f1_score

    pred, ref = _check(predictions, references, labels)
    scores = f1_score(ref, pred, labels=list(labels), average=None, zero_division=0)
    return {name: float(s) for name, s in zip(labels, scores)}


def macro_f1(
    predictions: Sequence[Any],
    references: Sequence[Any],
    labels: Sequence[str],
    *,
    average_over: Sequence[str] | None = None,
) -> float:
    """Unweighted mean of the per-class F1.

    By default the mean runs over the classes that occur in ``references`` or
    ``predictions`` (scikit-learn's default), so a class absent from both does not drag the
    score down; pass ``average_over`` to fix the classes (SemEval's FAVOR/AGAINST mean).

    Example:
        >>> macro_f1(["favor", "against", "none"], ["favor", "none", "none"], labels=PAIR_LABELS)
        0.5555555555555555
    """
    pred, ref = _check(predictions, references, labels)
    scores = per_class_f1(pred, ref, labels)
    if average_over is None:
        seen = set(pred) | set(ref)
        over = [c for c in labels if c in seen]
    else:
        over = list(average_over)
    unknown = [c for c in over if c not in scores]
    if unknown or not over:
        raise ValueError(f"average_over must be a non-empty subset of {list(labels)}, got {over}")
    return float(np.mean([scores[c] for c in over]))


def micro_f1(
    predictions: Sequence[Any],
    references: Sequence[Any],
    labels: Sequence[str],
    *,
    positive_labels: Sequence[str] | None = None,
) -> float:
    """Micro-averaged F1 over ``positive_labels`` (default: all labels, which equals accuracy).

    With a subset of labels, true positives, false positives and false negatives are pooled
    over those classes only (scikit-learn ``f1_score(..., labels=subset, average="micro")``),
    so predicting a class outside the subset for a gold in-subset example is a miss.

    Example:
        >>> micro_f1(["favor", "none"], ["favor", "against"], labels=PAIR_LABELS,
        ...          positive_labels=["favor", "against"])
        0.6666666666666666
    """
    from sklearn.metrics import f1_score

    pred, ref = _check(predictions, references, labels)
    subset = list(labels) if positive_labels is None else list(positive_labels)
    if not subset or any(c not in labels for c in subset):
        raise ValueError(f"positive_labels must be a non-empty subset of {list(labels)}, got {subset}")
    return float(f1_score(ref, pred, labels=subset, average="micro", zero_division=0))


def semeval_f_avg(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """SemEval-2016 Task 6 score: mean of F1(FAVOR) and F1(AGAINST) on 3-class predictions.

    Labels are the pair labels ``["favor", "against", "none"]``; "none" is predicted and
    scored as a class but its own F1 is not averaged in (Mohammad et al., 2016).

    Example:
        >>> semeval_f_avg(["favor", "against", "none", "none"], ["favor", "against", "favor", "none"])
        0.8333333333333333
    """
    return macro_f1(predictions, references, PAIR_LABELS, average_over=["favor", "against"])


def seesaw_pair_f1(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """SEESAW pair score: micro-F1 over POS/NEG (favor/against) for the gold pairs.

    Predicting "none" for a gold favor/against pair counts as a miss (a false negative),
    and predicting favor for a gold against pair is both a false positive and a miss.

    Example:
        >>> seesaw_pair_f1(["favor", "none", "favor"], ["favor", "against", "against"])
        0.4
    """
    return micro_f1(predictions, references, PAIR_LABELS, positive_labels=["favor", "against"])


def newsmtsc_f1m(predictions: Sequence[Any], references: Sequence[Any]) -> float:
    """NewsMTSC F1m: macro-F1 over negative/neutral/positive (Hamborg & Donnay, 2021).

    Example:
        >>> newsmtsc_f1m(["negative", "neutral", "positive"], ["negative", "neutral", "neutral"])
        0.5555555555555555
    """
    return macro_f1(predictions, references, SENTIMENT_LABELS)


def park_5class_f1(predictions: Sequence[Any], references: Sequence[Any]) -> dict[str, float]:
    """Park et al. (2021) 5-class scores: ``{"macro_f1", "micro_f1"}`` over :data:`PARK_LABELS`.

    ``predictions`` are 5-class labels, e.g. from
    ``stance.data.park2021.park_pairs_to_5class`` applied to the two directional
    predictions of each sentence; micro-F1 over all five classes equals accuracy.

    Example:
        >>> park_5class_f1([0, 1, 3, 0], [0, 1, 4, 0])
        {'macro_f1': 0.5, 'micro_f1': 0.75}
    """
    return {
        "macro_f1": macro_f1(predictions, references, PARK_LABELS),
        "micro_f1": micro_f1(predictions, references, PARK_LABELS),
    }


def classification_report(
    predictions: Sequence[Any], references: Sequence[Any], labels: Sequence[str]
) -> dict[str, Any]:
    """Accuracy, macro-F1, micro-F1 and per-class F1 in one dict.

    Example:
        >>> classification_report([0, 1], [0, 1], labels=PAIR_LABELS)["macro_f1"]
        1.0
    """
    return {
        "accuracy": accuracy(predictions, references, labels),
        "macro_f1": macro_f1(predictions, references, labels),
        "micro_f1": micro_f1(predictions, references, labels),
        "per_class_f1": per_class_f1(predictions, references, labels),
    }
