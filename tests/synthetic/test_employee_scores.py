"""`kinerja generate --employee-scores`: KMK 127/2026 employee score files that validate, get an NKP
under kmk_127_2026_pegawai, are the same bytes for the same seed and leave the other output alone."""
from __future__ import annotations

import pytest

import engine
from engine.record import Record
from engine.synthetic import generate
from tests.conftest import run_cli as run

ARGS = ["generate", "--units", "8", "--years", "2026", "--seed", "21"]


@pytest.fixture(scope="module")
def pegawai():
    return engine.load_policy("kmk_127_2026_pegawai")


def test_every_score_validates_and_gets_an_nkp(tmp_path, pegawai):
    out = tmp_path / "k.jsonl"
    r = run(*ARGS, "--employee-scores", "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "generated 8 contracts (1 breaking a rule), 32 employee scores in " in r.output
    records = list(engine.read_records(tmp_path / "k_employee_scores.jsonl"))
    assert len(records) == 32
    kinds = set()
    for record in records:
        assert isinstance(record, Record), record
        record.validate("employee_score")
        result = pegawai.evaluate(record)
        assert result.violations == [] and result.values["nkp"] is not None
        e = record.data["employee"]
        kinds.add((e["levels_below_head"], "functional_role" in e))
    assert kinds == {(0, False), (1, False), (2, False), (2, True)}
    assert all(rec.data["kind"] == "organization_contract" for rec in engine.read_records(out))


def test_some_scores_have_a_penalty_an_addendum_or_a_correction():
    scores = [r for r in generate(units=60, years=[2026], seed=3, with_employee_scores=True)
              if r["kind"] == "employee_score"]
    assert len(scores) == 240
    assert any(r.get("penalties") for r in scores)
    assert any(r["skp"]["addendum"] for r in scores)
    assert any("correction" in r for r in scores)
    for unit in {r["unit"]["code"] for r in scores}:                 # one NKO per unit
        assert len({r["unit"]["nko"] for r in scores if r["unit"]["code"] == unit}) == 1


def test_same_seed_same_bytes_and_other_output_unchanged(tmp_path):
    for name, extra in (("a", ["--employee-scores"]), ("b", ["--employee-scores"]), ("c", [])):
        r = run(*ARGS, "--employees", *extra, "-o", str(tmp_path / f"{name}.jsonl"))
        assert r.exit_code == 0, r.output
    assert (tmp_path / "a_employee_scores.jsonl").read_bytes() == (tmp_path / "b_employee_scores.jsonl").read_bytes()
    assert not (tmp_path / "c_employee_scores.jsonl").exists()
    for suffix in ("", "_employees"):
        assert (tmp_path / f"a{suffix}.jsonl").read_bytes() == (tmp_path / f"c{suffix}.jsonl").read_bytes()


def test_no_scores_before_2026_and_yaml_folder(tmp_path):
    assert not [r for r in generate(units=5, years=[2025], with_employee_scores=True) if r["kind"] == "employee_score"]
    r = run("generate", "--units", "2", "--years", "2026", "--employee-scores", "--format", "yaml",
            "-o", str(tmp_path / "y"))
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in (tmp_path / "y").iterdir())
    assert len(names) == 10 and names[-1] == "pk_2026_setjen.yaml"
    assert sum(n.startswith("nkp_2026_kemenkeu_") for n in names) == 4


def test_employee_scores_with_json_lines_need_an_output():
    r = run("generate", "--units", "2", "--employee-scores")
    assert r.exit_code == 2
    assert "--employee-scores with JSON Lines needs -o/--output" in r.output
