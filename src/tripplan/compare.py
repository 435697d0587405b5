"""compare: destinations side by side, the way the articles' tables do, for this patient."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from tripplan.catalog import Catalog
from tripplan.errors import UsageError
from tripplan.quote import trip_sources
from tripplan.travel import Overrides
from tripplan.trip import Trip, resolve_trip

Sort = Literal["given", "name", "cost", "flight"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """One destination: its resolved trip and the country's facts."""

    code: str
    name: str
    trip: Trip
    cell_count: str
    potency: str
    law: str
    regulator: str
    strictness: str
    languages: str
    insurance: str
    assumption: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    joint: str | None
    condition: str | None
    treatment: str | None = None
    nationality: str | None
    airport: str | None
    cells: str | None = None
    sort: Sort
    countries: list[Column]
    footnotes: list[str]
    sources: list[str]
    as_of: dt.date


def _cost(c: Column, missing: int) -> int:
    t = c.trip
    best = t.total or (t.treatment.span if t.treatment else None)
    return best.low if best is not None else missing


def compare(
    *,
    cat: Catalog,
    codes: list[str],
    joint: str | None,
    condition: str | None = None,
    treatment: str | None = None,
    nationality: str | None,
    airport: str | None,
    sort: Sort,
    companion: bool = False,
    currency: str | None = None,
    overrides: Overrides | None = None,
    today: dt.date,
    cells: str | None = None,
) -> Comparison:
    """Each destination's trip resolved exactly as quote resolves it, with the country's facts beside it."""
    cols = []
    for code in codes:
        country = cat.countries[code]
        trip = resolve_trip(
            cat=cat,
            destination=code,
            clinic=None,
            joint=joint,
            condition=condition,
            treatment=treatment,
            nationality=nationality,
            airport=airport,
            travellers=2 if companion else 1,
            currency=currency,
            overrides=overrides or Overrides(),
            today=today,
        )
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
                insurance=country.insurance,
                assumption=trip.protocol.assumption,
            )
        )
    left_out = [c for c in cols if cells is not None and c.trip.protocol.processing != cells]
    if left_out and len(left_out) == len(cols):
        kinds = ", ".join(f"{c.name}: {c.trip.protocol.processing}" for c in cols)
        raise UsageError(f"none of these destinations offers {cells} cells ({kinds})", field="cells")
    cols = [c for c in cols if c not in left_out]
    big = 10**12
    if sort == "name":
        cols.sort(key=lambda c: c.name)
    elif sort == "cost":
        cols.sort(key=lambda c: _cost(c, big))
    elif sort == "flight":
        cols.sort(key=lambda c: c.trip.flight.hours if c.trip.flight else big)
    notes = [f"{c.name} left out: {c.trip.protocol.processing} cells, not {cells}." for c in left_out]
    what = f"the {joint}" if joint else f"'{treatment}'"
    for c in cols:
        if c.trip.treatment is None:
            notes.append(f"{c.name}: no price for {what} in the sources.")
    if nationality is None and airport is None:
        notes.append("Visa, flight time and total trip cost need your nationality.")
    notes += [f"{c.code}: {c.assumption}" for c in cols if c.assumption]
    sources = trip_sources([c.trip for c in cols])
    for c in cols:
        sources += cat.countries[c.code].sources
    return Comparison(
        joint=joint,
        condition=condition,
        treatment=treatment,
        nationality=nationality,
        airport=next((c.trip.home_airport for c in cols if c.trip.home_airport), None),
        cells=cells,
        sort=sort,
        countries=cols,
        footnotes=notes,
        sources=[s for s in dict.fromkeys(sources) if s in cat.sources],
        as_of=today,
    )
