"""Tests for the PERSPECTRUM loader, on tiny fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stance.data._io import DataFormatError
from stance.data.perspectrum import load_perspectrum
from stance.data.schema import AUTHOR, pair_features

CLAIMS: list[dict[str, Any]] = [
    {
        "cId": 1,
        "text": "Vaccination must be made compulsory",
        "source": "idebate",
        "perspectives": [
            {
                "pids": [10, 11],
                "stance_label_3": "SUPPORT",
                "stance_label_5": "SUPPORT",
                "voter_counts": [3, 0, 0, 0, 0],
            },
            {
                "pids": [12],
                "stance_label_3": "UNDERMINE",
                "stance_label_5": "UNDERMINE",
                "voter_counts": [0, 0, 0, 3, 0],
            },
            {"pids": [13], "stance_label_3": "not-a-perspective", "voter_counts": [0, 0, 0, 0, 3]},
        ],
    },
    {
        "cId": 2,
        "text": "Zoos should be banned",
        "source": "procon",
        "perspectives": [{"pids": [12], "stance_label_3": "SUPPORT"}],
    },
    {
        "cId": 3,
        "text": "Homework helps",
        "source": "procon",
        "perspectives": [{"pids": [14], "stance_label_3": "UNDERMINE"}],
    },
]
POOL = [{"pId": i, "text": f"perspective {i}", "source": "idebate"} for i in range(10, 15)]
SPLIT = {"1": "train", "2": "dev", "3": "test"}


def write_perspectrum(root: Path, claims: Any = CLAIMS, pool: Any = POOL, split: Any = SPLIT) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "perspectrum_with_answers_v1.0.json").write_text(json.dumps(claims))
    (root / "perspective_pool_v1.0.json").write_text(json.dumps(pool))
    (root / "dataset_split_v1.0.json").write_text(json.dumps(split))
    return root


def test_schema_labels_splits(tmp_path: Path) -> None:
    dd = load_perspectrum(write_perspectrum(tmp_path))
    assert set(dd) == {"train", "validation", "test"}
    for split in dd.values():
        assert split.features == pair_features()
    train = dd["train"]
    names = train.features["label"].names
    assert train["text"] == ["perspective 10", "perspective 11", "perspective 12"]
    assert [names[x] for x in train["label"]] == ["favor", "favor", "against"]
    row = train[0]
    assert row["source"] == AUTHOR and row["target"] == "Vaccination must be made compulsory"
    assert (row["source_start"], row["source_end"], row["target_start"], row["target_end"]) == (-1, -1, -1, -1)
    assert row["doc_id"] == "claim-1" and row["group_id"] == "perspective-10"
    meta = json.loads(row["meta"])
    assert meta["claim_id"] == 1 and meta["perspective_id"] == 10 and meta["voter_counts"] == [3, 0, 0, 0, 0]
    assert json.loads(train.info.description)["skipped"] == {"not_a_perspective": 1}
    assert dd["validation"]["target"] == ["Zoos should be banned"]
    assert dd["validation"]["group_id"] == ["perspective-12"]  # same perspective as a train row
    assert [names[x] for x in dd["test"]["label"]] == ["against"]


def test_missing_directory_and_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"perspective_pool_v1\.0\.json"):
        load_perspectrum(tmp_path / "nope")
    write_perspectrum(tmp_path)
    (tmp_path / "dataset_split_v1.0.json").unlink()
    with pytest.raises(FileNotFoundError, match=r"dataset_split_v1\.0\.json.*expected layout"):
        load_perspectrum(tmp_path)


def test_wrong_layout_names_file(tmp_path: Path) -> None:
    write_perspectrum(tmp_path, pool={"not": "a list"})
    with pytest.raises(DataFormatError, match=r"perspective_pool_v1\.0\.json: expected a list"):
        load_perspectrum(tmp_path)


def test_claim_without_split_and_unknown_pid_and_label(tmp_path: Path) -> None:
    write_perspectrum(tmp_path, split={"1": "train", "2": "dev"})
    with pytest.raises(DataFormatError, match=r"dataset_split_v1\.0\.json: claim 3 has split None"):
        load_perspectrum(tmp_path)
    write_perspectrum(tmp_path, pool=POOL[:-1])
    with pytest.raises(DataFormatError, match=r"perspective id 14 is not in"):
        load_perspectrum(tmp_path)
    bad = json.loads(json.dumps(CLAIMS))
    bad[2]["perspectives"][0]["stance_label_3"] = "MAYBE"
    write_perspectrum(tmp_path, claims=bad)
    with pytest.raises(DataFormatError, match=r"claim 3, cluster #0: stance_label_3 'MAYBE'"):
        load_perspectrum(tmp_path)


def test_invalid_json_names_file_and_line(tmp_path: Path) -> None:
    write_perspectrum(tmp_path)
    (tmp_path / "perspectrum_with_answers_v1.0.json").write_text("[\n{\n")
    with pytest.raises(DataFormatError, match=r"perspectrum_with_answers_v1\.0\.json:3: invalid JSON"):
        load_perspectrum(tmp_path)
