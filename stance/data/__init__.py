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
from stance.data.registry import LOADER_PATHS, get_loader, load_dataset_dir
from stance.data.schema import (
    AUTHOR,
    PAIR_LABELS,
    SENTIMENT_LABELS,
    article_features,
    pair_features,
    sentiment_features,
)
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
    return get_loader("conll2003")(data_dir, **kwargs)


LOADERS: dict[str, Callable[..., Any]] = {
    name: _load_conll2003 if name == "conll2003" else get_loader(name) for name in LOADER_PATHS
}
