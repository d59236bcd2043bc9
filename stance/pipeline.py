"""Article pipeline: text → actors → candidate pairs per sentence → one encoder pass per
sentence window → heads → article positions with evidence.

The work is split in three steps so that many articles can share model batches:
:meth:`Pipeline.prepare` (parse, actors, issue candidates, windows — no model),
:meth:`StanceModel.score` over the windows of a whole batch of articles, and
:meth:`Pipeline.finish` (issue grouping and aggregation).

Example:
    >>> pipe = Pipeline()  # doctest: +SKIP
    >>> result = pipe.classify(open("seeds/us_iran_talks_oman.txt").read())  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from stance.aggregate import (
    AggregationConfig,
    Observation,
    SentimentAggregator,
    aggregate_positions,
    aggregate_sentiment,
)
from stance.locks import lock_for
from stance.results import Actor, ActorResult, ArticleResult, Issue, Span
from stance.text import check_text

logger = logging.getLogger(__name__)

_HTML = re.compile(r"<\s*/?\s*(p|div|span|a|br|html|body|script|style|li|ul|table|td|tr|img|h[1-6])\b[^>]*>", re.I)
_PRONOUN_SUBJECTS = frozenset({"he", "she"})
#: Reference-resolution rules a :class:`Pipeline` applies unless told otherwise.
DEFAULT_REFERENCE_RULES: tuple[str, ...] = ("pronoun", "quote", "role", "body")


def text_warnings(text: str) -> list[str]:
    """Warnings about inputs the models were not trained on (HTML, non-English), or empty ones.

    The language check is :func:`stance.language.language_warnings` (fastText language
    identification per paragraph; a mixed text gets the character ranges that are not
    English).

    Example:
        >>> text_warnings("<p>Hello</p> world")
        ['the text contains HTML markup; strip it for better results (offsets refer to the raw text)']
    """
    if not text.strip():
        return ["the text is empty (or only whitespace): there is nothing to classify"]
    from stance.language import language_warnings

    warnings = []
    if _HTML.search(text):
        warnings.append("the text contains HTML markup; strip it for better results (offsets refer to the raw text)")
    warnings.extend(language_warnings(text))
    return warnings


@dataclass
class _SentencePlan:
    sentence: Span
    pairs: list[tuple[int, int, str, str, str, str | None]] = field(default_factory=list)
    # (source slot, target slot, actor name, target key, target kind, pronoun person)
    cues: list[int | None] = field(default_factory=list)
    # per pair: index of the stance (0 favor, 1 against, 2 none) a syntactic cue gives, or None
    sentiment: list[tuple[int, str, Span]] = field(default_factory=list)


@dataclass
class Prepared:
    """Everything about one article that does not need the model."""

    text: str
    actors: list[Actor]
    windows: list[Any]  # WindowQueries
    plans: list[_SentencePlan]
    candidates: dict[str, int]  # candidate phrase -> count
    user_targets: tuple[str, ...]
    warnings: list[str]


def _affiliated(a: Actor, b: Actor) -> bool:
    """True when one actor speaks for the other (a minister and their state)."""
    return (a.affiliation is not None and a.affiliation.name == b.name) or (
        b.affiliation is not None and b.affiliation.name == a.name
    )


def syntactic_cues(doc: Any, offset: int = 0) -> list[tuple[int, int, int, int, int]]:
    """Explicit stance constructions in a parsed chunk, as ``(src_start, src_end, tgt_start, tgt_end, stance)``.

    The stance-predicate lexicon of :mod:`stance.cues` ("warn against", "call for",
    "launch", "oppose"...; negated and conditional clauses skipped) applied to the parse:
    the subject entity takes ``stance`` (0 favor, 1 against) toward the object phrase, and
    the addressee of an appeal ("X urged *Y* to halt Z") takes 2 (none) toward what it is asked to do,
    and the maker of the issue ("rejected a plan *put forward by Y*") takes 3 (favor) or 4 (against, "the
    tariffs *opposed by Y*"): its side, whatever the sentence's main verb says of the issue.
    Offsets are shifted by ``offset`` (the chunk's start in the article).

    Example:
        >>> syntactic_cues(nlp("Qatar warned against escalation."))  # doctest: +SKIP
        [(0, 5, 21, 31, 1)]
    """
    from stance.cues import ADDRESSEE, MADE, stance_constructions

    index = {"favor": 0, "against": 1, "none": 2}
    return [
        (
            ent.start_char + offset,
            ent.end_char + offset,
            ts + offset,
            te + offset,
            index[label] + (3 if rule.startswith(MADE) else 0),
        )
        for _sent, ent, (ts, te), label, rule, _tok in stance_constructions(doc)
        if label in ("favor", "against") or rule.endswith(ADDRESSEE)  # one asked to act: no stance
    ]


def _acronyms_of_issues(actors: list[Actor], candidates: list[Span]) -> tuple[list[Actor], dict[tuple[int, int], str]]:
    """Actors that are only the acronym of a named issue in the article ("ACA" beside "the
    Affordable Care Act", tagged an organisation by NER) become mentions of that issue.

    ``candidates`` gains each such mention; returns the remaining actors and the label of
    each new candidate (the issue's full name).
    """
    from stance.targets import acronym

    full = {}
    for c in candidates:
        short = acronym(c.text)
        if short:
            full.setdefault(short, c.text)
    if not full:
        return actors, {}
    labels: dict[tuple[int, int], str] = {}
    keep = []
    for a in actors:
        name = full.get(a.name)
        if name is not None and a.kind in ("organisation", "group") and all(m.text == a.name for m in a.mentions):
            for m in a.mentions:
                candidates.append(m)
                labels[(m.start, m.end)] = name
            logger.debug("%s is the acronym of the issue %r, not an actor", a.name, name)
        else:
            keep.append(a)
    return keep, labels


def check_cue_weight(cue_weight: float | None) -> float | None:
    """``cue_weight`` as a float (None stays None); a clear error for a bad one.

    Raises:
        ValueError: Not a number in [0, 50).

    Example:
        >>> check_cue_weight(2)
        2.0
    """
    if cue_weight is None:
        return None
    if isinstance(cue_weight, bool) or not isinstance(cue_weight, (int, float)) or not 0 <= cue_weight < 50:
        raise ValueError(f"cue_weight must be a number in [0, 50) (0 turns syntactic cues off), got {cue_weight!r}")
    return float(cue_weight)


def _overlaps(a: tuple[int, int], b: Span) -> bool:
    return a[0] < b.end and b.start < a[1]


_POSSESSIVES = frozenset({"its", "their", "his", "her"})


def _owns(mention: Span | None, target: Span) -> bool:
    """A possessive pronoun right before the issue ("urged Washington to halt *its* threats"): the
    actor it stands for owns the issue, and the sentence says nothing of its stance toward it."""
    return mention is not None and mention.text.lower() in _POSSESSIVES and 0 <= target.start - mention.end <= 1


def _cue_for(cues: Sequence[tuple[int, int, int, int, int]], mention: Span, target: Span) -> int | None:
    """The cue stance for (actor mention, target phrase), if one cue covers both."""
    for ss, se, ts, te, stance in cues:
        if _overlaps((ss, se), mention) and _overlaps((ts, te), target):
            return stance
    return None


def apply_cue(probs: Sequence[float], stance: int, weight: float) -> np.ndarray:
    """``probs`` (favor, against, none) with ``weight`` log-odds added to ``stance``.

    A cue of the issue's maker (``stance`` 3 or 4, :func:`syntactic_cues`) first moves both
    polar probabilities onto its side (0 or 1): the sentence's polar reading ("rejected a plan
    put forward by X") is about the issue, and X's side of it is the one it made.

    Example:
        >>> apply_cue([0.2, 0.6, 0.2], 0, 0.0).round(2).tolist()
        [0.2, 0.6, 0.2]
        >>> apply_cue([0.2, 0.6, 0.2], 0, 2.0).round(2).tolist()
        [0.65, 0.26, 0.09]
        >>> apply_cue([0.01, 0.51, 0.48], 3, 0.0).round(2).tolist()
        [0.52, 0.0, 0.48]
    """
    p = np.asarray(probs, dtype=np.float64) + 1e-12
    if stance >= 3:
        stance -= 3
        p[stance], p[1 - stance] = p[0] + p[1], 1e-12
    p[stance] *= np.exp(weight)
    return p / p.sum()


class Pipeline:
    """Actors + stance/sentiment model + aggregation.

    Args:
        model: A :class:`~stance.models.modeling.StanceModel` (default: the shipped one).
        actor_extractor: An :class:`~stance.actors.ActorExtractor` (default: spaCy small).
        aggregation: Aggregation thresholds.
        issue_threshold: Cosine similarity that groups two phrases into one issue.
        target_threshold: Similarity for mapping an in-text phrase onto a caller's target.
        batch_size: Windows per model batch.
        sentiment_bias: Override the model's article-sentiment bias (negative, neutral,
            positive); ``(0, 0, 0)`` gives the plain mean of mention probabilities. Setting
            it selects the mean rule over a model's fitted aggregator.
        sentiment_aggregator: Override the model's article-sentiment rule: a
            :class:`~stance.aggregate.SentimentAggregator`, or ``"mean"`` for the
            bias-shifted mean of mention probabilities even when the model carries a fitted
            aggregator (``article_sentiment_aggregator`` in its config).
        cue_weight: Override the model's syntactic-cue weight: the log-odds added to the
            stance an explicit construction states ("X launched a strike" -> X favours the
            strike; see :func:`syntactic_cues`); 0 turns cues off.
        sentiment_windows: Override the model's sentiment-window mode: ``"shared"`` reads
            each actor mention's sentiment off the sentence pass that also scores the
            stances; ``"focused"`` gives each mention in a sentence with other marked
            mentions or issues its own pass with only it marked (more accurate, slower;
            see :meth:`stance.models.StanceModel.score`).
        references: Reference-resolution rules (:data:`stance.actors.coref.RULES`:
            ``"pronoun"``, ``"quote"``, ``"role"``, ``"it"``, ``"body"``); default
            :data:`DEFAULT_REFERENCE_RULES`; each resolved pronoun, quoted first
            person, role or body noun becomes a mention of its actor in that sentence, scored as
            source and as target. ``()`` turns resolution off (then only a sentence opening
            with he/she continues the last person mentioned).
        vague_issues: Name a candidate issue that is only a vague head noun ("the plan",
            "the measure") after the issue it refers to (:func:`stance.targets.resolve_vague`).
        quote_context: A sentence inside a quotation whose speaker it does not name is read
            with the attribution in front ("<speaker> said: <sentence>", the speaker marked
            as the source; :func:`stance.actors.coref.quote_speakers`); evidence stays the
            sentence itself.
    """

    def __init__(
        self,
        model: Any = None,
        actor_extractor: Any = None,
        *,
        aggregation: AggregationConfig | None = None,
        issue_threshold: float = 0.55,
        target_threshold: float = 0.5,
        batch_size: int = 32,
        sentiment_bias: Sequence[float] | None = None,
        cue_weight: float | None = None,
        sentiment_windows: str | None = None,
        sentiment_aggregator: SentimentAggregator | str | None = None,
        references: Sequence[str] | None = None,
        vague_issues: bool = True,
        quote_context: bool = True,
    ) -> None:
        from stance.actors.coref import RULES
        from stance.models.windows import check_sentiment_windows

        if references is None:
            references = DEFAULT_REFERENCE_RULES
        if isinstance(references, str) or not all(r in RULES for r in references):
            raise ValueError(f"references must be a sequence of rule names from {list(RULES)}, got {references!r}")
        self.references = tuple(references)
        self.vague_issues = bool(vague_issues)
        self.quote_context = bool(quote_context)

        if not (
            sentiment_aggregator is None
            or sentiment_aggregator == "mean"
            or isinstance(sentiment_aggregator, SentimentAggregator)
        ):
            raise TypeError(
                "sentiment_aggregator must be a stance.aggregate.SentimentAggregator, 'mean' or None "
                f"(the model's own rule), got {sentiment_aggregator!r}"
            )
        self.sentiment_aggregator = sentiment_aggregator
        if sentiment_bias is not None and len(sentiment_bias) != 3:
            raise ValueError(f"sentiment_bias needs 3 values (negative, neutral, positive), got {len(sentiment_bias)}")
        self.sentiment_bias = tuple(float(b) for b in sentiment_bias) if sentiment_bias is not None else None
        self._cue_weight = check_cue_weight(cue_weight)
        self.sentiment_windows = check_sentiment_windows(sentiment_windows) if sentiment_windows is not None else None
        self._model = model
        self._extractor = actor_extractor
        self.aggregation = aggregation or AggregationConfig()
        self.issue_threshold = issue_threshold
        self.target_threshold = target_threshold
        self.batch_size = batch_size
        self._grouper: Any = None
        self._model_aggregator: tuple[dict[str, Any], SentimentAggregator] | None = None

    # ------------------------------------------------------------------ components
    # Thread safety: every call into a shared object (the spaCy pipeline, the model) holds
    # that object's lock (stance.locks), and lazy components are built under this
    # pipeline's lock, so one Pipeline gives the same results from several threads.
    @property
    def model(self) -> Any:
        if self._model is None:
            with lock_for(self):
                if self._model is None:
                    from stance.models import load_model

                    self._model = load_model()
        return self._model

    @property
    def extractor(self) -> Any:
        if self._extractor is None:
            with lock_for(self):
                if self._extractor is None:
                    from stance.actors import ActorExtractor

                    self._extractor = ActorExtractor()
        return self._extractor

    @property
    def grouper(self) -> Any:
        if self._grouper is None:
            with lock_for(self):
                if self._grouper is None:
                    from stance.targets import IssueGrouper

                    self._grouper = IssueGrouper(embed=self._embed, threshold=self.issue_threshold)
        return self._grouper

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self.model
        with lock_for(model):
            return model.embed(texts)

    def _parse_lock(self) -> Any:
        """The lock of the spaCy pipeline the extractor parses with (or of the extractor)."""
        extractor = self.extractor
        nlp = getattr(extractor, "nlp", None)
        return lock_for(nlp if nlp is not None else extractor)

    def cue_weight(self) -> float:
        """The syntactic-cue weight: the pipeline's override, else the model's, else 0 (off)."""
        if self._cue_weight is not None:
            return self._cue_weight
        head = getattr(self._model if self._model is not None else self.model, "head_config", None)
        return float(getattr(head, "cue_weight", 0.0) or 0.0)

    def article_sentiment_bias(self) -> list[float] | None:
        """The article-sentiment bias: the pipeline's override, else the model's (if any)."""
        if self.sentiment_bias is not None:
            return list(self.sentiment_bias)
        head = getattr(self.model, "head_config", None)
        bias = getattr(head, "article_sentiment_bias", None)
        return list(bias) if bias is not None else None

    def article_sentiment_aggregator(self) -> SentimentAggregator | None:
        """The article-sentiment aggregator: the pipeline's override, else the model's (if any).

        ``None`` means the bias-shifted mean rule (:meth:`article_sentiment_bias`).

        Raises:
            ValueError: The model's config holds an aggregator this version cannot use.
        """
        if self.sentiment_aggregator == "mean" or self.sentiment_bias is not None:
            return None
        if isinstance(self.sentiment_aggregator, SentimentAggregator):
            return self.sentiment_aggregator
        head = getattr(self.model, "head_config", None)
        stored = getattr(head, "article_sentiment_aggregator", None)
        if not stored:
            return None
        if self._model_aggregator is None or self._model_aggregator[0] is not stored:
            self._model_aggregator = (stored, SentimentAggregator.from_dict(stored))
        return self._model_aggregator[1]

    # ------------------------------------------------------------------ step 1
    def prepare(self, text: str, targets: Sequence[str] | None = None) -> Prepared:
        """Parse ``text`` and lay out every window and query (no model call)."""
        from stance.actors.coref import quote_speakers, reference_candidates, resolve_references
        from stance.models.modeling import WindowQueries
        from stance.targets import exclude_actor_spans, issue_candidates, resolve_vague

        check_text(text)
        for i, t in enumerate(targets or ()):
            check_text(t, name=f"targets[{i}]")
        user_targets = tuple(t.strip() for t in (targets or ()) if t and t.strip())
        warnings = text_warnings(text)
        if not text.strip():
            return Prepared(text, [], [], [], {}, user_targets, warnings)
        for w in warnings:
            logger.warning(w)
        raw_cands: list[Span] = []
        cues: list[tuple[int, int, int, int, int]] = []
        ref_cands: list[Any] = []

        def read_doc(offset: int, doc: Any) -> None:
            raw_cands.extend(c.shifted(offset) for c in issue_candidates(doc))
            if self.references:
                ref_cands.extend(reference_candidates(doc, offset))
            if self.cue_weight() > 0:
                cues.extend(syntactic_cues(doc, offset))

        # one parse: issue candidates and cues are read from each chunk's Doc while it is alive
        with self._parse_lock():
            analysis = self.extractor.analyse(text, on_doc=read_doc)
        actors = list(analysis.actors)
        sentences = list(analysis.sentences)
        actors, acronym_labels = _acronyms_of_issues(actors, raw_cands)
        mention_owner: list[tuple[Span, Actor]] = sorted(
            ((m, a) for a in actors for m in a.mentions), key=lambda x: (x[0].start, -x[0].end)
        )
        actor_spans = [(m.start, m.end) for m, _ in mention_owner]
        actor_of = {a.name: a for a in actors}
        resolved = resolve_references(text, ref_cands, actors, sentences, self.references) if self.references else []
        refs = [(r.span, actor_of[r.actor]) for r in resolved if r.actor in actor_of]
        speakers = quote_speakers(text, actors, sentences, resolved) if self.quote_context else {}
        cands = sorted(exclude_actor_spans(raw_cands, actor_spans + [(m.start, m.end) for m, _ in refs]))
        labels = resolve_vague(cands, sentences) if self.vague_issues else {}
        labels.update(acronym_labels)
        counts: dict[str, int] = {}
        for c in cands:
            counts[c.text] = counts.get(c.text, 0) + 1

        windows: list[Any] = []
        plans: list[_SentencePlan] = []
        persons_last: Actor | None = None
        mi = ci = ri = 0
        for si, sent in enumerate(sentences):
            in_sent: list[tuple[Span, Actor]] = []
            while mi < len(mention_owner) and mention_owner[mi][0].start < sent.start:
                mi += 1
            j = mi
            while j < len(mention_owner) and mention_owner[j][0].start < sent.end:
                if mention_owner[j][0].end <= sent.end:
                    in_sent.append(mention_owner[j])
                j += 1
            sent_cands: list[Span] = []
            while ci < len(cands) and cands[ci].start < sent.start:
                ci += 1
            k = ci
            while k < len(cands) and cands[k].start < sent.end:
                if cands[k].end <= sent.end:
                    sent_cands.append(cands[k])
                k += 1
            sent_refs: list[tuple[Span, Actor]] = []
            while ri < len(refs) and refs[ri][0].start < sent.start:
                ri += 1
            while ri < len(refs) and refs[ri][0].start < sent.end:
                if refs[ri][1].name not in {a.name for _, a in sent_refs}:
                    sent_refs.append(refs[ri])
                ri += 1
            # Without reference resolution, a sentence opening with he/she continues the last person mentioned.
            pronoun: tuple[Span, Actor] | None = None
            first = re.match(r"\s*(\w+)", sent.text)
            if (
                not self.references
                and first
                and first.group(1).lower() in _PRONOUN_SUBJECTS
                and persons_last is not None
            ):
                ps = sent.start + first.start(1)
                if not any(m.start <= ps < m.end for m, _ in in_sent):
                    pronoun = (Span(ps, ps + len(first.group(1)), first.group(1)), persons_last)
            for _m, a in in_sent:
                if a.kind == "person":
                    persons_last = a
            sources = in_sent + ([pronoun] if pronoun else []) + sent_refs
            speaker = actor_of.get(speakers.get(si, ""))
            if speaker is not None and any(a.name == speaker.name for _, a in sources):
                speaker = None
            if not sources and speaker is None:
                continue
            sent_cues = [c for c in cues if sent.start <= c[0] < sent.end]
            plan, wq = self._plan_sentence(
                text,
                sent,
                sources,
                in_sent,
                sent_cands,
                user_targets,
                WindowQueries,
                sent_cues,
                sent_refs,
                labels,
                speaker,
            )
            plans.append(plan)
            windows.append(wq)
        return Prepared(text, actors, windows, plans, counts, user_targets, warnings)

    @staticmethod
    def _plan_sentence(
        text,
        sent,
        sources,
        in_sent,
        sent_cands,
        user_targets,
        WindowQueries,
        sent_cues=(),
        refs=(),
        labels=None,
        speaker=None,
    ):  # noqa: ANN001, ANN205
        from stance.models.inputs import Window

        spans: list[tuple[int, int]] = []
        slot_of: dict[tuple[int, int], int] = {}
        # A quoted sentence that does not name its speaker is read after "<speaker> said: ".
        prefix = f"{speaker.name} said: " if speaker is not None else ""
        off = len(prefix)
        if speaker is not None:
            slot_of[(0, len(speaker.name))] = 0
            spans.append((0, len(speaker.name)))

        def span_slot(sp: Span) -> int | None:
            key = (sp.start - sent.start + off, sp.end - sent.start + off)
            if key in slot_of:
                return slot_of[key]
            if any(key[0] < e and s < key[1] for s, e in spans):
                return None
            slot_of[key] = len(spans)
            spans.append(key)
            return slot_of[key]

        src_slots = [(span_slot(m), a, m, m not in [x for x, _ in in_sent]) for m, a in sources]
        if speaker is not None:
            src_slots.append((0, speaker, None, True))
        tgt_actor_slots = [(span_slot(m), a) for m, a in in_sent]
        ref_slots = [(span_slot(m), a) for m, a in refs]
        cand_slots = [(span_slot(c), c) for c in sent_cands]
        extras: list[str] = []
        extra_slots: list[tuple[str, str, Span | None]] = []  # (phrase, kind, span in the text)
        for c_slot, c in cand_slots:
            if c_slot is None:
                extra_slots.append((c.text, "cand", c))
        labels = labels or {}
        for t in user_targets:
            extra_slots.append((t, "user", None))
        extras = [p for p, _, _ in extra_slots]
        plan = _SentencePlan(sentence=sent)
        pairs: list[tuple[int, int]] = []
        n_spans = len(spans)
        for s_slot, actor, mention, is_pronoun in src_slots:
            if s_slot is None:
                continue
            via_pronoun = actor.name if is_pronoun else None
            for t_slot, other in tgt_actor_slots + ref_slots:
                if t_slot is None or other.name == actor.name or _affiliated(actor, other):
                    continue
                pairs.append((s_slot, t_slot))
                plan.pairs.append((s_slot, t_slot, actor.name, other.name, "actor", via_pronoun))
                plan.cues.append(None)
            for c_slot, c in cand_slots:
                if c_slot is None or _owns(mention, c):
                    continue
                pairs.append((s_slot, c_slot))
                plan.pairs.append(
                    (s_slot, c_slot, actor.name, "cand:" + labels.get((c.start, c.end), c.text), "issue", via_pronoun)
                )
                plan.cues.append(_cue_for(sent_cues, mention, c) if not is_pronoun else None)
            for j, (phrase, kind, where) in enumerate(extra_slots):
                if where is not None and _owns(mention, where):
                    continue
                pairs.append((s_slot, n_spans + j))
                key = (
                    ("cand:" + labels.get((where.start, where.end), phrase))
                    if kind == "cand" and where is not None
                    else ("user:" + phrase)
                )
                plan.pairs.append((s_slot, n_spans + j, actor.name, key, "issue", via_pronoun))
                plan.cues.append(_cue_for(sent_cues, mention, where) if where is not None and not is_pronoun else None)
        sent_q: list[int] = []
        for t_slot, actor in tgt_actor_slots:
            if t_slot is None:
                continue
            sent_q.append(t_slot)
            m = next(m for m, a in in_sent if (m.start - sent.start + off, m.end - sent.start + off) == spans[t_slot])
            plan.sentiment.append((t_slot, actor.name, m))
        window = Window(prefix + sent.text, spans=tuple(spans), extras=tuple(extras))
        return plan, WindowQueries(window, pairs=pairs, sentiment=sent_q)

    # ------------------------------------------------------------------ step 3
    def finish(
        self, prep: Prepared, pair_probs: Sequence[np.ndarray], sent_probs: Sequence[np.ndarray]
    ) -> ArticleResult:
        """Group issues, aggregate positions and sentiment into an :class:`ArticleResult`."""
        model_name = self._model_name()
        meta = self.meta()
        if not prep.actors:
            return ArticleResult(
                warnings=tuple(prep.warnings),
                model=model_name,
                meta=meta,
                issues=tuple(Issue(t, (t,), True) for t in prep.user_targets),
            )
        actor_by_name = {a.name: a for a in prep.actors}
        raw: list[tuple[str, str, str, Span, tuple[float, float, float], str | None]] = []
        weight = self.cue_weight()
        for plan, pp in zip(prep.plans, pair_probs):
            cues = plan.cues or [None] * len(plan.pairs)
            for (s, t, actor, key, kind, via_pronoun), probs, cue in zip(plan.pairs, pp, cues):
                del s, t, via_pronoun
                if cue is not None and weight > 0:
                    if cue == 2:
                        continue  # the addressee of an appeal: the sentence states no stance of its own
                    probs = apply_cue(probs, cue, weight)
                raw.append((actor, key, kind, plan.sentence, (float(probs[0]), float(probs[1]), float(probs[2]))))
        mention_probs = self.mention_sentiments(prep, sent_probs)

        issue_of, issues_found = self._issues(prep, raw)
        observations: list[Observation] = []
        for actor, key, kind, sentence, probs in raw:
            if kind == "issue":
                target = issue_of.get(key)
                if target is None:
                    continue
            else:
                target = key
            observations.append(Observation(actor, target, kind, sentence, probs))
            affiliation = actor_by_name[actor].affiliation if actor in actor_by_name else None
            if affiliation is not None and affiliation.name != target:
                observations.append(Observation(affiliation.name, target, kind, sentence, probs, via=actor))
        config = self.aggregation
        if prep.user_targets and not config.include_neutral:
            config = AggregationConfig(config.threshold, config.max_evidence, include_neutral=False)
        aggregated = aggregate_positions(observations, config)
        positions = tuple(p for p in aggregated if p.target_kind == "issue")
        relations = tuple(p for p in aggregated if p.target_kind == "actor")
        used = {p.target for p in positions}
        issues = tuple(issues_found) if prep.user_targets else tuple(i for i in issues_found if i.name in used)
        actor_results = []
        bias = self.article_sentiment_bias()
        aggregator = self.article_sentiment_aggregator()
        for a in prep.actors:
            mp = mention_probs.get(a.name, [])
            sentiment = (
                aggregate_sentiment(
                    [m for m, _ in mp],
                    np.array([p for _, p in mp]),
                    bias=bias,
                    aggregator=aggregator,
                    text_length=len(prep.text),
                )
                if mp
                else None
            )
            actor_results.append(ActorResult(a, sentiment))
        return ArticleResult(
            actors=tuple(actor_results),
            positions=positions,
            relations=relations,
            issues=issues,
            warnings=tuple(prep.warnings),
            model=model_name,
            meta=meta,
        )

    @staticmethod
    def mention_sentiments(
        prep: Prepared, sent_probs: Sequence[np.ndarray]
    ) -> dict[str, list[tuple[Span, np.ndarray]]]:
        """Each actor's mentions with their sentiment probabilities, in reading order.

        ``sent_probs`` is the model's sentiment output for ``prep.windows`` (one array per
        window, rows ordered like that window's sentiment queries). Pure: this is what
        :meth:`finish` aggregates, exposed for fitting article-level rules.
        """
        out: dict[str, list[tuple[Span, np.ndarray]]] = {}
        for plan, sp in zip(prep.plans, sent_probs):
            for (_slot, actor, mention), probs in zip(plan.sentiment, sp):
                out.setdefault(actor, []).append((mention, np.asarray(probs, dtype=np.float64)))
        return out

    def _issues(self, prep: Prepared, raw: Iterable[tuple[Any, ...]]) -> tuple[dict[str, str], list[Issue]]:
        """Map every target key ("cand:…", "user:…") to an issue name; also return the issues."""
        threshold = self.aggregation.threshold
        polar_weight: dict[str, float] = {}
        for _actor, key, kind, _sent, probs in raw:
            if kind == "issue" and key.startswith("cand:"):
                w = max(probs[0], probs[1])
                if w >= threshold:
                    polar_weight[key[5:]] = polar_weight.get(key[5:], 0.0) + w
        mapping: dict[str, str] = {}
        if prep.user_targets:
            user = [Issue(t, (t,), True) for t in prep.user_targets]
            for t in prep.user_targets:
                mapping["user:" + t] = t
            for phrase in polar_weight:
                idx, sim = self.grouper.assign(phrase, user)
                if idx >= 0 and sim >= self.target_threshold:
                    mapping["cand:" + phrase] = user[idx].name
            return mapping, user
        phrases = list(polar_weight)
        context = [p for p in prep.candidates if p not in polar_weight]
        issues = self.grouper.group(phrases, [polar_weight[p] for p in phrases], context) if phrases else []
        for issue in issues:
            for p in issue.phrases:
                mapping["cand:" + p] = issue.name
        return mapping, issues

    def meta(self) -> dict[str, Any]:
        """The provenance every result of this pipeline carries (``ArticleResult.meta``)."""
        from stance import __version__

        m = self._model
        cfg = getattr(m, "head_config", None)
        return {
            "model": self._model_name(),
            "weights_sha256": getattr(m, "weights_sha256", ""),
            "backend": getattr(m, "backend", ""),
            "precision": getattr(m, "precision", ""),
            "sentiment_windows": self.sentiment_windows or getattr(cfg, "sentiment_windows", ""),
            "cue_weight": self.cue_weight(),
            "stance_version": __version__,
        }

    def _model_name(self) -> str:
        m = self._model
        if m is None:
            return ""
        cfg = getattr(m, "head_config", None)
        if cfg is None:
            return type(m).__name__
        name = getattr(cfg, "model_name", "") or getattr(cfg, "base_model", "")
        return f"{name}@{getattr(cfg, 'version', '')}"

    # ------------------------------------------------------------------ public
    def scored(
        self,
        texts: Iterable[str],
        targets: Sequence[str] | None = None,
        *,
        batch_size: int = 8,
        show_progress_bar: bool = False,
    ) -> Iterator[tuple[Prepared, list[np.ndarray], list[np.ndarray]]]:
        """Yield ``(prepared, pair_probs, sent_probs)`` per article, before aggregation.

        Steps 1 and 2 of :meth:`classify_many` (model batches shared across ``batch_size``
        articles); :meth:`finish` turns each triple into an :class:`ArticleResult`, and
        :meth:`mention_sentiments` reads its per-mention sentiment.

        Raises:
            TypeError: A text is not a string.
            ValueError: ``batch_size`` < 1.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        texts = list(texts)
        for i, t in enumerate(texts):
            check_text(t, name=f"texts[{i}]")
        bar = None
        if show_progress_bar:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc="articles", unit="article")
        try:
            for start in range(0, len(texts), batch_size):
                preps = [self.prepare(t, targets) for t in texts[start : start + batch_size]]
                windows = [w for p in preps for w in p.windows]
                pair_probs, sent_probs = [], []
                if windows:
                    model = self.model
                    with lock_for(model):
                        pair_probs, sent_probs = model.score(
                            windows, batch_size=self.batch_size, sentiment_windows=self.sentiment_windows
                        )
                k = 0
                for p in preps:
                    n = len(p.windows)
                    yield p, list(pair_probs[k : k + n]), list(sent_probs[k : k + n])
                    k += n
                if bar is not None:
                    bar.update(len(preps))
        finally:
            if bar is not None:
                bar.close()

    def classify_many(
        self,
        texts: Iterable[str],
        targets: Sequence[str] | None = None,
        *,
        batch_size: int = 8,
        show_progress_bar: bool = False,
    ) -> list[ArticleResult]:
        """Classify many articles, sharing model batches across ``batch_size`` articles."""
        return [
            self.finish(prep, pair_probs, sent_probs)
            for prep, pair_probs, sent_probs in self.scored(
                texts, targets, batch_size=batch_size, show_progress_bar=show_progress_bar
            )
        ]

    def classify(self, text: str, targets: Sequence[str] | None = None) -> ArticleResult:
        """Who stands where in one article."""
        return self.classify_many([text], targets, batch_size=1)[0]


#: Pipelines of :func:`get_pipeline`, by model name or path (``"None"``: the default model).
PIPELINE_CACHE: dict[str, Pipeline] = {}
_CACHE_LOCK = threading.Lock()


def get_pipeline(
    model: str | Path | Any = None, *, cue_weight: float | None = None, sentiment_windows: str | None = None
) -> Any:
    """The (cached) :class:`~stance.pipeline.Pipeline` for ``model`` (a path, a loaded model, or None).

    ``cue_weight`` and ``sentiment_windows`` override the model's settings (see
    :class:`~stance.pipeline.Pipeline`); such pipelines are built fresh (the model is cached).
    """
    overrides = {
        k: v for k, v in (("cue_weight", cue_weight), ("sentiment_windows", sentiment_windows)) if v is not None
    }
    if overrides:
        if model is None or isinstance(model, (str, Path)):
            from stance.models import load_model

            model = load_model(model)
        return Pipeline(model=model, **overrides)
    if model is not None and not isinstance(model, (str, Path)):
        return Pipeline(model=model)
    key = str(model)
    with _CACHE_LOCK:
        if key not in PIPELINE_CACHE:
            from stance.models import load_model

            PIPELINE_CACHE[key] = Pipeline(model=load_model(model))
        return PIPELINE_CACHE[key]
