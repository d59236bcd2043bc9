"""Classify a corpus with several local processes (one pipeline per process).

spaCy's parse is single-threaded and holds the interpreter, so one process keeps at most
one core busy while it parses; torch threads help the encoder only. Worker processes
(``n_process``) run whole articles in parallel instead: each loads its own pipeline once
(``spawn`` start method, so no OpenMP state is inherited), uses ``torch_threads`` torch
threads, and classifies chunks of ``batch_size`` articles. Results come back in input
order and equal what :func:`stance.classify_many` returns in one process.

For a cluster, use :func:`stance.distributed.classify_ray` instead.

Example:
    >>> from stance.parallel import ProcessPool, classify_processes
    >>> results = classify_processes(texts, n_process=2)  # doctest: +SKIP
    >>> with ProcessPool(n_process=2) as pool:  # workers stay loaded between calls
    ...     results = pool.classify_many(texts)  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from stance.results import ArticleResult

logger = logging.getLogger(__name__)

__all__ = ["ProcessPool", "classify_processes", "resolve_n_process"]

_WORKER: dict[str, Any] = {}
_WARM_UP_TEXT = "Qatar hailed the talks."


def resolve_n_process(n_process: int) -> int:
    """``n_process`` as a worker count: ``-1`` means one per CPU.

    Raises:
        TypeError: ``n_process`` is not an int.
        ValueError: ``n_process`` is 0 or below -1.

    Example:
        >>> resolve_n_process(2)
        2
    """
    if isinstance(n_process, bool) or not isinstance(n_process, int):
        raise TypeError(f"n_process must be an int (a worker count, or -1 for one per CPU), got {type(n_process).__name__}")
    if n_process == -1:
        return max(1, os.cpu_count() or 1)
    if n_process < 1:
        raise ValueError(f"n_process must be >= 1, or -1 for one per CPU; got {n_process}")
    return n_process


def _init_worker(model: str | None, torch_threads: int, backend: str, overrides: dict[str, Any],
                 onnx_file: str | None = None) -> None:
    import torch

    torch.set_num_threads(torch_threads)
    from stance.api import get_pipeline
    from stance.models import load_model

    if onnx_file is not None:  # the parent exported the encoder once; workers only load the graph
        from stance.models.onnx_backend import with_onnx_encoder

        loaded = with_onnx_encoder(load_model(model, cache=False), onnx_file=onnx_file)
    else:
        loaded = load_model(model, backend=backend)
    pipeline = get_pipeline(loaded, **overrides)
    pipeline.classify(_WARM_UP_TEXT)  # loads spaCy and the knowledge base now, not on the first chunk
    _WORKER["pipeline"] = pipeline


def _ping(hold_s: float) -> int:
    time.sleep(hold_s)  # keeps this worker busy so the other pings reach the other workers
    return os.getpid()


def _peak_rss(hold_s: float) -> tuple[int, float | None]:
    time.sleep(hold_s)
    try:  # VmHWM: this program's own high-water mark (ru_maxrss also counts the pre-exec fork copy)
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return os.getpid(), int(line.split()[1]) / 1024.0
    except OSError:  # not Linux
        pass
    return os.getpid(), None


def _run_chunk(texts: list[str], targets: list[str] | None, batch_size: int) -> list[ArticleResult]:
    return _WORKER["pipeline"].classify_many(texts, targets, batch_size=batch_size)


class ProcessPool:
    """Worker processes that each hold a loaded pipeline, reused across calls.

    Starting a worker loads spaCy and the model (seconds); a pool pays that once, so
    many :meth:`classify_many` calls (a stream of corpus shards) run at full speed.
    Use it as a context manager, or call :meth:`close`.

    Args:
        model: A model directory each worker loads, or None for the shipped model. A
            loaded model cannot be shared across processes: save it
            (``save_pretrained``) and pass the directory.
        n_process: Worker processes (``-1``: one per CPU).
        torch_threads: Torch threads per worker (1 keeps ``n_process`` workers on as many
            cores).
        backend: ``"torch"`` or ``"onnx"`` (encoder on ONNX Runtime; see
            :func:`stance.models.load_model`). With ``"onnx"`` the encoder is exported
            once, in this process, to a temporary file the workers read (removed by
            :meth:`close`).
        cue_weight: Override the syntactic-cue weight (see :func:`stance.classify`).
        sentiment_windows: Override the sentiment-window mode (see :func:`stance.classify`).

    Raises:
        TypeError: ``model`` is a loaded model, or ``n_process`` is not an int.
        ValueError: Bad ``n_process``, ``torch_threads``, ``backend``, ``cue_weight`` or
            ``sentiment_windows``.

    Example:
        >>> with ProcessPool(n_process=2) as pool:  # doctest: +SKIP
        ...     for shard in shards:
        ...         results = pool.classify_many(shard)
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        n_process: int = 2,
        torch_threads: int = 1,
        backend: str = "torch",
        cue_weight: float | None = None,
        sentiment_windows: str | None = None,
    ) -> None:
        self.n_process = resolve_n_process(n_process)
        if model is not None and not isinstance(model, (str, Path)):
            raise TypeError(
                "with n_process > 1 the model must be a directory or None: every worker loads its own copy "
                "(save a loaded model with model.save_pretrained(dir) and pass dir)"
            )
        if isinstance(torch_threads, bool) or not isinstance(torch_threads, int) or torch_threads < 1:
            raise ValueError(f"torch_threads must be an int >= 1, got {torch_threads!r}")
        from stance.models import check_backend

        check_backend(backend)
        from stance.pipeline import check_cue_weight

        from stance.models.windows import check_sentiment_windows

        overrides: dict[str, Any] = {}  # checked here, not inside a worker
        if cue_weight is not None:
            overrides["cue_weight"] = check_cue_weight(cue_weight)
        if sentiment_windows is not None:
            overrides["sentiment_windows"] = check_sentiment_windows(sentiment_windows)
        self.model = str(Path(model).resolve()) if model is not None else None
        self.torch_threads = torch_threads
        self.backend = backend
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        onnx_file = None
        if backend == "onnx":
            # export once here: each worker then only reads the graph (no torch export, no
            # export-time memory peak per worker)
            from stance.models import load_model
            from stance.models.onnx_backend import export_encoder

            self._tmp = tempfile.TemporaryDirectory(prefix="stance-onnx-pool-")
            source = load_model(self.model, cache=False)
            onnx_file = str(export_encoder(source.encoder, Path(self._tmp.name) / "encoder.onnx", tap=source.branch_tap))
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=self.n_process, mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker, initargs=(self.model, torch_threads, backend, overrides, onnx_file),
        )

    def __enter__(self) -> ProcessPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (idempotent)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def warm_up(self) -> None:
        """Start every worker and load its pipeline now (otherwise the first call does it).

        Returns once ``n_process`` distinct workers have answered, i.e. all have loaded.
        """
        pool = self._executor()
        seen: set[int] = set()
        for _ in range(20):
            seen.update(f.result() for f in [pool.submit(_ping, 0.2) for _ in range(self.n_process)])
            if len(seen) >= self.n_process:
                return
        logger.warning("warm_up: only %d of %d workers answered", len(seen), self.n_process)

    def worker_peak_rss_mb(self) -> dict[int, float | None]:
        """Peak resident memory of each worker so far, in MiB, by process id (Linux; None elsewhere).

        Asked of the workers themselves (``VmHWM``), so it is each worker's own footprint
        (spaCy, model, buffers), not the start-up copy of this process that ``fork`` briefly
        makes.
        """
        pool = self._executor()
        peaks: dict[int, float | None] = {}
        for _ in range(20):
            peaks.update(f.result() for f in [pool.submit(_peak_rss, 0.2) for _ in range(self.n_process)])
            if len(peaks) >= self.n_process:
                break
        return peaks

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            raise ValueError("this ProcessPool is closed; create a new one")
        return self._pool

    def classify_many(
        self,
        texts: Sequence[str],
        targets: Sequence[str] | None = None,
        *,
        batch_size: int = 8,
        show_progress_bar: bool = False,
    ) -> list[ArticleResult]:
        """Classify ``texts`` on the workers; one result per text, in input order.

        Args:
            texts: The articles.
            targets: Issues to judge every actor against, as for :func:`stance.classify`.
            batch_size: Most articles per chunk handed to a worker (and per model batch
                there); chunks are smaller when that gives each worker at least four.
            show_progress_bar: Show a tqdm bar over articles.

        Raises:
            TypeError: A text is not a ``str``, or ``targets`` is a string.
            ValueError: Bad ``batch_size``, or the pool is closed.
        """
        from stance.text import check_text

        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if isinstance(targets, str):
            raise TypeError("targets must be a list of strings, e.g. targets=['military action against Iran']")
        texts = list(texts)
        for i, t in enumerate(texts):
            check_text(t, name=f"texts[{i}]")
        pool = self._executor()
        if not texts:
            return []
        # at least four chunks per worker (when there are enough texts) so that workers
        # finish together even when article lengths differ
        size = max(1, min(batch_size, -(-len(texts) // (4 * self.n_process))))
        chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
        target_list = list(targets) if targets is not None else None
        logger.info("%d articles in %d chunks on %d processes (%d torch threads each)",
                    len(texts), len(chunks), self.n_process, self.torch_threads)
        bar = None
        if show_progress_bar:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc="articles", unit="article")
        results: list[ArticleResult] = []
        futures = [pool.submit(_run_chunk, chunk, target_list, size) for chunk in chunks]
        for fut, chunk in zip(futures, chunks):
            results.extend(fut.result())
            if bar is not None:
                bar.update(len(chunk))
        if bar is not None:
            bar.close()
        return results


def classify_processes(
    texts: Sequence[str],
    targets: Sequence[str] | None = None,
    *,
    model: str | Path | None = None,
    n_process: int = 2,
    batch_size: int = 8,
    torch_threads: int = 1,
    show_progress_bar: bool = False,
    backend: str = "torch",
    cue_weight: float | None = None,
    sentiment_windows: str | None = None,
) -> list[ArticleResult]:
    """Classify ``texts`` with a one-off :class:`ProcessPool`; results in input order.

    Args:
        texts: The articles.
        targets: Issues to judge every actor against, as for :func:`stance.classify`.
        model: A model directory each worker loads, or None for the shipped model.
        n_process: Worker processes (``-1``: one per CPU); no more are started than
            there are chunks of ``batch_size`` articles.
        batch_size: Articles per chunk handed to a worker (and per model batch there).
        torch_threads: Torch threads per worker.
        show_progress_bar: Show a tqdm bar over articles.
        backend: ``"torch"`` or ``"onnx"`` (see :class:`ProcessPool`).
        cue_weight: Override the syntactic-cue weight (see :func:`stance.classify`).
        sentiment_windows: Override the sentiment-window mode (see :func:`stance.classify`).

    Returns:
        One :class:`~stance.results.ArticleResult` per text.

    Raises:
        TypeError: ``model`` is a loaded model, or a text is not a ``str``.
        ValueError: Bad ``n_process``, ``batch_size``, ``torch_threads`` or ``backend``.

    Example:
        >>> classify_processes(["Iran hailed the talks."], n_process=0)
        Traceback (most recent call last):
        ...
        ValueError: n_process must be >= 1, or -1 for one per CPU; got 0
    """
    from stance.text import check_text

    n = resolve_n_process(n_process)
    if batch_size < 1:
        raise ValueError("batch_size must be >= 1")
    texts = list(texts)
    for i, t in enumerate(texts):  # before any worker starts
        check_text(t, name=f"texts[{i}]")
    n = min(n, max(1, -(-len(texts) // batch_size)))
    with ProcessPool(model, n_process=n, torch_threads=torch_threads, backend=backend, cue_weight=cue_weight,
                     sentiment_windows=sentiment_windows) as pool:
        return pool.classify_many(texts, targets, batch_size=batch_size, show_progress_bar=show_progress_bar)
