"""Loader for VAST (Allaway & McKeown, EMNLP 2020): zero- and few-shot stance of NYT
comments toward free-text topics.

Our copy has only dev and test, in a reduced-column form
(``reduced_copy/vast_{dev,test}.csv`` with columns ``Tweet`` = post, ``Target`` =
topic_str, ``Stance`` = label, ``seen?``); the official files
(``vast_{train,dev,test}.csv`` with ``post, topic_str, label, seen?, new_id, arc_id …``)
are read too when present. Per the dataset README, ``label`` is 0 = con, 1 = pro,
2 = neutral and ``seen?`` is 0 = zero-shot (topic unseen in training), 1 = few-shot.

Example:
    >>> dd = load_vast("data/vast")  # doctest: +SKIP
    >>> {k: v.num_rows for k, v in dd.items()}  # doctest: +SKIP
    {'validation': 2062, 'test': 3006}
"""

from __future__ import annotations

import csv
import io
import logging
from os import PathLike
from pathlib import Path
from typing import Any

from stance.data._io import DataFormatError, iter_csv, make_dataset_dict, read_text, require_dir, stable_id, to_json
from stance.data.schema import AUTHOR, pair_features

logger = logging.getLogger(__name__)

__all__ = ["load_vast"]

DATASET = "vast"
LAYOUT = (
    "<data_dir>/reduced_copy/vast_{dev,test}.csv (columns Tweet, Target, Stance, seen?) or "
    "<data_dir>/[official/]vast_{dev,test}.csv (columns post, topic_str, label, seen?); vast_train.csv optional"
)
_FILES = {"train": "vast_train.csv", "validation": "vast_dev.csv", "test": "vast_test.csv"}
_OPTIONAL = {"train"}
_SUBDIRS = ("reduced_copy", "official", ".")
# (text, topic, label) column names of each known variant
_VARIANTS = {"reduced": ("Tweet", "Target", "Stance"), "official": ("post", "topic_str", "label")}
_LABELS = {0: "against", 1: "favor", 2: "none"}
_SETTINGS = {0: "zero-shot", 1: "few-shot"}
_EXTRA = ("new_id", "arc_id", "type_idx", "contains_topic?", "ori_topic", "new_topic")


def _find_folder(root: Path) -> Path:
    for sub in _SUBDIRS:
        folder = root / sub
        if all((folder / _FILES[s]).is_file() for s in _FILES if s not in _OPTIONAL):
            return folder
    raise FileNotFoundError(f"no vast_dev.csv and vast_test.csv under {str(root)!r}; expected layout: {LAYOUT}")


def _int_field(rec: dict[str, str], column: str, allowed: dict[int, str], path: Path, line: int) -> int:
    raw = rec[column].strip()
    try:
        value = int(float(raw))
    except ValueError:
        value = -1
    if value not in allowed or float(raw) != value:
        raise DataFormatError(f"{column} must be one of {sorted(allowed)}, got {raw!r}", path=path, line=line)
    return value


def _load_file(path: Path) -> list[dict[str, Any]]:
    text, _ = read_text(path, encodings=("utf-8",))
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    variant = next((v for v, cols in _VARIANTS.items() if all(c in header for c in cols)), "reduced")
    text_col, topic_col, label_col = _VARIANTS[variant]
    rows = []
    for line, rec in iter_csv(path, required=[text_col, topic_col, label_col, "seen?"], text=text):
        label = _int_field(rec, label_col, _LABELS, path, line)
        seen = _int_field(rec, "seen?", _SETTINGS, path, line)
        post, topic = rec[text_col], rec[topic_col].strip()
        if not post.strip() or not topic:
            raise DataFormatError(f"empty {text_col} or {topic_col}", path=path, line=line)
        meta: dict[str, Any] = {"seen": seen, "setting": _SETTINGS[seen], "label": label}
        meta.update({k: rec[k] for k in _EXTRA if k in rec})
        rows.append(
            {
                "text": post,
                "source": AUTHOR,
                "source_start": -1,
                "source_end": -1,
                "target": topic,
                "target_start": -1,
                "target_end": -1,
                "label": _LABELS[label],
                "dataset": DATASET,
                "doc_id": topic,
                "group_id": f"{DATASET}:{stable_id(post)}",
                "meta": to_json(meta),
            }
        )
    return rows


def load_vast(data_dir: str | PathLike[str]) -> Any:
    """Load VAST as pair rows (comment author → topic).

    ``text`` is the comment (``post``/``Tweet``), ``target`` the topic
    (``topic_str``/``Target``), ``source`` :data:`~stance.data.schema.AUTHOR`; offsets are
    -1. Labels: 0 (con) → against, 1 (pro) → favor, 2 (neutral) → none. ``meta`` holds
    ``{"seen": 0|1, "setting": "zero-shot"|"few-shot", "label": 0-2}`` (``seen?`` = 0
    means zero-shot: the topic does not occur in training; 1 means few-shot), plus
    ``new_id``, ``arc_id``, ``type_idx``, ``contains_topic?`` … when the official
    columns are present. ``doc_id`` is the topic; ``group_id`` is a stable hash of the
    comment, shared by the rows of one comment (it is paired with several topics).

    The files are taken from the first of ``reduced_copy/``, ``official/`` or
    ``data_dir`` itself that holds both ``vast_dev.csv`` and ``vast_test.csv``;
    ``vast_train.csv`` there is loaded as ``train`` when present.

    Args:
        data_dir: The VAST folder.

    Returns:
        ``DatasetDict`` with ``validation`` and ``test`` (and ``train`` if present),
        schema :func:`~stance.data.schema.pair_features`.

    Raises:
        FileNotFoundError: The folder is missing or no sub-folder has the dev and test files.
        DataFormatError: Missing columns (names the file), or a row with a wrong number
            of fields, a label outside 0-2, ``seen?`` outside 0-1 or an empty text
            (names file and line).

    Example:
        >>> dd = load_vast("data/vast")  # doctest: +SKIP
        >>> import json; json.loads(dd["test"][0]["meta"])["setting"]  # doctest: +SKIP
        'zero-shot'
    """
    root = require_dir(data_dir, layout=LAYOUT)
    folder = _find_folder(root)
    splits: dict[str, list[dict[str, Any]]] = {}
    descriptions: dict[str, dict[str, Any]] = {}
    for split, name in _FILES.items():
        path = folder / name
        if split in _OPTIONAL and not path.is_file():
            continue
        splits[split] = _load_file(path)
        zero = sum(1 for r in splits[split] if '"seen":0' in r["meta"])
        descriptions[split] = {
            "dataset": DATASET,
            "file": str(path.relative_to(root)),
            "zero_shot": zero,
            "few_shot": len(splits[split]) - zero,
            "skipped": {},
        }
    logger.info("vast rows per split: %s", {k: len(v) for k, v in splits.items()})
    return make_dataset_dict(splits, pair_features(), descriptions=descriptions)
