"""Offsets and long texts: chunked processing, a 1 MB article, generated texts (hypothesis)."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.actors import ActorExtractor
from stance.results import ACTOR_KINDS
from stance.text import chunk_text

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "us_iran_talks_oman.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def extractor() -> ActorExtractor:
    ex = ActorExtractor()
    _ = ex.nlp
    return ex


PARA = (
    "Qatar warned Israel on Monday. Prime Minister Benjamin Netanyahu said Iran had lied. "
    "Hamas and Hezbollah stayed silent, and the U.S. sent an envoy.\n\n"
)


def test_chunked_equals_per_chunk_shifted(extractor: ActorExtractor) -> None:
    text = PARA * 12
    small = ActorExtractor(extractor.nlp, max_chars=300)
    chunks = chunk_text(text, max_chars=300)
    assert len(chunks) > 5
    whole = small.analyse(text)
    got = {(a.name, a.kind, m.start, m.end, m.text) for a in whole.actors for m in a.mentions}
    want = set()
    want_sents = []
    for c in chunks:
        part = extractor.analyse(c.text)
        want |= {(a.name, a.kind, m.start + c.start, m.end + c.start, m.text) for a in part.actors for m in a.mentions}
        want_sents += [s.shifted(c.start) for s in part.sentences]
    assert got == want
    assert list(whole.sentences) == want_sents
    for _, _, s, e, t in got:
        assert text[s:e] == t
    # one actor per name across chunks
    names = [a.name for a in whole.actors]
    assert len(names) == len(set(names))
    assert len(next(a for a in whole.actors if a.name == "Qatar").mentions) == 12


def test_one_megabyte_article_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 1 MB article in bounded memory: chunks are parsed one after another."""
    import spacy

    nlp = spacy.blank("en")  # fast: mentions come from the knowledge base
    nlp.add_pipe("sentencizer")
    seen: list[int] = []
    real_pipe = nlp.pipe

    def pipe(docs, **kw):  # type: ignore[no-untyped-def]
        for d in real_pipe(docs, **kw):
            seen.append(len(d.text))
            yield d

    monkeypatch.setattr(nlp, "pipe", pipe)
    copies = 1_000_000 // len(SEED) + 1
    text = (SEED + "\n\n") * copies
    assert len(text) >= 1_000_000
    ex = ActorExtractor(nlp, max_chars=20_000)
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit
    result = ex.analyse(text)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit - before
    assert len(seen) >= 50 and max(seen) <= 20_000
    assert grown < 500 * 2**20, f"peak memory grew by {grown / 2**20:.0f} MiB"
    iran = result.get("Iran")
    assert iran is not None and len(iran.mentions) >= copies * 10
    assert iran.mentions[-1].start > 990_000
    for a in result.actors:
        for m in a.mentions[:: max(1, len(a.mentions) // 50)]:
            assert text[m.start : m.end] == m.text


NAMES = [
    "Iran",
    "the United States",
    "U.S.",
    "US",
    "America",
    "Donald Trump",
    "Trump",
    "President Trump",
    "Mr. Trump",
    "Tehran",
    "in Tehran",
    "Hezbollah",
    "Hamas",
    "Protesters",
    "Israeli officials",
    "Israel's Prime Minister",
    "Benjamin Netanyahu",
    "Araghchi",
    "Abbas Araghchi",
    "the White House",
    "Washington",
    "Qatar",
    "Saudi Arabia",
    "Palestinians",
    "Democrats",
    "NATO",
    "Ayatollah Ali Khamenei",
    "the Kremlin",
    "Mr. Smith",
    "U.S.-Oman",
]
FILLER = [
    "said",
    "warned",
    "met",
    "and",
    "the talks",
    "officials",
    ",",
    ".",
    "’s",
    "'s",
    "—",
    "(",
    ")",
    "on Monday",
    "urged",
    "accused",
    "of",
    "with",
    "“",
    "”",
    "2024",
    "special envoy",
    "foreign minister",
    "é",
    "\u00a0",
]
SEPARATORS = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n", "\t", ""])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(NAMES + FILLER), SEPARATORS), min_size=1, max_size=30))
def test_every_span_slices_input(extractor: ActorExtractor, parts: list[tuple[str, str]]) -> None:
    text = "".join(p + sep for p, sep in parts)
    actors = extractor.extract(text)
    seen: set[tuple[int, int]] = set()
    firsts = []
    for a in actors:
        assert a.kind in ACTOR_KINDS and a.kind != "author"
        assert a.name and a.mentions
        firsts.append(a.mentions[0].start)
        assert list(a.mentions) == sorted(a.mentions)
        for m in a.mentions:
            assert text[m.start : m.end] == m.text
            assert (m.start, m.end) not in seen  # a span belongs to one actor
            seen.add((m.start, m.end))
    assert firsts == sorted(firsts)


def test_any_pipeline_even_blank() -> None:
    """Without NER or parser, the knowledge base still finds actors; sentences come from stance.text."""
    import spacy

    ex = ActorExtractor(spacy.blank("en"))
    result = ex.analyse(SEED)
    names = [a.name for a in result.actors]
    assert names[:3] == ["Iran", "United States", "Oman"]
    assert result.get("Benjamin Netanyahu").affiliation.name == "Israel"
    assert len(result.sentences) > 20
    for s in result.sentences:
        assert SEED[s.start : s.end] == s.text


def test_detect_mentions_without_sentences() -> None:
    import spacy

    from stance.actors.kb import KnowledgeBase
    from stance.actors.ner import detect_mentions

    doc = spacy.blank("en")("Qatar warned Israel.")
    found = detect_mentions(doc, KnowledgeBase.default())
    assert [m.span.text for m in found.mentions] == ["Qatar", "Israel"]
    assert [s.text for s in found.sentences] == ["Qatar warned Israel."]
