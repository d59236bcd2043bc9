"""The documented matching rule of benchmarks/e2e_seesaw.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("e2e_seesaw", Path(__file__).resolve().parents[1] / "benchmarks" / "e2e_seesaw.py")
e2e = importlib.util.module_from_spec(spec)
spec.loader.exec_module(e2e)


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
