"""Rendering of `tripplan quote`."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tripplan.catalog import Catalog
from tripplan.errors import listed
from tripplan.i18n import _
from tripplan.money import Span, fmt_span, fmt_span_words, range_text
from tripplan.quote import QuoteResult
from tripplan.render.common import cell, money_parts, print_if_fits, print_price_rows, say, sources_footer, table_title
from tripplan.trip import Trip
from tripplan.wording import (
    DETAILS_HINT,
    assumed_airport_line,
    at_home_label,
    cells_label,
    cells_short,
    converted,
    counted,
    fmt_home,
    hours,
    no_rate_line,
    rate_line,
    red_flags_line,
)
from tripplan.wording import parts as join_parts


def _vs(q: Trip) -> str:
    if q.vs_home_pct is None:
        return "—"
    if q.vs_home_pct < 0:
        return _("{pct}% cheaper").format(pct=-q.vs_home_pct)
    return _("{pct}% dearer").format(pct=q.vs_home_pct) if q.vs_home_pct else _("about the same")


def _cells(q: Trip) -> str:
    """The label of the kind of cells the trip's price rows are (never the protocol's over other rows)."""
    return cells_label(q.cells)


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
    table = Table(title=table_title(title), title_justify="left")
    local = r.currency != "USD"
    longest = max((cell_len(w) for q in r.destinations for w in (q.clinic_name or q.name).split()), default=8)
    table.add_column(_("Destination"), overflow="fold", min_width=max(longest, 11))
    table.add_column(_("Cells"), overflow="fold", min_width=12)
    money = [_("Treatment (USD)"), _("Travel (USD)")] if full else []
    totals = [_("Total (USD)"), *([_("Total ({currency})").format(currency=r.currency)] if local else [])]
    for name in [*money, *totals]:
        table.add_column(name, justify="right", no_wrap=True)
    if full:
        table.add_column(_("Flight"), justify="right", no_wrap=True)
        table.add_column(_("Visa"), overflow="fold", min_width=13)
        table.add_column(_("vs home"), overflow="fold", min_width=11)
    kind = None
    for q in r.destinations:
        if kind is not None and q.cells != kind:
            table.add_section()
        kind = q.cells
        label = escape(q.clinic_name or q.name)
        visa = escape(q.visa.summary) if q.visa else "—"
        if q.treatment is None or q.travel is None or q.total is None or q.home is None or q.flight is None:
            no_data = _("no data")
            cells = [label, _cells(q), *([no_data, "—"] if full else []), no_data, *(["—"] if local else [])]
            table.add_row(*map(cell, [*cells, *(["—", visa, "—"] if full else [])]))
            continue
        rows = counted(len(q.treatment.sources), "source row")
        spans = [f"{fmt_span(q.treatment.span)}\n[dim]{rows}[/dim]"] if full else []
        spans += [fmt_span(q.travel.total)] if full else []
        row = (
            label,
            _cells(q),
            *spans,
            f"[bold]{fmt_span(q.total)}[/bold]",
            *([escape(fmt_home(q.home, q.total.open_high))] if local else []),
            *(
                [
                    hours(q.flight.hours),
                    _("{visa} → medical visa").format(visa=visa) if q.visa and q.visa.medical_visa_needed else visa,
                    _vs(q),
                ]
                if full
                else []
            ),
        )
        table.add_row(*map(cell, row))
    return table


def _blocks(console: Console, r: QuoteResult, title: str) -> None:
    """One destination a block: for terminals too narrow for a table that shows every figure whole."""
    console.print(f"[bold]{escape(title)}[/bold]")
    for q in r.destinations:
        console.print(f"\n[bold]{escape(q.clinic_name or q.name)}[/bold] — {_cells(q)}")
        if q.treatment is None or q.travel is None or q.total is None or q.home is None:
            console.print("  " + _("no data"))
            continue
        labels = [_("Treatment"), _("Travel"), _("Total"), _("In {currency}").format(currency=r.currency)]
        pad = max(cell_len(x) for x in labels[: 4 if r.currency != "USD" else 3]) + 2
        treatment, travel, total, local = (x + " " * (pad - cell_len(x)) for x in labels)
        console.print(f"  {escape(treatment)}{fmt_span(q.treatment.span)}")
        console.print(f"  {escape(travel)}{fmt_span(q.travel.total)}")
        console.print(f"  [bold]{escape(total)}{fmt_span(q.total)}[/bold]")
        if r.currency != "USD":
            console.print(
                f"  {escape(local)}"
                + escape(
                    fmt_span_words(Span(low=q.home.low, high=q.home.high, open_high=q.total.open_high), r.currency)
                )
            )
        flight = hours(q.flight.hours) if q.flight else "—"
        visa = q.visa.summary if q.visa else "—"
        line = _("Flight {flight}; visa: {visa}; vs home: {vs}").format(flight=flight, visa=visa, vs=_vs(q))
        say(console, line, indent=2, hang=2)


def _answer_line(q: Trip) -> str:
    """One line per destination under the table: the visa, the safety record, and where its figures come
    from (the treatment's source ids, the travel assumptions' ids)."""
    parts = [""]
    if q.visa is not None:
        visa = _("visa: {summary} + medical visa") if q.visa.medical_visa_needed else _("visa: {summary}")
        parts = [visa.format(summary=q.visa.summary)]
    parts.append(_("safety: {text}").format(text=q.safety.text) if q.safety else "")
    if q.treatment is not None:
        ids = ", ".join(dict.fromkeys(r.source for r in q.treatment.sources))
        parts.append(_("prices [{ids}]").format(ids=ids))
    if q.travel is not None:
        parts.append(_("travel [{ids}]").format(ids=", ".join(dict.fromkeys(i.source for i in q.travel.items))))
    return f"{q.clinic_name or q.name} — " + join_parts([p for p in parts if p])


def _clinic_checks(console: Console, q: Trip) -> None:
    """A chosen clinic's red flags (how many, the most serious, where the rest are) and any warning about
    its figures: in the summary under its answer line, and at the head of its breakdown."""
    if q.red_flags is not None:
        say(console, red_flags_line(q.red_flags), indent=2, style="red" if q.red_flags.count else "green")
    for w in q.warnings:
        say(console, _("Warning: {warning}").format(warning=w), indent=2)


def render_quote(console: Console, cat: Catalog, r: QuoteResult, *, details: bool = False) -> None:
    """The answer first: the ranked table of totals (USD and the home currency), one line per destination
    with its visa, safety record and sources; with `details`, every source row, travel line, rate and note."""
    travellers = counted(r.travellers, "traveller")
    what = " + ".join(cat.label(kind, x) for kind, x in (("joint", r.joint), ("treatment", r.treatment)) if x)
    if r.condition:
        what = _("{what} ({condition})").format(what=what, condition=cat.label("condition", r.condition))
    where = {"what": what, "country": cat.country_name(r.nationality), "airport": r.airport, "travellers": travellers}
    if r.cells:
        title = _("Whole-trip cost: {what}, from {country} via {airport}, {travellers}, {cells} cells only").format(
            **where, cells=cells_short(r.cells)
        )
    else:
        title = _("Whole-trip cost: {what}, from {country} via {airport}, {travellers}").format(**where)
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
        say(console, _("Not listed: {reason}.").format(reason=m.reason))
    if r.no_rate_for:
        say(console, no_rate_line(r.no_rate_for))
    elif r.rate is not None and r.currency != "USD":
        say(console, _("{currency} totals at {rate}").format(currency=r.currency, rate=rate_line(r.rate)))
    if not details:
        say(console, _(DETAILS_HINT), style="dim")
        sources_footer(console, cat, r.sources, r.as_of, details=False)
        return
    for q in r.destinations:
        _breakdown(console, cat, q)
    if r.notes:
        console.print("\n[bold]" + _("Notes") + "[/bold]")
        for note in r.notes:
            say(console, f"• {note}", indent=2)
    console.print()
    say(
        console,
        _(
            "Amounts in USD unless marked. Travel amounts are assumptions you can override: "
            "--fare, --nightly, --daily, --visa-fee, --rate."
        ),
        style="dim",
    )
    sources_footer(console, cat, r.sources, r.as_of)


def _breakdown(console: Console, cat: Catalog, q: Trip) -> None:
    console.print(f"\n[bold]{escape(q.clinic_name or q.name)}[/bold]")
    _clinic_checks(console, q)
    if q.treatment is None or q.travel is None or q.home is None:
        say(console, _("Treatment: no data — the sources give no price for this joint here."), indent=2)
    else:
        head = (
            _("Treatment for {cells}, every source row that applies (narrowed to the condition):")
            if q.treatment.narrowed_by_condition
            else _("Treatment for {cells}, every source row that applies:")
        )
        say(console, head.format(cells=_cells(q)), indent=2)
        print_price_rows(console, q.treatment.sources, cat=cat)
    if q.other_cells:
        say(console, _("Rows for other kinds of cells (not in the range or the total):"), indent=2)
        print_price_rows(console, q.other_cells, cat=cat)
    if q.treatment is not None and q.travel is not None and q.home is not None:
        t = q.travel
        p = q.protocol
        if t.flight is None:
            say(console, _("Trip: treated in your own country: {basis}").format(basis=t.items[0].basis), indent=2)
        else:
            trip = (
                _(
                    "Trip: {trips} (stay through: one round trip), {nights} nights; "
                    "flight {origin}→{destination} {hours} ({basis})"
                )
                if q.stay_through
                else _("Trip: {trips}, {nights} nights; flight {origin}→{destination} {hours} ({basis})")
            )
            values = {"trips": counted(t.trips, "trip"), "nights": range_text(t.nights.low, t.nights.high)}
            values |= {"origin": t.flight.origin, "destination": t.flight.destination}
            say(console, trip.format(**values, hours=hours(t.flight.hours), basis=t.flight.basis), indent=2)
        if q.harvest is not None and q.injection is not None and q.injection != q.harvest:
            line = _(
                "Visits dated from the harvest on {harvest} as tripplan schedule lays them out (injection {injection})."
            )
            say(console, line.format(harvest=q.harvest, injection=q.injection), indent=2)
        elif q.harvest is not None:
            line = _("The visit dated from the treatment day {day} as tripplan schedule lays it out.")
            say(console, line.format(day=q.harvest), indent=2)
        protocol = _("Protocol: {processing}, {cell_source}; fly home {hours} h after the treatment [{source}]")
        values = {"processing": cells_short(p.processing), "cell_source": p.cell_source}
        say(console, protocol.format(**values, hours=p.fly_home_after_hours, source=p.fly_home_source), indent=2)
        if p.fly_home_said:
            say(console, _("Flying home, the sources: {said}").format(said=p.fly_home_said), indent=2)
        if p.assumption:
            say(console, _("Assumption: {assumption}").format(assumption=p.assumption), indent=2)
        for item in t.items:
            line = (
                _("{name}: {amount} (override) = {basis} [{source}]")
                if item.overridden
                else "{name}: {amount} = {basis} [{source}]"
            )
            values = {"name": item.name, "amount": fmt_span(item.amount), "basis": item.basis}
            say(console, line.format(**values, source=item.source), indent=4)
        for extra in t.optional:
            say(console, f"{extra.name}: {extra.basis} [{extra.source}]", indent=4)
        if q.home.currency != "USD":
            say(console, _("Rate: {rate}").format(rate=rate_line(q.home)), indent=2)
    if q.reference is not None:
        ref = Span(low=q.reference.low, high=q.reference.high, open_high=q.reference.open_high)
        ids = ", ".join(dict.fromkeys(s.source for s in q.reference.sources))
        label = at_home_label(cat.country_name(q.reference.country), [s.processing for s in q.reference.sources])
        values = {"label": label, "price": fmt_span(ref), "ids": ids, "vs": _vs(q)}
        if q.reference_home is not None:
            local = converted(q.reference_home, ref.open_high)
            line = _("{label}: {price} = {local} [{ids}]; compared by midpoints: {vs}").format(**values, local=local)
        else:
            line = _("{label}: {price} [{ids}]; compared by midpoints: {vs}").format(**values)
        say(console, line, indent=2)
        if q.reference.other_cells:
            say(console, _("At home, rows for other kinds of cells (not in that range):"), indent=4)
            print_price_rows(console, q.reference.other_cells, cat=cat)
    else:
        say(console, _("At home: no data for this joint in your country."), indent=2)
    for rule in q.home_rules:
        where = rule.region_name or cat.country_name(rule.country)
        line = _("At home in {where}: {rule} [{sources}]")
        say(console, line.format(where=where, rule=rule.home_rule, sources=", ".join(rule.sources)), indent=4)
    if q.home_rules:
        named = ", ".join(r.region_name for r in q.home_rules if r.region_name)
        say(
            console,
            _("Other states: no such law in tripplan's sources (it holds {named}).").format(named=named),
            indent=4,
        )
    for fig in q.figures:
        say(console, _("From the sources: {text} [{source}]").format(text=fig.text, source=fig.source), indent=2)
    if q.safety is not None:
        line = _("Safety record: {text} (tripplan safety --to {code})")
        say(console, line.format(text=q.safety.text, code=q.destination), indent=2)
    v = q.visa
    if v is None:
        return
    say(console, _("Visa: {summary} (passport-index, {date})").format(summary=v.summary, date=v.dataset_date), indent=2)
    if v.medical_visa_needed and v.medical_visa is not None:
        m = v.medical_visa
        line = _("{name}: {guarantor}; stays {periods}.")
        say(console, line.format(name=m.name, guarantor=m.guarantor, periods=listed(m.periods)), indent=4)
    for note in q.notes:
        say(console, f"• {note}", indent=2)
