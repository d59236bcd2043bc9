"""Do the model's probabilities mean what they say? Calibration metrics and temperature scaling.

A confidence of 0.9 should be right nine times in ten. Fine-tuned transformers are
usually over-confident; one temperature per head (Guo et al., "On Calibration of Modern
Neural Networks", ICML 2017), fitted on a validation split by minimising the negative
log-likelihood, fixes most of it without changing any argmax.

Inputs (as in Hugging Face ``evaluate``):
    probs: ``[n, k]`` array of class probabilities, rows summing to 1.
    labels: ``n`` gold class indices in ``0 .. k-1``.

Example:
    >>> import numpy as np
    >>> probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.6, 0.4], [0.7, 0.3]])
    >>> report = calibration_report(probs, [0, 0, 1, 0], n_bins=10)
    >>> round(report["accuracy"], 2), round(report["confidence"], 2)
    (0.75, 0.75)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "apply_temperature",
    "brier_score",
    "calibration_report",
    "expected_calibration_error",
    "fit_temperature",
    "negative_log_likelihood",
]

_EPS = 1e-12


def _check(probs: Any, labels: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] == 0 or p.shape[1] < 2:
        raise ValueError(f"probs must be a non-empty [n, k] array with k >= 2 classes, got shape {p.shape}")
    if not np.all(np.isfinite(p)) or (p < 0).any() or not np.allclose(p.sum(1), 1.0, atol=1e-3):
        raise ValueError(
            "probs must be finite, non-negative, and each row must sum to 1 (pass softmax outputs, not logits)"
        )
    if labels is None:
        return p, None
    y = np.asarray(labels)
    if y.shape != (p.shape[0],) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels must be {p.shape[0]} integer class indices, got shape {y.shape} of {y.dtype}")
    if (y < 0).any() or (y >= p.shape[1]).any():
        raise ValueError(f"labels must lie in 0..{p.shape[1] - 1}")
    return p, y


def apply_temperature(probs: Any, temperature: float) -> np.ndarray:
    """Rescale probabilities as ``softmax(log(p) / T)`` (the same as dividing the logits by ``T``).

    ``T > 1`` softens over-confident probabilities; the argmax of every row is unchanged.

    Example:
        >>> apply_temperature([[0.8, 0.2]], 2.0).round(3).tolist()
        [[0.667, 0.333]]
    """
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or not temperature > 0:
        raise ValueError(f"temperature must be a number > 0, got {temperature!r}")
    p, _ = _check(probs)
    z = np.log(np.clip(p, _EPS, 1.0)) / float(temperature)
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def negative_log_likelihood(probs: Any, labels: Sequence[int]) -> float:
    """Mean ``-log p(gold)`` (lower is better).

    Example:
        >>> round(negative_log_likelihood([[0.5, 0.5]], [0]), 4)
        0.6931
    """
    p, y = _check(probs, labels)
    return float(-np.log(np.clip(p[np.arange(len(y)), y], _EPS, 1.0)).mean())


def brier_score(probs: Any, labels: Sequence[int]) -> float:
    """Mean squared distance between the probability vector and the one-hot gold (0 is perfect, 2 the worst).

    Example:
        >>> brier_score([[1.0, 0.0], [0.5, 0.5]], [0, 1])
        0.25
    """
    p, y = _check(probs, labels)
    onehot = np.eye(p.shape[1])[y]
    return float(((p - onehot) ** 2).sum(axis=1).mean())


def expected_calibration_error(probs: Any, labels: Sequence[int], n_bins: int = 15) -> float:
    """Top-label ECE: ``sum_b |B_b|/n * |accuracy(B_b) - confidence(B_b)|`` over equal-width confidence bins.

    Example:
        >>> expected_calibration_error([[0.9, 0.1], [0.9, 0.1]], [0, 1], n_bins=10)
        0.4
    """
    if isinstance(n_bins, bool) or not isinstance(n_bins, int) or n_bins < 1:
        raise ValueError(f"n_bins must be an int >= 1, got {n_bins!r}")
    p, y = _check(probs, labels)
    conf = p.max(axis=1)
    correct = p.argmax(axis=1) == y
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)  # conf == 1.0 goes to the top bin
    ece = 0.0
    for b in range(n_bins):
        mask = bins == b
        if mask.any():
            ece += mask.mean() * abs(correct[mask].mean() - conf[mask].mean())
    return float(ece)


def calibration_report(probs: Any, labels: Sequence[int], n_bins: int = 15) -> dict[str, float]:
    """``{"n", "accuracy", "confidence", "ece", "nll", "brier"}`` of ``probs`` against ``labels``.

    ``confidence`` is the mean top probability; a calibrated model has it close to
    ``accuracy`` and a small ``ece``.
    """
    p, y = _check(probs, labels)
    return {
        "n": int(len(y)),
        "accuracy": float((p.argmax(axis=1) == y).mean()),
        "confidence": float(p.max(axis=1).mean()),
        "ece": expected_calibration_error(p, y, n_bins),
        "nll": negative_log_likelihood(p, y),
        "brier": brier_score(p, y),
    }


def fit_temperature(probs: Any, labels: Sequence[int], bounds: tuple[float, float] = (0.05, 20.0)) -> float:
    """The temperature ``T`` in ``bounds`` that minimises the NLL of :func:`apply_temperature` (probs, T).

    Fit it on a validation split, never on the data you report.

    Example:
        >>> import numpy as np
        >>> over = np.array([[0.99, 0.01]] * 7 + [[0.01, 0.99]] * 3)   # 70% right at 99%
        >>> 2.0 < fit_temperature(over, [0] * 5 + [1] * 2 + [1] * 3) < 10.0
        True
    """
    from scipy.optimize import minimize_scalar

    p, y = _check(probs, labels)
    lo, hi = bounds
    if not 0 < lo < hi:
        raise ValueError(f"bounds must satisfy 0 < low < high, got {bounds!r}")
    res = minimize_scalar(
        lambda t: negative_log_likelihood(apply_temperature(p, t), y),
        bounds=(lo, hi),
        method="bounded",
        options={"xatol": 1e-4},
    )
    return float(res.x)
