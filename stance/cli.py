"""Command-line interface: ``stance <command> ...``.

Each command lives in the module that owns it and exposes two functions,
``add_arguments(parser)`` and ``run(args) -> int``; this file only wires them up, and
imports a command's module only when that command runs (fast start-up).

Commands whose module also runs alone keep that form as an alias with the same flags
(``python -m stance.training.calibrate`` is ``stance calibrate``). A module may set
``LOG_LEVEL`` (default WARNING) for the logging its command shows without ``-v``.

Example:
    $ stance classify seeds/us_iran_talks_oman.txt --format table
    $ stance evaluate park-dse --data-dir ../shared/data/directed-sentiment-park2021 --model tfidf
    $ stance bench --list
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "classify": ("stance.commands.classify", "who stands where in one or many articles"),
    "setup": ("stance.commands.setup", "install and verify the base encoder of the accurate model"),
    "actors": ("stance.actors.cli", "list the actors of an article"),
    "evaluate": ("stance.evaluation.cli", "evaluate a model or baseline on a benchmark task"),
    "train": ("stance.training.cli", "fine-tune the stance/sentiment model from a config file"),
    "validate": (
        "stance.training.validate",
        "score models on a training config's validation corpora (the selection criterion)",
    ),
    "soup": (
        "stance.training.soup",
        "average fine-tuned models' weights (a model soup), optionally chosen on validation",
    ),
    "silver": ("stance.data.silver", "build silver actor-issue stance pairs from the training text"),
    "temperature": (
        "stance.training.temperature",
        "fit each head's temperature on validation splits (calibrated confidences)",
    ),
    "calibrate": (
        "stance.training.calibrate",
        "fit a model's article-sentiment rule (bias or aggregator) on training splits",
    ),
    "export": (
        "stance.training.export",
        "export a run's best checkpoint as a model directory (weights), or write its card",
    ),
    "bench": ("stance.commands.bench", "run a benchmark script of the source checkout (--list shows them)"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stance", description="Who stands where in news articles.")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    sub = parser.add_subparsers(dest="_command", metavar="COMMAND")  # not "command": `export weights --command`
    sub.required = True
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(_module=module)
        # Arguments are added lazily in main() for the chosen command only.
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # Find the command to import only its module.
    command = next((a for a in argv if not a.startswith("-")), None)
    if command in COMMANDS:
        module = importlib.import_module(COMMANDS[command][0])
        sub_action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        module.add_arguments(sub_action.choices[command])
    args = parser.parse_args(argv)
    module = importlib.import_module(args._module)
    level = max(logging.DEBUG, getattr(module, "LOG_LEVEL", logging.WARNING) - 10 * args.verbose)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    return int(module.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
