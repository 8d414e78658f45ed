"""The batch path: a policy's values and rules as numpy column operations over many records at once.

`Policy.evaluate_many(records)` (run.py) returns, for every record, exactly what `policy.evaluate`
returns (the same values with the same Decimal digits, the same violations, the same error for
invalid data), computing as columns what it can prove and handing every other record to the
per-record path. Modules, in the order a batch goes through them: shapes.py (the data schema as a
column check), tables.py (records → tables) or arrow_tables.py (Arrow columns → tables, from
columnar.py: Parquet and JSON Lines read with pyarrow; parquet.py reads the files; records_arrow.py:
Python records whose numbers are text, through pyarrow's converter), vectors.py
(column types), frames.py (rows and loops), folds.py (aggregates), compiler.py, branches.py (`if`), calls.py,
interpolate.py, ordering.py (text in order, conditions compared, numbers in a list), dates.py and
date_calls.py (dates as day numbers, the date functions), best.py (max_by, min_by), collections.py
(lists made per record), grouped.py (`where x.f == key` as groups) and named_fields.py (`r[c]`, a field named by a text)
for expressions, numeric.py (arithmetic and its bounds), scaled.py (exact scaled integers), decimals.py
(the last, Decimal pass), plan.py (values and rules in order), outputs.py (columns → Result values),
violations.py and messages.py (violations and their messages), results.py (Results made when read),
run.py (the driver: validation, parameter groups, the passes, the per-record path), prefetch.py
(`compare --batch`), digits.py (unrounded outputs computed again with the Decimals themselves).

Exactness. Numbers are float64 with an absolute bound e on |v − d|, where d is the Decimal the
per-record path computes (28 significant digits). Data numbers: float(Decimal) is correctly
rounded, so e = |v|·2⁻⁵³ (a Decimal's float is not exact even where it is whole: 100.0000000000000001
is the float 100; 0 only for a zero, and for whole floats of Arrow integer and double columns, which
are their numbers). Each operation ∘ adds to the propagated bound one rounding term δ·(|v| + e) with
δ = 2⁻⁵², which covers the float rounding (≤ 2⁻⁵³·|v∘|) plus the Decimal rounding
(≤ 5·10⁻²⁸·|d∘|) with room for second-order terms:
  a ± b:  e = ea + eb;             a · b:  e = |a|·eb + |b|·ea + ea·eb;
  a / b:  e = (|a|·eb + |b|·ea) / (|b|·(|b| − eb)), only where |b| > eb; b = 0 with eb = 0 is the
          exact zero of safe mode (missing); 0 < |b| ≤ eb is unsure;
  Σ of n terms: Σ eᵢ + n·δ·(Σ|xᵢ| + Σ eᵢ) (sequential summation, γₙ₋₁ ≤ n·2⁻⁵³ per term; n the
          largest count of the column);
  mean: the sum's bound / n plus one rounding; clamp, min, max: the largest operand bound (they
  are 1-Lipschitz in each operand).
A decision is taken from the floats only when it is the same for every number within the bound:
a comparison a < b needs |a − b| > ea + eb (or both exact); `round(x, n)` half-up needs the
interval v·10ⁿ ± e·10ⁿ (+ the scaling's rounding) to hold no .5 midpoint, and then the result is
exact: the integer k with d = k·10⁻ⁿ, carried as `Num.exact` and compared as integers; a band
lookup is a chain of such comparisons. A result of zero after rounding is unsure (the Decimal may be
−0.00). Beside the floats a number may carry, per row, an exact scaled integer (`Num.exact`, rows
without one in `Num.loose`; scaled.py has why such a k·10⁻ⁿ is the per-record Decimal): decimal
columns, counts, roundings, and what +, −, · make of them; those rows are compared and rounded as
integers.

The passes. A record with an undecided row anywhere in an output or a rule (`unsure`) goes, from
Arrow columns, to a second pass over the unsure records only, their numbers exact scaled integers
(decimal columns as they are) and quotients exact where they terminate: an exact .xx5 NKO midpoint is
decided there; what is still unsure goes to a last pass with the Decimals themselves (decimals.py:
every operation the per-record path's own, in its context). From Python records `policy.evaluate`
is the cheaper exact path for them (run._passes). What no pass decides, invalid data and messages
quoting computed values are evaluated by `policy.evaluate`. Unrounded floats never leave the columns as results: an output that is one is
computed again over the same tables with the Decimals themselves (digits.py: each operation the
per-record path's own, so its digits), or has no column form; exact numbers leave with their digits (`Num.odd` marks rows whose Decimal is written
with other digits than k·10⁻ⁿ shows, 1.5 beside 2.25: quoted, they leave it to the next pass).
"""
from importlib import import_module

from ..errors import KinerjaError
from .parquet import NEEDS


def evaluate_many(policy, records, *, as_of=None, names=None):
    """See run.evaluate_many; numpy is imported on first use, with a clear error when missing."""
    require()
    from .run import evaluate_many as run
    return run(policy, records, as_of=as_of, names=names)


def require() -> None:
    """Import the batch path (numpy); a KinerjaError saying what to install when it is missing."""
    try:
        import_module(".run", __name__)
    except ImportError:
        raise KinerjaError(NEEDS) from None


__all__ = ["evaluate_many", "require", "NEEDS"]
