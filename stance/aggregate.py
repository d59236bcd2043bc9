"""Pure aggregation rules: sentence-level scores → article-level positions and sentiment.

Documented rules (also recorded in :class:`AggregationConfig`, which travels with results):

* **Positions.** For one (actor, target), each sentence that bears on it gives
  probabilities ``(favor, against, none)``. A sentence *takes a side* when its most probable
  label is favor or against. Each polar label's article score is the noisy-or,
  ``1 - prod(1 - p)``, of that label's probability over the sentences that take that side
  (sentences whose best label is none add nothing, so many weak sentences never add up to a
  position). The stance is the polar label with the higher score when that score reaches
  ``threshold``; otherwise ``neutral``.
  Evidence = the sentences whose own best polar label is the stance, strongest first;
  sentences whose best polar label is the other one with ``p >= threshold`` are kept as
  ``conflicting`` — shown, not hidden.
* **Sentiment.** An actor's article sentiment starts from the mean of its mentions'
  probability vectors ``m``. A model may carry a per-label log-prior shift ``b``
  (``article_sentiment_bias`` in its config, fitted on SEESAW train by
  ``python -m stance.training.calibrate``): the article probabilities are
  ``softmax(log m + b)`` (``b = 0`` leaves ``m`` unchanged); the label is their argmax;
  evidence = up to three mentions with the highest probability of that label.

Example:
    >>> obs = [Observation("Qatar", "military escalation", "issue", Span(0, 5, "Qatar"), (0.05, 0.9, 0.05))]
    >>> aggregate_positions(obs)[0].stance
    'against'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from stance.results import Evidence, Position, Sentiment, Span

POLAR = ("favor", "against")


@dataclass(frozen=True)
class AggregationConfig:
    """Thresholds of the aggregation rules.

    Attributes:
        threshold: Minimum aggregated probability for a favor/against position.
        max_evidence: Evidence sentences kept per position.
        include_neutral: Keep positions whose stance is neutral.
    """

    threshold: float = 0.5
    max_evidence: int = 3
    include_neutral: bool = False

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Observation:
    """One sentence's scores for one (actor, target).

    Attributes:
        actor: Canonical actor name.
        target: Issue name or target actor name.
        target_kind: "issue" or "actor".
        sentence: The sentence span (evidence).
        probs: ``(favor, against, none)`` probabilities.
        via: Person whose statement is rolled up to ``actor``, if any.
    """

    actor: str
    target: str
    target_kind: str
    sentence: Span
    probs: tuple[float, float, float]
    via: str | None = None


def _noisy_or(values: Iterable[float]) -> float:
    prod = 1.0
    for v in values:
        prod *= 1.0 - float(v)
    return 1.0 - prod


def aggregate_positions(observations: Sequence[Observation], config: AggregationConfig | None = None) -> list[Position]:
    """Aggregate sentence observations into one :class:`Position` per (actor, target, via)."""
    config = config or AggregationConfig()
    groups: dict[tuple[str, str, str, str | None], list[Observation]] = {}
    for o in observations:
        groups.setdefault((o.actor, o.target, o.target_kind, o.via), []).append(o)
    positions: list[Position] = []
    for (actor, target, kind, via), obs in groups.items():
        # the same sentence may be scored through several mentions: keep its strongest scores
        per_sentence: dict[tuple[int, int], list[float]] = {}
        spans: dict[tuple[int, int], Span] = {}
        for o in obs:
            key = (o.sentence.start, o.sentence.end)
            spans[key] = o.sentence
            cur = per_sentence.get(key)
            probs = [float(x) for x in o.probs]
            if cur is None or max(probs[:2]) > max(cur[:2]):
                per_sentence[key] = probs
        scores = {
            lab: _noisy_or(p[i] for p in per_sentence.values() if int(np.argmax(p)) == i) for i, lab in enumerate(POLAR)
        }
        best = max(POLAR, key=lambda lab: scores[lab])
        stance = best if scores[best] >= config.threshold else "neutral"
        if stance == "neutral" and not config.include_neutral:
            continue
        supporting: list[Evidence] = []
        conflicting: list[Evidence] = []
        for key, p in per_sentence.items():
            top = int(np.argmax(p))
            if top == 2:
                if stance == "neutral":
                    supporting.append(Evidence(spans[key], "neutral", p[2]))
                continue
            own = POLAR[top]
            if own == stance:
                supporting.append(Evidence(spans[key], own, p[top]))
            elif p[top] >= config.threshold or stance == "neutral":
                conflicting.append(Evidence(spans[key], own, p[top]))
        supporting.sort(key=lambda e: (-e.confidence, e.sentence.start))
        conflicting.sort(key=lambda e: (-e.confidence, e.sentence.start))
        confidence = scores[stance] if stance != "neutral" else 1.0 - max(scores.values())
        positions.append(
            Position(
                actor=actor,
                target=target,
                target_kind=kind,
                stance=stance,
                confidence=confidence,
                evidence=tuple(supporting[: config.max_evidence]),
                conflicting=tuple(conflicting[: config.max_evidence]),
                via=via,
            )
        )
    positions.sort(key=lambda p: (p.actor, p.via or "", -p.confidence, p.target))
    return positions


SENTIMENT_ORDER = ("negative", "neutral", "positive")


def shift_probabilities(probs: Sequence[float] | np.ndarray, bias: Sequence[float] | None) -> np.ndarray:
    """``softmax(log probs + bias)`` along the last axis; ``bias=None`` returns ``probs``.

    Example:
        >>> shift_probabilities([0.25, 0.5, 0.25], [0.0, 0.0, 0.0]).round(2).tolist()
        [0.25, 0.5, 0.25]
        >>> shift_probabilities([0.4, 0.3, 0.3], [0.0, 1.0, 0.0]).argmax()
        np.int64(1)
    """
    arr = np.asarray(probs, dtype=np.float64)
    if bias is None:
        return arr
    b = np.asarray(bias, dtype=np.float64)
    if b.shape != (arr.shape[-1],):
        raise ValueError(f"bias must have {arr.shape[-1]} values (one per label), got shape {b.shape}")
    logits = np.log(np.clip(arr, 1e-12, 1.0)) + b
    logits -= logits.max(-1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(-1, keepdims=True)


def aggregate_sentiment(
    mentions: Sequence[Span], probs: np.ndarray, max_evidence: int = 3, bias: Sequence[float] | None = None
) -> Sentiment | None:
    """Article-level sentiment toward an actor from its mentions' probabilities ``[n, 3]``.

    ``bias`` is the model's per-label log-prior shift (negative, neutral, positive), see
    the module docstring.

    Example:
        >>> m = [Span(0, 4, "Iran"), Span(10, 14, "Iran")]
        >>> aggregate_sentiment(m, np.array([[0.6, 0.3, 0.1], [0.4, 0.4, 0.2]])).label
        'negative'
        >>> aggregate_sentiment(m, np.array([[0.6, 0.3, 0.1], [0.4, 0.4, 0.2]]), bias=[0, 1, 0]).label
        'neutral'
    """
    if len(mentions) == 0:
        return None
    probs = np.asarray(probs, dtype=np.float64).reshape(len(mentions), 3)
    mean = shift_probabilities(probs.mean(0), bias)
    k = int(mean.argmax())
    order = np.argsort(-probs[:, k], kind="stable")[:max_evidence]
    return Sentiment(
        label=SENTIMENT_ORDER[k],
        score=float(mean[k]),
        probabilities={lab: float(v) for lab, v in zip(SENTIMENT_ORDER, mean)},
        evidence=tuple(mentions[i] for i in sorted(order.tolist())),
    )
