"""A store of entries keyed by digests: the cache (the user's folder) and the package's snapshot.

The store knows bytes and tagged JSON, nothing of tripplan's records or rules: `Store.read(kind, key,
build)` finds the entry of that kind made from inputs with that digest, `Store.write(kind, key, value)`
keeps one (replacing the older entries of its kind). The loader decides what a kind and a key are (a
data file and the digest of its bytes; the set of files that passed the checks across files; a holiday
table and the release, calendar and years it was made from) and how a record is rebuilt and checked
(`build`).

An entry is tagged JSON (data, never code) behind a header holding a digest over its key and its body:
a truncated or altered entry, or one copied under another key, is not used. Each record names its
class and `build` makes it again (the loader runs the same field checks as for a file), so an entry
naming an unknown class or field, or failing a check, is not used either: the caller rebuilds it from
the files, silently. The cache folder is created 0700; a folder or entry another user owns, or that
others can write, is not used (tripplan says so once and runs without it). The cache never changes what
tripplan answers, only how fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from tripplan import __version__

ENV_CACHE_DIR = "TRIPPLAN_CACHE_DIR"  # "off" disables the cache
FORMAT = 5  # bump when what is stored changes: the old entries then simply miss
MAX_ENTRY = 512 * 1024 * 1024
_warned: set[str] = set()

Build = Callable[[str, dict[str, Any]], Any]  # (class name, fields) -> the record, or raises
_loaded: dict[Path, tuple[bytes, Any]] = {}  # entries this process read and decoded: (bytes, value)


def _warn(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        from tripplan.i18n import _

        sys.stderr.write(_("Warning: {warning}").format(warning=message) + "\n")


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
    from tripplan.i18n import _

    try:
        ensure_private_folder(folder)
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        _warn(_("the cache folder {folder} is not a folder (a link?); running without the cache").format(folder=folder))
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        _warn(_("the cache folder {folder} belongs to another user; running without the cache").format(folder=folder))
        return False
    if info.st_mode & 0o022:
        _warn(
            _("others can write the cache folder {folder}; running without the cache (chmod 700 it)").format(
                folder=folder
            )
        )
        return False
    return True


def digest(*parts: str | bytes) -> str:
    """A digest of tripplan's version, the cache format and the parts (an entry's inputs)."""
    h = hashlib.blake2b(f"{__version__}|{FORMAT}".encode(), digest_size=16)
    for part in parts:
        h.update(b"|" + (part.encode() if isinstance(part, str) else part))
    return h.hexdigest()


def file_key(name: str, data: bytes) -> str:
    """The key of a data file: a digest of its name and its bytes."""
    return digest(name, data)


def set_key(keys: list[str]) -> str:
    """The key of a set of files: a digest of their keys, whatever folder the files are in."""
    return digest(*sorted(keys))


TAG = "@"  # a record: {"@": "ClassName", field: value…}; "@d" a date, "@t" a tuple, "@s" a set, "@m" a map
HEADER = b"tripplan-cache "


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        out = {TAG: type(value).__name__}
        for f in fields(value):
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


def _seal(key: str, body: bytes) -> bytes:
    return hashlib.blake2b(key.encode() + b"\n" + body, digest_size=20).hexdigest().encode()


def _dumps(value: Any) -> bytes:
    return json.dumps(_encode(value), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def encode(value: Any, key: str) -> bytes:
    """Records as tagged JSON, behind a header holding a digest over the entry's key and body."""
    body = _dumps(value)
    return HEADER + _seal(key, body) + b"\n" + body


def _no_records(name: str, values: dict[str, Any]) -> Any:
    raise ValueError(f"no record class {name!r} expected here")


def decode(data: bytes, key: str, build: Build = _no_records) -> Any:
    """What encode wrote under this key, each record made by `build`; None when the entry is not exactly
    what tripplan wrote for this key (truncated, edited, renamed, from another version) or when `build`
    refuses a record."""
    head, _, body = data.partition(b"\n")
    if not head.startswith(HEADER) or head[len(HEADER) :] != _seal(key, body):
        return None

    def hook(d: dict[str, Any]) -> Any:
        name = d.pop(TAG, None)
        if name is not None:
            return build(name, d)
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

    try:
        return json.loads(body, object_hook=hook)
    except (KeyError, TypeError, ValueError, RecursionError):
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Store:
    """A folder of entries. `ours`: the user's cache (only entries this user owns are read, and it is
    written); otherwise the package's snapshot (read only)."""

    folder: Path
    ours: bool = True

    def entry(self, kind: str, key: str) -> Path:
        return self.folder / f"{kind}-{key}.json"

    def read(self, kind: str, key: str, build: Build = _no_records) -> Any:
        """The entry of this kind made from inputs with this key, rebuilt; None when there is none or it
        is not exactly what tripplan wrote (the caller then rebuilds it from the files)."""
        from tripplan.files import ReadError, read_regular

        path = self.entry(kind, key)
        try:
            if self.ours and hasattr(os, "getuid") and path.lstat().st_uid != os.getuid():
                return None
            raw = read_regular(path, limit=MAX_ENTRY, follow=False)
        except (OSError, ReadError):
            return None
        if path in _loaded and _loaded[path][0] == raw:  # decoded before in this process (the catalog, then
            return _loaded[path][1]  # `clinics add` under its lock): the same bytes, decoded once
        found = decode(raw, key, build)
        if found is not None:
            _loaded[path] = (raw, found)
        return found

    def write(self, kind: str, key: str, value: Any) -> None:
        """Keep one entry (best effort: one that cannot be written is simply not there next time),
        removing the older entries of its kind."""

        if self.ours:
            self._put(kind, key, encode(value, key))

    def _put(self, kind: str, key: str, data: bytes) -> None:
        from tripplan.errors import WriteError
        from tripplan.files import write_atomic

        target = self.entry(kind, key)
        for old in self.folder.glob(f"{kind}-*.json"):
            if old.name != target.name and len(old.name) == len(target.name):
                with contextlib.suppress(OSError):
                    old.unlink()
        with contextlib.suppress(OSError, WriteError):
            write_atomic(target, data, force=True)

    def write_edited(self, kind: str, old_key: str, key: str, section: str, added: list[Any], removed: Any) -> bool:
        """Keep the entry of a file tripplan edited in place (`clinics add/remove`): its entry under the old
        bytes' key, read in this process, with the `added` records appended to `section` and the `removed`
        record (or None) cut out, sealed under the new bytes' key, without encoding every record again.
        False when the old entry was not read here or the record is not found whole (nothing is stored)."""
        old = _loaded.get(self.entry(kind, old_key))
        if old is None or not self.ours:
            return False
        body = old[0].partition(b"\n")[2]
        head = b'{"' + section.encode() + b'":['
        if not body.startswith(head) or not body.endswith(b"]}") or not isinstance(old[1], dict) or len(old[1]) != 1:
            return False
        items = body[len(head) : -2]
        if removed is not None:
            one = _dumps(removed)
            at = items.find(one)  # a record's JSON cannot occur inside a JSON string: its quotes would be escaped
            if at < 0 or items.find(one, at + 1) >= 0:
                return False
            before, after = items[:at], items[at + len(one) :]
            if (before and not before.endswith(b",")) or (after and not after.startswith(b",")):
                return False  # not a whole element of the list
            before, after = before.removesuffix(b","), after.removeprefix(b",")
            items = before + (b"," if before and after else b"") + after
        more = b",".join(_dumps(r) for r in added)
        body = head + b",".join(x for x in (items, more) if x) + b"]}"
        self._put(kind, key, HEADER + _seal(key, body) + b"\n" + body)
        return True
