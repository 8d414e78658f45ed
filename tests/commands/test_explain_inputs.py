"""`kinerja explain` on a file with no contract data (empty, a YAML list or scalar, a JSON null, a
.jsonl without lines): one clear error and exit 2, never a traceback."""
from __future__ import annotations

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize("name, text, message", [
    ("empty.yaml", "", "{f}: the file holds no contract data\n"),
    ("blank.yaml", "# only a comment\n", "{f}: the file holds no contract data\n"),
    ("null.json", "null\n", "{f}: the file holds no contract data\n"),
    ("empty.jsonl", "", "{f}: the file holds no contract data\n"),
    ("blank.JSONL", "\n\n", "{f}: the file holds no contract data\n"),
    ("list.json", "[1, 2]\n", "{f}: contract data must be a mapping of fields, not a list\n"),
    ("list.yaml", "- a\n", "{f}:1:1: contract data must be a mapping of fields, not a list\n    - a\n    ^\n"),
    ("scalar.yaml", "42\n", "{f}:1:1: contract data must be a mapping of fields, not a single value\n    42\n    ^\n"),
])
@pytest.mark.parametrize("policy", ["kmk_300_2022", "auto"])
def test_no_contract_data_is_one_error(tmp_path, name, text, message, policy):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    r = run_cli("explain", "--policy", policy, path)
    assert r.exit_code == 2
    assert r.output == message.format(f=path)
