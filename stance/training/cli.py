"""``stance train CONFIG.json [--resume]``: fine-tune a model from a config file.

Example:
    $ stance train configs/stance-minilm.json --resume
"""

from __future__ import annotations

import argparse
import json
import logging

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", help="training config JSON (see configs/stance-minilm.json)")
    parser.add_argument("--resume", action="store_true", help="continue from OUTPUT_DIR/checkpoint if present")
    parser.add_argument("--max-steps", type=int, default=None, help="override max_steps (smoke tests)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def run(args: argparse.Namespace) -> int:
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    targs = TrainingArguments.from_json(args.config)
    if args.max_steps is not None:
        targs.max_steps = args.max_steps
    summary = Trainer(targs).train(resume=args.resume, show_progress_bar=not args.no_progress)
    print(json.dumps({k: v for k, v in summary.items() if k != "history"}, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stance.training")
    add_arguments(parser)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return run(parser.parse_args(argv))
