"""Stance models named by a Hugging Face Hub id load from the local Hub cache (never downloaded)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

hub = pytest.importorskip("huggingface_hub")

REVISION = "0123456789abcdef0123456789abcdef01234567"
RECORDS = [
    {
        "text": "Qatar warned against military escalation.",
        "source": "Qatar",
        "source_start": 0,
        "source_end": 5,
        "target": "military escalation",
        "target_start": 21,
        "target_end": 40,
    }
]


@pytest.fixture
def hub_cache(tmp_path, monkeypatch, tiny_model_dir) -> Path:
    """A Hugging Face cache holding the tiny model as ``org/tiny-stance`` (the layout snapshot_download reads)."""
    cache = tmp_path / "hf-cache"
    repo = cache / "models--org--tiny-stance"
    shutil.copytree(tiny_model_dir, repo / "snapshots" / REVISION)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(REVISION)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hub.constants, "HF_HUB_CACHE", str(cache))  # read at import time; the env is for subprocesses
    monkeypatch.chdir(tmp_path)  # no local folder named org/
    return cache


def test_from_pretrained_and_load_model_take_a_cached_hub_id(hub_cache, tiny_model_dir):
    from stance.models import load_model
    from stance.models.modeling import StanceModel

    local = StanceModel.from_pretrained(tiny_model_dir)
    by_id = StanceModel.from_pretrained("org/tiny-stance")
    assert by_id.weights_sha256 == local.weights_sha256
    np.testing.assert_allclose(by_id.predict_pairs(RECORDS), local.predict_pairs(RECORDS), atol=1e-6)
    loaded = load_model("org/tiny-stance", cache=False)
    assert loaded.weights_sha256 == local.weights_sha256
    snapshot = hub_cache / "models--org--tiny-stance" / "snapshots" / REVISION
    assert load_model("org/tiny-stance") is load_model(str(snapshot))  # one cache entry per directory


@pytest.mark.parametrize("load", ["load_model", "from_pretrained"])
def test_an_uncached_hub_id_names_the_fix(hub_cache, load):
    from stance.models import load_model
    from stance.models.modeling import StanceModel

    fn = load_model if load == "load_model" else StanceModel.from_pretrained
    with pytest.raises(FileNotFoundError) as err:
        fn("org/not-cached")
    message = str(err.value)
    assert "huggingface-cli download org/not-cached" in message and "HF_HUB_OFFLINE" in message
    assert "local directory" in message and str(hub_cache) in message


def test_a_local_directory_wins_over_a_hub_id(hub_cache, tiny_model_dir, tmp_path):
    from stance.models.base import is_hub_id, resolve_model_dir
    from stance.models.modeling import StanceModel

    shutil.copytree(tiny_model_dir, tmp_path / "org" / "tiny-stance")
    assert not is_hub_id("org/tiny-stance")
    assert resolve_model_dir("org/tiny-stance") == Path("org/tiny-stance")
    assert StanceModel.from_pretrained("org/tiny-stance").weights_sha256
    assert resolve_model_dir(Path("org/elsewhere")) == Path("org/elsewhere")  # a Path is always a path
    assert is_hub_id("org/elsewhere") and not is_hub_id("./org/elsewhere") and not is_hub_id("a/b/c")


def test_the_harness_takes_a_cached_hub_id(hub_cache):
    from stance.evaluation.runner import resolve_model

    model, name = resolve_model("org/tiny-stance")
    assert name == "org/tiny-stance" and model.weights_sha256
    with pytest.raises(FileNotFoundError, match="huggingface-cli download org/not-cached"):
        resolve_model("org/not-cached")
