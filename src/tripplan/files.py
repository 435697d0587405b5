"""Writing files safely: atomic (temp file + rename in the same folder), user-only, never over
a file without --force. The file that was there before is left whole whatever fails."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from tripplan.errors import WriteError


def resolve_target(path: Path) -> Path:
    """`~` expanded; a symlink is written through to the file it points at."""
    target = path.expanduser()
    if target.is_symlink():
        target = target.resolve()
    return target


def write_atomic(path: Path, data: bytes, *, force: bool, backup: bool = False) -> Path:
    """Write `data` to `path` atomically, mode 0600. Raises WriteError with a clear message."""
    try:
        target = resolve_target(path)
        if target.is_dir():
            raise WriteError(f"cannot write {path}: it is a folder; give a file name")
        if target.exists() and not force:
            raise WriteError(f"{path} already exists; add --force to replace it")
        folder = target.parent
        if not folder.is_dir():
            raise WriteError(f"cannot write {path}: the folder {folder} does not exist")
    except OSError as e:
        raise WriteError(f"cannot write {path}: {e.strerror or e}") from None
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp = Path(tmp_name)
        tmp.chmod(0o600)
        if backup and target.exists():
            bak = target.with_name(target.name + ".bak")
            shutil.copy2(target, bak)
            bak.chmod(0o600)
        tmp.replace(target)
        tmp_name = None
    except OSError as e:
        raise WriteError(f"cannot write {path}: {e.strerror or e}; the previous file (if any) is unchanged") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                Path(tmp_name).unlink()
    return target
