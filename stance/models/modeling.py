"""The stance + target-sentiment model: one encoder pass per window, two small heads.

A model directory is a plain Hugging Face directory: ``config.json`` (the encoder's
config plus a ``"stance"`` block with labels, task and version), ``model.safetensors``
(encoder and heads, fp16 when shipped), tokenizer files and a ``README.md`` model card.

An *adapter* model directory holds, instead of ``model.safetensors``, a standard ``peft``
LoRA adapter (``adapter_config.json`` naming its base by Hub id in
``base_model_name_or_path``, ``adapter_model.safetensors``) and ``heads.safetensors``
(the heads). Its base encoder comes from the registry packages (see
:mod:`stance.models.base`, sha256-checked) or a local directory / Hugging Face cache; the
adapter is merged into it at load time, so inference costs what the plain model costs.

Architecture: every span of a window is wrapped in ``[`` … ``]`` markers (see
:mod:`stance.models.inputs`); a span is represented by the concatenated hidden states of
its two markers. The *pair head* scores (source, target) from ``[s; t; s*t; cls]``
(``s`` is a learned vector when the source is the author); the *sentiment head* scores a
target from ``[t; cls]``.

Example:
    >>> model = StanceModel.from_pretrained("path/to/model")  # doctest: +SKIP
    >>> model.predict_pairs([{"text": "Qatar warned against escalation.", "source": "Qatar",
    ...     "source_start": 0, "source_end": 5, "target": "escalation",
    ...     "target_start": 21, "target_end": 31}])  # doctest: +SKIP
    array([[0.02, 0.95, 0.03]], dtype=float32)
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from stance.models.checks import FORMAT_VERSION, check_model_dir
from stance.models.inputs import DEFAULT_MAX_LENGTH, Window, encode_windows
from stance.models.precision import autocast
from stance.models.windows import (
    AUTHOR_SLOT,
    check_sentiment_windows,
    focus_window,
    group_pair_records,
    group_sentiment_records,
    has_several_slots,
)

logger = logging.getLogger(__name__)

PAIR_LABELS = ("favor", "against", "none")
SENTIMENT_LABELS = ("negative", "neutral", "positive")


#: Fields of the ``stance`` block fitted after training on a model's outputs (head
#: temperatures, article sentiment bias or aggregator, syntactic-cue weight), with their
#: fitting records.
CALIBRATION_FIELDS = (
    "precision",
    "pair_temperature",
    "sentiment_temperature",
    "temperature_fit",
    "article_sentiment_bias",
    "article_sentiment_calibration",
    "article_sentiment_aggregator",
    "article_sentiment_aggregator_fit",
    "cue_weight",
    "cue_calibration",
)


@dataclass
class StanceHeadConfig:
    """The ``"stance"`` block of ``config.json``."""

    task: str = "directed-stance+target-sentiment"
    version: str = "0.1.0"
    format_version: int = FORMAT_VERSION
    pair_labels: list[str] = field(default_factory=lambda: list(PAIR_LABELS))
    sentiment_labels: list[str] = field(default_factory=lambda: list(SENTIMENT_LABELS))
    max_length: int = DEFAULT_MAX_LENGTH
    head_dropout: float = 0.1
    base_model: str = ""
    markers: list[str] = field(default_factory=lambda: ["[", "]"])
    # each head's probabilities are softmax(logits / temperature); fitted on validation
    # splits by stance.training.temperature so that confidences are calibrated (1.0 = raw)
    pair_temperature: float = 1.0
    sentiment_temperature: float = 1.0
    temperature_fit: dict[str, Any] = field(default_factory=dict)
    # per-label log-prior shift for article-level sentiment (negative, neutral, positive);
    # see stance.aggregate and stance.training.calibrate
    article_sentiment_bias: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    article_sentiment_calibration: dict[str, Any] = field(default_factory=dict)
    # a fitted stance.aggregate.SentimentAggregator (its to_dict()); when set it replaces
    # the bias-shifted mean rule; {} = none
    article_sentiment_aggregator: dict[str, Any] = field(default_factory=dict)
    article_sentiment_aggregator_fit: dict[str, Any] = field(default_factory=dict)
    cue_weight: float = 0.0  # log-odds the pipeline adds to a syntactic cue's stance (0: off)
    cue_calibration: dict[str, Any] = field(default_factory=dict)
    # "shared": sentiment targets are read off the window that also serves the pairs (one
    # pass); "focused": a target in a window with other marked slots gets its own window
    # with only it marked (stance.models.windows.focus_window)
    sentiment_windows: str = "shared"
    # >0: the sentiment head reads a private copy of the encoder's top this-many layers
    # (run on the hidden states below them), so sentiment can be trained without moving the
    # representation the pair head reads; 0: both heads read the encoder's last layer
    sentiment_branch_layers: int = 0
    # width of the heads' hidden layer (0 = the encoder's hidden size)
    head_hidden: int = 0
    # the name results report for this model ("stance-minilm", "stance-mpnet"); "" = the folder name
    model_name: str = ""
    # "" = the encoder's weights are in model.safetensors; "lora" = a peft LoRA adapter
    # (adapter_config.json, adapter_model.safetensors) over base_model, heads in heads.safetensors
    encoder_adapter: str = ""
    # the inference precision this model's figures were measured at (stance.models.precision):
    # "fp32", "bf16" or "auto" (bf16 where the hardware has it); load_model uses it unless told
    # otherwise, and it is reset with the calibrations when the weights change
    precision: str = "fp32"
    # keys of the config's stance block this version does not know (e.g. the training
    # provenance), kept so that load -> save loses nothing
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The ``stance`` block as written to ``config.json`` (unknown keys kept)."""
        block = asdict(self)
        extra = block.pop("extra")
        return {**extra, **block}

    def reset_calibrations(self) -> list[str]:
        """Set the post-hoc calibrations (:data:`CALIBRATION_FIELDS`) back to their defaults.

        They were fitted on one set of weights; after the weights change (training, a soup)
        refit them with ``python -m stance.training.calibrate``. Returns the names reset.
        """
        defaults = StanceHeadConfig()
        changed = [n for n in CALIBRATION_FIELDS if getattr(self, n) != getattr(defaults, n)]
        for name in CALIBRATION_FIELDS:
            setattr(self, name, getattr(defaults, name))
        return changed

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> StanceHeadConfig:
        known = {k: v for k, v in d.items() if k in cls.__dataclass_fields__ and k != "extra"}
        extra = {k: v for k, v in d.items() if k not in cls.__dataclass_fields__}
        return cls(**known, extra=extra)


def _head(in_dim: int, hidden: int, n_out: int, dropout: float) -> nn.Sequential:
    return nn.Sequential(
        nn.Dropout(dropout), nn.Linear(in_dim, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, n_out)
    )


def encoder_layers(encoder: nn.Module) -> nn.ModuleList:
    """The transformer layers of a BERT-style encoder (``encoder.encoder.layer``).

    Raises:
        ValueError: The encoder does not keep its layers there, or is not BERT-style (the
            sentiment branch needs layers that take only hidden states and a mask).
    """
    layers = getattr(getattr(encoder, "encoder", None), "layer", None)
    model_type = getattr(getattr(encoder, "config", None), "model_type", "")
    if not isinstance(layers, nn.ModuleList) or model_type != "bert":
        raise ValueError(
            "a sentiment branch needs a BERT encoder (encoder.encoder.layer); "
            f"this one is {model_type or type(encoder).__name__!r}: "
            "set sentiment_branch_layers to 0"
        )
    return layers


def weights_digest(path: str | Path) -> str:
    """SHA-256 over a model directory's weight files (``model.safetensors``, or for an adapter
    ``adapter_model.safetensors`` then ``heads.safetensors``), read in 1 MiB blocks.

    Raises:
        FileNotFoundError: The directory holds no weight file.
    """
    import hashlib

    path = Path(path)
    names = (
        ("adapter_model.safetensors", "heads.safetensors")
        if (path / "adapter_config.json").is_file()
        else ("model.safetensors",)
    )
    digest = hashlib.sha256()
    for name in names:
        with open(path / name, "rb") as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


@contextmanager
def _quiet_encoder_load() -> Iterator[None]:
    """Load a pretrained encoder without the "Loading weights" bar or peft's deprecation warning.

    transformers' bar is switched off only while loading and restored after; the only
    warning filtered is the FutureWarning peft triggers by reading ``is_gradient_checkpointing``.
    """
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    if bars:
        hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r".*is_gradient_checkpointing.*", category=FutureWarning)
            yield
    finally:
        if bars:
            hf_logging.enable_progress_bar()


def _checkpoint_has_pooler(path: Path) -> bool:
    """Whether the encoder checkpoint in ``path`` carries pooler weights (read from its index or header)."""
    index = path / "model.safetensors.index.json"
    if index.is_file():
        keys: Any = json.loads(index.read_text(encoding="utf-8")).get("weight_map", {})
    elif (path / "model.safetensors").is_file():
        from safetensors import safe_open

        with safe_open(str(path / "model.safetensors"), framework="pt") as f:
            keys = list(f.keys())
    else:
        return False
    return any(k.startswith("pooler.") or ".pooler." in k for k in keys)


def _pretrained_encoder(path: str | Path, *, local_files_only: bool = True) -> nn.Module:
    """A pretrained encoder without its pooler (the heads read token states).

    A checkpoint that has pooler weights is loaded with the pooler, so that its weights are
    expected rather than reported as unexpected keys on every start; the pooler is then
    dropped before an adapter sees the model.
    """
    from transformers import AutoModel

    pooler = _checkpoint_has_pooler(Path(path))
    with _quiet_encoder_load():
        encoder = AutoModel.from_pretrained(str(path), local_files_only=local_files_only, add_pooling_layer=pooler)
    if getattr(encoder, "pooler", None) is not None:
        encoder.pooler = None
    return encoder


def _adapter_encoder(path: Path, config: Any, *, merge: bool, cache_dir: str | Path | None) -> nn.Module:
    """The base encoder named by ``path/adapter_config.json`` with the adapter applied (merged if ``merge``)."""
    from peft import PeftModel

    from stance.models.base import install_command, resolve_base_model

    adapter_cfg = json.loads((path / "adapter_config.json").read_text(encoding="utf-8"))
    base = adapter_cfg.get("base_model_name_or_path")
    if not base or not isinstance(base, str):
        raise ValueError(f"{path / 'adapter_config.json'} names no base_model_name_or_path; it is not a usable adapter")
    if not (path / "adapter_model.safetensors").is_file():
        raise FileNotFoundError(f"{path} has adapter_config.json but no adapter_model.safetensors; reinstall the model")
    try:
        base_dir = resolve_base_model(base, cache_dir=cache_dir)
    except ImportError as err:
        command = install_command(base)
        fix = f"run `stance setup` (it runs {command})" if command else "pass a local copy of it"
        raise FileNotFoundError(
            f"the model {path.name} is an adapter over {base}, which is not installed: {fix}"
        ) from err
    encoder = _pretrained_encoder(base_dir)
    for key in ("model_type", "hidden_size", "num_hidden_layers", "vocab_size"):
        if getattr(encoder.config, key, None) != getattr(config, key, None):
            fix = install_command(base)
            raise ValueError(
                f"the base encoder found for {base} ({base_dir}) has {key}={getattr(encoder.config, key, None)!r}, "
                f"but the adapter {path.name} was trained on {key}={getattr(config, key, None)!r}: "
                + (f"reinstall the base with {fix} --force-reinstall" if fix else "point it at the right base model")
            )
    with _quiet_encoder_load():
        peft_model = PeftModel.from_pretrained(encoder, str(path), is_trainable=not merge)
    return peft_model.merge_and_unload() if merge else peft_model


#: The linear layers that get LoRA, by encoder type (suffixes of module names in each layer).
LORA_TARGETS = {
    "bert": ("query", "key", "value", "dense"),
    "mpnet": ("q", "k", "v", "o", "dense"),
}


def lora_targets(encoder: nn.Module) -> tuple[str, ...]:
    """The module-name suffixes that get LoRA in ``encoder`` (:data:`LORA_TARGETS`).

    Raises:
        ValueError: An encoder type without a known list (pass ``target_modules``).
    """
    model_type = getattr(getattr(encoder, "config", None), "model_type", "")
    if model_type not in LORA_TARGETS:
        raise ValueError(
            f"no default LoRA target modules for a {model_type!r} encoder; pass target_modules "
            f"(known types: {sorted(LORA_TARGETS)})"
        )
    return LORA_TARGETS[model_type]


@dataclass
class WindowQueries:
    """What to ask about one window: pairs ``(source_slot, target_slot)`` and sentiment targets."""

    window: Window
    pairs: list[tuple[int, int]] = field(default_factory=list)
    sentiment: list[int] = field(default_factory=list)


def _temperature(head_config: StanceHeadConfig, name: str) -> float:
    """The head's temperature from the config, checked (a hand-edited config.json may hold anything)."""
    t = getattr(head_config, name)
    if isinstance(t, bool) or not isinstance(t, (int, float)) or not t > 0:
        raise ValueError(
            f"stance.{name} in config.json must be a number > 0 (1.0 = raw probabilities), got {t!r}; "
            "refit it with python -m stance.training.temperature"
        )
    return float(t)


def _scatter(
    logits: torch.Tensor | None,
    batch: Sequence[int],
    sizes: Sequence[int],
    out: list[np.ndarray],
    temperature: float = 1.0,
) -> None:
    """Split a batch's ``softmax(logits / temperature)`` back to its items (``sizes[j]`` rows for ``batch[j]``)."""
    if logits is None:
        return
    probs = (logits.float() / temperature).softmax(-1).cpu().numpy()
    k = 0
    for i, n in zip(batch, sizes):
        out[i] = probs[k : k + n]
        k += n


class StanceModel(nn.Module):
    """Encoder + pair (stance) head + target-sentiment head.

    Use :meth:`from_pretrained` to load a model directory and :meth:`save_pretrained` to
    write one. :meth:`predict_pairs` and :meth:`predict_sentiment` take schema records;
    :meth:`score` takes windows with queries (used by the article pipeline).
    """

    #: The engine running the encoder: ``"torch"``, or ``"onnx"`` for a copy made by
    #: :func:`stance.models.onnx_backend.with_onnx_encoder`.
    backend: str = "torch"
    #: SHA-256 of the weight files a loaded model came from (:func:`weights_digest`); "" if built in memory.
    weights_sha256: str = ""

    def __init__(self, encoder: nn.Module, tokenizer: Any, head_config: StanceHeadConfig | None = None) -> None:
        super().__init__()
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.head_config = head_config or StanceHeadConfig()
        #: ``"fp32"`` or ``"bf16"`` (autocast) for inference; see :meth:`set_precision`.
        self.precision = "fp32"
        hidden = int(encoder.config.hidden_size)
        span_dim = 2 * hidden
        dropout = self.head_config.head_dropout
        width = self.head_config.head_hidden or hidden
        if isinstance(width, bool) or not isinstance(width, int) or width < 1:
            raise ValueError(
                f"stance.head_hidden must be a positive int (0 = the encoder's hidden size), got {width!r}"
            )
        self.author = nn.Parameter(torch.randn(span_dim) * 0.02)
        self.pair_head = _head(3 * span_dim + hidden, width, len(self.head_config.pair_labels), dropout)
        self.sentiment_head = _head(span_dim + hidden, width, len(self.head_config.sentiment_labels), dropout)
        self.sentiment_branch: nn.ModuleList | None = None
        if self.head_config.sentiment_branch_layers:
            self.add_sentiment_branch(self.head_config.sentiment_branch_layers)

    def add_sentiment_branch(self, n_layers: int) -> None:
        """Give the sentiment head a private copy of the encoder's top ``n_layers`` layers.

        The copy starts equal to those layers, so predictions do not change until it is
        trained (see ``sentiment_branch_layers`` in
        :class:`~stance.training.arguments.TrainingArguments`). The pair head keeps reading
        the encoder's last layer.

        Raises:
            ValueError: ``n_layers`` is not in ``1 .. number of layers``, the model already
                has a branch, or the encoder is not BERT-style.
        """
        import copy

        layers = encoder_layers(self.encoder)
        if isinstance(n_layers, bool) or not isinstance(n_layers, int) or not 1 <= n_layers <= len(layers):
            raise ValueError(f"sentiment_branch_layers must be an int in 1..{len(layers)}, got {n_layers!r}")
        if self.sentiment_branch is not None:
            raise ValueError(f"this model already has a {len(self.sentiment_branch)}-layer sentiment branch")
        self.sentiment_branch = nn.ModuleList(copy.deepcopy(layer) for layer in layers[len(layers) - n_layers :])
        self.head_config.sentiment_branch_layers = n_layers

    @property
    def is_adapter(self) -> bool:
        """Whether the encoder carries an unmerged peft LoRA adapter (see :meth:`add_lora`)."""
        return hasattr(self.encoder, "peft_config")

    def add_lora(
        self,
        r: int = 16,
        *,
        alpha: float | None = None,
        dropout: float = 0.05,
        layers: Sequence[int] | None = None,
        target_modules: Sequence[str] | None = None,
    ) -> None:
        """Wrap the encoder in a ``peft`` LoRA adapter; only the adapter (and the heads) then train.

        :meth:`save_pretrained` writes such a model as an adapter directory (a few MB)
        over its base encoder, named in ``adapter_config.json`` by ``head_config.base_model``.

        Args:
            r: LoRA rank.
            alpha: LoRA scaling numerator (default ``2 * r``).
            dropout: Dropout on the adapter's input.
            layers: Transformer layers that get the adapter (default: all).
            target_modules: Linear modules that get the adapter (default: every linear
                layer of the attention and feed-forward blocks, see :func:`lora_targets`).

        Raises:
            ValueError: A bad rank, or the encoder already has an adapter.
        """
        from peft import LoraConfig, get_peft_model

        if isinstance(r, bool) or not isinstance(r, int) or r < 1:
            raise ValueError(f"LoRA rank r must be a positive int, got {r!r}")
        if self.is_adapter:
            raise ValueError("the encoder already has a LoRA adapter")
        config = LoraConfig(
            r=r,
            lora_alpha=alpha if alpha is not None else 2 * r,
            lora_dropout=dropout,
            bias="none",
            target_modules=list(target_modules or lora_targets(self.encoder)),
            layers_to_transform=list(layers) if layers else None,
        )
        from stance.models.base import hub_id

        config.base_model_name_or_path = hub_id(self.head_config.base_model)
        with _quiet_encoder_load():
            self.encoder = get_peft_model(self.encoder, config)
        self.head_config.encoder_adapter = "lora"

    @property
    def branch_tap(self) -> int | None:
        """Index in ``hidden_states`` (0 = embeddings) that the sentiment branch reads, or None."""
        if self.sentiment_branch is None:
            return None
        return int(self.encoder.config.num_hidden_layers) - len(self.sentiment_branch)

    def _run_branch(self, hidden: torch.Tensor, attention_mask: torch.Tensor | None) -> torch.Tensor:
        """The sentiment branch's layers over ``hidden`` (the encoder's states at :attr:`branch_tap`)."""
        from transformers.masking_utils import create_bidirectional_mask

        if attention_mask is None:
            attention_mask = torch.ones(hidden.shape[:2], dtype=torch.long, device=hidden.device)
        # the branch layers' own config says which attention implementation (eager, sdpa) they run
        config = getattr(self.sentiment_branch[0].attention.self, "config", self.encoder.config)
        mask = create_bidirectional_mask(
            config=config, inputs_embeds=hidden, attention_mask=attention_mask.to(hidden.device)
        )
        for layer in self.sentiment_branch:
            out = layer(hidden, attention_mask=mask)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_encoder(
        cls, encoder_path: str | Path, *, local_files_only: bool = True, **head_kwargs: Any
    ) -> StanceModel:
        """Start a new model from a pretrained encoder directory (used for training)."""
        from transformers import AutoTokenizer

        encoder = _pretrained_encoder(encoder_path, local_files_only=local_files_only)
        tokenizer = AutoTokenizer.from_pretrained(str(encoder_path), local_files_only=local_files_only, use_fast=True)
        head_kwargs.setdefault("base_model", Path(str(encoder_path)).name)
        return cls(encoder, tokenizer, StanceHeadConfig(**head_kwargs))

    @classmethod
    def from_config_dict(cls, encoder_config: Any, tokenizer: Any, **head_kwargs: Any) -> StanceModel:
        """A randomly initialised model from an encoder config (tests, speed benchmarks)."""
        from transformers import AutoModel

        encoder = AutoModel.from_config(encoder_config, add_pooling_layer=False)
        return cls(encoder, tokenizer, StanceHeadConfig(**head_kwargs))

    @classmethod
    def from_pretrained(
        cls,
        path: str | Path,
        *,
        device: str | torch.device | None = None,
        local_files_only: bool = True,
        merge_adapter: bool = True,
        base_cache_dir: str | Path | None = None,
        precision: str | None = None,
    ) -> StanceModel:
        """Load a model directory written by :meth:`save_pretrained`.

        Args:
            path: The model directory (full weights, or a LoRA adapter over a base encoder),
                or a Hugging Face Hub id (``"owner/name"`` as a str, not an existing path),
                resolved through ``huggingface_hub.snapshot_download``: the local cache only
                while ``local_files_only``.
            device: Where to put the model (default: CPU).
            local_files_only: Passed to transformers and huggingface_hub; keep True to never
                touch a network.
            merge_adapter: For an adapter directory, merge the adapter into the base
                encoder (inference: same cost as a plain model); False keeps it separate
                (to continue training the adapter).
            base_cache_dir: Where a split-zip base encoder is unpacked (default
                :func:`stance.models.base.default_cache_dir`).
            precision: ``"fp32"``, ``"bf16"`` (autocast) or ``"auto"`` (bf16 where the
                device computes it natively); see :meth:`set_precision`. None = the
                precision the model declares (``stance.precision`` in ``config.json``,
                where its figures were measured; fp32 when absent).

        Raises:
            FileNotFoundError: ``path`` is not a model directory, a Hub id is not in the
                local cache (the message says how to fetch it), or an adapter's base encoder
                is not installed (the message names the pip command).
            ValueError: ``config.json`` has no ``stance`` block, the base encoder does
                not match the adapter, or an unknown ``precision``.
        """
        from stance.models.base import resolve_model_dir
        from stance.models.precision import check_precision

        if precision is not None:
            check_precision(precision)
        path = resolve_model_dir(path, local_files_only=local_files_only)  # a Hub id -> its cached snapshot
        check_model_dir(path)  # a damaged or foreign directory fails here, naming the file and the fix
        from safetensors.torch import load_file
        from transformers import AutoConfig, AutoModel, AutoTokenizer

        path = Path(path)
        cfg_file = path / "config.json"
        adapter = (path / "adapter_config.json").is_file()
        weights = path / ("heads.safetensors" if adapter else "model.safetensors")
        if not cfg_file.is_file() or not weights.is_file():
            raise FileNotFoundError(
                f"{path} is not a stance model directory: it needs config.json and model.safetensors "
                "(or, for an adapter model, adapter_config.json, adapter_model.safetensors and heads.safetensors)"
            )
        raw = json.loads(cfg_file.read_text(encoding="utf-8"))
        if "stance" not in raw:
            raise ValueError(
                f"{cfg_file} has no 'stance' block: it is not a stance model (train one with `stance train`)"
            )
        head_config = StanceHeadConfig.from_dict(raw["stance"])
        if head_config.format_version > FORMAT_VERSION:
            raise ValueError(
                f"{path} was written by a newer stance (format {head_config.format_version}); upgrade stance"
            )
        config = AutoConfig.from_pretrained(str(path), local_files_only=local_files_only)
        tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=local_files_only, use_fast=True)
        if adapter:
            encoder = _adapter_encoder(path, config, merge=merge_adapter, cache_dir=base_cache_dir)
        else:
            encoder = AutoModel.from_config(config, add_pooling_layer=False)
        model = cls(encoder, tokenizer, head_config)
        state = {k: v.float() for k, v in load_file(str(weights)).items()}
        missing, unexpected = model.load_state_dict(state, strict=False)
        if adapter:  # the encoder's weights came with it; only the heads are in heads.safetensors
            missing = [k for k in missing if not k.startswith("encoder.")]
        if missing or unexpected:
            raise ValueError(f"{weights} does not match the model: missing {missing[:5]}, unexpected {unexpected[:5]}")
        model.weights_sha256 = weights_digest(path)
        model.eval()
        if device is not None:
            model.to(device)
        model.set_precision(precision if precision is not None else head_config.precision)
        return model

    def set_precision(self, precision: str) -> StanceModel:
        """Run inference at ``precision``: ``"fp32"``, ``"bf16"`` (``torch.autocast``: matrix
        products in bf16, softmax and norms in fp32) or ``"auto"`` (bf16 where the model's
        device computes it natively: AMX / AVX512-BF16 CPUs, bf16 GPUs; else fp32).

        On a CPU with AMX, bf16 is about 3x faster for mpnet; the agreement with fp32 is in
        ``benchmarks/RESULTS.md``. The resolved value is in :attr:`precision` and in every
        result's ``meta``. Returns the model.

        Raises:
            ValueError: ``precision`` is not one of those three strings.
        """
        from stance.models.precision import resolve_precision

        self.precision = resolve_precision(precision, self.device)
        return self

    def save_pretrained(
        self,
        path: str | Path,
        *,
        dtype: torch.dtype = torch.float16,
        extra_config: Mapping[str, Any] | None = None,
        eval_results: Sequence[Mapping[str, Any]] | None = None,
        card_data: Any = None,
    ) -> Path:
        """Write config.json (with the ``stance`` block), the weights, the tokenizer and a
        ``README.md`` model card.

        A model with an unmerged LoRA adapter (:meth:`add_lora`) is written as an adapter
        directory: ``adapter_config.json`` + ``adapter_model.safetensors`` (peft's format)
        and ``heads.safetensors``; any other model as ``model.safetensors``.

        The card (:mod:`stance.models.card`) is rendered from what the model knows: its
        ``stance`` block, with the training provenance (``training``: commands, stages,
        validation) and calibrations it records, plus ``eval_results`` if given.

        Args:
            path: The directory to write (created if needed).
            dtype: The weights' dtype on disk (fp16 by default).
            extra_config: Keys added to the ``stance`` block (e.g. ``{"training": ...}``).
            eval_results: Harness results of this model (``stance evaluate`` records) for the
                card's results table and ``model-index``.
            card_data: A :class:`stance.models.card.ModelCardData` to render instead, or a
                mapping of its fields to change (e.g. ``{"history": "docs/experiments.md"}``).

        Raises:
            ValueError: The encoder runs on ONNX Runtime (save the torch model instead), or
                ``card_data`` names an unknown card field.
            TypeError: ``card_data`` is neither a ``ModelCardData`` nor a mapping.
        """
        from stance.models.card import ModelCardData, updated

        if card_data is not None and not isinstance(card_data, (ModelCardData, Mapping)):
            raise TypeError(
                f"card_data must be a ModelCardData or a mapping of its fields, got {type(card_data).__name__}"
            )
        if isinstance(card_data, Mapping):
            updated(ModelCardData(model_name=""), card_data)  # an unknown field fails before anything is written
        from safetensors.torch import save_file

        if self.backend != "torch":
            raise ValueError(f"this model's encoder runs on {self.backend}: save the torch model it was made from")

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        adapter = self.is_adapter
        encoder = self.encoder.get_base_model() if adapter else self.encoder
        cfg = encoder.config.to_dict()
        block = self.head_config.to_dict()
        block["encoder_adapter"] = "lora" if adapter else ""
        if extra_config:
            block.update(extra_config)
        cfg["stance"] = block
        (path / "config.json").write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        state = {k: v.detach().to("cpu", dtype=dtype).contiguous() for k, v in self.state_dict().items()}
        if adapter:
            from peft import get_peft_model_state_dict

            lora = {
                k: v.detach().to("cpu", dtype=dtype).contiguous()
                # the vocabulary is never resized, so no embedding rows are saved and peft
                # does not look the base up on the Hub (which stalls offline)
                for k, v in get_peft_model_state_dict(self.encoder, save_embedding_layers=False).items()
            }
            save_file(lora, str(path / "adapter_model.safetensors"), metadata={"format": "pt"})
            from stance.models.base import HUB_IDS

            peft_config = self.encoder.peft_config["default"]
            if self.head_config.base_model in HUB_IDS:
                # peft records the folder the base was read from (a cache path on this
                # machine); a registry base is named by its Hub id, which any install resolves
                peft_config.base_model_name_or_path = HUB_IDS[self.head_config.base_model]
            peft_config.save_pretrained(str(path))
            heads = {k: v for k, v in state.items() if not k.startswith("encoder.")}
            save_file(heads, str(path / "heads.safetensors"), metadata={"format": "pt"})
            stale = path / "model.safetensors"
        else:
            save_file(state, str(path / "model.safetensors"), metadata={"format": "pt"})
            stale = path / "heads.safetensors"
        for old in (stale, path / "adapter_config.json", path / "adapter_model.safetensors"):
            if old.exists() and (not adapter or old == stale):
                old.unlink()  # a directory holds one layout, never both
        self.tokenizer.save_pretrained(str(path))
        self._write_card(path, block, eval_results, card_data)
        return path

    def _write_card(self, path: Path, block: Mapping[str, Any], eval_results: Any, card_data: Any) -> Path | None:
        """Write ``path/README.md`` from the saved ``stance`` block (see :meth:`save_pretrained`).

        A card the recorded provenance cannot fill (a hand-edited ``training`` block) is
        logged and skipped: the weights and config are already written, and a checkpoint
        must not fail over its card.
        """
        from stance.models.card import ModelCardData, card_from_config, updated, write_model_card

        if isinstance(card_data, ModelCardData):
            return write_model_card(path, card_data)
        adapter_file = path / "adapter_config.json"
        adapter = json.loads(adapter_file.read_text(encoding="utf-8")) if adapter_file.is_file() else None
        try:
            data = card_from_config(
                block,
                model_name=self.head_config.model_name or path.resolve().name,
                eval_results=list(eval_results or []),
                adapter=adapter,
            )
            return write_model_card(path, updated(data, card_data or {}))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            logger.warning(
                "%s: no model card written (%s: %s); the config's stance.training block is not what "
                "save_pretrained records: write the card with `python -m stance.training.export card --model %s`",
                path,
                type(err).__name__,
                err,
                path,
            )
            return None

    def onnx(self, *, threads: int | None = None) -> StanceModel:
        """A copy whose encoder runs on ONNX Runtime (CPU; same predictions to float rounding).

        See :mod:`stance.models.onnx_backend`; needs ``pip install "stance[onnx]"``.

        Example:
            >>> fast = load_model().onnx()  # doctest: +SKIP
        """
        from stance.models.onnx_backend import with_onnx_encoder

        return with_onnx_encoder(self, threads=threads)

    def quantized(self) -> StanceModel:
        """A copy with int8 dynamic quantisation of every ``nn.Linear`` (CPU inference only).

        Typically ~2x faster on CPU; accuracy is reported beside the fp32 path in
        ``benchmarks/RESULTS.md``.

        Example:
            >>> fast = load_model().quantized()  # doctest: +SKIP
        """
        import copy
        import warnings

        model = copy.deepcopy(self).to("cpu").eval()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            model.precision = "fp32"  # int8 kernels; autocast would only add casts
            return torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)

    # ------------------------------------------------------------------ forward
    @property
    def device(self) -> torch.device:
        return self.author.device

    def span_representations(self, hidden: torch.Tensor, span_index: torch.Tensor) -> torch.Tensor:
        """``[B, S, 2H]``: hidden states at each slot's open and close markers (zeros if lost)."""
        b, s, _ = span_index.shape
        idx = span_index.clamp(min=0)
        gathered = torch.gather(hidden, 1, idx.reshape(b, s * 2, 1).expand(-1, -1, hidden.size(-1)))
        reps = gathered.reshape(b, s, 2 * hidden.size(-1))
        valid = (span_index[..., 0] >= 0).unsqueeze(-1).to(reps.dtype)
        return reps * valid

    def forward(
        self,
        features: Mapping[str, torch.Tensor],
        span_index: torch.Tensor,
        pair_queries: torch.Tensor | None = None,
        sentiment_queries: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor | None, torch.Tensor | None]:
        """Score queries.

        Args:
            features: Encoder inputs.
            span_index: ``[B, S, 2]`` marker token indices.
            pair_queries: ``[Q, 3]`` rows ``(batch, source_slot, target_slot)``; source -1 = author.
            sentiment_queries: ``[R, 2]`` rows ``(batch, target_slot)``.

        Returns:
            ``(pair_logits [Q, 3] | None, sentiment_logits [R, 3] | None)``.
        """
        want_sentiment = sentiment_queries is not None and len(sentiment_queries) > 0
        tap = self.branch_tap if want_sentiment else None
        out = self.encoder(**features, output_hidden_states=True) if tap is not None else self.encoder(**features)
        hidden = out.last_hidden_state
        cls = hidden[:, 0]
        reps = self.span_representations(hidden, span_index)
        pair_logits = sent_logits = None
        if pair_queries is not None and len(pair_queries):
            b = pair_queries[:, 0]
            src_slot = pair_queries[:, 1]
            tgt = reps[b, pair_queries[:, 2]]
            src = reps[b, src_slot.clamp(min=0)]
            is_author = (src_slot == AUTHOR_SLOT).unsqueeze(-1)
            src = torch.where(is_author, self.author.expand_as(src), src)
            pair_logits = self.pair_head(torch.cat([src, tgt, src * tgt, cls[b]], dim=-1))
        if want_sentiment:
            if tap is not None:
                branch = self._run_branch(out.hidden_states[tap], features.get("attention_mask"))
                cls, reps = branch[:, 0], self.span_representations(branch, span_index)
            b = sentiment_queries[:, 0]
            tgt = reps[b, sentiment_queries[:, 1]]
            sent_logits = self.sentiment_head(torch.cat([tgt, cls[b]], dim=-1))
        return pair_logits, sent_logits

    # ------------------------------------------------------------------ inference
    @torch.inference_mode()
    def score(
        self,
        items: Sequence[WindowQueries],
        *,
        batch_size: int = 32,
        show_progress_bar: bool = False,
        sentiment_windows: str | None = None,
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Run the windows and return per-window probabilities.

        Windows are sorted by length and batched (dynamic padding). In ``"shared"``
        sentiment mode every window runs once and serves its pairs and its sentiment
        targets. In ``"focused"`` mode (the model's ``sentiment_windows``, or the
        argument) a window with several marked slots runs once for its pairs and once
        more per sentiment target, with only that target marked; a window with one slot
        still runs once.

        Args:
            items: Windows with their queries.
            batch_size: Windows per forward pass.
            show_progress_bar: Show a tqdm bar over batches.
            sentiment_windows: ``"shared"`` or ``"focused"``; None = the model's setting.

        Returns:
            ``(pair_probs, sentiment_probs)``: one array per item, shapes ``[len(pairs), 3]``
            and ``[len(sentiment), 3]``.

        Raises:
            ValueError: ``batch_size`` < 1 or an unknown ``sentiment_windows``.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        mode = check_sentiment_windows(sentiment_windows or self.head_config.sentiment_windows)
        if mode == "shared":
            return self._score_windows(items, batch_size, show_progress_bar)
        jobs: list[WindowQueries] = []
        plan: list[tuple[int | None, list[int]]] = []  # per item: (pair job, one job per sentiment query)
        for it in items:
            if not has_several_slots(it.window) or not it.sentiment:
                plan.append((len(jobs), [len(jobs)] * len(it.sentiment)))
                jobs.append(it)
                continue
            pair_job = None
            if it.pairs:
                pair_job = len(jobs)
                jobs.append(WindowQueries(it.window, pairs=list(it.pairs)))
            per_slot: dict[int, int] = {}
            for t in it.sentiment:
                if t not in per_slot:
                    per_slot[t] = len(jobs)
                    jobs.append(WindowQueries(focus_window(it.window, t), sentiment=[0]))
            plan.append((pair_job, [per_slot[t] for t in it.sentiment]))
        pair_probs, sent_probs = self._score_windows(jobs, batch_size, show_progress_bar)
        pair_out: list[np.ndarray] = []
        sent_out: list[np.ndarray] = []
        for _it, (pair_job, sent_jobs) in zip(items, plan):
            pair_out.append(pair_probs[pair_job] if pair_job is not None else np.zeros((0, 3), dtype=np.float32))
            if sent_jobs and all(j == pair_job for j in sent_jobs):
                sent_out.append(sent_probs[pair_job])
            else:
                rows = [sent_probs[j][0] for j in sent_jobs]
                sent_out.append(np.stack(rows) if rows else np.zeros((0, 3), dtype=np.float32))
        return pair_out, sent_out

    def _score_windows(
        self, items: Sequence[WindowQueries], batch_size: int, show_progress_bar: bool
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Run every window once (the shared-mode pass)."""
        pair_t = _temperature(self.head_config, "pair_temperature")
        sent_t = _temperature(self.head_config, "sentiment_temperature")
        was_training = self.training
        self.eval()
        pair_out: list[np.ndarray] = [np.zeros((len(it.pairs), 3), dtype=np.float32) for it in items]
        sent_out: list[np.ndarray] = [np.zeros((len(it.sentiment), 3), dtype=np.float32) for it in items]
        order = sorted(
            range(len(items)), key=lambda i: len(items[i].window.text) + sum(map(len, items[i].window.extras))
        )
        batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        iterator: Any = batches
        if show_progress_bar:
            from tqdm.auto import tqdm

            iterator = tqdm(batches, desc="windows", unit="batch")
        device = self.device
        for batch in iterator:
            enc = encode_windows(self.tokenizer, [items[i].window for i in batch], self.head_config.max_length)
            pq = [(bi, s, t) for bi, i in enumerate(batch) for s, t in items[i].pairs]
            sq = [(bi, t) for bi, i in enumerate(batch) for t in items[i].sentiment]
            if enc.lost:
                logger.warning(
                    "%d marked spans were truncated away (max_length=%d); their scores are context-free",
                    len(enc.lost),
                    self.head_config.max_length,
                )
            feats = {k: v.to(device) for k, v in enc.features.items()}
            with autocast(self.precision, device):
                pl, sl = self.forward(
                    feats,
                    enc.span_index.to(device),
                    torch.tensor(pq, dtype=torch.long, device=device).reshape(-1, 3) if pq else None,
                    torch.tensor(sq, dtype=torch.long, device=device).reshape(-1, 2) if sq else None,
                )
            _scatter(pl, batch, [len(items[i].pairs) for i in batch], pair_out, pair_t)
            _scatter(sl, batch, [len(items[i].sentiment) for i in batch], sent_out, sent_t)
        if was_training:
            self.train()
        return pair_out, sent_out

    def predict_pairs(
        self, records: Sequence[Mapping[str, Any]], *, batch_size: int = 32, show_progress_bar: bool = False
    ) -> np.ndarray:
        """Stance probabilities ``[n, 3]`` (favor, against, none) for pair-schema records."""
        groups = group_pair_records(records)
        items = [WindowQueries(w, pairs=[(s, t) for _, s, t in q]) for w, q in groups]
        probs, _ = self.score(items, batch_size=batch_size, show_progress_bar=show_progress_bar)
        out = np.zeros((len(records), 3), dtype=np.float32)
        for (_, q), p in zip(groups, probs):
            for (i, _, _), row in zip(q, p):
                out[i] = row
        return out

    def predict_sentiment(
        self,
        records: Sequence[Mapping[str, Any]],
        *,
        batch_size: int = 32,
        show_progress_bar: bool = False,
        sentiment_windows: str | None = None,
    ) -> np.ndarray:
        """Sentiment probabilities ``[n, 3]`` (negative, neutral, positive) for sentiment records.

        Records sharing a text share a window; ``sentiment_windows`` (None = the model's
        setting) says whether its targets are read off one pass or get one focused pass
        each (see :meth:`score`).
        """
        groups = group_sentiment_records(records)
        items = [WindowQueries(w, sentiment=[t for _, t in q]) for w, q in groups]
        _, probs = self.score(
            items, batch_size=batch_size, show_progress_bar=show_progress_bar, sentiment_windows=sentiment_windows
        )
        out = np.zeros((len(records), 3), dtype=np.float32)
        for (_, q), p in zip(groups, probs):
            for (i, _), row in zip(q, p):
                out[i] = row
        return out

    @torch.inference_mode()
    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Mean-pooled, L2-normalised encoder embeddings of short texts (issue grouping)."""
        out: list[np.ndarray] = []
        self.eval()
        for i in range(0, len(texts), batch_size):
            enc = self.tokenizer(
                list(texts[i : i + batch_size]), padding=True, truncation=True, max_length=64, return_tensors="pt"
            )
            enc = {k: v.to(self.device) for k, v in enc.items()}
            with autocast(self.precision, self.device):
                hidden = self.encoder(**enc).last_hidden_state.float()
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
            out.append(torch.nn.functional.normalize(pooled, dim=-1).float().cpu().numpy())
        return np.concatenate(out) if out else np.zeros((0, int(self.encoder.config.hidden_size)), dtype=np.float32)
