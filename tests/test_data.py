"""The shipped data validates, and every kind of breakage gives a clear message and exit 1."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from tripplan.errors import DataError
from tripplan.loader import SECTIONS, check_path, load_catalog, parse_file, shipped_data_dir

from .conftest import Invoke

DATA = shipped_data_dir()
SEED_TITLES = [
    "Japan sports trauma stem cell treatment for American patients",
    "Sports medicine stem cell therapy in Japan for patients from Beijing",
    "Regenerative Stem Cell Therapy for Degenerative Conditions in Japan for US Patients",
    "Stem Cell Treatment for Knee Pain in Japan: What Patients Should Know",
    "Planning a Regenerative Medicine Trip to Japan: Safety, Costs & Clinic Licensing",
]


@pytest.mark.parametrize("name", sorted(SECTIONS))
def test_every_shipped_file_validates(name: str) -> None:
    parsed, problems = parse_file(DATA / name, name)
    assert problems == []
    assert parsed


BREAKAGES = {
    "syntax": ("prices.toml", '[[prices]]\nid = "x"\nlow = = 3\n', "prices.toml:3:7: Invalid value (not valid TOML)"),
    "wrong-type": (
        "prices.toml",
        '[[prices]]\nid = "p1"\ncountries = ["JP"]\ntreatment = "t"\nprocessing = "cultured"\nscope = "s"\njoints = ["knee"]\n'
        'conditions = []\nlow = "cheap"\nhigh = 10\ncurrency = "USD"\nsource = "seed-knee-pain"\n',
        "record prices 'p1' (#1): field 'low': must be a whole number (got 'cheap')",
    ),
    "unknown-field": (
        "sources.toml",
        '[[sources]]\nid = "s1"\nkind = "article"\ntitle = "T"\npublisher = "P"\nno_url_reason = "notes"\ncolour = "red"\n',
        "record sources 's1' (#1): field 'colour': is not a known field; remove it or check its spelling",
    ),
    "duplicate-id": (
        "sources.toml",
        '[[sources]]\nid = "s1"\nkind = "article"\ntitle = "T"\npublisher = "P"\nno_url_reason = "notes"\n'
        '[[sources]]\nid = "s1"\nkind = "article"\ntitle = "T"\npublisher = "P"\nno_url_reason = "notes"\n',
        "record sources #2: duplicate key 's1' (first at #1); keep one",
    ),
    "low-gt-high": (
        "prices.toml",
        '[[prices]]\nid = "p1"\ncountries = ["JP"]\ntreatment = "t"\nprocessing = "cultured"\nscope = "s"\njoints = ["knee"]\n'
        'conditions = []\nlow = 20\nhigh = 10\ncurrency = "USD"\nsource = "seed-knee-pain"\n',
        "record prices 'p1' (#1): low (20) is greater than high (10); swap them",
    ),
    "unknown-country": (
        "prices.toml",
        '[[prices]]\nid = "p1"\ncountries = ["XX"]\ntreatment = "t"\nprocessing = "cultured"\nscope = "s"\njoints = ["knee"]\n'
        'conditions = []\nlow = 1\nhigh = 10\ncurrency = "USD"\nsource = "seed-knee-pain"\n',
        "record prices 'p1': field 'countries': unknown country code 'XX'; expected one of the countries.toml",
    ),
    "missing-source": (
        "prices.toml",
        '[[prices]]\nid = "p1"\ncountries = ["JP"]\ntreatment = "t"\nprocessing = "cultured"\nscope = "s"\njoints = ["knee"]\n'
        'conditions = []\nlow = 1\nhigh = 10\ncurrency = "USD"\n',
        "record prices 'p1' (#1): field 'source': is required but missing; add it",
    ),
}


@pytest.mark.parametrize("kind", sorted(BREAKAGES))
def test_breakage_named_clearly(kind: str, data_dir: Path, run: Invoke) -> None:
    name, text, expected = BREAKAGES[kind]
    (data_dir / name).write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_catalog(data_dir)
    assert expected in str(info.value)
    assert str(data_dir / name) in str(info.value)
    result = run("data", "check")
    assert result.exit_code == 1
    assert expected in result.stderr
    result = run("quote", "--joint", "knee", "--from", "US")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert expected in result.stderr


def test_check_lists_every_problem_not_just_the_first(tmp_path: Path, run: Invoke) -> None:
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "sources.toml").write_text(BREAKAGES["unknown-field"][1], encoding="utf-8")
    (folder / "prices.toml").write_text(BREAKAGES["syntax"][1], encoding="utf-8")
    problems = check_path(folder)
    assert len(problems) == 2
    result = run("data", "check", str(folder))
    assert result.exit_code == 1
    assert "2 problems" in result.stderr


def test_user_record_replaces_shipped_by_id(data_dir: Path) -> None:
    text = (DATA / "sources.toml").read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    first = doc["sources"][0]
    (data_dir / "sources.toml").write_text(
        f'[[sources]]\nid = "{first["id"]}"\nkind = "article"\ntitle = "Replaced"\npublisher = "Me"\nno_url_reason = "notes"\n',
        encoding="utf-8",
    )
    cat = load_catalog(data_dir)
    assert cat.sources[first["id"]].title == "Replaced"
    assert len(cat.sources) == len(doc["sources"])


def test_data_check_ok_and_on_a_folder(run: Invoke, tmp_path: Path) -> None:
    result = run("data", "check")
    assert result.exit_code == 0
    assert "is valid" in result.stdout
    copy = tmp_path / "copy"
    shutil.copytree(DATA, copy)
    assert run("data", "check", str(copy)).exit_code == 0
    assert run("data", "check", str(copy / "prices.toml")).exit_code == 0


def test_data_path_honours_override(run: Invoke, data_dir: Path) -> None:
    result = run("data", "path")
    assert result.stdout.strip() == str(data_dir)
    other = run("--data-dir", "/tmp/elsewhere", "data", "path")
    assert other.stdout.strip() == "/tmp/elsewhere"


def test_data_check_unknown_file_name(tmp_path: Path) -> None:
    f = tmp_path / "random.toml"
    f.write_text("a = 1\n", encoding="utf-8")
    assert "is not a tripplan data file" in str(check_path(f)[0])
    assert "does not exist" in str(check_path(tmp_path / "nope")[0])
