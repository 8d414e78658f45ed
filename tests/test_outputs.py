"""engine/outputs.py: output files are replaced whole or not at all, and every write failure
(missing folder, permission, full disk, closed pipe, output that is an input) is one clear
OutputError, never a traceback or a silently truncated file."""
from __future__ import annotations

import csv
import errno
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from engine.errors import KinerjaError
from engine.outputs import (ClosedPipeError, GuardedStream, OutputError, atomic_output, open_output,
                            refuse_inputs, replace_folder, stdout_output, write_error, write_stdout)

ROOT = Path(__file__).resolve().parent.parent
OLD = b"old,content\r\n\xc3\xa9\n"
needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux /dev/full")


@pytest.fixture
def old_file(tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(OLD)
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_writes_utf8_with_newlines_untranslated_so_csv_works(tmp_path):
    path = tmp_path / "out.csv"
    with atomic_output(path) as out:
        csv.writer(out).writerow(["nama", "Kantor Pusat Ditjen Pajak — Jakarta"])
        out.write("é\n")
    assert path.read_bytes() == "nama,Kantor Pusat Ditjen Pajak — Jakarta\r\né\n".encode()
    assert leftovers(tmp_path) == []


def test_target_appears_only_when_the_block_ends(old_file):
    with atomic_output(old_file) as out:
        out.write("new\n")
        out.flush()
        assert old_file.read_bytes() == OLD
        temp = leftovers(old_file.parent)
        assert len(temp) == 1 and temp[0].startswith(".report.csv.") and temp[0].endswith(".tmp")
    assert old_file.read_text() == "new\n"
    assert leftovers(old_file.parent) == []


@pytest.mark.parametrize("exc", [ValueError("boom"), KeyboardInterrupt()])
def test_exception_in_block_keeps_old_bytes_and_leaves_no_temp_file(old_file, exc):
    with pytest.raises(type(exc)):
        with atomic_output(old_file) as out:
            out.write("half a rep")
            raise exc
    assert old_file.read_bytes() == OLD
    assert leftovers(old_file.parent) == []


def test_exception_in_block_creates_no_new_file(tmp_path):
    with pytest.raises(RuntimeError):
        with atomic_output(tmp_path / "new.json") as out:
            out.write("{")
            raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_other_os_errors_of_the_block_are_not_disguised_as_write_errors(old_file):
    with pytest.raises(FileNotFoundError):
        with atomic_output(old_file):
            open(old_file.parent / "missing-input.yaml")
    assert old_file.read_bytes() == OLD


def test_killed_mid_write_leaves_the_previous_file_intact(old_file):
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from engine.outputs import atomic_output
        with atomic_output({str(old_file)!r}) as out:
            out.write("partial" * 100000)
            out.flush()
            print("written", flush=True)
            time.sleep(60)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    try:
        assert child.stdout.readline() == b"written\n"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=10)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert old_file.read_bytes() == OLD
    temp = leftovers(old_file.parent)  # a kill cannot clean up: the hidden temp file stays
    assert len(temp) == 1 and temp[0].startswith(".report.csv.") and temp[0].endswith(".tmp")


def test_keeps_the_permission_bits_of_the_old_file(old_file):
    os.chmod(old_file, 0o640)
    with atomic_output(old_file) as out:
        out.write("x")
    assert stat.S_IMODE(old_file.stat().st_mode) == 0o640


def test_new_file_gets_the_umask_default_not_the_temp_file_mode(tmp_path):
    mask = os.umask(0o027)
    try:
        with atomic_output(tmp_path / "new.txt") as out:
            out.write("x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640


def test_writes_through_a_symlink(tmp_path, old_file):
    link = tmp_path / "link.csv"
    link.symlink_to(old_file)
    with atomic_output(link) as out:
        out.write("via link")
    assert link.is_symlink() and old_file.read_text() == "via link"


def test_folder_does_not_exist(tmp_path):
    target = tmp_path / "no" / "such" / "out.csv"
    with pytest.raises(OutputError) as e:
        with atomic_output(target):
            pytest.fail("block must not run")
    assert str(e.value) == f"cannot write {target}: folder {tmp_path}/no/such does not exist"
    assert isinstance(e.value, KinerjaError) and e.value.target == str(target)


def test_relative_target_in_missing_folder_and_parents_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match=r"^cannot write out/r\.csv: folder out does not exist$"):
        with atomic_output("out/r.csv"):
            pass
    with atomic_output("out/r.csv", parents=True) as out:
        out.write("ok")
    assert (tmp_path / "out/r.csv").read_text() == "ok"


def test_parent_is_a_file(tmp_path, old_file):
    with pytest.raises(OutputError) as e:
        with atomic_output(old_file / "x.csv"):
            pass
    assert str(e.value) == f"cannot write {old_file}/x.csv: folder {old_file} is not a folder"


def test_target_is_a_folder(tmp_path):
    with pytest.raises(OutputError) as e:
        with atomic_output(tmp_path):
            pass
    assert str(e.value) == f"cannot write {tmp_path}: it is a folder"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into read-only folders")
def test_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    os.chmod(folder, 0o555)
    try:
        with pytest.raises(OutputError) as e:
            with atomic_output(folder / "out.csv"):
                pass
    finally:
        os.chmod(folder, 0o755)
    assert str(e.value) == f"cannot write {folder}/out.csv: permission denied"


def test_permission_denied_creating_the_temp_file(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))

    monkeypatch.setattr("tempfile.NamedTemporaryFile", refuse)
    with pytest.raises(OutputError) as e:
        with atomic_output(tmp_path / "out.csv"):
            pytest.fail("block must not run")
    assert str(e.value) == f"cannot write {tmp_path}/out.csv: permission denied"


def test_disk_full_while_writing(old_file, monkeypatch):
    with pytest.raises(OutputError) as e:
        with atomic_output(old_file) as out:
            monkeypatch.setattr(out._stream, "write", _raise(errno.ENOSPC))
            out.write("x" * 100)
    assert str(e.value) == f"cannot write {old_file}: no space left on device"
    assert e.value.__cause__ is None and e.value.__suppress_context__
    assert old_file.read_bytes() == OLD and leftovers(old_file.parent) == []


def test_disk_full_at_the_final_replace(old_file, monkeypatch):
    monkeypatch.setattr(os, "replace", _raise(errno.ENOSPC))
    with pytest.raises(OutputError) as e:
        with atomic_output(old_file) as out:
            out.write("new")
    assert str(e.value) == f"cannot write {old_file}: no space left on device"
    assert old_file.read_bytes() == OLD and leftovers(old_file.parent) == []


def test_disk_full_at_the_final_flush(old_file, monkeypatch):
    monkeypatch.setattr(os, "fsync", _raise(errno.ENOSPC))
    with pytest.raises(OutputError, match="no space left on device$"):
        with atomic_output(old_file) as out:
            out.write("new")
    assert old_file.read_bytes() == OLD and leftovers(old_file.parent) == []


def test_output_that_is_an_input_is_refused_before_anything_is_written(old_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.link(old_file, tmp_path / "hardlink.csv")
    for spelling in ("report.csv", "./report.csv", str(old_file), "hardlink.csv"):
        with pytest.raises(OutputError) as e:
            with atomic_output(spelling, inputs=[Path("a.yaml"), old_file]):
                pytest.fail("block must not run")
        assert str(e.value) == f"refusing to write {spelling}: it is also an input"
    assert old_file.read_bytes() == OLD and leftovers(tmp_path) == []
    refuse_inputs("other.csv", [old_file])  # not an input: no error


def test_chmod_or_fsync_unsupported_by_the_file_system_is_not_an_error(old_file, monkeypatch):
    monkeypatch.setattr(os, "chmod", _raise(errno.EPERM))
    monkeypatch.setattr(os, "fsync", _raise(errno.EINVAL))
    with atomic_output(old_file) as out:
        out.write("new")
    assert old_file.read_text() == "new"


def test_closing_the_stream_inside_the_block_only_flushes(old_file):
    with atomic_output(old_file) as out:
        out.write("new")
        out.close()
        out.write(" and more")
    assert old_file.read_text() == "new and more"


def test_text_the_stream_encoding_cannot_hold_is_one_clear_error(tmp_path):
    with open(tmp_path / "latin.txt", "w", encoding="ascii") as raw:
        with pytest.raises(OutputError) as e:
            GuardedStream(raw).write("Kantor — Jakarta")
    assert str(e.value) == ("cannot write standard output: '—' cannot be written in its encoding ascii "
                            "(set PYTHONIOENCODING=utf-8)")


def test_standard_output_redirected_into_an_input_is_refused(tmp_path):
    data = tmp_path / "data.jsonl"
    data.write_text("")
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from engine.outputs import OutputError, open_output
        try:
            open_output("-", inputs=["other.yaml", {str(data)!r}])
        except OutputError as e:
            sys.exit(str(e))
    """)
    with open(data, "a") as redirected:
        done = subprocess.run([sys.executable, "-c", script], stdout=redirected, stderr=subprocess.PIPE,
                              timeout=30, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.decode() == f"refusing to write standard output: it is also an input ({data})\n"
    with open(tmp_path / "elsewhere.txt", "w") as other:
        assert subprocess.run([sys.executable, "-c", script], stdout=other, timeout=30).returncode == 0


def test_write_error_messages():
    cases = {errno.ENOSPC: "no space left on device", errno.EACCES: "permission denied",
             errno.EPERM: "permission denied", errno.EROFS: "read-only file system",
             errno.EDQUOT: "disk quota exceeded", errno.EIO: "input/output error"}
    for code, reason in cases.items():
        assert str(write_error("f.csv", OSError(code, os.strerror(code)))) == f"cannot write f.csv: {reason}"
    pipe = write_error("standard output", BrokenPipeError(errno.EPIPE, "Broken pipe"))
    assert type(pipe) is ClosedPipeError
    assert str(pipe) == "cannot write standard output: the pipe was closed by the program reading it"


def test_replace_folder_creates_a_new_folder(tmp_path):
    target = tmp_path / "corpus"
    with replace_folder(target) as build:
        (build / "a.yaml").write_text("a")
        assert not target.exists()
    assert sorted(p.name for p in target.iterdir()) == ["a.yaml"]
    assert leftovers(tmp_path) == []


def test_replace_folder_accepts_an_empty_folder_without_force(tmp_path):
    (tmp_path / "corpus").mkdir()
    with replace_folder(tmp_path / "corpus") as build:
        (build / "a.yaml").write_text("a")
    assert [p.name for p in (tmp_path / "corpus").iterdir()] == ["a.yaml"]


def test_replace_folder_refuses_a_non_empty_folder_without_force(tmp_path):
    target = tmp_path / "corpus"
    target.mkdir()
    (target / "old.yaml").write_text("old")
    with pytest.raises(OutputError) as e:
        with replace_folder(target):
            pytest.fail("block must not run")
    assert str(e.value) == f"refusing to write {target}: the folder is not empty (use --force to replace it)"
    assert [p.name for p in target.iterdir()] == ["old.yaml"] and leftovers(tmp_path) == []


def test_replace_folder_with_force_leaves_no_stale_file(tmp_path):
    target = tmp_path / "corpus"
    (target / "sub").mkdir(parents=True)
    (target / "stale.yaml").write_text("old")
    (target / "sub" / "stale2.yaml").write_text("old")
    os.chmod(target, 0o750)
    with replace_folder(target, force=True) as build:
        (build / "fresh.yaml").write_text("new")
        assert (target / "stale.yaml").exists()      # the old folder stays until the end
    assert sorted(p.name for p in target.iterdir()) == ["fresh.yaml"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o750
    assert leftovers(tmp_path) == []


def test_replace_folder_exception_keeps_the_old_folder(tmp_path):
    target = tmp_path / "corpus"
    target.mkdir()
    (target / "old.yaml").write_text("old")
    with pytest.raises(KeyboardInterrupt):
        with replace_folder(target, force=True) as build:
            (build / "new.yaml").write_text("new")
            raise KeyboardInterrupt
    assert [p.name for p in target.iterdir()] == ["old.yaml"] and leftovers(tmp_path) == []


def test_replace_folder_failed_swap_restores_the_old_folder(tmp_path, monkeypatch):
    target = tmp_path / "corpus"
    target.mkdir()
    (target / "old.yaml").write_text("old")
    real_rename = os.rename

    def rename(src, dst):
        if Path(src).name.endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OutputError, match=f"^cannot write {target}: no space left on device$"):
        with replace_folder(target, force=True) as build:
            (build / "new.yaml").write_text("new")
    assert [p.name for p in target.iterdir()] == ["old.yaml"]


def test_replace_folder_refuses_a_file_and_a_missing_parent(tmp_path, old_file):
    with pytest.raises(OutputError, match=f"^cannot write {old_file}: it exists and is not a folder$"):
        with replace_folder(old_file, force=True):
            pass
    missing = tmp_path / "no" / "corpus"
    with pytest.raises(OutputError, match=f"^cannot write {missing}: folder {tmp_path}/no does not exist$"):
        with replace_folder(missing):
            pass
    with replace_folder(missing, parents=True) as build:
        (build / "a.yaml").write_text("a")
    assert (missing / "a.yaml").read_text() == "a"


def test_replace_folder_unreadable_existing_folder(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    monkeypatch.setattr(Path, "iterdir", _raise(errno.EACCES))
    with pytest.raises(OutputError, match=f"^cannot write {tmp_path}/corpus: permission denied$"):
        with replace_folder(tmp_path / "corpus"):
            pass


@needs_dev_full
def test_stdout_on_a_full_disk_is_an_error_at_the_flush():
    with open("/dev/full", "w", encoding="utf-8") as full:
        with pytest.raises(OutputError) as e:
            write_stdout("a short line\n", full)   # buffered: fails only when flushed
        assert str(e.value) == "cannot write standard output: no space left on device"
        full.buffer.raw.close()  # drop what is still buffered


@needs_dev_full
def test_guarded_stream_checks_every_write_and_names_its_target():
    with open("/dev/full", "w", encoding="utf-8", buffering=1) as full:
        stream = GuardedStream(full, "report.txt")
        with pytest.raises(OutputError, match="^cannot write report.txt: no space left on device$"):
            stream.writelines(["one\n", "two\n"])
        assert stream.encoding == "utf-8" and stream.fileno() == full.fileno()
        full.buffer.raw.close()


def test_stdout_output_flushes_and_open_output_chooses_the_stream(tmp_path, capsys):
    with stdout_output() as out:
        out.write("to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"
    with open_output("-") as out:
        out.write("dash\n")
    with open_output(None) as out:
        out.write("none\n")
    assert capsys.readouterr().out == "dash\nnone\n"
    with open_output(tmp_path / "f.txt") as out:
        out.write("file")
    assert (tmp_path / "f.txt").read_text() == "file"
    with pytest.raises(OutputError, match="it is also an input"):
        with open_output(tmp_path / "f.txt", inputs=[tmp_path / "f.txt"]):
            pass


def test_closed_standard_output(monkeypatch):
    monkeypatch.setattr(sys, "stdout", None)
    with pytest.raises(OutputError, match="^cannot write standard output: it is closed$"):
        write_stdout("x")


CALLER = textwrap.dedent(f"""
    import sys
    sys.path.insert(0, {str(ROOT)!r})
    from engine.outputs import OutputError, write_stdout
    try:
        for _ in range(200):
            write_stdout("x" * 10000 + "\\n")
    except OutputError as e:
        print(f"error: {{e}}", file=sys.stderr)
        print("a later, unguarded line to standard output")  # goes nowhere, fails nothing
        sys.exit(2)
""")


@needs_dev_full
def test_process_writing_stdout_to_a_full_disk_exits_2_with_one_line():
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-c", CALLER], stdout=full, stderr=subprocess.PIPE, timeout=30)
    assert done.returncode == 2
    assert done.stderr.decode() == "error: cannot write standard output: no space left on device\n"


def test_process_writing_stdout_into_a_closed_pipe_exits_2_with_one_line():
    child = subprocess.Popen([sys.executable, "-c", CALLER], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.read(100)    # like `| head -c 100`: read a little, then close the pipe
    child.stdout.close()
    stderr = child.stderr.read().decode()
    child.stderr.close()
    assert child.wait(timeout=30) == 2
    assert stderr == "error: cannot write standard output: the pipe was closed by the program reading it\n"


def _raise(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return fail
