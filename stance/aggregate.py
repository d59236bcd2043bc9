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
* **Sentiment.** An actor's article sentiment comes from its mentions' probability vectors
  (negative, neutral, positive), in reading order. A model that carries a fitted
  :class:`SentimentAggregator` (``article_sentiment_aggregator`` in its config, fitted by
  ``python -m stance.training.calibrate --aggregator``) gives the article probabilities as a
  multinomial logistic regression over :func:`mention_features` (per label the mean, the
  maximum, the share of mentions whose best label it is and the first mention's
  probability; the number of mentions; where the first mention falls). Otherwise they are
  ``softmax(log m + b)``, ``m`` the mean of the mention vectors and ``b`` the model's
  per-label log-prior shift (``article_sentiment_bias``, fitted by the same command without
  ``--aggregator``; ``b = 0`` leaves ``m`` unchanged). The label is their argmax; evidence =
  up to three mentions with the highest probability of that label.

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


#: Features of an actor's mentions that :class:`SentimentAggregator` weighs, in order.
AGGREGATOR_FEATURES = tuple(
    [f"mean_{lab}" for lab in SENTIMENT_ORDER]
    + [f"max_{lab}" for lab in SENTIMENT_ORDER]
    + [f"share_{lab}" for lab in SENTIMENT_ORDER]
    + [f"first_{lab}" for lab in SENTIMENT_ORDER]
    + ["log_mentions", "first_position"]
)


def mention_features(
    probs: Sequence[Sequence[float]] | np.ndarray, starts: Sequence[int] | None = None, text_length: int | None = None
) -> np.ndarray:
    """The :data:`AGGREGATOR_FEATURES` of one actor's mentions.

    Args:
        probs: ``[n, 3]`` sentiment probabilities (negative, neutral, positive), one row per
            mention, in reading order.
        starts: Character offset of each mention (for ``first_position``); default: none
            known (``first_position`` = 0).
        text_length: Length of the article in characters (for ``first_position``).

    Returns:
        A float vector of ``len(AGGREGATOR_FEATURES)``: per label the mean, the maximum, the
        share of mentions whose best label it is and the first mention's probability; then
        ``log(1 + n)`` and the first mention's offset as a fraction of the article.

    Raises:
        ValueError: ``probs`` is empty or not ``[n, 3]``, or ``starts`` has another length.

    Example:
        >>> mention_features([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]], starts=[50, 80], text_length=100).round(2).tolist()
        [0.4, 0.25, 0.35, 0.6, 0.3, 0.6, 0.5, 0.0, 0.5, 0.6, 0.3, 0.1, 1.1, 0.5]
    """
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != 3 or p.shape[0] == 0:
        raise ValueError(f"probs must be a non-empty [n, 3] array of sentiment probabilities, got shape {p.shape}")
    n = p.shape[0]
    share = np.bincount(p.argmax(1), minlength=3) / n
    position = 0.0
    if starts is not None:
        if len(starts) != n:
            raise ValueError(f"starts must give one offset per mention ({n}), got {len(starts)}")
        if text_length:
            position = min(1.0, max(0.0, min(starts) / float(text_length)))
    return np.concatenate([p.mean(0), p.max(0), share, p[0], [np.log1p(n), position]])


@dataclass(frozen=True)
class SentimentAggregator:
    """A fitted rule from an actor's mentions to article-level sentiment.

    A multinomial logistic regression over :func:`mention_features`:
    ``softmax(coef @ features + intercept)`` gives the (negative, neutral, positive)
    probabilities. Fitted by ``python -m stance.training.calibrate --aggregator`` and stored
    in a model's ``config.json`` (``stance.article_sentiment_aggregator``); plain numbers, no
    pickle.

    Attributes:
        coef: One row of ``len(features)`` weights per label (negative, neutral, positive).
        intercept: One value per label.
        features: The feature names, which must equal :data:`AGGREGATOR_FEATURES`.

    Example:
        >>> agg = SentimentAggregator.mean_rule()
        >>> agg.predict_proba([[0.6, 0.3, 0.1], [0.4, 0.4, 0.2]]).argmax()
        np.int64(0)
    """

    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    features: tuple[str, ...] = AGGREGATOR_FEATURES

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", tuple(self.features))
        object.__setattr__(self, "coef", tuple(tuple(float(v) for v in row) for row in self.coef))
        object.__setattr__(self, "intercept", tuple(float(v) for v in self.intercept))
        if self.features != AGGREGATOR_FEATURES:
            raise ValueError(
                f"this aggregator was fitted on features {list(self.features)}, but this version of stance "
                f"computes {list(AGGREGATOR_FEATURES)}; refit it with python -m stance.training.calibrate --aggregator"
            )
        if len(self.coef) != 3 or any(len(row) != len(self.features) for row in self.coef) or len(self.intercept) != 3:
            raise ValueError(
                f"coef must be 3 rows of {len(self.features)} weights and intercept 3 values, got "
                f"{[len(r) for r in self.coef]} and {len(self.intercept)}"
            )
        if not all(np.isfinite(v) for row in self.coef for v in row) or not all(np.isfinite(self.intercept)):
            raise ValueError("coef and intercept must be finite numbers")

    @classmethod
    def mean_rule(cls) -> SentimentAggregator:
        """Weight 1 on each label's mean and nothing else: the same label as the plain mean
        rule (``softmax`` of the means, so not the same probabilities); for tests and examples."""
        coef = np.zeros((3, len(AGGREGATOR_FEATURES)))
        coef[0, 0] = coef[1, 1] = coef[2, 2] = 1.0
        return cls(coef=tuple(map(tuple, coef)), intercept=(0.0, 0.0, 0.0))

    def predict_proba(
        self,
        probs: Sequence[Sequence[float]] | np.ndarray,
        starts: Sequence[int] | None = None,
        text_length: int | None = None,
    ) -> np.ndarray:
        """Article-level (negative, neutral, positive) probabilities for one actor's mentions."""
        x = mention_features(probs, starts, text_length)
        logits = np.asarray(self.coef) @ x + np.asarray(self.intercept)
        logits -= logits.max()
        e = np.exp(logits)
        return e / e.sum()

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "coef": [list(r) for r in self.coef],
            "intercept": list(self.intercept),
        }

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> SentimentAggregator:
        """Rebuild from :meth:`to_dict` output (e.g. ``config.json``).

        Raises:
            ValueError: A key is missing or a value has the wrong shape.
        """
        missing = [k for k in ("features", "coef", "intercept") if k not in d]
        if missing:
            raise ValueError(f"an article-sentiment aggregator needs keys features, coef, intercept; missing {missing}")
        return cls(coef=d["coef"], intercept=d["intercept"], features=d["features"])  # type: ignore[arg-type]


def article_sentiment_probabilities(
    probs: Sequence[Sequence[float]] | np.ndarray,
    starts: Sequence[int] | None = None,
    text_length: int | None = None,
    *,
    bias: Sequence[float] | None = None,
    aggregator: SentimentAggregator | None = None,
) -> np.ndarray:
    """The article-level (negative, neutral, positive) probabilities of one actor's mentions.

    ``aggregator``'s probabilities if given, else the mean of ``probs`` shifted by ``bias``.

    Example:
        >>> article_sentiment_probabilities([[0.6, 0.3, 0.1], [0.2, 0.4, 0.4]]).round(2).tolist()
        [0.4, 0.35, 0.25]
    """
    if aggregator is not None:
        return aggregator.predict_proba(probs, starts, text_length)
    return shift_probabilities(np.asarray(probs, dtype=np.float64).mean(0), bias)


def aggregate_sentiment(
    mentions: Sequence[Span],
    probs: np.ndarray,
    max_evidence: int = 3,
    bias: Sequence[float] | None = None,
    aggregator: SentimentAggregator | None = None,
    text_length: int | None = None,
) -> Sentiment | None:
    """Article-level sentiment toward an actor from its mentions' probabilities ``[n, 3]``.

    ``bias`` is the model's per-label log-prior shift (negative, neutral, positive), see
    the module docstring. With an ``aggregator`` (a fitted :class:`SentimentAggregator`)
    its probabilities replace the shifted mean and ``bias`` is not used.

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
    mean = article_sentiment_probabilities(
        probs, [m.start for m in mentions], text_length, bias=bias, aggregator=aggregator
    )
    k = int(mean.argmax())
    order = np.argsort(-probs[:, k], kind="stable")[:max_evidence]
    return Sentiment(
        label=SENTIMENT_ORDER[k],
        score=float(mean[k]),
        probabilities={lab: float(v) for lab, v in zip(SENTIMENT_ORDER, mean)},
        evidence=tuple(mentions[i] for i in sorted(order.tolist())),
    )
