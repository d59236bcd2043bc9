"""The documented matching rule and decomposition of the end-to-end SEESAW score (stance.evaluation.e2e)."""

from __future__ import annotations

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
