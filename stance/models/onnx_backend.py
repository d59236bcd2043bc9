"""ONNX Runtime for the encoder: the same model, a faster CPU engine.

The transformer encoder is exported to ONNX (fp32, dynamic batch and length), fused with
ONNX Runtime's transformer optimiser where it knows the architecture (BERT: attention,
GELU, skip-LayerNorm), and run by an ``onnxruntime.InferenceSession``. The marker pooling
and the heads stay in torch (they are a few small matrix products). Outputs equal the
torch path's to float rounding (~1e-5), so accuracy is unchanged; speed is measured in
``benchmarks/speed.py``.

Needs the ``onnx`` extra: ``pip install "stance[onnx]"``. Nothing is written to disk: the
export happens in a temporary folder when the model is loaded (about two seconds).

Example:
    >>> from stance.models import load_model
    >>> fast = load_model(backend="onnx")  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import logging
import tempfile
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch
from torch import nn

logger = logging.getLogger(__name__)

__all__ = ["OnnxEncoder", "export_encoder", "with_onnx_encoder"]

INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
TAP_OUTPUT = "hidden_state_tap"
_FUSED_TYPES = {"bert": "bert"}  # config.model_type -> onnxruntime.transformers model_type


def _require_ort() -> Any:
    try:
        import onnxruntime
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError('the ONNX backend needs onnxruntime and onnx: pip install "stance[onnx]"') from exc
    return onnxruntime


class _Export(nn.Module):
    """Positional-argument wrapper the exporter can trace; returns the last hidden state
    (and, with ``tap``, the hidden states of that layer as a second output)."""

    def __init__(self, encoder: nn.Module, names: tuple[str, ...], tap: int | None = None) -> None:
        super().__init__()
        self.encoder = encoder
        self.names = names
        self.tap = tap

    def forward(self, *args: torch.Tensor) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
        features = dict(zip(self.names, args))
        if self.tap is None:
            return self.encoder(**features).last_hidden_state
        out = self.encoder(**features, output_hidden_states=True)
        return out.last_hidden_state, out.hidden_states[self.tap]


def export_encoder(
    encoder: nn.Module, path: str | Path, *, optimize: bool = True, opset: int = 17, tap: int | None = None
) -> Path:
    """Write ``encoder`` (a transformers encoder) as an fp32 ONNX graph at ``path``.

    Args:
        encoder: The encoder (``AutoModel``); it is copied, not changed.
        path: The ``.onnx`` file to write.
        optimize: Fuse attention/GELU/LayerNorm with ONNX Runtime's transformer optimiser
            when it knows the architecture.
        opset: ONNX opset.
        tap: Also output ``hidden_states[tap]`` (0 = embeddings) as ``TAP_OUTPUT``: the
            input of a model's sentiment branch (``StanceModel.branch_tap``).

    Returns:
        ``path``.
    """
    _require_ort()
    path = Path(path)
    enc = copy.deepcopy(encoder).to("cpu").float().eval()
    if hasattr(enc, "set_attn_implementation"):
        enc.set_attn_implementation("eager")  # exports as plain ops; sdpa's mask code traces shape-specific
    uses_types = getattr(enc.config, "type_vocab_size", 0) > 0
    names = INPUT_NAMES if uses_types else INPUT_NAMES[:2]
    ids = torch.tensor([[2, 5, 6, 3], [2, 5, 3, 0]]) % int(enc.config.vocab_size)  # any in-vocabulary ids
    example = (ids, torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]]), torch.zeros(2, 4, dtype=torch.long))[: len(names)]
    outputs = ["last_hidden_state"] if tap is None else ["last_hidden_state", TAP_OUTPUT]
    axes = {n: {0: "batch", 1: "sequence"} for n in (*names, *outputs)}
    raw = path.with_suffix(".raw.onnx") if optimize else path
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _Export(enc, names, tap),
            example,
            str(raw),
            input_names=list(names),
            output_names=outputs,
            dynamic_axes=axes,
            opset_version=opset,
            dynamo=False,
        )
    if optimize:
        kind = _FUSED_TYPES.get(getattr(enc.config, "model_type", ""))
        if kind is None:
            raw.replace(path)
        else:
            from onnxruntime.transformers import optimizer

            opt = optimizer.optimize_model(
                str(raw),
                model_type=kind,
                num_heads=int(enc.config.num_attention_heads),
                hidden_size=int(enc.config.hidden_size),
                opt_level=1,
            )
            opt.save_model_to_file(str(path))
            raw.unlink()
            logger.info("ONNX fusions: %s", {k: v for k, v in opt.get_fused_operator_statistics().items() if v})
    return path


class OnnxEncoder(nn.Module):
    """Drop-in for the torch encoder: ``encoder(**features).last_hidden_state``.

    A graph exported with ``tap`` also answers ``encoder(**features,
    output_hidden_states=True).hidden_states[tap]`` (``hidden_states`` then holds only
    that layer, keyed by its index).

    Args:
        model_bytes: The serialised ONNX graph.
        config: The transformers config of the exported encoder (kept as ``.config``).
        threads: ONNX Runtime intra-op threads (default: ``torch.get_num_threads()``).
        tap: The ``hidden_states`` index the graph outputs as ``TAP_OUTPUT``, if any.
    """

    def __init__(self, model_bytes: bytes, config: Any, *, threads: int | None = None, tap: int | None = None) -> None:
        super().__init__()
        ort = _require_ort()
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(threads or torch.get_num_threads())
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]
        self.config = config
        self.threads = options.intra_op_num_threads
        self.tap = tap
        outputs = {o.name for o in self.session.get_outputs()}
        if tap is not None and TAP_OUTPUT not in outputs:
            raise ValueError(
                f"this ONNX graph has no {TAP_OUTPUT!r} output; export it with export_encoder(..., tap={tap})"
            )

    def forward(self, output_hidden_states: bool = False, **features: torch.Tensor) -> SimpleNamespace:
        missing = [n for n in self.input_names if n not in features and n != "token_type_ids"]
        if missing:
            raise ValueError(f"the ONNX encoder needs inputs {missing}")
        feeds = {}
        for name in self.input_names:
            value = features.get(name)
            if value is None:  # token_type_ids left out: all zeros, as transformers does
                value = torch.zeros_like(features["input_ids"])
            feeds[name] = value.detach().to("cpu", torch.long).numpy()
        if not output_hidden_states:
            (hidden,) = self.session.run(["last_hidden_state"], feeds)
            return SimpleNamespace(last_hidden_state=torch.from_numpy(np.ascontiguousarray(hidden)))
        if self.tap is None:
            raise ValueError("this ONNX encoder was exported without a tap: it returns only last_hidden_state")
        hidden, tapped = self.session.run(["last_hidden_state", TAP_OUTPUT], feeds)
        return SimpleNamespace(
            last_hidden_state=torch.from_numpy(np.ascontiguousarray(hidden)),
            hidden_states={self.tap: torch.from_numpy(np.ascontiguousarray(tapped))},
        )


def with_onnx_encoder(
    model: Any, *, threads: int | None = None, optimize: bool = True, onnx_file: str | Path | None = None
) -> Any:
    """A copy of ``model`` (a :class:`~stance.models.modeling.StanceModel`) whose encoder runs on ONNX Runtime.

    CPU only. The copy predicts like the original (to float rounding) but cannot be
    trained or saved: keep the torch model for that.

    Args:
        model: The torch model.
        threads: ONNX Runtime threads (default: ``torch.get_num_threads()``).
        optimize: Fuse the graph (see :func:`export_encoder`).
        onnx_file: An encoder graph already exported from this model's encoder with
            :func:`export_encoder` (worker processes share one export this way; with
            ``tap=model.branch_tap`` if the model has a sentiment branch); default:
            export now, in a temporary folder.

    Raises:
        ImportError: onnxruntime/onnx are not installed (``pip install "stance[onnx]"``).
        FileNotFoundError: ``onnx_file`` does not exist.
    """
    _require_ort()
    tap = getattr(model, "branch_tap", None)
    if onnx_file is not None:
        if not Path(onnx_file).is_file():
            raise FileNotFoundError(
                f"no ONNX graph at {onnx_file}; export one with export_encoder(model.encoder, path)"
            )
        data = Path(onnx_file).read_bytes()
    else:
        with tempfile.TemporaryDirectory(prefix="stance-onnx-") as tmp:
            path = export_encoder(model.encoder, Path(tmp) / "encoder.onnx", optimize=optimize, tap=tap)
            data = path.read_bytes()
    encoder = OnnxEncoder(data, model.encoder.config, threads=threads, tap=tap)
    # a deep copy that takes the new encoder in place of the torch one (never copies it)
    out = copy.deepcopy(model, memo={id(model.encoder): encoder}).to("cpu").eval()
    out.backend = "onnx"
    out.precision = "fp32"  # the graph runs fp32; autocast would only touch the heads
    logger.info("encoder on ONNX Runtime (%d threads, %.1f MB graph)", encoder.threads, len(data) / 2**20)
    return out
