"""Rendering of `tripplan quote`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.money import Span, fmt_span
from tripplan.quote import QuoteResult
from tripplan.render.common import money_parts, print_if_fits, print_price_rows, say, sources_footer
from tripplan.trip import Trip
from tripplan.wording import (
    CELLS,
    DETAILS_HINT,
    OTHER_CELLS,
    assumed_airport_line,
    at_home_label,
    converted,
    counted,
    fmt_home,
    no_rate_line,
    rate_line,
    red_flags_line,
)


def _vs(q: Trip) -> str:
    if q.vs_home_pct is None:
        return "—"
    if q.vs_home_pct < 0:
        return f"{-q.vs_home_pct}% cheaper"
    return f"{q.vs_home_pct}% dearer" if q.vs_home_pct else "about the same"


def _cells(q: Trip) -> str:
    """The label of the kind of cells the trip's price rows are (never the protocol's over other rows)."""
    return CELLS.get(q.cells, q.cells)


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
        if kind is not None and q.cells != kind:
            table.add_section()
        kind = q.cells
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


def _answer_line(q: Trip) -> str:
    """One line per destination under the table: the visa, the safety record, and where its figures come
    from (the treatment's source ids, the travel assumptions' ids)."""
    parts = [f"visa: {q.visa.summary}" + (" + medical visa" if q.visa.medical_visa_needed else "") if q.visa else ""]
    parts.append(f"safety: {q.safety.text}" if q.safety else "")
    if q.treatment is not None:
        parts.append("prices [" + ", ".join(dict.fromkeys(r.source for r in q.treatment.sources)) + "]")
    if q.travel is not None:
        parts.append("travel [" + ", ".join(dict.fromkeys(i.source for i in q.travel.items)) + "]")
    return f"{q.clinic_name or q.name} — " + "; ".join(p for p in parts if p)


def _clinic_checks(console: Console, q: Trip) -> None:
    """A chosen clinic's red flags (how many, the most serious, where the rest are) and any warning about
    its figures: in the summary under its answer line, and at the head of its breakdown."""
    if q.red_flags is not None:
        say(console, red_flags_line(q.red_flags), indent=2, style="red" if q.red_flags.count else "green")
    for w in q.warnings:
        say(console, f"Warning: {w}", indent=2)


def render_quote(console: Console, cat: Catalog, r: QuoteResult, *, details: bool = False) -> None:
    """The answer first: the ranked table of totals (USD and the home currency), one line per destination
    with its visa, safety record and sources; with `details`, every source row, travel line, rate and note."""
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
    if not details:
        for q in r.destinations:
            say(console, _answer_line(q), indent=0, hang=2)
            _clinic_checks(console, q)
    if (line := assumed_airport_line(r.airport_assumed)) is not None:
        say(console, line)
    for m in r.missing:
        say(console, f"Not listed: {m.reason}.")
    if r.no_rate_for:
        say(console, no_rate_line(r.no_rate_for))
    elif r.rate is not None and r.currency != "USD":
        say(console, f"{r.currency} totals at {rate_line(r.rate)}")
    if not details:
        say(console, DETAILS_HINT, style="dim")
        sources_footer(console, cat, r.sources, r.as_of, details=False)
        return
    for q in r.destinations:
        _breakdown(console, cat, q)
    if r.notes:
        console.print("\n[bold]Notes[/bold]")
        for note in r.notes:
            say(console, f"• {note}", indent=2)
    console.print()
    say(
        console,
        "Amounts in USD unless marked. Travel amounts are assumptions you can override: "
        "--fare, --nightly, --daily, --visa-fee, --rate.",
        style="dim",
    )
    sources_footer(console, cat, r.sources, r.as_of)


def _breakdown(console: Console, cat: Catalog, q: Trip) -> None:
    console.print(f"\n[bold]{escape(q.clinic_name or q.name)}[/bold]")
    _clinic_checks(console, q)
    if q.treatment is None or q.travel is None or q.home is None:
        say(console, "Treatment: no data — the sources give no price for this joint here.", indent=2)
    else:
        narrowed = " (narrowed to the condition)" if q.treatment.narrowed_by_condition else ""
        say(console, f"Treatment for {_cells(q)}, every source row that applies{narrowed}:", indent=2)
        print_price_rows(console, q.treatment.sources)
    if q.other_cells:
        say(console, f"{OTHER_CELLS[0].upper()}{OTHER_CELLS[1:]}:", indent=2)
        print_price_rows(console, q.other_cells)
    if q.treatment is not None and q.travel is not None and q.home is not None:
        t = q.travel
        p = q.protocol
        shape = " (stay through: one round trip)" if q.stay_through else ""
        if t.flight is None:
            say(console, "Trip: treated in your own country: " + t.items[0].basis, indent=2)
        else:
            nights = f"{t.nights.low}" if t.nights.low == t.nights.high else f"{t.nights.low}–{t.nights.high}"
            say(
                console,
                f"Trip: {counted(t.trips, 'trip')}{shape}, {nights} nights; flight "
                f"{t.flight.origin}→{t.flight.destination} {t.flight.hours:g} h ({t.flight.basis})",
                indent=2,
            )
        if q.harvest is not None and q.injection is not None and q.injection != q.harvest:
            say(
                console,
                f"Visits dated from the harvest on {q.harvest} as tripplan schedule lays them out (injection {q.injection}).",
                indent=2,
            )
        elif q.harvest is not None:
            say(
                console,
                f"The visit dated from the treatment day {q.harvest} as tripplan schedule lays it out.",
                indent=2,
            )
        say(
            console,
            f"Protocol: {p.processing}, {p.cell_source}; fly home {p.fly_home_after_hours} h after the treatment "
            f"[{p.fly_home_source}]",
            indent=2,
        )
        if p.fly_home_said:
            say(console, f"Flying home, the sources: {p.fly_home_said}", indent=2)
        if p.assumption:
            say(console, f"Assumption: {p.assumption}", indent=2)
        for item in t.items:
            mark = " (override)" if item.overridden else ""
            say(console, f"{item.name}: {fmt_span(item.amount)}{mark} = {item.basis} [{item.source}]", indent=4)
        for extra in t.optional:
            say(console, f"{extra.name}: {extra.basis} [{extra.source}]", indent=4)
        if q.home.currency != "USD":
            say(console, f"Rate: {rate_line(q.home)}", indent=2)
    if q.reference is not None:
        ref = Span(low=q.reference.low, high=q.reference.high, open_high=q.reference.open_high)
        ids = ", ".join(dict.fromkeys(s.source for s in q.reference.sources))
        label = at_home_label(cat.country_name(q.reference.country), [s.processing for s in q.reference.sources])
        if q.reference_home is not None:
            local = converted(q.reference_home, ref.open_high)
            say(console, f"{label}: {fmt_span(ref)} = {local} [{ids}]; compared by midpoints: {_vs(q)}", indent=2)
        else:
            say(console, f"{label}: {fmt_span(ref)} [{ids}]; compared by midpoints: {_vs(q)}", indent=2)
    else:
        say(console, "At home: no data for this joint in your country.", indent=2)
    for rule in q.home_rules:
        where = rule.region_name or cat.country_name(rule.country)
        say(console, f"At home in {where}: {rule.home_rule} [{', '.join(rule.sources)}]", indent=4)
    if q.home_rules:
        named = ", ".join(r.region_name for r in q.home_rules if r.region_name)
        say(console, f"Other states: no such law in tripplan's sources (it holds {named}).", indent=4)
    for fig in q.figures:
        say(console, f"From the sources: {fig.text} [{fig.source}]", indent=2)
    if q.safety is not None:
        say(console, f"Safety record: {q.safety.text} (tripplan safety --to {q.destination})", indent=2)
    v = q.visa
    if v is None:
        return
    say(console, f"Visa: {v.summary} (passport-index, {v.dataset_date})", indent=2)
    if v.medical_visa_needed and v.medical_visa is not None:
        m = v.medical_visa
        say(console, f"{m.name}: {m.guarantor}; stays {', '.join(m.periods)}.", indent=4)
    for note in q.notes:
        say(console, f"• {note}", indent=2)
