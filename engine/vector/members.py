"""`x in L` where L is a list computed per row (collections.py: `i.objective in kode_ss`).

Each frame row reads the list of its owner row (`Collection.owner`). Safe mode's `in` is missing when
x or the list is missing, else Python's `x in list`: equality with some element. For text (the one
kind of element tested here) that is equality of the words, so x's words and the elements' words
are numbered together and each row asks whether its (owner, word) pair is one of the list's
(owner, element word) pairs: one `np.isin` over integers. A row whose list holds an unsure element
is unsure.
"""
from __future__ import annotations

import numpy as np

from .frames import Collection, column
from .collections import VALUES
from .vectors import Bool, Text, Unsupported


def in_computed_list(columns, op: str, x, coll: Collection, frame) -> Bool:
    table = coll.table
    if table is None or coll.owner is None or "" not in table.columns:
        raise Unsupported("membership in a computed list of records")
    elements = column(table, "")
    if not isinstance(elements, Text) or table.path not in (VALUES, ("<distinct>",)):
        raise Unsupported("membership in a computed list of non-text")
    x = columns.as_text(x, frame)
    words, codes = elements.encoded()
    number = {w: i for i, w in enumerate(words)}
    x_words, x_codes = x.encoded()
    as_element = np.fromiter((number.get(w, -1) for w in x_words), np.int64, len(x_words))
    mine = np.where(x_codes < 0, -1, as_element[np.maximum(x_codes, 0)]) if len(x_words) else np.full(frame.size, -1)
    width = len(words) + 1
    pairs = table.owner.astype(np.int64) * width + codes
    found = (mine >= 0) & np.isin(coll.owner.astype(np.int64) * width + mine, pairs)
    doubt = np.bincount(table.owner, weights=elements.unsure, minlength=len(table.count)) > 0 \
        if elements.unsure.any() else np.zeros(len(table.count), bool)
    miss = x.miss | table.absent[coll.owner]
    return Bool(found if op == "in" else ~found, miss, x.unsure | (doubt[coll.owner] & ~miss))
