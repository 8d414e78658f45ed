"""Plain Python data handed to `policy.evaluate`, made a Record with as little work as it needs.

Valid data already in normal form is used as it is: the subject schema's generated acceptor
(engine/schema_codegen.py) says so in one pass. Otherwise a normalised copy is made (ints and floats
as Decimals, nulls dropped: engine/record.py), which the acceptor may then take; otherwise that copy
with decimal text read where the schema says number (engine/text_numbers.py), which the acceptor may
take; what is still not accepted is left to `Record.validate`, which reports it with located errors.
"""
from __future__ import annotations

from typing import Any, Callable

from .record import Record, normalise
from .schema_codegen import acceptor
from .schemas import SchemaSet, standard
from .text_numbers import read_text_numbers


def acceptor_for(schema: str, schemas: SchemaSet | None) -> Callable[[Any], bool]:
    """The acceptor of data schema `schema` (in `schemas`, default: the standard search path); one
    that accepts nothing when the schema cannot be compiled."""
    return acceptor(schema, schemas or standard()) or _never


def plain_record(data: Any, schema: str, schemas: SchemaSet | None, accept: Callable[[Any], bool]) -> Record:
    """`data` as a Record: as it is, normalised, or with text numbers read, whichever `accept` takes
    first (marked validated then); else the last form, to be validated with located errors."""
    if accept(data):   # the common case first, without building the other steps
        return Record(data, "<data>", validated={(schema, schemas)})
    steps = (normalise, lambda d: read_text_numbers(d, schema, schemas or standard()))
    candidate = data
    for step in steps:
        candidate = step(candidate)
        if accept(candidate):
            record = Record(candidate, "<data>")
            record.accepted(schema, schemas)
            return record
    return Record(candidate, "<data>")


def _never(data: Any) -> bool:
    return False
