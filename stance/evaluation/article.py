"""Article-level sentiment toward an entity, the way :func:`stance.classify` computes it.

SEESAW entity sentiment and PerSenT label how a whole article portrays an entity. Scoring
one window around the first mention measures something else, so for these tasks a stance
model is evaluated through the library's own path: the article goes through
:class:`~stance.pipeline.Pipeline` (actors, one pass per window, the model's
article-sentiment rule over each actor's mentions: its fitted aggregator, else the
bias-shifted mean) and each labelled entity is matched to one of the extracted actors.

Matching rule, first that applies:

1. **overlap** — an actor with a mention overlapping the record's target span (the
   loader's located mention); the actor with the largest overlap wins;
2. **name** — an actor whose canonical name, an alias or a mention text equals the
   target (or, for SEESAW, the annotated entity name in ``meta.entity``) after
   normalisation (casefold, no periods, no leading "the", no possessive), or whose last
   token equals the target's last token (persons: "Benigno Aquino III" ~ "Aquino III");
3. **fallback** — no actor found: the model scores the single window around the
   located mention, taken as the actor's only mention (or, without a located mention,
   the entity is predicted neutral).

Counts of each route are in :attr:`ArticleSentimentPredictor.info` and go into the
result JSON.

Example:
    >>> normalise_name("The U.S.'s")
    'us'
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
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
        sentiment_aggregator: Passed to the pipeline (``"mean"`` = the bias-shifted mean
            even when the model carries a fitted aggregator); default: the model's own rule.

    Example:
        >>> predictor = ArticleSentimentPredictor(model=None)  # doctest: +SKIP
        >>> predictor.predict_sentiment(records).shape  # doctest: +SKIP
        (921, 3)
    """

    families = ("sentiment",)

    def __init__(
        self,
        model: Any,
        pipeline: Any = None,
        sentiment_bias: Sequence[float] | None = None,
        sentiment_aggregator: Any = None,
    ) -> None:
        from stance.pipeline import Pipeline

        self.model = model
        self.pipeline = pipeline or Pipeline(
            model=model, sentiment_bias=sentiment_bias, sentiment_aggregator=sentiment_aggregator
        )
        self.name = getattr(model, "name", type(model).__name__)
        self.info: dict[str, Any] = {}

    def _match(
        self, records: Sequence[Mapping[str, Any]], batch_size: int, show_progress_bar: bool
    ) -> Iterator[tuple[int, str, list[tuple[Any, np.ndarray]], int]]:
        """Per record: ``(index, route, its actor's mentions with probabilities (none if no actor), text length)``."""
        by_text: dict[str, list[int]] = {}
        for i, r in enumerate(records):
            by_text.setdefault(r["text"], []).append(i)
        self.pipeline.batch_size = batch_size
        scored = self.pipeline.scored(list(by_text), show_progress_bar=show_progress_bar)
        for (text, rows), (prep, _pair_probs, sent_probs) in zip(by_text.items(), scored):
            mentions = self.pipeline.mention_sentiments(prep, sent_probs)
            for i in rows:
                r = records[i]
                meta = record_meta(dict(r))
                actor, route = match_actor(
                    prep.actors, r["target"], int(r["target_start"]), int(r["target_end"]), str(meta.get("entity", ""))
                )
                yield i, route, (mentions.get(actor.name, []) if actor is not None else []), len(text)

    def mention_sentiments(
        self, records: Sequence[Mapping[str, Any]], batch_size: int = 32, show_progress_bar: bool = False
    ) -> list[dict[str, Any] | None]:
        """Each record's matched actor's mention-level sentiment (for fitting article rules).

        Returns:
            Per record ``{"probs": [n, 3] array, "starts": [n offsets], "text_length": int,
            "route": str}`` for records routed to an actor with sentiment mentions, else
            ``None`` (those take :meth:`predict_sentiment`'s fallbacks).
        """
        out: list[dict[str, Any] | None] = [None] * len(records)
        for i, route, found, text_length in self._match(records, batch_size, show_progress_bar):
            if found:
                out[i] = {
                    "probs": np.array([p for _, p in found]),
                    "starts": [m.start for m, _ in found],
                    "text_length": text_length,
                    "route": route,
                }
        return out

    def collect(
        self, records: Sequence[Mapping[str, Any]], batch_size: int = 32, show_progress_bar: bool = False
    ) -> dict[str, Any]:
        """Everything the article rules need, from one pipeline pass (see :meth:`combine`).

        Returns:
            ``{"mentions": mention_sentiments(records), "fallback": {index: [3] probs of the
            record's own marked span}, "routes": [route per record], "articles": int}``.
        """
        mentions = self.mention_sentiments(records, batch_size, show_progress_bar)
        located = [i for i, m in enumerate(mentions) if m is None and int(records[i]["target_start"]) >= 0]
        fallback: dict[int, np.ndarray] = {}
        if located:
            probs = self.model.predict_sentiment([records[i] for i in located], batch_size=batch_size)
            fallback = {i: np.asarray(p, dtype=np.float64) for i, p in zip(located, probs)}
        routes = [
            m["route"] if m is not None else "fallback_window" if i in fallback else "fallback_neutral"
            for i, m in enumerate(mentions)
        ]
        return {
            "mentions": mentions,
            "fallback": fallback,
            "routes": routes,
            "articles": len({r["text"] for r in records}),
        }

    @staticmethod
    def combine(
        records: Sequence[Mapping[str, Any]],
        collected: Mapping[str, Any],
        *,
        bias: Sequence[float] | None = None,
        aggregator: Any = None,
    ) -> np.ndarray:
        """Article-level probabilities from :meth:`collect`'s output under one rule.

        ``aggregator`` (a :class:`~stance.aggregate.SentimentAggregator`) if given, else the
        mean shifted by ``bias``. A fallback record's own span is its actor's only mention;
        an unlocated one is neutral.
        """
        from stance.aggregate import article_sentiment_probabilities

        out = np.tile(_NEUTRAL, (len(records), 1))
        for i, found in enumerate(collected["mentions"]):
            if found is not None:
                out[i] = article_sentiment_probabilities(
                    found["probs"], found["starts"], found["text_length"], bias=bias, aggregator=aggregator
                )
            elif i in collected["fallback"]:
                out[i] = article_sentiment_probabilities(
                    collected["fallback"][i][None],
                    [int(records[i]["target_start"])],
                    len(records[i]["text"]),
                    bias=bias,
                    aggregator=aggregator,
                )
        return out

    def predict_sentiment(
        self, records: Sequence[Mapping[str, Any]], batch_size: int = 32, show_progress_bar: bool = False
    ) -> np.ndarray:
        """Article-level probabilities (negative, neutral, positive), one row per record.

        A record's entity is matched to an extracted actor (:func:`match_actor`) and gets
        that actor's article sentiment, as :meth:`stance.pipeline.Pipeline.classify` reports
        it. A record with no such actor falls back to the model's sentiment for its own
        marked span taken as the only mention (``fallback_window``), or neutral when the
        span is not located (``fallback_neutral``).
        """
        collected = self.collect(records, batch_size, show_progress_bar)
        aggregator = self.pipeline.article_sentiment_aggregator()
        out = self.combine(records, collected, bias=self.pipeline.article_sentiment_bias(), aggregator=aggregator)
        routes = Counter(collected["routes"])
        routes.setdefault("fallback_window", 0)
        routes.setdefault("fallback_neutral", 0)
        self.info = {
            "protocol": "article",
            "articles": collected["articles"],
            "routes": dict(routes),
            "article_sentiment_rule": "aggregator" if aggregator is not None else "mean",
        }
        logger.info("article-level sentiment: %d articles, routes %s", collected["articles"], dict(routes))
        return out
