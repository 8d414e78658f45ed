"""Fuzzing: mutated expressions, policy files and contract data, fed to the engine for a set time.

What is generated (the same generators drive tests/test_fuzz.py, which runs a bounded number):
  expr    expression texts: token soups from the grammar's tokens, well-formed expressions and
          mutated well-formed ones, as a value and a rule of a tiny inline policy that is then
          built and evaluated against a minimal contract;
  policy  policies/kmk_300_2022/policy.yaml with 1–3 random mutations (delete, duplicate or
          re-indent a line, replace or insert a character or byte), loaded as a policy;
  yaml    examples/pk_2024_kppn_semarang_i.yaml mutated the same way and with data mutations
          (huge numbers such as 1e999999, duplicate keys, odd unicode, deep nesting), checked;
  jsonl   lines of corpus/kemenkeu_2024.jsonl with the data mutations, checked;
  batch   a JSONL file of N corpus lines of which k are made certainly bad: `check_inputs` must
          give exactly N outcomes, the k bad ones errors and the N-k others results.

What is asserted for every case: only the engine's own errors (KinerjaError) escape; every
SourceError read from a file has a location with a line; no case takes longer than CASE_LIMIT
seconds. Anything else is a failure, grouped by exception type and innermost frame (or by the
assertion's message), with one reproducer saved per distinct failure.

    /work/venv/bin/python benchmarks/fuzz.py --seconds 60 [--seed 1] [--out /tmp/kinerja-fuzz]
    /work/venv/bin/python benchmarks/fuzz.py --cases 100000 --kinds jsonl,batch
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import engine  # noqa: E402
from engine.batch import check_inputs  # noqa: E402
from engine.errors import ErrorList, KinerjaError, SourceError  # noqa: E402
from engine.policy.build import build  # noqa: E402
from engine.policy.loader import read_spec, resolve  # noqa: E402

CASE_LIMIT = 2.0  # seconds: no single case may take longer
POLICY_TEXT = (ROOT / "policies" / "kmk_300_2022" / "policy.yaml").read_text(encoding="utf-8")
EXAMPLE_TEXT = (ROOT / "examples" / "pk_2024_kppn_semarang_i.yaml").read_text(encoding="utf-8")
CORPUS_LINES = [ln for ln in (ROOT / "corpus" / "kemenkeu_2024.jsonl").read_text(encoding="utf-8").splitlines()
                if ln.strip()]

INLINE_HEADER = """\
policy: fuzz_inline
title: Fuzz inline policy
effective: {from: 2023-01-01}
subject: {schema: organization_contract, as: contract}
parameters:
  lim:
    value: {min: 1, max: 20}
    cite: Fuzz, pasal 1
    status: confirmed
"""
CONTRACT = {
    "kind": "organization_contract",
    "unit": {"code": "U1", "name": "Unit uji", "eselon": 3},
    "year": 2024,
    "strategy_map": {"objectives": [{"code": "SS1", "perspective": "stakeholder"}]},
    "budget": {"total": 100},
    "iku": [{"code": "1a-N", "name": "IKU uji", "objective": "SS1", "polarity": "maximize",
             "consolidation": "average", "periods": [{"period": "Q1", "target": 90, "realization": 100}]}],
}

# -- generators: each takes a random.Random and returns the case's text ------------------------------
TOKENS = [
    "+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "=", "(", ")", "[", "]", ",", ".", "and",
    "or", "not", "in", "between", "if", "then", "else", "for", "where", "true", "false", "null", "&&",
    "||", "!", "%", "#", "'", '"', "\\", "\n", "\t", "sum", "count", "round", "min", "max", "date",
    "contract", "contract.iku", "contract.year", "lim.max", "iku", "i", "x", "1e5", "0x1", ".5", "5.",
    "1e999999", "99999999999999999999999", "0.00000000000000000000000000001", "é", "\x00", "((", "))",
    '"a"', "''", "{", "}", ":", "|", "?",
]
NAMES = ["a", "x", "i", "contract", "lim", "iku_count", "_", "é", "count", "sum", "round", "date", "foo"]
FUNCS = ["count", "sum", "round", "min", "max", "abs", "date", "any", "all", "len", "foo"]
BINOPS = ["+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "and", "or", "in"]
ATOMS = ["1", "0", "2.5", "-3", "100.00", '"s"', '""', "true", "false", "null", "contract.year",
         "contract.iku", "count(contract.iku)", "lim.min", "lim.max", "contract.budget.total", "x",
         "1e999999", "9" * 40, "0." + "0" * 40 + "1", "date(2024, 1, 1)", "date(9999, 12, 31)",
         'date("2024-02-30")', "contract.unit.eselon"]


def valid_expr(rng: random.Random, depth: int = 0) -> str:
    """A syntactically well-formed expression (names and types may still be wrong)."""
    if depth > 3 or rng.random() < 0.3:
        return rng.choice(ATOMS)
    sub = lambda: valid_expr(rng, depth + 1)  # noqa: E731
    form = rng.randrange(8)
    if form == 0:
        return f"({sub()}) {rng.choice(BINOPS)} ({sub()})"
    if form == 1:
        return f"not ({sub()})"
    if form == 2:
        return f"if {sub()} then {sub()} else {sub()}"
    if form == 3:
        return f"({sub()}) between ({sub()}) and ({sub()})"
    if form == 4:
        return f"{rng.choice(FUNCS)}({', '.join(sub() for _ in range(rng.randrange(4)))})"
    if form == 5:
        return f"[{', '.join(sub() for _ in range(rng.randrange(4)))}]"
    if form == 6:
        return f"sum({sub()} for x in {rng.choice(['contract.iku', '[1, 2]', sub()])} where {sub()})"
    return f"({sub()})[{sub()}]"


def token_soup(rng: random.Random) -> str:
    items = [rng.choice(TOKENS) if rng.random() < 0.6 else rng.choice(NAMES + ATOMS) for _ in range(rng.randrange(26))]
    return rng.choice([" ", ""]).join(items)


def gen_expr(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.4:
        return token_soup(rng)
    if r < 0.8:
        return valid_expr(rng)
    return mutate_text(valid_expr(rng), rng, data=False)


ODD = ["\u202e", "\ufeff", "\u2028", "\u2029", "\x85", "\x00", "\x07", "\t", "\udcff", "\U0001f600",
       "e\u0301", "\u0130", "\uffff", "\ud800", "\r", "é", "ß"]
HUGE = ["1e999999", "-1e999999", "9" * 5000, "1e-999999", "0." + "0" * 400 + "1", ".inf", ".nan",
        "123456789012345678901234567890", "1e18", "99999999999999999.5", "0x" + "f" * 40]


def _line_ops(lines: list[str], rng: random.Random) -> None:
    i = rng.randrange(len(lines)) if lines else 0
    op = rng.randrange(5)
    if not lines:
        lines.append(rng.choice(ODD))
    elif op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[i])
    elif op == 2:  # change indentation
        line = lines[i]
        stripped = line.lstrip(" ")
        lines[i] = " " * max(0, len(line) - len(stripped) + rng.choice([-4, -2, -1, 1, 2, 4])) + stripped
    elif op == 3:  # replace a character
        line = lines[i]
        if line:
            j = rng.randrange(len(line))
            lines[i] = line[:j] + rng.choice(ODD + list(":-[]{}&*!|>'\"#,?%@` \t0aZ")) + line[j + 1:]
    else:  # swap two lines
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]


def _data_ops(text: str, rng: random.Random) -> str:
    """Data-level mutations: huge numbers, a duplicated key, odd unicode, deep nesting."""
    op = rng.randrange(4)
    if op == 0:  # a number becomes huge
        nums = list(re.finditer(r"(?<![\w.])-?\d+(\.\d+)?(?![\w.-])", text))
        if nums:
            m = rng.choice(nums)
            return text[:m.start()] + rng.choice(HUGE) + text[m.end():]
        return text + rng.choice(HUGE)
    if op == 1:  # a key duplicated
        if text.lstrip().startswith("{"):
            k = text.find("{") + 1
            return text[:k] + rng.choice(['"year":2024,', '"kind":"organization_contract",', '"iku":[],']) + text[k:]
        lines = text.split("\n")
        keyed = [n for n, ln in enumerate(lines) if ":" in ln and not ln.lstrip().startswith("#")]
        if keyed:
            n = rng.choice(keyed)
            lines.insert(n, lines[n])
        return "\n".join(lines)
    if op == 2:  # odd unicode inside a string or a key
        j = rng.randrange(len(text) + 1)
        odd = rng.choice(ODD)
        if text.lstrip().startswith("{") and rng.random() < 0.5:
            odd = json.dumps(odd)[1:-1]  # as a JSON escape: \ud800 is a lone surrogate
        return text[:j] + odd + text[j:]
    depth = rng.choice([10, 100, 1000, 5000, 50000])  # deep nesting of a value
    if text.lstrip().startswith("{"):
        k = text.find(":") + 1
        flow = rng.choice([("[" * depth, "]" * depth), ('{"a":' * depth, "}" * depth)])
        inner = rng.choice(["1", '"s"', rng.choice(HUGE), '{"a":1,"a":2}'])  # maybe rejected, deep inside
        return text[:k] + flow[0] + inner + flow[1] + "," + text[k:].split(",", 1)[-1]
    return text.replace("year: 2024", "year: " + "[" * depth + "2024" + "]" * depth, 1) \
        if rng.random() < 0.5 else text + "\nextra:\n" + "".join("  " * d + "- \n" for d in range(min(depth, 3000)))


def mutate_text(text: str, rng: random.Random, data: bool = True) -> str:
    for _ in range(rng.randint(1, 3)):
        if data and rng.random() < 0.5:
            text = _data_ops(text, rng)
        else:
            lines = text.split("\n")
            _line_ops(lines, rng)
            text = "\n".join(lines)
    return text


def mutate_bytes(text: str, rng: random.Random) -> bytes:
    """Text mutations plus, sometimes, a raw byte (maybe not UTF-8) inserted or replaced."""
    raw = mutate_text(text, rng, data=False).encode("utf-8", errors="surrogatepass")
    if rng.random() < 0.3 and raw:
        j = rng.randrange(len(raw))
        raw = raw[:j] + bytes([rng.randrange(256)]) + raw[j + rng.randrange(2):]
    return raw


def gen_policy(rng: random.Random) -> bytes:
    return mutate_bytes(POLICY_TEXT, rng)


def gen_yaml(rng: random.Random) -> bytes:
    return mutate_text(EXAMPLE_TEXT, rng).encode("utf-8", errors="surrogatepass")


def gen_jsonl(rng: random.Random) -> bytes:
    lines = [mutate_text(rng.choice(CORPUS_LINES), rng) for _ in range(rng.randint(1, 3))]
    return "\n".join(ln.replace("\n", " ") for ln in lines).encode("utf-8", errors="surrogatepass") + b"\n"


def bad_line(line: str, rng: random.Random) -> str:
    """A corpus line made certainly invalid (never blank, never more than one line)."""
    op = rng.randrange(7)
    if op == 0:
        return line[:rng.randrange(1, len(line))]  # a proper prefix of a JSON object
    if op == 1:
        return line.replace('"year":2024', '"year":' + rng.choice(["1e999999", "9" * 5000, "-1e999999"]), 1)
    if op == 2:
        return '{"year":2024,' + line[1:]  # duplicate key
    if op == 3:
        return line.replace('"title":"', '"title":"\\ud800', 1)  # lone surrogate
    if op == 4:
        d = rng.choice([1000, 100000])
        return line.replace('"year":2024', '"year":' + "[" * d + "2024" + "]" * d, 1)
    if op == 5:
        return rng.choice(["not json", "[]", "null", "42", '"s"', "{", "}", "\x00", "\ufeff{}"])
    return line.replace('"kind":"organization_contract"', '"kind":"organization_contract","year":"2024"', 1)


def gen_batch(rng: random.Random) -> tuple[bytes, int, list[int]]:
    n = rng.randint(1, 12)
    lines = [rng.choice(CORPUS_LINES) for _ in range(n)]
    bad = sorted(rng.sample(range(n), rng.randint(0, n)))
    for i in bad:
        lines[i] = bad_line(lines[i], rng)
    return ("\n".join(lines) + "\n").encode("utf-8", errors="surrogatepass"), n, bad


GENERATORS = {"expr": gen_expr, "policy": gen_policy, "yaml": gen_yaml, "jsonl": gen_jsonl, "batch": gen_batch}

# -- the checks --------------------------------------------------------------------------------------


def check_located(err: BaseException, where: str) -> None:
    """Every SourceError about a file carries a location with a line."""
    if isinstance(err, ErrorList):
        assert err.errors, f"empty ErrorList ({where})"
        for e in err.errors:
            check_located(e, where)
    elif isinstance(err, SourceError):
        loc = err.location
        assert loc is not None, f"SourceError without location ({where}): {err.message}"
        assert loc.line is not None, f"SourceError without a line ({where}): {err.message}"


_policy_cache: dict = {}


def reference_policy():
    if "p" not in _policy_cache:
        _policy_cache["p"] = engine.load_policy(str(ROOT / "policies" / "kmk_300_2022"))
    return _policy_cache["p"]


def run_expr(text: str, folder: Path) -> None:
    quoted = json.dumps(text)  # a JSON string is a YAML double-quoted scalar
    body = (f"values:\n  v:\n    expr: {quoted}\nrules:\n  - id: r1\n    title: t\n    cite: Fuzz, pasal 2\n"
            f"    require: {quoted}\n    message: m\n")
    path = folder / "policy.yaml"
    path.write_text(INLINE_HEADER + body, encoding="utf-8", errors="surrogatepass")
    try:
        policy = build(resolve(read_spec(path), lambda _id: None))
    except KinerjaError as e:
        check_located(e, "expr policy")
        return
    try:
        policy.evaluate(CONTRACT)
    except KinerjaError as e:
        check_located(e, "expr evaluate")


def run_policy(raw: bytes, folder: Path) -> None:
    path = folder / "policy.yaml"
    path.write_bytes(raw)
    try:
        engine.Registry(folder / "no_registry").load(path)  # a fresh registry: no cached policy
    except KinerjaError as e:
        check_located(e, "policy")


def run_data(raw: bytes, folder: Path, suffix: str) -> list:
    path = folder / f"data{suffix}"
    path.write_bytes(raw)
    outcomes = check_inputs([str(path)], reference_policy())
    for o in outcomes:
        assert (o.error is None) != (o.result is None), "an outcome has both or neither of result and error"
        if o.error is not None:
            check_located(o.error, suffix)
    return outcomes


def run_batch(case: tuple[bytes, int, list[int]], folder: Path) -> None:
    raw, n, bad = case
    outcomes = run_data(raw, folder, ".jsonl")
    assert len(outcomes) == n, f"batch of {n} lines gave {len(outcomes)} outcomes"
    errors = [i for i, o in enumerate(outcomes) if o.error is not None]
    assert errors == bad, f"bad lines {bad} but errors at {errors}"


def run_case(kind: str, case, folder: Path) -> float:
    """Run one case; return its time. Raises whatever escapes (an AssertionError if a check fails)."""
    start = time.perf_counter()
    if kind == "expr":
        run_expr(case, folder)
    elif kind == "policy":
        run_policy(case, folder)
    elif kind == "yaml":
        run_data(case, folder, ".yaml")
    elif kind == "jsonl":
        run_data(case, folder, ".jsonl")
    else:
        run_batch(case, folder)
    return time.perf_counter() - start


# -- the runner --------------------------------------------------------------------------------------
@dataclass
class Failure:
    signature: str
    count: int
    kind: str
    reproducer: Path
    detail: str


def signature(exc: BaseException) -> str:
    if isinstance(exc, AssertionError):
        return "AssertionError: " + str(exc).split(":")[0][:100]
    frames = traceback.extract_tb(exc.__traceback__)
    inner = frames[-1] if frames else None
    where = f"{Path(inner.filename).name}:{inner.lineno} in {inner.name}" if inner else "?"
    return f"{type(exc).__name__} at {where}"


def save(out: Path, n: int, kind: str, case) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    if kind == "batch":
        case = case[0]
    ext = {"expr": ".txt", "policy": ".yaml", "yaml": ".yaml", "jsonl": ".jsonl", "batch": ".jsonl"}[kind]
    path = out / f"failure_{n}_{kind}{ext}"
    if isinstance(case, str):
        path.write_text(case, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(case)
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=None, help="run for this long (default 60)")
    ap.add_argument("--cases", type=int, default=None, help="run this many cases")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kinds", default=",".join(GENERATORS), help="comma-separated: " + ",".join(GENERATORS))
    ap.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "kinerja-fuzz"),
                    help="folder for one reproducer per distinct failure")
    args = ap.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else (None if args.cases else 60.0)
    kinds = [k for k in args.kinds.split(",") if k]
    rng = random.Random(args.seed)
    out = Path(args.out)
    failures: dict[str, Failure] = {}
    per_kind = {k: 0 for k in kinds}
    slowest = (0.0, None, None)
    start = time.perf_counter()
    n = 0
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        while True:
            if args.cases is not None and n >= args.cases:
                break
            if seconds is not None and time.perf_counter() - start >= seconds:
                break
            kind = kinds[n % len(kinds)]
            case = GENERATORS[kind](rng)
            n += 1
            per_kind[kind] += 1
            t0 = time.perf_counter()
            try:
                run_case(kind, case, folder)
                sig = None
            except BaseException as e:  # noqa: BLE001 - we are hunting for exactly these
                if isinstance(e, KeyboardInterrupt):
                    raise
                sig, detail = signature(e), "".join(traceback.format_exception_only(type(e), e)).strip()[:300]
            elapsed = time.perf_counter() - t0
            if elapsed > slowest[0]:
                slowest = (elapsed, kind, case)
            if sig is None and elapsed > CASE_LIMIT:
                sig, detail = f"slow case (> {CASE_LIMIT} s) in {kind}", f"{elapsed:.2f} s"
            if sig is not None:
                if sig in failures:
                    failures[sig].count += 1
                else:
                    failures[sig] = Failure(sig, 1, kind, save(out, len(failures), kind, case), detail)
    total = time.perf_counter() - start
    print(f"cases run: {n} in {total:.1f} s (seed {args.seed}): "
          + ", ".join(f"{k} {v}" for k, v in per_kind.items()))
    print(f"distinct failures: {len(failures)}")
    for f in failures.values():
        print(f"  {f.signature}  x{f.count}  [{f.kind}]\n    {f.detail}\n    reproducer: {f.reproducer}")
    if slowest[1] is not None:
        t, kind, case = slowest
        rep = save(out, 999, kind, case)
        shown = (case[0] if kind == "batch" else case)[:120]
        print(f"slowest case: {t * 1000:.0f} ms [{kind}] saved as {rep}: {shown!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
