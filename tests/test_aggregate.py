from __future__ import annotations

import numpy as np
import pytest

from stance.aggregate import AggregationConfig, Observation, aggregate_positions, aggregate_sentiment
from stance.results import Span


def obs(p, start=0, actor="Qatar", target="escalation", via=None):
    return Observation(actor, target, "issue", Span(start, start + 3, "abc"), p, via=via)


def test_single_decisive_sentence():
    (pos,) = aggregate_positions([obs((0.1, 0.8, 0.1))])
    assert pos.stance == "against"
    assert pos.confidence == pytest.approx(0.8)
    assert len(pos.evidence) == 1 and not pos.conflicting


def test_noisy_or_over_sentences_that_take_the_side():
    (pos,) = aggregate_positions([obs((0.6, 0.2, 0.2), 0), obs((0.7, 0.1, 0.2), 10)])
    assert pos.stance == "favor"
    assert pos.confidence == pytest.approx(1 - 0.4 * 0.3)


def test_weak_sentences_never_add_up():
    many = [obs((0.3, 0.3, 0.4), 10 * i) for i in range(20)]
    assert aggregate_positions(many) == []
    (neutral,) = aggregate_positions(many, AggregationConfig(include_neutral=True))
    assert neutral.stance == "neutral"


def test_conflicting_evidence_is_shown():
    (pos,) = aggregate_positions([obs((0.9, 0.05, 0.05), 0), obs((0.1, 0.8, 0.1), 10)])
    assert pos.stance == "favor"
    assert [e.stance for e in pos.conflicting] == ["against"]


def test_same_sentence_counted_once():
    (pos,) = aggregate_positions([obs((0.6, 0.2, 0.2), 0), obs((0.6, 0.2, 0.2), 0)])
    assert pos.confidence == pytest.approx(0.6)


def test_roll_up_keeps_the_person():
    positions = aggregate_positions([obs((0.9, 0.05, 0.05), actor="Israel", via="Benjamin Netanyahu")])
    assert positions[0].via == "Benjamin Netanyahu"


def test_sentiment_mean_and_evidence():
    mentions = [Span(0, 1, "a"), Span(5, 6, "b"), Span(9, 10, "c")]
    probs = np.array([[0.8, 0.1, 0.1], [0.6, 0.3, 0.1], [0.1, 0.8, 0.1]])
    s = aggregate_sentiment(mentions, probs, max_evidence=2)
    assert s.label == "negative"
    assert s.score == pytest.approx(0.5)
    assert [m.text for m in s.evidence] == ["a", "b"]
    assert aggregate_sentiment([], np.zeros((0, 3))) is None
