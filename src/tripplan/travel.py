"""Travel: distance and flight time between airports, and what the trips cost."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from tripplan.catalog import Catalog
from tripplan.i18n import N_, _, ngettext
from tripplan.models import Airport
from tripplan.money import Span, range_text, to_usd
from tripplan.protocol import nights_and_days
from tripplan.wording import counted_span, labelled

EARTH_KM = 6371.0
# Assumptions for flight time (tripplan-assumptions): average block speed and fixed taxi/climb time.
BLOCK_KMH = 800.0
OVERHEAD_H = 0.75


@dataclass(frozen=True, slots=True, kw_only=True)
class Flight:
    """A flight between the home airport and the destination airport."""

    origin: str
    """The home airport (IATA code)."""
    destination: str
    """The destination airport (IATA code)."""
    km: int
    """Great-circle distance, kilometres."""
    hours: float
    """Flight time one way, hours."""
    basis: str
    """How the time was computed (an assumption, labelled)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LineItem:
    """One part of the travel cost: name, amount, how it was computed and what it rests on."""

    name: str
    """The line: flights, hotel, meals & local transport, visa."""
    amount: Span
    """The line's amount, USD."""
    basis: str
    """How it was computed (counts × unit amounts, with the assumption)."""
    source: str
    """Id of the source of the unit amounts."""
    overridden: bool = False
    """true when you gave the amount on the command line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Overrides:
    """Values the user gave on the command line instead of the data's assumptions (USD)."""

    fare: Span | None = None
    """Round-trip fare per traveller, USD (--fare), or null."""
    nightly: Span | None = None
    """Hotel per night, USD (--nightly), or null."""
    daily: Span | None = None
    """Meals and transport per traveller per day, USD (--daily), or null."""
    visa_fee: Span | None = None
    """Visa fee per traveller, USD (--visa-fee), or null."""
    rate: float | None = None
    """Units of the shown currency per USD (--rate), or null."""
    fly_early: bool = False
    """The user accepts flying home as early as the sources allow (protocol.rest_hours), not tripplan's rule."""


def great_circle_km(a: Airport, b: Airport) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def flight(a: Airport, b: Airport) -> Flight:
    km = great_circle_km(a, b)
    hours = 0.0 if a.iata == b.iata else round(km / BLOCK_KMH + OVERHEAD_H, 1)
    basis = _("{km} km great-circle at {speed} km/h + {minutes} min (assumption)").format(
        km=f"{round(km):,}", speed=f"{BLOCK_KMH:.0f}", minutes=f"{OVERHEAD_H * 60:.0f}"
    )
    return Flight(origin=a.iata, destination=b.iata, km=round(km), hours=hours, basis=basis)


def nearest_hub(cat: Catalog, home: Airport | None, destination: str, city: str | None = None) -> Airport:
    """The airport flown to: the city's own (brochure.toml), else a hub in the city, else the destination's
    hub closest to home (its first hub when home is not known)."""
    known = next((c for c in cat.city_names if c.country == destination and c.city == city), None)
    if known is not None and known.hub in cat.airports:
        return cat.airports[known.hub]
    hubs = [cat.airports[h] for h in cat.countries[destination].hubs]
    in_city = [h for h in hubs if city and h.city == city]
    if in_city:
        return in_city[0]
    if home is None:
        return hubs[0]
    return min(hubs, key=lambda h: great_circle_km(home, h))


def fare(cat: Catalog, origin: str, destination: str, km: int) -> LineItem:
    """Round-trip fare per traveller: the pair's listed fare, else the distance formula."""
    for f in cat.book.fares:
        if f.origin == origin and f.destination == destination:
            return LineItem(name="fare", amount=Span(low=f.low, high=f.high), basis=f.note, source=f.source)
    ff = cat.book.fare_formula
    low = round(ff.base + ff.per_km * km)
    return LineItem(
        name="fare",
        amount=Span(low=low, high=round(low * ff.high_factor)),
        basis=_("${base} + ${per_km}/km × {km} km, high ×{factor} (assumption)").format(
            base=ff.base, per_km=ff.per_km, km=f"{km:,}", factor=ff.high_factor
        ),
        source=ff.source,
    )


def nightly(cat: Catalog, destination: str, city: str | None) -> LineItem:
    rows = [n for n in cat.book.nightly if n.country == destination]
    chosen = next((n for n in rows if n.city == city), rows[0] if rows else None)
    if chosen is None:
        d = cat.book.nightly_default
        return LineItem(name="nightly", amount=Span(low=d.low, high=d.high), basis=d.note, source=d.source)
    return LineItem(
        name="nightly",
        amount=Span(low=chosen.low, high=chosen.high),
        basis=labelled(chosen.city, chosen.note),
        source=chosen.source,
    )


def daily(cat: Catalog, destination: str) -> LineItem:
    d = next((x for x in cat.book.daily if x.country == destination), None)
    if d is None:
        base = cat.book.daily_default
        return LineItem(name="daily", amount=Span(low=base.low, high=base.high), basis=base.note, source=base.source)
    return LineItem(name="daily", amount=Span(low=d.low, high=d.high), basis=d.note, source=d.source)


def visa_fee(cat: Catalog, destination: str) -> LineItem:
    v = next((x for x in cat.book.visa_fees if x.destination == destination), None)
    if v is None:
        return LineItem(
            name="visa fee",
            amount=Span(low=0, high=0),
            basis=_("no visa fee in the data"),
            source="tripplan-assumptions",
        )
    rate = cat.rate(v.currency)
    basis = (
        v.note
        if v.currency == "USD"
        else _("{amount} {currency} at {rate} per USD; {note}").format(
            amount=range_text(v.low, v.high), currency=v.currency, rate=f"{rate:g}", note=v.note
        )
    )
    return LineItem(
        name="visa fee", amount=Span(low=to_usd(v.low, rate), high=to_usd(v.high, rate)), basis=basis, source=v.source
    )


def _pick(item: LineItem, override: Span | None) -> LineItem:
    if override is None:
        return item
    return replace(item, amount=override, basis=_("your override"), source="override", overridden=True)


@dataclass(frozen=True, slots=True, kw_only=True)
class OptionalLine:
    """A cost the sources name without a price (e.g. a medical interpreter): shown, never added to the total."""

    name: str
    """The cost, e.g. a medical interpreter."""
    basis: str
    """What the source says about it."""
    source: str
    """Id of its source."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TravelCost:
    """The travel cost of all trips: each line with how it was computed."""

    trips: int
    """Trips to the destination."""
    travellers: int
    """How many travel."""
    nights: Span
    """Nights over all trips, [low, high]."""
    days: Span
    """Days away over all trips (arrival and departure counted)."""
    flight: Flight | None = None
    """The flight priced (None when treated at home: no flight)."""
    items: list[LineItem]
    """The travel lines: fares, hotel, meals and local transport, visa."""
    total: Span
    """The travel lines summed, USD."""
    optional: list[OptionalLine] = field(default_factory=list)
    """Lines the sources name without a price; not in `total`."""


def travel_cost(
    *,
    cat: Catalog,
    nationality: str,
    home: Airport,
    destination: str,
    city: str | None,
    nights_per_trip: list[tuple[int, int]],
    travellers: int,
    visa_needed: bool,
    overrides: Overrides,
) -> TravelCost:
    """fares × trips × travellers + nights × nightly + days × daily × travellers + visa fee × travellers."""
    hub = nearest_hub(cat, home, destination, city)
    fl = flight(home, hub)
    trips = len(nights_per_trip)
    nights, days = nights_and_days(nights_per_trip)
    unit_fare = _pick(fare(cat, nationality, destination, fl.km), overrides.fare)
    unit_night = _pick(nightly(cat, destination, city), overrides.nightly)
    unit_day = _pick(daily(cat, destination), overrides.daily)
    unit_visa = _pick(visa_fee(cat, destination), overrides.visa_fee)
    people = ngettext("{n} traveller", "{n} travellers", travellers).format(n=travellers)
    items = [
        _scaled(
            unit_fare,
            _("flights"),
            Span(low=trips * travellers, high=trips * travellers),
            _("{trips} × {travellers}").format(
                trips=ngettext("{n} trip", "{n} trips", trips).format(n=trips), travellers=people
            ),
        ),
        _scaled(
            unit_night,
            _("hotel"),
            nights,
            _("{nights}, one room").format(nights=counted_span(nights.low, nights.high, "night")),
        ),
        _scaled(
            unit_day,
            _("meals & local transport"),
            days.times(travellers),
            _("{days} × {travellers}").format(days=counted_span(days.low, days.high, "day"), travellers=people),
        ),
    ]
    if visa_needed:
        items.append(_scaled(unit_visa, _("visa"), Span(low=travellers, high=travellers), people))
    total = Span(low=0, high=0)
    for item in items:
        total = total + item.amount
    return TravelCost(
        trips=trips,
        travellers=travellers,
        nights=nights,
        days=days,
        flight=fl,
        items=items,
        total=total,
        optional=optional_lines(cat, destination),
    )


def optional_lines(cat: Catalog, destination: str) -> list[OptionalLine]:
    """Costs the sources name for the destination without a price (prices.toml [[figures]] with a `line`)."""
    return [
        OptionalLine(name=f.line, basis=_("named by the source, not priced; not in the total"), source=f.source)
        for f in cat.book.figures
        if f.line and destination in f.countries
    ]


HOME_BASIS = N_("appointments near home: no flight, hotel or visa; local travel is not costed (tripplan's assumption)")


def home_travel(*, travellers: int, nights_per_trip: list[tuple[int, int]]) -> TravelCost:
    """Travel for treatment in the patient's own country: no flight, no visa, no hotel; the visits are
    appointments near home, and local travel is left out (one zero line that says so, tripplan's assumption)."""
    zero = Span(low=0, high=0)
    trips = len(nights_per_trip)
    item = LineItem(name=_("local travel"), amount=zero, basis=_(HOME_BASIS), source="tripplan-assumptions")
    return TravelCost(trips=trips, travellers=travellers, nights=zero, days=zero, flight=None, items=[item], total=zero)


def _scaled(unit: LineItem, name: str, count: Span, what: str) -> LineItem:
    amount = Span(low=unit.amount.low * count.low, high=unit.amount.high * count.high)
    basis = _("{count} × ${each} ({basis})").format(
        count=what, each=range_text(unit.amount.low, unit.amount.high), basis=unit.basis
    )
    return LineItem(name=name, amount=amount, basis=basis, source=unit.source, overridden=unit.overridden)
