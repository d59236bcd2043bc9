"""Tests for the Park et al. (2021) directed-sentiment loader, on tiny fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.data._io import DataFormatError, offset_errors
from stance.data.park2021 import (
    load_park2021,
    park_5class_to_pairs,
    park_pairs_to_5class,
    strip_entity_brackets,
)
from stance.data.schema import PAIR_LABELS, pair_features

TRAIN = [
    "A [Los Angele]s news anchor said coffee is available in [the United State]s.\tLos Angele\tthe United State\t0",
    "[Trump] praised [Kasich] [sic] today.\tTrump\tKasich\t1",
    '"[Tim asked.""Again], that is fine,"" [Daisy] said."\t"Tim asked.""Again"\tDaisy\t2',
    "Officials said [Omar Othman ] blamed [Jordan] for it.\tOmar Othman\tJordan\t3",
    "It was unfair,[ Davi]s said of [Kristen Stewart].\tDavi\tKristen Stewart\t4",
]
VALID = ["[Obama] met [Putin].\tObama\tPutin\t0"]
TEST = ["[Merkel] criticised [Orban].\tMerkel\tOrban\t3"]


def write_park(root: Path, train: list[str] = TRAIN, valid: list[str] = VALID, test: list[str] = TEST) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, lines in (("train.txt", train), ("valid.txt", valid), ("test.txt", test)):
        (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def one_hot(label: str) -> list[float]:
    return [1.0 if name == label else 0.0 for name in PAIR_LABELS]


def test_schema_splits_and_row_counts(tmp_path: Path) -> None:
    dd = load_park2021(write_park(tmp_path))
    assert set(dd) == {"train", "validation", "test"}
    for split in dd.values():
        assert split.features == pair_features()
    assert dd["train"].num_rows == 2 * len(TRAIN)
    assert dd["validation"].num_rows == 2 and dd["test"].num_rows == 2
    info = json.loads(dd["train"].info.description)
    assert info["sentences"] == len(TRAIN) and info["skipped"] == {}


def test_brackets_removed_and_offsets_match(tmp_path: Path) -> None:
    dd = load_park2021(write_park(tmp_path))
    for split in dd.values():
        assert offset_errors(split) == []
        for row in split:
            assert row["source_start"] >= 0 and row["target_start"] >= 0
    rows = dd["train"]
    assert rows[0]["text"] == "A Los Angeles news anchor said coffee is available in the United States."
    assert rows[0]["source"] == "Los Angele"
    # other brackets stay in the text
    assert rows[2]["text"] == "Trump praised Kasich [sic] today."
    # CSV quoting is undone, blanks inside the brackets are not part of the span
    assert rows[4]["text"] == 'Tim asked."Again, that is fine," Daisy said.'
    assert rows[4]["source"] == 'Tim asked."Again'
    assert rows[6]["text"] == "Officials said Omar Othman  blamed Jordan for it."
    assert rows[8]["text"] == "It was unfair, Davis said of Kristen Stewart."
    assert rows[8]["source"] == "Davi" and rows[8]["text"][15:19] == "Davi"


@pytest.mark.parametrize(
    ("index", "label5", "pq", "qp"),
    [
        (0, 0, "none", "none"),
        (1, 1, "favor", "none"),
        (2, 2, "none", "favor"),
        (3, 3, "against", "none"),
        (4, 4, "none", "against"),
    ],
)
def test_two_directed_rows_per_sentence(tmp_path: Path, index: int, label5: int, pq: str, qp: str) -> None:
    rows = load_park2021(write_park(tmp_path))["train"]
    names = rows.features["label"].names
    a, b = rows[2 * index], rows[2 * index + 1]
    assert a["group_id"] == b["group_id"] and a["doc_id"] == a["group_id"]
    assert json.loads(a["meta"]) == {"label5": label5, "direction": "pq"}
    assert json.loads(b["meta"]) == {"label5": label5, "direction": "qp"}
    assert (names[a["label"]], names[b["label"]]) == (pq, qp)
    assert (a["source"], a["target"]) == (b["target"], b["source"])
    assert (a["source_start"], a["target_start"]) == (b["target_start"], b["source_start"])


def test_group_ids_unique_per_sentence(tmp_path: Path) -> None:
    rows = load_park2021(write_park(tmp_path))["train"]
    assert len(set(rows["group_id"])) == len(TRAIN)


def test_gold_pairs_round_trip_to_label5(tmp_path: Path) -> None:
    rows = load_park2021(write_park(tmp_path))["train"]
    names = rows.features["label"].names
    for i in range(0, rows.num_rows, 2):
        a, b = rows[i], rows[i + 1]
        got = park_pairs_to_5class(one_hot(names[a["label"]]), one_hot(names[b["label"]]))
        assert got == json.loads(a["meta"])["label5"]
    for label5 in range(5):
        pq, qp = park_5class_to_pairs(label5)
        assert park_pairs_to_5class(one_hot(pq), one_hot(qp)) == label5


@pytest.mark.parametrize(
    ("pq", "qp", "expected"),
    [
        ([0.2, 0.1, 0.7], [0.3, 0.1, 0.6], 0),  # both best "none"
        ([0.6, 0.1, 0.3], [0.1, 0.1, 0.8], 1),  # p→q favor
        ([0.1, 0.1, 0.8], [0.5, 0.2, 0.3], 2),  # q→p favor
        ([0.1, 0.7, 0.2], [0.1, 0.1, 0.8], 3),  # p→q against
        ([0.1, 0.2, 0.7], [0.1, 0.6, 0.3], 4),  # q→p against
        ([0.5, 0.1, 0.4], [0.1, 0.7, 0.2], 4),  # both non-none: q→p against 0.7 beats p→q favor 0.5
        ([0.45, 0.0, 0.55], [0.30, 0.36, 0.34], 1),  # highest non-none over all four: p→q favor 0.45
        ([0.4, 0.0, 0.6], [0.0, 0.4, 0.2], 1),  # exact tie 0.4 vs 0.4 -> smaller label
    ],
)
def test_pairs_to_5class_hand_computed(pq: list[float], qp: list[float], expected: int) -> None:
    assert park_pairs_to_5class(pq, qp) == expected


def test_pairs_to_5class_rejects_bad_shapes() -> None:
    with pytest.raises(ValueError, match="3 values"):
        park_pairs_to_5class([0.5, 0.5], [0.1, 0.1, 0.8])
    with pytest.raises(ValueError):
        park_5class_to_pairs(5)


def test_strip_entity_brackets_same_name_twice() -> None:
    text, p, q = strip_entity_brackets("[Trump] vs [Trump]", "Trump", "Trump")
    assert text == "Trump vs Trump" and p == (0, 5) and q == (9, 14)
    assert strip_entity_brackets("no brackets", "a", "b") is None


def test_missing_directory_names_layout(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"train,valid,test"):
        load_park2021(tmp_path / "nope")


def test_missing_file_names_layout(tmp_path: Path) -> None:
    write_park(tmp_path)
    (tmp_path / "valid.txt").unlink()
    with pytest.raises(FileNotFoundError, match=r"valid\.txt.*expected layout"):
        load_park2021(tmp_path)


def test_wrong_number_of_columns_names_file_and_line(tmp_path: Path) -> None:
    write_park(tmp_path, train=[TRAIN[0], "[A] and [B]\tA\tB"])
    with pytest.raises(DataFormatError, match=r"train\.txt:2: expected 4 fields"):
        load_park2021(tmp_path)


def test_bad_label_names_file_and_line(tmp_path: Path) -> None:
    write_park(tmp_path, test=["[A] and [B]\tA\tB\t7"])
    with pytest.raises(ValueError, match=r"test\.txt:1: label must be 0-4"):
        load_park2021(tmp_path)


def test_unbracketed_entity_names_file_and_line(tmp_path: Path) -> None:
    write_park(tmp_path, valid=[VALID[0], "[A] and B\tA\tB\t0"])
    with pytest.raises(DataFormatError, match=r"valid\.txt:2: .*not both bracketed"):
        load_park2021(tmp_path)
