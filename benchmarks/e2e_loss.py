"""Where SEESAW end-to-end triplets are lost, and what trading the neutral class for recall would do.

Every article of the split goes once through the shipped pipeline (``Pipeline.scored``); then:

* each gold triplet lands in one bucket: subject not among the actors, object not among the
  actors or issues, scored in some sentence but neutral, never paired, paired with the wrong
  polarity, or found (positions aggregated with neutral ones kept, ``stance.evaluation.e2e``'s
  matching rule);
* the neutral probability of every pair is multiplied by a factor before aggregation, and the
  end-to-end metrics are read at each factor (1.0 is the shipped pipeline);
* the shipped pipeline's predictions are split by target kind (positions on issues,
  relations to actors): how many of each match a gold triplet, and the end-to-end metrics
  with only one kind output (SEESAW's gold objects are mostly named entities, so this shows
  how the score treats positions on issues).

Example:
    $ python benchmarks/e2e_loss.py --data-dir ../shared/data/seesaw --split validation
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # this checkout's stance, not an installed one
    sys.path.insert(0, str(REPO))

BUCKETS = ("subject missing", "object missing", "scored, neutral", "never paired", "wrong polarity", "found")
FACTORS = (1.0, 0.7, 0.5, 0.35, 0.25)


def bucket(gold: set, result, names_match, names) -> Counter:
    """Counts of ``gold``'s triplets per :data:`BUCKETS` entry for one article's ``result`` (neutral kept)."""
    actors, targets = names(result)
    pairs = [(p.actor, p.stance, p.target) for p in (*result.positions, *result.relations) if p.via is None]
    out: Counter = Counter()
    for subj, polarity, obj in gold:
        linked = [p for p in pairs if names_match(p[0], subj) and names_match(p[2], obj)]
        if not any(names_match(a, subj) for a in actors):
            out["subject missing"] += 1
        elif not any(names_match(t, obj) for t in targets):
            out["object missing"] += 1
        elif any(p[1] == polarity for p in linked):
            out["found"] += 1
        elif any(p[1] != "neutral" for p in linked):
            out["wrong polarity"] += 1
        elif linked:
            out["scored, neutral"] += 1
        else:
            out["never paired"] += 1
    return out


def kept(result) -> list:
    """The polar positions and relations e2e scoring counts (``via`` ones left out)."""
    return [p for p in (*result.positions, *result.relations) if p.via is None and p.stance != "neutral"]


def scale_neutral(pair_probs: list, factor: float) -> list:
    """Each pair's (favor, against, none) with none multiplied by ``factor`` and renormalised."""
    out = []
    for a in pair_probs:
        a = np.array(a, dtype=np.float64)
        if a.size:
            a[..., 2] *= factor
            a /= a.sum(-1, keepdims=True)
        out.append(a)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data" / "seesaw"))
    parser.add_argument("--split", default="validation")
    parser.add_argument("--output", default=str(REPO / "benchmarks" / "results" / "e2e_loss.json"))
    args = parser.parse_args(argv)

    from stance.aggregate import AggregationConfig
    from stance.data.seesaw import load_seesaw_articles
    from stance.evaluation.e2e import _names, article_texts, gold_triplets, names_match, score, score_results
    from stance.evaluation.results import provenance, write_result
    from stance.pipeline import Pipeline

    articles = load_seesaw_articles(args.data_dir)[args.split].to_list()
    t0 = time.time()
    pipeline = Pipeline()
    scored = list(pipeline.scored(article_texts(articles), batch_size=8, show_progress_bar=True))
    rows = []
    shipped = pipeline.aggregation
    pipeline.aggregation = AggregationConfig(shipped.threshold, shipped.max_evidence, include_neutral=True)
    counts: Counter = Counter()
    for art, (prep, pp, sp) in zip(articles, scored):
        counts += bucket(gold_triplets(art), pipeline.finish(prep, pp, sp), names_match, _names)
    total = sum(counts.values())
    for name in BUCKETS:
        rows.append(
            {
                "benchmark": f"seesaw-{args.split}",
                "setting": "gold triplets",
                "metric": name,
                "value": round(counts[name] / total, 4),
                "count": counts[name],
            }
        )
    pipeline.aggregation = shipped
    for factor in FACTORS:
        results = [pipeline.finish(prep, scale_neutral(pp, factor), sp) for prep, pp, sp in scored]
        metrics = score_results(articles, results)
        for metric in ("f1", "precision", "recall", "pair_connected", "polarity_correct"):
            rows.append(
                {
                    "benchmark": f"seesaw-{args.split}",
                    "setting": f"neutral x {factor}",
                    "metric": metric,
                    "value": round(metrics[metric], 4),
                }
            )
    results = [pipeline.finish(prep, pp, sp) for prep, pp, sp in scored]
    golds = [gold_triplets(a) for a in articles]
    for kind, label in (("issue", "positions on issues"), ("actor", "relations to actors")):
        preds = [{(p.actor, p.stance, p.target) for p in kept(r) if p.target_kind == kind} for r in results]
        only = score(golds, preds)
        for metric in ("f1", "precision", "recall"):
            rows.append(
                {
                    "benchmark": f"seesaw-{args.split}",
                    "setting": f"{label} only",
                    "metric": metric,
                    "value": round(only[metric], 4),
                    "count": only["n_pred"] if metric == "precision" else None,  # predictions of that kind
                }
            )
    out = {
        "kind": "e2e_loss",
        "title": f"Where SEESAW {args.split} end-to-end triplets are lost (shipped pipeline)",
        "columns": ["benchmark", "setting", "metric", "value", "count"],
        "rows": rows,
        "n_articles": len(articles),
        "n_gold": total,
        "seconds": round(time.time() - t0, 1),
        **provenance(),
    }
    write_result(out, args.output)
    print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
