"""Writing records: compact JSON Lines with exact decimals, or one YAML file per record.

Numbers are written from their `Decimal` text, never through a float, so a corpus read back with
the engine's readers gives the same numbers it was generated with.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

_quote = json.encoder.c_encode_basestring or json.encoder.py_encode_basestring   # UTF-8 kept, like ensure_ascii=False


def dumps(x: Any) -> str:
    """Compact JSON with exact decimal numbers (never through a float) and UTF-8 text."""
    if isinstance(x, str):
        return _quote(x)
    if isinstance(x, dict):
        return "{" + ",".join(_quote(k) + ":" + dumps(v) for k, v in x.items()) + "}"
    if isinstance(x, list):
        return "[" + ",".join(dumps(v) for v in x) + "]"
    if isinstance(x, Decimal):
        return format(x, "f")
    if x is True or x is False or x is None:
        return "true" if x is True else "false" if x is False else "null"
    if isinstance(x, int):
        return str(x)
    raise TypeError(f"cannot write {type(x).__name__} as JSON")


def write_jsonl(records: Iterable[dict], stream, employees_stream=None, scores_stream=None) -> int:
    """One record per line; with `employees_stream` (`scores_stream`), employee files (employee
    scores) go there instead of `stream`."""
    streams = {"employee_performance": employees_stream, "employee_score": scores_stream}
    n = 0
    for record in records:
        to = streams.get(record["kind"]) or stream
        to.write(dumps(record) + "\n")
        n += 1
    return n


def _yaml_dumper():
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def decimal(dumper, value: Decimal):
        if value == value.to_integral_value():
            return dumper.represent_scalar("tag:yaml.org,2002:int", format(value.quantize(Decimal(1)), "f"))
        return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))

    Dumper.add_representer(Decimal, decimal)
    Dumper.ignore_aliases = lambda self, data: True      # no &id001 anchors for shared numbers
    return Dumper


def file_name(record: dict) -> str:
    if record["kind"] == "employee_score":
        return f"nkp_{record['year']}_{record['unit']['code'].lower()}_{record['employee']['nip']}.yaml"
    prefix = "pk" if record["kind"] == "organization_contract" else "pegawai"
    return f"{prefix}_{record['year']}_{record['unit']['code'].lower()}.yaml"


def write_yaml(records: Iterable[dict], folder: Path) -> int:
    """One YAML file per record, named pk_<year>_<unit>.yaml, pegawai_<year>_<unit>.yaml or
    nkp_<year>_<unit>_<nip>.yaml."""
    import yaml
    dumper = _yaml_dumper()
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for record in records:
        text = yaml.dump(record, Dumper=dumper, allow_unicode=True, sort_keys=False, width=110)
        (folder / file_name(record)).write_text(text, encoding="utf-8")
        n += 1
    return n
