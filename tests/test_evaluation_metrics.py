"""Metrics of stance.evaluation against values computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from stance.data.schema import PAIR_LABELS, SENTIMENT_LABELS
from stance.evaluation import metrics, scoring


def test_accuracy_by_hand() -> None:
    # 3 of 4 right.
    assert (
        metrics.accuracy(["favor", "against", "none", "none"], ["favor", "against", "favor", "none"], PAIR_LABELS)
        == 0.75
    )


def test_macro_and_per_class_f1_by_hand() -> None:
    pred = ["favor", "favor", "against", "none", "none", "none"]
    gold = ["favor", "against", "against", "none", "favor", "none"]
    # favor: tp=1 fp=1 fn=1 -> P=1/2 R=1/2 F=1/2
    # against: tp=1 fp=0 fn=1 -> P=1 R=1/2 F=2/3
    # none: tp=2 fp=1 fn=0 -> P=2/3 R=1 F=4/5
    per = metrics.per_class_f1(pred, gold, PAIR_LABELS)
    assert per == pytest.approx({"favor": 0.5, "against": 2 / 3, "none": 0.8})
    assert metrics.macro_f1(pred, gold, PAIR_LABELS) == pytest.approx((0.5 + 2 / 3 + 0.8) / 3)
    assert metrics.micro_f1(pred, gold, PAIR_LABELS) == pytest.approx(4 / 6)


def test_macro_f1_ignores_classes_absent_from_gold_and_predictions() -> None:
    assert metrics.macro_f1(["favor", "against"], ["favor", "against"], PAIR_LABELS) == 1.0


def test_indices_and_names_are_equivalent() -> None:
    assert metrics.macro_f1([0, 1, 2], [0, 2, 2], PAIR_LABELS) == metrics.macro_f1(
        ["favor", "against", "none"], ["favor", "none", "none"], PAIR_LABELS
    )


def test_semeval_f_avg_by_hand() -> None:
    pred = ["favor", "favor", "against", "none", "none", "none"]
    gold = ["favor", "against", "against", "none", "favor", "none"]
    # mean of F1 favor (1/2) and F1 against (2/3); F1 none is not averaged in
    assert metrics.semeval_f_avg(pred, gold) == pytest.approx((0.5 + 2 / 3) / 2)


def test_seesaw_pair_f1_counts_none_as_miss() -> None:
    pred = ["favor", "none", "against", "favor"]
    gold = ["favor", "favor", "against", "against"]
    # tp=2 (favor, against); fp=1 (favor for against); fn=2 (favor->none, against->favor)
    p, r = 2 / 3, 2 / 4
    assert metrics.seesaw_pair_f1(pred, gold) == pytest.approx(2 * p * r / (p + r))
    # all "none" predictions score zero
    assert metrics.seesaw_pair_f1(["none"] * 4, gold) == 0.0


def test_newsmtsc_f1m_is_three_class_macro_f1() -> None:
    pred = ["negative", "neutral", "neutral", "positive"]
    gold = ["negative", "neutral", "positive", "positive"]
    # negative 1; neutral P=1/2 R=1 -> 2/3; positive P=1 R=1/2 -> 2/3
    assert metrics.newsmtsc_f1m(pred, gold) == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)


def test_park_5class_by_hand() -> None:
    pred = [0, 0, 1, 3, 4, 2]
    gold = [0, 1, 1, 3, 3, 2]
    # neutral P=1/2 R=1 -> 2/3; pos_p2q P=1 R=1/2 -> 2/3; pos_q2p 1; neg_p2q P=1 R=1/2 -> 2/3; neg_q2p 0
    out = metrics.park_5class_f1(pred, gold)
    assert out["macro_f1"] == pytest.approx((2 / 3 + 2 / 3 + 1 + 2 / 3 + 0) / 5)
    assert out["micro_f1"] == pytest.approx(4 / 6)


@pytest.mark.parametrize(
    "pred, gold, labels",
    [
        (["favor"], ["favor", "none"], PAIR_LABELS),  # lengths differ
        ([], [], PAIR_LABELS),  # empty
        (["maybe"], ["favor"], PAIR_LABELS),  # unknown label
        ([3], [0], PAIR_LABELS),  # index out of range
        ([0.5], [0], PAIR_LABELS),  # wrong type
        (["positive"], ["favor"], PAIR_LABELS),  # sentiment label in a pair metric
        (["favor"], ["favor"], ["favor", "favor"]),  # duplicate labels
    ],
)
def test_invalid_inputs_raise_value_error(pred, gold, labels) -> None:
    with pytest.raises(ValueError):
        metrics.macro_f1(pred, gold, labels)


def test_semeval_rejects_sentiment_labels() -> None:
    with pytest.raises(ValueError):
        metrics.semeval_f_avg(["positive"], ["negative"])
    with pytest.raises(ValueError):
        metrics.newsmtsc_f1m(["favor"], ["favor"])


def test_score_park_rebuilds_5class_labels() -> None:
    from stance.data.park2021 import park_pairs_to_5class

    def rows(group: str, label5: int, pq: int, qp: int) -> list[dict]:
        return [
            {"label": pq, "group_id": group, "meta": f'{{"label5": {label5}, "direction": "pq"}}'},
            {"label": qp, "group_id": group, "meta": f'{{"label5": {label5}, "direction": "qp"}}'},
        ]

    favor, against, none = (PAIR_LABELS.index(x) for x in ("favor", "against", "none"))
    records = rows("a", 0, none, none) + rows("b", 1, favor, none) + rows("c", 4, none, against)
    probs = np.array(
        [
            [0.1, 0.1, 0.8],
            [0.1, 0.1, 0.8],  # a -> neutral (right)
            [0.7, 0.1, 0.2],
            [0.1, 0.1, 0.8],  # b -> pos p->q (right)
            [0.1, 0.1, 0.8],
            [0.1, 0.1, 0.8],  # c -> neutral (wrong, gold neg q->p)
        ]
    )
    out = scoring.score_park(records, probs, to_5class=park_pairs_to_5class)
    assert out["n_sentences"] == 3
    assert out["micro_f1"] == pytest.approx(2 / 3)
    # neutral P=1/2 R=1 -> 2/3; pos_p2q 1; neg_q2p 0 -> mean over the three seen classes
    assert out["macro_f1"] == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert "directed_macro_f1" in out


def test_score_vast_subsets() -> None:
    recs = [
        {"label": 0, "meta": '{"seen": 0}'},
        {"label": 1, "meta": '{"seen": 0}'},
        {"label": 2, "meta": '{"seen": 1}'},
    ]
    probs = np.array([[1, 0, 0], [1, 0, 0], [0, 0, 1]], dtype=float)
    out = scoring.score_vast(recs, probs)
    assert out["n_zero_shot"] == 2 and out["n_few_shot"] == 1
    assert out["macro_f1_few_shot"] == 1.0
    # zero-shot: favor P=1/2 R=1 -> 2/3; against 0 -> 1/3
    assert out["macro_f1_zero_shot"] == pytest.approx(1 / 3)


def test_labels_scored_restricts_the_argmax() -> None:
    recs = [{"label": 0}, {"label": 1}]
    probs = np.array([[0.3, 0.1, 0.6], [0.1, 0.3, 0.6]])
    assert scoring.score_pairs(recs, probs)["accuracy"] == 0.0
    assert scoring.score_pairs(recs, probs, ["favor", "against"])["accuracy"] == 1.0


def test_scorer_checks_probability_shape() -> None:
    with pytest.raises(ValueError):
        scoring.score_sentiment([{"label": 0}], np.zeros((2, 3)))
    with pytest.raises(ValueError):
        scoring.score_sentiment([{"label": 0}], np.zeros((1, 2)))
    assert SENTIMENT_LABELS == ["negative", "neutral", "positive"]
