"""Model soups: weight averaging of tiny random models, its checks and its recipe file."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from stance.training.soup import average_state_dicts, check_weights, greedy_soup, main, make_soup, model_dir, write_soup
from tests.test_training import LABELLED_PAIRS, _write_park

RECORDS = LABELLED_PAIRS[:1]


def _perturbed(tiny_model_dir, tmp_path, name, seed, scale=0.05):
    """A copy of the tiny model with every float weight moved by seeded noise."""
    from stance.models.modeling import StanceModel

    model = StanceModel.from_pretrained(tiny_model_dir)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(scale * torch.randn(p.shape, generator=gen))
    return model.save_pretrained(tmp_path / name, dtype=torch.float32)


def test_average_is_weighted_mean_of_parameters(tiny_model_dir, tmp_path):
    from stance.models.modeling import StanceModel

    a = _perturbed(tiny_model_dir, tmp_path, "a", 1)
    b = _perturbed(tiny_model_dir, tmp_path, "b", 2)
    soup = make_soup([a, b], weights=[0.25, 0.75])
    sa, sb = StanceModel.from_pretrained(a).state_dict(), StanceModel.from_pretrained(b).state_dict()
    for key, value in soup.state_dict().items():
        if value.is_floating_point():
            torch.testing.assert_close(value, 0.25 * sa[key] + 0.75 * sb[key])
    # the soup is a working model that differs from both ingredients
    out = soup.predict_pairs(RECORDS)
    assert out.shape == (1, 3) and np.allclose(out.sum(-1), 1.0)
    assert not np.allclose(out, StanceModel.from_pretrained(a).predict_pairs(RECORDS))


def test_soup_of_identical_models_predicts_like_the_model(tiny_model_dir):
    from stance.models.modeling import StanceModel

    soup = make_soup([tiny_model_dir, tiny_model_dir])
    np.testing.assert_allclose(
        soup.predict_pairs(RECORDS), StanceModel.from_pretrained(tiny_model_dir).predict_pairs(RECORDS), atol=1e-6
    )


def test_write_soup_round_trip_and_recipe(tiny_model_dir, tmp_path):
    from stance.models import load_model

    a = _perturbed(tiny_model_dir, tmp_path, "a", 1)
    b = _perturbed(tiny_model_dir, tmp_path, "b", 2)
    recipe = write_soup([a, b], tmp_path / "soup", sentiment_windows="focused")
    assert recipe.weights == (0.5, 0.5)
    saved = json.loads((tmp_path / "soup" / "soup.json").read_text())
    assert saved == recipe.to_dict() and saved["sentiment_windows"] == "focused"
    cfg = json.loads((tmp_path / "soup" / "best" / "config.json").read_text())["stance"]
    assert cfg["sentiment_windows"] == "focused" and cfg["training"]["soup"]["ingredients"] == [
        str(a.resolve()),
        str(b.resolve()),
    ]
    reloaded = load_model(tmp_path / "soup" / "best", cache=False)
    np.testing.assert_allclose(reloaded.predict_pairs(RECORDS), make_soup([a, b]).predict_pairs(RECORDS), atol=1e-6)
    # a run folder is accepted in place of its best/
    assert model_dir(tmp_path / "soup") == tmp_path / "soup" / "best"


def test_soup_checks_name_the_problem(tiny_model_dir, tmp_path):
    with pytest.raises(ValueError, match="at least two"):
        check_weights(None, 1)
    with pytest.raises(ValueError, match="one weight per model"):
        check_weights([1.0], 2)
    with pytest.raises(ValueError, match="sum to 1"):
        check_weights([0.7, 0.7], 2)
    with pytest.raises(ValueError, match="one architecture"):
        average_state_dicts([{"w": torch.zeros(2)}, {"w": torch.zeros(3)}], [0.5, 0.5])
    with pytest.raises(ValueError, match="different parameters"):
        average_state_dicts([{"w": torch.zeros(2)}, {"v": torch.zeros(2)}], [0.5, 0.5])
    with pytest.raises(ValueError, match="cannot be averaged"):
        average_state_dicts([{"i": torch.tensor([1])}, {"i": torch.tensor([2])}], [0.5, 0.5])
    with pytest.raises(FileNotFoundError, match="run folder"):
        model_dir(tmp_path / "nothing")
    with pytest.raises(ValueError, match="sentiment_windows|shared|focused"):
        make_soup([tiny_model_dir, tiny_model_dir], sentiment_windows="both")


def _copy_with_stance(model_dir, dst, **stance_keys):
    """A copy of ``model_dir`` at ``dst`` with keys of its config's stance block set."""
    dst.mkdir()
    for f in model_dir.iterdir():
        (dst / f.name).write_bytes(f.read_bytes())
    cfg = json.loads((dst / "config.json").read_text())
    cfg["stance"].update(stance_keys)
    (dst / "config.json").write_text(json.dumps(cfg))
    return dst


def test_soup_refuses_models_of_different_heads(tiny_model_dir, tmp_path):
    other = _copy_with_stance(tiny_model_dir, tmp_path / "other", markers=["<<", ">>"])
    with pytest.raises(ValueError, match="different encoder or head configuration"):
        make_soup([tiny_model_dir, other])


def test_soup_ignores_training_provenance(tiny_model_dir, tmp_path):
    """Two fine-tunes of one model differ in their training record, not in architecture."""
    other = _copy_with_stance(
        tiny_model_dir,
        tmp_path / "other",
        training={"best_step": 750, "command": "stance train other.json"},
        pair_temperature=1.7,  # a calibration, fitted per model
    )
    assert make_soup([tiny_model_dir, other]) is not None


def test_greedy_soup_keeps_a_candidate_only_if_validation_rises(tiny_model_dir, tmp_path):
    park = _write_park(tmp_path / "park")
    cfg = {
        "output_dir": str(tmp_path / "unused"),
        "base_model": "minilm",
        "max_length": 64,
        "validation": [{"name": "park2021", "data_dir": str(park), "split": "validation", "family": "pair"}],
    }
    (tmp_path / "cfg.json").write_text(json.dumps(cfg))
    cands = [_perturbed(tiny_model_dir, tmp_path, n, s, scale=0.5) for n, s in (("a", 1), ("b", 2), ("c", 3))]
    chosen, log = greedy_soup(cands, tmp_path / "cfg.json", show_progress_bar=False)
    assert len(log) == 5  # three singles, then two trials
    singles = {entry["models"][0]: entry["scores"]["score"] for entry in log[:3]}
    assert str(chosen[0]) == max(singles, key=singles.get)
    best, expected = singles[str(chosen[0])], [str(chosen[0])]
    for entry in log[3:]:
        assert entry["models"] == [*expected, entry["models"][-1]]
        assert entry["kept"] == (entry["scores"]["score"] > best)
        if entry["kept"]:
            best, expected = entry["scores"]["score"], entry["models"]
    assert [str(c) for c in chosen] == expected

    # the CLI writes the evaluation log, and a soup only if one beat the best single model
    assert (
        main([*map(str, cands), "--greedy", "--validate", str(tmp_path / "cfg.json"), "--out", str(tmp_path / "g")])
        == 0
    )
    written = json.loads((tmp_path / "g" / "greedy.json").read_text())
    assert written["evaluations"][:3] == json.loads(json.dumps(log[:3]))
    assert written["kind"] == "greedy-soup" and "sha" in written["commit"] and written["versions"]["torch"]
    assert (tmp_path / "g" / "soup.json").is_file() == (len(chosen) > 1)


def test_export_of_a_soup_records_recipe_and_every_ingredient_stage(tiny_model_dir, tmp_path):
    from stance.models.modeling import StanceModel
    from stance.training.export import export_weights

    # two runs continued from one shared first stage, like stage3 and stage3f from stage2
    (tmp_path / "s1" / "best").mkdir(parents=True)
    (tmp_path / "s1" / "training_args.json").write_text(
        json.dumps({"output_dir": "s1", "train": [{"name": "park2021"}]})
    )
    runs = []
    for name, seed, corpus in (("r1", 1, "silver"), ("r2", 2, "newsmtsc")):
        run = tmp_path / name
        run.mkdir()
        _perturbed(tiny_model_dir, run, "best", seed)
        (run / "training_args.json").write_text(
            json.dumps({"output_dir": name, "init_model": str(tmp_path / "s1" / "best"), "train": [{"name": corpus}]})
        )
        runs.append(run)
    write_soup(runs, tmp_path / "soup")
    out = export_weights(
        tmp_path / "soup",
        tmp_path / "shipped",
        command=["stance train s1.json", "python -m stance.training.soup r1 r2 --out soup"],
    )
    training = json.loads((out / "config.json").read_text())["stance"]["training"]
    assert training["soup"]["weights"] == [0.5, 0.5]
    assert [s["output_dir"] for s in training["stages"]] == ["s1", "r1", "r2"]  # the shared stage once
    assert [[s["output_dir"] for s in chain] for chain in training["args"]["ingredient_stages"]] == [
        ["s1", "r1"],
        ["s1", "r2"],
    ]
    assert "stance.training.soup" in training["command"]
    np.testing.assert_allclose(
        StanceModel.from_pretrained(out).predict_pairs(RECORDS), make_soup(runs).predict_pairs(RECORDS), atol=2e-3
    )  # fp16


def test_export_of_a_soup_with_an_exported_model_as_ingredient(tiny_model_dir, tmp_path):
    """A soup of a shipped (exported) model and a run continued from it records both chains."""
    from stance.training.export import export_weights

    shipped = tmp_path / "shipped"
    _perturbed(tiny_model_dir, tmp_path, "shipped", 3)
    cfg = json.loads((shipped / "config.json").read_text())
    cfg["stance"]["training"] = {"stages": [{"output_dir": "stage1"}, {"output_dir": "stage2"}]}
    (shipped / "config.json").write_text(json.dumps(cfg))
    run = tmp_path / "more"
    run.mkdir()
    _perturbed(tiny_model_dir, run, "best", 4)
    (run / "training_args.json").write_text(json.dumps({"output_dir": "more", "init_model": str(shipped)}))
    write_soup([shipped, run], tmp_path / "soup")
    out = export_weights(tmp_path / "soup", tmp_path / "out", command="stance soup shipped more --out soup")
    training = json.loads((out / "config.json").read_text())["stance"]["training"]
    assert [[s["output_dir"] for s in chain] for chain in training["args"]["ingredient_stages"]] == [
        ["stage1", "stage2"],
        ["stage1", "stage2", "more"],
    ]


def test_card_of_a_soup_names_its_ingredients():
    hub = pytest.importorskip("huggingface_hub")
    from stance.training.card import ModelCardData, render_model_card

    soup = {"ingredients": ["/r/stage3/best", "/r/stage3f/best"], "weights": [0.5, 0.5]}
    text = render_model_card(
        ModelCardData(model_name="stance-minilm", training_args={"soup": soup, "ingredient_stages": []})
    )
    assert "**Model soup.**" in text and "`stage3` (0.5), `stage3f` (0.5)" in text
    hub.ModelCard(text)  # still a valid card


def test_stance_soup_command(tiny_model_dir, tmp_path):
    from stance.cli import main as cli

    a = _perturbed(tiny_model_dir, tmp_path, "a", 1)
    b = _perturbed(tiny_model_dir, tmp_path, "b", 2)
    with pytest.raises(SystemExit, match="--greedy needs --validate"):
        cli(["soup", str(a), str(b), "--greedy", "--out", str(tmp_path / "x")])
    assert cli(["soup", str(a), str(b), "--weights", "0.3", "0.7", "--out", str(tmp_path / "s")]) == 0
    assert json.loads((tmp_path / "s" / "soup.json").read_text())["weights"] == [0.3, 0.7]
