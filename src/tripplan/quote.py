"""quote: what the whole trip costs, per destination or clinic, next to the price at home."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from tripplan.catalog import Catalog
from tripplan.closures import HolidayLookup, public_holidays
from tripplan.dated import NoOpenDayError
from tripplan.errors import UsageError
from tripplan.i18n import _
from tripplan.lookup import Assumed, home_airport
from tripplan.models import Clinic
from tripplan.money import Rated
from tripplan.prices import applies
from tripplan.request import TripRequest
from tripplan.sources import Cited, cite
from tripplan.trip import Trip, home_money, resolve_trip

KINDS = ("cultured", "same-day", "donor", "cell-free", "none")
"""Kinds of cells, in the order quote groups destinations (Trip.cells: the kind of the rows priced)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Missing:
    """A destination quote leaves out, and why."""

    destination: str
    """The destination left out (ISO code)."""
    name: str
    """Its name."""
    reason: str
    """Why it is left out."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteResult:
    """What quote answers: the whole-trip cost of every destination (or one clinic) for one patient."""

    joint: str | None
    """The joint priced (knee, hip, shoulder, elbow, ankle), or null when a treatment was named instead."""
    condition: str | None
    """The condition the prices were narrowed to (--condition), or null."""
    treatment: str | None = None
    """The treatment priced by name (--treatment), or null."""
    nationality: str
    """The patient's nationality (ISO 3166 alpha-2 code, e.g. US)."""
    airport: str
    """The home airport flights start from (IATA code)."""
    airport_assumed: Assumed | None = None
    """How tripplan chose the home airport when none was given."""
    travellers: int
    """How many travel: 1, or 2 with --companion."""
    currency: str
    """The currency of each destination's `home` total (ISO 4217 code); USD when no sourced rate exists."""
    no_rate_for: str | None = None
    """The home currency asked for when no sourced rate exists for it (totals then stay in USD), or null."""
    rate: Rated | None = None
    """The rate the home-currency totals use: its source and date, or your --rate."""
    cells: str | None = None
    """The kind of cells kept with --cells (cultured, same-day, donor, cell-free), or null for every kind."""
    destinations: list[Trip]
    """One resolved trip per destination (or the one clinic), grouped by kind of cells, cheapest first."""
    missing: list[Missing] = field(default_factory=list)
    """Destinations left out, each with the reason (e.g. no price for the joint in the sources)."""
    notes: list[str]
    """Caveats of the sources that apply to every destination."""
    sources: list[Cited]
    """Every source the figures rest on, once, with its title, publisher, date and address."""
    as_of: dt.date
    """The day the quote was computed (today, or TRIPPLAN_TODAY)."""


def kind_rank(processing: str) -> int:
    return KINDS.index(processing) if processing in KINDS else len(KINDS)


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
    request: TripRequest,
    destinations: list[str] | None,
    clinic: Clinic | None,
    today: dt.date,
    holidays: HolidayLookup = public_holidays,
) -> QuoteResult:
    """Every destination (or the one clinic), grouped by kind of cells, cheapest total first within a kind;
    "no data" ones last. Destinations left out are listed with the reason. Each trip is resolved from the
    same request (its plan options included) as compare and schedule resolve it: with a harvest day, each
    destination's visits are dated from it as schedule dates them (its closures from `holidays`), and a
    destination where that day cannot be planned (the clinic closed) is left out with the reason; with one
    destination or clinic, that reason is the error (dated.dated_visits). Needs `request.nationality`."""
    joint, condition, treatment, cells = request.joint, request.condition, request.treatment, request.cells
    nationality = request.nationality
    if nationality is None:
        raise UsageError(_("give your nationality to quote a trip"), field="nationality")
    if joint is None and treatment is None:
        raise UsageError(_("give a joint or a treatment to price"), field="joint")
    shown = request.currency or cat.home_currency(nationality)
    rated = home_money(cat, shown, request.overrides, today)  # an unknown currency is refused before any work
    targets: list[tuple[str, Clinic | None]]
    missing: list[Missing] = []
    if clinic is not None:
        targets = [(clinic.country, clinic)]
    elif destinations:
        targets = [(d, None) for d in destinations]
    else:
        chosen = priced_destinations(cat, joint=joint, treatment=treatment, exclude=nationality)
        targets = [(d, None) for d in chosen]
        what = " + ".join(
            label
            for label in (joint and cat.label("joint", joint), treatment and cat.label("treatment", treatment))
            if label
        )
        missing = [
            Missing(
                destination=code,
                name=cat.country_name(code),
                reason=_("no {what} price for {country} in the sources").format(
                    what=what, country=cat.country_name(code)
                ),
            )
            for code, c in cat.countries.items()
            if c.cities and code != nationality and code not in chosen
        ]
    home, assumed = home_airport(cat, nationality, request.airport)
    shared = replace(request, airport=home.iata, currency=shown)
    trips = []
    for d, c in targets:
        try:
            trips.append(resolve_trip(cat=cat, request=shared, destination=d, clinic=c, today=today, holidays=holidays))
        except (UsageError, NoOpenDayError) as e:
            if len(targets) == 1 or (not isinstance(e, NoOpenDayError) and e.field not in ("harvest", "inject")):
                raise
            name = cat.countries[d].name
            missing.append(
                Missing(destination=d, name=name, reason=_("{country}: {error}").format(country=name, error=e))
            )
    if cells is not None:
        missing += [
            Missing(
                destination=t.destination,
                name=t.name,
                reason=_("{country} is priced for {cells} cells, not {wanted}").format(
                    country=t.name, cells=t.cells, wanted=cells
                ),
            )
            for t in trips
            if t.cells != cells
        ]
        trips = [t for t in trips if t.cells == cells]
    trips.sort(
        key=lambda t: (
            t.total is None,
            kind_rank(t.cells),
            t.total.low if t.total else 0,
            t.total.high if t.total else 0,
        )
    )
    general = [
        n
        for n in cat.notes
        if n.destination is None
        and n.applies(nationality=nationality, destination="", joint=joint or "", condition=condition)
    ]
    used = [s for t in trips for s in t.sources] + [n.source for n in general]
    return QuoteResult(
        joint=joint,
        condition=condition,
        treatment=treatment,
        nationality=nationality,
        airport=home.iata,
        airport_assumed=assumed,
        travellers=request.travellers,
        currency=shown if rated else "USD",
        no_rate_for=None if rated else shown,
        rate=rated,
        cells=cells,
        destinations=trips,
        missing=missing,
        notes=[n.text for n in general],
        sources=cite(cat, used),
        as_of=today,
    )
