"""Loader for Emergent (Ferreira & Vlachos, NAACL 2016): news headline stance toward a claim.

File ``url-versions-2015-06-14-clean.csv`` with columns ``id, claimHeadline,
articleHeadline, articleHeadlineStance, articleId, claimId``. There is no official split
file (the paper split by claim), so this loader splits by claim deterministically.

Example:
    >>> dd = load_emergent("data/emergent")  # doctest: +SKIP
    >>> sum(d.num_rows for d in dd.values())  # doctest: +SKIP
    2595
"""

from __future__ import annotations

import logging
from os import PathLike
from typing import Any

from stance.data._io import (
    DataFormatError,
    iter_csv,
    make_dataset_dict,
    require_dir,
    require_file,
    stable_split,
    to_json,
)
from stance.data.schema import AUTHOR, pair_features

logger = logging.getLogger(__name__)

__all__ = ["load_emergent", "SPLIT_FRACTIONS"]

DATASET = "emergent"
FILE = "url-versions-2015-06-14-clean.csv"
LAYOUT = f"<data_dir>/{FILE} (columns claimId, claimHeadline, articleId, articleHeadline, articleHeadlineStance)"
SPLIT_FRACTIONS = (("train", 0.70), ("validation", 0.15), ("test", 0.15))
_REQUIRED = ["claimId", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId"]
_LABELS = {"for": "favor", "against": "against", "observing": "none"}


def load_emergent(data_dir: str | PathLike[str]) -> Any:
    """Load Emergent headline stance as pair rows (article headline → claim).

    ``text`` is ``articleHeadline``, ``target`` is ``claimHeadline``, ``source`` is
    :data:`~stance.data.schema.AUTHOR`; offsets are -1. for → favor, against → against,
    observing → none.

    Split by claim, 70 / 15 / 15 % (train / validation / test): a claim goes to the
    split given by the SHA-256 of its ``claimId`` (first 8 bytes as a fraction of 2**64,
    cumulated in that order), so all headlines of a claim stay together, and the
    assignment is seed-free and stable. With 300 claims the row proportions only
    approximate 70/15/15.

    ``doc_id`` is the ``claimId``, ``group_id`` the ``articleId``; ``meta`` holds
    ``claim_id``, ``article_id``, ``id`` and the raw ``stance``.

    Args:
        data_dir: Folder with ``url-versions-2015-06-14-clean.csv``.

    Returns:
        ``DatasetDict`` with ``train``, ``validation`` and ``test`` (schema
        :func:`~stance.data.schema.pair_features`).

    Raises:
        FileNotFoundError: The folder or the file is missing.
        DataFormatError: Missing columns (names the file), or a row with a wrong number
            of fields, an empty field or an unknown stance (names file and line).

    Example:
        >>> dd = load_emergent("data/emergent")  # doctest: +SKIP
        >>> set(dd["train"]["doc_id"]) & set(dd["test"]["doc_id"])  # doctest: +SKIP
        set()
    """
    root = require_dir(data_dir, layout=LAYOUT)
    path = require_file(root / FILE, layout=LAYOUT)
    splits: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in SPLIT_FRACTIONS}
    for line, rec in iter_csv(path, required=_REQUIRED):
        stance = rec["articleHeadlineStance"].strip()
        if stance not in _LABELS:
            raise DataFormatError(
                f"articleHeadlineStance must be one of {sorted(_LABELS)}, got {stance!r}", path=path, line=line
            )
        claim_id, article_id = rec["claimId"].strip(), rec["articleId"].strip()
        if not claim_id or not rec["articleHeadline"].strip() or not rec["claimHeadline"].strip():
            raise DataFormatError("empty claimId, claimHeadline or articleHeadline", path=path, line=line)
        meta = {"claim_id": claim_id, "article_id": article_id, "id": rec.get("id"), "stance": stance}
        splits[stable_split(claim_id, SPLIT_FRACTIONS)].append(
            {
                "text": rec["articleHeadline"],
                "source": AUTHOR,
                "source_start": -1,
                "source_end": -1,
                "target": rec["claimHeadline"],
                "target_start": -1,
                "target_end": -1,
                "label": _LABELS[stance],
                "dataset": DATASET,
                "doc_id": claim_id,
                "group_id": article_id,
                "meta": to_json(meta),
            }
        )
    rule = "sha256(claimId) fraction: < 0.70 train, < 0.85 validation, else test"
    descriptions = {
        name: {
            "dataset": DATASET,
            "file": FILE,
            "rule": rule,
            "claims": len({r["doc_id"] for r in rows}),
            "skipped": {},
        }
        for name, rows in splits.items()
    }
    logger.info("emergent rows per split: %s", {k: len(v) for k, v in splits.items()})
    return make_dataset_dict(splits, pair_features(), descriptions=descriptions)
