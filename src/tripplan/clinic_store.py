"""The user's clinics.toml: read, add, remove. Written atomically under a lock, user-only,
with the previous version kept as clinics.toml.bak. A file that does not validate is never replaced."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tripplan.catalog import Catalog
from tripplan.errors import DataError, UsageError, WriteError
from tripplan.files import write_atomic
from tripplan.loader import parse_file
from tripplan.models import Clinic
from tripplan.plain import to_plain

FILE = "clinics.toml"
HEADER = (
    "# Your clinics, kept by `tripplan clinics add/remove`. You may edit this file by hand: your comments\n"
    "# and layout are kept when tripplan adds or removes a clinic. The previous version is in clinics.toml.bak.\n"
)


def _lock(folder: Path) -> Any:
    from filelock import FileLock

    return FileLock(str(folder / (FILE + ".lock")), timeout=30, mode=0o600)


def _read(path: Path) -> list[Clinic]:
    for p in (path, path.with_name(path.name + ".bak")):
        if p.is_symlink():
            raise WriteError(f"{p} is a symbolic link; tripplan does not write through links (replace it with a file)")
    if not path.exists():
        return []
    parsed, problems = parse_file(path, FILE)
    if problems:
        raise DataError(problems)  # never write over a file that could not be read
    clinics: list[Clinic] = parsed.get("clinics", [])
    return clinics


def _edit(path: Path, *, add: Sequence[Clinic] = (), remove: str | None = None) -> bytes:
    """The user's file with clinics added or one removed, everything else as they wrote it (tomlkit keeps
    comments, order and layout). The file was validated by _read before this runs."""
    import tomlkit

    from tripplan.files import read_regular

    doc = tomlkit.parse(read_regular(path).decode("utf-8")) if path.exists() else tomlkit.parse(HEADER)
    if "clinics" not in doc:
        doc.append("clinics", tomlkit.aot())
    table = doc["clinics"]
    if remove is not None:
        for i, record in enumerate(list(table)):
            if record.get("id") == remove:
                del table[i]
                break
    for c in add:
        table.append(tomlkit.item(to_plain(c, exclude_defaults=True)))
    return tomlkit.dumps(doc).encode("utf-8")


def _ensure_folder(folder: Path) -> None:
    from tripplan.files import ensure_private_folder

    try:
        ensure_private_folder(folder)
    except OSError as e:
        raise WriteError(f"cannot create the data folder {folder}: {e.strerror or e}") from None
    if not os.access(folder, os.W_OK):
        raise WriteError(f"cannot write in the data folder {folder}: permission denied")


def _remove_stale_temps(folder: Path) -> None:
    """Temporary files a kill -9 left behind (no handler can run then); called under the lock."""
    for stale in folder.glob(f".{FILE}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def add_clinics(folder: Path, cat: Catalog, new: list[Clinic]) -> Path:
    """Add clinics to the user's file; ids must be new; every problem stops the write."""
    for c in new:
        if c.country not in cat.countries:
            raise UsageError(
                f"clinic {c.id}: unknown country '{c.country}'; tripplan knows: {', '.join(cat.countries)}"
            )
        for q in c.quotes:
            if not cat.has_rate(q.currency):
                raise UsageError(
                    f"clinic {c.id}: no exchange rate for '{q.currency}'; use USD or one of: {', '.join(r.currency for r in cat.book.rates)}"
                )
        if not c.quotes and not c.price_refs:
            raise UsageError(f"clinic {c.id}: give at least one quoted price (--treatment, --joints, --price)")
    ids = [c.id for c in new]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise UsageError(f"clinic id given twice: {', '.join(dupes)}")
    _ensure_folder(folder)
    path = folder / FILE
    with _lock(folder):
        _remove_stale_temps(folder)
        current = _read(path)
        taken = {c.id for c in current} | set(cat.clinics)
        clash = sorted(set(ids) & taken)
        if clash:
            raise UsageError(
                f"a clinic with id {', '.join(clash)} already exists; choose another id or remove it first"
            )
        return write_atomic(path, _edit(path, add=new), force=True, backup=True)


def remove_clinic(folder: Path, cat: Catalog, clinic_id: str) -> Path:
    path = folder / FILE
    with _lock(folder) if folder.is_dir() else contextlib.nullcontext():
        current = _read(path)
        if clinic_id not in {c.id for c in current}:
            if clinic_id in cat.clinics:
                raise UsageError(f"{clinic_id} is a shipped profile, not one of your clinics; it cannot be removed")
            mine = ", ".join(c.id for c in current) or "none"
            raise UsageError(f"unknown clinic '{clinic_id}'. Your clinics: {mine}")
        return write_atomic(path, _edit(path, remove=clinic_id), force=True, backup=True)
