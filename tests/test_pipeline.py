"""classify(): API contract, offsets, bad input — with a tiny random model (no downloads)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stance.results import ArticleResult
from tests.conftest import SEED_ARTICLE


@pytest.fixture(scope="module")
def pipe(tiny_model):
    from stance.pipeline import Pipeline

    return Pipeline(model=tiny_model)


def _all_spans(result: ArticleResult):
    for a in result.actors:
        yield from a.actor.mentions
        if a.sentiment:
            yield from a.sentiment.evidence
    for p in (*result.positions, *result.relations):
        for e in (*p.evidence, *p.conflicting):
            yield e.sentence


def test_seed_article_structure(pipe):
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    result = pipe.classify(text)
    names = {a.name for a in result.actors}
    assert {"Iran", "United States", "Israel", "Qatar"} <= names
    for span in _all_spans(result):
        assert text[span.start : span.end] == span.text
    json.dumps(result.to_dict())  # JSON-safe
    df = result.to_pandas()
    assert list(df.columns)[:4] == ["actor", "target", "target_kind", "stance"]
    assert len(df) == len(result.positions) + len(result.relations)
    assert "actors" in str(result)
    # every actor gets a sentiment from the sentiment head
    assert all(a.sentiment is not None for a in result.actors if a.actor.mentions)


def test_user_targets_are_reported_as_issues(pipe):
    text = "Qatar warned against military escalation. Israel urges immediate action."
    result = pipe.classify(text, targets=["military action against Iran"])
    assert [i.name for i in result.issues] == ["military action against Iran"]
    assert all(p.target == "military action against Iran" for p in result.positions)


def test_person_positions_roll_up_to_their_state(pipe, tiny_model):
    from stance.aggregate import AggregationConfig
    from stance.pipeline import Pipeline

    text = "Israel's Prime Minister Benjamin Netanyahu urges immediate action against Iran."
    p = Pipeline(model=tiny_model, aggregation=AggregationConfig(threshold=0.0, include_neutral=True))
    result = p.classify(text)
    vias = {(pos.actor, pos.via) for pos in (*result.positions, *result.relations)}
    assert ("Israel", "Benjamin Netanyahu") in vias
    assert any(actor == "Benjamin Netanyahu" and via is None for actor, via in vias)


@pytest.mark.parametrize("bad", [None, b"Iran said", 42, 3.5, ["text"]])
def test_bad_input_types(bad):
    import stance

    with pytest.raises(TypeError, match="must be str"):
        stance.classify(bad)


def test_bytes_error_says_how_to_fix(pipe):
    import stance

    with pytest.raises(TypeError, match="decode"):
        stance.classify(b"Iran said")


def test_targets_must_be_a_list_of_strings():
    import stance

    with pytest.raises(TypeError, match="list of strings"):
        stance.classify("Iran said.", targets="military action")


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_gives_empty_result(pipe, text):
    result = pipe.classify(text)
    assert result.actors == () and result.positions == () and result.relations == ()


def test_html_and_non_english_warn(pipe, caplog):
    html = "<div><p>Qatar warned against military escalation.</p><p>Israel urges action.</p></div>"
    result = pipe.classify(html)
    assert any("HTML" in w for w in result.warnings)
    german = (
        "Die Regierung in Berlin hat heute erklärt, dass sie die Verhandlungen mit Frankreich und Polen "
        "fortsetzen will, obwohl es Streit gibt."
    )
    result = pipe.classify(german)
    assert any("English" in w for w in result.warnings)
    assert any("English" in r.message for r in caplog.records)


def test_classify_many_equals_classify(pipe):
    texts = ["Qatar warned against military escalation.", "Israel urges immediate action against Iran.", ""]
    many = pipe.classify_many(texts, batch_size=2)
    single = [pipe.classify(t) for t in texts]
    assert [m.to_dict() for m in many] == [s.to_dict() for s in single]


def test_long_text_is_processed_in_chunks(pipe):
    para = SEED_ARTICLE.read_text(encoding="utf-8")
    text = "\n\n".join([para] * 12)  # ~70 KB, several spaCy chunks
    result = pipe.classify(text)
    for span in _all_spans(result):
        assert text[span.start : span.end] == span.text
    iran = result.actor("Iran")
    assert iran.actor.mentions[-1].start > len(text) - len(para)


NAMES = ["Qatar", "Turkey", "Israel", "Iran", "France", "Donald Trump", "Netanyahu", "the United States"]
VERBS = ["warned against", "urges", "supports", "opposes", "criticised", "praised"]
OBJECTS = ["military escalation", "the carbon levy", "sanctions", "the talks", "immediate action"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMES),
            st.sampled_from(VERBS),
            st.sampled_from(OBJECTS + NAMES),
            st.sampled_from([" ", "  ", "\n", "\n\n"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_offsets_always_slice_the_input(pipe, sentences):
    text = "".join(f"{s} {v} {o}.{sep}" for s, v, o, sep in sentences)
    result = pipe.classify(text)
    for span in _all_spans(result):
        assert text[span.start : span.end] == span.text


def test_spacy_component_sets_doc_extension(tiny_model, tmp_path):
    import spacy

    import stance.spacy_component as comp

    path = tiny_model.save_pretrained(tmp_path / "tiny", dtype=__import__("torch").float32)
    comp.install_extension()
    comp.install_extension()  # idempotent
    nlp = spacy.blank("en")
    nlp.add_pipe("stance", config={"model": str(path)})
    doc = nlp("Qatar warned against military escalation.")
    assert isinstance(doc._.stances, ArticleResult)
    assert [d._.stances is not None for d in nlp.pipe(["Iran replied.", "Israel urges action."])] == [True, True]


def test_syntactic_cues_read_explicit_constructions():
    from stance.actors.extractor import load_pipeline
    from stance.pipeline import syntactic_cues

    nlp = load_pipeline()
    text = "Qatar warned against military escalation. Israel did not oppose the deal."
    cues = syntactic_cues(nlp(text), offset=100)
    # one cue: negated clauses are skipped; offsets shifted by the chunk offset
    assert [(text[s - 100 : e - 100], text[ts - 100 : te - 100], st) for s, e, ts, te, st in cues] == [
        ("Qatar", "military escalation", 1)
    ]


def test_apply_cue_shifts_log_odds():
    from stance.pipeline import apply_cue

    p = apply_cue([0.2, 0.6, 0.2], 0, float(np.log(3.0)))
    np.testing.assert_allclose(p, [3 / 7, 3 / 7, 1 / 7], rtol=1e-6)  # favor x3 (0.6, 0.6, 0.2), renormalised
    np.testing.assert_allclose(apply_cue([0.2, 0.6, 0.2], 1, 0.0), [0.2, 0.6, 0.2], rtol=1e-6)


def test_cue_weight_overrides_the_model(tiny_model):
    from stance.pipeline import Pipeline

    text = "Qatar warned against military escalation."
    off = Pipeline(model=tiny_model, cue_weight=0.0)
    on = Pipeline(model=tiny_model, cue_weight=30.0)  # the cue dominates the random model
    assert off.cue_weight() == 0.0 and on.cue_weight() == 30.0
    assert Pipeline(model=tiny_model).cue_weight() == tiny_model.head_config.cue_weight == 0.0
    got = {(p.actor, p.target): p.stance for p in on.classify(text).positions}
    assert got.get(("Qatar", "military escalation")) == "against", got
    for bad in (-1.0, 99.0, "2"):
        with pytest.raises(ValueError, match="cue_weight"):
            Pipeline(model=tiny_model, cue_weight=bad)


def test_focused_sentiment_windows_in_the_pipeline(tiny_model):
    from stance.api import classify
    from stance.pipeline import Pipeline

    text = "Qatar praised Turkey at the summit. Iran stayed home."
    shared = Pipeline(model=tiny_model, sentiment_windows="shared").classify(text)
    focused = Pipeline(model=tiny_model, sentiment_windows="focused").classify(text)
    s = {a.name: a.sentiment.probabilities for a in shared.actors if a.sentiment}
    f = {a.name: a.sentiment.probabilities for a in focused.actors if a.sentiment}
    assert set(s) == set(f) >= {"Qatar", "Turkey", "Iran"}
    # two actors marked in one sentence: each gets its own pass, so its reading changes
    assert max(abs(s[a][k] - f[a][k]) for a in ("Qatar", "Turkey") for k in s[a]) > 1e-3
    # Iran is alone in its sentence: one pass either way, same reading
    assert all(abs(s["Iran"][k] - f["Iran"][k]) < 1e-6 for k in s["Iran"])
    # stances come from the shared pass either way
    assert [(p.actor, p.target, p.stance) for p in shared.positions] == [
        (p.actor, p.target, p.stance) for p in focused.positions
    ]
    assert Pipeline(model=tiny_model).sentiment_windows is None  # follows the model
    with pytest.raises(ValueError, match="sentiment_windows"):
        classify(text, model=tiny_model, sentiment_windows="per-mention")


def test_the_maker_of_an_issue_gets_its_own_side():
    from stance.actors.extractor import load_pipeline
    from stance.pipeline import apply_cue, syntactic_cues

    text = "The rebels rejected a truce plan put forward by Kenya."
    cues = {(text[s:e], text[ts:te], st) for s, e, ts, te, st in syntactic_cues(load_pipeline()(text))}
    assert ("Kenya", "truce plan", 3) in cues  # 3: made by Kenya, favor
    # the sentence reads as a rejection: its polar probability is Kenya's side of the plan
    p = apply_cue([0.01, 0.51, 0.48], 3, 4.0)
    assert p.argmax() == 0 and p[0] > 0.95
    np.testing.assert_allclose(apply_cue([0.3, 0.5, 0.2], 4, 0.0), [0.0, 0.8, 0.2], atol=1e-9)
