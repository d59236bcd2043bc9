"""Article-level sentiment: the model's fitted aggregator against the bias-shifted mean rule.

Both rules read the same mention-level probabilities (one pipeline pass per corpus, as
:func:`stance.classify` computes them): the mean of an actor's mention probabilities shifted by
the model's ``article_sentiment_bias``, and the model's ``article_sentiment_aggregator``
(``python -m stance.training.calibrate --aggregator``, fitted on SEESAW train and PerSenT
validation only). They are scored on the splits the harness reports, SEESAW entity sentiment
*validation* and PerSenT *test*, with a paired bootstrap over articles (1,000 resamples) of
the macro-F1 difference.

Writes ``runs/selection/article_sentiment_rule__<model>.json`` (commit,
versions, hardware, date) and prints a Markdown table.

``--designs`` instead compares candidate rule designs by 5-fold cross-validation grouped by
article on the *training* entities alone (SEESAW train + PerSenT validation; no evaluation
split is read): the mean rule with its shift fitted on SEESAW or on both corpora, the
logistic regression with balanced class weights and no shift, and the regression with no
class weights plus a fitted shift (what ``stance.training.calibrate --aggregator`` fits).
Per design: macro-F1 and accuracy per corpus and the share of entities called neutral.
Writes ``article_sentiment_rule_designs__<model>.json``.

``--against DIR`` compares two model directories as :func:`stance.classify` reads them, each
with its own stored rule (e.g. the same weights before and after a recalibration), on the same
evaluation splits with the same bootstrap. Writes
``article_sentiment_rule__<model>__vs__<against>.json``.

Example:
    $ python benchmarks/article_sentiment_rule.py --model stance/resources/models/stance-minilm
    $ python benchmarks/article_sentiment_rule.py --designs
    $ python benchmarks/article_sentiment_rule.py --against runs/stance-minilm-before
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

logger = logging.getLogger("benchmarks.article_sentiment_rule")

SPLITS = (("seesaw-entity-sentiment", "validation"), ("persent", "test"))
TRAINING = (("seesaw-entity-sentiment", "train"), ("persent", "validation"))


def compare_designs(predictor: Any, data_root: Path, c: float = 3.0) -> list[dict[str, Any]]:
    """Cross-validated scores of the candidate article rules on the training entities."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from stance.aggregate import mention_features, shift_probabilities
    from stance.evaluation.tasks import get_task
    from stance.training.calibrate import (
        fit_shifted_regression,
        grid_search_bias,
        macro_f1_by_source,
        regression_probabilities,
    )

    feats, means, gold, groups, src = [], [], [], [], []
    for k, (task_name, split) in enumerate(TRAINING):
        task = get_task(task_name)
        records = task.load(str(data_root / task.data_subdir))[split].to_list()
        for r, ex in zip(records, predictor.mention_sentiments(records, show_progress_bar=True)):
            if ex is not None:
                feats.append(mention_features(ex["probs"], ex["starts"], ex["text_length"]))
                means.append(ex["probs"].mean(0))
                gold.append(int(r["label"]))
                groups.append(f"{k}:{r['doc_id']}")
                src.append(k)
    x, m, y, g, s = np.array(feats), np.array(means), np.array(gold), np.array(groups), np.array(src)
    grid = np.round(np.arange(-2.0, 2.0001, 0.2), 2)

    def shifted_mean(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        bias, _ = grid_search_bias(
            lambda b: macro_f1_by_source(y[tr], shift_probabilities(m[tr], b).argmax(1), s[tr]), grid
        )
        return shift_probabilities(m[te], bias).argmax(1)

    def balanced(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x[tr], y[tr])
        return regression_probabilities(model, x[te]).argmax(1)

    def shifted_regression(tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        model, bias = fit_shifted_regression(x[tr], y[tr], s[tr], c, grid)
        return shift_probabilities(regression_probabilities(model, x[te]), bias).argmax(1)

    designs = {  # name: (out-of-fold predictions from (train rows, test rows), corpora the rule is fitted on)
        "mean rule, shift fitted on SEESAW train (the rule before the aggregator)": (shifted_mean, (0,)),
        "mean rule, shift fitted on both corpora": (shifted_mean, (0, 1)),
        "regression, balanced class weights, no shift": (balanced, (0, 1)),
        "regression, no class weights, shift fitted (calibrate --aggregator)": (shifted_regression, (0, 1)),
    }
    rows = []
    for name, (predict, fit_on) in designs.items():
        pred = np.zeros_like(y)
        for tr, te in GroupKFold(n_splits=5).split(x, y, g):
            pred[te] = predict(tr[np.isin(s[tr], fit_on)], te)
        row: dict[str, Any] = {"design": name, "C": c}
        for k, (task_name, split) in enumerate(TRAINING):
            on = s == k
            row[task_name] = {
                "split": split,
                "n": int(on.sum()),
                "macro_f1": macro_f1_by_source(y[on], pred[on], s[on]),
                "accuracy": float(np.mean(pred[on] == y[on])),
                "neutral_share": float(np.mean(pred[on] == 1)),
                "gold_neutral_share": float(np.mean(y[on] == 1)),
            }
        row["mean_macro_f1"] = float(np.mean([row[t]["macro_f1"] for t, _ in TRAINING]))
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(REPO / "stance" / "resources" / "models" / "stance-minilm"))
    parser.add_argument("--data-root", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--out-dir", default=str(REPO / "runs" / "selection"))
    parser.add_argument("--sentiment-windows", default=None, choices=("shared", "focused"))
    parser.add_argument(
        "--designs",
        action="store_true",
        help="compare rule designs by cross-validation on the training entities (no evaluation split)",
    )
    parser.add_argument(
        "--against",
        default=None,
        help="another model directory: compare what classify reports with each model's own rule",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from stance.evaluation.article import ArticleSentimentPredictor
    from stance.evaluation.results import provenance
    from stance.evaluation.significance import paired_bootstrap
    from stance.evaluation.tasks import get_task
    from stance.models import load_model
    from stance.pipeline import Pipeline

    model = load_model(args.model, cache=False)
    pipeline = Pipeline(model=model, sentiment_windows=args.sentiment_windows)
    if args.designs:
        rows = compare_designs(ArticleSentimentPredictor(model, pipeline=pipeline), Path(args.data_root))
        record = {
            "kind": "article-sentiment-rule-designs",
            "model": args.model,
            "cv": "5-fold, grouped by article",
            "rows": rows,
            **provenance(),
        }
        lines = [
            "| design (cross-validated) | macro-F1 SEESAW / PerSenT | accuracy | neutral share (gold) |",
            "|---|---|---|---|",
        ]
        for r in rows:
            a, b = (r[t] for t, _ in TRAINING)
            lines.append(
                f"| {r['design']} | {a['macro_f1']:.3f} / {b['macro_f1']:.3f} | {a['accuracy']:.3f} / "
                f"{b['accuracy']:.3f} | {a['neutral_share']:.2f} ({a['gold_neutral_share']:.2f}) / "
                f"{b['neutral_share']:.2f} ({b['gold_neutral_share']:.2f}) |"
            )
        return _save(
            Path(args.out_dir) / f"article_sentiment_rule_designs__{model_slug(args.model)}.json", record, lines
        )
    if args.against:
        other = load_model(args.against, cache=False)
        rows = []
        for task_name, split in SPLITS:
            task = get_task(task_name)
            records = task.load(str(Path(args.data_root) / task.data_subdir))[split].to_list()
            gold = [int(r["label"]) for r in records]
            preds = [
                ArticleSentimentPredictor(m, pipeline=Pipeline(model=m, sentiment_windows=args.sentiment_windows))
                .predict_sentiment(records, show_progress_bar=True)
                .argmax(1)
                for m in (other, model)
            ]
            boot = paired_bootstrap(gold, preds[0], preds[1], n_labels=3, groups=[r["doc_id"] for r in records])
            rows.append(
                {
                    "task": task_name,
                    "split": split,
                    "n": len(records),
                    "metric": "macro_f1",
                    "against": boot.score_a,
                    "model": boot.score_b,
                    "delta": boot.delta,
                    "ci_low": boot.ci_low,
                    "ci_high": boot.ci_high,
                    "p_model_not_better": boot.p_b_not_better,
                    "accuracy_against": float(np.mean(preds[0] == np.array(gold))),
                    "accuracy_model": float(np.mean(preds[1] == np.array(gold))),
                    "predicted_counts_against": np.bincount(preds[0], minlength=3).tolist(),
                    "predicted_counts_model": np.bincount(preds[1], minlength=3).tolist(),
                    "gold_counts": np.bincount(gold, minlength=3).tolist(),
                }
            )
        record = {
            "kind": "article-sentiment-models",
            "model": args.model,
            "against": args.against,
            "sentiment_windows": args.sentiment_windows or model.head_config.sentiment_windows,
            "bootstrap": {"resamples": 1000, "unit": "article", "confidence": 0.95, "seed": 0},
            "rows": rows,
            **provenance(),
        }
        lines = [
            f"| task (split) | n | {model_slug(args.against)} | {model_slug(args.model)} "
            "| Δ [95% interval] | accuracy |",
            "|---|---|---|---|---|---|",
        ]
        for r in rows:
            lines.append(
                f"| {r['task']} ({r['split']}) | {r['n']} | {r['against']:.4f} | {r['model']:.4f} | "
                f"{r['delta']:+.4f} [{r['ci_low']:+.4f}, {r['ci_high']:+.4f}] | "
                f"{r['accuracy_against']:.3f} → {r['accuracy_model']:.3f} |"
            )
        name = f"article_sentiment_rule__{model_slug(args.model)}__vs__{model_slug(args.against)}.json"
        return _save(Path(args.out_dir) / name, record, lines)
    aggregator = pipeline.article_sentiment_aggregator()
    if aggregator is None:
        parser.error(
            f"{args.model} has no article_sentiment_aggregator: fit one with "
            "python -m stance.training.calibrate --aggregator --write"
        )
    bias = pipeline.article_sentiment_bias()
    predictor = ArticleSentimentPredictor(model, pipeline=pipeline)
    rows: list[dict[str, Any]] = []
    for task_name, split in SPLITS:
        task = get_task(task_name)
        records = task.load(str(Path(args.data_root) / task.data_subdir))[split].to_list()
        collected = predictor.collect(records, show_progress_bar=True)
        gold = [int(r["label"]) for r in records]
        mean = predictor.combine(records, collected, bias=bias).argmax(1)
        fitted = predictor.combine(records, collected, aggregator=aggregator).argmax(1)
        boot = paired_bootstrap(gold, mean, fitted, n_labels=3, groups=[r["doc_id"] for r in records])
        rows.append(
            {
                "task": task_name,
                "split": split,
                "n": len(records),
                "articles": collected["articles"],
                "metric": "macro_f1",
                "mean_rule": boot.score_a,
                "aggregator": boot.score_b,
                "delta": boot.delta,
                "ci_low": boot.ci_low,
                "ci_high": boot.ci_high,
                "p_aggregator_not_better": boot.p_b_not_better,
                "accuracy_mean_rule": float(np.mean(mean == np.array(gold))),
                "accuracy_aggregator": float(np.mean(fitted == np.array(gold))),
                "predicted_counts_mean_rule": np.bincount(mean, minlength=3).tolist(),
                "predicted_counts_aggregator": np.bincount(fitted, minlength=3).tolist(),
                "gold_counts": np.bincount(gold, minlength=3).tolist(),
            }
        )
    head = model.head_config
    record = {
        "kind": "article-sentiment-rule",
        "model": args.model,
        "sentiment_windows": args.sentiment_windows or head.sentiment_windows,
        "bias": bias,
        "aggregator_fit": head.article_sentiment_aggregator_fit,
        "bootstrap": {"resamples": 1000, "unit": "article", "confidence": 0.95, "seed": 0},
        "rows": rows,
        **provenance(),
    }
    suffix = f"-{args.sentiment_windows}" if args.sentiment_windows else ""
    lines = ["| task (split) | n | mean rule | aggregator | Δ [95% interval] |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['task']} ({r['split']}) | {r['n']} | {r['mean_rule']:.4f} | {r['aggregator']:.4f} | "
            f"{r['delta']:+.4f} [{r['ci_low']:+.4f}, {r['ci_high']:+.4f}] |"
        )
    return _save(Path(args.out_dir) / f"article_sentiment_rule__{model_slug(args.model)}{suffix}.json", record, lines)


def _save(path: Path, record: dict[str, Any], table: list[str]) -> int:
    """Write the JSON record and print its Markdown table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write("\n".join(table) + f"\n\nwrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
