"""`tripplan data`: check the data, list its sources, show where the user's own files go."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tripplan.cli_common import Json, LangOpt, catalog, examples, folder_warnings, guarded, state, today, user_folder
from tripplan.cli_lazy import Commands
from tripplan.errors import DataError, Problem
from tripplan.i18n import N_, _, ngettext
from tripplan.render.common import emit_json, err, out, say

MAX_PER_FILE = 50

data_commands = Commands()
data_app = typer.Typer(
    cls=data_commands.group_class(),
    rich_markup_mode=None,
    help=N_("Check the data, list its sources, show where your own files go."),
    no_args_is_help=True,
)


@data_app.callback()
def data_group(lang: LangOpt = None) -> None:
    """`tripplan data --lang zh …`: the language may also be given to the group (cli_lazy chose it already)."""


@data_commands.command(
    "check",
    help=N_("Validate the shipped and your data (or PATH); list every problem; exit 1 if any."),
    epilog=examples("tripplan data check", "tripplan data check ~/my-data/clinics.toml"),
)
@guarded
def data_check(
    path: Annotated[
        Path | None, typer.Argument(help=N_("A data file or folder (default: shipped and your data)."))
    ] = None,
    json: Json = False,
    lang: LangOpt = None,
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
        checked = _("the shipped data and {folder}").format(folder=folder)
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
        n = len(problems)
        err().print(
            ngettext("{n} problem in {checked}:", "{n} problems in {checked}:", n).format(n=f"{n:,}", checked=checked),
            markup=False,
        )
        shown: dict[str, int] = {}
        for p in problems:
            shown[p.file] = shown.get(p.file, 0) + 1
            if shown[p.file] <= MAX_PER_FILE:
                err().print(f"  {p}", markup=False, soft_wrap=True)
        for file, n in shown.items():
            if n > MAX_PER_FILE:
                more = n - MAX_PER_FILE
                err().print(
                    "  "
                    + ngettext(
                        "… and {n} more problem in {file} (all of them with --json)",
                        "… and {n} more problems in {file} (all of them with --json)",
                        more,
                    ).format(n=f"{more:,}", file=file),
                    markup=False,
                )
    else:
        out().print(_("OK: {checked} is valid.").format(checked=checked), markup=False, soft_wrap=True)
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


@data_commands.command(
    "sources",
    help=N_(
        "Every source by kind (law, authority, society, paper, press, article, dataset, quote, assumption) with its "
        "date, how many figures rest on it and its age; and the age of each data set."
    ),
    epilog=examples("tripplan data sources", "tripplan data sources --json"),
)
@guarded
def data_sources(json: Json = False, lang: LangOpt = None) -> None:
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
            say(err(), _("Warning: {warning}").format(warning=u.warning), hang=0)
    from tripplan.safety import report

    record = report(cat=cat, destinations=[], today=today())
    if record.stale:
        say(
            err(),
            _("Warning: the safety record is as of {date}, {days} days old (older than six months)").format(
                date=record.as_of, days=record.age_days
            ),
            hang=0,
        )
    return None


@data_commands.command(
    "path",
    help=N_("Where your own data files go (clinics.toml and any file that adds to or replaces shipped data)."),
    epilog=examples("tripplan data path"),
)
@guarded
def data_path(json: Json = False, lang: LangOpt = None) -> None:
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
