"""benchmarks/render.py on fixture JSON files."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

RENDER = Path(__file__).resolve().parents[1] / "benchmarks" / "render.py"


@pytest.fixture(scope="module")
def render():
    spec = importlib.util.spec_from_file_location("stance_benchmarks_render", RENDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _evaluation(task: str, model: str, split: str, value: float, published: list[dict]) -> dict:
    return {
        "kind": "evaluation",
        "task": task,
        "model": model,
        "split": split,
        "n": 100,
        "metrics": {"pair_micro_f1": value, "macro_f1": value / 2, "per_class_f1": {"favor": 0.1}},
        "primary_metrics": ["pair_micro_f1", "macro_f1"],
        "published": published,
        "notes": ["Our copy has no test split."],
        "fit": {
            "train_split": "train",
            "n_train": 10,
            "tune_split": None,
            "tuned_on": "20% of training documents",
            "C": 4.0,
            "class_weight": "balanced",
            "tune_scores": [{"C": 4.0}],
        },
        "commit": {"sha": "0123456789abcdef", "dirty": True},
        "versions": {},
        "hardware": {},
        "date": "2026-11-29T21:00:00+00:00",
    }


@pytest.fixture
def results_dir(tmp_path: Path) -> Path:
    pub = [
        {
            "system": "Wen et al. 2024",
            "value": 84.11,
            "metric": "pair_micro_f1",
            "split": "test",
            "source": "Wen et al., ACL 2024",
        }
    ]
    rows = [
        _evaluation("seesaw-pair", "tfidf", "validation", 0.5, pub),
        _evaluation("seesaw-pair", "majority", "validation", 0.25, pub),
    ]
    (tmp_path / "harness").mkdir()
    harness = {"kind": "harness", "task": "seesaw-pair", "results": rows}
    (tmp_path / "harness" / "seesaw-pair.json").write_text(json.dumps(harness))
    files = {
        "actors.json": {
            "kind": "actors",
            "title": "Actor extraction",
            "rows": [{"article": "a", "f1": 0.75}, {"article": "b", "f1": 0.5}],
        },
        "speed.json": {
            "kind": "speed",
            "title": "Speed",
            "columns": ["device", "articles_per_s"],
            "rows": [{"device": "cpu", "articles_per_s": 3.25, "extra": 1}],
        },
        "junk.json": {"hello": 1},
    }
    for name, data in files.items():
        (tmp_path / name).write_text(json.dumps(data))
    (tmp_path / "broken.json").write_text("{not json")
    return tmp_path


def test_render_tables(render, results_dir: Path) -> None:
    text = render.render(render.load_results(results_dir))
    assert "## seesaw-pair" in text
    assert "| system | pair_micro_f1 | macro_f1 | n | split | date | commit / source |" in text
    assert "| **majority** (ours) | 25.00 | 12.50 | 100 | validation | 2026-11-29 | 0123456-dirty |" in text
    assert "| **tfidf** (ours) | 50.00 | 25.00 |" in text
    assert text.index("**majority**") < text.index("**tfidf**")  # sorted
    assert "| Wen et al. 2024 | 84.11 |  |  | test (not directly comparable) |  | Wen et al., ACL 2024 |" in text
    assert "not directly comparable." in text  # note for the split mismatch
    assert "Our copy has no test split." in text
    assert "- tfidf: fitted on `train` (n=10); C=4.0, class_weight=balanced chosen on 20% of training documents" in text
    # generic tables
    assert "## Actor extraction" in text and "| article | f1 |" in text and "| a | 0.75 |" in text
    assert "## Speed" in text and "| device | articles_per_s |" in text and "| cpu | 3.25 |" in text
    assert text.index("## Actor extraction") < text.index("## Speed")
    assert "hello" not in text


def test_render_is_deterministic(render, results_dir: Path, tmp_path_factory) -> None:
    out1 = render.write(results_dir, tmp_path_factory.mktemp("a") / "R.md").read_text()
    out2 = render.write(results_dir, tmp_path_factory.mktemp("b") / "R.md").read_text()
    assert out1 == out2


def test_render_main(render, results_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.md"
    assert render.main(["--results-dir", str(results_dir), "--output", str(out)]) == 0
    assert out.read_text().startswith("# Benchmark results")
    assert render.main(["--results-dir", str(tmp_path / "missing")]) == 2


def test_render_empty(render, tmp_path: Path) -> None:
    assert render.render(render.load_results(tmp_path)).startswith("# Benchmark results")


def test_render_reads_the_old_layout_too(render, tmp_path: Path) -> None:
    (tmp_path / "vast__tfidf.json").write_text(json.dumps(_evaluation("vast", "tfidf", "test", 0.5, [])))
    text = render.render(render.load_results(tmp_path))
    assert "## vast" in text and "| **tfidf** (ours) | 50.00 | 25.00 |" in text


def test_upserted_rows_render_like_files(render, tmp_path: Path) -> None:
    from stance.evaluation.results import upsert_result

    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    for model, value in (("tfidf", 0.5), ("majority", 0.25)):
        row = _evaluation("vast", model, "test", value, [])
        (old / f"vast__{model}.json").write_text(json.dumps(row))
        upsert_result(row, new)
    assert sorted(p.relative_to(new).as_posix() for p in new.rglob("*.json")) == ["harness/vast.json"]
    strip = lambda text: text.replace("harness/vast.json", "").replace("vast__tfidf.json", "")  # noqa: E731
    assert strip(render.render(render.load_results(new))) == strip(render.render(render.load_results(old)))
