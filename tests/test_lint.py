"""The repository is ruff-clean: the lint rules and formatting of pyproject.toml's ``[tool.ruff]``.

``pip install -e ".[dev]"`` installs ruff."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
RUFF = shutil.which("ruff")


@pytest.mark.skipif(RUFF is None, reason="ruff is not installed (pip install -e '.[dev]')")
@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]], ids=["check", "format"])
def test_ruff_is_clean(command: list[str]) -> None:
    done = subprocess.run([RUFF, *command], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (
        f"ruff {' '.join(command)} found problems (fix: ruff {command[0]} --fix . / ruff format .):\n"
        + done.stdout[-3000:]
    )
