"""`-o FILE` on every command that writes a report: the format follows FILE's extension unless
--format is given; a --format that contradicts the extension, or an extension naming a format the
command cannot write, is a usage error (exit 2, nothing written); an unknown extension writes text
with a note on standard error (engine/commands/options.py)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from engine.commands.options import extension, report_format
from tests.conftest import EXAMPLES, run_cli

GOOD = EXAMPLES / "pk_2024_kppn_semarang_i.yaml"


@pytest.mark.parametrize("name, ext", [("r.json", ".json"), ("R.HTML", ".html"), ("scan.sarif.json", ".sarif.json"),
                                       ("a.b/report", ""), ("x.tar.xml", ".xml")])
def test_extension(name, ext):
    assert extension(name) == ext


@pytest.mark.parametrize("fmt, output, expected", [
    (None, None, "text"), ("json", None, "json"), (None, "-", "text"),
    (None, "r.json", "json"), (None, "r.md", "markdown"), (None, "r.sarif", "sarif"), (None, "r.xml", "junit"),
    (None, "r.txt", "text"), ("sarif", "scan.json", "sarif"), ("github", "annotations.txt", "github"),
    ("json", "r.out", "json"),
])
def test_report_format(fmt, output, expected):
    assert report_format(fmt, output, ["text", "json", "markdown", "sarif", "junit", "github"]) == expected


def test_check_infers_each_format_from_the_extension(tmp_path):
    for name in ("r.json", "r.sarif", "r.xml", "r.txt"):
        assert run_cli("check", "--policy", "auto", "-o", tmp_path / name, GOOD).exit_code == 0
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["summary"]["passed"] == 1
    assert json.loads((tmp_path / "r.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert ET.parse(tmp_path / "r.xml").getroot().tag == "testsuites"
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").startswith(f"PASS  {GOOD}  (kmk_300_2022)\n")


def test_check_writes_a_workbook_for_xlsx(tmp_path):
    assert run_cli("check", "--policy", "auto", "-o", tmp_path / "r.xlsx", GOOD).exit_code == 0
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"


def test_compare_infers_html_and_markdown(tmp_path):
    for name in ("c.html", "c.md"):
        r = run_cli("compare", "--base", "kmk_467_2014", "--candidate", "kmk_300_2022", "--no-attribution",
                    "-o", tmp_path / name, GOOD)
        assert r.exit_code == 0, r.output
    assert (tmp_path / "c.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "c.md").read_text(encoding="utf-8").startswith("# ")


@pytest.mark.parametrize("args, name", [
    (["diff", "kmk_300_2022", "kmk_127_2026"], "d.json"),
    (["provenance", "kmk_300_2022"], "p.json"),
    (["test", "kmk_467_2014"], "t.json"),
    (["explain", "--policy", "kmk_300_2022", GOOD, "--value", "nko"], "e.json"),
])
def test_every_report_command_writes_json_for_a_json_file(tmp_path, args, name):
    r = run_cli(*args, "-o", tmp_path / name)
    assert r.exit_code in (0, 1), r.output
    assert r.output == ""
    json.loads((tmp_path / name).read_text(encoding="utf-8"))


def test_policies_and_validate_write_to_files(tmp_path):
    assert run_cli("policies", "-o", tmp_path / "p.json").exit_code == 0
    assert "kmk_300_2022" in [p["id"] for p in json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))]
    r = run_cli("validate", "kmk_467_2014", "--no-tests", "-o", tmp_path / "v.txt")
    assert (r.exit_code, r.output) == (0, "")
    assert (tmp_path / "v.txt").read_text(encoding="utf-8").startswith("OK  kmk_467_2014: ")
    r = run_cli("validate", "kmk_467_2014", "-o", tmp_path / "v.json")
    assert r.exit_code == 2
    assert r.output.splitlines()[-1] == f"Error: -o {tmp_path / 'v.json'}: this command cannot write json (.json); " \
                                        "its formats are text"


def test_diff_writes_markdown_for_md(tmp_path):
    assert run_cli("diff", "kmk_300_2022", "kmk_127_2026", "-o", tmp_path / "d.md").exit_code == 1
    assert (tmp_path / "d.md").read_text(encoding="utf-8").startswith("# ")


def test_a_format_contradicting_the_extension_is_refused(tmp_path):
    r = run_cli("check", "--policy", "auto", "--format", "json", "-o", tmp_path / "r.html", GOOD)
    assert r.exit_code == 2
    assert r.output.splitlines()[-1] == (f"Error: -o {tmp_path / 'r.html'}: the extension .html means --format html, "
                                         "but --format json was given; drop --format, or give a file ending in .json")
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("args, name, message", [
    (["check", "--policy", "auto", GOOD], "r.html", "this command cannot write html (.html); its formats are "
                                                    "text, json, sarif, junit, github, xlsx"),
    (["provenance", "kmk_300_2022"], "p.md", "this command cannot write markdown (.md); its formats are text, json"),
    (["compare", "--base", "kmk_467_2014", "--candidate", "kmk_300_2022", GOOD], "c.xml",
     "this command cannot write junit (.xml); its formats are text, json, jsonl, csv, markdown, html, xlsx"),
])
def test_an_extension_the_command_cannot_write_is_refused(tmp_path, args, name, message):
    r = run_cli(*args, "-o", tmp_path / name)
    assert r.exit_code == 2
    assert r.output.splitlines()[-1] == f"Error: -o {tmp_path / name}: {message}"
    assert not (tmp_path / name).exists()


def test_an_unknown_extension_writes_text_with_a_note(tmp_path):
    target = tmp_path / "report.out"
    r = run_cli("check", "--policy", "auto", "-o", target, GOOD)
    assert r.exit_code == 0
    assert r.output == (f"note: -o {target} has extension '.out'; writing text (give --format to choose one of "
                        "text, json, sarif, junit, github, xlsx)\n")
    assert target.read_text(encoding="utf-8").startswith("PASS  ")


def test_no_extension_is_noted_too(tmp_path):
    target = tmp_path / "report"
    r = run_cli("provenance", "kmk_300_2022", "-o", target)
    assert r.output == f"note: -o {target} has no extension; writing text (give --format to choose one of text, json)\n"
    assert target.read_text(encoding="utf-8").startswith("Provenance of kmk_300_2022 ")
