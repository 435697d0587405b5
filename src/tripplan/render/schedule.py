"""Rendering of `tripplan schedule`: a table of dated events and a month calendar."""

from __future__ import annotations

import calendar
import datetime as dt

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.events import plan_events
from tripplan.marks import MARKS, day_marks
from tripplan.money import fmt_span
from tripplan.plans import OpenedPlan
from tripplan.render.common import sources_footer
from tripplan.schedule import Plan
from tripplan.wording import assumed_airport_line, fmt_home, rate_line, red_flags_line

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
MONTH_WIDTH = 27  # seven days of three characters ("21X"), a space between them
GAP = "   "


def month_lines(marks: dict[dt.date, str], year: int, month: int) -> list[str]:
    """One month as lines of Rich markup, each MONTH_WIDTH characters wide once shown: its name, the days
    of the week, then a week per line; a marked day carries its letter as well as its colour."""
    lines = [f"{calendar.month_name[month]} {year}".center(MONTH_WIDTH), " ".join(f"{d:<3}" for d in DAYS)]
    for week in calendar.Calendar().monthdatescalendar(year, month):
        cells = []
        for d in week:
            state = marks.get(d) if d.month == month else None
            if d.month != month:
                cells.append("   ")
            elif state is None:
                cells.append(f"{d.day:2d} ")
            else:
                letter, style, _ = MARKS[state]
                cells.append(f"[{style}]{d.day:2d}{letter}[/]")
        lines.append(" ".join(cells))
    return lines


def month_grid(months: list[list[str]], width: int) -> list[str]:
    """Months side by side, as many to a row as `width` holds (at least one)."""
    per_row = max(1, (width + len(GAP)) // (MONTH_WIDTH + len(GAP)))
    out: list[str] = []
    for i in range(0, len(months), per_row):
        row = months[i : i + per_row]
        height = max(len(m) for m in row)
        blank = " " * MONTH_WIDTH
        out.extend(GAP.join(m[j] if j < len(m) else blank for m in row).rstrip() for j in range(height))
    return out


def legend() -> str:
    return "  ".join(f"[{style}]{letter}[/] {words}" for letter, style, words in MARKS.values())


def render_plan(console: Console, cat: Catalog, plan: Plan, *, opened: OpenedPlan | None = None) -> None:
    chosen = cat.clinics.get(plan.clinic) if plan.clinic else None
    named = f", {chosen.name} ({plan.clinic})" if chosen else f", clinic {plan.clinic}" if plan.clinic else ""
    where = escape(cat.country_name(plan.destination) + named)
    who = escape(f" for {opened.patient}") if opened is not None and opened.patient else ""
    table = Table(title=f"Treatment trip plan{who}: {where}", title_justify="left")
    table.add_column("Date", no_wrap=True, min_width=10)
    table.add_column("Day", no_wrap=True)
    table.add_column("Event", overflow="fold", min_width=16)
    table.add_column("Source / note", overflow="fold", min_width=12)
    for e in plan_events(cat, plan):
        note = "; ".join(x for x in (e.note, f"[{e.source}]" if e.source else "") if x)
        table.add_row(e.date.isoformat(), e.date.strftime("%a"), escape(e.title), escape(note))
    console.print(table)
    if plan.red_flags is not None:
        style = "red" if plan.red_flags.count else "green"
        console.print(f"[{style}]" + escape(red_flags_line(plan.red_flags)) + "[/]")
    if opened is not None and opened.changed_since_saved:
        console.print(
            f"\n[bold]Changed since the plan was saved on {opened.saved_on}[/bold] (tripplan's figures are used)"
        )
        for d in opened.changed_since_saved:  # one figure a line: a range never breaks at 60 columns
            console.print(escape(f"  {d.field}:\n    {d.said} {d.saved}\n    recomputed {d.recomputed}"))
    first = plan.visits[0].leave_home or plan.visits[0].arrive
    last = plan.visits[-1].depart
    if plan.injection_window:
        last = max(last, plan.injection_window.latest)
    months = []
    marks = day_marks(plan)
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(month_lines(marks, y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    for week_row in month_grid(months, console.width):
        console.print(week_row, highlight=False)
    console.print(legend())
    if plan.recovery_note:
        console.print(escape(plan.recovery_note))
    _cost(console, plan)
    console.print("\n[bold]Visa[/bold]: " + escape(plan.visa.advice))
    if plan.visa.answer is not None:
        for s in plan.visa.stays:
            limit = f" of {s.limit} visa-free" if s.limit else ""
            ok = {True: "fits", False: "too long", None: "visa needed"}[s.fits]
            until = f"; may stay until {s.until}" if s.until else ""
            console.print(escape(f"  {s.name}: {s.days} days{limit} — {ok}{until}"))
        console.print(escape(f"  {plan.visa.counting} [{plan.visa.stay_count_source}]"))
        for note in plan.visa.answer.notes:
            console.print(f"  • {escape(note)}")
        console.print(
            f"  [dim]{escape(plan.visa.answer.confirm)} (passport-index, {plan.visa.answer.dataset_date})[/dim]"
        )
    if plan.at_home:
        console.print(
            "[dim]Treated in your own country: appointments near home; local travel is not costed (assumption).[/dim]"
        )
    elif plan.home_airport is None:
        console.print("[dim]Give --from or --airport to date the flights from home.[/dim]")
    else:
        if (line := assumed_airport_line(plan.home_assumed)) is not None:
            console.print(escape(line))
        console.print("[dim]Flight days assume landing at 15:00 and leaving at 11:00 local time (assumption).[/dim]")
    sources_footer(console, cat, plan.sources, plan.made_on)


def _cost(console: Console, plan: Plan) -> None:
    c = plan.cost
    joint = escape(f" ({c.joint})") if c and c.joint else ""
    console.print(
        f"\n[bold]What this trip costs{joint}[/bold] (the nights this plan holds, inside tripplan quote's range)"
    )
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
