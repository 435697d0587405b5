"""Start-up: only the command being run is built, and a warm run imports neither pydantic nor (for --json) Rich.

Timings belong to bench/bench.py; these tests check the structure the timings rest on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from tripplan import cli
from tripplan.cli import app, only_command


def _names(t: typer.Typer) -> list[str]:
    return [c.name or typer.main.get_command_name(c.callback.__name__) for c in t.registered_commands if c.callback] + [
        g.name or "" for g in t.registered_groups
    ]


def test_main_options_are_known_to_the_command_finder() -> None:
    group = typer.main.get_command(app)
    flags = {o for p in group.params if p.is_flag for o in p.opts}  # type: ignore[attr-defined]
    valued = {o for p in group.params if not p.is_flag for o in p.opts}  # type: ignore[attr-defined]
    assert flags - {"--install-completion", "--show-completion", "-h", "--help"} == cli.MAIN_FLAGS
    assert valued - {"--install-completion", "--show-completion"} == cli.MAIN_VALUED


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["quote", "--from", "US"], ["quote"]),
        (["--debug", "--data-dir", "x", "schedule"], ["schedule"]),
        (["--data-dir=x", "visa"], ["visa"]),
        (["clinics", "list", "--all"], ["clinics"]),
    ],
)
def test_a_named_command_is_built_alone(argv: list[str], expected: list[str]) -> None:
    only = only_command(app, argv)
    assert _names(only) == expected
    assert len(_names(app)) > 5  # the app itself is untouched


def test_a_group_keeps_only_its_sub_command() -> None:
    only = only_command(app, ["clinics", "show", "x"])
    (group,) = only.registered_groups
    assert group.typer_instance is not None
    assert _names(group.typer_instance) == ["show"]


@pytest.mark.parametrize("argv", [[], ["--help"], ["-h", "quote"], ["qoute"], ["--bogus", "quote"], ["clinics"]])
def test_help_and_unknown_names_get_the_whole_app(argv: list[str]) -> None:
    only = only_command(app, argv)
    if argv == ["clinics"]:
        (group,) = only.registered_groups
        assert group.typer_instance is not None
        assert len(_names(group.typer_instance)) == 5
    else:
        assert only is app


def _imported(args: list[str], tmp_path: Path, *, first: bool = False) -> str:
    env = {
        **os.environ,
        "TRIPPLAN_DATA_DIR": str(tmp_path / "data"),
        "TRIPPLAN_CACHE_DIR": str(tmp_path / "cache"),
        "TRIPPLAN_TODAY": "2026-11-22",
        "NO_COLOR": "1",
    }
    (tmp_path / "data").mkdir(exist_ok=True)
    run = [sys.executable, "-X", "importtime", "-c", "from tripplan.cli import run; run()", *args]
    if not first:
        subprocess.run(run, env=env, capture_output=True, check=True)  # fills the cache
    done = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    return "\n".join(line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line)


@pytest.mark.parametrize(
    "args",
    [
        ["quote", "--joint", "knee", "--from", "US"],
        ["schedule", "--harvest", "2027-03-01"],
        ["compare", "--countries", "JP,MX,KR"],
        ["visa", "--from", "CN"],
        ["clinics", "list"],
    ],
)
def test_a_warm_run_does_not_import_pydantic(args: list[str], tmp_path: Path) -> None:
    names = _imported(args, tmp_path).splitlines()
    assert "pydantic" not in names
    assert "holidays" not in names  # the public holidays come from the cache too
    assert "importlib.metadata" not in names  # nor the holidays release their cache is keyed by
    assert "tripplan.quote" in names or args[0] != "quote"  # the command really ran


@pytest.mark.parametrize(
    "args", [["quote", "--joint", "knee", "--from", "US"], ["schedule", "--harvest", "2027-03-01", "--from", "CN"]]
)
def test_a_first_run_takes_the_shipped_data_from_the_snapshot(args: list[str], tmp_path: Path) -> None:
    names = _imported(args, tmp_path, first=True).splitlines()  # an empty cache folder
    assert "tomllib" not in names
    assert "pydantic" not in names
    assert "holidays" not in names or "schedule" not in args or not _holidays_match()
    assert not list((tmp_path / "cache").glob("file-*"))  # nothing of the shipped data to cache


def _holidays_match() -> bool:
    """Whether the snapshot's holiday tables were built with the installed `holidays` release."""
    from tripplan import cache
    from tripplan.loader import shipped_data_dir

    table = cache.decode((cache.snapshot_dir(shipped_data_dir()) / "holidays-CN.json").read_bytes())
    return bool(table["release"] == cache.holidays_release())


def test_json_does_not_import_rich(tmp_path: Path) -> None:
    names = _imported(["quote", "--joint", "knee", "--from", "US", "--json"], tmp_path).splitlines()
    assert "rich" not in names
    assert "pydantic" not in names
