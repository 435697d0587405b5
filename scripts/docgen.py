"""What cog writes into README.md and docs/*.md: the commands' real output, the command reference read from
the CLI itself, and the --json reference read from the result types' field docstrings.

Used from the [[[cog ]]] blocks of those files; run through scripts/build_docs.py (which also writes
docs/data.md and docs/schema/), never by hand:

    python scripts/build_docs.py          # regenerate every generated file and block
    python scripts/build_docs.py --check  # exit 1 if one is not current (a test and .ci/run do the same)

Examples run the tripplan of this source tree (`python -m tripplan`) on the shipped data only, at 100
columns, without colour, with today fixed to TODAY and an empty data folder of their own.
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import inspect
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import textwrap
import types
import typing
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-22"
WIDTH = "100"
DATA_SHOWN = "~/.local/share/tripplan"  # what an example's own temporary data folder is shown as

_DATA = Path(tempfile.mkdtemp(prefix="tripplan-docs-"))


def _cog() -> Any:
    import cog  # type: ignore[import-not-found]  # provided by cogapp while it runs a block

    return cog


def run(args: str) -> str:
    """What `tripplan ARGS` prints (stdout, then stderr), lines stripped of trailing blanks."""
    env = {
        **os.environ,
        "COLUMNS": WIDTH,
        "NO_COLOR": "1",
        "TRIPPLAN_TODAY": TODAY,
        "TRIPPLAN_DATA_DIR": str(_DATA),
        "TRIPPLAN_CACHE_DIR": "off",
        "TRIPPLAN_DEBUG": "",
    }
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "tripplan", *shlex.split(args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    text = (done.stdout + done.stderr).replace(str(_DATA), DATA_SHOWN)
    return "\n".join(line.rstrip() for line in text.splitlines())


def example(args: str, *, lines: int | None = None) -> None:
    """A ```console block: `$ tripplan ARGS` and what it prints (the first `lines` lines, then "...")."""
    text = run(args)
    shown = text.splitlines()
    if lines is not None and len(shown) > lines:
        text = "\n".join(shown[:lines]) + "\n..."
    _cog().outl(f"```console\n$ tripplan {args}\n{text}\n```")


def shipped_figures() -> None:
    """The shipped data's dated figures, counted from it (so a data refresh is a regeneration)."""
    from collections import Counter

    from tripplan.loader import load_catalog

    cat = load_catalog(None, use_cache=False)
    m = cat.visa_matrix
    rates = Counter((r.source, r.as_of) for r in cat.book.rates)
    lines = [
        f"- passport-index snapshot of {cat.visa_dataset.date}: {len(m.rows)} passports into"
        f" {len(m.destinations.split())} destinations;",
        f"- {len(cat.airports)} airports with an IATA code and a time zone;",
    ]
    for (source, as_of), n in sorted(rates.items(), key=lambda x: -x[1]):
        lines.append(f"- {n} exchange rate(s) from `{source}`, as of {as_of};")
    lines.append(f"- {len(cat.pegs)} fixed pegs; {len(cat.book.prices)} price rows from {len(cat.sources)} sources.")
    _cog().outl("\n".join(lines))


# ---- the command reference, read from the Click commands Typer builds ----


def root_command() -> Any:
    import typer

    from tripplan.cli import app

    return typer.main.get_command(app)


def commands() -> Iterator[tuple[str, Any]]:
    """(full name, Click command) of every command, groups' subcommands included, in the CLI's order."""
    root = root_command()
    for name, cmd in root.commands.items():
        if hasattr(cmd, "commands"):
            for sub, c in cmd.commands.items():
                yield f"{name} {sub}", c
        else:
            yield name, cmd


def _value(param: Any) -> str:
    import click

    if getattr(param, "is_flag", False):
        return "flag"
    kind = param.type
    if isinstance(kind, click.Choice):
        return " \\| ".join(f"`{c}`" for c in kind.choices)
    names = {"text": "text", "str": "text", "float": "number", "integer": "whole number", "int": "whole number"}
    return param.metavar or names.get(kind.name.lower(), kind.name.lower())


def _default(param: Any) -> str:
    default = param.default
    if param.required:
        return "required"
    if default is None or default is False or (getattr(param, "is_flag", False) and not default):
        return ""
    if callable(default):
        return ""
    return f"`{default}`"


def _cell(text: str | None) -> str:
    return " ".join((text or "").split()).replace("|", "\\|")


def _params_table(cmd: Any) -> list[str]:
    rows = ["| option | value | default | meaning |", "|---|---|---|---|"]
    for p in cmd.params:
        if getattr(p, "hidden", False):
            continue
        if p.param_type_name == "argument":
            name = f"`{p.human_readable_name}` (argument)"
        else:
            names = [*p.opts, *p.secondary_opts]
            name = " / ".join(f"`{n}`" for n in names)
        rows.append(f"| {name} | {_value(p)} | {_default(p)} | {_cell(getattr(p, 'help', ''))} |")
    return rows


def _examples(cmd: Any) -> list[str]:
    lines = [line.strip() for line in (cmd.epilog or "").splitlines() if line.strip().startswith("tripplan ")]
    return ["Examples:", "", "```sh", *lines, "```", ""] if lines else []


def command_reference() -> None:
    """Every command: what it does, its usage, every option (name, value, default, meaning) and examples."""
    import click

    root = root_command()
    out = ["## Global options", "", "Given before the command: `tripplan [GLOBAL OPTIONS] COMMAND …`.", ""]
    out += [*_params_table(root), ""]
    for name, cmd in commands():
        ctx = click.Context(cmd, info_name=f"tripplan {name}")
        out += [f"## tripplan {name}", "", inspect.cleandoc(cmd.help or ""), ""]
        out += ["```", cmd.get_usage(ctx).strip(), "```", ""]
        out += [*_params_table(cmd), ""]
        out += _examples(cmd)
    _cog().outl("\n".join(out).rstrip())


def command_index() -> None:
    """One line per command: its name (linked to the reference) and the first sentence of its help."""
    out = []
    for name, cmd in commands():
        first = inspect.cleandoc(cmd.help or "").split("\n\n")[0].replace("\n", " ")
        anchor = f"tripplan-{name}".replace(" ", "-")
        out.append(f"- [`tripplan {name}`](docs/commands.md#{anchor}): {first}")
    _cog().outl("\n".join(out))


# ---- the --json reference, read from the result types and their field docstrings ----


def json_extras() -> dict[str, list[tuple[str, Any, str, bool]]]:
    """Keys a command prints beside its result type's: command -> (key, class, field that documents it,
    always printed)."""
    from tripplan.plans import OpenedPlan

    opened = [("plan_id", "id"), ("revision", "revision"), ("saved_on", "saved_on")]
    opened += [("changed_since_saved", "changed_since_saved"), ("notes", "notes")]
    return {
        "schedule": [(key, OpenedPlan, name, True) for key, name in opened]
        + [("patient", OpenedPlan, "patient", False)]
    }


def json_roots() -> list[tuple[str, str, Any, bool]]:
    """(command, shape, result type, carries the disclaimer): what each command's --json prints."""
    from tripplan.compare import Comparison
    from tripplan.models import Clinic
    from tripplan.quote import QuoteResult
    from tripplan.redflags import ClinicCheck
    from tripplan.results import ClinicRemoved, ClinicsAdded, DataCheck, DataPath
    from tripplan.safety import SafetyReport
    from tripplan.schedule import Plan
    from tripplan.sources import SourcesReport
    from tripplan.visas import VisaAnswer

    return [
        ("quote", "object", QuoteResult, True),
        ("schedule", "object", Plan, True),
        ("compare", "object", Comparison, True),
        ("visa", "list", VisaAnswer, False),
        ("safety", "object", SafetyReport, False),
        ("data check", "object", DataCheck, False),
        ("data sources", "object", SourcesReport, False),
        ("data path", "object", DataPath, False),
        ("clinics list", "list", Clinic, False),
        ("clinics show", "object", Clinic, False),
        ("clinics add", "object", ClinicsAdded, False),
        ("clinics remove", "object", ClinicRemoved, False),
        ("clinics check", "list", ClinicCheck, False),
    ]


@cache
def field_docs(cls: type) -> dict[str, str]:
    """field name -> the docstring written under it in the class body (own class first, then its bases)."""
    out: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if not dataclasses.is_dataclass(klass):
            continue
        try:
            source = textwrap.dedent(inspect.getsource(klass))
        except (OSError, TypeError):
            continue
        node = ast.parse(source).body[0]
        assert isinstance(node, ast.ClassDef)
        for stmt, after in zip(node.body, [*node.body[1:], None], strict=True):
            if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
                continue
            if (
                isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                out[stmt.target.id] = inspect.cleandoc(after.value.value)
    return out


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def json_type(annotation: Any) -> str:
    """The JSON shape of a Python annotation, as the reference writes it."""
    annotation = _strip(annotation)
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(json_type(a) for a in args)
    if origin is typing.Literal:
        return " or ".join(json.dumps(a) for a in args)
    if origin in (list, set, frozenset):
        return f"list of {json_type(args[0])}"
    if origin is tuple:
        inner = json_type(args[0]) if len(args) == 2 and args[1] is Ellipsis else ", ".join(json_type(a) for a in args)
        return f"list [{inner}]"
    if origin is dict:
        return f"object of {json_type(args[1])}"
    if annotation is type(None):
        return "null"
    if annotation is dt.date:
        return "date (text, YYYY-MM-DD)"
    if annotation is dt.datetime:
        return "date-time (text, ISO 8601)"
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    names = {str: "text", int: "integer", float: "number", bool: "true/false"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _nested(annotation: Any) -> Iterator[type]:
    annotation = _strip(annotation)
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _nested(arg)


def json_types() -> list[type]:
    """Every result type a command's --json prints, roots first, then the types inside them, each once."""
    order: list[type] = []
    todo = [root for _, _, root, _ in json_roots()]
    for extras in json_extras().values():
        hints = [typing.get_type_hints(cls, include_extras=True)[name] for _, cls, name, _ in extras]
        todo += [t for h in hints for t in _nested(h)]
    while todo:
        cls = todo.pop(0)
        if cls in order:
            continue
        order.append(cls)
        hints = typing.get_type_hints(cls, include_extras=True)
        for f in dataclasses.fields(cls):
            todo += [t for t in _nested(hints[f.name]) if t not in order]
    return order


def json_fields(cls: type) -> list[tuple[str, str, str]]:
    """(key, JSON type, meaning) of each key a result type prints, in output order."""
    hints = typing.get_type_hints(cls, include_extras=True)
    docs = field_docs(cls)
    return [(f.name, json_type(hints[f.name]), docs.get(f.name, "")) for f in dataclasses.fields(cls)]


USER_KEY = " and `user` (true/false: the clinic is one of yours, from your data folder)"


def json_reference() -> None:
    from tripplan.models import Record

    out = ["## What each command prints", "", "| command | prints |", "|---|---|"]
    for command, shape, root, disclaimer in json_roots():
        what = f"[{root.__name__}](#{root.__name__.lower()})"
        what = f"a list of {what}" if shape == "list" else f"one {what}"
        what += " and `disclaimer` (text: the medical disclaimer)" if disclaimer else ""
        what += USER_KEY if root.__name__ == "Clinic" else ""
        what += " and the keys below" if command in json_extras() else ""
        out.append(f"| `tripplan {command} --json` | {what} |")
    out += [""]
    for command, extras in json_extras().items():
        out += [f"`tripplan {command} --json` also prints:", "", "| key | type | meaning |", "|---|---|---|"]
        for key, cls, name, always in extras:
            hints = typing.get_type_hints(cls, include_extras=True)
            meaning = field_docs(cls).get(name, "") + ("" if always else " (only when asked for)")
            out.append(f"| `{key}` | {_cell(json_type(hints[name]))} | {_cell(meaning)} |")
        out += [""]
    for cls in json_types():
        doc = (
            inspect.cleandoc(cls.__doc__ or "")
            if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "(")
            else ""
        )
        out += [f"## {cls.__name__}", ""]
        if doc:
            out += [" ".join(doc.split()), ""]
        if issubclass(cls, Record):
            out += ["A data record, as in the [data reference](data.md).", ""]
        out += ["| key | type | meaning |", "|---|---|---|"]
        out += [f"| `{k}` | {_cell(t)} | {_cell(m)} |" for k, t, m in json_fields(cls)]
        out += [""]
    _cog().outl("\n".join(out).rstrip())


def undocumented() -> list[str]:
    """Keys of the --json reference without a meaning: `Class.field` (a test keeps this empty)."""
    missing = [f"{cls.__name__}.{k}" for cls in json_types() for k, _, m in json_fields(cls) if not m.strip()]
    extras = [(cls, name) for extras in json_extras().values() for _, cls, name, _ in extras]
    return missing + [f"{cls.__name__}.{name}" for cls, name in extras if not field_docs(cls).get(name)]


def anchors(text: str) -> set[str]:
    """The heading anchors of a Markdown page, as GitHub makes them."""
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", text, re.M)}
