"""The package's layer rules, checked on the source so they cannot silently break again.

* Inference (``api``, ``pipeline``, ``actors``, ``targets``, ``models``, ``aggregate``,
  ``cues``, ``results``, ``text``…) never imports ``stance.data``, ``stance.training`` or
  ``stance.evaluation``: ``pip install stance`` stays lean and starts fast.
* ``results`` depends on nothing else in the package; ``models`` knows nothing of actors or
  articles.
* No import cycles between the package's modules.

Every ``import`` counts, at module level or inside a function (a lazy import is still a
dependency), except those under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "stance"
OFF_LIMITS_FOR_INFERENCE = ("stance.data", "stance.training", "stance.evaluation")
NOT_INFERENCE = (
    "stance.data",
    "stance.training",
    "stance.evaluation",
    "stance.commands",
    "stance.cli",
    "stance.__main__",
    "stance.distributed",
)


def _modules() -> dict[str, Path]:
    out = {}
    for f in ROOT.rglob("*.py"):
        parts = list(f.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = f
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    """The package module ``name`` lives in (``stance.data.load_dataset_dir`` -> ``stance.data``)."""
    while name and name not in MODULES:
        name = name.rsplit(".", 1)[0] if "." in name else ""
    return name or None


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skip.update(id(n) for n in ast.walk(child))
    return skip


def imports_of(module: str) -> set[str]:
    """The package modules ``module`` imports (lazy imports included, TYPE_CHECKING excluded)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        for name in names:
            if name == "stance" or name.startswith("stance."):
                target = _resolve(name)
                if target and target != module:
                    found.add(target)
    return found


GRAPH = {m: imports_of(m) for m in MODULES}


def _inference(module: str) -> bool:
    return not any(module == p or module.startswith(p + ".") for p in NOT_INFERENCE)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _inference(m)))
def test_inference_never_imports_data_training_or_evaluation(module):
    bad = sorted(t for t in GRAPH[module] if any(t == p or t.startswith(p + ".") for p in OFF_LIMITS_FOR_INFERENCE))
    assert not bad, f"{module} imports {bad}; inference must not depend on data, training or evaluation"


def test_results_depend_on_nothing_in_the_package():
    assert GRAPH["stance.results"] <= {"stance"}, GRAPH["stance.results"]


def test_models_know_nothing_of_actors_or_articles():
    for module in (m for m in MODULES if m.startswith("stance.models")):
        bad = sorted(
            t
            for t in GRAPH[module]
            if t.startswith(("stance.actors", "stance.pipeline", "stance.api", "stance.targets"))
        )
        assert not bad, f"{module} imports {bad}"


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
