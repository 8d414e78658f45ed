"""`present(x[k])` with a name or a literal key reads a dict's entry directly (missing_forms.py
`_lenient`), s_index's own dict case without its call; anything else (a list, a null key) is still
s_index. The values are those s_index gives."""
from __future__ import annotations

from decimal import Decimal

from tests.conftest import contract

D = Decimal

BODY = """
parameters:
  kolom: {value: [code, parent_iku, consolidation], cite: Fixture, status: confirmed}
values:
  terisi:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: count(f for f in kolom where present(i[f]))
  punya_induk:
    for_each: i in contract.iku
    key: "{i.code}"
    expr: present(i["parent_iku"])
outputs: [terisi, punya_induk]
"""


def test_present_of_an_index_reads_the_entry(make_policy):
    policy = make_policy(BODY)
    source = policy.generated_source
    assert "(b_i.get(b_f) if type(b_i) is dict and b_f is not None else s_index(b_i, b_f))" in source
    data = contract(iku=[
        {"code": "a", "name": "A", "objective": "SS1", "polarity": "maximize", "periods": []},
        {"code": "b", "name": "B", "objective": "SS1", "polarity": "maximize", "periods": [],
         "parent_iku": "a", "consolidation": "sum"}])
    values = policy.evaluate(data).values
    assert values["terisi"] == {"a": D(1), "b": D(3)}
    assert values["punya_induk"] == {"a": False, "b": True}
