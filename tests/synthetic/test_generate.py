"""`kinerja generate` and `engine.corpus`: a deterministic, schema-valid, realistic corpus whose
deliberate rule breaches show up exactly as the rules they name."""
from __future__ import annotations

import collections
import json
import re
from decimal import Decimal

import pytest
from click.testing import CliRunner

import engine
from cli import main
from engine.synthetic import (BREACH_NOTE, CONTRACT_BREACHES, EMPLOYEE_BREACHES, catalogue_size, contract, dumps,
                           employees, generate, organisation)
from engine.record import Record, read_records
from tests.conftest import ROOT
from tests.conftest import run_cli as run

SAMPLE = ROOT / "corpus/kemenkeu_2024.jsonl"
SAMPLE_ARGS = ["generate", "--units", "40", "--seed", "300", "--violations", "0.2", "--years", "2024"]


def intended(record: dict) -> list[str]:
    notes = record.get("notes", "")
    return [notes.split(BREACH_NOTE, 1)[1].rstrip(".")] if BREACH_NOTE in notes else []


def rules_broken(policy, record: dict) -> list[str]:
    return sorted({v.rule for v in policy.evaluate(Record.from_python(record)).violations})


@pytest.fixture(scope="module")
def kmk_300():
    return engine.load_policy("kmk_300_2022")


@pytest.fixture(scope="module")
def permenpan():
    return engine.load_policy("permenpan_6_2022")


@pytest.fixture(scope="module")
def corpus_150():
    """150 contracts, 20 % of them breaking a rule."""
    return list(generate(units=150, years=[2024], seed=7, violations=0.2))


@pytest.fixture(scope="module")
def staff_60():
    """The employee files of 60 units (thousands of employees), 20 % of them breaking a rule."""
    return [r for r in generate(units=60, years=[2024], seed=7, violations=0.2, with_employees=True)
            if r["kind"] == "employee_performance"]


# -- the organisation -------------------------------------------------------------------------------

def test_organisation_is_kemenkeu_shaped():
    org = organisation(300)
    codes = [u.code for u in org]
    assert len(org) == 300 and len(set(codes)) == 300
    assert org[0].code == "KEMENKEU" and org[0].eselon == 0
    assert [u.code for u in org[1:12]] == ["SETJEN", "ITJEN", "DJA", "DJP", "DJBC", "DJPB", "DJKN", "DJPK", "DJPPR",
                                           "BKF", "BPPK"]
    seen = set()
    for u in org:                                   # every unit's parent comes before it
        assert u.parent == "" or u.parent in seen, u
        seen.add(u.code)
    kinds = collections.Counter(u.kind for u in org)
    assert kinds["kpp"] > kinds["kppn"] > kinds["kpknl"] > 0 and kinds["kanwil"] > 30 and kinds["kppbc"] > 0
    assert collections.Counter(u.eselon for u in org)[3] > 150      # mostly service offices


def test_organisation_past_the_catalogue_repeats_offices_with_a_suffix():
    assert catalogue_size() == 681
    assert not any(u.code[-2:] in ("-2", "-3") for u in organisation(681))
    org = organisation(2000)
    assert len({u.code for u in org}) == 2000
    extra = org[681]
    assert extra.eselon == 3 and extra.code.endswith("-2") and extra.name.endswith(" 2")
    assert org[-1].code.endswith("-4")


def test_a_smaller_organisation_is_a_prefix_with_the_same_records():
    small = list(generate(units=20, seed=5, violations=0))
    large = list(generate(units=60, seed=5, violations=0))
    assert [dumps(r) for r in small] == [dumps(r) for r in large[:20]]


# -- determinism ------------------------------------------------------------------------------------

def test_same_seed_same_bytes(tmp_path):
    a, b, c = tmp_path / "a.jsonl", tmp_path / "b.jsonl", tmp_path / "c.jsonl"
    for path, seed in ((a, "11"), (b, "11"), (c, "12")):
        r = run("generate", "--units", "30", "--seed", seed, "--employees", "-o", str(path))
        assert r.exit_code == 0, r.output
    assert a.read_bytes() == b.read_bytes() and a.read_bytes() != c.read_bytes()
    assert (tmp_path / "a_employees.jsonl").read_bytes() == (tmp_path / "b_employees.jsonl").read_bytes()
    assert len(a.read_text(encoding="utf-8").splitlines()) == 30


def test_stdout_is_the_same_as_the_file(tmp_path):
    out = tmp_path / "x.jsonl"
    assert run("generate", "--units", "5", "-o", str(out)).exit_code == 0
    r = CliRunner().invoke(main, ["generate", "--units", "5"])
    assert r.exit_code == 0 and r.stdout == out.read_text(encoding="utf-8")
    assert r.stderr == "generated 5 contracts (0 breaking a rule) in " + r.stderr.split(" in ")[1]


def test_yaml_folder_is_deterministic_and_readable(tmp_path):
    for name in ("a", "b"):
        r = run("generate", "--units", "4", "--employees", "--format", "yaml", "-o", str(tmp_path / name))
        assert r.exit_code == 0, r.output
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == ["pegawai_2024_dja.yaml", "pegawai_2024_itjen.yaml", "pegawai_2024_kemenkeu.yaml",
                     "pegawai_2024_setjen.yaml", "pk_2024_dja.yaml", "pk_2024_itjen.yaml", "pk_2024_kemenkeu.yaml",
                     "pk_2024_setjen.yaml"]
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        [record] = list(read_records(tmp_path / "a" / name))
        assert isinstance(record, Record)
        record.validate(record.data["kind"])
    jsonl = list(generate(units=4, with_employees=True))
    [record] = list(read_records(tmp_path / "a" / "pk_2024_dja.yaml"))
    assert jsonl[6]["unit"]["code"] == "DJA"
    assert record.data == Record.from_python(jsonl[6]).data          # YAML keeps the exact decimals


def test_numbers_are_exact_decimals_in_json_lines(tmp_path):
    out = tmp_path / "x.jsonl"
    run("generate", "--units", "3", "-o", str(out))
    line = out.read_text(encoding="utf-8").splitlines()[1]
    data = json.loads(line, parse_float=Decimal)
    reals = [p["realization"] for i in data["iku"] for p in i["periods"] if "realization" in p]
    assert all(isinstance(x, (Decimal, int)) for x in reals)
    assert all(isinstance(x, int) or -x.as_tuple().exponent <= 2 for x in reals)   # two decimals at most
    assert not re.search(r'":-?[0-9.]+[eE]', line)                                    # never 1E+2


# -- validity and deliberate breaches ----------------------------------------------------------------

def test_every_record_validates_against_its_schema(corpus_150, staff_60, tmp_path):
    assert len(corpus_150) == 150 and len(staff_60) == 60
    out = tmp_path / "all.jsonl"
    out.write_text("".join(dumps(r) + "\n" for r in corpus_150 + staff_60), encoding="utf-8")
    kinds = collections.Counter()
    for record in read_records(out):                 # through the JSON Lines reader, as `check` reads it
        assert isinstance(record, Record), record
        record.validate(record.data["kind"])
        kinds[record.data["kind"]] += 1
    assert kinds == {"organization_contract": 150, "employee_performance": 60}
    assert sum(len(r["employees"]) for r in staff_60) > 2000      # thousands of employees


def test_the_requested_share_of_contracts_breaks_exactly_the_named_rule(corpus_150, kmk_300):
    outcomes = [(intended(r), rules_broken(kmk_300, r)) for r in corpus_150]
    assert sum(bool(want) for want, _ in outcomes) == 30          # 20 % of 150, exactly
    assert sum(bool(got) for _, got in outcomes) == 30
    assert all(want == got for want, got in outcomes), [o for o in outcomes if o[0] != o[1]]


def test_the_requested_share_of_employee_files_breaks_exactly_the_named_rule(staff_60, permenpan):
    outcomes = [(intended(r), rules_broken(permenpan, r)) for r in staff_60]
    assert sum(bool(want) for want, _ in outcomes) == 12
    assert all(want == got for want, got in outcomes), [o for o in outcomes if o[0] != o[1]]


@pytest.mark.parametrize("rule", CONTRACT_BREACHES)
def test_each_contract_breach(rule, kmk_300):
    import random
    for unit in (organisation(60)[3], organisation(60)[-1], organisation(60)[20]):   # DJA, an office, a Kanwil/office
        record = contract(unit, 2024, random.Random(f"breach:{rule}:{unit.code}"), rule)
        assert intended(record) == [rule]
        assert rules_broken(kmk_300, record) == [rule], unit.code


@pytest.mark.parametrize("rule", EMPLOYEE_BREACHES)
def test_each_employee_breach(rule, permenpan):
    import random
    unit = organisation(40)[-1]
    record = employees(unit, 2024, random.Random(f"breach:{rule}"), "Kepala Uji", "197001012000011001", rule)
    assert rules_broken(permenpan, record) == [rule]


def test_clean_contracts_pass_and_kmk_467_judges_the_same_year(corpus_150, kmk_300):
    kmk_467 = engine.load_policy("kmk_467_2014")
    clean = [r for r in corpus_150 if not intended(r)]
    judged = [kmk_467.evaluate(Record.from_python(r)) for r in clean]
    # 2024 is outside KMK 467's period, but with the policy chosen explicitly it computes everything:
    assert all(res.values["nko"] is not None and res.values["nkp"] is not None for res in judged)
    failing = collections.Counter(v.rule for res in judged for v in res.violations)
    assert sum(failing.values()) <= len(clean) // 10          # the rare cases the two regulations disagree on
    assert not (set(failing) - {"iku-quality", "kk-iku-per-ss", "kk-deadline"})


# -- the committed sample and the command line ----------------------------------------------------------

def test_committed_sample_is_reproducible(tmp_path):
    out = tmp_path / "kemenkeu_2024.jsonl"
    assert run(*SAMPLE_ARGS, "-o", str(out)).exit_code == 0
    assert out.read_bytes() == SAMPLE.read_bytes()
    assert SAMPLE.stat().st_size < 1_000_000


def test_committed_sample_checks_with_exit_1():
    r = run("check", "--policy", "kmk_300_2022", str(SAMPLE))
    assert r.exit_code == 1
    assert r.output.count("FAIL  ") == 8 and r.output.count("PASS  ") == 32


@pytest.mark.parametrize("args, message", [
    (["--years", "2024-x"], "'2024-x' is not a year"),
    (["--years", "1999"], "years must lie between 2000 and 2100"),
    (["--violations", "1.5"], "1.5 is not in the range 0<=x<=1"),
    (["--units", "0"], "0 is not in the range x>=1"),
    (["--format", "yaml"], "--format yaml writes a folder"),
    (["--employees"], "--employees with JSON Lines needs -o/--output"),
])
def test_usage_errors_exit_2(args, message):
    r = run("generate", *args)
    assert r.exit_code == 2 and message in r.output, r.output


def test_yaml_output_onto_a_file_is_exit_2(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x", encoding="utf-8")
    r = run("generate", "--units", "2", "--format", "yaml", "-o", str(f))
    assert r.exit_code == 2 and r.output == f"cannot write {f}: it exists and is not a folder\n"


def test_an_existing_output_file_is_kept_without_force(tmp_path):
    out = tmp_path / "c.jsonl"
    out.write_text("keep me\n", encoding="utf-8")
    r = run("generate", "--units", "2", "-o", str(out))
    assert r.exit_code == 2
    assert r.output == f"refusing to overwrite {out}: it exists (use --force to replace it)\n"
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert run("generate", "--units", "2", "-o", str(out), "--force").exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_a_non_empty_yaml_folder_is_refused_and_force_replaces_it_whole(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "stale_from_an_earlier_run.yaml").write_text("x: 1\n", encoding="utf-8")
    r = run("generate", "--units", "2", "--format", "yaml", "-o", str(folder))
    assert r.exit_code == 2
    assert r.output == f"refusing to write {folder}: the folder is not empty (use --force to replace it)\n"
    assert run("generate", "--units", "2", "--format", "yaml", "-o", str(folder), "--force").exit_code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert "stale_from_an_earlier_run.yaml" not in names and len(names) == 2
