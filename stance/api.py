"""The one obvious call: ``stance.classify(text)``.

Example:
    >>> import stance
    >>> result = stance.classify(open("seeds/us_iran_talks_oman.txt").read())  # doctest: +SKIP
    >>> result.to_pandas()  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from stance.results import ArticleResult
from stance.text import check_text

from stance.pipeline import PIPELINE_CACHE as _PIPELINES  # noqa: F401 - the cache classify uses
from stance.pipeline import get_pipeline


def _check_targets(targets: Sequence[str] | None) -> Sequence[str] | None:
    if targets is None:
        return None
    if isinstance(targets, str):
        raise TypeError("targets must be a list of strings, e.g. targets=['military action against Iran']")
    out = list(targets)
    for i, t in enumerate(out):
        if not isinstance(t, str):
            raise TypeError(f"every target must be str, got {type(t).__name__}")
        check_text(t, name=f"targets[{i}]")
    return out


def classify(
    text: str,
    targets: Sequence[str] | None = None,
    *,
    model: str | Path | Any = None,
    cue_weight: float | None = None,
    sentiment_windows: str | None = None,
) -> ArticleResult:
    """Every actor's positions in one article, with evidence, and the sentiment toward each actor.

    Args:
        text: The article (plain text; offsets in the result index this string).
        targets: Issues to judge every actor against (free text, e.g.
            ``["military action against Iran"]``). Without them, the article's issues are
            discovered and grouped.
        model: A model directory, a loaded :class:`~stance.models.modeling.StanceModel`,
            or None for the shipped default.
        cue_weight: Log-odds added to the stance an explicit construction states ("X
            launched a strike" -> X favours it); None keeps the model's (0: off). See
            ``benchmarks/RESULTS.md`` for its measured effect.
        sentiment_windows: ``"shared"`` (each mention's sentiment is read off the pass
            that scores the stances) or ``"focused"`` (one more pass per mention, only it
            marked: more accurate on sentences with several actors, slower); None keeps
            the model's setting. See ``benchmarks/RESULTS.md``.

    Returns:
        An :class:`~stance.results.ArticleResult`.

    Raises:
        TypeError: ``text`` is not a ``str`` (bytes: decode first), or targets are not strings.
        ValueError: ``text`` or a target holds a lone surrogate (the message names its
            position and the fix); every other ``str`` is classified.

    Example:
        >>> r = classify("Qatar warned against military escalation.")  # doctest: +SKIP
        >>> r.positions[0].stance  # doctest: +SKIP
        'against'
    """
    check_text(text)
    targets = _check_targets(targets)
    return get_pipeline(model, cue_weight=cue_weight, sentiment_windows=sentiment_windows).classify(text, targets)


def classify_many(
    texts: Iterable[str],
    targets: Sequence[str] | None = None,
    *,
    model: str | Path | Any = None,
    batch_size: int = 8,
    show_progress_bar: bool = False,
    n_process: int = 1,
    backend: str = "torch",
    cue_weight: float | None = None,
    sentiment_windows: str | None = None,
) -> list[ArticleResult]:
    """:func:`classify` for a corpus; articles share model batches (``batch_size`` articles at a time).

    Args:
        texts: The articles.
        targets: Issues to judge every actor against (see :func:`classify`).
        model: A model directory, a loaded model, or None for the shipped default. With
            ``n_process > 1`` it must be a directory or None (every worker loads its own).
        batch_size: Articles per model batch (and per chunk handed to a worker).
        show_progress_bar: Show a tqdm bar over articles.
        n_process: Worker processes; ``-1`` for one per CPU. spaCy's parse runs on one
            core per process, so on a multi-core machine ``n_process`` = cores is the fast
            setting (each worker uses one torch thread); see :mod:`stance.parallel`.
        backend: ``"torch"``, or ``"onnx"`` to run the encoder on ONNX Runtime (same
            predictions, faster on CPU; ``pip install "stance[onnx]"``). Applies when
            ``model`` is a directory or None.
        cue_weight: Override the syntactic-cue weight (see :func:`classify`).
        sentiment_windows: Override the sentiment-window mode (see :func:`classify`).

    Returns:
        One :class:`~stance.results.ArticleResult` per text, in order.

    Example:
        >>> results = classify_many(["Iran hailed the talks.", "Israel urges action."])  # doctest: +SKIP
        >>> results = classify_many(corpus, n_process=-1)  # doctest: +SKIP
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be an iterable of strings; for one article use classify(text)")
    texts = list(texts)
    for i, t in enumerate(texts):
        check_text(t, name=f"texts[{i}]")
    targets = _check_targets(targets)
    from stance.parallel import classify_processes, resolve_n_process

    from stance.models import check_backend

    check_backend(backend)
    if resolve_n_process(n_process) > 1:
        return classify_processes(
            texts, targets, model=model, n_process=n_process, batch_size=batch_size,
            show_progress_bar=show_progress_bar, backend=backend, cue_weight=cue_weight,
            sentiment_windows=sentiment_windows,
        )
    pipeline = _local_pipeline(model, backend, cue_weight, sentiment_windows)
    return pipeline.classify_many(texts, targets, batch_size=batch_size, show_progress_bar=show_progress_bar)


def _local_pipeline(model: Any, backend: str, cue_weight: float | None, sentiment_windows: str | None) -> Any:
    """The in-process pipeline for ``model`` on ``backend`` (``"onnx"`` needs a directory or None)."""
    if backend != "torch":
        if model is not None and not isinstance(model, (str, Path)):
            raise TypeError(f"backend={backend!r} needs a model directory or None; a loaded model runs as it is")
        from stance.models import load_model

        model = load_model(model, backend=backend)
    return get_pipeline(model, cue_weight=cue_weight, sentiment_windows=sentiment_windows)


def classify_iter(
    texts: Iterable[str],
    targets: Sequence[str] | None = None,
    *,
    model: str | Path | Any = None,
    chunk_size: int = 64,
    batch_size: int = 8,
    show_progress_bar: bool = False,
    n_process: int = 1,
    backend: str = "torch",
    cue_weight: float | None = None,
    sentiment_windows: str | None = None,
) -> Iterator[ArticleResult]:
    """:func:`classify_many` as a stream: read ``chunk_size`` texts, yield their results, go on.

    For corpora too large to hold every result at once, or runs whose output should reach
    disk as it is made (a stopped run keeps what it wrote). ``texts`` is read lazily, so it
    may be a generator over a file. Results come in input order and equal
    :func:`classify_many`'s; the model (or, with ``n_process > 1``, one pool of worker
    processes) is loaded once for the whole stream.

    Args:
        texts: The articles, any iterable of ``str``.
        targets: Issues to judge every actor against (see :func:`classify`).
        model: A model directory, a loaded model, or None for the shipped default (a
            directory or None when ``n_process > 1``).
        chunk_size: Texts read before their results are yielded (memory grows with it;
            with worker processes, make it at least ``4 * n_process * batch_size`` to keep
            them busy).
        batch_size: Articles per model batch.
        show_progress_bar: Show a tqdm bar over articles (no total: the stream's length
            is not known up front).
        n_process: Worker processes (``-1``: one per CPU); see :func:`classify_many`.
        backend: ``"torch"`` or ``"onnx"`` (see :func:`classify_many`).
        cue_weight: Override the syntactic-cue weight (see :func:`classify`).
        sentiment_windows: Override the sentiment-window mode (see :func:`classify`).

    Yields:
        One :class:`~stance.results.ArticleResult` per text, in order.

    Raises:
        TypeError: ``texts`` is a single string, a text is not a ``str`` (raised when the
            stream reaches it), or targets are not strings.
        ValueError: ``chunk_size`` or ``batch_size`` is not a positive int, or a bad
            ``n_process``/``backend``.

    Example:
        >>> import json
        >>> with open("news.jsonl") as fh, open("out.jsonl", "w") as out:  # doctest: +SKIP
        ...     texts = (json.loads(line)["text"] for line in fh)
        ...     for result in classify_iter(texts, chunk_size=256):
        ...         out.write(json.dumps(result.to_dict()) + "\\n")
    """
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be an iterable of strings; for one article use classify(text)")
    for name, value in (("chunk_size", chunk_size), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    targets = _check_targets(targets)
    from stance.models import check_backend
    from stance.parallel import resolve_n_process

    check_backend(backend)
    if resolve_n_process(n_process) > 1:
        from stance.parallel import ProcessPool

        if model is not None and not isinstance(model, (str, Path)):
            raise TypeError("with n_process > 1 the model must be a directory or None: every worker loads its own "
                            "copy (save a loaded model with model.save_pretrained(dir) and pass dir)")

        # the pool (worker processes) starts when the stream is first read, and closes with it
        def start() -> Any:
            return ProcessPool(model, n_process=n_process, backend=backend, cue_weight=cue_weight,
                               sentiment_windows=sentiment_windows)
    else:
        pipeline = _local_pipeline(model, backend, cue_weight, sentiment_windows)  # load errors surface here

        def start() -> Any:
            return pipeline
    return _stream(iter(texts), targets, start, resolve_n_process(n_process) > 1, chunk_size, batch_size,
                   show_progress_bar)


def _stream(
    texts: Iterator[Any], targets: Sequence[str] | None, start: Any, owns_runner: bool, chunk_size: int,
    batch_size: int, show_progress_bar: bool,
) -> Iterator[ArticleResult]:
    """The generator behind :func:`classify_iter`: ``start()`` gives a pipeline or a
    :class:`~stance.parallel.ProcessPool` (``classify_many``); one this stream owns is closed with it."""
    from stance.memory import release_memory

    runner = start()
    bar = None
    if show_progress_bar:
        from tqdm.auto import tqdm

        bar = tqdm(desc="articles", unit="article")
    try:
        index = 0
        while True:
            chunk = []
            for text in texts:
                chunk.append(check_text(text, name=f"texts[{index}]"))
                index += 1
                if len(chunk) == chunk_size:
                    break
            if not chunk:
                return
            try:
                results = runner.classify_many(chunk, targets, batch_size=batch_size)
            except Exception as err:  # a dead worker names articles of this chunk: make them stream-wide
                if hasattr(err, "with_offset") and index > len(chunk):
                    raise err.with_offset(index - len(chunk)) from None
                raise
            yield from results
            release_memory()  # freed buffers back to the OS: RSS stays flat over a long stream
            if bar is not None:
                bar.update(len(chunk))
    finally:
        if bar is not None:
            bar.close()
        if owns_runner:
            runner.close()
