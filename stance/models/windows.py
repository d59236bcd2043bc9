"""Group schema records into windows and queries (shared by training and inference).

Records are dicts in the pair or sentiment schema of :mod:`stance.data.schema` (the
inference code never imports that module; the field names are the contract). Records that
share a text become one :class:`~stance.models.inputs.Window`, so a sentence is encoded
once whatever the number of pairs asked about it.

Example:
    >>> recs = [{"text": "Qatar warned Iran.", "source": "Qatar", "source_start": 0, "source_end": 5,
    ...          "target": "Iran", "target_start": 13, "target_end": 17}]
    >>> [(w.text, q) for w, q in group_pair_records(recs)]
    [('Qatar warned Iran.', [(0, 0, 1)])]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from stance.models.inputs import MAX_WINDOW_CHARS, Window, crop

AUTHOR = "<author>"
AUTHOR_SLOT = -1


class _WindowBuilder:
    """Collects spans and extras of one text, deduplicating them into slots."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int]] = []
        self.extras: list[str] = []
        self._span_slot: dict[tuple[int, int], int] = {}
        self._extra_slot: dict[str, int] = {}

    def _overlaps(self, s: int, e: int) -> bool:
        return any(s < e2 and s2 < e for s2, e2 in self.spans)

    def slot(self, surface: str, start: int, end: int) -> tuple[str, Any]:
        """Register a mention; returns ("span", key) or ("extra", key)."""
        if surface == AUTHOR:
            return ("author", None)
        if 0 <= start < end <= len(self.text):
            key = (start, end)
            if key in self._span_slot:
                return ("span", key)
            if not self._overlaps(start, end):
                self._span_slot[key] = len(self.spans)
                self.spans.append(key)
                return ("span", key)
            surface = self.text[start:end]
        surface = (surface or "").strip()
        if not surface:
            raise ValueError("a record has an empty source/target that is neither the author nor a span")
        if surface not in self._extra_slot:
            self._extra_slot[surface] = len(self.extras)
            self.extras.append(surface)
        return ("extra", surface)

    def build(self, max_chars: int = MAX_WINDOW_CHARS) -> tuple[Window, dict[tuple[str, Any], int]]:
        lo, hi = crop(self.text, self.spans, max_chars)
        spans = tuple((s - lo, e - lo) for s, e in self.spans)
        window = Window(self.text[lo:hi], spans=spans, extras=tuple(self.extras))
        slots: dict[tuple[str, Any], int] = {("author", None): AUTHOR_SLOT}
        for key, i in self._span_slot.items():
            slots[("span", key)] = i
        for key, i in self._extra_slot.items():
            slots[("extra", key)] = len(self.spans) + i
        return window, slots


def _get(record: Mapping[str, Any], key: str, default: Any) -> Any:
    value = record.get(key, default)
    return default if value is None else value


def group_pair_records(records: Sequence[Mapping[str, Any]]) -> list[tuple[Window, list[tuple[int, int, int]]]]:
    """Group pair records by text into windows with ``(record_index, source_slot, target_slot)``.

    ``source_slot`` is ``-1`` for the author. Spans that overlap an already-registered span
    are passed as free-text extras instead (never dropped).
    """
    builders: dict[str, _WindowBuilder] = {}
    raw: dict[str, list[tuple[int, tuple[str, Any], tuple[str, Any]]]] = {}
    for i, r in enumerate(records):
        text = r["text"]
        if not isinstance(text, str):
            raise TypeError(f"record {i}: 'text' must be str, got {type(text).__name__}")
        b = builders.setdefault(text, _WindowBuilder(text))
        src = b.slot(str(_get(r, "source", AUTHOR)), int(_get(r, "source_start", -1)), int(_get(r, "source_end", -1)))
        tgt = b.slot(str(_get(r, "target", "")), int(_get(r, "target_start", -1)), int(_get(r, "target_end", -1)))
        if tgt[0] == "author":
            raise ValueError(f"record {i}: the target cannot be the author")
        raw.setdefault(text, []).append((i, src, tgt))
    out = []
    for text, b in builders.items():
        window, slots = b.build()
        out.append((window, [(i, slots[s], slots[t]) for i, s, t in raw[text]]))
    return out


def group_sentiment_records(records: Sequence[Mapping[str, Any]]) -> list[tuple[Window, list[tuple[int, int]]]]:
    """Group sentiment records by text into windows with ``(record_index, target_slot)``."""
    builders: dict[str, _WindowBuilder] = {}
    raw: dict[str, list[tuple[int, tuple[str, Any]]]] = {}
    for i, r in enumerate(records):
        text = r["text"]
        if not isinstance(text, str):
            raise TypeError(f"record {i}: 'text' must be str, got {type(text).__name__}")
        b = builders.setdefault(text, _WindowBuilder(text))
        tgt = b.slot(str(_get(r, "target", "")), int(_get(r, "target_start", -1)), int(_get(r, "target_end", -1)))
        raw.setdefault(text, []).append((i, tgt))
    out = []
    for text, b in builders.items():
        window, slots = b.build()
        out.append((window, [(i, slots[t]) for i, t in raw[text]]))
    return out


SENTIMENT_WINDOWS = ("shared", "focused")


def check_sentiment_windows(mode: str) -> str:
    """Validate a sentiment-window mode (see :data:`SENTIMENT_WINDOWS`); returns it.

    Example:
        >>> check_sentiment_windows("focused")
        'focused'
    """
    from stance.text import check_choice

    return check_choice(mode, SENTIMENT_WINDOWS, name="sentiment_windows")


def has_several_slots(window: Window) -> bool:
    """Whether ``window`` marks more than one slot (spans plus extras): the windows whose
    sentiment targets ``"focused"`` mode reads in a window of their own.

    Example:
        >>> has_several_slots(Window("Qatar warned Iran.", spans=((0, 5), (13, 17))))
        True
    """
    return len(window.spans) + len(window.extras) > 1


def focus_window(window: Window, slot: int) -> Window:
    """The same text with only slot ``slot`` marked (its span, or its free-text extra).

    In ``"focused"`` sentiment mode each sentiment target gets such a window, so the
    encoder sees which of several marked mentions is asked about (slot 0 of the result).

    Example:
        >>> w = Window("Qatar warned Iran.", spans=((0, 5), (13, 17)))
        >>> focus_window(w, 1)
        Window(text='Qatar warned Iran.', spans=((13, 17),), extras=())
    """
    n = len(window.spans)
    if 0 <= slot < n:
        return Window(window.text, spans=(window.spans[slot],))
    if n <= slot < n + len(window.extras):
        return Window(window.text, extras=(window.extras[slot - n],))
    raise ValueError(f"slot {slot} is not in a window with {n} spans and {len(window.extras)} extras")
