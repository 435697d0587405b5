"""A cache of the validated catalog, keyed on the contents of every data file it was built from.

A hit skips TOML parsing and validation; any change to any file (shipped or the user's), a new
tripplan version, or a missing/corrupt cache file means a miss, and the catalog is built afresh.
The cache never changes what tripplan answers, only how fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import pickle
from pathlib import Path

from tripplan import __version__
from tripplan.catalog import Catalog

ENV_CACHE_DIR = "TRIPPLAN_CACHE_DIR"  # "off" disables the cache


def cache_dir() -> Path | None:
    value = os.environ.get(ENV_CACHE_DIR)
    if value == "off":
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("tripplan", appauthor=False))


def fingerprint(files: list[Path]) -> str:
    """A digest of tripplan's version and the name and bytes of every file."""
    h = hashlib.blake2b(__version__.encode(), digest_size=20)
    for f in sorted(files):
        h.update(str(f).encode() + b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def load(folder: Path, key: str) -> Catalog | None:
    path = folder / f"catalog-{key}.pickle"
    try:
        with path.open("rb") as f:
            value = pickle.load(f)
    except Exception:  # missing, truncated, corrupt, or from another version: rebuild
        return None
    return value if isinstance(value, Catalog) else None


def store(folder: Path, key: str, catalog: Catalog) -> None:
    """Best effort: a cache that cannot be written is simply not used."""
    with contextlib.suppress(OSError, pickle.PicklingError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for old in folder.glob("catalog-*.pickle"):
            with contextlib.suppress(OSError):
                old.unlink()
        tmp = folder / f".catalog-{key}.{os.getpid()}.tmp"
        with tmp.open("wb") as f:
            pickle.dump(catalog, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.chmod(0o600)
        tmp.replace(folder / f"catalog-{key}.pickle")


def cached_holidays(calendar: str, years: list[int]) -> dict[dt.date, str]:
    """Public holidays, kept per calendar, years and `holidays` version: the package takes a fifth of a
    second to import, the cached table a millisecond to read."""
    from importlib.metadata import version

    from tripplan.closures import public_holidays

    folder = cache_dir()
    if folder is None:
        return public_holidays(calendar, years)
    key = hashlib.blake2b(f"{version('holidays')}|{calendar}|{sorted(years)}".encode(), digest_size=12).hexdigest()
    path = folder / f"holidays-{key}.json"
    try:
        return {dt.date.fromisoformat(d): n for d, n in json.loads(path.read_text("utf-8")).items()}
    except Exception:  # missing or corrupt: compute again
        pass
    table = public_holidays(calendar, years)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = folder / f".holidays-{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({d.isoformat(): n for d, n in table.items()}), "utf-8")
        tmp.replace(path)
    return table
