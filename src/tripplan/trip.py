"""One trip, resolved once: protocol, visits and nights, flights, visa, the price rows that apply, travel
costs and the total. quote, compare, schedule, visa, the calendar file and the saved plan only present it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from tripplan.brochure import city_of
from tripplan.catalog import Catalog
from tripplan.closures import HolidayLookup, public_holidays
from tripplan.dated import Dated, dated_for
from tripplan.errors import unknown
from tripplan.i18n import _
from tripplan.lookup import Assumed, home_airport
from tripplan.models import Airport, Clinic, Protocol, RuleChange, SourceFigure
from tripplan.money import RATE_MAX_AGE_DAYS, Home, Rated, Span, convert_span
from tripplan.plain import shallow
from tripplan.prices import PriceLine, Treatment, by_kind, clinic_lines, destination_lines, treatment_for
from tripplan.protocol import effective_protocol, nights_and_days, visit_nights
from tripplan.redflags import ClinicFlags, clinic_flags
from tripplan.request import TripRequest
from tripplan.safety import SafetySummary, summary
from tripplan.travel import Flight, Overrides, TravelCost, flight, home_travel, nearest_hub, travel_cost
from tripplan.visas import VisaAnswer, visa_answer


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """What the same treatment costs at home, from the sources."""

    country: str
    """The patient's own country (ISO code)."""
    low: int
    """Lowest price at home, USD."""
    high: int
    """Highest price at home, USD."""
    open_high: bool
    """true when a source gives "$X+" with no upper bound."""
    sources: list[PriceLine]
    """The source rows of that range: the rows for the kind of cells the home country's protocol uses
    (countries.toml), the same rows a trip to that country prices (quote, compare, the page show this one range)."""
    cells: str = ""
    """The kind of cells of every row in the range (the home country's protocol's processing when the sources
    price that kind, else the rows' own kind(s)), as Trip.cells."""
    other_cells: list[PriceLine] = field(default_factory=list)
    """Rows at home for other kinds of cells (e.g. cultured cells in US clinical trials only): listed, not in
    the range or the comparison."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Trip:
    """Everything about one trip to one destination (or clinic) for one patient."""

    destination: str
    """The destination (ISO code)."""
    name: str
    """Its name."""
    clinic: str | None = None
    """The clinic's id with --clinic, else null."""
    clinic_name: str | None = None
    """The clinic's name, else null."""
    joint: str | None
    """The joint priced, or null."""
    condition: str | None
    """The condition the prices were narrowed to, or null."""
    treatment_filter: str | None = None
    """The treatment named with --treatment, or null."""
    nationality: str | None
    """The patient's nationality (ISO code), or null."""
    travellers: int
    """How many travel (1 or 2)."""
    status: str  # "ok", or "no data" when the sources give no price that applies
    """"ok", or "no data" when the sources give no price that applies."""
    protocol: Protocol
    """The treatment protocol: trips, visit days, culture weeks, hours before flying home (data record)."""
    stay_through: bool = False
    """One round trip from the harvest to the injection (the request's plan option, two-visit protocols)."""
    at_home: bool = False
    """Treated in the patient's own country: no flight, visa or hotel."""
    harvest: dt.date | None = None
    """The harvest day the visits were dated from (the request's --harvest), or null: the nights are then the
    range over every shape the protocol allows."""
    injection: dt.date | None = None
    """The injection (treatment) day of those dated visits, or null without a harvest day."""
    nights_per_trip: list[tuple[int, int]]
    """Nights away for each round trip, (min, max); one pair per flight there and back."""
    days_away: Span
    """Days away from home over all trips (arrival and departure days counted); 0 for treatment in the
    patient's own country (appointments near home: see appointment_days)."""
    appointment_days: Span | None = None
    """For treatment in the patient's own country, the days of appointments over all visits, as the protocol
    gives its visits' days [min, max]; null abroad (days_away counts the days there)."""
    home_airport: str | None = None
    """The home airport flights start from (IATA code), or null without a nationality or --airport."""
    home_assumed: Assumed | None = None
    """How tripplan chose the home airport when none was given (data, with its source)."""
    hub: str
    """The destination airport (IATA code)."""
    flight: Flight | None = None
    """The flight, or null without a home airport."""
    visa: VisaAnswer | None = None
    """The visa answer for the trip's stays, or null without a nationality."""
    treatment: Treatment | None = None
    """The treatment range and every source row behind it, or null when no price applies."""
    cells: str = ""
    """The kind of cells of every row in the treatment range (quote and compare label and group by it): the
    protocol's processing when the sources price that kind, else the rows' own kind(s)."""
    other_cells: list[PriceLine] = field(default_factory=list)
    """Rows the sources give for other kinds of cells than `cells`: listed, not in the range or the total."""
    travel: TravelCost | None = None
    """The travel cost (fares, nights, daily costs, visa), or null without a nationality and a price."""
    total: Span | None = None
    """Treatment plus travel, USD, or null."""
    home: Home | None = None
    """The total in the currency shown, with its rate, or null (no sourced rate, or no total)."""
    reference: Reference | None = None
    """The same treatment's price at home, from the sources, or null."""
    reference_home: Home | None = None
    """The price at home in the currency shown (the patient's own, or --currency), converted from the sourced
    USD range at the rate of `home` (computed, not a figure of the source), or null (no price at home, no
    sourced rate, or the currency shown is USD)."""
    vs_home_pct: int | None = None
    """The total against the price at home, by midpoints, percent (negative: cheaper abroad), or null."""
    safety: SafetySummary | None = None
    """What tripplan's safety record holds for the destination (see tripplan safety)."""
    no_rate_for: str | None = None
    """The home currency when no sourced rate exists for it: the totals stay in USD."""
    notes: list[str] = field(default_factory=list)
    """The caveats of the sources that apply to this trip (nationality, destination, joint, condition)."""
    red_flags: ClinicFlags | None = None
    """The chosen clinic's red flags (none without a clinic): a count, the most serious, every flag."""
    city: str | None = None
    """The catalog city the trip goes to (the clinic's city as brochure.toml reads it)."""
    warnings: list[str] = field(default_factory=list)
    """What tripplan assumed and the patient should know (e.g. a city it did not recognise)."""
    figures: list[SourceFigure] = field(default_factory=list)
    """Figures the sources give for this destination beside their prices (comparisons, inclusions, cell counts)."""
    home_rules: list[RuleChange] = field(default_factory=list)
    """Rules in the patient's own country that change what they may get at home (e.g. a US state's law)."""
    sources: list[str] = field(default_factory=list)
    """Ids (sources.toml; a clinic's own quote as "quote from NAME") of every source the trip's figures rest on, in first-use order: the visa, the price
    rows, the price at home, the travel lines, the rate, the protocol and its flying-home sources, the
    home airport, the notes, the sources' figures, the home rules, the unpriced lines. Computed
    once, here; quote, compare, schedule, the calendar and the page read it."""


def trip_sources(trip: Trip, note_sources: list[str]) -> list[str]:
    """Every source the trip rests on, in first-use order, each once (see Trip.sources): sources.toml ids,
    and what is not a record there as it is named (a clinic's own quote, "quote from NAME")."""
    used: list[str] = trip.visa.sources[:1] if trip.visa else []
    for block in (trip.treatment, trip.reference):
        used += [s.source for s in block.sources] if block else []
    used += [s.source for s in trip.other_cells]
    used += [s.source for s in trip.reference.other_cells] if trip.reference else []
    used += [i.source for i in trip.travel.items] if trip.travel else []
    used += [trip.home.rate_source] if trip.home and not trip.home.yours and trip.home.currency != "USD" else []
    used += [trip.protocol.source, trip.protocol.fly_home_source, *trip.protocol.fly_home_sources]
    used += [trip.home_assumed.source] if trip.home_assumed else []
    used += note_sources
    used += [f.source for f in trip.figures] + [s for r in trip.home_rules for s in r.sources]
    used += [o.source for o in trip.travel.optional] if trip.travel else []
    return [s for s in dict.fromkeys(used) if s]


def destination_figures(cat: Catalog, destination: str, joint: str | None) -> list[SourceFigure]:
    """The sources' figures shown with a destination: those naming it, for any joint or the one asked about."""
    return [f for f in cat.book.figures if destination in f.countries and (not f.joints or (joint or "") in f.joints)]


def appointment_days(protocol: Protocol) -> Span:
    """The days of the protocol's visits over all trips [min, max] (visit1_days, plus visit2_days for two):
    for treatment near home, the days of appointments (no travel days, no nights away)."""
    visits = [protocol.visit1_days, *([protocol.visit2_days] if protocol.visit2_days else [])]
    return Span(low=sum(v[0] for v in visits), high=sum(v[1] for v in visits))


def home_rules(cat: Catalog, nationality: str | None) -> list[RuleChange]:
    """Rule changes in the patient's own country that say what a patient there may get at home (region by
    region, e.g. US states), newest first."""
    return [c for c in cat.rule_changes if c.country == nationality and c.home_rule]


def trip_visa(
    cat: Catalog,
    nationality: str,
    destination: str,
    nights_per_trip: list[tuple[int, int]],
    arrivals: list[dt.date] | None = None,
) -> VisaAnswer:
    """The visa answer for the trip's stays, each at its longest, counted as the destination counts a stay
    (visas.counted_days), each landing on its day in `arrivals` when the visits are dated (a limit in months
    holds different days from different landing days: visas.stay_limit_days)."""
    counted = cat.countries[destination].stay_count == "arrival-day-counted"
    stays = [n[1] + (1 if counted else 0) for n in nights_per_trip]
    return visa_answer(cat=cat, nationality=nationality, destination=destination, stays_days=stays, arrivals=arrivals)


def home_money(cat: Catalog, currency: str, overrides: Overrides, today: dt.date) -> Rated | None:
    """The rate for the currency shown: the user's own (--rate), else the catalog's sourced rate, else None
    (no sourced rate: the totals stay in USD). An unknown currency code is a usage error."""
    if currency not in cat.known_currencies():
        raise unknown("currency", currency, cat.known_currencies(), show_all_below=0)
    if overrides.rate is not None:
        return Rated(currency=currency, rate=overrides.rate, rate_source="your rate", yours=True)
    if currency == "USD":
        return Rated(currency="USD", rate=1.0, rate_source="-")
    rate = cat.rate_record(currency)
    if rate is None:
        return None
    age = (today - rate.as_of).days if rate.as_of else None
    return Rated(
        currency=currency,
        rate=rate.per_usd,
        rate_source=rate.source,
        as_of=rate.as_of,
        age_days=age,
        stale=age is not None and age > RATE_MAX_AGE_DAYS,
    )


def _converted(total: Span, rate: float) -> dict[str, Any]:
    local = convert_span(total, rate)
    return {"low": local.low, "high": local.high}


def reference(
    cat: Catalog, nationality: str, joint: str | None, condition: str | None, treatment: str | None
) -> Reference | None:
    """The same treatment at home (the nationality's own country), as one range in USD, or None when the
    sources give no row there. The rows are split by kind of cells exactly as a trip to that country splits
    them (prices.by_kind with the country's protocol processing, countries.toml): the range holds the rows of
    that kind, the others are listed in `other_cells`, so quote, compare and the page show one figure. A
    country with no protocol record keeps its rows together (labelled by their kinds)."""
    lines = destination_lines(cat, nationality, joint=joint, condition=condition, treatment=treatment)[0]
    home = cat.countries.get(nationality)
    kind = home.protocol.processing if home is not None else ""
    same, other, cells = by_kind(lines, kind)
    at_home = treatment_for(same)
    if at_home is None:
        return None
    return Reference(
        country=nationality,
        low=at_home.low,
        high=at_home.high,
        open_high=at_home.open_high,
        sources=at_home.sources,
        cells=cells,
        other_cells=other,
    )


def resolve_trip(
    *,
    cat: Catalog,
    request: TripRequest,
    destination: str,
    clinic: Clinic | None = None,
    today: dt.date,
    holidays: HolidayLookup = public_holidays,
    dated: Dated | None = None,
) -> Trip:
    """The whole trip to one destination (or clinic) for one request: treatment + travel, in USD and the
    shown currency. The trip's shape (round trips, nights) follows the request's plan options: without a
    harvest day, the range over the shapes the protocol allows (`stay_through`, `culture_weeks`, see
    protocol.visit_nights); with one, the nights of the visits dated from it (dated.dated_visits, with the
    destination's closures from `holidays`), exactly as schedule lays them out: the same request gives
    quote, compare and schedule the same total. `dated` is those visits when the caller (schedule) already
    dated them from this request. Treatment in the patient's own country has no flight, visa or hotel
    (appointments near home). Without a nationality or airport there is no flight, visa or travel cost, only
    the treatment. Raises dated_visits' errors for a harvest or injection day that cannot be planned."""
    joint, condition, treatment = request.joint, request.condition, request.treatment
    nationality, airport = request.nationality, request.airport
    country = cat.countries[destination]
    protocol = effective_protocol(cat, destination, clinic)
    if dated is None and request.harvest is not None:
        dated = dated_for(
            cat=cat,
            request=request,
            harvest=request.harvest,
            destination=destination,
            clinic=clinic,
            protocol=protocol,
            today=today,
            holidays=holidays,
        )
    nights = (
        dated.nights
        if dated is not None
        else visit_nights(
            protocol,
            stay_through=request.stay_through,
            culture_weeks=request.culture_weeks,
            fly_early=request.overrides.fly_early,
        )
    )
    if clinic is not None:
        lines, narrowed = clinic_lines(cat, clinic, joint, treatment), False
    else:
        lines, narrowed = destination_lines(cat, destination, joint=joint, condition=condition, treatment=treatment)
    lines, other_cells, cells = by_kind(lines, protocol.processing)
    treat = treatment_for(lines, narrowed)
    known = city_of(cat, destination, clinic.city) if clinic else None
    city = known.city if known else clinic.city if clinic else next(iter(country.cities), None)
    at_home = nationality == destination
    home: Airport | None = None
    assumed: Assumed | None = None
    if (airport or nationality) and not at_home:
        home, assumed = home_airport(cat, nationality, airport)
    hub = nearest_hub(cat, home, destination, city)
    warnings = []
    if clinic is not None and known is None:
        warnings.append(
            _(
                "{clinic}'s city '{city}' is not one tripplan recognises in {country}; "
                "the flights assume {airport} ({airport_city}): check the airport nearest the clinic"
            ).format(
                clinic=clinic.name,
                city=clinic.city,
                country=cat.country_name(destination),
                airport=hub.iata,
                airport_city=hub.city,
            )
        )
    arrivals = [a for _, a, _ in dated.visits] if dated is not None else None
    visa = trip_visa(cat, nationality, destination, nights, arrivals) if nationality else None
    applying = [
        n
        for n in cat.notes
        if n.destination == destination
        and n.applies(nationality=nationality or "", destination=destination, joint=joint or "", condition=condition)
    ]
    notes = [n.text for n in applying]
    trip = Trip(
        destination=destination,
        name=country.name,
        clinic=clinic.id if clinic else None,
        clinic_name=clinic.name if clinic else None,
        joint=joint,
        condition=condition,
        treatment_filter=treatment,
        nationality=nationality,
        travellers=request.travellers,
        status="ok" if treat is not None else "no data",
        protocol=protocol,
        stay_through=request.stay_through and protocol.trips == 2,
        at_home=at_home,
        harvest=request.harvest if dated is not None else None,
        injection=dated.injection if dated is not None else None,
        nights_per_trip=nights,
        days_away=Span(low=0, high=0) if at_home else nights_and_days(nights)[1],
        appointment_days=appointment_days(protocol) if at_home else None,
        home_airport=home.iata if home else None,
        home_assumed=assumed,
        hub=hub.iata,
        flight=flight(home, hub) if home else None,
        visa=visa,
        treatment=treat,
        cells=cells,
        other_cells=other_cells,
        reference=reference(cat, nationality, joint, condition, treatment) if nationality else None,
        safety=summary(cat=cat, destination=destination, today=today),
        notes=notes,
        red_flags=clinic_flags(cat=cat, clinic=clinic) if clinic else None,
        city=city,
        warnings=warnings,
        figures=destination_figures(cat, destination, joint),
        home_rules=home_rules(cat, nationality),
    )
    if treat is None or visa is None or nationality is None or (home is None and not at_home):
        return replace(trip, sources=trip_sources(trip, [n.source for n in applying]))
    if at_home:
        travel = home_travel(travellers=request.travellers, nights_per_trip=nights)
    else:
        assert home is not None
        travel = travel_cost(
            cat=cat,
            nationality=nationality,
            home=home,
            destination=destination,
            city=city,
            nights_per_trip=nights,
            travellers=request.travellers,
            visa_needed=visa.fee_applies,
            overrides=request.overrides,
        )
    total = treat.span + travel.total
    shown = request.currency or cat.home_currency(nationality)
    rated = home_money(cat, shown, request.overrides, today)
    ref = trip.reference
    vs = None
    if ref is not None and not at_home and ref.low + ref.high > 0:
        mid = (ref.low + ref.high) / 2
        vs = round((total.mid - mid) / mid * 100)
    trip = replace(
        trip,
        travel=travel,
        total=total,
        home=Home(**shallow(rated), **_converted(total, rated.rate)) if rated else None,
        reference_home=(
            Home(**shallow(rated), **_converted(Span(low=ref.low, high=ref.high), rated.rate))
            if rated and ref is not None and rated.currency != "USD"
            else None
        ),
        no_rate_for=None if rated else shown,
        vs_home_pct=vs,
    )
    return replace(trip, sources=trip_sources(trip, [n.source for n in applying]))
