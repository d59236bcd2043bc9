"""Joint modelling of the two directions between two entities of one sentence.

Some corpora (Park et al., 2021) give every sentence as two pair rows, p → q and q → p,
sharing ``group_id``. Instead of classifying each direction alone, a baseline can
classify the *sentence* into five joint classes, with p the entity that comes first in
the text and q the other one:

=====  ==========================  ==========================
class  earlier → later (p → q)     later → earlier (q → p)
=====  ==========================  ==========================
0      none                        none
1      favor                       none
2      none                        favor
3      against                     none
4      none                        against
=====  ==========================  ==========================

and return each row's *marginal* directional probabilities, e.g. for the p → q row
``(P1, P3, P0 + P2 + P4)``.

Example:
    >>> rows = [{"text": "A met B", "source": "A", "source_start": 0, "source_end": 1, "target": "B",
    ...          "target_start": 6, "target_end": 7, "label": 0, "group_id": "g"},
    ...         {"text": "A met B", "source": "B", "source_start": 6, "source_end": 7, "target": "A",
    ...          "target_start": 0, "target_end": 1, "label": 2, "group_id": "g"}]
    >>> joint_examples(rows)
    ([0], [1])
    >>> mark_joint(rows[1])
    ' pstart A pend  met  qstart B qend '
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from stance.data.schema import PAIR_LABELS
from stance.evaluation.markup import _insert

logger = logging.getLogger(__name__)

__all__ = [
    "JOINT_CLASSES",
    "orient",
    "mark_joint",
    "forward_view",
    "joint_examples",
    "to_directional",
    "joint_coverage",
]

JOINT_CLASSES: list[tuple[str, str]] = [
    ("none", "none"),
    ("favor", "none"),
    ("none", "favor"),
    ("against", "none"),
    ("none", "against"),
]
_JOINT_INDEX = {pair: i for i, pair in enumerate(JOINT_CLASSES)}
P_MARKERS = (" pstart ", " pend ")
Q_MARKERS = (" qstart ", " qend ")


def orient(record: dict[str, Any]) -> tuple[tuple[int, int], tuple[int, int], bool] | None:
    """Return ``(p_span, q_span, forward)`` (p = earlier span) or None if spans are unusable.

    ``forward`` is true when the record's source is p. Spans must both lie in the text
    and must not overlap.

    Example:
        >>> orient({"text": "A met B", "source_start": 6, "source_end": 7, "target_start": 0, "target_end": 1})
        ((0, 1), (6, 7), False)
    """
    n = len(record["text"])
    s = (int(record.get("source_start", -1)), int(record.get("source_end", -1)))
    t = (int(record.get("target_start", -1)), int(record.get("target_end", -1)))
    if not (0 <= s[0] < s[1] <= n and 0 <= t[0] < t[1] <= n):
        return None
    if s[0] < t[1] and t[0] < s[1]:  # overlap
        return None
    return (s, t, True) if s[0] < t[0] else (t, s, False)


def mark_joint(record: dict[str, Any]) -> str | None:
    """The text with direction-neutral p/q markers (p = earlier entity), or None.

    Both rows of a sentence give the same string, so the sentence is classified once.
    """
    oriented = orient(record)
    if oriented is None:
        return None
    (p0, p1), (q0, q1), _ = oriented
    return _insert(record["text"], [(p0, p1, *P_MARKERS), (q0, q1, *Q_MARKERS)])


def forward_view(record: dict[str, Any]) -> dict[str, Any]:
    """The record with source and target swapped if needed so that the source is p.

    Example:
        >>> forward_view({"text": "A met B", "source": "B", "source_start": 6, "source_end": 7,
        ...               "target": "A", "target_start": 0, "target_end": 1})["source"]
        'A'
    """
    oriented = orient(record)
    if oriented is None or oriented[2]:
        return record
    out = dict(record)
    for a, b in (("source", "target"), ("source_start", "target_start"), ("source_end", "target_end")):
        out[a], out[b] = record[b], record[a]
    return out


def joint_examples(records: Sequence[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """Find sibling row pairs and their joint labels.

    Returns:
        ``(indices, labels)``: for each sentence whose two rows are each other's
        reverse and whose labels fit one of :data:`JOINT_CLASSES`, the index of one of
        its rows (the forward one) and the joint class.
    """
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(records):
        groups.setdefault(str(r.get("group_id") or f"#{i}"), []).append(i)
    indices, labels = [], []
    for members in groups.values():
        if len(members) != 2:
            continue
        a, b = (records[i] for i in members)
        oa, ob = orient(a), orient(b)
        if oa is None or ob is None or oa[:2] != ob[:2] or oa[2] == ob[2]:
            continue
        fwd, bwd = (members[0], members[1]) if oa[2] else (members[1], members[0])
        pair = (PAIR_LABELS[int(records[fwd]["label"])], PAIR_LABELS[int(records[bwd]["label"])])
        if pair in _JOINT_INDEX:
            indices.append(fwd)
            labels.append(_JOINT_INDEX[pair])
    return indices, labels


def joint_coverage(records: Sequence[dict[str, Any]]) -> float:
    """Fraction of rows that belong to a usable sibling pair (0 for no records).

    Example:
        >>> joint_coverage([])
        0.0
    """
    if not records:
        return 0.0
    return 2 * len(joint_examples(records)[0]) / len(records)


def to_directional(joint_probs: np.ndarray, forward: Sequence[bool]) -> np.ndarray:
    """Marginal (favor, against, none) probabilities of each row from joint probabilities.

    Example:
        >>> to_directional(np.array([[0.5, 0.2, 0.1, 0.1, 0.1]]), [False]).round(2).tolist()
        [[0.1, 0.1, 0.8]]
    """
    p = np.asarray(joint_probs, dtype=float)
    fwd = np.asarray(forward, dtype=bool)
    favor = np.where(fwd, p[:, 1], p[:, 2])
    against = np.where(fwd, p[:, 3], p[:, 4])
    out = np.zeros((len(p), 3))
    out[:, PAIR_LABELS.index("favor")] = favor
    out[:, PAIR_LABELS.index("against")] = against
    out[:, PAIR_LABELS.index("none")] = 1.0 - favor - against
    return out
