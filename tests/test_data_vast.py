"""Tests for the VAST loader (reduced and official column sets), on tiny fixtures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from stance.data._io import DataFormatError
from stance.data.schema import AUTHOR, pair_features
from stance.data.vast import load_vast

REDUCED = ["Tweet", "Target", "Stance", "seen?"]
DEV = [
    ['The comments can "improve" the quality, but not David Brooks.', "comment section", "0", "1"],
    ["I was against nuclear power,\nbut now nuclear should be in the mix.", "nuclear power", "1", "0"],
    ["I was against nuclear power,\nbut now nuclear should be in the mix.", "fusion energy", "2", "0"],
]
TEST = [["Guns kill.", "gun control", "1", "1"]]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def write_vast(
    root: Path, dev: list[list[str]] = DEV, test: list[list[str]] = TEST, header: list[str] = REDUCED
) -> Path:
    write_csv(root / "reduced_copy" / "vast_dev.csv", header, dev)
    write_csv(root / "reduced_copy" / "vast_test.csv", header, test)
    return root


def test_schema_labels_and_seen_flag(tmp_path: Path) -> None:
    dd = load_vast(write_vast(tmp_path))
    assert set(dd) == {"validation", "test"}
    for split in dd.values():
        assert split.features == pair_features()
    dev = dd["validation"]
    names = dev.features["label"].names
    assert [names[x] for x in dev["label"]] == ["against", "favor", "none"]
    metas = [json.loads(m) for m in dev["meta"]]
    assert [m["seen"] for m in metas] == [1, 0, 0]
    assert [m["setting"] for m in metas] == ["few-shot", "zero-shot", "zero-shot"]
    row = dev[1]
    assert row["text"] == DEV[1][0] and row["target"] == "nuclear power" and row["source"] == AUTHOR
    assert (row["source_start"], row["target_start"]) == (-1, -1) and row["doc_id"] == "nuclear power"
    assert dev[1]["group_id"] == dev[2]["group_id"] != dev[0]["group_id"]  # same comment, two topics
    info = json.loads(dev.info.description)
    assert info["zero_shot"] == 2 and info["few_shot"] == 1 and info["file"] == "reduced_copy/vast_dev.csv"


def test_official_columns_and_train(tmp_path: Path) -> None:
    header = [
        "author",
        "post",
        "ori_topic",
        "new_topic",
        "label",
        "type_idx",
        "new_id",
        "arc_id",
        "topic_str",
        "seen?",
        "contains_topic?",
    ]
    rows = [["a", "Ban guns now.", "guns", "gun control", "1", "1", "7", "arc1", "gun control", "0", "1"]]
    for name in ("vast_train.csv", "vast_dev.csv", "vast_test.csv"):
        write_csv(tmp_path / "official" / name, header, rows)
    dd = load_vast(tmp_path)
    assert set(dd) == {"train", "validation", "test"}
    row = dd["train"][0]
    assert row["text"] == "Ban guns now." and row["target"] == "gun control"
    meta = json.loads(row["meta"])
    assert meta["new_id"] == "7" and meta["arc_id"] == "arc1" and meta["contains_topic?"] == "1" and meta["seen"] == 0


def test_missing_directory_and_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"reduced_copy/vast_\{dev,test\}\.csv"):
        load_vast(tmp_path / "nope")
    write_vast(tmp_path)
    (tmp_path / "reduced_copy" / "vast_test.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"no vast_dev\.csv and vast_test\.csv.*expected layout"):
        load_vast(tmp_path)


def test_missing_column_names_file(tmp_path: Path) -> None:
    write_vast(tmp_path, header=["Tweet", "Target", "Stance", "seen"])
    with pytest.raises(DataFormatError, match=r"vast_dev\.csv:1: missing column\(s\) \['seen\?'\]"):
        load_vast(tmp_path)


def test_bad_values_name_file_and_line(tmp_path: Path) -> None:
    write_vast(tmp_path, test=[TEST[0], ["x", "y", "3", "0"]])
    with pytest.raises(DataFormatError, match=r"vast_test\.csv:3: Stance must be one of \[0, 1, 2\]"):
        load_vast(tmp_path)
    write_vast(tmp_path, test=[["x", "y", "1", "yes"]])
    with pytest.raises(DataFormatError, match=r"vast_test\.csv:2: seen\? must be one of \[0, 1\]"):
        load_vast(tmp_path)
