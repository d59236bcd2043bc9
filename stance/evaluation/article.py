"""Article-level sentiment toward an entity, the way :func:`stance.classify` computes it.

SEESAW entity sentiment and PerSenT label how a whole article portrays an entity. Scoring
one window around the first mention measures something else, so for these tasks a stance
model is evaluated through the library's own path: the article goes through
:class:`~stance.pipeline.Pipeline` (actors, one pass per window, mention aggregation with
the model's article-sentiment bias) and each labelled entity is matched to one of the
extracted actors.

Matching rule, first that applies:

1. **overlap** — an actor with a mention overlapping the record's target span (the
   loader's located mention); the actor with the largest overlap wins;
2. **name** — an actor whose canonical name, an alias or a mention text equals the
   target (or, for SEESAW, the annotated entity name in ``meta.entity``) after
   normalisation (casefold, no periods, no leading "the", no possessive), or whose last
   token equals the target's last token (persons: "Benigno Aquino III" ~ "Aquino III");
3. **fallback** — no actor found: the model scores the single window around the
   located mention (or, without a located mention, the entity is predicted neutral).

Counts of each route are in :attr:`ArticleSentimentPredictor.info` and go into the
result JSON.

Example:
    >>> normalise_name("The U.S.'s")
    'us'
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from stance.evaluation.scoring import record_meta

logger = logging.getLogger(__name__)

__all__ = ["ArticleSentimentPredictor", "match_actor", "normalise_name"]

_NEUTRAL = np.array([0.0, 1.0, 0.0])


def normalise_name(name: str) -> str:
    """Casefold, drop periods, a leading "the" and a trailing possessive.

    Example:
        >>> normalise_name("the White House")
        'white house'
    """
    from stance.actors.kb import normalise_surface

    return normalise_surface(name).replace(".", "").casefold()


def _names_of(actor: Any) -> set[str]:
    names = {actor.name, *actor.aliases, *(m.text for m in actor.mentions)}
    return {normalise_name(n) for n in names if n}


def match_actor(actors: Sequence[Any], target: str, start: int, end: int, entity: str = "") -> tuple[Any | None, str]:
    """Find the extracted actor a labelled entity refers to (see the module docstring).

    Args:
        actors: :class:`~stance.results.Actor` objects of the article.
        target: The target's surface text.
        start: Start offset of the located mention (``-1`` if not located).
        end: End offset of the located mention.
        entity: The annotated canonical name, if the corpus has one.

    Returns:
        ``(actor, route)`` with route ``"overlap"`` or ``"name"``, or ``(None, "none")``.

    Example:
        >>> from stance.results import Actor, Span
        >>> a = Actor("Iran", "country", mentions=(Span(0, 4, "Iran"),))
        >>> match_actor([a], "Tehran", 20, 26, entity="Iran")[1]
        'name'
    """
    if start >= 0 and end > start:
        best, best_overlap = None, 0
        for actor in actors:
            overlap = max((min(end, m.end) - max(start, m.start) for m in actor.mentions), default=0)
            if overlap > best_overlap:
                best, best_overlap = actor, overlap
        if best is not None:
            return best, "overlap"
    wanted = {normalise_name(n) for n in (target, entity) if n}
    wanted.discard("")
    for actor in actors:
        if wanted & _names_of(actor):
            return actor, "name"
    last = {w.split()[-1] for w in wanted if len(w.split()) > 1}
    if last:
        for actor in actors:
            if any(n.split() and n.split()[-1] in last for n in _names_of(actor) if len(n.split()) > 0):
                return actor, "name"
    return None, "none"


class ArticleSentimentPredictor:
    """``predict_sentiment`` for article-level records through :class:`~stance.pipeline.Pipeline`.

    Args:
        model: A :class:`~stance.models.modeling.StanceModel`.
        pipeline: A ready pipeline (default: one built on ``model``).
        sentiment_bias: Passed to the pipeline (``(0, 0, 0)`` = plain mean); default: the
            model's own bias.

    Example:
        >>> predictor = ArticleSentimentPredictor(model=None)  # doctest: +SKIP
        >>> predictor.predict_sentiment(records).shape  # doctest: +SKIP
        (921, 3)
    """

    families = ("sentiment",)

    def __init__(self, model: Any, pipeline: Any = None, sentiment_bias: Sequence[float] | None = None) -> None:
        from stance.pipeline import Pipeline

        self.model = model
        self.pipeline = pipeline or Pipeline(model=model, sentiment_bias=sentiment_bias)
        self.name = getattr(model, "name", type(model).__name__)
        self.info: dict[str, Any] = {}

    def predict_sentiment(
        self, records: Sequence[Mapping[str, Any]], batch_size: int = 32, show_progress_bar: bool = False
    ) -> np.ndarray:
        """Article-level probabilities (negative, neutral, positive), one row per record."""
        by_text: dict[str, list[int]] = {}
        for i, r in enumerate(records):
            by_text.setdefault(r["text"], []).append(i)
        out = np.zeros((len(records), 3), dtype=np.float64)
        routes: Counter[str] = Counter()
        fallback: list[int] = []
        self.pipeline.batch_size = batch_size
        results = self.pipeline.classify_many(list(by_text), show_progress_bar=show_progress_bar)
        for (text, rows), result in zip(by_text.items(), results):
            actors = [ar.actor for ar in result.actors]
            sentiment_of = {ar.name: ar.sentiment for ar in result.actors}
            for i in rows:
                r = records[i]
                meta = record_meta(dict(r))
                actor, route = match_actor(
                    actors, r["target"], int(r["target_start"]), int(r["target_end"]), str(meta.get("entity", ""))
                )
                sent = sentiment_of.get(actor.name) if actor is not None else None
                if sent is None:
                    route = "fallback"
                    fallback.append(i)
                    continue
                routes[route] += 1
                out[i] = [sent.probabilities[k] for k in ("negative", "neutral", "positive")]
        located = [i for i in fallback if int(records[i]["target_start"]) >= 0]
        if located:
            from stance.aggregate import shift_probabilities

            probs = self.model.predict_sentiment([records[i] for i in located], batch_size=batch_size)
            out[located] = shift_probabilities(probs, self.pipeline.article_sentiment_bias())
        unlocated = sorted(set(fallback) - set(located))
        out[unlocated] = _NEUTRAL
        routes["fallback_window"] = len(located)
        routes["fallback_neutral"] = len(unlocated)
        self.info = {"protocol": "article", "articles": len(by_text), "routes": dict(routes)}
        logger.info("article-level sentiment: %d articles, routes %s", len(by_text), dict(routes))
        return out
