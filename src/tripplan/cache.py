"""A cache of validated data: one entry per data file, keyed on that file's bytes.

An entry holds the file's records once pydantic has validated them, as tagged JSON (data, never code):
each record names its class, and reading it back builds every record again through its constructor, so
an entry naming an unknown class or field, or breaking a record's own checks, is not used; a header
holds the digest of the entry's body, so a truncated or altered entry is not used either (it is rebuilt).
Editing one file re-validates that file only. A `checked-KEY` entry records that this exact set of files
(KEY is a digest of all their bytes) passed the checks across files. Its folder is created 0700; a
folder or entry that another user owns, or that others can write, is not used (tripplan says so once and
runs without it). Keys are digests of the very bytes the catalog is parsed from, so a file changed
between two reads cannot be cached under the old key. The cache never changes what tripplan answers,
only how fast.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import stat
import sys
from functools import cache
from pathlib import Path
from typing import Any

from tripplan import __version__

ENV_CACHE_DIR = "TRIPPLAN_CACHE_DIR"  # "off" disables the cache
FORMAT = 4  # bump when what is stored changes: the old entries then simply miss
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


def file_key(name: str, data: bytes) -> str:
    """A digest of tripplan's version, the cache format, a data file's name and its bytes."""
    return hashlib.blake2b(f"{__version__}|{FORMAT}|{name}|".encode() + data, digest_size=16).hexdigest()


def fingerprint(keys: dict[Path, str]) -> str:
    """A digest of every file's path and key: the identity of a whole set of data files."""
    h = hashlib.blake2b(digest_size=20)
    for path in sorted(keys):
        h.update(f"{path}\0{keys[path]}\0".encode())
    return h.hexdigest()


def _read(path: Path, *, ours: bool = True) -> bytes | None:
    """An entry's bytes, or None; `ours`: only a file this user owns (the cache, not the package)."""
    from tripplan.files import ReadError, read_regular

    try:
        if ours and hasattr(os, "getuid") and path.lstat().st_uid != os.getuid():
            return None
        return read_regular(path, limit=MAX_ENTRY, follow=False)
    except (OSError, ReadError):
        return None


def _write(folder: Path, name: str, data: bytes) -> None:
    """Best effort: a cache entry that cannot be written is simply not there next time."""
    from tripplan.errors import WriteError
    from tripplan.files import write_atomic

    with contextlib.suppress(OSError, WriteError):
        write_atomic(folder / name, data, force=True)


TAG = "@"  # a record: {"@": "ClassName", field: value…}; "@d" a date, "@t" a tuple, "@s" a set, "@m" a map
HEADER = b"tripplan-cache "


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {TAG: type(value).__name__}
        for f in dataclasses.fields(value):
            out[f.name] = _encode(getattr(value, f.name))
        return out
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith(TAG) for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"@m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"@t": [_encode(v) for v in value]}
    if isinstance(value, frozenset | set):
        return {"@s": sorted(_encode(v) for v in value)}
    if isinstance(value, dt.date):
        return {"@d": value.isoformat()}
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def encode(value: Any) -> bytes:
    """Records as tagged JSON, behind a header holding the digest of the body."""
    body = json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return HEADER + hashlib.blake2b(body, digest_size=20).hexdigest().encode() + b"\n" + body


@cache
def _classes() -> dict[str, type[Any]]:
    """The record classes an entry may name: every data record."""
    from tripplan import models

    return {n: c for n, c in vars(models).items() if isinstance(c, type) and dataclasses.is_dataclass(c)}


def _hook(d: dict[str, Any]) -> Any:
    name = d.get(TAG)
    if name is not None:
        del d[TAG]
        return _classes()[name](**d)  # an unknown class or field fails here: the entry is not used
    if len(d) == 1:
        if "@d" in d:
            return dt.date.fromisoformat(d["@d"])
        if "@t" in d:
            return tuple(d["@t"])
        if "@s" in d:
            return frozenset(d["@s"])
        if "@m" in d:
            return dict(d["@m"])
    return d


def decode(data: bytes) -> Any:
    """What encode wrote, rebuilt record by record (each record's own checks run again); None when the
    entry is not exactly what tripplan wrote (truncated, edited, from another version)."""
    head, _, body = data.partition(b"\n")
    if not head.startswith(HEADER) or head[len(HEADER) :] != hashlib.blake2b(body, digest_size=20).hexdigest().encode():
        return None
    try:
        return json.loads(body, object_hook=_hook)
    except (KeyError, TypeError, ValueError, RecursionError):
        return None


def _entry_name(path: Path, key: str) -> tuple[str, str]:
    """(the prefix every entry of this file shares, the entry name for this content's key)."""
    where = hashlib.blake2b(str(path.parent).encode(), digest_size=6).hexdigest()
    prefix = f"file-{path.stem}-{where}-"
    return prefix, f"{prefix}{key}.json"


_loaded: dict[Path, tuple[bytes, dict[str, Any]]] = {}  # entries decoded by this process: (bytes, sections)


def load_file(folder: Path, path: Path, key: str) -> dict[str, Any] | None:
    """The validated sections of the data file at `path` whose bytes have this `file_key`, or None.
    An entry read twice in one process (the catalog, then `clinics add` under its lock) is decoded once:
    its name holds the digest of the file's bytes, so the same name is the same content."""
    entry = folder / _entry_name(path, key)[1]
    if entry in _loaded:
        return _loaded[entry][1]
    raw = _read(entry)
    found = _sections(raw)
    if raw is not None and found is not None:
        _loaded[entry] = (raw, found)
    return found


def _sections(raw: bytes | None) -> dict[str, Any] | None:
    found = decode(raw) if raw is not None else None
    return found if isinstance(found, dict) else None


def store_file(folder: Path, path: Path, key: str, sections: dict[str, Any]) -> None:
    """Keep one file's validated sections (replacing that file's older entries)."""
    prefix, entry = _entry_name(path, key)
    for old in folder.glob(f"{prefix}*"):
        if old.name != entry:
            with contextlib.suppress(OSError):
                old.unlink()
    _write(folder, entry, encode(sections))


def store_edited(
    folder: Path, path: Path, old_key: str, key: str, section: str, added: list[Any], removed: Any
) -> bool:
    """Keep the entry of a file edited in place by tripplan (`clinics add/remove`): its entry under the old
    bytes' key, loaded in this process, with the `added` records appended to `section` and the `removed`
    record (or None) cut out, under the new bytes' key, without encoding every record again. False when
    the old entry was not loaded here or the record is not found whole (nothing is then stored)."""
    old = _loaded.get(folder / _entry_name(path, old_key)[1])
    if old is None:
        return False
    body = old[0].partition(b"\n")[2]
    head = b'{"' + section.encode() + b'":['
    if not body.startswith(head) or not body.endswith(b"]}") or len(old[1]) != 1:
        return False
    items = body[len(head) : -2]
    if removed is not None:
        one = json.dumps(_encode(removed), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        at = items.find(one)  # a record's JSON cannot occur inside a JSON string: its quotes would be escaped
        if at < 0 or items.find(one, at + 1) >= 0:
            return False
        before, after = items[:at], items[at + len(one) :]
        if (before and not before.endswith(b",")) or (after and not after.startswith(b",")):
            return False  # not a whole element of the list
        before, after = before.removesuffix(b","), after.removeprefix(b",")
        items = before + (b"," if before and after else b"") + after
    more = b",".join(json.dumps(_encode(r), ensure_ascii=False, separators=(",", ":")).encode("utf-8") for r in added)
    items = b",".join(x for x in (items, more) if x)
    body = head + items + b"]}"
    prefix, entry = _entry_name(path, key)
    for stale in folder.glob(f"{prefix}*"):
        if stale.name != entry:
            with contextlib.suppress(OSError):
                stale.unlink()
    _write(folder, entry, HEADER + hashlib.blake2b(body, digest_size=20).hexdigest().encode() + b"\n" + body)
    return True


# The shipped data's own validated records, built with the package (scripts/build_validated.py) in the
# cache's format: the first run after installing needs neither TOML parsing nor pydantic for them. An entry
# is used only for the very bytes it was built from (its key), after the same checks as a cache entry.
SNAPSHOT = "validated"
HOLIDAY_YEARS = range(2024, 2033)  # the years whose public holidays the snapshot holds


def snapshot_dir(shipped: Path) -> Path:
    return shipped / SNAPSHOT


def snapshot_name(path: Path, key: str) -> str:
    return f"{path.stem}-{key}.json"


def set_key(keys: list[str]) -> str:
    """A digest of a set of file keys, whatever folder the files are in."""
    return hashlib.blake2b("\0".join(sorted(keys)).encode(), digest_size=20).hexdigest()


def snapshot_file(folder: Path, path: Path, key: str) -> dict[str, Any] | None:
    """The validated sections the package ships for the data file at `path` with this key, or None."""
    return _sections(_read(folder / snapshot_name(path, key), ours=False))


def snapshot_checked(folder: Path, keys: list[str]) -> bool:
    """Whether the package's own files, with exactly these keys, passed the checks across files."""
    return checked(folder, set_key(keys), ours=False)


def snapshot_holidays(calendar: str, years: list[int]) -> dict[dt.date, str] | None:
    """The public holidays the package ships for this calendar, if built with the installed `holidays`
    release and holding every year asked for."""
    from tripplan.loader import shipped_data_dir

    if not years or not all(y in HOLIDAY_YEARS for y in years):
        return None
    table = _sections(_read(snapshot_dir(shipped_data_dir()) / f"holidays-{calendar}.json", ours=False))
    if table is None or table.get("release") != holidays_release():
        return None
    days = table.get("days")
    if not isinstance(days, dict) or not all(isinstance(n, str) for n in days.values()):
        return None
    wanted = set(years)
    return {d: n for d, n in ((dt.date.fromisoformat(k), v) for k, v in days.items()) if d.year in wanted}


def checked(folder: Path, key: str, *, ours: bool = True) -> bool:
    """Whether this exact set of files passed the checks across files (cross_check)."""
    return _read(folder / f"checked-{key}.json", ours=ours) == json.dumps(key).encode()


def mark_checked(folder: Path, key: str) -> None:
    for old in folder.glob("checked-*"):
        with contextlib.suppress(OSError):
            old.unlink()
    _write(folder, f"checked-{key}.json", json.dumps(key).encode())


def holidays_release() -> str:
    """The installed `holidays` release, read from its dist-info folder's name (holidays-0.84.dist-info):
    `importlib.metadata`, which the package's own version uses, costs more to import than the table
    costs to read."""
    from importlib.machinery import PathFinder

    spec = PathFinder.find_spec("holidays")
    if spec is not None and spec.origin:
        with contextlib.suppress(OSError):
            site = Path(spec.origin).parent.parent
            found = sorted(p.name for p in site.glob("holidays-*.dist-info"))
            if len(found) == 1:
                return found[0]
    from importlib.metadata import version

    return version("holidays")


def cached_holidays(calendar: str, years: list[int]) -> dict[dt.date, str]:
    """Public holidays, kept per calendar, years and `holidays` version: the package takes a fifth of a
    second to import, the cached table a millisecond to read."""
    from tripplan.closures import public_holidays

    shipped = snapshot_holidays(calendar, years)
    if shipped is not None:
        return shipped
    folder = cache_dir()
    if folder is None or not usable(folder):
        return public_holidays(calendar, years)
    key = hashlib.blake2b(f"{holidays_release()}|{calendar}|{sorted(years)}".encode(), digest_size=12).hexdigest()
    name = f"holidays-{key}.json"
    raw = _read(folder / name)
    if raw is not None:
        with contextlib.suppress(ValueError, TypeError, AttributeError):
            table = json.loads(raw)
            return {dt.date.fromisoformat(d): str(n) for d, n in table.items() if isinstance(n, str)}
    table = public_holidays(calendar, years)
    _write(folder, name, json.dumps({d.isoformat(): n for d, n in table.items()}).encode("utf-8"))
    return table
