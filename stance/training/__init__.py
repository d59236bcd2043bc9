"""Training (needs the ``[train]`` extra): ``Trainer``, ``TrainingArguments``, model cards.

Inference code never imports this package.
"""

from stance.training.arguments import DatasetSpec, TrainingArguments

__all__ = ["DatasetSpec", "TrainingArguments", "Trainer"]


def __getattr__(name: str):  # noqa: ANN202
    if name == "Trainer":
        from stance.training.trainer import Trainer

        return Trainer
    raise AttributeError(name)
