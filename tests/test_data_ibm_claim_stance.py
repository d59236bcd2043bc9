"""Tests for the IBM Claim Stance loader (spreadsheet-wrapped CSV), on tiny fixtures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from stance.data._io import DataFormatError
from stance.data.ibm_claim_stance import load_ibm_claim_stance, unwrap_spreadsheet_csv
from stance.data.schema import AUTHOR, pair_features

HEADER = [
    "topicId",
    "split",
    "topicText",
    "topicTarget",
    "topicSentiment",
    "claims.claimId",
    "claims.stance",
    "claims.claimCorrectedText",
    "claims.claimOriginalText",
    "claims.Compatible",
    "claims.claimTarget.text",
    "claims.claimTarget.span.start",
    "claims.claimTarget.span.end",
    "claims.claimSentiment",
    "claims.targetsRelation",
]
ROWS = [
    [
        "1",
        "test",
        "This house would ban violent video games",
        "violent video games",
        "-1",
        "2973",
        "PRO",
        "Exposure to violent video games causes aggression",
        "exposure ...",
        "yes",
        "Exposure to violent video games",
        "0",
        "31",
        "-1",
        "1",
    ],
    [
        "1",
        "test",
        "This house would ban violent video games",
        "violent video games",
        "-1",
        "2974",
        "CON",
        "Human beings are equal; cultures are not",
        "x",
        "no",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "985",
        "train",
        "This house would unleash the free market",
        "the free market",
        "1",
        "824404",
        "PRO",
        'market economies allow spontaneous order; that is, "a more efficient allocation',
        "y",
        "yes",
        "market economies",
        "0",
        "16",
        "1",
        "1",
    ],
    [
        "101",
        "train",
        "This house believes in affirmative action",
        "affirmative action",
        "1",
        "23725",
        "CON",
        "Affirmative action is intended to promote \nequal opportunity",
        "z",
        "yes",
        "Affirmative action",
        "0",
        "18",
        "1",
        "1",
    ],
]


def original_csv(rows: list[list[str]]) -> str:
    """Like the IBM release: first field bare, every other field quoted."""
    lines = []
    for row in [HEADER, *rows]:
        buf = io.StringIO()
        csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="").writerow(row[1:])
        lines.append(f"{row[0]},{buf.getvalue()}")
    return "\r\n".join(lines) + "\r\n"


def spreadsheet_wrap(text: str) -> str:
    """Mimic the spreadsheet: read as ';'-separated, write every cell quoted-if-needed, pad to 5 cells."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in text.split("\r\n")[:-1]:
        for physical in line.split("\n"):
            cells = physical.split(";")
            writer.writerow(cells + [""] * (5 - len(cells)))
    return out.getvalue()


def write_ibm(root: Path, rows: list[list[str]] = ROWS, *, wrapped: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    text = original_csv(rows)
    (root / "claim_stance_dataset_v1.csv").write_bytes((spreadsheet_wrap(text) if wrapped else text).encode("utf-8"))
    return root


def test_fixture_looks_like_the_real_file(tmp_path: Path) -> None:
    raw = write_ibm(tmp_path).joinpath("claim_stance_dataset_v1.csv").read_text(encoding="utf-8")
    assert raw.startswith('"topicId,""split"",""topicText""')
    assert raw.splitlines()[1].endswith('""1""";;;;')


@pytest.mark.parametrize("wrapped", [True, False])
def test_schema_labels_splits_and_unwrapping(tmp_path: Path, wrapped: bool) -> None:
    dd = load_ibm_claim_stance(write_ibm(tmp_path, wrapped=wrapped))
    assert set(dd) == {"train", "test"}
    for split in dd.values():
        assert split.features == pair_features()
    test, train = dd["test"], dd["train"]
    names = test.features["label"].names
    assert [names[x] for x in test["label"]] == ["favor", "against"]
    assert [names[x] for x in train["label"]] == ["favor", "against"]
    assert test["text"][1] == "Human beings are equal; cultures are not"
    assert train["text"][0] == 'market economies allow spontaneous order; that is, "a more efficient allocation'
    assert train["text"][1] == "Affirmative action is intended to promote \nequal opportunity"
    row = test[0]
    assert row["source"] == AUTHOR and row["target"] == "This house would ban violent video games"
    assert row["target_start"] == row["source_start"] == -1
    assert row["doc_id"] == "topic-1" and row["group_id"] == "claim-2973"
    meta = json.loads(row["meta"])
    assert meta["claim_target"] == {"text": "Exposure to violent video games", "start": 0, "end": 31}
    assert json.loads(test[1]["meta"])["claim_target"] is None
    assert json.loads(test.info.description)["spreadsheet_wrapped"] is wrapped


def test_unwrap_restores_lines() -> None:
    assert unwrap_spreadsheet_csv('"1,""a";" b"",PRO";;;\r\n') == '1,"a; b",PRO\n'


def test_missing_directory_and_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"claim_stance_dataset_v1\.csv"):
        load_ibm_claim_stance(tmp_path / "nope")
    tmp_path.joinpath("x").mkdir()
    with pytest.raises(FileNotFoundError, match="expected layout"):
        load_ibm_claim_stance(tmp_path / "x")


def test_missing_column_names_file(tmp_path: Path) -> None:
    write_ibm(tmp_path)
    path = tmp_path / "claim_stance_dataset_v1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("claims.stance", "claims.position"), encoding="utf-8")
    with pytest.raises(
        DataFormatError, match=r"claim_stance_dataset_v1\.csv:1: missing column\(s\) \['claims.stance'\]"
    ):
        load_ibm_claim_stance(tmp_path)


def test_bad_stance_names_file_and_line(tmp_path: Path) -> None:
    rows = [ROWS[0], [*ROWS[1][:6], "NEUTRAL", *ROWS[1][7:]]]
    write_ibm(tmp_path, rows)
    with pytest.raises(DataFormatError, match=r"claim_stance_dataset_v1\.csv:3: claims.stance must be PRO or CON"):
        load_ibm_claim_stance(tmp_path)


def test_bad_split_names_line_after_multiline_record(tmp_path: Path) -> None:
    rows = [ROWS[3], [*ROWS[0][:1], "dev", *ROWS[0][2:]]]
    write_ibm(tmp_path, rows)  # record 1 spans lines 2-3
    with pytest.raises(DataFormatError, match=r"claim_stance_dataset_v1\.csv:4: split must be train or test"):
        load_ibm_claim_stance(tmp_path)
