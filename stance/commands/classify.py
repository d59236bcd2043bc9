"""``stance classify FILE_OR_DIR_OR_- [--targets ...] [--format table|json|jsonl]``.

Example:
    $ stance classify seeds/us_iran_talks_oman.txt
    $ stance classify articles/ --format jsonl > positions.jsonl
    $ cat article.txt | stance classify - --targets "military action against Iran"
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="a text file, a directory of .txt files, or - for standard input")
    parser.add_argument("--targets", nargs="+", default=None, metavar="TARGET", help="issues to judge every actor against")
    parser.add_argument("--format", choices=("table", "json", "jsonl"), default="table", help="output format")
    parser.add_argument("--model", default=None, help="model directory (default: the shipped model)")
    parser.add_argument("--batch-size", type=int, default=8, help="articles per model batch")
    parser.add_argument("--n-process", type=int, default=1,
                        help="worker processes, each with its own pipeline (-1: one per CPU)")
    parser.add_argument("--backend", choices=("torch", "onnx"), default="torch",
                        help="encoder engine: onnx runs it on ONNX Runtime (same output, faster on CPU; "
                             "pip install 'stance[onnx]')")
    parser.add_argument("--cue-weight", type=float, default=None,
                        help="log-odds added to the stance an explicit construction states ('X launched a strike'); "
                             "default: the model's (0, off)")
    parser.add_argument("--sentiment-windows", choices=("shared", "focused"), default=None,
                        help="focused: one more encoder pass per actor mention, only it marked, for its sentiment "
                             "(more accurate with several actors per sentence, slower); default: the model's")
    parser.add_argument("--glob", default="*.txt", help="file pattern when INPUT is a directory")


def _read_inputs(spec: str, pattern: str) -> list[tuple[str, str]]:
    if spec == "-":
        return [("<stdin>", sys.stdin.read())]
    path = Path(spec)
    if path.is_dir():
        files = sorted(path.rglob(pattern))
        if not files:
            raise SystemExit(f"stance classify: no files matching {pattern!r} in {path}")
        return [(str(f), f.read_text(encoding="utf-8", errors="replace")) for f in files]
    if not path.is_file():
        raise SystemExit(f"stance classify: {spec} is not a file or directory (use - for standard input)")
    return [(str(path), path.read_text(encoding="utf-8", errors="replace"))]


def run(args: argparse.Namespace) -> int:
    from stance.api import classify_many

    inputs = _read_inputs(args.input, args.glob)
    results = classify_many(
        [t for _, t in inputs],
        args.targets,
        model=args.model,
        batch_size=args.batch_size,
        n_process=args.n_process,
        backend=args.backend,
        cue_weight=args.cue_weight,
        sentiment_windows=args.sentiment_windows,
        show_progress_bar=len(inputs) > 1 and sys.stderr.isatty() or len(inputs) > 5,
    )
    out = sys.stdout
    if args.format == "json":
        if len(results) == 1:
            payload: object = results[0].to_dict()
        else:
            payload = [r.to_dict() | {"file": name} for (name, _), r in zip(inputs, results)]
        json.dump(payload, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif args.format == "jsonl":
        for (name, _), r in zip(inputs, results):
            out.write(json.dumps(r.to_dict() | {"file": name}, ensure_ascii=False) + "\n")
    else:
        for (name, _), r in zip(inputs, results):
            if len(inputs) > 1:
                out.write(f"== {name}\n")
            out.write(str(r) + "\n")
    return 0
