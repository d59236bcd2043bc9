"""Composable training configs: ``extends``, ``${data_root}`` / ``${runs}``, and the configs
of ``configs/`` resolving exactly as the files they replaced."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from stance.training.arguments import TrainingArguments
from stance.training.config import load_config

REPO = Path(__file__).resolve().parents[1]
# Every config as it was before `extends` (commit ba45d25, all in configs/), keyed by where it lives now.
BEFORE = json.loads((REPO / "tests" / "data" / "configs_before_extends.json").read_text(encoding="utf-8"))


def _old_from_json(raw: dict[str, Any], folder: Path) -> TrainingArguments:
    """``TrainingArguments.from_json`` as it was before ``extends``, frozen here, on a file in ``folder``."""
    d = copy.deepcopy(raw)
    for key in ("train", "validation"):
        for spec in d.get(key, []):
            if not Path(spec["data_dir"]).is_absolute():
                spec["data_dir"] = str((folder / spec["data_dir"]).resolve())
    for key in ("output_dir", "init_model", "teacher_model"):
        if d.get(key) and not Path(d[key]).is_absolute():
            d[key] = str((folder / d[key]).resolve())
    return TrainingArguments.from_dict(d)


@pytest.mark.parametrize("rel", sorted(BEFORE))
def test_config_resolves_as_before(rel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The old files sat in configs/ and read the data as ../../shared/data/X and the runs as
    # ../runs/X; run from the repository root with that data root, the new ones must agree field by field.
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("STANCE_RUNS", raising=False)
    expected = _old_from_json(BEFORE[rel], REPO / "configs").to_dict()
    got = TrainingArguments.from_json(REPO / rel, data_root=REPO.parent / "shared" / "data").to_dict()
    assert got == expected


def test_every_config_is_checked_and_loads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    configs = {str(p.relative_to(REPO)) for p in (REPO / "configs").rglob("*.json")}
    bases = {c for c in configs if c.startswith("configs/base/")}
    assert set(BEFORE) <= configs, f"configs missing: {sorted(set(BEFORE) - configs)}"
    monkeypatch.setenv("STANCE_DATA_ROOT", str(tmp_path))
    for rel in sorted(configs - bases - set(BEFORE)):  # configs added since: they load at least
        TrainingArguments.from_json(REPO / rel)
    # the shipped models' configs stay at the top; everything else is an experiment
    top = {c for c in configs if c.count("/") == 1}
    assert top == {
        "configs/stance-minilm.json",
        "configs/stance-minilm-stage2.json",
        "configs/stance-minilm-stage3.json",
        "configs/stance-mpnet-lora.json",
    }
    for rel in configs:
        text = (REPO / rel).read_text(encoding="utf-8")
        assert "shared/data" not in text, f"{rel}: use ${{data_root}} for corpus folders"


def test_shipped_chain_matches_the_model_record(monkeypatch: pytest.MonkeyPatch) -> None:
    # stance-minilm's config.json records the stages it was trained with: the three of 0.1.0 and
    # the continuation on every corpus that 0.2.0 averages with it
    record = json.loads((REPO / "stance/resources/models/stance-minilm/config.json").read_text(encoding="utf-8"))
    stages = record["stance"]["training"]["stages"]
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("STANCE_RUNS", raising=False)
    names = ["stance-minilm", "stance-minilm-stage2", "stance-minilm-stage3", "experiments/stance-minilm-all"]
    for stage, name in zip(stages, names, strict=True):
        got = TrainingArguments.from_json(REPO / "configs" / f"{name}.json", data_root="/data").to_dict()
        keep = ("epochs", "learning_rate", "head_learning_rate", "eval_every", "patience", "batch_size")
        assert {k: got[k] for k in keep} == {k: stage[k] for k in keep}, name
        assert Path(got["output_dir"]).name == Path(stage["output_dir"]).name
        assert [(s["name"], s["split"], s["max_examples"]) for s in got["train"]] == [
            (s["name"], s["split"], s["max_examples"]) for s in stage["train"]
        ]


def _write(path: Path, d: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(d), encoding="utf-8")
    return path


def test_extends_deep_merges_over_a_chain(tmp_path: Path) -> None:
    _write(
        tmp_path / "base" / "a.json",
        {"epochs": 1, "seed": 1, "loader": {"x": 1, "y": {"p": 1, "q": 2}}, "train": [{"name": "a"}]},
    )
    _write(tmp_path / "base" / "b.json", {"extends": "a.json", "seed": 2, "loader": {"y": {"q": 3}}})
    child = _write(
        tmp_path / "exp" / "c.json", {"extends": "../base/b.json", "train": [{"name": "c"}], "loader": {"z": 0}}
    )
    assert load_config(child) == {
        "epochs": 1,
        "seed": 2,
        "loader": {"x": 1, "y": {"p": 1, "q": 3}, "z": 0},
        "train": [{"name": "c"}],
    }


def test_extends_a_list_merges_left_to_right(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", {"seed": 1, "epochs": 1})
    _write(tmp_path / "b.json", {"seed": 2, "patience": 9})
    child = _write(tmp_path / "c.json", {"extends": ["a.json", "b.json"], "epochs": 5})
    assert load_config(child) == {"seed": 2, "epochs": 5, "patience": 9}
    # a diamond (two parents sharing one) is no cycle
    _write(tmp_path / "d.json", {"extends": ["a.json", "c.json"]})
    assert load_config(tmp_path / "d.json")["epochs"] == 5


def test_extends_cycle_names_the_files(tmp_path: Path) -> None:
    _write(tmp_path / "a.json", {"extends": "b.json"})
    _write(tmp_path / "b.json", {"extends": "c.json"})
    _write(tmp_path / "c.json", {"extends": "a.json"})
    with pytest.raises(ValueError, match="cycle") as err:
        load_config(tmp_path / "a.json")
    assert all(f"{n}.json" in str(err.value) for n in "abc")
    _write(tmp_path / "self.json", {"extends": "self.json"})
    with pytest.raises(ValueError, match="cycle.*self.json -> .*self.json"):
        load_config(tmp_path / "self.json")


def test_extends_missing_parent_names_both_files(tmp_path: Path) -> None:
    _write(tmp_path / "child.json", {"extends": "nope/parent.json"})
    with pytest.raises(ValueError, match=r"child\.json extends .*nope/parent\.json, which does not exist"):
        load_config(tmp_path / "child.json")
    with pytest.raises(FileNotFoundError):  # the config itself missing: as before
        load_config(tmp_path / "absent.json")
    with pytest.raises(ValueError, match="'extends' must be"):
        load_config(_write(tmp_path / "bad.json", {"extends": 3}))


def test_relative_paths_resolve_against_the_file_that_writes_them(tmp_path: Path) -> None:
    _write(
        tmp_path / "base" / "v.json",
        {"validation": [{"name": "park2021", "data_dir": "../data/park"}], "init_model": "models/m"},
    )
    child = _write(
        tmp_path / "exp" / "run.json",
        {
            "extends": "../base/v.json",
            "output_dir": "out",
            "teacher_model": "/abs/teacher",
            "train": [{"name": "park2021", "data_dir": "../data/park"}],
        },
    )
    args = TrainingArguments.from_json(child)
    assert args.validation[0].data_dir == str((tmp_path / "data" / "park").resolve())
    assert args.train[0].data_dir == str((tmp_path / "data" / "park").resolve())
    assert args.init_model == str((tmp_path / "base" / "models" / "m").resolve())
    assert args.output_dir == str((tmp_path / "exp" / "out").resolve())
    assert args.teacher_model == "/abs/teacher"  # absolute paths stay as written


def test_data_root_from_argument_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _write(
        tmp_path / "c.json",
        {
            "output_dir": "o",
            "train": [{"name": "park2021", "data_dir": "${data_root}/park", "loader_kwargs": {"note": "${data_root}"}}],
        },
    )
    monkeypatch.delenv("STANCE_DATA_ROOT", raising=False)
    with pytest.raises(ValueError, match=r"--data-root DIR .*STANCE_DATA_ROOT") as err:
        TrainingArguments.from_json(cfg)
    assert "c.json" in str(err.value) and "${data_root}" in str(err.value)
    monkeypatch.setenv("STANCE_DATA_ROOT", str(tmp_path / "env"))
    assert TrainingArguments.from_json(cfg).train[0].data_dir == str((tmp_path / "env" / "park").resolve())
    got = TrainingArguments.from_json(cfg, data_root=tmp_path / "flag")
    assert got.train[0].data_dir == str((tmp_path / "flag" / "park").resolve())
    assert got.train[0].loader_kwargs == {"note": str((tmp_path / "flag").resolve())}
    monkeypatch.chdir(tmp_path)  # a relative data root is relative to the working directory
    relative = TrainingArguments.from_json(cfg, data_root="rel")
    assert relative.train[0].data_dir == str(tmp_path.resolve() / "rel" / "park")


def test_runs_variable_defaults_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = _write(tmp_path / "configs" / "c.json", {"output_dir": "${runs}/x", "init_model": "${runs}/y/best"})
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("STANCE_RUNS", raising=False)
    args = TrainingArguments.from_json(cfg)
    assert args.output_dir == str(work.resolve() / "runs" / "x")
    assert args.init_model == str(work.resolve() / "runs" / "y" / "best")
    monkeypatch.setenv("STANCE_RUNS", str(tmp_path / "r"))
    assert TrainingArguments.from_json(cfg).output_dir == str((tmp_path / "r" / "x").resolve())
    flag = TrainingArguments.from_json(cfg, runs_dir=tmp_path / "flag")
    assert flag.output_dir == str((tmp_path / "flag" / "x").resolve())


def test_unknown_variable_is_an_error(tmp_path: Path) -> None:
    cfg = _write(tmp_path / "c.json", {"output_dir": "${data}/x"})
    with pytest.raises(ValueError, match=r"unknown variable \$\{data\}.*\$\{data_root\}, \$\{runs\}"):
        load_config(cfg)
    cfg = _write(tmp_path / "d.json", {"output_dir": "x", "train": [{"name": "a", "data_dir": "${}/a"}]})
    with pytest.raises(ValueError, match=r"unknown variable \$\{\}"):
        load_config(cfg)


def test_config_must_be_an_object(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text("[1]", encoding="utf-8")
    with pytest.raises(ValueError, match="JSON object"):
        load_config(tmp_path / "list.json")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.json is not valid JSON"):
        load_config(tmp_path / "broken.json")


def test_train_and_validate_take_the_data_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import stance.training.trainer as trainer
    from stance.cli import main

    cfg = _write(
        tmp_path / "c.json",
        {
            "output_dir": "${runs}/x",
            "train": [{"name": "park2021", "data_dir": "${data_root}/park"}],
            "validation": [{"name": "park2021", "data_dir": "${data_root}/park", "split": "validation"}],
        },
    )
    monkeypatch.delenv("STANCE_DATA_ROOT", raising=False)
    for argv in (["train", str(cfg)], ["validate", str(tmp_path), "--config", str(cfg)]):
        with pytest.raises(SystemExit, match=r"uses \$\{data_root\} but no data root is set: pass --data-root DIR"):
            main(argv)
    seen: list[TrainingArguments] = []

    class FakeTrainer:
        def __init__(self, args: TrainingArguments) -> None:
            seen.append(args)

        def train(self, **kwargs: object) -> dict[str, object]:
            return {"best_score": 0.5, "history": []}

    monkeypatch.setattr(trainer, "Trainer", FakeTrainer)
    assert main(["train", str(cfg), "--data-root", str(tmp_path / "d"), "--runs-dir", str(tmp_path / "r")]) == 0
    assert seen[0].train[0].data_dir == str((tmp_path / "d" / "park").resolve())
    assert seen[0].output_dir == str((tmp_path / "r" / "x").resolve())
    assert json.loads(capsys.readouterr().out) == {"best_score": 0.5}
