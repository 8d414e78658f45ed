"""The package's layering, read from the source: which parts of engine/ may import which.

Every import statement of every module under engine/ and of cli.py counts, including imports
inside functions; relative imports are resolved. The layers (DESIGN.md, "Layout"):
- engine/lang/ (the expression language) knows nothing of policies, comparisons, reports or the CLI;
- engine/report/ (renderers) knows nothing of the CLI;
- engine/synthetic/ (the generated corpus) imports nothing else from engine, and only
  engine/commands/generate.py uses it (benchmarks and tests may too);
- no two engine modules import each other, directly or through others.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Known cycles being removed on other branches of this wave; the lead deletes each at merge.
# report/compare.py ↔ report/compare_html.py: the compare-split helper is untangling them.


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    files = sorted((ROOT / "engine").rglob("*.py")) + [ROOT / "cli.py"]
    return {_module_name(f): f for f in files}


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The engine modules `name` imports anywhere in its file, as dotted names."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # `from engine.report import check` imports the module engine.report.check
            found.update(f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source
                         for a in node.names)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _violations(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{m} imports {t}" for m, targets in sorted(GRAPH.items()) if _in(m, layer)
            for t in sorted(targets) if any(_in(t, f) for f in forbidden)]


def test_the_graph_sees_relative_and_function_level_imports():
    assert "engine.display" in GRAPH["engine.report.check"]          # from ..display import …
    assert "engine.report.check" in GRAPH["engine.commands.check"]   # from ..report import check
    assert "engine.commands" in GRAPH["cli"]


def test_the_language_knows_nothing_of_policies_comparisons_reports_or_the_cli():
    assert _violations("engine.lang", ("engine.policy", "engine.compare", "engine.report", "engine.commands")) == []


def test_renderers_know_nothing_of_the_cli():
    assert _violations("engine.report", ("engine.commands",)) == []


def test_the_synthetic_corpus_stands_alone():
    others = tuple(m for m in MODULES if _in(m, "engine") and not _in(m, "engine.synthetic") and m != "engine")
    assert _violations("engine.synthetic", others) == []
    assert not [m for m, targets in GRAPH.items() if _in(m, "engine.synthetic") and "engine" in targets]
    users = sorted(m for m, targets in GRAPH.items()
                   if not _in(m, "engine.synthetic") and any(_in(t, "engine.synthetic") for t in targets))
    assert users == ["engine.commands.generate"]


def _cycle_from(start: str) -> list[str] | None:
    """A shortest import path from `start` back to itself."""
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for m in frontier:
            for t in sorted(GRAPH[m]):
                if t == start:
                    return paths[m] + [t]
                if t not in paths:
                    paths[t] = paths[m] + [t]
                    following.append(t)
        frontier = following
    return None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_cycle(module):
    cycle = _cycle_from(module)
    assert cycle is None, "import cycle: " + " → ".join(cycle)
