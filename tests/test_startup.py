"""Start-up: only the command being run is built, and a warm run imports neither pydantic nor (for --json) Rich.

Timings belong to bench/bench.py; these tests check the structure the timings rest on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from tripplan import cli


def _built(group: object) -> set[str]:
    return set(group.commands.built)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["quote", "--from", "US", "--help"], {"quote"}),
        (["--debug", "--data-dir", "x", "schedule", "--help"], {"schedule"}),
        (["--data-dir=x", "visa", "--help"], {"visa"}),
    ],
)
def test_running_a_command_builds_only_that_command(argv: list[str], expected: set[str]) -> None:
    group = typer.main.get_command(cli.app)
    assert _built(group) == {"data", "clinics"}  # the groups (themselves lazy), no command yet
    assert group.main(argv, prog_name="tripplan", standalone_mode=False) == 0
    assert _built(group) - {"data", "clinics"} == expected


def test_a_group_builds_only_its_sub_command() -> None:
    root = typer.main.get_command(cli.app)
    group = root.commands["clinics"]  # type: ignore[attr-defined]
    assert root.main(["clinics", "show", "--help"], prog_name="tripplan", standalone_mode=False) == 0
    assert _built(group) == {"show"}


@pytest.mark.parametrize(
    ("group", "names"),
    [
        ([], ["quote", "schedule", "compare", "visa", "safety", "data", "clinics"]),
        (["clinics"], ["list", "show", "add", "remove", "check"]),
        (["data"], ["check", "sources", "path"]),
    ],
)
def test_help_lists_every_command_in_order(group: list[str], names: list[str]) -> None:
    result = CliRunner().invoke(cli.app, [*group, "--help"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.startswith("  ")]
    assert listed[: len(names)] == names


@pytest.mark.parametrize(("typed", "meant"), [(["qoute"], "quote"), (["clinics", "shwo"], "show"), (["dta"], "data")])
def test_an_unknown_command_gets_did_you_mean(typed: list[str], meant: str) -> None:
    result = CliRunner().invoke(cli.app, typed)
    assert result.exit_code == 2
    assert f"Did you mean '{meant}'?" in result.output


def _complete(words: str) -> list[str]:
    exe = str(Path(sys.executable).with_name("tripplan"))
    env = {
        **os.environ,
        "_TRIPPLAN_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(words.count(" ")),
    }
    return subprocess.run([exe], env=env, capture_output=True, text=True, check=True).stdout.split()


def test_shell_completion_lists_every_command() -> None:
    assert _complete("tripplan ") == ["quote", "schedule", "compare", "visa", "safety", "data", "clinics"]
    assert _complete("tripplan clinics sh") == ["show"]
    assert _complete("tripplan quote --jo") == ["--joint"]


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
    assert "tomli" not in names  # the reader of the files (a TOML parser): none is parsed
    assert "pydantic" not in names
    assert "holidays" not in names or "schedule" not in args or not _holidays_match()
    assert not list((tmp_path / "cache").glob("file-*"))  # nothing of the shipped data to cache


def _holidays_match() -> bool:
    """Whether the snapshot's holiday tables were built with the installed `holidays` release."""
    from tripplan import holiday_table

    return holiday_table.snapshot_release("CN") == holiday_table.holidays_release()


def test_json_does_not_import_rich(tmp_path: Path) -> None:
    names = _imported(["quote", "--joint", "knee", "--from", "US", "--json"], tmp_path).splitlines()
    assert "rich" not in names
    assert "pydantic" not in names


def test_exit_handlers_run_after_a_command(tmp_path: Path) -> None:
    code = (
        "import atexit, sys; atexit.register(lambda: print('handler ran')); "
        "sys.argv = ['tripplan', 'visa', '--from', 'CN', '--json']; from tripplan.cli import run; run()"
    )
    env = {**os.environ, "TRIPPLAN_DATA_DIR": str(tmp_path / "d"), "TRIPPLAN_CACHE_DIR": str(tmp_path / "c")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.rstrip().endswith("handler ran")


def test_coverage_run_of_the_installed_command_records_data(tmp_path: Path) -> None:
    coverage = pytest.importorskip("coverage")
    exe = Path(sys.executable).with_name("tripplan")
    data_file = tmp_path / "coverage-data"
    env = {**os.environ, "TRIPPLAN_DATA_DIR": str(tmp_path / "d"), "TRIPPLAN_CACHE_DIR": str(tmp_path / "c")}
    run = [sys.executable, "-m", "coverage", "run", f"--data-file={data_file}", "--source=tripplan", str(exe)]
    subprocess.run([*run, "visa", "--from", "CN", "--json"], env=env, capture_output=True, check=True)
    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    visas = [f for f in data.measured_files() if f.endswith("visas.py")]
    assert visas
    assert data.lines(visas[0])
