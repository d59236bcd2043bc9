"""Loader for NewsMTSC (Hamborg & Donnay, EACL 2021): sentiment toward persons in news.

Files ``official/{train,devtest_rw,devtest_mt}.jsonl``; each line is a sentence
(``primary_gid``, ``sentence_normalized``) with one or more ``targets`` (``from``, ``to``,
``mention``, ``polarity`` 2.0/4.0/6.0, optional ``further_mentions``). Although the
dataset readme calls ``to`` "the last character", it is *exclusive*:
``sentence_normalized[from:to] == mention`` holds for every target of the released files
(checked on all 11,361 targets).

Example:
    >>> dd = load_newsmtsc("data/newsmtsc")  # doctest: +SKIP
    >>> sorted(dd)  # doctest: +SKIP
    ['devtest_mt', 'devtest_rw', 'mt_dev', 'mt_test', 'rw_dev', 'rw_test', 'train']
"""

from __future__ import annotations

import logging
from os import PathLike
from typing import Any

from stance.data._io import (
    DataFormatError,
    iter_jsonl,
    make_dataset_dict,
    require_dir,
    require_file,
    stable_split,
    to_json,
)
from stance.data.schema import sentiment_features

logger = logging.getLogger(__name__)

__all__ = ["load_newsmtsc", "DEV_FRACTION"]

DATASET = "newsmtsc"
LAYOUT = "<data_dir>/official/{train,devtest_rw,devtest_mt}.jsonl (NewsMTSC JSON lines)"
DEV_FRACTION = 0.3
_FILES = {"train": "train.jsonl", "devtest_rw": "devtest_rw.jsonl", "devtest_mt": "devtest_mt.jsonl"}
_PROTOCOL = {"devtest_rw": ("rw_dev", "rw_test"), "devtest_mt": ("mt_dev", "mt_test")}
_POLARITY = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}


def _target_row(path: Any, line: int, gid: str, sentence: str, target: Any) -> dict[str, Any]:
    if not isinstance(target, dict):
        raise DataFormatError("each target must be a JSON object", path=path, line=line)
    missing = [k for k in ("from", "to", "mention", "polarity") if k not in target]
    if missing:
        raise DataFormatError(f"target lacks {missing}", path=path, line=line)
    start, end, mention = target["from"], target["to"], target["mention"]
    if not isinstance(start, int) or not isinstance(end, int) or sentence[start:end] != mention:
        raise DataFormatError(
            f"target offsets {start}:{end} give "
            f"{sentence[start:end] if isinstance(start, int) and isinstance(end, int) else None!r}, "
            f"not the mention {mention!r}",
            path=path,
            line=line,
        )
    try:
        label = _POLARITY[float(target["polarity"])]
    except (KeyError, TypeError, ValueError):
        raise DataFormatError(
            f"polarity must be 2.0, 4.0 or 6.0, got {target['polarity']!r}", path=path, line=line
        ) from None
    meta = {
        "input_gid": target.get("Input.gid"),
        "polarity": float(target["polarity"]),
        "further_mentions": [
            {"start": fm.get("from"), "end": fm.get("to"), "mention": fm.get("mention")}
            for fm in target.get("further_mentions", [])
            if isinstance(fm, dict)
        ],
    }
    return {
        "text": sentence,
        "target": mention,
        "target_start": start,
        "target_end": end,
        "label": label,
        "dataset": DATASET,
        "doc_id": gid,
        "group_id": gid,
        "meta": to_json(meta),
    }


def _load_file(path: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for line, obj in iter_jsonl(path):
        if not isinstance(obj, dict) or not {"primary_gid", "sentence_normalized", "targets"} <= set(obj):
            raise DataFormatError(
                "expected an object with primary_gid, sentence_normalized and targets", path=path, line=line
            )
        gid, sentence, targets = obj["primary_gid"], obj["sentence_normalized"], obj["targets"]
        if not isinstance(sentence, str) or not isinstance(targets, list) or not targets:
            raise DataFormatError(
                "sentence_normalized must be a string and targets a non-empty list", path=path, line=line
            )
        rows.extend(_target_row(path, line, str(gid), sentence, t) for t in targets)
    return rows


def load_newsmtsc(data_dir: str | PathLike[str]) -> Any:
    """Load NewsMTSC as target-sentiment rows (one row per target mention).

    Splits:

    * ``train``, ``devtest_rw``, ``devtest_mt``: the released files, unchanged.
    * ``rw_dev`` / ``rw_test`` and ``mt_dev`` / ``mt_test``: the paper's protocol of
      evaluating on a dev/test division of each devtest set (30 % dev, 70 % test). The
      authors' own split files (``experiment_splits/`` in their repository) are *not* in
      our copy of the data, so this loader derives the division deterministically: a
      sentence goes to dev when the SHA-256 of its ``primary_gid`` (first 8 bytes as a
      fraction of 2**64) is below 0.3, else to test. Seed-free and stable across
      platforms; all targets of one sentence stay together. Scores on these splits are
      therefore comparable with each other but not identical to the paper's split.

    Labels: polarity 2.0 → negative, 4.0 → neutral, 6.0 → positive. ``doc_id`` and
    ``group_id`` are the sentence's ``primary_gid`` (shared by its targets). ``meta``
    holds ``input_gid``, the raw ``polarity`` and the ``further_mentions`` (automatic
    coreferences, with exclusive ``end``).

    Args:
        data_dir: The NewsMTSC folder containing ``official/``.

    Returns:
        ``DatasetDict`` with the seven splits above (schema
        :func:`~stance.data.schema.sentiment_features`).

    Raises:
        FileNotFoundError: The folder or one of the three files is missing.
        DataFormatError: Invalid JSON, missing keys, offsets that do not give the
            mention, or an unknown polarity (message names the file and line).

    Example:
        >>> dd = load_newsmtsc("data/newsmtsc")  # doctest: +SKIP
        >>> dd["rw_dev"].num_rows + dd["rw_test"].num_rows == dd["devtest_rw"].num_rows  # doctest: +SKIP
        True
    """
    root = require_dir(data_dir, layout=LAYOUT)
    official = require_dir(root / "official", layout=LAYOUT)
    splits: dict[str, list[dict[str, Any]]] = {}
    descriptions: dict[str, dict[str, Any]] = {}
    for split, name in _FILES.items():
        path = require_file(official / name, layout=LAYOUT)
        splits[split] = _load_file(path)
        descriptions[split] = {"dataset": DATASET, "file": f"official/{name}", "skipped": {}}
    for source, (dev, test) in _PROTOCOL.items():
        fractions = [(dev, DEV_FRACTION), (test, 1.0 - DEV_FRACTION)]
        parts: dict[str, list[dict[str, Any]]] = {dev: [], test: []}
        for row in splits[source]:
            parts[stable_split(row["group_id"], fractions)].append(row)
        for name, rows in parts.items():
            splits[name] = rows
            descriptions[name] = {
                "dataset": DATASET,
                "file": f"official/{_FILES[source]}",
                "derived_from": source,
                "rule": f"sha256(primary_gid) fraction < {DEV_FRACTION} -> dev, else test",
                "skipped": {},
            }
    logger.info("newsmtsc rows per split: %s", {k: len(v) for k, v in splits.items()})
    return make_dataset_dict(splits, sentiment_features(), descriptions=descriptions)
