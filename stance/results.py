"""Typed, frozen result objects shared by every layer of :mod:`stance`.

This module depends on nothing else in the package. Every object is an immutable
dataclass with a ``to_dict()`` that returns JSON-safe data, so results can be
logged, cached, compared and serialised without surprises.

Offsets are always character offsets into the caller's original text:
``text[span.start:span.end] == span.text``.

Example:
    >>> s = Span(0, 4, "Iran")
    >>> s.to_dict()
    {'start': 0, 'end': 4, 'text': 'Iran'}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STANCE_LABELS: tuple[str, ...] = ("favor", "against", "neutral")
SENTIMENT_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
ACTOR_KINDS: tuple[str, ...] = ("person", "country", "organisation", "group", "author")


@dataclass(frozen=True, order=True)
class Span:
    """A character span of the input text.

    Attributes:
        start: Offset of the first character.
        end: Offset one past the last character.
        text: ``input[start:end]``.
    """

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not isinstance(self.start, int) or not isinstance(self.end, int):
            raise TypeError("Span.start and Span.end must be int")
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span offsets ({self.start}, {self.end}): need 0 <= start <= end")
        if len(self.text) != self.end - self.start:
            raise ValueError(
                f"Span text {self.text!r} has length {len(self.text)} but offsets ({self.start}, {self.end}) "
                f"cover {self.end - self.start} characters"
            )

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        """Build the span ``text[start:end]``.

        Example:
            >>> Span.of("Qatar warned", 0, 5)
            Span(start=0, end=5, text='Qatar')
        """
        return cls(start, end, text[start:end])

    def shifted(self, offset: int) -> "Span":
        """Return the same span moved ``offset`` characters to the right."""
        return Span(self.start + offset, self.end + offset, self.text)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Actor:
    """An actor of an article: a person, country, organisation, group or the author.

    Attributes:
        name: Canonical name ("United States", not "US").
        kind: One of :data:`ACTOR_KINDS`.
        mentions: Every mention of the actor in the text, in order.
        affiliation: The actor this one speaks for (a minister's state), if any.
        aliases: Other surface names seen or known for the actor.
        source: Where the kind/affiliation came from ("text", "kb:<source>", "ner").
    """

    name: str
    kind: str
    mentions: tuple[Span, ...] = ()
    affiliation: "Actor | None" = None
    aliases: tuple[str, ...] = ()
    source: str = "ner"

    def __post_init__(self) -> None:
        if self.kind not in ACTOR_KINDS:
            raise ValueError(f"Actor.kind must be one of {ACTOR_KINDS}, got {self.kind!r}")
        object.__setattr__(self, "mentions", tuple(self.mentions))
        object.__setattr__(self, "aliases", tuple(self.aliases))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "affiliation": self.affiliation.name if self.affiliation is not None else None,
            "mentions": [m.to_dict() for m in self.mentions],
            "aliases": list(self.aliases),
            "source": self.source,
        }


@dataclass(frozen=True)
class Sentiment:
    """The sentiment an article shows toward an actor.

    Attributes:
        label: One of :data:`SENTIMENT_LABELS`.
        score: Probability of ``label`` after aggregation.
        probabilities: Probability of every label.
        evidence: The mentions that carry the most weight for ``label``.
    """

    label: str
    score: float
    probabilities: dict[str, float] = field(default_factory=dict)
    evidence: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        if self.label not in SENTIMENT_LABELS:
            raise ValueError(f"Sentiment.label must be one of {SENTIMENT_LABELS}, got {self.label!r}")
        object.__setattr__(self, "evidence", tuple(self.evidence))

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "score": round(float(self.score), 4),
            "probabilities": {k: round(float(v), 4) for k, v in self.probabilities.items()},
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass(frozen=True)
class Evidence:
    """One sentence that bears on a position, with the stance it supports on its own."""

    sentence: Span
    stance: str
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {"sentence": self.sentence.to_dict(), "stance": self.stance, "confidence": round(float(self.confidence), 4)}


@dataclass(frozen=True)
class Position:
    """An actor's stance toward an issue or another actor, aggregated over the article.

    Attributes:
        actor: Canonical name of the actor holding the position.
        target: The issue (a representative phrase) or the other actor's name.
        target_kind: "issue" or "actor".
        stance: One of :data:`STANCE_LABELS`.
        confidence: Aggregated probability of ``stance``.
        evidence: Sentences supporting ``stance``, strongest first.
        conflicting: Sentences that point the other way (shown, not hidden).
        via: For positions rolled up from a person to what they speak for, the person's name.
    """

    actor: str
    target: str
    target_kind: str
    stance: str
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    conflicting: tuple[Evidence, ...] = ()
    via: str | None = None

    def __post_init__(self) -> None:
        if self.stance not in STANCE_LABELS:
            raise ValueError(f"Position.stance must be one of {STANCE_LABELS}, got {self.stance!r}")
        if self.target_kind not in ("issue", "actor"):
            raise ValueError(f"Position.target_kind must be 'issue' or 'actor', got {self.target_kind!r}")
        object.__setattr__(self, "evidence", tuple(self.evidence))
        object.__setattr__(self, "conflicting", tuple(self.conflicting))

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "target": self.target,
            "target_kind": self.target_kind,
            "stance": self.stance,
            "confidence": round(float(self.confidence), 4),
            "evidence": [e.to_dict() for e in self.evidence],
            "conflicting": [e.to_dict() for e in self.conflicting],
            "via": self.via,
        }
