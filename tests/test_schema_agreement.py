"""The fast schema check (fastjsonschema) and jsonschema agree on every record.

`engine.schemas.validate` trusts the fast check when it accepts a record and only asks jsonschema
(which locates each error) when it rejects. So the two must never disagree: the fast check
accepting what jsonschema rejects would let bad data through unreported, and the other way round
would turn a rejection into an empty error list. Valid records (the examples, generated corpus
records, the policy files) are mutated at random places in the ways real input goes wrong, and both
checks must give the same verdict for every schema.
"""
from __future__ import annotations

import copy
import re
from decimal import Decimal
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine import synthetic as corpus
from engine.record import normalise, read_records
from engine.schemas import _fast_valid, fast_validator, validator
from engine.source import load_yaml
from tests.conftest import EXAMPLES, ROOT

SETTINGS = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _records(*patterns: str) -> list[dict]:
    found = []
    for pattern in patterns:
        for path in sorted(EXAMPLES.glob(pattern)):
            for record in read_records(path):
                found.append(record.data)
    return found


@lru_cache(maxsize=None)
def bases(schema: str) -> tuple:
    """Valid records of a schema: the examples, generated corpus records, or the policy files."""
    if schema == "organization_contract":
        records = _records("*.yaml") + [r for r in corpus.generate(units=8, seed=7, violations=0.5)]
    elif schema == "employee_performance":
        # generated employee files hold ~50 employees each; a few show every shape and keep it fast
        records = _records("pegawai/*.yaml") + [
            dict(r, employees=r["employees"][:4])
            for r in corpus.generate(units=6, seed=7, violations=0.5, with_employees=True)
            if r["kind"] == "employee_performance"]
    elif schema == "pk_addendum":
        records = _records("addendum/*.yaml")
    elif schema == "employee_score":
        records = _records("pegawai_2026/*.yaml")
    else:
        records = []
        for path in sorted(ROOT.glob("policies/*/policy.yaml")):
            records.append(load_yaml(path.read_text(encoding="utf-8"), str(path))[0])
    records = [_trim(normalise(r) if schema != "policy" else r) for r in records]
    valid = tuple(r for r in records if not list(validator(schema).iter_errors(r)))
    assert len(valid) >= 3, f"too few valid {schema} records to mutate"
    return valid


def _trim(node):
    """Lists cut to three items: every shape stays, and jsonschema's walk stays short."""
    if isinstance(node, dict):
        return {k: _trim(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_trim(v) for v in node[:3]]
    return node


def agree(schema: str, data) -> None:
    slow = not list(validator(schema).iter_errors(data))
    fast = _fast_valid(schema, data)
    assert fast == slow, f"fastjsonschema says {'valid' if fast else 'invalid'}, jsonschema the opposite"



# -- mutations --------------------------------------------------------------------------------------

BAD_DATES = ["2024-02-30", "2024-2-1", "2023-02-29", "2024-02-29", "2024-13-01", "2024-04-31",
             "2024-01-01T00:00:00", "24-01-01", "2024-01-01\n", "٢٠٢٤-01-01", ""]
ODD_TEXT = ["", "x", "Q5", "Y", "S3", "M13", "M00", "Q1\n", "maximise", "MAXIMIZE", "123456789012345678",
            "12345678901234567a", "kmk_300_2022", "Kmk", "a b"]
NUMBERS = [Decimal("0"), Decimal("-1"), Decimal("1.5"), Decimal("2024.0"), Decimal("2.50"), Decimal("100"),
           Decimal("100.01"), Decimal("-0.01"), Decimal("4"), Decimal("5"), Decimal("1E+2"), Decimal("1999"),
           Decimal("2101"), Decimal("1e-9"), Decimal("Infinity"), Decimal("-Infinity"), 3]


def _changed(value, pick):
    """In place of `value`: a value of another kind (a quarter of the time), or one of the same kind
    near the edges the schemas draw (fractions, bounds, misspelt codes, impossible dates)."""
    other_kind = ["text", True, False, [], {}, ["x"], [Decimal(1)], {"x": Decimal(1)}, pick(NUMBERS)]
    if isinstance(value, bool) or not isinstance(value, (Decimal, str, list, dict)) or pick([0, 1, 2, 3]) == 0:
        return pick(other_kind)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return pick(NUMBERS)
        if value == value.to_integral_value() and pick([0, 1]):  # perhaps an integer field
            return pick([value + Decimal("0.5"), value + Decimal("0.001"), value.quantize(Decimal("0.01"))])
        return pick(NUMBERS + [-value, value * 1000, value + 1, value - 1, str(value)])
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d\d-\d\d", value) and pick([0, 1, 2]):  # perhaps a date field
            return pick(BAD_DATES)
        return pick(BAD_DATES + ODD_TEXT + [value.upper(), value + "x", value[:-1], " " + value,
                                            value + "\n", Decimal(len(value)), [value]])
    if isinstance(value, list):
        return pick([[], value[:1], [value[0], value[0]] if value else ["x", "x"], value + value[-1:],
                     value[0] if value else None, [_changed(value[0], pick)] if value else [None]])
    return pick([[value], {}, dict(list(value.items())[1:]),
                 {k: _changed(v, pick) if i == 0 else v for i, (k, v) in enumerate(value.items())}])


@lru_cache(maxsize=None)
def _fields(schema: str, index: int) -> tuple:
    """The places of base record `index`, grouped by field name (a list item under its list's name
    with '[]'), so that each kind of field is as likely to be mutated as any other: `year` once per
    record is as likely as `realization` in every period."""
    groups: dict[str, list] = {}

    def walk(node, path, name):
        items = node.items() if isinstance(node, dict) else \
            ((i, v) for i, v in enumerate(node)) if isinstance(node, list) else ()
        for k, v in items:
            field = k if isinstance(k, str) else f"{name}[]"
            groups.setdefault(field, []).append(path + (k,))
            walk(v, path + (k,), field)
    walk(bases(schema)[index], (), "")
    return tuple(tuple(paths) for _, paths in sorted(groups.items()))


def _open(data, path):
    """The container holding `path`'s last step, with every container on the way copied (the base
    record is shared by all examples); None if an earlier mutation removed the place."""
    node = data
    for k in path[:-1]:
        try:
            child = node[k]
        except (KeyError, IndexError, TypeError):
            return None
        if not isinstance(child, (dict, list)):
            return None
        node[k] = node = copy.copy(child)
    try:
        node[path[-1]]
    except (KeyError, IndexError, TypeError):
        return None
    return node


@st.composite
def mutated(draw, schema: str):
    index = draw(st.integers(0, len(bases(schema)) - 1))
    data = copy.copy(bases(schema)[index])
    pick = lambda xs: draw(st.sampled_from(xs))  # noqa: E731
    for _ in range(pick([1, 1, 1, 2, 3])):  # one change mostly: a record with one fault tells most
        path = pick(pick(_fields(schema, index)))
        parent = _open(data, path)
        if parent is None:
            continue
        key = path[-1]
        value = parent[key]
        if isinstance(value, (dict, list)):
            value = parent[key] = copy.copy(value)
        how = pick(["drop", "change", "change", "change", "change", "extra", "empty"])
        if how == "drop":
            del parent[key]
        elif how == "change":
            parent[key] = _changed(value, pick)
        elif how == "extra":
            target = value if isinstance(value, (dict, list)) else parent
            if isinstance(target, dict):
                target[pick(["extra_field", "Kind", "iku ", "x-note"])] = pick(["x", Decimal(1), None, []])
            else:
                target.append(_changed(target[0] if target else "x", pick))
        else:  # empty the nearest container
            target = value if isinstance(value, (dict, list)) else parent
            target.clear()
    return data


SCHEMAS = ["organization_contract", "employee_performance", "pk_addendum", "employee_score", "policy"]


@pytest.mark.parametrize("schema", SCHEMAS)
def test_every_schema_has_a_fast_check_and_the_valid_bases_pass_it(schema):
    assert fast_validator(schema) is not None
    for data in bases(schema):
        assert _fast_valid(schema, data)


@pytest.mark.parametrize("schema", SCHEMAS)
def test_fast_check_and_jsonschema_agree_on_mutated_records(schema):
    @SETTINGS
    @given(mutated(schema))
    def check(data):
        agree(schema, data)
    check()


def _set(path, value):
    def change(data):
        node = data
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
        return data
    return change


def _drop(path):
    def change(data):
        node = data
        for k in path[:-1]:
            node = node[k]
        del node[path[-1]]
        return data
    return change


# Each construct the fast schema is rewritten for, or that fastjsonschema implements on its own.
PINNED = [
    ("organization_contract", _set(("year",), Decimal("2024.5")), False),  # integer with a fraction
    ("organization_contract", _set(("year",), Decimal("2024.0")), True),  # integer written with .0: valid
    ("organization_contract", _set(("year",), True), False),  # bool is not a number
    ("organization_contract", _set(("unit", "eselon"), Decimal("Infinity")), False),
    ("organization_contract", _set(("unit", "eselon"), Decimal("5")), False),  # above maximum
    ("organization_contract", _set(("signed_on",), "2024-02-30"), False),  # no such day
    ("organization_contract", _set(("signed_on",), "2024-2-1"), False),  # not zero-padded
    ("organization_contract", _set(("signed_on",), "2023-02-29"), False),  # not a leap year
    ("organization_contract", _set(("signed_on",), "2024-02-29"), True),  # leap day: valid
    # fastjsonschema's own date regex took any Unicode digit: this passed the fast check as a date
    ("organization_contract", _set(("signed_on",), "٢٠٢٤-01-01"), False),
    ("organization_contract", _set(("iku", 0, "polarity"), "maximise"), False),  # not in the enum
    # Python's `$` matched before a final line break, so jsonschema took 'Q1\n' for a period code
    ("organization_contract", _set(("iku", 0, "periods", 0, "period"), "Q1\n"), False),
    ("organization_contract", _set(("kind",), "pk_addendum"), False),  # const
    ("organization_contract", _set(("extra",), "x"), False),  # additionalProperties
    ("organization_contract", _drop(("unit",)), False),  # required
    ("employee_performance", _set(("evaluation_periods",), []), False),  # minItems
    ("employee_performance", _set(("evaluation_periods",), ["Q1", "Q1"]), False),  # uniqueItems
    ("employee_performance", _set(("year",), Decimal("1E+3")), False),  # below minimum, exponent form
    ("pk_addendum", _set(("after", "iku", 0, "periods", 0, "realization"), "90"), False),
    ("pk_addendum", _set(("before", "unit", "eselon"), Decimal("3.5")), False),
    ("pk_addendum", _set(("after", "iku", 0, "periods", 0, "period"), "Q5"), False),  # organization_contract's pattern
    ("pk_addendum", _set(("after", "iku", 0, "weight"), Decimal("12.5")), True),
    ("policy", _set(("effective", "from"), "2022-02-29"), False),
    ("policy", _set(("extra",), "x"), False),
]


@pytest.mark.parametrize("schema, change, valid", PINNED)
def test_fast_check_and_jsonschema_agree_on_pinned_mutations(schema, change, valid):
    base = next(b for b in bases(schema) if _has(b, change))
    data = change(copy.deepcopy(base))
    assert (not list(validator(schema).iter_errors(data))) is valid
    agree(schema, data)


def _has(base, change):
    try:
        change(copy.deepcopy(base))
        return True
    except (KeyError, IndexError, TypeError):
        return False
