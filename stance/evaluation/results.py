"""Provenance for result files (commit, versions, hardware, date) and JSON read/write.

Harness results (``stance evaluate``) live one file per task, one row per model:
``RESULTS_DIR/harness/TASK.json`` is ``{"kind": "harness", "task": TASK, "results": [...]}``,
each row a whole result record with its own provenance (commit, versions, hardware, date).
:func:`upsert_result` writes a record as its model's row, replacing only that row;
:func:`read_harness` reads the rows back (and folders in the old layout, one
``TASK__MODEL.json`` per run).

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

__all__ = [
    "git_commit",
    "package_versions",
    "hardware",
    "utc_now",
    "provenance",
    "write_result",
    "read_results",
    "HARNESS_DIR",
    "harness_file",
    "model_key",
    "upsert_result",
    "read_harness",
]

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
            [
                "git",
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ".",
                ":(exclude)benchmarks/results",
                ":(exclude)benchmarks/RESULTS.md",
            ],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
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
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


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
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(json.dumps(result, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, out)  # a reader never sees half a file
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


#: Sub-folder of a results folder holding one harness file per task.
HARNESS_DIR = "harness"


def harness_file(results_dir: str | os.PathLike[str], task: str) -> Path:
    """The file holding ``task``'s harness rows: ``results_dir/harness/TASK.json``.

    Example:
        >>> harness_file("benchmarks/results", "park-dse").as_posix()
        'benchmarks/results/harness/park-dse.json'
    """
    return Path(results_dir) / HARNESS_DIR / f"{task}.json"


def model_key(model: Any) -> str:
    """The name a model's row goes by: a baseline's name, a model directory's folder name (a
    training run's for ``runs/NAME/best``), ``-VARIANT`` appended for ``DIR@VARIANT``.

    The same model named by a relative or an absolute path, or by its shipped name, gets one
    key, so re-evaluating it replaces its row. Only the string is read (no file system).

    Example:
        >>> model_key("stance/resources/models/stance-minilm@onnx"), model_key("runs/stance-mpnet/best")
        ('stance-minilm-onnx', 'stance-mpnet')
    """
    name = str(model or "").rstrip("/")
    variant = ""
    if "@" in Path(name).name:
        name, variant = name.rsplit("@", 1)
    path = Path(name)
    base = path.parent.name if path.name == "best" and path.parent.name else path.name
    return base + (f"-{variant}" if variant else "")


def _row_order(result: dict[str, Any]) -> tuple[str, str]:
    return model_key(result.get("model")), str(result.get("split"))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        logger.warning("skipping %s: %s", path, err)
        return None


def _task_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of one harness file ([] when it is missing or not a harness file)."""
    data = _read_json(path) if path.is_file() else None
    if not isinstance(data, dict) or data.get("kind") != "harness":
        return []
    return [r for r in data.get("results") or [] if isinstance(r, dict)]


def upsert_result(result: dict[str, Any], results_dir: str | os.PathLike[str]) -> Path:
    """Write ``result`` as its model's row of its task's harness file; return the file.

    The row with the same model (:func:`model_key`) and split is replaced; every other row,
    with its own provenance, is kept as it was. Rows are sorted by model, then split.

    Raises:
        ValueError: ``result`` is not an evaluation record (no ``task`` or ``model``).

    Example:
        >>> import tempfile
        >>> d = tempfile.mkdtemp()
        >>> _ = upsert_result({"task": "vast", "model": "tfidf", "split": "test", "metrics": {"macro_f1": 0.3}}, d)
        >>> p = upsert_result({"task": "vast", "model": "tfidf", "split": "test", "metrics": {"macro_f1": 0.4}}, d)
        >>> [r["metrics"]["macro_f1"] for r in read_harness(d)]
        [0.4]
    """
    task, model = result.get("task"), result.get("model")
    if not task or not model:
        raise ValueError(
            "upsert_result needs an evaluation record with 'task' and 'model' (what stance evaluate returns); "
            f"got keys {sorted(result)}"
        )
    path = harness_file(results_dir, str(task))
    key = _row_order(result)
    rows = [r for r in _task_rows(path) if _row_order(r) != key]
    rows.append(result)
    rows.sort(key=_row_order)
    return write_result({"kind": "harness", "task": str(task), "results": rows}, path)


def read_harness(
    results_dir: str | os.PathLike[str], *, task: str | None = None, model: str | None = None
) -> list[dict[str, Any]]:
    """The harness rows of a results folder, sorted by task, model and split.

    Reads ``harness/*.json``; a folder in the old layout (``TASK__MODEL.json`` files with
    ``"kind": "evaluation"`` at its top) is read too, a harness row winning over an old
    file of the same task, model and split.

    Args:
        results_dir: The results folder (e.g. ``benchmarks/results``).
        task: Keep this task's rows only.
        model: Keep this model's rows only, compared by :func:`model_key` (so
            ``"stance-minilm"`` matches ``stance/resources/models/stance-minilm`` but not
            its ``@onnx`` variant).

    Example:
        >>> import tempfile
        >>> read_harness(tempfile.mkdtemp())
        []
    """
    folder = Path(results_dir)
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for path in sorted(folder.glob("*__*.json")):
        data = _read_json(path)
        if isinstance(data, dict) and data.get("kind", "evaluation") == "evaluation" and "task" in data:
            rows[(str(data["task"]), *_row_order(data))] = data
    for path in sorted((folder / HARNESS_DIR).glob("*.json")):
        for row in _task_rows(path):
            rows[(str(row.get("task")), *_row_order(row))] = row
    out = [rows[k] for k in sorted(rows)]
    if task is not None:
        out = [r for r in out if r.get("task") == task]
    if model is not None:
        out = [r for r in out if model_key(r.get("model")) == model_key(model)]
    return out
