"""The object-first API: load a model once, then classify texts, corpora and streams with it.

:func:`load` returns a :class:`Classifier` that holds the model (or, with ``n_process > 1``,
a pool of worker processes) and the settings, checked once, up front:

* ``clf(text)`` -> one :class:`~stance.results.ArticleResult`;
* ``clf(texts)`` -> a list of them (articles share model batches);
* ``clf.stream(texts)`` -> an iterator that reads ``texts`` lazily, for corpora too large
  to hold;
* ``clf.actors(text)`` -> the article's actors, without the model.

:func:`stance.classify`, :func:`stance.classify_many` and :func:`stance.classify_iter`
are thin wrappers over a :class:`Classifier` (see :mod:`stance.api`).

Example:
    >>> import stance
    >>> clf = stance.load()  # doctest: +SKIP
    >>> clf  # doctest: +SKIP
    Classifier(model='stance-minilm@0.2.0', backend='torch', n_process=1, batch_size=8)
    >>> result = clf("Qatar warned against military escalation.")  # doctest: +SKIP
    >>> results = clf(["Iran hailed the talks.", "Israel urges action."])  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from stance.locks import lock_for
from stance.results import Actor, ArticleResult
from stance.text import check_text

if TYPE_CHECKING:
    from stance.models.modeling import StanceModel
    from stance.parallel import ProcessPool

logger = logging.getLogger(__name__)

__all__ = ["Classifier", "load"]

_LOADED_MODEL_FOR_WORKERS = (
    "with n_process > 1 the model must be a directory or None: every worker loads its own copy "
    "(save a loaded model with model.save_pretrained(dir) and pass dir)"
)


# ---------------------------------------------------------------------- argument checks
def _check_targets(targets: Sequence[str] | None) -> list[str] | None:
    """``targets`` as a list of checked strings (None stays None).

    Raises:
        TypeError: ``targets`` is a single string, or holds a non-string.
        ValueError: A target holds a lone surrogate.
    """
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


def _check_count(name: str, value: object) -> int:
    """``value`` if it is an int >= 1 (``batch_size``, ``chunk_size``)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    return value


def _check_flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return value


def _check_model(model: object) -> Any:
    """``model`` as None, a name or path string, a :class:`~pathlib.Path`, or a loaded model.

    Raises:
        TypeError: Anything else (bytes, numbers...).
    """
    if model is None or isinstance(model, (str, Path)):
        return model
    if isinstance(model, os.PathLike):
        path = os.fspath(model)
        if isinstance(path, str):
            return Path(path)
    elif callable(getattr(model, "score", None)) and callable(getattr(model, "embed", None)):
        return model  # a loaded StanceModel (or one that quacks like it)
    raise TypeError(
        "model must be 'fast', 'accurate', a model directory (str or os.PathLike), a loaded StanceModel "
        f"(stance.load_model(...)) or None for the shipped default; got {type(model).__name__}"
    )


class _Settings(NamedTuple):
    backend: str
    precision: str | None
    n_process: int
    batch_size: int
    cue_weight: float | None
    sentiment_windows: str | None


def _check_settings(
    backend: str,
    precision: str | None,
    n_process: int,
    batch_size: int,
    cue_weight: float | None,
    sentiment_windows: str | None,
) -> _Settings:
    """The settings of a :class:`Classifier`, checked and normalised (``n_process=-1`` -> the CPU count).

    Raises:
        ValueError: A bad setting (``precision``: not None, ``"fp32"``, ``"bf16"`` or
            ``"auto"``); the message names the accepted values.
    """
    from stance.models import check_backend
    from stance.models.precision import check_precision
    from stance.models.windows import check_sentiment_windows
    from stance.parallel import resolve_n_process
    from stance.pipeline import check_cue_weight

    check_backend(backend)
    if precision is not None:
        check_precision(precision)
    n = resolve_n_process(n_process)
    _check_count("batch_size", batch_size)
    weight = check_cue_weight(cue_weight)
    windows = check_sentiment_windows(sentiment_windows) if sentiment_windows is not None else None
    return _Settings(backend, precision, n, batch_size, weight, windows)


def _local_pipeline(
    model: Any, backend: str, precision: str | None, cue_weight: float | None, sentiment_windows: str | None
) -> Any:
    """The in-process pipeline for ``model`` on ``backend`` at ``precision`` (None: the model's).

    ``backend="onnx"`` and a ``precision`` need a directory or None (the model is loaded
    here); a loaded model runs as it is.
    """
    from stance.pipeline import get_pipeline

    loaded = model is not None and not isinstance(model, (str, Path))
    if loaded and backend != "torch":
        raise TypeError(f"backend={backend!r} needs a model directory or None; a loaded model runs as it is")
    if loaded and precision is not None:
        raise TypeError(
            f"precision={precision!r} needs a model directory or None; a loaded model runs at its own precision: "
            f"call model.set_precision({precision!r}) on it instead"
        )
    if backend != "torch" or precision is not None:
        from stance.models import load_model
        from stance.models.precision import warn_onnx_precision

        warn_onnx_precision(backend, precision)
        model = load_model(model, backend=backend, precision=precision)
    return get_pipeline(model, cue_weight=cue_weight, sentiment_windows=sentiment_windows)


def _worker_model(model: str | Path | None) -> tuple[str | Path | None, Path]:
    """What each worker process loads for ``model``, and its directory, checked here (not in every worker).

    A shipped name (``"fast"``) becomes its directory, so workers load the same model.

    Raises:
        FileNotFoundError: No model there.
        ValueError: A damaged model directory.
    """
    from stance.models import load_model, model_path
    from stance.models.checks import check_model_dir

    path = model_path(model)
    if not (path / "config.json").is_file():
        load_model(model)  # raises FileNotFoundError naming the fix
    check_model_dir(path)
    if isinstance(model, str) and path != Path(model):
        return path, path
    return model, path


def _model_name_in(path: Path) -> str:
    """``name@version`` of the model in ``path``, as results report it."""
    try:
        block = json.loads((path / "config.json").read_text(encoding="utf-8")).get("stance", {})
    except (OSError, ValueError, AttributeError):
        return path.name
    name = block.get("model_name") or block.get("base_model", "")
    return f"{name}@{block.get('version', '')}"


# ---------------------------------------------------------------------- the classifier
class Classifier:
    """A loaded model with its settings: call it on a text, a list of texts, or stream a corpus.

    Made by :func:`load` (same arguments); every argument is checked here, so a bad one
    fails before any article is read. Safe to share between threads. With
    ``n_process > 1`` it holds worker processes (started on first use, kept between calls):
    use it as a context manager or call :meth:`close`.

    Args:
        model: ``"accurate"`` (the default: an adapter over all-mpnet-base-v2, whose base
            ``stance setup`` installs), ``"fast"`` (MiniLM, faster; speeds in docs/models.md), a model
            directory, a loaded :class:`~stance.models.modeling.StanceModel`, or None for
            the default.
        backend: ``"torch"``, or ``"onnx"`` to run the encoder on ONNX Runtime (same
            predictions, faster on CPU; ``pip install "stance[onnx]"``; ``model`` must
            then be a name, a directory or None).
        precision: ``"fp32"``, ``"bf16"`` (autocast: about 3x faster on CPUs with AMX) or
            ``"auto"`` (bf16 where the device computes it natively, else fp32); None keeps
            the precision the model declares (fp32 when it declares none). Every result
            records the precision it ran at (``result.meta["precision"]``). ``model`` must
            then be a name, a directory or None (for a loaded model, call
            ``model.set_precision(...)``); ``backend="onnx"`` always runs fp32. See
            :mod:`stance.models.precision`.
        n_process: Worker processes; ``-1`` for one per CPU. spaCy's parse runs on one
            core per process, so on a multi-core machine ``n_process`` = cores is the fast
            setting; ``model`` must then be a name, a directory or None (every worker loads
            its own copy). See :mod:`stance.parallel`.
        batch_size: Articles per model batch (and per chunk handed to a worker) when
            classifying a list or a stream.
        cue_weight: Log-odds added to the stance an explicit construction states ("X
            launched a strike" -> X favours it); None keeps the model's (0: off).
        sentiment_windows: ``"shared"`` (each mention's sentiment is read off the pass that
            scores the stances) or ``"focused"`` (one more pass per mention: more accurate
            on sentences with several actors, slower); None keeps the model's setting.

    Raises:
        TypeError: ``model`` is of another type (or a loaded model with ``n_process > 1``,
            ``backend="onnx"`` or a ``precision``), or ``n_process`` is not an int.
        ValueError: A bad ``backend``, ``precision``, ``n_process``, ``batch_size``,
            ``cue_weight`` or ``sentiment_windows``; the message names the accepted values.
        FileNotFoundError: No model at ``model``.

    Example:
        >>> with Classifier("fast", n_process=4) as clf:  # doctest: +SKIP
        ...     results = clf(corpus)
        >>> clf.closed  # doctest: +SKIP
        True
    """

    def __init__(
        self,
        model: str | os.PathLike[str] | StanceModel | None = None,
        *,
        backend: str = "torch",
        precision: str | None = None,
        n_process: int = 1,
        batch_size: int = 8,
        cue_weight: float | None = None,
        sentiment_windows: str | None = None,
    ) -> None:
        model = _check_model(model)
        settings = _check_settings(backend, precision, n_process, batch_size, cue_weight, sentiment_windows)
        self._settings = settings
        self._lock = threading.Lock()
        self._closed = False
        self._pool: ProcessPool | None = None
        self._pool_size = settings.n_process
        self._extractor: Any = None
        self._worker_model: str | Path | None = None
        if settings.n_process > 1:
            if model is not None and not isinstance(model, (str, Path)):
                raise TypeError(_LOADED_MODEL_FOR_WORKERS)
            self._pipeline: Any = None
            self._worker_model, path = _worker_model(model)
            self._model_name = _model_name_in(path)
        else:
            self._pipeline = _local_pipeline(
                model, settings.backend, settings.precision, settings.cue_weight, settings.sentiment_windows
            )
            self._model_name = self._pipeline._model_name()
        logger.debug("loaded %r", self)

    @classmethod
    def _for_one_call(cls, model: Any, n_texts: int, **settings: Any) -> Classifier:
        """A classifier for one :func:`stance.classify_many` call: no more worker processes
        than there are chunks of ``batch_size`` articles (close it after the call)."""
        clf = cls(model, **settings)
        clf._pool_size = min(clf.n_process, max(1, -(-n_texts // clf.batch_size)))
        return clf

    # ------------------------------------------------------------------ settings
    @property
    def model_name(self) -> str:
        """The model's name and version, as results report it (``"stance-minilm@0.2.0"``)."""
        return self._model_name

    @property
    def backend(self) -> str:
        """The encoder engine: ``"torch"`` or ``"onnx"``."""
        return self._settings.backend

    @property
    def precision(self) -> str | None:
        """The inference precision override: ``"fp32"``, ``"bf16"`` or ``"auto"`` (None: the
        model's). What ran is in each result's ``meta["precision"]``."""
        return self._settings.precision

    @property
    def n_process(self) -> int:
        """Worker processes (1: everything runs in this process; ``-1`` was resolved to the CPU count)."""
        return self._settings.n_process

    @property
    def batch_size(self) -> int:
        """Articles per model batch."""
        return self._settings.batch_size

    @property
    def cue_weight(self) -> float | None:
        """The syntactic-cue weight override (None: the model's)."""
        return self._settings.cue_weight

    @property
    def sentiment_windows(self) -> str | None:
        """The sentiment-window mode override (None: the model's)."""
        return self._settings.sentiment_windows

    @property
    def closed(self) -> bool:
        """True after :meth:`close`."""
        return self._closed

    def __repr__(self) -> str:
        s = self._settings
        parts = [
            f"model={self._model_name!r}",
            f"backend={s.backend!r}",
            f"n_process={s.n_process}",
            f"batch_size={s.batch_size}",
        ]
        parts += [
            f"{k}={v!r}"
            for k, v in (
                ("precision", s.precision),
                ("cue_weight", s.cue_weight),
                ("sentiment_windows", s.sentiment_windows),
            )
            if v is not None
        ]  # overrides only: None keeps the model's setting
        if self._closed:
            parts.append("closed")
        return f"Classifier({', '.join(parts)})"

    # ------------------------------------------------------------------ lifetime
    def close(self) -> None:
        """Stop the worker processes (if any, after the chunks they are running); idempotent.

        A closed classifier refuses further calls.

        Example:
            >>> clf = load(n_process=2)  # doctest: +SKIP
            >>> clf.close()  # doctest: +SKIP
        """
        with self._lock:
            pool, self._pool = self._pool, None
            self._closed = True
        if pool is not None:
            pool.close()

    def __enter__(self) -> Classifier:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError("this Classifier is closed; load a new one with stance.load(...)")

    def _runner(self) -> Any:
        """What classifies lists: the pipeline, or the worker pool (started on first use)."""
        self._check_open()
        if self._pipeline is not None:
            return self._pipeline
        with self._lock:
            self._check_open()
            if self._pool is None:
                from stance.parallel import ProcessPool

                s = self._settings
                self._pool = ProcessPool(
                    self._worker_model,
                    n_process=self._pool_size,
                    backend=s.backend,
                    precision=s.precision,
                    cue_weight=s.cue_weight,
                    sentiment_windows=s.sentiment_windows,
                )
            return self._pool

    # ------------------------------------------------------------------ classify
    @overload
    def __call__(
        self, texts: str, targets: Sequence[str] | None = None, *, show_progress_bar: bool = False
    ) -> ArticleResult: ...

    @overload
    def __call__(
        self, texts: Iterable[str], targets: Sequence[str] | None = None, *, show_progress_bar: bool = False
    ) -> list[ArticleResult]: ...

    def __call__(
        self, texts: str | Iterable[str], targets: Sequence[str] | None = None, *, show_progress_bar: bool = False
    ) -> ArticleResult | list[ArticleResult]:
        """Classify one article (a ``str``) or many (any other iterable of ``str``).

        Args:
            texts: One article, or the articles (they share model batches of
                :attr:`batch_size` articles).
            targets: Issues to judge every actor against (free text, e.g.
                ``["military action against Iran"]``). Without them, each article's issues
                are discovered and grouped.
            show_progress_bar: Show a tqdm bar over articles.

        Returns:
            An :class:`~stance.results.ArticleResult` for a ``str``; a list of them, in
            input order, for an iterable.

        Raises:
            TypeError: ``texts`` is neither a ``str`` nor an iterable of ``str`` (bytes:
                decode first), or targets are not strings.
            ValueError: A text or target holds a lone surrogate (the message names its
                position and the fix), or the classifier is closed.
            stance.parallel.WorkerDiedError: With ``n_process > 1``, a worker died; the
                error names its articles.

        Example:
            >>> clf = load()  # doctest: +SKIP
            >>> clf("Qatar warned against military escalation.").positions[0].stance  # doctest: +SKIP
            'against'
            >>> [len(r.actors) for r in clf(["Iran hailed the talks.", "Israel urges action."])]  # doctest: +SKIP
            [1, 1]
        """
        one = isinstance(texts, (str, bytes, bytearray)) or not isinstance(texts, Iterable)
        if one:
            batch = [check_text(texts)]  # anything but a str raises, naming its type (bytes: how to decode)
        else:
            batch = list(texts)
            for i, t in enumerate(batch):
                check_text(t, name=f"texts[{i}]")
        checked = _check_targets(targets)
        _check_flag("show_progress_bar", show_progress_bar)
        runner = self._runner()
        if one:  # what Pipeline.classify does
            return runner.classify_many(batch, checked, batch_size=1, show_progress_bar=show_progress_bar)[0]
        return runner.classify_many(batch, checked, batch_size=self.batch_size, show_progress_bar=show_progress_bar)

    def stream(
        self,
        texts: Iterable[str],
        targets: Sequence[str] | None = None,
        *,
        chunk_size: int = 64,
        show_progress_bar: bool = False,
    ) -> Iterator[ArticleResult]:
        """Classify a stream: read ``chunk_size`` texts, yield their results, go on.

        For corpora too large to hold every result at once, or runs whose output should
        reach disk as it is made (a stopped run keeps what it wrote). ``texts`` is read
        lazily, so it may be a generator over a file. Results come in input order and equal
        what ``clf(list(texts))`` returns. Freed memory goes back to the OS after each
        chunk, so a long stream runs in flat memory.

        Args:
            texts: The articles, any iterable of ``str``.
            targets: Issues to judge every actor against (see :meth:`__call__`).
            chunk_size: Texts read before their results are yielded (memory grows with it;
                with worker processes, make it at least ``4 * n_process * batch_size`` to
                keep them busy).
            show_progress_bar: Show a tqdm bar over articles (no total: the stream's length
                is not known up front).

        Yields:
            One :class:`~stance.results.ArticleResult` per text, in order.

        Raises:
            TypeError: ``texts`` is a single string or not iterable, a text is not a
                ``str`` (raised when the stream reaches it), or targets are not strings.
            ValueError: ``chunk_size`` is not a positive int, or the classifier is closed.
            stance.parallel.WorkerDiedError: A worker died; its articles are named by
                their index in the whole stream.

        Example:
            >>> import json
            >>> clf = load()  # doctest: +SKIP
            >>> with open("news.jsonl") as fh, open("out.jsonl", "w") as out:  # doctest: +SKIP
            ...     texts = (json.loads(line)["text"] for line in fh)
            ...     for result in clf.stream(texts, chunk_size=256):
            ...         out.write(json.dumps(result.to_dict()) + "\\n")
        """
        if isinstance(texts, (str, bytes)):
            raise TypeError("texts must be an iterable of strings; for one article call the classifier: clf(text)")
        return self._stream(texts, targets, chunk_size, show_progress_bar, close_after=False)

    def _stream(
        self,
        texts: Iterable[str],
        targets: Sequence[str] | None,
        chunk_size: int,
        show_progress_bar: bool,
        *,
        close_after: bool,
    ) -> Iterator[ArticleResult]:
        """:meth:`stream`, checked now and run lazily; ``close_after``: close this classifier when
        the stream ends (its worker pool, started when the stream is first read, goes with it)."""
        _check_count("chunk_size", chunk_size)
        checked = _check_targets(targets)
        _check_flag("show_progress_bar", show_progress_bar)
        if not isinstance(texts, Iterable):
            raise TypeError(f"texts must be an iterable of strings, got {type(texts).__name__}")
        self._check_open()
        return _chunked_stream(
            iter(texts),
            checked,
            self._runner,
            self.close if close_after else None,
            chunk_size,
            self.batch_size,
            show_progress_bar,
        )

    # ------------------------------------------------------------------ actors
    def actors(self, text: str) -> list[Actor]:
        """The actors of one article (what the pipeline's actor step finds), without the model.

        The same as :func:`stance.extract_actors` (and as the actors of ``clf(text)``):
        merged mentions, canonical names, affiliations; only spaCy runs.

        Args:
            text: The article.

        Returns:
            Actors ordered by first mention; every mention span slices ``text``.

        Raises:
            TypeError: ``text`` is not a ``str``.
            ValueError: ``text`` holds a lone surrogate, or the classifier is closed.

        Example:
            >>> [a.name for a in load().actors("Qatar, Turkey and Saudi Arabia warned Iran.")]  # doctest: +SKIP
            ['Qatar', 'Turkey', 'Saudi Arabia', 'Iran']
        """
        check_text(text)
        self._check_open()
        if self._pipeline is not None:
            extractor, lock = self._pipeline.extractor, self._pipeline._parse_lock()
        else:  # the workers hold the pipelines: parse here
            with self._lock:
                if self._extractor is None:
                    from stance.actors import ActorExtractor

                    self._extractor = ActorExtractor()
            extractor = self._extractor
            lock = lock_for(extractor.nlp)
        with lock:
            return extractor.extract(text)


def _chunked_stream(
    texts: Iterator[Any],
    targets: Sequence[str] | None,
    start: Callable[[], Any],
    finish: Callable[[], None] | None,
    chunk_size: int,
    batch_size: int,
    show_progress_bar: bool,
) -> Iterator[ArticleResult]:
    """The generator behind :meth:`Classifier.stream`: ``start()`` gives what classifies a chunk
    (a pipeline or a :class:`~stance.parallel.ProcessPool`); ``finish()`` runs when the stream ends."""
    from stance.memory import release_memory

    bar = None
    try:
        runner = start()
        if show_progress_bar:
            from tqdm.auto import tqdm

            bar = tqdm(desc="articles", unit="article")
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
        if finish is not None:
            finish()


def load(
    model: str | os.PathLike[str] | StanceModel | None = None,
    *,
    backend: str = "torch",
    precision: str | None = None,
    n_process: int = 1,
    batch_size: int = 8,
    cue_weight: float | None = None,
    sentiment_windows: str | None = None,
) -> Classifier:
    """Load a model once and get a :class:`Classifier` to call on texts, lists and streams.

    Args:
        model: ``"accurate"`` (the default: an adapter over all-mpnet-base-v2, whose base
            ``stance setup`` installs), ``"fast"`` (MiniLM, faster; speeds in docs/models.md), a model
            directory, a loaded :class:`~stance.models.modeling.StanceModel`, or None for
            the default.
        backend: ``"torch"`` or ``"onnx"`` (see :class:`Classifier`).
        precision: ``"fp32"``, ``"bf16"`` or ``"auto"``; None keeps the precision the model
            declares (see :class:`Classifier`).
        n_process: Worker processes (``-1``: one per CPU); see :class:`Classifier`.
        batch_size: Articles per model batch.
        cue_weight: Override the syntactic-cue weight (None: the model's).
        sentiment_windows: ``"shared"``, ``"focused"``, or None for the model's setting.

    Returns:
        A :class:`Classifier`.

    Raises:
        TypeError: A bad ``model`` type, or a loaded model with ``n_process > 1``,
            ``backend="onnx"`` or a ``precision`` (call ``model.set_precision(...)`` instead).
        ValueError: A bad setting; the message names the accepted values.
        FileNotFoundError: No model at ``model``.

    Example:
        >>> import stance
        >>> clf = stance.load()  # doctest: +SKIP
        >>> results = clf(["Iran hailed the talks.", "Israel urges action."])  # doctest: +SKIP
        >>> for result in clf.stream(open_my_corpus()):  # doctest: +SKIP
        ...     save(result)
    """
    return Classifier(
        model,
        backend=backend,
        precision=precision,
        n_process=n_process,
        batch_size=batch_size,
        cue_weight=cue_weight,
        sentiment_windows=sentiment_windows,
    )
