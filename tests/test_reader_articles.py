"""Short articles written for the tests, one per attribution pattern of issue #22 (tests/data/reader_articles.py):
the shipped default model must find at least 90% of the positions a reader would list, with the right stance on
the right issue, and none of the positions a reader would call wrong.

Marked ``slow``: they run the shipped model.
"""

from __future__ import annotations

import pytest

from tests.data.reader_articles import ARTICLES

pytestmark = [pytest.mark.slow]

#: Share of the expected positions that must be found (issue #22).
REQUIRED_SHARE = 0.9


def _positions(result):
    """(actor, stance, texts naming the target, rolled-up-from) for every position and relation."""
    phrases = {i.name: (i.name, *i.phrases) for i in result.issues}
    return [
        (p.actor, p.stance, phrases.get(p.target, (p.target,)), p.via) for p in (*result.positions, *result.relations)
    ]


def _holds(positions, names, stance, words) -> bool:
    from stance.evaluation.e2e import names_match

    def named(p) -> bool:
        return any(names_match(p[0], n) or (p[3] is not None and names_match(p[3], n)) for n in names)

    return any(
        named(p) and p[1] == stance and any(w.lower() in t.lower() for w in words for t in p[2]) for p in positions
    )


@pytest.fixture(scope="module")
def results():
    import stance

    return [stance.classify(a["text"]) for a in ARTICLES]


def test_a_reader_finds_their_positions(results) -> None:
    found, missed = 0, []
    total = 0
    for article, result in zip(ARTICLES, results):
        positions = _positions(result)
        for row in article["expected"]:
            readings = row if isinstance(row, list) else [row]
            total += 1
            if any(_holds(positions, *reading) for reading in readings):
                found += 1
            else:
                missed.append((article["pattern"], readings[0][0][0], readings[0][1], readings[0][2]))
    assert found / total >= REQUIRED_SHARE, f"{found}/{total} found; missed: {missed}"


def test_no_position_a_reader_would_call_wrong(results) -> None:
    wrong = [
        (a["pattern"], names[0], stance, words)
        for a, r in zip(ARTICLES, results)
        for names, stance, words in a.get("not_expected", ())
        if _holds(_positions(r), names, stance, words)
    ]
    assert not wrong
