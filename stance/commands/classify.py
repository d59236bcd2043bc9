"""``stance classify FILE_OR_DIR_OR_CORPUS_OR_- [--targets ...] [--format table|json|jsonl]
[--output FILE [--resume]]``.

INPUT is a text file (one article), a directory of text files, ``-`` (standard input), or
a corpus file with one article per row (``.jsonl``/``.ndjson``, ``.csv``, ``.tsv``, each
optionally ``.gz``; see :func:`stance.corpus.read_articles`). Every input is read and
checked first; results are then written as they are made, ``--chunk-size`` articles at a
time, so a long run's output grows on disk and a stopped run keeps what it wrote.

``--output out.jsonl --resume`` continues a stopped run: the ids (file names) already in
``out.jsonl`` are skipped and the rest appended, one flushed line per article, so an
interrupted run loses nothing and repeats nothing (a last line cut off by a killed run is
dropped, logged, and its article classified again).

Example:
    $ stance classify seeds/us_iran_talks_oman.txt
    $ stance classify articles/ --format jsonl > positions.jsonl
    $ stance classify news.csv.gz --text-field body --id-field url --format jsonl > positions.jsonl
    $ cat article.txt | stance classify - --targets "military action against Iran"
    $ stance classify news.jsonl --output positions.jsonl --resume
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, TextIO

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    inp = parser.add_argument_group("input")
    inp.add_argument(
        "input",
        help="a text file, a directory of .txt files, - for standard input, or a corpus "
        "with one article per row (.jsonl, .ndjson, .csv, .tsv, optionally .gz)",
    )
    inp.add_argument("--glob", default="*.txt", help="file pattern when INPUT is a directory")
    inp.add_argument("--text-field", default="text", help="corpus field (column) holding the article text")
    inp.add_argument(
        "--id-field",
        default=None,
        help="corpus field holding the article id (default: 'id' if the corpus has one, else the row number)",
    )
    model = parser.add_argument_group("model")
    model.add_argument(
        "--targets", nargs="+", default=None, metavar="TARGET", help="issues to judge every actor against"
    )
    model.add_argument(
        "--model",
        default=None,
        help="'accurate' (the default: mpnet adapter; needs `stance setup`), 'fast' (MiniLM, faster; see "
        "docs/models.md) or a model directory",
    )
    model.add_argument(
        "--cue-weight",
        type=float,
        default=None,
        help="log-odds added to the stance an explicit construction states ('X launched a strike'); "
        "default: the model's (0, off)",
    )
    model.add_argument(
        "--sentiment-windows",
        choices=("shared", "focused"),
        default=None,
        help="focused: one more encoder pass per actor mention, only it marked, for its sentiment "
        "(more accurate with several actors per sentence, slower); default: the model's",
    )
    out = parser.add_argument_group("output")
    out.add_argument(
        "--format",
        choices=("table", "json", "jsonl"),
        default=None,
        help="output format (default: table, or jsonl with --output)",
    )
    out.add_argument(
        "--output",
        "-o",
        default=None,
        metavar="FILE",
        help="write results to FILE instead of standard output (one line per article, flushed as made)",
    )
    out.add_argument(
        "--resume",
        action="store_true",
        help="with --output: skip the articles whose id (file name) FILE already holds and append "
        "the rest, so a stopped run goes on where it stopped",
    )
    out.add_argument("--chunk-size", type=int, default=64, help="articles classified before their results are written")
    perf = parser.add_argument_group("performance")
    perf.add_argument("--batch-size", type=int, default=8, help="articles per model batch")
    perf.add_argument(
        "--n-process", type=int, default=1, help="worker processes, each with its own pipeline (-1: one per CPU)"
    )
    perf.add_argument(
        "--backend",
        choices=("torch", "onnx"),
        default="torch",
        help="encoder engine: onnx runs it on ONNX Runtime (same output, faster on CPU; pip install 'stance[onnx]')",
    )
    perf.add_argument(
        "--precision",
        choices=("fp32", "bf16", "auto"),
        default=None,
        help="inference precision: bf16 (autocast; about 3x faster on CPUs with AMX), or auto (bf16 where the "
        "hardware computes it natively, else fp32); results record it in meta.precision. Default: the "
        "model's (fp32 unless it declares another); onnx always runs fp32",
    )


def _read_inputs(
    spec: str, pattern: str, text_field: str = "text", id_field: str | None = None
) -> list[tuple[str, str]]:
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


def _done_ids(path: Path, key: str) -> set[str]:
    """The ``key`` values of the results already in ``path`` (a jsonl output of an earlier run).

    A last line without its newline (the run was killed while writing it) is cut off the
    file and logged; its article is classified again.
    """
    done: set[str] = set()
    with path.open("rb+") as fh:
        data = fh.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            logger.warning(
                "%s: dropped a truncated last line (%d bytes, from an interrupted run); its article is "
                "classified again",
                path,
                len(data) - end,
            )
            fh.truncate(end)
    for n, line in enumerate(data[:end].decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise SystemExit(
                f"stance classify: {path} line {n} is not valid JSON ({err.msg}); --resume continues a "
                "jsonl file this command wrote: fix or remove that line, or write to a new --output"
            ) from None
        if not isinstance(row, dict) or key not in row:
            raise SystemExit(
                f"stance classify: {path} line {n} has no {key!r} field; --resume continues a jsonl file "
                f"this command wrote for the same input: write to a new --output"
            )
        done.add(str(row[key]))
    return done


def _open_output(
    args: argparse.Namespace, inputs: list[tuple[str, str]], key: str
) -> tuple[TextIO, list[tuple[str, str]]]:
    """The output stream and the inputs still to classify (all of them unless resuming)."""
    if args.output is None:
        if args.resume:
            raise SystemExit("stance classify: --resume needs --output FILE (the results of the run to continue)")
        return sys.stdout, inputs
    path = Path(args.output)
    if args.resume and args.format != "jsonl":
        raise SystemExit(f"stance classify: --resume appends to a jsonl file; use --format jsonl, not {args.format}")
    if path.exists() and path.stat().st_size and not args.resume:
        raise SystemExit(
            f"stance classify: {path} exists; add --resume to skip the articles it holds and append the "
            "rest, or remove it to start again"
        )
    todo = inputs
    if args.resume and path.exists():
        done = _done_ids(path, key)
        todo = [(name, text) for name, text in inputs if name not in done]
        stray = len(done - {name for name, _ in inputs})
        logger.warning(
            "%s: %d of %d articles already done, %d to go%s",
            path,
            len(inputs) - len(todo),
            len(inputs),
            len(todo),
            f" ({stray} results there name no article of this input)" if stray else "",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("a" if args.resume else "w", encoding="utf-8"), todo


def run(args: argparse.Namespace) -> int:
    from stance.api import classify_iter

    if args.chunk_size < 1:
        raise SystemExit(f"stance classify: --chunk-size must be >= 1, got {args.chunk_size}")
    if args.format is None:
        args.format = "jsonl" if args.output is not None else "table"
    inputs = _read_inputs(args.input, args.glob, args.text_field, args.id_field)
    key = "id" if _is_corpus(args.input) else "file"  # what names each result in the output
    out, inputs = _open_output(args, inputs, key)
    try:
        return _write(args, inputs, key, out, classify_iter)
    except KeyboardInterrupt:
        where = f"; {args.output} keeps every result written: rerun with --resume to go on" if args.output else ""
        sys.stderr.write(f"stance classify: interrupted{where}\n")
        return 130
    except Exception as err:
        from stance.parallel import WorkerDiedError

        if isinstance(err, WorkerDiedError) and err.indices:
            names = [inputs[i][0] for i in err.indices if i < len(inputs)]
            raise SystemExit(
                f"stance classify: a worker process died while classifying {key} "
                f"{', '.join(map(repr, names[:5]))}{' ...' if len(names) > 5 else ''}: {err}"
            ) from None
        raise
    finally:
        if out is not sys.stdout:
            out.close()


def _write(args: argparse.Namespace, inputs: list[tuple[str, str]], key: str, out: TextIO, classify_iter: Any) -> int:
    if not inputs:
        return 0
    results = classify_iter(
        (t for _, t in inputs),
        args.targets,
        model=args.model,
        chunk_size=args.chunk_size,
        batch_size=args.batch_size,
        n_process=args.n_process,
        backend=args.backend,
        precision=args.precision,
        cue_weight=args.cue_weight,
        sentiment_windows=args.sentiment_windows,
        show_progress_bar=len(inputs) > 1 and sys.stderr.isatty() or len(inputs) > 5,
    )
    single = len(inputs) == 1 and key == "file"
    if args.format == "json":
        if single:
            json.dump(next(results).to_dict(), out, indent=2, ensure_ascii=False)
        else:  # a JSON array, written element by element
            out.write("[")
            for i, ((name, _), r) in enumerate(zip(inputs, results)):
                out.write(
                    ("," if i else "") + "\n" + json.dumps(r.to_dict() | {key: name}, indent=2, ensure_ascii=False)
                )
                out.flush()
            out.write("\n]")
        out.write("\n")
    elif args.format == "jsonl":
        for (name, _), r in zip(inputs, results):
            out.write(json.dumps(r.to_dict() | {key: name}, ensure_ascii=False) + "\n")
            out.flush()  # one whole line per article reaches the file before the next starts
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
