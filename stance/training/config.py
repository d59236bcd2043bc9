"""Training config files that compose: ``extends`` and the ``${data_root}`` / ``${runs}`` variables.

A config is a JSON object of :class:`~stance.training.arguments.TrainingArguments` fields
plus two conveniences, both resolved here before the arguments are built:

* ``"extends": "base/validation.json"`` (or a list of files): each parent is loaded first
  (its own ``extends`` too, to any depth), a list's parents merged left to right, and this
  file's keys are merged over the result. Objects merge key by key, recursively; lists
  and scalars replace (a child's ``validation`` list replaces the parent's whole list).
  Parent paths are relative to the file that names them. A cycle, or a parent that does
  not exist, is a :class:`ValueError` naming the files.
* ``${data_root}`` and ``${runs}`` inside any string value. ``${data_root}`` is the folder
  holding one folder per corpus: the ``--data-root`` flag of ``stance train`` /
  ``stance validate``, else the ``STANCE_DATA_ROOT`` environment variable; a config that
  uses it while neither is set is a :class:`ValueError` saying so. ``${runs}`` is where
  runs go: ``--runs-dir``, else ``STANCE_RUNS``, else ``runs`` in the working directory.
  Both are made absolute against the working directory.

Paths (``output_dir``, ``init_model``, ``teacher_model`` and every corpus's ``data_dir``)
are resolved in the file that writes them, before merging: a relative path against that
file's folder, exactly as a config without ``extends`` always was, and a path built from a
variable like a relative one (made absolute, symbolic links followed).

Example:
    >>> import json, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "base.json").write_text(json.dumps({"epochs": 2, "loader": {"a": 1, "b": 2}}))
    >>> _ = (d / "run.json").write_text(json.dumps({"extends": "base.json", "loader": {"b": 3}}))
    >>> load_config(d / "run.json")
    {'epochs': 2, 'loader': {'a': 1, 'b': 3}}
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

__all__ = [
    "DATA_ROOT_ENV",
    "RUNS_ENV",
    "PATH_KEYS",
    "load_config",
    "deep_merge",
    "config_variables",
    "add_config_arguments",
]

DATA_ROOT_ENV = "STANCE_DATA_ROOT"
RUNS_ENV = "STANCE_RUNS"
PATH_KEYS = ("output_dir", "init_model", "teacher_model")  # and each corpus's data_dir
_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` merged over ``base``: objects merge recursively, lists and scalars replace.

    Example:
        >>> deep_merge({"a": {"x": 1, "y": 2}, "l": [1, 2]}, {"a": {"y": 3}, "l": [9]})
        {'a': {'x': 1, 'y': 3}, 'l': [9]}
    """
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def config_variables(*, data_root: str | Path | None = None, runs_dir: str | Path | None = None) -> dict[str, Any]:
    """The values of ``${data_root}`` and ``${runs}``: the arguments, else the environment
    (``STANCE_DATA_ROOT``, ``STANCE_RUNS``), else ``None`` (data root: an error once used) and
    ``runs`` in the working directory; each made absolute against the working directory.
    """
    root = data_root if data_root not in (None, "") else os.environ.get(DATA_ROOT_ENV) or None
    runs = runs_dir if runs_dir not in (None, "") else os.environ.get(RUNS_ENV) or "runs"
    return {
        "data_root": None if root is None else str(Path(root).expanduser().resolve()),
        "runs": str(Path(runs).expanduser().resolve()),
    }


def _substitute(value: Any, variables: Mapping[str, str | None], where: str) -> Any:
    """``value`` with ``${name}`` replaced in every string, recursively."""
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in variables:
                raise ValueError(
                    f"{where}: unknown variable ${{{name}}} in {value!r}; the variables are "
                    f"{', '.join('${' + k + '}' for k in variables)}"
                )
            if variables[name] is None:
                raise ValueError(
                    f"{where} uses ${{{name}}} but no data root is set: pass --data-root DIR "
                    f"(stance train / stance validate) or set {DATA_ROOT_ENV}=DIR, the folder holding "
                    "one folder per corpus (e.g. ../shared/data)"
                )
            return str(variables[name])

        return _VARIABLE.sub(replace, value)
    if isinstance(value, list):
        return [_substitute(v, variables, where) for v in value]
    if isinstance(value, Mapping):
        return {k: _substitute(v, variables, where) for k, v in value.items()}
    return value


def _resolve_path(raw: Any, value: Any, folder: Path) -> Any:
    """A path value as :meth:`TrainingArguments.from_json` always read it: relative ones against
    the config's folder; one built from a variable resolved like them; absolute ones as written."""
    if not isinstance(value, str) or not value:
        return value
    if not Path(value).is_absolute():
        return str((folder / value).resolve())
    if isinstance(raw, str) and _VARIABLE.search(raw):
        return str(Path(value).resolve())
    return value


def _resolve_file(raw: dict[str, Any], path: Path, variables: Mapping[str, str | None]) -> dict[str, Any]:
    """One file's own values with variables substituted and paths resolved against its folder."""
    d = _substitute(raw, variables, str(path))
    folder = path.parent
    for key in PATH_KEYS:
        if key in d:
            d[key] = _resolve_path(raw.get(key), d[key], folder)
    for key in ("train", "validation"):
        specs = d.get(key)
        if not isinstance(specs, list):
            continue
        for spec, raw_spec in zip(specs, raw[key]):
            if isinstance(spec, dict) and "data_dir" in spec:
                spec["data_dir"] = _resolve_path(raw_spec.get("data_dir"), spec["data_dir"], folder)
    return d


def _read(path: Path, child: Path | None) -> dict[str, Any]:
    if not path.is_file():
        if child is None:
            raise FileNotFoundError(f"training config {path} not found")
        raise ValueError(
            f"{child} extends {path}, which does not exist: fix the path in its 'extends' "
            "(relative paths are read from the folder of the file that names them)"
        )
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"training config {path} is not valid JSON: {err}") from None
    if not isinstance(d, dict):
        raise ValueError(f"training config {path} must hold a JSON object, not {type(d).__name__}")
    return d


def _load(path: Path, chain: tuple[Path, ...], variables: Mapping[str, str | None]) -> dict[str, Any]:
    raw = _read(path, chain[-1] if chain else None)
    chain = (*chain, path)
    parents = raw.pop("extends", [])
    if isinstance(parents, str):
        parents = [parents]
    if not isinstance(parents, list) or not all(isinstance(p, str) and p for p in parents):
        raise ValueError(f"{path}: 'extends' must be a file path or a list of them, got {parents!r}")
    merged: dict[str, Any] = {}
    for parent in parents:
        parent_path = (path.parent / parent).resolve()
        if parent_path in chain:
            cycle = " -> ".join(str(p) for p in (*chain[chain.index(parent_path) :], parent_path))
            raise ValueError(f"training configs extend each other in a cycle: {cycle}; remove one 'extends'")
        merged = deep_merge(merged, _load(parent_path, chain, variables))
    return deep_merge(merged, _resolve_file(raw, path, variables))


def load_config(
    path: str | Path, *, data_root: str | Path | None = None, runs_dir: str | Path | None = None
) -> dict[str, Any]:
    """The resolved content of a training config: parents merged in, variables substituted,
    paths resolved (see the module docstring); ``extends`` is gone.

    Args:
        path: The config file.
        data_root: The value of ``${data_root}`` (default: ``$STANCE_DATA_ROOT``).
        runs_dir: The value of ``${runs}`` (default: ``$STANCE_RUNS``, else ``./runs``).

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: A parent is missing, the files extend each other in a cycle, a file is
            not a JSON object, or a variable is unknown or (``${data_root}``) not set.
    """
    variables = config_variables(data_root=data_root, runs_dir=runs_dir)
    return _load(Path(path).resolve(), (), variables)


def add_config_arguments(parser: Any) -> None:
    """``--data-root`` and ``--runs-dir`` on an argument parser (or group): the values of a
    config's ``${data_root}`` and ``${runs}`` (``stance train``, ``stance validate``)."""
    parser.add_argument(
        "--data-root",
        default=None,
        metavar="DIR",
        help=f"the folder holding one folder per corpus, for ${{data_root}} in the config (default: ${DATA_ROOT_ENV})",
    )
    parser.add_argument(
        "--runs-dir",
        default=None,
        metavar="DIR",
        help=f"where runs go, for ${{runs}} in the config (default: ${RUNS_ENV}, else ./runs)",
    )
