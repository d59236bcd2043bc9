"""The ONNX Runtime encoder: same predictions as torch, clear errors, harness ``@onnx``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime", reason='the ONNX backend needs pip install "stance[onnx]"')

PAIRS = [
    {
        "text": "Qatar warned against military escalation.",
        "source": "Qatar",
        "source_start": 0,
        "source_end": 5,
        "target": "military escalation",
        "target_start": 21,
        "target_end": 40,
        "label": 1,
    },
    {
        "text": "Israel urges immediate action against Iran, said the minister.",
        "source": "Israel",
        "source_start": 0,
        "source_end": 6,
        "target": "Iran",
        "target_start": 38,
        "target_end": 42,
        "label": 0,
    },
    {
        "text": "Talks.",
        "source": "author",
        "source_start": -1,
        "source_end": -1,
        "target": "Talks",
        "target_start": 0,
        "target_end": 5,
        "label": 2,
    },
]
SENTIMENT = [
    {
        "text": "Protesters criticised the government.",
        "target": "the government",
        "target_start": 22,
        "target_end": 36,
        "label": 0,
    },
]


@pytest.fixture(scope="module")
def onnx_model(tiny_model):
    return tiny_model.onnx(threads=1)


def test_onnx_predictions_equal_torch(tiny_model, onnx_model):
    assert onnx_model.backend == "onnx" and tiny_model.backend == "torch"
    assert onnx_model is not tiny_model and onnx_model.encoder is not tiny_model.encoder
    np.testing.assert_allclose(onnx_model.predict_pairs(PAIRS), tiny_model.predict_pairs(PAIRS), atol=1e-5)
    np.testing.assert_allclose(
        onnx_model.predict_sentiment(SENTIMENT), tiny_model.predict_sentiment(SENTIMENT), atol=1e-5
    )
    # deterministic, and batching (padding) does not change a row
    a = onnx_model.predict_pairs(PAIRS, batch_size=1)
    np.testing.assert_allclose(a, onnx_model.predict_pairs(PAIRS, batch_size=3), atol=1e-5)
    np.testing.assert_array_equal(a, onnx_model.predict_pairs(PAIRS, batch_size=1))
    np.testing.assert_allclose(
        onnx_model.embed(["military escalation", "talks"]),
        tiny_model.embed(["military escalation", "talks"]),
        atol=1e-5,
    )


def test_onnx_article_matches_torch(tiny_model, onnx_model):
    from stance.pipeline import Pipeline

    text = "Qatar warned against military escalation. Israel urges immediate action against Iran."
    a = Pipeline(model=tiny_model).classify(text).to_dict()
    b = Pipeline(model=onnx_model).classify(text).to_dict()
    assert [x["name"] for x in a["actors"]] == [x["name"] for x in b["actors"]]
    assert len(a["positions"]) == len(b["positions"])
    for p, q in zip(a["positions"], b["positions"]):
        assert (p["source"], p["target"], p["stance"]) == (q["source"], q["target"], q["stance"])
        assert abs(p["confidence"] - q["confidence"]) < 1e-3


def test_onnx_copy_cannot_be_saved_and_load_model_checks(onnx_model, tiny_model, tmp_path: Path):
    import torch

    from stance.models import load_model

    with pytest.raises(ValueError, match="save the torch model"):
        onnx_model.save_pretrained(tmp_path / "x")
    path = tiny_model.save_pretrained(tmp_path / "tiny", dtype=torch.float32)
    with pytest.raises(ValueError, match="backend must be"):
        load_model(path, backend="tensorrt")
    with pytest.raises(ValueError, match="leave quantize=None"):
        load_model(path, backend="onnx", quantize="int8")
    loaded = load_model(path, backend="onnx", cache=False)
    np.testing.assert_allclose(loaded.predict_pairs(PAIRS), tiny_model.predict_pairs(PAIRS), atol=1e-5)


def test_runner_resolves_onnx_suffix(tiny_model, tmp_path: Path):
    import torch

    from stance.evaluation.runner import resolve_model

    path = tiny_model.save_pretrained(tmp_path / "tiny", dtype=torch.float32)
    model, name = resolve_model(f"{path}@onnx")
    assert name == f"{path}@onnx" and model.backend == "onnx"
