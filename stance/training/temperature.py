"""Fit each head's temperature so that the model's confidences are calibrated.

The pair head's temperature is fitted on Park et al.'s *validation* split (both
directional rows of every sentence), the sentiment head's on NewsMTSC's ``rw_dev`` and
``mt_dev`` (shared windows, as :func:`stance.classify` reads them), each by minimising the
negative log-likelihood (:func:`stance.evaluation.calibration.fit_temperature`). Test
splits are never read. No argmax changes, so no accuracy or F1 of a single prediction
moves; what moves are the probabilities users see and that later rules consume.

The temperatures go into ``config.json`` (``stance.pair_temperature``,
``stance.sentiment_temperature``, with the fit in ``stance.temperature_fit``). The
article-sentiment rule reads the sentiment head's probabilities, so refit it afterwards
(``python -m stance.training.calibrate ... --aggregator``).

Command (``stance temperature`` is the same tool)::

    python -m stance.training.temperature --model stance/resources/models/stance-minilm \\
        --data-root ../shared/data --write

Example:
    >>> record = fit_model_temperatures("stance/resources/models/stance-minilm", "../shared/data")  # doctest: +SKIP
    >>> record["sentiment"]["temperature"] > 1  # doctest: +SKIP
    True
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

__all__ = ["TEMPERATURE_SPLITS", "fit_model_temperatures", "add_arguments", "run", "main"]

#: Head -> the (task, split) pairs its temperature is fitted on.
TEMPERATURE_SPLITS: dict[str, tuple[tuple[str, str], ...]] = {
    "pair": (("park-dse", "validation"),),
    "sentiment": (("newsmtsc-rw", "rw_dev"), ("newsmtsc-mt", "mt_dev")),
}


def _records(task_name: str, split: str, data_root: Path, max_rows: int) -> list[dict[str, Any]]:
    from stance.evaluation.tasks import get_task

    task = get_task(task_name)
    records = task.load(str(data_root / task.data_subdir))[split].to_list()
    return records[:max_rows] if max_rows else records


def fit_model_temperatures(
    model_dir: str | Path,
    data_root: str | Path,
    *,
    write: bool = False,
    batch_size: int = 64,
    max_rows: int = 0,
    show_progress_bar: bool = False,
) -> dict[str, Any]:
    """Fit the pair and sentiment temperatures of the model in ``model_dir`` on validation splits.

    Args:
        model_dir: A stance model directory.
        data_root: The folder holding the corpora (``../shared/data``), with
            ``directed-sentiment-park2021/`` and ``newsmtsc/``.
        write: Store the temperatures and the fit in ``model_dir/config.json``.
        batch_size: Windows per forward pass.
        max_rows: Use only the first this many rows of each split (0 = all; smoke tests).
        show_progress_bar: Show tqdm bars while predicting.

    Returns:
        ``{"pair": fit, "sentiment": fit, "method", "bins"}``; each fit holds
        ``temperature``, ``fitted_on``, and :func:`~stance.evaluation.calibration.calibration_report`
        ``before`` (raw) and ``after`` (scaled) on the fitting rows.
    """
    from stance.evaluation.calibration import apply_temperature, calibration_report, fit_temperature
    from stance.models import load_model
    from stance.training.calibrate import update_stance_config

    model = load_model(str(model_dir), cache=False)
    model.head_config.pair_temperature = model.head_config.sentiment_temperature = 1.0  # fit on raw probabilities
    root = Path(data_root)
    record: dict[str, Any] = {
        "method": "one temperature per head, softmax(logits / T), T minimising the negative log-likelihood "
        "on the fitting rows (Guo et al., ICML 2017)",
        "bins": 15,
    }
    for head, splits in TEMPERATURE_SPLITS.items():
        probs, labels = [], []
        for task, split in splits:
            records = _records(task, split, root, max_rows)
            predict = model.predict_pairs if head == "pair" else model.predict_sentiment
            probs.append(
                np.asarray(predict(records, batch_size=batch_size, show_progress_bar=show_progress_bar), dtype=float)
            )
            labels += [int(r["label"]) for r in records]
        p, y = np.concatenate(probs), np.asarray(labels)
        t = fit_temperature(p, y)
        record[head] = {
            "temperature": round(t, 4),
            "fitted_on": " + ".join(f"{task} {split}" for task, split in splits),
            "before": calibration_report(p, y, record["bins"]),
            "after": calibration_report(apply_temperature(p, t), y, record["bins"]),
        }
        logger.info(
            "%s temperature %.3f: ECE %.3f -> %.3f, NLL %.3f -> %.3f on %s",
            head,
            t,
            record[head]["before"]["ece"],
            record[head]["after"]["ece"],
            record[head]["before"]["nll"],
            record[head]["after"]["nll"],
            record[head]["fitted_on"],
        )
    if write:
        update_stance_config(
            model_dir,
            {
                "pair_temperature": record["pair"]["temperature"],
                "sentiment_temperature": record["sentiment"]["temperature"],
                "temperature_fit": record,
            },
        )
        logger.warning(
            "temperatures written to %s; refit the article-sentiment rule, which reads the sentiment "
            "probabilities: python -m stance.training.calibrate --model %s --data-dir SEESAW --aggregator "
            "--persent-dir PERSENT --write",
            Path(model_dir) / "config.json",
            model_dir,
        )
    return record


LOG_LEVEL = logging.INFO  # `stance temperature` logs progress like `python -m stance.training.temperature`


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``stance temperature`` / ``python -m stance.training.temperature`` arguments."""
    parser.add_argument("--model", required=True, help="stance model directory")
    parser.add_argument(
        "--data-root", required=True, help="folder with directed-sentiment-park2021/ and newsmtsc/ (../shared/data)"
    )
    parser.add_argument("--write", action="store_true", help="store the temperatures in the model's config.json")
    parser.add_argument("--max-rows", type=int, default=0, help="first N rows of each split only (smoke runs)")
    parser.add_argument("--progress", action="store_true", help="show progress bars")


def run(args: argparse.Namespace) -> int:
    """Fit the temperatures and print the fitting record as JSON."""
    record = fit_model_temperatures(
        args.model, args.data_root, write=args.write, max_rows=args.max_rows, show_progress_bar=args.progress
    )
    sys.stdout.write(json.dumps(record, indent=2) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m stance.training.temperature --model DIR --data-root DATA [--write]`` (= ``stance temperature``)."""
    parser = argparse.ArgumentParser(prog="python -m stance.training.temperature", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=LOG_LEVEL, format="%(levelname)s %(name)s: %(message)s")
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
