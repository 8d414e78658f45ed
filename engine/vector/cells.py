"""`table[a][b]`: a cell of a parameter table of tables, by keys computed per row.

`k3_iku_quality[i.validity][i.control]`: the first lookup gives each row a row of the table
(`Objs`, compiler._index), this one each row's cell in it, as safe mode's `s_index`: missing when
the row, the key or the cell is missing. Only the (row, key) pairs that occur are looked up. Cells of
one type become that column (numbers with their exact digits, frames.vector_of; in the Decimal
passes the Decimals themselves, as frames.by_words); cells of mixed
types (1.20 beside "tidak diperbolehkan") stay `Objs`, which the type tests read per cell and every
other operation refuses.
"""
from __future__ import annotations

from decimal import Decimal

import numpy as np

from .decimals import from_values
from .frames import Objs, vector_of
from .vectors import Const, Num, Text, Unsupported, masked


def cell(obj: Objs, key, n: int, digits: bool = False):
    if not all(isinstance(v, dict) for v in obj.values if v is not None):
        raise Unsupported("index into parameter values that are not tables")
    if isinstance(key, Const) and isinstance(key.value, str):
        words, codes, key_miss, key_unsure = [key.value], np.zeros(n, np.int64), np.zeros(n, bool), np.zeros(n, bool)
    elif isinstance(key, Text):
        (words, codes), key_miss, key_unsure = key.encoded(), key.miss, key.unsure
    else:
        raise Unsupported("index by a computed key that is not text")
    miss = obj.miss | key_miss | (obj.codes < 0) | (codes < 0)
    pair = np.where(miss, -1, obj.codes.astype(np.int64) * (len(words) + 1) + codes)
    used, at = np.unique(pair, return_inverse=True)
    found = [None if p < 0 else obj.values[p // (len(words) + 1)].get(words[p % (len(words) + 1)])
             for p in used.tolist()]
    try:
        if digits and found and all(x is None or type(x) is Decimal for x in found):
            out = from_values(found).take(at)       # the Decimal passes: each cell's own digits
        else:
            out = vector_of(found).take(at)
    except Unsupported:
        present = np.array([v is None for v in found], bool)[at]
        out = Objs(found, np.where(present, -1, at), present, np.zeros(n, bool))
    out = masked(out, miss=out.miss | miss, unsure=out.unsure | obj.unsure | key_unsure)
    if isinstance(out, Num) and out.exact is None and out.miss.all():    # no cell: no digits to know
        out.exact = (np.zeros(n, np.int64), 0)
    return out
