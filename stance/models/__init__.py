"""Models: the stance + target-sentiment encoder and its input builder.

Example:
    >>> from stance.models import load_model
    >>> model = load_model()  # the shipped default  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stance.models.modeling import StanceModel

DEFAULT_MODEL_NAME = "stance-minilm"


def default_model_path() -> Path:
    """Directory of the model shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "resources" / "models" / DEFAULT_MODEL_NAME


_CACHE: dict[tuple[str, str, str], "StanceModel"] = {}


BACKENDS = ("torch", "onnx")


def check_backend(backend: str) -> str:
    """``backend`` if it names an encoder engine (``"torch"`` or ``"onnx"``).

    Raises:
        ValueError: Any other value.

    Example:
        >>> check_backend("onnx")
        'onnx'
    """
    from stance.text import check_choice

    return check_choice(backend, BACKENDS, name="backend")


def load_model(
    path: str | Path | None = None,
    *,
    device: Any = None,
    local_files_only: bool = True,
    cache: bool = True,
    quantize: str | None = None,
    backend: str = "torch",
) -> "StanceModel":
    """Load a stance model directory, or the shipped default when ``path`` is None.

    Loaded models are cached per (path, device, quantize, backend) so repeated calls are free.

    Args:
        path: Model directory; None for the model shipped in the package.
        device: torch device (default CPU).
        local_files_only: Never touch the network (passed to transformers).
        cache: Reuse an already loaded model.
        quantize: ``"int8"`` for dynamic int8 quantisation (CPU), or None.
        backend: ``"torch"``, or ``"onnx"`` to run the encoder on ONNX Runtime (CPU, same
            predictions; ``pip install "stance[onnx]"``). ONNX sessions use
            ``torch.get_num_threads()`` threads at load time.

    Raises:
        FileNotFoundError: No model at ``path`` (or no default shipped).
        ValueError: An unknown ``quantize`` or ``backend``, or both int8 and onnx.
    """
    from stance.models.modeling import StanceModel

    p = Path(path) if path is not None else default_model_path()
    if quantize not in (None, "int8"):
        raise ValueError(f"quantize must be None or 'int8', got {quantize!r}")
    check_backend(backend)
    if backend == "onnx" and (quantize is not None or (device is not None and str(device) != "cpu")):
        raise ValueError("backend='onnx' runs fp32 on the CPU: leave quantize=None and device=None")
    key = (str(p.resolve()), str(device), str(quantize), backend)
    if cache and key in _CACHE:
        return _CACHE[key]
    if not (p / "config.json").is_file():
        hint = "" if path is not None else " (the package ships none: reinstall stance or pass a model directory)"
        raise FileNotFoundError(f"no stance model at {p}{hint}")
    model = StanceModel.from_pretrained(p, device=device, local_files_only=local_files_only)
    if quantize == "int8":
        model = model.quantized()
    if backend == "onnx":
        from stance.models.onnx_backend import with_onnx_encoder

        model = with_onnx_encoder(model)
    if cache:
        _CACHE[key] = model
    return model


def __getattr__(name: str) -> Any:
    if name in {"StanceModel", "StanceHeadConfig", "WindowQueries"}:
        from stance.models import modeling

        return getattr(modeling, name)
    raise AttributeError(name)
