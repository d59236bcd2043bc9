"""Throughput of ``classify`` end to end, next to the architectures users would otherwise pick.

Usage::

    python benchmarks/speed.py --corpus seesaw --data-dir ../shared/data/seesaw [--n 50]
    python benchmarks/speed.py --corpus seed --n 50
    python benchmarks/speed.py --quick                      # smoke run: 2 articles, few passes
    python benchmarks/speed.py --data-dir ../shared/data/seesaw --model fast accurate   # both models
    python benchmarks/speed.py --large [--large-bytes 1000000]

What is timed, on the same articles, in the same run:

* **stance**: ``Pipeline.classify`` one article at a time (what ``stance.classify`` runs:
  actors with spaCy, issue candidates, one encoder pass per sentence window for stance and
  sentiment, issue grouping, aggregation), after one untimed warm-up article; and
  ``classify_many`` (articles share model batches) for throughput; with 2+ threads also
  ``classify_many(n_process=N)``: N worker processes of one torch thread each (a warm
  :class:`stance.parallel.ProcessPool`; start-up excluded like the other warm-ups). Rows
  marked "encoder on ONNX Runtime" run the same model with ``backend="onnx"`` (when
  onnxruntime is installed); their accuracy is in the ``@onnx`` rows of RESULTS.md.
  The ``sentiment_windows=focused`` row gives each actor mention that shares its window
  with other marked spans one more encoder pass (accuracy: the ``@focused`` rows).
* **NLI zero-shot** (bart-large-mnli's shape: ``BartForSequenceClassification``, d_model
  1024, 12+12 layers, 16 heads, ffn 4096, vocab 50265, 3 labels): one pass per
  (sentence x hypothesis), as the Hugging Face zero-shot pipeline does, with one
  hypothesis per label ("This text is about {actor} supporting / opposing / being neutral
  toward {target}.") for every (actor, target) pair our pipeline scores in that sentence
  (from :meth:`stance.pipeline.Pipeline.prepare`).
* **RoBERTa pair classifier** (``RobertaForSequenceClassification``, roberta-base sizes):
  one pass per (actor, target) pair per sentence (sentence + "actor ; target").

The two baselines are built from configs with random weights (speed does not depend on
the weights), tokenised with our MiniLM tokenizer (any tokenizer of similar granularity
gives the same lengths, for timing), truncated at our model's ``max_length``, batched and
length-sorted (more generous than the zero-shot pipeline's default batch of 1). Because
they are slow, a fixed number of passes sampled evenly over the corpus's passes is timed
and the per-article time is *extrapolated* (passes of the article x seconds per pass);
rows say so and how many passes were measured. Baseline times count only their model
passes, not actor extraction or aggregation, which they would need too; sentiment passes
are not counted either. Both favour the baselines.

Every (system, threads, device) runs in a fresh subprocess so ``peak_rss_mb`` (the
process's maximum resident set, ``getrusage``) is that system's own footprint, model and
spaCy included. Rows for CUDA are added when ``torch.cuda.is_available()``.

Results go to ``benchmarks/results/speed.json`` ({"kind": "speed", "title", "columns",
"rows", "commit", "versions", "hardware", "date", "notes"}), rendered by
``benchmarks/render.py``. ``--quick`` writes nowhere unless ``--out`` is given (a smoke
run is not a result).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

logger = logging.getLogger("benchmarks.speed")

RESULT_MARK = "@@SPEED-RESULT@@ "
SEED = ROOT / "seeds" / "us_iran_talks_oman.txt"
DEFAULT_OUT = HERE / "results" / "speed.json"
HYPOTHESES = {
    "favor": "This text is about {actor} supporting {target}.",
    "against": "This text is about {actor} opposing {target}.",
    "neutral": "This text is about {actor} being neutral toward {target}.",
}
PAIR_TEMPLATE = "{actor} ; {target}"
COLUMNS = [
    "system",
    "threads",
    "device",
    "articles_per_s",
    "sentences_per_s",
    "p50_ms",
    "p95_ms",
    "peak_rss_mb",
    "ratio_vs_nli",
    "measured",
]
SYSTEM_NAMES = {
    "stance": "stance classify (one article at a time)",
    "stance-many": "stance classify_many (batch_size={batch})",
    "nli": "NLI zero-shot, bart-large-mnli shape (random weights)",
    "pair": "RoBERTa-base pair classifier (random weights)",
    "large": "stance classify, one {size} article",
    "parse": "parse only: spaCy + actors + issue candidates, no encoder (ceiling for any encoder)",
    "stance-procs": "stance classify_many, {procs} processes x 1 thread (n_process={procs}, batch_size={batch})",
    "stance-many-onnx": "stance classify_many (batch_size={batch}), encoder on ONNX Runtime",
    "stance-procs-onnx": "stance classify_many, {procs} processes x 1 thread, encoder on ONNX Runtime",
    "stance-many-focused": "stance classify_many (batch_size={batch}), sentiment_windows=focused",
}


# ----------------------------------------------------------------------------- corpus
def seesaw_articles(data_dir: Path, n: int | None) -> list[tuple[str, str]]:
    """``(doc_id, title + sentences)`` for SEESAW articles, sorted by file name.

    ``data_dir`` holds ``SEESAW/articles/*.json`` (like ``seesaw/``) or ``seesaw/SEESAW/...``.
    The text is built as in :func:`stance.data.seesaw.article_text`.
    """
    from stance.data.seesaw import article_text

    folder = None
    for cand in (data_dir / "SEESAW" / "articles", data_dir / "seesaw" / "SEESAW" / "articles", data_dir / "articles"):
        if cand.is_dir():
            folder = cand
            break
    if folder is None:
        raise FileNotFoundError(f"no SEESAW articles under {data_dir} (expected {data_dir}/SEESAW/articles/*.json)")
    files = sorted(folder.glob("*.json"))
    if n is not None:
        files = files[:n]
    out = []
    for f in files:
        raw = json.loads(f.read_text(encoding="utf-8"))
        sentences = [s["text"] for s in sorted(raw["text"], key=lambda s: int(s["id"]))]
        out.append((f.stem, article_text(raw["title"], sentences)))
    if not out:
        raise FileNotFoundError(f"{folder} has no *.json articles")
    return out


def seed_articles(n: int) -> list[tuple[str, str]]:
    text = SEED.read_text(encoding="utf-8")
    return [(f"seed-{i}", text) for i in range(n)]


def large_text(min_bytes: int) -> tuple[str, int]:
    """The seed repeated (whole copies, blank line between) to at least ``min_bytes`` UTF-8 bytes."""
    seed = SEED.read_text(encoding="utf-8").strip()
    per_copy = len((seed + "\n\n").encode("utf-8"))
    copies = max(1, -(-min_bytes // per_copy))
    return "\n\n".join([seed] * copies), copies


def build_workload(articles: list[tuple[str, str]]) -> dict[str, Any]:
    """Sentences and scored (sentence, actor, target) pairs per article, from ``Pipeline.prepare``.

    Needs spaCy only (no model).
    """
    from stance.pipeline import Pipeline

    pipe = Pipeline()
    cache: dict[str, dict[str, Any]] = {}
    out = []
    for doc_id, text in articles:
        if text not in cache:
            prep = pipe.prepare(text)
            n_sent = len(pipe.extractor.analyse(text).sentences)
            pairs = []
            for plan in prep.plans:
                for _s, _t, actor, key, _kind, _via in plan.pairs:
                    target = key.split(":", 1)[1] if key.startswith(("cand:", "user:")) else key
                    pairs.append([plan.sentence.text, actor, target])
            cache[text] = {"n_sentences": n_sent, "n_windows": len(prep.windows), "pairs": pairs}
        out.append({"id": doc_id, "text": text, **cache[text]})
    return {"articles": out}


def baseline_passes(workload: dict[str, Any], system: str) -> list[list[int]]:
    """Every model input the baseline needs, as ``[article, pair, label]`` (label -1: pair model)."""
    passes = []
    for ai, art in enumerate(workload["articles"]):
        for pi in range(len(art["pairs"])):
            if system == "nli":
                passes += [[ai, pi, li] for li in range(len(HYPOTHESES))]
            else:
                passes.append([ai, pi, -1])
    return passes


def even_sample(n_total: int, k: int) -> list[int]:
    """``k`` indices spread evenly over ``range(n_total)`` (all of them when ``k >= n_total``).

    Example:
        >>> even_sample(10, 3)
        [0, 4, 9]
    """
    if k >= n_total:
        return list(range(n_total))
    if k <= 1:
        return [0][:k]
    return sorted({round(i * (n_total - 1) / (k - 1)) for i in range(k)})


# ----------------------------------------------------------------------------- workers
def _peak_rss_mb() -> float | None:
    """This process's peak resident set in MiB.

    On Linux it is ``VmHWM`` from ``/proc/self/status``: the high-water mark of this
    program's own memory. ``getrusage().ru_maxrss`` would also count the moment between
    ``fork`` and ``exec``, when a child briefly shows its parent's memory (for the rows,
    the parent holds spaCy and the workload, so every row would read at least that).
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    try:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
    except ImportError:  # Windows
        try:
            import psutil

            info = psutil.Process().memory_info()
            return round(getattr(info, "peak_wset", info.rss) / 2**20, 1)
        except ImportError:
            return None


def _has_onnxruntime() -> bool:
    import importlib.util

    return importlib.util.find_spec("onnxruntime") is not None


def _setup_torch(spec: dict[str, Any]) -> Any:
    import torch

    torch.set_num_threads(int(spec["threads"]))
    torch.manual_seed(0)
    if spec["device"] == "cuda":
        torch.cuda.reset_peak_memory_stats()
    return torch


def _sync(torch: Any, device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def worker_stance(spec: dict[str, Any], workload: dict[str, Any]) -> dict[str, Any]:
    """Time our pipeline on every article (one at a time, or ``classify_many``)."""
    torch = _setup_torch(spec)
    from stance.models import load_model
    from stance.pipeline import Pipeline

    if spec["system"].endswith("-onnx"):
        model = load_model(spec["model"], backend="onnx")
    else:
        model = load_model(spec["model"], device=spec["device"] if spec["device"] != "cpu" else None)
    pipe = Pipeline(model=model, sentiment_windows="focused" if spec["system"].endswith("-focused") else None)
    texts = [a["text"] for a in workload["articles"]]
    t0 = time.perf_counter()
    pipe.classify(texts[0])  # warm-up: loads spaCy, the knowledge base, first kernels
    warmup_s = time.perf_counter() - t0
    latencies: list[float] = []
    if spec["system"].startswith("stance-many"):
        t0 = time.perf_counter()
        pipe.classify_many(texts, batch_size=int(spec["batch"]))
        _sync(torch, spec["device"])
        total = time.perf_counter() - t0
    else:
        for text in texts:
            t0 = time.perf_counter()
            pipe.classify(text)
            _sync(torch, spec["device"])
            latencies.append(time.perf_counter() - t0)
        total = sum(latencies)
    return {"total_s": total, "latencies_s": latencies, "warmup_s": warmup_s}


def worker_procs(spec: dict[str, Any], workload: dict[str, Any]) -> dict[str, Any]:
    """Time a warm :class:`stance.parallel.ProcessPool` (``threads`` workers, 1 torch thread each).

    Starting the workers (spawn, spaCy, model) is the warm-up and is excluded; peak RSS is
    the largest worker's, as each worker reports it (``RUSAGE_CHILDREN`` would count the
    moment between fork and exec, when a child briefly shows the parent's memory).
    """
    _setup_torch({**spec, "threads": 1})
    from stance.parallel import ProcessPool

    texts = [a["text"] for a in workload["articles"]]
    t0 = time.perf_counter()
    backend = "onnx" if spec["system"].endswith("-onnx") else "torch"
    pool = ProcessPool(spec["model"], n_process=int(spec["threads"]), torch_threads=1, backend=backend)
    try:
        pool.warm_up()
        warmup_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        pool.classify_many(texts, batch_size=int(spec["batch"]))
        total = time.perf_counter() - t0
        peaks = [v for v in pool.worker_peak_rss_mb().values() if v is not None]
    finally:
        pool.close()
    return {
        "total_s": total,
        "latencies_s": [],
        "warmup_s": warmup_s,
        "peak_rss_mb_children": round(max(peaks), 1) if peaks else None,
    }


def worker_large(spec: dict[str, Any], workload: dict[str, Any]) -> dict[str, Any]:
    """Warm up on the seed, then time one classify of the large text."""
    torch = _setup_torch(spec)
    from stance.models import load_model
    from stance.pipeline import Pipeline

    model = load_model(spec["model"], device=spec["device"] if spec["device"] != "cpu" else None)
    pipe = Pipeline(model=model)
    pipe.classify(SEED.read_text(encoding="utf-8"))
    rss_before = _peak_rss_mb()
    text = large_text(int(spec["large_bytes"]))[0]
    t0 = time.perf_counter()
    result = pipe.classify(text)
    _sync(torch, spec["device"])
    total = time.perf_counter() - t0
    return {
        "total_s": total,
        "latencies_s": [total],
        "peak_rss_before_mb": rss_before,
        "n_actors": len(result.actors),
        "n_positions": len(result.positions),
    }


def _baseline_model(system: str, tokenizer: Any) -> Any:
    from transformers import BartConfig, BartForSequenceClassification, RobertaConfig, RobertaForSequenceClassification

    if system == "nli":
        config = BartConfig(  # facebook/bart-large-mnli sizes
            vocab_size=50265,
            d_model=1024,
            encoder_layers=12,
            decoder_layers=12,
            encoder_attention_heads=16,
            decoder_attention_heads=16,
            encoder_ffn_dim=4096,
            decoder_ffn_dim=4096,
            max_position_embeddings=1024,
            num_labels=3,
            # our tokenizer's special tokens: BART pools the hidden state of the last eos
            pad_token_id=tokenizer.pad_token_id,
            bos_token_id=tokenizer.cls_token_id,
            eos_token_id=tokenizer.sep_token_id,
            decoder_start_token_id=tokenizer.sep_token_id,
        )
        return BartForSequenceClassification(config)
    config = RobertaConfig(  # roberta-base sizes
        vocab_size=50265,
        hidden_size=768,
        num_hidden_layers=12,
        num_attention_heads=12,
        intermediate_size=3072,
        max_position_embeddings=514,
        type_vocab_size=1,
        num_labels=3,
        pad_token_id=tokenizer.pad_token_id,
    )
    return RobertaForSequenceClassification(config)


def worker_baseline(spec: dict[str, Any], workload: dict[str, Any]) -> dict[str, Any]:
    """Time ``spec["sample"]`` passes of a baseline; return seconds per pass."""
    torch = _setup_torch(spec)
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(spec["tokenizer"], local_files_only=True, use_fast=True)
    model = _baseline_model(spec["system"], tokenizer).eval().to(spec["device"])
    arts = workload["articles"]
    labels = list(HYPOTHESES)
    inputs = []
    for ai, pi, li in spec["sample"]:
        sentence, actor, target = arts[ai]["pairs"][pi]
        if li >= 0:
            second = HYPOTHESES[labels[li]].format(actor=actor, target=target)
        else:
            second = PAIR_TEMPLATE.format(actor=actor, target=target)
        inputs.append((sentence, second))
    inputs.sort(key=lambda p: len(p[0]) + len(p[1]))
    bs = int(spec["batch"])
    batches = [inputs[i : i + bs] for i in range(0, len(inputs), bs)]

    def run(batch: list[tuple[str, str]]) -> None:
        enc = tokenizer(
            [a for a, _ in batch],
            [b for _, b in batch],
            padding=True,
            truncation="only_first",
            max_length=int(spec["max_length"]),
            return_tensors="pt",
        )
        model(input_ids=enc["input_ids"].to(spec["device"]), attention_mask=enc["attention_mask"].to(spec["device"]))

    with torch.inference_mode():
        run(batches[0][: min(4, len(batches[0]))])  # warm-up
        _sync(torch, spec["device"])
        t0 = time.perf_counter()
        for batch in batches:
            run(batch)
        _sync(torch, spec["device"])
        total = time.perf_counter() - t0
    n_params = sum(p.numel() for p in model.parameters())
    return {"total_s": total, "n_passes": len(inputs), "s_per_pass": total / max(1, len(inputs)), "n_params": n_params}


def worker_parse(spec: dict[str, Any], workload: dict[str, Any]) -> dict[str, Any]:
    """Time ``Pipeline.prepare`` alone: everything classify does before the encoder."""
    _setup_torch(spec)
    from stance.models import load_model
    from stance.pipeline import Pipeline

    pipe = Pipeline(model=load_model(spec["model"]))
    texts = [a["text"] for a in workload["articles"]]
    t0 = time.perf_counter()
    pipe.prepare(texts[0])
    warmup_s = time.perf_counter() - t0
    latencies: list[float] = []
    for text in texts:
        t0 = time.perf_counter()
        pipe.prepare(text)
        latencies.append(time.perf_counter() - t0)
    return {"total_s": sum(latencies), "latencies_s": latencies, "warmup_s": warmup_s}


WORKERS = {
    "parse": worker_parse,
    "stance": worker_stance,
    "stance-many": worker_stance,
    "nli": worker_baseline,
    "pair": worker_baseline,
    "large": worker_large,
    "stance-procs": worker_procs,
    "stance-many-onnx": worker_stance,
    "stance-many-focused": worker_stance,
    "stance-procs-onnx": worker_procs,
}


def worker_main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    workload = json.loads(Path(spec["workload"]).read_text(encoding="utf-8")) if spec.get("workload") else {}
    out = WORKERS[spec["system"]](spec, workload)
    out["peak_rss_mb"] = _peak_rss_mb()
    if spec["device"] == "cuda":
        import torch

        out["peak_gpu_mb"] = round(torch.cuda.max_memory_allocated() / 2**20, 1)
    sys.stdout.write(RESULT_MARK + json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


def run_worker(spec: dict[str, Any], tmp: Path, timeout: float | None) -> dict[str, Any]:
    """Run one (system, threads, device) in a fresh Python process; return its measurements."""
    path = tmp / f"spec-{spec['system']}-{spec['device']}-{spec['threads']}.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(spec["threads"])
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(path)]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(ROOT))
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :])
    raise RuntimeError(
        f"worker {spec['system']} ({spec['device']}, {spec['threads']} threads) failed "
        f"(exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    )


# ----------------------------------------------------------------------------- report
def _pct(values: list[float], q: float) -> float:
    """Percentile with linear interpolation (``statistics.quantiles`` needs 2+ values)."""
    if len(values) == 1:
        return values[0]
    s = sorted(values)
    pos = (len(s) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def _sig(x: float, digits: int = 3) -> float:
    """``x`` rounded to ``digits`` significant digits.

    Example:
        >>> _sig(0.000612345), _sig(1234.5)
        (0.000612, 1230.0)
    """
    return float(f"{x:.{digits}g}")


def _row(
    system: str,
    threads: int,
    device: str,
    total_s: float,
    latencies: list[float],
    n_articles: int,
    n_sentences: int,
    peak_rss: float | None,
    measured: str,
    **extra: Any,
) -> dict[str, Any]:
    row = {
        "system": system,
        "threads": threads,
        "device": device,
        "articles_per_s": _sig(n_articles / total_s) if total_s > 0 else None,
        "sentences_per_s": _sig(n_sentences / total_s) if total_s > 0 else None,
        "p50_ms": round(_pct(latencies, 0.5) * 1000, 1) if latencies else None,
        "p95_ms": round(_pct(latencies, 0.95) * 1000, 1) if latencies else None,
        "peak_rss_mb": peak_rss,
        "ratio_vs_nli": None,
        "measured": measured,
    }
    row.update(extra)
    return row


def _commit() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return sha + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _versions(model_dir: Path) -> dict[str, str]:
    import spacy
    import torch
    import transformers

    import stance

    model_cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    block = model_cfg.get("stance", {})
    return {
        "python": platform.python_version(),
        "stance": getattr(stance, "__version__", "unknown"),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "spacy": spacy.__version__,
        "model": f"{block.get('base_model', '')}@{block.get('version', '')} ({model_dir.name})",
    }


def _hardware() -> dict[str, Any]:
    import torch

    hw: dict[str, Any] = {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
    }
    try:
        import psutil

        hw["memory_gb"] = round(psutil.virtual_memory().total / 2**30, 1)
        hw["load_avg_1m"] = round(os.getloadavg()[0], 2)
    except (ImportError, OSError):
        pass
    if torch.cuda.is_available():
        hw["cuda"] = torch.cuda.get_device_name(0)
    return hw


def _print_table(rows: list[dict[str, Any]]) -> None:
    cols = [
        "system",
        "threads",
        "device",
        "articles_per_s",
        "sentences_per_s",
        "p50_ms",
        "p95_ms",
        "peak_rss_mb",
        "ratio_vs_nli",
    ]
    widths = {c: max(len(c), *(len(str(r.get(c))) for r in rows)) for c in cols}
    print("  ".join(c.ljust(widths[c]) for c in cols), file=sys.stderr)
    for r in rows:
        print("  ".join(str(r.get(c)).ljust(widths[c]) for c in cols), file=sys.stderr)
        print("    measured: " + str(r.get("measured")), file=sys.stderr)


# ----------------------------------------------------------------------------- main
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--corpus",
        choices=["seesaw", "seed"],
        default=None,
        help="SEESAW articles (needs --data-dir) or the seed article repeated (default: seesaw when "
        "--data-dir is given, else seed)",
    )
    p.add_argument("--data-dir", type=Path, default=None, help="folder laid out like seesaw/ (holds SEESAW/articles)")
    p.add_argument("--n", type=int, default=None, help="articles (default 50; --quick: 2)")
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="torch CPU threads to try (default 1 2)")
    p.add_argument(
        "--model",
        nargs="+",
        default=None,
        help="'fast', 'accurate' or model directories (default: the default model); with several, the stance "
        "rows are timed for each on the same articles (e.g. --model fast accurate)",
    )
    p.add_argument(
        "--from-encoder",
        type=Path,
        default=None,
        help="instead of a trained model, random heads on this encoder directory (same speed; for "
        "smoke runs before a model is trained)",
    )
    p.add_argument(
        "--batch-size", type=int, default=32, help="baseline passes per batch (our pipeline uses 32 windows)"
    )
    p.add_argument("--many-batch", type=int, default=8, help="articles per classify_many batch")
    p.add_argument(
        "--baseline-passes",
        type=int,
        default=None,
        help="passes timed per baseline, sampled evenly over the corpus (default 96; --quick: 12)",
    )
    p.add_argument("--skip-baselines", action="store_true", help="time stance only")
    p.add_argument("--no-cuda", action="store_true", help="CPU rows only, even when CUDA is available")
    p.add_argument("--large", action="store_true", help="also time one large article (the seed repeated)")
    p.add_argument("--large-bytes", type=int, default=1_000_000, help="size of the --large article (default 1 MB)")
    p.add_argument("--large-only", action="store_true", help="time only the --large article")
    p.add_argument("--quick", action="store_true", help="smoke run: 2 articles, 12 baseline passes, no file written")
    p.add_argument(
        "--out", type=Path, default=None, help=f"results JSON (default {DEFAULT_OUT.relative_to(ROOT)}; --quick: none)"
    )
    p.add_argument("--worker-timeout", type=float, default=None, help="seconds per worker process (default: none)")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    if args.corpus is None:
        args.corpus = "seesaw" if args.data_dir is not None else "seed"
    if args.corpus == "seesaw" and args.data_dir is None:
        p.error("--corpus seesaw needs --data-dir (a folder laid out like seesaw/)")
    if args.n is None:
        args.n = 2 if args.quick else 50
    if args.baseline_passes is None:
        args.baseline_passes = 12 if args.quick else 96
    if args.large_only:
        args.large = True
    if args.n < 1 or args.baseline_passes < 1 or any(t < 1 for t in args.threads):
        p.error("--n, --baseline-passes and --threads must be >= 1")
    return args


def _resolve_models(args: argparse.Namespace, tmp: Path) -> tuple[list[tuple[str, Path]], bool]:
    """The (label, model directory) pairs to time, and whether their heads are random."""
    if args.from_encoder is not None:
        import torch

        from stance.models.modeling import StanceModel

        torch.manual_seed(0)
        name = "/".join(args.from_encoder.resolve().parts[-2:])
        model = StanceModel.from_encoder(args.from_encoder, base_model=name)
        path = model.save_pretrained(tmp / "random-heads", dtype=torch.float32)
        return [(path.name, path)], True
    from stance.models import DEFAULT_MODEL, SHIPPED_MODELS, shipped_model_path

    out = []
    for name in args.model or [DEFAULT_MODEL]:
        path = shipped_model_path(name) if name in SHIPPED_MODELS else Path(name)
        if not (path / "config.json").is_file():
            raise SystemExit(
                f"no stance model at {path}: pass --model fast|accurate|DIR, or --from-encoder ENCODER_DIR for a "
                "random-heads model of the same size (speed only)"
            )
        out.append((name if name in SHIPPED_MODELS else path.name, path))
    return out, False


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        return worker_main(args.worker)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    import torch

    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() and not args.no_cuda else [])
    notes: list[str] = []
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="stance-speed-") as tmp_name:
        tmp = Path(tmp_name)
        models, random_heads = _resolve_models(args, tmp)
        bases = {
            label: {
                "model": str(path),
                "max_length": int(
                    json.loads((path / "config.json").read_text(encoding="utf-8"))
                    .get("stance", {})
                    .get("max_length", 192)
                ),
            }
            for label, path in models
        }
        model_dir = models[0][1]
        base = bases[models[0][0]]  # the baselines and the large article use the first model's tokenizer
        tokenizer_dir = str(model_dir)
        if random_heads:
            notes.append(
                f"stance rows use random heads on {'/'.join(args.from_encoder.resolve().parts[-2:])} "
                "(same architecture, same speed; "
                "the outputs are meaningless)"
            )

        if not args.large_only:
            articles = seesaw_articles(args.data_dir, args.n) if args.corpus == "seesaw" else seed_articles(args.n)
            print(f"preparing {len(articles)} articles (spaCy, untimed) ...", file=sys.stderr)
            workload = build_workload(articles)
            wl_path = tmp / "workload.json"
            wl_path.write_text(json.dumps(workload), encoding="utf-8")
            n_art = len(workload["articles"])
            n_sent = sum(a["n_sentences"] for a in workload["articles"])
            n_pairs = [len(a["pairs"]) for a in workload["articles"]]
            corpus_desc = (
                f"{n_art} SEESAW articles (first {n_art} files of {args.data_dir.name}/SEESAW/articles, "
                "title + sentences)"
                if args.corpus == "seesaw"
                else f"the seed article x {n_art}"
            )
            notes.append(
                f"corpus: {corpus_desc}; {n_sent} sentences (spaCy segmentation), "
                f"{sum(len(a['text']) for a in workload['articles']):,} characters, "
                f"{sum(n_pairs)} (actor, target) pairs scored by stance in "
                f"{sum(a['n_windows'] for a in workload['articles'])} sentence windows"
            )
            samples = {}
            for system in [] if args.skip_baselines else ["nli", "pair"]:
                passes = baseline_passes(workload, system)
                samples[system] = (passes, [passes[i] for i in even_sample(len(passes), args.baseline_passes)])

            for device in devices:
                thread_list = args.threads if device == "cpu" else [max(args.threads)]
                for threads in thread_list:
                    group: list[dict[str, Any]] = []
                    systems = ("stance", "stance-many", "stance-many-focused") + (
                        ("stance-many-onnx", "parse") if device == "cpu" else ()
                    )
                    if device == "cpu" and threads > 1:
                        systems += ("stance-procs", "stance-procs-onnx")
                    if device == "cpu" and not _has_onnxruntime():
                        systems = tuple(x for x in systems if not x.endswith("-onnx"))
                    # the parse-only row has no encoder: once, not per model
                    runs = [(m, x) for i, m in enumerate(models) for x in systems if not (i and x == "parse")]
                    for (label, _path), system in runs:
                        print(f"timing {system} ({label}) on {device} with {threads} thread(s) ...", file=sys.stderr)
                        spec = {
                            **bases[label],
                            "system": system,
                            "threads": threads,
                            "device": device,
                            "workload": str(wl_path),
                            "batch": args.many_batch,
                        }
                        res = run_worker(spec, tmp, args.worker_timeout)
                        name = SYSTEM_NAMES[system].format(batch=args.many_batch, procs=threads)
                        if len(models) > 1 and system != "parse":  # rows name the model they timed
                            name += f", model={label}"
                        measured = (
                            f"measured, {n_art} articles"
                            + ("" if system in ("stance", "parse") else ", total time only")
                            + f"; warm-up {res['warmup_s']:.1f} s excluded"
                        )
                        if system.startswith("stance-procs"):
                            res["peak_rss_mb"] = res["peak_rss_mb_children"]
                            measured += " (worker start-up); peak RSS is per worker process"
                        extra = {"peak_gpu_mb": res["peak_gpu_mb"]} if "peak_gpu_mb" in res else {}
                        extra["model"] = label
                        group.append(
                            _row(
                                name,
                                threads,
                                device,
                                res["total_s"],
                                res["latencies_s"],
                                n_art,
                                n_sent,
                                res["peak_rss_mb"],
                                measured,
                                **extra,
                            )
                        )
                    for system, (passes, sample) in samples.items():
                        if not sample:
                            continue
                        print(
                            f"timing {system} ({len(sample)} passes) on {device} with {threads} thread(s) ...",
                            file=sys.stderr,
                        )
                        spec = {
                            **base,
                            "system": system,
                            "threads": threads,
                            "device": device,
                            "workload": str(wl_path),
                            "sample": sample,
                            "batch": args.batch_size,
                            "tokenizer": tokenizer_dir,
                        }
                        res = run_worker(spec, tmp, args.worker_timeout)
                        per_pass = res["s_per_pass"]
                        mult = len(HYPOTHESES) if system == "nli" else 1
                        lat = [k * mult * per_pass for k in n_pairs]
                        total = len(passes) * per_pass
                        measured = (
                            f"extrapolated: {res['n_passes']} of {len(passes)} passes measured "
                            f"({per_pass * 1000:.1f} ms/pass, {res['n_params'] / 1e6:.0f}M params); "
                            f"{len(passes) / n_art:.1f} passes/article"
                        )
                        extra = {"peak_gpu_mb": res["peak_gpu_mb"]} if "peak_gpu_mb" in res else {}
                        group.append(
                            _row(
                                SYSTEM_NAMES[system],
                                threads,
                                device,
                                total,
                                lat,
                                n_art,
                                n_sent,
                                res["peak_rss_mb"],
                                measured,
                                **extra,
                            )
                        )
                    nli = next((r for r in group if r["system"] == SYSTEM_NAMES["nli"]), None)
                    if nli and nli["articles_per_s"]:
                        for r in group:
                            if r["articles_per_s"]:
                                r["ratio_vs_nli"] = _sig(r["articles_per_s"] / nli["articles_per_s"])
                    rows += group
            if samples:
                notes += [
                    "baselines have random weights (speed does not depend on the weights) and are tokenised with our "
                    "MiniLM tokenizer (any tokenizer works for timing), truncated at our max_length "
                    f"({base['max_length']}), length-sorted and batched ({args.batch_size} passes/batch)",
                    "NLI zero-shot: one pass per (sentence x hypothesis), 3 hypotheses per (actor, target) pair "
                    f'("{HYPOTHESES["favor"]}" / opposing / being neutral toward), the pairs stance scores; '
                    "RoBERTa pair classifier: one pass per pair per sentence",
                    "baseline rows are extrapolated (measured passes x passes per article) and count model passes "
                    "only: no actor extraction, aggregation or sentiment passes, which favours them",
                ]
            notes.append("ratio_vs_nli: articles/s divided by the NLI zero-shot row's with the same threads and device")

        if args.large:
            size = f"{args.large_bytes / 1e6:g} MB" if args.large_bytes >= 1e6 else f"{args.large_bytes / 1e3:g} KB"
            text, copies = large_text(args.large_bytes)
            seed_sent = build_workload([("seed", SEED.read_text(encoding="utf-8").strip())])["articles"][0][
                "n_sentences"
            ]
            threads = max(args.threads)
            print(f"timing one {size} article ({len(text):,} characters) with {threads} thread(s) ...", file=sys.stderr)
            spec = {
                **base,
                "system": "large",
                "threads": threads,
                "device": devices[-1],
                "large_bytes": args.large_bytes,
            }
            res = run_worker(spec, tmp, args.worker_timeout)
            extra = {"seconds": round(res["total_s"], 2), "characters": len(text), "bytes": len(text.encode("utf-8"))}
            if "peak_gpu_mb" in res:
                extra["peak_gpu_mb"] = res["peak_gpu_mb"]
            rows.append(
                _row(
                    SYSTEM_NAMES["large"].format(size=size),
                    threads,
                    devices[-1],
                    res["total_s"],
                    res["latencies_s"],
                    1,
                    copies * seed_sent,
                    res["peak_rss_mb"],
                    f"measured, 1 article ({copies} copies of the seed); peak RSS after warm-up on the seed "
                    f"{res['peak_rss_before_mb']} MB",
                    **extra,
                )
            )
            notes.append(
                f"large article: the seed repeated {copies} times ({len(text):,} characters); sentences = "
                f"{copies} x the seed's {seed_sent}"
            )

        result = {
            "kind": "speed",
            "title": "Throughput (classify end to end)" + (" (quick smoke run)" if args.quick else ""),
            "columns": COLUMNS,
            "rows": rows,
            "commit": _commit(),
            "versions": _versions(model_dir),
            "hardware": _hardware(),
            "date": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "notes": notes
            + [
                "peak_rss_mb: maximum resident set of the process that ran the row (fresh process per "
                "row, model and spaCy included); p50/p95: latency per article"
            ],
            "quick": bool(args.quick),
        }
    _print_table(rows)
    out = args.out if args.out is not None else (None if args.quick else DEFAULT_OUT)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    else:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
