"""Rendering of `tripplan schedule`: a table of dated events and a month calendar."""

from __future__ import annotations

import calendar
import datetime as dt

from rich.columns import Columns
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.money import fmt_span
from tripplan.render.common import fmt_home, rate_line
from tripplan.schedule import Plan


def events(plan: Plan) -> list[tuple[dt.date, str, str]]:
    """(date, what, source or note) for every dated item of the plan, in date order."""
    rows: list[tuple[dt.date, str, str]] = []
    for v in plan.visits:
        if v.leave_home:
            rows.append(
                (
                    v.leave_home,
                    f"Leave home: {v.name}",
                    f"{plan.home_airport} → {plan.destination_airport}, {plan.flight_hours:g} h",
                )
            )
        rows.append((v.arrive, f"Arrive: {v.name}", f"{v.nights} nights"))
        rows.append((v.depart, f"Fly home: {v.name}", ""))
        if v.arrive_home:
            rows.append((v.arrive_home, "Back home", ""))
    rows.append((plan.consultation, "Consultation", plan.protocol_source))
    if plan.injection_window:
        w = plan.injection_window
        rows.append(
            (
                plan.harvest,
                f"Harvest ({plan.cell_source}); cells go to the lab",
                f"culture {w.weeks[0]}-{w.weeks[1]} weeks",
            )
        )
        rows.append((w.earliest, "Injection window opens", "first open day"))
        rows.append((w.latest, "Injection window closes", "last open day"))
        rows.append(
            (plan.injection, "Injection", f"fly home after {plan.fly_home_after_hours} h ({plan.fly_home_source})")
        )
    else:
        rows.append((plan.injection, "Treatment", ""))
    for m in plan.steps:
        until = f" (until {m.end})" if m.end else ""
        rows.append((m.date, m.name + until, m.source))
    for c in plan.closures:
        rows.append((c.date, ("Closed: " if c.certain else "Possibly closed: ") + c.name, c.source))
    return sorted(rows, key=lambda r: r[0])


def _month(plan: Plan, year: int, month: int) -> Table:
    marks: dict[dt.date, str] = {}
    w = plan.injection_window
    if w:
        d = w.earliest
        while d <= w.latest:
            marks[d] = "[on blue]"
            d += dt.timedelta(days=1)
    for v in plan.visits:
        d = v.arrive
        while d <= v.depart:
            marks[d] = "[on green]"
            d += dt.timedelta(days=1)
    for c in plan.closures:
        marks[c.date] = "[on red]" if c.certain else "[on yellow]"
    marks[plan.harvest] = "[bold reverse]"
    marks[plan.injection] = "[bold reverse]"
    table = Table(title=f"{calendar.month_name[month]} {year}", show_edge=False, pad_edge=False, box=None)
    for name in ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"):
        table.add_column(name, justify="right")
    for week in calendar.Calendar().monthdatescalendar(year, month):
        cells = []
        for d in week:
            if d.month != month:
                cells.append("")
                continue
            style = marks.get(d, "")
            text = f"{d.day:2d}"
            if d in (plan.harvest, plan.injection):
                text = ("H" if d == plan.harvest and plan.injection_window else "I") + f"{d.day}"
            cells.append(f"{style}{text}[/]" if style else text)
        table.add_row(*cells)
    return table


def render_plan(console: Console, cat: Catalog, plan: Plan) -> None:
    where = escape(cat.country_name(plan.destination) + (f", clinic {plan.clinic}" if plan.clinic else ""))
    table = Table(title=f"Treatment trip plan: {where}", title_justify="left")
    table.add_column("Date", no_wrap=True)
    table.add_column("Day")
    table.add_column("Event")
    table.add_column("Source / note")
    for day, what, note in events(plan):
        table.add_row(day.isoformat(), day.strftime("%a"), escape(what), escape(note))
    console.print(table)
    first = plan.visits[0].leave_home or plan.visits[0].arrive
    last = plan.visits[-1].depart
    if plan.injection_window:
        last = max(last, plan.injection_window.latest)
    months = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(_month(plan, y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    console.print(Columns(months, padding=(0, 3)))
    console.print(
        "[on green] visit [/]  [on blue] injection window [/]  [on red] closed [/]  [on yellow] possibly closed [/]  H harvest  I injection"
    )
    _cost(console, plan)
    console.print("\n[bold]Visa[/bold]: " + escape(plan.visa.advice))
    if plan.visa.answer is not None:
        for s in plan.visa.stays:
            limit = f" of {s.limit} visa-free" if s.limit else ""
            ok = {True: "fits", False: "too long", None: "visa needed"}[s.fits]
            console.print(escape(f"  {s.name}: {s.days} days{limit} — {ok}"))
        for note in plan.visa.answer.notes:
            console.print(f"  • {escape(note)}")
        console.print(f"  [dim]{plan.visa.answer.confirm} (passport-index, {plan.visa.answer.dataset_date})[/dim]")
    if plan.home_airport is None:
        console.print("[dim]Give --from or --airport to date the flights from home.[/dim]")
    else:
        console.print("[dim]Flight days assume landing at 15:00 and leaving at 11:00 local time (assumption).[/dim]")


def _cost(console: Console, plan: Plan) -> None:
    c = plan.cost
    joint = f" ({c.joint})" if c and c.joint else ""
    console.print(f"\n[bold]What this trip costs{joint}[/bold] (the same figures as tripplan quote)")
    if c is None:
        console.print("  No price for this treatment at this destination in the sources.")
        return
    console.print(f"  Treatment: {fmt_span(c.treatment)} ({c.rows} source row{'s' if c.rows != 1 else ''})")
    if c.travel is None or c.total is None:
        console.print("  Travel and total: give your nationality (--from) to add flights, nights and the visa.")
        return
    console.print(f"  Travel: {fmt_span(c.travel)}")
    console.print(f"  [bold]Total: {fmt_span(c.total)}[/bold]")
    if c.home is not None and c.home.currency != "USD":
        local = fmt_home(c.home, c.total.open_high)
        console.print(escape(f"  In {c.home.currency}: {local} at {rate_line(c.home)}"))
