"""Loader for the directed-sentiment corpus of Park et al. (Findings of ACL 2021).

Files ``train.txt``, ``valid.txt`` and ``test.txt``: one sentence per line, tab-separated
``sentence, p, q, label``. The two entities are wrapped in square brackets inside the
sentence; ``p`` and ``q`` are the bracketed contents (without surrounding blanks, e.g.
``"[Omar Othman ]"`` → ``"Omar Othman"``). The bracketing may cut words
(``"[Los Angele]s"`` → ``p = "Los Angele"``). Lines containing double quotes are
CSV-quoted (field wrapped in ``"`` with doubled inner quotes), so the file is parsed with
the :mod:`csv` module using a tab delimiter.

Labels: 0 neutral, 1 positive p→q, 2 positive q→p, 3 negative p→q, 4 negative q→p.

Each sentence becomes two pair rows sharing ``group_id``: (p → q) and (q → p). The two
bracket pairs are removed from the text (other brackets stay) and the spans point into
the cleaned text.

Example:
    >>> dd = load_park2021("data/directed-sentiment-park2021")  # doctest: +SKIP
    >>> dd["train"].num_rows  # doctest: +SKIP
    26288
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from os import PathLike
from typing import Any

from stance.data._io import DataFormatError, iter_csv, make_dataset_dict, require_dir, require_file, to_json
from stance.data.schema import PAIR_LABELS, pair_features

logger = logging.getLogger(__name__)

__all__ = ["load_park2021", "park_pairs_to_5class", "park_5class_to_pairs", "strip_entity_brackets"]

DATASET = "park2021"
LAYOUT = "<data_dir>/{train,valid,test}.txt, tab-separated: sentence with [p] and [q] bracketed, p, q, label 0-4"
_FILES = {"train": "train.txt", "validation": "valid.txt", "test": "test.txt"}
_BRACKET = re.compile(r"\[([^\[\]]*)\]")

# label5 -> (label of p→q, label of q→p)
_TO_PAIRS: dict[int, tuple[str, str]] = {
    0: ("none", "none"),
    1: ("favor", "none"),
    2: ("none", "favor"),
    3: ("against", "none"),
    4: ("none", "against"),
}
# (direction, polarity) -> label5; the order is the tie-break order of park_pairs_to_5class
_FROM_PAIRS: dict[tuple[str, str], int] = {
    ("pq", "favor"): 1,
    ("qp", "favor"): 2,
    ("pq", "against"): 3,
    ("qp", "against"): 4,
}


def park_5class_to_pairs(label5: int) -> tuple[str, str]:
    """Split a Park et al. 5-class label into the labels of the p→q and q→p pairs.

    Example:
        >>> park_5class_to_pairs(4)
        ('none', 'against')
    """
    try:
        return _TO_PAIRS[int(label5)]
    except (KeyError, ValueError, TypeError):
        raise ValueError(f"label5 must be one of 0-4, got {label5!r}") from None


def _as_probs(values: Sequence[float] | Any, name: str) -> list[float]:
    try:
        probs = [float(v) for v in values]
    except TypeError:
        raise ValueError(f"{name} must be a sequence of {len(PAIR_LABELS)} numbers") from None
    if len(probs) != len(PAIR_LABELS):
        raise ValueError(f"{name} must have {len(PAIR_LABELS)} values ordered {PAIR_LABELS}, got {len(probs)}")
    return probs


def park_pairs_to_5class(probs_pq: Sequence[float], probs_qp: Sequence[float]) -> int:
    """Map the two directional predictions of a sentence back to the 5-class label.

    Each argument holds one score per pair label, ordered like ``PAIR_LABELS``
    (``favor, against, none``): probabilities, or one-hot gold labels. If the best
    label of *both* directions is ``none`` the result is 0 (neutral). Otherwise the
    result is the direction+polarity with the highest non-``none`` score among all four
    (p→q favor = 1, q→p favor = 2, p→q against = 3, q→p against = 4); exact ties go to
    the smaller label.

    Args:
        probs_pq: Scores of the (p → q) row.
        probs_qp: Scores of the (q → p) row.

    Returns:
        The label in 0-4.

    Example:
        >>> park_pairs_to_5class([0.1, 0.7, 0.2], [0.1, 0.1, 0.8])
        3
        >>> park_pairs_to_5class([0.2, 0.1, 0.7], [0.3, 0.1, 0.6])
        0
    """
    pq = _as_probs(probs_pq, "probs_pq")
    qp = _as_probs(probs_qp, "probs_qp")
    none = PAIR_LABELS.index("none")
    best_pq = max(range(len(pq)), key=lambda i: (pq[i], -i))
    best_qp = max(range(len(qp)), key=lambda i: (qp[i], -i))
    if best_pq == none and best_qp == none:
        return 0
    scores = {"pq": pq, "qp": qp}
    candidates = [(scores[d][PAIR_LABELS.index(pol)], -label5, label5) for (d, pol), label5 in _FROM_PAIRS.items()]
    return max(candidates)[2]


def strip_entity_brackets(sentence: str, p: str, q: str) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    """Remove the brackets around ``p`` and ``q``; return the clean text and both spans.

    The first bracket pair whose (blank-stripped) content equals ``p`` marks p; the first
    other pair whose content equals ``q`` marks q. Other brackets stay in the text.
    Returns None when the entities are not bracketed as expected.

    Example:
        >>> strip_entity_brackets("A [Los Angele]s anchor met [Trump] [sic].", "Los Angele", "Trump")
        ('A Los Angeles anchor met Trump [sic].', (2, 12), (25, 30))
    """
    pairs = list(_BRACKET.finditer(sentence))
    mp = next((m for m in pairs if m.group(1).strip() == p), None)
    mq = next((m for m in pairs if m.group(1).strip() == q and m is not mp), None)
    if mp is None or mq is None or not p or not q:
        return None
    removed = sorted([mp.start(), mp.end() - 1, mq.start(), mq.end() - 1])
    bounds = [-1, *removed, len(sentence)]
    clean = "".join(sentence[a + 1 : b] for a, b in zip(bounds, bounds[1:]))

    def shift(pos: int) -> int:
        return pos - sum(1 for r in removed if r < pos)

    def span(m: re.Match[str], surface: str) -> tuple[int, int]:
        inner_start = m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip()))
        start = shift(inner_start)
        return start, start + len(surface)

    return clean, span(mp, p), span(mq, q)


def _load_split(path: Any, split: str) -> list[dict[str, Any]]:
    columns = ["sentence", "p", "q", "label"]
    rows: list[dict[str, Any]] = []
    for line, rec in iter_csv(path, required=columns, fieldnames=columns, delimiter="\t"):
        label_raw = rec["label"].strip()
        if label_raw not in {"0", "1", "2", "3", "4"}:
            raise DataFormatError(f"label must be 0-4, got {label_raw!r}", path=path, line=line)
        label5 = int(label_raw)
        p, q = rec["p"], rec["q"]
        cleaned = strip_entity_brackets(rec["sentence"], p, q)
        if cleaned is None:
            raise DataFormatError(
                f"entities p={p!r} and q={q!r} are not both bracketed in the sentence", path=path, line=line
            )
        sentence, p_span, q_span = cleaned
        group_id = f"{DATASET}:{split}:{line}"
        pq_label, qp_label = _TO_PAIRS[label5]
        for direction, (src, src_span), (tgt, tgt_span), label in (
            ("pq", (p, p_span), (q, q_span), pq_label),
            ("qp", (q, q_span), (p, p_span), qp_label),
        ):
            rows.append(
                {
                    "text": sentence,
                    "source": src,
                    "source_start": src_span[0],
                    "source_end": src_span[1],
                    "target": tgt,
                    "target_start": tgt_span[0],
                    "target_end": tgt_span[1],
                    "label": label,
                    "dataset": DATASET,
                    "doc_id": group_id,
                    "group_id": group_id,
                    "meta": to_json({"label5": label5, "direction": direction}),
                }
            )
    return rows


def load_park2021(data_dir: str | PathLike[str]) -> Any:
    """Load Park et al. (2021) directed sentiment as pair-stance rows.

    Every sentence yields two rows sharing ``group_id`` (and ``doc_id``): the p→q row and
    the q→p row. Labels: 0 → none/none; 1 → p→q favor, q→p none; 2 → q→p favor, p→q
    none; 3 → p→q against, q→p none; 4 → q→p against, p→q none. ``meta`` holds
    ``{"label5": 0-4, "direction": "pq" | "qp"}``. Use :func:`park_pairs_to_5class` to
    turn the two rows' predictions back into the 5-class label.

    Args:
        data_dir: Folder with ``train.txt``, ``valid.txt`` and ``test.txt``.

    Returns:
        ``DatasetDict`` with splits ``train``, ``validation``, ``test`` (schema
        :func:`~stance.data.schema.pair_features`).

    Raises:
        FileNotFoundError: The folder or one of the files is missing.
        DataFormatError: A line has the wrong number of fields, a label outside 0-4, or
            entities that are not bracketed (message names the file and line).

    Example:
        >>> dd = load_park2021("data/directed-sentiment-park2021")  # doctest: +SKIP
        >>> row = dd["train"][0]  # doctest: +SKIP
        >>> row["text"][row["source_start"]:row["source_end"]] == row["source"]  # doctest: +SKIP
        True
    """
    root = require_dir(data_dir, layout=LAYOUT)
    splits: dict[str, list[dict[str, Any]]] = {}
    descriptions: dict[str, dict[str, Any]] = {}
    for split, name in _FILES.items():
        path = require_file(root / name, layout=LAYOUT)
        splits[split] = _load_split(path, split)
        descriptions[split] = {"dataset": DATASET, "file": name, "sentences": len(splits[split]) // 2, "skipped": {}}
        logger.info("park2021 %s: %d sentences -> %d pair rows", split, len(splits[split]) // 2, len(splits[split]))
    return make_dataset_dict(splits, pair_features(), descriptions=descriptions)
