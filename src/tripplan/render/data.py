"""Rendering of the `tripplan data` commands."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from tripplan.render.common import print_if_fits
from tripplan.sources import DataSetAge, SourcesReport, SourceUse


def _age(u: SourceUse) -> str:
    if u.age_days is None:
        return "[yellow]unknown: undated[/yellow]"
    return f"[yellow]{u.age_days} days: stale[/yellow]" if u.stale else f"{u.age_days} days"


def _date(u: SourceUse) -> str:
    return (u.date_text + (" (doubtful)" if u.date_doubtful else "")) if u.date else "—"


def _source_table(console: Console, title: str, uses: list[SourceUse]) -> None:
    table = Table(title=escape(title), title_justify="left")
    table.add_column("Id", no_wrap=True)
    table.add_column("Title", overflow="fold", min_width=20)
    table.add_column("Date", no_wrap=True)
    table.add_column("Figures", justify="right", no_wrap=True)
    table.add_column("Age", overflow="fold", min_width=9)
    for u in uses:
        table.add_row(escape(u.id), escape(u.title), _date(u), str(u.figures), _age(u))
    if not print_if_fits(console, table, [u.id for u in uses]):  # one source a block: the ids stay whole
        console.print(f"[bold]{escape(title)}[/bold]")
        for u in uses:
            console.print(f"\n[bold]{escape(u.id)}[/bold] ({u.figures} figures)")
            console.print(Padding(escape(u.title), (0, 0, 0, 2)))
            console.print(f"  date {_date(u)}; age " + _age(u))


def _data_set_line(d: DataSetAge) -> str:
    when = f"as of {d.as_of}, {d.age_days} days old" if d.as_of is not None else (d.version or "undated")
    source = f" [{d.source}]" if d.source else ""
    note = f"; {d.note}" if d.note else ""
    return f"  {d.name}: {when}{source}{note}"


def render_sources(console: Console, report: SourcesReport, today: dt.date) -> None:
    console.print("[bold]Where every figure comes from, by kind of source[/bold]")
    for k in report.kinds:
        uses = [u for u in report.sources if u.kind == k.kind]
        if uses:
            console.print()
            _source_table(console, f"{k.kind} ({k.sources})", uses)
    console.print("\n[bold]How old each data set is[/bold]")
    for d in report.data_sets:
        console.print(escape(_data_set_line(d)))
    console.print(
        f"[dim]Ages as of {today}. Warnings flag sources older than 12 months or without a date. "
        "A fact resting only on press or article sources is given as reported.[/dim]"
    )
