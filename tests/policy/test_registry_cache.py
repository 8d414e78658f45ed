"""The registry compiles a policy once per name it is asked for, and a relative path is resolved
against the current directory at the time it is used (never a stale policy after a chdir)."""
import shutil

from engine.policy.registry import Registry
from tests.conftest import ROOT


def test_a_policy_is_compiled_once_per_name(monkeypatch):
    registry = Registry(ROOT / "policies")
    monkeypatch.chdir(ROOT)
    by_id = registry.load("kmk_300_2022")
    assert registry.load("kmk_300_2022") is by_id
    by_path = registry.load("policies/kmk_300_2022")
    assert registry.load("policies/kmk_300_2022") is by_path
    assert by_id.spec.file == str(ROOT / "policies/kmk_300_2022/policy.yaml")   # ids: the registry's own path


def test_a_relative_path_means_the_current_directory(tmp_path, monkeypatch):
    registry = Registry(ROOT / "policies")
    for name in ("a", "b"):
        shutil.copytree(ROOT / "policies/kmk_300_2022", tmp_path / name / "p")
    text = (tmp_path / "b/p/policy.yaml").read_text(encoding="utf-8")
    (tmp_path / "b/p/policy.yaml").write_text(text.replace("title: Manajemen Kinerja", "title: Draft B"), encoding="utf-8")
    monkeypatch.chdir(tmp_path / "a")
    first = registry.load("p")
    monkeypatch.chdir(tmp_path / "b")
    second = registry.load("p")
    assert first is not second and second.title.startswith("Draft B")
