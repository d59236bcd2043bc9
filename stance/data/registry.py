"""The corpus loaders by name, imported on first use (so loaders that load other corpora,
such as :mod:`stance.data.transfer`, can use :func:`load_dataset_dir` without an import cycle).

Example:
    >>> sorted(LOADER_PATHS)[:3]
    ['conll2003', 'emergent', 'ibm_claim_stance']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from os import PathLike
from typing import Any

#: Loader name -> (module, function).
LOADER_PATHS: dict[str, tuple[str, str]] = {
    "park2021": ("stance.data.park2021", "load_park2021"),
    "seesaw_pairs": ("stance.data.seesaw", "load_seesaw_pairs"),
    "seesaw_entity_sentiment": ("stance.data.seesaw", "load_seesaw_entity_sentiment"),
    "seesaw_articles": ("stance.data.seesaw", "load_seesaw_articles"),
    "newsmtsc": ("stance.data.newsmtsc", "load_newsmtsc"),
    "persent": ("stance.data.persent", "load_persent"),
    "perspectrum": ("stance.data.perspectrum", "load_perspectrum"),
    "ibm_claim_stance": ("stance.data.ibm_claim_stance", "load_ibm_claim_stance"),
    "emergent": ("stance.data.emergent", "load_emergent"),
    "semeval2016": ("stance.data.semeval2016", "load_semeval2016"),
    "vast": ("stance.data.vast", "load_vast"),
    "silver": ("stance.data.silver", "load_silver"),
    "transfer": ("stance.data.transfer", "load_transfer"),
    "conll2003": ("stance.data.conll", "load_conll2003"),
}


def get_loader(name: str) -> Callable[..., Any]:
    """The loader function registered as ``name``.

    Raises:
        KeyError: ``name`` is not registered (the message lists the known names).
    """
    try:
        module, attr = LOADER_PATHS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(sorted(LOADER_PATHS))}") from None
    return getattr(importlib.import_module(module), attr)


def load_dataset_dir(name: str, data_dir: str | PathLike[str], **kwargs: Any) -> Any:
    """Run the loader registered as ``name`` on ``data_dir``.

    Args:
        name: A key of :data:`LOADER_PATHS`, e.g. ``"park2021"`` or ``"seesaw_pairs"``.
        data_dir: The corpus folder.
        **kwargs: Passed to the loader (e.g. ``include_none_pairs=True``).

    Returns:
        The loader's ``datasets.DatasetDict``.

    Raises:
        KeyError: ``name`` is not registered (the message lists the known names).

    Example:
        >>> load_dataset_dir("nope", ".")  # doctest: +NORMALIZE_WHITESPACE
        Traceback (most recent call last):
        KeyError: "unknown dataset 'nope'; known: conll2003, emergent, ibm_claim_stance, newsmtsc, park2021, persent,
        perspectrum, seesaw_articles, seesaw_entity_sentiment, seesaw_pairs, semeval2016, silver, transfer, vast"
    """
    return get_loader(name)(data_dir, **kwargs)
