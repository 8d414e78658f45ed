"""The `kinerja compare` HTML report: self-contained, escaped, exact (golden file), and rendered by a
real browser when one is installed (screenshot, and the sort script run on the loaded page).

Set KINERJA_UPDATE_GOLDEN=1 to rewrite tests/golden/compare_report.html after an intended change."""
from __future__ import annotations

import copy
import fnmatch
import json
import re
import shutil
import struct
import subprocess
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from engine.report.compare_charts import histogram
from engine.report.compare_html import render_html
from tests.conftest import ROOT, golden

EVIL = '<script>alert("x")</script> & Co'
LABELS = ["Sangat Baik", "Baik", "Cukup", "missing"]


def _record(label, source, nko, predikat, changed=True, line=None, items=(), appeared=(), disappeared=(),
            attribution=(), provisional=()):
    (nb, nc), (pb, pc) = nko, predikat
    delta = None if nb is None or nc is None else format(Decimal(nc) - Decimal(nb), "f")
    values = [{"name": "nko", "base": nb, "candidate": nc, "delta": delta, "changed": nb != nc},
              {"name": "predikat", "base": pb, "candidate": pc, "delta": None, "changed": pb != pc}]
    values += [{"name": f"capaian_tahunan[{k}]", "base": b, "candidate": c, "delta": d,
                "changed": b is None or c is None or Decimal(b) != Decimal(c)} for k, b, c, d in items]
    return {"source": source, "line": line, "label": label, "changed": changed, "values": values,
            "appeared": list(appeared), "disappeared": list(disappeared), "attribution": list(attribution),
            "provisional": list(provisional)}


IKU_COUNT = {"rule": "pk-iku-count", "severity": "error", "message": "12 IKU; batas untuk upk_three adalah 10-11",
             "path": None}
QUALITATIVE = {"rule": "iku-target-kuantitatif", "severity": "warning",
               "message": 'target "baik" <bukan angka>', "path": "iku[3]"}

SAMPLE = {
    "base": {"id": "kmk_467_2014", "title": "Pengelolaan Kinerja di Lingkungan Kementerian Keuangan",
             "instrument": "KMK 467/KMK.01/2014"},
    "candidate": {"id": "kmk_300_2022", "title": "Manajemen Kinerja di Lingkungan Kementerian Keuangan",
                  "instrument": "KMK 300/KMK.01/2022"},
    "summary": {
        "records": 6, "compared": 5, "errors": 1, "changed": 4,
        "outputs": {"common": ["capaian_tahunan", "nko", "predikat"], "only_base": [],
                    "only_candidate": ["nilai_ss"]},
        "numeric": [
            {"name": "capaian_tahunan", "per_item": True, "count": 7, "changed": 3, "missing_base": 0,
             "missing_candidate": 1, "mean": "-1.1571428571", "median": "0.00", "median_exact": True,
             "min": "-10.30", "max": "2.20"},
            {"name": "nko", "per_item": False, "count": 4, "changed": 3, "missing_base": 0, "missing_candidate": 1,
             "mean": "-0.6225", "median": "0.655", "median_exact": True, "min": "-4.48", "max": "1.85"}],
        "transitions": [{"name": "predikat", "per_item": False, "rows": LABELS, "columns": LABELS,
                         "counts": [[1, 1, 0, 0], [0, 2, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0]]}],
        "new_failures": [{"rule": "pk-iku-count", "title": "Jumlah IKU sesuai level UPK", "records": 1,
                          "violations": 1}],
        "resolved_failures": [{"rule": "iku-target-kuantitatif", "title": "Target IKU kuantitatif", "records": 1,
                               "violations": 1}],
        "attribution": [{"change": "parameter iku_limits", "explains": 1, "of": 1, "what": "new violations"},
                        {"change": "parameter predikat_bands", "explains": 1, "of": 2, "what": "changed predikat"}],
        "changes": [{"section": "parameter", "id": "iku_limits", "kind": "changed", "label": "parameter iku_limits",
                     "details": ["value: upk_three max 20 \u2192 11"], "separable": True, "effective": True,
                     "provisional": False},
                    {"section": "rule", "id": "pk-iku-count", "kind": "changed", "label": "rule pk-iku-count",
                     "details": ["cite: KMK 467/2014 \u2192 KMK 300/2022"], "separable": True, "effective": False,
                     "provisional": False}],
        "provisional": ["predikat_bands (provisional, differs between the policies): 2 of 4 changed records "
                        "depend on it"],
    },
    "records": [
        _record("KPPN Semarang I 2024", "examples/kppn_semarang_i.yaml", ("104.48", "100.00"),
                ("Sangat Baik", "Baik"), items=[("1a-N", "110.30", "100.00", "-10.30"), ("2a-N", "100", "100", "0")],
                attribution=["predikat: parameter predikat_bands"], provisional=["predikat_bands"]),
        _record(EVIL, "corpus.jsonl", ("91.20", "93.05"), ("Baik", "Baik"), line=2,
                items=[("1a-N", "97.80", "100.00", "2.20")], appeared=[IKU_COUNT],
                attribution=["nko: parameter capaian_max", "new pk-iku-count: parameter iku_limits"]),
        _record("Kanwil DJPb Jateng 2024", "corpus.jsonl", ("95.00", None), ("Baik", "missing"), line=3,
                items=[("1a-N", "95.00", None, None)], disappeared=[QUALITATIVE], provisional=["capaian_max"]),
        _record("KPPN Kudus 2024", "corpus.jsonl", ("90.00", "90.90"), ("Baik", "Baik"), line=4,
                items=[("1a-N", "90.00", "91.00", "1.00")],
                attribution=["nko: parameter capaian_max", "capaian_tahunan[1a-N]: parameter capaian_max"]),
        _record("KPPN Pati 2024", "corpus.jsonl", ("101.00", "101.00"), ("Sangat Baik", "Sangat Baik"), line=5,
                changed=False, items=[("1a-N", "101.00", "101.00", "0.00")]),
    ],
    "records_shown": "all",
    "made": {"kinerja": "0.0.0-test", "date": "2026-12-01",
             "inputs": [{"path": "examples/kppn_semarang_i.yaml", "records": 1},
                        {"path": "corpus.jsonl", "records": 5}],
             "policies": [{"role": "base", "id": "kmk_467_2014", "ref": "kmk_467_2014",
                           "files": ["policies/kmk_467_2014/policy.yaml"]},
                          {"role": "candidate", "id": "kmk_300_2022", "ref": "kmk_300_2022",
                           "files": ["policies/kmk_300_2022/policy.yaml"]}],
             "options": ["--format html", "--top 5"]},
    "errors": [{"source": "examples/invalid/bad_year.yaml", "line": 4, "column": 7,
                "message": "year: 'dua ribu' is not of type 'integer'"}],
}


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(SAMPLE)


def _section(page: str, anchor: str) -> str:
    return re.search(rf'<section id="{anchor}">(.*?)</section>', page, re.S).group(1)


def test_the_page_is_self_contained(page):
    assert page.startswith("<!DOCTYPE html>")
    assert re.search(r"https?:", page, re.I) is None
    for external in ("<link", "src=", "@import", "url(", "@font-face", "<iframe", "<img"):
        assert external not in page
    assert page.count("<style>") == 1 and page.count("<script>") == 1
    assert "<svg" in page and "<title>kinerja compare: kmk_467_2014 \u2192 kmk_300_2022</title>" in page


def test_policies_and_summary_counts(page):
    assert '<div class="id">kmk_467_2014</div>' in page and '<div class="instrument">KMK 300/KMK.01/2022</div>' in page
    tiles = re.findall(r'<div class="n">(\d+)</div><div class="k">([^<]+)</div>', page)
    assert tiles == [("6", "Records"), ("5", "Compared"), ("4", "Changed"), ("1", "Unchanged"),
                     ("1", "Could not compare")]
    summary = _section(page, "summary")
    assert "Outputs only in the candidate (not compared): <code>nilai_ss</code>" in summary
    assert ('<tr><th scope="row"><code>nko</code></th><td class="num">4</td><td class="num">3</td>'
            '<td class="num">0 / 1</td><td class="num"><span class="delta down">-0.6225</span></td>'
            '<td class="num"><span class="delta up">+0.655</span></td>'
            '<td class="num"><span class="delta down">-4.48</span></td>'
            '<td class="num"><span class="delta up">+1.85</span></td></tr>') in summary


def test_transition_matrix_prints_every_count_and_marks_the_diagonal(page):
    matrix = _section(page, "transitions")
    cells = re.findall(r'<td class="(cell[^"]*)"[^>]*title="([^"]*)">(\d+)</td>', matrix)
    assert [int(n) for _, _, n in cells] == [n for row in SAMPLE["summary"]["transitions"][0]["counts"] for n in row]
    diagonal = [title for cls, title, _ in cells if "diag" in cls.split()]
    assert diagonal == ["Sangat Baik \u2192 Sangat Baik: 1 record", "Baik \u2192 Baik: 2 records",
                        "Cukup \u2192 Cukup: 0 records", "missing \u2192 missing: 0 records"]
    assert ("cell", "Baik \u2192 missing: 1 record", "1") in cells
    assert "<code>predikat</code>: 2 of 5 records changed label" in matrix
    # shaded by count: the largest cell is the darkest; empty cells are not shaded
    assert 'class="cell diag" style="background:#5a5a5a;color:#fff" title="Baik \u2192 Baik: 2 records"' in matrix
    assert 'class="cell zero" title="Sangat Baik \u2192 Cukup: 0 records">0</td>' in matrix
    # row and column totals
    assert re.findall(r'<td class="total">(\d+)</td>', matrix) == ["2", "3", "0", "0", "1", "3", "0", "1", "5"]


def test_malformed_matrix_is_a_clear_error():
    bad = copy.deepcopy(SAMPLE)
    bad["summary"]["transitions"][0]["counts"] = [[1, 2]]
    with pytest.raises(ValueError, match=r"transition matrix 'predikat': counts must be 4 rows of 4 columns, "
                                         r"got \[2\]"):
        render_html(bad)


def test_user_data_is_escaped(page):
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page
    assert 'title="iku[3]: target &quot;baik&quot; &lt;bukan angka&gt;"' in page
    evil = copy.deepcopy(SAMPLE)
    evil["base"]["id"] = "<b>x</b>"
    evil["summary"]["provisional"] = ["</ul><script>1</script>"]
    evil["errors"][0]["message"] = "<img src=x onerror=alert(1)>"
    out = render_html(evil)
    assert "<b>x</b>" not in out and "<title>kinerja compare: &lt;b&gt;x&lt;/b&gt; \u2192 kmk_300_2022</title>" in out
    assert out.count("<script>") == 1 and "<img" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


def test_histogram_bins_are_exact_and_centred_on_zero():
    d = [Decimal(x) for x in ("-4.48", "0.00", "0", "0.49", "1.85", "3.51")]
    # span 7.99 -> step 1 (the smallest of 1, 2, 5 x 10^k not below 7.99 / 12); bin i = [i - 0.5, i + 0.5)
    assert [(str(c), str(lo), str(hi), n) for c, lo, hi, n in histogram(d)] == [
        ("-4", "-4.5", "-3.5", 1), ("-3", "-3.5", "-2.5", 0), ("-2", "-2.5", "-1.5", 0), ("-1", "-1.5", "-0.5", 0),
        ("0", "-0.5", "0.5", 3), ("1", "0.5", "1.5", 0), ("2", "1.5", "2.5", 1), ("3", "2.5", "3.5", 0),
        ("4", "3.5", "4.5", 1)]
    assert [(str(c), n) for c, _, _, n in histogram([Decimal("0.5"), Decimal("-0.5"), Decimal("0.25")])] == [
        ("-0.5", 1), ("-0.4", 0), ("-0.3", 0), ("-0.2", 0), ("-0.1", 0), ("0.0", 0), ("0.1", 0), ("0.2", 0),
        ("0.3", 1), ("0.4", 0), ("0.5", 1)]
    assert histogram([Decimal("0.00")] * 3) == [(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), 3)]
    assert histogram([]) == []


def test_delta_charts_from_the_records(page):
    charts = _section(page, "deltas")
    figures = re.findall(r"<figure.*?</figure>", charts, re.S)
    assert [re.search(r"<h3>\u0394 <code>(\w+)</code>", f).group(1) for f in figures] == ["nko", "capaian_tahunan"]
    nko, capaian = figures
    assert "4 records: 2 up, 1 down, 1 unchanged; bin width 1." in nko  # Kanwil: nko missing, no delta
    assert re.findall(r"<title>([^<]*)</title></rect>", nko)[0] == "\u0394 in [-4.5, -3.5): 1 record"
    assert '<rect class="bar up"' in nko and '<rect class="bar down"' in nko and '<rect class="bar same"' in nko
    # per-item output: its items pooled from the flattened capaian_tahunan[...] values (null deltas skipped)
    assert "5 items: 2 up, 1 down, 2 unchanged; bin width 2." in capaian
    assert re.findall(r"<title>([^<]*)</title></rect>", capaian) == [
        "\u0394 in [-11, -9): 1 item", "\u0394 in [-9, -7): 0 items", "\u0394 in [-7, -5): 0 items",
        "\u0394 in [-5, -3): 0 items", "\u0394 in [-3, -1): 0 items", "\u0394 in [-1, +1): 2 items",
        "\u0394 in [+1, +3): 2 items"]


def test_delta_chart_edge_cases():
    r = copy.deepcopy(SAMPLE)
    for rec in r["records"]:
        for v in rec["values"]:
            if v["name"] == "nko":
                v["base"] = v["candidate"] = "90.00"
                v["delta"] = "0.00"
    r["summary"]["numeric"].append({"name": "nilai_ss", "per_item": True, "count": 0, "changed": 0,
                                    "missing_base": 0, "missing_candidate": 0, "mean": None, "median": None,
                                    "median_exact": True, "min": None, "max": None})
    charts = _section(render_html(r), "deltas")
    assert "All 5 deltas are 0. 5 records: 0 up, 0 down, 5 unchanged." in charts
    assert '<p class="empty">No numeric deltas of nilai_ss in the records of this report.</p>' in charts
    top = dict(r, records=r["records"][:2], records_shown="top 2")
    assert "The charts count the records listed in this report (top 2)" in render_html(top)
    none = copy.deepcopy(SAMPLE)
    none["summary"]["numeric"] = []
    assert '<p class="empty">No numeric outputs were compared.</p>' in _section(render_html(none), "deltas")


def test_failures_changes_attribution_and_provisional(page):
    failures = _section(page, "failures")
    assert ('<tr><td class="rule">pk-iku-count</td><td>Jumlah IKU sesuai level UPK</td><td class="num">1</td>'
            '<td class="num">1</td></tr>') in failures
    assert '<td class="rule">iku-target-kuantitatif</td>' in failures.split("Resolved failures")[1]
    changes = _section(page, "changes")
    assert "<li>value: upk_three max 20 \u2192 11</li>" in changes
    intro, effective, text_only = changes.split("<details")
    assert "<code>kinerja diff kmk_467_2014 kmk_300_2022</code> explains each." in intro
    assert effective.startswith(' class="policy-diff"><summary>2 differences, 1 of which can change results</summary>')
    assert "<code>parameter iku_limits</code>" in effective and "rule pk-iku-count" not in effective
    assert '<summary>1 text-only change (citations, notes, titles): no effect on results</summary>' in text_only
    assert "<li>cite: KMK 467/2014 \u2192 KMK 300/2022</li>" in text_only
    attribution = _section(page, "attribution")
    assert re.search(r'<td>parameter predikat_bands</td><td class="num"><span class="meter" aria-hidden="true">'
                     r'<span style="width:50%"></span></span>1 of 2</td><td>changed predikat</td>', attribution)
    assert "<li>predikat_bands (provisional, differs between the policies): 2 of 4 changed records depend on it</li>" \
        in _section(page, "provisional")
    assert '<td class="muted">examples/invalid/bad_year.yaml:4:7</td>' in _section(page, "errors")


def test_changed_records_table_is_sortable_and_lists_only_changed_records(page):
    table = _section(page, "records")
    assert "4 changed records; unchanged records are not listed." in table
    heads = re.findall(r'<th [^>]*data-type="(\w+)"[^>]*><button type="button">([^<]+)</button>', table)
    assert heads == [("text", "Record"), ("number", "\u0394 nko"), ("text", "predikat"), ("number", "Other changes"),
                     ("number", "New failures"), ("number", "Resolved"), ("text", "Why")]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert [re.match(r'<td data-sort="([^"]*)"', r).group(1) for r in rows] == [
        "KPPN Semarang I 2024", "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co",
        "Kanwil DJPb Jateng 2024", "KPPN Kudus 2024"]
    deltas = [re.search(r'<td class="num" data-sort="([^"]*)">', r).group(1) for r in rows]
    assert deltas == ["-4.48", "1.85", "", "0.90"]
    first, evil, kanwil, kudus = rows
    assert '<span class="bv">104.48 \u2192 100.00</span>' in first
    assert '<td><span class="nw">Sangat Baik</span> \u2192 <strong class="nw">Baik</strong></td>' in first
    # other changes: only the per-item values that differ, and how many (the sort key)
    assert ('<td data-sort="1"><ul><li><code>capaian_<wbr>tahunan<wbr>[1a-N]</code>: 110.30 \u2192 100.00</li></ul>'
            '</td>') in first
    # why: the record's attribution grouped by policy change, then its provisional figures
    assert ('<td class="why"><ul><li title="predikat"><strong>parameter predikat_bands</strong>: predikat</li>'
            '<li class="prov">provisional: predikat_bands</li></ul></td>') in first
    assert ('<td class="why"><ul><li title="nko, capaian_tahunan[1a-N]"><strong>parameter capaian_max</strong>: '
            'nko, capaian_tahunan[1a-N]</li></ul></td>') in kudus
    assert '<strong>parameter iku_limits</strong>: new pk-iku-count</li>' in evil
    # a missing value is shown as missing, never as zero
    assert '<span class="bv">95.00 \u2192 <span class="missing" title="missing">\u2014</span></span>' in kanwil
    assert ('<span class="rule" title="iku[3]: target &quot;baik&quot; &lt;bukan angka&gt;">'
            'iku-target-kuantitatif</span> <span class="sev warning">warning</span>') in kanwil
    top = dict(SAMPLE, records=SAMPLE["records"][:2], records_shown="top 2")
    assert "2 of 4 changed records listed (top 2); unchanged" in render_html(top)


def test_golden_page(page):
    golden("compare_report.html", page)


def test_figures_come_first_and_the_policy_diff_is_collapsed_at_the_end(page):
    assert re.findall(r'<section id="([a-z]+)">', page) == [
        "summary", "transitions", "attribution", "records", "failures", "deltas", "provisional", "errors", "changes",
        "made"]
    toc = re.search(r'<nav class="toc">(.*?)</nav>', page).group(1)
    assert re.findall(r'href="#([a-z]+)"', toc) == re.findall(r'<section id="([a-z]+)">', page)
    changes = _section(page, "changes")
    assert '<details class="policy-diff">' in changes and "<table" not in changes.split("<details")[0]


def test_how_this_was_made_box(page):
    made = _section(page, "made")
    assert "<h2>How this was made</h2>" in made
    assert re.findall(r"<dt>([^<]+)</dt>", made) == ["kinerja", "Date", "Inputs", "Policies", "Options"]
    assert "<dd>0.0.0-test</dd>" in made and "<dd>2026-12-01</dd>" in made
    assert "<li><code>corpus.jsonl</code>: 5 records</li>" in made
    assert "<li><code>examples/<wbr>kppn_<wbr>semarang_<wbr>i.yaml</code>: 1 record</li>" in made
    assert ("<li>candidate <code>kmk_<wbr>300_<wbr>2022</code>: <code>policies/<wbr>kmk_<wbr>300_<wbr>2022/<wbr>"
            "policy.yaml</code></li>") in made
    assert "<dd><code>--format html</code> <code>--top 5</code></dd>" in made
    without = copy.deepcopy(SAMPLE)
    del without["made"]
    assert '<p class="empty">Not recorded.</p>' in _section(render_html(without), "made")


def test_equivalent_labels_count_as_unchanged_and_show_their_mapping():
    report = copy.deepcopy(SAMPLE)
    report["summary"]["transitions"] = [{
        "name": "level", "per_item": False, "rows": ["kemenkeu_one", "kemenkeu_two"],
        "columns": ["upk_one", "upk_two", "upk_three"], "counts": [[3, 0, 0], [0, 1, 1]],
        "equivalent": [{"base": "kemenkeu_one", "candidate": "upk_one", "policy": "kmk_300_2022"},
                       {"base": "kemenkeu_two", "candidate": "upk_two", "policy": "kmk_300_2022"}]}]
    first = report["records"][0]
    first["values"].append({"name": "level", "base": "kemenkeu_one", "candidate": "upk_one", "delta": None,
                            "changed": False})
    page = render_html(report)
    matrix = _section(page, "transitions")
    assert "<code>level</code>: 1 of 5 records changed label" in matrix
    assert ("Labels declared equivalent by kmk_300_2022 (unchanged): kemenkeu_<wbr>one = upk_<wbr>one, "
            "kemenkeu_<wbr>two = upk_<wbr>two") in matrix
    diagonal = re.findall(r'<td class="cell diag"[^>]*title="([^"]*)">', matrix)
    assert diagonal == ["kemenkeu_one = upk_one: 3 records (equivalent labels)",
                        "kemenkeu_two = upk_two: 1 record (equivalent labels)"]
    row = re.findall(r"<tr>(.*?)</tr>", _section(page, "records").split("<tbody>")[1], re.S)[0]
    assert ('<td><span class="nw">kemenkeu_<wbr>one</span> <span class="muted nw" title="equivalent labels">'
            '= upk_<wbr>one</span></td>') in row


def test_the_template_ships_as_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["engine"]
    assert any(fnmatch.fnmatch("report/compare.html", p) for p in patterns)


# --- in a real browser ---------------------------------------------------------------------------

def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


needs_chromium = pytest.mark.skipif(_chromium() is None, reason="Chromium is not installed "
                                    "(apt-get install chromium) - the page is not rendered in a browser")


def _run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([_chromium(), "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
                           "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, timeout=120, cwd=tmp_path)


@needs_chromium
def test_chromium_renders_a_screenshot(tmp_path, page):
    html_file, png = tmp_path / "report.html", tmp_path / "report.png"
    html_file.write_text(page, encoding="utf-8")
    _run_chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", html_file.as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1280, 2000)
    assert len(data) > 50_000  # text, tables and charts, not a blank page


# Appended to a copy of the page: clicks the "Δ nko" header twice, as a user would, and records the
# row order after each click and the header state in an attribute that --dump-dom prints.
PROBE = """<script>
(function () {
  var t = document.getElementById("changed-records"), th = t.tHead.rows[0].cells[1];
  function order() {
    return [].map.call(t.tBodies[0].rows, function (r) { return r.cells[0].getAttribute("data-sort"); });
  }
  var out = {ready: t.getAttribute("data-sortable"), header: th.textContent};
  th.querySelector("button").click(); out.asc = order(); out.ascState = th.getAttribute("aria-sort");
  th.querySelector("button").click(); out.desc = order(); out.descState = th.getAttribute("aria-sort");
  t.tHead.rows[0].cells[0].querySelector("button").click(); out.byLabel = order();
  document.body.setAttribute("data-probe", JSON.stringify(out));
}());
</script>
</body>"""


@needs_chromium
def test_chromium_runs_the_sort_script(tmp_path, page):
    html_file = tmp_path / "probe.html"
    html_file.write_text(page.replace("</body>", PROBE, 1), encoding="utf-8")
    dom = _run_chromium(tmp_path, "--dump-dom", html_file.as_uri()).stdout.decode("utf-8")
    probe = json.loads(__import__("html").unescape(re.search(r'data-probe="([^"]*)"', dom).group(1)))
    evil = EVIL
    assert probe["ready"] == "ready" and probe["header"] == "\u0394 nko"
    # numeric order (-4.48 < 0.90 < 1.85, not text order), the record without a delta last either way
    assert probe["asc"] == ["KPPN Semarang I 2024", "KPPN Kudus 2024", evil, "Kanwil DJPb Jateng 2024"]
    assert probe["ascState"] == "ascending"
    assert probe["desc"] == [evil, "KPPN Kudus 2024", "KPPN Semarang I 2024", "Kanwil DJPb Jateng 2024"]
    assert probe["descState"] == "descending"
    assert probe["byLabel"] == [evil, "Kanwil DJPb Jateng 2024", "KPPN Kudus 2024", "KPPN Semarang I 2024"]
