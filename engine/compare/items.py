"""A variant's per-item outputs without labels: the candidate's labels stand for them.

Attribution asks a variant (engine/compare/attribution.py) for the value of a changed output at one
item label, `capaian_periode[1a-N Q1]`. Labelling every item of every variant renders the key
template once per item (80 times per variant for a contract of 20 IKU with 4 periods), to read one
or two of them. When the variant labels an output as the candidate does, the labels need not be
rendered again: the output's entry is not reverted (the same for_each and key), its key reads
nothing but the items (`ValueInfo.label_reads` empty: same items, same labels), and on this record
its items are the candidate's, in the same order, with no two items sharing a label (so each label
names one item). Then the label's position among the candidate's labels is the item's position
among the variant's items, and the variant's value is read there.
"""
from __future__ import annotations

from typing import Any

from ..policy.policy import ValueInfo


def same_labels(candidate: ValueInfo, variant: ValueInfo) -> bool:
    """Whether the variant's entry labels its items as the candidate's does (per-item, same key, the
    key reading only the items)."""
    return (bool(candidate.bound) and len(candidate.bound) == len(variant.bound)
            and candidate.label_reads == [] and variant.label_reads == []
            and candidate.entry.data.get("key") == variant.entry.data.get("key"))


def same_items(items, candidate_items, candidate_labelled) -> bool:
    """On this record: the variant's items are the candidate's (the same objects, in order: one
    binding gives the collection itself, nested ones binding tuples), each with its own label."""
    if candidate_items is None or not isinstance(candidate_labelled, dict):
        return False
    return (items is candidate_items or items == candidate_items) and len(candidate_labelled) == len(candidate_items)


def item_value(raw: tuple, position: int | None, nested: bool) -> Any:
    """The value at the item in `position` of a variant's unlabelled output (values by item, items):
    nested values are keyed by position, one binding's by the item's identity (`Policy._output`)."""
    values, items = raw
    if position is None or values is None:
        return None
    return dict.get(values, position) if nested else dict.get(values, id(items[position]))


class Positions:
    """Per output, each candidate label's position among its items, made when first asked (per record)."""

    def __init__(self, labelled: dict):
        self._labelled = labelled
        self._made: dict[str, dict[str, int]] = {}

    def of(self, output: str) -> dict[str, int]:
        found = self._made.get(output)
        if found is None:
            found = self._made[output] = {label: n for n, label in enumerate(self._labelled[output])}
        return found
