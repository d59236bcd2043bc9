"""Paired bootstrap: F1 equal to sklearn's, intervals that cover what they should, task labels that match the
harness."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stance.evaluation.significance import f1_from_labels, paired_bootstrap, task_labels


def _noisy(gold, p_right, seed, n_labels=3):
    rng = np.random.default_rng(seed)
    return np.where(rng.random(len(gold)) < p_right, gold, (gold + 1) % n_labels)


@pytest.mark.parametrize("average,averaged", [("macro", None), ("macro", [0, 1]), ("micro", [0, 1]), ("micro", None)])
def test_f1_equals_sklearn(average, averaged):
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    gold, pred = rng.integers(0, 3, 200), rng.integers(0, 3, 200)
    pred[pred == 2] = 1  # a label never predicted
    expected = f1_score(gold, pred, labels=averaged or [0, 1, 2], average=average, zero_division=0)
    assert f1_from_labels(gold, pred, 3, averaged=averaged, average=average) == pytest.approx(expected)


def test_identical_models_differ_by_exactly_zero():
    gold = np.random.default_rng(1).integers(0, 3, 200)
    p = _noisy(gold, 0.7, 1)
    res = paired_bootstrap(gold, p, p, n_labels=3, n_resamples=100)
    assert res.delta == res.ci_low == res.ci_high == 0.0
    assert res.p_b_not_better == 1.0 and res.n_units == 200


def test_a_clearly_better_model_has_an_interval_above_zero():
    gold = np.random.default_rng(2).integers(0, 3, 400)
    res = paired_bootstrap(gold, _noisy(gold, 0.5, 1), _noisy(gold, 0.9, 2), n_labels=3, n_resamples=300)
    assert res.delta > 0.3 and res.ci_low > 0.2 and res.p_b_not_better == 0.0
    assert res.ci_low <= res.delta <= res.ci_high


def test_a_small_difference_is_not_resolved_on_a_small_set():
    gold = np.random.default_rng(3).integers(0, 3, 300)
    a = _noisy(gold, 0.7, 1)
    b = a.copy()
    b[:3] = gold[:3]  # B fixes at most three rows
    res = paired_bootstrap(gold, a, b, n_labels=3, n_resamples=500)
    assert 0 < res.delta < 0.02
    assert res.ci_low <= 0.0 < res.ci_high


def test_groups_are_resampled_whole_and_seeded():
    gold = np.array([0, 0, 1, 2, 1, 0])
    a, b = np.array([0, 1, 1, 2, 0, 0]), np.array([0, 0, 1, 1, 1, 0])
    groups = ["s1", "s1", "s2", "s3", "s3", "s4"]
    r1 = paired_bootstrap(gold, a, b, n_labels=3, groups=groups, n_resamples=50, seed=3)
    assert r1 == paired_bootstrap(gold, a, b, n_labels=3, groups=groups, n_resamples=50, seed=3)
    assert r1.n_units == 4
    assert r1 != paired_bootstrap(gold, a, b, n_labels=3, groups=groups, n_resamples=50, seed=4)


def test_task_labels_reproduce_the_harness_metrics():
    from stance.evaluation.scoring import score_newsmtsc, score_park, score_seesaw_pairs

    rng = np.random.default_rng(0)
    park = [
        {"label": 2, "group_id": f"p{i}", "meta": json.dumps({"label5": i % 5, "direction": d})}
        for i in range(40)
        for d in ("p->q", "q->p")
    ]
    probs = rng.dirichlet(np.ones(3), size=len(park))
    t = task_labels("park-dse", park, probs)
    assert len(t["gold"]) == 40 and t["groups"] is None
    assert f1_from_labels(
        t["gold"], t["pred"], t["n_labels"], averaged=t["averaged"], average=t["average"]
    ) == pytest.approx(score_park(park, probs)["macro_f1"])

    pairs = [{"label": int(y), "group_id": f"s{i}"} for i, y in enumerate(rng.integers(0, 2, 60))]
    probs = rng.dirichlet(np.ones(3), size=60)
    t = task_labels("seesaw-pair", pairs, probs)
    assert f1_from_labels(t["gold"], t["pred"], 3, averaged=t["averaged"], average="micro") == pytest.approx(
        score_seesaw_pairs(pairs, probs)["pair_micro_f1"]
    )

    sent = [{"label": int(y), "group_id": f"s{i // 2}"} for i, y in enumerate(rng.integers(0, 3, 60))]
    probs = rng.dirichlet(np.ones(3), size=60)
    t = task_labels("newsmtsc-mt", sent, probs)
    assert len(set(t["groups"])) == 30
    assert f1_from_labels(t["gold"], t["pred"], 3) == pytest.approx(score_newsmtsc(sent, probs)["f1m"])


def test_bad_inputs_say_what_to_fix():
    g = np.array([0, 1, 2, 1])
    with pytest.raises(ValueError, match="one length"):
        paired_bootstrap(g, g, g[:3], n_labels=3)
    with pytest.raises(ValueError, match=r"in \[0, 3\)"):
        paired_bootstrap(g, g, g + 1, n_labels=3)
    with pytest.raises(ValueError, match="one per row"):
        paired_bootstrap(g, g, g, n_labels=3, groups=["a"])
    with pytest.raises(ValueError, match="at least two"):
        paired_bootstrap(g, g, g, n_labels=3, groups=["a"] * 4)
    with pytest.raises(ValueError, match="confidence"):
        paired_bootstrap(g, g, g, n_labels=3, confidence=1.5)
    with pytest.raises(ValueError, match="macro' or 'micro"):
        f1_from_labels(g, g, 3, average="weighted")
    with pytest.raises(ValueError, match="supported"):
        task_labels("vast", [], [])


def test_compare_script_on_tiny_models(tiny_model_dir, tmp_path):
    import importlib.util
    from pathlib import Path

    from stance.evaluation.runner import evaluate_task
    from tests.test_soup import _perturbed
    from tests.test_training import _write_park

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "compare.py"
    spec = importlib.util.spec_from_file_location("stance_benchmarks_compare", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    (tmp_path / "data").mkdir()
    _write_park(tmp_path / "data" / "directed-sentiment-park2021")
    other = _perturbed(tiny_model_dir, tmp_path, "other", 5, scale=0.5)
    rows = module.compare(
        str(tiny_model_dir),
        str(other),
        ["park-dse"],
        ["validation"],
        data_root=tmp_path / "data",
        n_resamples=50,
        results_dir=tmp_path / "results",
    )
    (row,) = rows
    harness = evaluate_task(
        "park-dse", tmp_path / "data" / "directed-sentiment-park2021", model=str(tiny_model_dir), split="validation"
    )
    assert row["score_a"] == pytest.approx(harness["metrics"]["macro_f1"])
    assert row["n_units"] == 5 and row["ci_low"] <= row["ci_high"]
    # the same predictions, written as harness results: what evaluate_task would have written
    from stance.evaluation.results import read_harness

    written_a, written_b = (
        read_harness(tmp_path / "results", task="park-dse", model=m)[0] for m in ("tiny-stance", "other")
    )
    assert [p.name for p in (tmp_path / "results").rglob("*.json")] == ["park-dse.json"]  # one file per task
    for key in ("macro_f1", "micro_f1"):
        assert written_a["metrics"][key] == pytest.approx(harness["metrics"][key])
    assert written_b["metrics"]["macro_f1"] == pytest.approx(row["score_b"])
    for key in ("kind", "task", "split", "model", "n", "primary_metrics", "published", "notes"):
        assert written_a[key] == harness[key], key
    assert {"commit", "versions", "hardware", "date"} <= set(written_b)

    assert (
        module.main(
            [
                "--a",
                str(tiny_model_dir),
                "--b",
                str(other),
                "--tasks",
                "park-dse",
                "--splits",
                "validation",
                "--data-root",
                str(tmp_path / "data"),
                "--n-resamples",
                "20",
                "--out-dir",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    (written,) = (tmp_path / "out").glob("compare__*.json")
    assert written.name == "compare__tiny-stance__vs__other__validation.json"
    from run_all import model_slug

    (tmp_path / "runs" / "my-run" / "best").mkdir(parents=True)
    assert model_slug(str(tmp_path / "runs" / "my-run" / "best")) == "my-run"  # a run's best/ is named for its run
    assert model_slug(str(tmp_path / "runs" / "my-run" / "best") + "@focused") == "my-run-focused"
    saved = json.loads(written.read_text())
    assert saved["kind"] == "paired-bootstrap" and saved["rows"][0]["task"] == "park-dse" and "sha" in saved["commit"]


def test_seesaw_pair_error_breakdown():
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "seesaw_pair_errors.py"
    spec = importlib.util.spec_from_file_location("stance_benchmarks_seesaw_errors", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def rec(label, subj, obj):
        return {"label": label, "meta": json.dumps({"found": {"subject": subj, "object": obj}})}

    records = [rec(0, "exact", "exact"), rec(1, "exact", "last_name"), rec(1, None, "exact"), rec(0, "author", None)]
    probs = np.array([[0.1, 0.3, 0.6], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.8, 0.1, 0.1]])
    rows = {(r["source"], r["target"]): r for r in module.breakdown(records, probs)}
    both = rows[("source in sentence", "target in sentence")]
    assert (
        both["n"] == 2
        and both["none_rate"] == 0.5
        and both["accuracy"] == 0.5
        and both["accuracy_favor_vs_against"] == 0.5
    )
    assert rows[("source absent", "target in sentence")]["accuracy"] == 0.0
    assert rows[("author", "target absent")]["accuracy"] == 1.0
