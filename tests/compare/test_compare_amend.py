"""`kinerja compare` for amendments: --values, records outside a policy's period, the provisional figures
behind band-only changes, and the attribution of one overridden table cell (`iku_limits.upk_one.max`)."""
import csv
import io
import json

import pytest

from engine.policy.registry import DEFAULT
from engine.record import read_records
from tests.conftest import ROOT
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")

CORPUS = "corpus/kemenkeu_2024.jsonl"
KPPN = "examples/pk_2024_kppn_semarang_i.yaml"
DRAFT = "tests/fixtures/compare/draft_kmk_300_amendment"

BANDS_ONLY = """\
policy: bands_only
extends: kmk_300_2022
parameters:
  predikat_bands:
    type: bands
    value:
      - {label: Sangat Baik, over: 105}
      - {label: Baik, from: 90, to: 105}
      - {label: Cukup, from: 70, under: 90}
      - {label: Kurang, from: 50, under: 70}
      - {label: Buruk, under: 50}
    cite: Rancangan (hipotetis), predikat
    status: provisional
"""

CELL_ONLY = """\
policy: kmk_300_2024
extends: kmk_300_2022
parameters:
  iku_limits.upk_one.max:
    value: 18
    cite: KMK 2/KMK.01/2024 (hipotetis), batas IKU UPK One
    status: provisional
    note: A hypothetical amendment.
"""


def draft_folder(tmp_path, name, text):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "policy.yaml").write_text(text, encoding="utf-8")
    return folder


def test_values_compares_an_intermediate_value():
    r = run("compare", "--base", "kmk_300_2022", "--candidate", DRAFT, KPPN, "--values", "target_tahunan, nko",
            "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    assert doc["summary"]["outputs"]["values"] == ["target_tahunan"]
    values = {v["name"]: v for v in doc["records"][0]["values"]}
    assert values["target_tahunan[1a-N]"] == {"name": "target_tahunan[1a-N]", "base": "90", "candidate": "90",
                                              "delta": "0", "changed": False}
    assert sum(name.startswith("target_tahunan[") for name in values) == 11
    row = next(r for r in doc["summary"]["numeric"] if r["name"] == "target_tahunan")
    assert (row["count"], row["changed"]) == (11, 0)


def test_values_unknown_name_is_a_usage_error_with_a_suggestion():
    r = run("compare", "--base", "kmk_300_2022", "--candidate", DRAFT, KPPN, "--values", "target_tahuan")
    assert r.exit_code == 2
    assert r.output.splitlines()[-1] == ("Error: --values: kmk_300_2022 has no value 'target_tahuan'; "
                                         "did you mean 'target_tahunan'?")


def test_values_with_jobs_match_one_job():
    args = ("compare", "--base", "kmk_300_2022", "--candidate", DRAFT, CORPUS, "--values", "target_tahunan",
            "--format", "jsonl")
    assert run(*args, "--jobs", "2").output == run(*args).output


def test_records_outside_the_candidates_period_are_counted_and_marked():
    args = ("compare", "--base", "kmk_300_2022", "--candidate", "kmk_127_2026", CORPUS)
    text = run(*args).output.splitlines()
    assert text[3:5] == ["Records: 40 read, 40 compared, 0 could not be read; 40 changed",
                         "40 records outside kmk_127_2026's period (judged by it anyway)"]
    note = "reference date 2024-01-01 is outside kmk_127_2026's period (2026-01-01 → now)"
    first = text.index("Most changed records (top 10)")
    assert text[first + 2] == f"    ! {note}"
    doc = json.loads(run(*args, "--format", "json").output)
    assert doc["summary"]["outside_period"] == [{"policy": "kmk_127_2026", "records": 40}]
    assert {tuple(r["outside_period"]) for r in doc["records"]} == {(note,)}
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").output)))
    outside = [r for r in rows if r["kind"] == "outside-period"]
    assert len(outside) == 40 and (outside[0]["name"], outside[0]["message"]) == ("kmk_127_2026", note)
    first_line = json.loads(run(*args, "--format", "jsonl").output.splitlines()[0])
    assert first_line["record"]["outside_period"] == [note]
    markdown = run(*args, "--format", "markdown").output.splitlines()
    assert "- **40 records outside kmk_127_2026's period** (judged by it anyway)" in markdown
    assert f"- Outside the period: {note}" in markdown
    assert ('<p class="note">40 records outside kmk_127_2026&#x27;s period (judged by it anyway)</p>'
            in run(*args, "--format", "html").output)


def test_records_in_both_periods_are_not_flagged():
    doc = json.loads(run("compare", "--base", "kmk_300_2022", "--candidate", DRAFT, CORPUS, "--format", "json").output)
    assert doc["summary"]["outside_period"] == []
    assert all(r["outside_period"] == [] for r in doc["records"])


def test_band_change_names_only_the_bands_as_provisional(tmp_path):
    folder = draft_folder(tmp_path, "bands_only", BANDS_ONLY)
    text = run("compare", "--base", "kmk_300_2022", "--candidate", folder, CORPUS).output
    assert "      8 of 8     changed predikat: parameter predikat_bands" in text
    block = text.split("Provisional figures behind the differences\n", 1)[1].split("\n\n", 1)[0]
    assert block == "  predikat_bands: provisional, changed by the candidate; 8 of 8 changed records depend on it"
    doc = json.loads(run("compare", "--base", "kmk_300_2022", "--candidate", folder, CORPUS, "--format", "json").output)
    assert {tuple(r["provisional"]) for r in doc["records"] if r["changed"]} == {("predikat_bands",)}


def test_band_change_without_attribution_lists_the_whole_outcome(tmp_path):
    folder = draft_folder(tmp_path, "bands_only", BANDS_ONLY)
    doc = json.loads(run("compare", "--base", "kmk_300_2022", "--candidate", folder, CORPUS, "--format", "json",
                         "--no-attribution").output)
    names = [note.split(":")[0] for note in doc["summary"]["provisional"]]
    assert names == ["capaian_decimals", "capaian_max", "capaian_min", "conversion_120", "default_consolidation",
                     "nko_decimals", "periode_sampai", "perspective_weights", "predikat_bands", "stabilize_scale"]


def test_one_overridden_cell_is_named_by_attribution(tmp_path):
    folder = draft_folder(tmp_path, "kmk_300_2024", CELL_ONLY)
    # independently: the corpus's UPK One records with 19–20 IKU, which the lower maximum (18) now fails
    base = DEFAULT.load("kmk_300_2022")
    results = [base.evaluate(r, names=["level", "iku_utama"]).values for r in read_records(CORPUS)]
    assert sum(v["level"] == "upk_one" and 19 <= len(v["iku_utama"]) <= 20 for v in results) == 4

    args = ("compare", "--base", "kmk_300_2022", "--candidate", folder, CORPUS)
    doc = json.loads(run(*args, "--format", "json").output)
    s = doc["summary"]
    assert (s["records"], s["changed"]) == (40, 4)
    assert [(f["rule"], f["records"]) for f in s["new_failures"]] == [("pk-iku-count", 4)]
    assert s["attribution"] == [{"change": "parameter iku_limits.upk_one.max", "explains": 4, "of": 4,
                                 "what": "new violations"}]
    effective = [c for c in s["changes"] if c["effective"]]
    assert [(c["label"], c["details"][0]) for c in effective] == [(
        "parameter iku_limits.upk_one.max",
        "value.upk_one.max: 20 → 18 (cite: KMK 2/KMK.01/2024 (hipotetis), batas IKU UPK One; provisional: "
        "A hypothetical amendment.)")]
    assert {tuple(r["attribution"]) for r in doc["records"] if r["changed"]} == \
        {("new pk-iku-count: parameter iku_limits.upk_one.max",)}
    text = run(*args).output
    assert "      4 of 4     new violations: parameter iku_limits.upk_one.max\n" in text


def test_two_overridden_cells_are_listed_with_their_table():
    doc = json.loads(run("compare", "--base", "kmk_300_2022", "--candidate", DRAFT, CORPUS, "--format",
                         "json").output)
    labels = [c["label"] for c in doc["summary"]["changes"] if c["section"] == "parameter"]
    assert labels[0] == "parameter iku_limits (upk_three.min, upk_three.max)"
    assert "parameter predikat_bands" in labels   # band rows are the table's own change: no cells named


def test_readme_walkthrough_outputs_are_real(tmp_path):
    """The README's "Writing an amendment" commands print what it shows (its `...` lines elide)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Writing an amendment", 1)[1].split("\n## ", 1)[0]
    blocks = section.split("```")[1::2]
    draft = blocks[0].split("\n", 1)[1]   # the ```yaml block
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    draft_folder(drafts, "kmk_300_2024", draft)
    for block in blocks[1:]:
        command, *shown = block.strip("\n").splitlines()
        args = command.removeprefix("$ kinerja ").split()
        args = [str(drafts) if a == "drafts" else a for a in args]
        out = run(*args).output.replace(str(drafts), "drafts")
        for line in shown:
            if line != "...":
                assert line in out.splitlines(), (command, line)
