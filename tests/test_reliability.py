"""Reliability: damaged models, dead workers, Ctrl-C, resumable long runs, flat memory."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED_ARTICLE, results_close

SHORT = [
    "Qatar warned against military escalation. Israel urges immediate action against Iran.",
    "Iran hailed the talks in Oman as a good start. The United States demanded that Iran give up its nuclear program.",
    "Turkey and Saudi Arabia backed diplomacy. President Trump threatened strikes if the talks fail.",
    "Protesters criticised the government. The minister rejected the deal.",
]


# ---------------------------------------------------------------- damaged or foreign models
@pytest.fixture()
def model_copy(tiny_model_dir: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(tiny_model_dir, tmp_path / "model"))


def _config(d: Path) -> dict:
    return json.loads((d / "config.json").read_text(encoding="utf-8"))


def _load(d: Path):
    from stance.models import load_model

    return load_model(d, cache=False)


def test_good_model_dir_passes(tiny_model_dir: Path):
    from stance.models.checks import check_model_dir

    assert check_model_dir(tiny_model_dir) == tiny_model_dir
    check_model_dir(REPO / "stance" / "resources" / "models" / "stance-minilm")


def test_truncated_weights(model_copy: Path):
    weights = model_copy / "model.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"model\.safetensors is truncated: .*reinstall stance"):
        _load(model_copy)
    weights.write_bytes(data[:5])
    with pytest.raises(ValueError, match=r"model\.safetensors is not a safetensors file"):
        _load(model_copy)
    weights.write_bytes(b"PK\x03\x04" + b"\0" * 100)  # a zip (torch .bin) renamed
    with pytest.raises(ValueError, match=r"model\.safetensors is not a safetensors file"):
        _load(model_copy)
    weights.unlink()
    with pytest.raises(FileNotFoundError, match=r"model\.safetensors is missing"):
        _load(model_copy)


@pytest.mark.parametrize(
    "version, message",
    [
        (2, r"format_version is 2, this stance reads format 1: .*upgrade stance"),
        ("1", r"format_version must be a positive integer, got '1'"),
        (0, r"format_version must be a positive integer, got 0"),
    ],
)
def test_wrong_format_version(model_copy: Path, version, message):
    cfg = _config(model_copy)
    cfg["stance"]["format_version"] = version
    (model_copy / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        _load(model_copy)


def test_config_from_another_library(tiny_encoder_dir: Path, model_copy: Path):
    with pytest.raises(ValueError, match=r"config\.json has no 'stance' block \(model_type='bert'.*another library"):
        _load(tiny_encoder_dir)  # a plain transformers BERT directory
    (model_copy / "config.json").write_text(json.dumps({"stance": {}, "library_name": "sentence-transformers"}))
    with pytest.raises(ValueError, match=r"has no 'model_type'"):
        _load(model_copy)
    (model_copy / "config.json").write_text('{"stance": {"format_version": 1,')
    with pytest.raises(ValueError, match=r"config\.json is not valid JSON .*damaged or truncated"):
        _load(model_copy)


def test_missing_tokenizer(model_copy: Path):
    for f in model_copy.iterdir():
        if f.name.startswith(("tokenizer", "vocab", "special_tokens")):
            f.unlink()
    with pytest.raises(FileNotFoundError, match=r"has no tokenizer files .*save_pretrained"):
        _load(model_copy)


def test_damaged_tokenizer(model_copy: Path):
    tok = model_copy / "tokenizer.json"
    tok.write_text(tok.read_text(encoding="utf-8")[:100], encoding="utf-8")
    with pytest.raises(ValueError, match=r"tokenizer\.json is not valid JSON"):
        _load(model_copy)


def test_adapter_layout_is_accepted_and_checked(model_copy: Path):
    from stance.models.checks import check_model_dir

    (model_copy / "model.safetensors").rename(model_copy / "heads.safetensors")
    with pytest.raises(FileNotFoundError, match=r"model\.safetensors is missing"):
        check_model_dir(model_copy)
    (model_copy / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "r": 8}), encoding="utf-8")
    shutil.copy(model_copy / "heads.safetensors", model_copy / "adapter_model.safetensors")
    assert check_model_dir(model_copy) == model_copy
    data = (model_copy / "adapter_model.safetensors").read_bytes()
    (model_copy / "adapter_model.safetensors").write_bytes(data[:-10])
    with pytest.raises(ValueError, match=r"adapter_model\.safetensors is truncated"):
        check_model_dir(model_copy)
    (model_copy / "heads.safetensors").unlink()
    (model_copy / "adapter_model.safetensors").write_bytes(data)
    with pytest.raises(FileNotFoundError, match=r"heads\.safetensors is missing"):
        check_model_dir(model_copy)


def test_pool_checks_the_model_before_starting_workers(model_copy: Path):
    from stance.parallel import ProcessPool

    (model_copy / "model.safetensors").write_bytes(b"")
    with pytest.raises(ValueError, match=r"model\.safetensors is not a safetensors file"):
        ProcessPool(model_copy, n_process=2)


# ---------------------------------------------------------------- worker death
def _kill_worker_when_it_takes(pool, index: int, sig: int = signal.SIGKILL) -> dict:
    """Kill the worker that starts on article ``index`` (as the out-of-memory killer would)."""
    state = Path(pool._state.name)
    seen: dict = {}

    def watch() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "pid" not in seen:
            for marker in state.glob("*.chunk"):
                try:
                    first, n = (int(x) for x in marker.read_text().split())
                except (OSError, ValueError):
                    continue
                if first <= index < first + n:
                    seen["pid"] = int(marker.stem)
                    seen["at"] = time.monotonic()
                    os.kill(seen["pid"], sig)
                    return
            time.sleep(0.005)

    threading.Thread(target=watch, daemon=True).start()
    return seen


def test_dead_worker_is_named_and_the_pool_recovers(tiny_model_dir: Path):
    from stance.api import classify_many
    from stance.parallel import ProcessPool, WorkerDiedError

    long_text = SEED_ARTICLE.read_text(encoding="utf-8") * 6
    texts = SHORT + [long_text] + SHORT
    expected = [r.to_dict() for r in classify_many(SHORT, model=str(tiny_model_dir), batch_size=2)]
    with ProcessPool(tiny_model_dir, n_process=2) as pool:
        pool.warm_up()
        killed = _kill_worker_when_it_takes(pool, len(SHORT))
        start = time.monotonic()
        with pytest.raises(WorkerDiedError) as info:
            pool.classify_many(texts, batch_size=1)
        assert time.monotonic() - start < 60
        err = info.value
        assert err.pid == killed["pid"] and err.exitcode == -signal.SIGKILL
        assert err.indices == (len(SHORT),) and err.known
        assert f"worker process {killed['pid']} died (killed by SIGKILL" in str(err)
        assert "while classifying texts[4]" in str(err) and "--resume" in str(err)
        assert not list(Path(pool._state.name).glob("*.chunk"))
        # the pool starts fresh workers and gives the same results as before
        again = [r.to_dict() for r in pool.classify_many(SHORT, batch_size=2)]
        assert all(results_close(a, b, 1e-4) for a, b in zip(again, expected))
    assert pool._pool is None


def test_dead_worker_is_named_by_its_place_in_a_stream(tiny_model_dir: Path, monkeypatch):
    """classify_iter names the article by its index in the whole stream, not in its chunk."""
    from stance.api import classify_iter
    from stance.parallel import ProcessPool, WorkerDiedError

    long_text = SEED_ARTICLE.read_text(encoding="utf-8") * 6
    texts = SHORT + [long_text] + SHORT  # the second chunk of 4 starts with the long text (stream index 4)
    pools: list = []
    real_init = ProcessPool.__init__

    def spy(self, *a, **k):
        real_init(self, *a, **k)
        pools.append(self)

    monkeypatch.setattr(ProcessPool, "__init__", spy)
    stream = classify_iter(iter(texts), model=str(tiny_model_dir), n_process=2, chunk_size=4, batch_size=1)
    assert len([next(stream) for _ in range(4)]) == 4
    _kill_worker_when_it_takes(pools[0], 0)  # the chunk's first article: the long one
    with pytest.raises(WorkerDiedError, match=r"while classifying texts\[4\];"):
        list(stream)
    assert pools[0]._pool is None  # the stream closed its pool


# ---------------------------------------------------------------- Ctrl-C and --resume (CLI)
def _corpus(tmp_path: Path, texts: list[str]) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        "".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(texts)), encoding="utf-8"
    )
    return path


def _cli(*args: str) -> int:
    from stance.cli import main

    return main(["classify", *args])


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_resume_after_a_truncated_write(tiny_model_dir: Path, tmp_path: Path, caplog):
    texts = SHORT + ["", SEED_ARTICLE.read_text(encoding="utf-8")[:2000]] + SHORT[::-1]
    corpus = _corpus(tmp_path, texts)
    ref = tmp_path / "ref.jsonl"
    assert _cli(str(corpus), "--model", str(tiny_model_dir), "--output", str(ref)) == 0
    reference = _lines(ref)
    assert [r["id"] for r in reference] == [f"a{i}" for i in range(len(texts))]
    # a run killed while writing line 4: three whole lines and half of the fourth
    out = tmp_path / "out.jsonl"
    raw = ref.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(raw[:3]) + raw[3][: len(raw[3]) // 2], encoding="utf-8")
    with pytest.raises(SystemExit, match="exists; add --resume"):
        _cli(str(corpus), "--model", str(tiny_model_dir), "--output", str(out))
    assert _cli(str(corpus), "--model", str(tiny_model_dir), "--output", str(out), "--resume", "--chunk-size", "2") == 0
    assert any("dropped a truncated last line" in r.message for r in caplog.records)
    resumed = _lines(out)
    assert [r["id"] for r in resumed] == [r["id"] for r in reference]  # nothing lost, nothing repeated
    assert all(results_close(a, b, 1e-4) for a, b in zip(resumed, reference))
    # resuming a finished run does nothing
    assert _cli(str(corpus), "--model", str(tiny_model_dir), "--output", str(out), "--resume") == 0
    assert _lines(out) == resumed


def test_resume_refuses_what_it_cannot_continue(tiny_model_dir: Path, tmp_path: Path):
    corpus = _corpus(tmp_path, SHORT)
    out = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit, match="--resume needs --output"):
        _cli(str(corpus), "--resume")
    out.write_text('{"id": "a0"}\nnot json\n{"id": "a1"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match=r"line 2 is not valid JSON"):
        _cli(str(corpus), "--model", str(tiny_model_dir), "--output", str(out), "--resume")
    with pytest.raises(SystemExit, match="--resume appends to a jsonl file"):
        _cli(str(corpus), "--output", str(out), "--resume", "--format", "json")


def _spawn_cli(args: list[str]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "stance", "classify", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_lines(path: Path, n: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(encoding="utf-8").count("\n") >= n:
            return
        if proc.poll() is not None:
            raise AssertionError(f"run ended early: {proc.stderr.read()}")
        time.sleep(0.1)
    raise AssertionError("no output in time")


def test_killed_run_resumes_without_loss_or_repeat(tiny_model_dir: Path, tmp_path: Path):
    texts = [SHORT[i % 4] + f" Article {i}." for i in range(40)]
    corpus = _corpus(tmp_path, texts)
    out = tmp_path / "out.jsonl"
    proc = _spawn_cli([str(corpus), "--model", str(tiny_model_dir), "--output", str(out), "--chunk-size", "1"])
    _wait_lines(out, 3, proc)
    os.killpg(proc.pid, signal.SIGKILL)  # no chance to clean up
    proc.wait(30)
    before = out.read_text(encoding="utf-8").count("\n")
    assert 3 <= before < 40
    assert _cli(str(corpus), "--model", str(tiny_model_dir), "--output", str(out), "--resume") == 0
    ids = [r["id"] for r in _lines(out)]
    assert ids == [f"a{i}" for i in range(40)]


def test_ctrl_c_stops_workers_and_keeps_the_output(tiny_model_dir: Path, tmp_path: Path):
    psutil = pytest.importorskip("psutil")
    long_text = SEED_ARTICLE.read_text(encoding="utf-8") * 3
    corpus = _corpus(tmp_path, SHORT * 2 + [long_text] * 12)
    out = tmp_path / "out.jsonl"
    proc = _spawn_cli(
        [
            str(corpus),
            "--model",
            str(tiny_model_dir),
            "--output",
            str(out),
            "--n-process",
            "2",
            "--chunk-size",
            "8",
            "--batch-size",
            "1",
        ]
    )
    _wait_lines(out, 1, proc, timeout=180)
    workers = [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends to the whole group on Ctrl-C
    start = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    assert time.monotonic() - start < 30
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "--resume" in stderr
    assert "Traceback" not in stderr, stderr
    time.sleep(0.5)
    alive = [p for p in workers if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"workers left running: {alive}"
    lines = _lines(out)  # every line written is whole
    assert lines and all("id" in r for r in lines)


# ---------------------------------------------------------------- memory over a stream
def test_release_memory_is_safe_to_call():
    from stance.memory import release_memory

    assert release_memory() in (True, False)
    assert release_memory() in (True, False)  # the libc lookup is cached


def test_memory_stays_flat_over_a_stream(tiny_model):
    psutil = pytest.importorskip("psutil")
    import gc

    from stance.api import classify_iter

    proc = psutil.Process()
    texts = (SHORT[i % 4] + f" Minister Number{i} of Country{i % 97} spoke." for i in range(300))
    rss = []
    for i, _ in enumerate(classify_iter(texts, model=tiny_model, chunk_size=32), 1):
        if i % 100 == 0:
            gc.collect()
            rss.append(proc.memory_info().rss / 2**20)
    growth = rss[-1] - rss[0]  # after warm-up (the first 100)
    assert growth < 40, f"RSS grew {growth:.1f} MiB over 200 articles: {rss}"
