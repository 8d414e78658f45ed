"""The commands are imported when invoked (engine/commands/__init__.py): help still lists them all,
a mistyped one is still suggested, and `check` loads nothing of the other commands."""
from __future__ import annotations

import subprocess
import sys

from engine.commands import COMMANDS
from tests.conftest import ROOT, run_cli


def test_help_lists_every_command():
    listed = [line.split()[0] for line in run_cli("--help").output.split("Commands:")[1].splitlines() if line.strip()]
    assert listed == sorted(COMMANDS)


def test_a_mistyped_command_is_suggested():
    result = run_cli("chek", "x")
    assert result.exit_code == 2 and "No such command 'chek'." in result.output
    assert "Did you mean 'check'?" in result.output or not hasattr(__import__("click").exceptions, "NoSuchCommand")


def test_check_imports_no_other_command():
    probe = ("import sys; from engine.commands import main\n"
             "try:\n    main(['check', '--policy', 'kmk_300_2022', 'examples/pk_2024_kppn_semarang_i.yaml'])\n"
             "except SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith(('engine.commands.', 'engine.compare', "
             "'engine.synthetic', 'engine.report.compare'))))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.splitlines()[-1] == "['engine.commands.check', 'engine.commands.options']", out.stderr


def test_the_process_pauses_the_collector_only_while_a_command_starts():
    """`run` (the console script) keeps the cyclic garbage collector out of start-up and exit; the
    command itself runs with it on, and in-process callers of `main` never see it paused."""
    probe = ("import gc, sys\nimport engine.policy.registry as r\nfrom engine.commands import main, run\n"
             "real = r.Registry.listing\n"
             "def listing(self):\n    print('during', gc.isenabled(), file=sys.stderr)\n    return real(self)\n"
             "r.Registry.listing = listing\n"
             "for name, start in (('main', main), ('run', run)):\n"
             "    try:\n        start(['policies'])\n"
             "    except SystemExit as e:\n"
             "        print(name, e.code, gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.stderr.splitlines() == ["during True", "main 0 True False", "during True", "run 0 True True"], out.stderr
