"""Corpus files (JSON Lines, CSV, TSV) and the streamed classify_iter / CLI path."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest

from stance.corpus import CorpusArticle, corpus_format, read_articles
from tests.conftest import results_close

ARTICLES = [
    "Qatar warned against military escalation. Israel urges immediate action against Iran.",
    "Iran hailed the talks in Oman as a good start.",
    "Turkey and Saudi Arabia backed diplomacy. President Trump threatened strikes if the talks fail.",
    "",
    "Protesters criticised the government. The minister rejected the deal.",
]


def _jsonl(path: Path, rows: list[object], blank_lines: int = 0) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + "\n" * blank_lines, encoding="utf-8")
    return path


def test_formats_from_names():
    assert corpus_format("a.jsonl") == corpus_format("a.NDJSON.gz") == "jsonl"
    assert corpus_format("a.csv.gz") == "csv" and corpus_format("x/a.tsv") == "tsv"
    assert corpus_format("a.txt") is None and corpus_format("a.json") is None


def test_jsonl_with_ids_and_blank_lines(tmp_path: Path):
    path = _jsonl(tmp_path / "c.jsonl", [{"id": 7, "text": "A."}, {"id": "b", "text": "B.", "extra": 1}], blank_lines=2)
    arts = read_articles(path)
    assert arts == [CorpusArticle("7", "A.", 1), CorpusArticle("b", "B.", 2)]
    assert arts[0].to_dict() == {"id": "7", "text": "A.", "row": 1}


def test_csv_gz_named_fields_and_long_text(tmp_path: Path):
    path = tmp_path / "c.csv.gz"
    long_text = 'Iran, said the minister, "hailed" the talks.\n' * 5000  # > csv's default 128 kB field limit
    with gzip.open(path, "wt", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["url", "body"])
        w.writeheader()
        w.writerow({"url": "u1", "body": long_text})
        w.writerow({"url": "u2", "body": "Short."})
    arts = read_articles(path, text_field="body", id_field="url")
    assert [(a.id, a.row) for a in arts] == [("u1", 1), ("u2", 2)]
    assert arts[0].text == long_text


def test_tsv_without_ids_uses_row_numbers(tmp_path: Path):
    path = tmp_path / "c.tsv"
    path.write_text("text\tsource\nOne, with a comma.\tx\nTwo.\ty\n", encoding="utf-8")
    assert [(a.id, a.text) for a in read_articles(path)] == [("1", "One, with a comma."), ("2", "Two.")]


@pytest.mark.parametrize(
    ("content", "kwargs", "error", "match"),
    [
        ('{"text": "a"}\n{"text": \n', {}, ValueError, "line 2 is not valid JSON"),
        ('["a", "b"]\n', {}, ValueError, "line 1 is a JSON list, not an object"),
        ('{"body": "a", "id": 1}\n', {}, ValueError, r"line 1 has no field 'text' \(fields: body, id\).*--text-field"),
        ('{"text": null}\n', {}, TypeError, "field 'text' must be a string, got NoneType"),
        ('{"id": 1, "text": "a"}\n{"text": "b"}\n', {}, ValueError, "line 2 has no id field 'id'.*--id-field"),
        ('{"text": "a"}\n', {"id_field": "url"}, ValueError, "line 1 has no id field 'url'"),
        ('{"id": 1, "text": "a"}\n{"id": "1", "text": "b"}\n', {}, ValueError, "id '1' repeats the id of row 1"),
        ('{"id": [1], "text": "a"}\n', {}, TypeError, "must be a string or number, got list"),
        ("\n\n", {}, ValueError, "holds no articles"),
        ('{"text": "a"}\n', {"text_field": ""}, TypeError, "text_field must be a non-empty string"),
    ],
)
def test_bad_rows_name_the_row_and_the_fix(tmp_path: Path, content, kwargs, error, match):
    path = tmp_path / "c.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(error, match=match):
        read_articles(path, **kwargs)


def test_bad_paths(tmp_path: Path):
    with pytest.raises(ValueError, match="use a .jsonl, .ndjson, .csv or .tsv file"):
        read_articles(tmp_path / "notes.txt")
    with pytest.raises(FileNotFoundError, match="no corpus file"):
        read_articles(tmp_path / "missing.jsonl")
    path = tmp_path / "c.csv"
    path.write_text('text\n"a",b\n', encoding="utf-8")
    with pytest.raises(ValueError, match="data row 1 has more cells than the header"):
        read_articles(path)


def test_classify_iter_streams_what_classify_many_returns(tiny_model_dir: Path):
    from stance.api import classify_iter, classify_many

    expected = [r.to_dict() for r in classify_many(ARTICLES, model=str(tiny_model_dir), batch_size=2)]
    pulled: list[int] = []

    def source():
        for i, t in enumerate(ARTICLES):
            pulled.append(i)
            yield t

    stream = classify_iter(source(), model=str(tiny_model_dir), chunk_size=2, batch_size=2)
    first = next(stream)
    assert len(pulled) == 2  # only the first chunk has been read
    got = [first.to_dict(), *(r.to_dict() for r in stream)]
    assert len(got) == len(ARTICLES)
    for a, b in zip(expected, got):
        assert results_close(a, b, 1e-5), (a, b)
    assert got[3]["warnings"] == ["the text is empty (or only whitespace): there is nothing to classify"]


def test_classify_iter_with_worker_processes(tiny_model_dir: Path):
    from stance.api import classify_iter, classify_many

    expected = [r.to_dict() for r in classify_many(ARTICLES, model=str(tiny_model_dir), batch_size=2)]
    got = [
        r.to_dict() for r in classify_iter(ARTICLES, model=str(tiny_model_dir), chunk_size=3, batch_size=2, n_process=2)
    ]
    assert len(got) == len(expected)
    for a, b in zip(expected, got):
        assert results_close(a, b, 1e-4), (a, b)


def test_classify_iter_errors(tiny_model):
    from stance.api import classify_iter

    with pytest.raises(TypeError, match="for one article use classify"):
        classify_iter("one article", model=tiny_model)
    with pytest.raises(ValueError, match="chunk_size must be an int >= 1"):
        classify_iter(["a"], model=tiny_model, chunk_size=0)
    with pytest.raises(TypeError, match="targets must be"):
        classify_iter(["a"], "military action", model=tiny_model)
    with pytest.raises(TypeError, match="with n_process > 1 the model must be a directory"):
        classify_iter(["a"], model=tiny_model, n_process=2)
    stream = classify_iter(["Qatar warned Iran.", None], model=tiny_model, chunk_size=1)
    assert next(stream).actors is not None
    with pytest.raises(TypeError, match=r"texts\[1\] must be str, got NoneType"):
        next(stream)


def test_cli_classifies_a_corpus_with_ids(tiny_model_dir: Path, tmp_path: Path, capsys):
    from stance.api import classify_many
    from stance.cli import main

    rows = [{"url": f"u{i}", "body": t} for i, t in enumerate(ARTICLES)]
    path = _jsonl(tmp_path / "news.jsonl", rows)
    assert (
        main(
            [
                "classify",
                str(path),
                "--model",
                str(tiny_model_dir),
                "--text-field",
                "body",
                "--id-field",
                "url",
                "--format",
                "jsonl",
                "--chunk-size",
                "2",
                "--batch-size",
                "2",
            ]
        )
        == 0
    )
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x.pop("id") for x in lines] == [r["url"] for r in rows]
    expected = [r.to_dict() for r in classify_many(ARTICLES, model=str(tiny_model_dir), batch_size=2)]
    for a, b in zip(expected, lines):
        assert results_close(a, b, 1e-5)

    assert (
        main(["classify", str(path), "--model", str(tiny_model_dir), "--text-field", "body", "--format", "json"]) == 0
    )
    payload = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in payload] == [str(i) for i in range(1, len(ARTICLES) + 1)]  # no 'id' field: row numbers

    with pytest.raises(SystemExit, match="has no field 'text' \\(fields: url, body\\)"):
        main(["classify", str(path), "--model", str(tiny_model_dir)])
    with pytest.raises(SystemExit, match="--chunk-size must be >= 1"):
        main(["classify", str(path), "--model", str(tiny_model_dir), "--chunk-size", "0"])
