"""Rendering of the `tripplan clinics` commands."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.models import Clinic
from tripplan.money import Span, fmt_span
from tripplan.prices import clinic_prices, treatment_for
from tripplan.redflags import ClinicCheck
from tripplan.render.common import print_if_fits, sources_footer
from tripplan.wording import amount_line, counted


def _kind(cat: Catalog, c: Clinic) -> str:
    return "yours" if c.id in cat.user_clinic_ids else "shipped profile"


def _price(cat: Catalog, c: Clinic, joint: str | None) -> str:
    """Each quoted amount in its own currency and in USD with the rate's day, one a line."""
    lines = clinic_prices(cat, c, joint)
    if not lines:
        return "—"
    if c.quotes:
        return "\n".join(amount_line(x) for x in lines)
    t = treatment_for(lines)
    rows = f" ({len(lines)} source rows)" if len(lines) > 1 else ""
    return (fmt_span(t.span) + rows) if t else "—"


def render_list(console: Console, cat: Catalog, clinics: list[Clinic], joint: str | None) -> None:
    table = Table(title="Clinics", title_justify="left")
    table.add_column("Id", no_wrap=True)
    table.add_column("Kind", overflow="fold", min_width=7)
    table.add_column("Name", overflow="fold", min_width=12)
    table.add_column("City", overflow="fold", min_width=8)
    table.add_column("Cells", overflow="fold", min_width=10)
    table.add_column("Price as quoted = USD", overflow="fold", min_width=12)
    table.add_column("Licence", overflow="fold", min_width=8)
    rows = [(c, _price(cat, c, joint)) for c in clinics]
    figures = [p for _, price in rows for p in price.split("\n")]
    for c, price in rows:
        table.add_row(
            escape(c.id),
            _kind(cat, c),
            escape(c.name),
            escape(f"{c.city}, {c.country}"),
            escape(f"{c.processing} {c.cell_source}"),
            escape(price),
            escape(c.licence or "—"),
        )
    if not print_if_fits(
        console, table, [c.id for c in clinics] + figures
    ):  # one clinic a block: ids and prices stay whole
        console.print("[bold]Clinics[/bold]")
        for c, price in rows:
            console.print(f"\n[bold]{escape(c.id)}[/bold] ({_kind(cat, c)})")
            for label, value in (
                ("Name", c.name),
                ("City", f"{c.city}, {c.country}"),
                ("Cells", f"{c.processing} {c.cell_source}"),
                ("Price", price.replace("\n", "; ")),
                ("Licence", c.licence or "—"),
            ):
                console.print(Padding(escape(f"{label}: {value}"), (0, 0, 0, 2)))
    if not clinics:
        console.print("No clinic matches.")


def _plan(cat: Catalog, c: Clinic) -> str:
    if not c.plan_number:
        return "not recorded"
    where = cat.countries[c.country].licence_register if c.country in cat.countries else None
    look = f"; look it up on {where}" if where else ""
    return f"{c.plan_number} (as the clinic gave it; tripplan has not verified it{look})"


def render_show(console: Console, cat: Catalog, c: Clinic) -> None:
    console.print(f"[bold]{escape(c.name)}[/bold] ({escape(c.id)}, {_kind(cat, c)})")
    rows = [
        ("Where", f"{c.city}, {cat.country_name(c.country)}"),
        ("Licence", c.licence or "not recorded"),
        ("Plan number", _plan(cat, c)),
        ("Committee", c.committee or "not recorded"),
        ("ASRM class", c.asrm_class or "not recorded"),
        ("Route", (c.route or "not recorded") + (f" (as given: {c.route_as_given})" if c.route_as_given else "")),
        ("Processor", c.processor or "not recorded"),
        ("Claims", c.claims or "—"),
        ("Cells", f"{c.processing}, {c.cell_source}"),
        ("Languages", ", ".join(c.languages) or "not recorded"),
        (
            "Culture window (weeks)",
            "-".join(map(str, c.culture_weeks)) if c.culture_weeks else "the country's protocol",
        ),
        ("Weekly closed days", ", ".join(c.closed_weekdays) or "none recorded"),
        ("Contact", c.contact or "—"),
        ("Source", c.source or "your own record"),
        ("Note", c.note or "—"),
    ]
    for label, value in rows:
        console.print(f"  {label}: {escape(value)}")
    for q in c.quotes:
        amount = fmt_span(Span(low=q.low, high=q.high), q.currency)
        when = f", quoted on {q.quoted_on}" if q.quoted_on else ""
        console.print(escape(f"  Quote: {q.treatment} ({', '.join(q.joints)}): {amount}{when} {q.note}".rstrip()))
    for p in map(cat.price, c.price_refs):
        if p is None:
            continue  # every ref is known (validate.py)
        console.print(
            escape(
                f"  Price: ${p.low:,}–{p.high:,}{'+' if p.open_high else ''} {p.treatment} ({', '.join(p.joints) or p.scope}) [{p.source}]"
            )
        )


def render_checks(console: Console, cat: Catalog, checks: list[ClinicCheck], today: dt.date) -> None:
    for ch in checks:
        head = f"[bold]{escape(ch.name)}[/bold] ({escape(ch.clinic)})"
        if not ch.flags:
            console.print(f"{head}: [green]no red flags[/green]")
            continue
        console.print(f"{head}: [red]{counted(len(ch.flags), 'red flag')}[/red]")
        for f in ch.flags:
            console.print(f"  [red]✗[/red] {escape(f.message)} " + escape(f"[{', '.join(f.sources)}]"))
    cited = [s for ch in checks for s in ch.sources]
    if cited:
        sources_footer(console, cat, cited, today)
