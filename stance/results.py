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
from typing import Any, Literal, get_args

#: A position's stance (and an evidence sentence's): the one place these labels are spelled.
StanceLabel = Literal["favor", "against", "neutral"]
#: The sentiment an article shows toward an actor.
SentimentLabel = Literal["negative", "neutral", "positive"]
#: What an actor is.
ActorKind = Literal["person", "country", "organisation", "group", "author"]
#: What a position is held toward: an issue or another actor.
TargetKind = Literal["issue", "actor"]

STANCE_LABELS: tuple[StanceLabel, ...] = get_args(StanceLabel)
SENTIMENT_LABELS: tuple[SentimentLabel, ...] = get_args(SentimentLabel)
ACTOR_KINDS: tuple[ActorKind, ...] = get_args(ActorKind)
TARGET_KINDS: tuple[TargetKind, ...] = get_args(TargetKind)


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
    def of(cls, text: str, start: int, end: int) -> Span:
        """Build the span ``text[start:end]``.

        Example:
            >>> Span.of("Qatar warned", 0, 5)
            Span(start=0, end=5, text='Qatar')
        """
        return cls(start, end, text[start:end])

    def shifted(self, offset: int) -> Span:
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
    kind: ActorKind
    mentions: tuple[Span, ...] = ()
    affiliation: Actor | None = None
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

    label: SentimentLabel
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
    stance: StanceLabel
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence.to_dict(),
            "stance": self.stance,
            "confidence": round(float(self.confidence), 4),
        }


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
    target_kind: TargetKind
    stance: StanceLabel
    confidence: float
    evidence: tuple[Evidence, ...] = ()
    conflicting: tuple[Evidence, ...] = ()
    via: str | None = None

    def __post_init__(self) -> None:
        if self.stance not in STANCE_LABELS:
            raise ValueError(f"Position.stance must be one of {STANCE_LABELS}, got {self.stance!r}")
        if self.target_kind not in TARGET_KINDS:
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


@dataclass(frozen=True)
class Issue:
    """An issue of the article: a group of phrases that name the same thing.

    Attributes:
        name: Representative phrase (or the caller's target text).
        phrases: Every distinct phrase grouped under it.
        user_given: True when the issue came from the caller's ``targets``.
    """

    name: str
    phrases: tuple[str, ...] = ()
    user_given: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "phrases", tuple(self.phrases))

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "phrases": list(self.phrases), "user_given": self.user_given}


@dataclass(frozen=True)
class ActorResult:
    """An actor together with how the article portrays it."""

    actor: Actor
    sentiment: Sentiment | None = None

    @property
    def name(self) -> str:
        return self.actor.name

    def to_dict(self) -> dict[str, Any]:
        d = self.actor.to_dict()
        d["sentiment"] = self.sentiment.to_dict() if self.sentiment is not None else None
        return d


@dataclass(frozen=True)
class ArticleResult:
    """Who stands where in one article.

    Attributes:
        actors: Every actor with its sentiment and affiliation.
        positions: Actor → issue positions (one per actor and issue, aggregated).
        relations: Actor → actor stances.
        issues: The article's issues (discovered, or the caller's targets).
        warnings: Things the caller should know (non-English text, HTML, truncation…).
        model: Name and version of the model that produced the result.
        meta: Provenance: the model's name and version, the SHA-256 of its weights, the
            backend, the settings that produced the result (``sentiment_windows``,
            ``cue_weight``) and the library version. Not compared by ``==``.
    """

    actors: tuple[ActorResult, ...] = ()
    positions: tuple[Position, ...] = ()
    relations: tuple[Position, ...] = ()
    issues: tuple[Issue, ...] = ()
    warnings: tuple[str, ...] = ()
    model: str = ""
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for name in ("actors", "positions", "relations", "issues", "warnings"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def actor(self, name: str) -> ActorResult:
        """The actor called ``name`` (canonical name)."""
        for a in self.actors:
            if a.name == name:
                return a
        raise KeyError(f"no actor {name!r}; actors: {[a.name for a in self.actors]}")

    def positions_of(self, name: str) -> list[Position]:
        """All positions and relations held by ``name`` (including rolled-up ones)."""
        return [p for p in (*self.positions, *self.relations) if p.actor == name]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict."""
        return {
            "actors": [a.to_dict() for a in self.actors],
            "positions": [p.to_dict() for p in self.positions],
            "relations": [p.to_dict() for p in self.relations],
            "issues": [i.to_dict() for i in self.issues],
            "warnings": list(self.warnings),
            "model": self.model,
            "meta": dict(self.meta),
        }

    def to_pandas(self) -> Any:
        """One row per position and relation (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as err:  # pragma: no cover - depends on environment
            raise ImportError("to_pandas needs pandas: pip install pandas") from err
        rows = []
        for p in (*self.positions, *self.relations):
            best = p.evidence[0].sentence if p.evidence else None
            rows.append(
                {
                    "actor": p.actor,
                    "target": p.target,
                    "target_kind": p.target_kind,
                    "stance": p.stance,
                    "confidence": round(float(p.confidence), 4),
                    "via": p.via,
                    "evidence": best.text if best else "",
                    "evidence_start": best.start if best else None,
                    "evidence_end": best.end if best else None,
                    "n_evidence": len(p.evidence),
                    "n_conflicting": len(p.conflicting),
                }
            )
        columns = [
            "actor",
            "target",
            "target_kind",
            "stance",
            "confidence",
            "via",
            "evidence",
            "evidence_start",
            "evidence_end",
            "n_evidence",
            "n_conflicting",
        ]
        return pd.DataFrame(rows, columns=columns)

    def __str__(self) -> str:
        lines = [f"{len(self.actors)} actors, {len(self.positions)} positions, {len(self.relations)} relations"]
        if self.actors:
            lines.append("Actors:")
            for a in self.actors:
                aff = f" ({a.actor.affiliation.name})" if a.actor.affiliation else ""
                sent = f"  sentiment: {a.sentiment.label} {a.sentiment.score:.2f}" if a.sentiment else ""
                lines.append(f"  {a.name} [{a.actor.kind}]{aff}{sent}")
        for title, items in (("Positions:", self.positions), ("Relations:", self.relations)):
            if items:
                lines.append(title)
                for p in items:
                    via = f" (via {p.via})" if p.via else ""
                    ev = f'  "{_shorten(p.evidence[0].sentence.text)}"' if p.evidence else ""
                    conflict = f"  [{len(p.conflicting)} conflicting]" if p.conflicting else ""
                    lines.append(f"  {p.actor}{via} {p.stance.upper()} {p.target} ({p.confidence:.2f}){conflict}{ev}")
        for w in self.warnings:
            lines.append(f"warning: {w}")
        return "\n".join(lines)


def _shorten(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
