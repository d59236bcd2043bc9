"""How often the syntactic stance cues agree with SEESAW's gold triplets.

A cue (``stance.pipeline.syntactic_cues``: the :mod:`stance.cues` lexicon on the
parse, e.g. "X launched a strike" -> X favours the strike) is counted when its subject
entity and object phrase match a gold triplet's subject and object under the
end-to-end matching rule (``benchmarks/e2e_seesaw.py``); it agrees when the polarity is
the same. Run on *train* it gives the evidence for a cue weight without touching
validation: ``log((agree + 1) / (disagree + 1))`` is the add-one log-odds of a cue.

Example:
    $ python benchmarks/cue_precision.py --data-dir ../shared/data/seesaw --split train
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data" / "seesaw"))
    parser.add_argument("--split", default="train")
    parser.add_argument("--output", default=str(HERE / "results" / "cue_precision.json"))
    args = parser.parse_args(argv)

    from tqdm.auto import tqdm

    from stance.actors.extractor import load_pipeline
    from stance.cues import stance_constructions
    from stance.data.seesaw import load_seesaw_articles
    from stance.evaluation.e2e import gold_triplets, names_match
    from stance.evaluation.results import provenance

    articles = load_seesaw_articles(args.data_dir)[args.split].to_list()
    texts = [a["title"] + "\n" + " ".join(a["sentences"]) for a in articles]
    nlp = load_pipeline()
    agree = disagree = fired = 0
    by_rule: dict[str, list[int]] = {}
    for article, doc in tqdm(zip(articles, nlp.pipe(texts, batch_size=8)), total=len(articles), desc="articles"):
        gold = gold_triplets(article)
        for _sent, ent, (ts, te), label, rule, _tok in stance_constructions(doc):
            if label not in ("favor", "against"):
                continue
            fired += 1
            hits = {g[1] for g in gold if names_match(ent.text, g[0]) and names_match(doc.text[ts:te], g[2])}
            if not hits:
                continue
            ok = label in hits
            agree += ok
            disagree += not ok
            by_rule.setdefault(rule.split()[0], [0, 0])[0 if ok else 1] += 1
    out = {
        "kind": "cue_precision",
        "title": f"Syntactic stance cues against SEESAW {args.split} gold triplets",
        "split": args.split,
        "n_articles": len(articles),
        "cues": fired,
        "matched_gold": agree + disagree,
        "agree": agree,
        "disagree": disagree,
        "precision": round(agree / (agree + disagree), 4) if agree + disagree else None,
        "add_one_log_odds": round(math.log((agree + 1) / (disagree + 1)), 3),
        "columns": ["predicate", "agree", "disagree"],
        "rows": [{"predicate": "all cues", "agree": agree, "disagree": disagree}]
        + [{"predicate": k, "agree": v[0], "disagree": v[1]} for k, v in sorted(by_rule.items())],
        **provenance(),
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {k: out[k] for k in ("split", "cues", "matched_gold", "agree", "disagree", "precision", "add_one_log_odds")}
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
