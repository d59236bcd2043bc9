"""Provenance for result files (commit, versions, hardware, date) and JSON read/write.

Example:
    >>> sorted(provenance())
    ['commit', 'date', 'hardware', 'versions']
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["git_commit", "package_versions", "hardware", "utc_now", "provenance", "write_result", "read_results"]

_PACKAGES = ("stance", "torch", "transformers", "datasets", "scikit-learn", "spacy")


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def git_commit(repo: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Return ``{"sha": HEAD or None, "dirty": bool or None}`` for the repository.

    ``dirty`` is true when tracked files differ from HEAD (untracked files are ignored, and
    so are result files under ``benchmarks/results/`` and ``benchmarks/RESULTS.md``, which
    a benchmark run rewrites as it goes: they are outputs, not the code that ran).

    Example:
        >>> sorted(git_commit())
        ['dirty', 'sha']
    """
    cwd = Path(repo) if repo is not None else _repo_root()
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
             ":(exclude)benchmarks/results", ":(exclude)benchmarks/RESULTS.md"],
            cwd=cwd, capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        logger.debug("no git repository at %s", cwd)
        return {"sha": None, "dirty": None}
    return {"sha": sha or None, "dirty": bool(status.strip())}


def package_versions(packages: tuple[str, ...] = _PACKAGES) -> dict[str, str | None]:
    """Installed versions of python and the main packages (None if not installed).

    Example:
        >>> package_versions(("no-such-package-xyz",))["no-such-package-xyz"] is None
        True
    """
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def hardware() -> dict[str, Any]:
    """Platform, processor, CPU count, torch threads and GPU name (if CUDA is available).

    torch is only consulted if it is already imported, so this never loads it.

    Example:
        >>> "cpu_count" in hardware()
        True
    """
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "torch_threads": None,
        "gpu": None,
    }
    torch = sys.modules.get("torch")
    if torch is not None:
        try:
            info["torch_threads"] = torch.get_num_threads()
            if torch.cuda.is_available():
                info["gpu"] = torch.cuda.get_device_name(0)
        except Exception as err:  # noqa: BLE001 - provenance must never fail a run
            logger.debug("could not query torch: %s", err)
    return info


def utc_now() -> str:
    """Current time, ISO-8601 in UTC, to the second.

    Example:
        >>> utc_now().endswith("+00:00")
        True
    """
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def provenance() -> dict[str, Any]:
    """Everything needed to say where a number came from.

    Example:
        >>> provenance()["versions"]["python"] == platform.python_version()
        True
    """
    return {"commit": git_commit(), "versions": package_versions(), "hardware": hardware(), "date": utc_now()}


def write_result(result: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write ``result`` as indented, key-sorted JSON (creating folders); return the path.

    Example:
        >>> import tempfile
        >>> p = write_result({"b": 1, "a": 2}, Path(tempfile.mkdtemp()) / "r.json")
        >>> p.read_text().splitlines()[1]
        '  "a": 2,'
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def read_results(folder: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read every ``*.json`` in ``folder`` (sorted by file name), skipping unreadable ones.

    Each returned dict gets a ``_file`` key with its file name.

    Example:
        >>> import tempfile
        >>> read_results(tempfile.mkdtemp())
        []
    """
    results = []
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            logger.warning("skipping %s: %s", path, err)
            continue
        if isinstance(data, dict):
            data["_file"] = path.name
            results.append(data)
    return results
