"""Parquet files read with pyarrow: the table, or one located error; the rows as plain dicts.

Kept apart from columnar.py so that engine/record.py can read a Parquet file's rows (for `kinerja
check` and `compare`) without importing the batch path.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import DataError, Location

NEEDS = "the batch path needs numpy (pip install 'kinerja[batch]'; Parquet input needs pyarrow too)"


def read_table(path: str | Path, dictionaries: bool = False):
    """The file's Arrow table, its chunks combined; a DataError at the file if it cannot be read.
    With `dictionaries`, text columns the file stores dictionary-encoded are read so (codes and their
    distinct words, not one string per row: the batch path compares and groups them by code)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DataError(f"{NEEDS}: Parquet files cannot be read", Location(str(path))) from None
    try:
        encoded = _dictionary_columns(pq.ParquetFile(str(path))) if dictionaries else None
        table = pq.ParquetFile(str(path), read_dictionary=encoded, pre_buffer=False).read(use_threads=False)
    except (OSError, ValueError) as e:   # pyarrow.ArrowInvalid is a ValueError
        text = str(e).strip()
        raise DataError(f"cannot read Parquet file: {text.splitlines()[0] if text else type(e).__name__}",
                        Location(str(path))) from None
    return table.combine_chunks()


def _dictionary_columns(file) -> list[str]:
    """The paths of the text columns whose first row group is dictionary-encoded."""
    meta = file.metadata
    if not meta.num_row_groups:
        return []
    group = meta.row_group(0)
    return [file.schema.column(i).path for i in range(meta.num_columns)
            if str(file.schema.column(i).logical_type) == "String"
            and {"RLE_DICTIONARY", "PLAIN_DICTIONARY"} & set(group.column(i).encodings)]


def parquet_rows(path: str | Path) -> Iterator[tuple[int, dict] | DataError]:
    """(row number, row) for every row (1 the first), or the file's one DataError."""
    try:
        table = read_table(path)
    except DataError as e:
        yield e
        return
    yield from enumerate(table.to_pylist(), start=1)
