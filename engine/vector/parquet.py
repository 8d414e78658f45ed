"""Parquet files read with pyarrow: the table, or one located error; the rows as plain dicts.

Kept apart from columnar.py so that engine/record.py can read a Parquet file's rows (for `kinerja
check` and `compare`) without importing the batch path.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import DataError, Location

NEEDS = "the batch path needs numpy (pip install 'kinerja[batch]'; Parquet input needs pyarrow too)"


def read_table(path: str | Path):
    """The file's Arrow table, its chunks combined; a DataError at the file if it cannot be read."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DataError(f"{NEEDS}: Parquet files cannot be read", Location(str(path))) from None
    try:
        table = pq.read_table(str(path), use_threads=False, pre_buffer=False)
    except (OSError, ValueError) as e:   # pyarrow.ArrowInvalid is a ValueError
        text = str(e).strip()
        raise DataError(f"cannot read Parquet file: {text.splitlines()[0] if text else type(e).__name__}",
                        Location(str(path))) from None
    return table.combine_chunks()


def parquet_rows(path: str | Path) -> Iterator[tuple[int, dict] | DataError]:
    """(row number, row) for every row (1 the first), or the file's one DataError."""
    try:
        table = read_table(path)
    except DataError as e:
        yield e
        return
    yield from enumerate(table.to_pylist(), start=1)
