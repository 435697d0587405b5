"""A cache of the validated catalog, keyed on the contents of every data file it was built from.

The cache holds data, never code: JSON, validated again when it is read (an ill-typed, truncated or
corrupt entry is ignored and rebuilt, never trusted). Its folder is created 0700; a folder or entry that
another user owns, or that others can write, is not used (tripplan says so once and runs without it).
The key is a digest of the very bytes the catalog is parsed from, so a file changed between two reads
cannot be cached under the old key. The cache never changes what tripplan answers, only how fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from tripplan import __version__
from tripplan.catalog import Catalog
from tripplan.models import Clinic

ENV_CACHE_DIR = "TRIPPLAN_CACHE_DIR"  # "off" disables the cache
FORMAT = 3  # bump when what is stored changes: the old entries then simply miss
MAX_ENTRY = 512 * 1024 * 1024
_warned: set[str] = set()


def _warn(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        sys.stderr.write(f"Warning: {message}\n")


def cache_dir() -> Path | None:
    value = os.environ.get(ENV_CACHE_DIR)
    if value == "off":
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("tripplan", appauthor=False))


def usable(folder: Path) -> bool:
    """The folder exists (created 0700 if not), is a real folder, is ours, and only we can write it."""
    from tripplan.files import ensure_private_folder

    try:
        ensure_private_folder(folder)
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        _warn(f"the cache folder {folder} is not a folder (a link?); running without the cache")
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        _warn(f"the cache folder {folder} belongs to another user; running without the cache")
        return False
    if info.st_mode & 0o022:
        _warn(f"others can write the cache folder {folder}; running without the cache (chmod 700 it)")
        return False
    return True


def fingerprint(contents: dict[Path, bytes]) -> str:
    """A digest of tripplan's version, the cache format, and the name and bytes of every file."""
    h = hashlib.blake2b(f"{__version__}|{FORMAT}".encode(), digest_size=20)
    for path in sorted(contents):
        h.update(str(path).encode() + b"\0" + contents[path] + b"\0")
    return h.hexdigest()


def _read(path: Path) -> bytes | None:
    from tripplan.files import ReadError, read_regular

    try:
        info = path.lstat()
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None
        return read_regular(path, limit=MAX_ENTRY, follow=False)
    except (OSError, ReadError):
        return None


_CLINICS = TypeAdapter(dict[str, Clinic])


def load(folder: Path, key: str, *, clinics: bool = True) -> Catalog | None:
    """The cached catalog; without `clinics`, the clinic records (the largest part of a big user
    catalog) are not read and the catalog's `clinics` is empty."""
    if not usable(folder):
        return None
    core = _read(folder / f"catalog-{key}.json")
    if core is None:
        return None
    try:
        cat = Catalog.model_validate_json(core)
        if not clinics:
            return cat
        part = _read(folder / f"clinics-{key}.json")
        if part is None:
            return None
        doc = json.loads(part)
        if not isinstance(doc, dict):
            return None
        found = _CLINICS.validate_python(doc.get("clinics"))
        mine = frozenset(str(x) for x in doc.get("user", []) if isinstance(x, str))
    except (ValidationError, ValueError, RecursionError):
        return None
    return cat.model_copy(update={"clinics": found, "user_clinic_ids": mine})


def _write(folder: Path, name: str, data: bytes) -> None:
    """Best effort: a cache entry that cannot be written is simply not there next time."""
    from tripplan.errors import WriteError
    from tripplan.files import write_atomic

    with contextlib.suppress(OSError, WriteError):
        write_atomic(folder / name, data, force=True)


def store(folder: Path, key: str, catalog: Catalog) -> None:
    """Best effort: a cache that cannot be written is simply not used."""
    if not usable(folder):
        return
    with contextlib.suppress(OSError):
        for old in [*folder.glob("catalog-*"), *folder.glob("clinics-*")]:
            with contextlib.suppress(OSError):
                old.unlink()
    core = catalog.model_copy(update={"clinics": {}, "user_clinic_ids": frozenset()})
    part: dict[str, Any] = {
        "clinics": {k: c.model_dump(mode="json") for k, c in catalog.clinics.items()},
        "user": sorted(catalog.user_clinic_ids),
    }
    _write(folder, f"clinics-{key}.json", json.dumps(part).encode("utf-8"))
    _write(folder, f"catalog-{key}.json", core.model_dump_json().encode("utf-8"))


_HOLIDAYS = TypeAdapter(dict[dt.date, str])


def cached_holidays(calendar: str, years: list[int]) -> dict[dt.date, str]:
    """Public holidays, kept per calendar, years and `holidays` version: the package takes a fifth of a
    second to import, the cached table a millisecond to read."""
    from importlib.metadata import version

    from tripplan.closures import public_holidays

    folder = cache_dir()
    if folder is None or not usable(folder):
        return public_holidays(calendar, years)
    key = hashlib.blake2b(f"{version('holidays')}|{calendar}|{sorted(years)}".encode(), digest_size=12).hexdigest()
    name = f"holidays-{key}.json"
    raw = _read(folder / name)
    if raw is not None:
        with contextlib.suppress(ValidationError, ValueError):
            return _HOLIDAYS.validate_json(raw)
    table = public_holidays(calendar, years)
    _write(folder, name, json.dumps({d.isoformat(): n for d, n in table.items()}).encode("utf-8"))
    return table
