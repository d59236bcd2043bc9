"""Baselines with the model interface: ``fit``, ``predict_pairs``, ``predict_sentiment``.

Each baseline learns from schema records (dicts whose ``label`` indexes the pair or
sentiment labels) and returns ``[n, 3]`` probability arrays in the schema's label order,
exactly like the neural model, so the runner treats both the same way.

=============  ==========================================================================
``majority``   the most frequent training label (probabilities = training frequencies)
``vader``      VADER compound of the target's sentence(s), thresholds ±0.05 (sentiment only)
``tfidf``      TF-IDF word 1–2grams (+ char 2–5grams) of marker-annotated text, logistic
               regression; C and class_weight chosen on a tuning split
``minilm-lr``  frozen all-MiniLM-L6-v2 sentence + span embeddings, logistic regression
=============  ==========================================================================

Example:
    >>> rows = [{"text": "a", "target": "x", "label": 2}, {"text": "b", "target": "x", "label": 2}]
    >>> make_baseline("majority").fit(rows).predict_sentiment(rows[:1]).tolist()
    [[0.0, 0.0, 1.0]]
"""

from __future__ import annotations

import importlib
import logging
import random
from collections.abc import Sequence
from typing import Any

import numpy as np

from stance.data.schema import PAIR_LABELS, SENTIMENT_LABELS
from stance.evaluation import joint, markup

logger = logging.getLogger(__name__)

__all__ = [
    "Baseline",
    "MajorityBaseline",
    "VaderBaseline",
    "TfidfBaseline",
    "BASELINES",
    "baseline_names",
    "make_baseline",
    "fit_logistic_regression",
]

Records = Sequence[dict[str, Any]]


class Baseline:
    """Common interface of the baselines.

    Attributes:
        name: Registry name.
        families: Task families the baseline can handle (``"pair"``, ``"sentiment"``).
        needs_fit: Whether :meth:`fit` must be called before predicting.
    """

    name = "baseline"
    families: tuple[str, ...] = ("pair", "sentiment")
    needs_fit = True

    def __init__(self) -> None:
        self.info: dict[str, Any] = {}

    def fit(self, train_records: Records, tune_records: Records | None = None, *, average: str = "macro") -> Baseline:
        """Learn from ``train_records``; ``tune_records`` may be used to pick settings.

        ``average`` ("macro" or "micro") is the F1 averaging used to pick settings.
        """
        return self

    def _predict(self, records: Records, family: str, batch_size: int, show_progress_bar: bool) -> np.ndarray:
        raise NotImplementedError

    def _check_family(self, family: str) -> None:
        if family not in self.families:
            raise ValueError(f"baseline {self.name!r} does not handle {family} tasks (only {self.families})")

    def predict_pairs(self, records: Records, batch_size: int = 32, show_progress_bar: bool = False) -> np.ndarray:
        """Return ``[n, 3]`` (favor, against, none) probabilities for pair records."""
        self._check_family("pair")
        if not records:
            return np.zeros((0, 3))
        return self._predict(records, "pair", batch_size, show_progress_bar)

    def predict_sentiment(self, records: Records, batch_size: int = 32, show_progress_bar: bool = False) -> np.ndarray:
        """Return ``[n, 3]`` (negative, neutral, positive) probabilities for sentiment records."""
        self._check_family("sentiment")
        if not records:
            return np.zeros((0, 3))
        return self._predict(records, "sentiment", batch_size, show_progress_bar)


def _family_of(records: Records) -> str:
    if not records:
        raise ValueError("cannot fit a baseline on zero records")
    return "pair" if markup.is_pair_record(records[0]) else "sentiment"


def _labels(records: Records) -> np.ndarray:
    return np.asarray([int(r["label"]) for r in records], dtype=int)


class MajorityBaseline(Baseline):
    """Always predicts the most frequent training label.

    Example:
        >>> b = MajorityBaseline().fit([{"text": "t", "source": "a", "target": "b", "label": 1}])
        >>> b.predict_pairs([{"text": "u", "source": "a", "target": "b"}]).tolist()
        [[0.0, 1.0, 0.0]]
    """

    name = "majority"

    def fit(
        self, train_records: Records, tune_records: Records | None = None, *, average: str = "macro"
    ) -> MajorityBaseline:
        counts = np.bincount(_labels(train_records), minlength=3).astype(float)
        self.priors_ = counts / counts.sum()
        self.family_ = _family_of(train_records)
        names = PAIR_LABELS if self.family_ == "pair" else SENTIMENT_LABELS
        self.info = {"majority_label": names[int(self.priors_.argmax())]}
        return self

    def _predict(self, records: Records, family: str, batch_size: int, show_progress_bar: bool) -> np.ndarray:
        if not hasattr(self, "priors_"):
            raise RuntimeError("call fit() before predicting")
        return np.tile(self.priors_, (len(records), 1))


class VaderBaseline(Baseline):
    """VADER compound of the sentence(s) around the target: > 0.05 positive, < -0.05 negative.

    Sentence-level records use the sentence that contains the target span; article-level
    records (no span) use the sentences mentioning the target by name, averaged, or the
    whole text if none mentions it. Needs no training.

    Example:
        >>> VaderBaseline().predict_sentiment([{"text": "Biden is great.", "target": "Biden",
        ...     "target_start": 0, "target_end": 5}]).tolist()
        [[0.0, 0.0, 1.0]]
    """

    name = "vader"
    families = ("sentiment",)
    needs_fit = False
    threshold = 0.05

    def __init__(self) -> None:
        super().__init__()
        self._analyzer: Any = None
        self.info = {"threshold": self.threshold}

    def _sentences(self, record: dict[str, Any]) -> list[str]:
        from stance.text import find_all, split_sentences

        text = record["text"]
        start = int(record.get("target_start", -1) if record.get("target_start") is not None else -1)
        sentences = split_sentences(text)
        if 0 <= start < len(text):
            hit = [s.text for s in sentences if s.start <= start < s.end]
            return hit or [text]
        hits = find_all(text, record.get("target") or "", ignore_case=True)
        chosen = [s.text for s in sentences if any(s.start <= h.start < s.end for h in hits)]
        return chosen or [text]

    def compound(self, record: dict[str, Any]) -> float:
        """Mean VADER compound of the target's sentences."""
        if self._analyzer is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            self._analyzer = SentimentIntensityAnalyzer()
        scores = [self._analyzer.polarity_scores(s)["compound"] for s in self._sentences(record)]
        return float(np.mean(scores))

    def _predict(self, records: Records, family: str, batch_size: int, show_progress_bar: bool) -> np.ndarray:
        from tqdm.auto import tqdm

        out = np.zeros((len(records), 3))
        for i, record in enumerate(tqdm(records, desc="vader", disable=not show_progress_bar)):
            c = self.compound(record)
            out[i, 2 if c > self.threshold else 0 if c < -self.threshold else 1] = 1.0
        return out


def _holdout(records: Records, fraction: float = 0.2, seed: int = 0) -> tuple[list[int], list[int]]:
    """Split record indices into (fit, tune) by document, deterministically.

    Rows are grouped by ``doc_id``; when there are fewer than 20 documents (SemEval's
    ``doc_id`` is one of five targets) by ``group_id`` instead.

    Example:
        >>> _holdout([{"doc_id": "a"}, {"doc_id": "b"}], fraction=0.5)
        ([1], [0])
    """
    doc_keys = [str(r.get("doc_id") or "") for r in records]
    if len(set(doc_keys)) < 20 or not all(doc_keys):
        doc_keys = [str(r.get("group_id") or i) for i, r in enumerate(records)]
    groups = sorted(set(doc_keys))
    random.Random(seed).shuffle(groups)
    tune_groups = set(groups[: max(1, int(round(len(groups) * fraction)))])
    fit_idx, tune_idx = [], []
    for i, key in enumerate(doc_keys):
        (tune_idx if key in tune_groups else fit_idx).append(i)
    return fit_idx, tune_idx


def _tune_score(y_true: np.ndarray, y_pred: np.ndarray, average: str = "macro") -> float:
    from sklearn.metrics import f1_score

    if average not in ("macro", "micro"):
        raise ValueError(f"average must be 'macro' or 'micro', got {average!r}")
    return float(f1_score(y_true, y_pred, average=average, zero_division=0))


def fit_logistic_regression(
    X: Any,
    y: np.ndarray,
    X_tune: Any = None,
    y_tune: np.ndarray | None = None,
    *,
    grid_c: Sequence[float] = (0.25, 1.0, 4.0),
    grid_class_weight: Sequence[str | None] = (None, "balanced"),
    max_iter: int = 2000,
    average: str = "macro",
) -> tuple[Any, dict[str, Any]]:
    """Fit a logistic regression, choosing C and class_weight by F1 on the tune set.

    ``average`` is the F1 averaging used for the choice: ``"macro"`` (default) or
    ``"micro"`` (accuracy, for tasks scored by micro-F1 such as SEESAW pairs).

    Without a tune set, a grid with a single value gives that value; otherwise ``C=1``
    and ``class_weight="balanced"`` are used. The model is fitted on ``X``/``y`` only.

    Returns:
        ``(model, info)``; ``info`` records the chosen settings and the tune scores.

    Example:
        >>> X = np.array([[0.0], [1.0], [0.1], [0.9]]); y = np.array([0, 1, 0, 1])
        >>> model, info = fit_logistic_regression(X, y)
        >>> info["C"], info["class_weight"]
        (1.0, 'balanced')
        >>> fit_logistic_regression(X, y, grid_c=(8.0,), grid_class_weight=(None,))[1]["C"]
        8.0
    """
    from sklearn.linear_model import LogisticRegression

    def make(c: float, cw: str | None) -> Any:
        return LogisticRegression(C=c, class_weight=cw, max_iter=max_iter)

    info: dict[str, Any] = {
        "C": float(grid_c[0]) if len(grid_c) == 1 else 1.0,
        "class_weight": grid_class_weight[0] if len(grid_class_weight) == 1 else "balanced",
        "tune_scores": [],
    }
    if X_tune is not None and y_tune is not None and len(y_tune) and len(set(y.tolist())) > 1:
        best = -1.0
        for c in grid_c:
            for cw in grid_class_weight:
                score = _tune_score(y_tune, make(c, cw).fit(X, y).predict(X_tune), average)
                info["tune_scores"].append({"C": c, "class_weight": cw, f"{average}_f1": round(score, 4)})
                logger.info("C=%s class_weight=%s tune %s-F1 %.4f", c, cw, average, score)
                if score > best:
                    best, info["C"], info["class_weight"] = score, c, cw
    model = make(info["C"], info["class_weight"]).fit(X, y) if len(set(y.tolist())) > 1 else None
    return model, info


def proba_3(model: Any, X: Any, constant: int | None = None, n_classes: int = 3) -> np.ndarray:
    """``predict_proba`` spread over all ``n_classes`` classes (missing ones get 0).

    With ``model=None`` (a training set with a single class) every row is one-hot on
    ``constant``.
    """
    n = X.shape[0]
    out = np.zeros((n, n_classes))
    if model is None:
        out[:, int(constant or 0)] = 1.0
        return out
    out[:, model.classes_.astype(int)] = model.predict_proba(X)
    return out


class TfidfBaseline(Baseline):
    """TF-IDF of marker-annotated text + logistic regression.

    Source and target spans are wrapped in distinct marker words (``srcstart`` …
    ``tgtend``); a source or target not in the text is appended after a separator. Word
    1–2grams, plus char 2–5grams when ``char_ngrams`` is true. C and class_weight are
    tuned on ``tune_records`` (or on a 20% hold-out of the training documents).

    When the pair rows come as sibling pairs (both directions between the same two spans
    of a sentence, as in Park et al. 2021) the sentence is classified jointly into the
    five classes of :mod:`stance.evaluation.joint` with p/q markers, and each row gets its
    direction's marginal probabilities (``joint_directions="auto"``: when at least 90% of
    the training rows are such pairs).

    Args:
        char_ngrams: Add character n-gram features (slower; small gains).
        max_features: Cap on each vocabulary.
        joint_directions: ``"auto"``, True or False.

    Example:
        >>> rows = [{"text": t, "target": "x", "label": l} for t, l in
        ...         [("good x", 2), ("bad x", 0), ("great x", 2), ("awful x", 0)] * 3]
        >>> TfidfBaseline().fit(rows).predict_sentiment(rows[:1]).argmax(1).tolist()
        [2]
    """

    name = "tfidf"
    grid_c = (1.0, 4.0, 16.0)

    def __init__(self, char_ngrams: bool = False, max_features: int = 200_000, joint_directions: Any = "auto") -> None:
        super().__init__()
        self.char_ngrams = char_ngrams
        self.max_features = max_features
        self.joint_directions = joint_directions

    def _texts(self, records: Records) -> list[str]:
        fmt = markup.mark_pair if markup.is_pair_record(records[0]) else markup.mark_sentiment
        return [fmt(r) for r in records]

    def _examples(self, records: Records, joint_mode: bool) -> tuple[list[str], np.ndarray, list[dict[str, Any]]]:
        """Texts, labels and the records they stand for (one per sentence in joint mode)."""
        if not joint_mode:
            return self._texts(records), _labels(records), list(records)
        idx, labels = joint.joint_examples(records)
        return (
            [joint.mark_joint(records[i]) or "" for i in idx],
            np.asarray(labels, dtype=int),
            [records[i] for i in idx],
        )

    def _vectorizer(self, n_docs: int) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion

        min_df = 2 if n_docs >= 50 else 1
        parts = [
            (
                "word",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    min_df=min_df,
                    sublinear_tf=True,
                    max_features=self.max_features,
                    token_pattern=r"(?u)\b\w+\b",
                ),
            )
        ]
        if self.char_ngrams:
            parts.append(
                (
                    "char",
                    TfidfVectorizer(
                        analyzer="char_wb",
                        ngram_range=(2, 5),
                        min_df=min_df,
                        sublinear_tf=True,
                        max_features=self.max_features,
                    ),
                )
            )
        return FeatureUnion(parts)

    def fit(
        self, train_records: Records, tune_records: Records | None = None, *, average: str = "macro"
    ) -> TfidfBaseline:
        family = _family_of(train_records)
        joint_mode = family == "pair" and (
            self.joint_directions is True
            or (self.joint_directions == "auto" and joint.joint_coverage(train_records) >= 0.9)
        )
        texts, y, example_records = self._examples(train_records, joint_mode)
        if len(y) == 0:
            raise ValueError("no usable training examples")
        tuned_on = "tune split"
        if tune_records:
            tune_texts, y_tune, _ = self._examples(tune_records, joint_mode)
            fit_texts, y_fit = texts, y
        else:
            fit_idx, tune_idx = _holdout(example_records)
            tuned_on = "20% of training documents"
            tune_texts, y_tune = [texts[i] for i in tune_idx], y[tune_idx]
            fit_texts, y_fit = [texts[i] for i in fit_idx], y[fit_idx]
        vec = self._vectorizer(len(fit_texts))
        _, info = fit_logistic_regression(
            vec.fit_transform(fit_texts),
            y_fit,
            vec.transform(tune_texts),
            y_tune,
            grid_c=self.grid_c,
            average=average,
        )
        self.vectorizer_ = self._vectorizer(len(texts))
        X = self.vectorizer_.fit_transform(texts)
        self.model_, _ = fit_logistic_regression(X, y, grid_c=(info["C"],), grid_class_weight=(info["class_weight"],))
        self.joint_ = joint_mode
        self.constant_ = int(np.bincount(y).argmax())
        counts = np.bincount(_labels(train_records), minlength=3).astype(float)
        self.priors_ = counts / counts.sum()
        self.info = {
            "C": info["C"],
            "class_weight": info["class_weight"],
            "tuned_on": tuned_on,
            "tune_scores": info["tune_scores"],
            "tune_average": average,
            "char_ngrams": self.char_ngrams,
            "joint_directions": joint_mode,
            "n_examples": int(len(y)),
            "n_features": int(X.shape[1]),
        }
        return self

    def _predict(self, records: Records, family: str, batch_size: int, show_progress_bar: bool) -> np.ndarray:
        if not hasattr(self, "vectorizer_"):
            raise RuntimeError("call fit() before predicting")
        if not self.joint_:
            return proba_3(self.model_, self.vectorizer_.transform(self._texts(records)), self.constant_)
        out = np.tile(self.priors_, (len(records), 1))
        views = [(i, joint.mark_joint(r), joint.orient(r)) for i, r in enumerate(records)]
        usable = [(i, text, o[2]) for i, text, o in views if text is not None and o is not None]
        if len(usable) < len(records):
            logger.warning(
                "%d rows lack two usable spans; they get the training label frequencies", len(records) - len(usable)
            )
        if usable:
            probs5 = proba_3(
                self.model_,
                self.vectorizer_.transform([t for _, t, _ in usable]),
                self.constant_,
                n_classes=len(joint.JOINT_CLASSES),
            )
            out[[i for i, _, _ in usable]] = joint.to_directional(probs5, [f for _, _, f in usable])
        return out


#: Baseline classes by name; strings are imported on first use.
BASELINES: dict[str, Any] = {
    "majority": MajorityBaseline,
    "vader": VaderBaseline,
    "tfidf": TfidfBaseline,
    "minilm-lr": "stance.evaluation.minilm:MiniLMBaseline",
}


def baseline_names() -> list[str]:
    """Names of all baselines, sorted.

    Example:
        >>> baseline_names()
        ['majority', 'minilm-lr', 'tfidf', 'vader']
    """
    return sorted(BASELINES)


def make_baseline(name: str, **kwargs: Any) -> Baseline:
    """Instantiate the baseline called ``name``.

    Raises:
        ValueError: For an unknown name (the message lists the baselines).

    Example:
        >>> make_baseline("vader").families
        ('sentiment',)
    """
    try:
        cls = BASELINES[name]
    except KeyError:
        raise ValueError(f"unknown baseline {name!r}; known baselines: {', '.join(baseline_names())}") from None
    if isinstance(cls, str):
        module_name, _, attr = cls.partition(":")
        cls = getattr(importlib.import_module(module_name), attr)
    return cls(**kwargs)
