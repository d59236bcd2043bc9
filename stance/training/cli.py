"""``stance train CONFIG.json [--data-root DIR] [--resume]``: fine-tune a model from a config file.

Configs may extend others and use ``${data_root}`` / ``${runs}`` (:mod:`stance.training.config`).

Example:
    $ stance train configs/stance-minilm.json --data-root ../shared/data --resume
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from stance.training.config import add_config_arguments

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    config = parser.add_argument_group("config")
    config.add_argument("config", help="training config JSON (see configs/stance-minilm.json)")
    add_config_arguments(config)
    config.add_argument("--max-steps", type=int, default=None, help="override max_steps (smoke tests)")
    running = parser.add_argument_group("run")
    running.add_argument("--resume", action="store_true", help="continue from OUTPUT_DIR/checkpoint if present")
    running.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def run(args: argparse.Namespace) -> int:
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    try:
        targs = TrainingArguments.from_json(args.config, data_root=args.data_root, runs_dir=args.runs_dir)
    except ValueError as err:
        raise SystemExit(f"stance train: {err}") from None
    if args.max_steps is not None:
        targs.max_steps = args.max_steps
    summary = Trainer(targs).train(resume=args.resume, show_progress_bar=not args.no_progress)
    sys.stdout.write(json.dumps({k: v for k, v in summary.items() if k != "history"}, indent=2) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stance.training")
    add_arguments(parser)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return run(parser.parse_args(argv))
