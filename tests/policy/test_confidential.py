"""Confidential values (an employee's NKP): reports leave them out unless asked with --show-confidential."""
from __future__ import annotations

import json

import pytest

from engine.errors import PolicyError
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")

FILE = "examples/pegawai_2026/nkp_2026_fungsional_addendum.yaml"
HIDDEN = ["nkp", "nkp_awal", "nkp_disesuaikan"]


def test_check_leaves_confidential_values_out_and_says_so():
    r = run("check", "--policy", "auto", FILE)
    assert r.exit_code == 0
    assert "  confidential, not shown (--show-confidential): nkp, nkp_awal, nkp_disesuaikan\n" in r.output
    assert not any(line.startswith(("  nkp ", "  nkp_awal ", "  nkp_disesuaikan ")) for line in r.output.splitlines())
    shown = run("check", "--policy", "auto", "--show-confidential", FILE)
    assert "  nkp_awal = 108.54\n" in shown.output and "confidential, not shown" not in shown.output


def test_check_json_names_the_hidden_values_without_them():
    [record] = json.loads(run("check", "--policy", "auto", "--format", "json", FILE).output)["records"]
    assert record["hidden"] == HIDDEN and not set(HIDDEN) & set(record["values"])
    [shown] = json.loads(run("check", "--policy", "auto", "--format", "json", "--show-confidential",
                             FILE).output)["records"]
    assert "hidden" not in shown and set(HIDDEN) <= set(shown["values"])


def test_compare_leaves_confidential_outputs_out_unless_asked():
    args = ("compare", "--base", "kmk_127_2026_pegawai", "--candidate", "kmk_127_2026_pegawai",
            "--format", "json", "examples/pegawai_2026/")
    outputs = [v["name"] for v in json.loads(run(*args).output)["summary"]["numeric"]]
    assert outputs and not set(HIDDEN) & set(outputs)
    shown = [v["name"] for v in json.loads(run(*args, "--show-confidential").output)["summary"]["numeric"]]
    assert set(HIDDEN) <= set(shown)


def test_explain_refuses_a_confidential_value_unless_asked():
    r = run("explain", "--policy", "auto", FILE, "--value", "nkp")
    assert r.exit_code == 2
    assert "explaining 'nkp' shows values kmk_127_2026_pegawai marks confidential; add --show-confidential" in r.output
    assert run("explain", "--policy", "auto", FILE, "--value", "nkp", "--show-confidential").exit_code == 0


def test_a_confidential_name_that_is_no_value_is_an_error_at_load(make_policy):
    with pytest.raises(PolicyError) as caught:
        make_policy("""
            values:
              nkp: {expr: "1", cite: c}
            confidential: [nkpp]
            """)
    assert caught.value.message == "confidential 'nkpp' is not a value of this policy"
    assert caught.value.hint == "did you mean 'nkp'?"
