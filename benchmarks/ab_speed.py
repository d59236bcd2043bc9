"""End-to-end speed of two checkouts of stance on the same articles, runs alternated (A/B).

Each run is a fresh process that imports ``stance`` from one checkout, classifies a few
SEESAW validation articles to warm up, then times ``Pipeline.classify_many`` over the rest
with one torch thread. Runs alternate A, B, A, B, … so that a change in the machine's load
hits both sides alike. Use it to check that a change does not slow the pipeline: give the
old commit as a worktree (``git worktree add /tmp/old COMMIT``) and this checkout.

Example:
    $ git worktree add /tmp/old ba45d25
    $ python benchmarks/ab_speed.py --a /tmp/old --b . --rounds 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # this checkout's stance, not an installed one
    sys.path.insert(0, str(REPO))

CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import torch
torch.set_num_threads(1)
from stance.data.seesaw import load_seesaw_articles
from stance.evaluation.e2e import article_texts
from stance.pipeline import Pipeline
texts = article_texts(load_seesaw_articles(sys.argv[2])["validation"].to_list()[: int(sys.argv[3])])
pipe = Pipeline()
pipe.classify_many(texts[:3])
start = time.perf_counter()
pipe.classify_many(texts[3:], batch_size=8)
print(json.dumps({"articles": len(texts) - 3, "seconds": time.perf_counter() - start}))
"""


def run_once(checkout: Path, data_dir: str, n: int) -> float:
    """Articles per second of one fresh process importing stance from ``checkout``."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(checkout), data_dir, str(n)],
        capture_output=True,
        text=True,
        check=True,
        env={"OMP_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
    )
    row = json.loads(out.stdout.strip().splitlines()[-1])
    return row["articles"] / row["seconds"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--a", required=True, help="checkout A (e.g. a worktree of the old commit)")
    parser.add_argument("--b", default=str(REPO), help="checkout B (default: this one)")
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data" / "seesaw"))
    parser.add_argument("--n", type=int, default=40, help="articles per run (the first 3 warm up)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", default=str(REPO / "benchmarks" / "results" / "ab_speed.json"))
    args = parser.parse_args(argv)

    from stance.evaluation.results import git_commit, provenance, write_result

    a, b = Path(args.a).resolve(), Path(args.b).resolve()
    speeds: dict[str, list[float]] = {"a": [], "b": []}
    for _ in range(args.rounds):
        speeds["a"].append(round(run_once(a, args.data_dir, args.n), 3))
        speeds["b"].append(round(run_once(b, args.data_dir, args.n), 3))
    mean_a, mean_b = statistics.mean(speeds["a"]), statistics.mean(speeds["b"])
    out = {
        "kind": "ab_speed",
        "title": "End-to-end speed, two checkouts, alternated runs (SEESAW validation, 1 torch thread)",
        "columns": ["benchmark", "checkout", "commit", "metric", "runs", "value"],
        "rows": [
            {
                "benchmark": "seesaw-validation",
                "checkout": "a",
                "commit": git_commit(a).get("sha"),
                "metric": "articles_per_s",
                "runs": speeds["a"],
                "value": round(mean_a, 3),
            },
            {
                "benchmark": "seesaw-validation",
                "checkout": "b",
                "commit": git_commit(b).get("sha"),
                "metric": "articles_per_s",
                "runs": speeds["b"],
                "value": round(mean_b, 3),
            },
        ],
        "change": round(mean_b / mean_a - 1, 4),
        "articles_per_run": args.n - 3,
        **provenance(),
    }
    write_result(out, args.output)
    print(json.dumps(out["rows"], indent=1), "\nchange B vs A:", out["change"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
