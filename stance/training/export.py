"""Export a trained run as a shippable model directory and (re)write its model card.

Two steps, so that the card is generated from evaluation JSON of the *exported* weights:

1. ``python -m stance.training.export weights --run runs/stance-minilm --out DIR``
   copies the run's best checkpoint as fp16 safetensors with the run's config recorded.
2. ``python -m stance.training.export card --model DIR --results benchmarks/results``
   writes ``DIR/README.md`` from the harness rows whose ``model`` is ``DIR``
   (``benchmarks/results/harness/TASK.json``), with ``--history`` linking the training history.

``stance export weights|card`` is the same tool.

Example:
    $ python -m stance.training.export weights --run runs/stance-minilm --out stance/resources/models/stance-minilm
    $ python -m stance.training.export card --model stance/resources/models/stance-minilm \\
        --results benchmarks/results --speed benchmarks/results/speed.json --history docs/experiments.md
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stance.training.card import (
    BASE_MODEL_IDS,  # noqa: F401 - re-exported: the Hub ids of the base encoders
    card_from_config,
    distillation_summary,
    read_eval_results,
    training_corpus,
    write_model_card,
)

logger = logging.getLogger(__name__)


def training_stages(run_dir: str | Path) -> list[dict[str, Any]]:
    """The configurations of a run and of the runs it continued from (``init_model``), oldest first.

    ``init_model`` points at an earlier run's ``best`` folder, whose ``training_args.json``
    is one level up, or at an exported model directory (e.g. the shipped model), whose
    ``config.json`` records its own stages.
    """
    stages: list[dict[str, Any]] = []
    run = Path(run_dir)
    for _ in range(20):
        args = json.loads((run / "training_args.json").read_text(encoding="utf-8"))
        stages.append(args)
        init = args.get("init_model")
        if not init:
            break
        parent = Path(init).parent
        if (parent / "training_args.json").is_file():
            run = parent
            continue
        exported = _exported_stages(Path(init))
        if exported:
            stages.extend(exported[::-1])
        else:
            logger.warning("run %s continued from %s, whose training_args.json is missing", run, init)
        break
    return stages[::-1]


def _ingredient_stages(model_dir: Path) -> list[dict[str, Any]]:
    """The stages of a soup ingredient: a run's ``best`` folder, or an exported model directory."""
    if (model_dir.parent / "training_args.json").is_file():
        return training_stages(model_dir.parent)
    return _exported_stages(model_dir)


def _exported_stages(model_dir: Path) -> list[dict[str, Any]]:
    """The training stages an exported model directory records in its config.json (oldest first)."""
    cfg_file = model_dir / "config.json"
    if not cfg_file.is_file():
        return []
    training = json.loads(cfg_file.read_text(encoding="utf-8")).get("stance", {}).get("training", {})
    return list(training.get("stages") or ([training["args"]] if training.get("args") else []))


def export_weights(
    run_dir: str | Path,
    out_dir: str | Path,
    *,
    command: str | Sequence[str] = "",
    lora_rank: int = 0,
    precision: str | None = None,
    version: str | None = None,
) -> Path:
    """Save the run's best model as fp16 into ``out_dir`` with training metadata in config.json.

    A LoRA run is exported as an adapter directory (the adapter and the heads, over its
    registry base); the model is named after ``out_dir``'s folder in results. ``lora_rank``
    > 0 then truncates the adapter to that rank (:func:`truncate_lora_rank`), recorded in
    the config's ``training.lora_rank_truncation``. ``precision`` (``"fp32"``, ``"bf16"``,
    ``"auto"``) declares the precision the model is to load at by default (its figures are
    then measured at it); None keeps fp32. ``version`` is the release's version, which
    results report after the name (``stance-mpnet-lora@0.2.0``); None keeps the run's.

    ``command`` is the exact training command, or one per stage when the run continued
    from earlier runs (oldest first). A soup's run folder (``soup.json`` beside ``best/``,
    see :mod:`stance.training.soup`) records its recipe and every ingredient's stages.
    """
    import torch

    from stance.models.modeling import StanceModel
    from stance.models.precision import check_precision

    if precision is not None:
        check_precision(precision)
    if version is not None and not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise ValueError(f"version must look like MAJOR.MINOR.PATCH (e.g. 0.2.0), got {version!r}")
    run_dir = Path(run_dir)
    best = run_dir / "best"
    model = StanceModel.from_pretrained(best, merge_adapter=False)  # an adapter run stays an adapter
    model.head_config.model_name = Path(out_dir).name
    if precision is not None:
        model.head_config.precision = precision
    if version is not None:
        model.head_config.version = version
    soup_file = run_dir / "soup.json"
    soup = json.loads(soup_file.read_text(encoding="utf-8")) if soup_file.is_file() else None
    if soup is not None:
        # a model soup (stance.training.soup): the stages of every ingredient, shared ones once
        chains = [_ingredient_stages(Path(p)) for p in soup["ingredients"]]
        stages = list({json.dumps(st, sort_keys=True): st for chain in chains for st in chain}.values())
        args = {"soup": soup, "ingredient_stages": chains}
    else:
        stages = training_stages(run_dir)
        args = stages[-1]
    commands = [command] if isinstance(command, str) else list(command)
    summary_file = run_dir / "training_summary.json"
    summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.is_file() else {}
    best_cfg = json.loads((best / "config.json").read_text(encoding="utf-8"))["stance"].get("training", {})
    training = {
        "command": "\n".join(c for c in commands if c),
        "args": args,
        "stages": stages,
        "best_step": best_cfg.get("best_step"),
        "validation": best_cfg.get("validation"),
        "train_seconds": summary.get("train_seconds"),
    }
    if soup is not None:
        training["soup"] = soup
    if lora_rank and not model.is_adapter:
        raise ValueError(f"--lora-rank applies to adapter runs; {run_dir} holds full weights")
    out = model.save_pretrained(out_dir, dtype=torch.float16, extra_config={"training": training})
    if lora_rank:
        training["lora_rank_truncation"] = truncate_lora_rank(out, lora_rank)
        # saved once more through the model, so that the card describes the adapter as it now is
        truncated = StanceModel.from_pretrained(out, merge_adapter=False)
        out = truncated.save_pretrained(out_dir, dtype=torch.float16, extra_config={"training": training})
    return out


def _lora_scaling(cfg: dict[str, Any], module: str) -> float:
    """peft's scaling of one module: ``alpha / r`` (``alpha / sqrt(r)`` with rsLoRA), patterns applied."""
    r = next((v for k, v in cfg.get("rank_pattern", {}).items() if module.endswith(k)), cfg["r"])
    alpha = next((v for k, v in cfg.get("alpha_pattern", {}).items() if module.endswith(k)), cfg["lora_alpha"])
    return alpha / (r**0.5 if cfg.get("use_rslora") else r)


def truncate_lora_rank(model_dir: str | Path, rank: int) -> dict[str, Any]:
    """Cut a LoRA adapter directory down to ``rank`` in place: each module's update
    ``scaling * B @ A`` is replaced by its best rank-``rank`` approximation (truncated SVD),
    stored as ``B' @ A'`` with scaling 1 (``r = lora_alpha = rank``).

    The adapter shrinks by ``rank / r``; the update it applies changes only by the singular
    values dropped, reported per module as the share of the update's squared norm kept
    (``energy_kept``). Validate the result before shipping it: the figures of the full-rank
    adapter do not carry over.

    Returns:
        ``{"from_rank", "to_rank", "modules", "energy_kept_min", "energy_kept_mean"}``, also
        written to ``config.json`` under ``stance.training.lora_rank_truncation``.

    Raises:
        FileNotFoundError: ``model_dir`` is not an adapter directory.
        ValueError: ``rank`` is not a positive int below the adapter's rank.
    """
    import torch
    from safetensors.torch import load_file, save_file

    model_dir = Path(model_dir)
    cfg_file, weights = model_dir / "adapter_config.json", model_dir / "adapter_model.safetensors"
    if not cfg_file.is_file() or not weights.is_file():
        raise FileNotFoundError(f"{model_dir} is not a LoRA adapter directory (adapter_config.json and weights)")
    cfg = json.loads(cfg_file.read_text(encoding="utf-8"))
    old = int(cfg["r"])
    if isinstance(rank, bool) or not isinstance(rank, int) or not 0 < rank < old:
        raise ValueError(f"rank must be an int in [1, {old - 1}] (the adapter's rank is {old}), got {rank!r}")
    if cfg.get("rank_pattern") or cfg.get("alpha_pattern"):
        raise ValueError(f"{cfg_file} has per-module rank or alpha patterns; truncation supports one rank")
    state = load_file(str(weights))
    out: dict[str, torch.Tensor] = {}
    kept: list[float] = []
    for key in sorted(state):
        if ".lora_A." not in key:
            if ".lora_B." not in key:
                out[key] = state[key]
            continue
        b_key = key.replace(".lora_A.", ".lora_B.")
        a, b = state[key].double(), state[b_key].double()
        delta = _lora_scaling(cfg, key.split(".lora_A.")[0]) * (b @ a)
        u, sv, vh = torch.linalg.svd(delta, full_matrices=False)
        root = sv[:rank].sqrt()
        out[key] = (root[:, None] * vh[:rank]).to(state[key].dtype).contiguous()
        out[b_key] = (u[:, :rank] * root[None, :]).to(state[b_key].dtype).contiguous()
        total = float((sv**2).sum())
        kept.append(float((sv[:rank] ** 2).sum()) / total if total > 0 else 1.0)
    if not kept:
        raise ValueError(f"{weights} holds no lora_A/lora_B tensors")
    save_file(out, str(weights), metadata={"format": "pt"})
    cfg.update(r=rank, lora_alpha=rank, use_rslora=False)
    cfg_file.write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    record = {
        "from_rank": old,
        "to_rank": rank,
        "modules": len(kept),
        "energy_kept_min": round(min(kept), 4),
        "energy_kept_mean": round(sum(kept) / len(kept), 4),
    }
    config_file = model_dir / "config.json"
    if config_file.is_file():
        config = json.loads(config_file.read_text(encoding="utf-8"))
        config.setdefault("stance", {}).setdefault("training", {})["lora_rank_truncation"] = record
        config_file.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    logger.info(
        "%s: LoRA rank %d -> %d, update energy kept %.4f (min %.4f)",
        model_dir,
        old,
        rank,
        record["energy_kept_mean"],
        record["energy_kept_min"],
    )
    return record


_corpus = training_corpus  # the names earlier versions used
_distillation = distillation_summary


def _adapter_config(model_dir: Path) -> dict[str, Any]:
    """The adapter's ``adapter_config.json`` ({} for a model with full weights)."""
    f = model_dir / "adapter_config.json"
    return json.loads(f.read_text(encoding="utf-8")) if f.is_file() else {}


def write_card(
    model_dir: str | Path, results_dir: str | Path, *, speed_file: str | Path | None = None, history: str = ""
) -> Path:
    """Write ``model_dir/README.md`` from the harness results of this model (``history``: a
    document with its training history, linked from the card; a local file is linked by its
    path relative to ``model_dir``).

    Raises:
        FileNotFoundError: ``results_dir`` holds no result of this model.
    """
    model_dir = Path(model_dir)
    block = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))["stance"]
    name = model_dir.name
    results = read_eval_results(results_dir, name)
    if not results:
        raise FileNotFoundError(
            f"no harness results for {name} in {results_dir}: run `stance evaluate TASK --model {model_dir} "
            f"--output-dir {results_dir}` (or `python benchmarks/run_all.py --model-dir {model_dir}`) first"
        )
    speed = {}
    if speed_file and Path(speed_file).is_file():
        speed = json.loads(Path(speed_file).read_text(encoding="utf-8"))
    data = card_from_config(
        block, model_name=name, eval_results=results, speed=speed, history=history, adapter=_adapter_config(model_dir)
    )
    if history and Path(history).exists():
        data.history_href = os.path.relpath(Path(history).resolve(), model_dir.resolve())
    from stance.models import SHIPPED_MODELS

    data.load_name = next((k for k, v in SHIPPED_MODELS.items() if v == name), "")
    return write_model_card(model_dir, data)


LOG_LEVEL = logging.INFO  # `stance export` logs what it wrote like `python -m stance.training.export`


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``stance export {weights,card}`` / ``python -m stance.training.export`` arguments."""
    sub = parser.add_subparsers(dest="what", required=True)
    w = sub.add_parser("weights", help="export the best checkpoint of a run as fp16")
    w.add_argument("--run", required=True)
    w.add_argument("--out", required=True)
    w.add_argument(
        "--command",
        action="append",
        default=[],
        help="the exact training command, recorded in the card; repeat it once per stage, oldest first",
    )
    w.add_argument(
        "--lora-rank",
        type=int,
        default=0,
        help="truncate an adapter run's LoRA update to this rank by SVD (smaller files; validate the result)",
    )
    w.add_argument(
        "--precision",
        choices=("fp32", "bf16", "auto"),
        default=None,
        help="the precision the model loads at by default (stance.precision in config.json); default fp32",
    )
    w.add_argument(
        "--version",
        default=None,
        help="the release's version (stance.version in config.json; results name the model NAME@VERSION)",
    )
    c = sub.add_parser("card", help="write the model card from harness results")
    c.add_argument("--model", required=True)
    c.add_argument("--results", default="benchmarks/results")
    c.add_argument("--speed", default=None)
    c.add_argument("--history", default="", help="link to a document with the model's training history")


def run(args: argparse.Namespace) -> int:
    """Export the weights or write the card; log the path written."""
    if args.what == "weights":
        out = export_weights(
            args.run,
            args.out,
            command=args.command,
            lora_rank=args.lora_rank,
            precision=args.precision,
            version=args.version,
        )
        logger.info("wrote %s", out)
    else:
        logger.info("wrote %s", write_card(args.model, args.results, speed_file=args.speed, history=args.history))
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m stance.training.export {weights,card} ...`` (= ``stance export``)."""
    parser = argparse.ArgumentParser(prog="python -m stance.training.export")
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=LOG_LEVEL)
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
