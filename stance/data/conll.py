"""CoNLL-2003 English NER reader: ``eng.train`` / ``eng.testa`` / ``eng.testb`` -> ``DatasetDict``.

Each file has one token per line (``word POS chunk NER``), blank lines between sentences
and optional ``-DOCSTART-`` lines between documents. The original distribution uses IOB1
(``I-`` starts an entity unless it directly follows one of the same type); some copies
(such as the one in ``shared/data/conll2003``) are already IOB2. The reader detects the
scheme per file and always returns IOB2 tags.

Splits: ``train`` (eng.train), ``validation`` (eng.testa), ``test`` (eng.testb).
Features: ``id`` (string), ``tokens``, ``pos_tags``, ``chunk_tags`` (lists of strings)
and ``ner_tags`` (list of ``ClassLabel`` over :data:`NER_LABELS`, the Hugging Face
``conll2003`` order).

Example:
    >>> ds = load_conll2003("../shared/data/conll2003")  # doctest: +SKIP
    >>> ds["test"].num_rows  # doctest: +SKIP
    3453
    >>> iob1_to_iob2(["I-PER", "I-PER", "B-PER", "O"])
    ['B-PER', 'I-PER', 'B-PER', 'O']
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

__all__ = [
    "NER_LABELS",
    "SPLIT_FILES",
    "load_conll2003",
    "read_conll_file",
    "iob1_to_iob2",
    "detect_scheme",
    "entity_spans",
]

NER_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
SPLIT_FILES = {
    "train": ("eng.train", "train.txt"),
    "validation": ("eng.testa", "valid.txt", "dev.txt"),
    "test": ("eng.testb", "test.txt"),
}


def iob1_to_iob2(tags: list[str]) -> list[str]:
    """Convert one sentence's IOB1 tags to IOB2 (every entity starts with ``B-``).

    Example:
        >>> iob1_to_iob2(["O", "I-LOC", "I-LOC", "O", "I-ORG"])
        ['O', 'B-LOC', 'I-LOC', 'O', 'B-ORG']
    """
    out = []
    prev = "O"
    for t in tags:
        if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
            t = "B-" + t[2:]
        out.append(t)
        prev = t
    return out


def detect_scheme(sentences: list[list[str]]) -> str:
    """``"iob1"`` if any entity starts with ``I-``, else ``"iob2"``.

    Example:
        >>> detect_scheme([["B-PER", "I-PER"], ["O"]])
        'iob2'
    """
    for tags in sentences:
        prev = "O"
        for t in tags:
            if t.startswith("I-") and (prev == "O" or prev[2:] != t[2:]):
                return "iob1"
            prev = t
    return "iob2"


def entity_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entities of an IOB2 sequence as ``(start, end, type)`` token spans (end exclusive).

    Example:
        >>> entity_spans(["B-PER", "I-PER", "O", "B-LOC"])
        [(0, 2, 'PER'), (3, 4, 'LOC')]
    """
    spans = []
    start, typ = -1, ""
    for i, t in enumerate([*tags, "O"]):
        if start >= 0 and (t == "O" or t.startswith("B-") or t[2:] != typ):
            spans.append((start, i, typ))
            start = -1
        if t.startswith("B-") or (t.startswith("I-") and start < 0):
            start, typ = i, t[2:]
    return spans


def read_conll_file(path: str | Path, *, scheme: str = "auto") -> list[dict[str, Any]]:
    """Read one CoNLL-2003 file into rows with IOB2 ``ner_tags`` (strings).

    Args:
        path: The file.
        scheme: ``"auto"`` (detect), ``"iob1"`` or ``"iob2"``.

    Example:
        >>> import tempfile, os
        >>> p = os.path.join(tempfile.mkdtemp(), "f")
        >>> _ = open(p, "w").write("-DOCSTART- -X- -X- O\\n\\nEU NNP B-NP I-ORG\\nrejects VBZ B-VP O\\n")
        >>> read_conll_file(p)[0]["ner_tags"]
        ['B-ORG', 'O']
    """
    if scheme not in ("auto", "iob1", "iob2"):
        raise ValueError(f"scheme must be 'auto', 'iob1' or 'iob2', got {scheme!r}")
    rows: list[dict[str, Any]] = []
    for sent in _sentences(Path(path)):
        rows.append(
            {
                "tokens": [p[0] for p in sent],
                "pos_tags": [p[1] if len(p) > 2 else "" for p in sent],
                "chunk_tags": [p[2] if len(p) > 3 else "" for p in sent],
                "ner_tags": [p[-1] for p in sent],
            }
        )
    found = detect_scheme([r["ner_tags"] for r in rows])
    use = found if scheme == "auto" else scheme
    logger.info("%s: %d sentences, tags look %s, reading as %s", path, len(rows), found, use)
    if use == "iob1":
        for r in rows:
            r["ner_tags"] = iob1_to_iob2(r["ner_tags"])
    for i, r in enumerate(rows):
        r["id"] = str(i)
        bad = [t for t in r["ner_tags"] if t not in NER_LABELS]
        if bad:
            raise ValueError(f"{path}: sentence {i} has unknown NER tags {sorted(set(bad))}")
    return rows


def _sentences(path: Path) -> Iterator[list[list[str]]]:
    sent: list[list[str]] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                if sent:
                    yield sent
                    sent = []
                continue
            if parts[0] == "-DOCSTART-":
                if sent:
                    yield sent
                    sent = []
                continue
            sent.append(parts)
    if sent:
        yield sent


def _find_dir(data_dir: Path) -> Path:
    for cand in (data_dir, data_dir / "conll2003"):
        if any((cand / n).exists() for names in SPLIT_FILES.values() for n in names):
            return cand
    raise FileNotFoundError(
        f"no CoNLL-2003 files (eng.train/eng.testa/eng.testb) under {data_dir} or {data_dir / 'conll2003'}"
    )


def load_conll2003(
    data_dir: str | Path, *, splits: tuple[str, ...] = ("train", "validation", "test"), scheme: str = "auto"
) -> Any:
    """Load CoNLL-2003 English as a ``datasets.DatasetDict`` with IOB2 tags.

    Args:
        data_dir: Folder holding ``eng.train``, ``eng.testa``, ``eng.testb`` (or its
            parent, the shared data folder).
        splits: Which splits to load.
        scheme: Tag scheme of the files: ``"auto"``, ``"iob1"`` or ``"iob2"``.

    Raises:
        FileNotFoundError: A requested split's file is missing.

    Example:
        >>> ds = load_conll2003("../shared/data/conll2003", splits=("test",))  # doctest: +SKIP
        >>> ds["test"].features["ner_tags"].feature.names[:3]  # doctest: +SKIP
        ['O', 'B-PER', 'I-PER']
    """
    from datasets import ClassLabel, Dataset, DatasetDict, Features, List, Value

    base = _find_dir(Path(data_dir))
    features = Features(
        {
            "id": Value("string"),
            "tokens": List(Value("string")),
            "pos_tags": List(Value("string")),
            "chunk_tags": List(Value("string")),
            "ner_tags": List(ClassLabel(names=NER_LABELS)),
        }
    )
    out = {}
    for split in splits:
        if split not in SPLIT_FILES:
            raise ValueError(f"unknown split {split!r}; choose from {sorted(SPLIT_FILES)}")
        path = next((base / n for n in SPLIT_FILES[split] if (base / n).exists()), None)
        if path is None:
            raise FileNotFoundError(f"CoNLL-2003 {split} file ({' or '.join(SPLIT_FILES[split])}) not found in {base}")
        rows = read_conll_file(path, scheme=scheme)
        columns = {k: [r[k] for r in rows] for k in features}
        columns["ner_tags"] = [[NER_LABELS.index(t) for t in r["ner_tags"]] for r in rows]
        out[split] = Dataset.from_dict(columns, features=features)
    return DatasetDict(out)
