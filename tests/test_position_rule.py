"""The fitted position rule: features, the rule, its fit, and the pipeline's use of it."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stance.aggregate import Observation, aggregate_positions, group_observations
from stance.positions import POSITION_FEATURES, ArticleContext, PositionRule, article_features, pair_features
from stance.results import Actor, Span

pytest.importorskip("sklearn")


def _push(label: int, threshold: float = 0.5) -> PositionRule:
    """A rule whose probabilities always favour ``label`` (0 favor, 1 against, 2 none)."""
    intercept = [0.0, 0.0, 0.0]
    intercept[label] = 50.0
    return PositionRule(coef=np.zeros((3, len(POSITION_FEATURES))).tolist(), intercept=intercept, threshold=threshold)


def test_context_reads_the_headline_mentions_and_kinds():
    text = "Qatar warns against escalation\nQatar and Iran met. Qatar said so."
    qatar = Actor("Qatar", "country", (Span(0, 5, "Qatar"), Span(31, 36, "Qatar"), Span(51, 56, "Qatar")))
    iran = Actor("Iran", "country", (Span(41, 45, "Iran"),))
    ctx = ArticleContext.build(text, [qatar, iran])
    assert ctx.title == "qatar warns against escalation"
    assert ctx.mention_share == {"Qatar": 0.75, "Iran": 0.25}
    assert ctx.first_position["Iran"] == pytest.approx(41 / len(text))
    assert ctx.in_title("the escalation") and not ctx.in_title("Iran") and not ctx.in_title("")
    assert ArticleContext.build("One line only, no headline.", [qatar]).title == ""
    assert ArticleContext.build("x" * 400 + "\nbody", []).title == ""  # too long for a headline


def test_pair_features_values_and_errors():
    ctx = ArticleContext(
        title="iran rejects threats",
        mention_share={"Iran": 0.5, "Israel": 0.2},
        kinds={"Iran": "country", "Israel": "country"},
    )
    x = pair_features(
        [(0.2, 0.7, 0.1), (0.1, 0.3, 0.6)], [1, None], "Iran", "Israel", "actor", ctx, reverse=[(0.1, 0.8, 0.1)]
    )
    f = dict(zip(POSITION_FEATURES, x))
    assert x.shape == (len(POSITION_FEATURES),)
    assert f["max_against"] == pytest.approx(0.7) and f["noisy_or_against"] == pytest.approx(0.7)
    assert f["noisy_or_favor"] == 0.0 and f["share_against"] == 0.5 and f["mean_none"] == pytest.approx(0.35)
    assert f["cue_against"] == 1.0 and f["cue_favor"] == 0.0 and f["target_is_actor"] == 1.0
    assert f["reverse_max_against"] == pytest.approx(0.8) and f["target_mention_share"] == pytest.approx(0.2)
    assert f["actor_in_title"] == 1.0 and f["target_in_title"] == 0.0
    assert f["actor_country"] == 1.0 and f["target_country"] == 1.0 and f["target_person"] == 0.0
    assert f["log_sentences"] == pytest.approx(np.log(3))
    issue = dict(zip(POSITION_FEATURES, pair_features([(0.2, 0.7, 0.1)], [None], "Iran", "threats", "issue", ctx)))
    assert issue["target_in_title"] == 1.0 and issue["target_country"] == 0.0 and issue["target_mention_share"] == 0.0
    with pytest.raises(ValueError, match=r"\[n, 3\]"):
        pair_features([], [], "Iran", "Israel", "actor", ctx)
    with pytest.raises(ValueError, match="one entry per sentence"):
        pair_features([(0.2, 0.7, 0.1)], [None, None], "Iran", "Israel", "actor", ctx)


def test_article_features_pair_counts_and_reverse_pairs():
    pairs = {
        ("Iran", "Israel", "actor", None): ([(0.1, 0.8, 0.1)], [None]),
        ("Israel", "Iran", "actor", None): ([(0.2, 0.6, 0.2)], [None]),
        ("Iran", "talks", "issue", None): ([(0.7, 0.1, 0.2)], [0]),
        ("Iran", "sanctions", "issue", "Araghchi"): ([(0.1, 0.7, 0.2)], [None]),
    }
    feats = article_features(pairs, ArticleContext())
    f = dict(zip(POSITION_FEATURES, feats[("Iran", "Israel", "actor", None)]))
    assert f["reverse_max_against"] == pytest.approx(0.6)
    assert f["log_actor_pairs"] == pytest.approx(np.log(3))  # Israel and talks; the rolled-up pair does not count
    g = dict(zip(POSITION_FEATURES, feats[("Iran", "talks", "issue", None)]))
    assert g["reverse_max_favor"] == 0.0 and g["cue_favor"] == 1.0


def test_rule_round_trip_validation_and_decisions():
    rng = np.random.default_rng(0)
    rule = PositionRule(
        coef=rng.normal(size=(3, len(POSITION_FEATURES))).tolist(), intercept=[0.1, 0.0, -0.1], threshold=0.3
    )
    assert PositionRule.from_dict(json.loads(json.dumps(rule.to_dict()))) == rule
    p = rule.predict_proba(rng.normal(size=(4, len(POSITION_FEATURES))))
    assert p.shape == (4, 3) and np.allclose(p.sum(1), 1.0)
    assert rule.decide(np.array([[0.35, 0.3, 0.35], [0.1, 0.25, 0.65], [0.2, 0.6, 0.2]])) == [
        ("favor", 0.35),
        ("neutral", 0.75),
        ("against", 0.6),
    ]
    with pytest.raises(ValueError, match="refit it with stance calibrate --positions"):
        PositionRule(coef=rule.coef, intercept=rule.intercept, features=("max_favor",))
    with pytest.raises(ValueError, match="3 rows"):
        PositionRule(coef=rule.coef[:2], intercept=rule.intercept)
    with pytest.raises(ValueError, match="finite"):
        PositionRule(coef=[[float("inf")] * len(POSITION_FEATURES)] * 3, intercept=[0, 0, 0])
    with pytest.raises(ValueError, match=r"threshold must lie in \(0, 1\)"):
        PositionRule(coef=rule.coef, intercept=rule.intercept, threshold=1.5)
    with pytest.raises(ValueError, match="missing"):
        PositionRule.from_dict({"coef": rule.coef})
    with pytest.raises(ValueError, match="feature rows"):
        rule.predict_proba(np.zeros((2, 3)))


def test_aggregate_positions_with_a_rule_takes_its_side_and_keeps_evidence():
    s1, s2 = Span(0, 10, "Sentence 1"), Span(11, 21, "Sentence 2")
    obs = [
        Observation("Iran", "talks", "issue", s1, (0.2, 0.1, 0.7)),
        Observation("Iran", "talks", "issue", s2, (0.3, 0.2, 0.5), cue=0),
    ]
    assert aggregate_positions(obs) == []  # no sentence takes a side: the threshold rule says nothing
    (pos,) = aggregate_positions(obs, rule=_push(0), context=ArticleContext())
    assert pos.stance == "favor" and pos.confidence == pytest.approx(1.0)
    # no sentence takes the side on its own: the sentences leaning most that way are the evidence,
    # each labelled with what it says on its own
    assert [(e.sentence, e.stance, e.confidence) for e in pos.evidence] == [(s2, "neutral", 0.5), (s1, "neutral", 0.7)]
    assert aggregate_positions(obs, rule=_push(2)) == []
    groups = group_observations(obs + [Observation("Iran", "talks", "issue", s2, (0.1, 0.1, 0.8))])
    assert groups[("Iran", "talks", "issue", None)][(11, 21)][2] == 0  # the cue survives a weaker duplicate


def test_pipeline_rule_precedence(tiny_model):
    from stance.pipeline import Pipeline

    text = "Iran warned Israel against strikes. Iran met Qatar in Doha to discuss sanctions."
    cfg = tiny_model.head_config
    saved = dict(cfg.position_rule)
    try:
        cfg.position_rule = _push(1, threshold=0.4).to_dict()
        from_model = Pipeline(model=tiny_model).classify(text)
        pairs = [*from_model.positions, *from_model.relations]
        assert pairs and all(p.stance == "against" for p in pairs)
        assert from_model.meta["position_rule"] == "fitted (threshold 0.4)"
        override = Pipeline(model=tiny_model, position_rule=_push(0)).classify(text)
        assert all(p.stance == "favor" for p in (*override.positions, *override.relations))
        assert Pipeline(model=tiny_model, position_rule="threshold").position_rule() is None
    finally:
        cfg.position_rule = saved
    assert Pipeline(model=tiny_model).position_rule() is None
    assert Pipeline(model=tiny_model).meta()["position_rule"] == "noisy-or (threshold 0.5)"
    with pytest.raises(TypeError, match="PositionRule, 'threshold' or None"):
        Pipeline(model=tiny_model, position_rule="fitted")


def test_fit_position_rule_writes_the_rule(tiny_model, tmp_path, monkeypatch):
    from stance.models import load_model
    from stance.pipeline import Pipeline
    from stance.training import position_rule
    from tests.test_data_seesaw import write_seesaw

    root = write_seesaw(tmp_path / "seesaw")
    model_dir = tiny_model.save_pretrained(tmp_path / "m")
    seen = {}
    real_select = position_rule.select_rule

    def select(x, y, article, **kw):
        seen.update(n=len(y), articles=set(np.asarray(article).tolist()), gold=kw["gold"], fixed=kw["fixed"])
        # the two tiny train articles cannot fill 5 folds with every label; add separable rows so the fit runs
        rng = np.random.default_rng(0)
        extra = rng.normal(size=(30, len(POSITION_FEATURES)))
        return real_select(
            np.vstack([x, extra]),
            np.concatenate([y, np.arange(30) % 3]),
            np.concatenate([article, 10 + np.arange(30) % 6]),
            cs=(1.0,),
            thresholds=(0.3, 0.5),
            target_kinds=kw["target_kinds"],
        )

    monkeypatch.setattr(position_rule, "select_rule", select)
    with pytest.raises(ValueError, match="no split 'test'"):
        position_rule.fit_position_rule(model_dir, root, split="test", show_progress_bar=False)
    record = position_rule.fit_position_rule(model_dir, root, write=True, show_progress_bar=False)
    assert seen["articles"] <= {0, 1} and len(seen["gold"]) == 2 and all(seen["gold"])
    cfg = json.loads((tmp_path / "m" / "config.json").read_text())["stance"]
    assert cfg["position_rule"] == record["rule"] and cfg["position_rule_fit"]["split"] == "train"
    assert record["rule"]["target_kinds"] == ["actor"] and len(seen["fixed"]) == 2  # issues keep the threshold rule
    reloaded = load_model(tmp_path / "m", cache=False)
    assert Pipeline(model=reloaded).position_rule() == PositionRule.from_dict(record["rule"])


def test_select_rule_errors():
    from stance.training.position_rule import select_rule

    x = np.zeros((6, len(POSITION_FEATURES)))
    with pytest.raises(ValueError, match="at least 5 articles"):
        select_rule(x, [0, 1, 2, 0, 1, 2], [0, 0, 1, 1, 2, 2])
    with pytest.raises(ValueError, match="every label"):
        select_rule(x, [2] * 6, [0, 1, 2, 3, 4, 5])


def test_calibrate_cli_refuses_mixed_modes(tmp_path, capsys):
    from stance.training.calibrate import main

    assert main(["--positions", "--aggregator", "--model", str(tmp_path), "--data-dir", str(tmp_path)]) == 2
    assert "--positions fits the position rule alone" in capsys.readouterr().err
