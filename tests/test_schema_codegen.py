"""The generated acceptor (engine/schema_codegen.py) only ever says yes to data the full path would
take unchanged: valid under jsonschema, and already in normal form (normalise returns an equal copy
with the same types). Hypothesis mutates real example records to look for a counterexample."""
from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.record import normalise, read_records
from engine.schema_codegen import acceptor, compile_acceptor
from engine.schemas import standard

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {
    "organization_contract": [ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml",
                              ROOT / "examples" / "pk_2024_kanwil_jateng_q3.yaml"],
    "employee_performance": sorted((ROOT / "examples" / "pegawai").glob("*.yaml"))[:2],
    "employee_score": sorted((ROOT / "examples" / "pegawai_2026").glob("*.yaml"))[:2],
    "pk_addendum": sorted((ROOT / "examples" / "addendum").glob("*.yaml"))[:1],
}


def _records(schema: str) -> list:
    return [r.data for path in SAMPLES[schema] for r in read_records(path) if not isinstance(r, Exception)]


def _same(a, b) -> bool:
    """Equal, with the same types all the way down (Decimal 1 is not True, a tuple is not a list)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, Decimal):   # by their digits: a signalling NaN cannot even be compared
        return a.as_tuple() == b.as_tuple()
    return a == b


def _valid(schema: str, data) -> bool:
    return not any(True for _ in standard().validator(schema).iter_errors(data))


@pytest.mark.parametrize("schema", sorted(SAMPLES))
def test_every_schema_compiles_and_accepts_its_valid_examples(schema):
    accept = acceptor(schema, standard())
    assert accept is not None, f"{schema} uses a keyword the acceptor does not translate"
    records = _records(schema)
    assert records
    for data in records:
        assert _valid(schema, data)
        assert accept(data) is True


REPLACEMENTS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 200), st.floats(allow_nan=True),
    st.decimals(allow_nan=True, allow_infinity=True, places=None), st.text(max_size=4),
    st.sampled_from(["", "Q1", "Q5", "2024-02-30", "2024-01-31", "maximize", "x"]),
    st.just(dt.date(2024, 1, 31)), st.just([]), st.just({}), st.just(()), st.just([None]),
)


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, path + (i,))


def _mutate(data, path, how, value):
    data = copy.deepcopy(data)
    if not path:
        return value if how == "replace" else data
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    if how == "delete":
        del parent[key]
    elif how == "add" and isinstance(parent[key], dict):
        parent[key]["unknown_field"] = value
    else:
        parent[key] = value
    return data


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(SAMPLES)), st.data())
def test_accepted_means_valid_and_already_normal(schema, draw):
    records = _records(schema)
    data = draw.draw(st.sampled_from(records))
    for _ in range(draw.draw(st.integers(1, 3))):
        path = draw.draw(st.sampled_from(list(_paths(data))))
        data = _mutate(data, path, draw.draw(st.sampled_from(["replace", "delete", "add"])), draw.draw(REPLACEMENTS))
    if acceptor(schema, standard())(data):
        assert _valid(schema, data), "accepted invalid data"
        assert _same(normalise(data), data), "accepted data that normalise would change"


def test_a_keyword_it_does_not_translate_means_no_acceptor(tmp_path):
    from engine.schemas import SchemaSet
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "odd.schema.json").write_text('{"$id": "https://kinerja.local/schemas/odd.schema.json", '
                                            '"type": "object", "patternProperties": {"^x": {"type": "number"}}}')
    assert compile_acceptor("odd", SchemaSet((folder,))) is None


def test_the_compiled_acceptor_is_kept_in_the_cache_and_a_changed_schema_makes_a_new_one(tmp_path):
    from engine import cache
    from engine.schemas import SchemaSet
    folder = tmp_path / "schemas"
    folder.mkdir()
    schema = folder / "mini.schema.json"
    schema.write_text('{"$id": "https://kinerja.local/schemas/mini.schema.json", "type": "object", '
                      '"required": ["n"], "properties": {"n": {"type": "number", "minimum": 0}}}')
    before = len(cache.entries("acceptor"))
    first = compile_acceptor("mini", SchemaSet((folder,)))
    assert len(cache.entries("acceptor")) == before + 1
    again = compile_acceptor("mini", SchemaSet((folder,)))   # from the cache: the same code
    assert len(cache.entries("acceptor")) == before + 1 and again.source == first.source
    assert again({"n": Decimal(1)}) is True and again({"n": Decimal(-1)}) is False
    schema.write_text(schema.read_text().replace('"minimum": 0', '"minimum": 5'))
    changed = compile_acceptor("mini", SchemaSet((folder,)))
    assert len(cache.entries("acceptor")) == before + 2
    assert changed({"n": Decimal(1)}) is False and changed({"n": Decimal(5)}) is True
