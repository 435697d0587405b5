"""Shared fixtures: the shipped catalog (loaded once) and a CLI runner with a fixed width and date."""

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
from tripplan.cli import app, only_command
from tripplan.loader import load_catalog

TODAY = dt.date(2026, 11, 21)

# The default profile is derandomized: every run (and CI) tries the same examples, so a red run can be
# reproduced and CI never fails on a new random draw. HYPOTHESIS_PROFILE=long hunts with fresh random
# examples, ten times as many: run it locally and pin what it finds as a plain test. No deadline: an example's
# time on two busy cores says nothing about correctness (speed is measured in bench/, not in tests).
settings.register_profile("ci", max_examples=300, derandomize=True, deadline=None)
settings.register_profile("long", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def cat() -> Catalog:
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


@pytest.fixture
def run(data_dir: Path, tmp_path: Path) -> Invoke:
    """Run `tripplan ARGS` in-process: 160 columns, no colour, today fixed, an empty user data folder."""
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
        return runner.invoke(only_command(app, list(args)), list(args), env={**base, **(env or {})}, input=input)

    return invoke


@pytest.fixture
def run_json(run: Invoke) -> Callable[..., Any]:
    def invoke(*args: str) -> Any:
        result = run(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return invoke
