"""Numeric precision of the encoder's matrix products: ``"fp32"`` or ``"bf16"`` (autocast).

``"bf16"`` runs the forward pass under ``torch.autocast`` with bfloat16: matrix products in
bf16, softmax, layer norms and the heads' outputs in fp32. On CPUs with native bf16
(Intel AMX or AVX512-BF16) it is about 3x faster than fp32 for mpnet-sized encoders,
training included; on CPUs without it, bf16 is emulated and slower, so ``"auto"`` picks it
only where the hardware has it (a CUDA GPU that supports bf16, or such a CPU).

The agreement with fp32 is measured per model (``benchmarks/precision.py``) and every
result records the precision it ran at (``ArticleResult.meta["precision"]``).

Example:
    >>> check_precision("fp32")
    'fp32'
    >>> resolve_precision("fp32", "cpu")
    'fp32'
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["PRECISIONS", "check_precision", "native_bf16_cpu", "resolve_precision", "autocast", "warn_onnx_precision"]

#: What ``precision`` accepts.
PRECISIONS = ("auto", "fp32", "bf16")
_CPU_FLAGS = ("amx_bf16", "avx512_bf16")


def check_precision(precision: Any) -> str:
    """``precision`` if it is one of :data:`PRECISIONS`, else a clear error.

    Raises:
        ValueError: Anything else, naming the choices.
    """
    from stance.text import check_choice

    return check_choice(precision, PRECISIONS, name="precision")


@functools.lru_cache(maxsize=1)
def native_bf16_cpu() -> bool:
    """Whether this CPU computes bf16 natively (AMX or AVX512-BF16; read from ``/proc/cpuinfo``,
    so False off Linux)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    flags: set[str] = set()
    for line in text.splitlines():
        if line.startswith("flags"):
            flags.update(line.partition(":")[2].split())
            break
    return any(f in flags for f in _CPU_FLAGS)


def resolve_precision(precision: str, device: Any) -> str:
    """``"fp32"`` or ``"bf16"`` for ``precision`` on ``device`` (``"auto"``: bf16 where native).

    Example:
        >>> resolve_precision("bf16", "cpu")
        'bf16'
    """
    precision = check_precision(precision)
    if precision != "auto":
        return precision
    import torch

    kind = torch.device(device if device is not None else "cpu").type
    if kind == "cuda":
        return "bf16" if torch.cuda.is_available() and torch.cuda.is_bf16_supported() else "fp32"
    if kind == "cpu":
        return "bf16" if native_bf16_cpu() else "fp32"
    return "fp32"


@contextlib.contextmanager
def autocast(precision: str, device: Any) -> Iterator[None]:
    """``torch.autocast`` to bf16 on ``device`` when ``precision`` is ``"bf16"``; else nothing."""
    import torch

    if precision == "bf16":
        kind = torch.device(device if device is not None else "cpu").type
        with torch.autocast(kind, dtype=torch.bfloat16):
            yield
    else:
        yield


def warn_onnx_precision(backend: str, precision: str | None) -> None:
    """Log that ONNX Runtime runs fp32 whatever ``precision`` asks (``"bf16"``, ``"auto"``)."""
    if backend == "onnx" and precision not in (None, "fp32"):
        logger.warning("backend='onnx' runs the encoder in fp32: precision=%r has no effect there", precision)
