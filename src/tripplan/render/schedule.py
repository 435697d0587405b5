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
from tripplan.render.common import print_if_fits, say, sources_footer
from tripplan.schedule import Plan
from tripplan.wording import (
    FLIGHT_TIMES,
    STAY_FITS,
    WEEKDAY_LETTERS,
    assumed_airport_line,
    day_short,
    fmt_home,
    rate_line,
    red_flags_line,
)

DAYS = WEEKDAY_LETTERS
NEXT_STEPS = 3  # the summary's next steps; every event with --details
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


def _when(console: Console, cat: Catalog, plan: Plan) -> None:
    """The answer in a few lines: each visit's dates, the treatment day and its window, the next steps."""
    for v in plan.visits:
        away = f"leave home {v.leave_home}, " if v.leave_home else ""
        back = f", home {v.arrive_home}" if v.arrive_home else ""
        say(
            console, f"{v.name}: {away}in {cat.country_name(plan.destination)} {v.arrive} to {v.depart}{back}", indent=2
        )
    w = plan.injection_window
    window = f" (window {w.earliest} to {w.latest})" if w else ""
    say(console, f"{'Injection' if w else 'Treatment'}: {day_short(plan.injection)}{window}", indent=2)
    upcoming = [e for e in plan_events(cat, plan) if e.date >= plan.made_on][:NEXT_STEPS]
    for e in upcoming:
        say(console, f"Next, {e.date}: {e.title}" + (f" [{e.source}]" if e.source else ""), indent=2, hang=4)


def render_plan(
    console: Console, cat: Catalog, plan: Plan, *, opened: OpenedPlan | None = None, details: bool = False
) -> None:
    """The answer first: when (visits, treatment, next steps), the month calendar, the cost and the visa;
    with `details`, every dated event with its source, the visa notes and every source's title. A re-opened
    plan (`opened`) says whose it is and what changed since it was saved."""
    chosen = cat.clinics.get(plan.clinic) if plan.clinic else None
    named = f", {chosen.name} ({plan.clinic})" if chosen else f", clinic {plan.clinic}" if plan.clinic else ""
    where = escape(cat.country_name(plan.destination) + named)
    who = escape(f" for {opened.patient}") if opened is not None and opened.patient else ""
    if details:
        table = Table(title=f"Treatment trip plan{who}: {where}", title_justify="left")
        table.add_column("Date", no_wrap=True, min_width=10)
        table.add_column("Day", no_wrap=True)
        table.add_column("Event", overflow="fold", min_width=16)
        table.add_column("Source / note", overflow="fold", min_width=12)
        for e in plan_events(cat, plan):
            note = "; ".join(x for x in (e.note, f"[{e.source}]" if e.source else "") if x)
            table.add_row(e.date.isoformat(), day_short(e.date)[:3], escape(e.title), escape(note))
        if not print_if_fits(console, table):  # too narrow for the table: one event a block, nothing split
            console.print(f"[bold]Treatment trip plan{who}: {where}[/bold]")
            for e in plan_events(cat, plan):
                say(console, f"{e.date} {day_short(e.date)[:3]}  {e.title}", indent=0, hang=4)
                note = "; ".join(x for x in (e.note, f"[{e.source}]" if e.source else "") if x)
                if note:
                    say(console, note, indent=4, hang=2, style="dim")
    else:
        console.print(f"[bold]Treatment trip plan{who}: {where}[/bold]")
        _when(console, cat, plan)
    if plan.red_flags is not None:
        say(console, red_flags_line(plan.red_flags), style="red" if plan.red_flags.count else "green")
    if opened is not None and opened.changed_since_saved:
        console.print(
            f"\n[bold]Changed since the plan was saved on {opened.saved_on}[/bold] (tripplan's figures are used)"
        )
        for d in opened.changed_since_saved:  # one figure a line: a range never breaks at 60 columns
            say(console, f"{d.field}:", indent=2)
            say(console, f"{d.said} {d.saved}", indent=4)
            say(console, f"recomputed {d.recomputed}", indent=4)
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
        say(console, plan.recovery_note)
    _cost(console, plan, details=details)
    say(console, f"Visa: {plan.visa.advice}")
    if plan.visa.answer is not None:
        stays = [
            f"{s.name}: {s.days} days"
            + (
                f" of {s.limit_months} months visa-free"
                if s.limit_months
                else f" of {s.limit} visa-free"
                if s.limit
                else ""
            )
            + f" — {STAY_FITS[s.fits]}"
            + (f"; may stay until {s.until}" if s.until else "")
            for s in plan.visa.stays
        ]
        counted = f"[{plan.visa.stay_count_source}]"
        if details:
            for stay in stays:
                say(console, stay, indent=2)
            say(console, f"{plan.visa.counting} {counted}", indent=2)
            for note in plan.visa.answer.notes:
                say(console, f"• {note}", indent=2)
            say(
                console,
                f"{plan.visa.answer.confirm} (passport-index, {plan.visa.answer.dataset_date})",
                indent=2,
                style="dim",
            )
        else:  # how the destination counts a stay, and the confirm-before-booking note: in full with --details
            say(console, "; ".join(stays) + f" [{plan.visa.stay_count_source}, passport-index]", indent=2)
    if plan.at_home:
        say(
            console,
            "Treated in your own country: appointments near home; local travel is not costed (assumption).",
            style="dim",
        )
    elif plan.home_airport is None:
        say(console, "Give --from or --airport to date the flights from home.", style="dim")
    else:
        if (line := assumed_airport_line(plan.home_assumed)) is not None:
            say(console, line)
        say(console, FLIGHT_TIMES, style="dim")
    if not details:
        say(console, "Every dated step, recovery and follow-up with its source: add --details.", style="dim")
    sources_footer(console, cat, plan.sources, plan.made_on, details=details)


def _cost(console: Console, plan: Plan, *, details: bool = True) -> None:
    c = plan.cost
    joint = escape(f" ({c.joint})") if c and c.joint else ""
    inject = plan.request.inject if plan.request else None
    if inject is not None:
        same = f"(as tripplan quote --harvest {plan.harvest} --inject {inject} gives it)"
    else:
        same = f"(as tripplan quote --harvest {plan.harvest} gives it)"
    console.print(f"\n[bold]What this trip costs{joint}[/bold] {escape(same)}")
    if c is None:
        say(console, "No price for this treatment at this destination in the sources.", indent=2)
        return
    treatment = f"Treatment: {fmt_span(c.treatment)} ({c.rows} source row{'s' if c.rows != 1 else ''})"
    if c.travel is None or c.total is None:
        say(console, treatment, indent=2)
        say(console, "Travel and total: give your nationality (--from) to add flights, nights and the visa.", indent=2)
        return
    say(console, f"{treatment}; travel: {fmt_span(c.travel)}", indent=2)
    say(console, f"Total: {fmt_span(c.total)}", indent=2, style="bold")
    if c.home is not None and c.home.currency != "USD":
        local = fmt_home(c.home, c.total.open_high)
        rate = rate_line(c.home) if details else f"{c.home.rate:g}/USD [{c.home.rate_source}]"  # in full: --details
        say(console, f"In {c.home.currency}: {local} at {rate}", indent=2)
