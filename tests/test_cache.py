"""The content-keyed cache (engine/cache.py): where it lives, that it is off when asked, that damaged,
unreadable or half-written entries are misses and never errors, that bounded kinds stay bounded, and
that a warm start needs neither lark, jsonschema, PyYAML nor the checker and compiler."""
from __future__ import annotations

import multiprocessing
import os
import subprocess
import time
import sys
from pathlib import Path

import pytest

from engine import cache

from conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml"


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    monkeypatch.delenv(cache.ENV, raising=False)
    yield folder
    cache.disable(False)   # `--no-cache` in an in-process run turns it off for the process


def test_the_folder_is_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.folder() == tmp_path / "xdg" / "kinerja"
    monkeypatch.delenv("XDG_CACHE_HOME")
    if sys.platform.startswith("linux"):
        assert cache.folder() == Path.home() / ".cache" / "kinerja"
    monkeypatch.setenv(cache.DIR_ENV, str(tmp_path / "mine"))
    assert cache.folder() == tmp_path / "mine"


def test_digest_keeps_parts_apart():
    assert cache.digest("ab", "c") != cache.digest("a", "bc")
    assert cache.digest("a", b"b") == cache.digest(b"a", "b") and len(cache.digest("x")) == 64


def test_an_entry_reads_back_and_a_damaged_one_is_a_miss(cache_dir):
    cache.write("thing", "key", b"payload")
    assert cache.read("thing", "key") == b"payload" and cache.read("thing", "other") is None
    [entry] = cache.entries("thing")
    whole = entry.read_bytes()
    for damaged in (b"", whole[:10], whole[:-1], whole[:-1] + b"X", b"x" * len(whole)):
        entry.write_bytes(damaged)
        assert cache.read("thing", "key") is None
    entry.unlink()
    entry.mkdir()   # unreadable as a file
    assert cache.read("thing", "key") is None
    cache.write("thing", "key", b"again")   # cannot replace a folder: nothing kept, no error
    assert cache.read("thing", "key") is None


@pytest.mark.parametrize("how", ["env", "flag"])
def test_off_reads_and_writes_nothing(cache_dir, monkeypatch, how):
    cache.write("thing", "key", b"kept before")
    if how == "env":
        monkeypatch.setenv(cache.ENV, "off")
    else:
        cache.disable()
    try:
        assert not cache.enabled() and cache.read("thing", "key") is None
        cache.write("thing", "new", b"x")
    finally:
        cache.disable(False)
        monkeypatch.delenv(cache.ENV, raising=False)
    assert cache.read("thing", "new") is None and cache.read("thing", "key") == b"kept before"


def test_an_unwritable_folder_is_no_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(cache.DIR_ENV, str(blocker / "cache"))
    cache.write("thing", "key", b"payload")
    assert cache.read("thing", "key") is None and not list(tmp_path.glob(".tmp-*"))


def _write_many(folder: str, payload: bytes) -> None:
    os.environ[cache.DIR_ENV] = folder
    for _ in range(40):
        cache.write("race", "key", payload)


def test_concurrent_writers_never_show_half_an_entry(cache_dir):
    payloads = [bytes([n]) * 400_000 for n in range(3)]
    ctx = multiprocessing.get_context("spawn")
    writers = [ctx.Process(target=_write_many, args=(str(cache_dir), p)) for p in payloads]
    for w in writers:
        w.start()
    seen = set()
    while any(w.is_alive() for w in writers):
        got = cache.read("race", "key")
        seen.add(got if got is None else got[:1] * len(got))
    for w in writers:
        w.join()
    assert seen <= {None, *payloads}
    assert cache.read("race", "key") in payloads
    [entry] = cache.entries("race")
    assert list(entry.parent.iterdir()) == [entry]   # no temporary file left behind


def _kinerja(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


HEAVY = ["engine.lang.checker", "engine.lang.compiler", "jsonschema", "lark", "referencing", "yaml"]


def test_a_warm_start_needs_neither_lark_nor_jsonschema_nor_yaml_nor_the_compiler(cache_dir):
    env = {**os.environ, cache.DIR_ENV: str(cache_dir)}
    probe = ("import sys, engine; p = engine.load_policy('kmk_300_2022'); "
             f"r = p.evaluate(next(engine.read_records({str(EXAMPLE)!r}))); "
             f"print(r.values['nko'], [m for m in {HEAVY!r} if m in sys.modules])")
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=120) for _ in range(2)]
    assert [r.stdout for r in runs] == [f"104.48 {HEAVY}\n", "104.48 []\n"], runs


def test_a_warm_validate_needs_no_coverage_machinery_nor_the_compiler(cache_dir):
    """`kinerja validate` runs the cases; measuring coverage is `kinerja test --coverage`'s alone."""
    env = {**os.environ, cache.DIR_ENV: str(cache_dir)}
    unwanted = ["engine.policy.coverage", "engine.lang.checker", "engine.lang.compiler", "lark", "yaml"]
    probe = ("import sys; from engine.commands import main\n"
             "try:\n    main(['validate', 'kmk_300_2022'])\n"
             f"except SystemExit as e:\n    print(e.code, [m for m in {unwanted!r} if m in sys.modules])")
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                           timeout=120) for _ in range(2)]
    assert runs[1].stdout.splitlines()[-1] == "0 []", runs
    assert runs[1].stdout.splitlines()[0].startswith("OK  kmk_300_2022: "), runs


def test_no_cache_option_and_env_leave_the_folder_empty(cache_dir, monkeypatch):
    result = run_cli("--no-cache", "check", "--policy", "kmk_300_2022", EXAMPLE)
    assert result.exit_code == 0 and not cache_dir.exists()
    env = {**os.environ, cache.DIR_ENV: str(cache_dir), cache.ENV: "off"}
    assert _kinerja("check", "--policy", "kmk_300_2022", str(EXAMPLE), env=env).returncode == 0
    assert not cache_dir.exists()
    del env[cache.ENV]   # on again
    assert _kinerja("check", "--policy", "kmk_300_2022", str(EXAMPLE), env=env).returncode == 0
    assert [bool(cache.entries(kind)) for kind in ("grammar", "policy", "schema")] == [True] * 3


def test_cold_warm_and_uncached_runs_print_the_same(cache_dir):
    env = {**os.environ, cache.DIR_ENV: str(cache_dir)}
    args = ("check", "--policy", "auto", str(EXAMPLE), str(ROOT / "examples" / "pk_2024_djpb_too_many_iku.yaml"),
            str(ROOT / "examples" / "invalid"))   # violations, and located schema and YAML errors
    cold, warm = _kinerja(*args, env=env), _kinerja(*args, env=env)
    uncached = _kinerja("--no-cache", *args, env=env)
    assert cold.returncode == warm.returncode == uncached.returncode == 2
    assert "pk_2024_schema_error.yaml:39:15: iku[0].polarity" in cold.stdout
    assert cold.stdout == warm.stdout == uncached.stdout and cold.stderr == warm.stderr == uncached.stderr
    assert len(cache.entries("yaml")) == 3   # the file that does not parse is not kept


def test_remembered_keeps_a_result_but_never_an_error(cache_dir):
    calls = []

    def make(value):
        calls.append(value)
        if value == "bad":
            raise ValueError("no")
        return {"value": value}

    assert cache.remembered("thing", "k", lambda: make(1)) == {"value": 1}
    assert cache.remembered("thing", "k", lambda: make(2)) == {"value": 1} and calls == [1]
    for _ in range(2):
        with pytest.raises(ValueError):
            cache.remembered("thing", "e", lambda: make("bad"))
    assert calls == [1, "bad", "bad"]
    assert cache.remembered("thing", "f", lambda: (lambda: 3))() == 3   # cannot be pickled: not kept
    assert cache.read("thing", "f") is None


def test_a_new_version_removes_old_versions_nothing_wrote_to_for_a_month(cache_dir):
    old, recent = cache_dir / "v-old", cache_dir / "v-recent"
    for folder, age_days in ((old, cache.KEEP_DAYS + 1), (recent, 1)):
        (folder / "policy").mkdir(parents=True)
        (folder / "policy" / "x.bin").write_bytes(b"x")
        when = time.time() - age_days * 86400
        os.utime(folder, (when, when))
    cache.write("thing", "key", b"payload")
    assert not old.exists() and recent.exists() and cache.read("thing", "key") == b"payload"


def test_a_bounded_kind_stays_bounded(cache_dir, monkeypatch):
    monkeypatch.setitem(cache.BOUNDED, "data", 16)   # a process may write 2 of them into a folder
    for run in range(20):
        monkeypatch.setattr(cache, "_written", {})   # a new process
        for n in range(3):
            cache.write("data", f"{run}-{n}", b"x")
        assert len(cache.entries("data")) <= 16
        assert (cache.read("data", f"{run}-1"), cache.read("data", f"{run}-2")) == (b"x", None)
    assert cache.read("data", "0-0") is None   # written first: removed when the folder was full
    cache.write("thing", "unbounded", b"x")
    assert cache.read("thing", "unbounded") == b"x"


def test_an_upgraded_library_is_a_new_version(monkeypatch, tmp_path):
    # lark's parser tables and PyYAML's parsed documents are kept: a new lark or PyYAML must miss
    fake = tmp_path / "lark" / "__init__.py"
    fake.parent.mkdir()
    fake.write_text("__version__ = '1.1'\n")
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: type("Spec", (), {"origin": str(fake)}) if name == "lark" else real(name, *a))

    def key():
        monkeypatch.setattr(cache, "_version", None)
        return cache.version_key()

    before = key()
    assert key() == before
    fake.write_text("__version__ = '1.2.2'\n")     # an upgrade rewrites the package's files
    assert key() != before
    assert cache._library_stamp("no_such_library_here") == "no_such_library_here: not found"
    assert set(cache.LIBRARIES) == {"lark", "yaml", "jsonschema"}
