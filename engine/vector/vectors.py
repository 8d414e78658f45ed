"""Column values of the batch path: numbers with an error bound, three-valued booleans, text.

Every column has one entry per row of a frame (see frames.py) and two masks: `miss`, where the
value is missing in the per-record meaning (safe mode: a missing field, 0/0, the average of
nothing), and `unsure`, where the float computation cannot decide what the exact Decimal path
would give; a row that is unsure anywhere sends its whole record to the per-record path.

A number is a float64 `v` with an absolute bound `e` on |v − d|, where d is what the per-record
Decimal path computes for that row (the proof of the bound is in the package docstring). A number
may also carry `exact`: a scaled integer k with a number of places n such that d == k·10⁻ⁿ exactly,
with the same digits (a rounded result, a count); such numbers compare exactly and become Decimals
for the Result without any float in between.
"""
from __future__ import annotations

import copy
from itertools import repeat
from dataclasses import dataclass

import numpy as np

# One rounding of a float64 operation (2⁻⁵³ relative) plus one rounding of a 28-digit Decimal
# operation (5·10⁻²⁸ relative), with room for the second-order terms: 2⁻⁵².
DELTA = 2.0 ** -52
MAX_SAFE = 2.0 ** 52   # beyond this a float no longer holds every integer: always unsure
TINY = 2.0 ** -1022    # below this floats are subnormal: their rounding error is absolute, up to 2⁻¹⁰⁷⁵


class Unsupported(Exception):
    """The batch compiler has no column form for this expression (it runs per record)."""


@dataclass
class Num:
    """A number column: floats with an error bound per row, missing and unsure rows, exact digits if known."""
    v: np.ndarray
    e: np.ndarray
    miss: np.ndarray
    unsure: np.ndarray
    exact: tuple[np.ndarray, int] | None = None   # (k, n): the value is exactly k·10⁻ⁿ (outside `loose`)
    zero_sign: np.ndarray | None = None   # where the value is exactly zero: +1 for 0, −1 for −0, 0 not known
    odd: np.ndarray | None = None         # with exact: rows whose Decimal has other digits (an empty sum is 0)
    loose: np.ndarray | None = None       # with exact: rows where k is not the value (their floats decide)
    const: object = None                  # the Decimal, when every row is this one constant (num_const)

    def take(self, idx):
        exact = None if self.exact is None else Gathered.of(self.exact, idx)
        return Num(self.v[idx], self.e[idx], flags_taken(self.miss, idx), flags_taken(self.unsure, idx), exact,
                   _taken(self.zero_sign, idx), _taken(self.odd, idx), _taken(self.loose, idx))

    def __len__(self):
        return len(self.v)


class Gathered:
    """A taken column's exact digits (k, n), k gathered from the column's when first read: most takes
    are the rows of an `if` branch or a loop, whose arithmetic in the float pass never reads them (a
    quotient has none). Read as the tuple it stands for: `k, n = x.exact`, `x.exact[0]`."""

    __slots__ = ("_k", "_idx", "places")

    def __init__(self, k: np.ndarray, idx, places: int):
        self._k, self._idx, self.places = k, idx, places

    @staticmethod
    def of(exact, idx) -> "Gathered":
        if isinstance(exact, Gathered) and exact._idx is not None and _rows_of(exact._idx) and _rows_of(idx):
            return Gathered(exact._k, exact._idx[idx], exact.places)     # a take of a take: one gather
        return Gathered(exact[0], idx, exact[1])

    def _rows(self) -> np.ndarray:
        if self._idx is not None:
            self._k, self._idx = self._k[self._idx], None
        return self._k

    def __getitem__(self, i: int):
        return (self._rows(), self.places)[i]

    def __iter__(self):
        return iter((self._rows(), self.places))

    def __len__(self) -> int:
        return 2


def _rows_of(idx) -> bool:
    """Whether idx is an array of row numbers (not a mask)."""
    return isinstance(idx, np.ndarray) and idx.dtype != bool


def _taken(mask, idx):
    return None if mask is None else mask[idx]


def flags_taken(mask: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """mask[idx] for a boolean mask and row numbers `idx`; a mask false everywhere (a data column's
    `miss` and `unsure`, mostly) gives zeros without gathering them (a test of the mask is much
    cheaper than the gather)."""
    if isinstance(idx, np.ndarray) and idx.dtype != bool and not mask.any():
        return np.zeros(len(idx), bool)
    return mask[idx]


@dataclass
class Bool:
    """A three-valued boolean column: values with missing and unsure rows."""
    v: np.ndarray
    miss: np.ndarray
    unsure: np.ndarray

    def take(self, idx):
        return Bool(self.v[idx], flags_taken(self.miss, idx), flags_taken(self.unsure, idx))

    def __len__(self):
        return len(self.v)


class Text:
    """Texts, one per row: an object array of str (None where missing); or dictionary-encoded, the
    distinct `words` and each row's code (−1 where missing: Arrow columns, parameter lists, distinct
    lists), the array then made only if something reads it. `later` (instead of words and codes)
    makes them when first read: an Arrow column the policy never reads is never encoded."""

    def __init__(self, v, miss: np.ndarray, unsure: np.ndarray, words: list | None = None,
                 codes: np.ndarray | None = None, later=None):
        self._v, self.miss, self.unsure, self._words, self._codes, self._later = v, miss, unsure, words, codes, later

    @property
    def words(self) -> list | None:
        if self._later is not None:
            self._made()
        return self._words

    @property
    def codes(self) -> np.ndarray | None:
        if self._later is not None:
            self._made()
        return self._codes

    def _made(self) -> None:
        self._words, self._codes = self._later()
        self._later = None

    @property
    def v(self) -> np.ndarray:
        if self._v is None:
            self._v = self._by_code()[self.codes]
        return self._v

    def at(self, rows: np.ndarray) -> np.ndarray:
        """v[rows], without making v for every row when the column is dictionary-encoded."""
        return self._v[rows] if self._v is not None else self._by_code()[self.codes[rows]]

    def _by_code(self) -> np.ndarray:
        table = np.empty(len(self.words) + 1, dtype=object)     # code −1 (missing): None
        table[:-1] = self.words
        return table

    def take(self, idx):
        return Text(None if self._v is None else self._v[idx], flags_taken(self.miss, idx),
                    flags_taken(self.unsure, idx), self.words, _taken(self.codes, idx))

    def encoded(self) -> tuple[list, np.ndarray]:
        """(words, codes), made from the texts when the column has none (−1 where missing)."""
        if self.codes is None:
            return encode(self.v.tolist())
        return self.words, self.codes

    def code_of(self, word) -> int:
        """The code of `word` among `words` (−2 if it is not one of them: it equals no row)."""
        index = self.__dict__.get("_index")
        if index is None:
            index = self.__dict__["_index"] = {w: i for i, w in enumerate(self.words)}
        return index.get(word, -2)

    def __len__(self):
        return len(self.miss)

    def __repr__(self):
        return f"Text({self.v!r}, miss={self.miss!r})"


def encode(values: list) -> tuple[list, np.ndarray]:
    """Texts (str or None) dictionary-encoded in one pass of C loops: the distinct words in order of
    first appearance and each value's code (−1 for None). The one home of this encoding: data
    columns (tables.py), parameter lists (frames.encoded_text) and computed text (Text.encoded)."""
    index = {None: 0}
    return encoded_from(index, codes_in(index, values))


def codes_in(index: dict, values: list) -> np.ndarray:
    """The code of each value in `index` (word -> code + 1, None first at 0), new words numbered on:
    each value's code is `index.setdefault` of the size the index has when that value is reached."""
    return np.fromiter(map(index.setdefault, values, map(len, repeat(index))), np.int64, len(values))


def encoded_from(index: dict, codes: np.ndarray) -> tuple[list, np.ndarray]:
    """(words, codes) of an `index` built by codes_in and the codes it gave."""
    words = list(index)
    del words[0]
    return words, codes - 1


def masked(col, **masks):
    """A copy of a column with other masks (`miss`, `unsure`): the column itself is never changed."""
    out = copy.copy(col)
    for name, mask in masks.items():
        setattr(out, name, mask)
    return out


@dataclass
class Const:
    """A parameter or literal: the same Python value on every row."""

    value: object

    def take(self, idx):
        return self


_IDENTITY: dict[int, np.ndarray] = {}


def identity(n: int) -> np.ndarray:
    """np.arange(n), one read-only array per size: a row index that *is* this array selects every row
    in order, so taking by it can be skipped (`taken`). The 64 sizes used last are kept (clearing
    them all, as before, made a batch's own arrays stop being the identity in the middle of it: a
    value read by an item of a nested for_each then had no column form, now and then)."""
    rows = _IDENTITY.pop(n, None)
    if rows is None:
        if len(_IDENTITY) >= 64:
            del _IDENTITY[next(iter(_IDENTITY))]     # the size used longest ago
        rows = np.arange(n)
        rows.flags.writeable = False
    _IDENTITY[n] = rows
    return rows


def rows_at(rows: np.ndarray, idx) -> np.ndarray:
    """rows[idx]: idx itself when `rows` is the identity (`identity(len(rows))`) and idx row numbers."""
    if rows is _IDENTITY.get(len(rows)) and isinstance(idx, np.ndarray) and idx.dtype != bool:
        return idx
    return rows[idx]


def taken(x, idx: np.ndarray, n: int):
    """x.take(idx), or x itself where idx is every one of its n rows in order (the caller does not
    change what it gets)."""
    return x if idx is _IDENTITY.get(n) else x.take(idx)


def falses(n: int) -> np.ndarray:
    return np.zeros(n, dtype=bool)


def num_from_floats(v: np.ndarray, miss: np.ndarray | None = None, whole_exact: bool = False) -> Num:
    """Numbers read from data, each float the correctly rounded image of its number: a bound of half
    an ulp, |v|·2⁻⁵³. With `whole_exact` (the number is the float itself where that is whole: Arrow
    integers and doubles), 0 for whole floats below 2⁵². Not for Decimals: 100.0000000000000001 is
    the float 100."""
    n = len(v)
    if miss is None:
        miss = falses(n)
    elif miss.any():
        v = np.where(miss, 0.0, v)
    magnitude = np.abs(v)
    e = magnitude * 2.0 ** -53
    e[(magnitude < TINY) & (magnitude > 0)] += 5e-324      # a subnormal float: an absolute half-ulp
    if whole_exact:
        e[(v == np.trunc(v)) & (magnitude < MAX_SAFE)] = 0.0
    return Num(v, e, miss, ~np.isfinite(v))


def num_const(value, n: int) -> Num:
    """A Decimal constant on n rows (exact when the float holds it exactly). Made once per constant
    (its digits: 100 and 100.0 are two) and size: its arrays are read-only views, so it is shared."""
    key = (value.as_tuple(), n)
    made = _CONSTANTS.get(key)
    if made is None:
        if len(_CONSTANTS) > 1024:
            _CONSTANTS.clear()
        made = _CONSTANTS[key] = _num_const(value, n)
    return made


_CONSTANTS: dict[tuple, Num] = {}


def _num_const(value, n: int) -> Num:
    f = float(value)
    from decimal import Decimal
    e = 0.0 if Decimal(f) == value else abs(f) * 2.0 ** -53
    exact = _exact_of(value, n)
    sign = _same(np.int8(-1 if value.is_signed() else 1), n)
    return Num(_same(np.float64(f), n), _same(np.float64(e), n), _same(np.False_, n), _same(np.bool_(not np.isfinite(f)), n),
               exact, sign, const=value)


def same(x, n: int) -> np.ndarray:
    """x (a numpy scalar) on n rows without n copies: a read-only view with stride 0 (np.broadcast_to
    makes the same, at twice the cost of a call)."""
    one = np.asarray(x).reshape(1)
    view = np.ndarray((n,), one.dtype, one, 0, (0,))
    view.flags.writeable = False
    return view


_same = same


def _exact_of(value, n: int):
    """(k, n) for a constant with a small coefficient, so it compares exactly with rounded numbers."""
    t = value.as_tuple()
    if not isinstance(t.exponent, int) or t.exponent > 0 or len(t.digits) > 15:
        return None
    k = int(value.scaleb(-t.exponent))
    return _same(np.int64(k), n), -t.exponent


def rounding_term(v: np.ndarray, e: np.ndarray) -> np.ndarray:
    """The bound added by one more operation whose float result is v (error so far e)."""
    return DELTA * (np.abs(v) + e)


def aligned(a: tuple, b: tuple):
    """Two exact scaled integers at the same number of places, and the rows where that would overflow
    (their k are 0: those rows are not exact); None beyond 15 places."""
    (ka, na), (kb, nb) = a, b
    n = max(na, nb)
    if n > 15:
        return None
    # the row test, for the largest |k| of each side first (float products are monotonic: if the
    # largest passes, every row does, and no row need be looked at)
    if largest(ka) * 10.0 ** (n - na) < MAX_SAFE and largest(kb) * 10.0 ** (n - nb) < MAX_SAFE:
        return ka * 10 ** (n - na), kb * 10 ** (n - nb), n, falses(len(ka))
    over = (np.abs(ka) * 10.0 ** (n - na) >= MAX_SAFE) | (np.abs(kb) * 10.0 ** (n - nb) >= MAX_SAFE)
    if over.any():
        ka, kb = np.where(over, 0, ka), np.where(over, 0, kb)
    return ka * 10 ** (n - na), kb * 10 ** (n - nb), n, over


def largest(k: np.ndarray) -> int:
    """The largest |k| of integer column k (0 if empty), as a Python int: exact, no overflow."""
    if not len(k):
        return 0
    return max(int(k.max()), -int(k.min()))


def any_in(up: np.ndarray, rows: np.ndarray, size: int) -> np.ndarray:
    """The groups (0 … size − 1; `up`: each row's) with at least one of `rows`: a few rows marked one
    by one (a bincount with weights costs about ten passes over the mask), many by a bincount."""
    found = np.count_nonzero(rows)
    if not found:
        return np.zeros(size, bool)
    if found * 16 > len(rows):
        return np.bincount(up, weights=rows, minlength=size) > 0
    out = np.zeros(size, bool)
    out[up[rows]] = True
    return out
