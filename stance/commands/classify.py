"""``stance classify FILE_OR_DIR_OR_CORPUS_OR_- [--targets ...] [--format table|json|jsonl]``.

INPUT is a text file (one article), a directory of text files, ``-`` (standard input), or
a corpus file with one article per row (``.jsonl``/``.ndjson``, ``.csv``, ``.tsv``, each
optionally ``.gz``; see :func:`stance.corpus.read_articles`). Every input is read and
checked first; results are then written as they are made, ``--chunk-size`` articles at a
time, so a long run's output grows on disk and a stopped run keeps what it wrote.

Example:
    $ stance classify seeds/us_iran_talks_oman.txt
    $ stance classify articles/ --format jsonl > positions.jsonl
    $ stance classify news.csv.gz --text-field body --id-field url --format jsonl > positions.jsonl
    $ cat article.txt | stance classify - --targets "military action against Iran"
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="a text file, a directory of .txt files, - for standard input, or a corpus "
                                      "with one article per row (.jsonl, .ndjson, .csv, .tsv, optionally .gz)")
    parser.add_argument("--targets", nargs="+", default=None, metavar="TARGET", help="issues to judge every actor against")
    parser.add_argument("--format", choices=("table", "json", "jsonl"), default="table", help="output format")
    parser.add_argument("--model", default=None,
                        help="'fast' (MiniLM), 'accurate' (mpnet adapter; needs `stance setup`) or a model directory "
                             "(default: the default shipped model)")
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
    parser.add_argument("--text-field", default="text", help="corpus field (column) holding the article text")
    parser.add_argument("--id-field", default=None,
                        help="corpus field holding the article id (default: 'id' if the corpus has one, else the row number)")
    parser.add_argument("--chunk-size", type=int, default=64,
                        help="articles classified before their results are written")


def _read_inputs(spec: str, pattern: str, text_field: str = "text", id_field: str | None = None) -> list[tuple[str, str]]:
    """``(name, text)`` per article: the file name, or the corpus id."""
    if spec == "-":
        return [("<stdin>", sys.stdin.read())]
    path = Path(spec)
    from stance.corpus import corpus_format, read_articles

    if path.is_file() and corpus_format(path) is not None:
        try:
            return [(a.id, a.text) for a in read_articles(path, text_field=text_field, id_field=id_field)]
        except (TypeError, ValueError) as err:
            raise SystemExit(f"stance classify: {err}") from None
    if path.is_dir():
        files = sorted(path.rglob(pattern))
        if not files:
            raise SystemExit(f"stance classify: no files matching {pattern!r} in {path}")
        return [(str(f), f.read_text(encoding="utf-8", errors="replace")) for f in files]
    if not path.is_file():
        raise SystemExit(f"stance classify: {spec} is not a file or directory (use - for standard input)")
    return [(str(path), path.read_text(encoding="utf-8", errors="replace"))]


def run(args: argparse.Namespace) -> int:
    from stance.api import classify_iter

    if args.chunk_size < 1:
        raise SystemExit(f"stance classify: --chunk-size must be >= 1, got {args.chunk_size}")
    inputs = _read_inputs(args.input, args.glob, args.text_field, args.id_field)
    key = "id" if _is_corpus(args.input) else "file"  # what names each result in the output
    results = classify_iter(
        (t for _, t in inputs),
        args.targets,
        model=args.model,
        chunk_size=args.chunk_size,
        batch_size=args.batch_size,
        n_process=args.n_process,
        backend=args.backend,
        cue_weight=args.cue_weight,
        sentiment_windows=args.sentiment_windows,
        show_progress_bar=len(inputs) > 1 and sys.stderr.isatty() or len(inputs) > 5,
    )
    out = sys.stdout
    single = len(inputs) == 1 and key == "file"
    if args.format == "json":
        if single:
            json.dump(next(results).to_dict(), out, indent=2, ensure_ascii=False)
        else:  # a JSON array, written element by element
            out.write("[")
            for i, ((name, _), r) in enumerate(zip(inputs, results)):
                out.write(("," if i else "") + "\n" + json.dumps(r.to_dict() | {key: name}, indent=2, ensure_ascii=False))
                out.flush()
            out.write("\n]")
        out.write("\n")
    elif args.format == "jsonl":
        for (name, _), r in zip(inputs, results):
            out.write(json.dumps(r.to_dict() | {key: name}, ensure_ascii=False) + "\n")
            out.flush()
    else:
        for (name, _), r in zip(inputs, results):
            if not single:
                out.write(f"== {name}\n")
            out.write(str(r) + "\n")
            out.flush()
    return 0


def _is_corpus(spec: str) -> bool:
    from stance.corpus import corpus_format

    return spec != "-" and Path(spec).is_file() and corpus_format(spec) is not None
