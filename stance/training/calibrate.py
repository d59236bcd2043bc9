"""Fit the article-level sentiment bias of a stance model on SEESAW train.

Mention-level sentiment (NewsMTSC) and article-level portrayal (SEESAW) have different
label priors: most entities of an article are portrayed neutrally even when single
mentions carry sentiment. :func:`fit_sentiment_bias` learns a per-label log-prior shift
``b`` (neutral fixed at 0) so that ``argmax(log mean_mention_probs + b)`` maximises
macro-F1 on SEESAW *train* articles, computed exactly as :func:`stance.classify` does
(:mod:`stance.evaluation.article`). The result goes into the model's ``config.json``
(``stance.article_sentiment_bias``, with the fitting record in
``stance.article_sentiment_calibration``); validation and test data are never used.

Command::

    python -m stance.training.calibrate --model stance/resources/models/stance-minilm \\
        --data-dir ../shared/data/seesaw --write

Example:
    >>> import numpy as np
    >>> probs = np.array([[0.5, 0.3, 0.2], [0.45, 0.4, 0.15], [0.1, 0.3, 0.6]])
    >>> fit_sentiment_bias(probs, [0, 1, 2], grid=np.arange(-1, 1.01, 0.5))["bias"]
    [-0.5, 0.0, 0.0]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

__all__ = ["fit_sentiment_bias", "grid_search_bias", "calibrate_model", "main"]

DEFAULT_GRID = np.round(np.arange(-3.0, 3.0001, 0.1), 2)


def grid_search_bias(
    score: Callable[[list[float]], float], grid: Any = None, free: tuple[int, int] = (0, 2)
) -> tuple[list[float], float]:
    """The 3-label log-prior shift, ``free`` labels on ``grid`` and the third at 0, maximising ``score(bias)``.

    Among equally good biases the one with the smallest ``|b1| + |b2|`` wins (no shift
    first), then the first in grid order.

    Returns:
        ``(bias, score(bias))``.

    Example:
        >>> grid_search_bias(lambda b: 1 - abs(b[0] - 0.5) - abs(b[2]), grid=[0.0, 0.5, 1.0])
        ([0.5, 0.0, 0.0], 1.0)
    """
    grid = DEFAULT_GRID if grid is None else np.asarray(grid, dtype=np.float64)
    zero = [0.0, 0.0, 0.0]
    best = (score(zero), 0.0, zero)
    for x in grid:
        for y in grid:
            bias = [0.0, 0.0, 0.0]
            bias[free[0]], bias[free[1]] = float(x), float(y)
            key = (score(bias), -(abs(float(x)) + abs(float(y))))
            if key > best[:2]:
                best = (*key, bias)
    return best[2], best[0]


def fit_sentiment_bias(probs: Any, gold: Sequence[int], grid: Any = None) -> dict[str, Any]:
    """Grid-search the (negative, positive) log-prior shift that maximises macro-F1.

    Args:
        probs: ``[n, 3]`` article probabilities (negative, neutral, positive) with no bias.
        gold: Gold label indices.
        grid: Candidate values for each of the two free biases (default -3 … 3 by 0.1).

    Returns:
        ``{"bias": [b_neg, 0.0, b_pos], "macro_f1_before", "macro_f1_after", "n"}``.
        Among equally good biases the one with the smallest ``|b_neg| + |b_pos|`` wins.

    Raises:
        ValueError: If shapes disagree or there is nothing to fit.
    """
    from sklearn.metrics import f1_score

    from stance.aggregate import shift_probabilities

    p = np.asarray(probs, dtype=np.float64)
    y = np.asarray(gold, dtype=int)
    if p.ndim != 2 or p.shape[1] != 3 or len(p) != len(y) or len(y) == 0:
        raise ValueError(f"probs must be [n, 3] with n = len(gold) > 0; got {p.shape} and {len(y)} labels")

    def score(bias: Sequence[float]) -> float:
        pred = shift_probabilities(p, bias).argmax(-1)
        return float(f1_score(y, pred, labels=[0, 1, 2], average="macro", zero_division=0))

    bias, after = grid_search_bias(score, grid)
    return {"bias": [round(b, 4) + 0.0 for b in bias], "macro_f1_before": score([0.0, 0.0, 0.0]),
            "macro_f1_after": after, "n": int(len(y))}


def calibrate_model(
    model_dir: str | Path,
    data_dir: str | Path,
    *,
    split: str = "train",
    max_articles: int = 0,
    write: bool = False,
    show_progress_bar: bool = True,
) -> dict[str, Any]:
    """Fit the bias of the model in ``model_dir`` on SEESAW entity sentiment ``split``.

    Args:
        model_dir: A stance model directory.
        data_dir: The SEESAW folder.
        split: The SEESAW split to fit on (keep ``train``).
        max_articles: Use only the first this many articles (0 = all; for smoke tests).
        write: Store the bias in ``model_dir/config.json``.
        show_progress_bar: Show a tqdm bar over articles.

    Returns:
        The fitting record (see :func:`fit_sentiment_bias`) plus ``data``, ``split``,
        ``articles`` and ``routes``.
    """
    from stance.data import load_dataset_dir
    from stance.evaluation.article import ArticleSentimentPredictor
    from stance.models import load_model

    records = load_dataset_dir("seesaw_entity_sentiment", str(data_dir))[split].to_list()
    if max_articles:
        keep = list(dict.fromkeys(r["doc_id"] for r in records))[:max_articles]
        records = [r for r in records if r["doc_id"] in set(keep)]
    model = load_model(str(model_dir))
    predictor = ArticleSentimentPredictor(model, sentiment_bias=(0.0, 0.0, 0.0))
    probs = predictor.predict_sentiment(records, show_progress_bar=show_progress_bar)
    record = fit_sentiment_bias(probs, [int(r["label"]) for r in records])
    record.update(
        {
            "data": "seesaw entity sentiment",
            "split": split,
            "articles": predictor.info.get("articles"),
            "routes": predictor.info.get("routes"),
        }
    )
    logger.info("article sentiment bias %s: macro-F1 on %s %.4f -> %.4f", record["bias"], split,
                record["macro_f1_before"], record["macro_f1_after"])
    if write:
        cfg_path = Path(model_dir) / "config.json"
        cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
        cfg["stance"]["article_sentiment_bias"] = record["bias"]
        cfg["stance"]["article_sentiment_calibration"] = record
        cfg_path.write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return record


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m stance.training.calibrate --model DIR --data-dir SEESAW [--write]``."""
    parser = argparse.ArgumentParser(prog="python -m stance.training.calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="stance model directory")
    parser.add_argument("--data-dir", required=True, help="the SEESAW folder (../shared/data/seesaw)")
    parser.add_argument("--split", default="train")
    parser.add_argument("--max-articles", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="store the bias in the model's config.json")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    record = calibrate_model(args.model, args.data_dir, split=args.split, max_articles=args.max_articles, write=args.write)
    sys.stdout.write(json.dumps(record, indent=2) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
