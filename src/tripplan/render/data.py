"""Rendering of the `tripplan data` commands."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.i18n import _
from tripplan.render.common import cell, print_if_fits, say, table_title
from tripplan.sources import DataSetAge, SourcesReport, SourceUse
from tripplan.wording import counted, source_kind


def _age(u: SourceUse) -> str:
    if u.age_days is None:
        return "[yellow]" + escape(_("unknown: undated")) + "[/yellow]"
    if u.stale:
        return "[yellow]" + escape(_("{days} days: stale").format(days=u.age_days)) + "[/yellow]"
    return escape(_("{days} days").format(days=u.age_days))


def _date(u: SourceUse) -> str:
    if not u.date:
        return "—"
    return _("{date} (doubtful)").format(date=u.date_text) if u.date_doubtful else u.date_text


def _source_table(console: Console, title: str, uses: list[SourceUse]) -> None:
    table = Table(title=table_title(escape(title)), title_justify="left")
    table.add_column(_("Id"), no_wrap=True)
    table.add_column(_("Title"), overflow="fold", min_width=20)
    table.add_column(_("Date"), no_wrap=True)
    table.add_column(_("Figures"), justify="right", no_wrap=True)
    table.add_column(_("Age"), overflow="fold", min_width=9)
    for u in uses:
        table.add_row(escape(u.id), cell(escape(u.title)), escape(_date(u)), str(u.figures), cell(_age(u)))
    if not print_if_fits(console, table, [u.id for u in uses]):  # one source a block: the ids stay whole
        console.print(f"[bold]{escape(title)}[/bold]")
        for u in uses:
            console.print(f"\n[bold]{escape(u.id)}[/bold] ({escape(counted(u.figures, 'figure'))})")
            say(console, u.title, indent=2, hang=0)
            console.print("  " + _("date {date}; age {age}").format(date=escape(_date(u)), age=_age(u)))


def _data_set_line(d: DataSetAge) -> str:
    if d.as_of is not None:
        when = _("as of {date}, {days} days old").format(date=d.as_of, days=d.age_days)
    else:
        when = d.version or _("undated")
    source = f" [{d.source}]" if d.source else ""
    note = f"; {d.note}" if d.note else ""
    return f"{d.name}: {when}{source}{note}"


def render_sources(console: Console, report: SourcesReport, today: dt.date) -> None:
    console.print("[bold]" + escape(_("Where every figure comes from, by kind of source")) + "[/bold]")
    for k in report.kinds:
        uses = [u for u in report.sources if u.kind == k.kind]
        if uses:
            console.print()
            _source_table(console, f"{source_kind(k.kind)} ({k.sources})", uses)
    console.print("\n[bold]" + escape(_("How old each data set is")) + "[/bold]")
    for d in report.data_sets:
        say(console, _data_set_line(d), indent=2)
    ages = _(
        "Ages as of {today}. Warnings flag sources older than 12 months or without a date. "
        "A fact resting only on press or article sources is given as reported."
    ).format(today=today)
    say(console, ages, style="dim", hang=0)
