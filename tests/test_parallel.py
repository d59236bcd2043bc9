"""classify_many(n_process=2): worker processes give what one process gives, in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import results_close

ARTICLES = [
    "Qatar warned against military escalation. Israel urges immediate action against Iran.",
    "Iran hailed the talks in Oman as a good start. The United States demanded that Iran give up its nuclear program.",
    "Turkey and Saudi Arabia backed diplomacy. President Trump threatened strikes if the talks fail.",
    "Protesters criticised the government. The minister rejected the deal.",
    "",
]


def _close(a, b, tol: float = 1e-4) -> bool:
    """Workers use one BLAS thread like this process: a tighter tolerance than across Ray."""
    return results_close(a, b, tol)


def test_two_processes_match_one(tiny_model_dir: Path):
    from stance.api import classify_many

    one = [r.to_dict() for r in classify_many(ARTICLES, model=str(tiny_model_dir), batch_size=2)]
    two = [r.to_dict() for r in classify_many(ARTICLES, model=str(tiny_model_dir), batch_size=2, n_process=2)]
    assert len(two) == len(ARTICLES)
    assert any(r["actors"] for r in one)
    for a, b in zip(one, two):
        assert _close(a, b), (a, b)


def test_pool_is_reused_and_closes(tiny_model_dir: Path):
    from stance.api import classify_many
    from stance.parallel import ProcessPool

    expected = [r.to_dict() for r in classify_many(ARTICLES[:2], model=str(tiny_model_dir), batch_size=1)]
    with ProcessPool(tiny_model_dir, n_process=2) as pool:
        pool.warm_up()
        first = [r.to_dict() for r in pool.classify_many(ARTICLES[:2], batch_size=1)]
        second = [r.to_dict() for r in pool.classify_many(ARTICLES[:2], batch_size=1)]
        with pytest.raises(TypeError, match="list of strings"):
            pool.classify_many(ARTICLES, "Iran")
    assert all(_close(a, b) for a, b in zip(first, expected))
    assert all(_close(a, b) for a, b in zip(second, expected))
    with pytest.raises(ValueError, match="closed"):
        pool.classify_many(ARTICLES[:1])


def test_bad_arguments(tiny_model):
    from stance.api import classify_many
    from stance.parallel import classify_processes, resolve_n_process

    with pytest.raises(ValueError, match="n_process must be >= 1"):
        classify_many(["a"], n_process=0)
    with pytest.raises(TypeError, match="n_process must be an int"):
        classify_many(["a"], n_process=2.0)
    with pytest.raises(TypeError, match="save_pretrained"):
        classify_many(["a"], model=tiny_model, n_process=2)
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        classify_processes(["a", b"bytes"], n_process=2)
    with pytest.raises(ValueError, match="torch_threads"):
        classify_processes(["a"], n_process=2, torch_threads=0)
    with pytest.raises(ValueError, match="cue_weight"):
        classify_processes(["a"], n_process=2, cue_weight=-1)
    with pytest.raises(ValueError, match="sentiment_windows"):
        classify_processes(["a"], n_process=2, sentiment_windows="per-mention")
    with pytest.raises(ValueError, match="backend"):
        classify_many(["a"], n_process=2, backend="tensorrt")
    with pytest.raises(ValueError, match="precision must be one of"):
        classify_many(["a"], n_process=2, precision="fp16")
    with pytest.raises(ValueError, match="precision must be one of"):
        classify_processes(["a"], n_process=2, precision="half")
    assert classify_processes([], n_process=2) == []
    assert resolve_n_process(-1) >= 1


def test_workers_load_the_model_at_the_chosen_precision(tiny_model_dir: Path):
    """stance.classify_many -> Classifier -> ProcessPool -> each worker's load_model."""
    from stance.api import classify_many

    got = classify_many(ARTICLES[:2], model=str(tiny_model_dir), batch_size=1, n_process=2, precision="bf16")
    assert len(got) == 2
    assert [r.meta["precision"] for r in got] == ["bf16", "bf16"]


def test_onnx_pool_exports_once_and_matches(tiny_model_dir: Path):
    pytest.importorskip("onnxruntime", reason='the ONNX backend needs pip install "stance[onnx]"')
    from stance.api import classify_many
    from stance.parallel import ProcessPool

    expected = [r.to_dict() for r in classify_many(ARTICLES[:2], model=str(tiny_model_dir), batch_size=1)]
    pool = ProcessPool(tiny_model_dir, n_process=2, backend="onnx")
    try:
        exported = Path(pool._tmp.name) / "encoder.onnx"
        assert exported.is_file()  # one export in the parent, shared by the workers
        got = [r.to_dict() for r in pool.classify_many(ARTICLES[:2], batch_size=1)]
    finally:
        pool.close()
    assert not exported.exists()  # removed with the pool
    assert all(r["meta"]["backend"] == "onnx" for r in got) and all(r["meta"]["backend"] == "torch" for r in expected)
    strip = lambda r: {k: v for k, v in r.items() if k != "meta"}  # noqa: E731 - meta names the backend
    assert all(_close(strip(a), strip(b), tol=1e-3) for a, b in zip(got, expected))


def test_worker_peak_rss_is_reported_per_worker(tiny_model_dir: Path):
    import sys

    from stance.parallel import ProcessPool

    with ProcessPool(tiny_model_dir, n_process=2) as pool:
        pool.warm_up()
        peaks = pool.worker_peak_rss_mb()
    assert len(peaks) == 2
    if sys.platform.startswith("linux"):
        assert all(v is not None and 50 < v < 100_000 for v in peaks.values()), peaks
