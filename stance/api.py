"""The one obvious call: ``stance.classify(text)``; for more, ``clf = stance.load()``.

:func:`classify`, :func:`classify_many` and :func:`classify_iter` are one-line wrappers
over a :class:`~stance.classifier.Classifier` (:func:`stance.load`): they check their
arguments, take the classifier for their settings and call it.

Classifiers for one process are kept in a small cache in this module (``_CLASSIFIERS``,
at most :data:`CACHE_SIZE`, the least recently used dropped first): one per distinct
(model name or path, backend, precision, batch_size, cue_weight, sentiment_windows), so repeated
calls load nothing. A loaded model is never cached here (the caller holds it; each call
wraps it in a fresh classifier, which is cheap), and calls with ``n_process > 1`` start
their worker processes and stop them before returning (keep a ``stance.load(n_process=...)``
classifier to reuse them). Their pipelines come from :data:`stance.pipeline.PIPELINE_CACHE`
(``_PIPELINES`` here).

Example:
    >>> import stance
    >>> result = stance.classify(open("seeds/us_iran_talks_oman.txt").read())  # doctest: +SKIP
    >>> result.to_pandas()  # doctest: +SKIP
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from stance.classifier import Classifier, _check_count, _check_model, _check_settings, _check_targets, _Settings
from stance.pipeline import PIPELINE_CACHE as _PIPELINES  # noqa: F401 - the pipelines classifiers share
from stance.pipeline import get_pipeline  # noqa: F401 - part of this module's interface
from stance.results import ArticleResult
from stance.text import check_text

if TYPE_CHECKING:
    from stance.models.modeling import StanceModel

__all__ = ["classify", "classify_iter", "classify_many"]

#: Most single-process classifiers :func:`classify` and friends keep (one per distinct settings).
CACHE_SIZE = 8
_CLASSIFIERS: OrderedDict[tuple[Any, ...], Classifier] = OrderedDict()
_CLASSIFIERS_LOCK = threading.Lock()


def _classifier(model: Any, settings: _Settings) -> Classifier:
    """The single-process :class:`Classifier` for ``model`` and (checked) ``settings``: cached,
    except for a loaded model."""
    model = _check_model(model)
    kwargs = {**settings._asdict(), "n_process": 1}
    if model is not None and not isinstance(model, (str, os.PathLike)):
        return Classifier(model, **kwargs)  # the caller holds the model: the cache must not keep it alive
    key = (type(model).__name__, None if model is None else os.fspath(model), *kwargs.values())
    with _CLASSIFIERS_LOCK:
        clf = _CLASSIFIERS.get(key)
        if clf is None:
            clf = _CLASSIFIERS[key] = Classifier(model, **kwargs)
            while len(_CLASSIFIERS) > CACHE_SIZE:
                _CLASSIFIERS.popitem(last=False)
        else:
            _CLASSIFIERS.move_to_end(key)
        return clf


def classify(
    text: str,
    targets: Sequence[str] | None = None,
    *,
    model: str | os.PathLike[str] | StanceModel | None = None,
    precision: str | None = None,
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
        precision: ``"fp32"``, ``"bf16"`` (autocast: about 3x faster on CPUs with AMX) or
            ``"auto"`` (bf16 where the device computes it natively, else fp32); None keeps
            the precision the model declares. ``model`` must then be a directory or None
            (for a loaded model, call ``model.set_precision(...)``). The result records
            it in ``meta["precision"]``.
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
        TypeError: ``text`` is not a ``str`` (bytes: decode first), targets are not strings,
            or a loaded ``model`` with a ``precision``.
        ValueError: ``text`` or a target holds a lone surrogate (the message names its
            position and the fix; every other ``str`` is classified), or a bad setting
            (the message names the accepted values).

    Example:
        >>> r = classify("Qatar warned against military escalation.")  # doctest: +SKIP
        >>> r.positions[0].stance  # doctest: +SKIP
        'against'
    """
    check_text(text)
    targets = _check_targets(targets)
    settings = _check_settings("torch", precision, 1, 8, cue_weight, sentiment_windows)
    return _classifier(model, settings)(text, targets)


def classify_many(
    texts: Iterable[str],
    targets: Sequence[str] | None = None,
    *,
    model: str | os.PathLike[str] | StanceModel | None = None,
    batch_size: int = 8,
    show_progress_bar: bool = False,
    n_process: int = 1,
    backend: str = "torch",
    precision: str | None = None,
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
        precision: ``"fp32"``, ``"bf16"`` or ``"auto"``; None keeps the precision the
            model declares (see :func:`classify`). Every worker loads the model at it.
        cue_weight: Override the syntactic-cue weight (see :func:`classify`).
        sentiment_windows: Override the sentiment-window mode (see :func:`classify`).

    Returns:
        One :class:`~stance.results.ArticleResult` per text, in order.

    Raises:
        TypeError: ``texts`` is a single string or holds a non-string, targets are not
            strings, or a loaded ``model`` with ``n_process > 1``, ``backend="onnx"`` or a
            ``precision``.
        ValueError: A text or target holds a lone surrogate, or a bad setting (the message
            names the accepted values).

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
    settings = _check_settings(backend, precision, n_process, batch_size, cue_weight, sentiment_windows)
    if settings.n_process > 1:
        with Classifier._for_one_call(model, len(texts), **settings._asdict()) as clf:
            return clf(texts, targets, show_progress_bar=show_progress_bar)
    return _classifier(model, settings)(texts, targets, show_progress_bar=show_progress_bar)


def classify_iter(
    texts: Iterable[str],
    targets: Sequence[str] | None = None,
    *,
    model: str | os.PathLike[str] | StanceModel | None = None,
    chunk_size: int = 64,
    batch_size: int = 8,
    show_progress_bar: bool = False,
    n_process: int = 1,
    backend: str = "torch",
    precision: str | None = None,
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
        precision: ``"fp32"``, ``"bf16"``, ``"auto"``, or None for the model's (see
            :func:`classify`).
        cue_weight: Override the syntactic-cue weight (see :func:`classify`).
        sentiment_windows: Override the sentiment-window mode (see :func:`classify`).

    Yields:
        One :class:`~stance.results.ArticleResult` per text, in order.

    Raises:
        TypeError: ``texts`` is a single string, a text is not a ``str`` (raised when the
            stream reaches it), or targets are not strings.
        ValueError: ``chunk_size`` or ``batch_size`` is not a positive int, or a bad
            ``n_process``/``backend``/``precision``.

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
        _check_count(name, value)
    targets = _check_targets(targets)
    settings = _check_settings(backend, precision, n_process, batch_size, cue_weight, sentiment_windows)
    if settings.n_process > 1:
        # the worker processes start when the stream is first read, and stop when it ends
        clf = Classifier(model, **settings._asdict())
        return clf._stream(texts, targets, chunk_size, show_progress_bar, close_after=True)
    return _classifier(model, settings).stream(
        texts, targets, chunk_size=chunk_size, show_progress_bar=show_progress_bar
    )
