"""The shipped models end to end on the same articles: ``stance.classify_many`` time per model.

Usage::

    python benchmarks/model_speed.py --data-dir ../shared/data/seesaw            # fast and accurate
    python benchmarks/model_speed.py --models fast --n 5 --out /tmp/s.json        # smoke run
    python benchmarks/model_speed.py --data-dir ../shared/data/seesaw --precision fp32 bf16

Each model (``"fast"``, ``"accurate"`` or a model directory) classifies the same articles
(the first ``--n`` SEESAW validation articles, title + text, or the seed article repeated
without ``--data-dir``) in one process with ``--threads`` torch threads, after one warm-up
article that loads the model and spaCy (not timed). Rows: model, parameters, articles/s,
seconds per article, process peak RSS. The parse is included: this is what a user waits for.
``--precision`` times each model at each precision (``fp32``, ``bf16`` autocast, ``auto``;
default: the precision each model declares), see :mod:`stance.models.precision`.

Results go to ``benchmarks/results/model_speed.json`` (``"kind": "model_speed"``, rows,
provenance: commit, versions, hardware, date), rendered by ``benchmarks/render.py``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

logger = logging.getLogger("model_speed")


def articles(data_dir: Path | None, n: int) -> tuple[list[str], str]:
    """``n`` article texts and a description of where they came from."""
    if data_dir is None:
        seed = (ROOT / "seeds" / "us_iran_talks_oman.txt").read_text(encoding="utf-8")
        return [seed] * n, f"the seed article x {n}"
    from stance.data.seesaw import load_seesaw_articles
    from stance.evaluation.e2e import article_texts

    rows = load_seesaw_articles(data_dir)["validation"].to_list()[:n]
    return article_texts(rows), f"the first {len(rows)} SEESAW validation articles (title, newline, sentences)"


def time_model(model: str, texts: list[str], threads: int, precision: str | None = None) -> dict[str, Any]:
    """Warm up on one article, then time ``classify_many`` over ``texts`` (at ``precision``;
    None = what the model declares)."""
    import resource

    import torch

    import stance
    from stance.models import load_model

    torch.set_num_threads(threads)
    loaded = load_model(model, precision=precision, cache=False)
    stance.classify(texts[0], model=loaded)  # loads spaCy and the knowledge base
    t0 = time.perf_counter()
    results = stance.classify_many(texts, model=loaded, batch_size=8)
    total = time.perf_counter() - t0
    return {
        "model": results[0].model if results else model,
        "precision": loaded.precision,
        "params_m": round(sum(p.numel() for p in loaded.parameters()) / 1e6, 1),
        "threads": threads,
        "articles": len(texts),
        "total_s": round(total, 2),
        "articles_per_s": round(len(texts) / total, 3),
        "s_per_article": round(total / len(texts), 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--models", nargs="+", default=["fast", "accurate"], help="'fast', 'accurate' or model directories"
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="the SEESAW folder (default: the seed article)")
    parser.add_argument("--n", type=int, default=30, help="articles (default 30)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")
    parser.add_argument(
        "--precision",
        nargs="+",
        default=[None],
        choices=["fp32", "bf16", "auto"],
        help="time each model at these precisions (default: what each model declares)",
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "model_speed.json"))
    ns = parser.parse_args(argv)
    if ns.n < 1 or ns.threads < 1:
        parser.error("--n and --threads must be >= 1")
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from stance.evaluation.results import provenance, write_result

    texts, source = articles(ns.data_dir, ns.n)
    rows = []
    for model in ns.models:
        for precision in ns.precision:
            print(f"timing {model} ({precision or 'declared precision'}) ...", file=sys.stderr)
            rows.append(time_model(model, texts, ns.threads, precision))
    result = {
        "kind": "model_speed",
        "title": "The shipped models end to end (stance.classify_many, parse included)",
        "columns": [
            "model",
            "precision",
            "params_m",
            "threads",
            "articles",
            "total_s",
            "articles_per_s",
            "s_per_article",
            "peak_rss_mb",
        ],
        "rows": rows,
        "notes": [
            f"corpus: {source}, {sum(map(len, texts)):,} characters; one process, models timed one after "
            "the other after a warm-up article; peak RSS is the process's, so it grows with each model loaded."
        ],
        **provenance(),
    }
    path = write_result(result, ns.out)
    print(json.dumps(rows, indent=2))
    logger.info("wrote %s", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
