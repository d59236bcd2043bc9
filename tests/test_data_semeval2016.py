"""Tests for the SemEval-2016 Task 6 loader (encodings, gold alignment), on tiny fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.data._io import DataFormatError
from stance.data.schema import AUTHOR, pair_features
from stance.data.semeval2016 import load_semeval2016

HEADER = b"ID\tTarget\tTweet\tStance\r\n"
TRAIN = [
    b"101\tAtheism\tdear lord thank u for all of ur blessings #SemST\tAGAINST",
    b'110\tAtheism\tRT "...That kind of modesty is too arrogant for me."'
    b"\xcd\xa2\x91\x84\x91\xeeChristopher Hitchens #SemST\tNONE",
    b"201\tHillary Clinton\tHillary for president! #SemST\tFAVOR",
]
TEST = [
    b"10001\tAtheism\tHe who exalts himself shall      be humbled. #SemST\tUNKNOWN",
    b'10015\tAtheism\tNext time you hear "Christian Nation," show them. #SemST\tUNKNOWN',
]
GOLD = [
    b"0\tAtheism\tHe who exalts himself shall      be humbled. #SemST\tAGAINST",
    b'1\tAtheism\t"Next time you hear ""Christian Nation,"" show them. #SemST"\tFAVOR',
]


def write_semeval(root: Path, train: list[bytes] = TRAIN, test: list[bytes] = TEST, gold: list[bytes] = GOLD) -> Path:
    official = root / "official"
    (official / "eval").mkdir(parents=True, exist_ok=True)
    (official / "semeval2016-task6-trainingdata.txt").write_bytes(HEADER + b"\r\n".join(train) + b"\r\n")
    (official / "SemEval2016-Task6-subtaskA-testdata.txt").write_bytes(HEADER + b"\r\n".join(test) + b"\r\n")
    (official / "eval" / "gold.txt").write_bytes(HEADER.replace(b"\r\n", b"\n") + b"\n".join(gold) + b"\n")
    return root


def test_schema_labels_encoding_and_gold(tmp_path: Path) -> None:
    dd = load_semeval2016(write_semeval(tmp_path))
    assert set(dd) == {"train", "test"}
    for split in dd.values():
        assert split.features == pair_features()
    train, test = dd["train"], dd["test"]
    names = train.features["label"].names
    assert [names[x] for x in train["label"]] == ["against", "none", "favor"]
    # cp1252 fallback: 0x91 is a left single quote; double quotes stay literal
    assert train[1]["text"] == 'RT "...That kind of modesty is too arrogant for me."Í¢‘„‘îChristopher Hitchens #SemST'
    assert json.loads(train.info.description)["encodings"] == {"official/semeval2016-task6-trainingdata.txt": "cp1252"}
    row = train[2]
    assert row["source"] == AUTHOR and row["target"] == "Hillary Clinton" and row["target_start"] == -1
    assert row["doc_id"] == "Hillary Clinton" and json.loads(row["meta"]) == {
        "target": "Hillary Clinton",
        "id": "201",
        "stance": "FAVOR",
    }
    assert [names[x] for x in test["label"]] == ["against", "favor"]
    assert test[1]["text"] == 'Next time you hear "Christian Nation," show them. #SemST'
    assert test[0]["group_id"] == "semeval2016:test:10001"


def test_missing_directory_and_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"official/eval/gold\.txt"):
        load_semeval2016(tmp_path / "nope")
    write_semeval(tmp_path)
    (tmp_path / "official" / "eval" / "gold.txt").unlink()
    with pytest.raises(FileNotFoundError, match=r"gold\.txt.*expected layout"):
        load_semeval2016(tmp_path)


def test_missing_column_names_file(tmp_path: Path) -> None:
    write_semeval(tmp_path)
    path = tmp_path / "official" / "SemEval2016-Task6-subtaskA-testdata.txt"
    path.write_bytes(path.read_bytes().replace(b"Stance", b"Label", 1))
    with pytest.raises(DataFormatError, match=r"subtaskA-testdata\.txt:1: missing column"):
        load_semeval2016(tmp_path)


def test_bad_label_and_width_name_file_and_line(tmp_path: Path) -> None:
    write_semeval(tmp_path, train=[TRAIN[0], b"102\tAtheism\ttweet\tMAYBE"])
    with pytest.raises(DataFormatError, match=r"trainingdata\.txt:3: Stance must be"):
        load_semeval2016(tmp_path)
    write_semeval(tmp_path, train=[TRAIN[0], b"102\tAtheism\ttweet"])
    with pytest.raises(DataFormatError, match=r"trainingdata\.txt:3: expected 4 fields"):
        load_semeval2016(tmp_path)


def test_gold_misaligned_names_gold_line(tmp_path: Path) -> None:
    write_semeval(tmp_path, gold=[GOLD[0], b"1\tAtheism\tsomething else\tFAVOR"])
    with pytest.raises(DataFormatError, match=r"gold\.txt:3: gold row does not match test row ID 10015"):
        load_semeval2016(tmp_path)
    write_semeval(tmp_path, gold=GOLD[:1])
    with pytest.raises(DataFormatError, match=r"gold\.txt: has 1 rows"):
        load_semeval2016(tmp_path)
