"""Cache entries earn trust (issue 29, item 3): an entry whose digest an attacker recomputed still has
its records checked like a file's; holiday tables and the "checked" marker are sealed entries bound to
their inputs; whatever fails is dropped and rebuilt from the files, silently."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from tripplan import cache, holiday_table
from tripplan.errors import DataError
from tripplan.loader import load_catalog

CLINIC = """[[clinics]]
id = "my-clinic"
name = "My clinic"
city = "Tokyo"
country = "JP"
asrm_class = "II"
cell_source = "adipose"
processing = "cultured"
languages = ["en"]
source = "{source}"

[[clinics.quotes]]
treatment = "cultured adipose MSC"
joints = ["knee"]
low = 8000
high = 12000
currency = "USD"
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(folder))
    return folder


def _forge(entry: Path, old: bytes, new: bytes) -> None:
    """Edit an entry's body and recompute its seal, as someone who read cache.py would."""
    key = entry.stem.rsplit("-", 1)[1]
    body = entry.read_bytes().partition(b"\n")[2]
    assert old in body
    body = body.replace(old, new)
    seal = hashlib.sha256(key.encode() + b"\n" + body).hexdigest()[:40].encode()
    entry.write_bytes(cache.HEADER + seal + b"\n" + body)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"name":"My clinic"', b'"name":"\\u001b]52;c;bad\\u0007My clinic"'),  # a terminal escape
        (b'"low":8000', b'"low":-99999999'),  # out of range
        (b'"low":8000', b'"low":"8000"'),  # the wrong type
        (b'"currency":"USD"', b'"currency":"usd"'),  # fails the pattern
        (b'"asrm_class":"II"', b'"asrm_class":"IV"'),  # not one of the choices
    ],
)
def test_a_forged_clinic_entry_is_not_shown(cache_dir: Path, data_dir: Path, old: bytes, new: bytes) -> None:
    (data_dir / "clinics.toml").write_text(CLINIC.format(source="seed-degenerative-us"), encoding="utf-8")
    fresh = load_catalog(data_dir, use_cache=False)
    assert load_catalog(data_dir) == fresh
    (entry,) = cache_dir.glob("file-clinics-*.json")
    _forge(entry, old, new)
    assert load_catalog(data_dir) == fresh  # the forged records are refused, the file read again
    assert new not in entry.read_bytes()  # and the entry rebuilt
    assert load_catalog(data_dir) == fresh


def test_a_forged_clinic_is_not_shown_by_the_command(run, cache_dir: Path, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    (data_dir / "clinics.toml").write_text(CLINIC.format(source="seed-degenerative-us"), encoding="utf-8")
    assert run("clinics", "show", "my-clinic").exit_code == 0
    # the user's file (the fixture catalog's own clinics.toml has an entry too)
    (entry,) = [e for e in cache_dir.glob("file-clinics-*.json") if b"My clinic" in e.read_bytes()]
    _forge(entry, b'"name":"My clinic"', b'"name":"\\u001b[2JMy clinic"')
    result = run("clinics", "show", "my-clinic")
    assert result.exit_code == 0
    assert "\x1b" not in result.output
    assert "My clinic" in result.output
    assert "Warning" not in result.output  # dropped and rebuilt silently


def test_a_forged_checked_marker_does_not_let_bad_references_pass(cache_dir: Path, data_dir: Path) -> None:
    (data_dir / "clinics.toml").write_text(CLINIC.format(source="no-such-source"), encoding="utf-8")
    with pytest.raises(DataError, match="no-such-source"):
        load_catalog(data_dir)
    assert not list(cache_dir.glob("checked-*.json"))
    (data_dir / "clinics.toml").write_text(CLINIC.format(source="seed-degenerative-us"), encoding="utf-8")
    load_catalog(data_dir)
    (good,) = cache_dir.glob("checked-*.json")
    (data_dir / "clinics.toml").write_text(CLINIC.format(source="no-such-source"), encoding="utf-8")
    with pytest.raises(DataError, match="no-such-source"):
        load_catalog(data_dir)  # a new set of files: the marker of the old set does not cover it
    # the old marker planted under the new set's name (its seal was made for the old key): refused
    new_key = _set_key(data_dir)
    (cache_dir / f"checked-{new_key}.json").write_bytes(good.read_bytes())
    with pytest.raises(DataError, match="no-such-source"):
        load_catalog(data_dir)
    (cache_dir / f"checked-{new_key}.json").write_text(json.dumps(new_key), encoding="utf-8")  # the old format
    with pytest.raises(DataError, match="no-such-source"):
        load_catalog(data_dir)


def _set_key(data_dir: Path) -> str:
    """The key load_catalog gives this set of files (the shipped ones and the user's)."""
    from tripplan.loader import data_files, read_all, shipped_data_dir

    contents, _ = read_all(data_files([shipped_data_dir(), data_dir]))
    pairs = sorted([str(p), cache.file_key(p.name, d)] for p, d in contents.items())
    return cache.digest(*(part for pair in pairs for part in pair))


def test_a_checked_marker_holds_its_inputs(cache_dir: Path, data_dir: Path) -> None:
    (data_dir / "clinics.toml").write_text(CLINIC.format(source="seed-degenerative-us"), encoding="utf-8")
    load_catalog(data_dir)
    (marker,) = cache_dir.glob("checked-*.json")
    inputs = json.loads(marker.read_bytes().partition(b"\n")[2])
    assert [str(data_dir / "clinics.toml")] == [p for p, _ in inputs if p.startswith(str(data_dir))]
    key = marker.stem.split("-", 1)[1]
    assert cache.decode(marker.read_bytes(), key) == inputs
    assert cache.decode(marker.read_bytes(), key[::-1]) is None  # sealed to its key
    marker.write_bytes(json.dumps(key).encode())  # the old, unsealed form
    assert load_catalog(data_dir).clinics["my-clinic"].name == "My clinic"  # checked again, then marked
    assert cache.decode(marker.read_bytes(), key) == inputs


def test_a_planted_or_forged_holiday_table_is_not_used(cache_dir: Path) -> None:
    years = [2040]  # not in the package's snapshot: the cache is used
    fresh = holiday_table.cached_holidays("JP", years)
    (entry,) = cache_dir.glob("holidays-JP-*.json")
    sealed = entry.read_bytes()
    entry.write_text(json.dumps({"2040-01-02": "Planted holiday"}), encoding="utf-8")  # no seal
    assert holiday_table.cached_holidays("JP", years) == fresh
    entry.write_bytes(sealed)
    _forge(entry, b'"2040-01-01":"', b'"2040-01-01":"\\u001b[31m')  # sealed again, but an escape in a name
    assert holiday_table.cached_holidays("JP", years) == fresh
    entry.write_bytes(sealed)
    _forge(entry, b'"years":[2040]', b'"years":[2041]')  # not the inputs its key was made from
    assert holiday_table.cached_holidays("JP", years) == fresh
    assert dt.date(2040, 1, 1) in fresh
    assert entry.read_bytes() == sealed  # rebuilt as it was
