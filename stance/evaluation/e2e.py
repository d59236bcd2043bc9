"""End-to-end triplet recovery on SEESAW: raw article in, (subject, polarity, object) out.

For every SEESAW article, the article text (:func:`stance.data.seesaw.article_text`: title,
newline, sentences joined by spaces) goes through the classify pipeline, and its positions
and relations become predicted triplets ``(actor, favor|against, target)``. Gold triplets
are the article's annotated ``(subject, POS|NEG, object)`` with a *named* subject (not the
author, not "Not in the list") and a listed object, deduplicated per article.

Matching rule (documented, symmetric, article level; :func:`names_match`):

* names are normalised: lower case, punctuation removed, leading "the" dropped;
* a predicted actor matches a gold subject (and a predicted target a gold object) when the
  normalised strings are equal, or one's token sequence contains the other's, or both are
  person-like names sharing the last token ("Barack Obama" ~ "Obama"), or the content-word
  Jaccard overlap is at least 0.5;
* polarity must agree (POS ↔ favor, NEG ↔ against);
* each gold triplet is matched at most once; rolled-up positions (``via``) are not counted
  as extra predictions.

Precision = matched predictions / predictions; recall = matched gold / gold.

Decomposition (:func:`decompose`), each a share of the gold triplets:

* ``subject_found``: some extracted actor's name matches the gold subject;
* ``object_found``: some actor name, issue name or issue phrase matches the gold object;
* ``pair_connected``: some predicted triplet (either polarity) links a matching actor to a
  matching target;
* ``polarity_correct``: such a triplet has the gold polarity.

Example:
    >>> names_match("Obama", "Barack Obama")
    True
    >>> score([{("Iran", "against", "sanctions")}], [{("Iran", "against", "the sanctions")}])["f1"]
    1.0
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

logger = logging.getLogger(__name__)

__all__ = [
    "MATCHING_RULE",
    "METRICS",
    "names_match",
    "normalise",
    "gold_triplets",
    "predicted_triplets",
    "score",
    "decompose",
    "score_results",
    "article_texts",
    "results_by_cue_weight",
]

#: One-line statement of the matching rule, copied into every result.
MATCHING_RULE = (
    "normalised names equal / token containment / shared last token / content Jaccard >= 0.5; "
    "polarity must agree; each gold matched once; rolled-up (via) positions excluded; "
    "gold subjects: named entities only (no author, no 'Not in the list')"
)
#: Metric keys of the end-to-end task, headline first.
METRICS = ("f1", "precision", "recall", "subject_found", "object_found", "pair_connected", "polarity_correct")

STOP = frozenset("the a an of to in on for and or with by at from its their his her".split())
_UNNAMED = frozenset({"", "None", "Not in the list", "<author>"})

Triplet = tuple[str, str, str]


def normalise(name: str) -> list[str]:
    """Lower-cased word tokens of ``name`` without punctuation or a leading "the".

    Example:
        >>> normalise("The U.S. Senate")
        ['u', 's', 'senate']
    """
    tokens = re.sub(r"[^\w\s]", " ", name.lower()).split()
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return tokens


def _contains(a: list[str], b: list[str]) -> bool:
    if not a or not b or len(b) > len(a):
        return False
    return any(a[i : i + len(b)] == b for i in range(len(a) - len(b) + 1))


def names_match(pred: str, gold: str) -> bool:
    """The documented matching rule between a predicted and a gold name.

    Example:
        >>> names_match("immigration executive action", "executive action on immigration")
        True
        >>> names_match("Iran", "Israel")
        False
    """
    p, g = normalise(pred), normalise(gold)
    if not p or not g:
        return False
    if p == g or _contains(p, g) or _contains(g, p):
        return True
    if len(g) >= 2 and p[-1] == g[-1] and p[-1] not in STOP:
        return True
    cp, cg = {t for t in p if t not in STOP}, {t for t in g if t not in STOP}
    return bool(cp and cg) and len(cp & cg) / len(cp | cg) >= 0.5


def gold_triplets(article: dict[str, Any]) -> set[Triplet]:
    """The article's gold ``(subject, favor|against, object)`` with a named subject and a listed object.

    ``article`` is a row of :func:`stance.data.seesaw.load_seesaw_articles`.

    Example:
        >>> sorted(gold_triplets({"triplets": [
        ...     {"subject": "Iran", "polarity": "NEG", "object": "sanctions"},
        ...     {"subject": "<author>", "polarity": "POS", "object": "Iran"}]}))
        [('Iran', 'against', 'sanctions')]
    """
    out = set()
    for t in article["triplets"]:
        subj, obj = t["subject"], t["object"]
        if subj in _UNNAMED or obj in _UNNAMED:
            continue
        out.add((subj, "favor" if t["polarity"] == "POS" else "against", obj))
    return out


def predicted_triplets(result: Any) -> set[Triplet]:
    """An :class:`~stance.results.ArticleResult`'s polar positions and relations as triplets (``via`` ones left out)."""
    return {
        (p.actor, p.stance, p.target)
        for p in (*result.positions, *result.relations)
        if p.via is None and p.stance != "neutral"
    }


def score(golds: Sequence[set[Triplet]], preds: Sequence[set[Triplet]]) -> dict[str, float]:
    """Precision, recall and F1 of predicted triplets against gold ones, article by article.

    Raises:
        ValueError: ``golds`` and ``preds`` have different lengths.
    """
    if len(golds) != len(preds):
        raise ValueError(f"golds and preds must have one set per article: {len(golds)} != {len(preds)}")
    n_gold = sum(len(g) for g in golds)
    n_pred = sum(len(p) for p in preds)
    matched_gold = matched_pred = 0
    for g, p in zip(golds, preds):
        used: set[Triplet] = set()
        for pred in sorted(p):
            hit = next(
                (
                    x
                    for x in sorted(g)
                    if x not in used and x[1] == pred[1] and names_match(pred[0], x[0]) and names_match(pred[2], x[2])
                ),
                None,
            )
            if hit is not None:
                used.add(hit)
                matched_pred += 1
        matched_gold += len(used)
    precision = matched_pred / n_pred if n_pred else 0.0
    recall = matched_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_gold": n_gold, "n_pred": n_pred}


def _names(result: Any) -> tuple[list[str], list[str]]:
    actors = [ar.actor.name for ar in result.actors]
    targets = list(actors)
    for issue in result.issues:
        targets.append(issue.name)
        targets.extend(issue.phrases)
    for p in (*result.positions, *result.relations):
        targets.append(p.target)
    return actors, list(dict.fromkeys(targets))


def decompose(golds: Sequence[set[Triplet]], results: Sequence[Any]) -> dict[str, float]:
    """Where gold triplets are lost: shares found as subject, as object, connected, with the right polarity.

    Raises:
        ValueError: ``golds`` and ``results`` have different lengths.
    """
    if len(golds) != len(results):
        raise ValueError(f"golds and results must have one entry per article: {len(golds)} != {len(results)}")
    counts = dict.fromkeys(("subject_found", "object_found", "pair_connected", "polarity_correct"), 0)
    total = 0
    for gold, result in zip(golds, results):
        actors, targets = _names(result)
        preds = predicted_triplets(result)
        for subj, polarity, obj in gold:
            total += 1
            counts["subject_found"] += any(names_match(a, subj) for a in actors)
            counts["object_found"] += any(names_match(t, obj) for t in targets)
            linked = [p for p in preds if names_match(p[0], subj) and names_match(p[2], obj)]
            counts["pair_connected"] += bool(linked)
            counts["polarity_correct"] += any(p[1] == polarity for p in linked)
    return {k: (v / total if total else 0.0) for k, v in counts.items()}


def article_texts(articles: Iterable[dict[str, Any]]) -> list[str]:
    """The text each SEESAW article row is classified from (title, newline, sentences joined by spaces)."""
    return [a["title"] + "\n" + " ".join(a["sentences"]) for a in articles]


def score_results(articles: Sequence[dict[str, Any]], results: Sequence[Any]) -> dict[str, float]:
    """All end-to-end metrics (:data:`METRICS` plus ``n_gold``/``n_pred``) of ``results`` on ``articles``."""
    golds = [gold_triplets(a) for a in articles]
    out: dict[str, float] = dict(score(golds, [predicted_triplets(r) for r in results]))
    out.update(decompose(golds, results))
    return out


def results_by_cue_weight(
    texts: Sequence[str], model: Any, weights: Sequence[float], *, show_progress_bar: bool = True
) -> dict[float, list[Any]]:
    """Each text's result under every syntactic-cue weight in ``weights``.

    The texts are parsed and scored by ``model`` once; only the aggregation differs between
    weights, so the comparison isolates the weight.

    Args:
        texts: Article texts.
        model: A loaded :class:`~stance.models.modeling.StanceModel` or anything
            :func:`stance.models.load_model` takes.
        weights: Cue weights (each checked by :func:`stance.pipeline.check_cue_weight`).
        show_progress_bar: Show a tqdm bar over batches of articles.

    Returns:
        ``{weight: [ArticleResult per text]}``.
    """
    from tqdm.auto import tqdm

    from stance.models import load_model
    from stance.models.modeling import StanceModel
    from stance.pipeline import Pipeline, check_cue_weight

    checked = [check_cue_weight(w) for w in weights]
    if not checked:
        raise ValueError("weights is empty; pass at least one cue weight, e.g. [0, 1, 2, 3, 4]")
    m = model if isinstance(model, StanceModel) else load_model(model)
    collect = Pipeline(model=m, cue_weight=1.0)  # any weight > 0 collects the cues during the parse
    finishers = [(w, Pipeline(model=m, cue_weight=w)) for w in checked]
    outs: dict[float, list[Any]] = {w: [] for w in checked}
    step = 8
    for i in tqdm(range(0, len(texts), step), desc=f"articles x{step}", disable=not show_progress_bar):
        preps = [collect.prepare(t) for t in texts[i : i + step]]
        windows = [w for p in preps for w in p.windows]
        pair_probs, sent_probs = m.score(windows) if windows else ([], [])
        k = 0
        for p in preps:
            n = len(p.windows)
            for w, pipe in finishers:
                outs[w].append(pipe.finish(p, pair_probs[k : k + n], sent_probs[k : k + n]))
            k += n
    return outs
