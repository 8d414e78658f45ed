"""`kinerja compare`: per-record differences, the summary, attribution, formats, --jobs, bad records.

The fixed corpus is tests/fixtures/compare/corpus (KPPN Semarang I and five JSON Lines records, one of
them malformed and one failing the schema); the candidate is the hypothetical draft amendment
tests/fixtures/compare/draft_kmk_300_amendment, which `extends` kmk_300_2022. Attribution is checked
on small hand-built policies. Set KINERJA_UPDATE_GOLDEN=1 to rewrite tests/golden/compare_draft.*.
"""
import io
import itertools
import json
import random
import textwrap
from collections import Counter
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import engine.compare.statistics as statistics_mod
from cli import main
from engine.compare import (Attributor, Comparer, DeltaStats, PolicyPair, RecordComparison, Summary, compare_into,
                            compare_stream, materialise, revert, tasks)
from engine.errors import KinerjaError
from engine.policy.build import build
from engine.policy.registry import Registry
from engine.record import Record
from engine.report.compare_data import report_dict
from engine.report.compare_sinks import make_sink
from tests.conftest import contract, golden
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")  # every test runs from the project root

DRAFT = "tests/fixtures/compare/draft_kmk_300_amendment"
CORPUS = "tests/fixtures/compare/corpus"
JSONL = f"{CORPUS}/pk_generated.jsonl"


def draft(*args):
    return run("compare", "--base", "kmk_300_2022", "--candidate", DRAFT, *args)


# -- the fixed corpus: summary pinned ----------------------------------------------------------------

@pytest.fixture(scope="module")
def doc():
    r = CliRunner().invoke(main, ["compare", "--base", "kmk_300_2022", "--candidate", DRAFT, "--format", "json",
                                  CORPUS])
    assert r.exit_code == 2, r.output    # two records of the corpus cannot be read
    return json.loads(r.output)


def test_summary_counts_and_numeric_rows(doc):
    s = doc["summary"]
    assert (s["records"], s["compared"], s["errors"], s["changed"]) == (7, 5, 2, 5)
    nko = next(r for r in s["numeric"] if r["name"] == "nko")
    assert nko == {"name": "nko", "per_item": False, "count": 5, "changed": 4, "missing_base": 0,
                   "missing_candidate": 0, "mean": "-0.7920", "median": "-0.90", "median_exact": True,
                   "min": "-1.50", "max": "0.00",
                   "distribution": [["-1.50", 1], ["-1.09", 1], ["-0.90", 1], ["-0.47", 1], ["0.00", 1]]}
    deltas = sorted(Decimal(v["delta"]) for r in doc["records"] for v in r["values"] if v["name"] == "nko")
    assert deltas == [Decimal(x) for x in ("-1.50", "-1.09", "-0.90", "-0.47", "0.00")]
    tahunan = next(r for r in s["numeric"] if r["name"] == "capaian_tahunan")
    assert tahunan["per_item"] is True and (tahunan["count"], tahunan["changed"]) == (53, 6)


def test_transition_matrix_of_predikat(doc):
    predikat = next(t for t in doc["summary"]["transitions"] if t["name"] == "predikat")
    assert predikat == {"name": "predikat", "per_item": False, "rows": ["Sangat Baik", "Baik", "missing"],
                        "columns": ["Baik", "missing"], "counts": [[2, 0], [3, 0], [0, 0]], "equivalent": []}
    assert [t["name"] for t in doc["summary"]["transitions"]] == ["level", "predikat"]


def test_new_and_resolved_failures(doc):
    s = doc["summary"]
    assert s["new_failures"] == [
        {"rule": "nko-minimum", "title": "NKO mencapai batas minimum rancangan", "records": 3, "violations": 3},
        {"rule": "pk-iku-count", "title": "Jumlah IKU sesuai batas level UPK", "records": 2, "violations": 2}]
    assert s["resolved_failures"] == [
        {"rule": "pk-iku-count", "title": "Jumlah IKU sesuai batas level UPK", "records": 1, "violations": 1}]


def test_attribution_aggregate_and_changes(doc):
    rows = {(r["what"], r["change"]): (r["explains"], r["of"]) for r in doc["summary"]["attribution"]}
    assert rows[("new violations", "parameter iku_limits (upk_three.min, upk_three.max)")] == (2, 5)
    assert rows[("new violations", "rule nko-minimum (added)")] == (3, 5)
    assert rows[("resolved violations", "parameter iku_limits (upk_three.min, upk_three.max)")] == (1, 1)
    assert rows[("changed predikat", "parameter predikat_bands")] == (2, 2)
    assert rows[("changed nko", "parameter capaian_max")] == (4, 4)
    changes = {c["label"]: c for c in doc["summary"]["changes"]}
    assert changes["parameter nko_minimum (added)"]["separable"] is False
    assert changes["parameter iku_limits (upk_three.min, upk_three.max)"]["separable"] is True and changes["parameter iku_limits (upk_three.min, upk_three.max)"]["provisional"]
    assert changes["meta title"]["effective"] is False and changes["meta title"]["separable"] is None
    assert doc["summary"]["provisional"][:2] == [
        "capaian_max: provisional, changed by the candidate; 5 of 5 changed records depend on it",
        "iku_limits: provisional in candidate, changed by the candidate; 3 of 5 changed records depend on it"]


def test_per_record_values_violations_and_reasons(doc):
    smg = doc["records"][0]
    assert (smg["source"], smg["line"], smg["label"], smg["changed"]) == (
        f"{CORPUS}/pk_2024_kppn_semarang_i.yaml", None, "KPPN-SMG1 2024", True)
    values = {v["name"]: v for v in smg["values"]}
    assert values["nko"] == {"name": "nko", "base": "104.48", "candidate": "104.01", "delta": "-0.47",
                             "changed": True}
    assert values["predikat"] == {"name": "predikat", "base": "Sangat Baik", "candidate": "Baik", "delta": None,
                                  "changed": True}
    assert values["capaian_tahunan[1a-N]"] == {"name": "capaian_tahunan[1a-N]", "base": "110.42",
                                               "candidate": "110.00", "delta": "-0.42", "changed": True}
    assert smg["appeared"] == [{"rule": "pk-iku-count", "severity": "error",
                                "message": "11 IKU pada upk_three; batasnya 8–10 IKU", "path": None}]
    assert smg["disappeared"] == []
    assert "predikat: parameter predikat_bands" in smg["attribution"]
    assert "new pk-iku-count: parameter iku_limits (upk_three.min, upk_three.max)" in smg["attribution"]
    assert "nko: parameter capaian_max" in smg["attribution"]
    assert {"capaian_max", "predikat_bands", "iku_limits"} <= set(smg["provisional"])
    padang = doc["records"][1]
    assert (padang["source"], padang["line"]) == (JSONL, 1)
    assert [v["rule"] for v in padang["disappeared"]] == ["pk-iku-count"]


def test_bad_records_are_reported_and_skipped(doc):
    assert doc["errors"] == [
        {"source": JSONL, "line": 2, "column": 118, "message": "JSON syntax error: Unterminated string starting at"},
        {"source": JSONL, "line": 4, "column": None,
         "message": "iku[0].polarity: 'maximise' is not one of: maximize, minimize, stabilize (did you mean 'maximize'?)"}]
    assert [(r["source"].rsplit("/", 1)[1], r["line"]) for r in doc["records"]] == [
        ("pk_2024_kppn_semarang_i.yaml", None), ("pk_generated.jsonl", 1), ("pk_generated.jsonl", 3),
        ("pk_generated.jsonl", 5), ("pk_generated.jsonl", 6)]


# -- formats: golden files ---------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, suffix", [("text", "txt"), ("json", "json"), ("jsonl", "jsonl"), ("csv", "csv"),
                                         ("markdown", "md"), ("html", "html")])
def test_golden_per_format(fmt, suffix, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")   # the HTML page's "how this was made": fixed date
    monkeypatch.setattr("engine.report.compare_data.tool_version", lambda: "0.0.0-test")
    r = draft("--format", fmt, "--top", "3", CORPUS)
    assert r.exit_code == 2
    golden(f"compare_draft.{suffix}", r.output)


def test_text_report_fits_100_columns():
    r = draft(CORPUS)
    assert max(len(line) for line in r.output.splitlines()) <= 100
    assert "Records: 7 read, 5 compared, 2 could not be read; 5 changed" in r.output
    assert "      2 of 5     new violations: parameter iku_limits (upk_three.min, upk_three.max)" in r.output
    assert "comparing" not in r.output   # no progress bar when stderr is not a terminal


def test_jobs_2_gives_identical_output():
    for fmt in ("json", "text", "csv"):
        one, two = draft("--format", fmt, CORPUS), draft("--format", fmt, "--jobs", "2", CORPUS)
        assert one.exit_code == two.exit_code == 2
        assert one.output == two.output


def test_output_file_and_changed_only(tmp_path):
    out = tmp_path / "report.csv"
    r = draft("--format", "csv", "--changed-only", "--output", str(out), f"{CORPUS}/pk_2024_kppn_semarang_i.yaml")
    assert r.exit_code == 0 and r.output == ""
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "source,line,label,changed,kind,name,path,severity,base,candidate,delta,message,attribution"
    assert (f"{CORPUS}/pk_2024_kppn_semarang_i.yaml,,KPPN-SMG1 2024,true,value,nko,,,104.48,104.01,-0.47,,"
            "parameter capaian_max") in rows
    assert (f"{CORPUS}/pk_2024_kppn_semarang_i.yaml,,KPPN-SMG1 2024,true,new,pk-iku-count,,error,,,,"
            "11 IKU pada upk_three; batasnya 8–10 IKU,\"parameter iku_limits (upk_three.min, upk_three.max)\"") in rows


def test_identical_policies_change_nothing():
    r = run("compare", "--base", "kmk_300_2022", "--candidate", "kmk_300_2022", "--format", "json",
            f"{CORPUS}/pk_2024_kppn_semarang_i.yaml")
    doc = json.loads(r.output)
    assert r.exit_code == 0
    assert doc["summary"]["changed"] == 0 and doc["summary"]["changes"] == []
    assert doc["records"][0]["attribution"] == [] and doc["records"][0]["changed"] is False


def test_usage_errors_exit_2():
    r = run("compare", "--base", "kmk_300_2020", "--candidate", DRAFT, CORPUS)
    assert r.exit_code == 2 and "unknown policy 'kmk_300_2020'; did you mean 'kmk_300_2022'?" in r.output
    r = draft("nope.jsonl")
    assert r.exit_code == 2 and "nope.jsonl: no such file or directory" in r.output


# -- attribution on hand-built policies ----------------------------------------------------------------

BASE = """\
policy: t_base
title: Base test policy
instrument: TEST 1
effective: {from: 2023-01-01}
subject: {schema: organization_contract, as: contract}
parameters:
  threshold: {value: 10, cite: test, status: confirmed}
  bonus_a: {value: 0, cite: test, status: confirmed}
  bonus_b: {value: 0, cite: test, status: provisional, note: assumed for the test}
values:
  score: {expr: count(contract.iku) + bonus_a + bonus_b, cite: test}
  grade: {expr: 'if score > threshold then "high" else "low"', cite: test}
rules:
  - id: score-limit
    title: Score within the threshold
    cite: test
    status: confirmed
    require: score <= threshold
    message: "score {score} above {threshold}"
"""


@pytest.fixture
def registry(tmp_path):
    def write(pid: str, body: str):
        folder = tmp_path / pid
        folder.mkdir(exist_ok=True)
        header = f"policy: {pid}\nextends: t_base\ntitle: {pid}\n" if pid != "t_base" else ""
        (folder / "policy.yaml").write_text(header + textwrap.dedent(body), encoding="utf-8")
    write("t_base", BASE)
    reg = Registry(tmp_path)
    reg.write = write
    return reg


def nine_iku() -> Record:
    iku = contract()["iku"][0]
    return Record.from_python(contract(iku=[{**iku, "code": f"{n}a-N"} for n in range(1, 10)]), "nine.yaml")


def outcome(registry, body: str, record: Record | None = None):
    registry.write("t_cand", body)
    pair = PolicyPair.load("t_base", "t_cand", registry)
    rc = Comparer(pair).compare(record or nine_iku())
    return rc, {a.item: a.change for a in rc.attribution}


def test_one_parameter_change(registry):
    rc, why = outcome(registry, "parameters:\n  threshold: {value: 8, cite: draft, status: confirmed}\n")
    assert [(v.rule, v.message) for v in rc.appeared] == [("score-limit", "score 9 above 8")]
    assert [(v.name, v.base, v.candidate) for v in rc.values if v.changed] == [("grade", "low", "high")]
    assert why == {"grade": "parameter threshold", "new score-limit": "parameter threshold"}


def test_one_rule_change(registry):
    rc, why = outcome(registry, """\
        rules:
          - {id: score-limit, title: Stricter, cite: draft, status: confirmed, require: score <= threshold - 2}
        """)
    assert [v.rule for v in rc.appeared] == ["score-limit"] and not any(v.changed for v in rc.values)
    assert why == {"new score-limit": "rule score-limit"}


def test_two_changes_each_needed(registry):
    # 9 IKU + 1 + 1 = 11 > 10, but either bonus alone gives 10, which passes: both are needed
    rc, why = outcome(registry, """\
        parameters:
          bonus_a: {value: 1, cite: draft, status: confirmed}
          bonus_b: {value: 1, cite: draft, status: provisional, note: draft}
        """)
    assert why == {"score": "parameter bonus_a + parameter bonus_b (together)",
                   "grade": "parameter bonus_a + parameter bonus_b (each needed)",
                   "new score-limit": "parameter bonus_a + parameter bonus_b (each needed)"}
    assert rc.provisional == ["bonus_b"]


def test_two_changes_that_only_together_are_undone(registry):
    # 9 + 2 + 2 = 13; undoing one bonus still leaves 11 > 10: only undoing both restores the base
    rc, why = outcome(registry, """\
        parameters:
          bonus_a: {value: 2, cite: draft, status: confirmed}
          bonus_b: {value: 2, cite: draft, status: confirmed}
        """)
    assert why["new score-limit"] == "parameter bonus_a + parameter bonus_b (together)"
    assert [(v.name, v.delta) for v in rc.values if v.changed] == [("score", Decimal(4)), ("grade", None)]


def test_added_rule_with_its_parameter_is_not_separable(registry):
    registry.write("t_cand", """\
        parameters:
          cap: {value: 5, cite: draft, status: confirmed}
        rules:
          - {id: score-cap, title: Capped, cite: draft, status: provisional, note: draft, require: score <= cap}
        """)
    pair = PolicyPair.load("t_base", "t_cand", registry)
    rc = Comparer(pair).compare(nine_iku())
    assert [str(a) for a in rc.attribution] == ["new score-cap: rule score-cap (added)"]
    assert rc.provisional == ["bonus_b", "rule score-cap"]   # score reads the provisional bonus_b
    summary = Summary(pair, Attributor(pair.base, pair.candidate))
    summary.add(rc)
    changes = {c["label"]: (c["effective"], c["separable"]) for c in summary.changes()}
    assert changes == {"meta title": (False, None), "parameter cap (added)": (True, False),
                       "rule score-cap (added)": (True, True)}


def test_citation_only_change_is_never_blamed(registry):
    rc, why = outcome(registry, """\
        parameters:
          threshold: {value: 8, cite: draft, status: confirmed}
          bonus_a: {value: 0, cite: a new citation, status: secondary}
        """)
    assert why == {"grade": "parameter threshold", "new score-limit": "parameter threshold"}
    a = Attributor(*(lambda p: (p.base, p.candidate))(PolicyPair.load("t_base", "t_cand", registry)))
    assert [(a.labels[i], i in a.effective) for i in range(len(a.changes)) if a.changes[i].section == "parameter"] \
        == [("parameter threshold", True), ("parameter bonus_a", False)]


def test_summary_tallies_attribution_over_records(registry):
    registry.write("t_cand", "parameters:\n  threshold: {value: 8, cite: draft, status: confirmed}\n")
    pair = PolicyPair.load("t_base", "t_cand", registry)
    comparer, summary = Comparer(pair), Summary(pair, Attributor(pair.base, pair.candidate))
    iku = contract()["iku"][0]
    for n in (5, 8, 9, 12):   # 9 and 12 newly fail (12 already fails under the base: 12 > 10)
        summary.add(comparer.compare(Record.from_python(
            contract(iku=[{**iku, "code": f"{k}a-N"} for k in range(n)]), f"{n}.yaml")))
    assert (summary.records, summary.compared, summary.changed) == (4, 4, 1)
    assert summary.attribution() == [
        {"change": "parameter threshold", "explains": 1, "of": 1, "what": "changed grade"},
        {"change": "parameter threshold", "explains": 1, "of": 1, "what": "new violations"}]
    assert summary.transitions() == [{"name": "grade", "per_item": False, "rows": ["high", "low", "missing"],
                                      "columns": ["high", "low", "missing"], "counts": [[1, 0, 0], [1, 2, 0], [0, 0, 0]]}]
    doc = report_dict(summary)
    assert doc["summary"]["numeric"][0] == {"name": "score", "per_item": False, "count": 4, "changed": 0,
                                            "missing_base": 0, "missing_candidate": 0, "mean": "0.00",
                                            "median": "0", "median_exact": True, "min": "0", "max": "0",
                                            "distribution": [["0", 4]]}


def test_parameter_fast_path_agrees_with_a_rebuilt_variant(registry):
    registry.write("t_cand", "parameters:\n  threshold: {value: 8, cite: draft, status: confirmed}\n")
    pair = PolicyPair.load("t_base", "t_cand", registry)
    a = Attributor(pair.base, pair.candidate)
    i = next(i for i, c in enumerate(a.changes) if c.id == "threshold")
    fast = a.variant(frozenset([i]))
    assert fast.generated_source is pair.candidate.generated_source   # not recompiled
    rebuilt = build(revert(pair.candidate.spec, [a.changes[i]]))
    for n in (5, 9, 10, 11):
        iku = contract()["iku"][0]
        data = contract(iku=[{**iku, "code": f"{k}a-N"} for k in range(n)])
        x, y = fast.evaluate(data), rebuilt.evaluate(data)
        assert x.values == y.values and [v.rule for v in x.violations] == [v.rule for v in y.violations]


def test_policies_for_different_data_cannot_be_compared(registry):
    registry.write("t_cand", "subject: {schema: employee_performance, as: contract}\nvalues: {}\nrules: []\n"
                             "remove: {values: [score, grade], rules: [score-limit]}\n")
    with pytest.raises(KinerjaError, match="cannot compare: t_base judges organization_contract data"):
        PolicyPair.load("t_base", "t_cand", registry)


# -- streaming pieces -----------------------------------------------------------------------------------

def test_median_exact_and_bounded(monkeypatch):
    s = DeltaStats(False)
    for x in ("1", "3", "2", "10"):
        s.add(Decimal(x))
    assert (s.median(), s.mean(), s.lo, s.hi, s.exact) == (Decimal("2.5"), Decimal("4.00"), 1, 10, True)
    monkeypatch.setattr(statistics_mod, "MEDIAN_DISTINCT", 40)
    s = DeltaStats(False)
    for k in range(101):
        s.add(Decimal(k) / 100)          # 0.00 … 1.00: too many distinct values
    assert s.exact is False and len(s.counts) == 11 and s.count == 101   # merged to one decimal
    assert abs(s.median() - Decimal("0.50")) <= Decimal("0.05")
    assert s.mean() == Decimal("0.5000") and (s.lo, s.hi) == (Decimal(0), Decimal(1))


def test_stream_preserves_order_with_errors_between_records():
    pair = PolicyPair.load("kmk_300_2022", DRAFT)
    one = [(rc.index, rc.source, rc.line, rc.ok) for rc in compare_stream(pair, [JSONL], attribute=False)]
    two = [(rc.index, rc.source, rc.line, rc.ok) for rc in compare_stream(pair, [JSONL], jobs=2, attribute=False,
                                                                          chunk_size=1)]
    assert one == two == [(0, JSONL, 1, True), (1, JSONL, 2, False), (2, JSONL, 3, True), (3, JSONL, 4, False),
                          (4, JSONL, 5, True), (5, JSONL, 6, True)]


# -- worker processes: partial summaries, rendering in workers, the variant cache ------------------------

SAMPLE = "corpus/kemenkeu_2024.jsonl"   # 40 generated contracts


def test_median_bins_do_not_depend_on_order(monkeypatch):
    monkeypatch.setattr(statistics_mod, "MEDIAN_DISTINCT", 30)
    rng = random.Random(5)
    values = [Decimal(rng.randint(-900, 900)).scaleb(-rng.choice([2, 3])) for _ in range(400)]

    def table(parts):
        total = None
        for part in parts:
            s = DeltaStats(False)
            for v in part:
                s.add(v)
            if total is None:
                total = s
            else:
                total.merge(s)
        return total

    one = table([values])
    shuffled = values[:]
    rng.shuffle(shuffled)
    for parts in ([shuffled], [values[:150], values[150:151], values[151:]], [values[i:i + 13] for i in range(0, 400, 13)]):
        t = table(parts)
        assert (t.counts, t.quantum, t.median(), t.count, t.changed, t.total, t.lo, t.hi, t.exact, t.places) == \
            (one.counts, one.quantum, one.median(), one.count, one.changed, one.total, one.lo, one.hi, one.exact,
             one.places)
    # the bins: every value rounded down to the most decimals that leave at most 30 bins
    assert one.exact is False and len(one.counts) <= 30 and sum(one.counts.values()) == 400
    assert one.counts == Counter(v.quantize(one.quantum, ROUND_FLOOR) for v in values)
    assert len({v.quantize(one.quantum / 10, ROUND_FLOOR) for v in values}) > 30
    ordered = sorted(values)
    low = one.quantum * (ordered[199] / one.quantum).to_integral_value(ROUND_FLOOR)
    assert one.median() == low + one.quantum / 2   # ranks 199 and 200 share a bin: its midpoint


def test_partial_summaries_merge_to_the_sequential_summary(monkeypatch):
    monkeypatch.setattr(statistics_mod, "MEDIAN_DISTINCT", 25)   # bins the deltas of several outputs
    pair = PolicyPair.load("kmk_467_2014", "kmk_300_2022")
    rcs = list(compare_stream(pair, [SAMPLE], attribute=False))
    one = Summary(pair, top=5)
    for rc in rcs:
        one.add(rc)
    merged = Summary(pair, top=5)
    for start in range(0, len(rcs), 7):   # chunks folded separately, as worker processes do
        part = Summary(pair, top=0, keep_errors=0)
        for rc in rcs[start:start + 7]:
            part.add(rc)
        merged.merge(part.state())
        for rc in rcs[start:start + 7]:
            if rc.changed:
                merged.offer_top(rc)
    doc = report_dict(one)
    assert report_dict(merged) == doc
    assert doc["summary"]["records"] == 40 and [r["label"] for r in doc["records"]] == \
        [rc.label for rc in one.top_records()] and len(doc["records"]) == 5
    assert {r["name"]: r["median_exact"] for r in doc["summary"]["numeric"]} == {
        "capaian_periode": False, "capaian_tahunan": True, "nilai_ss": False, "nilai_perspektif": False, "nko": False}
    assert all(len(s.counts) <= 25 for s in merged.numeric.values())


def _compare_output(fmt: str, jobs: int, inputs: list[str], attributor: Attributor | None) -> str:
    pair = PolicyPair.load("kmk_467_2014", "kmk_300_2022")
    summary = Summary(pair, attributor, top=3)
    out = io.StringIO()
    sink = make_sink(fmt, out)
    compare_into(summary, sink, pair, inputs, jobs=jobs, attribute=attributor is not None, attributor=attributor,
                 chunk_size=3)
    sink.finish(summary)
    return out.getvalue()


@pytest.mark.parametrize("fmt, attribute", [("json", True), ("csv", False), ("text", False)])
def test_workers_fold_and_render_identically(fmt, attribute, monkeypatch, tmp_path):
    monkeypatch.setattr(statistics_mod, "MEDIAN_DISTINCT", 25)   # forked workers inherit it
    sample = tmp_path / "sample.jsonl"   # 20 generated records: several chunks of 3
    sample.write_text("".join(Path(SAMPLE).read_text(encoding="utf-8").splitlines(keepends=True)[:20]),
                      encoding="utf-8")
    inputs = [str(sample), CORPUS]   # then a YAML file, and JSON Lines with two unreadable records
    pair = PolicyPair.load("kmk_467_2014", "kmk_300_2022")
    attributor = Attributor(pair.base, pair.candidate) if attribute else None   # shared: compiled once
    one = _compare_output(fmt, 1, inputs, attributor)
    assert _compare_output(fmt, 2, inputs, attributor) == one
    if fmt == "json":
        doc = json.loads(one)
        assert (doc["summary"]["records"], doc["summary"]["errors"], len(doc["records"]), len(doc["errors"])) == \
            (27, 2, 25, 2)
        assert doc["summary"]["attribution"] and all(r["attribution"] for r in doc["records"] if r["changed"])


def test_compare_reads_records_like_read_records():
    from engine.record import read_records
    direct = [(x.source, x.data) if isinstance(x, Record) else str(x) for x in read_records(JSONL)]
    items = (t if isinstance(t, RecordComparison) else materialise(t) for t in tasks([JSONL]))
    ours = [(x.source, x.data) if isinstance(x, Record) else x.errors[0].text for x in items]
    assert ours == direct and sum(isinstance(x, str) for x in ours) == 1   # the malformed line


def test_variant_cache_keeps_single_reversals_and_bounds_joint_ones(registry, monkeypatch):
    registry.write("t_cand", """\
        parameters:
          threshold: {value: 8, cite: draft, status: confirmed}
          bonus_a: {value: 1, cite: draft, status: confirmed}
          bonus_b: {value: 2, cite: draft, status: provisional, note: draft}
        """)
    pair = PolicyPair.load("t_base", "t_cand", registry)
    a = Attributor(pair.base, pair.candidate)
    monkeypatch.setattr(Attributor, "MAX_VARIANTS", 2)
    singles = {i: a.variant(frozenset([i])) for i in a.effective}
    assert len(singles) == 3 and len(a._variants) == 3   # never dropped: one per difference
    j01, j02, j12 = (frozenset(c) for c in itertools.combinations(a.effective, 2))
    first = a.variant(j01)
    a.variant(j02)
    assert a.variant(j01) is first   # cached, and now the most recently used
    a.variant(j12)                   # drops j02, the least recently used
    assert list(a._joint) == [j01, j12]
    assert all(a.variant(frozenset([i])) is v for i, v in singles.items())
    assert a.separable() == {i: True for i in a.effective}
