"""Rendering of `tripplan compare`: one column per country, then price bars on one scale."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.compare import Column, Comparison, assumption_note
from tripplan.i18n import N_, _, ngettext
from tripplan.money import fmt, fmt_span, range_text
from tripplan.render.common import cell, money_parts, print_if_fits, print_price_rows, say, sources_footer, table_title
from tripplan.trip import Trip
from tripplan.wording import (
    ASSUMED_FOR,
    assumed_airport_line,
    cells_short,
    counted,
    counted_span,
    fmt_home,
    hours,
    no_rate_line,
    parts,
    rate_line,
    red_flags_line,
)

DASH = "—"
# The --details hint of compare, which adds the regulation and the cell count to quote's.
DETAILS_HINT_COMPARE = N_(
    "Every source row, travel line, regulation, cell count, rate and note: add --details (all of it in --json)."
)


def _visa(c: Column) -> str:
    v = c.trip.visa
    if v is None:
        return DASH
    return v.summary + (f"\n+ {v.medical_visa.name}" if v.medical_visa_needed and v.medical_visa else "")


def _price(c: Column) -> str:
    t = c.trip.treatment
    if t is None:
        return DASH
    return f"{fmt_span(t.span)}\n[dim]{counted(len(t.sources), 'source row')}[/dim]"


def _cells(t: Trip) -> str:
    """The kind of cells the price rows are, with the protocol's cell source when the rows are of its kind."""
    return (
        f"{cells_short(t.cells)}: {t.protocol.cell_source}"
        if t.cells == t.protocol.processing
        else cells_short(t.cells)
    )


def _total(c: Column) -> str:
    t = c.trip
    if t.total is None:
        return DASH
    home = ""
    if t.home is not None and t.home.currency != "USD":
        home = "\n" + escape(fmt_home(t.home, t.total.open_high))
    return f"[bold]{fmt_span(t.total)}[/bold]{home}"


def _potency(c: Column) -> str:
    return "\n[dim]" + escape(_("potency: {potency}").format(potency=c.potency)) + "[/dim]" if c.potency else ""


def _trips(c: Column) -> str:
    n = len(c.trip.nights_per_trip)
    return _("{n} (stay through)").format(n=n) if c.trip.stay_through else str(n)


def _trips_short(c: Column) -> str:
    """How many trips and how many days away in all; for treatment at home, the days of appointments."""
    if c.trip.appointment_days is not None:
        return _("{trips} (near home: {days} of appointments)").format(trips=_trips(c), days=_appointments(c))
    days = c.trip.days_away
    return _("{trips} ({days} away)").format(trips=_trips(c), days=counted_span(days.low, days.high, "day"))


def _appointments(c: Column) -> str:
    days = c.trip.appointment_days
    return counted_span(days.low, days.high, "day") if days is not None else DASH


def _days_away(c: Column) -> str:
    """Days away from home; at home none, and the days of appointments instead."""
    if c.trip.appointment_days is not None:
        return escape(_("none: treated near home, {days} of appointments").format(days=_appointments(c)))
    return range_text(c.trip.days_away.low, c.trip.days_away.high)


# Each row's label (shown through _()) and how a country's cell is written.
ROWS: list[tuple[str, Callable[[Column], str]]] = [
    (N_("Price (USD)"), _price),
    (N_("Cells"), lambda c: escape(_cells(c.trip))),
    (N_("Typical cell count"), lambda c: escape(c.cell_count) + _potency(c)),
    (N_("Trips"), _trips),
    (N_("Days away"), _days_away),
    (N_("Regulation"), lambda c: escape(f"{c.regulator}; {c.strictness}") + f"\n[dim]{escape(c.law)}[/dim]"),
    (N_("Visa"), _visa),
    (N_("Flight"), lambda c: hours(c.trip.flight.hours) if c.trip.flight is not None else DASH),
    (N_("Total trip"), _total),
    (N_("Safety record"), lambda c: escape(c.trip.safety.text if c.trip.safety else DASH)),
    (N_("Language"), lambda c: escape(c.languages)),
    (N_("Insurance"), lambda c: escape(c.insurance)),
]


# The answer: what a patient weighs first. Every other row comes with --details.
SUMMARY = ("Price (USD)", "Cells", "Trips", "Visa", "Flight", "Total trip", "Safety record")
SHORT: dict[str, Callable[[Column], str]] = {
    "Cells": lambda c: escape(cells_short(c.trip.cells)),
    "Trips": _trips_short,
    "Safety record": lambda c: _safety_short(c),
}


def _safety_short(c: Column) -> str:
    """The safety record in a few words: the counts (the sentence itself with --details, quote and safety)."""
    s = c.trip.safety
    if s is None:
        return DASH
    if not s.recent and not s.older:
        return _("no action on record")
    if s.older:
        return ngettext(
            "{n} action in 24 months; {older} older", "{n} actions in 24 months; {older} older", s.recent
        ).format(n=s.recent, older=s.older)
    return ngettext("{n} action in 24 months", "{n} actions in 24 months", s.recent).format(n=s.recent)


def _figures(cmp: Comparison) -> list[str]:
    out: list[str] = []
    for c in cmp.countries:
        t = c.trip
        for span in (t.treatment.span if t.treatment else None, t.total):
            out += money_parts(fmt_span(span)) if span is not None else []
        if t.home is not None and t.total is not None and t.home.currency != "USD":
            out += money_parts(fmt_home(t.home, t.total.open_high))
    return out


def bars(cmp: Comparison, width: int = 48, *, columns: int | None = None) -> list[str]:
    """Each country's price range as a bar on one shared scale from $0 to the highest price, `width`
    characters wide. Given the console's `columns`, the layout fits them: the bar shrinks to the room left
    by the name and the figures, and when under 12 characters would be left, each name and range stands on
    its own line above its bar, so no figure is ever wrapped."""
    spans = {c.code: c.trip.treatment.span for c in cmp.countries if c.trip.treatment}
    if not spans:
        return []
    top = max(s.high for s in spans.values()) or 1
    name_w = max(cell_len(c.name) for c in cmp.countries)
    figure_w = max(cell_len(fmt_span(s)) for s in spans.values())
    above = False
    if columns is not None:
        room = columns - name_w - figure_w - 4
        above = room < 12
        width = max(8, min(width, columns - 2 if above else room))
    top_label = fmt(top)
    lines = []
    for c in cmp.countries:
        span = spans.get(c.code)
        name = c.name + " " * (name_w - cell_len(c.name))  # padded to the longest name's cells
        if span is None:
            none = _("no price")
            lines.append(f"{name}  {DASH} {none}" if not above else f"{c.name}: {DASH} {none}")
            continue
        lo = round(span.low / top * width)
        hi = max(lo + 1, round(span.high / top * width))
        bar = " " * lo + "█" * (hi - lo) + " " * (width - hi)
        if above:
            lines += [f"{c.name}: {fmt_span(span)}", f"│{bar}│"]
        else:
            lines.append(f"{name} │{bar}│ {fmt_span(span)}")
    pad = "" if above else " " * (name_w + 2)
    zero = fmt(0)
    lines.append(f"{pad}{zero}{' ' * max(1, width - cell_len(zero) - cell_len(top_label) + 2)}{top_label}")
    return lines


def render_compare(console: Console, cat: Catalog, cmp: Comparison, *, details: bool = False) -> None:
    """The answer first: the countries side by side on the rows a patient weighs first (price, cells,
    trips, visa, flight, total, safety); with `details`, every row, every source row and the price chart."""
    what = " + ".join(cat.label(kind, x) for kind, x in (("joint", cmp.joint), ("treatment", cmp.treatment)) if x)
    if cmp.condition:
        what = _("{what} ({condition})").format(what=what, condition=cat.label("condition", cmp.condition))
    if cmp.nationality:
        title = _("Destinations compared: {what}, for a patient from {country} via {airport}").format(
            what=what, country=cat.country_name(cmp.nationality), airport=cmp.airport
        )
    else:
        title = _("Destinations compared: {what}").format(what=what)
    rows = [(label, get if details else SHORT.get(label, get)) for label, get in ROWS if details or label in SUMMARY]
    table = Table(title=table_title(escape(title)), title_justify="left", show_lines=True)
    table.add_column("", overflow="fold", min_width=8)
    for c in cmp.countries:
        table.add_column(cell(escape(f"{c.name} ({c.code})")), overflow="fold", min_width=16)
    for label, get in rows:
        table.add_row(cell(f"[bold]{escape(_(label))}[/bold]"), *(cell(get(c)) for c in cmp.countries))
    if not print_if_fits(
        console, table, _figures(cmp)
    ):  # too narrow for the countries side by side: one country a block, nothing cut
        console.print(f"[bold]{escape(title)}[/bold]")
        for c in cmp.countries:
            console.print(f"\n[bold]{escape(c.name)} ({c.code})[/bold]")
            for label, get in rows:
                from rich.text import Text

                value = parts(Text.from_markup(get(c)).plain.split("\n"))
                say(console, _("{label}: {value}").format(label=_(label), value=value), indent=2, hang=2)
    for c in cmp.countries:  # where a clinic is chosen: its red flags, as quote and schedule show them
        if c.trip.red_flags is not None:
            style = "red" if c.trip.red_flags.count else "green"
            say(console, f"{c.trip.clinic_name or c.name}: {red_flags_line(c.trip.red_flags)}", style=style)
    assumed = next((c.trip.home_assumed for c in cmp.countries if c.trip.home_assumed), None)
    if (line := assumed_airport_line(assumed)) is not None:
        say(console, line)
    home = next((c.trip.home for c in cmp.countries if c.trip.home), None)
    missing = next((c.trip.no_rate_for for c in cmp.countries if c.trip.no_rate_for), None)
    if home is not None and home.currency != "USD":
        say(console, _("{currency} totals at {rate}").format(currency=home.currency, rate=rate_line(home)))
    elif missing:
        say(console, no_rate_line(missing))
    if not details:  # what is missing in full; the assumptions behind the figures named, read with --details
        assumed_for = [c.code for c in cmp.countries if c.assumption]
        assumptions = {assumption_note(c) for c in cmp.countries if c.assumption}
        for note in cmp.footnotes:
            if note not in assumptions:
                say(console, note, style="dim")
        if assumed_for:
            say(console, _(ASSUMED_FOR).format(codes=", ".join(assumed_for)), style="dim")
        say(console, _(DETAILS_HINT_COMPARE), style="dim")
        sources_footer(console, cat, cmp.sources, cmp.as_of, details=False)
        return
    console.print("\n[bold]" + _("Treatment, every source row that applies (as quote lists them)") + "[/bold]")
    for c in cmp.countries:
        if c.trip.treatment is not None:
            say(console, f"{c.name}:", indent=2)
            print_price_rows(console, c.trip.treatment.sources, cat=cat)
        if c.trip.other_cells:
            line = _("{country}, rows for other kinds of cells (not in the range or the total):")
            say(console, line.format(country=c.name), indent=2)
            print_price_rows(console, c.trip.other_cells, cat=cat)
    figures = [(c.name, f) for c in cmp.countries for f in c.trip.figures]
    if figures:
        console.print("\n[bold]" + _("From the sources, beside their prices") + "[/bold]")
        for name, f in figures:
            say(console, f"{name}: {f.text} [{f.source}]", indent=2)
    rules = next((c.trip.home_rules for c in cmp.countries if c.trip.home_rules), [])
    if rules:
        console.print("\n[bold]" + _("At home") + "[/bold]")
        for rule in rules:
            where = rule.region_name or cat.country_name(rule.country)
            say(console, f"{where}: {rule.home_rule} [{', '.join(rule.sources)}]", indent=2)
    console.print("\n[bold]" + _("Price ranges on one scale (USD, treatment only)") + "[/bold]")
    for line in bars(cmp, columns=console.width):
        console.print(line, markup=False, soft_wrap=True)
    say(console, _("Safety record: regulatory actions tripplan's record holds; details: tripplan safety."), style="dim")
    if cmp.footnotes:
        console.print()
        for note in cmp.footnotes:
            say(console, note, style="dim")
    sources_footer(console, cat, cmp.sources, cmp.as_of)
