"""Model soups: average the weights of fine-tuned models that share an initialisation.

Fine-tuning runs that start from the same checkpoint tend to land in one basin, and the
average of their weights often scores better than any of them (Wortsman et al., "Model
soups", ICML 2022). A soup costs no training, only an evaluation, and is one model at
inference time (unlike an ensemble).

The output is a *run folder* like a training run's: ``OUT/best/`` holds the averaged model
and ``OUT/soup.json`` records the ingredients, their weights and (with ``--validate``) the
validation scores, so :func:`stance.training.export.export_weights` can ship it with its
provenance.

Example:
    $ stance soup runs/stage3 runs/stage3f --out runs/soup-3-3f \\
        --validate configs/stance-minilm-stage3.json
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

from stance.models.modeling import CALIBRATION_FIELDS
from stance.training.validate import model_dir, validation_scorer

logger = logging.getLogger(__name__)

SOUP_FILE = "soup.json"

# Fields of the ``stance`` block that may differ between ingredients: run metadata, the
# inference-time sentiment mode (the soup takes ``sentiment_windows``) and post-hoc
# calibrations, which the soup resets (recalibrate it with ``stance.training.calibrate``).
_FREE_HEAD_FIELDS = frozenset({"training", "sentiment_windows", "max_length", *CALIBRATION_FIELDS})


@dataclass(frozen=True)
class SoupRecipe:
    """What went into a soup.

    Attributes:
        ingredients: Model directories (or run folders, whose ``best/`` is used), in order.
        weights: One non-negative weight per ingredient, summing to 1.
        sentiment_windows: The soup's sentiment mode (``"shared"``/``"focused"``).
        validation: Validation scores of the soup (empty when not validated).
    """

    ingredients: tuple[str, ...]
    weights: tuple[float, ...]
    sentiment_windows: str = "shared"
    validation: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["ingredients"], d["weights"] = list(self.ingredients), list(self.weights)
        return d


def check_weights(weights: Sequence[float] | None, n: int) -> tuple[float, ...]:
    """Uniform weights for ``None``; otherwise check there are ``n`` of them, >= 0, summing to 1.

    Example:
        >>> check_weights(None, 4)
        (0.25, 0.25, 0.25, 0.25)
    """
    if n < 2:
        raise ValueError(f"a soup needs at least two models, got {n}")
    if weights is None:
        return tuple(1.0 / n for _ in range(n))
    w = tuple(float(x) for x in weights)
    if len(w) != n:
        raise ValueError(f"got {len(w)} weights for {n} models: give one weight per model")
    if any(x < 0 for x in w) or abs(sum(w) - 1.0) > 1e-6:
        raise ValueError(f"soup weights must be >= 0 and sum to 1, got {list(w)}")
    return w


def _comparable_config(path: Path) -> dict[str, Any]:
    from stance.models.modeling import StanceHeadConfig

    cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
    full = asdict(StanceHeadConfig.from_dict(cfg.pop("stance", {})))
    head = {k: v for k, v in full.items() if k not in _FREE_HEAD_FIELDS}
    # keys this version does not model (e.g. the training provenance) travel in "extra"
    head["extra"] = {k: v for k, v in head.get("extra", {}).items() if k not in _FREE_HEAD_FIELDS}
    for key in ("_name_or_path", "transformers_version", "torch_dtype", "dtype"):
        cfg.pop(key, None)
    return {"encoder": cfg, "stance": head}


def average_state_dicts(states: Sequence[dict[str, torch.Tensor]], weights: Sequence[float]) -> dict[str, torch.Tensor]:
    """Weighted average of floating-point tensors; other tensors must be equal and are kept.

    Raises:
        ValueError: The state dicts differ in keys or shapes, or in a non-float tensor.

    Example:
        >>> a, b = {"w": torch.zeros(2)}, {"w": torch.ones(2)}
        >>> average_state_dicts([a, b], [0.25, 0.75])["w"].tolist()
        [0.75, 0.75]
    """
    weights = check_weights(weights, len(states))
    keys = list(states[0])
    for i, state in enumerate(states[1:], start=1):
        if set(state) != set(keys):
            diff = sorted(set(state) ^ set(keys))[:5]
            raise ValueError(
                f"model {i} has different parameters from model 0 (e.g. {diff}): soups need one architecture"
            )
    out: dict[str, torch.Tensor] = {}
    for key in keys:
        tensors = [s[key] for s in states]
        if any(t.shape != tensors[0].shape for t in tensors):
            raise ValueError(
                f"parameter {key} has different shapes {[tuple(t.shape) for t in tensors]}: soups need one architecture"
            )
        if tensors[0].is_floating_point():
            acc = torch.zeros_like(tensors[0], dtype=torch.float32)
            for w, t in zip(weights, tensors):
                acc += w * t.float()
            out[key] = acc
        else:
            if any(not torch.equal(t, tensors[0]) for t in tensors[1:]):
                raise ValueError(f"non-float tensor {key} differs between models; it cannot be averaged")
            out[key] = tensors[0].clone()
    return out


def make_soup(
    models: Sequence[str | Path], *, weights: Sequence[float] | None = None, sentiment_windows: str = "shared"
) -> Any:
    """Load the models and return one :class:`~stance.models.modeling.StanceModel` with averaged weights.

    Args:
        models: Model directories or run folders (their ``best/``), all of one architecture,
            ideally fine-tuned from one checkpoint.
        weights: One weight per model (default: uniform).
        sentiment_windows: The soup's sentiment mode.

    Raises:
        ValueError: The models differ in architecture, head or tokenizer.

    Example:
        >>> soup = make_soup(["runs/a", "runs/b"])  # doctest: +SKIP
    """
    from stance.models.modeling import StanceModel
    from stance.models.windows import check_sentiment_windows

    check_sentiment_windows(sentiment_windows)
    dirs = [model_dir(m) for m in models]
    weights = check_weights(weights, len(dirs))
    reference = _comparable_config(dirs[0])
    for d in dirs[1:]:
        if _comparable_config(d) != reference:
            raise ValueError(
                f"{d} has a different encoder or head configuration from {dirs[0]}: "
                "only models of one architecture can be averaged"
            )
        if (d / "tokenizer.json").read_bytes() != (dirs[0] / "tokenizer.json").read_bytes():
            raise ValueError(
                f"{d / 'tokenizer.json'} differs from {dirs[0] / 'tokenizer.json'}: soups need one tokenizer"
            )
    loaded = [StanceModel.from_pretrained(d) for d in dirs]
    soup = loaded[0]
    soup.load_state_dict(average_state_dicts([m.state_dict() for m in loaded], weights))
    soup.head_config.sentiment_windows = sentiment_windows
    soup.head_config.reset_calibrations()
    logger.info("soup of %d models; calibrations reset (run stance.training.calibrate on it)", len(dirs))
    soup.eval()
    return soup


def write_soup(
    models: Sequence[str | Path],
    out_dir: str | Path,
    *,
    weights: Sequence[float] | None = None,
    sentiment_windows: str = "shared",
    validate: str | Path | None = None,
    scores: dict[str, float] | None = None,
) -> SoupRecipe:
    """Average ``models`` into ``out_dir/best`` and record the recipe in ``out_dir/soup.json``.

    Args:
        models: As for :func:`make_soup`.
        out_dir: The soup's run folder.
        weights: One weight per model (default: uniform).
        sentiment_windows: The soup's sentiment mode.
        validate: A training config whose ``validation`` corpora score the soup (the same
            criterion as training-time model selection).
        scores: Validation scores already measured for this soup (e.g. by
            :func:`greedy_soup`), recorded instead of evaluating again; not with ``validate``.

    Returns:
        The recipe, with validation scores when ``validate`` was given.
    """
    if validate is not None and scores is not None:
        raise ValueError("pass validate (to score the soup) or scores (already measured), not both")
    weights = check_weights(weights, len(models))
    soup = make_soup(models, weights=weights, sentiment_windows=sentiment_windows)
    scores = dict(scores or {})
    if validate is not None:
        scores = validation_scorer(validate)(soup)
        logger.info("soup validation: %s", scores)
    recipe = SoupRecipe(
        ingredients=tuple(str(model_dir(m).resolve()) for m in models),
        weights=weights,
        sentiment_windows=sentiment_windows,
        validation=scores,
    )
    out = Path(out_dir)
    soup.save_pretrained(
        out / "best", dtype=torch.float32, extra_config={"training": {"soup": recipe.to_dict(), "validation": scores}}
    )
    (out / SOUP_FILE).write_text(json.dumps(recipe.to_dict(), indent=2) + "\n", encoding="utf-8")
    return recipe


def greedy_soup(
    candidates: Sequence[str | Path],
    validate: str | Path,
    *,
    sentiment_windows: str = "shared",
    show_progress_bar: bool = True,
) -> tuple[list[Path], list[dict[str, Any]]]:
    """Greedy soup (Wortsman et al., 2022, Recipe 1) on a config's validation criterion.

    Every candidate is scored alone; then, best first, a candidate joins the soup (a
    uniform average) only if the soup's validation ``score`` rises.

    Returns:
        The chosen model directories and a log of every evaluation
        (``{"models", "scores", "kept"}``).
    """
    from tqdm.auto import tqdm

    from stance.models.modeling import StanceModel

    dirs = [model_dir(c) for c in candidates]
    if len(dirs) < 2:
        raise ValueError(f"a greedy soup needs at least two candidates, got {len(dirs)}")
    score = validation_scorer(validate, require_selection=True)
    log: list[dict[str, Any]] = []
    singles: list[tuple[float, Path]] = []
    bar = tqdm(total=2 * len(dirs) - 1, desc="greedy soup", unit="eval", disable=not show_progress_bar)
    for d in dirs:
        model = StanceModel.from_pretrained(d)
        model.head_config.sentiment_windows = sentiment_windows
        scores = score(model)
        log.append({"models": [str(d)], "scores": scores, "kept": None})
        singles.append((scores["score"], d))
        bar.update(1)
    singles.sort(key=lambda t: -t[0])
    chosen, best = [singles[0][1]], singles[0][0]
    for _, d in singles[1:]:
        trial = [*chosen, d]
        scores = score(make_soup(trial, sentiment_windows=sentiment_windows))
        kept = scores["score"] > best
        log.append({"models": [str(x) for x in trial], "scores": scores, "kept": kept})
        if kept:
            chosen, best = trial, scores["score"]
        bar.update(1)
    bar.close()
    return chosen, log


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("models", nargs="+", help="model directories or run folders (their best/ is used)")
    parser.add_argument("--out", required=True, help="the soup's run folder (OUT/best, OUT/soup.json)")
    parser.add_argument(
        "--weights", type=float, nargs="+", default=None, help="one weight per model, summing to 1 (default: uniform)"
    )
    parser.add_argument("--sentiment-windows", default="shared", help="the soup's sentiment mode: shared or focused")
    parser.add_argument("--validate", default=None, help="a training config whose validation corpora score the soup")
    parser.add_argument(
        "--greedy",
        action="store_true",
        help="choose the ingredients greedily on --validate (best single model first; "
        "each next one joins only if the score rises); the log goes to OUT/greedy.json",
    )


def run(args: argparse.Namespace) -> int:
    """``stance soup ...`` / ``python -m stance.training.soup ...``."""
    models = args.models
    if args.greedy:
        if args.validate is None or args.weights is not None:
            raise SystemExit(
                "stance soup: --greedy needs --validate CONFIG and takes no --weights (the soup is a uniform average)"
            )
        from stance.evaluation.results import provenance, write_result

        chosen, log = greedy_soup(models, args.validate, sentiment_windows=args.sentiment_windows)
        write_result(
            {
                "kind": "greedy-soup",
                **provenance(),
                "validate": str(args.validate),
                "sentiment_windows": args.sentiment_windows,
                "chosen": [str(c) for c in chosen],
                "evaluations": log,
            },
            Path(args.out) / "greedy.json",
        )
        if len(chosen) == 1:
            logger.warning(
                "no soup beat the best single model %s; nothing written but %s",
                chosen[0],
                Path(args.out) / "greedy.json",
            )
            return 0
        # the last kept trial is the chosen soup: record its scores rather than evaluating it again
        kept = next(e["scores"] for e in reversed(log) if e["kept"])
        recipe = write_soup(chosen, args.out, sentiment_windows=args.sentiment_windows, scores=kept)
    else:
        recipe = write_soup(
            models, args.out, weights=args.weights, sentiment_windows=args.sentiment_windows, validate=args.validate
        )
    logger.info("wrote %s: %s", Path(args.out) / SOUP_FILE, json.dumps(recipe.to_dict()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stance.training.soup", description="Average fine-tuned stance models (a model soup)."
    )
    add_arguments(parser)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
