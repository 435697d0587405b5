"""Rendering of the `tripplan data` commands."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table

from tripplan.sources import SourceUse


def render_sources(console: Console, uses: list[SourceUse], today: dt.date) -> None:
    table = Table(title="Where every figure comes from", title_justify="left")
    for name in ("Id", "Kind", "Title", "Date", "Figures", "Age"):
        table.add_column(name)
    for u in uses:
        age = "[yellow]unknown: undated[/yellow]" if u.age_days is None else f"{u.age_days} days"
        if u.stale:
            age = f"[yellow]{u.age_days} days: stale[/yellow]"
        table.add_row(
            u.id,
            u.kind,
            u.title,
            (u.date.isoformat() + (" (doubtful)" if u.date_doubtful else "")) if u.date else "—",
            str(u.figures),
            age,
        )
    console.print(table)
    console.print(f"[dim]Ages as of {today}. Warnings flag sources older than 12 months or without a date.[/dim]")
