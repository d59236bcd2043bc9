"""Evaluate a baseline or a trained model on one benchmark task.

:func:`evaluate_task` loads the corpus, fits the baseline on the task's train split (if it
is a baseline), predicts the evaluation split, scores it and returns a JSON-safe dict
with the metrics, the published results for comparison and full provenance.

Example:
    >>> result = evaluate_task("park-dse", "../shared/data/directed-sentiment-park2021",
    ...                        model="tfidf")  # doctest: +SKIP
    >>> round(result["metrics"]["macro_f1"], 2)  # doctest: +SKIP
    0.61
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

import numpy as np

from stance.evaluation.baselines import BASELINES, Baseline, baseline_names, make_baseline
from stance.evaluation.results import git_commit, provenance
from stance.evaluation.tasks import Task, get_task

logger = logging.getLogger(__name__)

__all__ = ["evaluate_task", "result_record", "resolve_model", "DEFAULT_MODEL_NAME"]

# The shipped model reports under its directory name, so its results files and its model
# card agree whichever way it was selected (``--model`` omitted or given as a path).
from stance.models import DEFAULT_MODEL_NAME  # noqa: E402

#: Suffixes of a model directory naming a variant: ``@int8`` (dynamic int8 quantisation),
#: ``@onnx`` (encoder on ONNX Runtime), ``@focused`` (sentiment in focused windows, see
#: :meth:`stance.models.StanceModel.score`).
MODEL_VARIANTS = ("@int8", "@onnx", "@focused", "@fp32", "@bf16")


def resolve_model(model: Any) -> tuple[Any, str]:
    """Turn ``model`` into a predictor and the name to report.

    Args:
        model: A baseline name (``"tfidf"``), a shipped model by name (``"fast"``,
            ``"accurate"``; reported under its folder name), a model directory (loaded with
            ``stance.models.load_model(path)``; a Hub id ``owner/name`` in the local Hugging
            Face cache likewise; ``DIR@int8`` quantised, ``DIR@onnx`` with
            the encoder on ONNX Runtime, ``DIR@focused`` reading sentiment in focused
            windows, ``DIR@fp32`` / ``DIR@bf16`` at that precision instead of ``"auto"``;
            see :data:`MODEL_VARIANTS`), ``None`` for the shipped default model,
            or an object that already has ``predict_pairs``/``predict_sentiment``.

    Returns:
        ``(predictor, name)``.

    Raises:
        ValueError: Unknown name, or no shipped default model (pass a model instead).

    Example:
        >>> resolve_model("majority")[1]
        'majority'
    """
    if model is None:
        from stance.models import load_model

        try:
            return load_model(), DEFAULT_MODEL_NAME
        except FileNotFoundError as err:
            raise ValueError(
                f"no default model is shipped yet ({err}); pass --model with a baseline "
                f"({', '.join(baseline_names())}) or a trained model directory"
            ) from err
    if isinstance(model, (str, os.PathLike)):
        name = os.fspath(model)
        if name in BASELINES:
            return make_baseline(name), name
        variant = None
        for suffix in MODEL_VARIANTS:
            if name.endswith(suffix):
                name, variant = name[: -len(suffix)], suffix[1:]
        from stance.models import SHIPPED_MODELS, shipped_model_path

        if name in SHIPPED_MODELS:
            from stance.models import load_model

            shipped = SHIPPED_MODELS[name]
            suffix = f"@{variant}" if variant else ""
            if variant is None:
                return load_model(name), shipped
            name = str(shipped_model_path(name))
            predictor, _ = resolve_model(name + suffix)
            return predictor, shipped + suffix
        from stance.models.base import is_hub_id

        if Path(name).is_dir() or is_hub_id(name):  # a Hub id loads from the local Hugging Face cache
            from stance.models import load_model

            if variant == "int8":
                return load_model(name, quantize="int8"), name + "@int8"
            if variant == "onnx":
                return load_model(name, backend="onnx"), name + "@onnx"
            if variant == "focused":
                focused = load_model(name, cache=False)  # a private copy: the cached model keeps its setting
                focused.head_config.sentiment_windows = "focused"
                return focused, name + "@focused"
            if variant in ("fp32", "bf16"):
                return load_model(name, precision=variant), f"{name}@{variant}"
            return load_model(name), name
        raise ValueError(f"unknown model {name!r}: not a baseline ({', '.join(baseline_names())}) and not a directory")
    if hasattr(model, "predict_pairs") or hasattr(model, "predict_sentiment"):
        return model, getattr(model, "name", type(model).__name__)
    raise ValueError(f"cannot use {type(model).__name__} as a model")


def _is_stance_model(predictor: Any) -> bool:
    from stance.models.modeling import StanceModel

    return isinstance(predictor, StanceModel)


def _split(dd: Any, name: str, task: Task, role: str) -> list[dict[str, Any]]:
    if name not in dd:
        raise ValueError(f"task {task.name!r} has no {role} split {name!r}; available splits: {sorted(dd)}")
    return dd[name].to_list()


def _fit(predictor: Baseline, task: Task, dd: Any, split: str) -> dict[str, Any]:
    if split == task.train_split:
        raise ValueError(
            f"baselines of {task.name!r} are fitted on {task.train_split!r}; evaluate them on another split"
        )
    train = _split(dd, task.train_split, task, "train")
    tune_name = task.tune_split if task.tune_split in dd and task.tune_split not in (split, task.train_split) else None
    tune = dd[tune_name].to_list() if tune_name else None
    logger.info(
        "fitting %s on %s (%d rows)%s",
        predictor.name,
        task.train_split,
        len(train),
        f", tuning on {tune_name} ({len(tune or [])} rows)" if tune_name else "",
    )
    predictor.fit(train, tune, average=task.tune_average)
    return {"train_split": task.train_split, "n_train": len(train), "tune_split": tune_name, **predictor.info}


def predict_probs(
    predictor: Any, family: str, records: list[dict[str, Any]], batch_size: int = 32, progress: bool = False
) -> np.ndarray:
    """Class probabilities of ``predictor`` for ``records`` of a task family (``pair`` or ``sentiment``)."""
    fn = predictor.predict_pairs if family == "pair" else predictor.predict_sentiment
    return np.asarray(fn(records, batch_size=batch_size, show_progress_bar=progress), dtype=float)


def evaluate_task(
    task: str | Task,
    data_dir: str | os.PathLike[str],
    model: Any = "tfidf",
    split: str | None = None,
    batch_size: int = 32,
    show_progress_bar: bool = False,
) -> dict[str, Any]:
    """Evaluate ``model`` on ``task`` and return the result record.

    Args:
        task: Task name (see :data:`stance.evaluation.tasks.TASKS`) or a :class:`Task`.
        data_dir: The corpus folder itself (e.g. ``../shared/data/vast``).
        model: Baseline name, model directory, ``None`` (shipped default) or a predictor.
        split: Evaluation split; default: the split the papers report.
        batch_size: Batch size passed to the predictor.
        show_progress_bar: Show a tqdm bar while predicting.

    Returns:
        ``{"kind": "evaluation", "task", "split", "model", "metrics", "n", "published",
        "commit", "versions", "hardware", "date", ...}``; ``fit`` says which splits a
        baseline learned from, ``notes`` carries the task's caveats, and each published row
        has ``comparable`` (same split as ours).

    Raises:
        ValueError: Unknown task/model/split, or a baseline that cannot do the task.

    Example:
        >>> evaluate_task("no-such-task", ".")
        Traceback (most recent call last):
        ...
        ValueError: unknown task 'no-such-task'; known tasks: emergent, ibm-claim-stance, ...
    """
    task = get_task(task)
    commit = git_commit()  # the code that runs is the code checked out now, not at the end
    predictor, model_name = resolve_model(model)
    model_precision = predictor  # the model itself, before an article-level wrapper
    if task.family == "e2e":
        return _evaluate_e2e(task, data_dir, predictor, model_name, split, show_progress_bar, commit)
    families = getattr(predictor, "families", ("pair", "sentiment"))
    if task.family not in families:
        raise ValueError(f"model {model_name!r} cannot do {task.family} task {task.name!r}")
    started = time.perf_counter()
    dd, split, records = _evaluation_records(task, data_dir, split)
    fit_info = _fit(predictor, task, dd, split) if isinstance(predictor, Baseline) and predictor.needs_fit else None
    article_level = task.article_level and _is_stance_model(predictor)
    if article_level:
        from stance.evaluation.article import ArticleSentimentPredictor

        predictor = ArticleSentimentPredictor(predictor)
    logger.info("predicting %d %s rows of %s with %s", len(records), split, task.name, model_name)
    probs = predict_probs(predictor, task.family, records, batch_size, show_progress_bar)
    protocol = predictor.info if article_level else None
    return result_record(
        task,
        split,
        model_name,
        records,
        probs,
        fit=fit_info,
        protocol=protocol,
        seconds=time.perf_counter() - started,
        commit=commit,
        precision=getattr(model_precision, "precision", None),
    )


def _evaluation_records(task: Task, data_dir: Any, split: str | None) -> tuple[Any, str, list[dict[str, Any]]]:
    """``(dataset dict, split name, rows)`` of the split a task is evaluated on (default: the task's own).

    Raises:
        ValueError: The split is missing or empty.
    """
    dd = task.load(os.fspath(data_dir))
    split = split or task.eval_split
    records = _split(dd, split, task, "evaluation")
    if not records:
        raise ValueError(f"split {split!r} of task {task.name!r} is empty")
    return dd, split, records


def _evaluate_e2e(
    task: Task,
    data_dir: Any,
    predictor: Any,
    model_name: str,
    split: str | None,
    show_progress_bar: bool,
    commit: dict[str, Any],
) -> dict[str, Any]:
    """An end-to-end task: every article of the split through the classify pipeline, scored as triplets."""
    if not _is_stance_model(predictor):
        raise ValueError(
            f"task {task.name!r} runs whole articles through stance.classify; model {model_name!r} cannot: "
            "pass a stance model (omit --model, 'fast', 'accurate' or a model directory)"
        )
    from stance.evaluation.e2e import article_texts
    from stance.pipeline import Pipeline

    started = time.perf_counter()
    _, split, records = _evaluation_records(task, data_dir, split)
    logger.info("classifying %d %s articles of %s with %s", len(records), split, task.name, model_name)
    pipeline = Pipeline(model=predictor)
    results = pipeline.classify_many(article_texts(records), batch_size=8, show_progress_bar=show_progress_bar)
    return {
        "kind": "evaluation",
        "task": task.name,
        "family": task.family,
        "split": split,
        "model": model_name,
        "precision": getattr(predictor, "precision", None),
        "metrics": task.score(records, results),
        "primary_metrics": list(task.primary_metrics),
        "n": len(records),
        "published": [{**row, "comparable": row["split"] == split} for row in task.published],
        "fit": None,
        "protocol": {
            "pipeline": "stance.pipeline.Pipeline(model).classify_many",
            "aggregation": pipeline.aggregation.to_dict(),
            "matching_rule": _matching_rule(),
        },
        "notes": list(task.notes),
        "seconds": round(time.perf_counter() - started, 1),
        **provenance(),
        "commit": commit,
    }


def _matching_rule() -> str:
    from stance.evaluation.e2e import MATCHING_RULE

    return MATCHING_RULE


def result_record(
    task: str | Task,
    split: str,
    model_name: str,
    records: list[dict[str, Any]],
    probs: Any,
    *,
    fit: dict[str, Any] | None = None,
    protocol: dict[str, Any] | None = None,
    seconds: float | None = None,
    commit: dict[str, Any] | None = None,
    precision: str | None = None,
) -> dict[str, Any]:
    """The harness result record for predictions already made (what :func:`evaluate_task` returns).

    For callers that predict a split once and use the probabilities twice, e.g.
    ``benchmarks/compare.py``, which bootstraps them and can also write them as results.

    Args:
        task: Task name or :class:`Task`.
        split: The split ``records`` come from.
        model_name: The name to report.
        records: The split's rows.
        probs: Class probabilities, one row per record.
        fit: What a fitted baseline learned from, if any.
        protocol: How an article-level task was scored, if it was.
        seconds: Wall time to report, if measured.
        commit: The commit the predictions were made at (default: now).
        precision: The precision a stance model ran at (``"fp32"``/``"bf16"``); None for
            baselines.

    Raises:
        ValueError: ``probs`` does not have one row per record.
    """
    task = get_task(task)
    probs = np.asarray(probs, dtype=float)
    if probs.ndim != 2 or probs.shape[0] != len(records):
        raise ValueError(f"probs must have one row per record: {len(records)} records, probs of shape {probs.shape}")
    return {
        "kind": "evaluation",
        "task": task.name,
        "family": task.family,
        "split": split,
        "model": model_name,
        "precision": precision,
        "metrics": task.score(records, probs),
        "primary_metrics": list(task.primary_metrics),
        "n": len(records),
        "published": [{**row, "comparable": row["split"] == split} for row in task.published],
        "fit": fit,
        "protocol": protocol,
        "notes": list(task.notes),
        "seconds": None if seconds is None else round(seconds, 1),
        **provenance(),
        "commit": commit if commit is not None else git_commit(),
    }
