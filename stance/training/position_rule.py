"""Fit a model's position rule (:class:`stance.positions.PositionRule`) on SEESAW train articles.

Every SEESAW *train* article goes through the pipeline once (:meth:`Pipeline.scored`);
every (actor, target) pair it scores becomes one example, its :data:`POSITION_FEATURES`
read exactly as :func:`stance.aggregate.aggregate_positions` reads them, labelled by the
article's gold triplets under :mod:`stance.evaluation.e2e`'s matching rule (favor /
against / none; a pair gold gives both polarities is left out). A multinomial logistic
regression is fitted for each ``C``; ``C`` and the polar ``threshold`` are the pair that
maximises end-to-end F1 over held-out articles (grouped K-fold over train articles), and
the rule is refitted on all of them. Validation and test articles are never read.

The rule reads the model's pair probabilities after the syntactic cues, so fit the head
temperatures and the cue weight first; refit it whenever they change.

Command (``stance calibrate --positions`` is the same)::

    python -m stance.training.calibrate --positions --model stance/resources/models/stance-minilm \\
        --data-dir ../shared/data/seesaw --write

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(120, len(POSITION_FEATURES)))
    >>> y = np.where(x[:, 0] > 0.7, 0, np.where(x[:, 1] > 0.7, 1, 2))  # favor / against when feature 0 / 1 is high
    >>> rec = select_rule(x, y, [i // 4 for i in range(120)], cs=(1.0,), thresholds=(0.3, 0.5), n_splits=3)
    >>> rec["C"], rec["label_counts"]
    (1.0, {'favor': 24, 'against': 21, 'none': 75})
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from stance.positions import POSITION_FEATURES, ArticleContext, PositionRule, article_features

logger = logging.getLogger(__name__)

__all__ = ["LABELS", "pair_examples", "select_rule", "fit_position_rule"]

#: Label index of a pair example: its gold stance, or none.
LABELS = ("favor", "against", "none")
DEFAULT_CS = (0.1, 1.0, 10.0)
DEFAULT_THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.06, 0.505, 0.02))


def _label(actor: str, target: str, gold: set[tuple[str, str, str]]) -> int | None:
    from stance.evaluation.e2e import names_match

    found = {pol for subj, pol, obj in gold if names_match(actor, subj) and names_match(target, obj)}
    if len(found) > 1:
        return None
    return LABELS.index(found.pop()) if found else 2


def pair_examples(
    pipeline: Any,
    articles: Sequence[dict[str, Any]],
    scored: Sequence[tuple[Any, Any, Any]],
    target_kinds: Sequence[str] = ("actor", "issue"),
) -> dict:
    """The pair examples of scored SEESAW articles.

    Args:
        pipeline: The :class:`stance.pipeline.Pipeline` that scored them.
        articles: SEESAW article records (:func:`stance.data.seesaw.load_seesaw_articles`).
        scored: ``(prepared, pair_probs, sent_probs)`` per article (:meth:`Pipeline.scored`).
        target_kinds: The pairs the rule will decide; the others keep the threshold rule and
            their triplets are returned as ``fixed``.

    Returns:
        ``{"x": [n, F], "y": [n], "article": [n], "pairs": [(actor, target)], "gold": [set per
        article], "fixed": [set per article]}``; only pairs spoken in the actor's own name (no
        ``via``) are examples or fixed triplets.
    """
    from stance.aggregate import aggregate_positions, group_observations
    from stance.evaluation.e2e import gold_triplets

    xs, ys, arts, pairs, golds, fixed = [], [], [], [], [], []
    for i, (article, (prep, pair_probs, _sent)) in enumerate(zip(articles, scored)):
        gold = gold_triplets(article)
        golds.append(gold)
        fixed.append(set())
        if not prep.actors:
            continue
        observations, _issues = pipeline.observations(prep, pair_probs)
        fixed[-1] = {
            (p.actor, p.stance, p.target)
            for p in aggregate_positions(observations, pipeline.aggregation)
            if p.via is None and p.target_kind not in target_kinds
        }
        groups = group_observations(observations)
        feats = article_features(
            {k: ([v[1] for v in g.values()], [v[2] for v in g.values()]) for k, g in groups.items()},
            ArticleContext.build(prep.text, prep.actors),
        )
        for (actor, target, kind, via), f in feats.items():
            if via is not None or kind not in target_kinds:
                continue
            y = _label(actor, target, gold)
            if y is None:
                continue
            xs.append(f)
            ys.append(y)
            arts.append(i)
            pairs.append((actor, target))
    x = np.stack(xs) if xs else np.zeros((0, len(POSITION_FEATURES)))
    return {
        "x": x,
        "y": np.asarray(ys, dtype=int),
        "article": np.asarray(arts, dtype=int),
        "pairs": pairs,
        "gold": golds,
        "fixed": fixed,
    }


def _e2e_f1(
    probs: np.ndarray, threshold: float, article: np.ndarray, pairs: Sequence, gold: Sequence, fixed: Sequence | None
) -> float:
    """End-to-end F1 of the triplets the rule's decisions give, beside the ``fixed`` ones (e2e matching rule)."""
    from stance.evaluation.e2e import score

    rule = PositionRule(coef=[[0.0] * len(POSITION_FEATURES)] * 3, intercept=[0, 0, 0], threshold=threshold)
    arts = list(range(len(gold)))  # every article, also those without a pair the rule decides
    preds: dict[int, set] = {a: set(fixed[a]) if fixed is not None else set() for a in arts}
    for (stance, _c), a, (actor, target) in zip(rule.decide(probs), article, pairs):
        if stance != "neutral":
            preds[int(a)].add((actor, stance, target))
    return float(score([gold[a] for a in arts], [preds[a] for a in arts])["f1"])


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000).fit(x, y)


def select_rule(
    x: np.ndarray,
    y: np.ndarray,
    article: Sequence[int],
    *,
    pairs: Sequence[tuple[str, str]] | None = None,
    gold: Sequence[set] | None = None,
    fixed: Sequence[set] | None = None,
    target_kinds: Sequence[str] = ("actor", "issue"),
    cs: Sequence[float] = DEFAULT_CS,
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    n_splits: int = 5,
    seed: int = 0,
) -> dict[str, Any]:
    """Choose ``C`` and ``threshold`` by grouped K-fold over articles, then refit on all.

    With ``pairs`` and ``gold`` the criterion is end-to-end F1 (:mod:`stance.evaluation.e2e`)
    of the held-out articles' triplets, with each article's ``fixed`` triplets (those of the
    pairs the rule does not decide) added; without them, micro-F1 of the polar labels over
    the held-out pairs (for tests and examples). ``target_kinds`` goes into the rule.

    Returns:
        ``{"rule": PositionRule.to_dict(), "C", "threshold", "cv_f1", "cv_grid", "examples",
        "label_counts", "n_splits"}``.

    Raises:
        ValueError: Fewer articles than folds, or a label without examples.
    """
    from sklearn.model_selection import GroupKFold

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=int)
    article = np.asarray(article, dtype=int)
    if len(set(article.tolist())) < n_splits:
        raise ValueError(f"need at least {n_splits} articles for {n_splits}-fold selection, got {len(set(article))}")
    if sorted(set(y.tolist())) != [0, 1, 2]:
        raise ValueError(f"every label (favor, against, none) needs examples; got labels {sorted(set(y.tolist()))}")
    rng = np.random.default_rng(seed)
    ids = np.unique(article)
    shuffled = dict(zip(ids.tolist(), rng.permutation(len(ids)).tolist()))
    groups = np.array([shuffled[a] for a in article.tolist()])
    folds = list(GroupKFold(n_splits=n_splits).split(x, y, groups))
    grid: dict[tuple[float, float], float] = {}
    for c in cs:
        probs = np.zeros((len(y), 3))
        for train_idx, test_idx in folds:
            probs[test_idx] = _fit(x[train_idx], y[train_idx], c).predict_proba(x[test_idx])
        for t in thresholds:
            if pairs is not None and gold is not None:
                grid[(c, t)] = _e2e_f1(probs, t, article, pairs, gold, fixed)
            else:
                pred = np.where(np.maximum(probs[:, 0], probs[:, 1]) >= t, probs[:, :2].argmax(1), 2)
                tp = float(np.sum((pred == y) & (y < 2)))
                n_pred, n_gold = float(np.sum(pred < 2)), float(np.sum(y < 2))
                grid[(c, t)] = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0
    (best_c, best_t), best = max(grid.items(), key=lambda kv: (round(kv[1], 6), -abs(np.log10(kv[0][0])), kv[0][1]))
    model = _fit(x, y, best_c)
    rule = PositionRule(
        coef=model.coef_.tolist(),
        intercept=model.intercept_.tolist(),
        threshold=best_t,
        target_kinds=tuple(target_kinds),
    )
    return {
        "rule": rule.to_dict(),
        "C": best_c,
        "threshold": best_t,
        "cv_f1": round(best, 4),
        "cv_grid": {f"C={c:g} t={t:g}": round(v, 4) for (c, t), v in sorted(grid.items())},
        "examples": int(len(y)),
        "label_counts": {lab: int(np.sum(y == i)) for i, lab in enumerate(LABELS)},
        "n_splits": n_splits,
    }


def fit_position_rule(
    model_dir: str | Path,
    data_dir: str | Path,
    *,
    split: str = "train",
    max_articles: int = 0,
    write: bool = False,
    show_progress_bar: bool = True,
    target_kinds: Sequence[str] = ("actor",),
) -> dict[str, Any]:
    """Fit the position rule of the model in ``model_dir`` on SEESAW ``split`` (keep ``train``).

    ``target_kinds`` are the pairs the rule decides. The default is relations between actors
    only: SEESAW's gold objects are mostly named entities, so a rule fitted on issue pairs
    learns to drop positions on issues (measured in docs/experiments.md).

    Returns:
        The fitting record of :func:`select_rule` plus ``data``, ``split`` and ``articles``.

    Raises:
        ValueError: ``split`` is not a SEESAW train split name, or the data gives too few examples.
    """
    from stance.data.seesaw import load_seesaw_articles
    from stance.evaluation.e2e import article_texts
    from stance.models import load_model
    from stance.pipeline import Pipeline
    from stance.training.calibrate import update_stance_config

    articles = load_seesaw_articles(str(data_dir))
    if split not in articles:
        raise ValueError(f"the SEESAW copy at {data_dir} has no split {split!r}; it has {sorted(articles)}")
    records = articles[split].to_list()
    if max_articles:
        records = records[:max_articles]
    pipeline = Pipeline(model=load_model(str(model_dir)), position_rule="threshold")
    scored = list(pipeline.scored(article_texts(records), batch_size=8, show_progress_bar=show_progress_bar))
    ex = pair_examples(pipeline, records, scored, target_kinds)
    record = select_rule(
        ex["x"],
        ex["y"],
        ex["article"],
        pairs=ex["pairs"],
        gold=ex["gold"],
        fixed=ex["fixed"],
        target_kinds=target_kinds,
    )
    record.update({"data": "seesaw end-to-end triplets", "split": split, "articles": len(records)})
    logger.info(
        "position rule: C=%s, threshold %s, cross-validated end-to-end F1 %.4f on %d %s articles",
        record["C"],
        record["threshold"],
        record["cv_f1"],
        len(records),
        split,
    )
    if write:
        update_stance_config(
            model_dir,
            {"position_rule": record["rule"], "position_rule_fit": {k: v for k, v in record.items() if k != "rule"}},
        )
    return record
