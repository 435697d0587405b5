"""The data cache: a hit equals a fresh load; a changed file is seen and only it is validated again; a bad entry is ignored."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tripplan import cache, holiday_table
from tripplan.loader import SECTIONS, load_catalog, rebuilt, shipped_data_dir, snapshot_dir


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bare_shipped: Path) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(folder))
    return folder


def _entries(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f"file-{name}-*.json"))


def test_hit_equals_fresh_load(cache_dir: Path, data_dir: Path) -> None:
    first = load_catalog(data_dir)
    shipped = sorted(p.stem for p in shipped_data_dir().glob("*.toml"))
    assert shipped == sorted(Path(name).stem for name in SECTIONS)  # every registered data file ships
    assert sorted(p.name.split("-")[1] for p in cache_dir.glob("file-*.json")) == [
        n.replace("-", "_") for n in shipped
    ]  # one entry per data file
    assert len(list(cache_dir.glob("checked-*.json"))) == 1
    second = load_catalog(data_dir)
    assert second == first == load_catalog(data_dir, use_cache=False)


def test_a_changed_user_file_is_seen_and_only_it_is_validated(
    cache_dir: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tripplan.loader as loader

    (data_dir / "sources.toml").write_text(
        '[[sources]]\nid = "mine"\nkind = "article"\ntitle = "Mine"\npublisher = "Me"\nno_url_reason = "my own notes"\n',
        encoding="utf-8",
    )
    assert "mine" in load_catalog(data_dir).sources
    parsed: list[str] = []
    real = loader.parse_file

    def spy(path: Path, *args: Any) -> Any:
        parsed.append(str(path))
        return real(path, *args)

    monkeypatch.setattr(loader, "parse_file", spy)
    (data_dir / "sources.toml").write_text(
        '[[sources]]\nid = "mine"\nkind = "article"\ntitle = "Changed"\npublisher = "Me"\nno_url_reason = "my own notes"\n',
        encoding="utf-8",
    )
    assert load_catalog(data_dir).sources["mine"].title == "Changed"
    assert parsed == [str(data_dir / "sources.toml")]  # the shipped files came from the cache
    assert len(_entries(cache_dir, "sources")) == 2  # the shipped file's entry and the user's new one
    parsed.clear()
    assert load_catalog(data_dir).sources["mine"].title == "Changed"
    assert parsed == []


def test_corrupt_or_altered_entries_are_rebuilt(cache_dir: Path, data_dir: Path) -> None:
    fresh = load_catalog(data_dir, use_cache=False)
    load_catalog(data_dir)
    (entry,) = _entries(cache_dir, "countries")
    good = entry.read_bytes()
    entry.write_bytes(b"not a pickle")
    assert load_catalog(data_dir) == fresh
    entry.write_bytes(good.replace(b'"Japan"', b'"Japon"'))  # the body no longer matches its digest
    assert load_catalog(data_dir) == fresh


def test_decode_refuses_what_encode_did_not_write() -> None:
    from tripplan.models import Source

    record = Source(id="s", kind="article", title="T", publisher="P", url="https://example.org/t")
    assert cache.decode(cache.encode({"sources": [record]}, "k1"), "k1", rebuilt) == {"sources": [record]}
    assert cache.decode(cache.encode({"sources": [record]}, "k1"), "k2", rebuilt) is None  # another key's entry

    def sealed(body: bytes) -> bytes:
        return cache.HEADER + hashlib.sha256(b"k\n" + body).hexdigest()[:40].encode() + b"\n" + body

    assert cache.decode(sealed(b'{"@": "Popen", "args": "x"}'), "k", rebuilt) is None  # not a record class
    assert cache.decode(sealed(b'{"@": "Source", "id": "s", "colour": "red"}'), "k", rebuilt) is None  # not its fields
    assert cache.decode(sealed(b'{"@": "Ranged", "low": 5, "high": 1}'), "k", rebuilt) is None  # its own check fails
    assert cache.decode(b"tripplan-cache 00\n{}", "k", rebuilt) is None


def test_unwritable_cache_is_harmless(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(blocker / "cache"))
    assert load_catalog(data_dir).countries


def test_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", "off")
    assert cache.cache_dir() is None


def test_invalid_data_is_never_cached(cache_dir: Path, data_dir: Path) -> None:
    (data_dir / "sources.toml").write_text("[[sources]]\nid = 1\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"sources\.toml"):
        load_catalog(data_dir)
    assert list(cache_dir.glob("checked-*.json")) == []
    assert len(_entries(cache_dir, "sources")) == 1  # the shipped file's; the invalid one has none


def test_cached_holidays_equal_the_package(cache_dir: Path) -> None:
    import datetime as dt

    from tripplan.closures import public_holidays

    fresh = public_holidays("JP", [2026, 2027])
    assert holiday_table.cached_holidays("JP", [2026, 2027]) == fresh  # miss: computed and stored
    assert list(cache_dir.glob("holidays-*.json"))
    assert holiday_table.cached_holidays("JP", [2026, 2027]) == fresh  # hit
    assert fresh[dt.date(2026, 5, 4)] == "Greenery Day"
    (entry,) = cache_dir.glob("holidays-JP-*.json")
    entry.write_text("{broken", encoding="utf-8")
    assert holiday_table.cached_holidays("JP", [2026, 2027]) == fresh  # corrupt: computed again


def test_the_holidays_release_is_the_installed_one() -> None:
    from importlib.metadata import version

    assert holiday_table.holidays_release() == f"holidays-{version('holidays')}.dist-info"


def test_without_clinics_on_a_hit(cache_dir: Path, data_dir: Path) -> None:
    full = load_catalog(data_dir)
    light = load_catalog(data_dir, clinics=False)
    assert light.clinics == {}
    assert light.book == full.book
    assert light.countries == full.countries
    assert load_catalog(data_dir) == full  # the clinics come back when asked for
    for f in _entries(cache_dir, "clinics"):
        f.unlink()
    assert load_catalog(data_dir) == full  # a missing clinics entry is validated again, not an empty catalog


# The package's snapshot of its own data files' validated records (data/validated/, scripts/build_validated.py)


def _build_validated() -> Any:
    import importlib.util

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("build_validated", root / "scripts" / "build_validated.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_snapshot_is_current() -> None:
    builder = _build_validated()
    files = builder.expected()
    folder = snapshot_dir(shipped_data_dir())
    assert (
        len([n for n in files if not n.startswith("holidays-")]) == len(SECTIONS) + 1
    )  # each data file, the checked set
    assert not builder.stale(folder, files), "run python scripts/build_validated.py"
    for path in folder.glob("holidays-*.json"):  # built with another release of `holidays`: never used
        calendar = path.stem.split("-")[1]
        if holiday_table.snapshot_release(calendar) != holiday_table.holidays_release():
            assert holiday_table.snapshot_holidays(calendar, [2026]) is None


def test_a_first_run_reads_the_snapshot_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    import tripplan.loader as loader

    folder = tmp_path / "cache"
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(folder))
    fresh = load_catalog(data_dir, use_cache=False)
    parsed: list[Path] = []
    real = loader.parse_file
    monkeypatch.setattr(loader, "parse_file", lambda path, *a: parsed.append(path) or real(path, *a))
    assert load_catalog(data_dir) == fresh
    assert parsed == []  # no TOML parsed, nothing validated by pydantic
    assert list(folder.iterdir()) == []  # and nothing to write
    (data_dir / "sources.toml").write_text(
        '[[sources]]\nid = "mine"\nkind = "article"\ntitle = "Mine"\npublisher = "Me"\nno_url_reason = "my own notes"\n',
        encoding="utf-8",
    )
    assert "mine" in load_catalog(data_dir).sources
    assert parsed == [data_dir / "sources.toml"]  # a user's file is validated; the shipped ones are not
    assert len(list(folder.glob("checked-*.json"))) == 1  # this set, with the user's file, passed the checks


def test_an_altered_snapshot_entry_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    import shutil

    import tripplan.loader as loader

    copy = tmp_path / "shipped"
    shutil.copytree(shipped_data_dir(), copy)
    monkeypatch.setattr(loader, "shipped_data_dir", lambda: copy)
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", "off")
    fresh = load_catalog(data_dir, use_cache=False)
    (entry,) = (copy / "validated").glob("countries-*.json")
    entry.write_bytes(entry.read_bytes().replace(b'"Japan"', b'"Japon"'))  # no longer matches its digest
    parsed: list[Path] = []
    real = loader.parse_file
    monkeypatch.setattr(loader, "parse_file", lambda path, *a: parsed.append(path) or real(path, *a))
    assert load_catalog(data_dir) == fresh
    assert parsed == [copy / "countries.toml"]
    with (copy / "countries.toml").open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")  # new bytes: the snapshot has no entry for them, nor for the set
    parsed.clear()
    assert load_catalog(data_dir) == fresh
    assert parsed == [copy / "countries.toml"]


@pytest.mark.parametrize("years", [[2026], [2026, 2027], [2024, 2032], [2030, 2031, 2032]])
@pytest.mark.parametrize("calendar", ["JP", "KR", "MX", "TH"])
def test_the_snapshot_holidays_equal_the_package(calendar: str, years: list[int]) -> None:
    from tripplan.closures import public_holidays

    shipped = holiday_table.snapshot_holidays(calendar, years)
    built_with = holiday_table.snapshot_release(calendar)
    assert built_with is not None
    if built_with != holiday_table.holidays_release():
        assert shipped is None  # another release of `holidays` is installed: it computes them itself
    else:
        assert shipped == public_holidays(calendar, years)
    assert holiday_table.snapshot_holidays(calendar, [2023, 2026]) is None  # a year it does not hold
