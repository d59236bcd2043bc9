from __future__ import annotations

import json

import numpy as np
import pytest

from stance.models.inputs import Window, encode_windows
from stance.models.windows import group_pair_records, group_sentiment_records

TEXT = "Qatar warned against military escalation, while Israel urges action."
PAIRS = [
    {
        "text": TEXT,
        "source": "Qatar",
        "source_start": 0,
        "source_end": 5,
        "target": "military escalation",
        "target_start": 21,
        "target_end": 40,
    },
    {
        "text": TEXT,
        "source": "Israel",
        "source_start": 48,
        "source_end": 54,
        "target": "action",
        "target_start": 60,
        "target_end": 66,
    },
    {
        "text": TEXT,
        "source": "<author>",
        "source_start": -1,
        "source_end": -1,
        "target": "Israel",
        "target_start": 48,
        "target_end": 54,
    },
    {
        "text": "Iran replied.",
        "source": "Iran",
        "source_start": 0,
        "source_end": 4,
        "target": "US threats",
        "target_start": -1,
        "target_end": -1,
    },
]


def test_window_marks_spans_with_existing_vocabulary():
    w = Window("Qatar warned Iran.", spans=((13, 17), (0, 5)))
    marked, pos = w.marked_text()
    assert marked.startswith("[ Qatar ]")
    for o, c in pos:
        assert marked[o] == "[" and marked[c] == "]"


def test_window_rejects_overlapping_and_out_of_range_spans():
    with pytest.raises(ValueError, match="overlap"):
        Window("Donald Trump spoke", spans=((0, 12), (7, 12)))
    with pytest.raises(ValueError, match="outside"):
        Window("short", spans=((0, 50),))


def test_grouping_encodes_each_text_once():
    groups = group_pair_records(PAIRS)
    assert len(groups) == 2  # two distinct texts -> two windows
    window, queries = groups[0]
    assert [q[0] for q in queries] == [0, 1, 2]
    assert queries[2][1] == -1  # author slot
    window2, q2 = groups[1]
    assert window2.extras == ("US threats",)  # target not in text travels as free text
    assert q2[0][2] == len(window2.spans)


def test_overlapping_records_fall_back_to_free_text_not_dropped():
    text = "Donald Trump spoke"
    recs = [
        {
            "text": text,
            "source": "Donald Trump",
            "source_start": 0,
            "source_end": 12,
            "target": "Trump",
            "target_start": 7,
            "target_end": 12,
        },
    ]
    ((window, queries),) = group_pair_records(recs)
    assert window.spans == ((0, 12),)
    assert window.extras == ("Trump",)
    assert queries == [(0, 0, 1)]


def test_encode_windows_finds_marker_tokens(tiny_model):
    tok = tiny_model.tokenizer
    batch = encode_windows(tok, [Window("Iran replied to Israel.", spans=((0, 4), (16, 22)), extras=("US threats",))])
    ids = batch.features["input_ids"][0]
    for slot in range(3):
        o, c = batch.span_index[0, slot].tolist()
        assert tok.convert_ids_to_tokens(int(ids[o])) == "["
        assert tok.convert_ids_to_tokens(int(ids[c])) == "]"


def test_window_encoding_does_not_depend_on_batch(tiny_model):
    tok = tiny_model.tokenizer
    w = Window("Iran replied.", spans=((0, 4),))
    alone = encode_windows(tok, [w])
    mixed = encode_windows(tok, [w, Window("Qatar warned.", spans=((0, 5),), extras=("war",))])
    n = int(alone.features["attention_mask"][0].sum())
    assert alone.features["input_ids"][0][:n].tolist() == mixed.features["input_ids"][0][:n].tolist()


def test_predict_shapes_and_probabilities(tiny_model):
    probs = tiny_model.predict_pairs(PAIRS)
    assert probs.shape == (4, 3)
    np.testing.assert_allclose(probs.sum(-1), 1.0, atol=1e-5)
    sent = tiny_model.predict_sentiment([{"text": TEXT, "target": "Israel", "target_start": 48, "target_end": 54}])
    assert sent.shape == (1, 3)


def test_prediction_is_independent_of_batch_size(tiny_model):
    a = tiny_model.predict_pairs(PAIRS, batch_size=1)
    b = tiny_model.predict_pairs(PAIRS, batch_size=8)
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_save_and_reload_round_trip(tiny_model, tmp_path):
    from stance.models import load_model

    tiny_model.save_pretrained(tmp_path / "m", dtype=__import__("torch").float32)
    cfg = json.loads((tmp_path / "m" / "config.json").read_text())
    assert cfg["stance"]["pair_labels"] == ["favor", "against", "none"]
    reloaded = load_model(tmp_path / "m", cache=False)
    np.testing.assert_allclose(reloaded.predict_pairs(PAIRS), tiny_model.predict_pairs(PAIRS), atol=1e-6)


def test_load_model_errors_name_the_fix(tmp_path):
    from stance.models import load_model

    with pytest.raises(FileNotFoundError, match="no stance model"):
        load_model(tmp_path / "missing")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "config.json").write_text("{}")
    (tmp_path / "plain" / "model.safetensors").write_bytes(b"")
    with pytest.raises(ValueError, match="no 'stance' block"):
        load_model(tmp_path / "plain", cache=False)


def test_sentiment_grouping_keeps_record_order():
    recs = [
        {"text": "A said B.", "target": "B", "target_start": 7, "target_end": 8},
        {"text": "C.", "target": "C", "target_start": 0, "target_end": 1},
        {"text": "A said B.", "target": "A", "target_start": 0, "target_end": 1},
    ]
    groups = group_sentiment_records(recs)
    assert sorted(i for _, q in groups for i, _ in q) == [0, 1, 2]


def test_int8_quantised_copy_is_close(tiny_model):
    q = tiny_model.quantized()
    a = tiny_model.predict_pairs(PAIRS)
    b = q.predict_pairs(PAIRS)
    assert b.shape == a.shape
    np.testing.assert_allclose(a, b, atol=0.05)
    assert q is not tiny_model


def test_save_pretrained_writes_a_model_card(tiny_model, tmp_path):
    import torch

    hub = pytest.importorskip("huggingface_hub")
    out = tiny_model.save_pretrained(tmp_path / "plain", dtype=torch.float32)
    text = (out / "README.md").read_text()
    card = hub.ModelCard(text)
    assert card.data.library_name == "stance" and "# plain" in text and "No evaluation results" in text
    assert "model-index" not in text
    result = {
        "task": "park-dse",
        "split": "test",
        "model": "plain",
        "n": 10,
        "primary_metrics": ["macro_f1"],
        "metrics": {"macro_f1": 0.5, "accuracy": 0.6},
        "published": [],
    }
    out = tiny_model.save_pretrained(
        tmp_path / "scored",
        dtype=torch.float32,
        eval_results=[result],
        card_data={"history": "docs/experiments.md", "notes": ["A test model."]},
    )
    text = (out / "README.md").read_text()
    values = {(r.dataset_type, r.metric_type): r.metric_value for r in hub.ModelCard(text).data.eval_results}
    assert values == {("park-dse", "macro_f1"): 0.5}
    assert "[docs/experiments.md](docs/experiments.md)" in text and "- A test model." in text
    with pytest.raises(ValueError, match="unknown model card fields"):
        tiny_model.save_pretrained(tmp_path / "bad", card_data={"no_such_field": 1})
    assert not (tmp_path / "bad").exists()  # refused before anything was written
    with pytest.raises(TypeError, match="card_data"):
        tiny_model.save_pretrained(tmp_path / "bad", card_data="x")


def test_a_card_the_provenance_cannot_fill_does_not_fail_the_save(tiny_model, tmp_path, caplog):
    import copy

    import torch

    model = copy.deepcopy(tiny_model)
    model.head_config.extra = {"training": {"stages": [{"train": [{"no_name": 1}]}]}}  # hand-edited
    out = model.save_pretrained(tmp_path / "odd", dtype=torch.float32)
    assert (out / "model.safetensors").is_file() and not (out / "README.md").exists()
    assert "python -m stance.training.export card" in caplog.text
