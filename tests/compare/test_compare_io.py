"""`kinerja compare` inputs and outputs: `-o` is written whole or not at all, an output that is also an
input is refused, DATA arguments are found like `check` finds them (`engine.inputs`)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_cli as run

pytestmark = pytest.mark.usefixtures("at_root")

DRAFT = "tests/fixtures/compare/draft_kmk_300_amendment"
CORPUS = "tests/fixtures/compare/corpus"
ROOT = Path(__file__).resolve().parents[2]


def draft(*args):
    return run("compare", "--base", "kmk_300_2022", "--candidate", DRAFT, *args)


def test_killed_run_leaves_the_previous_report_intact(tmp_path):
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "out.json"
    subprocess.run([sys.executable, "-m", "engine", "generate", "--units", "200", "-o", str(corpus)],
                   cwd=ROOT, check=True, capture_output=True)
    out.write_text('{"previous": "report"}\n', encoding="utf-8")
    before = out.read_bytes()
    proc = subprocess.Popen([sys.executable, "-m", "engine", "compare", "--base", "kmk_300_2022", "--candidate",
                             DRAFT, "--format", "json", "-o", str(out), str(corpus)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".out.json.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)                              # well into the comparison
    assert proc.poll() is None, "the comparison ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert out.read_bytes() == before


def test_output_appears_whole_on_success(tmp_path):
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    r = draft("--format", "json", "-o", str(out), f"{CORPUS}/pk_2024_kppn_semarang_i.yaml")
    assert r.exit_code == 0 and r.output == ""
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["records"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_output_that_is_an_input_is_refused_before_reading(tmp_path):
    data = tmp_path / "c.jsonl"
    data.write_text((ROOT / CORPUS / "pk_generated.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    before = data.read_bytes()
    r = draft("--format", "jsonl", "-o", str(data), str(data))
    assert r.exit_code == 2
    assert r.output == f"refusing to write {data}: it is also an input\n"
    assert data.read_bytes() == before
    r = draft("--format", "jsonl", "-o", str(data), str(tmp_path))   # found inside a folder argument
    assert r.exit_code == 2 and r.output == f"refusing to write {data}: it is also an input\n"


@pytest.mark.parametrize("where, problem", [("missing/out.json", "folder {d}/missing does not exist"),
                                            ("file/out.json", "folder {d}/file is not a folder")])
def test_output_into_a_bad_folder_is_one_line(tmp_path, where, problem):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    target = tmp_path / where
    r = draft("-o", str(target), f"{CORPUS}/pk_2024_kppn_semarang_i.yaml")
    assert r.exit_code == 2
    assert r.output == f"cannot write {target}: {problem.format(d=tmp_path)}\n"


def test_unwritable_folder_is_one_line(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who may write anywhere")
        r = draft("-o", str(locked / "out.txt"), f"{CORPUS}/pk_2024_kppn_semarang_i.yaml")
    finally:
        locked.chmod(0o700)
    assert r.exit_code == 2 and r.output == f"cannot write {locked / 'out.txt'}: permission denied\n"


def test_standard_output_full_disk_is_a_clear_error():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "engine", "compare", "--base", "kmk_300_2022", "--candidate",
                               DRAFT, f"{CORPUS}/pk_2024_kppn_semarang_i.yaml"],
                              cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 2
    assert proc.stderr == "cannot write standard output: no space left on device\n"


# -- DATA arguments ------------------------------------------------------------------------------------

def _corpus_copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    for sub in ("a", ".hidden", "venv", "drafts"):
        (data / sub).mkdir(parents=True)
    (data / "venv" / "pyvenv.cfg").write_text("", encoding="utf-8")
    text = (ROOT / CORPUS / "pk_2024_kppn_semarang_i.yaml").read_text(encoding="utf-8")
    for name in ("a/one.YAML", "a/two.Yml", ".hidden/three.yaml", "venv/four.yaml", "drafts/five.yaml"):
        (data / name).write_text(text, encoding="utf-8")
    return data


def test_data_arguments_found_like_check(tmp_path):
    data = _corpus_copy(tmp_path)
    r = draft("--format", "jsonl", "--exclude", "drafts", str(data))
    assert r.exit_code == 0, r.output
    sources = [json.loads(line)["record"]["source"] for line in r.output.splitlines() if '"record"' in line]
    assert sources == [str(data / "a/one.YAML"), str(data / "a/two.Yml")]


def test_argument_naming_no_data_file_is_an_input_error(tmp_path):
    (tmp_path / "empty").mkdir()
    r = draft("--format", "json", f"{CORPUS}/pk_2024_kppn_semarang_i.yaml", str(tmp_path / "empty"),
              str(tmp_path / "*.json"))
    assert r.exit_code == 2
    doc = json.loads(r.output)
    assert (doc["summary"]["records"], doc["summary"]["compared"], doc["summary"]["errors"]) == (3, 1, 2)
    messages = [e["message"] for e in doc["errors"]]
    assert messages == ["no data files (.yaml, .yml, .json, .jsonl, .xlsx, .parquet) in this folder", "matches no data file"]


def test_upper_case_jsonl_is_read_line_by_line(tmp_path):
    data = tmp_path / "C.JSONL"
    data.write_text((ROOT / CORPUS / "pk_generated.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    r = draft("--format", "json", str(data))
    doc = json.loads(r.output)
    assert (doc["summary"]["records"], doc["summary"]["compared"]) == (6, 4)
