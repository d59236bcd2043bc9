"""Classify a corpus with several local processes (one pipeline per process).

spaCy's parse is single-threaded and holds the interpreter, so one process keeps at most
one core busy while it parses; torch threads help the encoder only. Worker processes
(``n_process``) run whole articles in parallel instead: each loads its own pipeline once
(``spawn`` start method, so no OpenMP state is inherited), uses ``torch_threads`` torch
threads, and classifies chunks of ``batch_size`` articles. Results come back in input
order and equal what :func:`stance.classify_many` returns in one process.

A worker that dies (killed, out of memory, crashed) never hangs a call: it raises
:class:`WorkerDiedError` naming the articles that worker held (each worker leaves a
marker of its chunk while it runs; the one left behind after the others have stopped is
the dead worker's), and the pool starts fresh workers for its next call. Ctrl-C reaches
only the parent (workers ignore SIGINT), which stops every worker at once.

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
import signal
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from stance.results import ArticleResult

logger = logging.getLogger(__name__)

__all__ = ["ProcessPool", "WorkerDiedError", "classify_processes", "resolve_n_process"]

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
        raise TypeError(
            f"n_process must be an int (a worker count, or -1 for one per CPU), got {type(n_process).__name__}"
        )
    if n_process == -1:
        return max(1, os.cpu_count() or 1)
    if n_process < 1:
        raise ValueError(f"n_process must be >= 1, or -1 for one per CPU; got {n_process}")
    return n_process


class WorkerDiedError(RuntimeError):
    """A worker process died (killed, out of memory, crashed) while a call was running.

    Attributes:
        indices: The articles (indices into the texts of the call) the dead worker was
            classifying; all unfinished ones when that is not known.
        unfinished: How many articles of the call got no result.
        pid: The dead worker's process id (None if not known).
        exitcode: Its exit code (negative: killed by that signal; None if not known).
    """

    def __init__(
        self,
        indices: Sequence[int],
        unfinished: int,
        pid: int | None = None,
        exitcode: int | None = None,
        known: bool = True,
    ) -> None:
        self.indices = tuple(indices)
        self.unfinished = unfinished
        self.pid = pid
        self.exitcode = exitcode
        self.known = known
        super().__init__(self._message())

    def with_offset(self, offset: int) -> WorkerDiedError:
        """The same error with ``indices`` shifted by ``offset`` (a chunk's place in a stream)."""
        return WorkerDiedError([i + offset for i in self.indices], self.unfinished, self.pid, self.exitcode, self.known)

    def _message(self) -> str:
        who = f"worker process {self.pid}" if self.pid is not None else "a worker process"
        how = ""
        if self.exitcode is not None and self.exitcode < 0:
            try:
                name = signal.Signals(-self.exitcode).name
            except ValueError:
                name = f"signal {-self.exitcode}"
            how = f" (killed by {name}" + (": often the out-of-memory killer" if name == "SIGKILL" else "") + ")"
        elif self.exitcode is not None:
            how = f" (exit code {self.exitcode})"
        idx = self.indices
        if not idx:
            what = "before it took an article (while starting or loading the model)"
        else:
            where = f"texts[{idx[0]}]" if len(idx) == 1 else f"texts[{idx[0]}..{idx[-1]}]"
            what = f"while classifying {where}" if self.known else f"while articles were in flight; unfinished: {where}"
        return (
            f"{who} died{how} {what}; {self.unfinished} articles of this call got no result. The pool starts "
            "fresh workers for the next call. Classify the unfinished articles again (CLI: rerun with --output "
            "FILE --resume); if memory ran out, use fewer processes (n_process) or a smaller batch_size, or "
            "split very long articles"
        )


def _init_worker(
    model: str | None,
    torch_threads: int,
    backend: str,
    precision: str | None,
    overrides: dict[str, Any],
    onnx_file: str | None = None,
    state_dir: str | None = None,
) -> None:
    # Ctrl-C reaches every process of the terminal's group: only the parent handles it (it
    # stops the workers); a worker stopped by SIGTERM (the pool closing, or breaking because
    # another worker died) first removes its marker, so the marker left behind names the
    # articles of the worker that died.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["state_dir"] = state_dir

    def on_term(signum: int, frame: Any) -> None:
        _clear_marker()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, on_term)
    import torch

    torch.set_num_threads(torch_threads)
    from stance.models import load_model
    from stance.pipeline import get_pipeline

    if onnx_file is not None:  # the parent exported the encoder once; workers only load the graph
        from stance.models.onnx_backend import with_onnx_encoder

        loaded = with_onnx_encoder(load_model(model, cache=False), onnx_file=onnx_file)  # runs fp32
    else:
        loaded = load_model(model, backend=backend, precision=precision)
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


def _marker() -> Path | None:
    state = _WORKER.get("state_dir")
    return Path(state) / f"{os.getpid()}.chunk" if state else None


def _clear_marker() -> None:
    marker = _marker()
    if marker is not None:
        try:
            marker.unlink()
        except OSError:
            pass


def _run_chunk(texts: list[str], targets: list[str] | None, batch_size: int, first: int = 0) -> list[ArticleResult]:
    marker = _marker()
    if marker is not None:  # which articles this worker holds, for the parent if it dies
        marker.write_text(f"{first} {len(texts)}", encoding="ascii")
    try:
        return _WORKER["pipeline"].classify_many(texts, targets, batch_size=batch_size)
    finally:
        _clear_marker()


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
        precision: ``"fp32"``, ``"bf16"`` or ``"auto"``, the inference precision each
            worker loads the model at (see :func:`stance.models.load_model`); None keeps
            the precision the model declares. ``backend="onnx"`` always runs fp32.
        cue_weight: Override the syntactic-cue weight (see :func:`stance.classify`).
        sentiment_windows: Override the sentiment-window mode (see :func:`stance.classify`).

    Raises:
        TypeError: ``model`` is a loaded model, or ``n_process`` is not an int.
        ValueError: Bad ``n_process``, ``torch_threads``, ``backend``, ``precision``,
            ``cue_weight`` or ``sentiment_windows``.

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
        precision: str | None = None,
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
        from stance.models.precision import check_precision

        if precision is not None:
            check_precision(precision)
            from stance.models.precision import warn_onnx_precision

            warn_onnx_precision(backend, precision)
        from stance.models.windows import check_sentiment_windows
        from stance.pipeline import check_cue_weight

        overrides: dict[str, Any] = {}  # checked here, not inside a worker
        if cue_weight is not None:
            overrides["cue_weight"] = check_cue_weight(cue_weight)
        if sentiment_windows is not None:
            overrides["sentiment_windows"] = check_sentiment_windows(sentiment_windows)
        self.model = str(Path(model).resolve()) if model is not None else None
        self.torch_threads = torch_threads
        self.backend = backend
        self.precision = precision
        from stance.models import default_model_path
        from stance.models.checks import check_model_dir

        check_model_dir(self.model or default_model_path())  # a damaged model fails here, not in every worker
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._state: tempfile.TemporaryDirectory[str] | None = tempfile.TemporaryDirectory(prefix="stance-pool-")
        self._processes: list[Any] = []
        onnx_file = None
        if backend == "onnx":
            # export once here: each worker then only reads the graph (no torch export, no
            # export-time memory peak per worker)
            from stance.models import load_model
            from stance.models.onnx_backend import export_encoder

            self._tmp = tempfile.TemporaryDirectory(prefix="stance-onnx-pool-")
            source = load_model(self.model, cache=False)
            onnx_file = str(
                export_encoder(source.encoder, Path(self._tmp.name) / "encoder.onnx", tap=source.branch_tap)
            )
        # in _init_worker's order
        self._initargs = (self.model, torch_threads, backend, precision, overrides, onnx_file, self._state.name)
        self._pool: ProcessPoolExecutor | None = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.n_process,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=self._initargs,
        )

    def _track_processes(self) -> None:
        """Remember the worker processes (to stop them on Ctrl-C and read a dead one's exit code)."""
        procs = getattr(self._pool, "_processes", None) or {}  # CPython's ProcessPoolExecutor keeps them here
        for p in list(procs.values()):
            if p not in self._processes:
                self._processes.append(p)

    def __enter__(self) -> ProcessPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers after the chunks they are running (idempotent)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._processes = []
        self._cleanup()

    def terminate(self, timeout: float = 10.0) -> None:
        """Stop the workers now, running chunks included (Ctrl-C); idempotent.

        Each worker gets SIGTERM, then SIGKILL if it has not exited within ``timeout`` seconds.
        """
        self._track_processes()
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._stop_processes(timeout)
        self._cleanup()

    def _stop_processes(self, timeout: float) -> dict[int, int | None]:
        """SIGTERM, then SIGKILL, every tracked worker; their exit codes by pid."""
        for p in self._processes:
            if p.is_alive():
                p.terminate()
        deadline = time.monotonic() + timeout
        for p in self._processes:
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(5)
        codes = {p.pid: p.exitcode for p in self._processes}
        self._processes = []
        return codes

    def _cleanup(self) -> None:
        for attr in ("_tmp", "_state"):
            tmp = getattr(self, attr)
            if tmp is not None:
                tmp.cleanup()
                setattr(self, attr, None)

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
            ValueError: Bad ``batch_size``, a text with a lone surrogate, or the pool is closed.
            WorkerDiedError: A worker process died; the error names its articles, and the
                pool's next call runs on fresh workers.
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
        logger.info(
            "%d articles in %d chunks on %d processes (%d torch threads each)",
            len(texts),
            len(chunks),
            self.n_process,
            self.torch_threads,
        )
        bar = None
        if show_progress_bar:
            from tqdm.auto import tqdm

            bar = tqdm(total=len(texts), desc="articles", unit="article")
        results: list[ArticleResult] = []
        futures: list[Any] = []
        try:
            futures = [pool.submit(_run_chunk, chunk, target_list, size, i * size) for i, chunk in enumerate(chunks)]
            self._track_processes()
            for fut, chunk in zip(futures, chunks):
                results.extend(fut.result())
                self._track_processes()
                if bar is not None:
                    bar.update(len(chunk))
        except BrokenProcessPool:
            raise self._worker_died(len(results), len(texts)) from None
        except Exception:  # an error inside a chunk: the workers are fine, drop the queued chunks
            for fut in futures:
                fut.cancel()
            raise
        except BaseException:  # Ctrl-C (KeyboardInterrupt): stop every worker now
            self.terminate()
            raise
        finally:
            if bar is not None:
                bar.close()
        return results

    def _worker_died(self, done: int, total: int) -> WorkerDiedError:
        """After a worker died: let the executor stop the others, read which articles the
        dead one held (its marker), and start afresh for the next call."""
        self._track_processes()
        if self._pool is not None:
            # the broken executor SIGTERMs the survivors (they remove their markers and exit)
            # and joins them; waiting for that makes every exit code and marker final
            self._pool.shutdown(wait=True, cancel_futures=True)
        codes = self._stop_processes(timeout=10.0)
        markers = []
        state = Path(self._state.name) if self._state is not None else None
        for f in sorted(state.glob("*.chunk")) if state is not None else []:
            try:
                first, n = (int(x) for x in f.read_text(encoding="ascii").split())
                markers.append((int(f.stem), first, n))
            except (OSError, ValueError):
                pass
            f.unlink(missing_ok=True)
        self._pool = self._new_executor()  # the next call starts fresh workers
        if markers:
            pid, first, n = markers[0]
            error = WorkerDiedError(range(first, first + n), total - done, pid, codes.get(pid))
        else:  # it died between chunks or while loading: name what is unfinished
            dead = [(pid, c) for pid, c in codes.items() if c not in (None, 0, 128 + signal.SIGTERM, -signal.SIGTERM)]
            pid, code = dead[0] if dead else (None, None)
            error = WorkerDiedError(range(done, total), total - done, pid, code, known=False)
        logger.error("%s", error)
        return error


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
    precision: str | None = None,
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
        precision: ``"fp32"``, ``"bf16"``, ``"auto"``, or None for the model's (see
            :class:`ProcessPool`).
        cue_weight: Override the syntactic-cue weight (see :func:`stance.classify`).
        sentiment_windows: Override the sentiment-window mode (see :func:`stance.classify`).

    Returns:
        One :class:`~stance.results.ArticleResult` per text.

    Raises:
        TypeError: ``model`` is a loaded model, or a text is not a ``str``.
        ValueError: Bad ``n_process``, ``batch_size``, ``torch_threads``, ``backend`` or
            ``precision``.

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
    with ProcessPool(
        model,
        n_process=n,
        torch_threads=torch_threads,
        backend=backend,
        precision=precision,
        cue_weight=cue_weight,
        sentiment_windows=sentiment_windows,
    ) as pool:
        return pool.classify_many(texts, targets, batch_size=batch_size, show_progress_bar=show_progress_bar)
