"""The fitted position rule: which (actor, target) pairs an article states a position on.

The threshold rule of :func:`stance.aggregate.aggregate_positions` reads each pair on its
own sentence probabilities. A :class:`PositionRule` reads them beside what a reader also
uses: how prominent the actor and the target are (share of mentions, first mention, the
headline), their kinds, whether a syntactic cue fired, whether the target takes a side
on the actor in return, and how many pairs the actor and the target are part of. It is a
multinomial logistic regression over :data:`POSITION_FEATURES` giving (favor, against,
none); the stance is the more probable polar label when its probability reaches the rule's
``threshold``, else neutral.

It is fitted on SEESAW *train* articles end to end (``stance calibrate --positions``,
:mod:`stance.training.position_rule`): every pair the pipeline scores is labelled by the
article's gold triplets under :mod:`stance.evaluation.e2e`'s matching rule, and ``C`` and
``threshold`` are chosen by cross-validation over train articles. It is stored in a model's
``config.json`` (``stance.position_rule``); plain numbers, no pickle.

Example:
    >>> ctx = ArticleContext.build("Qatar warns against escalation\\nQatar said...", [])
    >>> ctx.title
    'qatar warns against escalation'
    >>> f = pair_features([(0.1, 0.8, 0.1)], [None], "Qatar", "escalation", "issue", ctx)
    >>> round(float(f[POSITION_FEATURES.index("max_against")]), 2), float(f[POSITION_FEATURES.index("target_in_title")])
    (0.8, 1.0)
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["POSITION_FEATURES", "ArticleContext", "PositionRule", "pair_features", "article_features"]

_KINDS = ("person", "country", "organisation", "group")

#: The features of one (actor, target) pair, in the order a :class:`PositionRule` weighs them.
POSITION_FEATURES: tuple[str, ...] = (
    "max_favor",  # highest favor probability over the pair's sentences
    "max_against",
    "noisy_or_favor",  # 1 - prod(1 - p) over the sentences whose best label is favor
    "noisy_or_against",
    "mean_favor",
    "mean_against",
    "mean_none",
    "share_favor",  # share of the pair's sentences whose best label is favor
    "share_against",
    "logit_max_favor",
    "logit_max_against",
    "log_sentences",  # log(1 + number of sentences scoring the pair)
    "cue_favor",  # a syntactic cue states favor in one of them
    "cue_against",
    "target_is_actor",
    "reverse_max_favor",  # the target's highest favor probability toward the actor (actor targets)
    "reverse_max_against",
    "actor_mention_share",  # the actor's mentions / all actor mentions of the article
    "target_mention_share",
    "actor_first_position",  # offset of the actor's first mention / article length
    "actor_in_title",  # a content word of the name appears in the first line (the headline)
    "target_in_title",
    "log_actor_pairs",  # log(1 + number of targets the actor is scored toward)
    "log_target_pairs",  # log(1 + number of actors scored toward the target)
    *(f"actor_{k}" for k in _KINDS),
    *(f"target_{k}" for k in _KINDS),
)

_WORD = re.compile(r"[^\W\d_]{3,}")
_TITLE_MAX = 300


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


@dataclass(frozen=True)
class ArticleContext:
    """What the position features read about an article beyond a pair's sentences.

    Attributes:
        title: The first line, lower-cased, when the text opens with a line of at most 300
            characters followed by more text (a headline); else "".
        mention_share: Actor name -> its share of all actor mentions.
        first_position: Actor name -> offset of its first mention / text length.
        kinds: Actor name -> actor kind.
    """

    title: str = ""
    mention_share: Mapping[str, float] = field(default_factory=dict)
    first_position: Mapping[str, float] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, text: str, actors: Sequence[Any]) -> ArticleContext:
        """The context of ``text`` with its extracted ``actors`` (:class:`stance.results.Actor`)."""
        head, sep, rest = text.lstrip().partition("\n")
        title = head.strip().lower() if sep and rest.strip() and len(head) <= _TITLE_MAX else ""
        total = sum(len(a.mentions) for a in actors) or 1
        n = max(1, len(text))
        kinds: dict[str, str] = {}
        for a in actors:
            kinds[a.name] = a.kind
            if a.affiliation is not None:
                kinds.setdefault(a.affiliation.name, a.affiliation.kind)
        return cls(
            title=title,
            mention_share={a.name: len(a.mentions) / total for a in actors},
            first_position={a.name: min(m.start for m in a.mentions) / n for a in actors if a.mentions},
            kinds=kinds,
        )

    def in_title(self, name: str) -> bool:
        """A word of ``name`` (3+ letters) appears in the headline."""
        return bool(self.title) and bool(_words(name) & _words(self.title))


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def pair_features(
    probs: Sequence[Sequence[float]],
    cues: Sequence[int | None],
    actor: str,
    target: str,
    target_kind: str,
    context: ArticleContext,
    *,
    reverse: Sequence[Sequence[float]] | None = None,
    actor_pairs: int = 1,
    target_pairs: int = 1,
) -> np.ndarray:
    """The :data:`POSITION_FEATURES` of one pair.

    Args:
        probs: One (favor, against, none) row per sentence scoring the pair.
        cues: Per sentence, the stance index a syntactic cue states (0 favor, 1 against) or None.
        actor, target, target_kind: The pair ("issue" or "actor" target).
        context: The article's :class:`ArticleContext`.
        reverse: The rows of the pair (target, actor) when the target is an actor scored toward it.
        actor_pairs, target_pairs: How many pairs the actor / the target is part of.

    Raises:
        ValueError: ``probs`` is empty or not ``[n, 3]``, or ``cues`` has another length.
    """
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != 3 or p.shape[0] == 0:
        raise ValueError(f"probs must be a non-empty [n, 3] array of (favor, against, none), got shape {p.shape}")
    if len(cues) != p.shape[0]:
        raise ValueError(f"cues must give one entry per sentence ({p.shape[0]}), got {len(cues)}")
    top = p.argmax(1)
    noisy_or = [1.0 - float(np.prod(1.0 - p[top == i, i])) for i in (0, 1)]
    r = np.asarray(reverse, dtype=np.float64) if reverse is not None and len(reverse) else np.zeros((1, 3))
    is_actor = target_kind == "actor"
    values = [
        p[:, 0].max(),
        p[:, 1].max(),
        noisy_or[0],
        noisy_or[1],
        p[:, 0].mean(),
        p[:, 1].mean(),
        p[:, 2].mean(),
        float((top == 0).mean()),
        float((top == 1).mean()),
        _logit(float(p[:, 0].max())),
        _logit(float(p[:, 1].max())),
        math.log1p(p.shape[0]),
        float(0 in cues),
        float(1 in cues),
        float(is_actor),
        r[:, 0].max(),
        r[:, 1].max(),
        context.mention_share.get(actor, 0.0),
        context.mention_share.get(target, 0.0) if is_actor else 0.0,
        context.first_position.get(actor, 1.0),
        float(context.in_title(actor)),
        float(context.in_title(target)),
        math.log1p(actor_pairs),
        math.log1p(target_pairs),
        *(float(context.kinds.get(actor) == k) for k in _KINDS),
        *(float(is_actor and context.kinds.get(target) == k) for k in _KINDS),
    ]
    return np.asarray(values, dtype=np.float64)


def article_features(
    pairs: Mapping[tuple[str, str, str, str | None], tuple[Sequence[Sequence[float]], Sequence[int | None]]],
    context: ArticleContext,
) -> dict[tuple[str, str, str, str | None], np.ndarray]:
    """:func:`pair_features` of every pair of one article.

    Args:
        pairs: ``(actor, target, target_kind, via)`` -> (one probability row per sentence,
            the cue of each sentence), as :func:`stance.aggregate.aggregate_positions` groups them.
        context: The article's :class:`ArticleContext`.
    """
    actor_pairs: dict[str, int] = {}
    target_pairs: dict[str, int] = {}
    for actor, target, _kind, via in pairs:
        if via is None:
            actor_pairs[actor] = actor_pairs.get(actor, 0) + 1
            target_pairs[target] = target_pairs.get(target, 0) + 1
    out = {}
    for key, (probs, cues) in pairs.items():
        actor, target, kind, via = key
        rev = pairs.get((target, actor, "actor", None)) if kind == "actor" else None
        out[key] = pair_features(
            probs,
            cues,
            actor,
            target,
            kind,
            context,
            reverse=rev[0] if rev else None,
            actor_pairs=actor_pairs.get(actor, 1),
            target_pairs=target_pairs.get(target, 1),
        )
    return out


@dataclass(frozen=True)
class PositionRule:
    """A fitted rule from a pair's :data:`POSITION_FEATURES` to its article-level stance.

    ``softmax(coef @ features + intercept)`` gives (favor, against, none); the stance is
    the more probable of favor and against when it reaches ``threshold``, else neutral.

    Attributes:
        coef: One row of ``len(features)`` weights per label (favor, against, none).
        intercept: One value per label.
        threshold: Probability a polar label needs to become the stance.
        features: The feature names, which must equal :data:`POSITION_FEATURES`.
        target_kinds: The pairs the rule decides: ``"actor"`` (relations) and/or ``"issue"``
            (positions); the others keep the noisy-or threshold rule.

    Example:
        >>> rule = PositionRule.threshold_like()
        >>> x = pair_features([(0.05, 0.9, 0.05)], [None], "Qatar", "escalation", "issue", ArticleContext())
        >>> rule.decide(rule.predict_proba(x[None]))
        [('against', 0.895...)]
    """

    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    threshold: float = 0.5
    features: tuple[str, ...] = POSITION_FEATURES
    target_kinds: tuple[str, ...] = ("actor", "issue")

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", tuple(self.features))
        object.__setattr__(self, "target_kinds", tuple(self.target_kinds))
        if not self.target_kinds or not set(self.target_kinds) <= {"actor", "issue"}:
            raise ValueError(f"target_kinds must name 'actor' and/or 'issue', got {list(self.target_kinds)}")
        object.__setattr__(self, "coef", tuple(tuple(float(v) for v in row) for row in self.coef))
        object.__setattr__(self, "intercept", tuple(float(v) for v in self.intercept))
        object.__setattr__(self, "threshold", float(self.threshold))
        if self.features != POSITION_FEATURES:
            raise ValueError(
                f"this position rule was fitted on features {list(self.features)}, but this version of stance "
                f"computes {list(POSITION_FEATURES)}; refit it with stance calibrate --positions"
            )
        if len(self.coef) != 3 or any(len(row) != len(self.features) for row in self.coef) or len(self.intercept) != 3:
            raise ValueError(
                f"coef must be 3 rows of {len(self.features)} weights and intercept 3 values, got "
                f"{[len(r) for r in self.coef]} and {len(self.intercept)}"
            )
        if not all(np.isfinite(v) for row in self.coef for v in row) or not all(np.isfinite(self.intercept)):
            raise ValueError("coef and intercept must be finite numbers")
        if not 0.0 < self.threshold < 1.0:
            raise ValueError(f"threshold must lie in (0, 1), got {self.threshold}")

    @classmethod
    def threshold_like(cls, threshold: float = 0.5) -> PositionRule:
        """Weight 1 on each polar label's logit of its highest probability: a polar label's
        probability is then close to that maximum, as in the plain threshold rule (tests, examples)."""
        coef = np.zeros((3, len(POSITION_FEATURES)))
        coef[0, POSITION_FEATURES.index("logit_max_favor")] = 1.0
        coef[1, POSITION_FEATURES.index("logit_max_against")] = 1.0
        return cls(coef=tuple(map(tuple, coef)), intercept=(0.0, 0.0, 0.0), threshold=threshold)

    def predict_proba(self, x: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
        """``[n, 3]`` (favor, against, none) probabilities for ``[n, len(features)]`` rows."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != len(self.features):
            raise ValueError(f"x must be [n, {len(self.features)}] feature rows, got shape {x.shape}")
        logits = x @ np.asarray(self.coef).T + np.asarray(self.intercept)
        logits -= logits.max(1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(1, keepdims=True)

    def decide(self, probs: np.ndarray) -> list[tuple[str, float]]:
        """(stance, confidence) per row of :meth:`predict_proba` output.

        Confidence is the stance's probability; for neutral, one minus the larger polar one.
        """
        out = []
        for f, a, _n in np.asarray(probs, dtype=np.float64):
            best, p = ("favor", f) if f >= a else ("against", a)
            out.append((best, float(p)) if p >= self.threshold else ("neutral", float(1.0 - p)))
        return out

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "coef": [list(r) for r in self.coef],
            "intercept": list(self.intercept),
            "threshold": self.threshold,
            "target_kinds": list(self.target_kinds),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> PositionRule:
        """Rebuild from :meth:`to_dict` output (e.g. ``config.json``).

        Raises:
            ValueError: A key is missing or a value has the wrong shape.
        """
        missing = [k for k in ("features", "coef", "intercept", "threshold") if k not in d]
        if missing:
            raise ValueError(f"a position rule needs keys features, coef, intercept, threshold; missing {missing}")
        return cls(
            coef=d["coef"],
            intercept=d["intercept"],
            threshold=d["threshold"],
            features=d["features"],
            target_kinds=d.get("target_kinds", ("actor", "issue")),
        )
