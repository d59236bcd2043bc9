"""Fit the article-level sentiment rule of a stance model (bias or aggregator) and choose its cue weight.

Mention-level sentiment (NewsMTSC) and article-level portrayal (SEESAW) have different
label priors: most entities of an article are portrayed neutrally even when single
mentions carry sentiment. :func:`fit_sentiment_bias` learns a per-label log-prior shift
``b`` (neutral fixed at 0) so that ``argmax(log mean_mention_probs + b)`` maximises
macro-F1 on SEESAW *train* articles, computed exactly as :func:`stance.classify` does
(:mod:`stance.evaluation.article`). The result goes into the model's ``config.json``
(``stance.article_sentiment_bias``, with the fitting record in
``stance.article_sentiment_calibration``); validation and test data are never used.

With ``--aggregator``, :func:`fit_sentiment_aggregator` fits a multinomial logistic
regression over features of each entity's mentions (:func:`stance.aggregate.mention_features`:
per label the mean, maximum, share of mentions and first mention, plus the number of mentions
and where the first one falls) instead; ``--persent-dir`` adds PerSenT's validation split
(never its test split). It is stored as ``stance.article_sentiment_aggregator`` and replaces
the bias-shifted mean in :class:`stance.pipeline.Pipeline`.

Both rules read the model's mention probabilities, so fit the head temperatures first
(:mod:`stance.training.temperature`); refit these rules whenever the temperatures change.

With ``--cue-weights``, :func:`fit_cue_weight` chooses the syntactic-cue weight (the
log-odds the pipeline adds to an explicit construction's stance, :mod:`stance.cues`) by
end-to-end triplet F1 on SEESAW ``--split validation``, the split every rule of the article
pipeline is decided on; stored as ``stance.cue_weight`` with ``stance.cue_calibration``.

Commands (``stance calibrate`` is the same tool)::

    python -m stance.training.calibrate --model stance/resources/models/stance-minilm \\
        --data-dir ../shared/data/seesaw --write
    python -m stance.training.calibrate --model stance/resources/models/stance-minilm \\
        --data-dir ../shared/data/seesaw --aggregator --persent-dir ../shared/data/persent --write
    python -m stance.training.calibrate --model stance/resources/models/stance-minilm \\
        --data-dir ../shared/data/seesaw --split validation --cue-weights 0 1 2 3 4 --write

Example:
    >>> import numpy as np
    >>> probs = np.array([[0.5, 0.3, 0.2], [0.45, 0.4, 0.15], [0.1, 0.3, 0.6]])
    >>> fit_sentiment_bias(probs, [0, 1, 2], grid=np.arange(-1, 1.01, 0.5))["bias"]
    [-0.5, 0.0, 0.0]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

__all__ = [
    "fit_sentiment_bias",
    "fit_sentiment_aggregator",
    "fit_shifted_regression",
    "grid_search_bias",
    "macro_f1_by_source",
    "regression_probabilities",
    "calibrate_model",
    "update_stance_config",
    "add_arguments",
    "run",
    "main",
]

DEFAULT_GRID = np.round(np.arange(-3.0, 3.0001, 0.1), 2)


def grid_search_bias(
    score: Callable[[list[float]], float], grid: Any = None, free: tuple[int, int] = (0, 2)
) -> tuple[list[float], float]:
    """The 3-label log-prior shift, ``free`` labels on ``grid`` and the third at 0, maximising ``score(bias)``.

    Among equally good biases the one with the smallest ``|b1| + |b2|`` wins (no shift
    first), then the first in grid order.

    Returns:
        ``(bias, score(bias))``.

    Example:
        >>> grid_search_bias(lambda b: 1 - abs(b[0] - 0.5) - abs(b[2]), grid=[0.0, 0.5, 1.0])
        ([0.5, 0.0, 0.0], 1.0)
    """
    grid = DEFAULT_GRID if grid is None else np.asarray(grid, dtype=np.float64)
    zero = [0.0, 0.0, 0.0]
    best = (score(zero), 0.0, zero)
    for x in grid:
        for y in grid:
            bias = [0.0, 0.0, 0.0]
            bias[free[0]], bias[free[1]] = float(x), float(y)
            key = (score(bias), -(abs(float(x)) + abs(float(y))))
            if key > best[:2]:
                best = (*key, bias)
    return best[2], best[0]


def fit_sentiment_bias(probs: Any, gold: Sequence[int], grid: Any = None) -> dict[str, Any]:
    """Grid-search the (negative, positive) log-prior shift that maximises macro-F1.

    Args:
        probs: ``[n, 3]`` article probabilities (negative, neutral, positive) with no bias.
        gold: Gold label indices.
        grid: Candidate values for each of the two free biases (default -3 … 3 by 0.1).

    Returns:
        ``{"bias": [b_neg, 0.0, b_pos], "macro_f1_before", "macro_f1_after", "n"}``.
        Among equally good biases the one with the smallest ``|b_neg| + |b_pos|`` wins.

    Raises:
        ValueError: If shapes disagree or there is nothing to fit.
    """
    from sklearn.metrics import f1_score

    from stance.aggregate import shift_probabilities

    p = np.asarray(probs, dtype=np.float64)
    y = np.asarray(gold, dtype=int)
    if p.ndim != 2 or p.shape[1] != 3 or len(p) != len(y) or len(y) == 0:
        raise ValueError(f"probs must be [n, 3] with n = len(gold) > 0; got {p.shape} and {len(y)} labels")

    def score(bias: Sequence[float]) -> float:
        pred = shift_probabilities(p, bias).argmax(-1)
        return float(f1_score(y, pred, labels=[0, 1, 2], average="macro", zero_division=0))

    bias, after = grid_search_bias(score, grid)
    return {
        "bias": [round(b, 4) + 0.0 for b in bias],
        "macro_f1_before": score([0.0, 0.0, 0.0]),
        "macro_f1_after": after,
        "n": int(len(y)),
    }


def macro_f1_by_source(true: Any, pred: Any, sources: Any) -> float:
    """Mean over the corpora in ``sources`` of each one's 3-label macro-F1.

    Example:
        >>> round(macro_f1_by_source([0, 1, 2, 1], [0, 1, 2, 2], ["a", "a", "b", "b"]), 3)  # (2/3 + 2/9) / 2
        0.444
    """
    from sklearn.metrics import f1_score

    t, p, s = (np.asarray(v) for v in (true, pred, sources))
    return float(
        np.mean(
            [
                f1_score(t[s == n], p[s == n], labels=[0, 1, 2], average="macro", zero_division=0)
                for n in sorted(set(s.tolist()))
            ]
        )
    )


def regression_probabilities(model: Any, x: Any) -> np.ndarray:
    """``[n, 3]`` probabilities of a fitted classifier, 0 for a label it never saw."""
    probs = np.zeros((len(x), 3))
    probs[:, model.classes_] = model.predict_proba(x)
    return probs


def fit_shifted_regression(x: Any, y: Any, sources: Any, c: float, grid: Any = None) -> tuple[Any, list[float]]:
    """A logistic regression on ``(x, y)`` (no class weights) and the per-label shift of its
    in-sample probabilities that maximises :func:`macro_f1_by_source` (:func:`grid_search_bias`).

    Returns:
        ``(model, bias)``; the aggregator's intercept is ``model.intercept_ + bias``.
    """
    from sklearn.linear_model import LogisticRegression

    from stance.aggregate import shift_probabilities

    grid = np.round(np.arange(-2.0, 2.0001, 0.2), 2) if grid is None else grid
    model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    probs = regression_probabilities(model, x)
    bias, _ = grid_search_bias(lambda b: macro_f1_by_source(y, shift_probabilities(probs, b).argmax(1), sources), grid)
    return model, bias


def fit_sentiment_aggregator(
    examples: Sequence[Mapping[str, Any]],
    gold: Sequence[int],
    groups: Sequence[str],
    sources: Sequence[str] | None = None,
    *,
    cs: Sequence[float] = (0.1, 0.3, 1.0, 3.0, 10.0),
    n_splits: int = 5,
    bias_grid: Any = None,
) -> dict[str, Any]:
    """Fit a :class:`~stance.aggregate.SentimentAggregator` (multinomial logistic regression).

    Two steps, both on the training examples: a logistic regression over
    :func:`~stance.aggregate.mention_features` (no class weights, so its probabilities keep
    the corpora's label priors), then a per-label log-prior shift of its probabilities
    (negative and positive against neutral, :func:`grid_search_bias`) that maximises
    macro-F1 — the shift folds into the intercept. ``C`` is chosen by grouped
    cross-validation (folds split by ``groups``, i.e. articles, so no article is on both
    sides; the shift is refitted inside each fold) on macro-F1; with ``sources`` every score
    is the mean of each source's macro-F1, so a small corpus weighs as much as a large one.
    The chosen setting is then refitted on every example.

    Args:
        examples: Per entity ``{"probs": [n, 3], "starts": [n], "text_length": int}``
            (:meth:`stance.evaluation.article.ArticleSentimentPredictor.mention_sentiments`).
        gold: Label index per example (0 negative, 1 neutral, 2 positive).
        groups: Article id per example.
        sources: Corpus name per example (default: one corpus).
        cs: Inverse regularisation strengths to try.
        n_splits: Cross-validation folds.
        bias_grid: Candidate values of each free shift (default -2 … 2 by 0.2).

    Returns:
        ``{"aggregator": SentimentAggregator.to_dict(), "C", "bias", "cv_macro_f1",
        "cv_accuracy", "cv_predicted_counts", "cv": [every setting's scores], "n",
        "n_by_source", "label_counts"}``.

    Raises:
        ValueError: Lengths disagree, a label is outside 0-2 or missing, or the examples
            come from fewer than 2 articles (folds are capped at the number of articles).

    Example:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> ex = [{"probs": rng.dirichlet([1, 1, 1], size=2), "starts": [0, 9], "text_length": 20} for _ in range(60)]
        >>> gold = [int(e["probs"].mean(0).argmax()) for e in ex]
        >>> rec = fit_sentiment_aggregator(ex, gold, [str(i % 12) for i in range(60)], n_splits=3, cs=(1.0,))
        >>> rec["cv_macro_f1"] > 0.5
        True
    """
    from sklearn.model_selection import GroupKFold

    from stance.aggregate import AGGREGATOR_FEATURES, SentimentAggregator, mention_features, shift_probabilities

    y = np.asarray(gold, dtype=int)
    g = np.asarray(groups)
    src = np.asarray(sources if sources is not None else ["all"] * len(y))
    if not (len(examples) == len(y) == len(g) == len(src)) or len(y) == 0:
        raise ValueError(
            f"examples, gold, groups and sources must have one entry per entity; got {len(examples)}, {len(y)}, "
            f"{len(g)}, {len(src)}"
        )
    if y.min() < 0 or y.max() > 2:
        raise ValueError("gold labels must be 0 (negative), 1 (neutral) or 2 (positive)")
    n_groups = len(set(g.tolist()))
    if n_groups < 2:
        raise ValueError(f"need entities from at least 2 articles (groups) to cross-validate, got {n_groups}")
    if len(set(y.tolist())) < 3:
        raise ValueError(
            f"every label needs examples to fit an aggregator; got labels {sorted(set(y.tolist()))} "
            "(0 negative, 1 neutral, 2 positive): fit on more articles"
        )
    n_splits = min(n_splits, n_groups)
    grid = np.round(np.arange(-2.0, 2.0001, 0.2), 2) if bias_grid is None else np.asarray(bias_grid, dtype=np.float64)
    x = np.stack([mention_features(e["probs"], e.get("starts"), e.get("text_length")) for e in examples])

    def predict(model: Any, bias: list[float], rows: np.ndarray) -> np.ndarray:
        return shift_probabilities(regression_probabilities(model, x[rows]), bias).argmax(1)

    table = []
    for c in cs:
        pred = np.zeros_like(y)
        for tr, te in GroupKFold(n_splits=n_splits).split(x, y, g):
            pred[te] = predict(*fit_shifted_regression(x[tr], y[tr], src[tr], c, grid), te)
        table.append(
            {
                "C": float(c),
                "cv_macro_f1": macro_f1_by_source(y, pred, src),
                "cv_accuracy": float(np.mean(pred == y)),
                "cv_predicted_counts": np.bincount(pred, minlength=3).tolist(),
            }
        )
    best = max(table, key=lambda t: (round(t["cv_macro_f1"], 6), -abs(np.log10(t["C"]))))
    model, bias = fit_shifted_regression(x, y, src, best["C"], grid)
    aggregator = SentimentAggregator(
        coef=model.coef_.tolist(),
        intercept=(model.intercept_ + np.asarray(bias)).tolist(),
        features=AGGREGATOR_FEATURES,
    )
    return {
        "aggregator": aggregator.to_dict(),
        "C": best["C"],
        "bias": [round(b, 4) + 0.0 for b in bias],
        "cv_macro_f1": best["cv_macro_f1"],
        "cv_accuracy": best["cv_accuracy"],
        "cv_predicted_counts": best["cv_predicted_counts"],
        "cv": table,
        "n": int(len(y)),
        "n_by_source": {n: int((src == n).sum()) for n in sorted(set(src.tolist()))},
        "label_counts": np.bincount(y, minlength=3).tolist(),
    }


def calibrate_model(
    model_dir: str | Path,
    data_dir: str | Path,
    *,
    split: str = "train",
    max_articles: int = 0,
    write: bool = False,
    show_progress_bar: bool = True,
    aggregator: bool = False,
    persent_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Fit the article-sentiment rule of the model in ``model_dir`` on SEESAW entity sentiment ``split``.

    Args:
        model_dir: A stance model directory.
        data_dir: The SEESAW folder.
        split: The SEESAW split to fit on (keep ``train``).
        max_articles: Use only the first this many articles of each corpus (0 = all; for
            smoke tests).
        write: Store the result in ``model_dir/config.json``.
        show_progress_bar: Show a tqdm bar over articles.
        aggregator: Fit a :class:`~stance.aggregate.SentimentAggregator` over mention
            features (:func:`fit_sentiment_aggregator`) instead of the per-label bias of the
            mean rule; stored as ``stance.article_sentiment_aggregator``.
        persent_dir: With ``aggregator``: also fit on PerSenT's ``validation`` split (its
            test split is never read), each corpus weighing equally in model selection.

    Returns:
        The fitting record (see :func:`fit_sentiment_bias` / :func:`fit_sentiment_aggregator`)
        plus ``data``, ``split`` and ``articles`` (and ``routes`` for the bias).

    Raises:
        ValueError: ``persent_dir`` without ``aggregator``.
    """
    from stance.data import load_dataset_dir
    from stance.evaluation.article import ArticleSentimentPredictor
    from stance.models import load_model

    if persent_dir is not None and not aggregator:
        raise ValueError("persent_dir is only used to fit an aggregator; pass aggregator=True (--aggregator)")

    def first_articles(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not max_articles:
            return records
        keep = set(list(dict.fromkeys(r["doc_id"] for r in records))[:max_articles])
        return [r for r in records if r["doc_id"] in keep]

    records = first_articles(load_dataset_dir("seesaw_entity_sentiment", str(data_dir))[split].to_list())
    model = load_model(str(model_dir))
    if aggregator:
        predictor = ArticleSentimentPredictor(model)
        corpora = [("seesaw entity sentiment", split, records)]
        if persent_dir is not None:
            persent = first_articles(load_dataset_dir("persent", str(persent_dir))["validation"].to_list())
            corpora.append(("persent", "validation", persent))
        examples, gold, groups, sources = [], [], [], []
        for name, _part, recs in corpora:
            for r, ex in zip(recs, predictor.mention_sentiments(recs, show_progress_bar=show_progress_bar)):
                if ex is not None:  # entities with no matched actor take the fallback path
                    examples.append(ex)
                    gold.append(int(r["label"]))
                    groups.append(f"{name}:{r['doc_id']}")
                    sources.append(name)
        record = fit_sentiment_aggregator(examples, gold, groups, sources)
        record.update(
            {
                "data": " + ".join(f"{name} `{part}`" for name, part, _ in corpora),
                "articles": {name: len({r["doc_id"] for r in recs}) for name, _, recs in corpora},
            }
        )
        logger.info(
            "article sentiment aggregator: C=%s, shift %s, cross-validated macro-F1 %.4f on %s",
            record["C"],
            record["bias"],
            record["cv_macro_f1"],
            record["data"],
        )
        if write:
            update_stance_config(
                model_dir,
                {
                    "article_sentiment_aggregator": record["aggregator"],
                    "article_sentiment_aggregator_fit": {k: v for k, v in record.items() if k != "aggregator"},
                },
            )
        return record
    predictor = ArticleSentimentPredictor(model, sentiment_bias=(0.0, 0.0, 0.0))
    probs = predictor.predict_sentiment(records, show_progress_bar=show_progress_bar)
    record = fit_sentiment_bias(probs, [int(r["label"]) for r in records])
    record.update(
        {
            "data": "seesaw entity sentiment",
            "split": split,
            "articles": predictor.info.get("articles"),
            "routes": predictor.info.get("routes"),
        }
    )
    logger.info(
        "article sentiment bias %s: macro-F1 on %s %.4f -> %.4f",
        record["bias"],
        split,
        record["macro_f1_before"],
        record["macro_f1_after"],
    )
    if write:
        update_stance_config(
            model_dir, {"article_sentiment_bias": record["bias"], "article_sentiment_calibration": record}
        )
    return record


def fit_cue_weight(
    model_dir: str | Path,
    data_dir: str | Path,
    weights: Sequence[float],
    *,
    split: str = "validation",
    max_articles: int = 0,
    write: bool = False,
    show_progress_bar: bool = True,
) -> dict[str, Any]:
    """Choose the model's syntactic-cue weight by end-to-end F1 on SEESAW ``split``.

    Every article is parsed and scored once (:func:`stance.evaluation.e2e.results_by_cue_weight`)
    and the weight is chosen by triplet F1 (``stance evaluate seesaw-e2e``'s metric), with
    differences below one matched triplet counted as ties (:func:`choose_cue_weight`).

    Returns:
        ``{"chosen", "metric", "split", "tried": {weight: f1}, "pair_connected": {weight: share}}``;
        with ``write``, stored as ``cue_weight`` and ``cue_calibration`` in ``config.json``.

    Raises:
        ValueError: ``weights`` empty or out of range (the message says what is allowed).
    """
    from stance.data.seesaw import load_seesaw_articles
    from stance.evaluation.e2e import article_texts, results_by_cue_weight, score_results

    articles = load_seesaw_articles(str(data_dir))[split].to_list()
    if max_articles:
        articles = articles[:max_articles]
    by_weight = results_by_cue_weight(
        article_texts(articles), str(model_dir), weights, show_progress_bar=show_progress_bar
    )
    scores = {w: score_results(articles, results) for w, results in by_weight.items()}
    chosen, tolerance = choose_cue_weight(scores)
    record = {
        "chosen": chosen,
        "metric": "f1",
        "rule": "highest F1; F1 within one matched triplet of the best is a tie, won by the higher "
        "pair_connected, then the smaller weight",
        "tie_tolerance": round(tolerance, 5),
        "split": f"seesaw {split} (seesaw-e2e)",
        "articles": len(articles),
        "tried": {f"{w:g}": round(scores[w]["f1"], 4) for w in scores},
        "pair_connected": {f"{w:g}": round(scores[w]["pair_connected"], 4) for w in scores},
    }
    logger.info("cue weight %g: end-to-end F1 %s on %s", chosen, record["tried"], record["split"])
    if write:
        update_stance_config(model_dir, {"cue_weight": chosen, "cue_calibration": record})
    return record


def choose_cue_weight(scores: Mapping[float, Mapping[str, float]]) -> tuple[float, float]:
    """The cue weight to ship from end-to-end scores per weight, and the F1 tie tolerance.

    One matched triplet moves F1 by ``2 / (n_gold + n_pred)``; weights whose F1 is within that
    of the best are tied (a smaller difference is not one triplet), and the tie goes to the
    higher ``pair_connected`` (subject and object linked at all), then to the smaller weight.

    Example:
        >>> s = {0.0: {"f1": 0.2527, "pair_connected": 0.3528, "n_gold": 1145, "n_pred": 1500},
        ...      4.0: {"f1": 0.2526, "pair_connected": 0.3546, "n_gold": 1145, "n_pred": 1500}}
        >>> choose_cue_weight(s)[0]
        4.0
    """
    if not scores:
        raise ValueError("no cue weights were scored: pass at least one weight (e.g. --cue-weights 0 1 2)")
    best = max(sorted(scores), key=lambda w: scores[w]["f1"])
    tolerance = 2.0 / max(1.0, float(scores[best]["n_gold"]) + float(scores[best]["n_pred"]))
    tied = [w for w in sorted(scores) if scores[w]["f1"] >= scores[best]["f1"] - tolerance]
    return max(tied, key=lambda w: (scores[w]["pair_connected"], -w)), tolerance


def update_stance_config(model_dir: str | Path, values: Mapping[str, Any]) -> None:
    """Set keys of the ``stance`` block of ``model_dir/config.json`` (the calibration commands' writer)."""
    cfg_path = Path(model_dir) / "config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["stance"].update(values)
    cfg_path.write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n", encoding="utf-8")


LOG_LEVEL = logging.INFO  # `stance calibrate` logs progress like `python -m stance.training.calibrate`


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``stance calibrate`` / ``python -m stance.training.calibrate`` arguments."""
    parser.add_argument("--model", required=True, help="stance model directory")
    parser.add_argument("--data-dir", required=True, help="the SEESAW folder (../shared/data/seesaw)")
    parser.add_argument("--split", default="train")
    parser.add_argument("--max-articles", type=int, default=0)
    parser.add_argument("--write", action="store_true", help="store the result in the model's config.json")
    parser.add_argument(
        "--aggregator",
        action="store_true",
        help="fit a logistic-regression aggregator over mention features instead of the mean rule's bias",
    )
    parser.add_argument(
        "--persent-dir", default=None, help="with --aggregator: also fit on PerSenT validation (../shared/data/persent)"
    )
    parser.add_argument(
        "--cue-weights",
        type=float,
        nargs="+",
        default=None,
        metavar="W",
        help="choose the syntactic-cue weight among these by end-to-end F1 on SEESAW --split "
        "(use --split validation) instead of fitting the sentiment rule",
    )


def run(args: argparse.Namespace) -> int:
    """Fit, print the fitting record as JSON; 2 on bad input (the message names it)."""
    try:
        if args.cue_weights is not None:
            if args.aggregator or args.persent_dir:
                raise ValueError("--cue-weights fits the cue weight alone; drop --aggregator / --persent-dir")
            record = fit_cue_weight(
                args.model,
                args.data_dir,
                args.cue_weights,
                split=args.split,
                max_articles=args.max_articles,
                write=args.write,
            )
            sys.stdout.write(json.dumps(record, indent=2) + "\n")
            return 0
        record = calibrate_model(
            args.model,
            args.data_dir,
            split=args.split,
            max_articles=args.max_articles,
            write=args.write,
            aggregator=args.aggregator,
            persent_dir=args.persent_dir,
        )
    except ValueError as exc:
        sys.stderr.write(f"stance calibrate: error: {exc}\n")
        return 2
    sys.stdout.write(json.dumps(record, indent=2) + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m stance.training.calibrate --model DIR --data-dir SEESAW [--write]`` (= ``stance calibrate``)."""
    parser = argparse.ArgumentParser(prog="python -m stance.training.calibrate", description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=LOG_LEVEL, format="%(levelname)s %(name)s: %(message)s")
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
