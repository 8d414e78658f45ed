"""The grammar's parser tables kept in the cache (engine/lang/parser.py `_lark`): a parser brought back
parses (and rejects) exactly as a freshly built one, and a damaged entry is built again."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine import cache
from engine.lang import parser

TEXTS = ["1 + 2 * 3", "sum(i.bobot * capaian[i] for i in iku where i.aktif) / count(iku)",
         "if a between 1 and 2 then 'x' else null", "let t = clamp(x, 0, 120) in round(t, 2)",
         "x.y[0] not in [1, 2]"]
BAD = ["1 +", "a = b", "f(", "'open", "1 % 2"]


def _outcomes() -> list:
    parser._lark.cache_clear()
    parser._parse_text.cache_clear()
    out = [repr(parser.parse(t)) for t in TEXTS]
    for text in BAD:
        with pytest.raises(parser.ExpressionError) as info:
            parser.parse(text)
        out.append((info.value.message, info.value.pos, info.value.hint))
    return out


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_ENV, str(folder))
    yield folder
    parser._lark.cache_clear()


def test_a_parser_from_the_cache_parses_as_a_fresh_one(cache_dir, monkeypatch):
    fresh = _outcomes()
    [entry] = cache.entries("grammar")
    import lark
    monkeypatch.setattr(lark.Lark, "__init__", lambda *a, **k: pytest.fail("the grammar was built again"))
    assert _outcomes() == fresh
    assert entry.exists()


def test_a_damaged_entry_is_built_again(cache_dir):
    fresh = _outcomes()
    [entry] = cache.entries("grammar")
    entry.write_bytes(entry.read_bytes()[:100])
    assert _outcomes() == fresh
    assert len(entry.read_bytes()) > 1000
