"""`tripplan data`: check the data, list its sources, show where the user's own files go."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tripplan.cli_common import Json, catalog, examples, folder_warnings, guarded, state, today, user_folder
from tripplan.cli_lazy import Commands
from tripplan.errors import DataError, Problem
from tripplan.i18n import ngettext
from tripplan.render.common import emit_json, err, out
from tripplan.wording import counted

MAX_PER_FILE = 50

data_commands = Commands()
data_app = typer.Typer(
    cls=data_commands.group_class(),
    rich_markup_mode=None,
    help="Check the data, list its sources, show where your own files go.",
    no_args_is_help=True,
)


@data_commands.command("check", epilog=examples("tripplan data check", "tripplan data check ~/my-data/clinics.toml"))
@guarded
def data_check(
    path: Annotated[Path | None, typer.Argument(help="A data file or folder (default: shipped and your data).")] = None,
    json: Json = False,
) -> None:
    """Validate the shipped and your data (or PATH); list every problem; exit 1 if any."""
    from tripplan.loader import check_path, check_translations, load_catalog

    untranslated: list[Problem] = []
    if path is None:
        folder = user_folder()
        try:
            load_catalog(folder)
            problems, untranslated = check_translations(folder)
        except DataError as e:
            problems = e.problems
        problems += [Problem(str(folder), w) for w in folder_warnings(folder, given=state().data_dir is not None)]
        checked = f"the shipped data and {folder}"
    else:
        problems = check_path(path.expanduser())
        checked = str(path)
    if json:
        from tripplan.results import DataCheck

        emit_json(
            DataCheck(
                checked=checked,
                ok=not problems,
                problems=[str(p) for p in problems],
                untranslated=[str(p) for p in untranslated],
            )
        )
    elif problems:
        err().print(f"{counted(len(problems), 'problem')} in {checked}:", markup=False)
        shown: dict[str, int] = {}
        for p in problems:
            shown[p.file] = shown.get(p.file, 0) + 1
            if shown[p.file] <= MAX_PER_FILE:
                err().print(f"  {p}", markup=False, soft_wrap=True)
        for file, n in shown.items():
            if n > MAX_PER_FILE:
                err().print(
                    f"  … and {n - MAX_PER_FILE} more {'problem' if n - MAX_PER_FILE == 1 else 'problems'} in {file} (all of them with --json)",
                    markup=False,
                )
    else:
        out().print(f"OK: {checked} is valid.", markup=False, soft_wrap=True)
    if untranslated and not json:
        err().print(
            ngettext(
                "Note: {n} field of your own records has no translation; it is shown in English in that language:",
                "Note: {n} fields of your own records have no translation; they are shown in English in that language:",
                len(untranslated),
            ).format(n=len(untranslated)),
            markup=False,
            soft_wrap=True,
        )
        for p in untranslated[:MAX_PER_FILE]:
            err().print(f"  {p}", markup=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)


@data_commands.command("sources", epilog=examples("tripplan data sources", "tripplan data sources --json"))
@guarded
def data_sources(json: Json = False) -> None:
    """Every source by kind (law, authority, society, paper, press, article, dataset, quote, assumption) with its
    date, how many figures rest on it and its age; and the age of each data set."""
    from tripplan.holiday_table import holidays_release
    from tripplan.sources import sources_report

    cat = catalog()
    listed = sources_report(cat=cat, today=today(), holidays_release=holidays_release())
    if json:
        return emit_json(listed)
    from tripplan.render.data import render_sources

    render_sources(out(), listed, today())
    for u in listed.sources:
        if u.warning:
            err().print(f"Warning: {u.warning}", markup=False)
    from tripplan.safety import report

    record = report(cat=cat, destinations=[], today=today())
    if record.stale:
        err().print(
            f"Warning: the safety record is as of {record.as_of}, {record.age_days} days old (older than six months)",
            markup=False,
        )
    return None


@data_commands.command("path", epilog=examples("tripplan data path"))
@guarded
def data_path(json: Json = False) -> None:
    """Where your own data files go (clinics.toml and any file that adds to or replaces shipped data)."""
    from tripplan.loader import shipped_data_dir

    folder = user_folder()
    if json:
        from tripplan.results import DataPath

        return emit_json(
            DataPath(user_data_dir=str(folder), shipped_data_dir=str(shipped_data_dir()), exists=folder.is_dir())
        )
    out().print(str(folder), markup=False, soft_wrap=True)
    return None
