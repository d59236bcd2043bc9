"""``stance evaluate``: score a baseline or model on one benchmark task.

Example:
    $ stance evaluate park-dse --data-dir ../shared/data/directed-sentiment-park2021 --model tfidf
    $ stance evaluate seesaw-pair --data-dir ../shared/data/seesaw --model runs/model --output r.json
    $ stance evaluate vast --data-dir ../shared/data/vast --model tfidf --output-dir benchmarks/results
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``evaluate`` arguments to ``parser``.

    Example:
        >>> p = argparse.ArgumentParser(); add_arguments(p)
        >>> p.parse_args(["vast", "--data-dir", "d"]).model is None
        True
    """
    task = parser.add_argument_group("task and data")
    task.add_argument("task", help="task name, e.g. park-dse, seesaw-pair, newsmtsc-rw, vast")
    task.add_argument(
        "--data-dir",
        required=True,
        help="the corpus folder itself (e.g. ../shared/data/vast; for SEESAW tasks a folder containing "
        "SEESAW/{annotations,articles,meta})",
    )
    task.add_argument("--split", default=None, help="evaluation split (default: the split the papers report)")
    model = parser.add_argument_group("model")
    model.add_argument(
        "--model",
        default=None,
        help="a baseline (majority, vader, tfidf, minilm-lr), a shipped model ('fast', 'accurate') or a "
        "trained model directory; default: the default shipped model",
    )
    output = parser.add_argument_group("output")
    output.add_argument("--output", default=None, help="also write the result JSON to this file")
    output.add_argument(
        "--output-dir",
        default=None,
        help="also write the result as this model's row of DIR/harness/TASK.json (e.g. benchmarks/results), "
        "replacing only that model's row for this split",
    )
    output.add_argument("--progress", action="store_true", help="show a progress bar while predicting")
    perf = parser.add_argument_group("performance")
    perf.add_argument("--batch-size", type=int, default=32, help="prediction batch size (default 32)")


def run(args: argparse.Namespace) -> int:
    """Run the evaluation; print the result JSON; return an exit code (2 on bad input).

    Example:
        >>> run(argparse.Namespace(task="nope", data_dir=".", split=None, model="majority",
        ...     output=None, output_dir=None, batch_size=32, progress=False))
        2
    """
    from stance.evaluation.results import upsert_result, write_result
    from stance.evaluation.runner import evaluate_task
    from stance.evaluation.tasks import task_names

    if args.task not in task_names():
        print(f"stance evaluate: unknown task {args.task!r}; choose one of: {', '.join(task_names())}", file=sys.stderr)
        return 2
    if args.batch_size < 1:
        print("stance evaluate: --batch-size must be >= 1", file=sys.stderr)
        return 2
    if not Path(args.data_dir).is_dir():
        print(f"stance evaluate: --data-dir {args.data_dir!r} is not a folder", file=sys.stderr)
        return 2
    try:
        result = evaluate_task(
            args.task,
            args.data_dir,
            model=args.model,
            split=args.split,
            batch_size=args.batch_size,
            show_progress_bar=bool(getattr(args, "progress", False)),
        )
    except (ValueError, FileNotFoundError, ImportError) as err:
        print(f"stance evaluate: {err}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False))
    if args.output:
        path = write_result(result, args.output)
        logger.info("wrote %s", path)
    if getattr(args, "output_dir", None):
        path = upsert_result(result, args.output_dir)
        logger.info("wrote the %s row of %s", result["model"], path)
    return 0
