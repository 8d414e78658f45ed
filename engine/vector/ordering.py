"""Comparisons of columns that are not numbers: text in order, conditions by equality.

Text. The per-record path orders two texts with Python's `<`, which compares code points (safe
mode: missing if either is missing). Over columns, the distinct words of both sides (their
dictionaries: data columns and parameter lists have one, computed text gets one once) are sorted
once, by that same `<`, and each row's word is replaced by its rank: two texts compare as their
ranks do, one integer comparison per row. A word that is not text (a data column of mixed values)
has no such order here: Unsupported, and the value or rule runs per record.

Conditions. `contract.skp == true`: Python's `==` of two booleans (missing if either is missing);
ordering conditions is not a comparison the checker allows, and has no column form here.

Membership of a number in a parameter list of numbers (`contract.unit.eselon in iiaa_eselon`):
Python's `in` is `==` against each element, so the column is the `or` of those comparisons
(numeric.compare, unsure where one of them is); missing where the number is.
"""
from __future__ import annotations

import numpy as np

from . import numeric
from .vectors import Bool, Num, Text, Unsupported, num_const

_ORDER = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
          "==": np.equal, "!=": np.not_equal}


def text_order(op: str, a: Text, b: Text) -> Bool:
    """`a op b` of two text columns, for op one of < <= > >=, in Python's (code point) order."""
    words_a, codes_a = a.encoded()
    words_b, codes_b = b.encoded()
    words = set(words_a) | set(words_b)
    if not all(type(w) is str for w in words):
        raise Unsupported("ordering of values that are not all text")
    rank = {w: i for i, w in enumerate(sorted(words))}
    left, right = _ranks(words_a, codes_a, rank), _ranks(words_b, codes_b, rank)
    miss = a.miss | b.miss
    return Bool(_ORDER[op](left, right) & ~miss, miss, (a.unsure | b.unsure) & ~miss)


def _ranks(words: list, codes: np.ndarray, rank: dict) -> np.ndarray:
    """Each row's rank among the sorted words (−1 where the row has no word: missing)."""
    table = np.fromiter((rank[w] for w in words), np.int64, len(words))
    return np.append(table, -1)[codes]


def bool_equal(op: str, a: Bool, b: Bool) -> Bool:
    """`a == b` / `a != b` of two condition columns."""
    if op not in ("==", "!="):
        raise Unsupported("ordering of conditions")
    miss = a.miss | b.miss
    same = a.v == b.v
    return Bool((same if op == "==" else ~same) & ~miss, miss, (a.unsure | b.unsure) & ~miss)


def number_in(op: str, a: Num, keys: list) -> Bool:
    """`a in keys` / `a not in keys` for a list of numbers (Decimals)."""
    n = len(a)
    found, unsure = np.zeros(n, bool), a.unsure.copy()
    for key in keys:
        same = numeric.compare("==", a, num_const(key, n))
        found |= same.v
        unsure |= same.unsure
    found &= ~a.miss
    return Bool(found if op == "in" else ~found & ~a.miss, a.miss, unsure & ~a.miss)
