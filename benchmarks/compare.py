"""Compare two models on the same evaluation rows with a paired bootstrap.

For each task: both models predict the same split, and
:func:`stance.evaluation.significance.paired_bootstrap` resamples sentences to give the
difference of the task's primary metric (B - A) a confidence interval. Use it before
replacing a model: a difference whose interval straddles zero is not a win.

Writes ``runs/selection/compare__<A>__vs__<B>__<split-tag>.json`` (with commit, versions,
hardware, date; out of the tree: a rejected candidate gets one line in
``docs/experiments.md``) and prints a Markdown table.

Example:
    $ python benchmarks/compare.py --a stance/resources/models/stance-minilm --b runs/soup-3-3f/best \\
        --tasks park-dse seesaw-pair newsmtsc-rw newsmtsc-mt --splits validation validation rw_dev mt_dev
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from run_all import REPO, model_slug  # noqa: E402 - run_all also puts this checkout's stance on the path

logger = logging.getLogger("benchmarks.compare")


def compare(
    a: str,
    b: str,
    tasks: list[str],
    splits: list[str | None],
    *,
    data_root: Path,
    n_resamples: int = 1000,
    seed: int = 0,
    batch_size: int = 64,
    results_dir: Path | None = None,
) -> list[dict[str, Any]]:
    """One row per task: both scores, the difference, its interval and p-value.

    With ``results_dir``, each model's predictions are also written there as harness results
    (its row of ``harness/TASK.json``, as ``run_all.py`` writes them), so a candidate's test
    rows need no second pass.
    """
    import time

    from stance.evaluation.results import git_commit, upsert_result
    from stance.evaluation.runner import predict_probs, resolve_model, result_record
    from stance.evaluation.significance import paired_bootstrap, task_labels
    from stance.evaluation.tasks import get_task

    commit = git_commit()
    resolved = [(resolve_model(m), m) for m in (a, b)]
    rows = []
    for name, split in zip(tasks, splits):
        task = get_task(name)
        dd = task.load(str(data_root / task.data_subdir))
        split = split or task.eval_split
        records = dd[split].to_list()
        labels = []
        for (model, model_name), _given in resolved:
            started = time.perf_counter()
            probs = predict_probs(model, task.family, records, batch_size)
            labels.append(task_labels(name, records, probs))
            if results_dir is not None:
                record = result_record(
                    task, split, model_name, records, probs, seconds=time.perf_counter() - started, commit=commit
                )
                upsert_result(record, results_dir)
        la, lb = labels
        res = paired_bootstrap(
            la["gold"],
            la["pred"],
            lb["pred"],
            n_labels=la["n_labels"],
            averaged=la["averaged"],
            average=la["average"],
            groups=la["groups"],
            n_resamples=n_resamples,
            seed=seed,
        )
        rows.append({"task": name, "split": split, "metric": f"{la['average']}-F1", "n": len(records), **res.to_dict()})
        logger.info("%s %s: %s", name, split, res)
    return rows


def render(result: dict[str, Any]) -> str:
    lines = [
        f"A = `{result['a']}`, B = `{result['b']}`; {result['rows'][0]['n_resamples'] if result['rows'] else 0} "
        "paired bootstrap resamples of sentences",
        "",
        "| task | split | A | B | B - A | 95% interval | P(B not better) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['task']} | {r['split']} | {r['score_a']:.4f} | {r['score_b']:.4f} | {r['delta']:+.4f} | "
            f"[{r['ci_low']:+.4f}, {r['ci_high']:+.4f}] | {r['p_b_not_better']:.3f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from stance.evaluation.results import provenance, write_result

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", required=True, help="reference model (directory, DIR@focused, or a baseline)")
    parser.add_argument("--b", required=True, help="candidate model")
    parser.add_argument("--tasks", nargs="+", default=["park-dse", "seesaw-pair", "newsmtsc-rw", "newsmtsc-mt"])
    parser.add_argument(
        "--splits", nargs="+", default=None, help="one split per task (default: each task's reported split)"
    )
    parser.add_argument("--data-root", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--n-resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=REPO / "runs" / "selection",
        help="where the comparison goes (default runs/selection, out of the tree)",
    )
    parser.add_argument(
        "--results-dir",
        type=Path,
        default=None,
        help="also write each model's harness result per task here (e.g. benchmarks/results)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    splits = args.splits or [None] * len(args.tasks)
    if len(splits) != len(args.tasks):
        parser.error(f"--splits needs one split per task ({len(args.tasks)}), got {len(splits)}")
    rows = compare(
        args.a,
        args.b,
        args.tasks,
        splits,
        data_root=args.data_root,
        n_resamples=args.n_resamples,
        seed=args.seed,
        results_dir=args.results_dir,
    )
    result = {"kind": "paired-bootstrap", **provenance(), "a": args.a, "b": args.b, "rows": rows}
    tag = "-".join(sorted({r["split"] for r in rows}))
    path = write_result(result, args.out_dir / f"compare__{model_slug(args.a)}__vs__{model_slug(args.b)}__{tag}.json")
    logger.info("wrote %s", path)
    sys.stdout.write(render(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
