"""End-to-end triplet recovery on SEESAW: raw article in, (subject, polarity, object) out.

For every SEESAW article of the chosen split, ``stance.classify`` runs on the raw article
text (title + sentences, as ``stance.data.seesaw.article_text`` lays it out) and its
positions and relations become predicted triplets ``(actor, favor|against, target)``.
Gold triplets are the article's annotated ``(subject, POS|NEG, object)`` with a *named*
subject (not the author, not "Not in the list"), deduplicated per article.

The matching rule and the decomposition (subject found, object found, pair connected,
polarity correct) are the library's, :mod:`stance.evaluation.e2e` (the same as
``stance evaluate seesaw-e2e``); this script adds the cue-weight ablation.

Example:
    $ python benchmarks/e2e_seesaw.py --data-dir ../shared/data/seesaw --split validation
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # this checkout's stance, not an installed one
    sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data" / "seesaw"))
    parser.add_argument("--split", default="validation")
    parser.add_argument("--model", default=None, help="model directory (default: shipped)")
    parser.add_argument("--limit", type=int, default=0, help="first N articles only (smoke runs)")
    parser.add_argument("--output", default=str(REPO / "benchmarks" / "results" / "e2e_seesaw.json"))
    parser.add_argument(
        "--cue-weights",
        type=float,
        nargs="+",
        default=None,
        help="ablation: score the same parse and model outputs with each syntactic-cue weight "
        "(Pipeline(cue_weight=W)); one row group per weight",
    )
    args = parser.parse_args(argv)

    import stance
    from stance.data.seesaw import load_seesaw_articles
    from stance.evaluation.e2e import MATCHING_RULE, article_texts, score_results
    from stance.evaluation.results import provenance

    articles = load_seesaw_articles(args.data_dir)[args.split].to_list()
    if args.limit:
        articles = articles[: args.limit]
    texts = article_texts(articles)
    t0 = time.time()
    if args.cue_weights is None:
        results = stance.classify_many(texts, model=args.model, batch_size=8, show_progress_bar=True)
        runs = [("", results)]
    else:
        from stance.evaluation.e2e import results_by_cue_weight

        by_weight = results_by_cue_weight(texts, args.model, args.cue_weights)
        runs = [(f" cue_weight={w:g}", results) for w, results in by_weight.items()]
    elapsed = time.time() - t0
    rows = []
    for label, results in runs:
        s = score_results(articles, results)
        rows += [
            {
                "benchmark": f"seesaw-{args.split}{label}",
                "metric": k,
                "value": round(v, 4) if isinstance(v, float) else v,
            }
            for k, v in s.items()
        ]
    out = {
        "kind": "e2e",
        "title": f"End-to-end triplet recovery on SEESAW {args.split} (article level)"
        + (", syntactic-cue weight ablation" if args.cue_weights is not None else ""),
        "rows": rows,
        "n_articles": len(articles),
        "seconds": round(elapsed, 1),
        "matching_rule": MATCHING_RULE,
        "model": args.model or "shipped default",
        **provenance(),
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
