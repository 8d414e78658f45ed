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
from decimal import Decimal
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from engine import corpus
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
        records = _records("*.yaml") + [r for r in corpus.generate(units=12, seed=7, violations=0.5)]
    elif schema == "employee_performance":
        records = _records("pegawai/*.yaml") + [
            r for r in corpus.generate(units=6, seed=7, violations=0.5, with_employees=True)
            if r["kind"] == "employee_performance"]
    elif schema == "pk_addendum":
        records = _records("addendum/*.yaml")
    else:
        records = []
        for path in sorted(ROOT.glob("policies/*/policy.yaml")):
            records.append(load_yaml(path.read_text(encoding="utf-8"), str(path))[0])
    records = [normalise(r) if schema != "policy" else r for r in records]
    valid = tuple(r for r in records if not list(validator(schema).iter_errors(r)))
    assert len(valid) >= 3, f"too few valid {schema} records to mutate"
    return valid


def agree(schema: str, data) -> None:
    slow = not list(validator(schema).iter_errors(data))
    fast = _fast_valid(schema, data)
    assert fast == slow, f"fastjsonschema says {'valid' if fast else 'invalid'}, jsonschema the opposite"


# -- mutations --------------------------------------------------------------------------------------

def _places(node, path=()):
    """Every (path, value) in the record, containers included, the root excluded."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        yield path + (k,), v
        yield from _places(v, path + (k,))


BAD_DATES = ["2024-02-30", "2024-2-1", "2023-02-29", "2024-02-29", "2024-13-01", "2024-04-31",
             "2024-01-01T00:00:00", "24-01-01", "2024-01-01\n", "٢٠٢٤-01-01", ""]
ODD_TEXT = ["", "x", "Q5", "Y", "S3", "M13", "M00", "Q1\n", "maximise", "MAXIMIZE", "123456789012345678",
            "12345678901234567a", "kmk_300_2022", "Kmk", "a b"]
NUMBERS = [Decimal("0"), Decimal("-1"), Decimal("1.5"), Decimal("2024.0"), Decimal("2.50"), Decimal("100"),
           Decimal("100.01"), Decimal("-0.01"), Decimal("4"), Decimal("5"), Decimal("1E+2"), Decimal("1999"),
           Decimal("2101"), Decimal("1e-9"), Decimal("Infinity"), Decimal("-Infinity"), 3]


def _changed(value, rng_pick):
    """A value of a different or borderline kind, in place of `value`."""
    options = [
        "text", True, False, [], {}, ["x"], [Decimal(1)], {"x": Decimal(1)}, rng_pick(NUMBERS),
        rng_pick(BAD_DATES), rng_pick(ODD_TEXT),
    ]
    if isinstance(value, Decimal) and value.is_finite():
        options += [value + Decimal("0.5"), -value, value * 1000, value + 1, value - 1, str(value)]
    if isinstance(value, str):
        options += [value.upper(), value + "x", value[:-1], " " + value, Decimal(len(value)), [value]]
    if isinstance(value, list) and value:
        options += [value[:1], [value[0], value[0]], value + [rng_pick(value)], value[0]]
    if isinstance(value, dict):
        options += [[value], {k: v for k, v in list(value.items())[1:]}]
    return rng_pick(options)


@st.composite
def mutated(draw, schema: str):
    data = copy.deepcopy(draw(st.sampled_from(bases(schema))))
    pick = lambda xs: draw(st.sampled_from(xs))  # noqa: E731
    for _ in range(draw(st.integers(1, 3))):
        places = list(_places(data))
        path, value = pick(places)
        parent = data
        for k in path[:-1]:
            parent = parent[k]
        key = path[-1]
        how = draw(st.sampled_from(["drop", "change", "change", "change", "extra", "empty"]))
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


SCHEMAS = ["organization_contract", "employee_performance", "pk_addendum", "policy"]


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
    ("organization_contract", _set(("year",), Decimal("2024.5"))),          # integer with a fraction
    ("organization_contract", _set(("year",), Decimal("2024.0"))),          # integer written with .0: valid
    ("organization_contract", _set(("year",), True)),                       # bool is not a number
    ("organization_contract", _set(("unit", "eselon"), Decimal("Infinity"))),
    ("organization_contract", _set(("unit", "eselon"), Decimal("5"))),      # above maximum
    ("organization_contract", _set(("signed_on",), "2024-02-30")),          # no such day
    ("organization_contract", _set(("signed_on",), "2024-2-1")),            # not zero-padded
    ("organization_contract", _set(("signed_on",), "2023-02-29")),          # not a leap year
    ("organization_contract", _set(("signed_on",), "2024-02-29")),          # leap day: valid
    ("organization_contract", _set(("iku", 0, "polarity"), "maximise")),    # not in the enum
    ("organization_contract", _set(("iku", 0, "periods", 0, "period"), "Q1\n")),
    ("organization_contract", _set(("kind",), "pk_addendum")),              # const
    ("organization_contract", _set(("extra",), "x")),                       # additionalProperties
    ("organization_contract", _drop(("unit",))),                            # required
    ("employee_performance", _set(("evaluation_periods",), [])),            # minItems
    ("employee_performance", _set(("evaluation_periods",), ["Q1", "Q1"])),  # uniqueItems
    ("employee_performance", _set(("year",), Decimal("1E+3"))),             # below minimum, exponent form
    ("pk_addendum", _set(("after", "iku", 0, "periods", 0, "realization"), "90")),
    ("pk_addendum", _set(("before", "unit", "eselon"), Decimal("3.5"))),
    ("policy", _set(("effective", "from"), "2022-02-29")),
    ("policy", _set(("extra",), "x")),
]


@pytest.mark.parametrize("schema, change", PINNED)
def test_fast_check_and_jsonschema_agree_on_pinned_mutations(schema, change):
    base = next(b for b in bases(schema) if _has(b, change))
    agree(schema, change(copy.deepcopy(base)))


def _has(base, change):
    try:
        change(copy.deepcopy(base))
        return True
    except (KeyError, IndexError, TypeError):
        return False
