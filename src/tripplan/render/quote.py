"""Rendering of `tripplan quote`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.money import Span, fmt_span
from tripplan.quote import QuoteResult
from tripplan.render.common import money_parts, print_if_fits, print_price_rows, sources_footer
from tripplan.trip import Trip
from tripplan.wording import assumed_airport_line, fmt_home, no_rate_line, rate_line, red_flags_line


def _vs(q: Trip) -> str:
    if q.vs_home_pct is None:
        return "—"
    if q.vs_home_pct < 0:
        return f"{-q.vs_home_pct}% cheaper"
    return f"{q.vs_home_pct}% dearer" if q.vs_home_pct else "about the same"


CELLS = {
    "cultured": "cultured (own cells, grown for weeks)",
    "same-day": "same-day (own cells, not grown)",
    "donor": "donor cells",
    "cell-free": "cell-free",
    "none": "no cells",
}


def _cells(q: Trip) -> str:
    return CELLS.get(q.protocol.processing, q.protocol.processing)


def _figures(r: QuoteResult, *, full: bool) -> list[str]:
    """Every money figure of the summary: none may be cut or broken, whatever the width."""
    out: list[str] = []
    for q in r.destinations:
        spans = [q.treatment.span if q.treatment else None, q.travel.total if q.travel else None] if full else []
        spans.append(q.total)
        out += [p for s in spans if s is not None for p in money_parts(fmt_span(s))]
        if q.home is not None and q.total is not None and r.currency != "USD":
            out += money_parts(fmt_home(q.home, q.total.open_high))
        out += [q.clinic_name or q.name] if len(q.clinic_name or q.name) <= 20 else []
    return out


def _table(r: QuoteResult, title: str, *, full: bool) -> Table:
    table = Table(title=title, title_justify="left")
    local = r.currency != "USD"
    longest = max((len(w) for q in r.destinations for w in (q.clinic_name or q.name).split()), default=8)
    table.add_column("Destination", overflow="fold", min_width=max(longest, 11))
    table.add_column("Cells", overflow="fold", min_width=12)
    money = ["Treatment (USD)", "Travel (USD)"] if full else []
    for name in [*money, "Total (USD)", *([f"Total ({r.currency})"] if local else [])]:
        table.add_column(name, justify="right", no_wrap=True)
    if full:
        table.add_column("Flight", justify="right", no_wrap=True)
        table.add_column("Visa", overflow="fold", min_width=13)
        table.add_column("vs home", overflow="fold", min_width=11)
    kind = None
    for q in r.destinations:
        if kind is not None and q.protocol.processing != kind:
            table.add_section()
        kind = q.protocol.processing
        label = escape(q.clinic_name or q.name)
        visa = escape(q.visa.summary) if q.visa else "—"
        if q.treatment is None or q.travel is None or q.total is None or q.home is None or q.flight is None:
            cells = [label, _cells(q), *(["no data", "—"] if full else []), "no data", *(["—"] if local else [])]
            table.add_row(*cells, *(["—", visa, "—"] if full else []))
            continue
        n = len(q.treatment.sources)
        spans = [f"{fmt_span(q.treatment.span)}\n[dim]{n} source row{'s' if n != 1 else ''}[/dim]"] if full else []
        spans += [fmt_span(q.travel.total)] if full else []
        table.add_row(
            label,
            _cells(q),
            *spans,
            f"[bold]{fmt_span(q.total)}[/bold]",
            *([escape(fmt_home(q.home, q.total.open_high))] if local else []),
            *(
                [
                    f"{q.flight.hours:g} h",
                    visa + (" → medical visa" if q.visa and q.visa.medical_visa_needed else ""),
                    _vs(q),
                ]
                if full
                else []
            ),
        )
    return table


def _blocks(console: Console, r: QuoteResult, title: str) -> None:
    """One destination a block: for terminals too narrow for a table that shows every figure whole."""
    console.print(f"[bold]{escape(title)}[/bold]")
    for q in r.destinations:
        console.print(f"\n[bold]{escape(q.clinic_name or q.name)}[/bold] — {_cells(q)}")
        if q.treatment is None or q.travel is None or q.total is None or q.home is None:
            console.print("  no data")
            continue
        console.print(f"  Treatment  {fmt_span(q.treatment.span)}")
        console.print(f"  Travel     {fmt_span(q.travel.total)}")
        console.print(f"  [bold]Total      {fmt_span(q.total)}[/bold]")
        if r.currency != "USD":
            console.print(f"  In {r.currency}     " + escape(fmt_home(q.home, q.total.open_high)))
        flight = f"{q.flight.hours:g} h" if q.flight else "—"
        visa = q.visa.summary if q.visa else "—"
        console.print(escape(f"  Flight {flight}; visa: {visa}; vs home: {_vs(q)}"))


def render_quote(console: Console, cat: Catalog, r: QuoteResult) -> None:
    travellers = "1 traveller" if r.travellers == 1 else f"{r.travellers} travellers"
    what = " + ".join(x for x in (r.joint, r.treatment) if x)
    title = f"Whole-trip cost: {what}" + (f" ({r.condition})" if r.condition else "")
    title += f", from {cat.country_name(r.nationality)} via {r.airport}, {travellers}"
    title += f", {r.cells} cells only" if r.cells else ""
    for full in (True, False):
        table = _table(r, escape(title), full=full)
        if print_if_fits(console, table, _figures(r, full=full)):
            break
    else:
        _blocks(console, r, title)
    if (line := assumed_airport_line(r.airport_assumed)) is not None:
        console.print(escape(line))
    for m in r.missing:
        console.print(escape(f"Not listed: {m.reason}."))
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
    console.print(f"\n[bold]{escape(q.clinic_name or q.name)}[/bold]")
    if q.red_flags is not None:
        style = "red" if q.red_flags.count else "green"
        console.print(f"  [{style}]" + escape(red_flags_line(q.red_flags)) + "[/]")
    for w in q.warnings:
        console.print("  " + escape(f"Warning: {w}"))
    if q.treatment is None or q.travel is None or q.home is None:
        console.print("  Treatment: no data — the sources give no price for this joint here.")
    else:
        narrowed = " (narrowed to the condition)" if q.treatment.narrowed_by_condition else ""
        console.print(f"  Treatment, every source row that applies{narrowed}:")
        print_price_rows(console, q.treatment.sources)
        t = q.travel
        p = q.protocol
        shape = " (stay through: one round trip)" if q.stay_through else ""
        if t.flight is None:
            console.print("  Trip: treated in your own country: " + escape(t.items[0].basis))
        else:
            console.print(
                f"  Trip: {t.trips} trip(s){shape}, {t.nights.low}–{t.nights.high} nights; "
                + escape(f"flight {t.flight.origin}→{t.flight.destination} {t.flight.hours:g} h ({t.flight.basis})")
            )
        console.print(
            escape(
                f"  Protocol: {p.processing}, {p.cell_source}; fly home {p.fly_home_after_hours} h after the treatment [{p.fly_home_source}]"
            )
        )
        if p.fly_home_said:
            console.print(escape(f"  Flying home, the sources: {p.fly_home_said}"))
        if p.assumption:
            console.print(escape(f"  Assumption: {p.assumption}"))
        for item in t.items:
            mark = " [yellow](override)[/yellow]" if item.overridden else ""
            console.print(
                f"    {escape(item.name)}: {fmt_span(item.amount)}{mark} = " + escape(f"{item.basis} [{item.source}]")
            )
        for extra in t.optional:
            console.print(escape(f"    {extra.name}: {extra.basis} [{extra.source}]"))
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
    for rule in q.home_rules:
        where = rule.region_name or cat.country_name(rule.country)
        console.print(escape(f"    At home in {where}: {rule.home_rule} [{', '.join(rule.sources)}]"))
    if q.home_rules:
        named = ", ".join(r.region_name for r in q.home_rules if r.region_name)
        console.print(escape(f"    Other states: no such law in tripplan's sources (it holds {named})."))
    for fig in q.figures:
        console.print(escape(f"  From the sources: {fig.text} [{fig.source}]"))
    if q.safety is not None:
        console.print(escape(f"  Safety record: {q.safety.text} (tripplan safety --to {q.destination})"))
    v = q.visa
    if v is None:
        return
    console.print(escape(f"  Visa: {v.summary} (passport-index, {v.dataset_date})"))
    if v.medical_visa_needed and v.medical_visa is not None:
        console.print(
            escape(f"    {v.medical_visa.name}: {v.medical_visa.guarantor}; stays {', '.join(v.medical_visa.periods)}.")
        )
    for note in q.notes:
        console.print(f"  • {escape(note)}")
