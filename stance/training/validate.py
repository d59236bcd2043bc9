"""Score models on a training config's validation corpora: the model-selection criterion.

``stance train`` selects checkpoints on the mean of its config's validation scores; this
module computes the same numbers for any model directory (a shipped model, another run's
``best/``, a soup), optionally reading sentiment in the other window mode, so that
candidates are compared on exactly the criterion training used.

Example:
    $ stance validate stance/resources/models/stance-minilm runs/stance-minilm-distill \\
        --config configs/stance-minilm-stage3.json --data-root ../shared/data --sentiment-windows shared focused
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from stance.training.config import add_config_arguments

logger = logging.getLogger(__name__)

__all__ = ["validation_scorer", "validate_models", "add_arguments", "run"]


def model_dir(path: str | Path) -> Path:
    """``path`` if it is a model directory, else ``path/best`` (a run folder).

    Raises:
        FileNotFoundError: Neither holds a ``config.json`` and weights (``model.safetensors``,
            or an adapter's ``adapter_config.json``).
    """
    path = Path(path)
    for candidate in (path, path / "best"):
        weights = (candidate / "model.safetensors").is_file() or (candidate / "adapter_config.json").is_file()
        if (candidate / "config.json").is_file() and weights:
            return candidate
    raise FileNotFoundError(f"{path} is neither a stance model directory nor a run folder with best/ inside")


def validation_scorer(
    config: str | Path,
    *,
    require_selection: bool = False,
    data_root: str | Path | None = None,
    runs_dir: str | Path | None = None,
) -> Callable[[Any], dict[str, float]]:
    """``model -> scores`` on the validation corpora of a training config (loaded once).

    The scores are those ``stance train`` logs at each evaluation: one per corpus
    (``"name:split"``), the selection mean ``"score"`` over corpora without ``monitor``
    and the mean ``"monitor"`` over those with it (each present when it averages
    something). A config of monitored corpora only, such as
    ``configs/experiments/guard-untrained-stance.json``, scores what a model keeps on tasks
    it was not trained on.

    Args:
        config: A training config file.
        require_selection: Refuse a config whose corpora are all monitored (callers that
            select on ``"score"``).
        data_root, runs_dir: The config's ``${data_root}`` and ``${runs}`` (default: the
            environment; see :mod:`stance.training.config`).

    Raises:
        ValueError: The config has no validation corpora, or (``require_selection``) none
            that is not monitored.
    """
    import torch

    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    args = TrainingArguments.from_json(config, data_root=data_root, runs_dir=runs_dir)
    if args.num_threads:
        torch.set_num_threads(args.num_threads)
    if not args.validation:
        raise ValueError(f"{config} has no validation corpora: add a 'validation' list to score models on it")
    if require_selection and all(spec.monitor for spec in args.validation):
        raise ValueError(f"{config}: every validation corpus has monitor: true; selection needs one without it")
    data = Trainer(args).validation_data()

    def score(model: Any) -> dict[str, float]:
        return Trainer(args, model=model).evaluate(data)

    return score


def validate_models(
    models: Sequence[str | Path],
    config: str | Path,
    *,
    sentiment_windows: Sequence[str] = ("shared",),
    precisions: Sequence[str | None] = (None,),
    data_root: str | Path | None = None,
    runs_dir: str | Path | None = None,
) -> list[dict[str, Any]]:
    """Each model's validation scores under each sentiment-window mode and precision.

    Args:
        models: Model directories, or run folders (their ``best/`` is used).
        config: A training config with validation corpora.
        sentiment_windows: Modes to read sentiment in (``"shared"``, ``"focused"``); the
            model's own setting is restored afterwards.
        precisions: Inference precisions (``"fp32"``, ``"bf16"``, ``"auto"``; None = the
            precision the model declares); see :mod:`stance.models.precision`.
        data_root, runs_dir: The config's ``${data_root}`` and ``${runs}`` (default: the environment).

    Returns:
        One row per (model, mode, precision): ``{"model", "sentiment_windows", "precision",
        "scores"}`` (``precision`` as resolved: ``"fp32"`` or ``"bf16"``).

    Raises:
        ValueError: Unknown mode or precision, or no models.
    """
    from stance.models import load_model
    from stance.models.precision import check_precision
    from stance.models.windows import check_sentiment_windows

    if not models:
        raise ValueError("validate: name at least one model directory")
    for mode in sentiment_windows:
        check_sentiment_windows(mode)
    for precision in precisions:
        if precision is not None:
            check_precision(precision)
    score = validation_scorer(config, data_root=data_root, runs_dir=runs_dir)
    rows = []
    for path in models:
        directory = model_dir(path)
        model = load_model(directory, cache=False)
        own = model.head_config.sentiment_windows
        for precision in precisions:
            model.set_precision(precision if precision is not None else model.head_config.precision)
            for mode in sentiment_windows:
                model.head_config.sentiment_windows = mode
                scores = score(model)
                logger.info("%s (%s windows, %s): %s", directory, mode, model.precision, json.dumps(scores))
                rows.append(
                    {"model": str(directory), "sentiment_windows": mode, "precision": model.precision, "scores": scores}
                )
        model.head_config.sentiment_windows = own
    return rows


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("models", nargs="+", help="model directories or run folders (their best/ is used)")
    parser.add_argument("--config", required=True, help="a training config whose validation corpora score the models")
    parser.add_argument(
        "--sentiment-windows",
        nargs="+",
        default=["shared"],
        help="read sentiment in these modes (one or more of: shared, focused)",
    )
    parser.add_argument(
        "--precision",
        nargs="+",
        default=[None],
        help="inference precisions to score at (one or more of: fp32, bf16, auto; default: what each model declares)",
    )
    parser.add_argument(
        "--out", default=None, help="also write the scores as JSON (with commit, versions, hardware, date)"
    )
    add_config_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """``stance validate ...``: prints one line per model and mode, the means last."""
    try:
        rows = validate_models(
            args.models,
            args.config,
            sentiment_windows=args.sentiment_windows,
            precisions=args.precision,
            data_root=args.data_root,
            runs_dir=args.runs_dir,
        )
    except ValueError as err:
        raise SystemExit(f"stance validate: {err}") from None
    for row in rows:
        scores = row["scores"]
        parts = "  ".join(f"{k}={v:.4f}" for k, v in scores.items() if k not in ("score", "monitor"))
        means = "".join(
            f"  {label}={scores[key]:.4f}"
            for key, label in (("score", "mean"), ("monitor", "monitor_mean"))
            if key in scores
        )
        sys.stdout.write(f"{row['model']} [{row['sentiment_windows']}, {row['precision']}]  {parts}{means}\n")
    if args.out:
        from stance.evaluation.results import provenance, write_result

        write_result({"kind": "validation", "config": str(args.config), **provenance(), "rows": rows}, args.out)
    return 0
