"""Check a model directory before loading it: a damaged or foreign one fails naming the file and the fix.

:meth:`~stance.models.modeling.StanceModel.from_pretrained` calls :func:`check_model_dir`
first, so a truncated weights file, a config from another library, a wrong
``format_version`` or missing tokenizer files never surface as a deep error from
safetensors, transformers or torch. The checks read only headers and small JSON files
(milliseconds; no tensor is loaded).

Two layouts are accepted: full weights (``model.safetensors``), or a LoRA adapter
(``adapter_config.json`` + ``adapter_model.safetensors``) with the heads in
``heads.safetensors``. Both need ``config.json`` with a ``"stance"`` block and the
tokenizer files.

Example:
    >>> check_model_dir("/nonexistent")  # doctest: +NORMALIZE_WHITESPACE
    Traceback (most recent call last):
    ...
    FileNotFoundError: no model directory at /nonexistent: pass a directory written by StanceModel.save_pretrained
    (or None for the shipped model)
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

__all__ = ["FORMAT_VERSION", "check_model_dir", "check_safetensors"]

#: The model-directory format this version reads and writes (``stance.format_version``).
FORMAT_VERSION = 1

_TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "spm.model", "sentencepiece.bpe.model", "vocab.json")
_REINSTALL = (
    "copy the model directory again, or for the shipped model reinstall stance (pip install --force-reinstall stance)"
)


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{path} is not UTF-8 text ({err.reason} at byte {err.start}): the {what} is damaged; {_REINSTALL}"
        ) from None
    except json.JSONDecodeError as err:
        raise ValueError(
            f"{path} is not valid JSON ({err.msg}, line {err.lineno} column {err.colno}): the {what} is "
            f"damaged or truncated; {_REINSTALL}"
        ) from None
    except OSError as err:
        raise ValueError(f"{path} cannot be read ({err.strerror}): check its permissions; {_REINSTALL}") from None


def check_safetensors(path: str | Path) -> dict[str, Any]:
    """The header of a safetensors file, after checking that the file is whole.

    Reads the 8-byte header length and the JSON header only, and checks that the tensor
    data the header describes is exactly what follows it (a truncated or padded file,
    or another format renamed ``.safetensors``, fails).

    Raises:
        FileNotFoundError: No such file.
        ValueError: Not a whole safetensors file; the message names the file and the fix.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.safetensors"
        >>> _ = p.write_bytes(b"not a model")
        >>> check_safetensors(p)
        Traceback (most recent call last):
        ...
        ValueError: ... is not a safetensors file, or is truncated (header of ... bytes in a file of 11 bytes): ...
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; {_REINSTALL}")
    size = path.stat().st_size
    damaged = f"the weights are damaged (an interrupted download or copy?); {_REINSTALL}"
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            if len(head) < 8:
                raise ValueError(f"{path} is not a safetensors file (its header length field is unreadable): {damaged}")
            (n,) = struct.unpack("<Q", head)
            if n < 2 or 8 + n > size or n > 100_000_000:
                raise ValueError(
                    f"{path} is not a safetensors file, or is truncated (header of {n} bytes in a file of "
                    f"{size} bytes): {damaged}"
                )
            raw = fh.read(n)
    except OSError as err:
        raise ValueError(f"{path} cannot be read ({err.strerror}): check its permissions; {_REINSTALL}") from None
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError(f"{path} is not a safetensors file (its header is not JSON): {damaged}") from None
    if not isinstance(header, dict):
        raise ValueError(f"{path} is not a safetensors file (its header is not a JSON object): {damaged}")
    end = 0
    for name, info in header.items():
        if name == "__metadata__":
            continue
        offsets = info.get("data_offsets") if isinstance(info, dict) else None
        if not (isinstance(offsets, list) and len(offsets) == 2 and all(isinstance(o, int) for o in offsets)):
            raise ValueError(f"{path}: tensor {name!r} has no valid data_offsets in the header: {damaged}")
        end = max(end, offsets[1])
    data = size - 8 - n
    if end != data:
        state = "truncated" if end > data else "longer than its header says"
        raise ValueError(
            f"{path} is {state}: its header describes {end} bytes of tensor data, the file holds {data}: {damaged}"
        )
    return header


def check_model_dir(path: str | Path) -> Path:
    """``path`` as a :class:`~pathlib.Path` if it holds a loadable stance model; else a clear error.

    Raises:
        FileNotFoundError: The directory, ``config.json``, the weights or the tokenizer
            files are missing.
        ValueError: A damaged file (truncated weights, broken JSON), a config from
            another library (no ``"stance"`` block, no ``model_type``), or a
            ``format_version`` this version does not read.
    """
    SUPPORTED_FORMAT = FORMAT_VERSION
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(
            f"no model directory at {path}: pass a directory written by StanceModel.save_pretrained "
            "(or None for the shipped model)"
        )
    cfg_file = path / "config.json"
    if not cfg_file.is_file():
        raise FileNotFoundError(
            f"{cfg_file} is missing: {path} is not a stance model directory (a model directory "
            "holds config.json, model.safetensors and the tokenizer files, as written by "
            "StanceModel.save_pretrained)"
        )
    cfg = _read_json(cfg_file, "model config")
    if not isinstance(cfg, dict) or "stance" not in cfg:
        kind = ""
        if isinstance(cfg, dict):
            hints = [
                f"{k}={cfg[k]!r}" for k in ("model_type", "architectures", "_name_or_path", "library_name") if k in cfg
            ]
            kind = f" ({', '.join(hints)})" if hints else ""
        raise ValueError(
            f"{cfg_file} has no 'stance' block{kind}: it is a config from another library, not a stance "
            "model; pass a directory written by StanceModel.save_pretrained, or train one with `stance train`"
        )
    block = cfg["stance"]
    if not isinstance(block, dict):
        raise ValueError(
            f"{cfg_file}: the 'stance' block must be a JSON object, got {type(block).__name__}; {_REINSTALL}"
        )
    version = block.get("format_version", SUPPORTED_FORMAT)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(
            f"{cfg_file}: stance.format_version must be a positive integer, got {version!r}: the file was "
            f"edited or written by another program; this stance reads format {SUPPORTED_FORMAT}"
        )
    if version > SUPPORTED_FORMAT:
        raise ValueError(
            f"{cfg_file}: stance.format_version is {version}, this stance reads format {SUPPORTED_FORMAT}: "
            "the model was written by a newer stance; upgrade stance (pip install -U stance)"
        )
    if not isinstance(cfg.get("model_type"), str):
        raise ValueError(
            f"{cfg_file} has no 'model_type': transformers cannot build the encoder from it; the config is "
            f"damaged or from another library; {_REINSTALL}"
        )
    if (path / "adapter_config.json").is_file():
        adapter = _read_json(path / "adapter_config.json", "adapter config")
        if not isinstance(adapter, dict):
            raise ValueError(f"{path / 'adapter_config.json'} must hold a JSON object: {_REINSTALL}")
        check_safetensors(path / "adapter_model.safetensors")
        check_safetensors(path / "heads.safetensors")
    else:
        weights = path / "model.safetensors"
        if not weights.is_file():
            raise FileNotFoundError(
                f"{weights} is missing: a stance model directory holds its weights in "
                "model.safetensors (or, for an adapter model, adapter_config.json, "
                f"adapter_model.safetensors and heads.safetensors); {_REINSTALL}"
            )
        check_safetensors(weights)
    if not any((path / f).is_file() for f in _TOKENIZER_FILES):
        raise FileNotFoundError(
            f"{path} has no tokenizer files (one of {', '.join(_TOKENIZER_FILES)}): save the "
            "tokenizer of the model's encoder there, e.g. AutoTokenizer.from_pretrained(ENCODER)"
            f".save_pretrained('{path}'), or {_REINSTALL}"
        )
    if (path / "tokenizer.json").is_file():
        _read_json(path / "tokenizer.json", "tokenizer")
    return path
