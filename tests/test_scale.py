"""Issue 25 item 8 and issue 29 item 5 at scale: the user's clinics and prices are kept in the cache one
record a line, and the catalog makes only the records a command asks for (a lazy read-only Mapping),
each still given the field checks; `clinics list --json` is written item by item.

Speed itself is measured in bench/ (bench.py's scale part, clinics_edit.py); these tests check the
behaviour that makes it: which records are made, and that the results are the same as a full load."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tripplan import cache, loader
from tripplan.catalog import Catalog, Layered, Records
from tripplan.loader import load_catalog

from .conftest import Invoke

N = 30


def _clinic(i: int, country: str = "JP", clinic_id: str | None = None) -> str:
    return (
        f'[[clinics]]\nid = "{clinic_id or f"c-{i}"}"\nname = "Clinic {i}"\ncity = "Tokyo"\ncountry = "{country}"\n'
        'asrm_class = "II"\ncell_source = "adipose"\nprocessing = "cultured"\nlanguages = ["en"]\n'
        f'[[clinics.quotes]]\ntreatment = "cultured adipose MSC"\njoints = ["knee"]\nlow = {8000 + i}\n'
        'high = 12000\ncurrency = "USD"\n'
    )


def _price(i: int) -> str:
    return (
        f'[[prices]]\nid = "p-{i}"\ncountries = ["JP"]\ntreatment = "cultured-msc"\nprocessing = "cultured"\n'
        f'scope = "single-joint"\njoints = ["knee"]\nconditions = ["osteoarthritis"]\nlow = {7000 + i}\n'
        'high = 14000\ncurrency = "USD"\nsource = "seed-knee-pain"\n'
    )


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bare_shipped: Path) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def big(data_dir: Path) -> Path:
    """A user folder with N clinics (one replacing a shipped profile) and N prices."""
    shipped = next(iter(load_catalog(None, use_cache=False).clinics))
    clinics = [_clinic(i) for i in range(N)] + [_clinic(99, clinic_id=shipped)]
    (data_dir / "clinics.toml").write_text("\n".join(clinics), encoding="utf-8")
    (data_dir / "prices.toml").write_text("\n".join(_price(i) for i in range(N)), encoding="utf-8")
    return data_dir


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many records of each class were made from the cache (loader.rebuilt's calls)."""
    counts: Counter[str] = Counter()
    real = loader.rebuilt

    def counting(name: str, values: dict[str, Any]) -> Any:
        counts[name] += 1
        return real(name, values)

    monkeypatch.setattr(loader, "rebuilt", counting)
    return counts


def _warm(folder: Path) -> tuple[Catalog, Catalog]:
    """The catalog loaded without the cache, and loaded from a filled cache."""
    fresh = load_catalog(folder, use_cache=False)
    load_catalog(folder)  # fills the cache
    cache._loaded.clear()  # as a new process
    return fresh, load_catalog(folder)


def test_one_clinic_makes_one_record(cache_dir: Path, big: Path, made: Counter[str]) -> None:
    fresh, cat = _warm(big)
    assert isinstance(cat.clinics, Layered)
    made.clear()
    assert len(cat.clinics) == len(fresh.clinics)
    assert list(cat.clinics) == list(fresh.clinics)  # the merge's order: shipped first, replaced in place
    assert "c-7" in cat.clinics
    assert "nope" not in cat.clinics
    assert cat.user_clinic_ids == fresh.user_clinic_ids
    assert made == Counter()  # keys, counts and membership make no record
    assert cat.clinics["c-7"] == fresh.clinics["c-7"]
    assert made == Counter({"Clinic": 1, "ClinicQuote": 1})
    assert cat.clinics["c-7"] is cat.clinics["c-7"]  # made once
    assert made["Clinic"] == 1


def test_a_price_by_id_makes_one_record(cache_dir: Path, big: Path, made: Counter[str]) -> None:
    fresh, cat = _warm(big)
    assert isinstance(cat.book.prices, Records)
    made.clear()
    assert cat.price("p-3") == fresh.price("p-3") != None  # noqa: E711
    assert cat.price("no-such-price") is None
    assert made == Counter({"Price": 1})
    assert len(cat.book.prices) == len(fresh.book.prices)
    assert cat.book.prices[-1] == fresh.book.prices[-1]
    assert list(cat.book.prices) == list(fresh.book.prices)


def test_the_lazy_catalog_equals_a_full_load(cache_dir: Path, big: Path) -> None:
    fresh, cat = _warm(big)
    assert cat == fresh
    assert dict(cat.clinics.items()) == dict(fresh.clinics.items())
    assert list(cat.clinics.values()) == list(fresh.clinics.values())


def test_a_command_that_needs_one_clinic_makes_one(run: Invoke, big: Path, made: Counter[str]) -> None:
    assert run("clinics", "show", "c-7").exit_code == 0  # fills the cache
    cache._loaded.clear()
    made.clear()
    result = run("clinics", "show", "c-7")
    assert result.exit_code == 0
    assert "Clinic 7" in result.output
    assert made["Clinic"] == 1


def test_a_forged_record_kept_by_line_is_refused_when_made(cache_dir: Path, big: Path) -> None:
    fresh, _ = _warm(big)
    (entry,) = [e for e in cache_dir.glob("file-clinics-*.json") if b"Clinic 7" in e.read_bytes()]
    raw = entry.read_bytes()
    key = entry.stem.rsplit("-", 1)[1]
    forged = raw.replace(b'"name":"Clinic 7"', b'"name":"\\u001b[J"')  # the same size: the line stays in place
    assert len(forged) == len(raw)
    start = forged.index(b"\n") + 1
    entry.write_bytes(cache.HEADER + cache._seal(key, forged[start:]) + b"\n" + forged[start:])
    cache._loaded.clear()
    cat = load_catalog(big)
    assert isinstance(cat.clinics, Layered)  # the seal was accepted: the entry is read by line
    assert cat.clinics["c-7"] == fresh.clinics["c-7"]  # the forged record refused, the file read again
    assert b"\\u001b" not in entry.read_bytes()  # and the entry rebuilt
    assert cat == fresh


def _by_line(records: dict[str, Any]) -> bytes:
    return cache.encode({"clinics": list(records.values())}, "k", {"clinics": lambda r: r.id})


def test_an_entry_by_line_must_be_whole(cat: Catalog) -> None:
    records = dict(list(cat.clinics.items())[:3])
    data = _by_line(records)
    decoded = cache.decode(data, "k", loader.rebuilt)
    assert isinstance(decoded["clinics"], cache.Lazy)
    assert dict(decoded["clinics"]) == records

    def resealed(body: bytes) -> bytes:
        return cache.HEADER + cache._seal("k", body) + b"\n" + body

    body = data.partition(b"\n")[2]
    assert cache.decode(resealed(body + b'{"@":"Clinic"}\n'), "k", loader.rebuilt) is None  # a line no key names
    assert cache.decode(resealed(body[:-5]), "k", loader.rebuilt) is None  # cut short
    assert cache.decode(data[:-1], "k", loader.rebuilt) is None  # the seal no longer matches
    head, _, lines = body.partition(b"\n")
    shifted = head.replace(b'"@l":[0,', b'"@l":[1,')
    assert cache.decode(resealed(shifted + b"\n" + lines), "k", loader.rebuilt) is None  # lines out of place


def test_a_record_that_fails_without_a_rescue_is_an_error(cat: Catalog) -> None:
    records = dict(list(cat.clinics.items())[:2])
    body = _by_line(records).partition(b"\n")[2].replace(b'"asrm_class":"II"', b'"asrm_class":"IV"', 1)
    lazy = cache.decode(cache.HEADER + cache._seal("k", body) + b"\n" + body, "k", loader.rebuilt)["clinics"]
    with pytest.raises(ValueError, match="not what tripplan wrote"):
        list(lazy.values())


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_streamed_json_list_is_the_json_of_the_list(
    count: int, cat: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tripplan.render.common import emit_json, emit_json_list

    hostile = {"name": "a\x1b[2J\u202eb", "n": [1, 2.5, None]}
    items: list[Any] = [*list(cat.clinics.values())[:count], hostile] if count else []
    whole, streamed = io.StringIO(), io.StringIO()
    monkeypatch.setattr("sys.stdout", whole)
    emit_json(items)
    monkeypatch.setattr("sys.stdout", streamed)
    emit_json_list(iter(items))
    assert streamed.getvalue() == whole.getvalue()
    assert json.loads(streamed.getvalue()) == json.loads(whole.getvalue())
    assert "\x1b" not in streamed.getvalue()
    assert "\u202e" not in streamed.getvalue()


def test_clinics_list_json_is_every_clinic(run: Invoke, big: Path) -> None:
    run("clinics", "list")  # fills the cache
    cache._loaded.clear()
    listed = json.loads(run("clinics", "list", "--json").stdout)
    fresh = load_catalog(big, use_cache=False)
    assert [c["id"] for c in listed] == list(fresh.clinics)
    assert [c["user"] for c in listed] == [i in fresh.user_clinic_ids for i in fresh.clinics]
    assert listed[-1]["name"] == fresh.clinics[listed[-1]["id"]].name


@pytest.fixture
def cross_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many clinics each check across files saw (loader.cross_check's calls)."""
    seen: list[int] = []
    real = loader.cross_check

    def counting(cat: Catalog, origins: dict[tuple[str, str], str]) -> Any:
        seen.append(len(cat.clinics))
        return real(cat, origins)

    monkeypatch.setattr(loader, "cross_check", counting)
    return seen


def test_after_an_edit_the_next_command_does_not_check_every_clinic_again(
    run: Invoke, big: Path, cross_checks: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_clinics import ADD

    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(tmp_path / "cache"))  # the runner's cache, for load_catalog

    assert run("clinics", "list").exit_code == 0  # the set of files checked once, as any first command does
    assert cross_checks == [N + 5]  # the fixture catalog's 5 profiles, one replaced, and N + 1 of the user's
    assert run(*ADD).exit_code == 0
    assert run("clinics", "remove", "c-3", "--yes").exit_code == 0
    assert cross_checks == [N + 5, 1]  # only the added clinic was checked across files
    cache._loaded.clear()
    fresh = load_catalog(big, use_cache=False)
    assert cross_checks[-1] == N + 5  # (the fresh load above checks every clinic)
    assert load_catalog(big) == fresh  # the marker the edits wrote: no check across files
    assert cross_checks[-1] == N + 5
    assert len(cross_checks) == 3
    assert "tokyo-a" in fresh.clinics
    assert "c-3" not in fresh.clinics


def test_an_added_clinic_with_a_bad_reference_is_not_marked_checked(
    run: Invoke, big: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tripplan.errors import DataError

    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(tmp_path / "cache"))  # the runner's cache, for load_catalog

    assert run("clinics", "list").exit_code == 0
    extra = tmp_path / "extra.toml"
    extra.write_text(_clinic(500).replace('languages = ["en"]\n', 'source = "no-such-source"\n'), encoding="utf-8")
    assert run("clinics", "add", "--from-file", str(extra)).exit_code == 0  # the file itself is valid
    cache._loaded.clear()
    with pytest.raises(DataError, match="no-such-source"):
        load_catalog(big)


def test_the_prices_are_made_once_however_often_they_are_read(cache_dir: Path, big: Path, made: Counter[str]) -> None:
    fresh, cat = _warm(big)
    made.clear()
    for _ in range(3):  # the domain reads the prices once for each destination and each check
        assert list(cat.book.prices) == list(fresh.book.prices)
    assert made["Price"] == len(fresh.book.prices)


def _stored_records(data: bytes) -> list[dict[str, Any]]:
    """Every record of an entry as stored (its tagged JSON objects), from the head and every line."""
    found: list[dict[str, Any]] = []

    def hook(d: dict[str, Any]) -> dict[str, Any]:
        if cache.TAG in d:
            found.append(d)
        return d

    for line in data.partition(b"\n")[2].splitlines():
        json.loads(line, object_hook=hook)
    return found


@pytest.mark.parametrize("name", sorted(loader.SECTIONS))
def test_an_entry_leaves_out_the_fields_at_their_default(name: str) -> None:
    """Each record is written without the fields equal to their default (a default factory's value too,
    `[]` or `{}`), and made again equal to the record written: every shipped data file, as validated."""
    import dataclasses

    sections, problems = loader.parse_file(loader.shipped_data_dir() / name, name)
    assert sections
    assert not problems
    data = cache.encode(sections, "k", loader.by_line(name))
    decoded = cache.decode(data, "k", loader.rebuilt)
    assert {k: list(v.values()) if isinstance(v, cache.Lazy) else v for k, v in decoded.items()} == sections
    stored = _stored_records(data)
    left_out = 0
    for record in stored:
        cls = loader._records()[record[cache.TAG]]
        for f in dataclasses.fields(cls):
            if f.default is not dataclasses.MISSING:
                default = f.default
            elif f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            else:
                assert f.name in record  # a field without a default is always written
                continue
            if f.name not in record:
                left_out += 1
                continue
            value = decoded_value = record[f.name]
            if isinstance(value, dict) and "@t" in value:
                decoded_value = tuple(value["@t"])
            assert (type(decoded_value), decoded_value) != (type(default), default), (cls.__name__, f.name)
    if name in {"clinics.toml", "prices.toml", "sources.toml"}:
        assert left_out > len(stored)  # these records leave most of their defaults unset


def test_a_value_equal_to_its_default_but_of_another_type_is_kept() -> None:
    """0.0 does not stand for 0, nor 0 for False: a value is left out only when it is its default exactly."""
    import dataclasses

    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Thing:
        amount: float | int = 0
        flag: bool | int = False
        names: list[str] = dataclasses.field(default_factory=list)

    def build(name: str, values: dict[str, Any]) -> Any:
        assert name == "Thing"
        return Thing(**values)

    for thing, written in [
        (Thing(), {}),
        (Thing(amount=0.0, flag=0), {"amount": 0.0, "flag": 0}),
        (Thing(names=["x"]), {"names": ["x"]}),
    ]:
        data = cache.encode({"t": thing}, "k")
        assert json.loads(data.partition(b"\n")[2])["t"] == {cache.TAG: "Thing", **written}
        made = cache.decode(data, "k", build)["t"]
        assert made == thing
        assert [type(getattr(made, f)) for f in ("amount", "flag")] == [type(thing.amount), type(thing.flag)]


def test_a_section_by_line_finds_every_record_whatever_the_order(cat: Catalog) -> None:
    """The first records asked for are found by a scan, then the section is indexed: every record is found
    either way, in any order, and a key it does not hold is a KeyError; two lines with one key are refused."""
    records = {f"c-{i}": c for i, c in enumerate(list(cat.clinics.values()) * 6)}
    records = {k: dataclasses_replace(c, id=k) for k, c in records.items()}
    data = _by_line(records)
    lazy = cache.decode(data, "k", loader.rebuilt)["clinics"]
    assert len(records) > 2 * cache.Lazy.SCANNED
    lines = dict(lazy.lines())
    assert list(lines) == list(records)
    for key in reversed(records):  # past SCANNED: found by the index
        assert lazy.line(key) == lines[key]
        assert lazy[key] == records[key]
    assert dict(lazy.items()) == records
    with pytest.raises(KeyError):
        lazy.line("nope")
    head, _, rest = data.partition(b"\n")[2].partition(b"\n")
    twice = head.replace(b'"c-1"', b'"c-0"', 1)
    body = twice + b"\n" + rest
    assert cache.decode(cache.HEADER + cache._seal("k", body) + b"\n" + body, "k", loader.rebuilt) is None


def dataclasses_replace(record: Any, **changes: Any) -> Any:
    import dataclasses

    return dataclasses.replace(record, **changes)
