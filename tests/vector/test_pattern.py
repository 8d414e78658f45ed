"""The data schema's `pattern` and `format` as column checks (engine/vector/shapes.py `text_test`,
tables.py, arrow_tables.py): a record the columns accept is one the per-record validators accept and the other
way round, for dict records and Parquet rows, with their reading of a pattern: an unanchored Python
`re` search (`\\d` and `\\w` match Unicode digits and letters), `$` the end of the text (not before a
final line break; an escaped `\\$` is a dollar sign), no Unicode normalisation, on text only (a
number is not tested); on fields, list items and fields of list items; `format: date` as the fast
validator checks it (engine/fast_schema.py). The schema is then no longer
`partial`, so the records are not validated one by one first, and Parquet rows are read as columns.
The test policy is tests/fixtures/vector/vector_pattern."""
from __future__ import annotations

import copy

import numpy as np
import pytest

import engine
from engine.record import read_records
from tests.conftest import ROOT
from tests.vector.test_evaluate_many import assert_same, outcome, per_record

pytest.importorskip("numpy")
from engine.vector.run import _shape  # noqa: E402
from engine.vector.tables import from_dicts  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "vector"
NIP = "199001012015011001"


@pytest.fixture(scope="module")
def policy():
    return engine.Registry(path=[FIXTURES]).load("vector_pattern")


VALID = {"id": "A", "nip": NIP, "code": "xK-1y", "name": "Budi Santoso", "marker": "café", "score": 5, "on": "2024-02-29",
         "tags": ["ab", "c"], "members": [{"nip": "198001012005011002"}, {"nip": NIP}]}


def variant(record_id, **changes) -> dict:
    out = copy.deepcopy(VALID)
    out["id"] = record_id
    out.update(changes)
    return out


# (record, valid per record); the valid ones beside the invalid in one batch
CASES = [
    (VALID, True),
    (variant("nip-17", nip=NIP[:-1]), False),
    (variant("nip-19", nip=NIP + "1"), False),
    (variant("nip-line-break", nip=NIP + "\n"), False),          # Python's `$` would match before it
    (variant("nip-leading-break", nip="\n" + NIP), False),
    (variant("nip-arabic-indic", nip="١" * 18), False),           # [0-9] is ASCII only
    (variant("nip-fullwidth", nip="１" * 18), False),
    (variant("code-unanchored", code="abcK-9 and more"), True),
    (variant("code-unicode-digit", code="K-١"), True),            # Python's \d: any Unicode digit
    (variant("code-no-digit", code="K-x"), False),
    (variant("code-empty", code=""), False),
    (variant("name-unicode", name="Ünal Çelik"), True),
    (variant("name-double-space", name="Budi  Santoso"), False),
    (variant("name-line-break", name="Budi\n"), False),
    (variant("name-too-long", name="Budi Santoso1"), False),      # maxLength beside the pattern
    (variant("marker-dollar", marker="US$"), True),               # an escaped \\$ is a dollar sign
    (variant("marker-plain", marker="naive"), False),
    (variant("marker-decomposed", marker="cafe\u0301"), False),   # e + combining accent: not é
    (variant("score-any", score=12.5), True),                     # a pattern does not test numbers
    (variant("tags-upper", tags=["ab", "Ab"]), False),
    (variant("tags-empty-text", tags=["ab", ""]), False),
    (variant("tags-line-break", tags=["ab\n"]), False),
    (variant("tags-none", tags=[]), True),
    (variant("member-bad", members=[{"nip": NIP}, {"nip": NIP[:10]}]), False),
    (variant("member-break", members=[{"nip": NIP + "\n"}]), False),
    (variant("date-not-leap", on="2023-02-29"), False),           # format: date, the fast path's check
    (variant("date-short-month", on="2024-1-05"), False),
    (variant("date-arabic-indic", on="٢٠٢٤-01-01"), False),
    (variant("date-line-break", on="2024-01-01\n"), False),
    (variant("date-time", on="2024-01-01T00:00"), False),
    (variant("date-year-end", on="2999-12-31"), True),
    (variant("date-not-pattern", on="1999-12-31"), False),        # a date, but not the pattern beside it
]


def test_the_schema_with_patterns_is_checked_by_columns(policy):
    assert _shape(policy).partial is False
    assert _shape(engine.load_policy("kmk_127_2026_pegawai")).partial is False     # the NIP pattern, a date


def test_the_column_check_rejects_exactly_what_the_per_record_validators_reject(policy):
    records = [r for r, _ in CASES] + [variant("nip-number", nip=int(NIP)), variant("code-number", code=5)]
    expected = [isinstance(x, engine.KinerjaError) for x in per_record(policy, records)]
    assert expected == [not ok for _, ok in CASES] + [True, True]
    _, invalid = from_dicts(records, _shape(policy), policy.spec.subject_schema)
    assert invalid.tolist() == expected
    batch = assert_same(policy, records)
    assert batch.per_record == {} and batch.columns == sum(ok for _, ok in CASES)
    assert "does not match" in str(batch[1])


def test_every_valid_record_alone_and_all_valid_ones_pass_the_quick_check(policy):
    # the quick check (each distinct text once) and the row by row one give the same rows
    valid = [r for r, ok in CASES if ok]
    _, invalid = from_dicts(valid, _shape(policy), policy.spec.subject_schema)
    assert not invalid.any()
    for r, ok in CASES:
        _, bad = from_dicts([r], _shape(policy), policy.spec.subject_schema)
        assert bad.tolist() == [not ok], r["id"]


def test_parquet_rows_check_patterns_on_plain_and_dictionary_columns(policy, tmp_path):
    pa = pytest.importorskip("pyarrow")
    from engine.vector.arrow_tables import from_arrow
    from engine.vector.columnar import read_parquet, write_parquet
    records = [r for r, _ in CASES] + [variant(f"again-{n}", nip=NIP if n % 2 else NIP + "\n") for n in range(6)]
    for name, writer in (("columns.parquet", write_parquet),
                         ("dictionary.parquet", lambda rs, p: __import__("pyarrow.parquet").parquet.write_table(
                             pa.Table.from_pylist(rs), p))):
        path = tmp_path / name
        writer(records, path)
        rows = list(read_records(path))
        expected = [r if isinstance(r, engine.KinerjaError) else per_record(policy, [r])[0] for r in rows]
        got = policy.evaluate_many(read_parquet(path))
        assert [outcome(x) for x in got] == [outcome(x) for x in expected]
        assert got.per_record == {} and got.columns == sum(not isinstance(x, engine.KinerjaError) for x in expected)
        _, invalid = from_arrow(read_parquet(path).rows(), _shape(policy), policy.subject)
        assert invalid.tolist() == [isinstance(x, engine.KinerjaError) for x in expected]


def test_kmk_127_2026_pegawai_records_are_not_validated_one_by_one_first(monkeypatch):
    from engine.vector import run
    policy = engine.load_policy("kmk_127_2026_pegawai")
    seen = []
    real = run._validate_records

    def spy(policy, items, datas, every):
        seen.append(every)
        return real(policy, items, datas, every)

    monkeypatch.setattr(run, "_validate_records", spy)
    rows = [r for r in engine.synthetic.generate(units=4, years=(2026,), with_employee_scores=True)
            if r.get("kind") == policy.subject]
    rows[1] = copy.deepcopy(rows[1])
    rows[1]["employee"]["nip"] = rows[1]["employee"]["nip"] + "\n"
    _, invalid = from_dicts(rows, _shape(policy), policy.spec.subject_schema)
    assert invalid.tolist() == [i == 1 for i in range(len(rows))]
    assert_same(policy, rows)
    assert seen and not any(seen)
    assert np.all(np.array(seen) == False)  # noqa: E712
