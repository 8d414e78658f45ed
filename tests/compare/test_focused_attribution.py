"""Focused attribution (`Attributor.focused`, `Policy.outcome`) explains every change exactly as the
whole variants evaluated into full `Result`s did, on the generated corpus.

`WholeVariants` is the attribution as it was before variants were focused: each variant reverting
some differences is the whole candidate policy with them reverted, evaluated into a `Result` whose
values are flattened and whose violations are keyed by rule id and data path. Every comparison
(values, violations, attribution, provisional figures) must come out the same.
"""
import textwrap

import pytest

from engine.compare import Attributor, Comparer, PolicyPair
from engine.errors import KinerjaError
from engine.policy.registry import Registry
from engine.record import Record
from engine.synthetic import generate
from tests.compare.test_compare import BASE   # t_base: score, grade and the rule score-limit
from tests.conftest import contract

pytestmark = pytest.mark.usefixtures("at_root")

DRAFT = "tests/fixtures/compare/draft_kmk_300_amendment"


class WholeVariants(Comparer):
    """The reference: whole variants, full Results."""

    def _outcomes(self, record, rules, run=None, labelled=None):   # no seed, labels rendered
        outcomes = {}

        def outcome(idxs):
            if idxs not in outcomes:
                variant = self.attributor.variant(idxs)
                try:
                    r = self.evaluate(variant, record) if variant is not None else None
                except KinerjaError:
                    r = None
                outcomes[idxs] = None if r is None else ((variant, r.values), self.keys(r.violations))
            return outcomes[idxs]

        return outcome

    def _restores_value(self, v, positions=None):   # the values flattened, as `compare` pairs them
        return lambda out: self.pair.same(v.output, v.base, self.flat(*out[0]).get(v.name, (None, None))[1])


def corpus(units: int, years: tuple[int, ...], gaps: bool):
    return [Record.from_python(d, f"generated:{n}") for n, d in
            enumerate(generate(units=units, years=years, seed=7, violations=0.3, gaps=gaps))]


@pytest.mark.parametrize("base, candidate, gaps", [("kmk_467_2014", "kmk_300_2022", False),
                                                   ("kmk_467_2014", "kmk_300_2022", True),
                                                   ("kmk_300_2022", "kmk_467_2014", True),
                                                   ("kmk_300_2022", DRAFT, True)])
def test_focused_attribution_equals_whole_variants(base, candidate, gaps):
    pair = PolicyPair.load(base, candidate)
    attributor = Attributor(pair.base, pair.candidate)
    focused, whole = Comparer(pair, attributor=attributor), WholeVariants(pair, attributor=attributor)
    records = corpus(40, (2023, 2024), gaps)
    explained = 0
    for n, record in enumerate(records):
        new, old = focused.compare(record, n), whole.compare(record, n)
        assert new == old, f"record {n} ({new.label})"
        explained += sum(a.change != "unexplained" for a in new.attribution)
    assert explained > len(records)   # the corpus exercises attribution, not only unexplained changes


def test_focused_variant_computes_only_what_its_outcomes_reach():
    pair = PolicyPair.load("kmk_467_2014", "kmk_300_2022")
    attributor = Attributor(pair.base, pair.candidate)
    comparer = Comparer(pair, attributor=attributor)
    i = attributor.labels.index("value level")
    values, rules = comparer.focus(frozenset([i]))
    variant = attributor.focused(frozenset([i]), values, rules)
    whole = attributor.variant(frozenset([i]))
    assert "level" in values and "level" in variant.values
    assert len(variant.values) < len(whole.values) and len(variant.rules) < len(whole.rules)
    assert {r.id for r in variant.rules} == rules & {r.id for r in whole.rules}


def test_a_variant_whose_message_reads_a_value_left_out_is_evaluated_whole(tmp_path):
    candidate = """\
        policy: t_cand
        extends: t_base
        title: t_cand
        confidential: [grade]
        parameters:
          threshold: {value: 8, cite: draft, status: confirmed}
        rules:
          - id: score-limit
            message: "score {score} ({grade})"
        """
    for pid, text in (("t_base", BASE), ("t_cand", textwrap.dedent(candidate))):
        (tmp_path / pid).mkdir()
        (tmp_path / pid / "policy.yaml").write_text(text, encoding="utf-8")
    pair = PolicyPair.load("t_base", "t_cand", Registry(tmp_path))
    attributor = Attributor(pair.base, pair.candidate)
    comparer = Comparer(pair, attributor=attributor)
    i = attributor.labels.index("parameter threshold")
    values, rules = comparer.focus(frozenset([i]))
    assert (values, rules) == (frozenset(), frozenset({"score-limit"}))   # grade is confidential: not compared
    assert attributor.focused(frozenset([i]), values, rules) is attributor.variant(frozenset([i]))
    iku = contract()["iku"][0]
    record = Record.from_python(contract(iku=[{**iku, "code": f"{k}a-N"} for k in range(9)]), "nine.yaml")
    rc = comparer.compare(record)
    assert [str(a) for a in rc.attribution] == ["new score-limit: parameter threshold"]
    assert rc == WholeVariants(pair, attributor=attributor).compare(record)


def test_focused_variants_of_a_policy_with_label_equivalences_are_cut():
    """KMK 300 declares label equivalences for `level`; a focused variant that leaves `level` out
    drops that declaration with it, so it builds cut (not as the whole, slower variant)."""
    pair = PolicyPair.load("kmk_467_2014", "kmk_300_2022")
    attributor = Attributor(pair.base, pair.candidate)
    comparer = Comparer(pair, attributor=attributor)
    cut = 0
    for i in attributor.effective:
        idxs = frozenset([i])
        values, rules = comparer.focus(idxs)
        focused, whole = attributor.focused(idxs, values, rules), attributor.variant(idxs)
        if focused is not None and whole is not None and "level" not in values and focused is not whole:
            assert "level" not in focused.values
            cut += 1
    assert cut > 0


def test_a_variant_takes_what_no_reverted_difference_reaches_from_the_candidate_s_run():
    """Reverting the `nilai_ss` formula leaves the whole capaian chain as the candidate computes it: the
    variant takes those values from the candidate's run (a seed) and computes only nilai_ss onwards."""
    pair = PolicyPair.load("kmk_467_2014", "kmk_300_2022")
    attributor = Attributor(pair.base, pair.candidate)
    comparer = Comparer(pair, attributor=attributor)
    idxs = frozenset([attributor.labels.index("value nilai_ss")])
    variant = attributor.focused(idxs, *comparer.focus(idxs))
    seeded = comparer.seeded(idxs, variant)
    assert {"capaian_tahunan", "realisasi_kumulatif", "iku_utama"} <= seeded
    assert not seeded & {"nilai_ss", "nilai_perspektif", "nko", "predikat"}
    record = corpus(3, (2024,), False)[0]
    runs = []
    comparer.evaluate(pair.candidate, record, runs)
    wrong = {**runs[0][0], "capaian_tahunan": {k: v * 2 for k, v in runs[0][0]["capaian_tahunan"].items()}}
    names = ["nko"]
    plain = variant.outcome(record, names, ())
    assert variant.outcome(record, names, (), seed=(*runs[0], seeded)) == plain
    assert variant.outcome(record, names, (), seed=(wrong, runs[0][1], seeded)) != plain   # taken, not recomputed


def test_nothing_is_seeded_with_dated_parameters():
    from engine.compare.reach import unreached
    pair = PolicyPair.load("kmk_467_2014", "kmk_300_2022")
    reads = pair.candidate.reads
    assert "iku_utama" in unreached(reads, pair.candidate.values, pair.candidate, {"nilai_ss"}, False)
    assert unreached(reads, pair.candidate.values, pair.candidate, {"nilai_ss"}, True) == frozenset()


def test_a_variant_reads_its_per_item_outputs_by_the_candidate_s_labels():
    """Reverting a capaian function keeps the for_each and key of capaian_periode: the variant's values
    are read at the candidate's label positions, not labelled again; labels that collide, or other
    items, mean labelling after all."""
    from engine.compare.items import item_value, same_items
    pair = PolicyPair.load("kmk_467_2014", "kmk_300_2022")
    attributor = Attributor(pair.base, pair.candidate)
    comparer = Comparer(pair, attributor=attributor)
    idxs = frozenset([attributor.labels.index("function capaian")])
    variant = attributor.focused(idxs, *comparer.focus(idxs))
    assert {"capaian_periode", "capaian_tahunan", "nilai_ss"} <= comparer.unlabelled(idxs, variant)
    record = corpus(3, (2024,), False)[0]
    names = ["capaian_periode", "capaian_tahunan"]
    labelled, _ = variant.outcome(record, names, ())
    raw, _ = variant.outcome(record, names, (), unlabelled=frozenset(names))
    for name in names:
        nested = name == "capaian_periode"
        assert [item_value(raw[name], n, nested) for n in range(len(labelled[name]))] == list(labelled[name].values())
    items = raw["capaian_tahunan"][1]
    assert same_items(items, items, {str(n): None for n in range(len(items))})
    assert not same_items(items, items, {"same label": None})      # two items share a label
    assert not same_items(items, list(reversed(items)), {str(n): None for n in range(len(items))})
