"""Article-level sentiment aggregator: features, the fitted rule, its fit, and the pipeline's use of it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stance.aggregate import AGGREGATOR_FEATURES, SentimentAggregator, aggregate_sentiment, mention_features
from stance.results import Span

pytest.importorskip("sklearn")


def _push(label: int, weight: float = 50.0) -> SentimentAggregator:
    """An aggregator that always answers ``label``."""
    intercept = [0.0, 0.0, 0.0]
    intercept[label] = weight
    return SentimentAggregator(coef=np.zeros((3, len(AGGREGATOR_FEATURES))).tolist(), intercept=intercept)


def test_mention_features_values_and_errors():
    x = mention_features([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]], starts=[50, 80], text_length=100)
    assert x.shape == (len(AGGREGATOR_FEATURES),)
    named = dict(zip(AGGREGATOR_FEATURES, x))
    assert named["mean_negative"] == pytest.approx(0.4) and named["max_positive"] == pytest.approx(0.6)
    assert named["share_negative"] == 0.5 and named["share_neutral"] == 0.0 and named["share_positive"] == 0.5
    assert named["first_negative"] == pytest.approx(0.6)
    assert named["log_mentions"] == pytest.approx(np.log(3)) and named["first_position"] == pytest.approx(0.5)
    assert mention_features([[0.1, 0.8, 0.1]])[-1] == 0.0  # no offsets: position unknown
    with pytest.raises(ValueError, match=r"\[n, 3\]"):
        mention_features([[0.5, 0.5]])
    with pytest.raises(ValueError, match=r"\[n, 3\]"):
        mention_features(np.zeros((0, 3)))
    with pytest.raises(ValueError, match="one offset per mention"):
        mention_features([[0.1, 0.8, 0.1]], starts=[1, 2], text_length=10)


def test_aggregator_round_trip_and_validation():
    rng = np.random.default_rng(1)
    agg = SentimentAggregator(coef=rng.normal(size=(3, len(AGGREGATOR_FEATURES))).tolist(), intercept=[0.1, -0.2, 0.3])
    back = SentimentAggregator.from_dict(json.loads(json.dumps(agg.to_dict())))
    assert back == agg
    probs = rng.dirichlet([1, 1, 1], size=4)
    p = agg.predict_proba(probs, [0, 5, 9, 20], 40)
    assert p.shape == (3,) and p.sum() == pytest.approx(1.0) and (p > 0).all()
    np.testing.assert_allclose(back.predict_proba(probs, [0, 5, 9, 20], 40), p)
    with pytest.raises(ValueError, match="refit it"):
        SentimentAggregator(coef=agg.coef, intercept=agg.intercept, features=("mean_negative",))
    with pytest.raises(ValueError, match="3 rows"):
        SentimentAggregator(coef=agg.coef[:2], intercept=agg.intercept)
    with pytest.raises(ValueError, match="finite"):
        SentimentAggregator(coef=[[float("nan")] * len(AGGREGATOR_FEATURES)] * 3, intercept=[0, 0, 0])
    with pytest.raises(ValueError, match="missing"):
        SentimentAggregator.from_dict({"coef": agg.coef})


def test_aggregate_sentiment_uses_the_aggregator_and_keeps_evidence():
    mentions = [Span(0, 4, "Iran"), Span(9, 13, "Iran"), Span(20, 24, "Iran")]
    probs = np.array([[0.7, 0.2, 0.1], [0.6, 0.3, 0.1], [0.1, 0.2, 0.7]])
    assert aggregate_sentiment(mentions, probs).label == "negative"
    pushed = aggregate_sentiment(mentions, probs, aggregator=_push(2), bias=[5.0, 0.0, 0.0], text_length=30)
    assert pushed.label == "positive" and pushed.score > 0.99
    assert len(pushed.evidence) == 3
    one = aggregate_sentiment(mentions, probs, max_evidence=1, aggregator=_push(2), text_length=30)
    assert one.evidence == (Span(20, 24, "Iran"),)  # the mention most positive on its own
    assert SentimentAggregator.mean_rule().predict_proba(probs).argmax() == probs.mean(0).argmax()


def test_fit_recovers_a_rule_the_mean_misses():
    from stance.training.calibrate import fit_sentiment_aggregator

    rng = np.random.default_rng(0)
    examples, gold, groups = [], [], []
    for i in range(240):
        n = int(rng.integers(1, 6))
        probs = rng.dirichlet([1, 1, 1], size=n)
        examples.append({"probs": probs, "starts": sorted(rng.integers(0, 500, size=n).tolist()), "text_length": 500})
        # the portrayal follows the strongest mention, not the mean
        gold.append(int(np.unravel_index(probs.argmax(), probs.shape)[1]))
        groups.append(f"doc{i // 4}")
    record = fit_sentiment_aggregator(examples, gold, groups, n_splits=4)
    agg = SentimentAggregator.from_dict(record["aggregator"])
    pred = [int(agg.predict_proba(e["probs"], e["starts"], 500).argmax()) for e in examples]
    mean_pred = [int(e["probs"].mean(0).argmax()) for e in examples]
    acc = np.mean(np.array(pred) == gold)
    assert acc > np.mean(np.array(mean_pred) == gold) and acc > 0.8
    assert record["n"] == 240 and len(record["cv"]) == 5 and record["C"] in {r["C"] for r in record["cv"]}
    assert len(record["bias"]) == 3 and record["bias"][1] == 0.0 and sum(record["cv_predicted_counts"]) == 240
    assert record["cv_macro_f1"] == max(r["cv_macro_f1"] for r in record["cv"])
    with pytest.raises(ValueError, match="one entry per entity"):
        fit_sentiment_aggregator(examples, gold[:-1], groups)
    with pytest.raises(ValueError, match="every label"):
        fit_sentiment_aggregator(examples[:3], [1, 1, 1], ["a", "b", "c"])
    with pytest.raises(ValueError, match="at least 2 articles"):
        fit_sentiment_aggregator(examples[:3], [0, 1, 2], ["a", "a", "a"])


def test_pipeline_rule_precedence(tiny_model):
    from stance.pipeline import Pipeline

    text = "Iran warned Israel. Iran met Qatar in Doha."
    model_cfg = tiny_model.head_config
    saved = dict(model_cfg.article_sentiment_aggregator)
    try:
        model_cfg.article_sentiment_aggregator = _push(0).to_dict()
        from_model = Pipeline(model=tiny_model).classify(text)
        assert from_model.actors and all(a.sentiment.label == "negative" for a in from_model.actors if a.sentiment)
        override = Pipeline(model=tiny_model, sentiment_aggregator=_push(2)).classify(text)
        assert all(a.sentiment.label == "positive" for a in override.actors if a.sentiment)
        mean = Pipeline(model=tiny_model, sentiment_aggregator="mean").article_sentiment_aggregator()
        biased = Pipeline(model=tiny_model, sentiment_bias=(0.0, 0.0, 0.0)).article_sentiment_aggregator()
        assert mean is None and biased is None
    finally:
        model_cfg.article_sentiment_aggregator = saved
    assert Pipeline(model=tiny_model).article_sentiment_aggregator() is None  # no fitted rule: the mean
    with pytest.raises(TypeError, match="SentimentAggregator, 'mean' or None"):
        Pipeline(model=tiny_model, sentiment_aggregator="median")


def test_predictor_mention_sentiments_match_classify(tiny_model, tmp_path):
    from stance.data import load_dataset_dir
    from stance.evaluation.article import ArticleSentimentPredictor
    from tests.test_data_seesaw import write_seesaw

    records = load_dataset_dir("seesaw_entity_sentiment", write_seesaw(tmp_path / "seesaw"))["train"].to_list()
    predictor = ArticleSentimentPredictor(tiny_model, sentiment_bias=(0.0, 0.0, 0.0))
    mentions = predictor.mention_sentiments(records)
    probs = predictor.predict_sentiment(records)
    matched = [i for i, m in enumerate(mentions) if m is not None]
    assert matched and len(mentions) == len(records)
    for i in matched:
        m = mentions[i]
        assert m["probs"].shape == (len(m["starts"]), 3) and m["text_length"] == len(records[i]["text"])
        np.testing.assert_allclose(probs[i], m["probs"].mean(0), atol=1e-9)  # bias 0: the plain mean


def test_calibrate_model_writes_an_aggregator(tiny_model, tmp_path, monkeypatch):
    from stance.models import load_model
    from stance.pipeline import Pipeline
    from stance.training import calibrate
    from tests.test_data_seesaw import write_seesaw

    root = write_seesaw(tmp_path / "seesaw")
    model_dir = tiny_model.save_pretrained(tmp_path / "m")
    with pytest.raises(ValueError, match="pass aggregator=True"):
        calibrate.calibrate_model(model_dir, root, persent_dir=tmp_path)
    seen = {}
    real_fit = calibrate.fit_sentiment_aggregator

    def fit(examples, gold, groups, sources):
        seen.update(n=len(examples), groups=set(groups), sources=set(sources))
        # the tiny corpus lacks a label; give the fit one example of each so it can run for real
        extra = [{"probs": np.eye(3)[k][None] * 0.8 + 0.2 / 3, "starts": [0], "text_length": 10} for k in range(3)]
        return real_fit(
            list(examples) + extra,
            list(gold) + [0, 1, 2],
            list(groups) + ["x", "y", "z"],
            list(sources) + ["extra"] * 3,
        )

    monkeypatch.setattr(calibrate, "fit_sentiment_aggregator", fit)
    record = calibrate.calibrate_model(model_dir, root, write=True, show_progress_bar=False, aggregator=True)
    assert seen["n"] >= 4 and seen["sources"] == {"seesaw entity sentiment"}
    assert all(g.startswith("seesaw entity sentiment:TRIPLET_000") for g in seen["groups"])
    cfg = json.loads((tmp_path / "m" / "config.json").read_text())["stance"]
    assert cfg["article_sentiment_aggregator"] == record["aggregator"]
    assert cfg["article_sentiment_aggregator_fit"]["C"] == record["C"]
    reloaded = load_model(tmp_path / "m", cache=False)
    assert Pipeline(model=reloaded).article_sentiment_aggregator() == SentimentAggregator.from_dict(
        record["aggregator"]
    )


def test_calibrations_reset_when_weights_change():
    from stance.models.modeling import CALIBRATION_FIELDS, StanceHeadConfig

    cfg = StanceHeadConfig(
        article_sentiment_bias=[0.5, 0.0, -0.2],
        cue_weight=1.0,
        article_sentiment_aggregator=_push(1).to_dict(),
        article_sentiment_aggregator_fit={"C": 1.0},
    )
    assert set(cfg.reset_calibrations()) == {
        "article_sentiment_bias",
        "cue_weight",
        "article_sentiment_aggregator",
        "article_sentiment_aggregator_fit",
    }
    defaults = StanceHeadConfig()
    assert all(getattr(cfg, n) == getattr(defaults, n) for n in CALIBRATION_FIELDS)
    assert cfg.reset_calibrations() == []
