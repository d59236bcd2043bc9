"""One CLI: every tool under ``stance …``, the ``python -m`` forms kept as aliases, ``stance bench``."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from stance.cli import COMMANDS, main

REPO = Path(__file__).resolve().parents[1]
ALIASES = {  # command -> the module whose main() is the older `python -m` form
    "calibrate": "stance.training.calibrate",
    "temperature": "stance.training.temperature",
    "silver": "stance.data.silver",
    "export": "stance.training.export",
    "train": "stance.training.cli",
    "soup": "stance.training.soup",
}


def test_help_lists_every_command_with_its_help_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for name, (_, help_text) in COMMANDS.items():
        assert f"{name} {help_text}" in text, name
    assert {"calibrate", "export", "temperature", "silver", "bench"} <= set(COMMANDS)


@pytest.mark.parametrize(
    "argv", [[c] for c in COMMANDS] + [["export", "weights"], ["export", "card"]], ids=lambda a: " ".join(a)
)
def test_every_command_help_exits_zero(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: stance {' '.join(argv)}")


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys\nfrom stance.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in ('torch', 'transformers', 'numpy', 'spacy', 'datasets') "
        "if m in sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert proc.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("command", sorted(ALIASES))
def test_python_m_alias_parses_like_the_command(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = {
        "calibrate": ["--model", "m", "--data-dir", "d", "--aggregator", "--persent-dir", "p", "--max-articles", "3"],
        "temperature": ["--model", "m", "--data-root", "d", "--write", "--max-rows", "5"],
        "silver": ["--seesaw", "s", "--park", "p", "--out", "o"],
        "export": ["weights", "--run", "r", "--out", "o", "--command", "a", "--command", "b"],
        "train": ["c.json", "--max-steps", "4", "--data-root", "d", "--resume"],
        "soup": ["a", "b", "--out", "o", "--greedy", "--validate", "c.json"],
    }[command]
    module = importlib.import_module(ALIASES[command])
    seen: list[dict[str, object]] = []
    monkeypatch.setattr(module, "run", lambda args: seen.append(vars(args)) or 0)
    monkeypatch.setattr("logging.basicConfig", lambda **kw: None)
    assert module.main(argv) == 0
    assert main([command, *argv]) == 0
    alias, cli = seen
    assert alias == {k: v for k, v in cli.items() if k not in ("_module", "_command", "verbose")}


def test_calibrate_reports_bad_input_with_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import stance.training.calibrate as calibrate

    def refuse(*args: object, **kwargs: object) -> None:
        raise ValueError("no SEESAW articles in d")

    monkeypatch.setattr(calibrate, "calibrate_model", refuse)
    monkeypatch.setattr("logging.basicConfig", lambda **kw: None)
    for run in (calibrate.main, lambda argv: main(["calibrate", *argv])):
        assert run(["--model", "m", "--data-dir", "d"]) == 2
        assert "error: no SEESAW articles in d" in capsys.readouterr().err


# ---- stance classify --precision -------------------------------------------------------


def test_classify_precision_reaches_the_result(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Qatar warned against military escalation. Israel urges action against Iran.", encoding="utf-8")
    base = ["classify", str(article), "--model", str(tiny_model_dir), "--format", "json"]
    assert main([*base, "--precision", "bf16"]) == 0
    assert json.loads(capsys.readouterr().out)["meta"]["precision"] == "bf16"
    assert main(base) == 0
    assert json.loads(capsys.readouterr().out)["meta"]["precision"] == "fp32"  # the model's (the tiny one: fp32)
    with pytest.raises(SystemExit) as exit_:
        main([*base, "--precision", "fp16"])
    assert exit_.value.code == 2
    assert "invalid choice: 'fp16' (choose from 'fp32', 'bf16', 'auto')" in capsys.readouterr().err


# ---- stance bench ---------------------------------------------------------------------


def test_bench_list_finds_the_scripts(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO / "stance")  # a folder inside the checkout: found by walking up
    assert main(["bench", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines]
    expected = sorted(p.stem for p in (REPO / "benchmarks").glob("*.py") if not p.name.startswith("_"))
    assert names == expected and "speed" in names and "run_all" in names
    speed = next(line for line in lines if line.startswith("speed "))
    assert "Throughput of ``classify``" in speed  # the script's one-line docstring


def test_bench_unknown_name_lists_the_choices(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    assert main(["bench", "no-such-bench"]) == 2
    err = capsys.readouterr().err
    assert "no benchmark 'no-such-bench'" in err and "choose one of" in err and "speed" in err and "run_all" in err
    assert main(["bench"]) == 2
    assert "name a benchmark" in capsys.readouterr().err


def _fake_checkout(root: Path) -> Path:
    (root / "stance").mkdir(parents=True)
    (root / "stance" / "__init__.py").write_text("", encoding="utf-8")
    (root / "benchmarks").mkdir()
    (root / "benchmarks" / "echo.py").write_text(
        '"""Write my arguments to argv.json.\n\nMore text."""\n'
        "import json, sys\n"
        "from pathlib import Path\n"
        "Path('argv.json').write_text(json.dumps(sys.argv[1:]))\n"
        "sys.exit(3 if '--fail' in sys.argv else 0)\n",
        encoding="utf-8",
    )
    (root / "benchmarks" / "_helper.py").write_text("", encoding="utf-8")
    return root


def test_bench_runs_the_script_with_args_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _fake_checkout(tmp_path / "checkout")
    monkeypatch.chdir(root)
    assert main(["bench", "--list"]) == 0
    assert capsys.readouterr().out == "echo  Write my arguments to argv.json.\n"  # _helper.py is no benchmark
    args = ["--n", "5", "--list", "a b", "-v", "--help"]
    assert main(["bench", "echo", *args]) == 0
    assert json.loads((root / "argv.json").read_text(encoding="utf-8")) == args
    assert main(["bench", "echo.py", "--fail"]) == 3  # the script's exit status


def test_bench_outside_a_checkout_says_where_benchmarks_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import stance

    monkeypatch.chdir(tmp_path)
    # an installed wheel: the package sits in site-packages, with no benchmarks/ beside it
    monkeypatch.setattr(stance, "__file__", str(tmp_path / "site-packages" / "stance" / "__init__.py"))
    assert main(["bench", "--list"]) == 2
    err = capsys.readouterr().err
    assert "scripts in the stance source repository" in err and "clone" in err
    assert main(["bench", "speed"]) == 2


def test_bench_script_runs_as_before() -> None:
    # benchmarks stay scripts: `python benchmarks/NAME.py` and `stance bench NAME` run the same file
    proc = subprocess.run(
        [sys.executable, "-m", "stance.cli", "bench", "render", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("usage: render.py")
