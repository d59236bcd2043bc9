"""Tests for the NewsMTSC loader, on tiny fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stance.data._io import DataFormatError, offset_errors, stable_fraction
from stance.data.newsmtsc import DEV_FRACTION, load_newsmtsc
from stance.data.schema import sentiment_features


def sentence(gid: str, text: str, *targets: tuple[str, float]) -> dict[str, Any]:
    out = []
    for mention, polarity in targets:
        start = text.index(mention)
        out.append(
            {
                "Input.gid": f"{gid}_{mention}",
                "from": start,
                "to": start + len(mention),
                "mention": mention,
                "polarity": polarity,
            }
        )
    return {"primary_gid": gid, "sentence_normalized": text, "targets": out}


TRAIN = [
    sentence("g1", "Winner wrote that she met the director.", ("Winner", 4.0)),
    sentence("g2", "She called President Trump a liar.", ("She", 2.0), ("President Trump", 2.0)),
    sentence("g3", "Hillary Clinton praised the staff.", ("Hillary Clinton", 6.0)),
]
TRAIN[2]["targets"][0]["further_mentions"] = [{"from": 0, "to": 7, "mention": "Hillary"}]
DEVTEST = [
    sentence(f"d{i}", f"Senator Smith{i} spoke to Jones{i}.", (f"Smith{i}", 4.0), (f"Jones{i}", 6.0)) for i in range(20)
]


def write_newsmtsc(root: Path, **files: list[Any]) -> Path:
    official = root / "official"
    official.mkdir(parents=True, exist_ok=True)
    content = {"train": TRAIN, "devtest_rw": DEVTEST, "devtest_mt": DEVTEST[:6]}
    content.update(files)
    for name, lines in content.items():
        (official / f"{name}.jsonl").write_text(
            "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8"
        )
    return root


def test_schema_splits_labels_offsets(tmp_path: Path) -> None:
    dd = load_newsmtsc(write_newsmtsc(tmp_path))
    assert set(dd) == {"train", "devtest_rw", "devtest_mt", "rw_dev", "rw_test", "mt_dev", "mt_test"}
    for split in dd.values():
        assert split.features == sentiment_features()
        assert offset_errors(split) == []
    train = dd["train"]
    assert train.num_rows == 4
    names = train.features["label"].names
    assert [names[x] for x in train["label"]] == ["neutral", "negative", "negative", "positive"]
    assert train["target"] == ["Winner", "She", "President Trump", "Hillary Clinton"]
    assert train["group_id"] == ["g1", "g2", "g2", "g3"] and train["doc_id"] == train["group_id"]
    meta = json.loads(train[3]["meta"])
    assert meta["polarity"] == 6.0 and meta["input_gid"] == "g3_Hillary Clinton"
    assert meta["further_mentions"] == [{"start": 0, "end": 7, "mention": "Hillary"}]


def test_protocol_splits_are_deterministic_partitions_by_sentence(tmp_path: Path) -> None:
    dd = load_newsmtsc(write_newsmtsc(tmp_path))
    for source, dev, test in (("devtest_rw", "rw_dev", "rw_test"), ("devtest_mt", "mt_dev", "mt_test")):
        assert dd[dev].num_rows + dd[test].num_rows == dd[source].num_rows
        dev_ids, test_ids = set(dd[dev]["group_id"]), set(dd[test]["group_id"])
        assert not dev_ids & test_ids
        for gid in dev_ids:
            assert stable_fraction(gid) < DEV_FRACTION
        for gid in test_ids:
            assert stable_fraction(gid) >= DEV_FRACTION
    again = load_newsmtsc(tmp_path)
    assert again["rw_dev"]["group_id"] == dd["rw_dev"]["group_id"]
    assert json.loads(dd["rw_dev"].info.description)["derived_from"] == "devtest_rw"
    # 20 sentences: both parts are non-empty
    assert dd["rw_dev"].num_rows > 0 and dd["rw_test"].num_rows > 0


def test_missing_directory_and_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="official/"):
        load_newsmtsc(tmp_path / "absent")
    write_newsmtsc(tmp_path)
    (tmp_path / "official" / "devtest_mt.jsonl").unlink()
    with pytest.raises(FileNotFoundError, match=r"devtest_mt\.jsonl.*expected layout"):
        load_newsmtsc(tmp_path)


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    write_newsmtsc(tmp_path, train=[TRAIN[0], "{not json"])
    with pytest.raises(DataFormatError, match=r"train\.jsonl:2: invalid JSON"):
        load_newsmtsc(tmp_path)


def test_wrong_layout_names_file(tmp_path: Path) -> None:
    write_newsmtsc(tmp_path, devtest_rw=[{"sentence": "x"}])
    with pytest.raises(ValueError, match=r"devtest_rw\.jsonl:1: expected an object"):
        load_newsmtsc(tmp_path)


def test_bad_offsets_name_file_and_line(tmp_path: Path) -> None:
    bad = sentence("b", "Obama spoke.", ("Obama", 4.0))
    bad["targets"][0]["to"] = 4  # inclusive end: wrong
    write_newsmtsc(tmp_path, train=[TRAIN[0], TRAIN[1], bad])
    with pytest.raises(DataFormatError, match=r"train\.jsonl:3: target offsets 0:4"):
        load_newsmtsc(tmp_path)


def test_bad_polarity_names_file_and_line(tmp_path: Path) -> None:
    bad = sentence("b", "Obama spoke.", ("Obama", 5.0))
    write_newsmtsc(tmp_path, devtest_mt=[bad])
    with pytest.raises(DataFormatError, match=r"devtest_mt\.jsonl:1: polarity"):
        load_newsmtsc(tmp_path)
