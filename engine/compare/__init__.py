"""Comparing two policies over many contracts: what changes for each unit if CANDIDATE replaces BASE.

Every record is evaluated under both policies (`comparer`) and becomes a `RecordComparison`
(`model`): the outputs common to both with their deltas, the violations that appear or disappear,
which policy difference explains each change (`attribution`) and the provisional figures involved.
The records come from the DATA arguments (`inputs`) and are compared in input order by one or
several worker processes (`parallel`); a `Summary` folds them into bounded aggregates (`summary`,
`statistics`). The policies are a `PolicyPair` (`pair`). Rendering is `engine.report`'s business:
nothing here writes sentences for a reader.
"""
from .attribution import Attributor, revert
from .comparer import Comparer
from .inputs import count_records, materialise, tasks
from .model import Attribution, ErrorInfo, RecordComparison, ValueDiff, ViolationDiff, record_label
from .pair import PolicyPair, closure
from .parallel import compare_into, compare_stream
from .statistics import DeltaStats
from .summary import Summary

__all__ = ["Attribution", "Attributor", "Comparer", "DeltaStats", "ErrorInfo", "PolicyPair", "RecordComparison",
           "Summary", "ValueDiff", "ViolationDiff", "closure", "compare_into", "compare_stream", "count_records",
           "materialise", "record_label", "revert", "tasks"]
