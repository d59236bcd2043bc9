"""Export a trained run as a shippable model directory and (re)write its model card.

Two steps, so that the card is generated from evaluation JSON of the *exported* weights:

1. ``python -m stance.training.export weights --run runs/stance-minilm --out DIR``
   copies the run's best checkpoint as fp16 safetensors with the run's config recorded.
2. ``python -m stance.training.export card --model DIR --results benchmarks/results``
   writes ``DIR/README.md`` from the harness JSON files whose ``model`` is ``DIR``.

``stance export weights|card`` is the same tool.

Example:
    $ python -m stance.training.export weights --run runs/stance-minilm --out stance/resources/models/stance-minilm
    $ python -m stance.training.export card --model stance/resources/models/stance-minilm --results benchmarks/results
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stance.training.card import ModelCardData, load_eval_results, write_model_card

logger = logging.getLogger(__name__)

BASE_MODEL_IDS = {
    "model": "sentence-transformers/all-MiniLM-L6-v2",
    "minilm": "sentence-transformers/all-MiniLM-L6-v2",
    "mpnet": "sentence-transformers/all-mpnet-base-v2",
}


def training_stages(run_dir: str | Path) -> list[dict[str, Any]]:
    """The configurations of a run and of the runs it continued from (``init_model``), oldest first.

    ``init_model`` points at an earlier run's ``best`` folder, whose ``training_args.json``
    is one level up, or at an exported model directory (e.g. the shipped model), whose
    ``config.json`` records its own stages.
    """
    stages: list[dict[str, Any]] = []
    run = Path(run_dir)
    for _ in range(20):
        args = json.loads((run / "training_args.json").read_text(encoding="utf-8"))
        stages.append(args)
        init = args.get("init_model")
        if not init:
            break
        parent = Path(init).parent
        if (parent / "training_args.json").is_file():
            run = parent
            continue
        exported = _exported_stages(Path(init))
        if exported:
            stages.extend(exported[::-1])
        else:
            logger.warning("run %s continued from %s, whose training_args.json is missing", run, init)
        break
    return stages[::-1]


def _exported_stages(model_dir: Path) -> list[dict[str, Any]]:
    """The training stages an exported model directory records in its config.json (oldest first)."""
    cfg_file = model_dir / "config.json"
    if not cfg_file.is_file():
        return []
    training = json.loads(cfg_file.read_text(encoding="utf-8")).get("stance", {}).get("training", {})
    return list(training.get("stages") or ([training["args"]] if training.get("args") else []))


def export_weights(run_dir: str | Path, out_dir: str | Path, *, command: str | Sequence[str] = "") -> Path:
    """Save the run's best model as fp16 into ``out_dir`` with training metadata in config.json.

    A LoRA run is exported as an adapter directory (the adapter and the heads, over its
    registry base); the model is named after ``out_dir``'s folder in results.

    ``command`` is the exact training command, or one per stage when the run continued
    from earlier runs (oldest first). A soup's run folder (``soup.json`` beside ``best/``,
    see :mod:`stance.training.soup`) records its recipe and every ingredient's stages.
    """
    import torch

    from stance.models.modeling import StanceModel

    run_dir = Path(run_dir)
    best = run_dir / "best"
    model = StanceModel.from_pretrained(best, merge_adapter=False)  # an adapter run stays an adapter
    model.head_config.model_name = Path(out_dir).name
    soup_file = run_dir / "soup.json"
    soup = json.loads(soup_file.read_text(encoding="utf-8")) if soup_file.is_file() else None
    if soup is not None:
        # a model soup (stance.training.soup): the stages of every ingredient, shared ones once
        chains = [training_stages(Path(p).parent) for p in soup["ingredients"]]
        stages = list({json.dumps(st, sort_keys=True): st for chain in chains for st in chain}.values())
        args = {"soup": soup, "ingredient_stages": chains}
    else:
        stages = training_stages(run_dir)
        args = stages[-1]
    commands = [command] if isinstance(command, str) else list(command)
    summary_file = run_dir / "training_summary.json"
    summary = json.loads(summary_file.read_text(encoding="utf-8")) if summary_file.is_file() else {}
    best_cfg = json.loads((best / "config.json").read_text(encoding="utf-8"))["stance"].get("training", {})
    training = {
        "command": "\n".join(c for c in commands if c),
        "args": args,
        "stages": stages,
        "best_step": best_cfg.get("best_step"),
        "validation": best_cfg.get("validation"),
        "train_seconds": summary.get("train_seconds"),
    }
    if soup is not None:
        training["soup"] = soup
    return model.save_pretrained(out_dir, dtype=torch.float16, extra_config={"training": training})


def _corpus(spec: dict[str, Any]) -> str:
    """The corpus a training spec reads: a transfer corpus (unlabelled rows) names its source,
    whose licence applies to the text."""
    if spec.get("name") == "transfer":
        return str((spec.get("loader_kwargs") or {}).get("source") or "transfer")
    return str(spec["name"])


# corpus names in an aggregator fit record -> DATASET_LICENCES keys
_FIT_CORPORA = {"seesaw entity sentiment": "seesaw_entity_sentiment", "persent": "persent"}


def _adapter_config(model_dir: Path) -> dict[str, Any]:
    """The adapter's ``adapter_config.json`` ({} for a model with full weights)."""
    f = model_dir / "adapter_config.json"
    return json.loads(f.read_text(encoding="utf-8")) if f.is_file() else {}


def write_card(model_dir: str | Path, results_dir: str | Path, *, speed_file: str | Path | None = None,
               history: str = "") -> Path:
    """Write ``model_dir/README.md`` from the harness JSON files of this model (``history``: a
    document with its training history, linked from the card)."""
    model_dir = Path(model_dir)
    cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))["stance"]
    training = cfg.get("training", {})
    args = training.get("args", {})
    stages = training.get("stages") or [args]
    name = model_dir.name
    results = load_eval_results(sorted(Path(results_dir).glob(f"*__{name}.json")), model_name=name)
    if not results:
        raise FileNotFoundError(f"no harness results for {name} in {results_dir}: run `stance evaluate TASK --model {model_dir} --output ...` first")
    speed = {}
    if speed_file and Path(speed_file).is_file():
        speed = json.loads(Path(speed_file).read_text(encoding="utf-8"))
    aggregator_fit = cfg.get("article_sentiment_aggregator_fit") or {}
    # the corpora the article-sentiment rule was fitted on count as training data too
    fitted_on = [_FIT_CORPORA[k] for k in (aggregator_fit.get("articles") or {}) if k in _FIT_CORPORA]
    data = ModelCardData(
        model_name=name,
        base_model=BASE_MODEL_IDS.get(cfg.get("base_model", ""), cfg.get("base_model", "")),
        train_datasets=list(dict.fromkeys([_corpus(d) for st in stages for d in st.get("train", [])] + fitted_on)),
        eval_results=results,
        training_command=training.get("command", ""),
        training_args=args if len(stages) <= 1 or "soup" in training else {"stages": stages},
        sentiment_calibration=cfg.get("article_sentiment_calibration") or {},
        sentiment_aggregator_fit=aggregator_fit,
        temperature_fit=cfg.get("temperature_fit") or {},
        validation={"best_step": training.get("best_step"), **(training.get("validation") or {})},
        speed={k: speed[k] for k in ("rows", "hardware", "date") if k in speed},
        sentiment_windows=cfg.get("sentiment_windows", "shared"),
        distillation=[_distillation(st) for st in stages if st.get("teacher_model")],
        sentiment_branch_layers=int(cfg.get("sentiment_branch_layers") or 0),
        adapter=_adapter_config(model_dir),
        history=history,
    )
    return write_model_card(model_dir, data)


def _distillation(stage: dict[str, Any]) -> dict[str, Any]:
    """What a stage with a teacher did, for the card: the teacher's run name, alpha, T and
    which corpora were kept on their labels or taught by the teacher alone."""
    teacher = Path(stage["teacher_model"])
    return {
        "teacher": teacher.parent.name if teacher.name == "best" else teacher.name,
        "alpha": stage.get("distill_alpha"),
        "temperature": stage.get("distill_temperature"),
        "labels_only": [d["name"] for d in stage.get("train", []) if d.get("distill") is False],
        "transfer": [_corpus(d) for d in stage.get("train", []) if d.get("name") == "transfer"],
    }


LOG_LEVEL = logging.INFO  # `stance export` logs what it wrote like `python -m stance.training.export`


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``stance export {weights,card}`` / ``python -m stance.training.export`` arguments."""
    sub = parser.add_subparsers(dest="what", required=True)
    w = sub.add_parser("weights", help="export the best checkpoint of a run as fp16")
    w.add_argument("--run", required=True)
    w.add_argument("--out", required=True)
    w.add_argument("--command", action="append", default=[],
                   help="the exact training command, recorded in the card; repeat it once per stage, oldest first")
    c = sub.add_parser("card", help="write the model card from harness results")
    c.add_argument("--model", required=True)
    c.add_argument("--results", default="benchmarks/results")
    c.add_argument("--speed", default=None)
    c.add_argument("--history", default="", help="link to a document with the model's training history")


def run(args: argparse.Namespace) -> int:
    """Export the weights or write the card; log the path written."""
    if args.what == "weights":
        logger.info("wrote %s", export_weights(args.run, args.out, command=args.command))
    else:
        logger.info("wrote %s", write_card(args.model, args.results, speed_file=args.speed, history=args.history))
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m stance.training.export {weights,card} ...`` (= ``stance export``)."""
    parser = argparse.ArgumentParser(prog="python -m stance.training.export")
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=LOG_LEVEL)
    return run(args)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
