"""The one place that builds model inputs (markers, windows, truncation).

Training and inference both call :func:`encode_windows`, so what the model saw in
training is exactly what it sees in use.

A *window* is a piece of text (usually one sentence, optionally with context) plus
every span that any query will ask about (actors, issue phrases) and any free-text
targets that do not occur in it. Each span is wrapped in marker characters that already
exist in the vocabulary (``[`` and ``]``), independent of which pair is asked, so one
encoder pass serves every (source, target) pair of the window: cost grows with
sentences, not pairs. Free-text targets are appended as a second segment, each wrapped
in the same markers. A span's representation is read at its two marker tokens.

Example:
    >>> w = Window("Qatar warned against escalation.", spans=((0, 5), (21, 31)))
    >>> w.marked_text()[0]
    '[ Qatar ] warned against [ escalation ] .'
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

OPEN = "["
CLOSE = "]"
DEFAULT_MAX_LENGTH = 192
# Context kept around the spans when a window is longer than this many characters.
MAX_WINDOW_CHARS = 900


@dataclass(frozen=True)
class Window:
    """Text plus the spans and free-text targets to mark in it.

    Attributes:
        text: The window text.
        spans: ``(start, end)`` character offsets into ``text``; must not overlap.
        extras: Free-text targets appended after the text (e.g. an issue phrase).
    """

    text: str
    spans: tuple[tuple[int, int], ...] = ()
    extras: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        spans = tuple((int(s), int(e)) for s, e in self.spans)
        for s, e in spans:
            if not 0 <= s < e <= len(self.text):
                raise ValueError(f"span ({s}, {e}) is outside the window text of length {len(self.text)}")
        ordered = sorted(spans)
        for (s1, e1), (s2, _e2) in zip(ordered, ordered[1:]):
            if s2 < e1:
                raise ValueError(f"spans ({s1}, {e1}) and {ordered[ordered.index((s1, e1)) + 1]} overlap")
        object.__setattr__(self, "spans", spans)
        object.__setattr__(self, "extras", tuple(str(x) for x in self.extras))

    def marked_text(self) -> tuple[str, list[tuple[int, int]]]:
        """Return the text with markers and, per span, the char offsets of its two markers."""
        order = sorted(range(len(self.spans)), key=lambda i: self.spans[i])
        pieces: list[str] = []
        marker_pos: list[tuple[int, int]] = [(-1, -1)] * len(self.spans)
        cursor = 0
        length = 0

        def add(piece: str) -> None:
            nonlocal length
            pieces.append(piece)
            length += len(piece)

        for i in order:
            s, e = self.spans[i]
            add(self.text[cursor:s])
            if length and not pieces[-1].endswith(" "):
                add(" ")
            open_at = length
            add(f"{OPEN} ")
            add(self.text[s:e])
            add(" ")
            close_at = length
            add(f"{CLOSE} ")
            marker_pos[i] = (open_at, close_at)
            cursor = e
        add(self.text[cursor:])
        return "".join(pieces).rstrip(), marker_pos

    def marked_extras(self) -> tuple[str, list[tuple[int, int]]]:
        """Return the second segment (free-text targets with markers) and marker offsets."""
        parts: list[str] = []
        pos: list[tuple[int, int]] = []
        length = 0
        for j, extra in enumerate(self.extras):
            if j:
                parts.append(" ; ")
                length += 3
            open_at = length
            body = f"{OPEN} {extra.strip()} "
            close_at = length + len(body)
            parts.append(body + CLOSE)
            length += len(body) + 1
            pos.append((open_at, close_at))
        return "".join(parts), pos


def crop(text: str, spans: Sequence[tuple[int, int]], max_chars: int = MAX_WINDOW_CHARS) -> tuple[int, int]:
    """Pick a ``(start, end)`` region of ``text`` of at most ~``max_chars`` covering ``spans``.

    Used for very long sentences/paragraphs so the marked spans survive truncation.
    """
    if not spans:
        return 0, min(len(text), max_chars)
    if len(text) <= max_chars:
        return 0, len(text)
    lo = min(s for s, _ in spans)
    hi = max(e for _, e in spans)
    slack = max(0, max_chars - (hi - lo)) // 2
    start = max(0, lo - slack)
    end = min(len(text), hi + slack)
    # snap to whitespace
    if start > 0:
        ws = text.rfind(" ", 0, start)
        start = ws + 1 if ws >= 0 else 0
    if end < len(text):
        ws = text.find(" ", end)
        end = ws if ws >= 0 else len(text)
    return start, end


@dataclass
class EncodedBatch:
    """Tokenised windows plus the token index of each span's two markers.

    Attributes:
        features: Tensors for the encoder (``input_ids``, ``attention_mask``, ...).
        span_index: ``[batch, max_slots, 2]`` long tensor: token indices of the open and
            close markers of each slot (spans first, then extras); ``-1`` where missing.
        lost: ``(window, slot)`` pairs whose markers fell outside ``max_length``.
    """

    features: dict[str, Any]
    span_index: Any
    lost: list[tuple[int, int]]


def encode_windows(tokenizer: Any, windows: Sequence[Window], max_length: int = DEFAULT_MAX_LENGTH) -> EncodedBatch:
    """Mark and tokenise ``windows`` into one padded batch.

    Slots are numbered per window: first ``window.spans`` in their given order, then
    ``window.extras``.

    Args:
        tokenizer: A fast Hugging Face tokenizer (offsets are required).
        windows: The windows of the batch.
        max_length: Token limit per window; the first segment is truncated first.

    Returns:
        An :class:`EncodedBatch`.

    Example:
        >>> batch = encode_windows(tok, [Window("Iran replied.", spans=((0, 4),))])  # doctest: +SKIP
        >>> batch.span_index[0, 0].tolist()  # doctest: +SKIP
        [1, 3]
    """
    import torch

    if not getattr(tokenizer, "is_fast", False):
        raise TypeError("encode_windows needs a fast tokenizer (offset mapping); load it with use_fast=True")
    firsts: list[str] = []
    seconds: list[str] = []
    markers: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = []
    for w in windows:
        first, pos1 = w.marked_text()
        second, pos2 = w.marked_extras()
        firsts.append(first)
        seconds.append(second)
        markers.append((pos1, pos2))
    # Always encode as a pair (the second segment may be empty) so that a window is
    # tokenised the same way whatever else is in its batch.
    enc = tokenizer(
        firsts,
        seconds,
        padding=True,
        truncation="only_first",
        max_length=max_length,
        return_offsets_mapping=True,
        return_tensors="pt",
    )
    offsets = enc.pop("offset_mapping").tolist()
    n_slots = max((len(p1) + len(p2) for p1, p2 in markers), default=0)
    span_index = torch.full((len(windows), max(n_slots, 1), 2), -1, dtype=torch.long)
    lost: list[tuple[int, int]] = []
    for b, (pos1, pos2) in enumerate(markers):
        seq_ids = enc.sequence_ids(b)
        lookup: dict[tuple[int, int], int] = {}
        for t, (seq, (cs, ce)) in enumerate(zip(seq_ids, offsets[b])):
            if seq is not None and ce > cs:
                lookup.setdefault((seq, cs), t)
        for slot, (seq, pos) in enumerate([(0, p) for p in pos1] + [(1, p) for p in pos2]):
            o = lookup.get((seq, pos[0]), -1)
            c = lookup.get((seq, pos[1]), -1)
            if o < 0 or c < 0:
                lost.append((b, slot))
                continue
            span_index[b, slot, 0] = o
            span_index[b, slot, 1] = c
    if lost:
        logger.debug("%d marked spans fell outside max_length=%d", len(lost), max_length)
    return EncodedBatch(features=dict(enc), span_index=span_index, lost=lost)
