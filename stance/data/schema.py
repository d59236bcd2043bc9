"""Unified schemas for every task family, as ``datasets.Features``.

Each loader in :mod:`stance.data` returns a ``datasets.DatasetDict`` whose splits use
exactly one of these schemas, so training and evaluation code never special-cases a
corpus.

Pair stance (``PAIR_FEATURES``) — one row per *directed* (source → target) pair:

=================  =========================================================================
``text``           the sentence (with context where the source has it), unmodified
``source``         source actor surface text; ``AUTHOR`` when the source is the writer
``source_start``   character offset of the source in ``text``; -1 if not in the text
``source_end``     end offset (exclusive); -1 if not in the text
``target``         target surface text (an entity, a topic, a claim)
``target_start``   character offset of the target in ``text``; -1 if not in the text
``target_end``     end offset (exclusive); -1 if not in the text
``label``          ``ClassLabel(["favor", "against", "none"])`` (positive/support → favor)
``dataset``        corpus name, e.g. ``"park2021"``
``doc_id``         document (article/story/topic) identifier, for grouped splits
``group_id``       identifier shared by rows that come from the same text (e.g. the two
                   directions of one Park et al. sentence)
``meta``           JSON string with corpus-specific extras (original label, seen/unseen …)
=================  =========================================================================

Target sentiment (``SENTIMENT_FEATURES``) — one row per (text, target):

=================  =========================================================================
``text``           sentence, or the whole article for article-level corpora
``target``         target surface text
``target_start``   offset in ``text``, -1 if the target is given by name only
``target_end``     end offset, -1 if not in the text
``label``          ``ClassLabel(["negative", "neutral", "positive"])``
``dataset``, ``doc_id``, ``group_id``, ``meta``  as above
=================  =========================================================================

Articles (``ARTICLE_FEATURES``) — SEESAW articles for end-to-end evaluation: sentences,
canonical entities, stance triplets and article-level entity sentiment.
"""

from __future__ import annotations

from typing import Any

AUTHOR = "<author>"
PAIR_LABELS = ["favor", "against", "none"]
SENTIMENT_LABELS = ["negative", "neutral", "positive"]


def pair_features() -> Any:
    """``datasets.Features`` of the pair-stance schema."""
    from datasets import ClassLabel, Features, Value

    return Features(
        {
            "text": Value("string"),
            "source": Value("string"),
            "source_start": Value("int32"),
            "source_end": Value("int32"),
            "target": Value("string"),
            "target_start": Value("int32"),
            "target_end": Value("int32"),
            "label": ClassLabel(names=PAIR_LABELS),
            "dataset": Value("string"),
            "doc_id": Value("string"),
            "group_id": Value("string"),
            "meta": Value("string"),
        }
    )


def sentiment_features() -> Any:
    """``datasets.Features`` of the target-sentiment schema."""
    from datasets import ClassLabel, Features, Value

    return Features(
        {
            "text": Value("string"),
            "target": Value("string"),
            "target_start": Value("int32"),
            "target_end": Value("int32"),
            "label": ClassLabel(names=SENTIMENT_LABELS),
            "dataset": Value("string"),
            "doc_id": Value("string"),
            "group_id": Value("string"),
            "meta": Value("string"),
        }
    )


def article_features() -> Any:
    """``datasets.Features`` of the article schema (SEESAW)."""
    from datasets import Features, List, Value

    return Features(
        {
            "doc_id": Value("string"),
            "story_id": Value("string"),
            "title": Value("string"),
            "sentences": List(Value("string")),
            "entities": List({"name": Value("string"), "types": List(Value("string")), "role": Value("string")}),
            "triplets": List(
                {
                    "sentence_id": Value("int32"),
                    "subject": Value("string"),
                    "polarity": Value("string"),
                    "object": Value("string"),
                }
            ),
            "entity_sentiments": List({"name": Value("string"), "label": Value("string"), "score": Value("float32")}),
            "split": Value("string"),
        }
    )
