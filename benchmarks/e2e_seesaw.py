"""End-to-end triplet recovery on SEESAW: raw article in, (subject, polarity, object) out.

For every SEESAW article of the chosen split, ``stance.classify`` runs on the raw article
text (title + sentences, as ``stance.data.seesaw.article_text`` lays it out) and its
positions and relations become predicted triplets ``(actor, favor|against, target)``.
Gold triplets are the article's annotated ``(subject, POS|NEG, object)`` with a *named*
subject (not the author, not "Not in the list"), deduplicated per article.

Matching rule (documented, symmetric, article level):

* names are normalised: lower case, punctuation removed, leading "the" dropped;
* a predicted actor matches a gold subject (and a predicted target a gold object) when the
  normalised strings are equal, or one's token sequence contains the other's, or both
  are person-like multi-token names sharing the last token ("Barack Obama" ~ "Obama"),
  or (for issue targets) the content-word Jaccard overlap is at least 0.5;
* polarity must agree (POS ↔ favor, NEG ↔ against);
* each gold triplet is matched at most once; rolled-up positions (``via``) are not
  counted as extra predictions.

Precision = matched predictions / predictions; recall = matched gold / gold.

Example:
    $ python benchmarks/e2e_seesaw.py --data-dir ../shared/data/seesaw --split validation
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

STOP = frozenset("the a an of to in on for and or with by at from its their his her".split())


def normalise(name: str) -> list[str]:
    tokens = re.sub(r"[^\w\s]", " ", name.lower()).split()
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return tokens


def _contains(a: list[str], b: list[str]) -> bool:
    if not a or not b or len(b) > len(a):
        return False
    return any(a[i : i + len(b)] == b for i in range(len(a) - len(b) + 1))


def names_match(pred: str, gold: str) -> bool:
    """The documented matching rule (see the module docstring)."""
    p, g = normalise(pred), normalise(gold)
    if not p or not g:
        return False
    if p == g or _contains(p, g) or _contains(g, p):
        return True
    if len(p) >= 1 and len(g) >= 2 and p[-1] == g[-1] and p[-1] not in STOP:
        return True
    cp, cg = {t for t in p if t not in STOP}, {t for t in g if t not in STOP}
    return bool(cp and cg) and len(cp & cg) / len(cp | cg) >= 0.5


def gold_triplets(article: dict) -> set[tuple[str, str, str]]:
    out = set()
    for t in article["triplets"]:
        subj, obj = t["subject"], t["object"]
        if subj in ("None", "Not in the list", "") or obj in ("Not in the list", ""):
            continue
        out.add((subj, "favor" if t["polarity"] == "POS" else "against", obj))
    return out


def predicted_triplets(result) -> set[tuple[str, str, str]]:  # noqa: ANN001
    return {(p.actor, p.stance, p.target) for p in (*result.positions, *result.relations) if p.via is None and p.stance != "neutral"}


def score(golds: list[set], preds: list[set]) -> dict[str, float]:
    n_gold = sum(len(g) for g in golds)
    n_pred = sum(len(p) for p in preds)
    matched_gold = matched_pred = 0
    for g, p in zip(golds, preds):
        used: set[tuple[str, str, str]] = set()
        for pred in sorted(p):
            hit = next((x for x in sorted(g) if x not in used and x[1] == pred[1] and names_match(pred[0], x[0]) and names_match(pred[2], x[2])), None)
            if hit is not None:
                used.add(hit)
                matched_pred += 1
        matched_gold += len(used)
    precision = matched_pred / n_pred if n_pred else 0.0
    recall = matched_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n_gold": n_gold, "n_pred": n_pred}


def cue_ablation(texts: list[str], model: str | None, weights: list[float]) -> list[tuple[str, list]]:
    """Parse and run the model once; aggregate with each cue weight (same inputs, only the weight differs)."""
    from stance.models import load_model
    from stance.pipeline import Pipeline

    from tqdm.auto import tqdm

    m = load_model(model)
    collect = Pipeline(model=m, cue_weight=1.0)  # any weight > 0 collects the cues during the parse
    finishers = [(w, Pipeline(model=m, cue_weight=w)) for w in weights]
    outs: dict[float, list] = {w: [] for w in weights}
    for i in tqdm(range(0, len(texts), 8), desc="articles x8"):
        preps = [collect.prepare(t) for t in texts[i : i + 8]]
        windows = [w for p in preps for w in p.windows]
        pair_probs, sent_probs = m.score(windows) if windows else ([], [])
        k = 0
        for p in preps:
            n = len(p.windows)
            for w, pipe in finishers:
                outs[w].append(pipe.finish(p, pair_probs[k : k + n], sent_probs[k : k + n]))
            k += n
    return [(f" cue_weight={w:g}", outs[w]) for w in weights]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data" / "seesaw"))
    parser.add_argument("--split", default="validation")
    parser.add_argument("--model", default=None, help="model directory (default: shipped)")
    parser.add_argument("--limit", type=int, default=0, help="first N articles only (smoke runs)")
    parser.add_argument("--output", default=str(REPO / "benchmarks" / "results" / "e2e_seesaw.json"))
    parser.add_argument("--cue-weights", type=float, nargs="+", default=None,
                        help="ablation: score the same parse and model outputs with each syntactic-cue weight "
                             "(Pipeline(cue_weight=W)); one row group per weight")
    args = parser.parse_args(argv)

    import stance
    from stance.data.seesaw import load_seesaw_articles
    from stance.evaluation.results import provenance

    articles = load_seesaw_articles(args.data_dir)[args.split].to_list()
    if args.limit:
        articles = articles[: args.limit]
    texts = [a["title"] + "\n" + " ".join(a["sentences"]) for a in articles]
    golds = [gold_triplets(a) for a in articles]
    t0 = time.time()
    if args.cue_weights is None:
        results = stance.classify_many(texts, model=args.model, batch_size=8, show_progress_bar=True)
        runs = [("", results)]
    else:
        runs = cue_ablation(texts, args.model, args.cue_weights)
    elapsed = time.time() - t0
    rows = []
    for label, results in runs:
        s = score(golds, [predicted_triplets(r) for r in results])
        rows += [{"benchmark": f"seesaw-{args.split}{label}", "metric": k, "value": round(v, 4) if isinstance(v, float) else v}
                 for k, v in s.items()]
    out = {
        "kind": "e2e",
        "title": f"End-to-end triplet recovery on SEESAW {args.split} (article level)"
                 + (", syntactic-cue weight ablation" if args.cue_weights is not None else ""),
        "rows": rows,
        "n_articles": len(articles),
        "seconds": round(elapsed, 1),
        "matching_rule": "normalised names equal / token containment / shared last token / content Jaccard >= 0.5; polarity must agree; each gold matched once; rolled-up (via) positions excluded",
        "model": args.model or "shipped default",
        **provenance(),
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
