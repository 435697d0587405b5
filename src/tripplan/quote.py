"""quote: what the whole trip costs, per destination or clinic, next to the price at home."""

from __future__ import annotations

import datetime as dt

from tripplan.catalog import Catalog
from tripplan.errors import UsageError
from tripplan.lookup import home_airport
from tripplan.models import Clinic, Frozen
from tripplan.prices import applies
from tripplan.travel import Overrides
from tripplan.trip import Rated, Trip, home_money, resolve_trip


class QuoteResult(Frozen):
    joint: str | None
    condition: str | None
    treatment: str | None = None
    nationality: str
    airport: str
    travellers: int
    currency: str
    no_rate_for: str | None = None
    rate: Rated | None = None
    destinations: list[Trip]
    notes: list[str]
    sources: list[str]
    as_of: dt.date


def trip_sources(trips: list[Trip]) -> list[str]:
    """Every source id the trips' figures rest on, in first-use order."""
    used: list[str] = []
    for t in trips:
        used += t.visa.sources[:1] if t.visa else []
        for block in (t.treatment, t.reference):
            used += [s.source for s in block.sources] if block else []
        used += [i.source for i in t.travel.items] if t.travel else []
        used += [t.home.rate_source] if t.home else []
        used += [t.protocol.source, t.protocol.fly_home_source]
    return list(dict.fromkeys(used))


def priced_destinations(cat: Catalog, *, joint: str | None, treatment: str | None, exclude: str | None) -> list[str]:
    """Destinations with a price that applies, in catalog order."""
    return [
        code
        for code, c in cat.countries.items()
        if c.cities
        and code != exclude
        and any(code in p.countries and applies(p, joint=joint, treatment=treatment) for p in cat.book.prices)
    ]


def quote(
    *,
    cat: Catalog,
    joint: str | None,
    condition: str | None,
    treatment: str | None = None,
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
    if joint is None and treatment is None:
        raise UsageError("give a joint or a treatment to price", field="joint")
    shown = currency or cat.home_currency(nationality)
    rated = home_money(cat, shown, overrides, today)  # an unknown currency is refused before any work
    targets: list[tuple[str, Clinic | None]]
    if clinic is not None:
        targets = [(clinic.country, clinic)]
    else:
        chosen = destinations or priced_destinations(cat, joint=joint, treatment=treatment, exclude=nationality)
        targets = [(d, None) for d in chosen]
    home = home_airport(cat, nationality, airport)
    trips = [
        resolve_trip(
            cat=cat,
            destination=d,
            clinic=c,
            joint=joint,
            condition=condition,
            treatment=treatment,
            nationality=nationality,
            airport=home.iata,
            travellers=2 if companion else 1,
            currency=shown,
            overrides=overrides,
            today=today,
        )
        for d, c in targets
    ]
    trips.sort(key=lambda t: (t.total is None, t.total.low if t.total else 0, t.total.high if t.total else 0))
    general = [
        n
        for n in cat.notes
        if n.destination is None
        and n.applies(nationality=nationality, destination="", joint=joint or "", condition=condition)
    ]
    used = trip_sources(trips)
    used += [n.source for n in cat.notes if any(n.text in t.notes for t in trips)] + [n.source for n in general]
    return QuoteResult(
        joint=joint,
        condition=condition,
        treatment=treatment,
        nationality=nationality,
        airport=home.iata,
        travellers=2 if companion else 1,
        currency=shown if rated else "USD",
        no_rate_for=None if rated else shown,
        rate=rated,
        destinations=trips,
        notes=[n.text for n in general],
        sources=[s for s in dict.fromkeys(used) if s in cat.sources],
        as_of=today,
    )
