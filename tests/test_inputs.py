"""engine/inputs.py: which data files DATA arguments name, in which order, and the error for an
argument that names none."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from engine.errors import DataError
from engine.inputs import (Inputs, data_format, find_inputs, is_data_file, iter_inputs, same_file)


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kind: x\n", encoding="utf-8")


def names(inputs: Inputs, root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() if p.is_absolute() else p.as_posix() for p in inputs.files]


def messages(inputs: Inputs) -> list[str]:
    return [str(e) for e in inputs.errors]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    touch(tmp_path, "data/b.yaml", "data/a.json", "data/sub/c.jsonl", "data/sub/d.yml",
          "data/notes.txt", "data/README.md")
    return tmp_path


def test_folder_files_are_sorted_with_only_data_extensions(tree):
    found = find_inputs(["data"])
    assert names(found, tree) == ["data/a.json", "data/b.yaml", "data/sub/c.jsonl", "data/sub/d.yml"]
    assert found.errors == []


def test_order_follows_the_arguments(tree):
    found = find_inputs(["data/sub", "data/b.yaml"])
    assert names(found, tree) == ["data/sub/c.jsonl", "data/sub/d.yml", "data/b.yaml"]


def test_folder_order_matches_path_order_not_string_order(tree):
    touch(tree, "order/b/x.yaml", "order/b.yaml", "order/a-z.yaml")
    assert names(find_inputs(["order"]), tree) == ["order/a-z.yaml", "order/b/x.yaml", "order/b.yaml"]


def test_extensions_match_in_any_letter_case(tree):
    touch(tree, "cases/A.YAML", "cases/B.Json", "cases/C.JSONL", "cases/D.Yml", "cases/E.Txt")
    assert names(find_inputs(["cases"]), tree) == ["cases/A.YAML", "cases/B.Json", "cases/C.JSONL",
                                                   "cases/D.Yml"]
    assert [is_data_file(n) for n in ("a.YAML", "a.yaml.bak", "a", ".yaml")] == [True, False, False, False]
    assert [data_format(n) for n in ("a.JSONL", "a.Json", "a.YML", "a.yaml")] == ["jsonl", "json", "yaml", "yaml"]


def test_a_file_named_directly_is_used_whatever_its_extension(tree):
    found = find_inputs(["data/notes.txt"])
    assert names(found, tree) == ["data/notes.txt"] and found.errors == []


def test_an_empty_file_is_a_file(tree):
    (tree / "empty.yaml").write_text("")
    found = find_inputs(["empty.yaml"])
    assert names(found, tree) == ["empty.yaml"] and found.errors == []


def test_hidden_files_and_folders_are_skipped_when_walking(tree):
    touch(tree, "h/.git/config.yaml", "h/.cache/x.json", "h/.hidden.yaml", "h/.out.csv.abc.tmp",
          "h/kept.yaml")
    assert names(find_inputs(["h"]), tree) == ["h/kept.yaml"]


def test_hidden_file_or_folder_named_directly_is_used(tree):
    touch(tree, "h/.cache/x.json", "h/.cache/.inner/y.json", "h/.hidden.yaml")
    found = find_inputs(["h/.cache", "h/.hidden.yaml"])
    assert names(found, tree) == ["h/.cache/x.json", "h/.hidden.yaml"]


def test_virtual_environments_and_tool_folders_are_skipped(tree):
    touch(tree, "p/venv/pyvenv.cfg", "p/venv/lib/site/x.yaml", "p/env2/pyvenv.cfg", "p/env2/y.json",
          "p/node_modules/pkg/package.json", "p/__pycache__/z.json", "p/src/keep.yaml")
    assert names(find_inputs(["p"]), tree) == ["p/src/keep.yaml"]


def test_a_venv_named_directly_is_walked(tree):
    touch(tree, "venv/pyvenv.cfg", "venv/x.yaml")
    assert names(find_inputs(["venv"]), tree) == ["venv/x.yaml"]


def test_relative_glob(tree):
    found = find_inputs(["data/*.yaml", "data/**/*.y*ml"])
    assert names(found, tree) == ["data/b.yaml", "data/sub/d.yml"]
    assert found.errors == []


def test_quoted_absolute_glob(tree):
    found = find_inputs([f"{tree}/data/*.json", f"{tree}/data/**/*.jsonl"])
    assert [str(p) for p in found.files] == [f"{tree}/data/a.json", f"{tree}/data/sub/c.jsonl"]
    assert found.errors == []


def test_glob_keeps_only_data_files_and_walks_matched_folders(tree):
    found = find_inputs(["data/*"])
    assert names(found, tree) == ["data/a.json", "data/b.yaml", "data/sub/c.jsonl", "data/sub/d.yml"]


def test_glob_drops_matches_inside_skipped_folders_unless_spelled_out(tree):
    touch(tree, "g/venv/pyvenv.cfg", "g/venv/x.yaml", "g/node_modules/y.yaml", "g/ok/z.yaml")
    assert names(find_inputs(["g/*/*.yaml"]), tree) == ["g/ok/z.yaml"]
    assert names(find_inputs(["g/**/*.yaml"]), tree) == ["g/ok/z.yaml"]
    assert names(find_inputs(["g/venv/*.yaml"]), tree) == ["g/venv/x.yaml"]


def test_recursive_glob_over_folders_walks_each_file_once(tree):
    found = find_inputs(["data/**"])
    assert names(found, tree) == ["data/a.json", "data/b.yaml", "data/sub/c.jsonl", "data/sub/d.yml"]


def test_same_file_named_twice_is_kept_once_where_it_first_appears(tree):
    found = find_inputs(["data/b.yaml", "data", "./data/b.yaml", f"{tree}/data/b.yaml", "data/*.yaml"])
    assert names(found, tree) == ["data/b.yaml", "data/a.json", "data/sub/c.jsonl", "data/sub/d.yml"]
    assert found.errors == []


def test_symlinked_file_counts_as_the_same_file(tree):
    os.symlink(tree / "data/b.yaml", tree / "link.yaml")
    assert names(find_inputs(["data/b.yaml", "link.yaml"]), tree) == ["data/b.yaml"]


def test_missing_path(tree):
    found = find_inputs(["nope.yaml", "data/b.yaml", "missing/dir"])
    assert names(found, tree) == ["data/b.yaml"]
    assert messages(found) == ["nope.yaml: no such file or directory",
                               "missing/dir: no such file or directory"]
    assert all(type(e) is DataError and e.location.file == arg
               for e, arg in zip(found.errors, ["nope.yaml", "missing/dir"]))


def test_broken_symlink_is_a_missing_path(tree):
    os.symlink(tree / "gone.yaml", tree / "dangling.yaml")
    assert messages(find_inputs(["dangling.yaml"])) == ["dangling.yaml: no such file or directory"]


def test_empty_folder_and_folder_without_data_files(tree):
    (tree / "empty").mkdir()
    touch(tree, "docs/README.md", "docs/.hidden/x.yaml", "docs/venv/pyvenv.cfg", "docs/venv/y.yaml")
    found = find_inputs(["empty", "docs"])
    assert found.files == []
    assert messages(found) == ["empty: no data files (.yaml, .yml, .json, .jsonl, .xlsx, .parquet) in this folder",
                               "docs: no data files (.yaml, .yml, .json, .jsonl, .xlsx, .parquet) in this folder"]


def test_glob_without_match(tree):
    found = find_inputs(["data/*.csv", "data/*.md", f"{tree}/nowhere/*.yaml"])
    assert found.files == []
    assert messages(found) == ["data/*.csv: matches no data file", "data/*.md: matches no data file",
                               f"{tree}/nowhere/*.yaml: matches no data file"]


def test_literal_name_with_glob_characters_is_a_file_first(tree):
    touch(tree, "odd[1].yaml")
    assert names(find_inputs(["odd[1].yaml"]), tree) == ["odd[1].yaml"]


def test_exclude_by_name_by_relative_path_and_by_folder(tree):
    touch(tree, "x/2021/a.yaml", "x/2021/draft_b.yaml", "x/2022/c.yaml", "x/drafts/d.yaml",
          "x/2022/drafts/e.yaml")
    assert names(find_inputs(["x"], exclude=["draft_*"]), tree) == [
        "x/2021/a.yaml", "x/2022/c.yaml", "x/2022/drafts/e.yaml", "x/drafts/d.yaml"]
    assert names(find_inputs(["x"], exclude=["2021/*"]), tree) == [
        "x/2022/c.yaml", "x/2022/drafts/e.yaml", "x/drafts/d.yaml"]
    assert names(find_inputs(["x"], exclude=["drafts/"]), tree) == [
        "x/2021/a.yaml", "x/2021/draft_b.yaml", "x/2022/c.yaml"]
    assert names(find_inputs(["x"], exclude=["./2022", "*.yml"]), tree) == [
        "x/2021/a.yaml", "x/2021/draft_b.yaml", "x/drafts/d.yaml"]


def test_exclude_applies_to_globs_relative_to_their_base(tree):
    touch(tree, "x/2021/a.yaml", "x/2022/c.yaml", "x/drafts/d.yaml")
    assert names(find_inputs(["x/*/*.yaml"], exclude=["2021/*"]), tree) == ["x/2022/c.yaml", "x/drafts/d.yaml"]
    assert names(find_inputs(["x/*"], exclude=["drafts"]), tree) == ["x/2021/a.yaml", "x/2022/c.yaml"]
    assert names(find_inputs([f"{tree}/x/**/*.yaml"], exclude=["a.yaml"]), tree) == ["x/2022/c.yaml",
                                                                                       "x/drafts/d.yaml"]


def test_exclude_never_drops_a_file_named_directly(tree):
    assert names(find_inputs(["data/b.yaml"], exclude=["*.yaml"]), tree) == ["data/b.yaml"]


def test_everything_excluded_is_an_error_naming_the_argument(tree):
    found = find_inputs(["data/sub", "data/*.yaml"], exclude=["*.y*ml", "*.jsonl"])
    assert found.files == []
    assert messages(found) == ["data/sub: every data file here matches an exclude pattern",
                               "data/*.yaml: every data file here matches an exclude pattern"]


def test_unreadable_subfolder_is_reported_and_the_rest_is_kept(tree, monkeypatch):
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = find_inputs(["data"])
    assert names(found, tree) == ["data/a.json", "data/b.yaml"]
    assert messages(found) == ["data/sub: cannot read this folder: permission denied"]


def test_iter_inputs_is_lazy_per_argument(tree):
    items = iter_inputs(["data/b.yaml", "missing"])
    assert next(items) == Path("data/b.yaml")
    (tree / "missing").mkdir()           # created before the second argument is looked at
    touch(tree, "missing/late.json")
    assert list(items) == [Path("missing/late.json")]


def test_same_file(tree):
    os.link(tree / "data/b.yaml", tree / "hard.yaml")
    os.symlink(tree / "data/a.json", tree / "soft.json")
    assert same_file("data/b.yaml", f"{tree}/data/./b.yaml")
    assert same_file("hard.yaml", "data/b.yaml")
    assert same_file("soft.json", "data/a.json")
    assert same_file("new.csv", f"{tree}/new.csv")          # neither exists: compared by path
    assert not same_file("new.csv", "data/b.yaml")
    assert not same_file("data/a.json", "data/b.yaml")


def test_empty_argument_is_not_the_current_folder(tree):
    assert messages(find_inputs([""])) == [": no such file or directory"]


def test_a_path_that_cannot_be_looked_at_is_an_error_naming_it(tree, monkeypatch):
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if os.fspath(path) == "locked/x.yaml":
            raise PermissionError(13, "Permission denied", "locked/x.yaml")
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    found = find_inputs(["locked/x.yaml", "data/b.yaml"])
    assert names(found, tree) == ["data/b.yaml"]
    assert messages(found) == ["locked/x.yaml: permission denied"]
