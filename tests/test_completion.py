"""Shell completion of option values, driven through each shell's completion protocol (the environment
variables the scripts of `tripplan --install-completion` set), and through real bash and fish sessions."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tripplan.catalog import Catalog
from tripplan.cli import app

SHELLS = ["bash", "zsh", "fish"]


def complete(shell: str, line: str, env: dict[str, str] | None = None) -> list[str]:
    """The values `shell` would offer at the end of `line` (help texts dropped)."""
    base = {"_TRIPPLAN_COMPLETE": f"complete_{shell}", "TRIPPLAN_CACHE_DIR": "off", **(env or {})}
    if shell == "bash":
        words = line.split(" ")
        base |= {"COMP_WORDS": " ".join(words), "COMP_CWORD": str(len(words) - 1)}
    else:
        base |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = CliRunner().invoke(app, [], env=base, prog_name="tripplan")
    out = result.stdout
    if shell == "zsh":
        if out.strip() == "_files":
            return ["<files>"]
        inner = out[out.index("((") + 2 : out.rindex("))")]
        return [item.split('":"')[0].strip('"') for item in inner.split("\n") if item]
    if shell == "fish":
        return [item.split("\t")[0] for item in out.splitlines() if item]
    return [item for item in out.splitlines() if item]


@pytest.mark.parametrize("shell", SHELLS)
def test_joint_and_condition_complete_their_words(shell: str, cat: Catalog) -> None:
    from tripplan import lookup
    from tripplan.models import JOINTS

    assert set(JOINTS) <= set(complete(shell, "tripplan quote --joint "))
    assert complete(shell, "tripplan quote --joint sh") == ["shoulder", "shoulders"]
    conditions = lookup.conditions(cat)
    assert conditions
    assert complete(shell, "tripplan compare --countries JP --condition ") == conditions


@pytest.mark.parametrize("shell", SHELLS)
def test_countries_complete_codes_and_names(shell: str, cat: Catalog) -> None:
    assert complete(shell, "tripplan schedule --to ") == list(cat.countries)
    assert "JP" in complete(shell, "tripplan quote --to J")
    assert complete(shell, "tripplan quote --to jap") == ["japan"]
    assert complete(shell, "tripplan compare --countries JP,M") == ["JP,MX"]
    assert "JP,JP" not in complete(shell, "tripplan compare --countries JP,")  # a country already given
    nationalities = complete(shell, "tripplan visa --from ")
    assert {"US", "CN", "GB", "IN"} <= set(nationalities)
    assert "ZZ" not in nationalities  # no passport: refused, so not offered
    assert complete(shell, "tripplan quote --from ch") == ["ch"]  # Switzerland's code
    assert set(complete(shell, "tripplan quote --from chi")) == {"china", "chile"}  # names, when no code fits


@pytest.mark.parametrize("shell", SHELLS)
def test_currency_clinic_cells_and_language_complete(shell: str, cat: Catalog) -> None:
    currencies = complete(shell, "tripplan quote --from US --currency ")
    assert {"USD", "CNY", "JPY", "EUR"} <= set(currencies)
    assert all(cat.has_rate(c) for c in currencies)
    clinics = complete(shell, "tripplan quote --from US --clinic ")
    assert clinics
    assert set(clinics) == set(cat.clinics)
    assert complete(shell, "tripplan quote --cells ") == ["cultured", "same-day", "donor", "cell-free", "none"]
    assert "en" in complete(shell, "tripplan clinics check --language ")


@pytest.mark.parametrize("shell", SHELLS)
def test_the_users_own_clinics_complete(shell: str, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    from tests.test_clinics import ADD

    add = [x if x != "tokyo-a" else "my-own-clinic" for x in ADD]
    env = {"TRIPPLAN_CACHE_DIR": "off", "TRIPPLAN_TODAY": "2026-11-21"}
    added = CliRunner().invoke(app, ["--data-dir", str(folder), *add], env=env)
    assert added.exit_code == 0, added.stderr
    assert "my-own-clinic" in complete(shell, "tripplan quote --clinic my", env={"TRIPPLAN_DATA_DIR": str(folder)})
    assert "my-own-clinic" in complete(shell, f"tripplan --data-dir {folder} schedule --clinic my")


@pytest.mark.parametrize("shell", ["zsh"])
@pytest.mark.parametrize("option", ["--plan", "--ics", "--save", "--html"])
def test_file_options_keep_file_completion(shell: str, option: str) -> None:
    assert complete(shell, f"tripplan schedule {option} ") == ["<files>"]


@pytest.mark.parametrize("option", ["--plan", "--ics", "--save", "--html"])
def test_file_options_offer_no_words_so_bash_and_fish_complete_files(option: str) -> None:
    assert complete("bash", f"tripplan schedule {option} ") == []  # `complete -o default`: bash lists files
    fish = CliRunner().invoke(
        app,
        [],
        env={
            "_TRIPPLAN_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_ARGS": f"tripplan schedule {option} ",
            "_TYPER_COMPLETE_FISH_ACTION": "is-args",
        },
        prog_name="tripplan",
    )
    assert fish.exit_code == 1  # "no words": fish falls back to its file completion
    assert complete("bash", "tripplan --data-dir ") == []


def _installed() -> str:
    exe = shutil.which("tripplan", path=str(Path(sys.executable).parent))
    if exe is None:
        pytest.skip("the tripplan console script is not installed beside this Python")
    return exe


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_a_real_bash_completes_values_and_files(tmp_path: Path) -> None:
    exe = _installed()
    env = {**os.environ, "PATH": f"{Path(exe).parent}:{os.environ['PATH']}", "TRIPPLAN_CACHE_DIR": "off"}
    script = subprocess.run(
        ["tripplan"], capture_output=True, text=True, env={**env, "_TRIPPLAN_COMPLETE": "source_bash"}, check=True
    ).stdout
    (tmp_path / "plan-a.toml").write_text("")
    probe = (
        script
        + '\nCOMP_WORDS=(tripplan quote --joint kn); COMP_CWORD=3; _tripplan_completion tripplan; echo "joint:${COMPREPLY[*]}"'
        + "\ncomplete -p tripplan"
    )
    out = subprocess.run(["bash", "--norc", "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "joint:knee knees" in out.stdout, out.stderr
    assert "-o default" in out.stdout  # no words offered -> bash completes file names (--plan, --save…)


@pytest.mark.skipif(shutil.which("fish") is None, reason="no fish")
def test_a_real_fish_completes_values_and_files(tmp_path: Path) -> None:
    exe = _installed()
    env = {
        **os.environ,
        "PATH": f"{Path(exe).parent}:{os.environ['PATH']}",
        "TRIPPLAN_CACHE_DIR": "off",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    script = subprocess.run(
        ["tripplan"], capture_output=True, text=True, env={**env, "_TRIPPLAN_COMPLETE": "source_fish"}, check=True
    ).stdout
    (tmp_path / "plan-a.toml").write_text("")
    probe = (
        script
        + "\ncomplete --do-complete 'tripplan quote --currency CN'\ncomplete --do-complete 'tripplan schedule --plan plan-'"
    )
    out = subprocess.run(["fish", "--no-config", "-c", probe], capture_output=True, text=True, env=env, cwd=tmp_path)
    lines = out.stdout.splitlines()
    assert any(line.startswith("CNY") for line in lines), (out.stdout, out.stderr)
    assert "plan-a.toml" in lines


LONG_NAME = "Shinjuku Regenerative Orthopaedic and Sports Medicine Clinic for International Patients Tokyo Branch"


def _raw(shell: str, line: str, env: dict[str, str]) -> str:
    """What the shell reads from tripplan for `line`, unparsed."""
    base = {"_TRIPPLAN_COMPLETE": f"complete_{shell}", "TRIPPLAN_CACHE_DIR": "off", **env}
    base |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    if shell == "powershell":
        base |= {"_TYPER_COMPLETE_WORD_TO_COMPLETE": line.rsplit(" ", 1)[-1]}
    return CliRunner().invoke(app, [], env=base, prog_name="tripplan").stdout


@pytest.fixture
def long_named(tmp_path: Path) -> dict[str, str]:
    """A user's folder with one clinic whose name is longer than a terminal line, and one shipped-like id."""
    from tests.test_clinics import ADD

    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    add = list(ADD)
    add[add.index("tokyo-a")] = "long-clinic"
    add[add.index("Clinic A")] = LONG_NAME
    env = {"TRIPPLAN_CACHE_DIR": "off", "TRIPPLAN_TODAY": "2026-11-21", "COLUMNS": "80"}
    added = CliRunner().invoke(app, ["--data-dir", str(folder), *add], env=env)
    assert added.exit_code == 0, added.stderr
    return {"TRIPPLAN_DATA_DIR": str(folder), "COLUMNS": "80"}


@pytest.mark.parametrize("shell", ["zsh", "fish", "powershell"])
def test_a_long_description_is_never_wrapped(shell: str, long_named: dict[str, str]) -> None:
    """Completion output is one line a candidate, whatever the terminal's width: the long name whole."""
    out = _raw(shell, "tripplan quote --clinic lo", long_named)
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert f"{LONG_NAME}, Tokyo" in lines[0]
    if shell != "powershell":
        assert complete(shell, "tripplan quote --clinic lo", env=long_named) == ["long-clinic"]


@pytest.mark.parametrize("shell", SHELLS)
def test_remove_offers_only_the_users_own_clinics(shell: str, long_named: dict[str, str], cat: Catalog) -> None:
    """`clinics remove` refuses a shipped profile, so completion offers only the user's own clinics; `show`
    still offers both."""
    assert complete(shell, "tripplan clinics remove ", env=long_named) == ["long-clinic"]
    assert set(complete(shell, "tripplan clinics show ", env=long_named)) == {*cat.clinics, "long-clinic"}


def test_zsh_offers_nothing_for_a_value_with_no_match() -> None:
    """A value with no match offers nothing (no `_files` fallback: a file name is never a country); a file
    option still completes files, and a match is still offered."""
    assert _raw("zsh", "tripplan quote --from 中", {}).strip() == ""
    assert _raw("zsh", "tripplan quote --joint zzz", {}).strip() == ""
    assert complete("zsh", "tripplan schedule --plan ") == ["<files>"]
    assert "JP" in complete("zsh", "tripplan quote --from J")
