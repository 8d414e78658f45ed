"""`check --format xlsx` and `compare --format xlsx`: the workbooks' sheets, cells, number types,
frozen header rows and autofilters (read back with openpyxl)."""
from __future__ import annotations

import datetime as _dt
import io
from decimal import Decimal

import openpyxl
import pytest

from conftest import EXAMPLES, ROOT, run_cli
from engine.report.xlsx_cells import Sheets

FIXTURES = ROOT / "tests" / "fixtures" / "compare"


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def check_book(tmp_path_factory):
    out = tmp_path_factory.mktemp("check") / "report.xlsx"
    r = run_cli("check", "--policy", "kmk_300_2022", "--format", "xlsx", "-o", out,
                EXAMPLES / "pk_2024_kppn_semarang_i.yaml", EXAMPLES / "pk_2024_djpb_too_many_iku.yaml",
                EXAMPLES / "invalid")
    assert r.exit_code == 2 and r.output == ""
    return openpyxl.load_workbook(out)


def test_check_workbook_sheets_and_summary(check_book):
    assert check_book.sheetnames == ["Summary", "Records", "Violations"]
    summary = dict(rows(check_book["Summary"])[1:])
    assert summary == {"fail on": "error", "records": summary["records"], "passed": 1, "failed": 1,
                       "input errors": summary["records"] - 2, "outside the policy's period": 0,
                       "error violations": 1, "warning violations": 0, "info violations": 0}


def test_check_records_are_numbers_with_a_frozen_filtered_header(check_book):
    ws = check_book["Records"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:H{ws.max_row}"
    header, first = rows(ws)[:2]
    assert header == ["source", "policy", "verdict", "note", "level", "nko", "predikat", "nko_k3"]
    assert first == [str(EXAMPLES / "pk_2024_kppn_semarang_i.yaml"), "kmk_300_2022", "PASS", None, "upk_three",
                     104.48, "Sangat Baik", 103.76]
    assert ws["F2"].data_type == "n"
    errors = [r for r in rows(ws) if r[2] == "INPUT ERROR"]
    assert errors and all(r[3] for r in errors)


def test_check_violations_one_row_each(check_book):
    ws = check_book["Violations"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:K2"
    [header, row] = rows(ws)
    assert header[:7] == ["source", "policy", "verdict", "rule", "severity", "outcome", "path"]
    assert row[2:6] == ["FAIL", "pk-iku-count", "error", "failed"]


def test_xlsx_needs_an_output_file():
    r = run_cli("check", "--policy", "kmk_300_2022", "--format", "xlsx", EXAMPLES / "pk_2024_kppn_semarang_i.yaml")
    assert r.exit_code == 2
    assert "--format xlsx writes a workbook: give it a file with -o FILE.xlsx" in r.output


@pytest.fixture(scope="module")
def compare_book(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare") / "report.xlsx"
    r = run_cli("compare", "--base", "kmk_300_2022", "--candidate", FIXTURES / "draft_kmk_300_amendment",
                "--format", "xlsx", "-o", out, "-q", FIXTURES / "corpus")
    assert r.exit_code == 2   # the corpus holds two unreadable records
    return openpyxl.load_workbook(out)


def test_compare_workbook_sheets(compare_book):
    assert compare_book.sheetnames == ["Summary", "Records", "Violations", "Errors", "T level", "T predikat"]


def test_compare_summary_counts_and_numeric_statistics(compare_book):
    table = rows(compare_book["Summary"])
    assert table[2:6] == [[f, n] + [None] * 9 for f, n in
                          (("records", 7), ("compared", 5), ("errors", 2), ("changed", 5))]
    start = table.index(["output", "per item", "count", "changed", "missing base", "missing candidate",
                         "mean delta", "median delta", "median exact", "min delta", "max delta"])
    nko = next(r for r in table[start:] if r[0] == "nko")
    assert all(isinstance(x, (int, float)) for x in nko[6:8] + nko[9:11])
    assert nko[2] == 5 and nko[1] is False


def test_compare_transition_matrix_has_base_rows_and_candidate_columns(compare_book):
    ws = compare_book["T predikat"]
    assert ws.freeze_panes == "B2"
    assert rows(ws) == [["predikat: base \\ candidate", "Baik", "missing"], ["Sangat Baik", 2, 0], ["Baik", 3, 0],
                        ["missing", 0, 0]]


def test_compare_records_one_row_per_record_and_output(compare_book):
    ws = compare_book["Records"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:J{ws.max_row}"
    table = rows(ws)
    assert table[0] == ["source", "line", "label", "record changed", "output", "base", "candidate", "delta",
                        "changed", "why"]
    row = next(r for r in table if r[4] == "capaian_periode[1a-N Q1]")
    assert row[2:] == ["KPPN-SMG1 2024", True, "capaian_periode[1a-N Q1]", 111.11, 110, -1.11, True,
                       "parameter capaian_max"]
    errors = rows(compare_book["Errors"])
    assert [r[:3] for r in errors[1:]] == [[str(FIXTURES / "corpus" / "pk_generated.jsonl"), 2, 118],
                                           [str(FIXTURES / "corpus" / "pk_generated.jsonl"), 4, None]]


def test_decimals_past_15_digits_keep_their_exact_text_in_a_comment():
    sheets = Sheets()
    ws = sheets.table("T", ["a", "b", "c", "d"])
    sheets.row(ws, [Decimal("104.48"), Decimal("1.2345678901234567891"), Decimal("1E+400"), _dt.date(2024, 1, 5)])
    buffer = io.BytesIO()
    sheets.save(buffer)
    a, b, c, d = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["T"][2]
    assert (a.value, a.comment) == (104.48, None)
    assert (b.value, b.comment.text) == (1.234567890123457, "exact: 1.2345678901234567891")  # as Excel shows it
    assert (c.value, c.data_type) == ("1E+400", "s")
    assert (d.value, d.number_format) == (_dt.datetime(2024, 1, 5), "yyyy-mm-dd")
