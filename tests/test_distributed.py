"""classify_ray: Ray Data over a small JSONL corpus gives what classify_many gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import results_close

SKIP_REASON = 'Ray Data is not installed (pip install "stance[ray]")'

ARTICLES = [
    "Qatar warned against military escalation. Israel urges immediate action against Iran.",
    "Iran hailed the talks in Oman as a good start. The United States demanded that Iran give up its nuclear program.",
    "Turkey and Saudi Arabia backed diplomacy. President Trump threatened strikes if the talks fail.",
    "Protesters criticised the government. The minister rejected the deal.",
]


@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray", reason=SKIP_REASON)
    pytest.importorskip("ray.data", reason=SKIP_REASON)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield ray
    finally:
        ray.shutdown()


def test_classify_ray_matches_classify_many(ray_local, tiny_model_dir: Path, tmp_path: Path):
    from stance.api import classify_many
    from stance.distributed import RESULT_COLUMN, classify_ray, write_results

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "".join(json.dumps({"id": i, "body": t}) + "\n" for i, t in enumerate(ARTICLES)), encoding="utf-8"
    )

    # Two workers of half a CPU each leave one of the two CPUs for reading the corpus.
    ds = classify_ray(
        corpus, text_column="body", model=tiny_model_dir, batch_size=1, concurrency=2, num_cpus_per_worker=0.5
    )
    ds = ds.materialize()  # run once; take_all and write_results below reuse the blocks
    rows = sorted(ds.take_all(), key=lambda r: r["id"])
    assert [r["id"] for r in rows] == list(range(len(ARTICLES)))
    assert [r["body"] for r in rows] == ARTICLES  # other columns pass through
    got = [json.loads(r[RESULT_COLUMN]) for r in rows]

    expected = [r.to_dict() for r in classify_many(ARTICLES, model=str(tiny_model_dir), batch_size=1)]
    assert any(g["actors"] for g in got)
    for g, e in zip(got, expected):
        assert results_close(g, e), (g, e)

    out = write_results(ds, tmp_path / "out")
    written = [
        json.loads(line) for f in sorted(out.glob("*.json*")) for line in f.read_text(encoding="utf-8").splitlines()
    ]
    assert sorted(w["id"] for w in written) == list(range(len(ARTICLES)))
    assert all(RESULT_COLUMN in w for w in written)


def test_classify_ray_rejects_bad_arguments(tmp_path: Path):
    """Argument errors come before Ray is imported, so they hold with or without Ray."""
    from stance.distributed import classify_ray, read_corpus

    with pytest.raises(TypeError, match="model directory"):
        classify_ray(tmp_path, model=object())
    with pytest.raises(TypeError, match="list of strings"):
        classify_ray(tmp_path, targets="one target")
    with pytest.raises(ValueError, match="batch_size"):
        classify_ray(tmp_path, batch_size=0)
    with pytest.raises(FileNotFoundError):
        read_corpus(tmp_path / "missing.jsonl")
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match="format"):
        read_corpus(tmp_path / "notes.txt")


def test_missing_ray_names_the_extra(monkeypatch):
    import builtins

    from stance import distributed

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "ray" or name.startswith("ray."):
            raise ImportError("No module named 'ray'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=r'pip install "stance\[ray\]"'):
        distributed.classify_ray("corpus.jsonl")
