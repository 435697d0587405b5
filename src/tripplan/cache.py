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
FORMAT = 2  # bump when what is stored changes: the old entries then simply miss


def cache_dir() -> Path | None:
    value = os.environ.get(ENV_CACHE_DIR)
    if value == "off":
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("tripplan", appauthor=False))


def fingerprint(files: list[Path]) -> str:
    """A digest of tripplan's version, the cache format, and the name and bytes of every file."""
    h = hashlib.blake2b(f"{__version__}|{FORMAT}".encode(), digest_size=20)
    for f in sorted(files):
        h.update(str(f).encode() + b"\0")
        h.update(f.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _read(path: Path) -> object:
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:  # missing, truncated, corrupt, or from another version: rebuild
        return None


def load(folder: Path, key: str, *, clinics: bool = True) -> Catalog | None:
    """The cached catalog; without `clinics`, the clinic records (the largest part of a big user
    catalog) are not read and the catalog's `clinics` is empty."""
    core = _read(folder / f"catalog-{key}.pickle")
    if not isinstance(core, Catalog):
        return None
    if not clinics:
        return core
    part = _read(folder / f"clinics-{key}.pickle")
    if not (isinstance(part, tuple) and len(part) == 2 and isinstance(part[0], dict)):
        return None
    return core.model_copy(update={"clinics": part[0], "user_clinic_ids": part[1]})


def _write(folder: Path, name: str, data: bytes) -> None:
    """Best effort: a cache entry that cannot be written is simply not there next time."""
    from tripplan.errors import WriteError
    from tripplan.files import write_atomic

    with contextlib.suppress(OSError, WriteError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(folder / name, data, force=True)


def store(folder: Path, key: str, catalog: Catalog) -> None:
    """Best effort: a cache that cannot be written is simply not used."""
    with contextlib.suppress(OSError):
        for old in [*folder.glob("catalog-*.pickle"), *folder.glob("clinics-*.pickle")]:
            with contextlib.suppress(OSError):
                old.unlink()
    core = catalog.model_copy(update={"clinics": {}, "user_clinic_ids": frozenset()})
    _write(
        folder,
        f"clinics-{key}.pickle",
        pickle.dumps((catalog.clinics, catalog.user_clinic_ids), pickle.HIGHEST_PROTOCOL),
    )
    _write(folder, f"catalog-{key}.pickle", pickle.dumps(core, pickle.HIGHEST_PROTOCOL))


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
    _write(folder, path.name, json.dumps({d.isoformat(): n for d, n in table.items()}).encode("utf-8"))
    return table
