"""``stance actors FILE [--format table|json]``: list the actors of an article.

``FILE`` may be ``-`` for standard input. ``--format json`` prints a list of actors,
each with ``name``, ``kind``, ``affiliation`` (a name or null), ``mentions``
(start, end, text), ``aliases`` and ``source`` (:meth:`stance.results.Actor.to_dict`).

Example:
    $ stance actors seeds/us_iran_talks_oman.txt
    $ cat article.txt | stance actors - --format json --aliases aliases.tsv
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["add_arguments", "run", "format_table"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the ``stance actors`` arguments to ``parser``."""
    parser.add_argument("file", metavar="FILE", help="article text file, or - for standard input")
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    parser.add_argument("--model", default=None, help="spaCy pipeline name or path (default: en_core_web_sm)")
    parser.add_argument(
        "--aliases", default=None, help="alias table (JSON or TSV: alias<TAB>canonical name[<TAB>kind])"
    )
    parser.add_argument("--encoding", default="utf-8", help="encoding of FILE (default: utf-8)")


def format_table(actors: list[Any]) -> str:
    """A plain-text table: name, kind, affiliation, mention count, surfaces.

    Example:
        >>> from stance.results import Actor, Span
        >>> print(format_table([Actor("Iran", "country", (Span(0, 4, "Iran"),))]))
        name  kind     affiliation  mentions  surfaces
        ----  -------  -----------  --------  --------
        Iran  country  -            1         Iran
    """
    rows = [("name", "kind", "affiliation", "mentions", "surfaces")]
    for a in actors:
        surfaces = ", ".join(dict.fromkeys(m.text for m in a.mentions))
        rows.append((a.name, a.kind, a.affiliation.name if a.affiliation else "-", str(len(a.mentions)), surfaces))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _read(path: str, encoding: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding=encoding) as f:
        return f.read()


def run(args: argparse.Namespace) -> int:
    """Run ``stance actors``; returns the exit status (0 ok, 2 bad input or setup)."""
    from stance.actors.extractor import DEFAULT_MODEL, ActorExtractor, PipelineNotFoundError

    try:
        text = _read(args.file, getattr(args, "encoding", "utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write(f"stance actors: cannot read {args.file}: {exc}\n")
        return 2
    try:
        extractor = ActorExtractor(
            getattr(args, "model", None) or DEFAULT_MODEL, aliases=getattr(args, "aliases", None)
        )
        actors = extractor.extract(text)
    except PipelineNotFoundError as exc:
        sys.stderr.write(f"stance actors: {exc}\n")
        return 2
    except (FileNotFoundError, ValueError) as exc:
        sys.stderr.write(f"stance actors: {exc}\n")
        return 2
    if args.format == "json":
        sys.stdout.write(json.dumps([a.to_dict() for a in actors], ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_table(actors) + "\n")
    return 0
