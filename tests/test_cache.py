"""The catalog cache: a hit equals a fresh load; any change to a file is seen; a bad cache is ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from tripplan import cache
from tripplan.loader import load_catalog


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(folder))
    return folder


def test_hit_equals_fresh_load(cache_dir: Path, data_dir: Path) -> None:
    first = load_catalog(data_dir)
    assert len(list(cache_dir.glob("catalog-*.json"))) == 1
    second = load_catalog(data_dir)
    assert second == first == load_catalog(data_dir, use_cache=False)


def test_a_changed_user_file_is_seen(cache_dir: Path, data_dir: Path) -> None:
    load_catalog(data_dir)
    (data_dir / "sources.toml").write_text(
        '[[sources]]\nid = "mine"\nkind = "article"\ntitle = "Mine"\npublisher = "Me"\n', encoding="utf-8"
    )
    assert "mine" in load_catalog(data_dir).sources
    (data_dir / "sources.toml").write_text(
        '[[sources]]\nid = "mine"\nkind = "article"\ntitle = "Changed"\npublisher = "Me"\n', encoding="utf-8"
    )
    assert load_catalog(data_dir).sources["mine"].title == "Changed"
    assert len(list(cache_dir.glob("catalog-*.json"))) == 1  # old entries are dropped


def test_corrupt_cache_is_rebuilt(cache_dir: Path, data_dir: Path) -> None:
    load_catalog(data_dir)
    (entry,) = cache_dir.glob("catalog-*.json")
    entry.write_bytes(b"not a pickle")
    assert load_catalog(data_dir) == load_catalog(data_dir, use_cache=False)


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
    assert list(cache_dir.glob("catalog-*.json")) == []


def test_cached_holidays_equal_the_package(cache_dir: Path) -> None:
    import datetime as dt

    from tripplan.closures import public_holidays

    fresh = public_holidays("JP", [2026, 2027])
    assert cache.cached_holidays("JP", [2026, 2027]) == fresh  # miss: computed and stored
    assert list(cache_dir.glob("holidays-*.json"))
    assert cache.cached_holidays("JP", [2026, 2027]) == fresh  # hit
    assert fresh[dt.date(2026, 5, 4)] == "Greenery Day"
    for f in cache_dir.glob("holidays-*.json"):
        f.write_text("{broken", encoding="utf-8")
    assert cache.cached_holidays("JP", [2026, 2027]) == fresh  # corrupt: computed again


def test_without_clinics_on_a_hit(cache_dir: Path, data_dir: Path) -> None:
    full = load_catalog(data_dir)
    light = load_catalog(data_dir, clinics=False)
    assert light.clinics == {}
    assert light.book == full.book
    assert light.countries == full.countries
    assert load_catalog(data_dir) == full  # the clinics come back when asked for
    for f in cache_dir.glob("clinics-*.json"):
        f.unlink()
    assert load_catalog(data_dir) == full  # a missing clinics part is a miss, not an empty catalog
