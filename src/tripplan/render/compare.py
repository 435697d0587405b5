"""Rendering of `tripplan compare`: one column per country, then price bars on one scale."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.compare import Column, Comparison
from tripplan.money import fmt_span
from tripplan.render.common import sources_footer

DASH = "—"


def _visa(c: Column) -> str:
    if c.visa is None:
        return DASH
    return c.visa.summary + ("\n+ Visa for Medical Stay" if c.visa.medical_visa_needed and c.visa.medical_visa else "")


ROWS: list[tuple[str, object]] = [
    (
        "Price (USD)",
        lambda c: f"{fmt_span(c.price)}\n[dim]{len(c.price_sources)} source row(s)[/dim]" if c.price else DASH,
    ),
    ("Cells", lambda c: escape(f"{c.processing}: {c.cell_source}")),
    ("Typical cell count", lambda c: escape(c.cell_count)),
    ("Trips", lambda c: str(c.trips)),
    ("Days away", lambda c: f"{c.days_away.low}–{c.days_away.high}"),
    ("Regulation", lambda c: escape(f"{c.regulator}; {c.strictness}") + f"\n[dim]{escape(c.law)}[/dim]"),
    ("Visa", _visa),
    ("Flight", lambda c: f"{c.flight_hours:g} h" if c.flight_hours is not None else DASH),
    ("Total trip (USD)", lambda c: f"[bold]{fmt_span(c.total)}[/bold]" if c.total else DASH),
    ("Language", lambda c: escape(c.languages)),
    ("Insurance", lambda c: escape(c.insurance)),
]


def bars(cmp: Comparison, width: int = 48) -> list[str]:
    """Each country's price range as a bar on one shared scale from $0 to the highest price."""
    priced = [c for c in cmp.countries if c.price]
    if not priced:
        return []
    top = max(c.price.high for c in priced if c.price)
    lines = []
    name_w = max(len(c.name) for c in cmp.countries)
    for c in cmp.countries:
        if c.price is None:
            lines.append(f"{c.name:<{name_w}}  {DASH} no price")
            continue
        lo = round(c.price.low / top * width)
        hi = max(lo + 1, round(c.price.high / top * width))
        bar = " " * lo + "█" * (hi - lo) + " " * (width - hi)
        lines.append(f"{c.name:<{name_w}} │{bar}│ {fmt_span(c.price)}")
    lines.append(f"{'':<{name_w}}  $0{' ' * (width - 2)}${top:,}")
    return lines


def render_compare(console: Console, cat: Catalog, cmp: Comparison) -> None:
    what = cmp.joint or "single joint"
    who = f", for a patient from {cat.country_name(cmp.nationality)} via {cmp.airport}" if cmp.nationality else ""
    table = Table(title=f"Destinations compared: {what}{who}", title_justify="left", show_lines=True)
    table.add_column("")
    for c in cmp.countries:
        table.add_column(escape(f"{c.name} ({c.code})"))
    for label, get in ROWS:
        table.add_row(f"[bold]{label}[/bold]", *(get(c) for c in cmp.countries))  # type: ignore[operator]
    console.print(table)
    console.print("\n[bold]Price ranges on one scale (USD, treatment only)[/bold]")
    for line in bars(cmp):
        console.print(line, markup=False)
    if cmp.footnotes:
        console.print()
        for note in cmp.footnotes:
            console.print(f"[dim]{escape(note)}[/dim]")
    sources_footer(console, cat, cmp.sources, cmp.as_of)
