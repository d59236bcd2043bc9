"""The documented matching rule and decomposition of the end-to-end SEESAW score (stance.evaluation.e2e)."""

from __future__ import annotations

from pathlib import Path

from stance.evaluation import e2e
from stance.results import Actor, ActorResult, ArticleResult, Issue, Position


def test_names_match_rule():
    assert e2e.names_match("Barack Obama", "Barack Obama")
    assert e2e.names_match("Obama", "Barack Obama")
    assert e2e.names_match("the United States", "United States")
    assert e2e.names_match("immigration executive action", "executive action on immigration")
    assert not e2e.names_match("Iran", "Israel")


def test_score_counts_each_gold_once():
    gold = [{("Barack Obama", "against", "Congress")}]
    pred = [{("Obama", "against", "Congress"), ("Barack Obama", "against", "Congress"), ("Obama", "favor", "Congress")}]
    s = e2e.score(gold, pred)
    assert s["recall"] == 1.0
    assert s["precision"] == 1 / 3
    assert s["n_gold"] == 1 and s["n_pred"] == 3


def test_gold_leaves_out_author_and_unlisted():
    art = {
        "triplets": [
            {"subject": "<author>", "polarity": "NEG", "object": "Iran"},
            {"subject": "None", "polarity": "NEG", "object": "Iran"},
            {"subject": "Iran", "polarity": "NEG", "object": "Not in the list"},
            {"subject": "Iran", "polarity": "POS", "object": "talks"},
        ]
    }
    assert e2e.gold_triplets(art) == {("Iran", "favor", "talks")}


def _result(actors, positions=(), relations=(), issues=()):
    return ArticleResult(
        actors=tuple(ActorResult(Actor(n, "country")) for n in actors),
        positions=tuple(positions),
        relations=tuple(relations),
        issues=tuple(issues),
    )


def test_decomposition_counts_each_stage():
    articles = [
        {
            "triplets": [
                {"subject": "Iran", "polarity": "POS", "object": "talks"},  # connected, right polarity
                {"subject": "Iran", "polarity": "NEG", "object": "Oman"},  # connected, wrong polarity
                {"subject": "Qatar", "polarity": "NEG", "object": "sanctions"},  # subject and object found only
                {"subject": "Egypt", "polarity": "NEG", "object": "war"},  # neither
            ]
        }
    ]
    result = _result(
        ["Iran", "Oman", "Qatar"],
        positions=[
            Position("Iran", "talks", "issue", "favor", 0.9),
            Position("Qatar", "talks", "issue", "favor", 0.8, via="Qatari minister"),
            Position("Oman", "sanctions", "issue", "against", 0.7),
        ],
        relations=[Position("Iran", "Oman", "actor", "favor", 0.8)],
        issues=[Issue("talks", ("talks",)), Issue("sanctions", ("sanctions", "the sanctions"))],
    )
    m = e2e.score_results(articles, [result])
    assert m["subject_found"] == 3 / 4
    assert m["object_found"] == 3 / 4
    assert m["pair_connected"] == 2 / 4
    assert m["polarity_correct"] == 1 / 4
    assert m["n_pred"] == 3 and m["n_gold"] == 4  # the via position is not a prediction
    assert m["recall"] == 1 / 4 and m["precision"] == 1 / 3
    assert set(e2e.METRICS) <= set(m)


def test_harness_task_seesaw_e2e(tmp_path, tiny_model):
    """``stance evaluate seesaw-e2e``: articles through the pipeline, the documented metrics in the record."""
    from stance.evaluation.runner import evaluate_task
    from stance.evaluation.tasks import get_task
    from tests.test_data_seesaw import write_seesaw

    root = write_seesaw(tmp_path)
    task = get_task("seesaw-e2e")
    assert task.family == "e2e" and task.eval_split == "validation"
    rec = evaluate_task("seesaw-e2e", root, model=tiny_model, split="train")
    assert rec["task"] == "seesaw-e2e" and rec["split"] == "train" and rec["n"] == 2
    assert set(e2e.METRICS) <= set(rec["metrics"])
    assert rec["metrics"]["n_gold"] == 4 + 1  # named subjects and listed objects, deduplicated per article
    assert all(0.0 <= rec["metrics"][k] <= 1.0 for k in e2e.METRICS)
    assert "matching_rule" in rec["protocol"] and rec["commit"]


def test_harness_task_seesaw_e2e_needs_a_stance_model(tmp_path):
    import pytest

    from stance.evaluation.runner import evaluate_task
    from tests.test_data_seesaw import write_seesaw

    with pytest.raises(ValueError, match="stance model"):
        evaluate_task("seesaw-e2e", write_seesaw(tmp_path), model="majority")


def test_cue_weight_is_chosen_by_end_to_end_f1_and_written(tmp_path, tiny_model_dir):
    """``stance calibrate --cue-weights``: one parse and scoring pass, every weight scored with
    the harness metric, the best written to config.json; the results equal the pipeline's own."""
    import json
    import shutil

    import pytest

    from stance.data.seesaw import load_seesaw_articles
    from stance.evaluation.e2e import article_texts, results_by_cue_weight
    from stance.models import load_model
    from stance.pipeline import Pipeline
    from stance.training.calibrate import fit_cue_weight, run
    from tests.test_data_seesaw import write_seesaw

    root = write_seesaw(tmp_path / "data")
    model_dir = Path(shutil.copytree(tiny_model_dir, tmp_path / "model"))
    record = fit_cue_weight(model_dir, root, [0, 2.5], split="train", write=True, show_progress_bar=False)
    assert set(record["tried"]) == {"0", "2.5"} and record["chosen"] in (0.0, 2.5)
    assert record["tried"][f"{record['chosen']:g}"] >= max(record["tried"].values()) - record["tie_tolerance"]
    block = json.loads((model_dir / "config.json").read_text())["stance"]
    assert block["cue_weight"] == record["chosen"] and block["cue_calibration"] == record

    texts = article_texts(load_seesaw_articles(str(root))["train"].to_list())
    by_weight = results_by_cue_weight(texts, str(model_dir), [2.5], show_progress_bar=False)
    pipe = Pipeline(model=load_model(str(model_dir)), cue_weight=2.5)
    direct = [pipe.classify(t) for t in texts]
    assert [r.positions for r in by_weight[2.5]] == [r.positions for r in direct]
    assert [r.relations for r in by_weight[2.5]] == [r.relations for r in direct]

    with pytest.raises(ValueError, match="at least one cue weight"):
        results_by_cue_weight(texts, str(model_dir), [])
    with pytest.raises(ValueError, match="cue_weight must be"):
        fit_cue_weight(model_dir, root, [-1], split="train")
    args = type(
        "A",
        (),
        {
            "cue_weights": [1.0],
            "aggregator": True,
            "persent_dir": None,
            "model": str(model_dir),
            "data_dir": str(root),
            "split": "train",
            "max_articles": 0,
            "write": False,
        },
    )()
    assert run(args) == 2  # --cue-weights with --aggregator: refused with the fix


def test_cue_weight_ties_within_one_triplet_go_to_pair_connected_then_the_smaller_weight():
    import pytest

    from stance.training.calibrate import choose_cue_weight

    def score(f1, connected):
        return {"f1": f1, "pair_connected": connected, "n_gold": 1000, "n_pred": 1000}  # a triplet: 0.001

    # 0.2505 is within one triplet of 0.2510 and links more pairs
    assert choose_cue_weight({0.0: score(0.2510, 0.35), 2.0: score(0.2505, 0.36)}) == (2.0, 0.001)
    # a difference of two triplets is not a tie
    assert choose_cue_weight({0.0: score(0.2520, 0.35), 2.0: score(0.2500, 0.36)})[0] == 0.0
    # a full tie goes to the smaller weight
    assert choose_cue_weight({3.0: score(0.25, 0.35), 1.0: score(0.25, 0.35)})[0] == 1.0
    with pytest.raises(ValueError, match="at least one weight"):
        choose_cue_weight({})
