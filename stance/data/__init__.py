"""Dataset loaders: every corpus read into one of the unified schemas of
:mod:`stance.data.schema`, as a ``datasets.DatasetDict``.

Every loader takes the corpus folder as its first argument (the project never assumes
where the data lives) and raises ``FileNotFoundError`` naming the expected layout when
files are missing, or :class:`DataFormatError` (a ``ValueError``) naming the file and
line when their content is malformed. Importing this package is cheap: the loader
modules only use the standard library at import time, and ``datasets`` is imported when
a loader runs.

Example:
    >>> from stance.data import LOADERS
    >>> "park2021" in LOADERS
    True
    >>> dd = load_dataset_dir("park2021", "data/directed-sentiment-park2021")  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from os import PathLike
from typing import Any

from stance.data._io import DataFormatError
from stance.data.emergent import load_emergent
from stance.data.ibm_claim_stance import load_ibm_claim_stance
from stance.data.newsmtsc import load_newsmtsc
from stance.data.park2021 import load_park2021, park_5class_to_pairs, park_pairs_to_5class
from stance.data.persent import load_persent
from stance.data.perspectrum import load_perspectrum
from stance.data.schema import AUTHOR, PAIR_LABELS, SENTIMENT_LABELS, article_features, pair_features, sentiment_features
from stance.data.seesaw import load_seesaw_articles, load_seesaw_entity_sentiment, load_seesaw_pairs
from stance.data.semeval2016 import load_semeval2016
from stance.data.silver import load_silver
from stance.data.transfer import load_transfer
from stance.data.vast import load_vast

__all__ = [
    "AUTHOR",
    "PAIR_LABELS",
    "SENTIMENT_LABELS",
    "DataFormatError",
    "LOADERS",
    "load_dataset_dir",
    "pair_features",
    "sentiment_features",
    "article_features",
    "load_park2021",
    "park_pairs_to_5class",
    "park_5class_to_pairs",
    "load_seesaw_pairs",
    "load_seesaw_entity_sentiment",
    "load_seesaw_articles",
    "load_newsmtsc",
    "load_persent",
    "load_perspectrum",
    "load_ibm_claim_stance",
    "load_emergent",
    "load_semeval2016",
    "load_vast",
    "load_silver",
    "load_transfer",
]


def _load_conll2003(data_dir: str | PathLike[str], **kwargs: Any) -> Any:
    """Run :func:`stance.data.conll.load_conll2003` (NER; imported on first use)."""
    from stance.data.conll import load_conll2003

    return load_conll2003(data_dir, **kwargs)


LOADERS: dict[str, Callable[..., Any]] = {
    "park2021": load_park2021,
    "seesaw_pairs": load_seesaw_pairs,
    "seesaw_entity_sentiment": load_seesaw_entity_sentiment,
    "seesaw_articles": load_seesaw_articles,
    "newsmtsc": load_newsmtsc,
    "persent": load_persent,
    "perspectrum": load_perspectrum,
    "ibm_claim_stance": load_ibm_claim_stance,
    "emergent": load_emergent,
    "semeval2016": load_semeval2016,
    "vast": load_vast,
    "silver": load_silver,
    "transfer": load_transfer,
    "conll2003": _load_conll2003,
}


def load_dataset_dir(name: str, data_dir: str | PathLike[str], **kwargs: Any) -> Any:
    """Run the loader registered as ``name`` on ``data_dir``.

    Args:
        name: A key of :data:`LOADERS`, e.g. ``"park2021"`` or ``"seesaw_pairs"``.
        data_dir: The corpus folder.
        **kwargs: Passed to the loader (e.g. ``include_none_pairs=True``).

    Returns:
        The loader's ``datasets.DatasetDict``.

    Raises:
        KeyError: ``name`` is not registered (the message lists the known names).

    Example:
        >>> load_dataset_dir("nope", ".")
        Traceback (most recent call last):
        KeyError: "unknown dataset 'nope'; known: conll2003, emergent, ibm_claim_stance, newsmtsc, park2021, persent, perspectrum, seesaw_articles, seesaw_entity_sentiment, seesaw_pairs, semeval2016, silver, transfer, vast"
    """
    try:
        loader = LOADERS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(sorted(LOADERS))}") from None
    return loader(data_dir, **kwargs)
