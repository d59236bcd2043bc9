"""Loader for SemEval-2016 Task 6, subtask A (Mohammad et al., 2016): tweet stance toward
five targets.

Files under ``official/``:

* ``semeval2016-task6-trainingdata.txt``: tab-separated ``ID, Target, Tweet, Stance``
  with a header. It is not valid UTF-8 (a few Windows-1252 bytes such as ``0x91``), so
  every file is decoded by trying UTF-8, then cp1252, then latin-1 (which accepts any
  byte); the encoding used is logged and recorded in ``info.description``. Double quotes
  in these files are literal text (no CSV quoting).
* ``SemEval2016-Task6-subtaskA-testdata.txt``: same layout, ``Stance`` = ``UNKNOWN``.
* ``eval/gold.txt``: the gold test labels, same rows in the same order but renumbered
  from 0, and CSV-quoted (tweets containing ``"`` are wrapped in quotes with doubled
  inner quotes). Rows are aligned with the test file by position; target and tweet must
  agree.

Example:
    >>> dd = load_semeval2016("data/semeval2016-task6")  # doctest: +SKIP
    >>> {k: v.num_rows for k, v in dd.items()}  # doctest: +SKIP
    {'train': 2814, 'test': 1249}
"""

from __future__ import annotations

import csv
import logging
from os import PathLike
from pathlib import Path
from typing import Any

from stance.data._io import DataFormatError, iter_csv, make_dataset_dict, read_text, require_dir, require_file, to_json
from stance.data.schema import AUTHOR, pair_features

logger = logging.getLogger(__name__)

__all__ = ["load_semeval2016"]

DATASET = "semeval2016"
TRAIN = "official/semeval2016-task6-trainingdata.txt"
TEST = "official/SemEval2016-Task6-subtaskA-testdata.txt"
GOLD = "official/eval/gold.txt"
LAYOUT = f"<data_dir>/{{{TRAIN},{TEST},{GOLD}}} (tab-separated ID, Target, Tweet, Stance with a header)"
_COLUMNS = ["ID", "Target", "Tweet", "Stance"]
_LABELS = {"FAVOR": "favor", "AGAINST": "against", "NONE": "none"}


def _read(path: Path, *, quoted: bool) -> tuple[list[tuple[int, dict[str, str]]], str]:
    text, encoding = read_text(path)
    quoting = csv.QUOTE_MINIMAL if quoted else csv.QUOTE_NONE
    return list(iter_csv(path, required=_COLUMNS, delimiter="\t", text=text, quoting=quoting)), encoding


def _row(rec: dict[str, str], label: str, split: str) -> dict[str, Any]:
    target = rec["Target"].strip()
    return {
        "text": rec["Tweet"],
        "source": AUTHOR,
        "source_start": -1,
        "source_end": -1,
        "target": target,
        "target_start": -1,
        "target_end": -1,
        "label": label,
        "dataset": DATASET,
        "doc_id": target,
        "group_id": f"{DATASET}:{split}:{rec['ID'].strip()}",
        "meta": to_json({"target": target, "id": rec["ID"].strip(), "stance": label.upper()}),
    }


def _label(rec: dict[str, str], path: Path, line: int) -> str:
    raw = rec["Stance"].strip()
    if raw not in _LABELS:
        raise DataFormatError(f"Stance must be FAVOR, AGAINST or NONE, got {raw!r}", path=path, line=line)
    return _LABELS[raw]


def load_semeval2016(data_dir: str | PathLike[str]) -> Any:
    """Load SemEval-2016 Task 6 subtask A as pair rows (tweet author → target).

    ``text`` is the tweet, ``target`` the Target (e.g. "Atheism"), ``source``
    :data:`~stance.data.schema.AUTHOR`; offsets are -1 (targets are topics, not spans).
    FAVOR/AGAINST/NONE → favor/against/none. ``doc_id`` is the target (for
    leave-one-target-out grouping), ``group_id`` is ``"semeval2016:<split>:<ID>"``, and
    ``meta`` keeps ``target``, ``id`` and ``stance``. Test labels come from
    ``eval/gold.txt``.

    Args:
        data_dir: The corpus folder containing ``official/``.

    Returns:
        ``DatasetDict`` with ``train`` and ``test`` (schema
        :func:`~stance.data.schema.pair_features`); each split's ``info.description``
        records the encodings used.

    Raises:
        FileNotFoundError: The folder or one of the three files is missing.
        DataFormatError: Missing columns (names the file), a row with a wrong number of
            fields or an unknown label, or a gold row that does not match the test row
            (names file and line).

    Example:
        >>> dd = load_semeval2016("data/semeval2016-task6")  # doctest: +SKIP
        >>> sorted(set(dd["test"]["doc_id"]))[0]  # doctest: +SKIP
        'Atheism'
    """
    root = require_dir(data_dir, layout=LAYOUT)
    train_path = require_file(root / TRAIN, layout=LAYOUT)
    test_path = require_file(root / TEST, layout=LAYOUT)
    gold_path = require_file(root / GOLD, layout=LAYOUT)

    train_recs, train_enc = _read(train_path, quoted=False)
    test_recs, test_enc = _read(test_path, quoted=False)
    gold_recs, gold_enc = _read(gold_path, quoted=True)

    train = [_row(rec, _label(rec, train_path, line), "train") for line, rec in train_recs]
    if len(gold_recs) != len(test_recs):
        raise DataFormatError(f"has {len(gold_recs)} rows but {test_path.name} has {len(test_recs)}", path=gold_path)
    test = []
    for (_, rec), (gline, grec) in zip(test_recs, gold_recs):
        if grec["Target"].strip() != rec["Target"].strip() or grec["Tweet"].strip() != rec["Tweet"].strip():
            raise DataFormatError(
                f"gold row does not match test row ID {rec['ID']} (target or tweet differs)", path=gold_path, line=gline
            )
        test.append(_row(rec, _label(grec, gold_path, gline), "test"))
    encodings = {"train": {TRAIN: train_enc}, "test": {TEST: test_enc, GOLD: gold_enc}}
    descriptions = {
        name: {"dataset": DATASET, "encodings": encodings[name], "skipped": {}} for name in ("train", "test")
    }
    logger.info("semeval2016: train %d, test %d rows (encodings %s)", len(train), len(test), encodings)
    return make_dataset_dict({"train": train, "test": test}, pair_features(), descriptions=descriptions)
