"""Training runs end to end on a tiny random BERT; the saved directory reloads identically."""

from __future__ import annotations

import json

import numpy as np
import pytest

pytest.importorskip("datasets")
pytest.importorskip("sklearn")


#: Two labelled pair records (favor 0 / against 1), shared by the tests that need a batch.
LABELLED_PAIRS = [
    {
        "text": "Iran warned Israel against strikes.",
        "source": "Iran",
        "source_start": 0,
        "source_end": 4,
        "target": "Israel",
        "target_start": 12,
        "target_end": 18,
        "label": 1,
    },
    {
        "text": "Qatar praised Turkey.",
        "source": "Qatar",
        "source_start": 0,
        "source_end": 5,
        "target": "Turkey",
        "target_start": 14,
        "target_end": 20,
        "label": 0,
    },
]


def _write_park(d):
    d.mkdir()
    rows = [
        ("[Trump] praised [Netanyahu] for the deal.", "Trump", "Netanyahu", 1),
        ("[Iran] warned [Israel] against strikes.", "Iran", "Israel", 3),
        ("[Qatar] and [Turkey] met in Oman.", "Qatar", "Turkey", 0),
        ("[Oman] was criticised by [Israel].", "Oman", "Israel", 4),
        ("[France] was backed by [Germany].", "France", "Germany", 2),
    ]
    for split in ("train", "valid", "test"):
        with open(d / f"{split}.txt", "w", encoding="utf-8") as f:
            for text, p, q, y in rows:
                f.write(f"{text}\t{p}\t{q}\t{y}\n")
    return d


def test_training_round_trip(tiny_encoder_dir, tmp_path):
    from stance.models import load_model
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    park = _write_park(tmp_path / "park")
    cfg = {
        "output_dir": str(tmp_path / "run"),
        "base_model": str(tiny_encoder_dir),
        "epochs": 2,
        "batch_size": 2,
        "max_length": 64,
        "eval_every": 2,
        "patience": 10,
        "train": [{"name": "park2021", "data_dir": str(park), "split": "train", "family": "pair"}],
        "validation": [{"name": "park2021", "data_dir": str(park), "split": "validation", "family": "pair"}],
    }
    (tmp_path / "cfg.json").write_text(json.dumps(cfg))
    args = TrainingArguments.from_json(tmp_path / "cfg.json")
    summary = Trainer(args).train(show_progress_bar=False)
    assert summary["steps"] == 6  # 5 windows / batch 2 -> 3 steps x 2 epochs
    assert (tmp_path / "run" / "best" / "model.safetensors").is_file()
    assert (tmp_path / "run" / "checkpoint" / "trainer_state.json").is_file()
    losses = [json.loads(line) for line in (tmp_path / "run" / "train_log.jsonl").read_text().splitlines()]
    assert any("eval" in entry for entry in losses)

    records = LABELLED_PAIRS[:1]
    a = load_model(tmp_path / "run" / "best", cache=False)
    b = load_model(tmp_path / "run" / "best", cache=False)
    np.testing.assert_allclose(a.predict_pairs(records), b.predict_pairs(records), atol=0)


def test_training_resumes_from_checkpoint(tiny_encoder_dir, tmp_path):
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    park = _write_park(tmp_path / "park")
    base = {
        "base_model": str(tiny_encoder_dir),
        "epochs": 2,
        "batch_size": 2,
        "max_length": 64,
        "eval_every": 1,
        "patience": 10,
        "train": [{"name": "park2021", "data_dir": str(park), "family": "pair"}],
    }
    first = Trainer(TrainingArguments(output_dir=str(tmp_path / "r"), max_steps=3, **base)).train(
        show_progress_bar=False
    )
    assert first["steps"] == 3
    resumed = Trainer(TrainingArguments(output_dir=str(tmp_path / "r"), **base)).train(
        resume=True, show_progress_bar=False
    )
    assert resumed["steps"] == 6


def test_sentiment_window_mode_is_stored_in_the_trained_model(tiny_encoder_dir, tmp_path):
    from stance.models import load_model
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    park = _write_park(tmp_path / "park")
    args = TrainingArguments(
        output_dir=str(tmp_path / "r"),
        base_model=str(tiny_encoder_dir),
        epochs=1,
        batch_size=2,
        max_length=64,
        max_steps=1,
        sentiment_windows="focused",
        train=[{"name": "park2021", "data_dir": str(park), "family": "pair"}],
    )
    Trainer(args).train(show_progress_bar=False)
    assert load_model(tmp_path / "r" / "best", cache=False).head_config.sentiment_windows == "focused"


def test_save_every_checkpoints_between_evaluations_and_resumes(tiny_encoder_dir, tmp_path, monkeypatch):
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    park = _write_park(tmp_path / "park")
    base = {
        "base_model": str(tiny_encoder_dir),
        "epochs": 2,
        "batch_size": 2,
        "max_length": 64,
        "eval_every": 100,
        "patience": 10,
        "train": [{"name": "park2021", "data_dir": str(park), "family": "pair"}],
    }
    saved: list[int] = []
    original = Trainer._save_checkpoint

    def spy(self, optimizer, scheduler, state):
        saved.append(state["step"])
        return original(self, optimizer, scheduler, state)

    monkeypatch.setattr(Trainer, "_save_checkpoint", spy)
    # 3 steps per epoch, evaluations at the end of each epoch (steps 3 and 6)
    Trainer(TrainingArguments(output_dir=str(tmp_path / "a"), save_every=2, **base)).train(show_progress_bar=False)
    assert saved == [2, 3, 4, 6]
    run = tmp_path / "b"
    Trainer(TrainingArguments(output_dir=str(run), save_every=1, max_steps=2, **base)).train(show_progress_bar=False)
    assert json.loads((run / "checkpoint" / "trainer_state.json").read_text())["step"] == 2
    assert not (run / "checkpoint.tmp").exists() and not (run / "checkpoint.old").exists()
    # killed between the two renames of a save: the previous checkpoint is still found
    (run / "checkpoint").rename(run / "checkpoint.old")
    resumed = Trainer(TrainingArguments(output_dir=str(run), **base)).train(resume=True, show_progress_bar=False)
    assert resumed["steps"] == 6
    with pytest.raises(ValueError, match="save_every"):
        TrainingArguments(output_dir=str(run), save_every=-1)


def test_distillation_from_a_teacher(tiny_model, tiny_model_dir, tmp_path):
    import torch

    from stance.models import load_model
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer, items_from_records

    park = _write_park(tmp_path / "park")
    spec = {"name": "park2021", "data_dir": str(park), "family": "pair"}
    batch = items_from_records(LABELLED_PAIRS, "pair")
    student = load_model(tiny_model_dir, cache=False)
    student.eval()  # no dropout: a student equal to its teacher has zero KL

    def loss(**kw):
        args = TrainingArguments(output_dir=str(tmp_path / "x"), train=[spec], **kw)
        return Trainer(args, model=student)._step_loss(batch).item()

    plain = loss()
    assert loss(teacher_model=str(tiny_model_dir), distill_alpha=0.0) == pytest.approx(plain, abs=1e-6)
    assert loss(teacher_model=str(tiny_model_dir), distill_alpha=1.0) == pytest.approx(0.0, abs=1e-6)
    mixed = loss(teacher_model=str(tiny_model_dir), distill_alpha=0.5, distill_temperature=2.0)
    assert mixed == pytest.approx(0.5 * plain, abs=1e-5)
    # a corpus marked distill=false keeps its plain label loss even at alpha=1
    for item in batch:
        item.distill = False
    assert loss(teacher_model=str(tiny_model_dir), distill_alpha=1.0) == pytest.approx(plain, abs=1e-6)
    batch[0].distill = True  # mixed batch: the first query's KL is 0, the second keeps its CE
    second_ce = (
        Trainer(TrainingArguments(output_dir=str(tmp_path / "x"), train=[spec]), model=student)
        ._step_loss(batch[1:])
        .item()
    )
    assert loss(teacher_model=str(tiny_model_dir), distill_alpha=1.0) == pytest.approx(0.5 * second_ce, abs=1e-5)
    with pytest.raises(TypeError, match="distill must be true or false"):
        TrainingArguments(output_dir=str(tmp_path), train=[{**spec, "distill": "no"}])
    assert (
        Trainer(TrainingArguments(output_dir=str(tmp_path), train=[{**spec, "distill": False}]))
        .training_items()[0]
        .distill
        is False
    )

    # end to end: the student learns, the teacher stays frozen
    args = TrainingArguments(
        output_dir=str(tmp_path / "d"),
        epochs=1,
        batch_size=2,
        max_length=64,
        max_steps=2,
        train=[spec],
        teacher_model=str(tiny_model_dir),
    )
    trainer = Trainer(args, model=load_model(tiny_model_dir, cache=False))
    trainer.train(show_progress_bar=False)
    teacher = trainer.teacher()
    assert all(not p.requires_grad for p in teacher.parameters())
    reference = load_model(tiny_model_dir, cache=False)
    for (name, a), b in zip(teacher.state_dict().items(), reference.state_dict().values()):
        assert torch.equal(a, b), name
    with pytest.raises(ValueError, match="distill_alpha"):
        TrainingArguments(output_dir=str(tmp_path), distill_alpha=1.5)


def test_bad_config_is_rejected(tmp_path):
    from stance.training.arguments import TrainingArguments

    with pytest.raises(ValueError, match="unknown training options"):
        TrainingArguments.from_dict({"output_dir": "x", "learning_rat": 1})
    with pytest.raises(ValueError, match="family"):
        TrainingArguments(output_dir="x", train=[{"name": "park2021", "data_dir": ".", "family": "nli"}])
    with pytest.raises(FileNotFoundError):
        TrainingArguments.from_json(tmp_path / "nope.json")


def test_oversample_repeats_matching_windows(tiny_encoder_dir, tmp_path):
    from stance.training.arguments import DatasetSpec
    from stance.training.trainer import items_from_records, load_records

    park = _write_park(tmp_path / "park")
    records = load_records(DatasetSpec(name="park2021", data_dir=str(park)), seed=0)
    plain = items_from_records(records, "pair")
    assert len(plain) == 5  # one window per sentence
    boosted = items_from_records(records, "pair", oversample={"label5=2": 3, "label5=4": 2})
    assert len(boosted) == 5 + 2 + 1  # class-2 sentence x3, class-4 sentence x2
    with pytest.raises(ValueError, match="field=value"):
        DatasetSpec(name="park2021", data_dir=".", oversample={"label5": 2})
    with pytest.raises(ValueError, match="int >= 1"):
        DatasetSpec(name="park2021", data_dir=".", oversample={"label5=2": 0})


def test_continue_from_model_and_select_on_task_metric(tiny_encoder_dir, tmp_path):
    from stance.models import load_model
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    park = _write_park(tmp_path / "park")
    spec = {"name": "park2021", "data_dir": str(park), "family": "pair"}
    base = {"epochs": 1, "batch_size": 2, "max_length": 64, "eval_every": 1, "patience": 10, "train": [spec]}
    val = [{**spec, "split": "validation", "metric": "park-dse:macro_f1"}]
    Trainer(
        TrainingArguments(output_dir=str(tmp_path / "a"), base_model=str(tiny_encoder_dir), validation=val, **base)
    ).train(show_progress_bar=False)
    first = load_model(tmp_path / "a" / "best", cache=False)
    # a calibration fitted on the first model's outputs must not carry over to new weights
    cfg_path = tmp_path / "a" / "best" / "config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg["stance"]["article_sentiment_bias"] = [0.7, 0.0, -0.3]
    cfg_path.write_text(json.dumps(cfg))
    args = TrainingArguments(
        output_dir=str(tmp_path / "b"),
        init_model=str(tmp_path / "a" / "best"),
        validation=val,
        learning_rate=0.0,
        head_learning_rate=0.0,
        **{k: v for k, v in base.items()},
    )
    summary = Trainer(args).train(show_progress_bar=False)
    assert 0.0 <= summary["best_score"] <= 1.0
    second = load_model(tmp_path / "b" / "best", cache=False)
    assert second.head_config.article_sentiment_bias == [0.0, 0.0, 0.0]
    rec = LABELLED_PAIRS[:1]
    # lr 0: continuing changes nothing, so the weights really came from init_model
    np.testing.assert_allclose(first.predict_pairs(rec), second.predict_pairs(rec), atol=2e-3)
    with pytest.raises(ValueError, match="TASK:METRIC"):
        TrainingArguments(output_dir="x", validation=[{**spec, "metric": "macro_f1"}])


def test_freeze_layers_keeps_embeddings_and_lower_layers_fixed(tiny_encoder_dir, tmp_path):
    from safetensors.torch import load_file

    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    park = _write_park(tmp_path / "park")
    spec = {"name": "park2021", "data_dir": str(park), "family": "pair"}
    args = TrainingArguments(
        output_dir=str(tmp_path / "f"),
        base_model=str(tiny_encoder_dir),
        epochs=1,
        batch_size=2,
        max_length=64,
        learning_rate=1e-2,
        max_steps=2,
        train=[spec],
        freeze_layers=1,
    )
    trainer = Trainer(args)
    trainer.train(show_progress_bar=False)
    start = load_file(str(tiny_encoder_dir / "model.safetensors"))
    trained = {
        n.removeprefix("encoder."): p.detach() for n, p in trainer.model.named_parameters() if n.startswith("encoder.")
    }
    changed = {n for n, p in trained.items() if n in start and p.shape == start[n].shape and not (p == start[n]).all()}
    lower = [n for n in trained if ".layer.0." in n or "embeddings." in n]
    upper = [n for n in trained if ".layer.1." in n]
    assert lower and upper
    assert not changed.intersection(lower)  # embeddings and layer 0 untouched
    assert changed.intersection(upper)  # layer 1 learned
    assert all(not p.requires_grad for n, p in trainer.model.named_parameters() if n.removeprefix("encoder.") in lower)
    with pytest.raises(ValueError, match="at most 2"):
        Trainer(
            TrainingArguments(
                output_dir=str(tmp_path / "g"),
                base_model=str(tiny_encoder_dir),
                max_steps=1,
                train=[spec],
                freeze_layers=3,
            )
        ).train(show_progress_bar=False)
    with pytest.raises(ValueError, match="freeze_layers"):
        TrainingArguments(output_dir="x", freeze_layers=-1)
