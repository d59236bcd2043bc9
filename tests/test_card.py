"""Model cards parse with huggingface_hub and their model-index equals the harness JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.training.card import ModelCardData, render_model_card

REPO = Path(__file__).resolve().parents[1]

RESULT = {
    "task": "park-dse",
    "split": "test",
    "model": "stance-minilm",
    "n": 1623,
    "metrics": {"macro_f1": 0.6912, "micro_f1": 0.8012},
    "published": [{"system": "DSE2QA", "value": 67.66}],
}


def _card_metrics(card):
    out = {}
    for r in card.data.eval_results:
        out[(r.dataset_type, r.dataset_split, r.metric_type)] = r.metric_value
    return out


def test_rendered_card_parses_and_matches_results():
    hub = pytest.importorskip("huggingface_hub")
    text = render_model_card(
        ModelCardData(
            model_name="stance-minilm",
            train_datasets=["park2021", "seesaw_pairs"],
            eval_results=[RESULT],
            training_command="stance train configs/x.json",
        )
    )
    card = hub.ModelCard(text)
    assert card.data.license == "cc-by-nc-sa-4.0"  # SEESAW is non-commercial
    assert _card_metrics(card) == {("park-dse", "test", "macro_f1"): 0.6912, ("park-dse", "test", "micro_f1"): 0.8012}
    assert "stance train configs/x.json" in text


@pytest.mark.parametrize("name", ["fast", "accurate"])
def test_shipped_model_card_equals_harness_json(name):
    hub = pytest.importorskip("huggingface_hub")
    from stance.evaluation.results import read_harness
    from stance.models import shipped_model_path

    model_dir = shipped_model_path(name)
    text = (model_dir / "README.md").read_text(encoding="utf-8")
    card = hub.ModelCard(text)
    expected = {}
    for d in read_harness(REPO / "benchmarks" / "results", model=model_dir.name):
        for k in d["primary_metrics"]:
            expected[(d["task"], d["split"], k)] = float(d["metrics"][k])
    assert expected, "the shipped model has no harness results in benchmarks/results/harness"
    assert _card_metrics(card) == pytest.approx(expected)
    assert len(text.splitlines()) <= 250, "the card repeats what config.json or docs/experiments.md hold"
    assert "](../../../../docs/experiments.md)" in text and (model_dir / "../../../../docs/experiments.md").is_file()
    for key in ("base_model", "library_name", "license", "datasets", "tags"):
        assert getattr(card.data, key), key


def test_card_lists_stages_and_primary_metrics_only():
    hub = pytest.importorskip("huggingface_hub")
    stages = [
        {
            "output_dir": "/runs/a",
            "epochs": 2,
            "learning_rate": 1e-4,
            "head_learning_rate": 1e-3,
            "batch_size": 32,
            "seed": 13,
            "max_length": 160,
            "train": [{"name": "park2021", "max_examples": 8000, "oversample": {"label5=2": 4}}],
        },
        {
            "output_dir": "/runs/b",
            "init_model": "/runs/a/best",
            "epochs": 1,
            "train": [{"name": "transfer", "loader_kwargs": {"source": "seesaw_pairs"}}],
        },
    ]
    result = {**RESULT, "primary_metrics": ["macro_f1"], "metrics": {**RESULT["metrics"], "n_sentences": 1623}}
    text = render_model_card(ModelCardData(model_name="m", eval_results=[result], stages=stages, history="docs/h.md"))
    assert "| 1 | `a` | `base encoder` | park2021 (≤8,000, label5=2×4) | 2 |" in text
    assert "| 2 | `b` | `a` | seesaw_pairs (unlabelled) | 1 |" in text
    assert _card_metrics(hub.ModelCard(text)) == {("park-dse", "test", "macro_f1"): 0.6912}
    assert "[docs/h.md](docs/h.md)" in text and "n_sentences" not in text


def test_write_card_reads_harness_rows_and_links_the_history(tmp_path):
    from stance.evaluation.results import upsert_result
    from stance.training.export import write_card

    model_dir = tmp_path / "models" / "m"
    model_dir.mkdir(parents=True)
    (model_dir / "config.json").write_text(
        json.dumps(
            {
                "stance": {
                    "base_model": "minilm",
                    "training": {
                        "command": "stance train x.json",
                        "stages": [{"output_dir": "r", "train": [{"name": "newsmtsc"}]}],
                    },
                }
            }
        )
    )
    results = tmp_path / "results"
    with pytest.raises(FileNotFoundError, match="--output-dir"):
        write_card(model_dir, results)
    upsert_result({**RESULT, "model": "models/m"}, results)
    upsert_result({**RESULT, "model": "models/m@onnx", "metrics": {"macro_f1": 0.1}}, results)  # a variant: left out
    (tmp_path / "history.md").write_text("# history\n")
    text = write_card(model_dir, results, history=str(tmp_path / "history.md")).read_text()
    assert "0.6912" in text and "0.1" not in text.split("model-index")[1].split("---")[0]
    assert "](../../history.md)" in text and "NewsMTSC" in text and "stance train x.json" in text


def test_training_stages_follow_init_model(tmp_path):
    import json

    from stance.training.export import training_stages

    (tmp_path / "a" / "best").mkdir(parents=True)
    (tmp_path / "a" / "training_args.json").write_text(json.dumps({"output_dir": "a", "train": [{"name": "park2021"}]}))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "training_args.json").write_text(
        json.dumps({"output_dir": "b", "init_model": str(tmp_path / "a" / "best"), "train": [{"name": "silver"}]})
    )
    stages = training_stages(tmp_path / "b")
    assert [s["output_dir"] for s in stages] == ["a", "b"]
    assert training_stages(tmp_path / "a") == stages[:1]
    # continuing from an exported model directory (no training_args.json above it) takes
    # the stages its config.json records
    (tmp_path / "shipped").mkdir()
    (tmp_path / "shipped" / "config.json").write_text(json.dumps({"stance": {"training": {"stages": stages}}}))
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "training_args.json").write_text(
        json.dumps({"output_dir": "c", "init_model": str(tmp_path / "shipped"), "train": [{"name": "newsmtsc"}]})
    )
    assert [s["output_dir"] for s in training_stages(tmp_path / "c")] == ["a", "b", "c"]


def test_card_says_how_sentiment_is_read():
    from stance.training.card import ModelCardData, render_model_card

    focused = render_model_card(ModelCardData(model_name="m", eval_results=[RESULT], sentiment_windows="focused"))
    shared = render_model_card(ModelCardData(model_name="m", eval_results=[RESULT]))
    assert "`sentiment_windows: focused`" in focused and "`sentiment_windows: focused`" not in shared
    assert "`sentiment_windows: shared`" in shared
    branched = render_model_card(ModelCardData(model_name="m", eval_results=[RESULT], sentiment_branch_layers=2))
    assert (
        "top 2 layers" in branched and "sentiment_branch_layers" in branched and "sentiment_branch_layers" not in shared
    )


def test_card_describes_distillation_from_the_recorded_stage():
    from stance.training.card import ModelCardData, render_model_card
    from stance.training.export import _distillation

    stage = {
        "teacher_model": "/runs/stance-mpnet/best",
        "distill_alpha": 0.5,
        "distill_temperature": 2.0,
        "train": [
            {"name": "park2021", "distill": False},
            {"name": "newsmtsc", "distill": True},
            {"name": "transfer", "loader_kwargs": {"source": "seesaw_pairs"}},
        ],
    }
    info = _distillation(stage)
    assert info == {
        "teacher": "stance-mpnet",
        "alpha": 0.5,
        "temperature": 2.0,
        "labels_only": ["park2021"],
        "transfer": ["seesaw_pairs"],
    }
    text = render_model_card(ModelCardData(model_name="m", eval_results=[RESULT], distillation=[info]))
    assert "teacher `stance-mpnet`" in text and "`park2021` kept on their labels" in text and "`seesaw_pairs`" in text
    assert "Knowledge distillation" not in render_model_card(ModelCardData(model_name="m", eval_results=[RESULT]))


def test_card_describes_the_article_sentiment_aggregator(tmp_path):
    from stance.training.export import write_card

    fit = {
        "C": 3.0,
        "bias": [0.4, 0.0, 0.2],
        "cv_macro_f1": 0.4632,
        "cv_accuracy": 0.55,
        "cv": [{}] * 5,
        "n": 2765,
        "data": "seesaw entity sentiment `train` + persent `validation`",
        "articles": {"seesaw entity sentiment": 378, "persent": 578},
    }
    model_dir = tmp_path / "m"
    model_dir.mkdir()
    (model_dir / "config.json").write_text(
        json.dumps(
            {
                "stance": {
                    "base_model": "minilm",
                    "article_sentiment_aggregator_fit": fit,
                    "training": {"args": {"train": [{"name": "park2021"}]}, "command": "stance train x.json"},
                }
            }
        )
    )
    results = tmp_path / "results"
    results.mkdir()
    (results / "park-dse__m.json").write_text(json.dumps({**RESULT, "model": "m"}))
    text = write_card(model_dir, results).read_text()
    assert "multinomial logistic regression" in text and "C=3.0" in text and "0.4632" in text
    assert "`[0.4, 0.0, 0.2]`" in text
    assert "--aggregator --persent-dir" in text
    assert (
        "PerSenT (Bastan et al., COLING 2020)" in text and "CC BY 4.0" in text
    )  # fitted-on corpora listed with licences
    plain = render_model_card(ModelCardData(model_name="m", eval_results=[RESULT]))
    assert "multinomial logistic regression" not in plain


def test_card_describes_the_head_temperatures():
    report = {"n": 2922, "ece": 0.037, "nll": 0.322}
    fit = {
        "pair": {
            "temperature": 1.67,
            "fitted_on": "park-dse validation",
            "before": report,
            "after": {**report, "ece": 0.019, "nll": 0.279},
        },
        "sentiment": {
            "temperature": 2.56,
            "fitted_on": "newsmtsc-rw rw_dev + newsmtsc-mt mt_dev",
            "before": {"n": 783, "ece": 0.137, "nll": 0.829},
            "after": {"n": 783, "ece": 0.031, "nll": 0.563},
        },
    }
    text = render_model_card(ModelCardData(model_name="m", eval_results=[RESULT], temperature_fit=fit))
    assert "pair head T = 1.67 (fitted on park-dse validation, n=2922: ECE 0.037 → 0.019" in text
    assert "sentiment head T = 2.56" in text and "python -m stance.training.temperature" in text
    assert "Calibrated confidences" not in render_model_card(ModelCardData(model_name="m", eval_results=[RESULT]))


def test_card_reports_only_its_own_rows_of_a_two_model_speed_record():
    from stance.training.card import card_from_config

    speed = {
        "kind": "model_speed",
        "date": "2026-12-07T12:00:00+00:00",
        "hardware": {"cpu_count": 2, "processor": "x86_64"},
        "notes": ["corpus: the first 30 SEESAW validation articles; one process"],
        "rows": [
            {"model": "stance-minilm@0.2.0", "precision": "fp32", "threads": 2, "articles_per_s": 3.1},
            {"model": "stance-mpnet-lora@0.2.0", "precision": "bf16", "threads": 2, "articles_per_s": 1.8},
        ],
    }
    data = card_from_config({"base_model": "mpnet"}, model_name="stance-mpnet-lora", speed=speed)
    assert [r["articles_per_s"] for r in data.speed["rows"]] == [1.8]
    text = render_model_card(data)
    assert "benchmarks/model_speed.py" in text and "| bf16 | 2 | 1.8 |" in text and "3.1" not in text
    assert "the first 30 SEESAW validation articles" in text
