"""Run every loader on the real corpora in ../shared/data and check row counts against the
folder's README. Skipped when the shared data folder is absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stance.data import (
    load_emergent,
    load_ibm_claim_stance,
    load_newsmtsc,
    load_park2021,
    load_persent,
    load_perspectrum,
    load_seesaw_articles,
    load_seesaw_entity_sentiment,
    load_seesaw_pairs,
    load_semeval2016,
    load_vast,
)
from stance.data._io import offset_errors

SHARED = Path(__file__).parents[1].parent / "shared" / "data"

pytestmark = pytest.mark.slow


def corpus(name: str) -> Path:
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"shared data folder {path} is absent")
    return path


def sizes(dd: Any) -> dict[str, int]:
    return {name: split.num_rows for name, split in dd.items()}


def assert_offsets(dd: Any) -> None:
    for split in dd.values():
        assert offset_errors(split) == []


def test_park2021() -> None:
    dd = load_park2021(corpus("directed-sentiment-park2021"))
    # README: 13,144 / 1,461 / 1,623 sentences, two directed rows each
    assert sizes(dd) == {"train": 26288, "validation": 2922, "test": 3246}
    assert_offsets(dd)
    label5 = [json.loads(m)["label5"] for m in dd["train"]["meta"][::2]]
    # README class counts over all splits: 10,604 neutral, 1,656 pos p→q, 327 pos q→p, 3,163 neg p→q, 478 neg q→p
    assert label5.count(0) == 8589 and label5.count(3) == 2562


def test_newsmtsc() -> None:
    dd = load_newsmtsc(corpus("newsmtsc"))
    # README: 7,758 / 1,067 / 721 sentences
    assert {k: len(set(dd[k]["group_id"])) for k in ("train", "devtest_rw", "devtest_mt")} == {
        "train": 7758,
        "devtest_rw": 1067,
        "devtest_mt": 721,
    }
    assert sizes(dd)["train"] == 8739
    assert dd["rw_dev"].num_rows + dd["rw_test"].num_rows == dd["devtest_rw"].num_rows
    assert dd["mt_dev"].num_rows + dd["mt_test"].num_rows == dd["devtest_mt"].num_rows
    assert 0.2 < dd["rw_dev"].num_rows / dd["devtest_rw"].num_rows < 0.4
    assert_offsets(dd)


def test_seesaw() -> None:
    root = corpus("seesaw")
    pairs = load_seesaw_pairs(root, include_none_pairs=True)
    info = {k: json.loads(v.info.description) for k, v in pairs.items()}
    none = sum(i["none_pairs"] for i in info.values())
    kept = sum(sizes(pairs).values()) - none
    skipped = sum(sum(i["skipped"].values()) for i in info.values())
    collapsed = sum(i["collapsed_duplicate_entries"] for i in info.values())
    assert kept + skipped + collapsed == 8699  # README: 8,699 triplets
    assert 6500 < kept < 7500 and none > 0
    assert sum(split["label"].count(2) for split in pairs.values()) == none  # label 2 = "none"
    assert_offsets(pairs)
    articles = load_seesaw_articles(root)
    assert sizes(articles)["train"] + sizes(articles)["validation"] == 486
    assert len(set(articles["train"]["story_id"])) == 127 and len(set(articles["validation"]["story_id"])) == 35
    sentiment = load_seesaw_entity_sentiment(root)
    assert 3000 < sum(sizes(sentiment).values()) < 4000
    assert_offsets(sentiment)


def test_persent() -> None:
    dd = load_persent(corpus("persent"))
    assert sizes(dd) == {"validation": 578, "test": 579}
    assert_offsets(dd)


def test_perspectrum() -> None:
    dd = load_perspectrum(corpus("perspectrum"))
    assert sum(sizes(dd).values()) == 11822
    assert sizes(dd) == {"train": 6978, "validation": 2071, "test": 2773}


def test_ibm_claim_stance() -> None:
    dd = load_ibm_claim_stance(corpus("ibm-claim-stance"))
    assert sizes(dd) == {"train": 1039, "test": 1355}
    assert len(set(dd["train"]["doc_id"]) | set(dd["test"]["doc_id"])) == 55


def test_emergent() -> None:
    dd = load_emergent(corpus("emergent"))
    assert sum(sizes(dd).values()) == 2595
    claims = [set(split["doc_id"]) for split in dd.values()]
    assert sum(len(c) for c in claims) == 300 and not (
        claims[0] & claims[1] or claims[0] & claims[2] or claims[1] & claims[2]
    )


def test_semeval2016() -> None:
    dd = load_semeval2016(corpus("semeval2016-task6"))
    assert sizes(dd) == {"train": 2814, "test": 1249}


def test_vast() -> None:
    dd = load_vast(corpus("vast"))
    assert sizes(dd) == {"validation": 2062, "test": 3006}
    assert {json.loads(m)["seen"] for m in dd["test"]["meta"]} == {0, 1}
