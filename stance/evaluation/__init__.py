"""Evaluation harness: benchmark tasks, metrics, baselines and the ``stance evaluate`` command.

Modules (import the one you need; nothing heavy is imported here):

* :mod:`~stance.evaluation.metrics` — validated metric functions (macro-F1, SemEval F_avg …)
* :mod:`~stance.evaluation.scoring` — per-task scorers from probabilities + gold records
* :mod:`~stance.evaluation.tasks` — the task registry with published results
* :mod:`~stance.evaluation.baselines` / :mod:`~stance.evaluation.minilm` — baselines
* :mod:`~stance.evaluation.runner` — :func:`~stance.evaluation.runner.evaluate_task`
* :mod:`~stance.evaluation.results` — provenance and result JSON files
* :mod:`~stance.evaluation.cli` — ``stance evaluate``

Example:
    >>> from stance.evaluation.tasks import get_task
    >>> get_task("semeval2016").primary_metrics[0]
    'f_avg'
"""
