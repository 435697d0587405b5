"""Rendering of the `tripplan data` commands."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from tripplan.render.common import print_if_fits
from tripplan.sources import SourceUse


def _age(u: SourceUse) -> str:
    if u.age_days is None:
        return "[yellow]unknown: undated[/yellow]"
    return f"[yellow]{u.age_days} days: stale[/yellow]" if u.stale else f"{u.age_days} days"


def _date(u: SourceUse) -> str:
    return (u.date.isoformat() + (" (doubtful)" if u.date_doubtful else "")) if u.date else "—"


def render_sources(console: Console, uses: list[SourceUse], today: dt.date) -> None:
    title = "Where every figure comes from"
    table = Table(title=title, title_justify="left")
    table.add_column("Id", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Title", overflow="fold", min_width=20)
    table.add_column("Date", no_wrap=True)
    table.add_column("Figures", justify="right", no_wrap=True)
    table.add_column("Age", overflow="fold", min_width=9)
    for u in uses:
        table.add_row(escape(u.id), u.kind, escape(u.title), _date(u), str(u.figures), _age(u))
    if not print_if_fits(console, table, [u.id for u in uses]):  # one source a block: the ids stay whole
        console.print(f"[bold]{title}[/bold]")
        for u in uses:
            console.print(f"\n[bold]{escape(u.id)}[/bold] ({u.kind}, {u.figures} figures)")
            console.print(Padding(escape(u.title), (0, 0, 0, 2)))
            console.print(f"  date {_date(u)}; age " + _age(u))
    console.print(f"[dim]Ages as of {today}. Warnings flag sources older than 12 months or without a date.[/dim]")
