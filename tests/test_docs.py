"""Every command has help text, a worked example in the README and a section in the generated command
reference; the generated docs are current; every key --json prints is in the JSON reference."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer

from tripplan.cli import app

from .conftest import Invoke

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS_MD = (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")


def _script(name: str) -> Any:
    """A module of scripts/ (docgen, build_docs), imported as the build imports it."""
    import importlib.util
    import sys

    if name in sys.modules:
        return sys.modules[name]
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    return module


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
    assert f"\n$ tripplan {name}" in README, f"the README has no worked example of tripplan {name}"
    assert f"\n## tripplan {name}\n" in COMMANDS_MD, f"docs/commands.md has no section for tripplan {name}"
    for param in cmd.params:
        for opt in param.opts:
            if opt.startswith("--"):
                assert f"`{opt}`" in COMMANDS_MD.split(f"\n## tripplan {name}\n")[1].split("\n## ")[0], opt
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


def test_generated_docs_are_current() -> None:
    """README.md's and docs/*.md's cog blocks (examples' real output, the command and JSON references) are
    what scripts/build_docs.py writes today: a changed output, option or field docstring fails here."""
    build_docs = _script("build_docs")
    assert len(build_docs.cogged()) >= 3
    assert build_docs.run_cog(check=True) == 0, "run python scripts/build_docs.py"


def test_readme_keeps_the_quick_start_and_is_a_short_guide() -> None:
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("\n", 1)[0] for b in quick.split("```sh\n")[1:]]
    assert blocks == [
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/tripplan quote --joint knee --from US",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest",
    ]
    assert len(README.encode("utf-8")) < 32_000  # ten minutes' reading; details live in docs/
    assert "it gives no medical advice" in README


def test_readme_and_docs_links_resolve() -> None:
    import re

    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"


def test_every_json_key_has_a_meaning() -> None:
    docgen = _script("docgen")
    assert docgen.undocumented() == []


def _walk(value: Any, annotation: Any, where: str) -> None:
    """The JSON value has exactly the keys and types the reference derives from the annotation."""
    import dataclasses
    import datetime as dt
    import types
    import typing

    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            assert type(None) in args, f"{where}: null for a type that is never null"
            return
        options = [a for a in args if a is not type(None)]
        assert len(options) == 1, where
        _walk(value, options[0], where)
        return
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        assert isinstance(value, dict), where
        hints = typing.get_type_hints(annotation, include_extras=True)
        names = [f.name for f in dataclasses.fields(annotation)]
        assert list(value) == names, f"{where}: keys {list(value)} are not {annotation.__name__}'s {names}"
        for name in names:
            _walk(value[name], hints[name], f"{where}.{name}")
        return
    if origin in (list, tuple, set, frozenset):
        assert isinstance(value, list), where
        inner = [args[0]] * len(value) if origin is not tuple or args[-1] is Ellipsis else list(args)
        for i, (item, kind) in enumerate(zip(value, inner, strict=True)):
            _walk(item, kind, f"{where}[{i}]")
        return
    if origin is typing.Literal:
        assert value in args, where
        return
    expected: dict[Any, tuple[type, ...]] = {
        str: (str,),
        bool: (bool,),
        int: (int,),
        float: (int, float),
        dt.date: (str,),
    }
    assert isinstance(value, expected[annotation]), f"{where}: {value!r} is not {annotation}"
    assert annotation in (bool, float) or not isinstance(value, bool), where


def test_json_output_is_what_the_reference_documents(run: Invoke) -> None:
    """Run every command with --json and hold its output to the documented result type, key for key."""
    import json
    import typing

    docgen = _script("docgen")
    args = {
        "quote": ["quote", "--joint", "knee", "--from", "CN", "--clinic", "my-clinic"],
        "schedule": ["schedule", "--harvest", "2027-03-01", "--from", "US"],
        "compare": ["compare", "--countries", "JP,MX,KR,TH", "--from", "CN"],
        "visa": ["visa", "--from", "CN"],
        "safety": ["safety"],
        "data check": ["data", "check"],
        "data sources": ["data", "sources"],
        "data path": ["data", "path"],
        "clinics list": ["clinics", "list"],
        "clinics show": ["clinics", "show", "my-clinic"],
        "clinics check": ["clinics", "check"],
        "clinics remove": ["clinics", "remove", "my-clinic", "--yes"],
    }
    add = ["clinics", "add", "--id", "my-clinic", "--name", "Mine", "--city", "Tokyo", "--country", "JP"]
    add += ["--licence", "L", "--asrm-class", "II", "--cell-source", "adipose", "--processing", "cultured"]
    add += ["--treatment", "cultured adipose MSC", "--joints", "knee", "--price", "1500000-1800000"]
    add += ["--currency", "JPY", "--route", "intravenous", "--json"]
    outputs = {"clinics add": run(*add)}
    for command, argv in args.items():
        outputs[command] = run(*argv, "--json")
    seen = set()
    for command, shape, root, disclaimer in docgen.json_roots():
        result = outputs[command]
        assert result.exit_code in (0, 1), (command, result.stderr)  # clinics check exits 1 on a red flag
        data = json.loads(result.stdout)
        items = data if shape == "list" else [data]
        assert items, command
        for item in items:
            if disclaimer:
                assert item.pop("disclaimer")
            if root.__name__ == "Clinic":
                assert isinstance(item.pop("user"), bool)
            for key, cls, name, always in docgen.json_extras().get(command, []):
                assert always is (key in item), (command, key)
                if key in item:
                    _walk(item.pop(key), typing.get_type_hints(cls)[name], f"{command}.{key}")
            _walk(item, root, command)
        seen.add(command)
    assert seen == {name for name, _ in COMMANDS}  # every command's --json is in the reference
