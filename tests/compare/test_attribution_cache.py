"""What compare's attribution keeps in the cache (engine/compare/attribution.py): the two policies'
differences, what each one-difference variant reads (or why it does not check) and the focused
variants, keyed by both policies' build facts (`Policy.content`). A second run reads them back and
prints exactly what a run without the cache prints; an edited draft, or a damaged entry, is built
again."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from engine import cache
from engine.compare import Attributor, PolicyPair
from engine.compare.attribution import DIFF_KIND, GRAPH_KIND
from engine.policy import stored
from engine.policy.registry import DEFAULT, Registry
from tests.conftest import ROOT
from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")

RECORDS = ["examples/pk_2024_kppn_semarang_i.yaml", "examples/pk_2024_kanwil_jateng_q3.yaml",
           "examples/pk_2024_djpb_too_many_iku.yaml"]
CORPUS = "corpus/kemenkeu_2024.jsonl"
KINDS = (DIFF_KIND, GRAPH_KIND, stored.VARIANT_KIND)
DRAFT = """\
policy: kmk_300_2024
extends: kmk_300_2022
parameters:
  iku_limits.upk_one.max:
    value: {limit}
    cite: KMK 2/KMK.01/2024 (hipotetis), batas IKU UPK One
    status: provisional
    note: A hypothetical amendment.
"""


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    yield folder
    cache.disable(False)


def _compare(*args: str, no_cache: bool = False) -> str:
    """The JSON report, as a new process would make it (the registry's policies in memory dropped)."""
    DEFAULT._cache.clear()
    r = run(*(["--no-cache"] if no_cache else []), "compare", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return r.output


def test_a_second_run_reads_the_variants_back_and_prints_the_same(cache_dir):
    env = {**os.environ, cache.DIR_ENV: str(cache_dir)}
    probe = ("import sys; from engine.commands import main\n"
             "try:\n    main(['compare', '--base', 'kmk_467_2014', '--candidate', 'kmk_300_2022', '--format', 'json',"
             f" *{RECORDS!r}])\n"
             "except SystemExit as e:\n"
             "    print(e.code, 'lark' in sys.modules, file=sys.stderr)")
    cold, warm = [subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                                 timeout=300) for _ in range(2)]
    assert cold.stderr.splitlines()[-1] == "0 True", cold.stderr
    assert warm.stderr.splitlines()[-1] == "0 False", warm.stderr   # no expression parsed: nothing diffed or built
    assert [bool(cache.entries(kind)) for kind in KINDS] == [True, True, True]
    uncached = _compare("--base", "kmk_467_2014", "--candidate", "kmk_300_2022", *RECORDS, no_cache=True)
    assert cold.stdout == warm.stdout == uncached
    assert json.loads(warm.stdout)["summary"]["attribution"], "the runs attribute something"


def test_an_edited_draft_is_attributed_afresh(cache_dir, tmp_path):
    draft = tmp_path / "kmk_300_2024"
    draft.mkdir()
    changed, outputs = [], []
    for limit in (18, 12):
        (draft / "policy.yaml").write_text(DRAFT.format(limit=limit), encoding="utf-8")
        args = ("--base", "kmk_300_2022", "--candidate", str(draft), CORPUS)
        warm = [_compare(*args) for _ in range(2)]
        assert warm[0] == warm[1] == _compare(*args, no_cache=True)
        summary = json.loads(warm[0])["summary"]
        changed.append(summary["changed"])
        outputs.append(warm[0])
        assert summary["attribution"][0]["change"] == "parameter iku_limits.upk_one.max"
    assert changed == [4, 11] and outputs[0] != outputs[1]   # the second figure's outcomes, not the first's


def test_damaged_entries_are_built_again(cache_dir):
    args = ("--base", "kmk_467_2014", "--candidate", "kmk_300_2022", *RECORDS)
    first = _compare(*args)
    for kind in KINDS:
        for entry in cache.entries(kind):
            entry.write_bytes(entry.read_bytes()[:-7] + b"damaged")
    assert _compare(*args) == first


def test_only_policies_the_cache_describes_key_what_is_derived_from_them(cache_dir):
    registry = Registry()
    base, candidate = registry.load("kmk_467_2014"), registry.load("kmk_300_2022")
    assert base.content and candidate.content and base.content != candidate.content
    assert Registry().load("kmk_300_2022").content == candidate.content   # brought back: the same key
    assert candidate.with_parameters({}).content is None                  # no longer what its files say
    pair = PolicyPair.load("kmk_467_2014", "kmk_300_2022", registry)
    assert Attributor(pair.base, pair.candidate)._content is not None
    given = Attributor(pair.base, pair.candidate).changes
    assert Attributor(pair.base, pair.candidate, changes=given)._content is None
    cache.disable()
    assert Registry().load("kmk_300_2022").content is None                # built without the cache


def test_a_kept_whole_variant_evaluates_as_the_one_built(cache_dir):
    from engine.record import read_records
    record = next(read_records(RECORDS[0]))
    made = []
    for _ in range(2):               # the first builds and keeps it, the second (a new process) reads it
        DEFAULT._cache.clear()
        pair = PolicyPair.load("kmk_467_2014", "kmk_300_2022")
        att = Attributor(pair.base, pair.candidate)
        separable = att.separable()
        i = next(i for i in att.effective if att.changes[i].section == "rule" and separable[i])
        key = att._key(frozenset([i]), "whole")
        made.append((stored.fetch_variant(key) is not None, att.variant(frozenset([i]))))
    assert [kept for kept, _ in made] == [False, True]
    first, second = (v.evaluate(record) for _, v in made)
    assert (first.values, first.to_dict()) == (second.values, second.to_dict())


def test_every_kind_kept_for_attribution_is_bounded():
    """engine/cache.py names these kinds' bounds; a renamed kind would grow without end."""
    assert set(KINDS) <= cache.BOUNDED.keys()
