"""``stance bench NAME [ARGS...]`` / ``stance bench --list``: run a benchmark script of a source checkout.

Benchmarks are scripts in the source repository (``benchmarks/NAME.py``), not part of the
installed package: they read corpora from ``../shared/data`` and write JSON to
``benchmarks/results/``. This command finds the ``benchmarks/`` folder of the checkout
that holds the current directory (or one above it), else of the checkout the imported
``stance`` package lives in (an editable install), and runs ``NAME.py`` there with this
Python, passing ARGS through unchanged and returning its exit status; the working
directory stays where it is, so ``stance bench speed --n 5`` is ``python benchmarks/speed.py --n 5``
run from the repository root.

Example:
    $ stance bench --list
    $ stance bench speed --corpus seesaw --data-dir ../shared/data/seesaw --n 50
    $ stance bench compare --help
"""

from __future__ import annotations

import argparse
import ast
import logging
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

__all__ = ["find_benchmarks", "benchmark_scripts", "summary", "add_arguments", "run"]

NOT_A_CHECKOUT = (
    "stance bench: no benchmarks/ folder found. Benchmarks are scripts in the stance source repository "
    "(benchmarks/*.py), not part of the installed package: clone the repository, install it with "
    "`pip install -e .` and run `stance bench` inside the checkout (or `python benchmarks/NAME.py` there)."
)


def _is_checkout(root: Path) -> bool:
    """Whether ``root`` is a stance source checkout: ``benchmarks/`` beside the ``stance`` package."""
    return (root / "benchmarks").is_dir() and (root / "stance" / "__init__.py").is_file()


def find_benchmarks(cwd: str | Path | None = None) -> Path | None:
    """The ``benchmarks/`` folder of the checkout holding ``cwd`` (default: the current
    directory) or one of its parents, else of the checkout the imported ``stance`` package
    lives in; ``None`` outside a checkout (an installed wheel).
    """
    start = Path.cwd() if cwd is None else Path(cwd)
    start = start.resolve()
    for root in (start, *start.parents):
        if _is_checkout(root):
            return root / "benchmarks"
    import stance

    package_root = Path(stance.__file__).resolve().parent.parent
    if _is_checkout(package_root):
        return package_root / "benchmarks"
    return None


def benchmark_scripts(bench_dir: str | Path) -> dict[str, Path]:
    """``{name: path}`` of the runnable scripts in ``bench_dir`` (``*.py`` not starting with ``_``), sorted."""
    return {p.stem: p for p in sorted(Path(bench_dir).glob("*.py")) if not p.name.startswith("_")}


def summary(script: str | Path) -> str:
    """The first line of a script's module docstring ('' if it has none), read without running it."""
    try:
        doc = ast.get_docstring(ast.parse(Path(script).read_text(encoding="utf-8")))
    except (OSError, SyntaxError, ValueError) as err:
        logger.warning("%s: cannot read its docstring (%s)", script, err)
        return ""
    return doc.strip().splitlines()[0].strip() if doc and doc.strip() else ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        nargs="?",
        default=None,
        metavar="NAME",
        help="the benchmark: benchmarks/NAME.py of the source checkout (see --list)",
    )
    parser.add_argument(
        "args",
        nargs=argparse.REMAINDER,
        metavar="ARGS",
        help="passed to the script unchanged (e.g. `stance bench speed --help` shows its own options)",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks with their one-line description")


def run(args: argparse.Namespace) -> int:
    """List the benchmarks, or run one and return its exit status (2 when there is none to run)."""
    bench_dir = find_benchmarks()
    if bench_dir is None:
        sys.stderr.write(NOT_A_CHECKOUT + "\n")
        return 2
    scripts = benchmark_scripts(bench_dir)
    if args.list:
        width = max((len(n) for n in scripts), default=0)
        for name, path in scripts.items():
            sys.stdout.write(f"{name:<{width}}  {summary(path)}".rstrip() + "\n")
        return 0
    if args.name is None:
        sys.stderr.write(
            f"stance bench: name a benchmark ({', '.join(scripts)}); `stance bench --list` describes them\n"
        )
        return 2
    name = args.name[:-3] if args.name.endswith(".py") else args.name
    if name not in scripts:
        sys.stderr.write(
            f"stance bench: no benchmark {args.name!r} in {bench_dir}; choose one of: "
            f"{', '.join(scripts)} (`stance bench --list` describes them)\n"
        )
        return 2
    command = [sys.executable, str(scripts[name]), *args.args]
    logger.info("running %s", " ".join(command))
    proc = subprocess.Popen(command)
    try:
        code = proc.wait()
    except KeyboardInterrupt:  # the script got the interrupt too: let it finish its own way
        code = proc.wait()
    return code if code >= 0 else 128 - code  # killed by signal N: 128 + N, as a shell reports it
