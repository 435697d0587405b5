"""Rendering of `tripplan quote`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.money import Span, fmt_span
from tripplan.quote import QuoteResult
from tripplan.render.common import fmt_home, no_rate_line, print_price_rows, rate_line, sources_footer
from tripplan.trip import Trip


def _vs(q: Trip) -> str:
    if q.vs_home_pct is None:
        return "—"
    if q.vs_home_pct < 0:
        return f"{-q.vs_home_pct}% cheaper"
    return f"{q.vs_home_pct}% dearer" if q.vs_home_pct else "about the same"


def render_quote(console: Console, cat: Catalog, r: QuoteResult) -> None:
    travellers = "1 traveller" if r.travellers == 1 else f"{r.travellers} travellers"
    what = " + ".join(x for x in (r.joint, r.treatment) if x)
    title = f"Whole-trip cost: {what}" + (f" ({r.condition})" if r.condition else "")
    title += f", from {cat.country_name(r.nationality)} via {r.airport}, {travellers}"
    table = Table(title=title, title_justify="left")
    local = r.currency != "USD"
    names = ["Destination", "Treatment (USD)", "Travel (USD)", "Total (USD)"] + (
        [f"Total ({r.currency})"] if local else []
    )
    for name in [*names, "Flight", "Visa", "vs home"]:
        table.add_column(name, justify="right" if name.startswith(("T", "F")) else "left")
    for q in r.destinations:
        label = q.clinic_name or q.name
        visa = q.visa.summary if q.visa else "—"
        if q.treatment is None or q.travel is None or q.total is None or q.home is None or q.flight is None:
            table.add_row(label, "no data", "—", "—", *(["—"] if local else []), "—", visa, "—")
            continue
        n = len(q.treatment.sources)
        table.add_row(
            label,
            f"{fmt_span(q.treatment.span)}\n[dim]{n} source row{'s' if n != 1 else ''}[/dim]",
            fmt_span(q.travel.total),
            f"[bold]{fmt_span(q.total)}[/bold]",
            *([fmt_home(q.home, q.total.open_high)] if local else []),
            f"{q.flight.hours:g} h",
            visa + (" → medical visa" if q.visa and q.visa.medical_visa_needed else ""),
            _vs(q),
        )
    console.print(table)
    if r.no_rate_for:
        console.print(escape(no_rate_line(r.no_rate_for)))
    elif r.rate is not None and r.currency != "USD":
        console.print(escape(f"{r.currency} totals at {rate_line(r.rate)}"))
    for q in r.destinations:
        _breakdown(console, cat, q)
    if r.notes:
        console.print("\n[bold]Notes[/bold]")
        for note in r.notes:
            console.print(f"  • {escape(note)}")
    console.print(
        "\n[dim]Amounts in USD unless marked. Travel amounts are assumptions you can override: "
        "--fare, --nightly, --daily, --visa-fee, --rate.[/dim]"
    )
    sources_footer(console, cat, r.sources, r.as_of)


def _breakdown(console: Console, cat: Catalog, q: Trip) -> None:
    console.print(f"\n[bold]{q.clinic_name or q.name}[/bold]")
    if q.treatment is None or q.travel is None or q.home is None:
        console.print("  Treatment: no data — the sources give no price for this joint here.")
    else:
        narrowed = " (narrowed to the condition)" if q.treatment.narrowed_by_condition else ""
        console.print(f"  Treatment, every source row that applies{narrowed}:")
        print_price_rows(console, q.treatment.sources)
        t = q.travel
        p = q.protocol
        console.print(
            f"  Trip: {t.trips} trip(s), {t.nights.low}–{t.nights.high} nights; flight {t.flight.origin}→{t.flight.destination} "
            + escape(f"{t.flight.hours:g} h ({t.flight.basis})")
        )
        console.print(
            escape(
                f"  Protocol: {p.processing}, {p.cell_source}; fly home {p.fly_home_after_hours} h after the treatment [{p.fly_home_source}]"
            )
        )
        if p.assumption:
            console.print(escape(f"  Assumption: {p.assumption}"))
        for item in t.items:
            mark = " [yellow](override)[/yellow]" if item.overridden else ""
            console.print(
                f"    {item.name}: {fmt_span(item.amount)}{mark} = " + escape(f"{item.basis} [{item.source}]")
            )
        if q.home.currency != "USD":
            console.print(escape(f"  Rate: {rate_line(q.home)}"))
    if q.reference is not None:
        ref = Span(low=q.reference.low, high=q.reference.high, open_high=q.reference.open_high)
        ids = ", ".join(dict.fromkeys(s.source for s in q.reference.sources))
        console.print(
            escape(
                f"  At home ({cat.country_name(q.reference.country)}): {fmt_span(ref)} [{ids}]; compared by midpoints: {_vs(q)}"
            )
        )
    else:
        console.print("  At home: no data for this joint in your country.")
    if q.safety is not None:
        console.print(escape(f"  Safety record: {q.safety.text} (tripplan safety --to {q.destination})"))
    v = q.visa
    if v is None:
        return
    console.print(f"  Visa: {v.summary} (passport-index, {v.dataset_date})")
    if v.medical_visa_needed and v.medical_visa is not None:
        console.print(
            escape(f"    {v.medical_visa.name}: {v.medical_visa.guarantor}; stays {', '.join(v.medical_visa.periods)}.")
        )
    for note in q.notes:
        console.print(f"  • {escape(note)}")
