"""The CoNLL-2003 reader used by the actor benchmark (tiny self-written fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.data.conll import NER_LABELS, detect_scheme, entity_spans, iob1_to_iob2, load_conll2003, read_conll_file

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "conll2003"

IOB1 = """-DOCSTART- -X- -X- O

EU NNP B-NP I-ORG
rejects VBZ B-VP O
German JJ B-NP I-MISC
call NN I-NP O
. . O O

Peter NNP B-NP I-PER
Blackburn NNP I-NP I-PER
Paul NNP I-NP B-PER
"""
IOB2 = """Nadim NNP B-NP B-PER
Ladki NNP I-NP I-PER

AL-AIN NNP B-NP B-LOC
, , O O
United NNP B-NP B-LOC
Arab NNP I-NP I-LOC
Emirates NNPS I-NP I-LOC
"""


def test_iob1_is_converted(tmp_path: Path) -> None:
    p = tmp_path / "eng.train"
    p.write_text(IOB1, encoding="utf-8")
    rows = read_conll_file(p)
    assert [r["tokens"] for r in rows] == [["EU", "rejects", "German", "call", "."], ["Peter", "Blackburn", "Paul"]]
    assert rows[0]["ner_tags"] == ["B-ORG", "O", "B-MISC", "O", "O"]
    assert rows[1]["ner_tags"] == ["B-PER", "I-PER", "B-PER"]
    assert entity_spans(rows[1]["ner_tags"]) == [(0, 2, "PER"), (2, 3, "PER")]


def test_iob2_kept(tmp_path: Path) -> None:
    p = tmp_path / "eng.testb"
    p.write_text(IOB2, encoding="utf-8")
    rows = read_conll_file(p)
    assert detect_scheme([r["ner_tags"] for r in rows]) == "iob2"
    assert rows[1]["ner_tags"] == ["B-LOC", "O", "B-LOC", "I-LOC", "I-LOC"]


def test_load_dataset_dict(tmp_path: Path) -> None:
    for name, content in (("eng.train", IOB1), ("eng.testa", IOB2), ("eng.testb", IOB2)):
        (tmp_path / name).write_text(content, encoding="utf-8")
    ds = load_conll2003(tmp_path)
    assert set(ds) == {"train", "validation", "test"}
    assert ds["train"].num_rows == 2
    names = ds["test"].features["ner_tags"].feature.names
    assert names == NER_LABELS
    assert [names[i] for i in ds["test"][0]["ner_tags"]] == ["B-PER", "I-PER"]


def test_missing_split(tmp_path: Path) -> None:
    (tmp_path / "eng.testb").write_text(IOB2, encoding="utf-8")
    assert load_conll2003(tmp_path, splits=("test",))["test"].num_rows == 2
    with pytest.raises(FileNotFoundError):
        load_conll2003(tmp_path, splits=("train",))
    with pytest.raises(FileNotFoundError):
        load_conll2003(tmp_path / "nowhere")


def test_helpers() -> None:
    assert iob1_to_iob2(["I-LOC", "B-LOC", "I-LOC", "O", "I-PER"]) == ["B-LOC", "B-LOC", "I-LOC", "O", "B-PER"]
    assert entity_spans(["O", "I-ORG", "I-ORG"]) == [(1, 3, "ORG")]


@pytest.mark.skipif(not (SHARED / "eng.testb").exists(), reason="shared CoNLL-2003 data not present")
def test_shared_testb() -> None:
    ds = load_conll2003(SHARED, splits=("test",))["test"]
    assert ds.num_rows == 3453
    n = sum(len(entity_spans([NER_LABELS[i] for i in row])) for row in ds["ner_tags"])
    assert n == 5648
