"""Fine-tuning cost per base encoder: seconds per optimisation step on the real data mix.

Usage::

    python benchmarks/train_speed.py                       # minilm and mpnet, config below
    python benchmarks/train_speed.py --models minilm --steps 4 --out /tmp/t.json
    python benchmarks/train_speed.py --models mpnet mpnet+lora16 mpnet+lora16@6-11 mpnet+top4
    python benchmarks/train_speed.py --models minilm mpnet+lora32 --precision fp32 bf16

A model entry is a base encoder, optionally with a training setup: ``+loraR`` trains a
LoRA adapter of rank R (``@A-B``: on layers A..B only) and the heads, as ``lora_r`` /
``lora_layers`` in a config; ``+topK`` trains only the top K layers and the heads
(``freeze_layers``). Heads are 256 wide for the setups (``head_hidden``), as in
``configs/stance-mpnet-lora.json``.

For each base encoder (``minilm``, ``mpnet``; see :mod:`stance.training.base_models`) a
fresh :class:`stance.models.StanceModel` is built and ``Trainer.training_step`` (the exact
step ``stance train`` runs: forward on the marked windows, loss over pairs and sentiment
targets, backward, clip, AdamW) is timed on the same batches, drawn as training draws
them from the config's ``train`` corpora (default: ``configs/stance-minilm.json``, the
stage-1 recipe). The first ``--warmup`` steps are not timed.

``--precision`` times each entry at each training precision (``fp32``; ``bf16``: forward
under ``torch.autocast`` to bfloat16, see :mod:`stance.models.precision`).

Each row gives seconds per step (median and mean over the timed steps), windows per
second, and the projected wall time of that config's full schedule (steps per epoch x
epochs) at the mean, without evaluations. The projection is arithmetic on the measured
mean, and says so.

Results go to ``benchmarks/results/train_speed.json`` (``"kind": "train_speed"``, rows,
provenance: commit, versions, hardware, date), rendered by ``benchmarks/render.py``.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

logger = logging.getLogger("train_speed")


def parse_setup(entry: str) -> tuple[str, dict[str, Any]]:
    """``"mpnet+lora16@6-11"`` -> ``("mpnet", {"lora_r": 16, "lora_layers": [6..11], "head_hidden": 256})``.

    Example:
        >>> parse_setup("mpnet+top4")
        ('mpnet', {'top': 4, 'head_hidden': 256})
        >>> parse_setup("minilm")
        ('minilm', {})
    """
    base, _, setup = entry.partition("+")
    if not setup:
        return base, {}
    layers = ""
    setup, _, layers = setup.partition("@")
    if setup.startswith("lora"):
        out: dict[str, Any] = {"lora_r": int(setup[4:])}
        if layers:
            lo, hi = (int(x) for x in layers.split("-"))
            out["lora_layers"] = list(range(lo, hi + 1))
    elif setup.startswith("top"):
        out = {"top": int(setup[3:])}
    else:
        raise ValueError(f"unknown training setup {setup!r} in {entry!r}: use +loraR[@A-B] or +topK")
    return base, {**out, "head_hidden": 256}


def time_model(
    args: Any, entry: str, items: list[Any], batches: list[list[int]], warmup: int, precision: str = ""
) -> dict[str, Any]:
    """Time ``Trainer.training_step`` for one base encoder (and setup) over ``batches``
    (at ``precision``; "" = the config's)."""
    import dataclasses

    import torch

    from stance.models.modeling import StanceModel
    from stance.training.base_models import resolve_base_model
    from stance.training.trainer import Trainer

    base, setup = parse_setup(entry)
    torch.manual_seed(args.seed)
    model = StanceModel.from_encoder(
        resolve_base_model(base), max_length=args.max_length, head_hidden=setup.get("head_hidden", 0)
    )
    if setup.get("lora_r"):
        model.add_lora(setup["lora_r"], layers=setup.get("lora_layers"))
    if setup.get("top"):
        n_layers = int(model.encoder.config.num_hidden_layers)
        keep = tuple(f".layer.{i}." for i in range(n_layers - setup["top"], n_layers))
        for name, p in model.encoder.named_parameters():
            p.requires_grad_(any(k in "." + name for k in keep))
    model.train()
    if precision:
        args = dataclasses.replace(args, precision=precision)
    trainer = Trainer(args, model=model)
    optimizer = trainer.make_optimizer()
    times = []
    for i, batch in enumerate(batches):
        t0 = time.perf_counter()
        trainer.training_step([items[j] for j in batch], optimizer)
        dt = time.perf_counter() - t0
        if i >= warmup:
            times.append(dt)
        logger.info("%s step %d: %.2f s", entry, i, dt)
    n_params = sum(p.numel() for p in model.parameters())
    n_trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    windows = sum(len(b) for b in batches[warmup:])
    mean = statistics.fmean(times)
    steps_total = -(-len(items) // args.batch_size) * args.epochs
    return {
        "base_model": entry,
        "precision": trainer.precision,
        "params_m": round(n_params / 1e6, 1),
        "trainable_m": round(n_trainable / 1e6, 2),
        "threads": torch.get_num_threads(),
        "batch_size": args.batch_size,
        "max_length": args.max_length,
        "timed_steps": len(times),
        "s_per_step_median": round(statistics.median(times), 3),
        "s_per_step_mean": round(mean, 3),
        "windows_per_s": round(windows / sum(times), 2),
        "schedule_steps": steps_total,
        "projected_hours": round(steps_total * mean / 3600, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--config",
        default=str(ROOT / "configs" / "stance-minilm.json"),
        help="training config whose train corpora, batch size, max_length and epochs are used",
    )
    parser.add_argument(
        "--models",
        nargs="+",
        default=["minilm", "mpnet"],
        help="base encoders to time, each optionally with a setup: +loraR[@A-B] or +topK",
    )
    parser.add_argument(
        "--precision",
        nargs="+",
        default=[""],
        choices=["fp32", "bf16", "auto"],
        help="time each model at these training precisions (default: the config's)",
    )
    parser.add_argument("--steps", type=int, default=10, help="timed steps per model")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps first")
    parser.add_argument(
        "--threads", type=int, default=0, help="torch threads (0 = the config's num_threads, else torch's default)"
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "train_speed.json"))
    ns = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    import torch

    from stance.evaluation.results import provenance, write_result
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    args = TrainingArguments.from_json(ns.config)
    threads = ns.threads or args.num_threads
    if threads:
        torch.set_num_threads(threads)
    items = Trainer(args).training_items()
    batches = Trainer(args)._batches(items, 0)[: ns.warmup + ns.steps]
    rows = [time_model(args, base, items, batches, ns.warmup, p) for base in ns.models for p in ns.precision]
    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
    result = {
        "kind": "train_speed",
        "title": "Fine-tuning cost per base encoder (seconds per optimisation step)",
        "columns": [
            "base_model",
            "precision",
            "params_m",
            "trainable_m",
            "threads",
            "batch_size",
            "max_length",
            "timed_steps",
            "s_per_step_median",
            "s_per_step_mean",
            "windows_per_s",
            "schedule_steps",
            "projected_hours",
        ],
        "rows": rows,
        "config": str(Path(ns.config).resolve().relative_to(ROOT))
        if Path(ns.config).resolve().is_relative_to(ROOT)
        else ns.config,
        "device": device,
        "notes": [
            f"Timed: Trainer.training_step on the first {ns.warmup + ns.steps} batches of epoch 1 of the config's "
            f"train corpora ({len(items)} windows), the first {ns.warmup} untimed; the same batches for every model.",
            "projected_hours = schedule_steps x s_per_step_mean, evaluations excluded: arithmetic, not a measured run.",
        ],
        **provenance(),
    }
    path = write_result(result, ns.out)
    print(json.dumps(rows, indent=2))
    logger.info("wrote %s", path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
