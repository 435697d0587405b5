"""Hardening, round two: each finding of the attack on the installed tripplan, as a test."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from pathlib import Path

import pytest

from tripplan import cache
from tripplan.errors import DataError, WriteError
from tripplan.files import ReadError, read_regular, write_atomic
from tripplan.loader import load_catalog, read_toml

from .conftest import Invoke

CLINIC = """[[clinics]]
id = "{id}"
name = "{name}"
city = "Tokyo"
country = "JP"
licence = "X"
asrm_class = "II"
cell_source = "adipose"
processing = "cultured"
[[clinics.quotes]]
treatment = "MSC"
joints = ["knee"]
low = 10000
high = 12000
currency = "USD"
"""


# 1. the cache holds data, never code
def test_cache_is_json_and_a_planted_file_is_never_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bare_shipped: Path
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(folder))
    fresh = load_catalog(None)
    entries = sorted(folder.iterdir())
    assert entries
    assert all(e.suffix == ".json" for e in entries)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for entry in entries:
        for line in filter(None, entry.read_bytes().split(b"\n")[1:]):  # plain data: a head, then records one a line
            json.loads(line)
        entry.write_bytes(b"\x80\x04\x95 not json, a planted pickle")
    assert load_catalog(None) == fresh  # ignored and rebuilt
    sources = next(folder.glob("file-sources-*.json"))
    key = sources.stem.rsplit("-", 1)[1]
    sources.write_bytes(cache.encode({"sources": 5}, key))  # ill-typed, behind a header with the right digest
    assert load_catalog(None) == fresh


def test_cache_folder_writable_by_others_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "shared-cache"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(folder))
    cache._warned.clear()
    load_catalog(None)
    assert list(folder.iterdir()) == []
    assert "others can write the cache folder" in capsys.readouterr().err


def test_cache_folder_created_0700_whatever_the_umask(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "a" / "b" / "cache"
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(folder))
    old = os.umask(0)
    try:
        load_catalog(None)
    finally:
        os.umask(old)
    for d in (tmp_path / "a", tmp_path / "a" / "b", folder):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700


# 2. writes never follow a link and replace only regular files
def test_symlinked_backup_is_refused(run: Invoke, data_dir: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (data_dir / "clinics.toml").write_text(CLINIC.format(id="a", name="A"))
    (data_dir / "clinics.toml.bak").symlink_to(victim)
    result = run("clinics", "add", "--from-file", str(_clinic_file(tmp_path, "b")))
    assert result.exit_code == 1
    assert "symbolic link" in result.stderr
    assert victim.read_text() == "precious"


def test_symlinked_clinics_file_is_refused(run: Invoke, data_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text(CLINIC.format(id="a", name="A"))
    (data_dir / "clinics.toml").symlink_to(elsewhere)
    result = run("clinics", "add", "--from-file", str(_clinic_file(tmp_path, "b")))
    assert result.exit_code == 1
    assert "symbolic link" in result.stderr
    assert elsewhere.read_text() == CLINIC.format(id="a", name="A")


@pytest.mark.parametrize("special", ["/dev/null"])
def test_save_never_replaces_a_device(special: str) -> None:
    with pytest.raises(WriteError, match="not a regular file"):
        write_atomic(Path(special), b"x", force=True)
    assert stat.S_ISCHR(Path(special).stat().st_mode)


# 3. special files: a clear message, fast, never a hang or a flood
def test_fifo_and_devices_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "clinics.toml"
    os.mkfifo(fifo)
    start = time.monotonic()
    for path in (fifo, Path("/dev/zero"), Path("/dev/urandom")):
        with pytest.raises(ReadError, match="not a regular file"):
            read_regular(path)
    assert time.monotonic() - start < 5  # a hang would block forever


def test_fifo_in_the_data_folder(run: Invoke, data_dir: Path) -> None:
    os.mkfifo(data_dir / "clinics.toml")
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(run("clinics", "list")), daemon=True)
    worker.start()
    worker.join(20)
    assert done, "tripplan hung on a FIFO"
    result = done[0]
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "not a regular file" in result.stderr  # type: ignore[attr-defined]


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "prices.toml"
    big.write_bytes(b"# x\n" * 100)
    with pytest.raises(ReadError, match="tripplan reads files up to 100 bytes"):
        read_regular(big, limit=100)


# 4. bad data is a data problem, never an internal error
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a = " + "[" * 10000 + "]" * 10000, "nested too deeply"),
        ("a" + ".a" * 10000 + " = 1", "dotted parts"),
    ],
)
def test_pathological_toml(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "prices.toml"
    f.write_text(text)
    start = time.monotonic()
    with pytest.raises(DataError, match=message):
        read_toml(f)
    assert time.monotonic() - start < 5


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        (
            "prices.toml",
            '[[rates]]\ncurrency = "JPY"\nper_usd = 1e309\nsource = "x"\nas_of = "x"\n',
            "less than or equal to 10000000",
        ),
        (
            "prices.toml",
            '[[rates]]\ncurrency = "JPY"\nper_usd = inf\nsource = "x"\nas_of = "x"\n',
            "less than or equal to 10000000",
        ),
        ("visas.toml", "requirements = 5\n", "must be a table (got 5)"),
    ],
)
def test_numbers_and_shapes_are_checked(run: Invoke, data_dir: Path, file: str, text: str, message: str) -> None:
    (data_dir / file).write_text(text)
    result = run("quote", "--joint", "knee", "--from", "US")
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Internal error" not in result.stderr


def test_huge_integer_is_refused(run: Invoke, data_dir: Path) -> None:
    text = CLINIC.format(id="big", name="Big").replace("high = 12000", f"high = {10**400}")
    (data_dir / "clinics.toml").write_text(text)
    result = run("clinics", "list")
    assert result.exit_code == 1
    assert "less than or equal to 1000000000" in result.stderr
    assert "characters)" in result.stderr  # the 401-digit value is shortened, its length stated


def test_saved_plan_with_far_dates(run: Invoke, tmp_path: Path) -> None:
    saved = tmp_path / "plan.toml"
    assert run("schedule", "--harvest", "2027-03-03", "--save", str(saved)).exit_code == 0
    text = saved.read_text()
    import re

    saved.write_text(re.sub(r"\d{4}-\d\d-\d\d", "9999-12-31", text))
    result = run("schedule", "--plan", str(saved))
    assert result.exit_code == 1
    assert "9999-12-31 is outside the dates a plan may hold (2000-01-01 to 2104-12-31)" in result.stderr


def test_bad_today_variable(run: Invoke) -> None:
    result = run("quote", "--joint", "knee", "--from", "US", env={"TRIPPLAN_TODAY": "garbage"})
    assert result.exit_code == 2
    assert "TRIPPLAN_TODAY 'garbage' is not a date" in result.stderr


# 5. a kill during the backup leaves the old backup whole and no temporary file
def test_interrupted_backup_keeps_the_old_one(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = data_dir / "clinics.toml"
    path.write_text("new-ish")
    (data_dir / "clinics.toml.bak").write_text("old backup")
    real_replace = Path.replace

    def killed(self: Path, target: Path) -> Path:  # the kill lands at the backup's rename
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"newest", force=True, backup=True)
    monkeypatch.setattr(Path, "replace", real_replace)
    assert (data_dir / "clinics.toml.bak").read_text() == "old backup"
    assert path.read_text() == "new-ish"
    assert [p.name for p in data_dir.iterdir() if p.name.endswith(".tmp")] == []


# 6. the cache key comes from the bytes that are parsed
def test_file_changed_between_reads_is_not_cached_stale(
    run: Invoke, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tripplan import loader

    clinics = data_dir / "clinics.toml"
    clinics.write_text(CLINIC.format(id="old", name="Old"))
    real = loader.read_all

    def racing(files: list[Path]) -> object:
        contents = real(files)
        clinics.write_text(CLINIC.format(id="new", name="New"))  # changed after the one read
        return contents

    monkeypatch.setattr(loader, "read_all", racing)
    first = json.loads(run("clinics", "list", "--json").stdout)
    monkeypatch.setattr(loader, "read_all", real)
    assert [c["id"] for c in first if c["user"]] == ["old"]  # what was read, consistently
    clinics.write_text(CLINIC.format(id="old", name="Old"))
    clinics.write_text(CLINIC.format(id="new", name="New"))
    second = json.loads(run("clinics", "list", "--json").stdout)
    assert [c["id"] for c in second if c["user"]] == ["new"]


# 7. terminal escapes from data
def test_control_characters_in_a_shared_file_are_refused(run: Invoke, tmp_path: Path) -> None:
    evil = _clinic_file(tmp_path, "evil", name="\\u001b[2J\\u001b]0;pwned\\u0007")
    result = run("clinics", "add", "--from-file", str(evil))
    assert result.exit_code == 1
    assert "control character" in result.stderr
    assert "\x1b" not in result.stderr + result.stdout


def test_help_keeps_brackets(run: Invoke) -> None:
    assert "[[clinics]]" in run("clinics", "add", "--help").stdout


# 8. resources: long values shortened, problems capped per file
def test_many_problems_are_capped(run: Invoke, data_dir: Path) -> None:
    (data_dir / "clinics.toml").write_text("[[clinics]]\nid = 'BAD ID'\n" * 300)
    result = run("data", "check")
    assert result.exit_code == 1
    assert "more problems in" in result.stderr
    assert len(result.stderr.splitlines()) < 120


def _clinic_file(tmp_path: Path, cid: str, name: str = "B") -> Path:
    f = tmp_path / f"{cid}.toml"
    f.write_text(CLINIC.format(id=cid, name=name))
    return f


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = f"""
import os, signal
from pathlib import Path
import tripplan.cli as cli
import tripplan.files as files
signal.signal(signal.SIGTERM, cli._terminated)
real = os.fsync
def fsync(fd):
    os.kill(os.getpid(), signal.SIGTERM)
    real(fd)
files.os.fsync = fsync
try:
    files.write_atomic(Path({str(tmp_path / "plan.toml")!r}), b"x", force=True)
except KeyboardInterrupt:
    raise SystemExit(3)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 3, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_stale_temporary_files_are_removed(run: Invoke, data_dir: Path, tmp_path: Path) -> None:
    stale = data_dir / ".clinics.toml.abc123.tmp"
    stale.write_text("left by a kill -9")
    assert run("clinics", "add", "--from-file", str(_clinic_file(tmp_path, "c"))).exit_code == 0
    assert not stale.exists()


def test_missing_data_folder_is_said(run: Invoke, tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    result = run("--data-dir", str(missing), "quote", "--joint", "knee", "--from", "US")
    assert result.exit_code == 0
    assert f"Warning: the data folder {missing} does not exist" in result.stderr
    check = run("--data-dir", str(missing), "data", "check")
    assert check.exit_code == 1
    assert "does not exist" in check.stderr


def test_data_folder_writable_by_others_is_said(run: Invoke, data_dir: Path) -> None:
    data_dir.chmod(0o777)
    result = run("visa", "--from", "US")
    assert "others can write your data folder" in result.stderr
