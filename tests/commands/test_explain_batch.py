"""`kinerja explain --batch`: what the batch path (Policy.evaluate_many, compare --batch) computes as
columns for the explained record, what it leaves per record and why, and how this record's Result
was made (engine/report/explain_batch.py), in text and JSON."""
from __future__ import annotations

import json
import sys

import pytest

from tests.conftest import ROOT, run_cli
from tests.vector.corpus import contracts
from tests.vector.test_evaluate_many import midpoints

pytest.importorskip("numpy")
FIXTURES = ROOT / "tests" / "fixtures" / "vector"
EXAMPLE = ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml"
KK = ROOT / "examples" / "kk_2021_kppn_semarang_i.yaml"
COLUMNS = ("  as columns: capaian, capaian_bulat, nilai_perspektif, nko, predikat, jumlah_iku, eselon_dua,\n"
           "    kode_ss, rule iku-count, rule ss-max, rule weight-sum, rule target-positive\n")


def section(output: str) -> str:
    return output[output.index("Batch path"):]


def explain(path, *args):
    r = run_cli("explain", path, "--policy", "vector_nko", "--policy-path", FIXTURES, "--batch", *args)
    assert r.exit_code == 0, r.output
    return r.output


def written(tmp_path, record) -> str:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(record, default=float), encoding="utf-8")   # 334.68 is written 334.68
    return str(path)


def test_a_record_the_columns_decide(tmp_path):
    out = explain(written(tmp_path, contracts(3, seed=1)[0]), "--value", "nko")
    assert section(out) == ("Batch path (Policy.evaluate_many, compare --batch):\n"
                            "  this record: from the columns\n" + COLUMNS)


def test_a_midpoint_goes_per_record_and_says_why(tmp_path):
    out = explain(written(tmp_path, midpoints(1)[0]), "--rule", "weight-sum")
    assert section(out) == ("Batch path (Policy.evaluate_many, compare --batch):\n"
                            "  this record: per record: a number within its float bound of a rounding midpoint, a band edge or a\n"
                            "    comparison (the per-record path decides it exactly)\n" + COLUMNS)


def test_a_regulation_names_what_runs_per_record_and_why():
    r = run_cli("explain", EXAMPLE, "--value", "nko", "--batch")
    assert r.exit_code == 0, r.output
    lines = section(r.output).splitlines()
    # every value and rule of KMK 300 has a column form; this record's data numbers are compared
    # with equal ones (eselon == 1 …), which the float pass leaves to the per-record path
    assert lines[1:3] == ["  this record: per record: a number within its float bound of a rounding midpoint, a band edge or a",
                          "    comparison (the per-record path decides it exactly)"]
    assert lines[3] == "  as columns: level, iku_utama, kode_ss, capaian_periode, periode_realisasi_terakhir,"
    assert "per record:" not in "".join(lines[3:]) and "rule iiaa-report-complete" in lines[-1]
    r = run_cli("explain", KK, "--value", "nko", "--batch")
    lines = section(r.output).splitlines()
    # KMK 467 too, since np_periode's `b[a] for a in aspek_dinilai` (numbers named by a computed list)
    # has one; this record comes from the columns: its integer fields compared with equal ones are
    # exact floats (frames._column)
    assert lines[1] == "  this record: from the columns"
    assert "per record:" not in "".join(lines[2:]) and "aspek_dinilai, np_periode, np, ckp, nkp, rule kk-iku-count," in lines[5]
    assert max(map(len, lines)) <= 100


def test_a_policy_names_what_runs_per_record_and_why(tmp_path):
    path = tmp_path / "r.json"
    path.write_text('{"id": "A", "ratio": 1.5, "periods": [{"period": "Q1"}, {"period": "Q1"}]}', encoding="utf-8")
    r = run_cli("explain", path, "--policy", "vector_per_record", "--policy-path", FIXTURES, "--batch")
    assert r.exit_code == 0, r.output
    assert section(r.output) == (
        "Batch path (Policy.evaluate_many, compare --batch):\n"
        "  this record: per record: an output or rule below has no column form, so no record's Result comes\n"
        "    from the columns\n"
        "  as columns: rasio\n"
        "  per record:\n"
        "    per_periode: aggregate count_by\n"
        "    q1: reads per_periode, computed per record\n"
        "    q1_ganda: reads q1, computed per record\n")
    r = run_cli("explain", path, "--policy", "vector_per_record", "--policy-path", FIXTURES, "--batch", "--format", "json")
    assert json.loads(r.output)["batch"]["per_record"] == {"per_periode": "aggregate count_by",
                                                           "q1": "reads per_periode, computed per record",
                                                           "q1_ganda": "reads q1, computed per record"}


def test_json_has_the_same_facts(tmp_path):
    out = json.loads(explain(written(tmp_path, midpoints(1)[0]), "--format", "json"))
    assert out["batch"]["record"].startswith("per record: a number within its float bound")
    assert out["batch"]["per_record"] == {} and "rule weight-sum" in out["batch"]["vectorised"]
    r = run_cli("explain", KK, "--batch", "--format", "json", "--rule", "kk-iku-count")
    out = json.loads(r.output)["batch"]
    assert out["per_record"] == {} and {"np_periode", "np", "nkp"} <= set(out["vectorised"])
    assert "batch" not in json.loads(run_cli("explain", EXAMPLE, "--format", "json").output)


def test_without_numpy_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "engine.vector.run", None)     # import engine.vector.run fails
    r = run_cli("explain", EXAMPLE, "--batch")
    assert r.exit_code == 2
    assert "the batch path needs numpy (pip install 'kinerja[batch]'" in r.output
