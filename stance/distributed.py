"""Scale ``classify`` out over a corpus with Ray Data: one model per worker, many workers.

A corpus is a JSONL or Parquet file (or a folder of them, or a ``ray.data.Dataset``) with
one article per row in ``text_column``. Every worker process loads the spaCy pipeline and
the model once (:func:`stance.api.get_pipeline`) and classifies batches of articles with
:meth:`~stance.pipeline.Pipeline.classify_many`; each row gets a ``result`` column holding
``json.dumps(ArticleResult.to_dict())``. The other columns pass through unchanged, so keep
an id column to join results back (Ray may reorder rows between blocks).

Ray is optional: ``pip install "stance[ray]"``. It is imported only when these functions
run.

Example:
    >>> from stance.distributed import classify_ray, write_results  # doctest: +SKIP
    >>> ds = classify_ray("news.jsonl", text_column="body", concurrency=4)  # doctest: +SKIP
    >>> write_results(ds, "out/")  # a folder of JSONL files  # doctest: +SKIP
    >>> import json; json.loads(ds.take(1)[0]["result"])["positions"]  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

RESULT_COLUMN = "result"
_INSTALL_HINT = 'stance.distributed needs Ray Data: pip install "stance[ray]"'
_JSON_SUFFIXES = (".jsonl", ".json", ".ndjson", ".jsonl.gz", ".json.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")


def _ray() -> Any:
    """Import ``ray`` and ``ray.data`` or raise an ImportError that says how to install them."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError as err:
        raise ImportError(_INSTALL_HINT) from err
    return ray


def _format_of(path: Path) -> str:
    """``"parquet"``, ``"jsonl"`` (line-delimited) or ``"json"`` from a file name or a folder's files."""
    name = path.name.lower()
    if path.is_dir():
        names = [p.name.lower() for p in path.iterdir() if p.is_file()]
        if any(n.endswith(_PARQUET_SUFFIXES) for n in names):
            return "parquet"
        if any(n.endswith(_JSON_SUFFIXES) for n in names):
            return (
                "json"
                if all(n.endswith((".json", ".json.gz")) for n in names if n.endswith(_JSON_SUFFIXES))
                else "jsonl"
            )
        raise ValueError(f"{path} holds no .jsonl/.json/.parquet files")
    if name.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith((".jsonl", ".ndjson", ".jsonl.gz")):
        return "jsonl"
    if name.endswith((".json", ".json.gz")):
        return "json"
    raise ValueError(f"cannot tell the format of {path}: use a .jsonl, .json or .parquet file, or pass format=")


def read_corpus(path: str | Path | Sequence[str | Path], *, format: str | None = None) -> Any:  # noqa: A002
    """Read a JSONL/JSON/Parquet corpus (a file, a folder, or a list of them) as a ``ray.data.Dataset``.

    Args:
        path: File(s) or folder(s); local paths are made absolute.
        format: ``"jsonl"``, ``"json"`` or ``"parquet"`` (default: from the first path's name).

    Raises:
        ImportError: Ray Data is not installed.
        FileNotFoundError: A path does not exist.
        ValueError: The format cannot be told or is unknown.

    Example:
        >>> ds = read_corpus("news.jsonl")  # doctest: +SKIP
        >>> ds.schema()  # doctest: +SKIP
    """
    paths = [Path(p) for p in ([path] if isinstance(path, (str, Path)) else path)]
    if not paths:
        raise ValueError("no input paths")
    for p in paths:
        if not p.exists():
            raise FileNotFoundError(f"no corpus at {p}")
    fmt = format or _format_of(paths[0])
    files = [str(p.resolve()) for p in paths]
    ray = _ray()
    if fmt == "parquet":
        return ray.data.read_parquet(files)
    if fmt == "jsonl":
        return ray.data.read_json(files, lines=True)
    if fmt == "json":
        return ray.data.read_json(files)
    raise ValueError(f"unknown format {fmt!r}: use 'jsonl', 'json' or 'parquet'")


class _ClassifyBatch:
    """Ray Data callable class: one pipeline per worker, ``classify_many`` per batch."""

    def __init__(
        self,
        model: str | None,
        text_column: str,
        targets: list[str] | None,
        model_batch_size: int,
        torch_threads: int,
        device: str | None,
    ) -> None:
        import torch

        torch.set_num_threads(max(1, torch_threads))
        from stance.api import get_pipeline

        if device is not None:
            from stance.models import load_model

            self._pipeline = get_pipeline(load_model(model, device=device))
        else:
            self._pipeline = get_pipeline(model)
        self._text_column = text_column
        self._targets = targets
        self._batch_size = model_batch_size

    def __call__(self, batch: Any) -> Any:
        if self._text_column not in batch.columns:
            raise KeyError(f"no column {self._text_column!r} in the corpus; columns: {list(batch.columns)}")
        texts = ["" if t is None else str(t) for t in batch[self._text_column].tolist()]
        results = self._pipeline.classify_many(texts, self._targets, batch_size=self._batch_size)
        batch = batch.copy()
        batch[RESULT_COLUMN] = [json.dumps(r.to_dict(), ensure_ascii=False) for r in results]
        return batch


def classify_ray(
    dataset_or_path: Any,
    *,
    text_column: str = "text",
    targets: Sequence[str] | None = None,
    model: str | Path | None = None,
    batch_size: int = 8,
    num_cpus_per_worker: float = 1,
    num_gpus_per_worker: float = 0,
    concurrency: int | tuple[int, int] | None = None,
    format: str | None = None,  # noqa: A002
) -> Any:
    """Classify every article of a corpus with Ray Data; returns a lazy ``ray.data.Dataset``.

    Each row keeps its columns and gets ``result``: the JSON of
    :meth:`~stance.results.ArticleResult.to_dict` (what :func:`stance.classify` returns for
    that text). Nothing runs until the dataset is consumed (``write_results``, ``take``,
    ``iter_rows``...). Ray starts a local instance if none is running
    (``ray.init(address=...)`` first to use a cluster).

    Args:
        dataset_or_path: A ``ray.data.Dataset``, or a JSONL/JSON/Parquet file or folder
            (see :func:`read_corpus`).
        text_column: The column holding each article's text.
        targets: Issues to judge every actor against, as for :func:`stance.classify`.
        model: A model directory (every worker loads it), or None for the shipped model.
        batch_size: Articles per batch handed to a worker (and per ``classify_many`` batch).
        num_cpus_per_worker: CPUs reserved per worker; torch uses as many threads.
        num_gpus_per_worker: GPUs per worker (> 0 puts each worker's model on CUDA).
        concurrency: Workers: ``n`` for a fixed pool, ``(min, max)`` for an autoscaling one,
            None for Ray's default (autoscaling from 1, bounded by free CPUs). Leave CPUs
            for reading: workers x ``num_cpus_per_worker`` must stay below the cluster's
            CPUs, or the read tasks never get one and the run waits forever.
        format: Input format when reading a path (see :func:`read_corpus`).

    Returns:
        The ``ray.data.Dataset`` with the ``result`` column added.

    Raises:
        ImportError: Ray Data is not installed (``pip install "stance[ray]"``).
        TypeError: ``model`` is a loaded model (pass its directory: ``model.save_pretrained(dir)``)
            or ``targets`` is a string.
        ValueError: A bad ``batch_size``, ``num_cpus_per_worker`` or ``concurrency``.

    Example:
        >>> ds = classify_ray("news.parquet", text_column="body", concurrency=8)  # doctest: +SKIP
        >>> write_results(ds, "results/", format="parquet")  # doctest: +SKIP
    """
    if model is not None and not isinstance(model, (str, Path)):
        raise TypeError("model must be a model directory or None (save a loaded model with model.save_pretrained(dir))")
    if isinstance(targets, str):
        raise TypeError("targets must be a list of strings, e.g. targets=['military action against Iran']")
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    if num_cpus_per_worker <= 0:
        raise ValueError("num_cpus_per_worker must be > 0")
    if isinstance(concurrency, int):
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
    elif concurrency is not None:
        lo, hi = concurrency
        if lo < 1 or hi < lo:
            raise ValueError("concurrency=(min, max) needs 1 <= min <= max")
    ray = _ray()
    if isinstance(dataset_or_path, (str, Path, list, tuple)):
        ds = read_corpus(dataset_or_path, format=format)
    else:
        ds = dataset_or_path
    compute = None
    if isinstance(concurrency, int):
        compute = ray.data.ActorPoolStrategy(size=concurrency)
    elif concurrency is not None:
        compute = ray.data.ActorPoolStrategy(min_size=concurrency[0], max_size=concurrency[1])
    if concurrency is not None and ray.is_initialized():
        workers = concurrency if isinstance(concurrency, int) else concurrency[1]
        total = float(ray.cluster_resources().get("CPU", 0))
        if total and workers * num_cpus_per_worker >= total:
            logger.warning(
                "concurrency=%s x num_cpus_per_worker=%s takes all %g CPUs of the cluster: nothing is left to read "
                "the corpus and Ray Data can wait forever; use fewer workers or fewer CPUs per worker",
                concurrency,
                num_cpus_per_worker,
                total,
            )
    model_arg = str(Path(model).resolve()) if model is not None else None
    device = "cuda" if num_gpus_per_worker > 0 else None
    kwargs: dict[str, Any] = {}
    if num_gpus_per_worker > 0:
        kwargs["num_gpus"] = num_gpus_per_worker
    logger.info(
        "classify_ray: model=%s batch_size=%d cpus/worker=%s concurrency=%s",
        model_arg or "shipped",
        batch_size,
        num_cpus_per_worker,
        concurrency,
    )
    return ds.map_batches(
        _ClassifyBatch,
        fn_constructor_kwargs={
            "model": model_arg,
            "text_column": text_column,
            "targets": list(targets) if targets is not None else None,
            "model_batch_size": batch_size,
            "torch_threads": max(1, int(num_cpus_per_worker)),
            "device": device,
        },
        batch_size=batch_size,
        batch_format="pandas",
        num_cpus=num_cpus_per_worker,
        compute=compute,
        **kwargs,
    )


def write_results(dataset: Any, path: str | Path, *, format: str = "jsonl") -> Path:  # noqa: A002
    """Run the dataset and write it to the folder ``path`` (Ray writes one file per block).

    Args:
        dataset: What :func:`classify_ray` returned.
        path: Output folder (created).
        format: ``"jsonl"`` or ``"parquet"``.

    Returns:
        The output folder.

    Raises:
        ValueError: Unknown ``format``.

    Example:
        >>> write_results(classify_ray("news.jsonl"), "out/")  # doctest: +SKIP
        PosixPath('out')
    """
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    target = str(path.resolve())
    if format == "jsonl":
        dataset.write_json(target)
    elif format == "parquet":
        dataset.write_parquet(target)
    else:
        raise ValueError(f"unknown format {format!r}: use 'jsonl' or 'parquet'")
    logger.info("wrote results to %s", path)
    return path
