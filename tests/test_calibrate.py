"""Article-level sentiment: bias fitting, aggregation with a bias, actor matching."""

from __future__ import annotations

import numpy as np
import pytest

from stance.aggregate import aggregate_sentiment, shift_probabilities
from stance.evaluation.article import match_actor, normalise_name
from stance.results import Actor, Span

pytest.importorskip("sklearn")


def test_bias_fit_recovers_a_prior_shift():
    from stance.training.calibrate import fit_sentiment_bias

    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, size=300)
    logits = np.eye(3)[gold] * 1.5 + rng.normal(0, 0.7, size=(300, 3))
    logits[:, 0] += 1.0  # a model that over-predicts "negative"
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    fit = fit_sentiment_bias(probs, gold)
    assert fit["macro_f1_after"] > fit["macro_f1_before"] + 0.05
    assert fit["bias"][0] < 0 and fit["bias"][1] == 0.0
    with pytest.raises(ValueError, match=r"\[n, 3\]"):
        fit_sentiment_bias(probs[:, :2], gold)


def test_bias_changes_the_article_label_not_the_evidence_count():
    mentions = [Span(0, 4, "Iran"), Span(9, 13, "Iran")]
    probs = np.array([[0.5, 0.4, 0.1], [0.4, 0.45, 0.15]])
    plain = aggregate_sentiment(mentions, probs)
    shifted = aggregate_sentiment(mentions, probs, bias=[-1.0, 0.0, 0.0])
    assert plain.label == "negative" and shifted.label == "neutral"
    assert abs(sum(shifted.probabilities.values()) - 1.0) < 1e-9
    with pytest.raises(ValueError, match="one per label"):
        shift_probabilities([0.2, 0.8], [0.0, 0.0, 0.0])


def test_match_actor_routes():
    iran = Actor(
        "Iran", "country", mentions=(Span(0, 4, "Iran"), Span(30, 36, "Tehran")), aliases=("Islamic Republic",)
    )
    aquino = Actor("Benigno Aquino III", "person", mentions=(Span(50, 68, "Benigno Aquino III"),))
    assert match_actor([iran, aquino], "Tehran", 30, 36) == (iran, "overlap")
    assert match_actor([iran, aquino], "the Islamic Republic", -1, -1)[1] == "name"
    assert match_actor([iran, aquino], "President Aquino III", 90, 110)[0] is aquino
    assert match_actor([iran], "Hamas", 80, 85) == (None, "none")
    assert normalise_name("Iran's") == "iran"


def test_pipeline_uses_the_model_bias(tiny_model):
    from stance.pipeline import Pipeline

    text = "Iran warned Israel. Iran met Qatar in Doha."
    flat = Pipeline(model=tiny_model, sentiment_bias=(0.0, 0.0, 0.0)).classify(text)
    pushed = Pipeline(model=tiny_model, sentiment_bias=(0.0, 50.0, 0.0)).classify(text)
    assert flat.actors and all(a.sentiment.label == "neutral" for a in pushed.actors if a.sentiment)
    with pytest.raises(ValueError, match="3 values"):
        Pipeline(model=tiny_model, sentiment_bias=(0.0, 1.0))


def test_entity_sentiment_task_goes_through_the_article_pipeline(tiny_model, tmp_path):
    from stance.evaluation.runner import evaluate_task
    from tests.test_data_seesaw import write_seesaw

    root = write_seesaw(tmp_path / "seesaw")
    result = evaluate_task("seesaw-entity-sentiment", root, model=tiny_model)
    routes = result["protocol"]["routes"]
    assert result["protocol"]["protocol"] == "article"
    assert sum(routes.values()) == result["n"] == 3  # Obama, Congress, Republican Party
    assert routes.get("overlap", 0) + routes.get("name", 0) >= 2
    assert 0.0 <= result["metrics"]["macro_f1"] <= 1.0
    baseline = evaluate_task("seesaw-entity-sentiment", root, model="vader")
    assert baseline["protocol"] is None


def test_calibrate_model_writes_bias(tiny_model, tmp_path):
    import json

    from stance.training.calibrate import calibrate_model
    from tests.test_data_seesaw import write_seesaw

    root = write_seesaw(tmp_path / "seesaw")
    model_dir = tiny_model.save_pretrained(tmp_path / "m")
    record = calibrate_model(model_dir, root, write=True, show_progress_bar=False)
    cfg = json.loads((tmp_path / "m" / "config.json").read_text())
    assert cfg["stance"]["article_sentiment_bias"] == record["bias"]
    assert record["n"] == 6 and record["split"] == "train"  # 2 train articles x 3 entities
    from stance.models import load_model

    assert load_model(tmp_path / "m", cache=False).head_config.article_sentiment_bias == record["bias"]
