"""Rendering of `tripplan compare`: one column per country, then price bars on one scale."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.compare import Column, Comparison
from tripplan.money import fmt_span
from tripplan.render.common import money_parts, print_if_fits, print_price_rows, sources_footer
from tripplan.wording import assumed_airport_line, fmt_home, no_rate_line, rate_line, red_flags_line

DASH = "—"


def _visa(c: Column) -> str:
    v = c.trip.visa
    if v is None:
        return DASH
    return v.summary + (f"\n+ {v.medical_visa.name}" if v.medical_visa_needed and v.medical_visa else "")


def _price(c: Column) -> str:
    t = c.trip.treatment
    if t is None:
        return DASH
    n = len(t.sources)
    return f"{fmt_span(t.span)}\n[dim]{n} source row{'s' if n != 1 else ''}[/dim]"


def _total(c: Column) -> str:
    t = c.trip
    if t.total is None:
        return DASH
    home = ""
    if t.home is not None and t.home.currency != "USD":
        home = "\n" + escape(fmt_home(t.home, t.total.open_high))
    return f"[bold]{fmt_span(t.total)}[/bold]{home}"


ROWS: list[tuple[str, Callable[[Column], str]]] = [
    ("Price (USD)", _price),
    ("Cells", lambda c: escape(f"{c.trip.protocol.processing}: {c.trip.protocol.cell_source}")),
    (
        "Typical cell count",
        lambda c: escape(c.cell_count) + (f"\n[dim]potency: {escape(c.potency)}[/dim]" if c.potency else ""),
    ),
    ("Trips", lambda c: str(len(c.trip.nights_per_trip)) + (" (stay through)" if c.trip.stay_through else "")),
    ("Days away", lambda c: f"{c.trip.days_away.low}–{c.trip.days_away.high}"),
    ("Regulation", lambda c: escape(f"{c.regulator}; {c.strictness}") + f"\n[dim]{escape(c.law)}[/dim]"),
    ("Visa", _visa),
    ("Flight", lambda c: f"{c.trip.flight.hours:g} h" if c.trip.flight is not None else DASH),
    ("Total trip", _total),
    ("Safety record", lambda c: escape(c.trip.safety.text if c.trip.safety else DASH)),
    ("Language", lambda c: escape(c.languages)),
    ("Insurance", lambda c: escape(c.insurance)),
]


def _figures(cmp: Comparison) -> list[str]:
    out: list[str] = []
    for c in cmp.countries:
        t = c.trip
        for span in (t.treatment.span if t.treatment else None, t.total):
            out += money_parts(fmt_span(span)) if span is not None else []
        if t.home is not None and t.total is not None and t.home.currency != "USD":
            out += money_parts(fmt_home(t.home, t.total.open_high))
    return out


def bars(cmp: Comparison, width: int = 48) -> list[str]:
    """Each country's price range as a bar on one shared scale from $0 to the highest price."""
    spans = {c.code: c.trip.treatment.span for c in cmp.countries if c.trip.treatment}
    if not spans:
        return []
    top = max(s.high for s in spans.values()) or 1
    lines = []
    name_w = max(len(c.name) for c in cmp.countries)
    for c in cmp.countries:
        span = spans.get(c.code)
        if span is None:
            lines.append(f"{c.name:<{name_w}}  {DASH} no price")
            continue
        lo = round(span.low / top * width)
        hi = max(lo + 1, round(span.high / top * width))
        bar = " " * lo + "█" * (hi - lo) + " " * (width - hi)
        lines.append(f"{c.name:<{name_w}} │{bar}│ {fmt_span(span)}")
    lines.append(f"{'':<{name_w}}  $0{' ' * (width - 2)}${top:,}")
    return lines


def render_compare(console: Console, cat: Catalog, cmp: Comparison) -> None:
    what = " + ".join(x for x in (cmp.joint, cmp.treatment) if x) + (f" ({cmp.condition})" if cmp.condition else "")
    who = f", for a patient from {cat.country_name(cmp.nationality)} via {cmp.airport}" if cmp.nationality else ""
    title = f"Destinations compared: {what}{who}"
    table = Table(title=escape(title), title_justify="left", show_lines=True)
    table.add_column("", overflow="fold", min_width=8)
    for c in cmp.countries:
        table.add_column(escape(f"{c.name} ({c.code})"), overflow="fold", min_width=16)
    for label, get in ROWS:
        table.add_row(f"[bold]{label}[/bold]", *(get(c) for c in cmp.countries))
    if not print_if_fits(
        console, table, _figures(cmp)
    ):  # too narrow for the countries side by side: one country a block, nothing cut
        console.print(f"[bold]{escape(title)}[/bold]")
        for c in cmp.countries:
            console.print(f"\n[bold]{escape(c.name)} ({c.code})[/bold]")
            for label, get in ROWS:
                value = get(c).replace("\n", "; ")
                console.print(Padding(f"[bold]{label}:[/bold] {value}", (0, 0, 0, 2)))
    for c in cmp.countries:  # where a clinic is chosen: its red flags, as quote and schedule show them
        if c.trip.red_flags is not None:
            console.print(escape(f"{c.trip.clinic_name or c.name}: {red_flags_line(c.trip.red_flags)}"))
    assumed = next((c.trip.home_assumed for c in cmp.countries if c.trip.home_assumed), None)
    if (line := assumed_airport_line(assumed)) is not None:
        console.print(escape(line))
    home = next((c.trip.home for c in cmp.countries if c.trip.home), None)
    missing = next((c.trip.no_rate_for for c in cmp.countries if c.trip.no_rate_for), None)
    if home is not None and home.currency != "USD":
        console.print(escape(f"{home.currency} totals at {rate_line(home)}"))
    elif missing:
        console.print(escape(no_rate_line(missing)))
    console.print("\n[bold]Treatment, every source row that applies (as quote lists them)[/bold]")
    for c in cmp.countries:
        if c.trip.treatment is not None:
            console.print(escape(f"  {c.name}:"))
            print_price_rows(console, c.trip.treatment.sources)
    figures = [(c.name, f) for c in cmp.countries for f in c.trip.figures]
    if figures:
        console.print("\n[bold]From the sources, beside their prices[/bold]")
        for name, f in figures:
            console.print(escape(f"  {name}: {f.text} [{f.source}]"))
    rules = next((c.trip.home_rules for c in cmp.countries if c.trip.home_rules), [])
    if rules:
        console.print("\n[bold]At home[/bold]")
        for rule in rules:
            where = rule.region_name or cat.country_name(rule.country)
            console.print(escape(f"  {where}: {rule.home_rule} [{', '.join(rule.sources)}]"))
    console.print("\n[bold]Price ranges on one scale (USD, treatment only)[/bold]")
    for line in bars(cmp):
        console.print(line, markup=False)
    console.print("[dim]Safety record: regulatory actions tripplan's record holds; details: tripplan safety.[/dim]")
    if cmp.footnotes:
        console.print()
        for note in cmp.footnotes:
            console.print(f"[dim]{escape(note)}[/dim]")
    sources_footer(console, cat, cmp.sources, cmp.as_of)
