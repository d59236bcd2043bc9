"""Turn schema records into plain text for the baselines (markers, target context).

The baselines see a record as one string: the text with distinct marker words around the
source and target spans, and any source/target that is not in the text appended after a
separator word. Article-level sentiment records are first cut down to the sentences that
mention the target (the whole text if none does).

Example:
    >>> rec = {"text": "Iran hailed Oman.", "source": "Iran", "source_start": 0, "source_end": 4,
    ...        "target": "Oman", "target_start": 12, "target_end": 16}
    >>> mark_pair(rec)
    ' srcstart Iran srcend  hailed  tgtstart Oman tgtend .'
"""

from __future__ import annotations

import logging
from typing import Any

from stance.data.schema import AUTHOR
from stance.text import find_all, split_sentences

logger = logging.getLogger(__name__)

__all__ = ["mark_pair", "mark_sentiment", "target_context", "is_pair_record", "MARKERS", "SEPARATOR"]

MARKERS = {
    "source": (" srcstart ", " srcend "),
    "target": (" tgtstart ", " tgtend "),
}
SEPARATOR = " xxsep "
AUTHOR_WORD = "xxauthor"
# Article-level texts longer than this are cut to the sentences mentioning the target.
LONG_TEXT_CHARS = 1500


def is_pair_record(record: dict[str, Any]) -> bool:
    """True for a pair-schema record (it has a ``source``), False for target sentiment.

    Example:
        >>> is_pair_record({"text": "x", "target": "y"})
        False
    """
    return "source" in record


def _valid_span(text: str, start: Any, end: Any) -> bool:
    return start is not None and end is not None and 0 <= int(start) < int(end) <= len(text)


def _insert(text: str, spans: list[tuple[int, int, str, str]]) -> str:
    """Insert (open, close) marker strings around possibly nested spans."""
    inserts: list[tuple[int, int, str]] = []
    for start, end, open_m, close_m in spans:
        # At equal positions: closes before opens, and an enclosing span opens first.
        inserts.append((start, 1, -end, open_m))
        inserts.append((end, 0, -start, close_m))
    inserts.sort(key=lambda x: (x[0], x[1], x[2]))
    out, cursor = [], 0
    for pos, _, _, marker in inserts:
        out.append(text[cursor:pos])
        out.append(marker)
        cursor = pos
    out.append(text[cursor:])
    return "".join(out)


def mark_pair(record: dict[str, Any]) -> str:
    """Return the record's text with source/target markers; absent ones appended.

    A source equal to ``AUTHOR`` is appended as the word ``xxauthor``.

    Example:
        >>> mark_pair({"text": "Tax cuts work.", "source": "<author>", "source_start": -1,
        ...            "source_end": -1, "target": "tax cuts", "target_start": -1, "target_end": -1})
        'Tax cuts work. xxsep  srcstart xxauthor srcend  xxsep  tgtstart tax cuts tgtend '
    """
    text = record["text"]
    spans: list[tuple[int, int, str, str]] = []
    extras: list[str] = []
    for role in ("source", "target"):
        name = record.get(role)
        if name is None:
            continue
        open_m, close_m = MARKERS[role]
        start, end = record.get(f"{role}_start", -1), record.get(f"{role}_end", -1)
        if _valid_span(text, start, end):
            spans.append((int(start), int(end), open_m, close_m))
        else:
            shown = AUTHOR_WORD if name == AUTHOR else name
            extras.append(f"{open_m}{shown}{close_m}")
    marked = _insert(text, spans)
    return marked + "".join(SEPARATOR + e for e in extras)


def target_context(record: dict[str, Any], max_chars: int = LONG_TEXT_CHARS) -> tuple[str, int, int]:
    """Return ``(text, target_start, target_end)`` focused on the target.

    A short text, or one whose target span is given, is returned as is. A long text with
    the target given by name only is cut to the sentences that mention the target (case
    insensitive), or kept whole if none does.

    Example:
        >>> target_context({"text": "Hi all. Iran spoke. Bye.", "target": "Iran",
        ...                 "target_start": -1, "target_end": -1}, max_chars=5)
        ('Iran spoke.', 0, 4)
    """
    text = record["text"]
    start, end = record.get("target_start", -1), record.get("target_end", -1)
    if _valid_span(text, start, end):
        return text, int(start), int(end)
    target = record.get("target") or ""
    if len(text) <= max_chars or not target:
        return text, -1, -1
    hits = find_all(text, target, ignore_case=True)
    if not hits:
        return text, -1, -1
    sentences = [s for s in split_sentences(text) if any(s.start <= h.start < s.end for h in hits)]
    joined = " ".join(s.text for s in sentences)
    first = find_all(joined, target, ignore_case=True)
    return (joined, first[0].start, first[0].end) if first else (joined, -1, -1)


def mark_sentiment(record: dict[str, Any], max_chars: int = LONG_TEXT_CHARS) -> str:
    """Return the (target-focused) text with target markers, or the target appended.

    Example:
        >>> mark_sentiment({"text": "Biden won.", "target": "Biden", "target_start": 0, "target_end": 5})
        ' tgtstart Biden tgtend  won.'
    """
    text, start, end = target_context(record, max_chars)
    open_m, close_m = MARKERS["target"]
    if start >= 0:
        return _insert(text, [(start, end, open_m, close_m)])
    return f"{text}{SEPARATOR}{open_m}{record.get('target', '')}{close_m}"
