"""Tests for the Emergent loader, on tiny fixtures."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from stance.data._io import DataFormatError, stable_split
from stance.data.emergent import SPLIT_FRACTIONS, load_emergent
from stance.data.schema import AUTHOR, pair_features

HEADER = ["id", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId"]
STANCES = ["for", "against", "observing"]
ROWS = [
    [str(i), f"Claim {i // 3}", f'Headline {i}, "quoted"', STANCES[i % 3], f"art-{i}", f"claim-{i // 3}"]
    for i in range(60)
]


def write_emergent(root: Path, rows: list[list[str]] = ROWS, header: list[str] = HEADER) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "url-versions-2015-06-14-clean.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return root


def test_schema_labels_and_claim_split(tmp_path: Path) -> None:
    dd = load_emergent(write_emergent(tmp_path))
    assert set(dd) == {"train", "validation", "test"}
    assert sum(d.num_rows for d in dd.values()) == len(ROWS)
    seen: dict[str, str] = {}
    for name, split in dd.items():
        assert split.features == pair_features()
        names = split.features["label"].names
        for row in split:
            meta = json.loads(row["meta"])
            expected = {"for": "favor", "against": "against", "observing": "none"}[meta["stance"]]
            assert names[row["label"]] == expected
            assert row["source"] == AUTHOR and row["target_start"] == -1 and row["source_start"] == -1
            assert row["doc_id"] == meta["claim_id"] and row["group_id"] == meta["article_id"]
            assert stable_split(row["doc_id"], SPLIT_FRACTIONS) == name
            assert seen.setdefault(row["doc_id"], name) == name  # a claim never straddles splits
    # 20 claims: every split gets some
    assert all(d.num_rows > 0 for d in dd.values())
    first = next(r for d in dd.values() for r in d if json.loads(r["meta"])["id"] == "0")
    assert first["text"] == 'Headline 0, "quoted"' and first["target"] == "Claim 0"


def test_split_is_deterministic(tmp_path: Path) -> None:
    a = load_emergent(write_emergent(tmp_path))
    b = load_emergent(tmp_path)
    assert {k: v["group_id"] for k, v in a.items()} == {k: v["group_id"] for k, v in b.items()}


def test_missing_directory_and_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"url-versions-2015-06-14-clean\.csv"):
        load_emergent(tmp_path / "nope")
    tmp_path.joinpath("empty").mkdir()
    with pytest.raises(FileNotFoundError, match="expected layout"):
        load_emergent(tmp_path / "empty")


def test_missing_column_names_file(tmp_path: Path) -> None:
    write_emergent(tmp_path, header=[h.replace("claimId", "claim") for h in HEADER])
    with pytest.raises(DataFormatError, match=r"url-versions-2015-06-14-clean\.csv:1: missing column"):
        load_emergent(tmp_path)


def test_bad_stance_names_file_and_line(tmp_path: Path) -> None:
    write_emergent(tmp_path, rows=[ROWS[0], [*ROWS[1][:3], "ignoring", *ROWS[1][4:]]])
    with pytest.raises(DataFormatError, match=r"clean\.csv:3: articleHeadlineStance"):
        load_emergent(tmp_path)
