"""``stance actors FILE [--format table|json]``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from stance.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "us_iran_talks_oman.txt"


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actors", str(SEED), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and data
    text = SEED.read_text(encoding="utf-8")
    by = {d["name"]: d for d in data}
    assert by["Benjamin Netanyahu"]["kind"] == "person"
    assert by["Benjamin Netanyahu"]["affiliation"] == "Israel"
    assert by["Iran"]["affiliation"] is None
    for d in data:
        assert set(d) >= {"name", "kind", "affiliation", "mentions"}
        for m in d["mentions"]:
            assert set(m) == {"start", "end", "text"}
            assert text[m["start"] : m["end"]] == m["text"]


def test_stdin_and_table(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Qatar's emir met Israeli officials in Doha."))
    assert main(["actors", "-"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["name", "kind", "affiliation", "mentions", "surfaces"]
    assert "Qatar" in out and "Israel" in out


def test_empty_input_json(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("   \n"))
    assert main(["actors", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_aliases_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text("POTUS warned Iran.", encoding="utf-8")
    table = tmp_path / "aliases.tsv"
    table.write_text("POTUS\tUnited States\n", encoding="utf-8")
    assert main(["actors", str(article), "--format", "json", "--aliases", str(table)]) == 0
    assert [d["name"] for d in json.loads(capsys.readouterr().out)] == ["United States", "Iran"]


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["actors", str(tmp_path / "nope.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
