"""Text utilities that keep exact character offsets: sentences, paragraphs and chunks.

Every function returns :class:`~stance.results.Span` objects whose offsets index the
caller's original string, so nothing downstream ever needs to re-find a substring.

Example:
    >>> [s.text for s in split_sentences("Qatar warned. Israel urges action!")]
    ['Qatar warned.', 'Israel urges action!']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stance.results import Span

__all__ = ["split_sentences", "chunk_text", "check_text", "find_all"]

# Abbreviations after which a period does not end a sentence.
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sen",
    "rep",
    "gov",
    "gen",
    "col",
    "lt",
    "sgt",
    "st",
    "jr",
    "sr",
    "inc",
    "corp",
    "co",
    "ltd",
    "vs",
    "etc",
    "no",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "mt",
    "ft",
}
_BOUNDARY = re.compile(r"([.!?…]+[\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\S)")


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: object, *, name: str = "text") -> str:
    """Return ``text`` if it is a ``str`` of valid Unicode; raise naming the fix otherwise.

    Any ``str`` is accepted (NUL, control and bidi characters, combining marks, CRLF,
    U+2028...) except one holding a lone surrogate (U+D800-U+DFFF, left by decoding with
    ``errors="surrogateescape"`` or by broken JSON escapes): such a string is not text
    and cannot be encoded, so it is refused with the position of the first one.

    Raises:
        TypeError: ``text`` is not a ``str`` (bytes: decode first).
        ValueError: ``text`` holds a lone surrogate.

    Example:
        >>> check_text("ok")
        'ok'
        >>> check_text("ok\\ud800")  # doctest: +NORMALIZE_WHITESPACE
        Traceback (most recent call last):
        ...
        ValueError: text holds a lone surrogate '\\ud800' at position 2 (of 3 characters): it is not valid Unicode
        and cannot be classified; replace such characters first,
        e.g. text = text.encode('utf-8', 'replace').decode('utf-8') (each becomes '?', so offsets stay the same),
        or read files with errors='replace'
    """
    if isinstance(text, str):
        if not text.isascii():
            bad = _SURROGATE.search(text)
            if bad is not None:
                raise ValueError(
                    f"{name} holds a lone surrogate {bad.group(0)!r} at position {bad.start()} (of {len(text)} "
                    "characters): it is not valid Unicode and cannot be classified; replace such characters first, "
                    f"e.g. {name} = {name}.encode('utf-8', 'replace').decode('utf-8') (each becomes '?', so offsets "
                    "stay the same), or read files with errors='replace'"
                )
        return text
    if isinstance(text, (bytes, bytearray)):
        raise TypeError(f"{name} must be str, got bytes: decode it first, e.g. {name}.decode('utf-8')")
    raise TypeError(f"{name} must be str, got {type(text).__name__}")


def _sentence_ends(text: str) -> Iterator[int]:
    for m in _BOUNDARY.finditer(text):
        if m.group(1) is None:  # paragraph or line break
            yield m.start()
            continue
        end = m.end(1)
        if m.group(1).startswith("."):
            word = re.search(r"([\w.]+)\.$", text[max(0, m.start(1) - 12) : m.start(1) + 1])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
            # single capital initial such as "Donald J. Trump"
            if (
                m.start(1) >= 1
                and text[m.start(1) - 1].isupper()
                and (m.start(1) < 2 or not text[m.start(1) - 2].isalnum())
            ):
                continue
        yield end


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences (and headline/paragraph lines), keeping offsets.

    Leading and trailing whitespace is excluded from each span; empty pieces are skipped.

    Args:
        text: Any string.

    Returns:
        Sentence spans in document order.

    Example:
        >>> split_sentences("Mr. Trump spoke. Iran replied.")[1].text
        'Iran replied.'
    """
    check_text(text)
    spans: list[Span] = []
    start = 0
    for end in [*_sentence_ends(text), len(text)]:
        if end <= start:
            continue
        piece = text[start:end]
        stripped_left = len(piece) - len(piece.lstrip())
        s, e = start + stripped_left, start + len(piece.rstrip())
        if e > s:
            spans.append(Span(s, e, text[s:e]))
        start = end
    return spans


def chunk_text(text: str, max_chars: int = 20_000) -> list[Span]:
    """Cut ``text`` into chunks of at most ``max_chars`` at paragraph or sentence breaks.

    Used to keep memory bounded on very long inputs (a 1 MB article becomes ~50 chunks
    processed one after another). A single sentence longer than ``max_chars`` is cut at
    whitespace.

    Example:
        >>> [c.text for c in chunk_text("a. b. c.", max_chars=4)]
        ['a.', 'b.', 'c.']
    """
    check_text(text)
    if max_chars < 1:
        raise ValueError("max_chars must be >= 1")
    chunks: list[Span] = []
    cur_start: int | None = None
    cur_end = 0
    for sent in split_sentences(text):
        pieces = [sent]
        if sent.end - sent.start > max_chars:
            pieces = _hard_cut(text, sent, max_chars)
        for p in pieces:
            if cur_start is not None and p.end - cur_start > max_chars:
                chunks.append(Span.of(text, cur_start, cur_end))
                cur_start = None
            if cur_start is None:
                cur_start = p.start
            cur_end = p.end
    if cur_start is not None:
        chunks.append(Span.of(text, cur_start, cur_end))
    return chunks


def _hard_cut(text: str, span: Span, max_chars: int) -> list[Span]:
    out: list[Span] = []
    s = span.start
    while s < span.end:
        e = min(span.end, s + max_chars)
        if e < span.end:
            ws = text.rfind(" ", s + 1, e)
            if ws > s:
                e = ws
        piece = Span.of(text, s, e)
        if piece.text.strip():
            left = len(piece.text) - len(piece.text.lstrip())
            right = len(piece.text.rstrip())
            out.append(Span.of(text, s + left, s + right))
        s = e
    return out


def find_all(text: str, needle: str, *, word_boundary: bool = True, ignore_case: bool = False) -> list[Span]:
    """Find every occurrence of ``needle`` in ``text`` as spans.

    Example:
        >>> [s.start for s in find_all("Iran and Iranian", "Iran")]
        [0]
    """
    if not needle:
        return []
    pattern = re.escape(needle)
    if word_boundary:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    flags = re.IGNORECASE if ignore_case else 0
    return [Span(m.start(), m.end(), m.group(0)) for m in re.finditer(pattern, text, flags)]


def check_choice(value: object, choices: tuple[str, ...], *, name: str) -> str:
    """``value`` if it is one of ``choices``; else a ValueError naming the option and the choices.

    Example:
        >>> check_choice("onnx", ("torch", "onnx"), name="backend")
        'onnx'
        >>> check_choice("trt", ("torch", "onnx"), name="backend")
        Traceback (most recent call last):
        ...
        ValueError: backend must be one of ('torch', 'onnx'), got 'trt'
    """
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return str(value)
