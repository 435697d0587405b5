"""Rendering of `tripplan schedule`: a table of dated events and a month calendar."""

from __future__ import annotations

import calendar
import datetime as dt

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.dateformat import day_short, month_heading, weekday_letters, weekday_short
from tripplan.events import plan_events
from tripplan.i18n import N_, _
from tripplan.marks import MARKS, day_marks
from tripplan.money import Span, fmt_span, fmt_span_words
from tripplan.plans import OpenedPlan
from tripplan.render.common import cell, print_if_fits, say, say_markup, sources_footer, table_title
from tripplan.schedule import Plan, StayCheck
from tripplan.wording import (
    FLIGHT_TIMES,
    assumed_airport_line,
    counted,
    headed,
    parts,
    rate_line,
    red_flags_line,
    stay_fits,
)

# The legend's words (marks.MARKS keeps them, one wording for the terminal and the page), marked here for the
# catalog; tests/test_term_lang.py checks the two lists agree.
LEGEND_WORDS = (
    N_("harvest"),
    N_("injection"),
    N_("clinic closed"),
    N_("possibly closed"),
    N_("in the destination"),
    N_("injection window"),
)
NEXT_STEPS = 3  # the summary's next steps; every event with --details
MONTH_WIDTH = 27  # seven days of three characters ("21X"), a space between them
GAP = "   "


def _centred(text: str, width: int) -> str:
    """`text` centred in `width` cells (as str.center does by characters; a Chinese character is two cells)."""
    room = max(0, width - cell_len(text))
    left = room // 2 + (room & width & 1)  # str.center's rounding: the extra space goes left when width is odd
    return " " * left + text + " " * (room - left)


def _padded(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` cells."""
    return text + " " * max(0, width - cell_len(text))


def month_lines(marks: dict[dt.date, str], year: int, month: int) -> list[str]:
    """One month as lines of Rich markup, each MONTH_WIDTH cells wide once shown: its name, the days of the
    week (in the current language: a Chinese head is two cells, padded to three like "Mo "), then a week per
    line; a marked day carries its letter as well as its colour."""
    heads = " ".join(_padded(escape(d), 3) for d in weekday_letters())
    lines = [escape(_centred(month_heading(year, month), MONTH_WIDTH)), heads]
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
    """The calendar's letters and colours with their words, on one line of markup."""
    return "  ".join(_legend_items())


def _legend_items() -> list[str]:
    return [f"[{style}]{letter}[/] {escape(_(words))}" for letter, style, words in MARKS.values()]


def legend_lines(width: int) -> list[str]:
    """The legend as lines of markup at most `width` cells wide, a letter never parted from its words."""
    from rich.text import Text

    lines: list[str] = []
    used = 0
    for item in _legend_items():
        size = cell_len(Text.from_markup(item).plain)
        if lines and used + 2 + size <= width:
            lines[-1] += "  " + item
            used += 2 + size
        else:
            lines.append(item)
            used = size
    return lines


def _when(console: Console, cat: Catalog, plan: Plan) -> None:
    """The answer in a few lines: each visit's dates, the treatment day and its window, the next steps."""
    country = cat.country_name(plan.destination)
    for v in plan.visits:
        values = {"name": v.name, "country": country, "arrive": v.arrive, "depart": v.depart}
        if v.leave_home and v.arrive_home:
            line = _("{name}: leave home {leave}, in {country} {arrive} to {depart}, home {home}")
        elif v.leave_home:
            line = _("{name}: leave home {leave}, in {country} {arrive} to {depart}")
        elif v.arrive_home:
            line = _("{name}: in {country} {arrive} to {depart}, home {home}")
        else:
            line = _("{name}: in {country} {arrive} to {depart}")
        say(console, line.format(**values, leave=v.leave_home, home=v.arrive_home), indent=2)
    w = plan.injection_window
    day = day_short(plan.injection)
    if w:
        line = _("Injection: {day} (window {earliest} to {latest})").format(
            day=day, earliest=w.earliest, latest=w.latest
        )
    else:
        line = _("Treatment: {day}").format(day=day)
    say(console, line, indent=2)
    upcoming = [e for e in plan_events(cat, plan) if e.date >= plan.made_on][:NEXT_STEPS]
    for e in upcoming:
        line = _("Next, {date}: {title} [{source}]") if e.source else _("Next, {date}: {title}")
        say(console, line.format(date=e.date, title=e.title, source=e.source), indent=2, hang=4)


def render_plan(
    console: Console, cat: Catalog, plan: Plan, *, opened: OpenedPlan | None = None, details: bool = False
) -> None:
    """The answer first: when (visits, treatment, next steps), the month calendar, the cost and the visa;
    with `details`, every dated event with its source, the visa notes and every source's title. A re-opened
    plan (`opened`) says whose it is and what changed since it was saved."""
    chosen = cat.clinics.get(plan.clinic) if plan.clinic else None
    country = cat.country_name(plan.destination)
    if chosen:
        where = f"{country}, {chosen.name} ({plan.clinic})"
    elif plan.clinic:
        where = _("{country}, clinic {clinic}").format(country=country, clinic=plan.clinic)
    else:
        where = country
    if opened is not None and opened.patient:
        title = escape(_("Treatment trip plan for {patient}: {where}").format(patient=opened.patient, where=where))
    else:
        title = escape(_("Treatment trip plan: {where}").format(where=where))
    if details:
        table = Table(title=table_title(title), title_justify="left")
        table.add_column(_("Date"), no_wrap=True, min_width=10)
        table.add_column(_("Day"), no_wrap=True)
        table.add_column(_("Event"), overflow="fold", min_width=16)
        table.add_column(_("Source / note"), overflow="fold", min_width=12)
        for e in plan_events(cat, plan):
            note = "; ".join(x for x in (e.note, f"[{e.source}]" if e.source else "") if x)
            table.add_row(e.date.isoformat(), escape(weekday_short(e.date)), cell(escape(e.title)), cell(escape(note)))
        if not print_if_fits(console, table):  # too narrow for the table: one event a block, nothing split
            console.print(f"[bold]{title}[/bold]")
            for e in plan_events(cat, plan):
                say(console, f"{e.date} {weekday_short(e.date)}  {e.title}", indent=0, hang=4)
                note = "; ".join(x for x in (e.note, f"[{e.source}]" if e.source else "") if x)
                if note:
                    say(console, note, indent=4, hang=2, style="dim")
    else:
        console.print(f"[bold]{title}[/bold]")
        _when(console, cat, plan)
    if plan.red_flags is not None:
        say(console, red_flags_line(plan.red_flags), style="red" if plan.red_flags.count else "green")
    if opened is not None and opened.changed_since_saved:
        head = _("Changed since the plan was saved on {date}").format(date=opened.saved_on)
        console.print()
        say_markup(console, headed(head, _("(tripplan's figures are used)")))
        for d in opened.changed_since_saved:  # one figure a line: a range never breaks at 60 columns
            say(console, f"{d.field}:", indent=2)
            say(console, f"{d.said} {d.saved}", indent=4)
            say(console, _("recomputed {value}").format(value=d.recomputed), indent=4)
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
    for row in legend_lines(console.width):
        console.print(row, soft_wrap=True)
    if plan.recovery_note:
        say(console, plan.recovery_note)
    _cost(console, cat, plan, details=details)
    say(console, _("Visa: {advice}").format(advice=plan.visa.advice))
    if plan.visa.answer is not None:
        stays = [_stay_line(s) for s in plan.visa.stays]
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
            say(console, parts(stays) + f" [{plan.visa.stay_count_source}, passport-index]", indent=2)
    if plan.at_home:
        say(
            console,
            _("Treated in your own country: appointments near home; local travel is not costed (assumption)."),
            style="dim",
        )
    elif plan.home_airport is None:
        say(console, _("Give --from or --airport to date the flights from home."), style="dim")
    else:
        if (line := assumed_airport_line(plan.home_assumed)) is not None:
            say(console, line)
        say(console, _(FLIGHT_TIMES), style="dim")
    if not details:
        say(console, _("Every dated step, recovery and follow-up with its source: add --details."), style="dim")
    sources_footer(console, cat, plan.sources, plan.made_on, details=details)


def _cost(console: Console, cat: Catalog, plan: Plan, *, details: bool = True) -> None:
    c = plan.cost
    head = (
        _("What this trip costs ({joint})").format(joint=cat.label("joint", c.joint))
        if c and c.joint
        else _("What this trip costs")
    )
    inject = plan.request.inject if plan.request else None
    if inject is not None:
        same = _("(tripplan quote gives the same total with --harvest {harvest} --inject {inject})").format(
            harvest=plan.harvest, inject=inject
        )
    else:
        same = _("(tripplan quote gives the same total with --harvest {harvest})").format(harvest=plan.harvest)
    console.print()
    say_markup(console, headed(head, same))
    if c is None:
        say(console, _("No price for this treatment at this destination in the sources."), indent=2)
        return
    values = {"amount": fmt_span(c.treatment), "rows": counted(c.rows, "source row")}
    if c.travel is None or c.total is None:
        say(console, _("Treatment: {amount} ({rows})").format(**values), indent=2)
        line = _("Travel and total: give your nationality (--from) to add flights, nights and the visa.")
        say(console, line, indent=2)
        return
    say(
        console,
        _("Treatment: {amount} ({rows}); travel: {travel}").format(**values, travel=fmt_span(c.travel)),
        indent=2,
    )
    say(console, _("Total: {amount}").format(amount=fmt_span(c.total)), indent=2, style="bold")
    if c.home is not None and c.home.currency != "USD":
        local = fmt_span_words(Span(low=c.home.low, high=c.home.high, open_high=c.total.open_high), c.home.currency)
        rate = rate_line(c.home) if details else f"{c.home.rate:g}/USD [{c.home.rate_source}]"  # in full: --details
        say(
            console,
            _("In {currency}: {amount} at {rate}").format(currency=c.home.currency, amount=local, rate=rate),
            indent=2,
        )


def _stay_line(s: StayCheck) -> str:
    """A visit's stay against the visa-free limit (in days, or in months where the rule counts months): its
    days, the limit, whether it fits, the last day allowed."""
    values = {"name": s.name, "days": s.days, "limit": s.limit, "fits": stay_fits(s.fits), "until": s.until}
    values["months"] = s.limit_months
    if s.limit_months and s.until:
        return _("{name}: {days} days of {months} months visa-free — {fits}; may stay until {until}").format(**values)
    if s.limit_months:
        return _("{name}: {days} days of {months} months visa-free — {fits}").format(**values)
    if s.limit and s.until:
        return _("{name}: {days} days of {limit} visa-free — {fits}; may stay until {until}").format(**values)
    if s.limit:
        return _("{name}: {days} days of {limit} visa-free — {fits}").format(**values)
    if s.until:
        return _("{name}: {days} days — {fits}; may stay until {until}").format(**values)
    return _("{name}: {days} days — {fits}").format(**values)
