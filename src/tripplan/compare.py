"""compare: destinations side by side, the way the articles' tables do, for this patient."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from tripplan.catalog import Catalog
from tripplan.lookup import home_airport
from tripplan.money import Span, span_of
from tripplan.protocol import effective_protocol, nights_and_days, visit_nights
from tripplan.quote import PriceLine, _line, matching_prices, trip_travel, trip_visa
from tripplan.travel import Frozen, Overrides, flight, nearest_hub
from tripplan.visas import VisaAnswer

Sort = Literal["given", "name", "cost", "flight"]


class Column(Frozen):
    code: str
    name: str
    price: Span | None
    price_sources: list[PriceLine]
    processing: str
    cell_source: str
    cell_count: str
    trips: int
    days_away: Span
    law: str
    regulator: str
    strictness: str
    visa: VisaAnswer | None
    flight_hours: float | None
    total: Span | None
    languages: str
    insurance: str
    assumption: str


class Comparison(Frozen):
    joint: str | None
    nationality: str | None
    airport: str | None
    sort: Sort
    countries: list[Column]
    footnotes: list[str]
    sources: list[str]
    as_of: dt.date


def _prices(cat: Catalog, code: str, joint: str | None) -> list[PriceLine]:
    rows = [p for p in cat.book.prices if code in p.countries]
    if joint is None:
        return [_line(p) for p in rows if p.scope == "single-joint"]
    return [_line(p) for p in matching_prices(rows, joint, None)[0]]


def column(*, cat: Catalog, code: str, joint: str | None, nationality: str | None, airport: str | None) -> Column:
    country = cat.countries[code]
    protocol = effective_protocol(cat, code, None)
    nights = visit_nights(protocol)
    days = nights_and_days(nights)[1]
    lines = _prices(cat, code, joint)
    price = span_of([Span(low=x.low, high=x.high, open_high=x.open_high) for x in lines]) if lines else None
    visa: VisaAnswer | None = None
    hours: float | None = None
    total: Span | None = None
    if nationality is not None:
        visa = trip_visa(cat, nationality, code, None)
        home = home_airport(cat, nationality, airport)
        hours = flight(home, nearest_hub(cat, home, code, next(iter(country.cities), None))).hours
        if price is not None and country.cities:
            travel = trip_travel(
                cat=cat,
                nationality=nationality,
                destination=code,
                clinic=None,
                airport=home.iata,
                travellers=1,
                visa=visa,
                overrides=Overrides(),
            )
            total = price + travel.total
    return Column(
        code=code,
        name=country.name,
        price=price,
        price_sources=lines,
        processing=protocol.processing,
        cell_source=protocol.cell_source,
        cell_count=country.cell_count,
        trips=protocol.trips,
        days_away=days,
        law=country.law,
        regulator=country.regulator,
        strictness=country.strictness,
        visa=visa,
        flight_hours=hours,
        total=total,
        languages=country.languages,
        insurance=country.insurance,
        assumption=protocol.assumption,
    )


def _cost(c: Column, missing: int) -> int:
    best = c.total or c.price
    return best.low if best is not None else missing


def compare(
    *,
    cat: Catalog,
    codes: list[str],
    joint: str | None,
    nationality: str | None,
    airport: str | None,
    sort: Sort,
    today: dt.date,
) -> Comparison:
    cols = [column(cat=cat, code=c, joint=joint, nationality=nationality, airport=airport) for c in codes]
    big = 10**12
    if sort == "name":
        cols.sort(key=lambda c: c.name)
    elif sort == "cost":
        cols.sort(key=lambda c: _cost(c, big))
    elif sort == "flight":
        cols.sort(key=lambda c: c.flight_hours if c.flight_hours is not None else big)
    notes = []
    if any(c.price is None for c in cols):
        what = f"the {joint}" if joint else "single-joint treatment"
        notes.append(f"— no price: the sources give none for {what} there; try --joint.")
    if nationality is None:
        notes.append("Visa, flight time and total trip cost need --from NATIONALITY.")
    elif any(c.total is None for c in cols):
        notes.append("— no total: no treatment price (or no treatment city) to add the trip to.")
    notes += [f"{c.code}: {c.assumption}" for c in cols if c.assumption]
    sources: list[str] = []
    for c in cols:
        sources += [x.source for x in c.price_sources] + cat.countries[c.code].sources
        sources += c.visa.sources[:1] if c.visa else []
    if nationality is not None:
        sources.append("tripplan-assumptions")
    return Comparison(
        joint=joint,
        nationality=nationality,
        airport=home_airport(cat, nationality, airport).iata if nationality else None,
        sort=sort,
        countries=cols,
        footnotes=notes,
        sources=[s for s in dict.fromkeys(sources) if s in cat.sources],
        as_of=today,
    )
