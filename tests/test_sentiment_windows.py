"""Focused sentiment windows: one pass per target with only it marked, in inference and training."""

from __future__ import annotations

import numpy as np
import pytest

from stance.models.inputs import Window
from stance.models.windows import check_sentiment_windows, focus_window

TEXT = "Qatar praised Turkey but Israel condemned Iran over the strikes."
SPANS = ((0, 5), (14, 20), (25, 31), (42, 46))


def _records():
    return [{"text": TEXT, "target": TEXT[s:e], "target_start": s, "target_end": e} for s, e in SPANS]


def test_focus_window_keeps_one_slot():
    w = Window(TEXT, spans=SPANS, extras=("the war",))
    assert focus_window(w, 2) == Window(TEXT, spans=((25, 31),))
    assert focus_window(w, 4) == Window(TEXT, extras=("the war",))
    with pytest.raises(ValueError, match="slot 5"):
        focus_window(w, 5)
    with pytest.raises(ValueError, match="sentiment_windows must be one of"):
        check_sentiment_windows("per-target")


def test_focused_score_equals_one_window_per_target(tiny_model):
    from stance.models.modeling import WindowQueries

    w = Window(TEXT, spans=SPANS)
    item = WindowQueries(w, pairs=[(0, 1), (2, 3)], sentiment=[1, 3, 1])
    pairs_f, sent_f = tiny_model.score([item], sentiment_windows="focused")
    pairs_s, sent_s = tiny_model.score([item], sentiment_windows="shared")
    np.testing.assert_allclose(pairs_f[0], pairs_s[0], atol=1e-6)  # pairs still come from the shared pass
    singles = [WindowQueries(focus_window(w, t), sentiment=[0]) for t in (1, 3)]
    _, alone = tiny_model.score(singles, sentiment_windows="shared")
    expected = np.stack([alone[0][0], alone[1][0], alone[0][0]])
    np.testing.assert_allclose(sent_f[0], expected, atol=1e-6)
    assert not np.allclose(sent_f[0], sent_s[0], atol=1e-4)  # the markers of the other targets matter


def test_focused_equals_shared_for_single_slot_windows(tiny_model):
    one = _records()[:1]
    a = tiny_model.predict_sentiment(one, sentiment_windows="focused")
    b = tiny_model.predict_sentiment(one, sentiment_windows="shared")
    np.testing.assert_allclose(a, b, atol=0)


def test_predict_sentiment_focused_matches_records_one_by_one(tiny_model):
    recs = _records()
    together = tiny_model.predict_sentiment(recs, sentiment_windows="focused", batch_size=3)
    one_by_one = np.concatenate([tiny_model.predict_sentiment([r]) for r in recs])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)
    with pytest.raises(ValueError, match="sentiment_windows"):
        tiny_model.predict_sentiment(recs, sentiment_windows="bogus")


def test_model_setting_is_the_default_and_round_trips(tiny_model, tmp_path):
    import torch

    from stance.models import load_model

    recs = _records()
    tiny_model.head_config.sentiment_windows = "focused"
    try:
        tiny_model.save_pretrained(tmp_path / "m", dtype=torch.float32)
        default = tiny_model.predict_sentiment(recs)
    finally:
        tiny_model.head_config.sentiment_windows = "shared"
    np.testing.assert_allclose(default, tiny_model.predict_sentiment(recs, sentiment_windows="focused"), atol=1e-6)
    reloaded = load_model(tmp_path / "m", cache=False)
    assert reloaded.head_config.sentiment_windows == "focused"


def test_focused_training_items_have_one_target_each():
    from stance.training.trainer import items_from_records

    recs = [dict(r, label=i % 3) for i, r in enumerate(_records())]
    shared = items_from_records(recs, "sentiment")
    focused = items_from_records(recs, "sentiment", sentiment_windows="focused")
    assert len(shared) == 1 and len(shared[0].sentiment) == 4
    assert [it.window.spans for it in focused] == [(s,) for s in SPANS]
    assert [it.sentiment for it in focused] == [[(0, 0)], [(0, 1)], [(0, 2)], [(0, 0)]]
    with pytest.raises(ValueError, match="sentiment_windows"):
        items_from_records(recs, "sentiment", sentiment_windows="one")


def test_training_arguments_and_pipeline_reject_unknown_modes(tmp_path):
    from stance.pipeline import Pipeline
    from stance.training.arguments import TrainingArguments

    with pytest.raises(ValueError, match="sentiment_windows"):
        TrainingArguments(output_dir=str(tmp_path), sentiment_windows="all")
    with pytest.raises(ValueError, match="sentiment_windows"):
        Pipeline(model=object(), sentiment_windows="all")
    assert Pipeline(model=object(), sentiment_windows="focused").sentiment_windows == "focused"


def test_harness_focused_variant_leaves_the_cached_model_alone(tiny_model_dir):
    import sys
    from pathlib import Path

    from stance.evaluation.runner import resolve_model
    from stance.models import load_model

    model, name = resolve_model(f"{tiny_model_dir}@focused")
    assert name == f"{tiny_model_dir}@focused" and model.head_config.sentiment_windows == "focused"
    assert load_model(tiny_model_dir).head_config.sentiment_windows == "shared"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from run_all import model_slug

    assert model_slug(f"{tiny_model_dir}@focused") == "tiny-stance-focused"
