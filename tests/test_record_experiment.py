"""The selection log script: reads a run folder, upserts one entry, keeps the others."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest


def _script():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "record_experiment.py"
    spec = importlib.util.spec_from_file_location("stance_benchmarks_record_experiment", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(tmp_path: Path, scores: list[float]) -> Path:
    run = tmp_path / "run"
    run.mkdir()
    args = {
        "output_dir": str(run),
        "init_model": "",
        "teacher_model": "",
        "train": [{"name": "park2021", "data_dir": str(tmp_path / "data")}],
        "validation": [],
    }
    (run / "training_args.json").write_text(json.dumps(args))
    lines = [{"step": 10, "loss": 0.5}] + [{"eval": {"step": 100 * (i + 1), "score": s}} for i, s in enumerate(scores)]
    (run / "train_log.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    return run


def test_record_experiment_upserts_and_keeps_others(tmp_path):
    mod = _script()
    run = _run(tmp_path, [0.70, 0.74, 0.72])
    out = tmp_path / "experiments.json"
    out.write_text(
        json.dumps(
            {
                "kind": "selection",
                "experiments": [
                    {"name": "old", "best_score": 0.5},
                    {"name": "cand", "what": "kept", "best_score": 0.1, "in_progress": True, "decision": "in progress"},
                ],
            }
        )
    )
    assert mod.main(["--run", str(run), "--name", "cand", "--decision", "not adopted", "--out", str(out)]) == 0
    log = json.loads(out.read_text())
    assert [e["name"] for e in log["experiments"]] == ["old", "cand"]
    cand = log["experiments"][1]
    assert (cand["best_score"], cand["best_step"], cand["what"], cand["decision"]) == (0.74, 200, "kept", "not adopted")
    assert "in_progress" not in cand and len(cand["evals"]) == 3
    assert not Path(cand["config"]["output_dir"]).is_absolute()
    assert not Path(cand["config"]["train"][0]["data_dir"]).is_absolute()
    assert {"commit", "versions", "hardware", "date"} <= set(log)


def test_record_experiment_rejects_a_model_folder_and_an_unevaluated_run(tmp_path):
    mod = _script()
    with pytest.raises(FileNotFoundError, match="training_args.json"):
        mod.read_run(tmp_path)
    with pytest.raises(ValueError, match="no validation readings"):
        mod.experiment_entry("x", "", {}, [])
