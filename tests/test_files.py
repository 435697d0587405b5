"""Faults on write: every failure exits 1 with a clear message and leaves the old file byte-for-byte."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tripplan.errors import WriteError
from tripplan.files import write_atomic

from .conftest import Invoke

ROOT_USER = os.geteuid() == 0  # root ignores permission bits


def test_atomic_write_creates_private_file(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "a.txt", b"hello", force=False)
    assert target.read_bytes() == b"hello"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_no_overwrite_without_force(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(b"old")
    with pytest.raises(WriteError, match="already exists; add --force"):
        write_atomic(f, b"new", force=False)
    assert f.read_bytes() == b"old"


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match=r"the folder .* does not exist"):
        write_atomic(tmp_path / "nope" / "a.txt", b"x", force=True)


def test_file_where_a_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(WriteError, match="does not exist"):
        write_atomic(tmp_path / "file" / "a.txt", b"x", force=True)


def test_target_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="it is a folder"):
        write_atomic(tmp_path, b"x", force=True)


@pytest.mark.skipif(ROOT_USER, reason="root can write into a read-only folder")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"old")
    folder.chmod(0o500)
    try:
        with pytest.raises(WriteError, match="Permission denied"):
            write_atomic(folder / "a.txt", b"new", force=True)
        assert (folder / "a.txt").read_bytes() == b"old"
    finally:
        folder.chmod(0o700)


def test_read_only_folder_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    f = tmp_path / "a.txt"
    f.write_bytes(b"old")

    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(WriteError, match=r"cannot write .*a\.txt: Permission denied; the previous file"):
        write_atomic(f, b"new", force=True)
    assert f.read_bytes() == b"old"


def test_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError, match="No space left on device"):
        write_atomic(f, b"new", force=True)
    assert f.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # no temp file left behind


def test_interrupt_between_write_and_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(b"old")

    def interrupted(self: Path, target: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(f, b"new", force=True)
    assert f.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_symlink_is_never_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_bytes(b"old")
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    with pytest.raises(WriteError, match="is a symbolic link; tripplan does not write through links"):
        write_atomic(link, b"new", force=True)
    assert real.read_bytes() == b"old"
    dangling = tmp_path / "dangling.toml"
    dangling.symlink_to(tmp_path / "nowhere" / "x.toml")
    with pytest.raises(WriteError, match="symbolic link"):
        write_atomic(dangling, b"new", force=True)
    assert not (tmp_path / "nowhere").exists()


def test_tilde_and_relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert write_atomic(Path("~/plan.toml"), b"x", force=False) == tmp_path / "plan.toml"
    monkeypatch.chdir(tmp_path)
    assert write_atomic(Path("rel.toml"), b"y", force=False).read_bytes() == b"y"


@pytest.mark.parametrize("option", ["--save", "--ics"])
def test_cli_write_faults_exit_1(run: Invoke, tmp_path: Path, option: str) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    for target, message in [
        (tmp_path / "missing" / "p", "does not exist"),
        (tmp_path / "file" / "p", "does not exist"),
        (tmp_path, "it is a folder"),
    ]:
        result = run("schedule", "--harvest", "2027-03-01", option, str(target))
        assert result.exit_code == 1, result.output
        assert message in result.stderr


def test_cli_clinics_add_unwritable_folder(run: Invoke, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x", encoding="utf-8")
    result = run(
        "clinics",
        "add",
        "--id",
        "a",
        "--name",
        "A",
        "--city",
        "Tokyo",
        "--country",
        "JP",
        "--cell-source",
        "adipose",
        "--processing",
        "cultured",
        "--treatment",
        "t",
        "--joints",
        "knee",
        "--price",
        "9000",
        "--currency",
        "USD",
        env={"TRIPPLAN_DATA_DIR": str(blocker / "data")},
    )
    assert result.exit_code == 1
    assert "cannot create the data folder" in result.stderr


def test_debug_shows_traceback(run: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    import tripplan.quote

    def broken(**kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(tripplan.quote, "quote", broken)
    quiet = run("quote", "--joint", "knee", "--from", "US")
    assert quiet.exit_code == 1
    assert "Internal error: RuntimeError: boom" in quiet.stderr
    assert "Rerun with --debug" in quiet.stderr
    loud = run("--debug", "quote", "--joint", "knee", "--from", "US")
    assert isinstance(loud.exception, RuntimeError)
