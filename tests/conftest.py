"""Shared fixtures: the catalog the tests run on (loaded once) and a CLI runner with a fixed width and date.

`cat` and `run` use the fixture catalog: the shipped data with the files a data refresh rewrites (rates,
pegs, prices, clinics, the visa matrix) replaced by the frozen copies in tests/fixtures/catalog/, so a
refresh breaks only tests/test_shipped_data.py, which uses `shipped_cat` and `run_shipped`."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from tripplan.catalog import Catalog
from tripplan.cli import app
from tripplan.loader import load_catalog, shipped_data_dir

TODAY = dt.date(2026, 11, 21)
SHIPPED_DATA_DIR = shipped_data_dir  # before any test replaces it
FIXTURE_FILES = Path(__file__).resolve().parent / "fixtures" / "catalog"

# The default profile is derandomized: every run (and CI) tries the same examples, so a red run can be
# reproduced and CI never fails on a new random draw. HYPOTHESIS_PROFILE=long hunts with fresh random
# examples, ten times as many: run it locally and pin what it finds as a plain test. No deadline: an example's
# time on two busy cores says nothing about correctness (speed is measured in bench/, not in tests).
settings.register_profile("ci", max_examples=300, derandomize=True, deadline=None)
settings.register_profile("long", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every test starts in English whatever the machine's locale, and leaves the process in English
    (a `--lang zh` run in one test does not carry its language into the next)."""
    from tripplan import i18n

    for var in (i18n.ENV_VAR, *i18n.LOCALE_VARS):
        monkeypatch.delenv(var, raising=False)
    i18n.use(i18n.DEFAULT)
    yield
    i18n.use(i18n.DEFAULT)


@pytest.fixture(scope="session")
def fixture_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder: the shipped files (and their validated snapshot) with tests/fixtures/catalog/ laid over."""
    import shutil

    import tripplan.loader

    folder = tmp_path_factory.mktemp("fixture-data")
    shipped = tripplan.loader.shipped_data_dir()
    for f in shipped.iterdir():
        if f.is_dir():
            shutil.copytree(f, folder / f.name)
        else:
            shutil.copyfile(f, folder / f.name)
    for f in FIXTURE_FILES.glob("*.toml"):
        shutil.copyfile(f, folder / f.name)
    return folder


@pytest.fixture(scope="session")
def cat(fixture_data: Path) -> Catalog:
    """The fixture catalog (see the module's docstring)."""
    import tripplan.loader

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tripplan.loader, "shipped_data_dir", lambda: fixture_data)
        return load_catalog(None, use_cache=False)


@pytest.fixture(scope="session")
def shipped_cat() -> Catalog:
    """The shipped catalog: for tests/test_shipped_data.py only."""
    return load_catalog(None, use_cache=False)


@pytest.fixture
def bare_shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped data files without the package's snapshot of their validated records (as right after
    editing one), so the cache itself is exercised."""
    import shutil

    import tripplan.loader

    folder = tmp_path / "shipped"
    folder.mkdir()
    for f in tripplan.loader.shipped_data_dir().glob("*.toml"):
        shutil.copyfile(f, folder / f.name)
    monkeypatch.setattr(tripplan.loader, "shipped_data_dir", lambda: folder)
    return folder


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "userdata"
    folder.mkdir()
    return folder


Invoke = Callable[..., Result]


def _runner(data_dir: Path, tmp_path: Path) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
        base = {
            "COLUMNS": "160",
            "NO_COLOR": "1",
            "TRIPPLAN_TODAY": TODAY.isoformat(),
            "TRIPPLAN_DATA_DIR": str(data_dir),
            "TRIPPLAN_CACHE_DIR": str(tmp_path / "cache"),
            "TRIPPLAN_DEBUG": "",
        }
        # as the console script does: only the command being run is built
        return runner.invoke(app, list(args), env={**base, **(env or {})}, input=input)

    return invoke


@pytest.fixture
def run(data_dir: Path, tmp_path: Path, fixture_data: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """Run `tripplan ARGS` in-process on the fixture catalog: 160 columns, no colour, today fixed, an empty
    user data folder. (A test that lays out shipped data of its own, as bare_shipped does, keeps it.)"""
    import tripplan.loader

    if tripplan.loader.shipped_data_dir is SHIPPED_DATA_DIR:
        monkeypatch.setattr(tripplan.loader, "shipped_data_dir", lambda: fixture_data)
    return _runner(data_dir, tmp_path)


@pytest.fixture
def run_shipped(data_dir: Path, tmp_path: Path) -> Invoke:
    """Run `tripplan ARGS` on the shipped data: for tests/test_shipped_data.py only."""
    return _runner(data_dir, tmp_path)


@pytest.fixture
def run_json(run: Invoke) -> Callable[..., Any]:
    def invoke(*args: str) -> Any:
        result = run(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return invoke
