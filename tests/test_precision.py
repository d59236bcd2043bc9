"""Inference and training precision: fp32, bf16 autocast, and "auto" (bf16 where the hardware has it)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.test_models import PAIRS
from tests.test_training import LABELLED_PAIRS as RECORDS


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ("fp16", ValueError, "precision must be one of"),
        (16, ValueError, "precision"),
        ("FP32", ValueError, "precision"),
    ],
)
def test_bad_precision_names_the_choices(value, error, match):
    from stance.models.precision import check_precision

    with pytest.raises(error, match=match):
        check_precision(value)


@pytest.mark.parametrize("native", [True, False])
def test_auto_picks_bf16_only_where_the_cpu_has_it(monkeypatch, native):
    from stance.models import precision

    monkeypatch.setattr(precision, "native_bf16_cpu", lambda: native)
    assert precision.resolve_precision("auto", "cpu") == ("bf16" if native else "fp32")
    assert precision.resolve_precision("fp32", "cpu") == "fp32"
    assert precision.resolve_precision("bf16", "cpu") == "bf16"


def test_bf16_runs_the_encoder_in_bf16_and_stays_close_to_fp32(tiny_model):
    import torch

    seen = []
    hook = tiny_model.encoder.encoder.layer[0].intermediate.dense.register_forward_hook(
        lambda _m, _i, out: seen.append(out.dtype)
    )
    try:
        fp32 = tiny_model.set_precision("fp32").predict_pairs(PAIRS)
        bf16 = tiny_model.set_precision("bf16").predict_pairs(PAIRS)
    finally:
        tiny_model.set_precision("fp32")
        hook.remove()
    assert seen == [torch.float32, torch.bfloat16]
    assert bf16.dtype == np.float32 and np.allclose(bf16.sum(-1), 1.0, atol=1e-5)
    np.testing.assert_allclose(bf16, fp32, atol=0.03)


def test_a_model_loads_at_the_precision_it_declares(tiny_model, tmp_path):
    import torch

    from stance.models import load_model

    assert load_model(tiny_model.save_pretrained(tmp_path / "plain", dtype=torch.float32)).precision == "fp32"
    tiny_model.head_config.precision = "bf16"
    try:
        path = tiny_model.save_pretrained(tmp_path / "m", dtype=torch.float32)
    finally:
        tiny_model.head_config.precision = "fp32"
    assert json.loads((path / "config.json").read_text())["stance"]["precision"] == "bf16"
    declared = load_model(path)
    assert declared.precision == "bf16"
    overridden = load_model(path, precision="fp32")
    assert overridden.precision == "fp32" and overridden is not declared  # cached per precision
    with pytest.raises(ValueError, match="precision must be one of"):
        load_model(path, precision="half")
    assert "precision" in declared.head_config.reset_calibrations()  # new weights: measured again
    assert declared.head_config.precision == "fp32"


def test_results_and_harness_records_say_which_precision_ran(tiny_model_dir):
    from stance.evaluation.runner import resolve_model
    from stance.pipeline import Pipeline

    predictor, name = resolve_model(f"{tiny_model_dir}@bf16")
    assert name.endswith("@bf16") and predictor.precision == "bf16"
    result = Pipeline(model=predictor).classify("Qatar warned against military escalation with Iran.")
    assert result.meta["precision"] == "bf16"
    predictor, name = resolve_model(f"{tiny_model_dir}@fp32")
    assert predictor.precision == "fp32"


def test_int8_copies_run_fp32(tiny_model):
    try:
        copy = tiny_model.set_precision("bf16").quantized()
    finally:
        tiny_model.set_precision("fp32")
    assert copy.precision == "fp32"


def test_training_at_bf16_learns_and_validates_at_bf16(tiny_model_dir, tmp_path):
    from stance.models import load_model
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer, items_from_records

    with pytest.raises(ValueError, match="precision must be one of"):
        TrainingArguments(output_dir=str(tmp_path / "x"), precision="fp16")
    spec = {"name": "park2021", "data_dir": str(tmp_path), "family": "pair"}
    batch = items_from_records(RECORDS, "pair")
    model = load_model(tiny_model_dir, cache=False)
    model.eval()
    fp32 = Trainer(TrainingArguments(output_dir=str(tmp_path / "a"), train=[spec]), model=model)
    bf16 = Trainer(TrainingArguments(output_dir=str(tmp_path / "b"), train=[spec], precision="bf16"), model=model)
    assert bf16.precision == "bf16" and fp32.precision == "fp32"
    a, b = fp32._step_loss(batch), bf16._step_loss(batch)
    assert b.dtype == a.dtype and b.item() == pytest.approx(a.item(), abs=0.05)
    b.backward()  # gradients reach the fp32 weights
    grads = [p.grad for p in model.parameters() if p.requires_grad]
    assert all(g is None or g.dtype == a.dtype for g in grads) and any(g is not None for g in grads)
