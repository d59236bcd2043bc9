"""The object-first API: ``clf = stance.load(...)``; ``clf(text)``, ``clf(texts)``, ``clf.stream``, ``clf.actors``.

Every test runs on the tiny random model of ``conftest.py`` (the shipped model is only
named, never loaded: its directory is read for its name).
"""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import threading
import typing
from pathlib import Path

import pytest

from tests.conftest import results_close

TEXTS = [
    "Qatar warned against military escalation. Israel urges immediate action against Iran.",
    "Iran hailed the talks in Oman as a good start. The United States demanded that Iran give up its nuclear program.",
    "Turkey and Saudi Arabia backed diplomacy. President Trump threatened strikes if the talks fail.",
    "",
    "Protesters criticised the government. The minister rejected the deal.",
]
TARGETS = ["military action against Iran"]


def _dicts(results) -> list[dict]:
    return [r.to_dict() for r in results]


class _PathLike(os.PathLike):
    """A path type that is neither str nor pathlib.Path."""

    def __init__(self, path: Path) -> None:
        self._path = str(path)

    def __fspath__(self) -> str:
        return self._path


# ---------------------------------------------------------------------- same results as the functions
@pytest.mark.parametrize("as_path", [False, True])
def test_call_on_a_text_equals_classify(tiny_model, tiny_model_dir: Path, as_path: bool):
    import stance

    model = str(tiny_model_dir) if as_path else tiny_model
    clf = stance.load(model)
    assert isinstance(clf, stance.Classifier)
    for text in TEXTS[:3]:
        got = clf(text)
        assert isinstance(got, stance.ArticleResult)
        assert got.to_dict() == stance.classify(text, model=model).to_dict()
    with_targets = clf(TEXTS[0], targets=TARGETS)
    assert with_targets.to_dict() == stance.classify(TEXTS[0], TARGETS, model=model).to_dict()
    assert [i.name for i in with_targets.issues] == TARGETS


def test_call_on_a_list_equals_classify_many(tiny_model_dir: Path):
    import stance

    clf = stance.load(str(tiny_model_dir), batch_size=2)
    got = clf(TEXTS)
    assert isinstance(got, list) and len(got) == len(TEXTS)
    assert _dicts(got) == _dicts(stance.classify_many(TEXTS, model=str(tiny_model_dir), batch_size=2))
    assert _dicts(clf(TEXTS, targets=TARGETS)) == _dicts(
        stance.classify_many(TEXTS, TARGETS, model=str(tiny_model_dir), batch_size=2)
    )
    assert _dicts(clf(t for t in TEXTS)) == _dicts(got)  # any iterable
    assert clf([]) == []
    # one article in a list is classified as that article alone
    assert clf([TEXTS[0]])[0].to_dict() == clf(TEXTS[0]).to_dict()


def test_stream_equals_the_list_and_reads_lazily(tiny_model_dir: Path):
    import stance

    clf = stance.load(_PathLike(tiny_model_dir), batch_size=2)
    expected = _dicts(clf(TEXTS))
    pulled: list[int] = []

    def source():
        for i, t in enumerate(TEXTS):
            pulled.append(i)
            yield t

    stream = clf.stream(source(), chunk_size=2)
    first = next(stream)
    assert pulled == [0, 1]  # only the first chunk has been read
    got = [first.to_dict(), *_dicts(stream)]
    assert len(got) == len(TEXTS)
    assert all(results_close(a, b, 1e-5) for a, b in zip(expected, got))
    iterated = _dicts(stance.classify_iter(TEXTS, model=str(tiny_model_dir), chunk_size=2, batch_size=2))
    assert all(results_close(a, b, 1e-5) for a, b in zip(iterated, got))
    assert not clf.closed  # a stream does not close the classifier it runs on


def test_stream_names_a_bad_text_when_it_reaches_it(tiny_model):
    import stance

    stream = stance.load(tiny_model).stream(["Qatar warned Iran.", None], chunk_size=1)
    assert next(stream).model
    with pytest.raises(TypeError, match=r"texts\[1\] must be str, got NoneType"):
        next(stream)


def test_actors_without_the_model(tiny_model_dir: Path, monkeypatch):
    import stance

    clf = stance.load(str(tiny_model_dir))
    text = TEXTS[0] + " " + TEXTS[2]
    expected = [a.actor for a in clf(text).actors]
    model = clf._pipeline.model

    def boom(*args, **kwargs):
        raise AssertionError("actors() ran the model")

    monkeypatch.setattr(model, "score", boom)
    monkeypatch.setattr(model, "embed", boom)
    got = clf.actors(text)
    assert got == expected == stance.extract_actors(text)
    assert {a.name for a in got} >= {"Qatar", "Israel", "Iran", "Turkey"}
    assert all(isinstance(a, stance.Actor) for a in got)
    assert clf.actors("   ") == []
    with pytest.raises(TypeError, match="decode"):
        clf.actors(b"Qatar")


# ---------------------------------------------------------------------- settings, repr, lifetime
def test_settings_and_repr(tiny_model):
    import stance

    clf = stance.load(tiny_model, batch_size=3)
    name = clf(TEXTS[0]).model
    assert name and clf.model_name == name
    assert (clf.backend, clf.n_process, clf.batch_size, clf.cue_weight, clf.sentiment_windows) == (
        "torch",
        1,
        3,
        None,
        None,
    )
    assert repr(clf) == f"Classifier(model={name!r}, backend='torch', n_process=1, batch_size=3)"
    tuned = stance.load(tiny_model, cue_weight=2, sentiment_windows="focused")
    assert tuned.cue_weight == 2.0 and tuned.sentiment_windows == "focused"
    assert repr(tuned).endswith("batch_size=8, cue_weight=2.0, sentiment_windows='focused')")
    assert tuned(TEXTS[0]).meta["sentiment_windows"] == "focused"
    with pytest.raises(AttributeError):
        clf.batch_size = 4  # read-only


def test_precision_is_chosen_at_load_and_recorded(tiny_model_dir: Path):
    """None keeps the model's precision (the tiny model declares none: fp32); a chosen one
    loads its own copy of the model, so the default classifier's model is untouched."""
    import stance

    path = str(tiny_model_dir)
    default = stance.load(path)
    assert default.precision is None and "precision" not in repr(default)
    assert default(TEXTS[0]).meta["precision"] == "fp32"
    assert stance.classify(TEXTS[0], model=path).meta["precision"] == "fp32"
    clf = stance.load(path, precision="bf16")
    assert clf.precision == "bf16"
    assert repr(clf).endswith("batch_size=8, precision='bf16')")
    assert clf(TEXTS[0]).meta["precision"] == "bf16"
    assert {r.meta["precision"] for r in clf(TEXTS[:2])} == {"bf16"}
    assert clf._pipeline.model is not default._pipeline.model
    assert stance.classify(TEXTS[0], model=path, precision="bf16").meta["precision"] == "bf16"
    assert {r.meta["precision"] for r in stance.classify_many(TEXTS[:2], model=path, precision="bf16")} == {"bf16"}
    streamed = stance.classify_iter(TEXTS[:2], model=_PathLike(tiny_model_dir), precision="bf16", chunk_size=1)
    assert [r.meta["precision"] for r in streamed] == ["bf16", "bf16"]
    assert stance.classify(TEXTS[0], model=path, precision="fp32").meta["precision"] == "fp32"
    assert stance.classify(TEXTS[0], model=path, precision="auto").meta["precision"] in ("fp32", "bf16")
    assert default(TEXTS[0]).meta["precision"] == "fp32"  # the shared model was not switched


def test_shipped_model_is_named_without_loading_it():
    """A worker classifier reads the model's name from its directory (``"fast"`` resolves to it)."""
    import stance

    with stance.load("fast", n_process=2) as clf:
        assert clf.model_name == "stance-minilm@0.2.0"
        assert repr(clf) == "Classifier(model='stance-minilm@0.2.0', backend='torch', n_process=2, batch_size=8)"
        assert clf._pool is None  # no worker has started
    assert repr(clf).endswith(", closed)")


def test_context_manager_closes(tiny_model):
    import stance

    with stance.load(tiny_model) as clf:
        assert clf(TEXTS[0]).model
        assert not clf.closed
    assert clf.closed
    for call in (lambda: clf(TEXTS[0]), lambda: clf(TEXTS), lambda: clf.stream(TEXTS), lambda: clf.actors(TEXTS[0])):
        with pytest.raises(ValueError, match="closed; load a new one"):
            call()
    clf.close()  # idempotent


def test_worker_processes_are_reused_and_closed(tiny_model_dir: Path):
    import stance

    expected = _dicts(stance.classify_many(TEXTS, model=str(tiny_model_dir), batch_size=2))
    with stance.load(str(tiny_model_dir), n_process=2, batch_size=2) as clf:
        assert clf._pool is None  # workers start on first use
        got = _dicts(clf(TEXTS))
        pool = clf._pool
        assert pool is not None
        streamed = _dicts(clf.stream(iter(TEXTS), chunk_size=3))
        assert clf._pool is pool  # the same workers served the stream
        one = clf(TEXTS[1]).to_dict()
        actors = clf.actors(TEXTS[1])
    assert pool._pool is None and clf._pool is None and clf.closed  # the workers were stopped
    assert all(results_close(a, b, 1e-4) for a, b in zip(expected, got))
    assert all(results_close(a, b, 1e-4) for a, b in zip(expected, streamed))
    assert results_close(one, expected[1], 1e-4)
    assert actors == stance.extract_actors(TEXTS[1])


def test_one_classifier_from_several_threads(tiny_model):
    import stance

    clf = stance.load(tiny_model, batch_size=2)
    expected = _dicts(clf(TEXTS))
    out: list = [None] * 3
    errors: list[BaseException] = []
    barrier = threading.Barrier(3)

    def run(i: int) -> None:
        try:
            barrier.wait()
            order = TEXTS[i:] + TEXTS[:i]
            got = [clf(t).to_dict() for t in order]
            out[i] = [got[(k - i) % len(order)] for k in range(len(order))]
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    for got in out:
        assert got == [clf(t).to_dict() for t in TEXTS]
        assert all(results_close(a, b, 1e-5) for a, b in zip(expected, got))


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"model": 42}, TypeError, "model must be 'fast', 'accurate', a model directory"),
        ({"model": b"/models/x"}, TypeError, "model must be"),
        ({"backend": "tensorrt"}, ValueError, "backend must be one of"),
        ({"n_process": 0}, ValueError, "n_process must be >= 1"),
        ({"n_process": 2.0}, TypeError, "n_process must be an int"),
        ({"batch_size": 0}, ValueError, "batch_size must be an int >= 1"),
        ({"batch_size": True}, ValueError, "batch_size must be an int >= 1"),
        ({"cue_weight": -1}, ValueError, "cue_weight must be a number"),
        ({"sentiment_windows": "per-mention"}, ValueError, "sentiment_windows"),
        ({"precision": "fp16"}, ValueError, r"precision must be one of \('auto', 'fp32', 'bf16'\), got 'fp16'"),
        ({"precision": 16}, ValueError, "precision must be one of"),
    ],
)
def test_bad_settings_fail_at_load(tiny_model, kwargs, error, match):
    import stance

    kwargs = {"model": tiny_model, **kwargs}
    with pytest.raises(error, match=match):
        stance.load(**kwargs)


def test_a_loaded_model_cannot_go_to_workers_or_onnx(tiny_model):
    import stance

    with pytest.raises(TypeError, match="save_pretrained"):
        stance.load(tiny_model, n_process=2)
    with pytest.raises(TypeError, match="needs a model directory or None"):
        stance.load(tiny_model, backend="onnx")
    with pytest.raises(TypeError, match=r"call model\.set_precision\('bf16'\) on it instead"):
        stance.load(tiny_model, precision="bf16")
    with pytest.raises(TypeError, match=r"model\.set_precision\('fp32'\)"):
        stance.classify(TEXTS[0], model=tiny_model, precision="fp32")
    with pytest.raises(ValueError, match="precision must be one of"):
        stance.classify(TEXTS[0], model=tiny_model, precision="half")
    assert tiny_model.precision == "fp32"


@pytest.mark.parametrize("n_process", [1, 2])
def test_missing_models_fail_at_load(tmp_path: Path, n_process: int):
    import stance

    with pytest.raises(FileNotFoundError, match="no stance model at"):
        stance.load(tmp_path / "nothing-here", n_process=n_process)


def test_bad_inputs_name_the_fix(tiny_model):
    import stance

    clf = stance.load(tiny_model)
    with pytest.raises(TypeError, match="decode it first"):
        clf(b"Qatar warned Iran.")
    with pytest.raises(TypeError, match="text must be str, got int"):
        clf(42)
    with pytest.raises(TypeError, match=r"texts\[1\] must be str, got int"):
        clf(["Qatar warned Iran.", 3])
    with pytest.raises(ValueError, match="lone surrogate"):
        clf("Qatar \ud800")
    with pytest.raises(TypeError, match="targets must be a list of strings"):
        clf("Qatar warned Iran.", targets="military action")
    with pytest.raises(TypeError, match="every target must be str"):
        clf("Qatar warned Iran.", targets=[1])
    with pytest.raises(TypeError, match="show_progress_bar must be True or False"):
        clf("Qatar warned Iran.", show_progress_bar="yes")
    with pytest.raises(TypeError, match=r"for one article call the classifier: clf\(text\)"):
        clf.stream("Qatar warned Iran.")
    with pytest.raises(TypeError, match="texts must be an iterable of strings, got int"):
        clf.stream(42)
    with pytest.raises(ValueError, match="chunk_size must be an int >= 1"):
        clf.stream(["a"], chunk_size=0)
    with pytest.raises(TypeError, match="targets must be a list of strings"):
        clf.stream(["a"], targets="military action")  # checked when the stream is made, not when read


# ---------------------------------------------------------------------- the functions' classifier cache
def test_functions_share_one_classifier_per_settings(tiny_model, tiny_model_dir: Path):
    import stance
    from stance import api

    api._CLASSIFIERS.clear()
    path = str(tiny_model_dir)
    stance.classify(TEXTS[0], model=path)
    stance.classify_many(TEXTS[:2], model=path)
    assert len(api._CLASSIFIERS) == 1  # same model and settings: one classifier
    (clf,) = api._CLASSIFIERS.values()
    list(stance.classify_iter(TEXTS[:2], model=path))
    assert list(api._CLASSIFIERS.values()) == [clf]
    stance.classify(TEXTS[0], model=path, cue_weight=1.0)
    stance.classify_many(TEXTS[:2], model=path, batch_size=2)
    assert len(api._CLASSIFIERS) == 3
    stance.classify(TEXTS[0], model=tiny_model)  # a loaded model is never kept by the cache
    assert len(api._CLASSIFIERS) == 3
    for i in range(api.CACHE_SIZE + 2):  # bounded: the least recently used go first
        stance.classify("", model=path, cue_weight=float(i))
    assert len(api._CLASSIFIERS) == api.CACHE_SIZE
    assert clf not in api._CLASSIFIERS.values()


def test_default_model_comes_from_the_pipeline_cache(tiny_model, monkeypatch):
    """``stance.api._PIPELINES['None']`` set before the first call routes ``stance.classify(text)``
    (the quickstart notebook's test does this to run on the tiny model)."""
    from collections import OrderedDict

    import stance
    from stance import api
    from stance.pipeline import Pipeline

    monkeypatch.setattr(api, "_CLASSIFIERS", OrderedDict())
    monkeypatch.setitem(api._PIPELINES, "None", Pipeline(model=tiny_model))
    expected = stance.classify(TEXTS[0], model=tiny_model).to_dict()
    assert stance.classify(TEXTS[0]).to_dict() == expected
    assert _dicts(stance.classify_many(TEXTS[:1])) == [expected]


# ---------------------------------------------------------------------- exports and types
def test_exports_are_complete():
    import stance
    from stance import results

    names = {
        "load",
        "Classifier",
        "classify",
        "classify_many",
        "classify_iter",
        "extract_actors",
        "load_model",
        "read_articles",
        "StanceModel",
        "WorkerDiedError",
        "StanceLabel",
        "SentimentLabel",
        "ActorKind",
        "TargetKind",
        "STANCE_LABELS",
        "SENTIMENT_LABELS",
        "ACTOR_KINDS",
        "TARGET_KINDS",
    }
    public_results = {
        n
        for n, v in vars(results).items()
        if not n.startswith("_") and getattr(v, "__module__", "") == results.__name__
    }
    assert public_results >= {"Span", "Actor", "Sentiment", "Evidence", "Position", "Issue", "ArticleResult"}
    missing = (names | public_results) - set(stance.__all__)
    assert not missing, f"not exported from stance: {sorted(missing)}"
    for name in stance.__all__:
        assert getattr(stance, name) is not None
    assert set(dir(stance)) >= set(stance.__all__)


def test_import_stance_stays_light():
    code = (
        "import sys, stance; stance.load; stance.Classifier; stance.StanceLabel; "
        "print(sorted(m for m in ('torch', 'transformers', 'spacy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_labels_are_literals_defined_once():
    import stance
    from stance.results import Evidence, Position, Sentiment

    assert typing.get_args(stance.StanceLabel) == stance.STANCE_LABELS == ("favor", "against", "neutral")
    assert typing.get_args(stance.SentimentLabel) == stance.SENTIMENT_LABELS == ("negative", "neutral", "positive")
    assert typing.get_type_hints(Position)["stance"] == stance.StanceLabel
    assert typing.get_type_hints(Position)["target_kind"] == stance.TargetKind
    assert typing.get_type_hints(Evidence)["stance"] == stance.StanceLabel
    assert typing.get_type_hints(Sentiment)["label"] == stance.SentimentLabel
    assert typing.get_type_hints(stance.Actor)["kind"] == stance.ActorKind
    for fn in (stance.load, stance.classify, stance.classify_many, stance.classify_iter, stance.Classifier):
        annotation = inspect.signature(fn).parameters["model"].annotation
        assert annotation == "str | os.PathLike[str] | StanceModel | None", (fn, annotation)
