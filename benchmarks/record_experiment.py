"""Record a training run in the model-selection log (``runs/selection/experiments.json``, out of the tree).

Reads the run's ``training_args.json`` and ``train_log.jsonl`` (written by ``stance train``)
and adds or replaces the entry named ``--name``: the config, every validation reading, the
best score and step, what was tried and what was decided. The file's provenance (commit,
versions, hardware, date) is refreshed; other entries are kept as they are.

Example:
    $ python benchmarks/record_experiment.py --run runs/stance-minilm-distill --name distill \\
        --what "MiniLM student of the mpnet run" --decision "not adopted: ..."
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from run_all import REPO  # noqa: E402 - run_all also puts this checkout's stance on the path

DEFAULT_OUT = REPO / "runs" / "selection" / "experiments.json"


def _relative_paths(config: dict[str, Any]) -> dict[str, Any]:
    """The run's absolute paths (output, init, teacher, data dirs) made relative to the repository root."""

    def rel(path: str) -> str:
        return os.path.relpath(path, REPO) if path and os.path.isabs(path) else path

    out = dict(config)
    for key in ("output_dir", "init_model", "teacher_model"):
        if isinstance(out.get(key), str):
            out[key] = rel(out[key])
    for key in ("train", "validation"):
        out[key] = [{**spec, "data_dir": rel(spec["data_dir"])} for spec in out.get(key, [])]
    return out


def read_run(run: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The run's training arguments and its validation readings, in order.

    Raises:
        FileNotFoundError: ``run`` lacks ``training_args.json`` or ``train_log.jsonl``
            (pass the run's output_dir, not its ``best/`` model).
    """
    args_path, log_path = run / "training_args.json", run / "train_log.jsonl"
    for path in (args_path, log_path):
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} not found: --run must be a `stance train` output_dir "
                "(it holds training_args.json and train_log.jsonl)"
            )
    config = _relative_paths(json.loads(args_path.read_text(encoding="utf-8")))
    evals = []
    for line in log_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            if "eval" in entry:
                evals.append(entry["eval"])
    return config, evals


def experiment_entry(
    name: str,
    what: str,
    config: dict[str, Any],
    evals: list[dict[str, Any]],
    *,
    decision: str = "",
    adopted: bool = False,
    in_progress: bool = False,
) -> dict[str, Any]:
    """One experiments.json entry; ``best_score``/``best_step`` come from ``evals``.

    Example:
        >>> e = experiment_entry("x", "a test", {}, [{"step": 1, "score": 0.5}, {"step": 2, "score": 0.7}])
        >>> e["best_score"], e["best_step"]
        (0.7, 2)
    """
    if not evals:
        raise ValueError(
            f"experiment {name!r}: the run has no validation readings yet (train_log.jsonl has no 'eval' line)"
        )
    best = max(evals, key=lambda e: e["score"])
    entry: dict[str, Any] = {
        "name": name,
        "adopted": adopted,
        "best_score": best["score"],
        "best_step": best["step"],
        "config": config,
        "evals": evals,
    }
    if what:  # empty: an existing entry keeps its description
        entry["what"] = what
    if decision:
        entry["decision"] = decision
    if in_progress:
        entry["in_progress"] = True
    return entry


def upsert(log: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    """``log`` with ``entry`` replacing the experiment of the same name (or appended), keeping fields it does
    not set."""
    experiments = list(log.get("experiments", []))
    for i, old in enumerate(experiments):
        if old.get("name") == entry["name"]:
            merged = {k: v for k, v in old.items() if k not in ("in_progress", "decision")}
            merged.update(entry)
            experiments[i] = merged
            break
    else:
        experiments.append(entry)
    return {**log, "experiments": experiments}


def main(argv: list[str] | None = None) -> int:
    from stance.evaluation.results import provenance, write_result

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", type=Path, required=True, help="a `stance train` output_dir")
    parser.add_argument("--name", required=True)
    parser.add_argument("--what", default="", help="what the run tried (kept from the old entry when omitted)")
    parser.add_argument("--decision", default="")
    parser.add_argument("--adopted", action="store_true")
    parser.add_argument("--in-progress", action="store_true")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    config, evals = read_run(args.run)
    entry = experiment_entry(
        args.name, args.what, config, evals, decision=args.decision, adopted=args.adopted, in_progress=args.in_progress
    )
    log = (
        json.loads(args.out.read_text(encoding="utf-8"))
        if args.out.is_file()
        else {"kind": "selection", "title": "Model-selection experiments (validation only)"}
    )
    log = upsert(log, entry)
    log.update(provenance())
    write_result(log, args.out)
    print(
        f"{args.name}: best {entry['best_score']:.4f} at step {entry['best_step']} "
        f"({len(evals)} readings) -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
