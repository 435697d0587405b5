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


def test_help_ends_with_real_examples_and_no_bool_metavar(run: Invoke) -> None:
    for name, cmd in COMMANDS:
        assert "Examples:" in (cmd.epilog or ""), f"tripplan {name} --help has no examples"
        assert "<bool>" not in run(*name.split(), "--help").stdout
    assert "it gives no medical advice" in run("--help").stdout


def _examples() -> list[str]:
    lines = []
    for _, cmd in [("", typer.main.get_command(app)), *COMMANDS]:
        for line in (cmd.epilog or "").splitlines():
            if "#" in line:  # an example with a comment needs a terminal or a file of the user's
                continue
            line = line.strip()
            if line.startswith("tripplan ") and " ID" not in line and "my-" not in line:
                lines.append(line.removeprefix("tripplan "))
    return sorted(set(lines))


@pytest.mark.parametrize("example", _examples())
def test_every_help_example_runs(example: str, run: Invoke, tmp_path: Path) -> None:
    import shlex

    args = shlex.split(example)
    if "--plan" in args:  # the example re-opens the plan another example saves
        plan = tmp_path / "plan.toml"
        assert run("schedule", "--harvest", "1 March 2027", "--from", "CN", "--save", str(plan)).exit_code == 0
        args[args.index("--plan") + 1] = str(plan)
    args = [str(tmp_path / a) if a.endswith((".html", ".ics", ".toml")) and "/" not in a else a for a in args]
    result = run(*args)
    assert result.exit_code == 0, (example, result.stderr)


def test_readme_examples_match_what_the_commands_print(run: Invoke) -> None:
    """The ```console blocks are the commands' real output (scripts/update_readme_examples.py makes them)."""
    import re
    import shlex

    blocks = re.findall(r"```console\n\$ tripplan ([^\n]*)\n(.*?)```", README, re.S)
    assert len(blocks) >= 5
    for args, shown in blocks:
        if "broken/" in args:
            continue
        result = run(*shlex.split(args), env={"COLUMNS": "100", "TRIPPLAN_TODAY": "2026-11-22"})
        printed = "\n".join(line.rstrip() for line in (result.stdout + result.stderr).splitlines())
        printed, shown = (re.sub(r"/tmp/[^\s:]+", "TMP", x) for x in (printed, shown.rstrip("\n")))
        if shown.endswith("..."):
            head = shown.removesuffix("...").rstrip("\n")
            assert printed.startswith(head), f"README example is stale: tripplan {args}"
        else:
            assert printed == shown, f"README example is stale: tripplan {args}"
