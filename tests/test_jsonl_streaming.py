"""JSON Lines are read one line at a time: a bad line (bad UTF-8, bad JSON) is reported at its line
and the other lines' records are still read; nulls are dropped and numbers are exact Decimals."""
from decimal import Decimal

import engine
from engine.errors import DataError


def test_bad_lines_are_reported_and_the_rest_read(tmp_path):
    f = tmp_path / "batch.jsonl"
    f.write_bytes(b'{"kind": "organization_contract", "year": 2024, "x": 0.10, "gone": null}\n'
                  b'{"kind": "caf\xe9"}\n'
                  b'\n'
                  b'{"year": 2024,}\n'
                  b'{"year": 2025, "list": [1, null]}\n')
    out = list(engine.read_records(f))
    assert [type(r).__name__ for r in out] == ["Record", "DataError", "DataError", "Record"]
    first, bad_utf8, bad_json, last = out
    assert first.data == {"kind": "organization_contract", "year": Decimal(2024), "x": Decimal("0.10")}
    assert str(first.data["x"]) == "0.10" and first.source == f"{f}:1"
    assert bad_utf8.location.line == 2 and bad_utf8.location.column == 14
    assert "not valid UTF-8: byte 0xe9" in bad_utf8.message
    assert bad_json.location.line == 4 and bad_json.message.startswith("JSON syntax error")
    assert last.data == {"year": Decimal(2025), "list": [Decimal(1), None]} and last.source == f"{f}:5"


def test_a_missing_jsonl_file_is_one_error(tmp_path):
    (err,) = list(engine.read_records(tmp_path / "nope.jsonl"))
    assert isinstance(err, DataError) and err.message == "file not found"
