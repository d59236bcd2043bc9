"""Calibration metrics, temperature fitting, and the model applying its head temperatures."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from stance.evaluation.calibration import (
    apply_temperature,
    brier_score,
    calibration_report,
    expected_calibration_error,
    fit_temperature,
    negative_log_likelihood,
)


def test_metrics_on_hand_computed_cases():
    probs = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7]])
    labels = [0, 1, 1]
    # bins of width 1/10: 0.9 (right), 0.6 (wrong), 0.7 (right) each alone
    assert expected_calibration_error(probs, labels, n_bins=10) == pytest.approx((0.1 + 0.6 + 0.3) / 3)
    assert negative_log_likelihood(probs, labels) == pytest.approx(-np.mean(np.log([0.9, 0.4, 0.7])))
    assert brier_score(probs, labels) == pytest.approx(np.mean([0.02, 0.72, 0.18]))
    report = calibration_report(probs, labels, n_bins=10)
    assert report["n"] == 3 and report["accuracy"] == pytest.approx(2 / 3)
    assert report["confidence"] == pytest.approx((0.9 + 0.6 + 0.7) / 3)
    # a confidence of exactly 1 falls in the top bin, not off the end
    assert expected_calibration_error([[1.0, 0.0]], [0], n_bins=5) == 0.0


def test_temperature_keeps_the_argmax_and_softens():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(50, 3)) * 3
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    assert np.allclose(apply_temperature(probs, 1.0), probs)
    soft = apply_temperature(probs, 2.5)
    assert (soft.argmax(1) == probs.argmax(1)).all()
    assert (soft.max(1) <= probs.max(1) + 1e-12).all()
    expected = np.exp(logits / 2.5) / np.exp(logits / 2.5).sum(1, keepdims=True)
    assert np.allclose(soft, expected)


def test_fit_recovers_a_known_temperature():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(6000, 3)) * 4
    true = np.exp(logits / 2.0) / np.exp(logits / 2.0).sum(1, keepdims=True)
    labels = np.array([rng.choice(3, p=p) for p in true])
    over = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)  # the model's over-confident view
    t = fit_temperature(over, labels)
    assert 1.8 < t < 2.2
    assert expected_calibration_error(apply_temperature(over, t), labels) < expected_calibration_error(over, labels)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: calibration_report([[2.0, -1.0]], [0]), "pass softmax outputs, not logits"),
        (lambda: calibration_report([[0.5, 0.5]], [2]), r"labels must lie in 0\.\.1"),
        (lambda: calibration_report([[0.5, 0.5]], [0, 1]), "labels must be 1 integer class indices"),
        (lambda: calibration_report(np.zeros((0, 3)), []), "non-empty"),
        (lambda: apply_temperature([[0.5, 0.5]], 0), "temperature must be a number > 0"),
        (lambda: expected_calibration_error([[0.5, 0.5]], [0], n_bins=0), "n_bins must be an int >= 1"),
        (lambda: fit_temperature([[0.5, 0.5]], [0], bounds=(2.0, 1.0)), "0 < low < high"),
    ],
)
def test_bad_inputs_say_what_to_pass(call, match):
    with pytest.raises(ValueError, match=match):
        call()


PAIRS = [
    {
        "text": "Qatar warned Iran about the strike.",
        "source": "Qatar",
        "source_start": 0,
        "source_end": 5,
        "target": "Iran",
        "target_start": 13,
        "target_end": 17,
        "label": 1,
    }
]
TARGETS = [
    {"text": "Qatar warned Iran about the strike.", "target": t, "target_start": s, "target_end": e, "label": 1}
    for t, s, e in (("Qatar", 0, 5), ("Iran", 13, 17))
]


def test_model_applies_its_temperatures(tiny_model):
    cfg = tiny_model.head_config
    try:
        raw_pairs = tiny_model.predict_pairs(PAIRS)
        raw_sent = tiny_model.predict_sentiment(TARGETS)
        cfg.pair_temperature, cfg.sentiment_temperature = 2.0, 0.5
        assert np.allclose(tiny_model.predict_pairs(PAIRS), apply_temperature(raw_pairs, 2.0), atol=1e-5)
        assert np.allclose(tiny_model.predict_sentiment(TARGETS), apply_temperature(raw_sent, 0.5), atol=1e-5)
        focused = tiny_model.predict_sentiment(TARGETS, sentiment_windows="focused")
        cfg.sentiment_temperature = 1.0
        raw_focused = tiny_model.predict_sentiment(TARGETS, sentiment_windows="focused")
        assert np.allclose(focused, apply_temperature(raw_focused, 0.5), atol=1e-5)
        cfg.pair_temperature = -1
        with pytest.raises(ValueError, match="stance.pair_temperature in config.json must be a number > 0"):
            tiny_model.predict_pairs(PAIRS)
    finally:
        cfg.pair_temperature = cfg.sentiment_temperature = 1.0


def test_temperatures_save_reload_and_reset(tiny_model, tmp_path: Path):
    from stance.models import load_model

    cfg = tiny_model.head_config
    try:
        cfg.pair_temperature, cfg.sentiment_temperature = 1.5, 2.5
        out = tiny_model.save_pretrained(tmp_path / "m")
        loaded = load_model(out, cache=False)
        assert (loaded.head_config.pair_temperature, loaded.head_config.sentiment_temperature) == (1.5, 2.5)
        assert np.allclose(loaded.predict_sentiment(TARGETS), tiny_model.predict_sentiment(TARGETS), atol=1e-3)
        assert {"pair_temperature", "sentiment_temperature"} <= set(loaded.head_config.reset_calibrations())
        assert loaded.head_config.pair_temperature == loaded.head_config.sentiment_temperature == 1.0
    finally:
        cfg.pair_temperature = cfg.sentiment_temperature = 1.0


def test_fit_model_temperatures_writes_config(tiny_model, tmp_path: Path):
    from stance.models import load_model
    from stance.training.temperature import fit_model_temperatures
    from tests.test_data_newsmtsc import write_newsmtsc
    from tests.test_data_park2021 import VALID, write_park

    root = tmp_path / "data"
    write_park(
        root / "directed-sentiment-park2021", valid=VALID * 3 + ["[Merkel] criticised [Orban].\tMerkel\tOrban\t3"]
    )
    write_newsmtsc(root / "newsmtsc")
    model_dir = tiny_model.save_pretrained(tmp_path / "m")
    cfg_path = Path(model_dir) / "config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["stance"]["pair_temperature"] = 9.0  # a stale value: the fit must start from raw probabilities
    cfg_path.write_text(json.dumps(cfg))
    record = fit_model_temperatures(model_dir, root, write=True)
    assert record["pair"]["before"]["n"] == 8  # 4 sentences x 2 directions
    assert record["pair"]["fitted_on"] == "park-dse validation"
    assert record["sentiment"]["fitted_on"] == "newsmtsc-rw rw_dev + newsmtsc-mt mt_dev"
    for head in ("pair", "sentiment"):
        assert record[head]["after"]["nll"] <= record[head]["before"]["nll"] + 1e-9
        assert record[head]["after"]["accuracy"] == record[head]["before"]["accuracy"]
    loaded = load_model(model_dir, cache=False).head_config
    assert loaded.pair_temperature == record["pair"]["temperature"] != 9.0
    assert loaded.sentiment_temperature == record["sentiment"]["temperature"]
    assert loaded.temperature_fit["bins"] == 15
