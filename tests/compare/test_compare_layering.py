"""Layering of `kinerja compare`: the engine side never imports a renderer, and each renderer format
imports only the shared report modules and its own format's modules (read from the source with `ast`)."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "engine" / "report"
COMPARE = ROOT / "engine" / "compare"

SHARED = {"compare_data", "compare_values"}           # the report document and how its values read
FORMAT = {"compare_text": "text", "compare_markdown": "markdown", "compare_html": "html",
          "compare_html_markup": "html", "compare_html_records": "html", "compare_charts": "html",
          "compare_xlsx": "xlsx"}
SINKS = "compare_sinks"                                # picks a renderer per format: may import all of them


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imports(path: Path) -> set[str]:
    """The modules `path` imports, absolute (`from . import x` counts as module `package.x`)."""
    package = _module(path).rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = (f"{base}.{node.module}" if node.module else base) if node.level else node.module
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
    return found


def compare_report_modules() -> list[Path]:
    return sorted(REPORT.glob("compare_*.py"))


def report_siblings(path: Path) -> set[str]:
    """The compare report modules that `path` imports, by short name."""
    names = {p.stem for p in compare_report_modules()}
    return {m.rsplit(".", 1)[1] for m in imports(path) if m.startswith("engine.report.")} & names


def test_every_compare_report_module_has_a_place():
    assert {p.stem for p in compare_report_modules()} == SHARED | set(FORMAT) | {SINKS}


@pytest.mark.parametrize("path", compare_report_modules(), ids=lambda p: p.stem)
def test_each_compare_report_module_imports_on_its_own(path):
    assert importlib.import_module(_module(path)).__doc__


@pytest.mark.parametrize("name", sorted(SHARED))
def test_shared_report_modules_import_no_renderer(name):
    assert report_siblings(REPORT / f"{name}.py") <= SHARED - {name}


@pytest.mark.parametrize("name", sorted(FORMAT))
def test_a_renderer_imports_only_shared_modules_and_its_own_format(name):
    allowed = SHARED | {other for other, fmt in FORMAT.items() if fmt == FORMAT[name] and other != name}
    assert report_siblings(REPORT / f"{name}.py") <= allowed


def test_only_the_command_imports_the_sinks():
    for path in compare_report_modules():
        assert SINKS not in report_siblings(path)
    assert "engine.report.compare_sinks" in imports(ROOT / "engine" / "commands" / "compare.py")


def test_compare_report_modules_form_no_cycle():
    graph = {p.stem: report_siblings(p) for p in compare_report_modules()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join(path + (name,))
        if name not in done:
            for other in graph[name]:
                visit(other, path + (name,))
            done.add(name)

    for name in graph:
        visit(name, ())


@pytest.mark.parametrize("path", sorted(COMPARE.glob("*.py")), ids=lambda p: p.stem)
def test_the_compare_engine_imports_nothing_from_report(path):
    assert not {m for m in imports(path) if m == "engine.report" or m.startswith("engine.report.")}


def test_imports_resolves_relative_imports():
    found = imports(REPORT / "compare_sinks.py")
    assert {"engine.compare", "engine.report.compare_data", "engine.report.compare_html", "json"} <= found
