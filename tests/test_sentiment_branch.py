"""The sentiment branch: a private copy of the top encoder layers for the sentiment head.

Adding it changes nothing until it is trained; training it alone (``trainable``) leaves the
pair path bit-identical; it saves, reloads and runs on ONNX like the rest of the model.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from tests.test_data_newsmtsc import write_newsmtsc

PAIRS = [
    {
        "text": "Qatar warned against military escalation.",
        "source": "Qatar",
        "source_start": 0,
        "source_end": 5,
        "target": "military escalation",
        "target_start": 21,
        "target_end": 40,
        "label": 1,
    },
    {
        "text": "Israel urges immediate action against Iran, said the minister.",
        "source": "Israel",
        "source_start": 0,
        "source_end": 6,
        "target": "Iran",
        "target_start": 38,
        "target_end": 42,
        "label": 0,
    },
]
SENTIMENT = [
    {
        "text": "Protesters criticised the government.",
        "target": "the government",
        "target_start": 22,
        "target_end": 36,
        "label": 0,
    },
    {
        "text": "Protesters criticised the government.",
        "target": "Protesters",
        "target_start": 0,
        "target_end": 10,
        "label": 1,
    },
    {
        "text": "The minister praised Qatar for the talks in Oman on Iran.",
        "target": "Qatar",
        "target_start": 21,
        "target_end": 26,
        "label": 2,
    },
]


@pytest.fixture()
def branched(tiny_model_dir):
    from stance.models import load_model

    model = load_model(tiny_model_dir, cache=False)
    model.add_sentiment_branch(1)
    return model


def _perturb(module: torch.nn.Module, seed: int = 1) -> None:
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.add_(torch.randn(p.shape, generator=gen) * 0.2)


def test_a_new_branch_changes_nothing_and_only_the_branch_moves_sentiment(tiny_model, branched):
    assert branched.sentiment_branch is not None and len(branched.sentiment_branch) == 1
    assert branched.branch_tap == 1 and tiny_model.branch_tap is None
    np.testing.assert_allclose(
        branched.predict_sentiment(SENTIMENT), tiny_model.predict_sentiment(SENTIMENT), atol=1e-6
    )
    _perturb(branched.sentiment_branch)
    moved = branched.predict_sentiment(SENTIMENT)
    assert np.abs(moved - tiny_model.predict_sentiment(SENTIMENT)).max() > 1e-3
    np.testing.assert_array_equal(branched.predict_pairs(PAIRS), tiny_model.predict_pairs(PAIRS))
    # padding in a batch does not reach the branch: one window at a time gives the same rows
    np.testing.assert_allclose(branched.predict_sentiment(SENTIMENT, batch_size=1), moved, atol=1e-5)
    for mode in ("shared", "focused"):
        assert branched.predict_sentiment(SENTIMENT, sentiment_windows=mode).shape == (3, 3)


def test_branch_saves_and_reloads(branched, tmp_path):
    import json

    from stance.models import load_model

    _perturb(branched.sentiment_branch)
    path = branched.save_pretrained(tmp_path / "m", dtype=torch.float32)
    assert json.loads((path / "config.json").read_text())["stance"]["sentiment_branch_layers"] == 1
    again = load_model(path, cache=False)
    assert again.sentiment_branch is not None
    np.testing.assert_array_equal(again.predict_sentiment(SENTIMENT), branched.predict_sentiment(SENTIMENT))
    np.testing.assert_array_equal(again.predict_pairs(PAIRS), branched.predict_pairs(PAIRS))
    assert again.quantized().predict_sentiment(SENTIMENT).shape == (3, 3)


def test_branch_errors_name_the_fix(branched, tiny_model_dir):
    from stance.models import load_model

    with pytest.raises(ValueError, match="already has"):
        branched.add_sentiment_branch(1)
    fresh = load_model(tiny_model_dir, cache=False)
    for bad in (0, 3, True, "2"):
        with pytest.raises(ValueError, match=r"sentiment_branch_layers must be an int in 1\.\.2"):
            fresh.add_sentiment_branch(bad)


def test_branch_on_onnx_equals_torch(branched):
    pytest.importorskip("onnxruntime", reason='the ONNX backend needs pip install "stance[onnx]"')
    _perturb(branched.sentiment_branch)
    fast = branched.onnx(threads=1)
    np.testing.assert_allclose(fast.predict_sentiment(SENTIMENT), branched.predict_sentiment(SENTIMENT), atol=1e-5)
    np.testing.assert_allclose(fast.predict_pairs(PAIRS), branched.predict_pairs(PAIRS), atol=1e-5)


def test_training_only_the_branch_keeps_the_pair_path_identical(tiny_model_dir, tmp_path):
    from stance.models import load_model
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    data = write_newsmtsc(tmp_path / "newsmtsc")
    spec = {"name": "newsmtsc", "data_dir": str(data), "family": "sentiment"}
    args = TrainingArguments(
        output_dir=str(tmp_path / "run"),
        init_model=str(tiny_model_dir),
        epochs=1,
        batch_size=2,
        max_length=64,
        learning_rate=1e-2,
        head_learning_rate=1e-2,
        max_steps=2,
        train=[spec],
        sentiment_branch_layers=1,
        trainable=["sentiment_branch.", "sentiment_head."],
    )
    trainer = Trainer(args)
    trainer.train(show_progress_bar=False)
    start = load_model(tiny_model_dir, cache=False)
    trained = load_model(tmp_path / "run" / "best", cache=False)
    assert trained.head_config.sentiment_branch_layers == 1
    before, after = start.state_dict(), trained.state_dict()
    changed = {k for k in after if k not in before or not torch.equal(after[k], before[k])}
    assert changed and all(k.startswith(("sentiment_branch.", "sentiment_head.")) for k in changed)
    branch = {k.removeprefix("sentiment_branch.0."): v for k, v in after.items() if k.startswith("sentiment_branch.0.")}
    assert any(not torch.equal(v, before[f"encoder.encoder.layer.1.{k}"]) for k, v in branch.items())  # it learned
    assert any(k.startswith("sentiment_head.") for k in changed)
    np.testing.assert_array_equal(trained.predict_pairs(PAIRS), start.predict_pairs(PAIRS))
    assert np.abs(trained.predict_sentiment(SENTIMENT) - start.predict_sentiment(SENTIMENT)).max() > 1e-4

    # continuing from the branched model keeps its branch; a different size is an error
    again = TrainingArguments(
        **{**args.to_dict(), "output_dir": str(tmp_path / "again"), "init_model": str(tmp_path / "run" / "best")}
    )
    Trainer(again).train(show_progress_bar=False)
    other = TrainingArguments(**{**again.to_dict(), "sentiment_branch_layers": 2})
    with pytest.raises(ValueError, match="already has a 1-layer sentiment branch"):
        Trainer(other).train(show_progress_bar=False)


def test_trainable_is_checked(tiny_model_dir, tmp_path):
    from stance.training.arguments import TrainingArguments
    from stance.training.trainer import Trainer

    data = write_newsmtsc(tmp_path / "newsmtsc")
    spec = {"name": "newsmtsc", "data_dir": str(data), "family": "sentiment"}
    with pytest.raises(ValueError, match=r"match no parameter; the model's are under \['author\.', 'encoder\."):
        Trainer(
            TrainingArguments(
                output_dir=str(tmp_path / "x"),
                init_model=str(tiny_model_dir),
                max_steps=1,
                train=[spec],
                trainable=["sentiment_brunch."],
            )
        ).train(show_progress_bar=False)
    with pytest.raises(TypeError, match="trainable must be a list"):
        TrainingArguments(output_dir="x", trainable="sentiment_head.")
    with pytest.raises(ValueError, match="either trainable or freeze_layers"):
        TrainingArguments(output_dir="x", trainable=["sentiment_head."], freeze_layers=1)
    with pytest.raises(ValueError, match="sentiment_branch_layers must be an int >= 0"):
        TrainingArguments(output_dir="x", sentiment_branch_layers=-1)
