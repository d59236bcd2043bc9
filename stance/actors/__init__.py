"""Actors: find every actor of an article, merge its mentions, resolve who it speaks for.

Public API (spaCy is imported only when a text is first processed):

* :func:`extract_actors` — ``extract_actors(text, *, nlp=None, aliases=None) -> list[Actor]``
* :class:`ActorExtractor` — reusable; ``extract(text)`` and ``analyse(text) -> ActorAnalysis``
  (actors plus the sentence spans of the same parse)
* :class:`ActorAnalysis`, :class:`KnowledgeBase`, :func:`load_pipeline`,
  :class:`PipelineNotFoundError`

Example:
    >>> from stance.actors import extract_actors
    >>> actors = extract_actors(open("seeds/us_iran_talks_oman.txt").read())  # doctest: +SKIP
    >>> [(a.name, a.kind) for a in actors][:3]  # doctest: +SKIP
    [('Iran', 'country'), ('United States', 'country'), ('Oman', 'country')]
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "extract_actors": "stance.actors.extractor",
    "ActorExtractor": "stance.actors.extractor",
    "ActorAnalysis": "stance.actors.extractor",
    "PipelineNotFoundError": "stance.actors.extractor",
    "load_pipeline": "stance.actors.extractor",
    "DEFAULT_MODEL": "stance.actors.extractor",
    "MODEL_PACKAGE": "stance.actors.extractor",
    "KnowledgeBase": "stance.actors.kb",
    "KBEntry": "stance.actors.kb",
    "load_aliases": "stance.actors.kb",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'stance.actors' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
