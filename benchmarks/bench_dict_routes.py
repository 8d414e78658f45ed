"""Benchmark: ways of turning Python records into the batch path's columns, against hand-written Decimal.

Why this exists: the target "evaluate_many from dicts ≥ 1.2× faster than hand-written Decimal" is not
met (bench_batch.py). Turning the objects into tables costs about as much as the hand-written code's
whole work. This script measures the other routes tried in session 20, so the finding can be re-run
and does not rest on one session's notes. Every row uses the peer benchmark's 10 000 contracts
(../shared/bench, as bench_batch.py reads them), thread CPU time, interleaved rounds, best round
and the median of the per-round ratios against the hand-written row:

- hand-written Decimal: `py_decimal.evaluate` over the JSONL dicts as they are (numbers as text);
- evaluate_many from dicts: the shipped path (tables.from_dicts: one generated loop per table, each
  field's types, floats of the Decimals), from the Decimal dicts;
- tables.from_dicts alone: that path's first step;
- pyarrow's converter: `pa.array(records, type)` with the types the data schema gives (numbers
  decimals with the places the JSONL writes each field with), in C++. It does not check types as the schema does: it takes bytes for text
  and numpy integers for numbers, which `policy.evaluate` refuses. So a route through it also needs
- the type scan: the set of the types of every value of every object, a block of records at a time
  right after pyarrow read them (in cache);
- converter + Arrow path: `evaluate_many` of the converted columns (no type scan: an upper bound on
  what the route could give; its Results are checked against `policy.evaluate` first);
- text route: the JSONL dicts as they are through the converter as text, the type scan, and numbers
  cast to decimals by Arrow (`pc.cast`), without the evaluation.
"""
from __future__ import annotations

import argparse
import sys
import time
from itertools import chain
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_batch  # noqa: E402  (the peer bench's data, policy and hand-written code, found as there)

NUMBERS = bench_batch.NUMBERS
TEXT = ("code", "ss", "perspective", "polarity")
BLOCK = 128       # records converted and scanned at a time


PLACES = {"target": 2, "realization": 3, "weight": 2, "target_low": 2, "target_high": 2}   # as the JSONL writes them


def arrow_types(pa, number=None):
    """The bench contract's Arrow type: numbers as `number`, else as decimals with the places each
    field is written with (the digits of a Result then match: 102.42, not 102.420000)."""
    decimal = pa.decimal64 if hasattr(pa, "decimal64") else pa.decimal128
    iku = pa.struct([(f, pa.string()) for f in TEXT] +
                    [(f, number or decimal(18, PLACES[f])) for f in NUMBERS])
    return pa.struct([("id", pa.string()), ("level", pa.string()), ("iku", pa.list_(iku))])


def type_scan(records: list) -> set:
    """The types of every value of the records and of their IKU (what a route must check)."""
    types = set(map(type, chain.from_iterable(map(dict.values, records))))
    types.update(map(type, chain.from_iterable(map(dict.values, chain.from_iterable(r["iku"] for r in records)))))
    return types


def converted(pa, records: list, typ, scan: bool):
    """`records` through pyarrow's converter a block at a time, with the type scan when `scan`."""
    parts = []
    for a in range(0, len(records), BLOCK):
        block = records[a:a + BLOCK]
        parts.append(pa.array(block, type=typ))
        if scan:
            type_scan(block)
    return pa.concat_arrays(parts)


def text_route(pa, pc, raw: list):
    """The JSONL dicts as text through the converter and the type scan, numbers cast to decimals."""
    rows = converted(pa, [bench_batch.as_given(r) for r in raw],
                     arrow_types(pa, pa.string()), scan=True)
    items = rows.field("iku").flatten()
    fields = [pc.cast(items.field(f), pa.decimal64(18, 6)) if f in NUMBERS else items.field(f)
              for f in TEXT + NUMBERS]
    return pa.StructArray.from_arrays(fields, list(TEXT + NUMBERS))


def _located(result) -> str:
    """A Result as bench_batch compares them, less its source (a Columnar's records are `<data>:N`)."""
    text = bench_batch.outcome(result)
    return text.replace(f'"source": "{result.source}"', '"source": ""')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="10k")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    engine, policy, hand, raw = bench_batch.load(args.size)
    import pyarrow as pa
    import pyarrow.compute as pc
    from engine.vector import run
    from engine.vector.columnar import Columnar
    from engine.vector.tables import from_dicts
    dicts = [bench_batch.engine_form(c) for c in raw]
    typ = arrow_types(pa)
    shape = run._shape(policy)

    def arrow_batch():
        return Columnar("<data>", pa.Table.from_struct_array(converted(pa, dicts, typ, scan=False)))

    batch = policy.evaluate_many(arrow_batch())
    wrong = [i for i, (r, d) in enumerate(zip(batch, dicts)) if _located(r) != _located(policy.evaluate(d))]
    if wrong:
        print(f"converter + Arrow path differs from policy.evaluate on {len(wrong)} contracts, e.g. {wrong[:5]}")
        return 1
    print(f"check: converter + Arrow path = policy.evaluate on {len(dicts)}/{len(dicts)} contracts; {batch.summary()[:80]}")
    rows = {
        "hand-written Decimal": lambda: [hand.evaluate(c) for c in raw],
        "evaluate_many from dicts": lambda: policy.evaluate_many(dicts),
        "evaluate_many from the JSONL dicts": lambda: policy.evaluate_many([bench_batch.as_given(c) for c in raw]),
        "tables.from_dicts alone": lambda: from_dicts(dicts, shape, policy.spec.subject_schema),
        "pyarrow's converter": lambda: converted(pa, dicts, typ, scan=False),
        "converter + type scan": lambda: converted(pa, dicts, typ, scan=True),
        "converter + Arrow path (no type scan)": lambda: policy.evaluate_many(arrow_batch()),
        "text route: converter + scan + casts": lambda: text_route(pa, pc, raw),
    }
    times: dict[str, list[float]] = {k: [] for k in rows}
    for r in range(args.rounds):
        for name in (list(rows) if r % 2 == 0 else list(rows)[::-1]):
            start = time.thread_time()
            rows[name]()
            times[name].append(time.thread_time() - start)
    print(f"\n{len(raw)} contracts, {args.rounds} interleaved rounds (thread CPU time): best µs per contract; "
          "speed against hand-written Decimal, median of the per-round ratios (range)")
    print(bench_batch.speeds(times, per=len(raw)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
