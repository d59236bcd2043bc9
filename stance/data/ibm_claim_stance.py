"""Loader for the IBM Debater Claim Stance dataset (Bar-Haim et al., EACL 2017).

Our copy of ``claim_stance_dataset_v1.csv`` was re-saved by a spreadsheet that read the
original comma-separated file as *semicolon*-separated: every physical line is one or
more ``;``-separated cells, each cell quoted (inner quotes doubled) when needed, padded
with empty cells to five (``;;;;``). Claims containing ``;`` were split over several
cells, and a claim with an embedded newline was split over several lines. So each line
is first parsed as a ``;``-separated CSV line, trailing empty cells are dropped, the
cells are re-joined with ``;`` (restoring the original line), and the restored text is
parsed as ordinary comma-separated CSV (where quoted newlines work again). The wrapping
is recognised by a first line that starts with ``"topicId`` or ends with ``;``; any
other file (e.g. the original IBM release) is parsed directly.

Example:
    >>> dd = load_ibm_claim_stance("data/ibm-claim-stance")  # doctest: +SKIP
    >>> {k: v.num_rows for k, v in dd.items()}  # doctest: +SKIP
    {'train': 1039, 'test': 1355}
"""

from __future__ import annotations

import csv
import logging
from os import PathLike
from typing import Any

from stance.data._io import DataFormatError, iter_csv, make_dataset_dict, read_text, require_dir, require_file, to_json
from stance.data.schema import AUTHOR, pair_features

logger = logging.getLogger(__name__)

__all__ = ["load_ibm_claim_stance", "unwrap_spreadsheet_csv"]

DATASET = "ibm_claim_stance"
FILE = "claim_stance_dataset_v1.csv"
LAYOUT = f"<data_dir>/{FILE} (IBM Claim Stance CSV, plain or spreadsheet-wrapped)"
_REQUIRED = ["topicId", "split", "topicText", "claims.claimId", "claims.stance", "claims.claimCorrectedText"]
_LABELS = {"PRO": "favor", "CON": "against"}
_SPLITS = {"train": "train", "test": "test"}


def unwrap_spreadsheet_csv(text: str, *, path: Any = None) -> str:
    """Undo the spreadsheet wrapping of the IBM claim-stance CSV (see the module docstring).

    Lines map one to one, so line numbers in the result are those of the input.

    Args:
        text: Content of the wrapped file.
        path: File name used in error messages.

    Raises:
        DataFormatError: A line is not a valid ``;``-separated CSV line.

    Example:
        >>> unwrap_spreadsheet_csv('"1,""a";" b"",PRO";;;\\n')
        '1,"a; b",PRO\\n'
    """
    out = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            out.append("")
            continue
        try:
            cells = next(csv.reader([line], delimiter=";"))
        except csv.Error as exc:
            raise DataFormatError(f"cannot unwrap spreadsheet line: {exc}", path=path, line=lineno) from None
        while cells and cells[-1] == "":
            cells.pop()
        out.append(";".join(cells))
    return "\n".join(out) + "\n"


def load_ibm_claim_stance(data_dir: str | PathLike[str]) -> Any:
    """Load IBM Claim Stance as pair rows (claim → debate topic).

    ``text`` is ``claims.claimCorrectedText`` (kept as is, including one claim with an
    embedded newline), ``target`` is ``topicText``, ``source`` is
    :data:`~stance.data.schema.AUTHOR`; offsets are -1 (the topic is not a span of the
    claim). PRO → favor, CON → against. Split from the ``split`` column (train/test).
    ``doc_id`` is ``"topic-<topicId>"``, ``group_id`` is ``"claim-<claimId>"``. ``meta``
    holds ``claim_id``, ``topic_id``, ``topic_target``, ``topic_sentiment``,
    ``claim_target`` (text and span in the claim, or null), ``claim_sentiment``,
    ``targets_relation``, ``compatible`` and ``original_text``.

    Args:
        data_dir: Folder with ``claim_stance_dataset_v1.csv``.

    Returns:
        ``DatasetDict`` with ``train`` and ``test`` (schema
        :func:`~stance.data.schema.pair_features`).

    Raises:
        FileNotFoundError: The folder or the file is missing.
        DataFormatError: Missing columns (names the file), or a row with a wrong number
            of fields, an unknown stance or split (names file and line).

    Example:
        >>> dd = load_ibm_claim_stance("data/ibm-claim-stance")  # doctest: +SKIP
        >>> dd["train"].features["label"].names  # doctest: +SKIP
        ['favor', 'against', 'none']
    """
    root = require_dir(data_dir, layout=LAYOUT)
    path = require_file(root / FILE, layout=LAYOUT)
    raw, _ = read_text(path, encodings=("utf-8",))
    first_line = raw.lstrip().split("\n", 1)[0].rstrip("\r")
    wrapped = first_line.startswith('"topicId') or first_line.endswith(";")
    text = unwrap_spreadsheet_csv(raw, path=path) if wrapped else raw
    splits: dict[str, list[dict[str, Any]]] = {name: [] for name in _SPLITS.values()}
    for line, rec in iter_csv(path, required=_REQUIRED, text=text):
        stance = rec["claims.stance"].strip()
        if stance not in _LABELS:
            raise DataFormatError(f"claims.stance must be PRO or CON, got {stance!r}", path=path, line=line)
        split = _SPLITS.get(rec["split"].strip())
        if split is None:
            raise DataFormatError(f"split must be train or test, got {rec['split']!r}", path=path, line=line)
        claim = rec["claims.claimCorrectedText"]
        if not claim.strip():
            raise DataFormatError("empty claims.claimCorrectedText", path=path, line=line)
        claim_target = None
        c_text, c_start, c_end = (
            rec.get(k, "")
            for k in ("claims.claimTarget.text", "claims.claimTarget.span.start", "claims.claimTarget.span.end")
        )
        if c_text and c_start.strip().isdigit() and c_end.strip().isdigit():
            claim_target = {"text": c_text, "start": int(c_start), "end": int(c_end)}
        meta = {
            "claim_id": rec["claims.claimId"].strip(),
            "topic_id": rec["topicId"].strip(),
            "topic_target": rec.get("topicTarget"),
            "topic_sentiment": rec.get("topicSentiment"),
            "claim_target": claim_target,
            "claim_sentiment": rec.get("claims.claimSentiment"),
            "targets_relation": rec.get("claims.targetsRelation"),
            "compatible": rec.get("claims.Compatible"),
            "original_text": rec.get("claims.claimOriginalText"),
        }
        splits[split].append(
            {
                "text": claim,
                "source": AUTHOR,
                "source_start": -1,
                "source_end": -1,
                "target": rec["topicText"],
                "target_start": -1,
                "target_end": -1,
                "label": _LABELS[stance],
                "dataset": DATASET,
                "doc_id": f"topic-{meta['topic_id']}",
                "group_id": f"claim-{meta['claim_id']}",
                "meta": to_json(meta),
            }
        )
    descriptions = {
        name: {"dataset": DATASET, "file": FILE, "spreadsheet_wrapped": wrapped, "skipped": {}} for name in splits
    }
    logger.info("ibm_claim_stance rows per split: %s", {k: len(v) for k, v in splits.items()})
    return make_dataset_dict(splits, pair_features(), descriptions=descriptions)
