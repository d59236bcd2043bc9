"""Shared helpers for the dataset loaders: checked file access, line-numbered readers,
stable hash splits, mention finding and ``DatasetDict`` assembly.

Every loader reports problems the same way:

* a missing folder or file raises :class:`FileNotFoundError` naming the expected layout;
* a file with the wrong layout or columns raises :class:`DataFormatError` (a
  :class:`ValueError`) naming the file;
* a malformed row raises :class:`DataFormatError` naming the file and the line.

Example:
    >>> stable_split("claim-42", [("train", 0.7), ("validation", 0.15), ("test", 0.15)])
    'train'
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any, NamedTuple

logger = logging.getLogger(__name__)

__all__ = [
    "DataFormatError",
    "Mention",
    "NOT_FOUND",
    "require_dir",
    "require_file",
    "read_text",
    "read_json",
    "iter_jsonl",
    "iter_csv",
    "stable_fraction",
    "stable_split",
    "stable_id",
    "to_json",
    "make_dataset_dict",
    "find_span",
    "entity_aliases",
    "find_entity",
    "find_entities",
    "offset_errors",
]


class DataFormatError(ValueError):
    """A data file does not have the expected layout, or one of its rows is malformed.

    The message always names the file, and the line when one is known
    (``path:line: message``).

    Example:
        >>> str(DataFormatError("bad label '7'", path="train.txt", line=3))
        "train.txt:3: bad label '7'"
    """

    def __init__(self, message: str, *, path: str | PathLike[str] | None = None, line: int | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        where = ""
        if self.path is not None:
            where = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {message}" if where else message)


# ---------------------------------------------------------------------------------------
# files


def require_dir(data_dir: str | PathLike[str], *, layout: str) -> Path:
    """Return ``data_dir`` as a :class:`Path`; raise ``FileNotFoundError`` if it is no folder.

    Args:
        data_dir: The corpus folder given by the caller.
        layout: Human-readable description of the expected files, quoted in the error.

    Example:
        >>> require_dir(".", layout="<data_dir>/train.txt").is_dir()
        True
    """
    path = Path(data_dir)
    if not path.is_dir():
        raise FileNotFoundError(
            f"data directory {str(path)!r} does not exist or is not a folder; expected layout: {layout}"
        )
    return path


def require_file(path: str | PathLike[str], *, layout: str) -> Path:
    """Return ``path``; raise ``FileNotFoundError`` naming the expected layout if it is missing.

    Example:
        >>> require_file("missing.txt", layout="<data_dir>/missing.txt")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        FileNotFoundError: expected file 'missing.txt' not found; expected layout: <data_dir>/missing.txt
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"expected file {str(p)!r} not found; expected layout: {layout}")
    return p


def read_text(
    path: str | PathLike[str], *, encodings: Sequence[str] = ("utf-8", "cp1252", "latin-1")
) -> tuple[str, str]:
    """Read a text file, trying ``encodings`` in order; return ``(text, encoding_used)``.

    A UTF-8 byte-order mark is removed. ``latin-1`` (the default last resort) decodes any
    byte sequence, so with the default list this never fails on encoding. Using a fallback
    is logged at INFO level. Line endings are left untouched.

    Example:
        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "t.txt")
        >>> _ = open(p, "wb").write(b"caf\\xe9")
        >>> read_text(p)
        ('café', 'cp1252')
    """
    raw = Path(path).read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    last_error: UnicodeDecodeError | None = None
    for i, enc in enumerate(encodings):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError as exc:
            last_error = exc
            continue
        if i > 0:
            logger.info("%s is not valid %s (%s); decoded as %s", path, encodings[0], last_error, enc)
        return text, enc
    raise DataFormatError(f"cannot decode with any of {list(encodings)}: {last_error}", path=path)


def read_json(path: str | PathLike[str]) -> Any:
    """Parse a JSON file; invalid JSON raises :class:`DataFormatError` with the line.

    Example:
        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "a.json")
        >>> _ = open(p, "w").write('{"a": 1}')
        >>> read_json(p)
        {'a': 1}
    """
    text, _ = read_text(path, encodings=("utf-8",))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFormatError(f"invalid JSON: {exc.msg} (column {exc.colno})", path=path, line=exc.lineno) from None


def iter_jsonl(path: str | PathLike[str]) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, object)`` for each non-blank line of a JSON-lines file.

    Line numbers start at 1. A line that is not valid JSON raises :class:`DataFormatError`.

    Example:
        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "a.jsonl")
        >>> _ = open(p, "w").write('{"a": 1}\\n\\n{"a": 2}\\n')
        >>> list(iter_jsonl(p))
        [(1, {'a': 1}), (3, {'a': 2})]
    """
    text, _ = read_text(path, encodings=("utf-8",))
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFormatError(f"invalid JSON: {exc.msg} (column {exc.colno})", path=path, line=lineno) from None


def iter_csv(
    path: str | PathLike[str],
    *,
    required: Sequence[str],
    delimiter: str = ",",
    text: str | None = None,
    encodings: Sequence[str] = ("utf-8",),
    strict_width: bool = True,
    fieldnames: Sequence[str] | None = None,
    quoting: int = csv.QUOTE_MINIMAL,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line_number, row)`` for each record of a CSV file with a header line.

    ``line_number`` is the physical line (1-based) where the record starts, so quoted
    fields with newlines are reported correctly. The header must contain every column in
    ``required`` (else :class:`DataFormatError` naming the file and the missing columns);
    a record whose number of fields differs from the header raises :class:`DataFormatError`
    with its line unless ``strict_width`` is false. Blank lines are skipped.

    Args:
        path: The file (used for reading, and for messages when ``text`` is given).
        required: Column names that must be present.
        delimiter: Field separator.
        text: Already decoded (or pre-processed) file content; read from ``path`` if None.
        encodings: Encodings to try when reading ``path`` (see :func:`read_text`).
        strict_width: Whether a wrong number of fields is an error.
        fieldnames: Column names of a file *without* a header line (then every line
            is a record).
        quoting: A :mod:`csv` quoting constant; ``csv.QUOTE_NONE`` for files whose
            double quotes are literal text.

    Example:
        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "a.csv")
        >>> _ = open(p, "w").write('x,y\\n1,"a\\nb"\\n2,c\\n')
        >>> [(n, r["x"]) for n, r in iter_csv(p, required=["x", "y"])]
        [(2, '1'), (4, '2')]
    """
    if text is None:
        text, _ = read_text(path, encodings=encodings)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    if fieldnames is not None:
        header = list(fieldnames)
    else:
        try:
            header = next(reader)
        except StopIteration:
            raise DataFormatError("empty file: expected a header line", path=path) from None
        except csv.Error as exc:
            raise DataFormatError(f"unreadable header: {exc}", path=path, line=1) from None
        header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataFormatError(f"missing column(s) {missing}; header has {header}", path=path, line=1)
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataFormatError(f"malformed CSV record: {exc}", path=path, line=start) from None
        previous_end = reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if len(fields) != len(header):
            if strict_width:
                raise DataFormatError(
                    f"expected {len(header)} fields ({delimiter!r}-separated), found {len(fields)}",
                    path=path,
                    line=start,
                )
            fields = (fields + [""] * len(header))[: len(header)]
        yield start, dict(zip(header, fields))


# ---------------------------------------------------------------------------------------
# deterministic splits and output


def stable_fraction(key: str) -> float:
    """Map ``key`` to a number in [0, 1) with SHA-256: seed-free, identical on every platform.

    Example:
        >>> 0.0 <= stable_fraction("abc") < 1.0
        True
    """
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def stable_id(text: str, length: int = 16) -> str:
    """A short, stable hexadecimal identifier of ``text`` (SHA-256 prefix).

    Example:
        >>> stable_id("hello", 8)
        '2cf24dba'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def stable_split(key: str, fractions: Sequence[tuple[str, float]]) -> str:
    """Assign ``key`` to one of the named splits in proportion to ``fractions``.

    The fractions are cumulated in the given order against :func:`stable_fraction`, so
    the assignment depends only on ``key`` (group by the key to keep groups together).

    Args:
        key: The grouping key (claim id, sentence id …).
        fractions: ``(name, fraction)`` pairs summing to 1.

    Example:
        >>> stable_split("x", [("dev", 0.3), ("test", 0.7)]) in {"dev", "test"}
        True
    """
    total = sum(f for _, f in fractions)
    if abs(total - 1.0) > 1e-9:
        raise ValueError(f"split fractions must sum to 1, got {total}")
    u = stable_fraction(key)
    cum = 0.0
    for name, frac in fractions:
        cum += frac
        if u < cum:
            return name
    return fractions[-1][0]


def to_json(obj: Any) -> str:
    """Serialise ``obj`` compactly and deterministically (sorted keys, UTF-8 kept).

    Example:
        >>> to_json({"b": 1, "a": "é"})
        '{"a":"é","b":1}'
    """
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def make_dataset_dict(
    splits: Mapping[str, Sequence[Mapping[str, Any]]],
    features: Any,
    *,
    descriptions: Mapping[str, Mapping[str, Any]] | None = None,
) -> Any:
    """Build a ``datasets.DatasetDict`` whose splits all use ``features``.

    Args:
        splits: Split name → rows (dicts with exactly the feature keys; labels may be
            names or indices).
        features: A ``datasets.Features`` from :mod:`stance.data.schema`.
        descriptions: Split name → JSON-serialisable report stored in that split's
            ``info.description`` (row counts, skipped rows …).

    Example:
        >>> from stance.data.schema import sentiment_features
        >>> dd = make_dataset_dict({"test": []}, sentiment_features())
        >>> dd["test"].num_rows
        0
    """
    import pyarrow as pa
    from datasets import Dataset, DatasetDict, DatasetInfo

    label_feature = features.get("label")
    out = {}
    for name, rows in splits.items():
        columns: dict[str, list[Any]] = {k: [] for k in features}
        for row in rows:
            for k in features:
                value = row[k]
                if k == "label" and isinstance(value, str) and label_feature is not None:
                    value = label_feature.str2int(value)
                columns[k].append(value)
        desc = dict((descriptions or {}).get(name, {}))
        desc.setdefault("split", name)
        desc.setdefault("rows", len(rows))
        info = DatasetInfo(description=to_json(desc), features=features)
        # Build the Arrow table directly from the schema: the values are already encoded
        # (labels as indices), and this is several times faster than Dataset.from_dict.
        table = pa.Table.from_pydict(columns, schema=features.arrow_schema)
        out[name] = Dataset(table, info=info)
    return DatasetDict(out)


# ---------------------------------------------------------------------------------------
# mention finding


class Mention(NamedTuple):
    """Where an entity was found: ``text[start:end]`` and the rule that found it.

    ``start == end == -1`` and ``rule is None`` when it was not found.

    Example:
        >>> Mention(4, 9, "last_name").found, NOT_FOUND.found
        (True, False)
    """

    start: int
    end: int
    rule: str | None

    @property
    def found(self) -> bool:
        """Whether the entity was located in the text."""
        return self.start >= 0


NOT_FOUND = Mention(-1, -1, None)


class _Alias(NamedTuple):
    surface: str
    rule: str
    ignore_case: bool
    capitalized: bool


_WORD_CHAR = r"[^\W_]"
_NAME_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v"}
# Words that mark a multi-word name as an institution or a group, not a person.
_NON_PERSON_WORDS = {
    "party",
    "administration",
    "department",
    "committee",
    "senate",
    "house",
    "court",
    "congress",
    "association",
    "council",
    "campaign",
    "government",
    "office",
    "agency",
    "service",
    "bureau",
    "foundation",
    "university",
    "union",
    "republicans",
    "democrats",
    "members",
    "supporters",
}
_STOP_FOR_ACRONYM = {"of", "the", "and", "for", "to", "on", "in", "a", "an", "&"}
_KNOWN_ALIASES: dict[str, tuple[str, ...]] = {
    "republican party": ("Republicans", "Republican", "GOP"),
    "democratic party": ("Democrats", "Democratic", "Democrat"),
    "united states": ("U.S.", "US", "America"),
    "united kingdom": ("U.K.", "UK", "Britain"),
    "united nations": ("U.N.", "UN"),
    "european union": ("EU", "E.U."),
    "united states house of representatives": ("House",),
    "house of representatives": ("House",),
}


@lru_cache(maxsize=8192)
def _pattern(surface: str, ignore_case: bool, whole_word: bool) -> re.Pattern[str]:
    pattern = re.escape(surface)
    if whole_word:
        pattern = rf"(?<!{_WORD_CHAR}){pattern}(?!{_WORD_CHAR})"
    return re.compile(pattern, re.IGNORECASE if ignore_case else 0)


def find_span(
    text: str,
    surface: str,
    *,
    ignore_case: bool = False,
    whole_word: bool = True,
    capitalized: bool = False,
    avoid: Iterable[tuple[int, int]] = (),
) -> tuple[int, int] | None:
    """Return ``(start, end)`` of the first occurrence of ``surface`` in ``text``, or None.

    Args:
        text: Text to search.
        surface: String to find (literally, not a pattern).
        ignore_case: Case-insensitive matching.
        whole_word: The match may not be preceded or followed by a letter or digit.
        capitalized: The matched text must start with an upper-case letter (used for
            single-word fallbacks such as last names, so "Bush" does not match "bush").
        avoid: Spans the match may not overlap.

    Example:
        >>> find_span("Obama met obama", "OBAMA", ignore_case=True)
        (0, 5)
        >>> find_span("the Obamas", "Obama") is None
        True
    """
    if not surface:
        return None
    blocked = list(avoid)
    for m in _pattern(surface, ignore_case, whole_word).finditer(text):
        s, e = m.span()
        if capitalized and not text[s].isupper():
            continue
        if any(s < be and bs < e for bs, be in blocked):
            continue
        return s, e
    return None


def _looks_like_person(words: Sequence[str]) -> bool:
    if len(words) < 2 or any(any(ch.isdigit() for ch in w) for w in words):
        return False
    if any(w.lower().strip(".,") in _NON_PERSON_WORDS for w in words):
        return False
    # every word capitalised, or the whole name written in lower case ("nick merrill")
    return all(w[:1].isupper() for w in words) or all(w.islower() for w in words)


def entity_aliases(name: str, types: Iterable[str] = ()) -> list[tuple[str, str]]:
    """List the surfaces :func:`find_entity` tries for a canonical entity name, in order.

    Rules (the rule name is returned with each surface):

    1. ``exact``: the canonical name itself (matched case-insensitively).
    2. ``last_name``: for a person (``"People"`` in ``types``, or no types given) whose
       name has at least two capitalised words and no institution word, the last word
       that is not a suffix ("Barack Obama" → "Obama", "Martin Luther King Jr." → "King").
    3. ``alias``: short forms derived from the name: a small table for parties and
       countries ("Republican Party" → "Republicans", "Republican", "GOP"); "United
       States X" → "U.S. X", "X"; "X of the United States" / "X to the United States
       Constitution" → "X"; "Department of Y" → "Y Department"; the acronym of a name of
       three or more capitalised words ("Federal Bureau of Investigation" → "FBI"); the
       plural/singular of a lower-case common noun ("voter" → "voters").

    Example:
        >>> entity_aliases("Barack Obama", ["People"])
        [('Barack Obama', 'exact'), ('Obama', 'last_name')]
        >>> [a for a, _ in entity_aliases("Republican Party", ["Organization"])]
        ['Republican Party', 'Republicans', 'Republican', 'GOP']
    """
    return [(a.surface, a.rule) for a in _aliases(name, tuple(types))]


@lru_cache(maxsize=4096)
def _aliases(name: str, types: tuple[str, ...]) -> tuple[_Alias, ...]:
    name = name.strip()
    out: list[_Alias] = [_Alias(name, "exact", True, False)]
    words = name.split()
    if ("People" in types or not types) and _looks_like_person(words):
        tail = [w for w in words if w.lower() not in _NAME_SUFFIXES]
        last = tail[-1].strip(",") if tail else ""
        if len(last) >= 2 and last.lower() != name.lower():
            out.append(_Alias(last, "last_name", True, True))
    derived: list[str] = list(_KNOWN_ALIASES.get(name.lower(), ()))
    m = re.fullmatch(r"United States (.+)", name)
    if m:
        rest = m.group(1)
        derived += [f"U.S. {rest}", rest]
        derived += list(_KNOWN_ALIASES.get(rest.lower(), ()))
    m = re.fullmatch(r"(.+?) (?:of|to) the United States(?: Constitution)?", name)
    if m:
        derived += [m.group(1)]
    m = re.search(r"Department of (?:the )?(\w+)$", name)
    if m:
        derived += [f"{m.group(1)} Department", f"DO{m.group(1)[0].upper()}"]
    m = re.fullmatch(r"(\w+) Party", name)
    if m and name.lower() not in _KNOWN_ALIASES:
        derived += [m.group(1) + "s", m.group(1)]
    content = [w for w in words if w.lower() not in _STOP_FOR_ACRONYM]
    if len(content) >= 3 and all(w[:1].isupper() for w in content):
        derived.append("".join(w[0] for w in content))
    for d in derived:
        if d and d.lower() not in {a.surface.lower() for a in out}:
            single_word = " " not in d
            out.append(_Alias(d, "alias", False, single_word))
    if words and name.islower():
        inflected = name[:-1] if name.endswith("s") and len(name) > 3 else name + "s"
        out.append(_Alias(inflected, "alias", True, False))
    return tuple(out)


def find_entity(text: str, name: str, types: Iterable[str] = (), *, avoid: Iterable[tuple[int, int]] = ()) -> Mention:
    """Locate a canonical entity name in ``text`` with the rules of :func:`entity_aliases`.

    The first rule (in order) that matches anywhere wins; within a rule the first
    occurrence wins. Matches are whole-word and may not overlap ``avoid``.

    Args:
        text: The sentence or article.
        name: Canonical entity name.
        types: Entity types, e.g. ``["People"]`` (enables the last-name rule).
        avoid: Spans already taken by other entities.

    Returns:
        A :class:`Mention`; ``text[m.start:m.end]`` is the surface found, or
        :data:`NOT_FOUND`.

    Example:
        >>> find_entity("Mr. Obama blasted the GOP.", "Barack Obama", ["People"])
        Mention(start=4, end=9, rule='last_name')
        >>> find_entity("Mr. Obama blasted the GOP.", "Republican Party", ["Organization"])
        Mention(start=22, end=25, rule='alias')
    """
    avoid = list(avoid)
    for alias in _aliases(name, tuple(types)):
        span = find_span(text, alias.surface, ignore_case=alias.ignore_case, capitalized=alias.capitalized, avoid=avoid)
        if span is not None:
            return Mention(span[0], span[1], alias.rule)
    return NOT_FOUND


_RULE_RANK = {"exact": 0, "last_name": 1, "alias": 2, None: 3}


def find_entities(text: str, entities: Sequence[tuple[str, Iterable[str]]]) -> list[Mention]:
    """Locate several entities in one text without giving two of them overlapping spans.

    Entities whose best rule is stronger (exact before last name before alias) claim
    their span first; ties keep the given order. Each later entity avoids the spans
    already claimed.

    Args:
        text: The sentence.
        entities: ``(name, types)`` pairs.

    Returns:
        One :class:`Mention` per entity, in the given order.

    Example:
        >>> find_entities("Republican lawmakers blocked it.", [("Republican Party", ["People"]),
        ...                                                   ("Republican lawmakers", ["People"])])
        [Mention(start=-1, end=-1, rule=None), Mention(start=0, end=20, rule='exact')]
    """
    entities = [(n, tuple(t)) for n, t in entities]
    first = [find_entity(text, n, t) for n, t in entities]
    order = sorted(range(len(entities)), key=lambda i: _RULE_RANK[first[i].rule])
    result: list[Mention] = [NOT_FOUND] * len(entities)
    taken: list[tuple[int, int]] = []
    for i in order:
        name, types = entities[i]
        m = first[i] if not any(first[i].start < e and s < first[i].end for s, e in taken) else None
        if m is None:
            m = find_entity(text, name, types, avoid=taken)
        result[i] = m
        if m.found:
            taken.append((m.start, m.end))
    return result


_OFFSET_COLUMNS = ("text", "source", "source_start", "source_end", "target", "target_start", "target_end")


def offset_errors(rows: Iterable[Mapping[str, Any]], *, limit: int = 20) -> list[str]:
    """Check the offset invariant of pair or sentiment rows; return problem descriptions.

    For each of ``source`` and ``target`` present in a row: offsets are both -1, or
    ``0 <= start <= end <= len(text)`` and ``text[start:end] == surface``.

    Args:
        rows: Rows of a pair-stance or target-sentiment dataset (a ``datasets.Dataset``
            works).
        limit: Stop after this many problems.

    Example:
        >>> offset_errors([{"text": "Iran", "target": "Iran", "target_start": 0, "target_end": 4}])
        []
    """
    problems: list[str] = []
    if hasattr(rows, "column_names"):  # a datasets.Dataset: read columns once, not row by row
        names = [c for c in rows.column_names if c in _OFFSET_COLUMNS]
        columns = rows.select_columns(names)[:]  # dict of Python lists, via Arrow
        rows = [dict(zip(names, values)) for values in zip(*(columns[c] for c in names))]
    for i, row in enumerate(rows):
        text = row["text"]
        for field in ("source", "target"):
            if field not in row:
                continue
            s, e = row[f"{field}_start"], row[f"{field}_end"]
            if s == -1 and e == -1:
                continue
            if not (0 <= s <= e <= len(text)) or text[s:e] != row[field]:
                problems.append(f"row {i}: {field}={row[field]!r} but text[{s}:{e}]={text[s:e] if s >= 0 else None!r}")
                if len(problems) >= limit:
                    return problems
    return problems
