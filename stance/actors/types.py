"""Small types the actor modules share (kept apart so that the modules using them do not import each other in a
cycle)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from stance.results import Span

__all__ = ["Cue"]


@dataclass(frozen=True)
class Cue:
    """Textual evidence that ``mention`` speaks for ``target`` (a mention) or ``entry`` (a KB name).

    Attributes:
        mention: The person/organisation mention.
        target: The mention of what it speaks for ("Israel" in "Israel's Prime Minister ...").
        entry: A knowledge-base name, when the cue names no mention ("(R-Ky.)").
        rule: Which rule found it: "possessive", "modifier", "apposition",
            "next-sentence", "party-code", "name-prefix".
    """

    mention: Span
    target: Span | None = None
    entry: str | None = None
    rule: str = ""

    def shifted(self, offset: int) -> Cue:
        return replace(
            self,
            mention=self.mention.shifted(offset),
            target=self.target.shifted(offset) if self.target is not None else None,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "mention": self.mention.to_dict(),
            "target": self.target.to_dict() if self.target else None,
            "entry": self.entry,
            "rule": self.rule,
        }
