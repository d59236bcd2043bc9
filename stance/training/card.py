"""Model cards generated from real evaluation results (never typed by hand).

The rendering lives on the inference side, in :mod:`stance.models.card`, so that
:meth:`stance.models.StanceModel.save_pretrained` writes a card into every model directory;
this module re-exports it and adds what needs the evaluation harness: reading a model's
harness results (:func:`read_eval_results`, rows of ``benchmarks/results/harness/TASK.json``).

Example:
    >>> data = ModelCardData(model_name="stance-minilm", eval_results=[])
    >>> render_model_card(data).startswith("---")
    True
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from stance.evaluation.results import model_key, read_harness
from stance.models.card import (
    BASE_MODEL_IDS,
    DATASET_LICENCES,
    TASK_TYPES,
    ModelCardData,
    card_from_config,
    distillation_summary,
    render_model_card,
    training_corpus,
    write_model_card,
)

__all__ = [
    "BASE_MODEL_IDS",
    "DATASET_LICENCES",
    "TASK_TYPES",
    "ModelCardData",
    "card_from_config",
    "distillation_summary",
    "render_model_card",
    "training_corpus",
    "write_model_card",
    "load_eval_results",
    "read_eval_results",
]


def load_eval_results(paths: Iterable[str | Path], model_name: str | None = None) -> list[dict[str, Any]]:
    """Read harness JSON files (one record each, or a task file's rows), keeping ``model_name``'s if given.

    Example:
        >>> load_eval_results([])
        []
    """
    out = []
    for p in paths:
        data = json.loads(Path(p).read_text(encoding="utf-8"))
        rows = data.get("results") or [] if data.get("kind") == "harness" else [data]
        out += [r for r in rows if model_name is None or model_key(r.get("model")) == model_key(model_name)]
    return out


def read_eval_results(results_dir: str | Path, model_name: str) -> list[dict[str, Any]]:
    """The harness results of ``model_name`` in a results folder (its variants, e.g. ``@onnx``, left out).

    Example:
        >>> import tempfile
        >>> read_eval_results(tempfile.mkdtemp(), "stance-minilm")
        []
    """
    return read_harness(results_dir, model=model_name)
