"""Reading and writing files safely.

Reads: regular files only, opened without blocking (a FIFO or a device cannot hang tripplan), at most
MAX_BYTES. Writes: atomic (temp file + fsync + rename in the same folder), user-only, never over a file
without --force, never through a symbolic link, never over anything but a regular file. The file that was
there before is left whole whatever fails; the temporary file is removed on every exit path, and one a
killed process left (kill -9: no handler runs) is removed by the next write to that folder."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from tripplan.errors import TripplanError, WriteError
from tripplan.i18n import N_, _

MAX_BYTES = 64 * 1024 * 1024  # generous for a real catalog (100,000 clinics is about 40 MB of TOML)


# the system's reasons a file operation fails, by errno (os.strerror's words, said in the current language)
REASONS = {
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.EROFS: N_("Read-only file system"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EEXIST: N_("File exists"),
    errno.ELOOP: N_("Too many levels of symbolic links"),
}


def reason(error: OSError | str) -> str:
    """Why the system refused a file operation, in the current language (REASONS; else its own words)."""
    if isinstance(error, str):
        return error
    said = REASONS.get(error.errno) if error.errno is not None else None
    return _(said) if said is not None else (error.strerror or str(error))


class ReadError(TripplanError):
    """A file that cannot be read: not a regular file, too large, or refused by the system (exit 1)."""


def read_regular(path: Path, *, limit: int = MAX_BYTES, follow: bool = True) -> bytes:
    """The bytes of a regular file, read without blocking; anything else is a ReadError."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if not follow and e.errno in (40, 62):  # ELOOP: a symlink where none may be
            raise ReadError(
                _("{path} is a symbolic link; tripplan does not follow it here").format(path=path)
            ) from None
        raise ReadError(_("{path} cannot be read: {reason}").format(path=path, reason=reason(e))) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(
                _("{path} is not a regular file (a FIFO, socket, device or folder); give a file").format(path=path)
            )
        if info.st_size > limit:
            raise ReadError(
                _("{path} is {size} bytes; tripplan reads files up to {limit} bytes").format(
                    path=path, size=f"{info.st_size:,}", limit=f"{limit:,}"
                )
            )
        whole = os.read(fd, info.st_size + 1)  # one read, one buffer: a 60 MB file is not held twice
        chunks, size = [whole], len(whole)
        while size <= limit and (chunk := os.read(fd, 1 << 20)):  # a file that grew while it was read
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise ReadError(
                _("{path} is larger than {limit} bytes; tripplan reads files up to that size").format(
                    path=path, limit=f"{limit:,}"
                )
            )
        return whole if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def ensure_private_folder(folder: Path) -> None:
    """Create the folder (and missing parents) 0700 whatever the umask."""
    missing = []
    p = folder
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700)
        d.chmod(0o700)


def _check_target(path: Path, target: Path, *, force: bool) -> None:
    try:
        info = target.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return
    if stat.S_ISLNK(info.st_mode):
        raise WriteError(
            _("cannot write {path}: it is a symbolic link; tripplan does not write through links").format(path=path)
        )
    if stat.S_ISDIR(info.st_mode):
        raise WriteError(_("cannot write {path}: it is a folder; give a file name").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(
            _("cannot write {path}: it is not a regular file (a device, FIFO or socket)").format(path=path)
        )
    if not force:
        raise WriteError(_("{path} already exists; add --force to replace it").format(path=path))


_TEMP = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]{8}\.tmp$")  # .NAME.PID.RANDOM.tmp, as _write_temp names them


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temporary files of writes that were killed in this folder: files named as _write_temp
    names them, ours, regular, whose writing process no longer runs (a live writer's file is left alone).
    Returns what was removed; a file that cannot be removed is left (it never stops a write)."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    me = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m is None or int(m.group(1)) == os.getpid() or _alive(int(m.group(1))):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and (me is None or info.st_uid == me):
                Path(entry.path).unlink()
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _write_temp(folder: Path, name: str, data: bytes) -> Path:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.chmod(0o600)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def check_writable(path: Path, *, force: bool) -> None:
    """Raise WriteError (exit 1) when `path` could not be written as write_atomic writes it: it exists and
    `force` is false, it is a symbolic link, a folder or another special file, or its folder is missing. A
    command writing several files checks every one first, so a refusal leaves none of them written."""
    target = path.expanduser()
    try:
        _check_target(path, target, force=force)
        if not target.parent.is_dir():
            raise WriteError(
                _("cannot write {path}: the folder {folder} does not exist").format(path=path, folder=target.parent)
            )
    except OSError as e:
        raise WriteError(_("cannot write {path}: {reason}").format(path=path, reason=reason(e))) from None


def write_atomic(path: Path, data: bytes, *, force: bool, backup: bool = False) -> Path:
    """Write `data` to `path` atomically, mode 0600. Raises WriteError with a clear message.

    With `backup`, the previous file is first copied to PATH.bak the same way (temp file, fsync, rename),
    so a kill at any moment leaves the old backup or the new one whole."""
    target = path.expanduser()
    try:
        _check_target(path, target, force=force)
        if backup:
            _check_target(path, target.with_name(target.name + ".bak"), force=True)
        folder = target.parent
        if not folder.is_dir():
            raise WriteError(
                _("cannot write {path}: the folder {folder} does not exist").format(path=path, folder=folder)
            )
    except OSError as e:
        raise WriteError(_("cannot write {path}: {reason}").format(path=path, reason=reason(e))) from None
    tmp: Path | None = None
    remove_stale_temps(folder)
    try:
        if backup and target.exists():
            old = read_regular(target, follow=False)
            tmp = _write_temp(folder, target.name + ".bak", old)
            tmp.replace(target.with_name(target.name + ".bak"))
            tmp = None
        tmp = _write_temp(folder, target.name, data)
        tmp.replace(target)
        tmp = None
    except (OSError, ReadError) as e:
        said = reason(e) if isinstance(e, OSError) else str(e)
        raise WriteError(
            _("cannot write {path}: {reason}; the previous file (if any) is unchanged").format(path=path, reason=said)
        ) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return target
