"""Every docstring example in the package runs (examples marked ``# doctest: +SKIP`` load shipped models or
read files that a test machine may not have)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import stance


def _modules() -> list[str]:
    skip = ("stance.resources", "stance.__main__", "stance.training.__main__")
    return [m.name for m in pkgutil.walk_packages(stance.__path__, "stance.") if not m.name.startswith(skip)]


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=False)
    assert result.failed == 0, (
        f"{result.failed} of {result.attempted} examples in {name} failed (run it verbosely: "
        f"python -m doctest -v {module.__file__})"
    )


def test_the_package_has_examples() -> None:
    finder = doctest.DocTestFinder()
    examples = sum(len(t.examples) for name in _modules() for t in finder.find(importlib.import_module(name)))
    assert examples > 200
