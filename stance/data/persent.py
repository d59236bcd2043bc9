"""Loader for PerSenT (Bastan et al., COLING 2020): the author's sentiment toward the main
entity of a news document.

Files ``dev.csv`` and ``random_test.csv`` (``train.csv`` too when present; our copy lacks
it), comma-separated with a header: ``DOCUMENT_INDEX, TITLE, TARGET_ENTITY, DOCUMENT,
MASKED_DOCUMENT, TRUE_SENTIMENT, Paragraph0 … Paragraph15``.

Example:
    >>> dd = load_persent("data/persent")  # doctest: +SKIP
    >>> dd["validation"].num_rows  # doctest: +SKIP
    578
"""

from __future__ import annotations

import logging
import re
from os import PathLike
from pathlib import Path
from typing import Any

from stance.data._io import DataFormatError, find_span, iter_csv, make_dataset_dict, require_dir, require_file, to_json
from stance.data.schema import sentiment_features

logger = logging.getLogger(__name__)

__all__ = ["load_persent"]

DATASET = "persent"
LAYOUT = (
    "<data_dir>/{dev.csv,random_test.csv} (and optionally train.csv): "
    "PerSenT CSV with DOCUMENT, TARGET_ENTITY, TRUE_SENTIMENT"
)
_REQUIRED = ["DOCUMENT_INDEX", "TITLE", "TARGET_ENTITY", "DOCUMENT", "TRUE_SENTIMENT"]
_FILES = {"train": "train.csv", "validation": "dev.csv", "test": "random_test.csv"}
_OPTIONAL = {"train"}
_PARAGRAPH = re.compile(r"Paragraph\d+")
_LABELS = {"negative": "negative", "neutral": "neutral", "positive": "positive"}


def _first_mention(text: str, target: str) -> tuple[int, int]:
    span = find_span(text, target) or find_span(text, target, whole_word=False)
    return span if span is not None else (-1, -1)


def _load_file(path: Path) -> list[dict[str, Any]]:
    rows = []
    for line, rec in iter_csv(path, required=_REQUIRED):
        raw = rec["TRUE_SENTIMENT"].strip()
        label = _LABELS.get(raw.lower())
        if label is None:
            raise DataFormatError(
                f"TRUE_SENTIMENT must be Positive, Neutral or Negative, got {raw!r}", path=path, line=line
            )
        text, target = rec["DOCUMENT"], rec["TARGET_ENTITY"].strip()
        if not text or not target:
            raise DataFormatError("empty DOCUMENT or TARGET_ENTITY", path=path, line=line)
        start, end = _first_mention(text, target)
        paragraphs = [
            rec[k].strip() for k in sorted((k for k in rec if _PARAGRAPH.fullmatch(k)), key=lambda k: int(k[9:]))
        ]
        doc_id = rec["DOCUMENT_INDEX"].strip()
        meta = {
            "document_index": doc_id,
            "title": rec["TITLE"],
            "paragraph_sentiments": [p for p in paragraphs if p],
            "true_sentiment": raw,
        }
        rows.append(
            {
                "text": text,
                "target": target,
                "target_start": start,
                "target_end": end,
                "label": label,
                "dataset": DATASET,
                "doc_id": doc_id,
                "group_id": doc_id,
                "meta": to_json(meta),
            }
        )
    return rows


def load_persent(data_dir: str | PathLike[str]) -> Any:
    """Load PerSenT as target-sentiment rows (one per document).

    ``text`` is ``DOCUMENT`` unchanged, ``target`` is ``TARGET_ENTITY``; offsets point
    at its first exact (case-sensitive) mention, preferring a whole-word match, or are
    -1 when the name does not occur verbatim (about 8 % of documents, which name the
    entity differently). Labels: Negative/Neutral/Positive → negative/neutral/positive.
    ``meta`` holds ``document_index``, ``title``, ``paragraph_sentiments`` (the non-empty
    ``Paragraph*`` labels in order) and ``true_sentiment``.

    Args:
        data_dir: Folder with ``dev.csv`` and ``random_test.csv`` (``train.csv`` is
            loaded as ``train`` when present).

    Returns:
        ``DatasetDict`` with ``validation`` (dev.csv), ``test`` (random_test.csv) and,
        if present, ``train`` (schema :func:`~stance.data.schema.sentiment_features`).

    Raises:
        FileNotFoundError: The folder, dev.csv or random_test.csv is missing.
        DataFormatError: Missing columns (names the file), or a row with a wrong number
            of fields, an unknown label or an empty document (names file and line).

    Example:
        >>> dd = load_persent("data/persent")  # doctest: +SKIP
        >>> dd["test"].features["label"].names  # doctest: +SKIP
        ['negative', 'neutral', 'positive']
    """
    root = require_dir(data_dir, layout=LAYOUT)
    splits: dict[str, list[dict[str, Any]]] = {}
    descriptions: dict[str, dict[str, Any]] = {}
    for split, name in _FILES.items():
        if split in _OPTIONAL and not (root / name).is_file():
            continue
        path = require_file(root / name, layout=LAYOUT)
        splits[split] = _load_file(path)
        not_found = sum(1 for r in splits[split] if r["target_start"] < 0)
        descriptions[split] = {"dataset": DATASET, "file": name, "skipped": {}, "target_not_in_text": not_found}
    logger.info("persent rows per split: %s", {k: len(v) for k, v in splits.items()})
    return make_dataset_dict(splits, sentiment_features(), descriptions=descriptions)
