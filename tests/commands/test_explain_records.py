"""`kinerja explain` on a file of many records (JSON Lines): FILE:LINE, `--record N` and
`--record NAME` choose one (engine/record_pick.py); a choice naming no record is exit 2 with the
number of records the file has; without a choice, the first record with a note."""
from __future__ import annotations

import pytest

from tests.conftest import ROOT, run_cli

CORPUS = "corpus/kemenkeu_2024.jsonl"
pytestmark = pytest.mark.usefixtures("at_root")


def first_line(*args):
    r = run_cli("explain", "--policy", "auto", *args, "--value", "nko")
    assert r.exit_code == 0, r.output
    return [line for line in r.output.splitlines() if line.startswith("How ")][0]


def heading(line: int) -> str:
    return f"How nko is computed under kmk_300_2022 (KMK 300/KMK.01/2022) for {CORPUS}:{line}"


@pytest.mark.parametrize("args, line", [
    ([f"{CORPUS}:7"], 7), ([CORPUS, "--record", "7"], 7), ([CORPUS, "--record", "DJPB"], 7),
    ([CORPUS, "--record", "DJPB 2024"], 7), ([f"{CORPUS}:40"], 40), ([CORPUS, "--record", "1"], 1),
])
def test_a_record_is_chosen_by_line_position_or_name(args, line):
    assert first_line(*args) == heading(line)


def test_without_a_choice_the_first_record_with_a_note():
    r = run_cli("explain", "--policy", "auto", CORPUS, "--value", "nko")
    assert r.exit_code == 0
    assert r.output.splitlines()[0] == (f"note: {CORPUS} has 40 records; explaining the first ({CORPUS}:1); "
                                        "choose another with --record N or FILE:LINE")
    assert r.output.splitlines()[1] == heading(1)


@pytest.mark.parametrize("args, message", [
    ([f"{CORPUS}:99"], f"{CORPUS}:99: no record on this line; the file has 40 records (lines 1–40)"),
    ([f"{CORPUS}:0"], f"{CORPUS}:0: no record on this line; the file has 40 records (lines 1–40)"),
    ([CORPUS, "--record", "41"], f"{CORPUS}: there is no record 41; the file has 40 records"),
    ([CORPUS, "--record", "0"], f"{CORPUS}: records are numbered from 1; the file has 40 records"),
    ([CORPUS, "--record", "DJPX"],
     f"{CORPUS}: no record has unit code, id or label 'DJPX'; the file has 40 records; did you mean 'DJP'?"),
    (["examples/pk_2024_kppn_semarang_i.yaml:3"], "examples/pk_2024_kppn_semarang_i.yaml: FILE:LINE chooses a "
                                                  "line of a JSON Lines file (.jsonl); this file holds one record"),
    (["examples/pk_2024_kppn_semarang_i.yaml", "--record", "2"],
     "examples/pk_2024_kppn_semarang_i.yaml: there is no record 2; the file has 1 record"),
])
def test_a_choice_naming_no_record_is_exit_2_with_the_count(args, message):
    r = run_cli("explain", "--policy", "auto", *args)
    assert (r.exit_code, r.output) == (2, message + "\n")


def test_line_and_record_together_are_a_usage_error():
    r = run_cli("explain", "--policy", "auto", f"{CORPUS}:7", "--record", "7")
    assert r.exit_code == 2
    assert r.output.splitlines()[-1] == "Error: choose the record either with FILE:LINE or with --record, not both"


def test_a_name_on_two_records_asks_for_the_line(tmp_path):
    lines = (ROOT / CORPUS).read_text(encoding="utf-8").splitlines()
    twice = tmp_path / "twice.jsonl"
    twice.write_text("\n".join([lines[6], "", lines[0], lines[6]]) + "\n", encoding="utf-8")
    r = run_cli("explain", "--policy", "auto", twice, "--record", "DJPB")
    assert (r.exit_code, r.output) == (2, f"{twice}: 2 records are 'DJPB' (lines 1, 4); choose one with "
                                          "FILE:LINE or --record N\n")
    assert run_cli("explain", "--policy", "auto", f"{twice}:4", "--value", "nko").exit_code == 0
    r = run_cli("explain", "--policy", "auto", f"{twice}:2")
    assert (r.exit_code, r.output) == (2, f"{twice}:2: no record on this line; the file has 3 records (lines 1–4)\n")


def test_a_file_whose_name_ends_like_a_line_is_still_that_file(tmp_path):
    odd = tmp_path / "unit:3"
    odd.write_text((ROOT / "examples/pk_2024_kppn_semarang_i.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    r = run_cli("explain", "--policy", "kmk_300_2022", odd, "--value", "nko")
    assert r.exit_code == 0
    assert f"for {odd}" in r.output.splitlines()[0]


def test_an_unreadable_chosen_line_is_its_error(tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"kind": "organization_contract"}\n{oops\n', encoding="utf-8")
    r = run_cli("explain", "--policy", "kmk_300_2022", f"{f}:2")
    assert r.exit_code == 2
    assert r.output.startswith(f"{f}:2:")
