"""Unlabelled transfer corpora: rows without labels that learn from a teacher only."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("datasets")

PARK_ROWS = [
    ("[Trump] praised [Netanyahu] for the deal.", "Trump", "Netanyahu", 1),
    ("[Iran] warned [Israel] against strikes.", "Iran", "Israel", 3),
]


def _park(d):
    d.mkdir()
    for split in ("train", "valid", "test"):
        (d / f"{split}.txt").write_text("".join(f"{t}\t{p}\t{q}\t{y}\n" for t, p, q, y in PARK_ROWS), encoding="utf-8")
    return d


def test_transfer_targets_and_pairs_carry_no_labels(tmp_path):
    from stance.data import load_dataset_dir

    park = _park(tmp_path / "park")
    targets = load_dataset_dir("transfer", park, source="park2021")["train"].to_list()
    # two sentences x two entities; each span once although every sentence has two pair rows
    assert [(r["text"][r["target_start"] : r["target_end"]], r["label"]) for r in targets] == [
        ("Trump", -1),
        ("Netanyahu", -1),
        ("Iran", -1),
        ("Israel", -1),
    ]
    assert all(json.loads(r["meta"])["transfer"] for r in targets)
    pairs = load_dataset_dir("transfer", park, source="park2021", family="pair")["train"].to_list()
    assert len(pairs) == 4 and {r["label"] for r in pairs} == {-1}
    assert {r["dataset"] for r in pairs} == {"transfer:park2021"}
    # label 1 = Trump favours Netanyahu (p->q); only_labels keeps those rows
    favor = load_dataset_dir("transfer", park, source="park2021", family="pair", only_labels=["favor"])[
        "train"
    ].to_list()
    assert [(r["source"], r["target"], r["label"]) for r in favor] == [("Trump", "Netanyahu", -1)]
    with pytest.raises(ValueError, match="not labels of park2021"):
        load_dataset_dir("transfer", park, source="park2021", only_labels=["pos"])
    with pytest.raises(ValueError, match="family must be"):
        load_dataset_dir("transfer", park, source="park2021", family="nli")
    with pytest.raises(ValueError, match="not 'transfer'"):
        load_dataset_dir("transfer", park, source="transfer")
    with pytest.raises(KeyError, match="unknown dataset"):
        load_dataset_dir("transfer", park, source="nope")


def test_unlabelled_rows_learn_from_the_teacher_alone(tiny_model_dir, tmp_path):
    import torch

    from stance.models import load_model
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer, items_from_records

    park = _park(tmp_path / "park")
    spec = {"name": "transfer", "data_dir": str(park), "family": "sentiment", "loader_kwargs": {"source": "park2021"}}
    records = [{"text": "Iran warned Israel.", "target": "Israel", "target_start": 12, "target_end": 18, "label": -1}]
    batch = items_from_records(records, "sentiment")
    student = load_model(tiny_model_dir, cache=False)
    student.eval()

    def loss(model, **kw):
        args = TrainingArguments(output_dir=str(tmp_path / "x"), train=[spec], **kw)
        return Trainer(args, model=model)._step_loss(batch).item()

    # a student equal to its teacher: no label term, zero KL, at any alpha
    assert loss(student, teacher_model=str(tiny_model_dir), distill_alpha=0.0) == pytest.approx(0.0, abs=1e-6)
    # a different student: T^2 * KL, the same at every alpha (alpha weighs labelled rows only)
    with torch.no_grad():
        student.sentiment_head[-1].bias.add_(torch.tensor([2.0, -1.0, 0.5]))
    at = [loss(student, teacher_model=str(tiny_model_dir), distill_alpha=a) for a in (0.0, 0.5, 1.0)]
    assert at[0] > 0 and at[0] == pytest.approx(at[1], abs=1e-6) == pytest.approx(at[2], abs=1e-6)
    # without a teacher the corpus is refused before training, with the fix in the message
    with pytest.raises(ValueError, match="teacher_model"):
        Trainer(TrainingArguments(output_dir=str(tmp_path / "y"), train=[spec])).training_items()
    with pytest.raises(ValueError, match="distill"):
        Trainer(
            TrainingArguments(
                output_dir=str(tmp_path / "y"), train=[{**spec, "distill": False}], teacher_model=str(tiny_model_dir)
            )
        ).training_items()


def test_model_card_names_the_source_of_a_transfer_corpus():
    from stance.training.export import _corpus

    assert _corpus({"name": "transfer", "loader_kwargs": {"source": "park2021"}}) == "park2021"
    assert _corpus({"name": "newsmtsc"}) == "newsmtsc"
