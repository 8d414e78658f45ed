"""A content-keyed cache of compiled artefacts in the user's cache folder, so a cold start skips work.

Building a policy (YAML, the policy schema, parsing, checking, code generation), the expression
grammar's parser tables, a data schema's fast validator and the parsed YAML of a policy's test cases
take far longer than checking one contract; each depends only on the text of a few files. Each is
kept here under a key made of that text and of a version key (this cache's format, the Python
version and a fingerprint of the engine's modules and of the libraries it uses, which changes with
every release, every edit and every upgrade of lark, PyYAML or jsonschema), so a changed file, a new
kinerja or a new library simply misses.

Where: `KINERJA_CACHE_DIR` if set, else the platform's cache folder: `$XDG_CACHE_HOME/kinerja` or
`~/.cache/kinerja` (Linux and others), `~/Library/Caches/kinerja` (macOS), `%LOCALAPPDATA%\\kinerja\\Cache`
(Windows). Off with `KINERJA_CACHE=off` or `kinerja --no-cache`.

Safe by construction: an entry is written to a temporary file and renamed into place (a reader sees
the old entry or the new one, never half of one, however many processes write), and carries a
checksum; an entry that is missing, unreadable, corrupt or from another version is a
miss, and a folder that cannot be written just means nothing is kept. Nothing here ever raises.
Each version's entries live in a folder of their own; when a new version writes its first entry, the
folders of versions nothing wrote to for KEEP_DAYS days are removed, so the cache does not grow
without end. Kinds keyed by the content of data files (parsed YAML: contracts, test cases) or of
draft policies (compare's attribution variants and what their entries read), which change often and
can be many, are bounded (BOUNDED): a process writes at most an eighth of the
bound into a folder (a run over thousands of files spends its time parsing them anyway, and its
entries would push out those of the short runs the cache is for), and a write that finds the kind's
folder full first removes the older half of it.
"""
from __future__ import annotations

import os
import sys
import zlib
from pathlib import Path
from typing import Callable, TypeVar

FORMAT = 1                      # bump when the layout of any entry changes
ENV = "KINERJA_CACHE"           # "off" (or 0, no, false) disables the cache
DIR_ENV = "KINERJA_CACHE_DIR"   # a folder to use instead of the platform's cache folder
KEEP_DAYS = 30                  # another version's folder unwritten this long is removed
BOUNDED = {                     # kind -> most entries kept (see above)
    "yaml": 1024,               # parsed YAML files (engine/source.py)
    "variant": 256,             # compare's variants (engine/policy/stored.py VARIANT_KIND)
    "variant-graph": 4096,      # what each one-difference variant reads (engine/compare/attribution.py)
    "policy-diff": 256,         # the differences between two policies (engine/compare/attribution.py)
}
_MAGIC = b"kinerja-cache\n"
try:  # CPython's own BLAKE2, which spares hashlib's loading of OpenSSL (a few ms of every start)
    from _blake2 import blake2b as _hash
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b as _hash
_OFF_WORDS = {"off", "0", "no", "false"}
_disabled = False               # `--no-cache` of this process
_written: dict[Path, int] = {}  # entries this process wrote into the folder of a BOUNDED kind
T = TypeVar("T")
_version: str | None = None


def disable(off: bool = True) -> None:
    """Turn the cache off (or back on) for this process: `kinerja --no-cache`."""
    global _disabled
    _disabled = off


def enabled() -> bool:
    return not _disabled and os.environ.get(ENV, "").strip().lower() not in _OFF_WORDS


def folder() -> Path:
    """The cache folder (it may not exist yet)."""
    if os.environ.get(DIR_ENV):
        return Path(os.environ[DIR_ENV])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "kinerja"
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "kinerja" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "kinerja"
    return Path.home() / ".cache" / "kinerja"


def digest(*parts: str | bytes) -> str:
    """A hex key over `parts` (each length-prefixed, so ("ab", "c") and ("a", "bc") differ)."""
    h = _hash(digest_size=32)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


LIBRARIES = ("lark", "yaml", "jsonschema")    # what cached entries are made with (parser tables, parsed YAML)


def version_key() -> str:
    """This cache's format, the Python version and a fingerprint of the engine's code: the name, size
    and modification time of every module (and the grammar) under engine/, and of the libraries
    whose output entries keep (an upgraded lark or PyYAML rewrites its files: a new version)."""
    global _version
    if _version is None:
        root = Path(__file__).resolve().parent
        _version = digest(f"{FORMAT}", sys.version, sys.implementation.cache_tag or "", *_stamps(root, ""),
                          *map(_library_stamp, LIBRARIES))
    return _version


def _library_stamp(name: str) -> str:
    """Where a library is installed, with the size and time of its package file (found, not imported)."""
    try:
        from importlib.util import find_spec
        origin = find_spec(name).origin
        st = os.stat(origin)
        return f"{name}:{origin}:{st.st_size}:{st.st_mtime_ns}"
    except Exception:   # not installed, or no file: the stamp says so (nothing here raises)
        return f"{name}: not found"


def _stamps(folder: Path, prefix: str) -> list[str]:
    out = []
    try:
        with os.scandir(folder) as found:
            for e in sorted(found, key=lambda e: e.name):
                if e.is_dir() and e.name not in ("__pycache__", "bundled"):
                    out += _stamps(Path(e.path), f"{prefix}{e.name}/")
                elif e.name.endswith((".py", ".lark")):
                    st = e.stat()
                    out.append(f"{prefix}{e.name}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        out.append(f"{prefix}: unreadable")
    return out


def _version_folder() -> Path:
    return folder() / f"v-{version_key()[:20]}"


def _path(kind: str, key: str) -> Path:
    return _version_folder() / kind / f"{digest(key)}.bin"


def entries(kind: str) -> list[Path]:
    """The files of this version's entries of `kind` (for inspection and tests)."""
    try:
        return sorted(p for p in (_version_folder() / kind).iterdir() if p.suffix == ".bin")
    except OSError:
        return []


def _within_bound(kind: str) -> bool:
    """Whether this process may write one more entry of `kind` (always, unless it is BOUNDED: see
    the module's text); a full folder loses its older half first."""
    bound = BOUNDED.get(kind)
    if bound is None:
        return True
    where = _version_folder() / kind
    if _written.get(where, 0) >= bound // 8:
        return False
    _written[where] = _written.get(where, 0) + 1
    try:
        with os.scandir(where) as found:
            kept = [(e.stat().st_mtime_ns, e.path) for e in found if e.name.endswith(".bin")]
    except OSError:   # not there yet
        return True
    if len(kept) >= bound:
        for _, path in sorted(kept)[:len(kept) - bound // 2]:
            try:
                os.unlink(path)
            except OSError:
                pass
    return True


def _prune(keep: Path) -> None:
    """Remove the folders of other versions (an older kinerja, an edited checkout) that nothing wrote
    to for KEEP_DAYS days. Called when a version writes its first entry."""
    import shutil
    import time
    try:
        for other in keep.parent.glob("v-*"):
            if other != keep and time.time() - other.stat().st_mtime > KEEP_DAYS * 86400:
                shutil.rmtree(other, ignore_errors=True)
    except OSError:
        pass


def read(kind: str, key: str) -> bytes | None:
    """The bytes kept for (`kind`, `key`), or None: off, missing, unreadable or corrupt."""
    if not enabled():
        return None
    try:
        blob = _path(kind, key).read_bytes()
    except (OSError, ValueError):
        return None
    head = len(_MAGIC) + 4
    if len(blob) < head or not blob.startswith(_MAGIC):
        return None
    payload = blob[head:]
    if zlib.crc32(payload).to_bytes(4, "little") != blob[len(_MAGIC):head]:
        return None
    return payload


def remembered(kind: str, key: str, make: Callable[[], T]) -> T:
    """`make()`, or the result an earlier process kept for (`kind`, `key`): for plain data (pickled)
    that depends on nothing but what `key` was made of. An error of `make` is raised, never kept."""
    import pickle
    kept = read(kind, key)
    if kept is not None:
        try:
            return pickle.loads(kept)
        except Exception:  # noqa: BLE001 - a damaged or outdated entry: make it again
            pass
    value = make()
    if enabled():
        try:
            write(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - cannot be pickled: just not kept
            pass
    return value


def write(kind: str, key: str, payload: bytes) -> None:
    """Keep `payload` for (`kind`, `key`): atomically (temporary file, then rename); silently
    nothing when the cache is off or its folder cannot be written."""
    if not enabled() or not _within_bound(kind):
        return
    import tempfile
    target = _path(kind, key)
    tmp = None
    try:
        if not target.parent.is_dir():
            if not _version_folder().is_dir():
                _prune(_version_folder())
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(_MAGIC + zlib.crc32(payload).to_bytes(4, "little") + payload)
        os.replace(tmp, target)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
