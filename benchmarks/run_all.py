"""Run every benchmark task with every baseline (and given models); render RESULTS.md.

Writes each run as its model's row of ``benchmarks/results/harness/<task>.json`` (other
models' rows are kept), then renders
``benchmarks/RESULTS.md`` with ``render.py``. Baselines that cannot do a task (VADER on
pair tasks) are skipped, as are tasks whose data folder is missing.

Example:
    $ python benchmarks/run_all.py                                  # all tasks x baselines
    $ python benchmarks/run_all.py --tasks park-dse vast --models tfidf majority
    $ python benchmarks/run_all.py --model-dir runs/stance-minilm   # add a trained model
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

logger = logging.getLogger("benchmarks.run_all")


def model_slug(model: str | None) -> str:
    """File-name-safe name of a model: the baseline name, a directory's name (a run's for
    ``runs/NAME/best``), or the shipped model's name."""
    if model is None:
        from stance.models import DEFAULT_MODEL_NAME

        return DEFAULT_MODEL_NAME
    from stance.evaluation.runner import MODEL_VARIANTS

    for suffix in MODEL_VARIANTS:
        if model.endswith(suffix) and Path(model[: -len(suffix)]).is_dir():
            return model_slug(model[: -len(suffix)]) + "-" + suffix[1:]
    path = Path(model)
    # a run's best checkpoint (runs/NAME/best) is named for its run
    name = (path.parent.name if path.name == "best" else path.name) if path.is_dir() else model
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") or "model"


def default_models(model_dirs: list[str]) -> list[str | None]:
    """All baselines, the given model directories, and the shipped model if one loads."""
    from stance.evaluation.baselines import baseline_names

    models: list[str | None] = [*baseline_names(), *model_dirs]
    try:
        from stance.models import load_model

        load_model()
        models.append(None)
    except Exception as err:  # noqa: BLE001 - no shipped model is a normal state
        logger.info("no shipped default model (%s): %s", type(err).__name__, err)
    return models


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    from stance.evaluation.tasks import TASKS, task_names

    # end-to-end tasks (whole articles through classify) are run on their own: `stance evaluate seesaw-e2e`
    sentence_tasks = [t for t in task_names() if TASKS[t].family != "e2e"]
    parser = argparse.ArgumentParser(description="Run every task x model and render benchmarks/RESULTS.md.")
    parser.add_argument(
        "--data-root",
        type=Path,
        default=REPO.parent / "shared" / "data",
        help="folder holding one folder per corpus (default: ../shared/data from the repo)",
    )
    parser.add_argument(
        "--tasks",
        nargs="+",
        default=sentence_tasks,
        choices=task_names(),
        metavar="TASK",
        help=f"tasks to run (default: all but end-to-end: {', '.join(sentence_tasks)})",
    )
    parser.add_argument(
        "--models",
        nargs="+",
        default=None,
        help="baselines or model directories (default: all baselines, --model-dir, shipped model)",
    )
    parser.add_argument("--model-dir", action="append", default=[], help="a trained model directory (repeatable)")
    parser.add_argument("--results-dir", type=Path, default=HERE / "results")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md", help="rendered Markdown")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--skip-existing", action="store_true", help="keep rows that already exist")
    parser.add_argument("--no-render", action="store_true", help="do not render RESULTS.md")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def run_one(task: Any, model: str | None, data_dir: Path, results_dir: Path, batch_size: int) -> bool:
    from stance.evaluation.results import upsert_result
    from stance.evaluation.runner import evaluate_task

    started = time.perf_counter()
    try:
        result = evaluate_task(task, data_dir, model=model, batch_size=batch_size)
    except Exception:  # noqa: BLE001 - one failing run must not stop the others
        logger.exception("%s x %s failed", task.name, model_slug(model))
        return False
    upsert_result(result, results_dir)
    headline = task.primary_metrics[0]
    value = result["metrics"].get(headline)
    print(
        f"{task.name:24s} {model_slug(model):14s} {headline}={value if value is None else round(100 * value, 2)}"
        f" n={result['n']} ({time.perf_counter() - started:.0f}s)",
        flush=True,
    )
    return True


def _has_row(results_dir: Path, task: str, model: str | None) -> bool:
    """Whether the results folder already holds a row of ``model`` on ``task``'s default split."""
    from stance.evaluation.results import model_key, read_harness
    from stance.evaluation.tasks import get_task

    split = get_task(task).eval_split
    return any(
        model_key(r.get("model")) == model_key(model_slug(model)) and r.get("split") == split
        for r in read_harness(results_dir, task=task)
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    from stance.evaluation.baselines import BASELINES, make_baseline
    from stance.evaluation.tasks import get_task

    models: list[str | None] = list(args.models) if args.models else default_models(args.model_dir)
    if args.models:
        models += [d for d in args.model_dir if d not in models]
    failures = 0
    for task_name in args.tasks:
        task = get_task(task_name)
        data_dir = args.data_root / task.data_subdir
        if not data_dir.is_dir():
            logger.warning("skipping %s: no data at %s", task.name, data_dir)
            continue
        for model in models:
            if model in BASELINES and task.family not in make_baseline(model).families:
                logger.info("skipping %s x %s (baseline does not do %s tasks)", task.name, model, task.family)
                continue
            if args.skip_existing and _has_row(args.results_dir, task.name, model):
                logger.info("keeping the %s row of %s", model_slug(model), task.name)
                continue
            failures += not run_one(task, model, data_dir, args.results_dir, args.batch_size)
    if not args.no_render:
        import render

        print(render.write(args.results_dir, args.output))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
