"""Registry of benchmark tasks: which loader, which split, which metric, which paper.

Each task is a frozen :class:`Task`. ``published`` lists only numbers measured on the same
split with the same metric as ours, each with its source; where our copy of a corpus
lacks the paper's split the entry says so (``note``) and the rendered table marks it
"not directly comparable". Published values are percentages as printed in the source;
our metrics are fractions in ``[0, 1]``.

Example:
    >>> get_task("park-dse").eval_split
    'test'
    >>> sorted(TASKS)[:3]
    ['emergent', 'ibm-claim-stance', 'newsmtsc-mt']
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stance.evaluation import scoring

logger = logging.getLogger(__name__)

__all__ = ["Task", "TASKS", "get_task", "task_names"]

Scorer = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Task:
    """One benchmark task.

    Attributes:
        name: Task name used on the command line (``park-dse``).
        loader: ``"module:function"`` (imported on first use) or a callable
            ``loader(data_dir) -> datasets.DatasetDict``.
        family: ``"pair"`` (source → target stance), ``"sentiment"`` (target sentiment) or
            ``"e2e"`` (raw articles through the classify pipeline, scored as triplets; the
            metric is called with the article rows and one ``ArticleResult`` per row).
        eval_split: The split the papers report (default evaluation split).
        train_split: The split fitted baselines learn from.
        tune_split: Split for choosing baseline hyper-parameters, if the corpus has one
            distinct from ``train_split`` and ``eval_split``.
        metric: Scorer ``(records, probs, labels_scored) -> dict`` (see :mod:`scoring`).
        primary_metrics: The metric keys shown in result tables, headline first.
        published: Published results: dicts with ``system``, ``value`` (percent),
            ``metric``, ``split``, ``source`` and optionally ``note``.
        data_subdir: Folder of the corpus under the shared data root.
        labels_scored: Classes the corpus uses, if fewer than the schema's three; the
            argmax of a 3-way model is taken among these only.
        notes: Caveats about splits or protocol, copied into every result.
        article_level: The label is about the whole article (entity sentiment): stance
            models are scored through the classify pipeline with mention aggregation
            (:mod:`stance.evaluation.article`); baselines still see one record each.
        tune_average: F1 averaging ("macro" or "micro") fitted baselines use to pick
            their settings, matching the task's headline metric.
    """

    name: str
    loader: str | Callable[[str], Any]
    family: str
    eval_split: str
    train_split: str
    metric: Scorer
    primary_metrics: tuple[str, ...]
    tune_split: str | None = None
    published: tuple[dict[str, Any], ...] = ()
    data_subdir: str = ""
    labels_scored: tuple[str, ...] | None = None
    notes: tuple[str, ...] = field(default=())
    tune_average: str = "macro"
    article_level: bool = False

    def __post_init__(self) -> None:
        if self.family not in ("pair", "sentiment", "e2e"):
            raise ValueError(f"Task.family must be 'pair', 'sentiment' or 'e2e', got {self.family!r}")
        for row in self.published:
            missing = {"system", "value", "metric", "split", "source"} - set(row)
            if missing:
                raise ValueError(f"published row of {self.name} lacks {sorted(missing)}")

    def load(self, data_dir: str) -> Any:
        """Load the corpus from ``data_dir`` as a ``datasets.DatasetDict``."""
        loader = self.loader
        if isinstance(loader, str):
            module_name, _, func_name = loader.partition(":")
            try:
                loader = getattr(importlib.import_module(module_name), func_name)
            except (ImportError, AttributeError) as err:
                raise ImportError(f"loader {self.loader!r} of task {self.name!r} is not available: {err}") from err
        logger.info("loading %s from %s", self.name, data_dir)
        return loader(data_dir)

    def score(self, records: list[dict[str, Any]], probs: Any) -> dict[str, Any]:
        """Score ``probs`` against ``records`` with the task's metric."""
        return self.metric(records, probs, list(self.labels_scored) if self.labels_scored else None)


def _pub(system: str, value: float, metric: str, split: str, source: str, note: str = "") -> dict[str, Any]:
    row: dict[str, Any] = {"system": system, "value": value, "metric": metric, "split": split, "source": source}
    if note:
        row["note"] = note
    return row


_PARK = "Park et al., Findings of ACL 2021"
_WEN = "Wen et al., ACL 2024"
_NEWSMTSC = "Hamborg & Donnay, EACL 2021"
_NEWSMTSC_NOTE = (
    "The original 30/70 dev/test division of devtest files is not in our copy; our "
    "{part}_dev/{part}_test is a deterministic re-draw of devtest_{part}, so the test sets differ."
)
_VAST = "Allaway & McKeown, EMNLP 2020"
_TWEETEVAL = (
    "Barbieri et al., Findings of EMNLP 2020 (TweetEval) / Loureiro et al., 2022, "
    "as reported in the TweetEval leaderboard"
)

_TASK_LIST: tuple[Task, ...] = (
    Task(
        name="park-dse",
        loader="stance.data.park2021:load_park2021",
        family="pair",
        eval_split="test",
        train_split="train",
        tune_split="validation",
        metric=scoring.score_park,
        primary_metrics=("macro_f1", "micro_f1"),
        data_subdir="directed-sentiment-park2021",
        published=(
            _pub("DSE2QA", 67.66, "macro_f1", "test", _PARK),
            _pub("DSE2QA", 79.73, "micro_f1", "test", _PARK),
            _pub(
                "POLITICS",
                71.12,
                "macro_f1",
                "test",
                "Liu et al., Findings of NAACL 2022, as reported by Wen et al., 2024",
            ),
            _pub("Wen et al. 2024", 72.50, "macro_f1", "test", _WEN),
            _pub("Wen et al. 2024", 85.19, "micro_f1", "test", _WEN),
        ),
        notes=("5-class labels are rebuilt from the two directional predictions with park_pairs_to_5class.",),
    ),
    Task(
        name="seesaw-pair",
        loader="stance.data.seesaw:load_seesaw_pairs",
        family="pair",
        eval_split="validation",
        train_split="train",
        metric=scoring.score_seesaw_pairs,
        primary_metrics=("pair_micro_f1", "macro_f1"),
        tune_average="micro",
        data_subdir="seesaw",
        published=(
            _pub(
                "Wen et al. 2024 (best)",
                84.11,
                "pair_micro_f1",
                "test",
                _WEN,
                note="Wen et al. report on SEESAW's test split, which our copy lacks (train/valid only); "
                "our numbers are on validation, so the two are not directly comparable.",
            ),
        ),
        notes=("Our copy of SEESAW has no test split; scores are on the validation stories.",),
    ),
    Task(
        name="seesaw-entity-sentiment",
        loader="stance.data.seesaw:load_seesaw_entity_sentiment",
        family="sentiment",
        eval_split="validation",
        train_split="train",
        metric=scoring.score_sentiment,
        primary_metrics=("macro_f1", "accuracy"),
        data_subdir="seesaw",
        article_level=True,
        notes=(
            "Stance models are scored as stance.classify works: the article goes through the pipeline, the entity "
            "is matched to an extracted actor and its mention-aggregated sentiment is the prediction "
            "(stance.evaluation.article); baselines classify one record.",
        ),
    ),
    Task(
        name="seesaw-e2e",
        loader="stance.data.seesaw:load_seesaw_articles",
        family="e2e",
        eval_split="validation",
        train_split="train",
        metric=scoring.score_e2e,
        primary_metrics=(
            "f1",
            "precision",
            "recall",
            "subject_found",
            "object_found",
            "pair_connected",
            "polarity_correct",
        ),
        data_subdir="seesaw",
        notes=(
            "End to end: each article's raw text (title, newline, sentences) goes through stance.classify; its "
            "positions and relations are matched to the gold (subject, polarity, object) triplets with a named "
            "subject (stance.evaluation.e2e).",
        ),
    ),
    Task(
        name="newsmtsc-rw",
        loader="stance.data.newsmtsc:load_newsmtsc",
        family="sentiment",
        eval_split="rw_test",
        train_split="train",
        tune_split="rw_dev",
        metric=scoring.score_newsmtsc,
        primary_metrics=("f1m", "accuracy"),
        data_subdir="newsmtsc",
        published=(
            _pub("GRU-TSC", 83.1, "f1m", "rw_test", _NEWSMTSC, note=_NEWSMTSC_NOTE.format(part="rw")),
            _pub("BERT-SPC", 80.1, "f1m", "rw_test", _NEWSMTSC, note=_NEWSMTSC_NOTE.format(part="rw")),
        ),
        notes=(_NEWSMTSC_NOTE.format(part="rw"),),
    ),
    Task(
        name="newsmtsc-mt",
        loader="stance.data.newsmtsc:load_newsmtsc",
        family="sentiment",
        eval_split="mt_test",
        train_split="train",
        tune_split="mt_dev",
        metric=scoring.score_newsmtsc,
        primary_metrics=("f1m", "accuracy"),
        data_subdir="newsmtsc",
        published=(
            _pub("GRU-TSC", 82.5, "f1m", "mt_test", _NEWSMTSC, note=_NEWSMTSC_NOTE.format(part="mt")),
            _pub("BERT-SPC", 73.7, "f1m", "mt_test", _NEWSMTSC, note=_NEWSMTSC_NOTE.format(part="mt")),
        ),
        notes=(_NEWSMTSC_NOTE.format(part="mt"),),
    ),
    Task(
        name="semeval2016",
        loader="stance.data.semeval2016:load_semeval2016",
        family="pair",
        eval_split="test",
        train_split="train",
        tune_split="validation",
        metric=scoring.score_semeval,
        primary_metrics=("f_avg", "macro_f1"),
        data_subdir="semeval2016-task6",
        published=(
            _pub("MITRE", 67.8, "f_avg", "test", "Mohammad et al., SemEval 2016"),
            _pub("BERTweet", 71.2, "f_avg", "test", _TWEETEVAL),
            _pub("TimeLMs", 72.9, "f_avg", "test", _TWEETEVAL),
        ),
        notes=("F_avg is the mean of F1(favor) and F1(against) over all test tweets of Task A.",),
    ),
    Task(
        name="vast",
        loader="stance.data.vast:load_vast",
        family="pair",
        eval_split="test",
        train_split="validation",
        metric=scoring.score_vast,
        primary_metrics=("macro_f1", "macro_f1_zero_shot", "macro_f1_few_shot"),
        data_subdir="vast",
        published=(
            _pub("TGA Net", 66.6, "macro_f1", "test", _VAST),
            _pub("TGA Net", 66.6, "macro_f1_zero_shot", "test", _VAST),
            _pub("TGA Net", 66.3, "macro_f1_few_shot", "test", _VAST),
            _pub("TATA", 77.1, "macro_f1_zero_shot", "test", "Hanley & Durumeric, 2023"),
        ),
        notes=(
            "Our copy of VAST has no train split: fitted baselines learn from the dev split, "
            "so they saw far fewer topics than the published systems.",
        ),
    ),
    Task(
        name="perspectrum",
        loader="stance.data.perspectrum:load_perspectrum",
        family="pair",
        eval_split="test",
        train_split="train",
        tune_split="validation",
        metric=scoring.score_pairs,
        primary_metrics=("macro_f1", "accuracy"),
        data_subdir="perspectrum",
        labels_scored=("favor", "against"),
    ),
    Task(
        name="ibm-claim-stance",
        loader="stance.data.ibm_claim_stance:load_ibm_claim_stance",
        family="pair",
        eval_split="test",
        train_split="train",
        tune_split="validation",
        metric=scoring.score_pairs,
        primary_metrics=("macro_f1", "accuracy"),
        data_subdir="ibm-claim-stance",
        labels_scored=("favor", "against"),
    ),
    Task(
        name="emergent",
        loader="stance.data.emergent:load_emergent",
        family="pair",
        eval_split="test",
        train_split="train",
        tune_split="validation",
        metric=scoring.score_pairs,
        primary_metrics=("macro_f1", "accuracy"),
        data_subdir="emergent",
        notes=("Emergent has no official split; ours is a deterministic split by claim.",),
    ),
    Task(
        name="persent",
        loader="stance.data.persent:load_persent",
        family="sentiment",
        eval_split="test",
        train_split="validation",
        metric=scoring.score_sentiment,
        primary_metrics=("macro_f1", "accuracy"),
        data_subdir="persent",
        notes=(
            "Our copy of PerSenT has no train split: fitted baselines learn from the dev split.",
            "Stance models are scored as stance.classify works: the article goes through the pipeline, the entity "
            "is matched to an extracted actor and its mention-aggregated sentiment is the prediction "
            "(stance.evaluation.article); baselines classify one record.",
        ),
        article_level=True,
    ),
)

#: Every task by name.
TASKS: dict[str, Task] = {t.name: t for t in _TASK_LIST}


def task_names() -> list[str]:
    """Names of all tasks, sorted.

    Example:
        >>> "vast" in task_names()
        True
    """
    return sorted(TASKS)


def get_task(name: str | Task) -> Task:
    """Return the task called ``name`` (a :class:`Task` is returned unchanged).

    Raises:
        ValueError: If no task has that name; the message lists the known tasks.

    Example:
        >>> get_task("vast").family
        'pair'
    """
    if isinstance(name, Task):
        return name
    try:
        return TASKS[name]
    except KeyError:
        raise ValueError(f"unknown task {name!r}; known tasks: {', '.join(task_names())}") from None
