"""`stance validate`: the selection criterion for any model directory."""

from __future__ import annotations

import json

import pytest

from stance.cli import main as cli_main
from stance.training.validate import validate_models
from tests.test_training import _write_park


def _config(tmp_path, validation=True):
    tmp_path.mkdir(parents=True, exist_ok=True)
    park = _write_park(tmp_path / "park")
    cfg = {
        "output_dir": str(tmp_path / "unused"),
        "base_model": "minilm",
        "max_length": 64,
        "validation": [{"name": "park2021", "data_dir": str(park), "split": "validation", "family": "pair"}]
        if validation
        else [],
    }
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps(cfg))
    return path


def test_validate_scores_like_training_and_restores_the_mode(tiny_model_dir, tmp_path):
    from stance.models import load_model
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    cfg = _config(tmp_path)
    rows = validate_models([tiny_model_dir], cfg, sentiment_windows=["shared", "focused"])
    assert [r["sentiment_windows"] for r in rows] == ["shared", "focused"]
    args = TrainingArguments.from_json(cfg)
    trainer = Trainer(args, model=load_model(tiny_model_dir, cache=False))
    expected = trainer.evaluate(trainer.validation_data())
    assert rows[0]["scores"] == pytest.approx(expected)
    assert set(rows[0]["scores"]) == {"park2021:validation", "score"}

    out = tmp_path / "v.json"
    assert cli_main(["validate", str(tiny_model_dir), "--config", str(cfg), "--out", str(out)]) == 0
    written = json.loads(out.read_text())
    assert written["kind"] == "validation" and written["rows"][0]["scores"] == pytest.approx(expected)
    assert {"commit", "versions", "hardware", "date"} <= set(written)


def test_validate_rejects_bad_input(tiny_model_dir, tmp_path):
    with pytest.raises(ValueError, match="no validation corpora"):
        validate_models([tiny_model_dir], _config(tmp_path / "a", validation=False))
    cfg = _config(tmp_path / "b")
    with pytest.raises(ValueError, match="sentiment_windows"):
        validate_models([tiny_model_dir], cfg, sentiment_windows=["sideways"])
    with pytest.raises(ValueError, match="at least one model"):
        validate_models([], cfg)
    with pytest.raises(ValueError, match="precision must be one of"):
        validate_models([tiny_model_dir], cfg, precisions=["fp16"])


def test_validate_scores_each_precision(tiny_model_dir, tmp_path, capsys):
    cfg = _config(tmp_path)
    rows = validate_models([tiny_model_dir], cfg, precisions=[None, "bf16"])
    assert [r["precision"] for r in rows] == ["fp32", "bf16"]  # None: what the model declares (fp32)
    assert rows[1]["scores"]["score"] == pytest.approx(rows[0]["scores"]["score"], abs=0.2)
    assert cli_main(["validate", str(tiny_model_dir), "--config", str(cfg), "--precision", "bf16"]) == 0
    assert "[shared, bf16]" in capsys.readouterr().out


def test_monitored_corpora_are_scored_but_left_out_of_selection(tiny_model_dir, tmp_path):
    from stance.models import load_model
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    park = _write_park(tmp_path / "park")
    spec = {"name": "park2021", "data_dir": str(park), "split": "validation", "family": "pair"}
    selected = {**spec, "metric": "park-dse:macro_f1"}
    monitored = {**spec, "split": "train", "monitor": True}
    args = TrainingArguments(output_dir=str(tmp_path / "x"), max_length=64, validation=[selected, monitored])
    trainer = Trainer(args, model=load_model(tiny_model_dir, cache=False))
    scores = trainer.evaluate(trainer.validation_data())
    assert set(scores) == {"park2021:validation", "park2021:train", "score", "monitor"}
    assert scores["score"] == pytest.approx(scores["park2021:validation"])
    assert scores["monitor"] == pytest.approx(scores["park2021:train"])

    # a config of monitors only: validate scores it, selection refuses it
    guard = tmp_path / "guard.json"
    guard.write_text(json.dumps({"output_dir": str(tmp_path / "g"), "max_length": 64, "validation": [monitored]}))
    rows = validate_models([tiny_model_dir], guard)
    assert set(rows[0]["scores"]) == {"park2021:train", "monitor"}
    from stance.training.soup import greedy_soup

    with pytest.raises(ValueError, match="selection needs one without it"):
        greedy_soup([tiny_model_dir, tiny_model_dir], validate=guard)
    only_monitors = TrainingArguments(output_dir=str(tmp_path / "t"), train=[spec], validation=[monitored])
    with pytest.raises(ValueError, match="set monitor to false"):
        Trainer(only_monitors).train(show_progress_bar=False)


def test_monitor_option_is_checked():
    from stance.training.arguments import DatasetSpec, TrainingArguments

    with pytest.raises(TypeError, match="monitor must be true or false"):
        DatasetSpec(name="vast", data_dir=".", monitor="yes")
    with pytest.raises(ValueError, match="validation corpora only"):
        TrainingArguments(output_dir="x", train=[{"name": "vast", "data_dir": ".", "monitor": True}])
