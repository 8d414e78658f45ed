"""`evaluate_many`: many records through one policy, as columns where possible, per record elsewhere.

The records are checked against the data schema column by column (tables.py) and evaluated as
columns (plan.py). A record gets its Result from the columns when they decide all of it: it is
valid, every output is exactly known (or missing, None), and every rule's outcome is decided; the
violations of failing rules are built from the columns too, messages included (violations.py), and
each Result is made when it is first read (results.py). Records the float bound leaves unsure get a
second pass with their numbers exact scaled integers, and what is still unsure a last pass with the
Decimals themselves (`_passes`). Every other record (invalid, with a message quoting a computed
value, or when some output or rule has no column form at all) is evaluated by `policy.evaluate`, and
a record whose data is invalid gets the error that call raises. Records whose reference dates choose
different parameter values are evaluated as separate groups. The outcome says which values and rules
were vectorised and how many records took which path. A batch larger than CHUNK records goes through
all of this in chunks of equal size, one after the other: the tables and columns of one chunk are
freed before the next is made (what stays is each chunk's Results), so memory does not grow with the
batch beyond its results: on the peer benchmark's 100 000 contracts from Parquet the process peaks
at 572 MiB, 1 177 in one pass, at the same speed (8.9 and 8.3 µs a contract, within the noise).
A batch of large Python records goes through a small chunk first (`_spans`): when the columns
decide few of its records, or some output or rule has no column form, the other chunks go per
record without making tables (probe.py), which from Python records cost about as much as
evaluating the records they decide.
"""
from __future__ import annotations

import gc
from typing import Any, Iterable

import numpy as np

from ..errors import KinerjaError
from ..record import Record, _key, normalise
from .outcome import BatchOutcome
from .outputs import output_values
from .columnar import Columnar
from .digits import with_digits
from .plan import run_columns
from .references import arrow_references
from .probe import PROBE, Known, known_per_record, large, probed
from .results import Decided, Results
from .shapes import shape_of
from .tables import from_dicts
from .vectors import Unsupported
from .violations import rule_violations


CHUNK = 16384    # records per pass of the columns (see _evaluate_many): benchmarks/bench_batch_scale.py


def evaluate_many(policy, records: Iterable[Any] | Columnar, *, as_of=None, names=None,
                  known: dict | None = None) -> BatchOutcome:
    """See the module docstring. `known`: what earlier batches of the same records' stream found
    (compare --batch passes one per policy): once an output or rule had no column form, the next
    chunks go per record without making columns (`probe.known_per_record`)."""
    collecting = gc.isenabled()
    gc.disable()     # a batch makes many objects and no cycles: the cyclic collector would only walk them
    try:
        return _evaluate_many(policy, records, as_of, names, {} if known is None else known)
    finally:
        if collecting:
            gc.enable()


def _evaluate_many(policy, records, as_of, names, known: dict) -> BatchOutcome:
    """The batch in chunks of at most CHUNK records, each through the columns on its own: memory is
    that of one chunk's tables, plus the results. Python records go first PROBE at a time (`_spans`)."""
    batch = records if isinstance(records, Columnar) else list(records)
    n = len(batch)
    probe = not isinstance(batch, Columnar) and "probed" not in known and n > 4 * PROBE and large(batch[0])
    spans = _spans(n, probe)
    known["probed"] = True
    if len(spans) == 1:
        return _chunk(policy, batch, as_of, names, known)
    outcome = BatchOutcome(Results(n))
    for k, (start, stop) in enumerate(spans):
        part = _chunk(policy, batch.slice(start, stop) if isinstance(batch, Columnar)
                      else batch[start:stop], as_of, names, known)
        if k == 0 and probe:
            probed(part, stop - start, known)
        outcome.merge(start, part)
    outcome.vectorised = [v for v in outcome.vectorised if v not in outcome.per_record]
    return outcome


def _spans(n: int, probe: bool) -> list[tuple[int, int]]:
    """The chunks (start, stop) of a batch of n records: of equal size, none larger than CHUNK, after
    a first one of PROBE records when `probe` (a stream's first batch of more than 4 × PROBE large
    Python records, `probe.large`): when that one shows an output or rule without a column form, or that
    the columns decide few records (`probe.probed`), the others go per record without making tables
    (`probe.known_per_record`): from Python records the tables cost about as much as evaluating
    (kmk_300_2022 on the 2000 generated KMK contracts: 2.5 against 1.1 ms a record for the batch
    before, all of its records per record)."""
    first = PROBE if probe else 0
    rest = n - first
    if not rest:
        return [(0, 0)]
    size = -(-rest // -(-rest // CHUNK))         # chunks of equal size: no small last one
    return [(0, first)] * bool(first) + [(start, min(n, start + size)) for start in range(first, n, size)]


def _chunk(policy, records: list | Columnar, as_of, names, known: dict) -> BatchOutcome:
    columnar = records if isinstance(records, Columnar) else None
    items = _Rows(columnar) if columnar is not None else records    # a list of its own already
    n = len(items)
    outcome = BatchOutcome(Results(n))
    exact, checked, plain = np.ones(n, bool), np.zeros(n, bool), False
    try:
        shape = _shape(policy)
        known_per_record(known, outcome)
        if columnar is None and _arrow_refusal(policy, shape) is None:
            columnar = _text_records(policy, items, shape)      # None unless their numbers are text
            if columnar is not None:
                items = _Rows(columnar)
        if columnar is not None:
            exact, checked = _from_columns(policy, columnar, items, shape, as_of, names, outcome)
        else:
            datas = [r.data if isinstance(r, Record) else r for r in items]
            exact, checked, plain = _columns(policy, items, datas, shape, as_of, names, outcome)
    except Unsupported as e:
        if not outcome.per_record and not isinstance(e, Known):
            outcome.per_record["records"] = str(e)
        outcome.reasons = {e.why if isinstance(e, Known) else "no column form": n}
    if outcome.reasons.get("no column form") and outcome.per_record:   # the stream's next chunks: per record
        known.setdefault("per record", (outcome.per_record, outcome.vectorised))
    todo = np.flatnonzero(exact).tolist()
    if isinstance(items, _Rows):
        items.prefetch(todo)
    for i in todo:
        try:
            item = items[i]
            if checked[i]:
                item = _valid_record(policy, item, plain)
            outcome.results[i] = item if isinstance(item, KinerjaError) else \
                policy.evaluate(item, as_of=as_of, names=names)
        except KinerjaError as e:
            outcome.results[i] = e
    outcome.exact = int(exact.sum())
    outcome.columns = n - outcome.exact
    return outcome


def _valid_record(policy, item, plain: bool):
    """A record the column check accepted, as the per-record path would have it after validating
    (the check is sound: what it accepts the schema accepts), so that evaluate does not validate
    it again; the caller's dicts are used as they are when they are in normal form already."""
    if isinstance(item, KinerjaError):
        return item
    record = item if isinstance(item, Record) else Record(item, "<data>") if plain else Record.from_python(item)
    record.validated.add((policy.spec.subject_schema, policy.spec.schemas))
    return record


def _shape(policy):
    cache = policy.__dict__.setdefault("_vector_shape", {})
    if "shape" not in cache:
        try:
            cache["shape"] = shape_of(policy.spec.schemas or _standard(), policy.spec.subject_schema)
        except Unsupported as e:
            cache["shape"] = e
    if isinstance(cache["shape"], Unsupported):
        raise Unsupported(f"data schema: {cache['shape']}")
    return cache["shape"]


def _standard():
    from ..schemas import standard
    return standard()


class _Rows:
    """The records of a Columnar batch, each made (once) only when a step needs it as a Record."""

    def __init__(self, columnar: Columnar, where=None):
        self.columnar = columnar
        self.where = where
        self._made: dict[int, Record] = {}

    def __len__(self):
        return len(self.columnar) if self.where is None else len(self.where)

    def __getitem__(self, i):
        j = int(i if self.where is None else self.where[i])
        if j not in self._made:
            self._made[j] = self.columnar.record(j)
        return self._made[j]

    def source(self, i) -> str:
        return self.columnar.source(int(i if self.where is None else self.where[i]))

    def line(self, i) -> int:
        """The line (JSON Lines) or row (Parquet) number of record i, where its errors point."""
        return self.columnar.row_number(int(i if self.where is None else self.where[i]))

    def prefetch(self, rows) -> None:
        """Make the Records of these rows at once (one read of the file's rows)."""
        wanted = sorted({int(i if self.where is None else self.where[i]) for i in rows} - set(self._made))
        self._made.update(zip(wanted, self.columnar.records(wanted)))

    def subset(self, where) -> "_Rows":
        rows = _Rows(self.columnar, where if self.where is None else self.where[where])
        rows._made = self._made
        return rows


def _arrow_refusal(policy, shape) -> str | None:
    """Why the Arrow path cannot take this policy's records, or None."""
    if policy._dated:
        return "dated parameters"
    return "schema keywords checked per record" if shape.partial else None


def _text_records(policy, items: list, shape):
    """Python records with numbers as text as Arrow columns (records_arrow.py), or None (also without
    pyarrow: then they go through tables.from_dicts)."""
    try:
        from .records_arrow import text_records
    except ImportError:
        return None
    return text_records(policy, items, shape)


def _from_columns(policy, columnar: Columnar, items: _Rows, shape, as_of, names, outcome) -> np.ndarray:
    """As `_columns`, the tables made from the Arrow columns of `columnar` (records_arrow.TextRecords:
    Python records with numbers as text; their records are then checked by `policy.evaluate`)."""
    from .arrow_tables import from_arrow
    refusal = _arrow_refusal(policy, shape)
    rows = columnar.rows() if refusal is None else None
    if rows is None:
        raise Unsupported(refusal or "a file pyarrow cannot read as columns")
    subject = policy.spec.subject_schema
    text = columnar.lines is not None           # JSON Lines: numbers are their text, not their doubles
    references = None if policy._reference is None else arrow_references(policy, rows, text)
    if policy._reference is not None and references is None:
        raise Unsupported("a reference date read from columns pyarrow did not type exactly")
    python = columnar.python

    def tables(where, numbers="float"):
        return from_arrow(rows if where is None else rows.take(where), shape, subject, numbers, text, python)

    root, invalid = tables(None)
    valid = np.flatnonzero(~invalid)
    if len(valid) < len(items):
        root, _ = tables(valid)
    exact = np.ones(len(invalid), bool)
    outcome.reasons = {}

    outside = None if references is None else [policy.outside_period(references[i]) for i in valid]
    exact[valid] = _passes(policy, items.subset(valid), lambda again, numbers: tables(valid[again], numbers)[0],
                          root, policy.parameters_at(as_of), names, outcome, valid, outside, first=True)
    if invalid.any():
        outcome.reasons["invalid or unchecked data"] = int(invalid.sum())
    return exact, (~invalid & ~python)


def _columns(policy, items, datas, shape, as_of, names, outcome: BatchOutcome) -> np.ndarray:
    """Fill `outcome.results` for the records the columns decide; the mask of the others. Records that
    fail the column check are left out of the columns (and evaluated, with their errors, per record);
    records whose reference dates choose other parameter values are evaluated as separate groups."""
    _validate_records(policy, items, datas, shape.partial)
    subject = policy.spec.subject_schema
    known = np.flatnonzero([d is not None for d in datas])    # not refused by the per-record check
    root, bad = from_dicts([datas[i] for i in known], shape, subject)
    invalid = np.ones(len(datas), bool)
    invalid[known] = bad
    plain = root.plain
    valid = np.flatnonzero(~invalid)
    exact = np.ones(len(invalid), bool)
    outcome.reasons = {}
    for g, (when, members, outside) in enumerate(_by_parameters(policy, [datas[i] for i in valid], as_of, plain)):
        where = valid[members]
        group_items = [items[i] for i in where]
        if len(where) < len(known):
            root = _checked_tables([datas[i] for i in where], shape, subject, plain)
        exact[where] = _passes(policy, group_items, None, root, policy.parameters_at(when), names,
                              outcome, where, outside, first=g == 0)
    if invalid.any():
        outcome.reasons["invalid or unchecked data"] = int(invalid.sum())
    return exact, ~invalid & ~shape.partial, plain


def _checked_tables(datas: list, shape, subject: str, plain: bool, numbers: str = "float"):
    """The tables of records the column check accepted already (in a larger set, whose `plain`
    holds for them too): made again without checking them again."""
    root, _ = from_dicts(datas, shape, subject, numbers, checked=True)
    root.plain = plain
    return root


def _by_parameters(policy, datas: list, as_of, plain: bool) -> list[tuple]:
    """(date choosing the parameters, members, each member's outside-period note) per group of
    records evaluated with the same parameter values, as `Policy._prepare` chooses them."""
    if policy._reference is None:
        return [(as_of, np.arange(len(datas)), None)]
    references = [policy.reference_date(d if plain else _dating(policy, d)) for d in datas]
    groups: dict = {}
    for i, reference in enumerate(references):
        groups.setdefault(as_of or (reference if policy._dated else None), []).append(i)
    return [(when, np.array(members, dtype=np.int64), [policy.outside_period(references[i]) for i in members])
            for when, members in groups.items()]


def _dating(policy, data):
    """What `Policy.reference_date` reads of Python data, normalised as `Record.from_python` would:
    only the top-level fields the reference reads (`year`, a few bytes) when they are known, not
    the whole record (a 17 KB contract: about 1 ms)."""
    fields = policy.reference_fields
    if fields is None or not isinstance(data, dict):
        return normalise(data)
    return {k: normalise(v) for k, v in ((_key(k), v) for k, v in data.items()) if k in fields and v is not None}


def _passes(policy, items, tables, root, P, names, outcome, where, outside, first: bool) -> np.ndarray:
    """The columns over one group, numbers as floats with their bounds; then over the records that
    left unsure, with `tables(rows, numbers)`: their numbers as exact scaled integers (exact
    quotients where they terminate, scaled.py), and what is still unsure with the Decimals themselves
    (decimals.py). The mask of the records none of the passes decided. Without `tables` (Python
    records), no later pass: for them `policy.evaluate` is the cheaper exact path (23 µs a record on
    the peer bench's midpoint contracts, against 41 for the scaled pass, whose tables are made again
    from the objects); from Arrow columns the pass takes 15 µs a record, making a Record of an Arrow
    row alone 122."""
    exact, unsure = _decided(policy, items, root, P, names, outcome, where, outside, report=first)
    todo = np.arange(len(exact))
    for numbers in ("scaled", "decimal") if tables is not None else ():
        rows = todo[np.flatnonzero(unsure)]
        if not len(rows):
            break
        subset = items.subset(rows) if isinstance(items, _Rows) else [items[i] for i in rows]
        exact[rows], unsure = _decided(policy, subset, tables(rows, numbers), P, names, outcome, where[rows],
                                       None if outside is None else [outside[i] for i in rows], report=False)
        decided = int((~exact[rows]).sum())
        if decided:
            outcome.passes[numbers] = outcome.passes.get(numbers, 0) + decided
        outcome.reasons["near an edge or missing"] -= decided
        todo = rows
    outcome.reasons = {k: v for k, v in outcome.reasons.items() if v}
    return exact


def _decided(policy, items, root, P, names, outcome: BatchOutcome, where: np.ndarray, outside=None,
             report: bool = True):
    """The columns over valid records: results for those they decide (at `where` in the outcome); the
    mask of the rest, and of those among them left only by the float bound (`unsure`). `report` adds
    what vectorised and the reasons to the outcome."""
    n = len(items)
    with np.errstate(all="ignore"):
        batch = run_columns(policy, P, root, n)
        with_digits(policy, batch, P, root, names)
        values, unsure, skipped = output_values(policy, batch, n, names)
    per_record = {**batch.skipped, **skipped}
    if report:
        outcome.per_record = per_record
        outcome.vectorised = [v for v in batch.values if v not in per_record] + \
            [f"rule {r.id}" for r in policy.rules if f"rule {r.id}" not in per_record]
    everything = bool(skipped) or any(k.startswith("rule ") for k in per_record)
    exact = unsure | batch.unsure | everything
    found, refused = rule_violations(policy, batch, items, P, ~exact, root.plain)
    if report or outside is not None:
        for k, v in _reasons(exact, refused, n if everything else 0).items():
            outcome.reasons[k] = outcome.reasons.get(k, 0) + v
    exact |= refused
    rows = np.flatnonzero(~exact)
    outcome.results.decided(where[rows], Decided(policy, rows, values, found, _source(items), outside))
    return exact, (unsure | batch.unsure) & ~refused & (not everything)


def _source(items):
    """Where each record came from, as its Result says."""
    if isinstance(items, _Rows):
        return items.source
    return lambda i: items[i].source if isinstance(items[i], Record) else "<data>"


def _validate_records(policy, items: list, datas: list, every: bool) -> None:
    """Records (and, when the schema has keywords the columns cannot check, every record) are
    validated by the per-record path first; an invalid one leaves no data for the columns."""
    for i, r in enumerate(items):
        if not isinstance(r, Record) and not every:
            continue
        try:
            record = r if isinstance(r, Record) else Record.from_python(r)
            record.validate(policy.spec.subject_schema, policy.spec.schemas)
        except KinerjaError:
            datas[i] = None
            continue
        items[i], datas[i] = record, record.data


def _reasons(unsure, refused, everything: int) -> dict[str, int]:
    if everything:
        return {"no column form": everything}
    out = {"near an edge or missing": int(unsure.sum()), "messages quoting values": int((refused & ~unsure).sum())}
    return {k: v for k, v in out.items() if v}
