"""Tests for the shared loader helpers (stance.data._io) and the registry (stance.data)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import stance.data
from stance.data._io import (
    DataFormatError,
    entity_aliases,
    find_entities,
    find_entity,
    find_span,
    iter_csv,
    iter_jsonl,
    offset_errors,
    read_json,
    read_text,
    require_dir,
    require_file,
    stable_fraction,
    stable_id,
    stable_split,
)

EXPECTED_LOADERS = {
    "park2021",
    "seesaw_pairs",
    "seesaw_entity_sentiment",
    "seesaw_articles",
    "newsmtsc",
    "persent",
    "perspectrum",
    "ibm_claim_stance",
    "emergent",
    "semeval2016",
    "vast",
}


def test_registry_names_and_dispatch(tmp_path: Path) -> None:
    assert EXPECTED_LOADERS <= set(stance.data.LOADERS)
    assert set(stance.data.LOADERS) - EXPECTED_LOADERS <= {"conll2003", "silver", "transfer"}
    with pytest.raises(KeyError, match="known: .*park2021"):
        stance.data.load_dataset_dir("nope", tmp_path)
    with pytest.raises(FileNotFoundError, match="expected layout"):
        stance.data.load_dataset_dir("park2021", tmp_path / "absent")
    for name in stance.data.__all__:
        assert hasattr(stance.data, name)


def test_import_is_cheap() -> None:
    code = (
        "import sys, stance.data; "
        "print(sorted(m for m in ('datasets', 'torch', 'pandas', 'transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_stable_split_is_pinned() -> None:
    # SHA-256 based: these values must never change, or published splits would move.
    assert stable_id("hello", 8) == "2cf24dba"
    assert stable_fraction("hello") == pytest.approx(int("2cf24dba5fb0a30e", 16) / 2**64)
    fractions = [("train", 0.7), ("validation", 0.15), ("test", 0.15)]
    counts = {"train": 0, "validation": 0, "test": 0}
    for i in range(2000):
        counts[stable_split(f"claim-{i}", fractions)] += 1
    assert 1300 < counts["train"] < 1500 and 220 < counts["validation"] < 380 and 220 < counts["test"] < 380
    with pytest.raises(ValueError, match="sum to 1"):
        stable_split("x", [("a", 0.5)])


def test_require_dir_and_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="expected layout: <x>"):
        require_dir(tmp_path / "no", layout="<x>")
    with pytest.raises(FileNotFoundError, match="expected layout: <y>"):
        require_file(tmp_path / "no.txt", layout="<y>")
    assert require_dir(tmp_path, layout="") == tmp_path


def test_read_text_fallbacks(tmp_path: Path) -> None:
    p = tmp_path / "t.txt"
    p.write_bytes(b"\xef\xbb\xbfok")
    assert read_text(p) == ("ok", "utf-8")
    p.write_bytes(b"it\x92s")
    assert read_text(p) == ("it’s", "cp1252")
    p.write_bytes(b"\x81")  # undefined in cp1252
    assert read_text(p) == ("\x81", "latin-1")
    with pytest.raises(DataFormatError, match="cannot decode"):
        read_text(p, encodings=("utf-8",))


def test_json_readers_report_lines(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text('{"a": 1}\n\n{"a": 2}\n{oops\n')
    it = iter_jsonl(p)
    assert next(it) == (1, {"a": 1}) and next(it) == (3, {"a": 2})
    with pytest.raises(DataFormatError, match=r"a\.jsonl:4: invalid JSON"):
        next(it)
    q = tmp_path / "b.json"
    q.write_text('{\n  "a": [1,\n}')
    with pytest.raises(DataFormatError, match=r"b\.json:3: invalid JSON"):
        read_json(q)


def test_iter_csv_line_numbers_and_errors(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text('x,y\n1,"multi\nline"\n\n2,b\n3\n')
    it = iter_csv(p, required=["x"])
    assert next(it) == (2, {"x": "1", "y": "multi\nline"})
    assert next(it) == (5, {"x": "2", "y": "b"})
    with pytest.raises(DataFormatError, match=r"a\.csv:6: expected 2 fields"):
        next(it)
    with pytest.raises(DataFormatError, match=r"a\.csv:1: missing column\(s\) \['z'\]"):
        list(iter_csv(p, required=["z"]))
    rows = list(iter_csv(p, required=["a"], fieldnames=["a", "b"], strict_width=False))
    assert rows[0] == (1, {"a": "x", "b": "y"}) and rows[-1] == (6, {"a": "3", "b": ""})
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataFormatError, match="empty file"):
        list(iter_csv(tmp_path / "empty.csv", required=[]))


def test_find_span_rules() -> None:
    assert find_span("Obama met obama", "OBAMA", ignore_case=True) == (0, 5)
    assert find_span("the Obamas", "Obama") is None
    assert find_span("the Obamas", "Obama", whole_word=False) == (4, 9)
    assert find_span("bush and Bush", "Bush", ignore_case=True, capitalized=True) == (9, 13)
    assert find_span("Trump and Trump", "Trump", avoid=[(0, 5)]) == (10, 15)
    assert find_span("x", "") is None


@pytest.mark.parametrize(
    ("name", "types", "text", "surface", "rule"),
    [
        ("Barack Obama", ["People"], "President Barack Obama spoke.", "Barack Obama", "exact"),
        ("barack obama", ["People"], "President Barack Obama spoke.", "Barack Obama", "exact"),
        ("Barack Obama", ["People"], "Mr. Obama’s plan failed.", "Obama", "last_name"),
        ("Martin Luther King Jr.", ["People"], "King marched.", "King", "last_name"),
        ("nick merrill", ["People"], "Merrill said so.", "Merrill", "last_name"),
        ("Republican Party", ["Organization"], "The GOP voted.", "GOP", "alias"),
        ("Republican Party", ["People"], "Republicans voted.", "Republicans", "alias"),
        ("Democratic Party", ["Organization"], "Democrats voted.", "Democrats", "alias"),
        ("United States Congress", ["Organization"], "Congress voted.", "Congress", "alias"),
        (
            "United States Department of Justice",
            ["Organization"],
            "The Justice Department sued.",
            "Justice Department",
            "alias",
        ),
        ("Federal Bureau of Investigation", ["Organization"], "The FBI said.", "FBI", "alias"),
        ("Supreme Court of the United States", ["Organization"], "The Supreme Court ruled.", "Supreme Court", "alias"),
        ("Green Party", ["Organization"], "Greens won.", "Greens", "alias"),
        ("voter", ["People"], "Voters agreed.", "Voters", "alias"),
    ],
)
def test_find_entity_rules(name: str, types: list[str], text: str, surface: str, rule: str) -> None:
    m = find_entity(text, name, types)
    assert m.found and text[m.start : m.end] == surface and m.rule == rule


def test_find_entity_negative_cases() -> None:
    assert not find_entity("Republican lawmakers voted.", "Republican Party", ["Organization"], avoid=[(0, 20)]).found
    # last-name rule needs a capitalised match and a person-like name
    assert not find_entity("a bush fire", "George Bush", ["People"]).found
    assert not find_entity("the party met", "Republican Party", ["People"]).found
    assert [a for a, _ in entity_aliases("Republican lawmakers", ["People"])] == ["Republican lawmakers"]


def test_find_entities_never_overlap() -> None:
    text = "Obama told Obama's aides."
    ms, mo = find_entities(text, [("Barack Obama", ["People"]), ("Michelle Obama", ["People"])])
    assert (ms.start, ms.end) == (0, 5) and (mo.start, mo.end) == (11, 16)
    # an exact match wins the span over an alias match of another entity
    text = "Republican lawmakers blocked it."
    a, b = find_entities(text, [("Republican Party", ["People"]), ("Republican lawmakers", ["People"])])
    assert not a.found and (b.start, b.end, b.rule) == (0, 20, "exact")


def test_offset_errors() -> None:
    good = {
        "text": "Iran",
        "source": "<author>",
        "source_start": -1,
        "source_end": -1,
        "target": "Iran",
        "target_start": 0,
        "target_end": 4,
    }
    bad = dict(good, target_start=1)
    assert offset_errors([good]) == []
    assert len(offset_errors([good, bad])) == 1
