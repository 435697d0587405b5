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
the files, silently. A big section (the user's clinics and prices: `by_line`) is kept one record a line
after the entry's head, which holds each record's key and the size of its line; it is read back as a
`Lazy` mapping that makes a record, with its checks, only when asked for (one clinic of 100,000 costs
one record), and a record that fails then drops the entry and has the section taken from the file. The cache folder is created 0700; a folder or entry another user owns, or that
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
from array import array
from collections.abc import Callable, ItemsView, Iterator, Mapping, ValuesView
from dataclasses import MISSING, dataclass, fields, is_dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from tripplan import __version__

ENV_CACHE_DIR = "TRIPPLAN_CACHE_DIR"  # "off" disables the cache
FORMAT = 7  # bump when what is stored changes: the old entries then simply miss (7: fields at their default left out)
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
    h = hashlib.sha256(f"{__version__}|{FORMAT}".encode())
    for part in parts:
        h.update(b"|")
        h.update(part.encode() if isinstance(part, str) else part)
    return h.hexdigest()[:32]


def file_key(name: str, data: bytes) -> str:
    """The key of a data file: a digest of its name and its bytes."""
    return digest(name, data)


def set_key(keys: list[str]) -> str:
    """The key of a set of files: a digest of their keys, whatever folder the files are in."""
    return digest(*sorted(keys))


TAG = "@"  # a record: {"@": "ClassName", field: value…}; "@d" a date, "@t" a tuple, "@s" a set, "@m" a map
HEADER = b"tripplan-cache "
LINES = "@l"  # a section kept one record a line: {"@l": [offset, [key, …], [size, …]]}
Keyed = Callable[[Any], str]  # a record -> its key in its section


_UNSET = object()  # the default of a field that has none: equal to no value
_FIELDS: dict[type[Any], tuple[tuple[str, Any], ...]] = {}  # a record class's fields and defaults, found once


def _defaults(kind: type[Any]) -> tuple[tuple[str, Any], ...]:
    """Each field of a record class with its default: the default value, a fresh value of its default
    factory (made once, never changed), or _UNSET."""
    found = []
    for f in fields(kind):
        if f.default is not MISSING:
            found.append((f.name, f.default))
        elif f.default_factory is not MISSING:
            found.append((f.name, f.default_factory()))
        else:
            found.append((f.name, _UNSET))
    return tuple(found)


def _encode(value: Any) -> Any:
    """Tagged JSON of a value. A record is written without the fields equal to their default (of the same
    type, so that 0 never stands for 0.0 or False): `build` makes it again by calling its class, which gives
    them back. A record of 100,000 clinics is then about half the size, and half the work to seal and read."""
    kind = type(value)
    if kind is str or kind is int or kind is float or value is None:
        return value
    if kind is list:
        return [_encode(v) for v in value]
    spec = _FIELDS.get(kind)
    if spec is None and is_dataclass(value) and not isinstance(value, type):
        spec = _FIELDS[kind] = _defaults(kind)
    if spec is not None:
        out = {TAG: kind.__name__}
        for name, default in spec:
            v = getattr(value, name)
            if v is default or (type(v) is type(default) and v == default):
                continue
            out[name] = _encode(v)
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


def _seal(key: str, body: bytes | memoryview) -> bytes:
    h = hashlib.sha256(key.encode() + b"\n")
    h.update(body)
    return h.hexdigest()[:40].encode()


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)  # made once, not per record


def _dumps(value: Any) -> bytes:
    return _JSON.encode(_encode(value)).encode("utf-8")


def _body(value: Any, by_line: Mapping[str, Keyed]) -> bytes:
    """The head (the value, each section of `by_line` replaced by where its lines start, its keys and the
    size of each line), a line break, and then one line per record of those sections, each ending with a
    line break. JSON escapes every line break inside a string, so a line is one record."""
    if not by_line or not isinstance(value, dict):
        return _dumps(value)
    head: dict[str, Any] = {}
    lines: list[bytes] = []
    offset = 0
    for name, section in value.items():
        if name in by_line and isinstance(section, list | Lazy):
            records = list(section.values()) if isinstance(section, Lazy) else section
            made = [_dumps(r) for r in records]
            head[name] = {LINES: [offset, [by_line[name](r) for r in records], [len(x) for x in made]]}
            offset += sum(len(x) + 1 for x in made)
            lines += made
        else:
            head[name] = _encode(section)
    return _joined(head, lines)


def _joined(head: dict[str, Any], lines: list[bytes]) -> bytes:
    first = _JSON.encode(head).encode("utf-8")
    return first + b"\n" + b"".join(x + b"\n" for x in lines)


def encode(value: Any, key: str, by_line: Mapping[str, Keyed] | None = None) -> bytes:
    """Records as tagged JSON, behind a header holding a digest over the entry's key and body. The
    sections named in `by_line` (lists of records, each known by the key the function gives) are kept one
    record a line, so that a reader makes only the records it is asked for (`Lazy`)."""
    body = _body(value, by_line or {})
    return HEADER + _seal(key, body) + b"\n" + body


def _no_records(name: str, values: dict[str, Any]) -> Any:
    raise ValueError(f"no record class {name!r} expected here")


Bad = (KeyError, TypeError, ValueError, RecursionError)  # what decoding a stored record that is not right raises


class Lazy(Mapping[str, Any]):
    """A section kept one record a line in an entry: its keys are known at once, each record is decoded
    and made (by the store's `build`, with its field checks) only when asked for. Read-only.

    A record that fails (an entry altered behind a recomputed seal) is never shown: the entry is dropped
    and the whole section is taken from `rescue` (the loader: the data file itself, validated) from then
    on; without a `rescue`, ValueError. `expect`: the one record class the section may hold.

    Opening one costs a check of its keys and sizes (about 20 ms for 100,000 lines): where each line
    starts, and which line a key is, are found by a scan for the first few records asked for, and
    indexed (a dict and an array of starts, about 60 ms more) only once a command asks for more."""

    __slots__ = (
        "_base",
        "_drop",
        "_end",
        "_index",
        "_keys",
        "_keyset",
        "_lookups",
        "_make",
        "_memo",
        "_raw",
        "_rescued",
        "_sizes",
        "_starts",
        "expect",
        "rescue",
    )

    SCANNED = 8  # records found by a scan before the section is indexed

    def __init__(
        self,
        raw: bytes,
        base: int,
        keys: list[str],
        sizes: list[int],
        make: Callable[[bytes], Any],
        drop: Callable[[], None],
    ) -> None:
        """`raw`: the entry; `base`: where the section's first line starts in it; `keys` and `sizes`: each
        record's key and the size of its line (without the line break)."""
        if (
            type(keys) is not list
            or type(sizes) is not list
            or len(keys) != len(sizes)
            or not set(map(type, keys)) <= {str}
            or not set(map(type, sizes)) <= {int}
            or (sizes and min(sizes) < 0)
        ):
            raise ValueError("not the lines of a section")
        self._raw, self._make, self._drop = raw, make, drop
        self._keys, self._sizes, self._base = keys, sizes, base
        self._end = base + sum(sizes) + len(sizes)
        self._keyset = frozenset(keys)
        if len(self._keyset) != len(keys) or self._end > len(raw):
            raise ValueError("not the lines of a section")
        self._index: dict[str, int] | None = None
        self._starts: array[int] | None = None
        self._lookups = 0
        self._memo: dict[str, Any] = {}
        self.expect: type[Any] | None = None
        self.rescue: Callable[[], Mapping[str, Any]] | None = None
        self._rescued: Mapping[str, Any] | None = None

    @property
    def span(self) -> tuple[int, int]:
        """Where the section's lines start and end in the entry."""
        return self._base, self._end

    def line(self, key: str) -> bytes:
        """The stored JSON of one record, as written (KeyError when no record has that key)."""
        if key not in self._keyset:
            raise KeyError(key)
        if self._index is None and self._lookups < self.SCANNED:
            self._lookups += 1
            at = self._keys.index(key)
            start = self._base + sum(self._sizes[:at]) + at
        else:
            if self._index is None or self._starts is None:
                self._index = dict(zip(self._keys, range(len(self._keys)), strict=True))
                self._starts = array("q", accumulate((n + 1 for n in self._sizes), initial=self._base))
            at = self._index[key]
            start = self._starts[at]
        return self._raw[start : start + self._sizes[at]]

    def lines(self) -> Iterator[tuple[str, bytes]]:
        """Each key with the stored JSON of its record, in order (without indexing the section)."""
        start, raw = self._base, self._raw
        for key, size in zip(self._keys, self._sizes, strict=True):
            yield key, raw[start : start + size]
            start += size + 1

    def _made(self, key: str, line: bytes | None = None) -> Any:
        if self._rescued is not None:
            return self._rescued[key]
        try:
            record = self._make(self.line(key) if line is None else line)
            if self.expect is not None and type(record) is not self.expect:
                raise TypeError(f"not a {self.expect.__name__}")
        except Bad:
            return self._rescue()[key]
        return record

    def _rescue(self) -> Mapping[str, Any]:
        self._drop()
        if self.rescue is None:
            raise ValueError("a stored record is not what tripplan wrote")
        self._rescued = self.rescue()
        self._memo.clear()
        return self._rescued

    def __getitem__(self, key: str) -> Any:
        found = self._memo.get(key)
        if found is None:
            if key not in self._keyset:
                raise KeyError(key)
            found = self._memo[key] = self._made(key)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._keyset

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def values(self) -> ValuesView[Any]:
        """Each record made as it is reached and not kept (a list of 100,000 streams in bounded memory)."""
        return _Fresh(self)

    def items(self) -> ItemsView[str, Any]:
        return _FreshItems(self)

    def _fresh(self) -> Iterator[tuple[str, Any]]:
        """Each key and its record, made in order from the lines (a record made before is not made again)."""
        for key, line in self.lines():
            if self._rescued is not None:
                yield key, self._rescued[key]
            else:
                yield key, self._memo.get(key) or self._made(key, line)


class _Fresh(ValuesView[Any]):
    _mapping: Lazy

    def __iter__(self) -> Iterator[Any]:
        for _key, record in self._mapping._fresh():
            yield record


class _FreshItems(ItemsView[str, Any]):
    _mapping: Lazy

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return self._mapping._fresh()


def decode(data: bytes, key: str, build: Build = _no_records, drop: Callable[[], None] = lambda: None) -> Any:
    """What encode wrote under this key, each record made by `build`; None when the entry is not exactly
    what tripplan wrote for this key (truncated, edited, renamed, from another version) or when `build`
    refuses a record. A section kept one record a line comes back as a `Lazy` mapping (key -> record);
    `drop` is what it calls when one of its records turns out not to be right."""
    start = data.find(b"\n")
    if (
        start < 0
        or not data.startswith(HEADER)
        or data[len(HEADER) : start] != _seal(key, memoryview(data)[start + 1 :])
    ):
        return None
    end = data.find(b"\n", start + 1)
    head = data[start + 1 :] if end < 0 else data[start + 1 : end]

    def record(line: bytes) -> Any:
        return json.loads(line, object_hook=hook)

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
            if LINES in d and end >= 0:
                offset, keys, sizes = d[LINES]
                if type(offset) is not int or offset < 0:
                    raise ValueError("not the lines of a section")
                return Lazy(data, end + 1 + offset, keys, sizes, record, drop)
        return d

    try:
        value = json.loads(head, object_hook=hook)
    except Bad:
        return None
    spans = sorted(v.span for v in value.values() if isinstance(v, Lazy)) if isinstance(value, dict) else []
    at = len(data) if end < 0 else end + 1
    for a, b in spans:
        if a != at:
            return None  # sections that overlap, or lines no section names
        at = b
    return value if at == len(data) else None


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

        def drop() -> None:
            _loaded.pop(path, None)
            if self.ours:
                with contextlib.suppress(OSError):
                    path.unlink()

        found = decode(raw, key, build, drop)
        if found is not None:
            _loaded[path] = (raw, found)
        return found

    def write(self, kind: str, key: str, value: Any, by_line: Mapping[str, Keyed] | None = None) -> None:
        """Keep one entry (best effort: one that cannot be written is simply not there next time),
        removing the older entries of its kind. `by_line`: the sections kept one record a line (encode)."""

        if self.ours:
            self._put(kind, key, encode(value, key, by_line))

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

    def write_edited(
        self, kind: str, old_key: str, key: str, section: str, added: Mapping[str, Any], removed: str | None
    ) -> bool:
        """Keep the entry of a file tripplan edited in place (`clinics add/remove`): its entry under the old
        bytes' key, read in this process, with the `added` records (key -> record) after the others of
        `section` (kept one record a line) and the record keyed `removed` (or None) left out, sealed under
        the new bytes' key, without encoding the other records again. False when the old entry was not
        read here, the section is not kept by line, `removed` is not in it or an added key already is
        (nothing is stored)."""
        old = _loaded.get(self.entry(kind, old_key))
        if old is None or not self.ours or not isinstance(old[1], dict):
            return False
        value: dict[str, Any] = old[1]
        lazy = value.get(section)
        if not isinstance(lazy, Lazy) or lazy._rescued is not None:
            return False
        if (removed is not None and removed not in lazy) or any(k in lazy and k != removed for k in added):
            return False
        raw = old[0]
        start = raw.find(b"\n") + 1
        head = json.loads(raw[start : raw.find(b"\n", start)])
        lines: list[bytes] = []
        offset = 0
        for name, stored in head.items():
            if isinstance(stored, dict) and list(stored) == [LINES]:
                part = value[name]
                kept = [(k, x) for k, x in part.lines() if not (name == section and k == removed)]
                keys, chunk = [k for k, _ in kept], [x for _, x in kept]
                if name == section:
                    keys += list(added)
                    chunk += [_dumps(r) for r in added.values()]
                stored[LINES] = [offset, keys, [len(x) for x in chunk]]
                offset += sum(len(x) + 1 for x in chunk)
                lines += chunk
        body = _joined(head, lines)
        self._put(kind, key, HEADER + _seal(key, body) + b"\n" + body)
        return True
