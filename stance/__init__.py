"""stance: who stands where in news.

Read an article, find its actors, and say what each one is for or against, toward whom,
and how the article portrays it.

Example:
    >>> import stance
    >>> result = stance.classify(open("seeds/us_iran_talks_oman.txt").read())  # doctest: +SKIP
    >>> print(result)  # doctest: +SKIP

Heavy modules (torch, transformers, spaCy) are imported only when first used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "classify": "stance.api",
    "classify_many": "stance.api",
    "classify_iter": "stance.api",
    "read_articles": "stance.corpus",
    "extract_actors": "stance.actors",
    "load_model": "stance.models",
    "StanceModel": "stance.models",
    "Span": "stance.results",
    "Actor": "stance.results",
    "Position": "stance.results",
    "Sentiment": "stance.results",
    "Evidence": "stance.results",
    "ArticleResult": "stance.results",
    "ActorResult": "stance.results",
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
