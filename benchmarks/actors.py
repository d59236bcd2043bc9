"""Benchmark the actor layer: SEESAW entity recall/precision and CoNLL-2003 NER F1.

Usage::

    python benchmarks/actors.py --data-dir ../shared/data [--out benchmarks/results/actors.json]
        [--split valid] [--skip-conll] [--skip-seesaw] [--limit N]

(a) SEESAW (``<data-dir>/seesaw/SEESAW/{annotations,articles,meta}``): stories whose
    meta ``Split`` is the chosen split ("valid" by default); each article's text is its
    title followed by its sentences, one per line. The annotation's entity list gives
    canonical entities typed People/Organization/GPE/Topic/Event/Others; we score the
    People/Organization/GPE ones (once per article).

    Matching rule. Normalise a name: case-fold, straight quotes, drop periods, a leading
    "the", a trailing possessive and surrounding punctuation, collapse spaces. An
    annotated entity E is *recalled* by our actor A when
      1. norm(E) equals norm of A's canonical name, of one of A's mention texts or of
         one of its aliases; or
      2. the last token of norm(E) equals one of those names ("House Democrats" ~
         "Democrats", "Christopher A. Wray" ~ "Wray"); or
      3. A is a person and E has the same first and last name, ignoring initials and
         suffixes ("Christopher A. Wray" ~ "Christopher Wray").
    Recall = recalled annotated entities / annotated entities (micro over articles).
    Precision = our actors matching some annotated People/Organization/GPE entity of the
    article by the same rule / our actors. SEESAW annotates only an article's main and
    salient entities, so this precision is a lower bound.

(b) CoNLL-2003 ``eng.testb`` (read by :func:`stance.data.conll.load_conll2003`, IOB2):
    entity-level micro F1, exact token span and type. spaCy labels map PERSON->PER,
    ORG->ORG, GPE/LOC->LOC, NORP/FAC/EVENT/PRODUCT/WORK_OF_ART/LAW/LANGUAGE->MISC;
    numeric and temporal labels (DATE, TIME, MONEY, PERCENT, QUANTITY, ORDINAL,
    CARDINAL) are dropped (CoNLL does not tag them). Tokens are given to spaCy as is.
    Two rows: spaCy alone, and spaCy with the actor layer's knowledge-base relabelling
    (an entity whose text the KB knows takes the KB's type: person->PER, country
    name->LOC, demonym->MISC, organisation/group->ORG).

Results go to ``benchmarks/results/actors.json`` ({"kind": "actors", "title", "rows":
[{"benchmark", "metric", "value", "n", "notes"}], "commit", "versions", "hardware",
"date"}). This is a script, not a test: it reads shared data and takes minutes.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import glob
import json
import logging
import os
import platform
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

logger = logging.getLogger("benchmarks.actors")

SEESAW_TYPES = ("People", "Organization", "GPE")
CONLL_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "NORP": "MISC",
    "FAC": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
MATCH_RULE = (
    "annotated entity recalled if its normalised name (casefold, no periods/'the'/possessive) equals our actor's "
    "canonical name, a mention text or an alias; or its last token equals one of those; or (persons) same "
    "first+last name ignoring initials/suffixes"
)


# ----------------------------------------------------------------------------- matching
def norm(name: str) -> str:
    t = name.replace("’", "'").replace("‘", "'").casefold().replace(".", "")
    t = re.sub(r"\s+", " ", t).strip(" ,;:!?\"'()[]")
    t = re.sub(r"^the ", "", t)
    t = re.sub(r"'s?$", "", t).strip()
    return t


def _first_last(name: str) -> tuple[str, str] | None:
    from stance.actors.ner import person_name_key

    key = person_name_key(name)
    return (key[0], key[-1]) if len(key) >= 2 else None


def actor_names(actor: Any) -> set[str]:
    names = {norm(actor.name)} | {norm(m.text) for m in actor.mentions} | {norm(a) for a in actor.aliases}
    return {n for n in names if n}


def matches(entity: str, actor: Any, names: set[str] | None = None) -> bool:
    names = names if names is not None else actor_names(actor)
    e = norm(entity)
    if not e:
        return False
    if e in names:
        return True
    last = e.split()[-1]
    if last in names:
        return True
    if actor.kind == "person":
        fl = _first_last(entity)
        return fl is not None and fl == _first_last(actor.name)
    return False


# ----------------------------------------------------------------------------- SEESAW
def load_seesaw(data_dir: Path, split: str) -> list[dict[str, Any]]:
    base = data_dir / "seesaw" / "SEESAW"
    if not base.exists():
        base = data_dir / "SEESAW"
    if not base.exists():
        raise FileNotFoundError(
            f"SEESAW not found under {data_dir} (expected seesaw/SEESAW/{{annotations,articles,meta}})"
        )
    docs = []
    for meta_path in sorted(glob.glob(str(base / "meta" / "*.json"))):
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        if meta.get("Split") != split:
            continue
        tid = meta.get("triplet_id") or Path(meta_path).stem.split("_")[-1]
        for art_path in sorted(glob.glob(str(base / "articles" / f"TRIPLET_{tid}_DOCUMENT_*.json"))):
            ann_path = base / "annotations" / Path(art_path).name
            if not ann_path.exists():
                continue
            with open(art_path, encoding="utf-8") as f:
                art = json.load(f)
            with open(ann_path, encoding="utf-8") as f:
                ann = json.load(f)
            sentences = [s["text"] for s in sorted(art["text"], key=lambda s: s["id"])]
            text = art.get("title", "") + "\n\n" + "\n".join(sentences)
            entities: dict[str, str] = {}
            for ent in ann.get("entity lists", []):
                name, types = ent[0], [t for t in ent[1] if t in SEESAW_TYPES]
                if types and name not in entities:
                    entities[name] = Counter(types).most_common(1)[0][0]
            docs.append({"id": Path(art_path).stem, "text": text, "entities": entities})
    return docs


def bench_seesaw(data_dir: Path, split: str, limit: int | None) -> list[dict[str, Any]]:
    from stance.actors import ActorExtractor

    docs = load_seesaw(data_dir, split)
    if limit:
        docs = docs[:limit]
    ex = ActorExtractor()
    hit_by_type: Counter[str] = Counter()
    n_by_type: Counter[str] = Counter()
    ours = correct = 0
    misses: Counter[str] = Counter()
    t0 = time.time()
    chars = 0
    for d in docs:
        actors = ex.extract(d["text"])
        chars += len(d["text"])
        names = [(a, actor_names(a)) for a in actors]
        for ent, typ in d["entities"].items():
            n_by_type[typ] += 1
            if any(matches(ent, a, ns) for a, ns in names):
                hit_by_type[typ] += 1
            else:
                misses[ent] += 1
        ours += len(actors)
        correct += sum(1 for a, ns in names if any(matches(e, a, ns) for e in d["entities"]))
    secs = time.time() - t0
    n = sum(n_by_type.values())
    recall = sum(hit_by_type.values()) / n if n else 0.0
    precision = correct / ours if ours else 0.0
    logger.info("SEESAW misses (most frequent): %s", misses.most_common(25))
    note = f"SEESAW {split}: {len(docs)} articles; {MATCH_RULE}"
    rows = [
        {"benchmark": f"seesaw-{split}", "metric": "actor_recall", "value": round(recall, 4), "n": n, "notes": note},
        {
            "benchmark": f"seesaw-{split}",
            "metric": "actor_precision_lower_bound",
            "value": round(precision, 4),
            "n": ours,
            "notes": (
                "our actors matching an annotated People/Organization/GPE entity; "
                "SEESAW annotates only main/salient entities"
            ),
        },
    ]
    for typ in SEESAW_TYPES:
        if n_by_type[typ]:
            rows.append(
                {
                    "benchmark": f"seesaw-{split}",
                    "metric": f"actor_recall_{typ.lower()}",
                    "value": round(hit_by_type[typ] / n_by_type[typ], 4),
                    "n": n_by_type[typ],
                    "notes": "recall of annotated entities of this (majority) type",
                }
            )
    rows.append(
        {
            "benchmark": f"seesaw-{split}",
            "metric": "chars_per_second",
            "value": round(chars / secs, 1) if secs else 0.0,
            "n": chars,
            "notes": "actor extraction throughput (spaCy en_core_web_sm, one process)",
        }
    )
    return rows


# ----------------------------------------------------------------------------- CoNLL
def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _kb_label(text: str, label: str, kb: Any) -> str:
    hit = kb.lookup(text)
    if hit is None or hit.ambiguous:
        return label
    kind = hit.entry.kind
    if kind == "person":
        return "PER"
    if kind == "country":
        return "MISC" if hit.via in ("demonym", "plural") else "LOC"
    return "ORG"


def bench_conll(data_dir: Path, limit: int | None) -> list[dict[str, Any]]:
    from spacy.tokens import Doc

    from stance.actors.extractor import load_pipeline
    from stance.actors.kb import KnowledgeBase
    from stance.data.conll import NER_LABELS, entity_spans, load_conll2003

    conll_dir = data_dir / "conll2003" if (data_dir / "conll2003").exists() else data_dir
    ds = load_conll2003(conll_dir, splits=("test",))["test"]
    if limit:
        ds = ds.select(range(min(limit, ds.num_rows)))
    nlp = load_pipeline()
    kb = KnowledgeBase.default()
    gold_all, pred_raw, pred_kb = [], [], []
    docs = (Doc(nlp.vocab, words=row["tokens"]) for row in ds)
    t0 = time.time()
    for _i, (row, doc) in enumerate(zip(ds, nlp.pipe(docs, batch_size=64))):
        gold = {(s, e, t) for s, e, t in entity_spans([NER_LABELS[x] for x in row["ner_tags"]])}
        raw = set()
        fixed = set()
        for ent in doc.ents:
            lab = CONLL_MAP.get(ent.label_)
            if lab is None:
                continue
            raw.add((ent.start, ent.end, lab))
            fixed.add((ent.start, ent.end, _kb_label(ent.text, lab, kb)))
        gold_all.append(gold)
        pred_raw.append(raw)
        pred_kb.append(fixed)
    secs = time.time() - t0
    rows = []
    n_gold = sum(len(g) for g in gold_all)
    for name, preds in (("spacy", pred_raw), ("spacy+kb", pred_kb)):
        tp = sum(len(g & p) for g, p in zip(gold_all, preds))
        fp = sum(len(p - g) for g, p in zip(gold_all, preds))
        fn = sum(len(g - p) for g, p in zip(gold_all, preds))
        p, r, f = _prf(tp, fp, fn)
        note = (
            f"CoNLL-2003 eng.testb, {len(gold_all)} sentences, exact span+type, IOB2; {nlp.meta.get('name')} "
            f"{nlp.meta.get('version')}; PERSON->PER, ORG->ORG, GPE/LOC->LOC, NORP+others->MISC, "
            "numeric/temporal dropped" + ("; KB relabelling of known names" if name == "spacy+kb" else "")
        )
        rows.append(
            {
                "benchmark": f"conll2003-testb/{name}",
                "metric": "entity_f1",
                "value": round(f, 4),
                "n": n_gold,
                "notes": note,
            }
        )
        rows.append(
            {
                "benchmark": f"conll2003-testb/{name}",
                "metric": "entity_precision",
                "value": round(p, 4),
                "n": tp + fp,
                "notes": "predicted entities",
            }
        )
        rows.append(
            {
                "benchmark": f"conll2003-testb/{name}",
                "metric": "entity_recall",
                "value": round(r, 4),
                "n": n_gold,
                "notes": "gold entities",
            }
        )
        for typ in ("PER", "ORG", "LOC", "MISC"):
            tp_t = sum(len({x for x in g & p if x[2] == typ}) for g, p in zip(gold_all, preds))
            fp_t = sum(len({x for x in p - g if x[2] == typ}) for g, p in zip(gold_all, preds))
            fn_t = sum(len({x for x in g - p if x[2] == typ}) for g, p in zip(gold_all, preds))
            rows.append(
                {
                    "benchmark": f"conll2003-testb/{name}",
                    "metric": f"f1_{typ}",
                    "value": round(_prf(tp_t, fp_t, fn_t)[2], 4),
                    "n": tp_t + fn_t,
                    "notes": f"{typ} entities",
                }
            )
    logger.info("CoNLL: %d sentences in %.1fs", len(gold_all), secs)
    return rows


# ----------------------------------------------------------------------------- main
def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _versions() -> dict[str, str]:
    import spacy

    from stance.actors.extractor import load_pipeline

    nlp = load_pipeline()
    return {
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data-dir", type=Path, required=True, help="shared data folder (holds seesaw/ and conll2003/)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "actors.json")
    parser.add_argument("--split", default="valid", help="SEESAW split (meta 'Split' value), default valid")
    parser.add_argument("--limit", type=int, default=None, help="at most N articles / sentences (smoke runs)")
    parser.add_argument("--skip-seesaw", action="store_true")
    parser.add_argument("--skip-conll", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    rows: list[dict[str, Any]] = []
    if not args.skip_seesaw:
        rows += bench_seesaw(args.data_dir, args.split, args.limit)
    if not args.skip_conll:
        rows += bench_conll(args.data_dir, args.limit)
    result = {
        "kind": "actors",
        "title": "Actor extraction: SEESAW entity recall/precision and CoNLL-2003 NER F1",
        "rows": rows,
        "commit": _commit(),
        "versions": _versions(),
        "hardware": {
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpu_count": os.cpu_count(),
        },
        "date": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for r in rows:
        sys.stdout.write(f"{r['benchmark']:28s} {r['metric']:30s} {r['value']:>10} n={r['n']}\n")
    sys.stdout.write(f"wrote {args.out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
