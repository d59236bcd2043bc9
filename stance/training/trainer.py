"""Fine-tune the stance + sentiment model (training is kept apart from inference).

The :class:`Trainer` builds windows with the same code inference uses
(:mod:`stance.models.windows`), trains both heads jointly, evaluates on the validation
corpora, keeps the best model by validation score only, stops early, and can resume from
its last checkpoint. Checkpoints are safetensors plus JSON: nothing is pickled.

Example:
    >>> args = TrainingArguments.from_json("configs/minilm.json")  # doctest: +SKIP
    >>> Trainer(args).train()  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import math
import random
import re
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from stance.models.inputs import Window, encode_windows
from stance.models.modeling import PAIR_LABELS, SENTIMENT_LABELS, StanceModel
from stance.models.precision import autocast, resolve_precision
from stance.models.windows import (
    check_sentiment_windows,
    focus_window,
    group_pair_records,
    group_sentiment_records,
    has_several_slots,
)
from stance.training.arguments import DatasetSpec, TrainingArguments
from stance.training.base_models import resolve_base_model

logger = logging.getLogger(__name__)

_LAYER_RE = re.compile(r"\.layers?\.(\d+)\.")  # encoder.encoder.layer.3.attention... (BERT, MPNet)


@dataclass
class TrainItem:
    """One window with labelled queries."""

    window: Window
    pairs: list[tuple[int, int, int]] = field(default_factory=list)  # (src_slot, tgt_slot, label)
    sentiment: list[tuple[int, int]] = field(default_factory=list)  # (tgt_slot, label)
    weight: float = 1.0
    dataset: str = ""
    distill: bool = True  # with a teacher: whether these queries get the distillation term


def record_matches(record: Mapping[str, Any], key: str, value: str) -> bool:
    """Whether ``record[key]`` (or, failing that, its ``meta`` JSON's ``key``) equals ``value`` as text.

    Example:
        >>> record_matches({"label": 1, "meta": '{"label5": 2}'}, "label5", "2")
        True
    """
    from stance.evaluation.scoring import record_meta

    if key in record and key != "meta":
        return str(record[key]) == value
    meta = record_meta(dict(record))
    return key in meta and str(meta[key]) == value


def repeat_factor(records: Sequence[Mapping[str, Any]], oversample: Mapping[str, int]) -> int:
    """The largest ``oversample`` factor matched by any of ``records`` (1 if none matches).

    Example:
        >>> repeat_factor([{"label": 0}, {"label": 2}], {"label=2": 3})
        3
    """
    factors = [int(k) for key, k in oversample.items() if any(record_matches(r, *key.split("=", 1)) for r in records)]
    return max([1, *factors])


def items_from_records(
    records: Sequence[Mapping[str, Any]],
    family: str,
    *,
    weight: float = 1.0,
    dataset: str = "",
    oversample: Mapping[str, int] | None = None,
    sentiment_windows: str = "shared",
    distill: bool = True,
) -> list[TrainItem]:
    """Turn labelled schema records into :class:`TrainItem` windows (label = int index).

    ``oversample`` (see :class:`~stance.training.arguments.DatasetSpec`) repeats matching
    windows. With ``sentiment_windows="focused"`` a sentiment window with several marked
    targets becomes one window per target, only it marked (as
    :meth:`stance.models.StanceModel.score` reads them in that mode).
    """
    check_sentiment_windows(sentiment_windows)
    tags = {"weight": weight, "dataset": dataset, "distill": distill}
    if family == "pair":
        grouped = [
            (TrainItem(w, pairs=[(s, t, int(records[i]["label"])) for i, s, t in q], **tags), [i for i, _, _ in q])
            for w, q in group_pair_records(records)
        ]
    elif family == "sentiment":
        grouped = []
        for w, q in group_sentiment_records(records):
            if sentiment_windows == "focused" and has_several_slots(w):
                grouped.extend(
                    (TrainItem(focus_window(w, t), sentiment=[(0, int(records[i]["label"]))], **tags), [i])
                    for i, t in q
                )
            else:
                grouped.append(
                    (TrainItem(w, sentiment=[(t, int(records[i]["label"])) for i, t in q], **tags), [i for i, _ in q])
                )
    else:
        raise ValueError(f"family must be 'pair' or 'sentiment', got {family!r}")
    items: list[TrainItem] = []
    for item, rows in grouped:
        k = repeat_factor([records[i] for i in rows], oversample) if oversample else 1
        items.extend([item] * k)
    return items


def load_records(spec: DatasetSpec, seed: int) -> list[dict[str, Any]]:
    """Load one corpus split as a list of dicts, optionally subsampled."""
    from stance.data import load_dataset_dir

    dsd = load_dataset_dir(spec.name, spec.data_dir, **spec.loader_kwargs)
    if spec.split not in dsd:
        raise ValueError(f"{spec.name} has no split {spec.split!r}; available: {sorted(dsd)}")
    ds = dsd[spec.split]
    records = ds.to_list()
    if spec.max_examples and len(records) > spec.max_examples:
        rng = random.Random(seed)
        records = rng.sample(records, spec.max_examples)
    return records


def macro_f1(gold: Sequence[int], pred: Sequence[int], n_labels: int) -> float:
    """Macro-F1 over the labels that occur in gold or predictions."""
    from sklearn.metrics import f1_score

    labels = sorted(set(gold) | set(pred))
    if not labels:
        return 0.0
    return float(f1_score(gold, pred, labels=labels, average="macro", zero_division=0))


def task_metric(spec: str, records: Sequence[dict[str, Any]], probs: Any) -> float:
    """Score ``probs`` with a harness task's scorer; ``spec`` is ``"TASK:METRIC"``."""
    from stance.evaluation.tasks import get_task

    task_name, _, metric = spec.partition(":")
    scores = get_task(task_name).score(records, probs)
    if metric not in scores or not isinstance(scores[metric], (int, float)):
        raise ValueError(f"task {task_name!r} has no numeric metric {metric!r}; it reports {sorted(scores)}")
    return float(scores[metric])


class Trainer:
    """Trains a :class:`StanceModel` according to :class:`TrainingArguments`."""

    def __init__(self, args: TrainingArguments, model: StanceModel | None = None) -> None:
        self.args = args
        self.output_dir = Path(args.output_dir)
        self.model = model
        self.history: list[dict[str, Any]] = []
        self._teacher: StanceModel | None = None

    # ------------------------------------------------------------------ data
    def _load(self, specs: Sequence[DatasetSpec]) -> list[tuple[DatasetSpec, list[dict[str, Any]]]]:
        return [(spec, load_records(spec, self.args.seed)) for spec in specs]

    def validation_data(self) -> list[tuple[DatasetSpec, list[dict[str, Any]]]]:
        """The validation corpora of the config, loaded: the input of :meth:`evaluate`."""
        return self._load(self.args.validation)

    # ------------------------------------------------------------------ helpers
    def _seed(self) -> None:
        random.seed(self.args.seed)
        np.random.seed(self.args.seed)
        torch.manual_seed(self.args.seed)

    def _batches(self, items: Sequence[TrainItem], epoch: int) -> list[list[int]]:
        """Shuffle, then sort by length inside chunks of 50 batches (less padding)."""
        rng = np.random.default_rng(self.args.seed + epoch)
        order = rng.permutation(len(items)).tolist()
        bs = self.args.batch_size
        chunk = bs * 50
        batches: list[list[int]] = []
        for c in range(0, len(order), chunk):
            part = sorted(order[c : c + chunk], key=lambda i: len(items[i].window.text))
            batches.extend(part[i : i + bs] for i in range(0, len(part), bs))
        perm = rng.permutation(len(batches)).tolist()
        return [batches[i] for i in perm]

    @property
    def precision(self) -> str:
        """``args.precision`` resolved on the model's device (``"fp32"`` or ``"bf16"``)."""
        device = self.model.device if self.model is not None else "cpu"
        return resolve_precision(self.args.precision, device)

    def teacher(self) -> StanceModel | None:
        """The frozen teacher of ``args.teacher_model`` (loaded once), or None without one."""
        if not self.args.teacher_model:
            return None
        if self._teacher is None:
            logger.info("distilling from teacher %s", self.args.teacher_model)
            teacher = StanceModel.from_pretrained(self.args.teacher_model)
            teacher.eval()
            for p in teacher.parameters():
                p.requires_grad_(False)
            self._teacher = teacher
        return self._teacher

    def _step_loss(self, batch: Sequence[TrainItem]) -> torch.Tensor:
        """Mean over the batch's queries of the label cross-entropy; with a teacher,
        ``(1 - distill_alpha) * CE + distill_alpha * T^2 * KL(teacher_T || student_T)``
        (plain CE for the queries of corpora with ``distill: false``; ``T^2 * KL`` alone for
        unlabelled queries, label -1, of a transfer corpus)."""
        model = self.model
        teacher = self.teacher()
        windows = [it.window for it in batch]
        enc = encode_windows(model.tokenizer, windows, self.args.max_length)
        lost = set(enc.lost)
        # The teacher reads only the windows of corpora that distil, with its own tokenizer;
        # a query whose span either model truncated away is skipped.
        t_rows = [b for b, it in enumerate(batch) if it.distill] if teacher is not None else []
        t_enc = None
        if t_rows:
            t_enc = encode_windows(teacher.tokenizer, [windows[b] for b in t_rows], teacher.head_config.max_length)
            lost |= {(t_rows[b], slot) for b, slot in t_enc.lost}
        t_pos = {b: i for i, b in enumerate(t_rows)}
        pq, pl, pw, sq, sl, sw = [], [], [], [], [], []
        t_pq, t_pi, t_sq, t_si = [], [], [], []  # the teacher's queries and their rows in pq / sq
        for b, it in enumerate(batch):
            for s, t, y in it.pairs:
                if (b, t) in lost or (s >= 0 and (b, s) in lost):
                    continue
                if b in t_pos:
                    t_pq.append((t_pos[b], s, t))
                    t_pi.append(len(pq))
                pq.append((b, s, t))
                pl.append(y)
                pw.append(it.weight)
            for t, y in it.sentiment:
                if (b, t) in lost:
                    continue
                if b in t_pos:
                    t_sq.append((t_pos[b], t))
                    t_si.append(len(sq))
                sq.append((b, t))
                sl.append(y)
                sw.append(it.weight)
        as_tensor = lambda q, width: torch.tensor(q, dtype=torch.long).reshape(-1, width) if q else None  # noqa: E731
        with autocast(self.precision, model.device):
            pair_logits, sent_logits = model(enc.features, enc.span_index, as_tensor(pq, 3), as_tensor(sq, 2))
        t_pair = t_sent = None
        if t_enc is not None and (t_pq or t_sq):
            # not inference_mode: its tensors cannot be saved for the KL's backward
            with torch.no_grad(), autocast(self.precision, teacher.device):
                t_pair, t_sent = teacher(t_enc.features, t_enc.span_index, as_tensor(t_pq, 3), as_tensor(t_sq, 2))
        pair_logits, sent_logits, t_pair, t_sent = (
            x if x is None else x.float() for x in (pair_logits, sent_logits, t_pair, t_sent)
        )
        alpha, temp = self.args.distill_alpha, self.args.distill_temperature
        loss = torch.zeros(())
        n = 0
        for logits, labels, weights, t_logits, rows in (
            (pair_logits, pl, pw, t_pair, t_pi),
            (sent_logits, sl, sw, t_sent, t_si),
        ):
            if logits is None:
                continue
            target = torch.tensor(labels)
            labelled = target >= 0  # -1: an unlabelled (transfer) query, taught by the teacher alone
            per_query = torch.nn.functional.cross_entropy(logits, target.clamp(min=0), reduction="none") * labelled
            if t_logits is not None and rows:
                idx = torch.tensor(rows, dtype=torch.long)
                kl = torch.nn.functional.kl_div(
                    torch.log_softmax(logits[idx] / temp, -1),
                    torch.log_softmax(t_logits / temp, -1),
                    reduction="none",
                    log_target=True,
                ).sum(-1)
                kl_weight = torch.where(labelled[idx], alpha, 1.0)
                scale = torch.ones_like(per_query).index_fill(0, idx, 1 - alpha)
                per_query = per_query * scale + torch.zeros_like(per_query).index_add(0, idx, kl_weight * temp**2 * kl)
            loss = loss + (per_query * torch.tensor(weights)).sum()
            n += len(labels)
        return loss / max(n, 1)

    def training_items(self) -> list[TrainItem]:
        """Load the ``train`` corpora as windows with their labelled queries (oversampling applied).

        Raises:
            ValueError: The config names no training corpus, or they hold no rows.
        """
        items: list[TrainItem] = []
        for spec, records in self._load(self.args.train):
            unlabelled = sum(1 for r in records if int(r["label"]) < 0)
            if unlabelled and not (self.args.teacher_model and spec.distill):
                raise ValueError(
                    f"train corpus {spec.name}/{spec.split} has {unlabelled} unlabelled rows (label -1), which learn "
                    "only from a teacher: set 'teacher_model' in the config and keep 'distill' on for this corpus"
                )
            new = items_from_records(
                records,
                spec.family,
                weight=spec.weight,
                dataset=spec.name,
                oversample=spec.oversample,
                sentiment_windows=self.args.sentiment_windows,
                distill=spec.distill,
            )
            logger.info("train %s/%s: %d rows -> %d windows", spec.name, spec.split, len(records), len(new))
            items.extend(new)
        if not items:
            raise ValueError("no training data: add corpora to 'train' in the config")
        return items

    def freeze(self) -> list[str]:
        """Fix the encoder's embeddings and first ``args.freeze_layers`` layers, or every
        parameter outside ``args.trainable`` (``requires_grad=False``); returns the frozen
        parameter names.

        Raises:
            ValueError: A ``trainable`` prefix names no parameter, or ``freeze_layers``
                exceeds the encoder's layers.
        """
        if self.args.trainable:
            names = [n for n, _ in self.model.named_parameters()]
            unmatched = [pre for pre in self.args.trainable if not any(n.startswith(pre) for n in names)]
            if unmatched:
                tops = sorted({n.split(".")[0] + "." for n in names})
                raise ValueError(f"trainable prefixes {unmatched} match no parameter; the model's are under {tops}")
            frozen = []
            for name, p in self.model.named_parameters():
                keep = any(name.startswith(pre) for pre in self.args.trainable)
                p.requires_grad_(keep)
                if not keep:
                    frozen.append(name)
            logger.info("training only %s (%d tensors frozen)", self.args.trainable, len(frozen))
            return frozen
        n_freeze = self.args.freeze_layers
        if not n_freeze:
            return []
        encoder = {}  # name -> (layer index, or -1 for the embeddings and other shared tensors; parameter)
        for name, p in self.model.named_parameters():
            if name.startswith("encoder."):
                m = _LAYER_RE.search(name)
                encoder[name] = (int(m.group(1)) if m else -1, p)
        n_layers = len({layer for layer, _ in encoder.values() if layer >= 0})
        if n_freeze > n_layers:
            raise ValueError(f"freeze_layers={n_freeze} but the encoder has {n_layers} layers; use at most {n_layers}")
        frozen = [name for name, (layer, _) in encoder.items() if layer < n_freeze]
        for name in frozen:
            encoder[name][1].requires_grad_(False)
        logger.info("froze %d encoder tensors (embeddings and layers 0-%d)", len(frozen), n_freeze - 1)
        return frozen

    def make_optimizer(self) -> torch.optim.Optimizer:
        """AdamW over the model's trainable parameters: encoder and sentiment branch at
        ``learning_rate`` (no decay on biases and LayerNorm weights), heads at
        ``head_learning_rate``."""
        args = self.args
        named = [(n, p) for n, p in self.model.named_parameters() if p.requires_grad]
        layer = lambda n: n.startswith(("encoder.", "sentiment_branch."))  # noqa: E731
        head_params = [p for n, p in named if not layer(n)]
        no_decay = lambda n: n.endswith("bias") or "LayerNorm" in n or "layer_norm" in n  # noqa: E731
        groups = [
            {
                "params": [p for n, p in named if layer(n) and not no_decay(n)],
                "lr": args.learning_rate,
                "weight_decay": args.weight_decay,
            },
            {
                "params": [p for n, p in named if layer(n) and no_decay(n)],
                "lr": args.learning_rate,
                "weight_decay": 0.0,
            },
            {"params": head_params, "lr": args.head_learning_rate, "weight_decay": args.weight_decay},
        ]
        return torch.optim.AdamW(groups)

    def training_step(
        self, batch: Sequence[TrainItem], optimizer: torch.optim.Optimizer, scheduler: Any = None
    ) -> float:
        """One optimisation step on ``batch`` (loss, backward, clip at 1.0, step); returns the loss.

        The step :meth:`train` runs, public so that benchmarks time exactly it
        (``benchmarks/train_speed.py``).
        """
        loss = self._step_loss(batch)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        return loss.item()

    def evaluate(self, validation: Sequence[tuple[DatasetSpec, list[dict[str, Any]]]]) -> dict[str, float]:
        """Score each validation corpus (``"name:split"``) and average them.

        ``score``, the selection criterion, is the mean over corpora without ``monitor``;
        ``monitor`` is the mean over monitored corpora. Each key is present only when it
        averages at least one corpus.
        """
        scores: dict[str, float] = {}
        selected: list[float] = []
        monitored: list[float] = []
        for spec, records in validation:
            if spec.family == "pair":
                probs = self.model.predict_pairs(records, batch_size=64)
                n_labels = len(PAIR_LABELS)
            else:
                probs = self.model.predict_sentiment(records, batch_size=64)
                n_labels = len(SENTIMENT_LABELS)
            if spec.metric:
                value = task_metric(spec.metric, records, probs)
            else:
                gold = [int(r["label"]) for r in records]
                value = macro_f1(gold, probs.argmax(-1).tolist(), n_labels)
            scores[f"{spec.name}:{spec.split}"] = value
            (monitored if spec.monitor else selected).append(value)
        if selected:
            scores["score"] = float(np.mean(selected))
        if monitored:
            scores["monitor"] = float(np.mean(monitored))
        return scores

    # ------------------------------------------------------------------ checkpoints
    def _save_checkpoint(self, optimizer: torch.optim.Optimizer, scheduler: Any, state: dict[str, Any]) -> None:
        """Write ``checkpoint/`` atomically: into ``checkpoint.tmp/``, then swapped in by renames,
        so a run killed while saving resumes from the previous checkpoint."""
        from safetensors.torch import save_file

        final = self.output_dir / "checkpoint"
        ckpt = self.output_dir / "checkpoint.tmp"
        old = self.output_dir / "checkpoint.old"
        for stale in (ckpt, old):
            if stale.exists():
                shutil.rmtree(stale)
        ckpt.mkdir(parents=True)
        names = {id(p): n for n, p in self.model.named_parameters()}
        opt_tensors: dict[str, torch.Tensor] = {}
        for group in optimizer.param_groups:
            for p in group["params"]:
                st = optimizer.state.get(p, {})
                for k, v in st.items():
                    if torch.is_tensor(v):
                        opt_tensors[f"{names[id(p)]}::{k}"] = v.detach().contiguous()
        save_file(
            {k: v.detach().contiguous() for k, v in self.model.state_dict().items()}, str(ckpt / "model.safetensors")
        )
        if opt_tensors:
            save_file(opt_tensors, str(ckpt / "optimizer.safetensors"))
        save_file({"torch_rng": torch.get_rng_state()}, str(ckpt / "rng.safetensors"))
        state = {**state, "scheduler": scheduler.state_dict(), "history": self.history}
        (ckpt / "trainer_state.json").write_text(json.dumps(state, indent=2), encoding="utf-8")
        if final.exists():
            final.rename(old)
        ckpt.rename(final)
        if old.exists():
            shutil.rmtree(old)

    def _load_checkpoint(self, optimizer: torch.optim.Optimizer, scheduler: Any) -> dict[str, Any] | None:
        from safetensors.torch import load_file

        ckpt = self.output_dir / "checkpoint"
        if (
            not (ckpt / "trainer_state.json").is_file()
            and (self.output_dir / "checkpoint.old" / "trainer_state.json").is_file()
        ):
            ckpt = self.output_dir / "checkpoint.old"  # killed between the two renames of a save
        if not (ckpt / "trainer_state.json").is_file():
            return None
        state = json.loads((ckpt / "trainer_state.json").read_text(encoding="utf-8"))
        self.model.load_state_dict(load_file(str(ckpt / "model.safetensors")))
        params = dict(self.model.named_parameters())
        if (ckpt / "optimizer.safetensors").is_file():
            for key, value in load_file(str(ckpt / "optimizer.safetensors")).items():
                name, k = key.split("::")
                optimizer.state[params[name]][k] = value
        torch.set_rng_state(load_file(str(ckpt / "rng.safetensors"))["torch_rng"])
        scheduler.load_state_dict(state.pop("scheduler"))
        self.history = state.pop("history", [])
        logger.info("resumed from %s at step %d", ckpt, state["step"])
        return state

    # ------------------------------------------------------------------ main loop
    def train(self, *, resume: bool = False, show_progress_bar: bool = True) -> dict[str, Any]:
        """Run training; returns the best validation scores and where the model went."""
        from transformers import get_linear_schedule_with_warmup

        args = self.args
        if args.validation and all(spec.monitor for spec in args.validation):
            raise ValueError(
                "every validation corpus has monitor: true, so nothing selects checkpoints; "
                "set monitor to false on at least one validation corpus"
            )
        if args.num_threads:
            torch.set_num_threads(args.num_threads)
        self._seed()
        self.output_dir.mkdir(parents=True, exist_ok=True)
        (self.output_dir / "training_args.json").write_text(json.dumps(args.to_dict(), indent=2), encoding="utf-8")
        if self.model is None and args.init_model:
            logger.info("continuing from stance model %s", args.init_model)
            self.model = StanceModel.from_pretrained(args.init_model, merge_adapter=not args.lora_r)
            if args.lora_r and not self.model.is_adapter:
                raise ValueError(
                    f"lora_r trains an adapter over a registry base, but init_model {args.init_model} "
                    "holds full weights: continue it without lora_r, or start the adapter from base_model"
                )
            reset = self.model.head_config.reset_calibrations()
            if reset:
                logger.info(
                    "calibrations of %s reset (refit them on this run's export with "
                    "python -m stance.training.calibrate): %s",
                    args.init_model,
                    ", ".join(reset),
                )
            self.model.train()
        elif self.model is None:
            self.model = StanceModel.from_encoder(
                resolve_base_model(args.base_model),
                max_length=args.max_length,
                head_hidden=args.head_hidden,
                base_model=args.base_model,
            )
        if args.lora_r and not self.model.is_adapter:
            self.model.add_lora(
                args.lora_r, alpha=args.lora_alpha or None, dropout=args.lora_dropout, layers=args.lora_layers or None
            )
        self.model.head_config.max_length = args.max_length
        self.model.head_config.sentiment_windows = args.sentiment_windows
        if args.sentiment_branch_layers:
            have = self.model.head_config.sentiment_branch_layers if self.model.sentiment_branch is not None else 0
            if not have:
                self.model.add_sentiment_branch(args.sentiment_branch_layers)
            elif have != args.sentiment_branch_layers:
                raise ValueError(
                    f"the model already has a {have}-layer sentiment branch; "
                    f"the config asks for {args.sentiment_branch_layers}"
                )

        self.model.set_precision(self.precision)  # validation reads at the training precision
        logger.info("precision: %s", self.model.precision)
        items = self.training_items()
        validation = self.validation_data()

        self.freeze()
        optimizer = self.make_optimizer()
        steps_per_epoch = math.ceil(len(items) / args.batch_size)
        total = steps_per_epoch * args.epochs
        if args.max_steps:
            total = min(total, args.max_steps)
        scheduler = get_linear_schedule_with_warmup(optimizer, int(total * args.warmup_ratio), total)
        eval_every = args.eval_every or steps_per_epoch

        state = {"step": 0, "epoch": 0, "batch_in_epoch": 0, "best_score": -math.inf, "bad_evals": 0, "best_step": 0}
        if resume:
            loaded = self._load_checkpoint(optimizer, scheduler)
            if loaded:
                state.update(loaded)
        log_file = (self.output_dir / "train_log.jsonl").open("a", encoding="utf-8")
        best_dir = self.output_dir / "best"
        stop = False
        t0 = time.time()
        try:
            for epoch in range(state["epoch"], args.epochs):
                batches = self._batches(items, epoch)
                start = state["batch_in_epoch"] if epoch == state["epoch"] else 0
                bar = None
                if show_progress_bar:
                    from tqdm.auto import tqdm

                    bar = tqdm(total=len(batches), initial=start, desc=f"epoch {epoch + 1}/{args.epochs}", unit="step")
                self.model.train()
                running = 0.0
                for bi in range(start, len(batches)):
                    value = self.training_step([items[i] for i in batches[bi]], optimizer, scheduler)
                    state["step"] += 1
                    running = 0.98 * running + 0.02 * value if running else value
                    if bar is not None:
                        bar.update(1)
                        bar.set_postfix(loss=f"{running:.3f}")
                    state["epoch"], state["batch_in_epoch"] = epoch, bi + 1
                    if state["step"] % 50 == 0:
                        log_file.write(
                            json.dumps(
                                {
                                    "step": state["step"],
                                    "loss": running,
                                    "lr": scheduler.get_last_lr()[0],
                                    "elapsed_s": round(time.time() - t0, 1),
                                }
                            )
                            + "\n"
                        )
                        log_file.flush()
                    end_of_epoch = bi + 1 == len(batches)
                    evaluating = state["step"] % eval_every == 0 or end_of_epoch or state["step"] == args.max_steps
                    if args.save_every and state["step"] % args.save_every == 0 and not evaluating:
                        self._save_checkpoint(optimizer, scheduler, state)
                    if evaluating:
                        scores = self.evaluate(validation) if validation else {"score": -float(running)}
                        record = {
                            "step": state["step"],
                            "epoch": epoch + (bi + 1) / len(batches),
                            "train_loss": running,
                            **scores,
                        }
                        self.history.append(record)
                        log_file.write(json.dumps({"eval": record}) + "\n")
                        log_file.flush()
                        logger.info("eval at step %d: %s", state["step"], scores)
                        if scores["score"] > state["best_score"]:
                            state.update(best_score=scores["score"], bad_evals=0, best_step=state["step"])
                            self.model.save_pretrained(
                                best_dir,
                                dtype=torch.float32,
                                extra_config={"training": {"best_step": state["step"], "validation": scores}},
                            )
                        else:
                            state["bad_evals"] += 1
                        self.model.train()
                        if end_of_epoch:
                            state["epoch"], state["batch_in_epoch"] = epoch + 1, 0
                        self._save_checkpoint(optimizer, scheduler, state)
                        if state["bad_evals"] >= args.patience:
                            logger.info("early stopping: %d evaluations without improvement", state["bad_evals"])
                            stop = True
                    if stop or (args.max_steps and state["step"] >= args.max_steps):
                        stop = True
                        break
                if bar is not None:
                    bar.close()
                if stop:
                    break
        finally:
            log_file.close()
        summary = {
            "best_score": state["best_score"],
            "best_step": state["best_step"],
            "steps": state["step"],
            "best_dir": str(best_dir),
            "history": self.history,
            "train_seconds": round(time.time() - t0, 1),
        }
        (self.output_dir / "training_summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
        return summary
