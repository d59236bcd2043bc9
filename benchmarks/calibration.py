"""Are the model's confidences calibrated? ECE, NLL and Brier before and after temperature scaling.

For each head the script reads the model's raw probabilities (temperature 1) and the
probabilities with the temperature stored in its ``config.json`` (fitted on validation
splits by ``python -m stance.training.temperature``), on the fitting splits and on
held-out ones:

* pair head: Park et al. validation (fitted) and test, directional rows; SEESAW-pair
  validation (gold favor/against pairs only, so "none" is always wrong there);
* sentiment head: NewsMTSC rw_dev + mt_dev (fitted), rw_test, mt_test, with shared
  windows (what ``classify`` uses) and focused windows;
* article-level actor sentiment as ``classify`` reports it (the fitted aggregator over
  the scaled mention probabilities): SEESAW entity sentiment validation, PerSenT test.

ECE is top-label, 15 equal-width bins. Writes ``benchmarks/results/calibration.json``
(commit, versions, hardware, date; rendered into ``RESULTS.md`` by ``render.py``) and
prints a Markdown table.

Example:
    $ python benchmarks/calibration.py
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from run_all import REPO  # noqa: E402 - run_all also puts this checkout's stance on the path

logger = logging.getLogger("benchmarks.calibration")

BINS = 15
MODEL_SPLITS = (
    ("pair", "park-dse", "validation", "shared", "fit"),
    ("pair", "park-dse", "test", "shared", "held out"),
    ("pair", "seesaw-pair", "validation", "shared", "held out (gold favor/against pairs only)"),
    ("sentiment", "newsmtsc-rw", "rw_dev", "shared", "fit"),
    ("sentiment", "newsmtsc-mt", "mt_dev", "shared", "fit"),
    ("sentiment", "newsmtsc-rw", "rw_test", "shared", "held out"),
    ("sentiment", "newsmtsc-mt", "mt_test", "shared", "held out"),
    ("sentiment", "newsmtsc-rw", "rw_test", "focused", "held out"),
    ("sentiment", "newsmtsc-mt", "mt_test", "focused", "held out"),
)
ARTICLE_SPLITS = (("seesaw-entity-sentiment", "validation"), ("persent", "test"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(REPO / "stance" / "resources" / "models" / "stance-minilm"))
    parser.add_argument("--data-root", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--output", default=str(REPO / "benchmarks" / "results" / "calibration.json"))
    parser.add_argument(
        "--no-articles", action="store_true", help="skip the article-level rows (minutes of pipeline runs)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from stance.evaluation.article import ArticleSentimentPredictor
    from stance.evaluation.calibration import apply_temperature, calibration_report
    from stance.evaluation.results import provenance
    from stance.evaluation.tasks import get_task
    from stance.models import load_model

    started = time.perf_counter()
    shipped = load_model(args.model, cache=False)
    temps = {"pair": shipped.head_config.pair_temperature, "sentiment": shipped.head_config.sentiment_temperature}
    raw = load_model(args.model, cache=False)
    raw.head_config.pair_temperature = raw.head_config.sentiment_temperature = 1.0

    def records(task_name: str, split: str) -> list[dict[str, Any]]:
        task = get_task(task_name)
        return task.load(str(Path(args.data_root) / task.data_subdir))[split].to_list()

    rows: list[dict[str, Any]] = []

    def add(
        head: str, where: str, windows: str, role: str, temperature: float | None, probs: Any, labels: list[int]
    ) -> None:
        p, y = np.asarray(probs, dtype=float), np.asarray(labels)
        after = calibration_report(p if temperature is None else apply_temperature(p, temperature), y, BINS)
        before = calibration_report(p, y, BINS) if temperature is not None else None
        row: dict[str, Any] = {
            "head": head,
            "split": where,
            "windows": windows,
            "role": role,
            "temperature": temperature,
            "n": after["n"],
            "accuracy": round(after["accuracy"], 4),
        }
        for key in ("confidence", "ece", "nll", "brier"):
            row[f"{key}_raw"] = round(before[key], 4) if before else None
            row[key] = round(after[key], 4)
        rows.append(row)

    for head, task, split, windows, role in MODEL_SPLITS:
        recs = records(task, split)
        if head == "pair":
            probs = raw.predict_pairs(recs, batch_size=64)
        else:
            probs = raw.predict_sentiment(recs, batch_size=64, sentiment_windows=windows)
        add(head, f"{task} {split}", windows, role, float(temps[head]), probs, [int(r["label"]) for r in recs])
    if not args.no_articles:
        predictor = ArticleSentimentPredictor(shipped)
        rule = "fitted aggregator" if shipped.head_config.article_sentiment_aggregator else "mean rule"
        for task, split in ARTICLE_SPLITS:
            recs = records(task, split)
            probs = predictor.predict_sentiment(recs)
            add(
                "article sentiment",
                f"{task} {split}",
                f"shared, {rule}",
                "held out",
                None,
                probs,
                [int(r["label"]) for r in recs],
            )

    record = {
        "kind": "calibration",
        "title": "Confidence calibration: ECE, NLL and Brier, raw and temperature-scaled",
        "description": (
            "Top-label ECE over 15 equal-width bins (lower is better; 0 = confidences match accuracy). "
            "`*_raw` columns: temperature 1; unsuffixed: the temperature in the model's config.json, fitted on the "
            "rows marked `fit` (python -m stance.training.temperature). Temperature scaling changes no argmax, so "
            "accuracy is the same in both. Article rows: classify's actor sentiment (already on scaled mention "
            "probabilities, its aggregator refitted on them)."
        ),
        "columns": [
            "head",
            "split",
            "windows",
            "role",
            "temperature",
            "n",
            "accuracy",
            "confidence_raw",
            "confidence",
            "ece_raw",
            "ece",
            "nll_raw",
            "nll",
            "brier_raw",
            "brier",
        ],
        "rows": rows,
        "model": args.model,
        "seconds": round(time.perf_counter() - started, 1),
        **provenance(),
    }
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    cols = [
        "head",
        "split",
        "windows",
        "role",
        "n",
        "accuracy",
        "confidence_raw",
        "confidence",
        "ece_raw",
        "ece",
        "nll_raw",
        "nll",
    ]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join("—" if r[c] is None else str(r[c]) for c in cols) + " |" for r in rows]
    sys.stdout.write("\n".join(lines) + f"\n\nwrote {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
