"""Every command has help text and a section in the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from tripplan.cli import app

from .conftest import Invoke

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def all_commands() -> list[tuple[str, Any]]:
    root: Any = typer.main.get_command(app)
    out = []
    for name, cmd in root.commands.items():
        if hasattr(cmd, "commands"):
            out += [(f"{name} {sub}", c) for sub, c in cmd.commands.items()]
        else:
            out.append((name, cmd))
    return out


COMMANDS = all_commands()


def test_there_are_commands() -> None:
    names = {n for n, _ in COMMANDS}
    assert {"quote", "schedule", "compare", "visa", "data check", "data sources", "data path", "clinics add"} <= names


@pytest.mark.parametrize(("name", "cmd"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_and_readme_section(name: str, cmd: Any, run: Invoke) -> None:
    assert cmd.help
    assert f"tripplan {name}" in README
    result = run(*name.split(), "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "--json" in result.stdout, f"tripplan {name} has no --json"


def test_version(run: Invoke) -> None:
    from tripplan import __version__

    assert run("--version").stdout.strip() == f"tripplan {__version__}"
