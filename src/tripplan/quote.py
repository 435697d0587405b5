"""quote: what the whole trip costs, per destination or clinic, next to the price at home."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from tripplan.catalog import Catalog
from tripplan.errors import UsageError
from tripplan.lookup import home_airport
from tripplan.models import Clinic, Price
from tripplan.money import Span, convert_span, span_of, to_usd
from tripplan.protocol import effective_protocol, visit_nights
from tripplan.travel import Frozen, Overrides, TravelCost, travel_cost
from tripplan.visas import VisaAnswer, visa_answer


class PriceLine(Frozen):
    """One source row behind a treatment range."""

    id: str
    treatment: str
    low: int
    high: int
    open_high: bool
    currency: str
    source: str
    note: str


class Treatment(Frozen):
    low: int
    high: int
    open_high: bool
    currency: str = "USD"
    sources: list[PriceLine]
    narrowed_by_condition: bool = False


class Home(Frozen):
    currency: str
    rate: float
    as_of: str
    rate_source: str
    low: int
    high: int


class Reference(Frozen):
    country: str
    low: int
    high: int
    open_high: bool
    sources: list[PriceLine]


class DestinationQuote(Frozen):
    destination: str
    name: str
    clinic: str | None = None
    clinic_name: str | None = None
    status: str  # "ok" or "no data"
    treatment: Treatment | None = None
    travel: TravelCost | None = None
    visa: VisaAnswer
    total: Span | None = None
    home: Home | None = None
    reference: Reference | None = None
    vs_home_pct: int | None = None
    notes: list[str] = Field(default_factory=list)


class QuoteResult(Frozen):
    joint: str
    condition: str | None
    nationality: str
    airport: str
    travellers: int
    currency: str
    destinations: list[DestinationQuote]
    notes: list[str]
    sources: list[str]
    as_of: dt.date


def _line(p: Price) -> PriceLine:
    """A price record as a source row."""
    return PriceLine(
        id=p.id,
        treatment=p.treatment,
        low=p.low,
        high=p.high,
        open_high=p.open_high,
        currency=p.currency,
        source=p.source,
        note=p.note,
    )


def matching_prices(prices: list[Price], joint: str, condition: str | None) -> tuple[list[Price], bool]:
    """Rows for the joint; narrowed to the condition where that leaves any. Returns (rows, narrowed)."""
    rows = [p for p in prices if joint in p.joints and p.currency == "USD"]
    if condition:
        narrowed = [p for p in rows if condition in p.conditions]
        if narrowed:
            return narrowed, True
    return rows, False


def clinic_lines(cat: Catalog, clinic: Clinic, joint: str) -> list[PriceLine]:
    """A clinic's own quotes for the joint (in USD), else the price records its profile refers to."""
    lines = [
        PriceLine(
            id=f"{clinic.id}:{q.treatment}",
            treatment=q.treatment,
            low=to_usd(q.low, cat.rate(q.currency)),
            high=to_usd(q.high, cat.rate(q.currency)),
            open_high=False,
            currency="USD",
            source=f"quote from {clinic.name}",
            note=q.note or (f"quoted {q.low:,}–{q.high:,} {q.currency}" if q.currency != "USD" else ""),
        )
        for q in clinic.quotes
        if joint in q.joints
    ]
    if lines:
        return lines
    refs = {p.id: p for p in cat.book.prices}
    return [_line(refs[r]) for r in clinic.price_refs if joint in refs[r].joints]


def treatment_for(lines: list[PriceLine], narrowed: bool = False) -> Treatment | None:
    if not lines:
        return None
    span = span_of([Span(low=x.low, high=x.high, open_high=x.open_high) for x in lines])
    return Treatment(
        low=span.low, high=span.high, open_high=span.open_high, sources=lines, narrowed_by_condition=narrowed
    )


def home_money(cat: Catalog, currency: str, overrides: Overrides) -> tuple[float, str, str]:
    """(units per USD, as-of, source) for the currency shown, honouring --rate."""
    if overrides.rate is not None:
        return overrides.rate, "your override", "override"
    if currency == "USD":
        return 1.0, "-", "-"
    rate = next(r for r in cat.book.rates if r.currency == currency)
    return rate.per_usd, rate.as_of, rate.source


def trip_visa(cat: Catalog, nationality: str, destination: str, clinic: Clinic | None) -> VisaAnswer:
    """The visa answer for the protocol's stays (each at its longest)."""
    nights = visit_nights(effective_protocol(cat, destination, clinic))
    return visa_answer(cat=cat, nationality=nationality, destination=destination, stays_days=[n[1] + 1 for n in nights])


def trip_travel(
    *,
    cat: Catalog,
    nationality: str,
    destination: str,
    clinic: Clinic | None,
    airport: str | None,
    travellers: int,
    visa: VisaAnswer,
    overrides: Overrides,
) -> TravelCost:
    """Travel cost of the destination's protocol (or the clinic's): shared by quote and compare."""
    city = clinic.city if clinic else next(iter(cat.countries[destination].cities), None)
    return travel_cost(
        cat=cat,
        nationality=nationality,
        home=home_airport(cat, nationality, airport),
        destination=destination,
        city=city,
        nights_per_trip=visit_nights(effective_protocol(cat, destination, clinic)),
        travellers=travellers,
        visa_needed=visa.fee_applies,
        overrides=overrides,
    )


def quote_one(
    *,
    cat: Catalog,
    joint: str,
    condition: str | None,
    nationality: str,
    destination: str,
    clinic: Clinic | None,
    airport: str | None,
    travellers: int,
    currency: str,
    overrides: Overrides,
) -> DestinationQuote:
    """The whole trip to one destination (or clinic): treatment + travel, in USD and `currency`."""
    if clinic is not None:
        treatment = treatment_for(clinic_lines(cat, clinic, joint))
    else:
        rows, narrowed = matching_prices([p for p in cat.book.prices if destination in p.countries], joint, condition)
        treatment = treatment_for([_line(p) for p in rows], narrowed)
    visa = trip_visa(cat, nationality, destination, clinic)
    ref_rows, _ = matching_prices([p for p in cat.book.prices if nationality in p.countries], joint, condition)
    ref_span = span_of([Span(low=p.low, high=p.high, open_high=p.open_high) for p in ref_rows]) if ref_rows else None
    reference = (
        Reference(
            country=nationality,
            low=ref_span.low,
            high=ref_span.high,
            open_high=ref_span.open_high,
            sources=[_line(p) for p in ref_rows],
        )
        if ref_span
        else None
    )
    notes = [
        n.text
        for n in cat.notes
        if n.destination == destination
        and n.applies(nationality=nationality, destination=destination, joint=joint, condition=condition)
    ]
    base = DestinationQuote(
        destination=destination,
        name=cat.country_name(destination),
        clinic=clinic.id if clinic else None,
        clinic_name=clinic.name if clinic else None,
        status="no data",
        visa=visa,
        reference=reference,
        notes=notes,
    )
    if treatment is None:
        return base
    travel = trip_travel(
        cat=cat,
        nationality=nationality,
        destination=destination,
        clinic=clinic,
        airport=airport,
        travellers=travellers,
        visa=visa,
        overrides=overrides,
    )
    total = Span(low=treatment.low, high=treatment.high, open_high=treatment.open_high) + travel.total
    rate, as_of, rate_source = home_money(cat, currency, overrides)
    local = convert_span(total, rate)
    home = Home(currency=currency, rate=rate, as_of=as_of, rate_source=rate_source, low=local.low, high=local.high)
    vs = round((total.mid - ref_span.mid) / ref_span.mid * 100) if ref_span and destination != nationality else None
    return base.model_copy(
        update={
            "status": "ok",
            "treatment": treatment,
            "travel": travel,
            "total": total,
            "home": home,
            "vs_home_pct": vs,
        }
    )


def quote(
    *,
    cat: Catalog,
    joint: str,
    condition: str | None,
    nationality: str,
    destinations: list[str] | None,
    clinic: Clinic | None,
    airport: str | None,
    companion: bool,
    currency: str | None,
    overrides: Overrides,
    today: dt.date,
) -> QuoteResult:
    """Every destination (or the one clinic), cheapest total first; "no data" ones last."""
    shown = currency or (cat.countries[nationality].currency if nationality in cat.countries else "USD")
    if overrides.rate is None and not cat.has_rate(shown):
        raise UsageError(
            f"no exchange rate for '{shown}'; give one with --rate or pick one of: USD, "
            + ", ".join(r.currency for r in cat.book.rates)
        )
    targets: list[tuple[str, Clinic | None]]
    if clinic is not None:
        targets = [(clinic.country, clinic)]
    else:
        chosen = destinations or [
            d
            for d in cat.destinations()
            if d != nationality and any(joint in p.joints for p in cat.book.prices if d in p.countries)
        ]
        targets = [(d, None) for d in chosen]
    home = home_airport(cat, nationality, airport)
    quotes = [
        quote_one(
            cat=cat,
            joint=joint,
            condition=condition,
            nationality=nationality,
            destination=d,
            clinic=c,
            airport=home.iata,
            travellers=2 if companion else 1,
            currency=shown,
            overrides=overrides,
        )
        for d, c in targets
    ]
    quotes.sort(key=lambda q: (q.total is None, q.total.low if q.total else 0, q.total.high if q.total else 0))
    used: list[str] = []
    for q in quotes:
        used += [q.visa.sources[0]] if q.visa.sources else []
        for block in (q.treatment, q.reference):
            used += [s.source for s in block.sources] if block else []
        used += [i.source for i in q.travel.items] if q.travel else []
        used += [q.home.rate_source] if q.home else []
    general = [
        n
        for n in cat.notes
        if n.destination is None
        and n.applies(nationality=nationality, destination="", joint=joint, condition=condition)
    ]
    used += [n.source for n in cat.notes if any(n.text in q.notes for q in quotes)] + [n.source for n in general]
    known = [s for s in dict.fromkeys(used) if s in cat.sources]
    return QuoteResult(
        joint=joint,
        condition=condition,
        nationality=nationality,
        airport=home.iata,
        travellers=2 if companion else 1,
        currency=shown,
        destinations=quotes,
        notes=[n.text for n in general],
        sources=known,
        as_of=today,
    )
