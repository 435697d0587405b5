"""compare: destinations side by side, the way the articles' tables do, for this patient."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from tripplan.catalog import Catalog
from tripplan.closures import HolidayLookup, public_holidays
from tripplan.dated import NoOpenDayError
from tripplan.errors import UsageError
from tripplan.i18n import _
from tripplan.request import TripRequest
from tripplan.sources import Cited, cite
from tripplan.trip import Trip, resolve_trip

Sort = Literal["given", "name", "cost", "flight"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """One destination: its resolved trip and the country's facts."""

    code: str
    """The destination (ISO code)."""
    name: str
    """The destination's name."""
    trip: Trip
    """The destination's trip, resolved exactly as quote resolves it."""
    cell_count: str
    """The typical cell count the sources give (text as given)."""
    potency: str
    """The potency the sources give (text as given)."""
    law: str
    """The law that regulates the treatment."""
    regulator: str
    """The authority that enforces it."""
    strictness: str
    """How strict the regulation is, as the sources describe it."""
    languages: str
    """Languages the clinics' coordinators speak, as the sources give them."""
    insurance: str
    """Whether insurance covers the treatment, as the sources say: the destination's own text (true for every
    patient), then what the patient's nationality's insurance covers there, each with its [source]
    (countries.toml `insurance` records: Medicare is named to a patient from the US only)."""
    assumption: str
    """tripplan's own assumption behind this column (e.g. a visit length the articles do not give), or empty."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """Destinations side by side: what compare prints."""

    joint: str | None
    """The joint compared, or null when a treatment was named instead."""
    condition: str | None
    """The condition the prices were narrowed to, or null."""
    treatment: str | None = None
    """The treatment compared by name, or null."""
    nationality: str | None
    """The patient's nationality (ISO code), or null (then no visa, flight or total)."""
    airport: str | None
    """The home airport (IATA code), or null."""
    cells: str | None = None
    """The kind of cells kept with --cells, or null."""
    sort: Sort
    """The column order asked for: given, name, cost or flight."""
    countries: list[Column]
    """One column per destination, in the order asked for."""
    footnotes: list[str]
    """Why a figure is missing, and the assumptions behind columns."""
    sources: list[Cited]
    """Every source the figures rest on, once, with its title, publisher, date and address."""
    as_of: dt.date
    """The day the comparison was computed."""


def assumption_note(column: Column) -> str:
    """The footnote naming a column's assumption ("MX: …"): in `Comparison.footnotes`, and how a summary that
    leaves the assumptions to --details knows them."""
    return _("{code}: {assumption}").format(code=column.code, assumption=column.assumption)


def _cost(c: Column, missing: int) -> int:
    t = c.trip
    best = t.total or (t.treatment.span if t.treatment else None)
    return best.low if best is not None else missing


def compare(
    *,
    cat: Catalog,
    request: TripRequest,
    codes: list[str],
    sort: Sort,
    today: dt.date,
    holidays: HolidayLookup = public_holidays,
) -> Comparison:
    """Each destination's trip resolved exactly as quote resolves it (the same request, its plan options
    included: with a harvest day, the visits dated from it as schedule dates them, closures from
    `holidays`), with the country's facts beside it. A harvest or injection day that cannot be planned at
    one of the destinations is that error (dated.dated_visits)."""
    joint, treatment, cells, nationality = request.joint, request.treatment, request.cells, request.nationality
    cols = []
    for code in codes:
        country = cat.countries[code]
        try:
            trip = resolve_trip(cat=cat, request=request, destination=code, today=today, holidays=holidays)
        except UsageError as e:
            raise UsageError(_("{country}: {error}").format(country=country.name, error=e), field=e.field) from None
        except NoOpenDayError as e:
            raise NoOpenDayError(_("{country}: {error}").format(country=country.name, error=e)) from None
        cols.append(
            Column(
                code=code,
                name=country.name,
                trip=trip,
                cell_count=country.cell_count,
                potency=country.potency,
                law=country.law,
                regulator=country.regulator,
                strictness=country.strictness,
                languages=country.languages,
                insurance=" ".join(
                    [country.insurance, *(f"{n.text} [{n.source}]" for n in cat.insurance_for(code, nationality))]
                ),
                assumption=trip.protocol.assumption,
            )
        )
    left_out = [c for c in cols if cells is not None and c.trip.cells != cells]
    if left_out and len(left_out) == len(cols):
        kinds = ", ".join(f"{c.name}: {c.trip.cells}" for c in cols)
        raise UsageError(
            _("none of these destinations offers {cells} cells ({kinds})").format(cells=cells, kinds=kinds),
            field="cells",
        )
    cols = [c for c in cols if c not in left_out]
    big = 10**12
    if sort == "name":
        cols.sort(key=lambda c: c.name)
    elif sort == "cost":
        cols.sort(key=lambda c: _cost(c, big))
    elif sort == "flight":
        cols.sort(key=lambda c: c.trip.flight.hours if c.trip.flight else big)
    notes = [
        _("{country} left out: {cells} cells, not {wanted}.").format(country=c.name, cells=c.trip.cells, wanted=cells)
        for c in left_out
    ]
    for c in cols:
        if c.trip.treatment is None and joint:
            notes.append(_("{country}: no price for the {joint} in the sources.").format(country=c.name, joint=joint))
        elif c.trip.treatment is None:
            notes.append(
                _("{country}: no price for '{treatment}' in the sources.").format(country=c.name, treatment=treatment)
            )
    if nationality is None and request.airport is None:
        notes.append(_("Visa, flight time and total trip cost need your nationality."))
    notes += [assumption_note(c) for c in cols if c.assumption]
    sources = [s for c in cols for s in c.trip.sources]
    for c in cols:
        sources += cat.countries[c.code].sources
        sources += [n.source for n in cat.insurance_for(c.code, nationality)]
    return Comparison(
        joint=joint,
        condition=request.condition,
        treatment=treatment,
        nationality=nationality,
        airport=next((c.trip.home_airport for c in cols if c.trip.home_airport), None),
        cells=cells,
        sort=sort,
        countries=cols,
        footnotes=notes,
        sources=cite(cat, sources),
        as_of=today,
    )
