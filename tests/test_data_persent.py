"""Tests for the PerSenT loader, on tiny fixtures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from stance.data._io import DataFormatError, offset_errors
from stance.data.persent import load_persent
from stance.data.schema import sentiment_features

HEADER = [
    "DOCUMENT_INDEX",
    "TITLE",
    "TARGET_ENTITY",
    "DOCUMENT",
    "MASKED_DOCUMENT",
    "TRUE_SENTIMENT",
    "Paragraph0",
    "Paragraph1",
]
DEV = [
    [
        "1",
        "HOMEOWNERS",
        "Benjamin Koellmann",
        'In 2006  Benjamin Koellmann bought a condo.\n "Suckers " Koellmann said.',
        "In 2006  [TGT] bought",
        "Positive",
        "Neutral",
        "Positive",
    ],
    [
        "2",
        "Aquino",
        "Benigno Aquino III",
        "President Aquino said he is through apologizing.",
        "x",
        "Negative",
        "Negative",
        "",
    ],
]
TEST = [["3", "T", "Lee", "Leeds fans and Mr Lee met.", "x", "Neutral", "Neutral", ""]]


def write_persent(
    root: Path, dev: list[list[str]] = DEV, test: list[list[str]] = TEST, header: list[str] = HEADER
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in (("dev.csv", dev), ("random_test.csv", test)):
        with open(root / name, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(rows)
    return root


def test_schema_labels_offsets(tmp_path: Path) -> None:
    dd = load_persent(write_persent(tmp_path))
    assert set(dd) == {"validation", "test"}
    for split in dd.values():
        assert split.features == sentiment_features()
        assert offset_errors(split) == []
    dev = dd["validation"]
    names = dev.features["label"].names
    assert [names[x] for x in dev["label"]] == ["positive", "negative"]
    assert dev[0]["text"] == DEV[0][3]  # unchanged, newline included
    assert (dev[0]["target_start"], dev[0]["target_end"]) == (9, 27)
    assert dev[1]["target_start"] == -1 and dev[1]["target"] == "Benigno Aquino III"
    assert dev[0]["doc_id"] == dev[0]["group_id"] == "1"
    meta = json.loads(dev[0]["meta"])
    assert meta["paragraph_sentiments"] == ["Neutral", "Positive"] and meta["title"] == "HOMEOWNERS"
    assert json.loads(dev.info.description)["target_not_in_text"] == 1
    # whole-word match preferred over the substring inside "Leeds"
    test = dd["test"][0]
    assert test["text"][test["target_start"] : test["target_end"]] == "Lee" and test["target_start"] == 18


def test_optional_train_file(tmp_path: Path) -> None:
    write_persent(tmp_path)
    (tmp_path / "train.csv").write_bytes((tmp_path / "dev.csv").read_bytes())
    dd = load_persent(tmp_path)
    assert set(dd) == {"train", "validation", "test"} and dd["train"].num_rows == 2


def test_missing_directory_and_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"dev\.csv,random_test\.csv"):
        load_persent(tmp_path / "nope")
    write_persent(tmp_path)
    (tmp_path / "random_test.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"random_test\.csv.*expected layout"):
        load_persent(tmp_path)


def test_missing_column_names_file(tmp_path: Path) -> None:
    header = [h if h != "TRUE_SENTIMENT" else "SENTIMENT" for h in HEADER]
    write_persent(tmp_path, header=header)
    with pytest.raises(DataFormatError, match=r"dev\.csv:1: missing column\(s\) \['TRUE_SENTIMENT'\]"):
        load_persent(tmp_path)


def test_bad_label_names_file_and_line(tmp_path: Path) -> None:
    # the first record spans lines 2-3 (quoted newline), so the bad one starts on line 4
    write_persent(tmp_path, dev=[DEV[0], [*DEV[1][:5], "Great", "", ""]])
    with pytest.raises(DataFormatError, match=r"dev\.csv:4: TRUE_SENTIMENT"):
        load_persent(tmp_path)


def test_wrong_field_count_names_file_and_line(tmp_path: Path) -> None:
    write_persent(tmp_path, test=[TEST[0][:4]])
    with pytest.raises(DataFormatError, match=r"random_test\.csv:2: expected 8 fields"):
        load_persent(tmp_path)
