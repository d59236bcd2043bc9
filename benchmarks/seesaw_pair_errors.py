"""Where the stance model misses SEESAW pairs: by whether source and target occur in the sentence.

SEESAW names entities canonically; a triplet's subject or object is often not in its
sentence at all (a pronoun, "the president", a topic worded differently). The loader
records how each was found (``meta["found"]``: exact, last_name, alias, author, or
null). This script scores the model on the validation pairs per (source, target)
finding, with the rate at which it answers "none" for a gold favor/against pair and its
accuracy when it must choose between favor and against.

Writes ``runs/selection/seesaw_pair_errors__<model>.json`` and prints a table.

Example:
    $ python benchmarks/seesaw_pair_errors.py --model stance/resources/models/stance-minilm
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from run_all import REPO, model_slug  # noqa: E402 - run_all also puts this checkout's stance on the path


def _where(rule: str | None, role: str) -> str:
    if rule == "author":
        return "author"
    return f"{role} in sentence" if rule else f"{role} absent"


def breakdown(records: list[dict[str, Any]], probs: Any) -> list[dict[str, Any]]:
    """Per (source, target) finding: n, 3-way accuracy, none rate, favor-vs-against accuracy."""
    import numpy as np

    from stance.data.schema import PAIR_LABELS

    probs = np.asarray(probs, dtype=float)
    cells: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)
    for r, p in zip(records, probs):
        meta = json.loads(r["meta"]) if isinstance(r["meta"], str) else r["meta"]
        gold = r["label"] if isinstance(r["label"], int) else PAIR_LABELS.index(r["label"])
        key = (_where(meta["found"]["subject"], "source"), _where(meta["found"]["object"], "target"))
        cells[key].append((gold, int(p.argmax()), int(p[:2].argmax())))
    rows = []
    for (src, tgt), items in sorted(cells.items(), key=lambda kv: -len(kv[1])):
        g, p3, p2 = (np.array(x) for x in zip(*items))
        rows.append(
            {
                "source": src,
                "target": tgt,
                "n": len(items),
                "accuracy": float(np.mean(p3 == g)),
                "none_rate": float(np.mean(p3 == PAIR_LABELS.index("none"))),
                "accuracy_favor_vs_against": float(np.mean(p2 == g)),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    from stance.data.seesaw import load_seesaw_pairs
    from stance.evaluation.results import provenance, write_result
    from stance.evaluation.runner import resolve_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data" / "seesaw")
    parser.add_argument("--out-dir", type=Path, default=HERE.parent / "runs" / "selection")
    args = parser.parse_args(argv)
    records = load_seesaw_pairs(args.data_dir)["validation"].to_list()
    model, name = resolve_model(args.model)
    rows = breakdown(records, model.predict_pairs(records, batch_size=64))
    result = {
        "kind": "seesaw-pair-errors",
        **provenance(),
        "model": name,
        "split": "validation",
        "n": len(records),
        "rows": rows,
    }
    write_result(result, args.out_dir / f"seesaw_pair_errors__{model_slug(args.model)}.json")
    lines = ["| source | target | n | accuracy | answers none | favor vs against |", "|---|---|---|---|---|---|"]
    lines += [
        f"| {r['source']} | {r['target']} | {r['n']} | {r['accuracy']:.3f} | {r['none_rate']:.3f} "
        f"| {r['accuracy_favor_vs_against']:.3f} |"
        for r in rows
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
