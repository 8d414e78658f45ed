"""What a reverted difference can reach (engine/compare/reach.py), and variants that are only checked.

A variant is evaluated for an outcome only when one of the differences it reverts lies in the
candidate's dependency closure of that outcome; a difference only the base reads can explain a
change only together with others. Separability and what a variant reads come from checking it,
without compiling it.
"""
import pytest

from engine.compare import Attributor, Comparer, PolicyPair
from tests.compare.test_compare import nine_iku, registry  # noqa: F401 - the fixture
from tests.compare.test_focused_attribution import WholeVariants

pytestmark = pytest.mark.usefixtures("at_root")

# The candidate no longer reads bonus_a, and changes it: reverting bonus_a alone cannot move the
# score (the candidate does not read it), reverting the score alone reads the candidate's bonus_a.
STOPS_READING = """\
    parameters:
      bonus_a: {value: 3, cite: draft, status: confirmed}
    values:
      score: {expr: count(contract.iku) + bonus_b + 1, cite: draft}
    """


def counting(comparer: Comparer) -> list:
    """The variants `comparer` evaluates (their reverted differences' labels), recorded as it goes."""
    seen = []
    outcomes = comparer._outcomes

    def spy(record, changing, run, labelled):
        outcome = outcomes(record, changing, run, labelled)

        def asked(idxs):
            seen.append(sorted(comparer.attributor.labels[i] for i in idxs))
            return outcome(idxs)

        return asked

    comparer._outcomes = spy
    return seen


def test_a_difference_only_the_base_reads_is_not_evaluated_alone(registry):  # noqa: F811
    registry.write("t_cand", STOPS_READING)
    pair = PolicyPair.load("t_base", "t_cand", registry)
    attributor = Attributor(pair.base, pair.candidate)
    comparer = Comparer(pair, attributor=attributor)
    seen = counting(comparer)
    labels = attributor.labels
    bonus, score = labels.index("parameter bonus_a"), labels.index("value score")
    assert set(comparer.relevant("value", "score", None)) == {bonus, score}
    assert comparer.reached("value", "score") == {score}
    rc = comparer.compare(nine_iku())
    why = {a.item: a.change for a in rc.attribution}
    assert why["score"] == "parameter bonus_a + value score (together)"
    assert ["parameter bonus_a"] not in seen and ["value score"] in seen
    assert rc == WholeVariants(pair, attributor=attributor).compare(nine_iku())


def test_with_dated_parameters_every_parameter_difference_reaches_every_outcome(registry):  # noqa: F811
    registry.write("t_cand", """\
        parameters:
          bonus_a: {value: 3, cite: draft, status: confirmed}
          bonus_b:
            cite: draft
            status: provisional
            note: dated, so that the reference date chooses its value
            values: [{from: 2020-01-01, value: 0}, {from: 2030-01-01, value: 1}]
        values:
          score: {expr: count(contract.iku) + bonus_b + 1, cite: draft}
        """)
    pair = PolicyPair.load("t_base", "t_cand", registry)
    comparer = Comparer(pair, attributor=Attributor(pair.base, pair.candidate))
    labels = comparer.attributor.labels
    assert labels.index("parameter bonus_a") in comparer.reached("value", "score")


def test_separability_is_known_from_checking_variants_without_compiling_them(registry):  # noqa: F811
    registry.write("t_cand", """\
        parameters:
          threshold: {value: 8, cite: draft, status: confirmed}
          extra: {value: 1, cite: draft, status: confirmed}
        values:
          score: {expr: count(contract.iku) + bonus_a + bonus_b + extra, cite: draft}
        """)
    pair = PolicyPair.load("t_base", "t_cand", registry)
    attributor = Attributor(pair.base, pair.candidate)
    separable = {attributor.labels[i]: ok for i, ok in attributor.separable().items()}
    assert separable == {"parameter threshold": True, "parameter extra (added)": False, "value score": True}
    assert not attributor._variants   # nothing compiled
    extra = frozenset([attributor.labels.index("parameter extra (added)")])
    assert attributor.variant(extra) is None and "extra" in attributor.failures[extra]
