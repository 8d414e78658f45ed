"""Violations from `Policy.evaluate` are made lazily (engine/result.py `Pending`): every way of looking
at one sees the complete object, and its text is made from the data as it was evaluated."""
import copy
import dataclasses
import pickle
from pathlib import Path

import engine

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "pk_2024_djpb_too_many_iku.yaml"


def _violation():
    policy = engine.load_policy("kmk_300_2022")
    record = next(engine.read_records(EXAMPLE))
    (v, *_) = [v for v in policy.evaluate(record).violations if v.rule == "pk-iku-count"]
    return v


def test_a_pending_violation_reads_like_a_complete_one():
    v = _violation()
    assert "_fill" in v.__dict__ and "message" not in v.__dict__   # nothing rendered yet
    complete = dataclasses.asdict(v)
    assert "_fill" not in v.__dict__
    assert complete["rule"] == "pk-iku-count" and complete["message"] == v.message
    assert complete["title"] == "Jumlah IKU sesuai batas level UPK"
    assert complete["cite"].startswith("KMK 300/KMK.01/2022")


def test_pickling_copying_replacing_and_comparing_complete_it_first():
    for make in (lambda v: pickle.loads(pickle.dumps(v)), copy.copy, copy.deepcopy,
                 lambda v: dataclasses.replace(v, severity="warning")):
        v = _violation()
        other = make(v)
        assert "_fill" not in other.__dict__
        assert (other.rule, other.message, other.path, other.line) == (v.rule, v.message, v.path, v.line)
    assert _violation() == _violation()
    assert repr(_violation()).startswith("Violation(rule='pk-iku-count', title='Jumlah IKU")
