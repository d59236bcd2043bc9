"""Does a per-label decision bias fitted on validation carry over to test?

A cheap alternative to retraining: shift the model's log-probabilities by a per-label bias
``b`` before the argmax (``argmax(log p + b)``), fitted by grid search on a validation
split, then read once on test. Pairs: ``b = (b_favor, b_against, 0)`` fitted on Park
*validation* (5-class macro-F1); SEESAW-pair validation is the out-of-sample check (it is
the split SEESAW-pair is reported on, so nothing is fitted there). Sentiment: ``b =
(b_negative, 0, b_positive)`` fitted on the mean F1m of NewsMTSC rw_dev and mt_dev, read on
rw_test and mt_test, for shared and focused sentiment windows and their average.

Writes ``runs/selection/decision_bias__<model>.json`` (commit, versions,
hardware, date) and prints a Markdown table.

Example:
    $ python benchmarks/decision_bias.py --model stance/resources/models/stance-minilm
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from run_all import REPO, model_slug  # noqa: E402 - run_all also puts this checkout's stance on the path

logger = logging.getLogger("benchmarks.decision_bias")

GRID = np.round(np.arange(-1.5, 1.501, 0.1), 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(REPO / "stance" / "resources" / "models" / "stance-minilm"))
    parser.add_argument("--data-root", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--out-dir", default=str(REPO / "runs" / "selection"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from stance.aggregate import shift_probabilities as shift
    from stance.evaluation.results import provenance
    from stance.evaluation.tasks import get_task
    from stance.models import load_model
    from stance.training.calibrate import grid_search_bias

    model = load_model(args.model, cache=False)
    cache: dict[tuple[str, str, str], tuple[list[dict[str, Any]], np.ndarray]] = {}

    def rows(task: str, split: str, mode: str = "pair") -> tuple[list[dict[str, Any]], np.ndarray]:
        if (task, split, mode) not in cache:
            t = get_task(task)
            records = t.load(str(Path(args.data_root) / t.data_subdir))[split].to_list()
            if mode == "pair":
                probs = model.predict_pairs(records, batch_size=64)
            elif mode == "average":
                probs = (rows(task, split, "shared")[1] + rows(task, split, "focused")[1]) / 2
            else:
                probs = model.predict_sentiment(records, batch_size=64, sentiment_windows=mode)
            cache[(task, split, mode)] = (records, np.asarray(probs, dtype=float))
        return cache[(task, split, mode)]

    def metric(task: str, split: str, bias: list[float], mode: str = "pair") -> float:
        t = get_task(task)
        records, probs = rows(task, split, mode)
        return float(t.score(records, shift(probs, bias))[t.primary_metrics[0]])

    zero = [0.0, 0.0, 0.0]
    out: list[dict[str, Any]] = []
    bias, fitted = grid_search_bias(lambda b: metric("park-dse", "validation", b), GRID, free=(0, 1))
    out.append(
        {
            "head": "pair",
            "fitted_on": "park-dse:validation",
            "bias": bias,
            "fit_score": fitted,
            "rows": [
                {"task": task, "split": split, "before": metric(task, split, zero), "after": metric(task, split, bias)}
                for task, split in (("park-dse", "validation"), ("park-dse", "test"), ("seesaw-pair", "validation"))
            ],
        }
    )
    dev = (("newsmtsc-rw", "rw_dev"), ("newsmtsc-mt", "mt_dev"))
    test = (("newsmtsc-rw", "rw_test"), ("newsmtsc-mt", "mt_test"))
    for mode in ("shared", "focused", "average"):
        bias, fitted = grid_search_bias(
            lambda b, mode=mode: float(np.mean([metric(t, s, b, mode) for t, s in dev])), GRID
        )
        out.append(
            {
                "head": "sentiment",
                "windows": mode,
                "fitted_on": "mean F1m of newsmtsc rw_dev, mt_dev",
                "bias": bias,
                "fit_score": fitted,
                "rows": [
                    {"task": t, "split": s, "before": metric(t, s, zero, mode), "after": metric(t, s, bias, mode)}
                    for t, s in (*dev, *test)
                ],
            }
        )
    record = {
        "kind": "decision-bias",
        "model": args.model,
        "grid": [float(GRID[0]), float(GRID[-1]), 0.1],
        "fits": out,
        **provenance(),
    }
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"decision_bias__{model_slug(args.model)}.json"
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    lines = ["| head | windows | bias | task (split) | before | after |", "|---|---|---|---|---|---|"]
    for f in out:
        for r in f["rows"]:
            lines.append(
                f"| {f['head']} | {f.get('windows', '')} | {[round(x, 2) for x in f['bias']]} | "
                f"{r['task']} ({r['split']}) | {r['before']:.4f} | {r['after']:.4f} |"
            )
    sys.stdout.write("\n".join(lines) + f"\n\nwrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
