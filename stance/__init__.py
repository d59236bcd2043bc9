"""stance: who stands where in news.

Read an article, find its actors, and say what each one is for or against, toward whom,
and how the article portrays it.

Example:
    >>> import stance
    >>> result = stance.classify(open("seeds/us_iran_talks_oman.txt").read())  # doctest: +SKIP
    >>> print(result)  # doctest: +SKIP
    >>> clf = stance.load()  # doctest: +SKIP
    >>> results = clf(["Iran hailed the talks.", "Israel urges action."])  # doctest: +SKIP

Heavy modules (torch, transformers, spaCy) are imported only when first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time every name is imported on first use
    from stance.actors import extract_actors  # noqa: F401
    from stance.api import classify, classify_iter, classify_many  # noqa: F401
    from stance.classifier import Classifier, load  # noqa: F401
    from stance.corpus import read_articles  # noqa: F401
    from stance.models import StanceModel, load_model  # noqa: F401
    from stance.parallel import WorkerDiedError  # noqa: F401
    from stance.results import (  # noqa: F401  # noqa: F401  # noqa: F401  # noqa: F401
        ACTOR_KINDS,
        SENTIMENT_LABELS,
        STANCE_LABELS,
        TARGET_KINDS,
        Actor,
        ActorKind,
        ActorResult,
        ArticleResult,
        Evidence,
        Issue,
        Position,
        Sentiment,
        SentimentLabel,
        Span,
        StanceLabel,
        TargetKind,
    )

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    # the API: one call, or a classifier object to reuse
    "classify": "stance.api",
    "classify_many": "stance.api",
    "classify_iter": "stance.api",
    "load": "stance.classifier",
    "Classifier": "stance.classifier",
    "read_articles": "stance.corpus",
    "extract_actors": "stance.actors",
    "load_model": "stance.models",
    "StanceModel": "stance.models",
    "WorkerDiedError": "stance.parallel",
    # typed results
    "Span": "stance.results",
    "Actor": "stance.results",
    "Position": "stance.results",
    "Sentiment": "stance.results",
    "Evidence": "stance.results",
    "Issue": "stance.results",
    "ArticleResult": "stance.results",
    "ActorResult": "stance.results",
    "StanceLabel": "stance.results",
    "SentimentLabel": "stance.results",
    "ActorKind": "stance.results",
    "TargetKind": "stance.results",
    "STANCE_LABELS": "stance.results",
    "SENTIMENT_LABELS": "stance.results",
    "ACTOR_KINDS": "stance.results",
    "TARGET_KINDS": "stance.results",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stance' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
