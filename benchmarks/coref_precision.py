"""Precision of the reference resolver (stance.actors.coref) on SEESAW's sentence annotations.

For every article of the split, the article text (title, newline, sentences) is parsed once
by the actor extractor and the resolver maps pronouns, quoted first persons and role nouns
to actors. A resolved reference is *judged* when its sentence has gold triplets, and
*correct* when its actor matches (the end-to-end matching rule,
``stance.evaluation.e2e.names_match``) an entity those triplets name as subject or object.
SEESAW names only the entities that take or receive a stance, so this precision is a lower
bound: a right resolution to an entity without a stance in that sentence counts as wrong.

Example:
    $ python benchmarks/coref_precision.py --data-dir ../shared/data/seesaw --split validation
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # this checkout's stance, not an installed one
    sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data" / "seesaw"))
    parser.add_argument("--split", default="validation")
    parser.add_argument("--rules", nargs="+", default=None, help="resolver rules (default: the default rules)")
    parser.add_argument("--output", default=str(REPO / "benchmarks" / "results" / "coref_precision.json"))
    args = parser.parse_args(argv)

    from stance.actors import ActorExtractor
    from stance.actors.coref import DEFAULT_RULES, reference_candidates, resolve_references
    from stance.data.seesaw import load_seesaw_articles
    from stance.evaluation.e2e import _UNNAMED, article_texts, names_match
    from stance.evaluation.results import provenance, write_result

    rules = tuple(args.rules) if args.rules else DEFAULT_RULES
    articles = load_seesaw_articles(args.data_dir)[args.split].to_list()
    extractor = ActorExtractor()
    correct: Counter[str] = Counter()
    judged: Counter[str] = Counter()
    resolved_total: Counter[str] = Counter()
    t0 = time.time()
    for art, text in zip(articles, article_texts(articles)):
        starts, pos = [], len(art["title"]) + 1
        for sent in art["sentences"]:
            starts.append((pos, pos + len(sent)))
            pos += len(sent) + 1
        gold: dict[int, set[str]] = {}
        for t in art["triplets"]:
            for name in (t["subject"], t["object"]):
                if name not in _UNNAMED:
                    gold.setdefault(t["sentence_id"], set()).add(name)
        cands: list = []
        analysis = extractor.analyse(
            text, on_doc=lambda off, doc, cands=cands: cands.extend(reference_candidates(doc, off))
        )
        for ref in resolve_references(text, cands, analysis.actors, analysis.sentences, rules):
            resolved_total[ref.rule] += 1
            sid = next((i for i, (s, e) in enumerate(starts) if s <= ref.span.start < e), None)
            if sid is None or sid not in gold:
                continue
            judged[ref.rule] += 1
            correct[ref.rule] += any(names_match(ref.actor, g) for g in gold[sid])
    rows = []
    for rule in [*rules, "all"]:
        c = sum(correct.values()) if rule == "all" else correct[rule]
        n = sum(judged.values()) if rule == "all" else judged[rule]
        r = sum(resolved_total.values()) if rule == "all" else resolved_total[rule]
        rows.append(
            {
                "benchmark": f"seesaw-{args.split}",
                "rule": rule,
                "metric": "precision",
                "value": round(c / n, 4) if n else None,
                "correct": c,
                "judged": n,
                "resolved": r,
            }
        )
    out = {
        "kind": "coref",
        "title": f"Reference resolution precision on SEESAW {args.split} (gold entities of the sentence's triplets)",
        "columns": ["benchmark", "rule", "metric", "value", "correct", "judged", "resolved"],
        "rows": rows,
        "rules": list(rules),
        "n_articles": len(articles),
        "seconds": round(time.time() - t0, 1),
        **provenance(),
    }
    write_result(out, args.output)
    print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
