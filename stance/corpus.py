"""Read a corpus of articles from a JSON Lines or CSV/TSV file: one article per row.

Users keep corpora as tables: an id column and a text column, often gzipped. Every row
is read and checked before any model work starts, so a bad row at the end of a
10,000-article file fails in a second, naming the row and the fix, instead of after an
hour of classification.

Formats follow the file name: ``.jsonl``/``.ndjson`` (one JSON object per line),
``.csv``, ``.tsv``, each optionally ``.gz``.

Example:
    >>> import json, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "news.jsonl"
    >>> _ = path.write_text(json.dumps({"id": "a1", "text": "Iran hailed the talks."}) + "\\n")
    >>> [(a.id, a.text) for a in read_articles(path)]
    [('a1', 'Iran hailed the talks.')]
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from os import PathLike
from pathlib import Path
from typing import Any, TextIO

from stance.text import check_text

logger = logging.getLogger(__name__)

__all__ = ["CorpusArticle", "CORPUS_SUFFIXES", "corpus_format", "read_articles"]

#: File-name endings read as corpora, and the format each means.
CORPUS_SUFFIXES: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson.gz": "jsonl",
    ".csv": "csv",
    ".csv.gz": "csv",
    ".tsv": "tsv",
    ".tsv.gz": "tsv",
}


@dataclass(frozen=True)
class CorpusArticle:
    """One article of a corpus file.

    Attributes:
        id: The row's id field as a string, or its 1-based row number when the corpus
            has no id field.
        text: The article text.
        row: 1-based row number (the line for JSON Lines, the data row for CSV/TSV).
    """

    id: str
    text: str
    row: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict."""
        return asdict(self)


def corpus_format(path: str | PathLike[str]) -> str | None:
    """``"jsonl"``, ``"csv"`` or ``"tsv"`` from a file name; None if it names no corpus format.

    Example:
        >>> corpus_format("news.csv.gz"), corpus_format("article.txt")
        ('csv', None)
    """
    name = Path(path).name.lower()
    for suffix, fmt in sorted(CORPUS_SUFFIXES.items(), key=lambda kv: -len(kv[0])):
        if name.endswith(suffix):
            return fmt
    return None


def _open(path: Path) -> TextIO:
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace", newline="")
    return path.open(encoding="utf-8", errors="replace", newline="")


def _rows(path: Path, fmt: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with _open(path) as fh:
        if fmt == "jsonl":
            blank = 0
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    blank += 1
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as err:
                    raise ValueError(
                        f"{path}: line {n} is not valid JSON ({err.msg}); "
                        "a .jsonl corpus holds one JSON object per line"
                    ) from None
                if not isinstance(row, dict):
                    raise ValueError(
                        f"{path}: line {n} is a JSON {type(row).__name__}, "
                        'not an object such as {"id": ..., "text": ...}'
                    )
                yield n, row
            if blank:
                logger.info("%s: skipped %d blank lines", path, blank)
            return
        limit = sys.maxsize
        while True:  # articles are long: lift the csv module's 128 kB field limit
            try:
                csv.field_size_limit(limit)
                break
            except OverflowError:
                limit //= 10
        reader = csv.DictReader(fh, delimiter="\t" if fmt == "tsv" else ",")
        for n, row in enumerate(reader, 1):
            if None in row:
                raise ValueError(
                    f"{path}: data row {n} has more cells than the header {reader.fieldnames}; "
                    "quote fields that hold the delimiter"
                )
            yield n, row


def read_articles(
    path: str | PathLike[str],
    *,
    text_field: str = "text",
    id_field: str | None = None,
) -> list[CorpusArticle]:
    """Read every article of a corpus file, checking each row.

    Args:
        path: A ``.jsonl``/``.ndjson``, ``.csv`` or ``.tsv`` file, optionally ``.gz``.
        text_field: The field (column) holding the article text.
        id_field: The field holding the article id. Default: ``"id"`` when the first row
            has one, else the row number. When given, every row must have it.

    Returns:
        The articles in file order (blank JSON lines are skipped, and counted in the log).

    Raises:
        FileNotFoundError: No such file.
        TypeError: A text or id is not a string or number (e.g. null).
        ValueError: Not a corpus file name, a row that is not valid JSON or not an
            object, a missing text or id field (the message lists the row's fields), a
            duplicate id, or an empty corpus.

    Example:
        >>> read_articles("notes.txt")
        Traceback (most recent call last):
        ...
        ValueError: cannot read notes.txt as a corpus: use a .jsonl, .ndjson, .csv or .tsv file (optionally .gz)
    """
    path = Path(path)
    fmt = corpus_format(path)
    if fmt is None:
        raise ValueError(f"cannot read {path} as a corpus: use a .jsonl, .ndjson, .csv or .tsv file (optionally .gz)")
    if not path.is_file():
        raise FileNotFoundError(f"no corpus file {path}")
    if not isinstance(text_field, str) or not text_field:
        raise TypeError(f"text_field must be a non-empty string, got {text_field!r}")
    if id_field is not None and (not isinstance(id_field, str) or not id_field):
        raise TypeError(f"id_field must be a non-empty string or None, got {id_field!r}")
    articles: list[CorpusArticle] = []
    seen: dict[str, int] = {}
    id_key = id_field
    for i, (n, row) in enumerate(_rows(path, fmt)):
        where = f"{path}: {'line' if fmt == 'jsonl' else 'data row'} {n}"
        if i == 0 and id_key is None and "id" in row:
            id_key = "id"
        if text_field not in row:
            raise ValueError(
                f"{where} has no field {text_field!r} (fields: {', '.join(map(str, row)) or 'none'}); "
                "name the text field with text_field= (CLI: --text-field)"
            )
        text = row[text_field]
        if not isinstance(text, str):
            raise TypeError(
                f"{where}: field {text_field!r} must be a string, got {type(text).__name__}; fix or drop the row"
            )
        try:
            check_text(text)
        except ValueError as err:
            raise ValueError(f"{where}: {err}") from None
        if id_key is None:
            ident = str(n)
        else:
            if id_key not in row:
                raise ValueError(
                    f"{where} has no id field {id_key!r} (fields: {', '.join(map(str, row))}); "
                    "give every row an id or name the field with id_field= (CLI: --id-field)"
                )
            raw = row[id_key]
            if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
                raise TypeError(f"{where}: id field {id_key!r} must be a string or number, got {type(raw).__name__}")
            ident = str(raw)
        if ident in seen:
            raise ValueError(
                f"{where}: id {ident!r} repeats the id of row {seen[ident]}; "
                "ids must be unique so results can be joined back"
            )
        seen[ident] = n
        articles.append(CorpusArticle(ident, text, n))
    if not articles:
        raise ValueError(f"{path} holds no articles")
    logger.info(
        "read %d articles from %s (%s, text field %r, id %s)",
        len(articles),
        path,
        fmt,
        text_field,
        repr(id_key) if id_key else "row number",
    )
    return articles
