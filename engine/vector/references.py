"""The reference date of each record of an Arrow batch, read from the few columns it needs.

A policy's `reference_date` (`date(contract.year, tanggal_acuan.month, …)`) notes a record outside the
policy's period and, with dated parameters, chooses their values. For Python records the batch reads
it per record (run.py `_by_parameters`); for Arrow columns it would have meant making every record,
the cost the columns avoid, so such policies went per record. Here only the top-level fields the
reference reads (compile.reference_fields: `year`) are taken from their columns, as the Record would
hold them (columnar.py `_normal`), and the policy's own reference probe runs on those.

From JSON Lines the Record reads a number's text; pyarrow reads a non-integer number as a double,
whose value may differ from its text, so such a column (or one nesting one) is not used: then
None, and the records go per record as before.
"""
from __future__ import annotations

from .columnar import _normal


def arrow_references(policy, rows, text: bool) -> list | None:
    """The reference date (or None) of each row of `rows` (a struct array), or None when the fields
    it reads are not known or a column of them is not exact (see the module's text)."""
    fields = policy.reference_fields
    if fields is None:
        return None
    import pyarrow.types as pt
    columns = {}
    for name in fields:
        index = rows.type.get_field_index(name)
        if index < 0:
            continue   # no record has it: missing in each
        column = rows.field(index)
        if text and not _exact_in_json(column.type, pt):
            return None
        columns[name] = column.to_pylist()
    datas = [{k: _normal(values[i]) for k, values in columns.items() if values[i] is not None}
             for i in range(len(rows))]
    return [policy.reference_date(d) for d in datas]


def _exact_in_json(arrow_type, pt) -> bool:
    """Whether values of this type read from JSON text are what the text says (no doubles inside)."""
    if pt.is_floating(arrow_type):
        return False
    if pt.is_struct(arrow_type):
        return all(_exact_in_json(arrow_type.field(i).type, pt) for i in range(arrow_type.num_fields))
    if pt.is_list(arrow_type) or pt.is_large_list(arrow_type):
        return _exact_in_json(arrow_type.value_type, pt)
    return True
