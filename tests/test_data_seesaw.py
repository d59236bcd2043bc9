"""Tests for the SEESAW loaders (pairs, entity sentiment, articles), on tiny fixtures."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from stance.data._io import DataFormatError, offset_errors
from stance.data.schema import AUTHOR, article_features, pair_features, sentiment_features
from stance.data.seesaw import (
    article_text,
    load_seesaw_articles,
    load_seesaw_entity_sentiment,
    load_seesaw_pairs,
)

SENTENCES = [
    "President Obama is accusing Congress of playing politics with Loretta Lynch.",
    "Mr. Obama blasted Republicans for blocking Ms. Lynch.",
    "Senators from both parties say they support her.",
    "The GOP and Congress met Obama on Tuesday.",
]
ENTITIES = [
    ["Barack Obama", ["People"], ["Main"], ["A"]],
    ["Congress", ["Organization"], ["Main"], ["A"]],
    ["Republican Party", ["People", "Organization"], ["Salient", "Main"], ["A", "B"]],
    ["Loretta Lynch", ["People"], ["Salient"], ["A"]],
]


def triplet(subject: str, sentiment: str, obj: str, annotators: list[str] | None = None) -> dict[str, Any]:
    return {"id": 0, "subject": subject, "sentiment": sentiment, "object": obj, "annotators": annotators or ["A"]}


STANCES = {
    "0": [triplet("Barack Obama", "NEG", "Congress"), triplet("Not in the list", "POS", "Loretta Lynch")],
    "1": [
        triplet("Barack Obama", "NEG", "Republican Party", ["A"]),
        triplet("Barack Obama", "POS", "Republican Party", ["B"]),  # tie 1-1: first listed (NEG) wins
        triplet("Republican Party", "NEG", "Loretta Lynch", ["A"]),
        triplet("Republican Party", "POS", "Loretta Lynch", ["B", "C"]),  # majority POS
    ],
    "2": [triplet("None", "POS", "Loretta Lynch"), triplet("Congress", "NEG", "Not in the list")],
    "3": [triplet("Republican Party", "NEG", "Barack Obama")],
}
SENTIMENTS = {
    "Barack Obama": [["Positive", "A"], ["Slightly Positive", "B"], ["Neutral", "C"]],  # majority positive
    "Congress": [["Slightly Negative", "A"], ["Positive", "B"]],  # tie -> mean 0.5 -> positive
    "Republican Party": [["Very Negative", "A"], ["Neutral", "B"], ["Unknown", "C"]],  # tie -> mean -1.5
    "Loretta Lynch": [["Unknown", "A"]],  # only unknown -> skipped
}


def write_seesaw(root: Path, *, valid_story: bool = True) -> Path:
    base = root / "SEESAW"
    for sub in ("annotations", "articles", "meta"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    stories = [("000", "train")] + ([("001", "valid")] if valid_story else [])
    for story, split in stories:
        (base / "meta" / f"TRIPLET_{story}.json").write_text(json.dumps({"Split": split, "triplet_id": story}))
        for k in range(2 if story == "000" else 1):
            name = f"TRIPLET_{story}_DOCUMENT_{k}.json"
            article = {
                "title": f"Obama on Lynch {story}-{k}",
                "text": [{"id": i, "text": s} for i, s in enumerate(SENTENCES)],
            }
            (base / "articles" / name).write_text(json.dumps(article))
            ann = {
                "title": article["title"],
                "entity lists": ENTITIES,
                "sentence-level stances": STANCES if k == 0 else {"3": STANCES["3"]},
                "entity sentiments": SENTIMENTS,
                "article ideology": [],
                "entity ideologies": {},
            }
            (base / "annotations" / name).write_text(json.dumps(ann))
    return root


def metas(ds: Any) -> list[dict[str, Any]]:
    return [json.loads(m) for m in ds["meta"]]


def test_pairs_schema_splits_and_offsets(tmp_path: Path) -> None:
    dd = load_seesaw_pairs(write_seesaw(tmp_path))
    assert set(dd) == {"train", "validation"}
    for split in dd.values():
        assert split.features == pair_features()
        assert offset_errors(split) == []
    # story 000 has two articles: doc 0 with 5 kept triplets (7 distinct, 2 "Not in the
    # list"), doc 1 with 1; story 001 has one article like doc 0
    assert dd["train"].num_rows == 6 and dd["validation"].num_rows == 5
    assert set(dd["train"]["doc_id"]) == {"TRIPLET_000_DOCUMENT_0", "TRIPLET_000_DOCUMENT_1"}


def test_pairs_labels_mentions_and_meta(tmp_path: Path) -> None:
    train = load_seesaw_pairs(write_seesaw(tmp_path))["train"]
    names = train.features["label"].names
    rows = {(m["subject"], m["object"], m["sentence_id"], r["doc_id"]): (r, m) for r, m in zip(train, metas(train))}
    doc0 = "TRIPLET_000_DOCUMENT_0"

    r, m = rows[("Barack Obama", "Congress", 0, doc0)]
    assert names[r["label"]] == "against"
    assert (r["source"], r["target"]) == ("Obama", "Congress")
    assert m["found"] == {"subject": "last_name", "object": "exact"}
    assert m["story_id"] == "000" and m["subject_types"] == ["People"] and m["object_types"] == ["Organization"]
    assert r["group_id"] == f"{doc0}:0"

    r, m = rows[("Barack Obama", "Republican Party", 1, doc0)]
    assert names[r["label"]] == "against" and m["tie"] is True and m["votes"] == {"NEG": 1, "POS": 1}
    assert r["target"] == "Republicans" and m["found"]["object"] == "alias"

    r, m = rows[("Republican Party", "Loretta Lynch", 1, doc0)]
    assert names[r["label"]] == "favor" and m["tie"] is False and m["votes"] == {"NEG": 1, "POS": 2}
    assert (r["source"], r["target"]) == ("Republicans", "Lynch")

    r, m = rows[(AUTHOR, "Loretta Lynch", 2, doc0)]
    assert r["source"] == AUTHOR and r["source_start"] == r["source_end"] == -1 and names[r["label"]] == "favor"
    assert m["found"] == {"subject": "author", "object": None}
    assert r["target"] == "Loretta Lynch" and r["target_start"] == -1  # "her" is not located

    r, m = rows[("Republican Party", "Barack Obama", 3, doc0)]
    assert (r["source"], r["target"]) == ("GOP", "Obama")


def test_not_in_list_triplets_are_counted_and_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="stance.data.seesaw"):
        dd = load_seesaw_pairs(write_seesaw(tmp_path))
    info = json.loads(dd["train"].info.description)
    assert info["skipped"] == {"not_in_list": 2}
    assert info["ties"] == 1 and info["collapsed_duplicate_entries"] == 2
    assert json.loads(dd["validation"].info.description)["skipped"] == {"not_in_list": 2}
    assert any("skipped 2 triplet" in rec.getMessage() for rec in caplog.records)
    for row in dd["train"]:
        assert "Not in the list" not in (row["source"], row["target"])


def test_none_pairs(tmp_path: Path) -> None:
    plain = load_seesaw_pairs(write_seesaw(tmp_path))["train"]
    dd = load_seesaw_pairs(tmp_path, include_none_pairs=True)
    train = dd["train"]
    assert offset_errors(train) == []
    names = train.features["label"].names
    none = [(r, m) for r, m in zip(train, metas(train)) if names[r["label"]] == "none"]
    assert len(none) == train.num_rows - plain.num_rows
    pairs = {(m["sentence_id"], m["subject"], m["object"], r["doc_id"]) for r, m in none}
    doc0 = "TRIPLET_000_DOCUMENT_0"
    # sentence 0: Obama, Congress, Lynch found; Obama-Congress related -> 4 ordered none pairs
    assert {(s, o) for sid, s, o, d in pairs if sid == 0 and d == doc0} == {
        ("Barack Obama", "Loretta Lynch"),
        ("Loretta Lynch", "Barack Obama"),
        ("Congress", "Loretta Lynch"),
        ("Loretta Lynch", "Congress"),
    }
    # sentence 1: Obama, Republicans, Lynch all related except Obama-Lynch
    assert {(s, o) for sid, s, o, d in pairs if sid == 1 and d == doc0} == {
        ("Barack Obama", "Loretta Lynch"),
        ("Loretta Lynch", "Barack Obama"),
    }
    # sentence 2 has triplets but no listed entity is found
    assert not any(sid == 2 for sid, *_ in pairs)
    for r, m in none:
        assert m["none_pair"] is True and r["source_start"] >= 0 and r["target_start"] >= 0
    assert json.loads(train.info.description)["none_pairs"] == len(none)
    capped = load_seesaw_pairs(tmp_path, include_none_pairs=True, max_none_per_sentence=1, seed=3)["train"]
    again = load_seesaw_pairs(tmp_path, include_none_pairs=True, max_none_per_sentence=1, seed=3)["train"]
    assert capped["meta"] == again["meta"]
    assert capped.num_rows < train.num_rows


def test_entity_sentiment(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="stance.data.seesaw"):
        dd = load_seesaw_entity_sentiment(write_seesaw(tmp_path))
    train = dd["train"]
    assert train.features == sentiment_features()
    assert offset_errors(train) == []
    names = train.features["label"].names
    doc0 = [(r, m) for r, m in zip(train, metas(train)) if r["doc_id"] == "TRIPLET_000_DOCUMENT_0"]
    by_entity = {m["entity"]: (r, m) for r, m in doc0}
    assert set(by_entity) == {"Barack Obama", "Congress", "Republican Party"}  # Lynch: only Unknown
    title = "Obama on Lynch 000-0"
    assert doc0[0][0]["text"] == article_text(title, SENTENCES) == title + "\n" + " ".join(SENTENCES)

    r, m = by_entity["Barack Obama"]
    assert names[r["label"]] == "positive" and m["tie"] is False
    assert m["mean_score"] == pytest.approx(1.0) and m["votes"] == {"positive": 2, "neutral": 1}
    assert r["target"] == "Obama" and r["target_start"] == 0 and m["found"] == "last_name"

    r, m = by_entity["Congress"]
    assert names[r["label"]] == "positive" and m["tie"] is True and m["mean_score"] == pytest.approx(0.5)

    r, m = by_entity["Republican Party"]
    assert names[r["label"]] == "negative" and m["tie"] is True and m["mean_score"] == pytest.approx(-1.5)
    assert m["unknown_votes"] == 1 and m["role"] == "Main" and m["types"] == ["People", "Organization"]

    info = json.loads(train.info.description)
    assert info["skipped"] == {"only_unknown": 2}
    assert any("only 'Unknown'" in rec.getMessage() for rec in caplog.records)


def test_articles(tmp_path: Path) -> None:
    dd = load_seesaw_articles(write_seesaw(tmp_path))
    assert dd["train"].features == article_features()
    assert dd["train"].num_rows == 2 and dd["validation"].num_rows == 1
    art = dd["train"][0]
    assert art["doc_id"] == "TRIPLET_000_DOCUMENT_0" and art["story_id"] == "000" and art["split"] == "train"
    assert art["sentences"] == SENTENCES
    assert art["entities"][2] == {"name": "Republican Party", "types": ["People", "Organization"], "role": "Main"}
    trip = {(t["sentence_id"], t["subject"], t["object"]): t["polarity"] for t in art["triplets"]}
    assert len(trip) == 7
    assert trip[(2, AUTHOR, "Loretta Lynch")] == "POS"
    assert trip[(0, "Not in the list", "Loretta Lynch")] == "POS"
    assert trip[(1, "Republican Party", "Loretta Lynch")] == "POS"
    sent = {s["name"]: (s["label"], s["score"]) for s in art["entity_sentiments"]}
    assert sent["Barack Obama"] == ("positive", pytest.approx(1.0)) and "Loretta Lynch" not in sent


def test_missing_directory_names_layout(tmp_path: Path) -> None:
    for loader in (load_seesaw_pairs, load_seesaw_entity_sentiment, load_seesaw_articles):
        with pytest.raises(FileNotFoundError, match=r"SEESAW/\{annotations,articles,meta\}"):
            loader(tmp_path / "absent")
    tmp_path.joinpath("SEESAW").mkdir()
    with pytest.raises(FileNotFoundError, match="expected layout"):
        load_seesaw_pairs(tmp_path)


def test_missing_annotation_or_meta_file(tmp_path: Path) -> None:
    write_seesaw(tmp_path)
    (tmp_path / "SEESAW" / "annotations" / "TRIPLET_000_DOCUMENT_1.json").unlink()
    with pytest.raises(FileNotFoundError, match=r"TRIPLET_000_DOCUMENT_1\.json.*expected layout"):
        load_seesaw_pairs(tmp_path)
    write_seesaw(tmp_path)
    (tmp_path / "SEESAW" / "meta" / "TRIPLET_001.json").unlink()
    with pytest.raises(FileNotFoundError, match=r"meta/TRIPLET_001\.json"):
        load_seesaw_pairs(tmp_path)


def test_bad_split_names_meta_file(tmp_path: Path) -> None:
    write_seesaw(tmp_path)
    (tmp_path / "SEESAW" / "meta" / "TRIPLET_001.json").write_text(json.dumps({"Split": "dev-2"}))
    with pytest.raises(DataFormatError, match=r"TRIPLET_001\.json: 'Split' must be one of"):
        load_seesaw_pairs(tmp_path)


def test_a_copy_with_test_stories_gets_a_test_split(tmp_path: Path) -> None:
    from stance.data.seesaw import load_seesaw_articles, load_seesaw_entity_sentiment

    write_seesaw(tmp_path)
    assert "test" not in load_seesaw_pairs(tmp_path)  # the public release has no test stories
    (tmp_path / "SEESAW" / "meta" / "TRIPLET_001.json").write_text(json.dumps({"Split": "test"}))
    for loader in (load_seesaw_pairs, load_seesaw_entity_sentiment, load_seesaw_articles):
        dd = loader(tmp_path)
        assert set(dd) == {"train", "validation", "test"}, loader.__name__
        assert dd["test"].num_rows > 0 and dd["validation"].num_rows == 0


def test_malformed_triplet_names_file_and_sentence(tmp_path: Path) -> None:
    write_seesaw(tmp_path)
    path = tmp_path / "SEESAW" / "annotations" / "TRIPLET_001_DOCUMENT_0.json"
    ann = json.loads(path.read_text())
    ann["sentence-level stances"]["3"].append(triplet("Congress", "MAYBE", "Barack Obama"))
    path.write_text(json.dumps(ann))
    with pytest.raises(
        DataFormatError, match=r"TRIPLET_001_DOCUMENT_0\.json: sentence 3, triplet #1: sentiment must be POS or NEG"
    ):
        load_seesaw_pairs(tmp_path)


def test_bad_sentiment_label_and_wrong_keys(tmp_path: Path) -> None:
    write_seesaw(tmp_path)
    path = tmp_path / "SEESAW" / "annotations" / "TRIPLET_001_DOCUMENT_0.json"
    ann = json.loads(path.read_text())
    ann["entity sentiments"]["Congress"] = [["Somewhat Negative", "A"]]
    path.write_text(json.dumps(ann))
    with pytest.raises(DataFormatError, match=r"TRIPLET_001_DOCUMENT_0\.json: .*'Somewhat Negative'"):
        load_seesaw_entity_sentiment(tmp_path)
    path.write_text(json.dumps({"title": "x"}))
    with pytest.raises(ValueError, match=r"TRIPLET_001_DOCUMENT_0\.json: expected an object with keys"):
        load_seesaw_articles(tmp_path)


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    write_seesaw(tmp_path)
    (tmp_path / "SEESAW" / "articles" / "TRIPLET_001_DOCUMENT_0.json").write_text('{\n"title": \n}')
    with pytest.raises(DataFormatError, match=r"TRIPLET_001_DOCUMENT_0\.json:3: invalid JSON"):
        load_seesaw_pairs(tmp_path)
